/**
 * Running a trained model forward without the training machinery (float64, plain loops): the long simulations of
 * the analyses (papers/timescales-curriculum-2024/README.md §5.2: 2·10⁴–10⁵ steps), which would not fit the [T × B × N] histories of BPTT.
 */
import { Rng, type Seed } from '../../numerics/rng.js';
import { checkAllocation, checkInteger, ParameterError } from '../../numerics/validate.js';
import { applyNonlinearity } from '../../numerics/nonlinearity.js';
import type { Rnn } from './model.js';

export interface DrivenRunOptions {
  steps: number;
  /** Leading steps not recorded. */
  discard: number;
  seed: Seed;
  /** The input bits (length ≥ steps); default: random bits with one Bernoulli rate p ~ U(0, 1) per trial. */
  bits?: ArrayLike<number>;
}

/**
 * Drives the model with random bits (one Bernoulli rate p ~ U(0, 1) for the whole trial, h_0 = 0.1·U(0, 1), as in
 * papers/timescales-curriculum-2024/README.md §5.2 step 1) and returns the states after `discard` steps: [(steps − discard) × N], row-major.
 */
export function drivenStates(model: Rnn, options: DrivenRunOptions): Float32Array {
  const c = model.config;
  checkInteger('steps', options.steps, { min: 1 });
  checkInteger('discard', options.discard, { min: 0, max: options.steps - 1 });
  if (c.inputs !== 1) throw new ParameterError('model.inputs', `drivenStates feeds one bit per step; the model has ${c.inputs} inputs`);
  // The loop below applies W alone; a low-rank model's U M Uᵀ/N term would be dropped without a word.
  if (c.recurrent !== 'full') throw new ParameterError('model.recurrent', `drivenStates runs full-rank models, got '${c.recurrent}'`);
  const N = c.size;
  checkAllocation('steps', (options.steps - options.discard) * N, 4, `the states of ${options.steps} steps`);
  const p = model.params;
  const W = Float64Array.from(p.W ?? new Float64Array(N * N));
  if (!c.selfConnections) for (let i = 0; i < N; i++) W[i * N + i] = 0;
  const a = new Float64Array(N);
  const cc = new Float64Array(N);
  const bias = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const t = c.tauClamp === null ? p.tau![i] : Math.max(p.tau![i], c.tauClamp);
    a[i] = 1 - c.dt / t;
    cc[i] = c.dt / t;
    bias[i] = p.b![i] + (p.bIn ? p.bIn[i] : 0);
  }
  const win = p.Win!;
  if (options.bits && options.bits.length < options.steps) throw new ParameterError('bits', `need ${options.steps} bits, got ${options.bits.length}`);
  const rng = Rng.stream(options.seed, 'driven');
  const rate = rng.uniform();
  const s = new Float64Array(N);
  for (let i = 0; i < N; i++) s[i] = 0.1 * rng.uniform();
  const r = new Float64Array(N);
  const z = new Float64Array(N);
  const out = new Float32Array((options.steps - options.discard) * N);
  for (let t = 0; t < options.steps; t++) {
    applyNonlinearity(c.rate, s, r, N);
    const x = options.bits ? options.bits[t] : rng.uniform() < rate ? 1 : 0;
    for (let i = 0; i < N; i++) {
      let sum = bias[i] + win[i] * x;
      const off = i * N;
      for (let j = 0; j < N; j++) sum += W[off + j] * r[j];
      z[i] = sum;
    }
    if (c.update === 'leak-inside') {
      for (let i = 0; i < N; i++) z[i] = a[i] * s[i] + cc[i] * z[i];
      applyNonlinearity(c.activation, z, s, N);
    } else {
      applyNonlinearity(c.activation, z, z, N);
      for (let i = 0; i < N; i++) s[i] = a[i] * s[i] + cc[i] * z[i];
    }
    if (t >= options.discard) out.set(s, (t - options.discard) * N);
  }
  return out;
}
