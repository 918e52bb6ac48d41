/**
 * Beer & Barak 2019 (README.md in this folder): network construction, scales, cached clamped grids
 * and the criteria of the claims, shared by the notebooks and their tests. Criteria are the README §6, fixed
 * before the runs; every one must hold for every seed.
 */
import { byScale } from '../../notebook/scale.js';
import { connectivityToDense } from '../../dynamics/connectivity.js';
import { findFixedPoints, rateNetworkFlow } from '../../analysis/fixedPoints.js';
import { maxRealPart, type Mat } from '../../numerics/matrix.js';
import { createRateNetwork, type RateNetwork } from '../../dynamics/rateNetwork.js';
import { clampedFixedPointGrid, checkClampedFixedPoint, type ClampedGrid, type ClampedPointCheck } from './clampedFixedPoints.js';
import { cachedJson } from '../../io/atomic.js';
import { memoryTrials, valueGrid } from '../../tasks/memoryTask.js';
import { createOnlineRule, type OnlineRuleOptions } from '../../learning/onlineRules.js';
import { runReducedModel, meanSquaredRateNorm, type ReducedRun } from './reducedModel.js';
import { testMemory, closedLoopLeadingEigenvalue, trainMemoryClosedLoop, type ClosedLoopGrids, type ClosedLoopRun } from './closedLoopMemory.js';
import {
  destructionRates,
  fractionHeld,
  medianQHat,
  meanHarmPerTrial,
  trainedBelowMedianFraction,
  interferencePairs,
  trialsToCriterion,
} from './interference.js';
import { finiteMean, median, spearman } from '../../numerics/statistics.js';
import { BEER_BARAK_CLOSED_LOOP_SCALES, BEER_BARAK_NETWORK, BEER_BARAK_SCALES, BeerBarakScale, PRESENTATIONS, BeerBarakClosedLoopScale, PATTERN_SETTLE_PERIODS } from './config.js';
import { checkChoice, checkInteger, checkLike, checkNumber, ParameterError } from '../../numerics/validate.js';
import { runParallel } from '../../parallel/workerPool.js';
import { movingMedian } from '../../numerics/smoothing.js';
import { clampedCycle } from './limitCycles.js';

/** This module is its own worker-thread job module (closedLoopStudyJob). */
const CLOSED_LOOP_JOBS_URL = new URL(import.meta.url);

/** The study's network (eq. 1, parameters in BEER_BARAK_NETWORK): N units, connectivity and vectors drawn from `seed`. */
export function beerBarakNetwork(n: number, seed: number): RateNetwork {
  return createRateNetwork({ ...BEER_BARAK_NETWORK, n, seed });
}

/** The pattern task's frequencies and the phases per period sampled as B3's probes (README §5.6; fixed before the runs). */
export const PROBE_OMEGAS = [0.2, 0.4, 0.6] as const;
export const PROBE_PHASES = 8;

/**
 * B3's probes from the pattern task (README §5.6): rate vectors of the memory network with its feedback clamped to
 * sin ωt (u = 0), as in the pattern task's candidate cycles (§5.5), after settling, at `phases` evenly spaced phases of
 * each ω: (ω count × phases) × N. A probe need not lie on an entrained orbit; it is a test direction whose readout
 * wᵀ r_P the closed loop records after every trial, and its rates are far less like the line's than the grid's are.
 */
export function patternProbes(net: RateNetwork, omegas: readonly number[] = PROBE_OMEGAS, phases = PROBE_PHASES): Mat {
  checkInteger('phases', phases, { min: 1, max: 1000 });
  const n = net.n;
  const data = new Float64Array(omegas.length * phases * n);
  omegas.forEach((omega, j) => {
    const c = clampedCycle(net, omega, null, { settlePeriods: PATTERN_SETTLE_PERIODS });
    for (let p = 0; p < phases; p++) {
      const sample = Math.floor((p * c.rates.rows) / phases);
      data.set(c.rates.data.subarray(sample * n, (sample + 1) * n), (j * phases + p) * n);
    }
  });
  return { rows: omegas.length * phases, cols: n, data };
}

export interface MemoryGrids {
  fine: ClampedGrid;
  eval: ClampedGrid;
}

/** Clamped fixed points on the fine and evaluation grids, cached on disk per (N, seed, grid sizes). */
export function memoryGrids(net: RateNetwork, fineCount: number, evalCount: number): MemoryGrids {
  const key = { n: net.n, g: net.options.g, seed: net.options.seed, fineCount, evalCount, version: 1 };
  return cachedJson('beer-barak-grids', key, () => ({
    fine: clampedFixedPointGrid(net, valueGrid(1, 5, fineCount)),
    eval: clampedFixedPointGrid(net, valueGrid(1, 5, evalCount)),
  }));
}

/** README §5.1 step 3 at selected values: stable (all Re lambda < 0) and unique (random starts agree). */
export function openLoopChecks(net: RateNetwork, grids: MemoryGrids, values: number[]): ClampedPointCheck[] {
  return values.map((v) => {
    const k = Math.round(((v - 1) / 4) * (grids.eval.values.length - 1));
    return checkClampedFixedPoint(net, grids.eval.values[k], grids.eval.x.data.subarray(k * net.n, (k + 1) * net.n));
  });
}

export type ReducedRuleSpec = { label: string; trials: number; rule: Partial<OnlineRuleOptions> & Pick<OnlineRuleOptions, 'rule'> };

/** Runs the reduced model for one rule; LMS is parametrised by the per-update gain gamma = eta * R_bar. */
export function runReduced(grids: MemoryGrids, seed: number, setting: ReducedRuleSpec): ReducedRun {
  const n = grids.fine.r.cols;
  return runReducedModel({
    fineValues: grids.fine.values,
    fineRates: grids.fine.r,
    evalValues: grids.eval.values,
    evalRates: grids.eval.r,
    trialValues: memoryTrials(setting.trials, { seed }).values,
    rule: createOnlineRule({ n, ...setting.rule }),
    presentations: PRESENTATIONS,
  });
}

/** Trials to criterion for a report: the number, or 'not reached' (JSON has no Infinity). */
export function trialsLabel(t: number): number | string {
  return Number.isFinite(t) ? t : 'not reached';
}

export function lmsSpec(grids: MemoryGrids, gamma: number, trials: number): ReducedRuleSpec {
  return { label: `LMS γ = ${gamma}`, trials, rule: { rule: 'lms', eta: gamma / meanSquaredRateNorm(grids.eval.r) } };
}

export interface ReducedStudy {
  seed: number;
  net: RateNetwork;
  grids: MemoryGrids;
  force: ReducedRun;
  lms: { gamma: number; run: ReducedRun }[];
  variants: { label: string; run: ReducedRun }[];
}

/** The FORCE-ingredient variants of the reduced model (README §5.3), by the label they are shown with. */
export const REDUCED_VARIANT_LABELS = ['RLS-reset', 'RLS-frozen (after trial 10)', 'NLMS μ = 1', 'NLMS μ = 0.1', 'diagonal-P RLS'] as const;
export type ReducedVariantLabel = (typeof REDUCED_VARIANT_LABELS)[number];
const REDUCED_VARIANT_RULES: Record<ReducedVariantLabel, ReducedRuleSpec['rule']> = {
  'RLS-reset': { rule: 'rls-reset' },
  'RLS-frozen (after trial 10)': { rule: 'rls-frozen', frozenAfterTrial: 10 },
  'NLMS μ = 1': { rule: 'nlms', mu: 1 },
  'NLMS μ = 0.1': { rule: 'nlms', mu: 0.1 },
  'diagonal-P RLS': { rule: 'rls-diagonal' },
};

/** FORCE (plain RLS) in the reduced model, for the scale's number of trials. */
export function forceSpec(s: Pick<BeerBarakScale, 'forceTrials'>): ReducedRuleSpec {
  return { label: 'FORCE (RLS)', trials: s.forceTrials, rule: { rule: 'rls' } };
}

/** Every reduced-model run of one seed (FORCE, LMS at each gamma, the FORCE-ingredient variants). */
export function reducedStudy(seed: number, s: BeerBarakScale, onStep: ((label: string) => void) | null = null): ReducedStudy {
  checkLike('s', s, BEER_BARAK_SCALES.quick);
  const net = beerBarakNetwork(s.n, seed);
  onStep?.('clamped fixed points');
  const grids = memoryGrids(net, s.fineCount, s.evalCount);
  onStep?.('FORCE');
  const force = runReduced(grids, seed, forceSpec(s));
  const lms = s.lmsGammas.map((gamma) => {
    onStep?.(`LMS γ = ${gamma}`);
    return { gamma, run: runReduced(grids, seed, lmsSpec(grids, gamma, s.lmsTrials)) };
  });
  const variantSpecs: ReducedRuleSpec[] = REDUCED_VARIANT_LABELS.map((label) => ({ label, trials: s.variantTrials, rule: REDUCED_VARIANT_RULES[label] }));
  const variants = variantSpecs.map((setting) => {
    onStep?.(setting.label);
    return { label: setting.label, run: runReduced(grids, seed, setting) };
  });
  return { seed, net, grids, force, lms, variants };
}

/**
 * log10 q(v) = log10(|w_fb|^2 delta^2 / 2) (tau = 1) as a K x (trials + 1) matrix (values along rows, trials along
 * columns) for heat maps, for trials 0..maxTrials; q below 1e-16 is drawn at 1e-16.
 */
export function logSpeedMap(run: ReducedRun, wFb: Float64Array, maxTrials = Infinity): { rows: number; cols: number; data: Float64Array } {
  let wNorm2 = 0;
  for (const x of wFb) wNorm2 += x * x;
  const T1 = Math.min(run.delta.rows, maxTrials + 1);
  const K = run.delta.cols;
  const data = new Float64Array(K * T1);
  for (let t = 0; t < T1; t++) {
    for (let a = 0; a < K; a++) data[a * T1 + t] = Math.log10(Math.max(0.5 * wNorm2 * run.delta.data[t * K + a] ** 2, 1e-16));
  }
  return { rows: K, cols: T1, data };
}

export interface LmsPlateauRow {
  seed: number;
  gamma: number;
  /** The lowest median q̂ of any single trial (what B5's LMS part is decided on), and on how many trials it is below `bar`. */
  lowestMedianQHat: number;
  trialsBelowBar: number;
  /** The lowest 9-trial running median of the median q̂: the level without single-trial flicker. */
  lowestRunningMedian: number;
  /** Median of the median q̂ over the second half of the run: the plateau LMS settles on. */
  plateau: number;
}

/**
 * Where LMS settles in the reduced model, per seed and γ (claim B5, README §6): B5's LMS part fails if the median q̂ of
 * any single trial dips below the bar; this separates such a dip (a flicker on a plateau) from convergence.
 */
export function lmsPlateau(studies: ReducedStudy[], bar: number): LmsPlateauRow[] {
  checkNumber('bar', bar, { min: 0, exclusiveMin: true });
  return studies.flatMap((st) =>
    st.lms.map(({ gamma, run }) => {
      const m = medianQHat(run.delta).subarray(1);
      const running = movingMedian(m, 9).subarray(Math.min(8, m.length - 1));
      return {
        seed: st.seed,
        gamma,
        lowestMedianQHat: Math.min(...m),
        trialsBelowBar: m.filter((q) => q < bar).length,
        lowestRunningMedian: Math.min(...running),
        plateau: median(m.subarray(m.length >> 1)),
      };
    }),
  );
}

// ---- Closed loop (README §3.1, §4.1; notebook 02). ----

export interface CueOnsetDiagnosis {
  /** The late trials summarised, [from, to] (1-based, inclusive): after the first fast fall of the error. */
  fromTrial: number;
  toTrial: number;
  /** Mean |v_k − p_k| over those trials: the target step the rule is fed at cue onset, p_k the state's place on the line. */
  meanOnsetStep: number;
  /** Mean over those trials of the per-trial mean squared error e² = (z − f)² in the cue and in the delay. */
  cueSquaredError: number;
  delaySquaredError: number;
  /** Median q̂ over the evaluation grid after the last trial. */
  finalMedianQHat: number;
}

/**
 * Why learning during the cue leaves an error floor (issue 14, README §4.1): at every cue onset the target jumps to the
 * new value while the state still sits near the previous value's point on the line, so the rule is fed the rates of
 * one point with the target of another. RLS with forgetting factor 1 keeps every such sample; the least-squares
 * readout that fits them all cannot be exact at either point. This summarises a run's late trials: the size of the
 * step, the squared error in each phase, and where q̂ ends.
 */
export function cueOnsetDiagnosis(run: ClosedLoopRun, fromTrial = 21): CueOnsetDiagnosis {
  const T = run.divergedAtTrial >= 0 ? run.divergedAtTrial : run.trialValues.length;
  checkInteger('fromTrial', fromTrial, { min: 2, max: Math.max(2, T) });
  const ks = Array.from({ length: T - fromTrial + 1 }, (_, i) => fromTrial - 1 + i);
  return {
    fromTrial,
    toTrial: T,
    meanOnsetStep: finiteMean(Float64Array.from(ks, (k) => Math.abs(run.trialValues[k] - run.onsetLinePosition[k]))),
    cueSquaredError: finiteMean(Float64Array.from(ks, (k) => run.cueSquaredError[k])),
    delaySquaredError: finiteMean(Float64Array.from(ks, (k) => run.delaySquaredError[k])),
    finalMedianQHat: medianQHat(run.delta)[T],
  };
}

export function closedLoopGrids(grids: MemoryGrids): ClosedLoopGrids {
  return { fineValues: grids.fine.values, fineRates: grids.fine.r, evalValues: grids.eval.values, evalRates: grids.eval.r };
}

export interface ClosedLoopEvaluation {
  /** Output at the end of a 30 tau delay for each evaluation value. */
  zEnd: Float64Array;
  /** Network state at the end of each test trial (values x N). */
  endStates: Mat;
  /** Largest real part of the closed-loop Jacobian at the checked evaluation values. */
  eigenValues: Float64Array;
  leadingEigenvalues: Float64Array;
}

export interface DriftAgainstMismatch {
  /** Per evaluation value: |z_end − v| after a 30 τ test delay, and |δ(v)| = |wᵀ r_v − v| of the final readout. */
  drift: Float64Array;
  mismatch: Float64Array;
  /** Spearman ρ between them: how far the drift follows the readout's error at the candidate point. */
  rho: number;
  /** Median |δ| over the values held within `tolerance` and over those that drift beyond it (NaN if none). */
  medianMismatchHeld: number;
  medianMismatchLost: number;
}

/**
 * B1's failure read against the readout error (notebook 02, section 3): at a candidate point the closed-loop velocity
 * is w_fb δ(v)/τ (README §5.2), so a value whose δ is larger should drift further in a test delay.
 */
export function driftAgainstMismatch(run: ClosedLoopRun, evaluation: ClosedLoopEvaluation, tolerance = 0.05): DriftAgainstMismatch {
  const K = run.delta.cols;
  if (evaluation.zEnd.length !== K) throw new ParameterError('evaluation', `has ${evaluation.zEnd.length} test values, the run's grid has ${K}`);
  checkNumber('tolerance', tolerance, { min: 0, exclusiveMin: true });
  const last = run.delta.data.subarray((run.delta.rows - 1) * K, run.delta.rows * K);
  const drift = Float64Array.from(evaluation.zEnd, (z, i) => Math.abs(z - run.evalValues[i]));
  const mismatch = Float64Array.from(last, Math.abs);
  const held = Array.from(mismatch).filter((_, i) => drift[i] < tolerance);
  const lost = Array.from(mismatch).filter((_, i) => !(drift[i] < tolerance));
  return {
    drift,
    mismatch,
    rho: spearman(drift, mismatch),
    medianMismatchHeld: held.length ? median(held) : Number.NaN,
    medianMismatchLost: lost.length ? median(lost) : Number.NaN,
  };
}

/** Test trials on the evaluation grid and leading eigenvalues at selected grid points, for a trained readout. */
export function evaluateClosedLoop(net: RateNetwork, run: ClosedLoopRun, grids: MemoryGrids, eigenIndices: number[]): ClosedLoopEvaluation {
  const { zEnd, endStates } = testMemory(net, run.w, run.x, grids.eval.values);
  const n = net.n;
  const lead = eigenIndices.map((k) => closedLoopLeadingEigenvalue(net, run.w, grids.eval.r.data.subarray(k * n, (k + 1) * n)));
  return { zEnd, endStates, eigenValues: Float64Array.from(eigenIndices, (k) => grids.eval.values[k]), leadingEigenvalues: Float64Array.from(lead) };
}

/**
 * When the readout learns in a closed-loop trial (README §4.1): throughout the trial (the default, as fixed before our
 * first runs) or in the delay only (the second protocol, issue 14; same delays U[5, 30] τ and trial counts, so that the
 * switch is the only difference).
 */
export type ClosedLoopProtocol = 'throughout' | 'delay-only';
export const CLOSED_LOOP_PROTOCOLS: readonly ClosedLoopProtocol[] = ['throughout', 'delay-only'];
/** How each protocol is named in legends, tables and claim criteria. */
export const CLOSED_LOOP_PROTOCOL_LABELS: Readonly<Record<ClosedLoopProtocol, string>> = {
  throughout: 'learning throughout the trial',
  'delay-only': 'learning in the delay only',
};

export interface ClosedLoopStudy {
  seed: number;
  protocol: ClosedLoopProtocol;
  net: RateNetwork;
  grids: MemoryGrids;
  /** B3's pattern-task probes (patternProbes): every run records wᵀ r_P after each trial (probeReadout). */
  probes: Mat;
  force: ClosedLoopRun;
  forceEvaluation: ClosedLoopEvaluation;
  lms: { gamma: number; run: ClosedLoopRun }[];
  /** RLS with P reset at every trial onset, in the closed loop (B4). */
  rlsReset: ClosedLoopRun;
  /** The other FORCE-ingredient variants in the closed loop (reported with the study's predictions, no pass/fail). */
  variants: { label: string; run: ClosedLoopRun }[];
  /**
   * The reduced model on the same trial sequence, for comparison; it does not depend on the protocol, so only the
   * default protocol's study runs it (null in the delay-only study).
   */
  reduced: { force: ReducedRun; lms: { gamma: number; run: ReducedRun }[] } | null;
}

export function closedLoopStudy(seed: number, s: BeerBarakClosedLoopScale, onStep: ((label: string) => void) | null = null, protocol: ClosedLoopProtocol = 'throughout'): ClosedLoopStudy {
  checkLike('s', s, BEER_BARAK_CLOSED_LOOP_SCALES.quick);
  checkChoice('protocol', protocol, CLOSED_LOOP_PROTOCOLS);
  const learnDuringCue = protocol === 'throughout';
  const net = beerBarakNetwork(s.n, seed);
  onStep?.('clamped fixed points');
  const grids = memoryGrids(net, BEER_BARAK_SCALES.full.fineCount, BEER_BARAK_SCALES.full.evalCount);
  const G = { ...closedLoopGrids(grids), probeRates: patternProbes(net) };
  const rls = () => createOnlineRule({ rule: 'rls', n: s.n });
  onStep?.('FORCE');
  const force = trainMemoryClosedLoop(net, rls(), memoryTrials(s.forceTrials, { seed }), G, { recordTrials: s.recordTrials, learnDuringCue });
  const forceEvaluation = evaluateClosedLoop(net, force, grids, s.eigenIndices);
  const eta = (gamma: number) => gamma / meanSquaredRateNorm(grids.eval.r);
  const lms = s.lmsGammas.map((gamma) => {
    onStep?.(`LMS γ = ${gamma}`);
    return { gamma, run: trainMemoryClosedLoop(net, createOnlineRule({ rule: 'lms', n: s.n, eta: eta(gamma) }), memoryTrials(s.lmsTrials, { seed }), G, { learnDuringCue }) };
  });
  onStep?.('RLS-reset');
  const rlsReset = trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls-reset', n: s.n }), memoryTrials(s.forceTrials, { seed }), G, { learnDuringCue });
  const variantSpecs: { label: string; rule: Partial<OnlineRuleOptions> & Pick<OnlineRuleOptions, 'rule'>; teacherForcing?: boolean }[] = [
    { label: 'RLS-frozen (after trial 10)', rule: { rule: 'rls-frozen', frozenAfterTrial: 10 } },
    { label: 'NLMS μ = 1', rule: { rule: 'nlms', mu: 1 } },
    { label: 'teacher-forced LMS γ = 1e-2', rule: { rule: 'lms', eta: eta(1e-2) }, teacherForcing: true },
  ];
  const variants = variantSpecs.map((v) => {
    onStep?.(v.label);
    const run = trainMemoryClosedLoop(net, createOnlineRule({ n: s.n, ...v.rule }), memoryTrials(s.forceTrials, { seed }), G, { teacherForcing: v.teacherForcing ?? false, learnDuringCue });
    return { label: v.label, run };
  });
  onStep?.(learnDuringCue ? 'reduced model' : 'reduced model: in the default protocol only');
  const reduced = learnDuringCue
    ? {
        force: runReduced(grids, seed, { label: 'FORCE', trials: s.forceTrials, rule: { rule: 'rls' } }),
        lms: s.lmsGammas.map((gamma) => ({ gamma, run: runReduced(grids, seed, lmsSpec(grids, gamma, s.lmsTrials)) })),
      }
    : null;
  return { seed, protocol, net, grids, probes: G.probeRates, force, forceEvaluation, lms, rlsReset, variants, reduced };
}

export interface ClosedLoopStudyJob {
  seed: number;
  s: BeerBarakClosedLoopScale;
  protocol: ClosedLoopProtocol;
}

/** One closed-loop study as a worker-thread job (for closedLoopStudies). */
export function closedLoopStudyJob(job: ClosedLoopStudyJob): ClosedLoopStudy {
  return closedLoopStudy(job.seed, job.s, null, job.protocol);
}

/**
 * The closed-loop studies of every seed under each protocol, on worker threads (one job per seed and protocol; the
 * results are bitwise those of closedLoopStudy in the main thread: every draw is seeded per study).
 */
export async function closedLoopStudies(
  s: BeerBarakClosedLoopScale,
  protocols: readonly ClosedLoopProtocol[] = CLOSED_LOOP_PROTOCOLS,
  onDone?: (label: string) => void,
  workers?: number,
): Promise<Record<ClosedLoopProtocol, ClosedLoopStudy[]>> {
  checkLike('s', s, BEER_BARAK_CLOSED_LOOP_SCALES.quick);
  protocols.forEach((p, i) => checkChoice(`protocols[${i}]`, p, CLOSED_LOOP_PROTOCOLS));
  const jobs: ClosedLoopStudyJob[] = protocols.flatMap((protocol) => s.seeds.map((seed) => ({ seed, s, protocol })));
  const out = await runParallel<ClosedLoopStudyJob, ClosedLoopStudy>(CLOSED_LOOP_JOBS_URL, 'closedLoopStudyJob', jobs, {
    workers,
    onResult: (i) => onDone?.(`seed ${jobs[i].seed}, ${CLOSED_LOOP_PROTOCOL_LABELS[jobs[i].protocol]}`),
  });
  const byProtocol = { throughout: [], 'delay-only': [] } as Record<ClosedLoopProtocol, ClosedLoopStudy[]>;
  out.forEach((study, i) => byProtocol[jobs[i].protocol].push(study));
  return byProtocol;
}

/** Recorded trials laid end to end on one time axis (gaps between non-consecutive trials closed up). */
export function stitchTraces(traces: ClosedLoopRun['traces']) {
  const t: number[] = [];
  const z: number[] = [];
  const f: number[] = [];
  const cues: [number, number][] = [];
  const starts: { trial: number; t: number }[] = [];
  let offset = 0;
  for (const tr of traces) {
    starts.push({ trial: tr.trial, t: offset });
    cues.push([offset, offset + tr.cueEnd]);
    for (let i = 0; i < tr.t.length; i++) {
      t.push(offset + tr.t[i]);
      z.push(tr.z[i]);
      f.push(tr.f[i]);
    }
    offset += tr.t.length ? tr.t[tr.t.length - 1] + (tr.t[1] - tr.t[0] || 0) : 0;
  }
  return { t: Float64Array.from(t), z: Float64Array.from(z), f: Float64Array.from(f), cues, starts };
}

export interface LoopPoint {
  /** Readout at the point, w^T tanh(x*). */
  z: number;
  q: number;
  kind: 'fixed' | 'slow';
  stable: boolean;
  maxRealEigenvalue: number;
  /** Test-trial end states that converged here. */
  count: number;
}

/**
 * README §5.4 cross-check: fixed and slow points of the trained closed loop dx/dt = -x + (J + w_fb w^T) tanh(x), found
 * by the general finder from states reached at the end of test trials (independent of the clamping analysis).
 */
export function closedLoopFixedPoints(net: RateNetwork, w: Float64Array, starts: Mat): LoopPoint[] {
  const n = net.n;
  const J = connectivityToDense(net.J);
  const W: Mat = { rows: n, cols: n, data: Float64Array.from(J.data) };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) W.data[i * n + j] += net.wFb![i] * w[j];
  const { points } = findFixedPoints(rateNetworkFlow(W), starts, { keepSlowPoints: true });
  return points
    .map((p) => {
      let z = 0;
      for (let i = 0; i < n; i++) z += w[i] * Math.tanh(p.x[i]);
      return { z, q: p.q, kind: p.kind, stable: p.stable, maxRealEigenvalue: maxRealPart(p.eigenvalues), count: p.count };
    })
    .sort((a, b) => a.z - b.z);
}

/** Every k-th row of a matrix (e.g. a subset of test-trial end states as finder starts). */
export function everyKthRow(m: Mat, k: number): Mat {
  const rows = Math.ceil(m.rows / k);
  const out: Mat = { rows, cols: m.cols, data: new Float64Array(rows * m.cols) };
  for (let r = 0; r < rows; r++) out.data.set(m.data.subarray(r * k * m.cols, (r * k + 1) * m.cols), r * m.cols);
  return out;
}

// ---- B7 (optional, exploratory): trial order (reduced model). ----

export type TrialOrder = 'random' | 'sorted sweeps' | 'alternating extremes';
export const TRIAL_ORDERS: readonly TrialOrder[] = ['random', 'sorted sweeps', 'alternating extremes'];

/**
 * The same trial values in three orders (README, claim B7): as drawn; in sorted ascending sweeps of `block` trials; and, within
 * each block, alternating between the smallest and the largest remaining values (1, 5, 1.1, 4.9, ...).
 */
export function reorderTrials(values: Float64Array, order: TrialOrder, block = 40): Float64Array {
  if (order === 'random') return Float64Array.from(values);
  const out = new Float64Array(values.length);
  for (let start = 0; start < values.length; start += block) {
    const chunk = Array.from(values.subarray(start, Math.min(start + block, values.length))).sort((a, b) => a - b);
    if (order === 'sorted sweeps') out.set(chunk, start);
    else {
      let lo = 0;
      let hi = chunk.length - 1;
      for (let k = 0; k < chunk.length; k++) out[start + k] = k % 2 === 0 ? chunk[lo++] : chunk[hi--];
    }
  }
  return out;
}

export interface TrialOrderRow {
  rule: string;
  order: TrialOrder;
  /** Trials until the median q̂ stays below the threshold for 10 trials, or 'not reached'. */
  trialsToCriterion: number | string;
  threshold: number;
  finalMedianQHat: number;
  /** Median q̂ over the evaluation grid before training and after each trial. */
  curve: Float64Array;
}

/** B7: FORCE and LMS (γ) on the same values in the three orders; trials to criterion and final median q̂. */
export function trialOrderStudy(grids: MemoryGrids, seed: number, gamma: number, trials: number): TrialOrderRow[] {
  const n = grids.fine.r.cols;
  const values = memoryTrials(trials, { seed }).values;
  const rules = [
    { label: 'FORCE (RLS)', rule: { rule: 'rls' as const }, threshold: 1e-5 },
    { label: `LMS γ = ${gamma}`, rule: { rule: 'lms' as const, eta: gamma / meanSquaredRateNorm(grids.eval.r) }, threshold: 1e-2 },
  ];
  return rules.flatMap(({ label, rule, threshold }) =>
    TRIAL_ORDERS.map((order) => {
      const run = runReducedModel({
        fineValues: grids.fine.values, fineRates: grids.fine.r, evalValues: grids.eval.values, evalRates: grids.eval.r,
        trialValues: reorderTrials(values, order), rule: createOnlineRule({ n, ...rule }), presentations: PRESENTATIONS,
      });
      const median = medianQHat(run.delta);
      return { rule: label, order, threshold, trialsToCriterion: trialsLabel(trialsToCriterion(median, threshold)), finalMedianQHat: median[trials], curve: median };
    }),
  );
}
