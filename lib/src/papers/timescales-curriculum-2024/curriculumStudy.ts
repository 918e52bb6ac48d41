/**
 * Khajehabdollahi et al. 2024 (timescales and curricula): scales of README §7, the curriculum runs (in parallel on
 * worker threads, cached), and the criteria of claims T1, T3, T4 and T5 (README §6).
 */
import { availableParallelism } from 'node:os';
import { byScale, scale } from '../../notebook/scale.js';
import { ParameterError, checkInteger, checkLike, checkNumber } from '../../numerics/validate.js';
import { eigenvalues, spectralRadius } from '../../numerics/matrix.js';
import type { Rnn } from '../../dynamics/rnn/model.js';
import { runParallel } from '../../parallel/workerPool.js';
import { fastKernels } from '../../numerics/kernels/select.js';
import type { CurriculumJobOptions, CurriculumProgress, TauNetJob, TauNetResult } from './curriculumJobs.js';
import type { Progress } from '../../notebook/progress.js';
import { arrayMean, quartiles, spearman } from '../../numerics/statistics.js';
import { accuracyOn, stageAccuracy, tauStatistics, stepsToSolve, solvedAtStep, type CurriculumKind, type CurriculumOptions, type CurriculumRun, type TauStats } from './curriculum.js';
import { drivenStates } from '../../dynamics/rnn/simulate.js';
import { componentsFor, pcaVariances } from '../../analysis/dimensionality.js';
import { TIMESCALES_PAPER_SCALE, TIMESCALES_SCALES, TimescalesScale, DIMENSIONALITY } from './config.js';

/**
 * A banner for a notebook run with another n than the full scale's (RNNLAB_TIMESCALES_N, e.g. the reproduce job's
 * n = 64 variant): the notebooks' prose describes the full scale's run (n = 100); tables, figures and claim notes
 * are computed.
 */
export function sizeVariantNote(s: TimescalesScale): string | null {
  if (scale() === 'quick' || s.size === TIMESCALES_SCALES.full.size) return null;
  if (s.size === TIMESCALES_PAPER_SCALE.size && s.batchSize === TIMESCALES_PAPER_SCALE.batchSize) {
    return (
      `**This run is at the original study's scale** (n = ${s.size}, batch ${s.batchSize}, ${s.stepsPerEpoch} steps per epoch, ${s.seeds.length} networks per curriculum; ` +
      `\`RNNLAB_TIMESCALES_VARIANT=paper\`), with the curriculum runs a sweep computed (sweeps/timescales-paper-curricula.json). ` +
      `The prose of this notebook describes the n = ${TIMESCALES_SCALES.full.size} run; the tables, figures, claim verdicts and their notes are this run's.`
    );
  }
  return (
    `**This run uses n = ${s.size} hidden units** (README §7 variant, \`RNNLAB_TIMESCALES_N\`) instead of the full scale's n = ${TIMESCALES_SCALES.full.size}. ` +
    `The prose of this notebook describes the n = ${TIMESCALES_SCALES.full.size} run; the tables, figures, claim verdicts and their notes are this run's.`
  );
}

/** Module of the worker jobs, next to this file (.ts under tsx, .js when compiled). */
export const TIMESCALES_JOBS_URL = new URL(import.meta.url.endsWith('.ts') ? './curriculumJobs.ts' : './curriculumJobs.js', import.meta.url);

export interface CurriculumPair {
  seed: number;
  single: CurriculumRun;
  multi: CurriculumRun;
}

export function curriculumOptions(s: TimescalesScale, curriculum: CurriculumKind, seed: number, task: 'parity' | 'dms' = 'parity'): Partial<CurriculumOptions> {
  checkLike('s', s, TIMESCALES_SCALES.quick);
  return {
    curriculum, task, seed, size: s.size, batchSize: s.batchSize, stepsPerEpoch: s.stepsPerEpoch, testBatches: s.testBatches,
    heads: s.heads, maxSteps: s.maxSteps, targetN: curriculum === 'single' ? s.singleTarget : s.multiTarget,
  };
}

export interface CurriculumRunsOptions {
  /** A progress bar (lab.progress): advanced as each run finishes, its note shows the running runs live. */
  progress?: Progress;
  /** Worker threads (default: one per core, at most one per run; with threadsPerRun t, cores / t). */
  workers?: number;
  /**
   * Threads each run's batches are split over (default 1: runs in parallel, one thread each). t > 1 runs fewer runs
   * at a time, each on t threads, for when there are fewer runs than cores; it needs runs with chunks ≥ t and does
   * not change their numbers (dynamics/rnn/dataParallel.ts).
   */
  threadsPerRun?: number;
}

/** A run's label in progress lines and figures, e.g. 'multi-head, τ = 2, seed 1'. */
export const describeRun = (o: Partial<CurriculumOptions>): string =>
  `${o.curriculum === 'sliding' ? 'sliding-window' : `${o.curriculum}-head`}${typeof o.fixedTau === 'number' ? `, τ = ${o.fixedTau}` : ''}, seed ${o.seed}`;

/**
 * Worker-thread jobs of curriculumJobs.ts (`jobName`, each cached on disk and checkpointed while it trains) with a
 * live status line: per running run (`describe`), the largest N solved, the current stage's worst head accuracy and
 * the elapsed time.
 */
export async function trackedCurriculumJobs<O, R>(jobName: string, jobs: O[], describe: (o: O) => string, options: CurriculumRunsOptions = {}): Promise<R[]> {
  const live = new Map<number, CurriculumProgress>();
  const status = () =>
    [...live.entries()]
      .map(([i, p]) => `${describe(jobs[i])}: N ${p.solvedN} solved, stage acc ${Math.min(...p.accuracy).toFixed(2)}, ${p.elapsedSeconds.toFixed(0)} s${p.resumedAt > 0 ? ` (resumed at step ${p.resumedAt})` : ''}`)
      .join(' · ');
  // curriculumJobs takes threadsPerRun off before it gets here; other runs (the gated cells') take one thread each.
  if ((options.threadsPerRun ?? 1) !== 1) throw new ParameterError('threadsPerRun', `only the leaky RNN's runs split over threads; '${jobName}' runs take 1`);
  return runParallel<O, R>(TIMESCALES_JOBS_URL, jobName, jobs, {
    workers: options.workers,
    onProgress: (i, p) => {
      live.set(i, p as CurriculumProgress);
      options.progress?.note(status());
    },
    onResult: (i) => {
      live.delete(i);
      options.progress?.advance(`${describe(jobs[i])} done${live.size ? ` · ${status()}` : ''}`);
    },
  });
}

/** Leaky-RNN curriculum runs (curriculumJob) with their live status line; threadsPerRun t gives each job t threads. */
export function curriculumJobs(jobs: Partial<CurriculumOptions>[], options: CurriculumRunsOptions = {}): Promise<CurriculumRun[]> {
  const { threadsPerRun, ...rest } = options;
  const t = checkInteger('threadsPerRun', threadsPerRun ?? 1, { min: 1, max: 64 });
  if (t === 1) return trackedCurriculumJobs<Partial<CurriculumOptions>, CurriculumRun>('curriculumJob', jobs, describeRun, rest);
  const workers = rest.workers ?? Math.max(1, Math.floor(availableParallelism() / t));
  return trackedCurriculumJobs<CurriculumJobOptions, CurriculumRun>('curriculumJob', jobs.map((j) => ({ ...j, threads: t })), describeRun, { ...rest, workers });
}

/** Both curricula for every seed, on worker threads (identical to a serial run), each run cached on disk. */
export async function curriculumRuns(s: TimescalesScale, options: CurriculumRunsOptions & { task?: 'parity' | 'dms' } = {}): Promise<CurriculumPair[]> {
  const jobs = s.seeds.flatMap((seed) => (['single', 'multi'] as const).map((c) => curriculumOptions(s, c, seed, options.task)));
  const runs = await curriculumJobs(jobs, options);
  return s.seeds.map((seed, k) => ({ seed, single: runs[2 * k], multi: runs[2 * k + 1] }));
}

export interface T1Result {
  seed: number;
  single: number;
  multi: number;
  ratio: number;
}

/** Steps to first solve N (the budget if never) for both curricula, per seed (claim T1). */
export function solveSteps(pairs: CurriculumPair[], N: number): T1Result[] {
  return pairs.map(({ seed, single, multi }) => {
    const a = stepsToSolve(single, N);
    const b = stepsToSolve(multi, N);
    return { seed, single: a, multi: b, ratio: b / a };
  });
}

export interface T2Result {
  seed: number;
  /** Where the single-head run stopped (target N or budget), its largest solved N, and the multi-head N solved by then. */
  singleStopStep: number;
  singleNmax: number;
  multiNAtStop: number;
}

/** Where each single-head run stopped, its largest solved N, and the multi-head run's N solved by that step (claim T2). */
export function reachAtSingleStop(pairs: CurriculumPair[]): T2Result[] {
  return pairs.map(({ seed, single, multi }) => {
    const singleNmax = single.snapshots.at(-1)?.N ?? 0;
    const multiNAtStop = solvedAtStep(multi, single.stepsDone);
    return { seed, singleStopStep: single.stepsDone, singleNmax, multiNAtStop };
  });
}

export interface T3Result {
  seed: number;
  Nstar: number;
  /** Single-head: accuracy of head 0 on N′ = 2 … N* − 1, and its mean. */
  singleAccuracies: number[];
  singleMean: number;
  /** Multi-head: accuracy of every head N′ = 2 … N_max at the last snapshot on its stage's task, and its minimum. */
  multiAccuracies: number[];
  multiMin: number;
}

/** Accuracy of each run's last snapshot on the earlier N′ (claim T3): single-head on every smaller N alone, multi-head per head. */
export function earlierNAccuracy(pairs: CurriculumPair[]): T3Result[] {
  const k = fastKernels({ maxFloats: 32 * 1024 * 1024 });
  return pairs.map(({ seed, single, multi }) => {
    const s = single.snapshots.at(-1);
    const m = multi.snapshots.at(-1);
    const Nstar = s ? s.N : 0;
    const singleAccuracies = s ? Array.from({ length: Math.max(0, Nstar - 2) }, (_, i) => accuracyOn(s, single.options, i + 2, k)) : [];
    const multiAccuracies = m ? stageAccuracy(m, multi.options, k) : [];
    return { seed, Nstar, singleAccuracies, singleMean: arrayMean(singleAccuracies), multiAccuracies, multiMin: multiAccuracies.length ? Math.min(...multiAccuracies) : Number.NaN };
  });
}

export interface T4Result {
  seed: number;
  Nstar: number;
  stdRatio: number;
  maxTau: number;
  /** mean τ' at N* minus its minimum over the snapshots (the dip-then-rise, secondary). */
  meanRise: number;
}

const at = (stats: TauStats[], N: number) => stats.find((s) => s.N === N);

/** Growth of the single-head τ′ spread from N = 2 to the largest solved N* (claims T4, T14). */
export function singleHeadTauGrowth(pairs: CurriculumPair[]): T4Result[] {
  return pairs.map(({ seed, single }) => {
    const stats = tauStatistics(single);
    const last = stats.at(-1)!;
    const base = at(stats, 2) ?? stats[0];
    const minMean = Math.min(...stats.filter((s) => s.N >= 2).map((s) => s.mean));
    const stdRatio = last.std / base.std;
    return { seed, Nstar: last.N, stdRatio, maxTau: last.max, meanRise: last.mean - minMean };
  });
}

export interface T5Result {
  seed: number;
  Nmax: number;
  meanAtNmax: number;
  meanAtN2: number;
  maxOverSnapshots: number;
  stdAtNmax: number;
  stdInitial: number;
}

/** The multi-head τ′ statistics at N = 2, at N_max and over all snapshots (claims T5, T14). */
export function multiHeadTauTrend(pairs: CurriculumPair[]): T5Result[] {
  return pairs.map(({ seed, multi }) => {
    const stats = tauStatistics(multi);
    const last = stats.at(-1)!;
    const n2 = at(stats, 2) ?? stats[0];
    const maxOverSnapshots = Math.max(...stats.map((s) => s.max));
    return { seed, Nmax: last.N, meanAtNmax: last.mean, meanAtN2: n2.mean, maxOverSnapshots, stdAtNmax: last.std, stdInitial: stats[0].std };
  });
}

export interface TauNetPair {
  seed: number;
  single: TauNetResult[];
  multi: TauNetResult[];
}

/** τ_net of the multi-head snapshots at `tauNetNs` and of the single-head snapshots at N = 2 and N*, on worker threads. */
export async function tauNetRuns(s: TimescalesScale, pairs: CurriculumPair[], onDone?: (label: string) => void, workers?: number): Promise<TauNetPair[]> {
  const jobs: TauNetJob[] = pairs.flatMap(({ seed, single }) => [
    { run: curriculumOptions(s, 'single', seed), Ns: [...new Set([2, single.snapshots.at(-1)?.N ?? 2])], steps: s.tauNetSteps, trials: s.tauNetTrials },
    { run: curriculumOptions(s, 'multi', seed), Ns: s.tauNetNs, steps: s.tauNetSteps, trials: s.tauNetTrials },
  ]);
  const out = await runParallel<TauNetJob, TauNetResult[]>(TIMESCALES_JOBS_URL, 'tauNetJob', jobs, {
    workers,
    onResult: (i) => onDone?.(`τ_net, ${jobs[i].run.curriculum}-head, seed ${jobs[i].run.seed}`),
  });
  return pairs.map(({ seed }, k) => ({ seed, single: out[2 * k], multi: out[2 * k + 1] }));
}

/**
 * The spread of τ_net over the kept neurons of one snapshot (finite and > 1, as for the mean): median, quartiles and
 * maximum. T6 is decided on the mean; a few neurons with a long fitted τ_net (a slow tail of the autocorrelation,
 * or a poorly constrained two-exponential fit) can pull that mean far above what most neurons do, and the median shows it.
 */
export function tauNetSpread(r: TauNetResult): { median: number; q25: number; q75: number; max: number; kept: number } {
  const kept = r.perNeuron.filter((t) => Number.isFinite(t) && t > 1);
  const q = quartiles(kept);
  return { median: q.median, q25: q.q25, q75: q.q75, max: q.max, kept: kept.length };
}

export interface SlidingTimescales {
  /** Runs that solved at least their first window (the others have no snapshot). */
  solvedRuns: number;
  /** Mean τ′ at each such run's first and last snapshot, and the largest τ′ of any neuron at any snapshot. */
  meanFrom: number[];
  meanTo: number[];
  maxTau: number;
  /**
   * Whether the sliding-window networks follow the multi-head pattern (README §6, T5's reading): mean τ′ falls in
   * every run and no neuron exceeds `maxTauBound` (default 2.5, a notch above T5's 2.05 for the wider window).
   */
  followsMultiHead: boolean;
}

/** What the sliding-window curriculum does to the time constants (notebook 06, section 4; no claim). */
export function slidingTimescales(sliding: CurriculumRun[], maxTauBound = 2.5): SlidingTimescales {
  checkNumber('maxTauBound', maxTauBound, { min: 1 });
  const stats = sliding.filter((r) => r.snapshots.length > 0).map((r) => tauStatistics(r));
  const meanFrom = stats.map((t) => t[0].mean);
  const meanTo = stats.map((t) => t.at(-1)!.mean);
  const maxTau = Math.max(0, ...stats.flatMap((t) => t.map((x) => x.max)));
  return { solvedRuns: stats.length, meanFrom, meanTo, maxTau, followsMultiHead: stats.length > 0 && meanTo.every((v, k) => v < meanFrom[k]) && maxTau < maxTauBound };
}

export interface T6Result {
  Ns: number[];
  /** Seed-averaged mean τ_net and mean τ′ of the multi-head snapshots at Ns. */
  multiTauNet: number[];
  multiTauPrime: number[];
  spearman: number;
  growth: number;
  tauPrimeDecreases: boolean;
  /** Seed-averaged single-head τ_net at N = 2 and at N*. */
  singleStart: number;
  singleEnd: number;
}

/** Seed-averaged τ_net and τ′ curves against N (claim T6: multi-head N ∈ {2, 5, 10, 15, 20}; single-head at N = 2 and N*). */
export function tauNetTrend(tauNet: TauNetPair[]): T6Result {
  const Ns = [...new Set(tauNet.flatMap((p) => p.multi.map((r) => r.N)))].sort((a, b) => a - b);
  const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const at = (N: number, key: 'mean' | 'meanTauPrime') => avg(tauNet.flatMap((p) => p.multi.filter((r) => r.N === N).map((r) => r[key])).filter(Number.isFinite));
  const multiTauNet = Ns.map((N) => at(N, 'mean'));
  const multiTauPrime = Ns.map((N) => at(N, 'meanTauPrime'));
  const rho = spearman(Ns, multiTauNet);
  const growth = multiTauNet[multiTauNet.length - 1] / multiTauNet[0];
  const tauPrimeDecreases = multiTauPrime.every((v, i) => i === 0 || v <= multiTauPrime[i - 1]);
  const singleStart = avg(tauNet.map((p) => p.single[0]?.mean ?? Number.NaN));
  const singleEnd = avg(tauNet.map((p) => p.single.at(-1)?.mean ?? Number.NaN));
  return { Ns, multiTauNet, multiTauPrime, spearman: rho, growth, tauPrimeDecreases, singleStart, singleEnd };
}

// ---- Controls: fixed τ (T7) and no curriculum (T11). ----

export interface FixedTauRun {
  curriculum: CurriculumKind;
  fixedTau: number;
  seed: number;
  Nmax: number;
  steps: number;
}

/** The runs of fixedTauRuns: both curricula with each fixed τ, for every control seed. */
const fixedTauJobs = (s: TimescalesScale) => s.fixedTaus.flatMap((fixedTau) => s.controlSeeds.flatMap((seed) => (['single', 'multi'] as const).map((c) => ({ ...curriculumOptions(s, c, seed), fixedTau }))));

const fixedTauRows = (jobs: ReturnType<typeof fixedTauJobs>, runs: CurriculumRun[]): FixedTauRun[] =>
  runs.map((run, i) => ({ curriculum: jobs[i].curriculum!, fixedTau: jobs[i].fixedTau as number, seed: jobs[i].seed!, Nmax: run.snapshots.at(-1)?.N ?? 0, steps: run.stepsDone }));

/** Both curricula with a fixed shared τ ∈ fixedTaus (not trained), for `controlSeeds`, on worker threads (cached). */
export async function fixedTauRuns(s: TimescalesScale, options: CurriculumRunsOptions = {}): Promise<FixedTauRun[]> {
  const jobs = fixedTauJobs(s);
  return fixedTauRows(jobs, await curriculumJobs(jobs, options));
}

const medianOf = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
};

export interface T7Result {
  /** Median N_max over seeds per condition: key 'trained' or the fixed τ. */
  single: Record<string, number>;
  multi: Record<string, number>;
}

/** Medians over seeds of N_max with trained τ (the main runs) and with each fixed τ (claim T7). */
export function fixedTauTable(pairs: CurriculumPair[], fixed: FixedTauRun[], taus: number[]): T7Result {
  const nmax = (r: CurriculumRun) => r.snapshots.at(-1)?.N ?? 0;
  const table = (c: 'single' | 'multi') => {
    const out: Record<string, number> = { trained: medianOf(pairs.map((p) => nmax(p[c]))) };
    for (const tau of taus) out[String(tau)] = medianOf(fixed.filter((f) => f.curriculum === c && f.fixedTau === tau).map((f) => f.Nmax));
    return out;
  };
  return { single: table('single'), multi: table('multi') };
}

export interface T11Result {
  seed: number;
  /** Steps the single-head curriculum needed to solve N (its full budget if it never did). */
  budget: number;
  accuracy: number;
  solved: boolean;
}

/** Claim T11: train N from scratch (no curriculum) with the single-head curriculum's budget to reach N; final accuracy. */
export async function noCurriculumRuns(s: TimescalesScale, pairs: CurriculumPair[], options: CurriculumRunsOptions = {}): Promise<T11Result[]> {
  const jobs = noCurriculumJobs(s, pairs);
  return noCurriculumRows(s, pairs, jobs, await curriculumJobs(jobs, options));
}

/** The runs of noCurriculumRuns: N = t11N from scratch, with the budget the seed's single-head curriculum needed. */
const noCurriculumJobs = (s: TimescalesScale, pairs: CurriculumPair[]) =>
  pairs.map(({ seed, single }) => ({ ...curriculumOptions(s, 'single', seed), startN: s.t11N, targetN: s.t11N, maxSteps: stepsToSolve(single, s.t11N) }));

function noCurriculumRows(s: TimescalesScale, pairs: CurriculumPair[], jobs: ReturnType<typeof noCurriculumJobs>, runs: CurriculumRun[]): T11Result[] {
  const k = fastKernels({ maxFloats: 32 * 1024 * 1024 });
  return runs.map((run, i) => {
    const solved = run.snapshots.length > 0;
    // The final network: the snapshot if solved, else evaluate the run's last state (kept as its final model).
    const accuracy = accuracyOn({ N: s.t11N, Ns: [s.t11N], step: run.stepsDone, epoch: 0, headAccuracy: [], model: run.finalModel }, run.options, s.t11N, k);
    return { seed: pairs[i].seed, budget: jobs[i].maxSteps, accuracy, solved };
  });
}

// ---- T12: connectivity statistics (README §5.4). ----

export interface ConnectivityStats {
  /** Mean and std of the off-diagonal entries of W, and the spectral radius of W (diagonal zeroed, as used). */
  mean: number;
  std: number;
  spectralRadius: number;
}

export function connectivityStats(model: Rnn): ConnectivityStats {
  const N = model.config.size;
  const W = model.params.W!;
  const data = new Float64Array(N * N);
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      if (i === j) continue;
      const w = W[i * N + j];
      data[i * N + j] = w;
      sum += w;
      sq += w * w;
    }
  }
  const count = N * (N - 1);
  const mean = sum / count;
  return { mean, std: Math.sqrt(sq / count - mean * mean), spectralRadius: spectralRadius(eigenvalues({ rows: N, cols: N, data })) };
}

export interface T12Result {
  seed: number;
  /** Largest N solved by both curricula (the comparison point), and the statistics of both snapshots there. */
  commonN: number;
  single: ConnectivityStats | null;
  multi: ConnectivityStats | null;
}

/** Connectivity statistics of both curricula at the largest N both solved, per seed (claim T12). */
export function connectivityAtCommonN(pairs: CurriculumPair[]): T12Result[] {
  return pairs.map(({ seed, single, multi }) => {
    const commonN = Math.min(single.snapshots.at(-1)?.N ?? 0, multi.snapshots.at(-1)?.N ?? 0);
    const snap = (r: CurriculumRun) => r.snapshots.find((s) => s.N === commonN);
    const s = snap(single);
    const m = snap(multi);
    const sStats = s ? connectivityStats(s.model) : null;
    const mStats = m ? connectivityStats(m.model) : null;
    return { seed, commonN, single: sStats, multi: mStats };
  });
}

export interface T13Row {
  seed: number;
  curriculum: CurriculumKind;
  Ns: number[];
  /** Mean k₉₀ over the trials at each snapshot N. */
  k90: number[];
  spearman: number;
}

/**
 * k₉₀ of driven activity at every snapshot of both curricula, and its rank correlation with N per network (README §5.3,
 * claim T13).
 */
export function dimensionalityByN(pairs: CurriculumPair[], quick = false): T13Row[] {
  const o = quick ? { ...DIMENSIONALITY, steps: 2500, trials: 2 } : DIMENSIONALITY;
  const rows: T13Row[] = pairs.flatMap(({ seed, single, multi }) =>
    [single, multi].map((run) => {
      const snaps = run.snapshots;
      const k90 = snaps.map((snap) => {
        let sum = 0;
        for (let k = 0; k < o.trials; k++) {
          const states = drivenStates(snap.model, { steps: o.steps, discard: o.discard, seed: `${seed}/dimensionality/${k}` });
          sum += componentsFor(pcaVariances(states, o.steps - o.discard, snap.model.config.size));
        }
        return sum / o.trials;
      });
      const Ns = snaps.map((snap) => snap.N);
      return { seed, curriculum: run.options.curriculum, Ns, k90, spearman: spearman(Ns, k90) };
    }),
  );
  return rows;
}

const slidingJobs = (s: TimescalesScale) => s.controlSeeds.map((seed) => ({ ...curriculumOptions(s, 'multi', seed), curriculum: 'sliding' as const }));

/**
 * Notebook 06's runs in one batch of worker jobs: the fixed-τ controls (T7), the no-curriculum runs (T11) and the
 * sliding-window runs, the same cached runs as fixedTauRuns, noCurriculumRuns and slidingRuns give. One batch keeps
 * every core busy until the last run ends; three batches in a row each waited for their own slowest run.
 */
export async function controlRuns(s: TimescalesScale, pairs: CurriculumPair[], options: CurriculumRunsOptions = {}): Promise<{ fixed: FixedTauRun[]; noCurriculum: T11Result[]; sliding: CurriculumRun[] }> {
  const fixed = fixedTauJobs(s);
  const sliding = slidingJobs(s);
  const none = noCurriculumJobs(s, pairs);
  // The long runs first (fixed τ often use the whole budget; the sliding windows reach N = 21), the short ones last.
  const runs = await curriculumJobs([...fixed, ...sliding, ...none], options);
  const a = fixed.length;
  const b = a + sliding.length;
  return { fixed: fixedTauRows(fixed, runs.slice(0, a)), sliding: runs.slice(a, b), noCurriculum: noCurriculumRows(s, pairs, none, runs.slice(b)) };
}

/** Sliding-window runs (README §4.2 option: window 10, slide 5) with the multi-head runs' sizes and target, one per control seed. */
export async function slidingRuns(s: TimescalesScale, options: CurriculumRunsOptions = {}): Promise<CurriculumRun[]> {
  return curriculumJobs(slidingJobs(s), options);
}
