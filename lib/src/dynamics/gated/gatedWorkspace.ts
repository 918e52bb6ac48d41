/**
 * The fast path of the gated cells: the forward pass and BPTT of gatedCell.ts on the engine's kernel interface, as
 * batched matrix products and fused elementwise gate steps (WebAssembly SIMD in float32, or the TypeScript reference in
 * either dtype). gatedForward/gatedBackward stay the definition, sample by sample in float64; this path is tested
 * against them (test/unit/gatedKernels.test.ts).
 *
 * Per training step, with the B samples of step t stacked as rows (X_t: B × I, H_t: B × H):
 *   once      A_in = X Wᵢₕᵀ for all T·B rows (one product), Wₕₕᵀ transposed once
 *   per t     A_h = H_{t−1} Wₕₕᵀ; the fused gate step (kernels.lstmForwardStep / gruForwardStep)
 *   backward  per t the fused adjoint step, then δH_{t−1} = δÃ_t Wₕₕ (+ δH_t ⊙ z for the GRU)
 *   once      ∂L/∂Wᵢₕ = δAᵀ X, ∂L/∂Wₕₕ = δÃᵀ H_{0…T−1}, biases = column sums of δA, δÃ (three products over T·B rows)
 * The loss enters at h_T only (the heads of gatedNetwork.ts), so backward takes ∂L/∂h_T.
 * Parameters and their gradients stay float64 (the optimiser's dtype); a float32 workspace rounds the weights on load.
 */
import type { FloatArray, Kernels } from '../../numerics/kernels/types.js';
import { ParameterError, checkInteger } from '../../numerics/validate.js';
import { GATE_COUNT, type GatedCell, type GatedCellKind, type GatedParams } from './gatedCell.js';

export interface GatedWorkspaceShape {
  kind: GatedCellKind;
  inputSize: number;
  hiddenSize: number;
  batch: number;
  /** The longest sequence this workspace runs. */
  maxSteps: number;
}

/** Floats a workspace allocates from its kernels (to size a WebAssembly backend's memory). */
export function gatedWorkspaceFloats(shape: GatedWorkspaceShape): number {
  const { kind, inputSize: I, hiddenSize: H, batch: B, maxSteps: T } = shape;
  const GH = GATE_COUNT[kind] * H;
  const weights = 3 * GH * (H + I) + 6 * GH; // W, Wᵀ (hh), their gradients, biases
  const histories = (T + 1) * B * H * 2 + T * B * (I + 1 + GH * (kind === 'gru' ? 3 : 2)) + T * B * H;
  const scratch = B * GH + 4 * B * H + GH * I + GH;
  return weights + histories + scratch + 64 * 16; // + alignment padding of the ~40 arrays
}

export class GatedWorkspace<A extends FloatArray = FloatArray> {
  readonly kind: GatedCellKind;
  readonly I: number;
  readonly H: number;
  readonly B: number;
  readonly maxSteps: number;
  private readonly G: number;
  private readonly Wih: A;
  private readonly Whh: A;
  private readonly WhhT: A;
  private readonly bih: A;
  private readonly bhh: A;
  private readonly X: A; // inputs, T × B × I
  private readonly Hs: A; // h_0 … h_T, (T + 1) × B × H
  private readonly Cs: A; // LSTM: c_0 … c_T
  private readonly HN: A; // GRU: W_hn h_{t−1} + b_hn, T × B × H
  private readonly gates: A; // T × B × GH
  private readonly Ain: A; // X Wᵢₕᵀ, T × B × GH; reused for δA in backward
  private readonly DAH: A; // GRU: δÃ, T × B × GH (the LSTM's δÃ is δA)
  private readonly Ah: A; // B × GH
  private readonly dh: A;
  private readonly dc: A;
  private readonly carried: A;
  private readonly ones: A;
  private readonly dWih: A;
  private readonly dWhh: A;
  private readonly colSum: A;
  private steps = 0;
  /** False once backward has overwritten the forward products (a second backward needs a new forward). */
  private backwardReady = false;

  constructor(
    readonly kernels: Kernels<A>,
    shape: GatedWorkspaceShape,
  ) {
    const { kind, inputSize: I, hiddenSize: H, batch: B, maxSteps: T } = shape;
    checkInteger('workspace.inputSize', I, { min: 1 });
    checkInteger('workspace.hiddenSize', H, { min: 1 });
    checkInteger('workspace.batch', B, { min: 1 });
    checkInteger('workspace.maxSteps', T, { min: 1 });
    this.kind = kind;
    this.I = I;
    this.H = H;
    this.B = B;
    this.maxSteps = T;
    const G = (this.G = GATE_COUNT[kind]);
    const GH = G * H;
    const k = kernels;
    this.Wih = k.alloc(GH * I);
    this.Whh = k.alloc(GH * H);
    this.WhhT = k.alloc(H * GH);
    this.bih = k.alloc(GH);
    this.bhh = k.alloc(GH);
    this.X = k.alloc(T * B * I);
    this.Hs = k.alloc((T + 1) * B * H);
    this.Cs = k.alloc(kind === 'lstm' ? (T + 1) * B * H : 1);
    this.HN = k.alloc(kind === 'gru' ? T * B * H : 1);
    this.gates = k.alloc(T * B * GH);
    this.Ain = k.alloc(T * B * GH);
    this.DAH = k.alloc(kind === 'gru' ? T * B * GH : 1);
    this.Ah = k.alloc(B * GH);
    this.dh = k.alloc(B * H);
    this.dc = k.alloc(B * H);
    this.carried = k.alloc(B * H);
    this.ones = k.alloc(T * B).fill(1) as A;
    this.dWih = k.alloc(GH * I);
    this.dWhh = k.alloc(GH * H);
    this.colSum = k.alloc(GH);
  }

  /** Whether this workspace serves `cell` at batch size B for sequences of T steps. */
  fits(cell: GatedCell, B: number, T: number): boolean {
    return cell.kind === this.kind && cell.inputSize === this.I && cell.hiddenSize === this.H && B === this.B && T <= this.maxSteps;
  }

  /** Runs the cell from h_0 = c_0 = 0 over `inputs` (T × B × I); returns h_T (B × H, a view valid until the next call). */
  forward(cell: GatedCell, inputs: ArrayLike<number>, T: number): A {
    if (!this.fits(cell, this.B, T)) throw new ParameterError('cell', `this workspace runs ${this.kind} cells of ${this.I} → ${this.H} units, batch ${this.B}, up to ${this.maxSteps} steps; got ${cell.kind} ${cell.inputSize} → ${cell.hiddenSize}, ${T} steps`);
    const { kernels: k, I, H, B, G } = this;
    const GH = G * H;
    const BH = B * H;
    if (inputs.length !== T * B * I) throw new ParameterError('inputs', `expected T × B × I = ${T} × ${B} × ${I} entries, got ${inputs.length}`);
    const p = cell.params;
    this.Wih.set(p.weightIh);
    this.Whh.set(p.weightHh);
    this.bih.set(p.biasIh);
    this.bhh.set(p.biasHh);
    const Whh = this.Whh;
    const WhhT = this.WhhT;
    for (let r = 0; r < GH; r++) for (let c = 0; c < H; c++) WhhT[c * GH + r] = Whh[r * H + c];
    this.X.set(inputs);
    this.steps = T;
    this.backwardReady = true;
    const view = (a: A, from: number, length: number) => a.subarray(from, from + length) as A;
    k.gemmNT(T * B, GH, I, this.X, this.Wih, 0, this.Ain);
    this.Hs.fill(0, 0, BH);
    if (this.kind === 'lstm') this.Cs.fill(0, 0, BH);
    for (let t = 1; t <= T; t++) {
      const hPrev = view(this.Hs, (t - 1) * BH, BH);
      const h = view(this.Hs, t * BH, BH);
      const ain = view(this.Ain, (t - 1) * B * GH, B * GH);
      const gates = view(this.gates, (t - 1) * B * GH, B * GH);
      k.gemmNN(B, GH, H, hPrev, WhhT, 0, this.Ah);
      if (this.kind === 'lstm') {
        k.lstmForwardStep(B, H, ain, this.Ah, this.bih, this.bhh, view(this.Cs, (t - 1) * BH, BH), gates, view(this.Cs, t * BH, BH), h);
      } else {
        k.gruForwardStep(B, H, ain, this.Ah, this.bih, this.bhh, hPrev, gates, view(this.HN, (t - 1) * BH, BH), h);
      }
    }
    return view(this.Hs, T * BH, BH);
  }

  /** The gate activations of the last forward pass, T × B × GH (blocks as in gatedCell.ts). */
  gateHistory(): A {
    return this.gates.subarray(0, this.steps * this.B * this.G * this.H) as A;
  }

  /** BPTT through the last forward pass, given ∂L/∂h_T (B × H); returns the cell's gradients in float64. */
  backward(dLdHT: ArrayLike<number>): GatedParams {
    const { kernels: k, I, H, B, G, steps: T } = this;
    if (!this.backwardReady) throw new Error('GatedWorkspace.backward: run forward first (once per backward)');
    const GH = G * H;
    const BH = B * H;
    if (dLdHT.length !== BH) throw new ParameterError('dLdHT', `expected B × H = ${B} × ${H} = ${BH} entries, got ${dLdHT.length}`);
    const view = (a: A, from: number, length: number) => a.subarray(from, from + length) as A;
    const DA = this.Ain; // the input products are spent: δA overwrites them step by step
    const DAH = this.kind === 'lstm' ? DA : this.DAH;
    let dh = this.dh;
    let next = this.carried;
    dh.set(dLdHT);
    this.dc.fill(0);
    for (let t = T; t >= 1; t--) {
      const gates = view(this.gates, (t - 1) * B * GH, B * GH);
      const da = view(DA, (t - 1) * B * GH, B * GH);
      if (this.kind === 'lstm') {
        k.lstmBackwardStep(B, H, dh, this.dc, gates, view(this.Cs, (t - 1) * BH, BH), view(this.Cs, t * BH, BH), da);
        if (t > 1) k.gemmNN(B, H, GH, da, this.Whh, 0, next);
      } else {
        const dah = view(DAH, (t - 1) * B * GH, B * GH);
        k.gruBackwardStep(B, H, dh, gates, view(this.Hs, (t - 1) * BH, BH), view(this.HN, (t - 1) * BH, BH), da, dah, next);
        if (t > 1) k.gemmNN(B, H, GH, dah, this.Whh, 1, next);
      }
      [dh, next] = [next, dh];
    }
    const rows = T * B;
    k.gemmTN(GH, I, rows, view(DA, 0, rows * GH), view(this.X, 0, rows * I), 0, this.dWih);
    k.gemmTN(GH, H, rows, view(DAH, 0, rows * GH), view(this.Hs, 0, rows * H), 0, this.dWhh);
    const ones = view(this.ones, 0, rows);
    k.gemmNN(1, GH, rows, ones, view(DA, 0, rows * GH), 0, this.colSum);
    const biasIh = Float64Array.from(this.colSum);
    k.gemmNN(1, GH, rows, ones, view(DAH, 0, rows * GH), 0, this.colSum);
    const biasHh = Float64Array.from(this.colSum);
    this.backwardReady = false; // δA has overwritten the forward products
    return { weightIh: Float64Array.from(this.dWih), weightHh: Float64Array.from(this.dWhh), biasIh, biasHh };
  }
}
