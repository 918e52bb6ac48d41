/**
 * Finite rate networks for the sequential fixed-point task (sequential-interference spec §3.1 (a), (b)), built on
 * the training engine: dx/dt = −x + W φ(x) + U b(t) with φ = erf(√π x/2), Euler dt = 0.2, readouts z = Uᵀx / N
 * (fixed), patterns U = [m_A, m_B] = √N × orthonormal columns, and W = gJ + U M Uᵀ/N (only M trained, '2x2') or
 * W = gJ + ΔW (all N² entries trained, 'full'). Each gradient step uses the single +1 trial of the task, which is
 * the exact gradient of the ± pair (odd φ, no bias, no noise; spec §3.4).
 */
import { Rng } from '../random/rng.js';
import type { FixedPointTrial } from '../tasks/fixedPointMemoryTask.js';
import type { Batch } from '../training/batch.js';
import { BpttWorkspace } from '../training/bptt.js';
import { referenceKernels } from '../training/kernels/reference.js';
import { fastKernels } from '../training/kernels/select.js';
import type { Dtype, Kernels } from '../training/kernels/types.js';
import { createRnn, orthogonalColumns, type Rnn } from '../training/model.js';
import type { SequentialLearner } from '../training/sequential.js';
import { checkChoice, checkInteger, checkNumber, DivergenceError, withDefaults } from '../util/validate.js';

export type Plasticity = '2x2' | 'full';

export interface PatternNetworkOptions {
  /** Network size N (spec §3.3: 128 full, 64 quick). */
  size: number;
  /** Gain g of the fixed random part gJ, J_ij ~ N(0, 1/N). */
  gain: number;
  plasticity: Plasticity;
  /** Euler step (must match the task's). */
  dt: number;
  /** 'float32' trains through the WebAssembly SIMD kernels (~10x faster at N = 128, batch 1); 'float64' through the
   * reference kernels (exact reference; the tests check that both give the same interference). */
  dtype: Dtype;
  seed: number;
}

export const PATTERN_NETWORK_DEFAULTS: PatternNetworkOptions = { size: 128, gain: 0, plasticity: 'full', dt: 0.2, dtype: 'float32', seed: 1 };

export interface PatternNetwork {
  options: PatternNetworkOptions;
  model: Rnn;
  kernels: Kernels;
  /** Patterns U (N × 2, row-major), ‖m_c‖² = N. */
  U: Float64Array;
  /** The fixed random part gJ (N × N). */
  W0: Float64Array;
}

export function createPatternNetwork(options: Partial<PatternNetworkOptions> = {}): PatternNetwork {
  const o = withDefaults('patternNetwork', PATTERN_NETWORK_DEFAULTS, options);
  const N = checkInteger('patternNetwork.size', o.size, { min: 2, max: 4096 });
  checkNumber('patternNetwork.gain', o.gain, { min: 0, max: 10 });
  checkChoice('patternNetwork.plasticity', o.plasticity, ['2x2', 'full']);
  checkNumber('patternNetwork.dt', o.dt, { min: 0, exclusiveMin: true, max: 1 });
  checkChoice('patternNetwork.dtype', o.dtype, ['float32', 'float64']);
  const model = createRnn(
    {
      size: N, inputs: 2, update: 'leak-outside', activation: 'identity', rate: 'erf', dt: o.dt, tauClamp: null, tauInit: 1,
      recurrent: o.plasticity === 'full' ? 'full' : 'low-rank', rank: 2, recurrentInit: 'gaussian', gain: o.gain,
      selfConnections: true, inputBias: false, readoutInit: 'zero',
      readout: { kind: 'linear', outputs: 2, from: 'state', lossFactor: 0.5, lossNormalization: 'steps' },
      trainable: { W: true, M: true, b: false, Win: false, tau: false, Wout: false, bOut: false },
    },
    { seed: o.seed, dtype: o.dtype },
  );
  const U = orthogonalColumns('float64', N, 2, Rng.stream(o.seed, 'patterns')) as Float64Array;
  const W0 = Float64Array.from(model.params.W ?? model.fixed.Wfixed!);
  if (o.plasticity === '2x2') model.fixed.U!.set(U);
  // Inputs enter along the patterns (W_in = U) and the readouts are the pattern coordinates (W_out = Uᵀ/N).
  model.params.Win!.set(U);
  const Wout = model.params.Wout!;
  for (let c = 0; c < 2; c++) for (let i = 0; i < N; i++) Wout[c * N + i] = U[i * 2 + c] / N;
  const kernels = o.dtype === 'float32' ? fastKernels() : referenceKernels('float64');
  return { options: o, model, kernels, U, W0 };
}

/** The engine batch of one κ-space trial: x(0) = U κ(0), inputs u_t = b_{t−1}, targets and mask on the window. */
export function trialBatch(net: PatternNetwork, trial: FixedPointTrial): Batch {
  const N = net.options.size;
  const T = trial.steps;
  const initialState = new Float64Array(N);
  for (let i = 0; i < N; i++) initialState[i] = net.U[2 * i] * trial.initial[0] + net.U[2 * i + 1] * trial.initial[1];
  const targets = new Float64Array(T * 2);
  const mask = new Float64Array(T * 2);
  for (let t = 1; t <= T; t++) {
    if (t < trial.windowStart) continue;
    for (let o = 0; o < 2; o++) {
      targets[(t - 1) * 2 + o] = trial.target[o];
      mask[(t - 1) * 2 + o] = trial.outputMask[o];
    }
  }
  return { steps: T, size: 1, inputs: Float64Array.from(trial.input), initialState, targets, mask };
}

/** Effective pattern matrix M_eff = UᵀWU/N (for the 2×2 model this is M + UᵀgJU/N). */
export function effectivePatternMatrix(net: PatternNetwork): Float64Array {
  const N = net.options.size;
  const { U } = net;
  const W = currentRecurrent(net);
  const out = new Float64Array(4);
  for (let i = 0; i < N; i++) {
    let w0 = 0;
    let w1 = 0;
    for (let j = 0; j < N; j++) {
      const wij = W[i * N + j];
      w0 += wij * U[2 * j];
      w1 += wij * U[2 * j + 1];
    }
    out[0] += U[2 * i] * w0;
    out[1] += U[2 * i] * w1;
    out[2] += U[2 * i + 1] * w0;
    out[3] += U[2 * i + 1] * w1;
  }
  for (let k = 0; k < 4; k++) out[k] /= N;
  return out;
}

/** The recurrent matrix W (N × N) as the network uses it. */
export function currentRecurrent(net: PatternNetwork): Float64Array {
  const { model, U, W0 } = net;
  if (model.params.W) return Float64Array.from(model.params.W);
  const N = net.options.size;
  const M = model.params.M!;
  const W = Float64Array.from(W0);
  for (let i = 0; i < N; i++) {
    const a0 = U[2 * i] * M[0] + U[2 * i + 1] * M[2];
    const a1 = U[2 * i] * M[1] + U[2 * i + 1] * M[3];
    for (let j = 0; j < N; j++) W[i * N + j] += (a0 * U[2 * j] + a1 * U[2 * j + 1]) / N;
  }
  return W;
}

/** κ trajectory ((K+1) × 2) of a trial of any length, noise-free. */
export function patternTrajectory(net: PatternNetwork, trial: FixedPointTrial): Float64Array {
  const ws = new BpttWorkspace(net.model, net.kernels, 1, trial.steps);
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

/** A pattern network as a sequential learner: plain full-batch gradient descent with rate `lr` (spec §3.3: 0.1). */
export class PatternNetworkLearner implements SequentialLearner {
  private readonly batches: [Batch, Batch];
  private readonly cuedBatches: [Batch, Batch];
  private readonly ws: BpttWorkspace;

  constructor(
    readonly net: PatternNetwork,
    trials: readonly [FixedPointTrial, FixedPointTrial],
    readonly lr: number,
  ) {
    checkNumber('lr', lr, { min: 0, exclusiveMin: true, max: 100 });
    this.batches = [trialBatch(net, trials[0]), trialBatch(net, trials[1])];
    const cued = (b: Batch, cue: number): Batch => ({ ...b, mask: b.mask!.map((w, i) => (i % 2 === cue ? w : 0)) });
    this.cuedBatches = [cued(this.batches[0], 0), cued(this.batches[1], 1)];
    this.ws = new BpttWorkspace(net.model, net.kernels, 1, trials[0].steps);
  }

  loss(cue: 0 | 1, cuedOnly = false): number {
    return this.ws.forward((cuedOnly ? this.cuedBatches : this.batches)[cue]).loss;
  }

  step(cue: 0 | 1): number {
    const { loss, grads } = this.ws.gradients(this.batches[cue]);
    const name = this.net.model.params.W ? 'W' : 'M';
    const p = this.net.model.params[name]!;
    const g = grads[name]!;
    for (let i = 0; i < p.length; i++) p[i] -= this.lr * g[i];
    if (!Number.isFinite(loss) || !Number.isFinite(p[0])) throw new DivergenceError(`pattern network (${name})`, 0, `loss = ${loss}`);
    return loss;
  }

  patternMatrix(): Float64Array {
    return effectivePatternMatrix(this.net);
  }
}
