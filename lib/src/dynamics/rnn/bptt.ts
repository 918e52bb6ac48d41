/**
 * Forward pass and exact gradients by backpropagation through time for the model family of model.ts.
 *
 * Notation (per sample; the code works on B samples at once, rows of [B × N] blocks):
 *   z_t = W r_{t−1} + b + b_in + W_in u_t,   r = φ(s),   a = 1 − dt/τ',   c = dt/τ'
 *   'leak-inside':  p_t = a ⊙ s_{t−1} + c ⊙ z_t,   s_t = f(p_t)
 *   'leak-outside': s_t = a ⊙ s_{t−1} + c ⊙ f(z_t) + √dt σ ξ_t
 *
 * Adjoint equations. λ_t = ∂L/∂s_t (total derivative, through every later step), ē_t = ∂ℓ/∂s_t the direct
 * readout term (ē_t = φ'(s_t) ⊙ W_outᵀ ∂ℓ/∂y_t for a readout of the rate). Starting from λ_T = ē_T:
 *   'leak-inside':  δp_t = λ_t ⊙ f'(p_t);   δz_t = c ⊙ δp_t;   λ_{t−1} = a ⊙ δp_t + φ'(s_{t−1}) ⊙ Wᵀ δz_t + ē_{t−1}
 *                   ∂L/∂τ' += δp_t ⊙ (s_{t−1} − z_t) · dt/τ'²          (∂a/∂τ' = dt/τ'², ∂c/∂τ' = −dt/τ'²)
 *   'leak-outside': δz_t = c ⊙ λ_t ⊙ f'(z_t);   λ_{t−1} = a ⊙ λ_t + φ'(s_{t−1}) ⊙ Wᵀ δz_t + ē_{t−1}
 *                   ∂L/∂τ' += λ_t ⊙ (s_{t−1} − f(z_t)) · dt/τ'²
 * and for both forms
 *   ∂L/∂W = Σ_t δz_t r_{t−1}ᵀ,   ∂L/∂b = ∂L/∂b_in = Σ_t δz_t,   ∂L/∂W_in = Σ_t δz_t u_tᵀ,
 *   ∂L/∂τ = ∂L/∂τ' where τ ≥ tauClamp, else 0 (the clamp's zero gradient, papers/timescales-curriculum-2024/README.md §3.2),
 *   low rank W = W_fixed + U M Uᵀ/N:  ∂L/∂M = Uᵀ (∂L/∂W) U / N  (papers/sequential-interference-2x2/README.md §3.4).
 * Without self-connections W's diagonal is zeroed in the forward pass and its gradient is masked.
 * For the timescales model (f = LeakyReLU, φ = identity, dt = 1) these are exactly the equations of papers/timescales-curriculum-2024/README.md §3.5.
 *
 * The sums over t of outer products are one matrix product each over the T·B stacked rows (δz for all steps is
 * kept), which is where a fast kernel pays most. Only the sequential parts (the W r and Wᵀ δz products) run per step.
 * Equations: the adjoint equations (20)–(27) of papers/intro/README.md.
 */
import type { Rng } from '../../numerics/rng.js';
import { DivergenceError } from '../../numerics/validate.js';
import type { Batch } from '../../tasks/batch.js';
import { checkBatch } from './checkBatch.js';
import type { FloatArray, Kernels } from '../../numerics/kernels/types.js';
import { type Rnn, type ParamName, allocArray, checkRnnParameters } from './model.js';
import { wasmHeadsReadout, type WasmHeadsReadout } from '../../numerics/kernels/wasm.js';
import { LEAKY_SLOPE, applyNonlinearity, multiplyByDerivative } from '../../numerics/nonlinearity.js';

export type Gradients = Partial<Record<ParamName, FloatArray>>;

export interface ForwardResult {
  /** The loss (float64 accumulation). */
  loss: number;
  /** Heads: accuracy of each active head, in the order of batch.activeHeads. */
  headAccuracy?: number[];
  /** Heads: cross-entropy of each active head. */
  headLoss?: number[];
}

export interface GradientResult extends ForwardResult {
  /** ∂L/∂θ for every trainable parameter, in the model's dtype. */
  grads: Gradients;
}

/**
 * Buffers for one model, one kernel backend and one batch size, sized for up to `maxSteps` steps (grown on
 * demand). Reusing a workspace across training steps avoids reallocating the [T × B × N] histories.
 */
export class BpttWorkspace<A extends FloatArray = FloatArray> {
  readonly N: number;
  readonly I: number;
  readonly O: number;
  private capacity = 0;
  // Histories, each [(T+1) × B × N] or [T × B × ...], views into the kernel backend's memory.
  private S!: A; // states s_0…s_T
  private R!: A; // rates r_0…r_T (=== S when φ is the identity)
  private Z!: A; // drives z_1…z_T
  private P!: A; // pre-activations p_1…p_T ('leak-inside')
  private DZ!: A; // δz_1…δz_T
  private E!: A; // readout adjoints ē_1…ē_T (linear readout)
  private U!: A; // inputs u_1…u_T
  private Y!: A; // outputs y_1…y_T (linear readout)
  private DY!: A; // ∂L/∂y_t
  private ones!: A; // T·B ones: column sums as one matrix product (1×TB)·(TB×N)
  private readonly colSum: A;
  // Per-step scratch and weights.
  private readonly lam: A;
  private readonly lamPrev: A;
  private readonly tmp: A;
  private readonly Weff: A;
  private readonly WeffT: A;
  private readonly dWeff: A;
  private readonly Win: A;
  private readonly Wout: A;
  private readonly dWin: A;
  private readonly dWout: A;
  private readonly bias = new Float64Array(0);
  private readonly a: Float64Array;
  private readonly c: Float64Array;
  private readonly tauPrime: Float64Array;
  /** The timescales model (leak inside LeakyReLU, identity rate) runs its elementwise work in fused kernels. */
  private readonly fused: boolean;
  // Per-neuron vectors in the kernel backend's memory and dtype, for the fused kernels.
  private readonly kBias: A;
  private readonly kA: A;
  private readonly kC: A;
  private readonly kDtf: A;
  private readonly kTauStep: A;

  constructor(
    public model: Rnn<A>,
    readonly kernels: Kernels<A>,
    readonly batchSize: number,
    maxSteps = 1,
  ) {
    if (kernels.dtype !== model.dtype) {
      throw new Error(`kernels: backend '${kernels.name}' computes in ${kernels.dtype}, the model is ${model.dtype}`);
    }
    const c = model.config;
    this.N = c.size;
    this.I = c.inputs;
    this.O = c.readout.kind === 'linear' ? c.readout.outputs : 0;
    const N = this.N;
    const B = batchSize;
    this.lam = kernels.alloc(B * N);
    this.lamPrev = kernels.alloc(B * N);
    this.tmp = kernels.alloc(B * N);
    this.Weff = kernels.alloc(N * N);
    this.WeffT = kernels.alloc(N * N);
    this.dWeff = kernels.alloc(N * N);
    this.Win = kernels.alloc(Math.max(1, N * this.I));
    this.dWin = kernels.alloc(Math.max(1, N * this.I));
    this.Wout = kernels.alloc(Math.max(1, this.O * N));
    this.dWout = kernels.alloc(Math.max(1, this.O * N));
    this.bias = new Float64Array(N);
    this.a = new Float64Array(N);
    this.c = new Float64Array(N);
    this.tauPrime = new Float64Array(N);
    this.fused = c.update === 'leak-inside' && c.activation === 'leaky-relu' && c.rate === 'identity';
    this.kBias = kernels.alloc(N);
    this.kA = kernels.alloc(N);
    this.kC = kernels.alloc(N);
    this.kDtf = kernels.alloc(N);
    this.kTauStep = kernels.alloc(N);
    this.colSum = kernels.alloc(Math.max(N, this.O));
    if (c.readout.kind === 'heads' && model.dtype === 'float32') {
      this.headsWasm = wasmHeadsReadout(N, c.readout.heads, c.readout.classes, B);
      if (this.headsWasm) this.logits = this.headsWasm.G; // the forward pass writes the logits where the kernel reads G
    }
    this.ensureCapacity(maxSteps);
  }

  private ensureCapacity(steps: number): void {
    if (steps <= this.capacity) return;
    // Grow geometrically: sequence lengths vary per batch, and the WebAssembly arena never frees.
    const T = this.capacity === 0 ? steps : Math.max(steps, 2 * this.capacity);
    const k = this.kernels;
    const { N, I, O } = this;
    const B = this.batchSize;
    const c = this.model.config;
    this.S = k.alloc((T + 1) * B * N);
    this.R = c.rate === 'identity' ? this.S : k.alloc((T + 1) * B * N);
    this.Z = k.alloc(T * B * N);
    this.P = c.update === 'leak-inside' ? k.alloc(T * B * N) : this.Z;
    this.DZ = k.alloc(T * B * N);
    this.U = k.alloc(Math.max(1, T * B * I));
    this.ones = k.alloc(T * B);
    this.ones.fill(1);
    if (O > 0) {
      this.E = k.alloc(T * B * N);
      this.Y = k.alloc(T * B * O);
      this.DY = k.alloc(T * B * O);
    }
    this.capacity = T;
  }

  /**
   * Points the workspace at another model of the same configuration and dtype (every pass reads the parameters
   * afresh, so this is exact): evaluating many snapshots of one architecture then shares one set of buffers.
   */
  useModel(model: Rnn<A>): void {
    if (model === this.model) return;
    if (model.dtype !== this.model.dtype || JSON.stringify(model.config) !== JSON.stringify(this.model.config)) {
      throw new Error('useModel: the model differs in configuration or dtype from the one this workspace was built for');
    }
    this.model = model;
  }

  /** Effective weights and per-neuron constants from the current parameters (called at every pass). */
  private prepare(): void {
    const { model } = this;
    checkRnnParameters(model); // names a NaN or out-of-range parameter before it can poison a run
    const c = model.config;
    const N = this.N;
    const p = model.params;
    const W = this.Weff;
    if (c.recurrent === 'full') W.set(p.W!);
    else {
      // W = W_fixed + U M Uᵀ / N
      const U = model.fixed.U!;
      const M = p.M!;
      const R = c.rank;
      W.set(model.fixed.Wfixed!);
      const UM = new Float64Array(N * R);
      for (let i = 0; i < N; i++) {
        for (let r = 0; r < R; r++) {
          let s = 0;
          for (let q = 0; q < R; q++) s += U[i * R + q] * M[q * R + r];
          UM[i * R + r] = s / N;
        }
      }
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          let s = 0;
          for (let r = 0; r < R; r++) s += UM[i * R + r] * U[j * R + r];
          W[i * N + j] += s;
        }
      }
    }
    if (!c.selfConnections) for (let i = 0; i < N; i++) W[i * N + i] = 0;
    // Wᵀ once per pass, so that the T per-step products r_{t−1} Wᵀ are plain row-major products (gemmNN).
    const WT = this.WeffT;
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) WT[j * N + i] = W[i * N + j];
    if (this.I > 0) this.Win.set(p.Win!);
    if (this.O > 0) this.Wout.set(p.Wout!);
    const tau = p.tau!;
    for (let i = 0; i < N; i++) {
      const t = c.tauClamp === null ? tau[i] : Math.max(tau[i], c.tauClamp);
      this.tauPrime[i] = t;
      this.c[i] = c.dt / t;
      this.a[i] = 1 - c.dt / t;
      this.bias[i] = p.b![i] + (p.bIn ? p.bIn[i] : 0);
    }
    this.kBias.set(this.bias);
    this.kA.set(this.a);
    this.kC.set(this.c);
  }

  /** Runs the network on a batch and returns the loss; fills the histories used by `backward`. */
  forward(batch: Batch, noise?: Rng): ForwardResult {
    const { model, kernels: k, N, I } = this;
    const c = model.config;
    const B = this.batchSize;
    if (batch.size !== B) throw new Error(`batch.size: this workspace was built for batches of ${B}, got ${batch.size}`);
    checkBatch(batch, c);
    const T = batch.steps;
    this.ensureCapacity(T);
    this.prepare();
    const BN = B * N;
    const { S, R, Z, P, a, c: cc, bias } = this;
    S.set(batch.initialState);
    if (R !== S) applyNonlinearity(c.rate, S, R, BN);
    if (I > 0) this.U.set(batch.inputs);
    const noiseScale = Math.sqrt(c.dt) * c.noiseStd;
    if (noiseScale > 0 && !noise) throw new Error('noise: the model has noiseStd > 0; pass an Rng for the noise');
    for (let t = 1; t <= T; t++) {
      const rPrev = R.subarray((t - 1) * BN, t * BN) as A;
      const z = Z.subarray((t - 1) * BN, t * BN) as A;
      k.gemmNN(B, N, N, rPrev, this.WeffT, 0, z);
      if (I > 0) k.gemmNT(B, N, I, this.U.subarray((t - 1) * B * I, t * B * I) as A, this.Win, 1, z);
      const sPrev = (t - 1) * BN;
      const sNow = t * BN;
      if (this.fused) {
        k.leakyInsideForward(B, N, z, this.kBias, this.kA, this.kC, S.subarray(sPrev, sPrev + BN) as A, P.subarray((t - 1) * BN, t * BN) as A, S.subarray(sNow, sNow + BN) as A);
      } else if (c.update === 'leak-inside') {
        const p = P.subarray((t - 1) * BN, t * BN);
        for (let bi = 0, idx = 0; bi < B; bi++) {
          for (let i = 0; i < N; i++, idx++) {
            z[idx] += bias[i];
            p[idx] = a[i] * S[sPrev + idx] + cc[i] * z[idx];
          }
        }
        applyNonlinearity(c.activation, p, S.subarray(sNow, sNow + BN), BN);
      } else {
        const s = S.subarray(sNow, sNow + BN);
        for (let bi = 0, idx = 0; bi < B; bi++) for (let i = 0; i < N; i++, idx++) z[idx] += bias[i];
        applyNonlinearity(c.activation, z, s, BN);
        for (let bi = 0, idx = 0; bi < B; bi++) {
          for (let i = 0; i < N; i++, idx++) s[idx] = a[i] * S[sPrev + idx] + cc[i] * s[idx];
        }
        if (noiseScale > 0) for (let idx = 0; idx < BN; idx++) s[idx] += noiseScale * noise!.normal();
      }
      if (R !== S) applyNonlinearity(c.rate, S.subarray(sNow, sNow + BN), R.subarray(sNow, sNow + BN), BN);
    }
    const last = S.subarray(T * BN, (T + 1) * BN);
    for (let i = 0; i < BN; i++) {
      if (!Number.isFinite(last[i])) throw new DivergenceError('forward pass', T, `state of sample ${Math.floor(i / N)}, unit ${i % N} is ${last[i]}`);
    }
    const result = c.readout.kind === 'linear' ? this.linearLoss(batch) : this.headsLoss(batch);
    if (!Number.isFinite(result.loss)) throw new DivergenceError('loss', T, `loss is ${result.loss}`);
    return result;
  }

  /** A copy of the states s_0…s_T of the last forward pass of `steps` steps: [(T+1) × B × N]. */
  stateHistory(steps: number): Float64Array {
    if (!Number.isInteger(steps) || steps < 0 || steps > this.capacity) throw new RangeError(`steps: must lie in [0, ${this.capacity}]`);
    return Float64Array.from(this.S.subarray(0, (steps + 1) * this.batchSize * this.N));
  }

  /** The readout source q_t (rate or state) for t = 1…T as one [T·B × N] block. */
  private readoutSource(T: number): A {
    const c = this.model.config;
    const BN = this.batchSize * this.N;
    const src = c.readout.from === 'rate' ? this.R : this.S;
    return src.subarray(BN, (T + 1) * BN) as A;
  }

  private linearLoss(batch: Batch): ForwardResult {
    const r = this.model.config.readout;
    if (r.kind !== 'linear') throw new Error('unreachable');
    const { N, O } = this;
    const B = this.batchSize;
    const T = batch.steps;
    const Y = this.Y;
    const DY = this.DY;
    const bOut = this.model.params.bOut!;
    this.kernels.gemmNT(T * B, O, N, this.readoutSource(T), this.Wout, 0, Y);
    const targets = batch.targets!;
    const mask = batch.mask!;
    let sum = 0;
    let entries = 0;
    let stepPairs = 0;
    for (let tb = 0; tb < T * B; tb++) {
      let any = false;
      for (let o = 0; o < O; o++) {
        const idx = tb * O + o;
        Y[idx] += bOut[o];
        const w = mask[idx];
        const e = Y[idx] - targets[idx];
        DY[idx] = w * e; // scaled below
        if (w !== 0) {
          sum += w * e * e;
          entries++;
          any = true;
        }
      }
      if (any) stepPairs++;
    }
    const D = Math.max(1, r.lossNormalization === 'entries' ? entries : stepPairs);
    const scale = (2 * r.lossFactor) / D;
    for (let i = 0; i < T * B * O; i++) DY[i] *= scale;
    return { loss: (r.lossFactor * sum) / D };
  }

  /**
   * Logits of head k for the B rows of q: out[b·C + j] = c_kj + Σ_i V_kj,i q_b,i, each sum in float64 in ascending i.
   * Four rows at a time: four independent sums per pass over V's row (a single running sum waits on its own add at
   * every term); each sum keeps its order, so the bits are those of one row at a time.
   */
  private headsLogits(k: number, q: A, out: Float64Array, outOffset: number): void {
    const r = this.model.config.readout;
    if (r.kind !== 'heads') throw new Error('unreachable');
    const { N } = this;
    const C = r.classes;
    const V = this.model.params.V!;
    const cb = this.model.params.c!;
    const B = this.batchSize;
    for (let j = 0; j < C; j++) {
      const vOff = (k * C + j) * N;
      const bias = cb[k * C + j];
      let b = 0;
      for (; b + 4 <= B; b += 4) {
        const q0 = b * N;
        let s0 = bias;
        let s1 = bias;
        let s2 = bias;
        let s3 = bias;
        for (let i = 0; i < N; i++) {
          const v = V[vOff + i];
          s0 += v * q[q0 + i];
          s1 += v * q[q0 + N + i];
          s2 += v * q[q0 + 2 * N + i];
          s3 += v * q[q0 + 3 * N + i];
        }
        out[outOffset + b * C + j] = s0;
        out[outOffset + (b + 1) * C + j] = s1;
        out[outOffset + (b + 2) * C + j] = s2;
        out[outOffset + (b + 3) * C + j] = s3;
      }
      for (; b < B; b++) {
        let s = bias;
        for (let i = 0; i < N; i++) s += V[vOff + i] * q[b * N + i];
        out[outOffset + b * C + j] = s;
      }
    }
  }

  /** Softmax in place over each row of C logits. */
  private static softmaxRows(x: Float64Array, offset: number, rows: number, C: number): void {
    for (let b = 0; b < rows; b++) {
      const o = offset + b * C;
      let m = -Infinity;
      for (let j = 0; j < C; j++) m = Math.max(m, x[o + j]);
      let z = 0;
      for (let j = 0; j < C; j++) z += x[o + j] = Math.exp(x[o + j] - m);
      for (let j = 0; j < C; j++) x[o + j] /= z;
    }
  }

  /** The last forward pass's logits, [active head × B × C] in the order of batch.activeHeads (reused by the backward pass). */
  private logits = new Float64Array(0);
  /** Float32 models: the heads readout's backward pass in WebAssembly (the same bits as the loops below). */
  private headsWasm: WasmHeadsReadout | null = null;

  private headsLoss(batch: Batch): ForwardResult {
    const r = this.model.config.readout;
    if (r.kind !== 'heads') throw new Error('unreachable');
    const B = this.batchSize;
    const C = r.classes;
    const q = this.readoutSource(batch.steps).subarray((batch.steps - 1) * B * this.N) as A;
    const active = batch.activeHeads!;
    if (this.logits.length < active.length * B * C) this.logits = new Float64Array(active.length * B * C);
    const logits = this.logits;
    let loss = 0;
    const headLoss: number[] = [];
    const headAccuracy: number[] = [];
    active.forEach((k, h) => {
      const off = h * B * C;
      this.headsLogits(k, q, logits, off);
      let ce = 0;
      let correct = 0;
      for (let b = 0; b < B; b++) {
        const y = batch.labels![k * B + b];
        const o = off + b * C;
        let m = -Infinity;
        let arg = 0;
        for (let j = 0; j < C; j++) if (logits[o + j] > m) { m = logits[o + j]; arg = j; }
        let z = 0;
        for (let j = 0; j < C; j++) z += Math.exp(logits[o + j] - m);
        ce += -(logits[o + y] - m - Math.log(z));
        if (arg === y) correct++;
      }
      headLoss.push(ce / B);
      headAccuracy.push(correct / B);
      loss += ce / B;
    });
    return { loss, headLoss, headAccuracy };
  }

  /** Loss and exact gradients of every trainable parameter (runs `forward` first). */
  gradients(batch: Batch, noise?: Rng): GradientResult {
    const result = this.forward(batch, noise);
    const grads = this.backward(batch);
    return { ...result, grads };
  }

  private backward(batch: Batch): Gradients {
    const { model, kernels: k, N, I, O } = this;
    const c = model.config;
    const B = this.batchSize;
    const T = batch.steps;
    const BN = B * N;
    const { S, R, Z, P, DZ, a, c: cc, tauPrime } = this;
    const grads: Gradients = {};
    const trainable = new Set(model.specs.filter((s) => s.trainable).map((s) => s.name));
    const fromRate = c.readout.from === 'rate';
    let lam = this.lam;
    let lamPrev = this.lamPrev;

    // Readout adjoints ē_t.
    if (c.readout.kind === 'linear') {
      k.gemmNN(T * B, N, O, this.DY, this.Wout, 0, this.E);
      if (fromRate) multiplyByDerivative(c.rate, S.subarray(BN, (T + 1) * BN), this.E, T * BN);
      lam.set(this.E.subarray((T - 1) * BN, T * BN));
      if (trainable.has('Wout')) {
        k.gemmTN(O, N, T * B, this.DY, this.readoutSource(T), 0, this.dWout);
        grads.Wout = copyOut(model.dtype, this.dWout, O * N);
      }
      if (trainable.has('bOut')) grads.bOut = this.columnSums(this.DY, T * B, O);
    } else {
      this.headsBackward(batch, lam, grads, trainable);
      if (fromRate) multiplyByDerivative(c.rate, S.subarray(T * BN, (T + 1) * BN), lam, BN);
    }

    const dTau = new Float64Array(N);
    const dtFactor = new Float64Array(N);
    for (let i = 0; i < N; i++) dtFactor[i] = c.dt / (tauPrime[i] * tauPrime[i]);
    this.kDtf.set(dtFactor);
    const tauStep = this.kTauStep;
    const fz = c.update === 'leak-outside' ? this.tmp : null;
    for (let t = T; t >= 1; t--) {
      const z = Z.subarray((t - 1) * BN, t * BN);
      const dz = DZ.subarray((t - 1) * BN, t * BN) as A;
      const sPrev = (t - 1) * BN;
      if (this.fused) {
        k.leakyInsideBackward(B, N, lam, P.subarray((t - 1) * BN, t * BN) as A, S.subarray(sPrev, sPrev + BN) as A, z as A, this.kA, this.kC, this.kDtf, dz, tauStep, lamPrev);
        for (let i = 0; i < N; i++) dTau[i] += tauStep[i]; // per-step partial sums, accumulated in float64
      } else if (c.update === 'leak-inside') {
        const p = P.subarray((t - 1) * BN, t * BN);
        // λ becomes δp in place.
        if (c.activation === 'leaky-relu') {
          for (let idx = 0; idx < BN; idx++) if (!(p[idx] > 0)) lam[idx] *= LEAKY_SLOPE;
        } else multiplyByDerivative(c.activation, p, lam, BN);
        for (let bi = 0, idx = 0; bi < B; bi++) {
          for (let i = 0; i < N; i++, idx++) {
            const dp = lam[idx];
            dz[idx] = cc[i] * dp;
            dTau[i] += dp * (S[sPrev + idx] - z[idx]) * dtFactor[i];
            lamPrev[idx] = a[i] * dp;
          }
        }
      } else {
        applyNonlinearity(c.activation, z, fz!, BN);
        for (let bi = 0, idx = 0; bi < B; bi++) {
          for (let i = 0; i < N; i++, idx++) {
            const l = lam[idx];
            dz[idx] = cc[i] * l;
            dTau[i] += l * (S[sPrev + idx] - fz![idx]) * dtFactor[i];
            lamPrev[idx] = a[i] * l;
          }
        }
        multiplyByDerivative(c.activation, z, dz, BN);
      }
      if (t > 1) {
        // λ_{t−1} += φ'(s_{t−1}) ⊙ Wᵀ δz_t + ē_{t−1}; in row form Wᵀ δz is the row δz · W.
        const wz = this.tmp;
        k.gemmNN(B, N, N, dz, this.Weff, 0, wz);
        if (R !== S) multiplyByDerivative(c.rate, S.subarray(sPrev, sPrev + BN), wz, BN);
        k.addInPlace(BN, wz, lamPrev);
        if (c.readout.kind === 'linear') {
          const e = this.E;
          const off = (t - 2) * BN;
          for (let idx = 0; idx < BN; idx++) lamPrev[idx] += e[off + idx];
        }
      }
      const swap = lam;
      lam = lamPrev;
      lamPrev = swap;
    }

    // Sums over time as single products over the T·B stacked rows.
    const dzAll = DZ.subarray(0, T * BN) as A;
    if (trainable.has('W') || trainable.has('M')) {
      k.gemmTN(N, N, T * B, dzAll, R.subarray(0, T * BN) as A, 0, this.dWeff);
      const dW = this.dWeff;
      if (!c.selfConnections) for (let i = 0; i < N; i++) dW[i * N + i] = 0;
      if (c.recurrent === 'full') grads.W = copyOut(model.dtype, dW, N * N);
      else grads.M = lowRankGradient(model, dW);
    }
    if (I > 0 && trainable.has('Win')) {
      k.gemmTN(N, I, T * B, dzAll, this.U.subarray(0, T * B * I) as A, 0, this.dWin);
      grads.Win = copyOut(model.dtype, this.dWin, N * I);
    }
    if (trainable.has('b') || trainable.has('bIn')) {
      const db = this.columnSums(dzAll, T * B, N);
      if (trainable.has('b')) grads.b = db;
      if (trainable.has('bIn') && model.params.bIn) grads.bIn = db.slice();
    }
    if (trainable.has('tau')) {
      const g = allocArray(model.dtype, N);
      const tau = model.params.tau!;
      for (let i = 0; i < N; i++) g[i] = c.tauClamp === null || tau[i] >= c.tauClamp ? dTau[i] : 0;
      grads.tau = g;
    }
    for (const [name, g] of Object.entries(grads)) {
      const bad = firstBad(g!);
      if (bad >= 0) throw new DivergenceError(`gradient of ${name}`, T, `entry ${bad} is ${g![bad]}`);
    }
    return grads;
  }

  /** Column sums of a [rows × cols] block (rows ≤ T·B), as the product onesᵀ X on the kernel backend. */
  private columnSums(X: A, rows: number, cols: number): FloatArray {
    this.kernels.gemmNN(1, cols, rows, this.ones, X, 0, this.colSum);
    return copyOut(this.model.dtype, this.colSum, cols);
  }

  /**
   * Cross-entropy gradients of the active heads from the forward pass's logits; writes ∂L/∂q_T into `dq`.
   *   G = (softmax − onehot) / B per head,  ∂L/∂c_kj = Σ_b G_bj,  ∂L/∂V_kj = Σ_b G_bj q_b,  ∂L/∂q_b = Σ_(k,j) G_bj V_kj.
   * Every sum runs in the order of the loops it replaces (∂L/∂q over heads in the batch's order, then classes; ∂V and
   * ∂c over b; ∂V and ∂c accumulated in the model's dtype), so the bits do not depend on how the loops are nested.
   */
  private headsBackward(batch: Batch, dq: A, grads: Gradients, trainable: Set<ParamName>): void {
    const r = this.model.config.readout;
    if (r.kind !== 'heads') throw new Error('unreachable');
    const { N, model } = this;
    const B = this.batchSize;
    const C = r.classes;
    const T = batch.steps;
    const q = this.readoutSource(T).subarray((T - 1) * B * N) as A;
    const V = model.params.V!;
    const dV = trainable.has('V') ? allocArray(model.dtype, V.length) : null;
    const dc = trainable.has('c') ? allocArray(model.dtype, r.heads * C) : null;
    const active = batch.activeHeads!;
    const g = this.logits; // becomes G in place, [active head × B × C]
    const hw = this.headsWasm;
    active.forEach((k, h) => {
      const off = h * B * C;
      BpttWorkspace.softmaxRows(g, off, B, C);
      for (let b = 0; b < B; b++) {
        g[off + b * C + batch.labels![k * B + b]] -= 1;
        for (let j = 0; j < C; j++) g[off + b * C + j] /= B;
      }
      if (hw) return; // ∂V, ∂c and ∂q below in one WebAssembly pass
      for (let j = 0; j < C; j++) {
        const kj = k * C + j;
        if (dc) for (let b = 0; b < B; b++) dc[kj] += g[off + b * C + j];
        if (dV) {
          const vOff = kj * N;
          for (let b = 0; b < B; b++) {
            const gj = g[off + b * C + j];
            for (let i = 0; i < N; i++) dV[vOff + i] += gj * q[b * N + i];
          }
        }
      }
    });
    const H = active.length;
    if (hw) {
      hw.V.set(V);
      hw.q.set(q);
      for (let h = 0; h < H; h++) hw.kc[h] = active[h] * C;
      hw.backward(H, dV !== null || dc !== null);
      dq.set(hw.dq);
      if (dV) dV.set(hw.dV);
      if (dc) dc.set(hw.dc);
      if (dV) grads.V = dV;
      if (dc) grads.c = dc;
      return;
    }
    // ∂L/∂q_b,i = Σ over (active head, class) in order; four units at a time, each its own running sum.
    for (let b = 0; b < B; b++) {
      const qOff = b * N;
      let i = 0;
      for (; i + 4 <= N; i += 4) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let h = 0; h < H; h++) {
          const gOff = h * B * C + b * C;
          const kC = active[h] * C;
          for (let j = 0; j < C; j++) {
            const gj = g[gOff + j];
            const vOff = (kC + j) * N + i;
            s0 += gj * V[vOff];
            s1 += gj * V[vOff + 1];
            s2 += gj * V[vOff + 2];
            s3 += gj * V[vOff + 3];
          }
        }
        dq[qOff + i] = s0;
        dq[qOff + i + 1] = s1;
        dq[qOff + i + 2] = s2;
        dq[qOff + i + 3] = s3;
      }
      for (; i < N; i++) {
        let s = 0;
        for (let h = 0; h < H; h++) {
          const kC = active[h] * C;
          for (let j = 0; j < C; j++) s += g[h * B * C + b * C + j] * V[(kC + j) * N + i];
        }
        dq[qOff + i] = s;
      }
    }
    if (dV) grads.V = dV;
    if (dc) grads.c = dc;
  }
}

function copyOut(dtype: Rnn['dtype'], src: FloatArray, n: number): FloatArray {
  const out = allocArray(dtype, n);
  out.set(src.subarray(0, n));
  return out;
}


/** ∂L/∂M = Uᵀ (∂L/∂W) U / N. */
function lowRankGradient(model: Rnn, dW: FloatArray): FloatArray {
  const N = model.config.size;
  const R = model.config.rank;
  const U = model.fixed.U!;
  const dWU = new Float64Array(N * R);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const w = dW[i * N + j];
      if (w === 0) continue;
      for (let r = 0; r < R; r++) dWU[i * R + r] += w * U[j * R + r];
    }
  }
  const dM = allocArray(model.dtype, R * R);
  for (let q = 0; q < R; q++) {
    for (let r = 0; r < R; r++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += U[i * R + q] * dWU[i * R + r];
      dM[q * R + r] = s / N;
    }
  }
  return dM;
}

function firstBad(a: FloatArray): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

