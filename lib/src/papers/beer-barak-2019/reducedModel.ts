/**
 * The reduced ("static") model of line-attractor learning (README §3.4).
 *
 * During the delay a closed-loop fixed point with output v must satisfy x_v = J tanh(x_v) + w_fb v, which does not
 * depend on the readout w. Learning the line attractor is therefore, to first order, sequential linear regression:
 * find w with w^T r_v = v for all v, seeing one v per trial. A trial at value v_k presents the pair (r_{v_k}, v_k)
 * T_s times (T_s stands for the number of learning updates in a delay), applying the learning rule each time.
 * Off-grid values use the nearest fine-grid point. The output mismatch is delta(v) = w^T r_v - v.
 * Equations: (11)–(12) of README.md (§3.4).
 */
import type { Mat } from '../../numerics/matrix.js';
import type { OnlineRule } from '../../learning/onlineRules.js';
import { nearestIndex } from '../../tasks/memoryTask.js';
import { checkInteger, DivergenceError, ParameterError } from '../../numerics/validate.js';

export interface ReducedModelInput {
  /** Fine grid of values and their clamped rates r_v (rows of `fineRates`, K_fine x N). */
  fineValues: Float64Array;
  fineRates: Mat;
  /** Evaluation grid and its rates (K_eval x N). */
  evalValues: Float64Array;
  evalRates: Mat;
  /** Trial values v_k, in order. */
  trialValues: Float64Array;
  rule: OnlineRule;
  /** Presentations per trial T_s (>= 1). */
  presentations: number;
}

export interface ReducedRun {
  rule: string;
  evalValues: Float64Array;
  trialValues: Float64Array;
  /** Fine-grid index used for each trial. */
  trialIndex: Int32Array;
  /** delta(v) on the evaluation grid: row 0 before training, row k after trial k ((trials + 1) x K_eval). */
  delta: Mat;
  /** delta at the trained value just before and just after each trial. */
  trainedBefore: Float64Array;
  trainedAfter: Float64Array;
  /** Final readout. */
  w: Float64Array;
}

/** Output mismatch delta = w^T r_k - target at row k of a rate grid. */
export function mismatchAt(rates: Mat, k: number, w: Float64Array, target: number): number {
  let s = 0;
  const off = k * rates.cols;
  for (let j = 0; j < rates.cols; j++) s += rates.data[off + j] * w[j];
  return s - target;
}

/** delta(v) for every value of a grid, written into row `row` of a (trials + 1) x K mismatch record. */
export function recordMismatch(rates: Mat, values: Float64Array, w: Float64Array, delta: Mat, row: number): void {
  for (let a = 0; a < values.length; a++) delta.data[row * delta.cols + a] = mismatchAt(rates, a, w, values[a]);
}

export function runReducedModel(input: ReducedModelInput): ReducedRun {
  const { fineValues, fineRates, evalValues, evalRates, trialValues, rule } = input;
  checkInteger('presentations', input.presentations, { min: 1 });
  const n = fineRates.cols;
  if (evalRates.cols !== n) throw new ParameterError('evalRates', `has ${evalRates.cols} columns, fineRates has ${n}`);
  if (fineRates.rows !== fineValues.length) throw new ParameterError('fineRates', `has ${fineRates.rows} rows for ${fineValues.length} values`);
  if (evalRates.rows !== evalValues.length) throw new ParameterError('evalRates', `has ${evalRates.rows} rows for ${evalValues.length} values`);
  if (rule.options.n !== n) throw new ParameterError('rule', `was built for n = ${rule.options.n}, rates have N = ${n}`);
  const T = trialValues.length;
  const K = evalValues.length;
  const w = new Float64Array(n);
  const delta: Mat = { rows: T + 1, cols: K, data: new Float64Array((T + 1) * K) };
  const trialIndex = new Int32Array(T);
  const trainedBefore = new Float64Array(T);
  const trainedAfter = new Float64Array(T);
  const r = new Float64Array(n);
  recordMismatch(evalRates, evalValues, w, delta, 0);
  for (let k = 0; k < T; k++) {
    const idx = nearestIndex(fineValues, trialValues[k]);
    trialIndex[k] = idx;
    const target = fineValues[idx];
    r.set(fineRates.data.subarray(idx * n, (idx + 1) * n));
    rule.startTrial(k);
    trainedBefore[k] = mismatchAt(fineRates, idx, w, target);
    for (let p = 0; p < input.presentations; p++) {
      let z = 0;
      for (let i = 0; i < n; i++) z += w[i] * r[i];
      if (!Number.isFinite(z)) throw new DivergenceError(`runReducedModel(${rule.name})`, k, `readout is no longer finite at presentation ${p} of the trial (learning rate too large?)`);
      rule.update(w, r, z - target);
    }
    trainedAfter[k] = mismatchAt(fineRates, idx, w, target);
    if (!Number.isFinite(trainedAfter[k])) throw new DivergenceError(`runReducedModel(${rule.name})`, k, 'readout is no longer finite');
    recordMismatch(evalRates, evalValues, w, delta, k + 1);
  }
  return { rule: rule.name, evalValues, trialValues, trialIndex, delta, trainedBefore, trainedAfter, w };
}

/** Mean over a value grid of ||r_v||^2: the LMS learning rate for a per-update gain gamma is eta = gamma / R. */
export function meanSquaredRateNorm(rates: Mat): number {
  let s = 0;
  for (let k = 0; k < rates.data.length; k++) s += rates.data[k] * rates.data[k];
  return s / rates.rows;
}

/** Per-trial gain of LMS: the fraction of the current value's error one trial removes, G = 1 - (1 - gamma)^T_s. */
export function lmsTrialGain(gamma: number, presentations: number): number {
  return 1 - (1 - gamma) ** presentations;
}
