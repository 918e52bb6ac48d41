/**
 * Online learning of the pattern-generation task in the closed loop (README §4.2, B6; our
 * reconstruction): the feedback network runs continuously from trial to trial; in each trial a constant cue
 * u = 1 + 4 (ω − 0.2)/0.4 lasts T_cue with target 0, then u = 0 and the target is sin(ω (t − t_off)) for
 * `periods` periods. The readout is updated online (every `learnEvery` Euler steps) by the given rule, with the
 * network fed its own output (no teacher forcing). After every trial the limit-cycle mismatch q̂_cyc(ω) of the
 * current readout is measured at every test frequency on clamped-sine candidate cycles (README §5.5), and the squared
 * training error e = z − f is averaged over the cue and over each output period: FORCE is meant to keep e small while
 * it learns, so a growing e says the loop left the target during training (notebook 04, section 4).
 * Equations: (1)–(2), (13) of README.md.
 */
import { eulerStep, initialState, type RateNetwork } from '../../dynamics/rateNetwork.js';
import { connectivityEntries } from '../../dynamics/connectivity.js';
import type { OnlineRule } from '../../learning/onlineRules.js';
import type { Mat } from '../../numerics/matrix.js';
import { cycleMismatch, type ClampedCycle } from './limitCycles.js';
import { dominantFrequency } from '../../numerics/spectrum.js';
import { patternCue, type PatternTrials, PATTERN_TASK_DEFAULTS } from '../../tasks/patternTask.js';
import { checkAllocation, checkInteger, checkNumber, checkVector, checkWork, ParameterError, withDefaults } from '../../numerics/validate.js';

export interface PatternLoopOptions {
  /** Readout update every this many Euler steps. */
  learnEvery: number;
  /** Learn during the cue (target 0) as well as in the output phase (README §4.2's default: true). */
  learnDuringCue: boolean;
  /** Output periods at the start of the output phase without learning, while the loop settles (default 0). */
  learnFromPeriod: number;
}

export const PATTERN_LOOP_DEFAULTS: PatternLoopOptions = { learnEvery: 2, learnDuringCue: true, learnFromPeriod: 0 };

export interface PatternRun {
  rule: string;
  /** Trained frequency of each trial. */
  trialOmegas: Float64Array;
  /** Test frequencies (the clamped cycles' ω). */
  testOmegas: Float64Array;
  /** q̂_cyc at every test frequency before training (row 0) and after each trial: (trials + 1) × K. */
  deltaCyc: Mat;
  w: Float64Array;
  /** Network state at the end of training. */
  x: Float64Array;
  /** Trial at which the loop diverged, or −1 (the run stops there). */
  divergedAtTrial: number;
  /** Mean (z − f)² over each trial's cue, every Euler step, learning or not: length trials (NaN after a divergence). */
  cueSquaredError: Float64Array;
  /** Mean (z − f)² over each output period of each trial: trials × periods (NaN after a divergence). */
  periodSquaredError: Mat;
}

function mismatchRow(cycles: ClampedCycle[], w: Float64Array, out: Mat, row: number): void {
  cycles.forEach((c, k) => (out.data[row * out.cols + k] = cycleMismatch(c, w)));
}

/** z = wᵀ tanh(x), filling r. */
function readout(x: Float64Array, w: Float64Array, r: Float64Array): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) {
    r[i] = Math.tanh(x[i]);
    z += w[i] * r[i];
  }
  return z;
}

export function trainPatternClosedLoop(net: RateNetwork, rule: OnlineRule, trials: PatternTrials, cycles: ClampedCycle[], options: Partial<PatternLoopOptions> = {}): PatternRun {
  const o = withDefaults('trainPatternClosedLoop', PATTERN_LOOP_DEFAULTS, options);
  checkInteger('learnEvery', o.learnEvery, { min: 1 });
  checkInteger('learnFromPeriod', o.learnFromPeriod, { min: 0, max: trials.options.periods });
  if (!net.wFb || net.B.cols !== 1) throw new ParameterError('net', 'needs output feedback and exactly one input channel');
  if (rule.options.n !== net.n) throw new ParameterError('rule', `was built for n = ${rule.options.n}, the network has N = ${net.n}`);
  const n = net.n;
  const dt = net.options.dt;
  const T = trials.omegas.length;
  const K = cycles.length;
  const w = new Float64Array(n);
  const x = initialState(n, { seed: net.options.seed });
  const r = new Float64Array(n);
  const drive = new Float64Array(n);
  const deltaCyc: Mat = { rows: T + 1, cols: K, data: new Float64Array((T + 1) * K).fill(Number.NaN) };
  mismatchRow(cycles, w, deltaCyc, 0);
  const cueSteps = Math.round(trials.options.cueDuration / dt);
  const periods = Math.ceil(trials.options.periods);
  const cueSquaredError = new Float64Array(T).fill(Number.NaN);
  const periodSquaredError: Mat = { rows: T, cols: periods, data: new Float64Array(T * periods).fill(Number.NaN) };
  const periodSum = new Float64Array(periods);
  const periodCount = new Float64Array(periods);
  let divergedAtTrial = -1;
  for (let k = 0; k < T && divergedAtTrial < 0; k++) {
    const omega = trials.omegas[k];
    const u = trials.cues[k];
    const periodSteps = (2 * Math.PI) / omega / dt;
    const outSteps = Math.round(trials.options.periods * periodSteps);
    // Learning resumes at this output step (README §4.2 learns throughout; the switches are notebook 04's protocols).
    const learnFrom = Math.round(o.learnFromPeriod * periodSteps);
    rule.startTrial(k);
    let cueSum = 0;
    periodSum.fill(0);
    periodCount.fill(0);
    for (let s = 0; s < cueSteps + outSteps; s++) {
      const inCue = s < cueSteps;
      const z = readout(x, w, r);
      const target = inCue ? 0 : Math.sin(omega * (s - cueSteps) * dt);
      if (!Number.isFinite(z)) {
        divergedAtTrial = k;
        break;
      }
      const e = z - target;
      if (inCue) cueSum += e * e;
      else {
        const p = Math.min(periods - 1, Math.floor((s - cueSteps) / periodSteps));
        periodSum[p] += e * e;
        periodCount[p]++;
      }
      const learns = inCue ? o.learnDuringCue : s - cueSteps >= learnFrom;
      if (learns && s % o.learnEvery === 0) rule.update(w, r, e);
      if (!eulerStep(net, x, r, drive, z, inCue ? u : 0) || !Number.isFinite(z)) {
        divergedAtTrial = k;
        break;
      }
    }
    if (divergedAtTrial < 0) {
      mismatchRow(cycles, w, deltaCyc, k + 1);
      cueSquaredError[k] = cueSteps > 0 ? cueSum / cueSteps : 0;
      for (let p = 0; p < periods; p++) periodSquaredError.data[k * periods + p] = periodCount[p] > 0 ? periodSum[p] / periodCount[p] : Number.NaN;
    }
  }
  return { rule: rule.name, trialOmegas: trials.omegas, testOmegas: Float64Array.from(cycles, (c) => c.omega), deltaCyc, w, x, divergedAtTrial, cueSquaredError, periodSquaredError };
}

export interface PatternTest {
  omega: number;
  /** Time since the cue offset, the closed-loop output and the target sin(ω t) over the test window. */
  t: Float64Array;
  z: Float64Array;
  target: Float64Array;
  /** Peak of the output's spectrum (rad/τ) over the window. */
  dominantOmega: number;
  /** RMS of z − sin(ω t) over the window. */
  rmsError: number;
}

export interface PatternTestOptions {
  cueDuration: number;
  /** Test window after the cue, in periods of ω. */
  periods: number;
  omegaMin: number;
  omegaMax: number;
  /** Keep every k-th sample in the returned traces (the error and the spectrum use all samples). */
  recordEvery: number;
}

export const PATTERN_TEST_DEFAULTS: PatternTestOptions = { cueDuration: 5, periods: 4, omegaMin: PATTERN_TASK_DEFAULTS.omegaMin, omegaMax: PATTERN_TASK_DEFAULTS.omegaMax, recordEvery: 4 };

/** Cue each test frequency from the state `x0` (no learning) and measure what the closed loop produces. */
export function testPattern(net: RateNetwork, w: Float64Array, x0: Float64Array, omegas: ArrayLike<number>, options: Partial<PatternTestOptions> = {}): PatternTest[] {
  const o = withDefaults('testPattern', PATTERN_TEST_DEFAULTS, options);
  checkInteger('recordEvery', o.recordEvery, { min: 1 });
  checkNumber('periods', o.periods, { min: 0, exclusiveMin: true });
  checkNumber('cueDuration', o.cueDuration, { min: 0 });
  checkNumber('omegaMin', o.omegaMin, { min: 0, exclusiveMin: true });
  checkNumber('omegaMax', o.omegaMax, { min: o.omegaMin, exclusiveMin: true });
  const n = net.n;
  checkVector('w', w, n);
  checkVector('x0', x0, n);
  const dt = net.options.dt;
  const cueSteps = Math.round(o.cueDuration / dt);
  let totalSteps = 0;
  for (let k = 0; k < omegas.length; k++) {
    checkNumber(`omegas[${k}]`, omegas[k], { min: 0, exclusiveMin: true, max: Math.PI / dt });
    const outSteps = Math.round((o.periods * 2 * Math.PI) / omegas[k] / dt);
    checkAllocation('periods', outSteps, 8 * 4, `the output of ${o.periods} periods at ω = ${omegas[k]}`);
    totalSteps += cueSteps + outSteps;
  }
  checkWork(cueSteps > totalSteps / 2 ? 'cueDuration' : 'periods', totalSteps * connectivityEntries(net.J), `${omegas.length} test trials of ${totalSteps} steps in all`);
  const r = new Float64Array(n);
  const drive = new Float64Array(n);
  return Array.from(omegas, (omega) => {
    const x = Float64Array.from(x0);
    const u = patternCue(omega, o);
    const outSteps = Math.round((o.periods * 2 * Math.PI) / omega / dt);
    const z = new Float64Array(outSteps);
    for (let s = 0; s < cueSteps + outSteps; s++) {
      const zs = readout(x, w, r);
      if (s >= cueSteps) z[s - cueSteps] = zs;
      if (!eulerStep(net, x, r, drive, zs, s < cueSteps ? u : 0)) {
        z.fill(Number.NaN, Math.max(0, s - cueSteps));
        break;
      }
    }
    let se = 0;
    for (let s = 0; s < outSteps; s++) se += (z[s] - Math.sin(omega * s * dt)) ** 2;
    const finite = z.every(Number.isFinite);
    const keep = Array.from({ length: Math.ceil(outSteps / o.recordEvery) }, (_, i) => i * o.recordEvery);
    return {
      omega,
      t: Float64Array.from(keep, (s) => s * dt),
      z: Float64Array.from(keep, (s) => z[s]),
      target: Float64Array.from(keep, (s) => Math.sin(omega * s * dt)),
      dominantOmega: finite ? dominantFrequency(z, dt) : Number.NaN,
      rmsError: finite ? Math.sqrt(se / outSteps) : Number.NaN,
    };
  });
}
