/**
 * Beer & Barak 2019, pattern-generation task (README §4.2, §5.5, claim B6): scales, the study run (FORCE and LMS in
 * the closed loop, clamped-sine candidate cycles, closed-loop tests, cycle stability) and the B6 criteria.
 *
 * Reconstruction choices, stated in notebook 04: g = 1.0 (README §5.5's first fallback: at g = 1.2 the clamped
 * network is not entrained at the higher test frequencies) and 6 settling periods instead of 3 (after 3, the
 * entrainment error at ω = 0.6 is 5e-3 even at g = 1.0; after 6 it is 4e-6).
 */
import { clampedCycle, type ClampedCycle } from './limitCycles.js';
import { finiteMedian } from '../../numerics/statistics.js';
import { cachedJson } from '../../io/atomic.js';
import { createOnlineRule } from '../../learning/onlineRules.js';
import type { Mat } from '../../numerics/matrix.js';
import { applyConnectivity } from '../../dynamics/connectivity.js';
import { testPattern, trainPatternClosedLoop, type PatternRun, type PatternTest } from './closedLoopPattern.js';
import { createRateNetwork, type RateNetwork } from '../../dynamics/rateNetwork.js';
import { byScale } from '../../notebook/scale.js';
import { Rng } from '../../numerics/rng.js';
import { patternTrials } from '../../tasks/patternTask.js';
import { BEER_BARAK_PATTERN_SCALES, PATTERN_GAIN, PATTERN_SETTLE_PERIODS, PatternScale } from './config.js';
import { checkChoice, checkInteger, checkLike } from '../../numerics/validate.js';
import { runParallel } from '../../parallel/workerPool.js';
import { PATTERN_TASK_DEFAULTS } from '../../tasks/patternTask.js';
import type { PatternLoopOptions } from './closedLoopPattern.js';

const PATTERN_JOBS_URL = new URL(import.meta.url);

export function patternNetwork(n: number, seed: number): RateNetwork {
  return createRateNetwork({ n, g: PATTERN_GAIN, feedback: true, nInputs: 1, seed, dt: 0.05 });
}

export interface CycleStability {
  omega: number;
  /** RMS of z − (best-phase sine) over the 10th period, relative to the sine's RMS (1/√2). */
  relativeRms: number;
  stable: boolean;
}

/**
 * README §5.5 stability test: start the closed loop on the clamped cycle (phase 0 of the recorded period), perturb
 * by 1e-3·N(0, 1), run 10 periods; stable if the output over the last period is within 5 % RMS of the target sine.
 */
export function cycleStability(net: RateNetwork, w: Float64Array, cycle: ClampedCycle, seed = 1): CycleStability {
  const n = net.n;
  const dt = net.options.dt;
  const rng = Rng.stream(seed, `cycle-stability/${cycle.omega}`);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.atanh(Math.max(-0.999999, Math.min(0.999999, cycle.rates.data[i]))) + 1e-3 * rng.normal();
  const period = cycle.rates.rows;
  const r = new Float64Array(n);
  const drive = new Float64Array(n);
  const t0 = cycle.t[0];
  let se = 0;
  for (let s = 0; s < 10 * period; s++) {
    let z = 0;
    for (let i = 0; i < n; i++) {
      r[i] = Math.tanh(x[i]);
      z += w[i] * r[i];
    }
    if (s >= 9 * period) se += (z - cycle.amplitude * Math.sin(cycle.omega * (t0 + s * dt))) ** 2;
    applyConnectivity(net.J, r, drive);
    for (let i = 0; i < n; i++) x[i] += dt * (drive[i] + net.wFb![i] * z - x[i]);
  }
  const relativeRms = Math.sqrt(se / period) / (cycle.amplitude / Math.SQRT2);
  return { omega: cycle.omega, relativeRms, stable: relativeRms < 0.05 };
}

export interface PatternStudy {
  scale: PatternScale;
  cycles: { omega: number; entrainmentError: number; entrained: boolean }[];
  force: PatternRun;
  forceTests: PatternTest[];
  forceStability: CycleStability[];
  lms: { gamma: number; run: PatternRun; tests: PatternTest[] }[];
}

/** Mean ‖r‖² over the candidate cycles: LMS uses η = γ / ⟨‖r‖²⟩ (README §3.3's normalised rate). */
function meanSquaredCycleRate(cycles: ClampedCycle[]): number {
  let s = 0;
  let count = 0;
  for (const c of cycles) {
    for (let i = 0; i < c.rates.data.length; i++) s += c.rates.data[i] ** 2;
    count += c.rates.rows;
  }
  return s / count;
}

export function patternStudy(s: PatternScale, onStep: ((label: string) => void) | null = null): PatternStudy {
  checkLike('s', s, BEER_BARAK_PATTERN_SCALES.quick);
  return cachedJson('beer-barak-pattern', { s, v: 2 }, () => {
    const net = patternNetwork(s.n, s.seed);
    onStep?.('candidate cycles');
    const cycles = s.testOmegas.map((om) => clampedCycle(net, om, null, { settlePeriods: PATTERN_SETTLE_PERIODS }));
    onStep?.('FORCE');
    const force = trainPatternClosedLoop(net, createOnlineRule({ rule: 'rls', n: s.n }), patternTrials(s.forceTrials, { seed: s.seed }), cycles);
    const forceTests = testPattern(net, force.w, force.x, s.testOmegas);
    const forceStability = cycles.map((c) => cycleStability(net, force.w, c, s.seed));
    const eta = meanSquaredCycleRate(cycles);
    const lms = s.lmsGammas.map((gamma) => {
      onStep?.(`LMS γ = ${gamma}`);
      const run = trainPatternClosedLoop(net, createOnlineRule({ rule: 'lms', n: s.n, eta: gamma / eta }), patternTrials(s.lmsTrials, { seed: s.seed }), cycles);
      return { gamma, run, tests: testPattern(net, run.w, run.x, s.testOmegas) };
    });
    return {
      scale: s,
      cycles: cycles.map((c) => ({ omega: c.omega, entrainmentError: c.entrainmentError, entrained: c.entrained })),
      force, forceTests, forceStability, lms,
    };
  });
}

const median = finiteMedian;

export const deltaRow = (m: Mat, row: number): number[] => Array.from(m.data.subarray(row * m.cols, (row + 1) * m.cols));

/** log10 q̂_cyc as a K × (trials + 1) matrix (test ω along rows, trials along columns) for heat maps; floor 1e-16. */
export function logCycleMap(run: PatternRun): Mat {
  const T1 = run.deltaCyc.rows;
  const K = run.deltaCyc.cols;
  const data = new Float64Array(K * T1);
  for (let t = 0; t < T1; t++) for (let k = 0; k < K; k++) data[k * T1 + t] = Math.log10(Math.max(run.deltaCyc.data[t * K + k], 1e-16));
  return { rows: K, cols: T1, data };
}

/** Median q̂_cyc over the test grid after every trial (the learning curve). */
export function medianCycleMismatch(run: PatternRun): Float64Array {
  return Float64Array.from({ length: run.deltaCyc.rows }, (_, t) => median(deltaRow(run.deltaCyc, t)));
}

// ---- Why FORCE does not produce the cycles (notebook 04, section 4): protocols and capacity. ----

/**
 * FORCE training protocols of the pattern task. 'throughout' is README §4.2's (the study's FORCE run); the others each
 * change one thing the diagnosis points at, with the trial count, network and test unchanged: no learning during the
 * cue (the switch that let FORCE hold the memory task's values, notebook 02), no learning while the loop settles onto
 * the cycle (the cue and the first output period), and frequencies drawn from the test grid instead of the interval.
 */
export type PatternProtocol = 'throughout' | 'output-only' | 'settled' | 'test-grid';
export const PATTERN_PROTOCOLS: readonly PatternProtocol[] = ['throughout', 'output-only', 'settled', 'test-grid'];
export const PATTERN_PROTOCOL_LABELS: Readonly<Record<PatternProtocol, string>> = {
  throughout: 'learning throughout the trial',
  'output-only': 'no learning during the cue',
  settled: 'no learning during the cue and the first output period',
  'test-grid': 'trained on the test frequencies only',
};

function protocolSettings(protocol: PatternProtocol, s: PatternScale): { loop: Partial<PatternLoopOptions>; omegaSet: number[] | null } {
  switch (protocol) {
    case 'throughout':
      return { loop: {}, omegaSet: null };
    case 'output-only':
      return { loop: { learnDuringCue: false }, omegaSet: null };
    case 'settled':
      return { loop: { learnDuringCue: false, learnFromPeriod: 1 }, omegaSet: null };
    case 'test-grid':
      return { loop: {}, omegaSet: [...s.testOmegas] };
  }
}

/** K frequencies evenly spaced over the task's interval [0.2, 0.6] (K = 1: its midpoint). */
export function evenFrequencies(K: number): number[] {
  checkInteger('K', K, { min: 1, max: 1000 });
  const { omegaMin: lo, omegaMax: hi } = PATTERN_TASK_DEFAULTS;
  return K === 1 ? [(lo + hi) / 2] : Array.from({ length: K }, (_, i) => Number((lo + ((hi - lo) * i) / (K - 1)).toFixed(6)));
}

export interface PatternForceJob {
  s: PatternScale;
  loop: Partial<PatternLoopOptions>;
  /** Trial frequencies drawn from this set, or null for the interval. */
  omegaSet: number[] | null;
  /** Frequencies the trained loop is cued with and scored at. */
  testOmegas: number[];
}

export interface PatternForceResult {
  job: PatternForceJob;
  run: PatternRun;
  tests: PatternTest[];
  stability: CycleStability[];
}

/** One FORCE run of the pattern task (a worker-thread job; cached by its options). */
export function patternForceJob(job: PatternForceJob): PatternForceResult {
  return cachedJson('beer-barak-pattern-force', { job, v: 1 }, () => {
    const { s } = job;
    const net = patternNetwork(s.n, s.seed);
    const cycleAt = new Map<number, ClampedCycle>();
    const cycle = (om: number) => cycleAt.get(om) ?? cycleAt.set(om, clampedCycle(net, om, null, { settlePeriods: PATTERN_SETTLE_PERIODS })).get(om)!;
    const run = trainPatternClosedLoop(net, createOnlineRule({ rule: 'rls', n: s.n }), patternTrials(s.forceTrials, { seed: s.seed, omegaSet: job.omegaSet }), s.testOmegas.map(cycle), job.loop);
    const scored = job.testOmegas.map(cycle);
    return { job, run, tests: testPattern(net, run.w, run.x, job.testOmegas), stability: scored.map((c) => cycleStability(net, run.w, c, s.seed)) };
  });
}

export interface PatternDiagnosis {
  /** FORCE under each protocol other than 'throughout' (whose run is the study's own), scored on the test grid. */
  protocols: { protocol: PatternProtocol; result: PatternForceResult }[];
  /** FORCE trained on K evenly spaced frequencies and scored at those K (capacity). */
  capacity: { K: number; omegas: number[]; result: PatternForceResult }[];
}

/**
 * The FORCE runs that diagnose B6 (notebook 04, section 4), on worker threads: one job per protocol and per capacity
 * size K; each is seeded like the study's own FORCE run (same network, initial state and trial draws), so its results
 * do not depend on the number of workers.
 */
export async function patternDiagnosis(
  s: PatternScale,
  protocols: readonly PatternProtocol[] = PATTERN_PROTOCOLS.filter((p) => p !== 'throughout'),
  onDone?: (label: string) => void,
  workers?: number,
): Promise<PatternDiagnosis> {
  checkLike('s', s, BEER_BARAK_PATTERN_SCALES.quick);
  protocols.forEach((p, i) => checkChoice(`protocols[${i}]`, p, PATTERN_PROTOCOLS));
  s.capacitySizes.forEach((K, i) => checkInteger(`s.capacitySizes[${i}]`, K, { min: 1, max: 1000 }));
  const jobs: PatternForceJob[] = [
    ...protocols.map((p) => ({ s, ...protocolSettings(p, s), testOmegas: [...s.testOmegas] })),
    ...s.capacitySizes.map((K) => ({ s, loop: {}, omegaSet: evenFrequencies(K), testOmegas: evenFrequencies(K) })),
  ];
  const labels = [...protocols.map((p) => PATTERN_PROTOCOL_LABELS[p]), ...s.capacitySizes.map((K) => `${K} trained frequenc${K === 1 ? 'y' : 'ies'}`)];
  const out = await runParallel<PatternForceJob, PatternForceResult>(PATTERN_JOBS_URL, 'patternForceJob', jobs, { workers, onResult: (i) => onDone?.(labels[i]) });
  return {
    protocols: protocols.map((protocol, i) => ({ protocol, result: out[i] })),
    capacity: s.capacitySizes.map((K, i) => ({ K, omegas: jobs[protocols.length + i].testOmegas, result: out[protocols.length + i] })),
  };
}

export interface TrainingErrorSummary {
  /** Mean squared training error over each trial's last output period: length trials. */
  lastPeriod: Float64Array;
  /** Its median over the first `early` trials and over the last `late` trials. */
  early: number;
  late: number;
}

/** How far the loop is from its target while FORCE learns: the last output period's e² per trial, early vs late. */
export function trainingErrorSummary(run: PatternRun, early = 5, late = 10): TrainingErrorSummary {
  const { rows, cols, data } = run.periodSquaredError;
  const lastPeriod = Float64Array.from({ length: rows }, (_, k) => data[k * cols + cols - 1]);
  const all = Array.from(lastPeriod);
  return { lastPeriod, early: median(all.slice(0, Math.min(early, rows))), late: median(all.slice(Math.max(0, rows - late))) };
}
