/**
 * The closed-loop memory task (README §3.1, §4.1): the feedback network
 *
 *     dx/dt = -x + J tanh(x) + w_fb z + w_in u,   z = w^T tanh(x)   (tau = 1, Euler step dt)
 *
 * runs the trials back to back (no reset): a cue u = v_k for T_cue, then a delay with u = 0, the target f = v_k
 * throughout. Every `learnEvery` steps the online rule updates w with e = z - f (z from the newest w). After each
 * trial the readout is scored on the evaluation grid through the clamped rates, delta(v) = w^T r_v - v, which gives
 * the same record as the reduced model, so the same interference measures apply.
 * Equations: (1)–(2), (18) of README.md.
 */
import type { RateNetwork } from '../../dynamics/rateNetwork.js';
import { applyConnectivity, connectivityEntries, connectivityToDense } from '../../dynamics/connectivity.js';
import type { OnlineRule } from '../../learning/onlineRules.js';
import type { MemoryTrials } from '../../tasks/memoryTask.js';
import { nearestIndex } from '../../tasks/memoryTask.js';
import { mismatchAt, recordMismatch, type ReducedRun } from './reducedModel.js';
import type { Mat } from '../../numerics/matrix.js';
import { checkMatrix, eigenvalues, maxRealPart } from '../../numerics/matrix.js';
import { eulerStep, initialState } from '../../dynamics/rateNetwork.js';
import { checkInteger, DivergenceError, ParameterError, withDefaults, checkVector, checkNumber, checkAllocation, checkWork } from '../../numerics/validate.js';

export interface ClosedLoopOptions {
  /** Apply the rule every k Euler steps (study: 2, i.e. every 0.1 tau at dt = 0.05). */
  learnEvery: number;
  /** Learn during the cue too (default), or only during the delay. */
  learnDuringCue: boolean;
  /** Feed back the target instead of the output while training (teacher-forced LMS, README §3.3 variant 4). */
  teacherForcing: boolean;
  /** Trials (0-based) whose z(t) and f(t) are recorded. */
  recordTrials: number[];
  /** Record every k-th step of those trials. */
  recordEvery: number;
}

export const CLOSED_LOOP_DEFAULTS: ClosedLoopOptions = {
  learnEvery: 2,
  learnDuringCue: true,
  teacherForcing: false,
  recordTrials: [],
  recordEvery: 4,
};

export interface TrialTrace {
  trial: number;
  /** Time since the trial's onset (tau). */
  t: Float64Array;
  z: Float64Array;
  f: Float64Array;
  cueEnd: number;
}

export interface ClosedLoopGrids {
  fineValues: Float64Array;
  fineRates: Mat;
  evalValues: Float64Array;
  evalRates: Mat;
  /**
   * Probe rate vectors (P × N) whose readout wᵀ r_P is recorded after every trial, to widen the range of trial
   * correlations for B3 (README §5.6: the pattern-task probes of memoryStudy's patternProbes). Optional: none if absent.
   */
  probeRates?: Mat;
}

export interface ClosedLoopRun extends ReducedRun {
  traces: TrialTrace[];
  /** Network state at the end of training. */
  x: Float64Array;
  /** Trial at which the loop diverged (NaN/Inf), or -1. A diverged run stops there: failure to learn. */
  divergedAtTrial: number;
  /** Mean rate vector over each trial's delay (trials x N): the r_bar_B of the trial correlation (README §5.6). */
  delayMeanRates: Mat;
  /**
   * Where the state sits on the line when each trial's cue starts: the value of the candidate point (fine grid) whose
   * rates are nearest (Euclidean) to the rates at the cue's first step. With learning during the cue, the rule is fed
   * these rates with the new target v_k at once: the error floor of README §4.1's default protocol (issue 14).
   */
  onsetLinePosition: Float64Array;
  /**
   * Mean squared error e² = (z − f)² per trial over the cue and over the delay, sampled every `learnEvery` steps (what
   * the rule is fed, or would be fed, in each phase), NaN after a divergence.
   */
  cueSquaredError: Float64Array;
  delaySquaredError: Float64Array;
  /** wᵀ r_P at every probe before training (row 0) and after each trial: (trials + 1) × P (P = 0 without probes). */
  probeReadout: Mat;
}

export function trainMemoryClosedLoop(
  net: RateNetwork,
  rule: OnlineRule,
  trials: MemoryTrials,
  grids: ClosedLoopGrids,
  options: Partial<ClosedLoopOptions> = {},
): ClosedLoopRun {
  const o = withDefaults('trainMemoryClosedLoop', CLOSED_LOOP_DEFAULTS, options);
  checkInteger('learnEvery', o.learnEvery, { min: 1 });
  checkInteger('recordEvery', o.recordEvery, { min: 1 });
  if (!net.wFb || net.B.cols !== 1) throw new ParameterError('net', 'needs output feedback and exactly one input channel');
  if (rule.options.n !== net.n) throw new ParameterError('rule', `was built for n = ${rule.options.n}, the network has N = ${net.n}`);
  const n = net.n;
  const dt = net.options.dt;
  const wFb = net.wFb;
  const wIn = net.B.data;
  const T = trials.values.length;
  if (!Array.isArray(o.recordTrials)) throw new ParameterError('recordTrials', 'expected an array of trial indices');
  o.recordTrials.forEach((k, i) => checkInteger(`recordTrials[${i}]`, k, { min: 0, max: Math.max(0, T - 1) }));
  const K = grids.evalValues.length;
  const w = new Float64Array(n);
  const x = initialState(n, { seed: net.options.seed });
  const r = new Float64Array(n);
  const drive = new Float64Array(n);
  const delta: Mat = { rows: T + 1, cols: K, data: new Float64Array((T + 1) * K).fill(Number.NaN) };
  const trialIndex = new Int32Array(T);
  const trainedBefore = new Float64Array(T).fill(Number.NaN);
  const trainedAfter = new Float64Array(T).fill(Number.NaN);
  const traces: TrialTrace[] = [];
  const delayMeanRates: Mat = { rows: T, cols: n, data: new Float64Array(T * n) };
  const cueSteps = Math.round(trials.options.cueDuration / dt);
  const onsetLinePosition = new Float64Array(T).fill(Number.NaN);
  const cueSquaredError = new Float64Array(T).fill(Number.NaN);
  const delaySquaredError = new Float64Array(T).fill(Number.NaN);
  recordMismatch(grids.evalRates, grids.evalValues, w, delta, 0);
  const probes: Mat = grids.probeRates ? checkMatrix('grids.probeRates', grids.probeRates) : { rows: 0, cols: n, data: new Float64Array(0) };
  if (probes.cols !== n) throw new ParameterError('grids.probeRates', `must have N = ${n} columns, got ${probes.cols}`);
  // wᵀ r_P is the mismatch at a value of 0: one helper records both.
  const probeZero = new Float64Array(probes.rows);
  const probeReadout: Mat = { rows: T + 1, cols: probes.rows, data: new Float64Array((T + 1) * probes.rows).fill(Number.NaN) };
  recordMismatch(probes, probeZero, w, probeReadout, 0);
  let divergedAtTrial = -1;

  for (let k = 0; k < T && divergedAtTrial < 0; k++) {
    const v = trials.values[k];
    const steps = cueSteps + Math.round(trials.delays[k] / dt);
    const idx = nearestIndex(grids.fineValues, v);
    trialIndex[k] = idx;
    trainedBefore[k] = mismatchAt(grids.fineRates, idx, w, grids.fineValues[idx]);
    rule.startTrial(k);
    const record = o.recordTrials.includes(k);
    const nRec = Math.ceil(steps / o.recordEvery);
    const trace: TrialTrace | null = record
      ? { trial: k, t: new Float64Array(nRec), z: new Float64Array(nRec), f: new Float64Array(nRec).fill(v), cueEnd: cueSteps * dt }
      : null;
    let cueSum = 0;
    let cueCount = 0;
    let delaySum = 0;
    let delayCount = 0;
    for (let s = 0; s < steps; s++) {
      const inCue = s < cueSteps;
      let z = 0;
      for (let i = 0; i < n; i++) {
        const ri = Math.tanh(x[i]);
        r[i] = ri;
        z += w[i] * ri;
      }
      if (s === 0) onsetLinePosition[k] = grids.fineValues[nearestRates(grids.fineRates, r)];
      if (s % o.learnEvery === 0 && Number.isFinite(z)) {
        if (inCue) {
          cueSum += (z - v) ** 2;
          cueCount++;
        } else {
          delaySum += (z - v) ** 2;
          delayCount++;
        }
      }
      if (trace && s % o.recordEvery === 0) {
        trace.t[s / o.recordEvery] = s * dt;
        trace.z[s / o.recordEvery] = z;
      }
      if (!inCue) {
        const off = k * n;
        for (let i = 0; i < n; i++) delayMeanRates.data[off + i] += r[i];
      }
      if (!Number.isFinite(z)) {
        // The readout blew up (a too-large learning rate): stop before the rule is fed a non-finite error.
        divergedAtTrial = k;
        break;
      }
      if (s % o.learnEvery === 0 && (o.learnDuringCue || !inCue)) rule.update(w, r, z - v);
      const fb = o.teacherForcing ? v : z;
      const u = inCue ? v : 0;
      const finite = eulerStep(net, x, r, drive, fb, u);
      if (!finite || !Number.isFinite(z)) {
        divergedAtTrial = k;
        break;
      }
    }
    if (trace) traces.push(trace);
    if (divergedAtTrial >= 0) break;
    cueSquaredError[k] = cueCount ? cueSum / cueCount : Number.NaN;
    delaySquaredError[k] = delayCount ? delaySum / delayCount : Number.NaN;
    const delaySteps = steps - cueSteps;
    for (let i = 0; i < n; i++) delayMeanRates.data[k * n + i] /= Math.max(delaySteps, 1);
    trainedAfter[k] = mismatchAt(grids.fineRates, idx, w, grids.fineValues[idx]);
    recordMismatch(grids.evalRates, grids.evalValues, w, delta, k + 1);
    recordMismatch(probes, probeZero, w, probeReadout, k + 1);
  }
  return { rule: rule.name, evalValues: grids.evalValues, trialValues: trials.values, trialIndex, delta, trainedBefore, trainedAfter, w, traces, x, divergedAtTrial, delayMeanRates, onsetLinePosition, cueSquaredError, delaySquaredError, probeReadout };
}

/** The row of `rates` (points x N) nearest to `r` in Euclidean distance. */
function nearestRates(rates: Mat, r: Float64Array): number {
  let best = 0;
  let bestDistance = Infinity;
  for (let p = 0; p < rates.rows; p++) {
    let d = 0;
    const off = p * rates.cols;
    for (let i = 0; i < rates.cols && d < bestDistance; i++) d += (rates.data[off + i] - r[i]) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = p;
    }
  }
  return best;
}

export interface MemoryTestOptions {
  cueDuration: number;
  delayDuration: number;
  /** Record z(t) every k steps (0: do not record). */
  recordEvery: number;
}

export const MEMORY_TEST_DEFAULTS: MemoryTestOptions = { cueDuration: 5, delayDuration: 30, recordEvery: 0 };

/**
 * Test trials with learning off (README §4.1): for each value, from the state `x0`, a cue then a delay; returns the
 * output at the end of the delay (and z(t) if recorded).
 */
export function testMemory(net: RateNetwork, w: Float64Array, x0: Float64Array, values: ArrayLike<number>, options: Partial<MemoryTestOptions> = {}) {
  const o = withDefaults('testMemory', MEMORY_TEST_DEFAULTS, options);
  const n = net.n;
  if (!net.wFb || net.B.cols !== 1) throw new ParameterError('net', 'needs output feedback and exactly one input channel');
  checkVector('w', w, n);
  checkVector('x0', x0, n);
  checkNumber('cueDuration', o.cueDuration, { min: 0 });
  checkNumber('delayDuration', o.delayDuration, { min: 0 });
  checkInteger('recordEvery', o.recordEvery, { min: 0 });
  for (let a = 0; a < values.length; a++) checkNumber(`values[${a}]`, values[a]);
  const dt = net.options.dt;
  const cueSteps = Math.round(o.cueDuration / dt);
  const steps = cueSteps + Math.round(o.delayDuration / dt);
  const longer = o.cueDuration > o.delayDuration ? 'cueDuration' : 'delayDuration';
  checkWork(longer, values.length * steps * connectivityEntries(net.J), `${values.length} test trials of ${steps} steps`);
  if (o.recordEvery > 0) checkAllocation(longer, values.length * Math.ceil(steps / o.recordEvery), 8, `recording ${values.length} trials of ${steps} steps`);
  const zEnd = new Float64Array(values.length);
  const traces: Float64Array[] = [];
  /** The state at the end of each test trial (values x N): initial states for the fixed-point finder (README §5.4). */
  const endStates: Mat = { rows: values.length, cols: n, data: new Float64Array(values.length * n) };
  const x = new Float64Array(n);
  const r = new Float64Array(n);
  const drive = new Float64Array(n);
  for (let a = 0; a < values.length; a++) {
    x.set(x0);
    const trace = o.recordEvery > 0 ? new Float64Array(Math.ceil(steps / o.recordEvery)) : null;
    let z = 0;
    for (let s = 0; s <= steps; s++) {
      z = 0;
      for (let i = 0; i < n; i++) {
        r[i] = Math.tanh(x[i]);
        z += w[i] * r[i];
      }
      if (s === steps) break;
      if (trace && s % o.recordEvery === 0) trace[s / o.recordEvery] = z;
      const u = s < cueSteps ? values[a] : 0;
      eulerStep(net, x, r, drive, z, u);
    }
    if (!Number.isFinite(z)) throw new DivergenceError('testMemory', a, `output not finite for value ${values[a]}`);
    zEnd[a] = z;
    endStates.data.set(x, a * n);
    if (trace) traces.push(trace);
  }
  return { zEnd, traces, endStates };
}

/**
 * Largest real part of the closed-loop Jacobian A_v = -I + (J + w_fb w^T) diag(1 - r_v^2) at candidate points
 * (README §5.3); a line attractor has one eigenvalue near 0 and the rest negative.
 */
export function closedLoopLeadingEigenvalue(net: RateNetwork, w: Float64Array, rv: Float64Array): number {
  const n = net.n;
  const J = connectivityToDense(net.J);
  const A: Mat = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) A.data[i * n + j] = (J.data[i * n + j] + net.wFb![i] * w[j]) * (1 - rv[j] * rv[j]) - (i === j ? 1 : 0);
  }
  return maxRealPart(eigenvalues(A));
}
