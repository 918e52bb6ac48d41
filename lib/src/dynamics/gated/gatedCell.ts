/**
 * Gated recurrent cells, LSTM and GRU, with exactly PyTorch's equations, gate order and parameter layout (issue 17),
 * so that weights move between this library and `torch.nn.LSTM` / `torch.nn.GRU` unchanged. This file is the
 * definition, sample by sample in float64; gatedWorkspace.ts runs the same equations batched on the engine's kernels
 * (float32 WebAssembly SIMD) and is tested against it; heads, the loss and training are in gatedNetwork.ts.
 *
 * Layout (one layer, unidirectional): `weightIh` is G·H × I, `weightHh` G·H × H, `biasIh` and `biasHh` G·H, row-major,
 * the G gate blocks of H rows stacked in PyTorch's order: LSTM (G = 4) i, f, g, o; GRU (G = 3) r, z, n.
 * Default initialisation as PyTorch: every entry U(−1/√H, 1/√H).
 *
 * Forward, for one sample (σ the logistic function, ⊙ elementwise; a_t = W_ih x_t + b_ih + W_hh h_{t−1} + b_hh):
 *   LSTM  i, f, o = σ(a_i), σ(a_f), σ(a_o);  g = tanh(a_g);  c_t = f ⊙ c_{t−1} + i ⊙ g;  h_t = o ⊙ tanh(c_t)
 *   GRU   r, z = σ(a_r), σ(a_z);  n = tanh(W_in x_t + b_in + r ⊙ (W_hn h_{t−1} + b_hn));  h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}
 * (the GRU's reset gate multiplies the hidden-to-hidden product *including its bias*, as nn.GRU does).
 *
 * Backward (BPTT). Given ∂L/∂h_t from the loss, run t = T … 1 with the adjoints δh (and δc for the LSTM) carried from
 * step t + 1:
 *   LSTM  δh ← δh + ∂L/∂h_t;  δc ← δc + δh ⊙ o ⊙ (1 − tanh² c_t);
 *         δa_i = δc ⊙ g ⊙ i(1 − i);  δa_f = δc ⊙ c_{t−1} ⊙ f(1 − f);  δa_g = δc ⊙ i ⊙ (1 − g²);
 *         δa_o = δh ⊙ tanh(c_t) ⊙ o(1 − o);  carried: δc ← δc ⊙ f,  δh ← W_hhᵀ δa
 *   GRU   δh ← δh + ∂L/∂h_t;  δa_n = δh ⊙ (1 − z) ⊙ (1 − n²);  δa_z = δh ⊙ (h_{t−1} − n) ⊙ z(1 − z);
 *         δa_r = δa_n ⊙ (W_hn h_{t−1} + b_hn) ⊙ r(1 − r);  input side δa = (δa_r, δa_z, δa_n),
 *         hidden side δã = (δa_r, δa_z, δa_n ⊙ r);  carried: δh ← δh ⊙ z + W_hhᵀ δã
 *   both  ∂L/∂W_ih += δa x_tᵀ,  ∂L/∂b_ih += δa,  ∂L/∂W_hh += δã h_{t−1}ᵀ,  ∂L/∂b_hh += δã  (δã = δa for the LSTM)
 */
import { Rng, type Seed } from '../../numerics/rng.js';
import { ParameterError, checkAllocation, checkChoice, checkInteger, firstNonFinite, withDefaults } from '../../numerics/validate.js';

export type GatedCellKind = 'lstm' | 'gru';
export const GATED_CELL_KINDS: readonly GatedCellKind[] = ['lstm', 'gru'];
/** Gate blocks per cell: LSTM i, f, g, o; GRU r, z, n. */
export const GATE_COUNT: Record<GatedCellKind, number> = { lstm: 4, gru: 3 };

export interface GatedCellOptions {
  kind: GatedCellKind;
  inputSize: number;
  hiddenSize: number;
  /** Seed of the U(−1/√H, 1/√H) initialisation. */
  seed: Seed;
}

export const GATED_CELL_DEFAULTS: GatedCellOptions = { kind: 'lstm', inputSize: 1, hiddenSize: 16, seed: 1 };

/** PyTorch's parameter names for layer 0 (weight_ih_l0, …) in this library's camel case. */
export interface GatedParams {
  /** G·H × I */
  weightIh: Float64Array;
  /** G·H × H */
  weightHh: Float64Array;
  /** G·H */
  biasIh: Float64Array;
  /** G·H */
  biasHh: Float64Array;
}

export interface GatedCell {
  kind: GatedCellKind;
  inputSize: number;
  hiddenSize: number;
  params: GatedParams;
}

export const GATED_PARAM_NAMES = ['weightIh', 'weightHh', 'biasIh', 'biasHh'] as const;

/** The shape [rows, columns] of each parameter (biases: [G·H, 1]). */
export function gatedParamShapes(kind: GatedCellKind, inputSize: number, hiddenSize: number): Record<keyof GatedParams, [number, number]> {
  const GH = GATE_COUNT[kind] * hiddenSize;
  return { weightIh: [GH, inputSize], weightHh: [GH, hiddenSize], biasIh: [GH, 1], biasHh: [GH, 1] };
}

/** A cell with PyTorch's default initialisation, every entry U(−1/√H, 1/√H), drawn in the order of GATED_PARAM_NAMES. */
export function createGatedCell(options: Partial<GatedCellOptions> = {}): GatedCell {
  const o = withDefaults('gatedCell', GATED_CELL_DEFAULTS, options);
  checkChoice('gatedCell.kind', o.kind, GATED_CELL_KINDS);
  checkInteger('gatedCell.inputSize', o.inputSize, { min: 1 });
  checkInteger('gatedCell.hiddenSize', o.hiddenSize, { min: 1 });
  const shapes = gatedParamShapes(o.kind, o.inputSize, o.hiddenSize);
  checkAllocation('gatedCell.hiddenSize', shapes.weightHh[0] * (o.inputSize + o.hiddenSize + 2), 8, 'the cell parameters');
  const rng = Rng.stream(o.seed, `gated-cell/${o.kind}`);
  const bound = 1 / Math.sqrt(o.hiddenSize);
  const draw = ([rows, cols]: [number, number]) => Float64Array.from({ length: rows * cols }, () => rng.uniform(-bound, bound));
  const params = { weightIh: draw(shapes.weightIh), weightHh: draw(shapes.weightHh), biasIh: draw(shapes.biasIh), biasHh: draw(shapes.biasHh) };
  return { kind: o.kind, inputSize: o.inputSize, hiddenSize: o.hiddenSize, params };
}

/** Checks a cell's parameters: every array present, of its shape, finite (a NaN weight is named, with its index). */
export function validateGatedCell(cell: GatedCell): void {
  checkChoice('cell.kind', cell.kind, GATED_CELL_KINDS);
  const shapes = gatedParamShapes(cell.kind, cell.inputSize, cell.hiddenSize);
  for (const name of GATED_PARAM_NAMES) {
    const p = cell.params?.[name];
    const [rows, cols] = shapes[name];
    if (!(p instanceof Float64Array)) throw new ParameterError(`cell.params.${name}`, `expected a Float64Array of ${rows} × ${cols}, got ${p === undefined ? 'nothing' : typeof p}`);
    if (p.length !== rows * cols) throw new ParameterError(`cell.params.${name}`, `expected ${rows} × ${cols} = ${rows * cols} entries (${GATE_COUNT[cell.kind]} gates × H = ${cell.hiddenSize}), got ${p.length}`);
    const bad = firstNonFinite(p);
    if (bad >= 0) throw new ParameterError(`cell.params.${name}`, `entry ${bad} is ${p[bad]}; weights must be finite`);
  }
}

/** Everything BPTT needs from a forward pass: states and gate activations at every step. */
export interface GatedTrace {
  steps: number;
  batch: number;
  /** h_t for t = 0 … T (h_0 the initial state): (T + 1) × B × H. */
  h: Float64Array;
  /** LSTM only: c_t for t = 0 … T, (T + 1) × B × H. */
  c: Float64Array | null;
  /** Gate activations after their nonlinearity, T × B × G·H (LSTM i, f, g, o; GRU r, z, n). */
  gates: Float64Array;
  /** GRU only: W_hn h_{t−1} + b_hn, T × B × H (needed for the reset gate's gradient). */
  hiddenN: Float64Array | null;
}

const sigmoid = (a: number) => 1 / (1 + Math.exp(-a));

/**
 * Runs the cell over inputs T × B × I (row-major) from h_0 (and c_0 for the LSTM), zero by default; both B × H.
 * Returns the trace; the outputs h_1 … h_T are `trace.h` from offset B·H.
 */
export function gatedForward(cell: GatedCell, inputs: Float64Array, batch: number, initial: { h?: Float64Array; c?: Float64Array } = {}): GatedTrace {
  validateGatedCell(cell);
  checkInteger('batch', batch, { min: 1 });
  const { inputSize: I, hiddenSize: H, kind } = cell;
  if (!(inputs instanceof Float64Array) || inputs.length % (batch * I) !== 0 || inputs.length === 0) {
    throw new ParameterError('inputs', `expected a Float64Array of T × ${batch} × ${I} entries, got ${inputs?.length}`);
  }
  const T = inputs.length / (batch * I);
  const G = GATE_COUNT[kind];
  const BH = batch * H;
  const h = new Float64Array((T + 1) * BH);
  const c = kind === 'lstm' ? new Float64Array((T + 1) * BH) : null;
  for (const [name, v, target] of [['initial.h', initial.h, h], ['initial.c', initial.c, c]] as const) {
    if (v === undefined) continue;
    if (!(v instanceof Float64Array) || v.length !== BH) throw new ParameterError(name, `expected ${batch} × ${H} = ${BH} entries, got ${v?.length}`);
    if (target) target.set(v);
  }
  const gates = new Float64Array(T * batch * G * H);
  const hiddenN = kind === 'gru' ? new Float64Array(T * BH) : null;
  const { weightIh, weightHh, biasIh, biasHh } = cell.params;
  const ai = new Float64Array(G * H);
  const ah = new Float64Array(G * H);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < batch; b++) {
      const x = t * batch * I + b * I;
      const hp = t * BH + b * H;
      // The two affine maps, kept apart because the GRU's reset gate scales the hidden one.
      for (let r = 0; r < G * H; r++) {
        let si = biasIh[r];
        for (let k = 0; k < I; k++) si += weightIh[r * I + k] * inputs[x + k];
        let sh = biasHh[r];
        for (let k = 0; k < H; k++) sh += weightHh[r * H + k] * h[hp + k];
        ai[r] = si;
        ah[r] = sh;
      }
      const gOut = (t * batch + b) * G * H;
      const hn = (t + 1) * BH + b * H;
      for (let j = 0; j < H; j++) {
        if (kind === 'lstm') {
          const i = sigmoid(ai[j] + ah[j]);
          const f = sigmoid(ai[H + j] + ah[H + j]);
          const g = Math.tanh(ai[2 * H + j] + ah[2 * H + j]);
          const o = sigmoid(ai[3 * H + j] + ah[3 * H + j]);
          const cNew = f * c![hp + j] + i * g;
          c![hn + j] = cNew;
          h[hn + j] = o * Math.tanh(cNew);
          gates[gOut + j] = i;
          gates[gOut + H + j] = f;
          gates[gOut + 2 * H + j] = g;
          gates[gOut + 3 * H + j] = o;
        } else {
          const r = sigmoid(ai[j] + ah[j]);
          const z = sigmoid(ai[H + j] + ah[H + j]);
          const n = Math.tanh(ai[2 * H + j] + r * ah[2 * H + j]);
          h[hn + j] = (1 - z) * n + z * h[hp + j];
          gates[gOut + j] = r;
          gates[gOut + H + j] = z;
          gates[gOut + 2 * H + j] = n;
          hiddenN![t * BH + b * H + j] = ah[2 * H + j];
        }
      }
    }
  }
  return { steps: T, batch, h, c, gates, hiddenN };
}

export interface GatedGradients {
  params: GatedParams;
  /** ∂L/∂x_t, T × B × I; ∂L/∂h_0 (and ∂L/∂c_0), B × H. */
  inputs: Float64Array;
  h0: Float64Array;
  c0: Float64Array | null;
}

/** BPTT through a forward trace (adjoint equations in the header), given ∂L/∂h_t for t = 1 … T, T × B × H. */
export function gatedBackward(cell: GatedCell, inputs: Float64Array, trace: GatedTrace, dLdH: Float64Array): GatedGradients {
  const { inputSize: I, hiddenSize: H, kind } = cell;
  const { steps: T, batch: B } = trace;
  const BH = B * H;
  if (!(dLdH instanceof Float64Array) || dLdH.length !== T * BH) throw new ParameterError('dLdH', `expected T × B × H = ${T} × ${B} × ${H} = ${T * BH} entries, got ${dLdH?.length}`);
  if (inputs.length !== T * B * I) throw new ParameterError('inputs', `expected the forward pass's ${T} × ${B} × ${I} inputs, got ${inputs.length}`);
  const G = GATE_COUNT[kind];
  const GH = G * H;
  const { weightIh, weightHh } = cell.params;
  const grads: GatedParams = {
    weightIh: new Float64Array(GH * I),
    weightHh: new Float64Array(GH * H),
    biasIh: new Float64Array(GH),
    biasHh: new Float64Array(GH),
  };
  const dInputs = new Float64Array(T * B * I);
  const dh = new Float64Array(BH);
  const dc = kind === 'lstm' ? new Float64Array(BH) : null;
  const da = new Float64Array(GH); // input-side pre-activation adjoint
  const dah = new Float64Array(GH); // hidden-side (differs from da in the GRU's n block)
  const carried = new Float64Array(H);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const o = b * H;
      const hp = t * BH + o;
      const hc = (t + 1) * BH + o;
      const gOff = (t * B + b) * GH;
      for (let j = 0; j < H; j++) dh[o + j] += dLdH[t * BH + o + j];
      for (let j = 0; j < H; j++) {
        const d = dh[o + j];
        if (kind === 'lstm') {
          const [i, f, g, og] = [trace.gates[gOff + j], trace.gates[gOff + H + j], trace.gates[gOff + 2 * H + j], trace.gates[gOff + 3 * H + j]];
          const tc = Math.tanh(trace.c![hc + j]);
          const dcj = dc![o + j] + d * og * (1 - tc * tc);
          da[j] = dcj * g * i * (1 - i);
          da[H + j] = dcj * trace.c![hp + j] * f * (1 - f);
          da[2 * H + j] = dcj * i * (1 - g * g);
          da[3 * H + j] = d * tc * og * (1 - og);
          dc![o + j] = dcj * f;
          carried[j] = 0;
        } else {
          const [r, z, n] = [trace.gates[gOff + j], trace.gates[gOff + H + j], trace.gates[gOff + 2 * H + j]];
          const dan = d * (1 - z) * (1 - n * n);
          da[2 * H + j] = dan;
          da[H + j] = d * (trace.h[hp + j] - n) * z * (1 - z);
          da[j] = dan * trace.hiddenN![t * BH + o + j] * r * (1 - r);
          dah[2 * H + j] = dan * r;
          carried[j] = d * z;
        }
      }
      if (kind === 'lstm') dah.set(da);
      else {
        dah.set(da.subarray(0, 2 * H), 0);
      }
      const x = t * B * I + b * I;
      for (let r = 0; r < GH; r++) {
        const a = da[r];
        const ah = dah[r];
        grads.biasIh[r] += a;
        grads.biasHh[r] += ah;
        for (let k = 0; k < I; k++) {
          grads.weightIh[r * I + k] += a * inputs[x + k];
          dInputs[x + k] += weightIh[r * I + k] * a;
        }
        for (let k = 0; k < H; k++) {
          grads.weightHh[r * H + k] += ah * trace.h[hp + k];
          carried[k] += weightHh[r * H + k] * ah;
        }
      }
      for (let j = 0; j < H; j++) dh[o + j] = carried[j];
    }
  }
  return { params: grads, inputs: dInputs, h0: dh, c0: dc };
}
