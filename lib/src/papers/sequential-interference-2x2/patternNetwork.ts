/**
 * Finite rate networks for the sequential fixed-point task (README §3.1 (a), (b)), built on
 * the training engine: dx/dt = −x + W φ(x) + U b(t) with φ = erf(√π x/2), Euler dt = 0.2, readouts z = Uᵀx / N
 * (fixed), patterns U = [m_A, m_B] = √N × orthonormal columns, and W = gJ + U M Uᵀ/N (only M trained, '2x2') or
 * W = gJ + ΔW (all N² entries trained, 'full'). Each gradient step uses the single +1 trial of the task, which is
 * the exact gradient of the ± pair (odd φ, no bias, no noise; README §3.4).
 * Equations: (1)–(6), (21)–(23) of README.md.
 */
import { LuDecomposition, Matrix } from 'ml-matrix';
import { Rng } from '../../numerics/rng.js';
import type { FixedPointTrial } from '../../tasks/fixedPointMemoryTask.js';
import type { Batch } from '../../tasks/batch.js';
import { BpttWorkspace } from '../../dynamics/rnn/bptt.js';
import { referenceKernels } from '../../numerics/kernels/reference.js';
import { fastKernels } from '../../numerics/kernels/select.js';
import type { Dtype, Kernels } from '../../numerics/kernels/types.js';
import type { Nonlinearity } from '../../numerics/nonlinearity.js';
import { createRnn, orthogonalColumns, type Rnn } from '../../dynamics/rnn/model.js';
import type { SequentialLearner } from './sequentialTraining.js';
import { checkChoice, checkInteger, checkNumber, DivergenceError, ParameterError, withDefaults } from '../../numerics/validate.js';

/**
 * '2x2': W = gJ + U M Uᵀ/N; 'full': W = gJ + ΔW; 'g-basis': W = gJ + L M Rᵀ/N with the g-dependent basis of the
 * NeurIPS 2020 analysis (S5b variant 4), R = (I − gJ)⁻¹U and L = (I − gJ)⁻ᵀU (columns rescaled to squared norm N): the
 * directions in which the linearised network responds to, and reads out, the patterns.
 */
export type Plasticity = '2x2' | 'full' | 'g-basis';

export interface PatternNetworkOptions {
  /** Network size N (README §3.3: 128 full, 64 quick). */
  size: number;
  /** Gain g of the fixed random part gJ, J_ij ~ N(0, 1/N). */
  gain: number;
  plasticity: Plasticity;
  /** Euler step (must match the task's). */
  dt: number;
  /** 'float32' trains through the WebAssembly SIMD kernels (~10x faster at N = 128, batch 1); 'float64' through the
   * reference kernels (exact reference; the tests check that both give the same interference). */
  dtype: Dtype;
  /** σ of the hidden-state noise √dt σ ξ during training (README §3.3: 0; option 0.2 as in eLife). Losses used for the
   * interference index are always evaluated noise-free. */
  noiseStd: number;
  /** φ: erf(√π x/2) (README §3.1), or a variant such as 'double-tanh' (low gain at the origin, S5b variant 2). */
  rate: Nonlinearity;
  /** Overlap c = m_Aᵀm_B / N of the two patterns (README §4.1 option, after the authors' generator); 0 = orthogonal. */
  patternCorrelation: number;
  seed: number;
}

export const PATTERN_NETWORK_DEFAULTS: PatternNetworkOptions = { size: 128, gain: 0, plasticity: 'full', dt: 0.2, dtype: 'float32', noiseStd: 0, rate: 'erf', patternCorrelation: 0, seed: 1 };

export interface PatternNetwork {
  options: PatternNetworkOptions;
  model: Rnn;
  kernels: Kernels;
  /** Patterns U (N × 2, row-major), ‖m_c‖² = N. */
  U: Float64Array;
  /** The fixed random part gJ (N × N). */
  W0: Float64Array;
  /** 'g-basis' only: the bases L, R (N × 2) and the trained 2×2 matrix M of W = gJ + L M Rᵀ/N. */
  basis?: { left: Float64Array; right: Float64Array };
  basisM?: Float64Array;
}

/** The options of a pattern network, complete and checked (ParameterError naming the option otherwise). */
export function validatePatternNetwork(options: Partial<PatternNetworkOptions> = {}): PatternNetworkOptions {
  const o = withDefaults('patternNetwork', PATTERN_NETWORK_DEFAULTS, options);
  checkInteger('patternNetwork.size', o.size, { min: 2, max: 4096 });
  checkNumber('patternNetwork.gain', o.gain, { min: 0, max: 10 });
  checkChoice('patternNetwork.plasticity', o.plasticity, ['2x2', 'full', 'g-basis']);
  checkNumber('patternNetwork.dt', o.dt, { min: 0, exclusiveMin: true, max: 1 });
  checkChoice('patternNetwork.dtype', o.dtype, ['float32', 'float64']);
  checkNumber('patternNetwork.noiseStd', o.noiseStd, { min: 0, max: 10 });
  checkChoice('patternNetwork.rate', o.rate, ['erf', 'tanh', 'double-tanh']);
  checkNumber('patternNetwork.patternCorrelation', o.patternCorrelation, { min: 0, max: 1, exclusiveMax: true });
  return o;
}

export function createPatternNetwork(options: Partial<PatternNetworkOptions> = {}): PatternNetwork {
  const o = validatePatternNetwork(options);
  const N = o.size;
  const model = createRnn(
    {
      size: N, inputs: 2, update: 'leak-outside', activation: 'identity', rate: o.rate, dt: o.dt, tauClamp: null, tauInit: 1,
      recurrent: o.plasticity === '2x2' ? 'low-rank' : 'full', rank: 2, recurrentInit: 'gaussian', gain: o.gain,
      selfConnections: true, inputBias: false, readoutInit: 'zero', noiseStd: o.noiseStd,
      readout: { kind: 'linear', outputs: 2, from: 'state', lossFactor: 0.5, lossNormalization: 'steps' },
      trainable: { W: true, M: true, b: false, Win: false, tau: false, Wout: false, bOut: false },
    },
    { seed: o.seed, dtype: o.dtype },
  );
  const U = correlatePatterns(orthogonalColumns('float64', N, 2, Rng.stream(o.seed, 'patterns')) as Float64Array, o.patternCorrelation);
  const W0 = Float64Array.from(model.params.W ?? model.fixed.Wfixed!);
  if (o.plasticity === '2x2') model.fixed.U!.set(U);
  // Inputs enter along the patterns (W_in = U) and the readouts are the pattern coordinates (W_out = Uᵀ/N).
  model.params.Win!.set(U);
  const Wout = model.params.Wout!;
  for (let c = 0; c < 2; c++) for (let i = 0; i < N; i++) Wout[c * N + i] = U[i * 2 + c] / N;
  const kernels = o.dtype === 'float32' ? fastKernels() : referenceKernels('float64');
  const net: PatternNetwork = { options: o, model, kernels, U, W0 };
  if (o.plasticity === 'g-basis') {
    net.basis = gDependentBasis(W0, U, N);
    net.basisM = new Float64Array(4);
  }
  return net;
}

/**
 * Correlated patterns (README §4.1, after the authors' generator): m_B ← c m_A + √(1 − c²) m_B, then both rotated by
 * π/4 − arccos(c)/2 inside their plane, so that they sit symmetrically about the diagonal with overlap c. c = 0 leaves
 * U unchanged. U is N × 2 row-major with orthogonal columns of squared norm N.
 */
export function correlatePatterns(U: Float64Array, c: number): Float64Array {
  if (c === 0) return U;
  const theta = Math.acos(c);
  const delta = Math.PI / 4 - theta / 2;
  const [a0, a1] = [Math.cos(delta), Math.sin(delta)];
  const [b0, b1] = [Math.cos(theta + delta), Math.sin(theta + delta)];
  const out = new Float64Array(U.length);
  for (let i = 0; i < U.length / 2; i++) {
    const e1 = U[2 * i];
    const e2 = U[2 * i + 1];
    out[2 * i] = a0 * e1 + a1 * e2;
    out[2 * i + 1] = b0 * e1 + b1 * e2;
  }
  return out;
}

/** R = (I − W₀)⁻¹U and L = (I − W₀)⁻ᵀU, each column rescaled to squared norm N (N × 2, row-major). */
function gDependentBasis(W0: Float64Array, U: Float64Array, N: number): { left: Float64Array; right: Float64Array } {
  const A = new Matrix(N, N);
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) A.set(i, j, (i === j ? 1 : 0) - W0[i * N + j]);
  const Um = new Matrix(N, 2);
  for (let i = 0; i < N; i++) for (let c = 0; c < 2; c++) Um.set(i, c, U[2 * i + c]);
  const lu = new LuDecomposition(A);
  if (lu.isSingular()) throw new ParameterError('patternNetwork.gain', 'I − gJ is singular: the g-dependent basis needs an invertible I − gJ');
  const right = lu.solve(Um);
  const left = new LuDecomposition(A.transpose()).solve(Um);
  const pack = (m: Matrix) => {
    const out = new Float64Array(N * 2);
    for (let c = 0; c < 2; c++) {
      let sq = 0;
      for (let i = 0; i < N; i++) sq += m.get(i, c) ** 2;
      const scale = Math.sqrt(N / sq);
      for (let i = 0; i < N; i++) out[2 * i + c] = m.get(i, c) * scale;
    }
    return out;
  };
  return { left: pack(left), right: pack(right) };
}

/** One sample of a training batch: a trial, the sign of its pulse (and targets), and its weight in the loss. */
export interface WeightedTrial {
  trial: FixedPointTrial;
  sign: 1 | -1;
  weight: number;
}

/**
 * The engine batch of κ-space trials (all of one length): x(0) = s U κ(0), inputs u_t = s b_{t−1}, targets s ẑ and the
 * output mask times the sample's weight on the window.
 */
export function trialsBatch(net: PatternNetwork, samples: readonly WeightedTrial[]): Batch {
  const N = net.options.size;
  const B = samples.length;
  const T = samples[0].trial.steps;
  if (samples.some((x) => x.trial.steps !== T)) throw new ParameterError('samples', 'every trial of a batch must have the same length');
  const initialState = new Float64Array(B * N);
  const inputs = new Float64Array(T * B * 2);
  const targets = new Float64Array(T * B * 2);
  const mask = new Float64Array(T * B * 2);
  samples.forEach(({ trial, sign, weight }, b) => {
    for (let i = 0; i < N; i++) initialState[b * N + i] = sign * (net.U[2 * i] * trial.initial[0] + net.U[2 * i + 1] * trial.initial[1]);
    for (let t = 1; t <= T; t++) {
      for (let o = 0; o < 2; o++) {
        const idx = ((t - 1) * B + b) * 2 + o;
        inputs[idx] = sign * trial.input[(t - 1) * 2 + o];
        if (t < trial.windowStart) continue;
        targets[idx] = sign * trial.target[o];
        mask[idx] = weight * trial.outputMask[o];
      }
    }
  });
  return { steps: T, size: B, inputs, initialState, targets, mask };
}

/** The engine batch of one +1 trial (the exact gradient of the ± pair for a noise-free network). */
export function trialBatch(net: PatternNetwork, trial: FixedPointTrial): Batch {
  return trialsBatch(net, [{ trial, sign: 1, weight: 1 }]);
}

/** A catch trial (README §4.1): no pulse, no input, both outputs trained to 0 on the window. */
export function catchTrial(like: FixedPointTrial): FixedPointTrial {
  return { ...like, initial: new Float64Array(2), input: new Float64Array(like.input.length), inputSteps: 0, target: new Float64Array(2), outputMask: Float64Array.of(1, 1) };
}

/** Lᵀ A R / N (2 × 2, row-major) for an N × N matrix A and N × 2 bases L, R: A in pattern coordinates. */
export function projectToPair(A: ArrayLike<number>, L: ArrayLike<number>, R: ArrayLike<number>, N: number): Float64Array {
  const out = new Float64Array(4);
  for (let i = 0; i < N; i++) {
    let r0 = 0;
    let r1 = 0;
    for (let j = 0; j < N; j++) {
      const aij = A[i * N + j];
      r0 += aij * R[2 * j];
      r1 += aij * R[2 * j + 1];
    }
    out[0] += L[2 * i] * r0;
    out[1] += L[2 * i] * r1;
    out[2] += L[2 * i + 1] * r0;
    out[3] += L[2 * i + 1] * r1;
  }
  for (let k = 0; k < 4; k++) out[k] /= N;
  return out;
}

/** base + L M Rᵀ / N (N × N, row-major) for a 2 × 2 M and N × 2 bases L, R; `base` null means zero. */
export function expandFromPair(base: ArrayLike<number> | null, L: ArrayLike<number>, M: ArrayLike<number>, R: ArrayLike<number>, N: number): Float64Array {
  const W = base ? Float64Array.from(base) : new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    const a0 = L[2 * i] * M[0] + L[2 * i + 1] * M[2];
    const a1 = L[2 * i] * M[1] + L[2 * i + 1] * M[3];
    for (let j = 0; j < N; j++) W[i * N + j] += (a0 * R[2 * j] + a1 * R[2 * j + 1]) / N;
  }
  return W;
}

/** Effective pattern matrix M_eff = UᵀWU/N (for the 2×2 model this is M + UᵀgJU/N). */
export function effectivePatternMatrix(net: PatternNetwork): Float64Array {
  return projectToPair(currentRecurrent(net), net.U, net.U, net.options.size);
}

/** The recurrent matrix W (N × N) as the network uses it. */
export function currentRecurrent(net: PatternNetwork): Float64Array {
  const { model, U, W0 } = net;
  if (model.params.W) return Float64Array.from(model.params.W);
  return expandFromPair(W0, U, model.params.M!, U, net.options.size);
}

/** The same model without hidden-state noise, sharing the parameter arrays (for noise-free evaluation). */
function quietModel(net: PatternNetwork): Rnn {
  return { ...net.model, config: { ...net.model.config, noiseStd: 0 } };
}

/** κ trajectory ((K+1) × 2) of a trial of any length, noise-free (also for a network trained with noise). */
export function patternTrajectory(net: PatternNetwork, trial: FixedPointTrial): Float64Array {
  const ws = new BpttWorkspace(quietModel(net), net.kernels, 1, trial.steps);
  ws.forward(trialBatch(net, trial));
  const states = ws.stateHistory(trial.steps);
  const N = net.options.size;
  const kappa = new Float64Array((trial.steps + 1) * 2);
  for (let t = 0; t <= trial.steps; t++) {
    for (let i = 0; i < N; i++) {
      const x = states[t * N + i];
      kappa[2 * t] += (net.U[2 * i] * x) / N;
      kappa[2 * t + 1] += (net.U[2 * i + 1] * x) / N;
    }
  }
  return kappa;
}

export interface LearnerOptions {
  /** Plain gradient-descent rate (README §3.3: 0.1). */
  lr: number;
  /** Add a catch trial to every step, weighted 0.25 (README §4.1). */
  catchTrials: boolean;
  /** Seed of the training noise (used when the network has noiseStd > 0). */
  noiseSeed: number;
}

export const LEARNER_DEFAULTS: LearnerOptions = { lr: 0.1, catchTrials: false, noiseSeed: 1 };

/**
 * A pattern network as a sequential learner: plain full-batch gradient descent. Noise-free and without catch trials,
 * each step uses the single +1 trial (exact, README §3.4). With training noise or catch trials it uses the ± pair (and
 * the catch trial) with weights that keep the loss L_c + 0.25 L_catch: each ± trial 3/2 and the catch trial 3/4 of a
 * batch of three, since the engine divides by the number of samples. Losses are always evaluated noise-free.
 */
export class PatternNetworkLearner implements SequentialLearner {
  private readonly trainBatches: [Batch, Batch];
  private readonly evalBatches: [Batch, Batch];
  private readonly cuedBatches: [Batch, Batch];
  private readonly trainWs: BpttWorkspace;
  private readonly evalWs: BpttWorkspace;
  private readonly noise: Rng | undefined;
  readonly options: LearnerOptions;

  constructor(
    readonly net: PatternNetwork,
    trials: readonly [FixedPointTrial, FixedPointTrial],
    options: Partial<LearnerOptions> | number = {},
  ) {
    const o = withDefaults('learner', LEARNER_DEFAULTS, typeof options === 'number' ? { lr: options } : options);
    checkNumber('learner.lr', o.lr, { min: 0, exclusiveMin: true, max: 100 });
    checkInteger('learner.noiseSeed', o.noiseSeed);
    this.options = o;
    const noisy = net.model.config.noiseStd > 0;
    const batchOf = (t: FixedPointTrial): Batch => {
      if (!noisy && !o.catchTrials) return trialBatch(net, t);
      const pair: WeightedTrial[] = [{ trial: t, sign: 1, weight: 1 }, { trial: t, sign: -1, weight: 1 }];
      if (!o.catchTrials) return trialsBatch(net, pair);
      return trialsBatch(net, [...pair.map((x) => ({ ...x, weight: 1.5 })), { trial: catchTrial(t), sign: 1, weight: 0.75 }]);
    };
    this.trainBatches = [batchOf(trials[0]), batchOf(trials[1])];
    this.evalBatches = [trialBatch(net, trials[0]), trialBatch(net, trials[1])];
    const cued = (b: Batch, cue: number): Batch => ({ ...b, mask: b.mask!.map((w, i) => (i % 2 === cue ? w : 0)) });
    this.cuedBatches = [cued(this.evalBatches[0], 0), cued(this.evalBatches[1], 1)];
    this.trainWs = new BpttWorkspace(net.model, net.kernels, this.trainBatches[0].size, trials[0].steps);
    this.evalWs = new BpttWorkspace(quietModel(net), net.kernels, 1, trials[0].steps);
    this.noise = noisy ? Rng.stream(o.noiseSeed, 'training-noise') : undefined;
  }

  /** The learning rate (README §3.3: 0.1). */
  get lr(): number {
    return this.options.lr;
  }

  loss(cue: 0 | 1, cuedOnly = false): number {
    return this.evalWs.forward((cuedOnly ? this.cuedBatches : this.evalBatches)[cue]).loss;
  }

  step(cue: 0 | 1): number {
    const { loss, grads } = this.trainWs.gradients(this.trainBatches[cue], this.noise);
    const name = this.net.model.params.W ? 'W' : 'M';
    const p = this.net.model.params[name]!;
    const g = grads[name]!;
    if (this.net.basis) this.basisStep(g);
    else for (let i = 0; i < p.length; i++) p[i] -= this.lr * g[i];
    if (!Number.isFinite(loss) || !Number.isFinite(p[0])) throw new DivergenceError(`pattern network (${name})`, 0, `loss = ${loss}`);
    return loss;
  }

  patternMatrix(): Float64Array {
    return effectivePatternMatrix(this.net);
  }

  /** 'g-basis': ∂L/∂M = Lᵀ (∂L/∂W) R / N, then W = W₀ + L M Rᵀ/N. */
  private basisStep(gW: ArrayLike<number>): void {
    const { left: L, right: R } = this.net.basis!;
    const M = this.net.basisM!;
    const N = this.net.options.size;
    const gM = projectToPair(gW, L, R, N);
    for (let k = 0; k < 4; k++) M[k] -= this.lr * gM[k];
    this.net.model.params.W!.set(expandFromPair(this.net.W0, L, M, R, N));
  }
}
