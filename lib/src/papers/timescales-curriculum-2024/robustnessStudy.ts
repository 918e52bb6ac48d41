/**
 * Notebook 10 (timescales study, robustness): single-neuron ablation of the shortest- and longest-τ neurons (claim T8)
 * and perturbations of W and τ (claim T9) on the cached curriculum snapshots of notebook 05.
 * README §5.5–5.7, §6 (T8, T9), §7 (scales).
 */
import { ablateNeuron, epsilonGrid, perturbTau, perturbWeights, relativeAccuracy, streamAccuracy } from './robustness.js';
import { arrayMean } from '../../numerics/statistics.js';
import { byScale } from '../../notebook/scale.js';
import { Rng } from '../../numerics/rng.js';
import { headFor, type CurriculumKind, type CurriculumRun, type CurriculumSnapshot } from './curriculum.js';
import { runParallel } from '../../parallel/workerPool.js';
import { TIMESCALES_JOBS_URL, type CurriculumPair } from './curriculumStudy.js';
import type { RetrainJob, RetrainResult } from './curriculumJobs.js';
import { RobustnessScale } from './config.js';

/** The ε at which claim T9 reads the perturbation curves (README §6; W: the grid point nearest 0.2, i.e. 0.215). */
export const PERTURBATION_READOUT = { weightEpsilon: 0.2, tauEpsilon: 0.1 };

/** ε grids of README §5.7. */
export const WEIGHT_EPSILONS = epsilonGrid(1e-2, 10, 10);
export const TAU_EPSILONS = epsilonGrid(1e-3, 10, 13);

const WARMUP = 100;

function snapshotAt(run: CurriculumRun, N: number): CurriculumSnapshot | undefined {
  return run.snapshots.find((s) => s.N === N);
}

/** The largest N solved by both curricula of a seed (0 if none). */
export function commonN(pair: CurriculumPair): number {
  const multi = new Set(pair.multi.snapshots.map((s) => s.N));
  return Math.max(0, ...pair.single.snapshots.map((s) => s.N).filter((N) => multi.has(N)));
}

export interface AblationResult {
  seed: number;
  curriculum: CurriculumKind;
  N: number;
  baseline: number;
  /** Relative accuracy after silencing each neuron of the group, and the group's mean τ'. */
  short: number[];
  long: number[];
  shortTau: number;
  longTau: number;
}

function streamOptions(run: CurriculumRun, snap: CurriculumSnapshot, s: RobustnessScale, streams: number, seed: string) {
  const N = snap.N;
  return { N, head: headFor(run.options, N, snap.Ns), task: run.options.task, streams, length: s.streamLength, warmup: WARMUP, seed };
}

/** README §5.6 on one snapshot: the `group` shortest- and longest-τ neurons, silenced one at a time. */
export function ablation(run: CurriculumRun, N: number, s: RobustnessScale, seed: number): AblationResult | null {
  const snap = snapshotAt(run, N);
  if (!snap) return null;
  const model = snap.model;
  const tau = Array.from(model.params.tau!, (t) => Math.max(t, 1));
  const order = tau.map((t, i) => [t, i]).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  const shortIdx = order.slice(0, s.group);
  const longIdx = order.slice(-s.group);
  const base = streamAccuracy(model, streamOptions(run, snap, s, s.baselineStreams, `${seed}/base`));
  const single = run.options.curriculum === 'single';
  const rel = (j: number) => relativeAccuracy(streamAccuracy(ablateNeuron(model, j, single ? 0 : null), streamOptions(run, snap, s, s.streams, `${seed}/ablate`)), base);
  const meanTau = (idx: number[]) => idx.reduce((a, i) => a + tau[i], 0) / idx.length;
  return { seed, curriculum: run.options.curriculum, N, baseline: base, short: shortIdx.map(rel), long: longIdx.map(rel), shortTau: meanTau(shortIdx), longTau: meanTau(longIdx) };
}

export interface PerturbationResult {
  seed: number;
  curriculum: CurriculumKind;
  N: number;
  baseline: number;
  /** Mean relative accuracy over draws at each ε (grids WEIGHT_EPSILONS, TAU_EPSILONS). */
  weights: number[];
  tau: number[];
}

/** README §5.7 on one snapshot: relative accuracy against ε for W and τ perturbations. */
export function perturbation(run: CurriculumRun, N: number, s: RobustnessScale, seed: number): PerturbationResult | null {
  const snap = snapshotAt(run, N);
  if (!snap) return null;
  const model = snap.model;
  const base = streamAccuracy(model, streamOptions(run, snap, s, s.baselineStreams, `${seed}/base`));
  const curve = (eps: number[], perturb: typeof perturbWeights, label: string) =>
    eps.map((e, k) => {
      if (e === 0) return 1;
      let sum = 0;
      for (let d = 0; d < s.draws; d++) {
        const m = perturb(model, e, Rng.stream(seed, `${label}/${k}/${d}`));
        sum += relativeAccuracy(streamAccuracy(m, streamOptions(run, snap, s, s.streams, `${seed}/${label}/${d}`)), base);
      }
      return sum / s.draws;
    });
  return { seed, curriculum: run.options.curriculum, N, baseline: base, weights: curve(WEIGHT_EPSILONS, perturbWeights, 'W'), tau: curve(TAU_EPSILONS, perturbTau, 'tau') };
}

export interface T8Result {
  rows: AblationResult[];
  /** Means over nets at the large common N. */
  single: { short: number; long: number };
  multi: { short: number; long: number };
  Ns: number[];
}

/** Ablation at each seed's largest common N (claim T8), and the small-N rows (reported without a criterion). */
export function ablationByTauGroup(pairs: CurriculumPair[], s: RobustnessScale): { large: T8Result; small: AblationResult[] } {
  const rows: AblationResult[] = [];
  const small: AblationResult[] = [];
  for (const pair of pairs) {
    const N = commonN(pair);
    for (const run of [pair.single, pair.multi]) {
      const a = ablation(run, N, s, pair.seed);
      if (a) rows.push(a);
      const b = ablation(run, s.smallN, s, pair.seed);
      if (b) small.push(b);
    }
  }
  const group = (c: CurriculumKind) => ({ short: arrayMean(rows.filter((r) => r.curriculum === c).flatMap((r) => r.short)), long: arrayMean(rows.filter((r) => r.curriculum === c).flatMap((r) => r.long)) });
  const single = group('single');
  const multi = group('multi');
  return { large: { rows, single, multi, Ns: pairs.map(commonN) }, small };
}

/**
 * README §5.6 on sliding-window runs (the study's option; no claim): ablation at each run's largest solved N, and the
 * group means over runs (the original's sliding row: short 0.72–0.85, long 0.96–0.98).
 */
export function slidingAblation(runs: CurriculumRun[], s: RobustnessScale): { rows: AblationResult[]; short: number; long: number } {
  const rows = runs.flatMap((run) => {
    const N = run.snapshots.at(-1)?.N;
    const a = N === undefined ? null : ablation(run, N, s, run.options.seed);
    return a ? [a] : [];
  });
  return { rows, short: arrayMean(rows.flatMap((r) => r.short)), long: arrayMean(rows.flatMap((r) => r.long)) };
}

export interface T9Result {
  rows: PerturbationResult[];
  /** Mean relative accuracy over nets at the criterion's ε, per curriculum. */
  atWeight: { single: number; multi: number; eps: number };
  atTau: { single: number; multi: number; eps: number };
  Ns: number[];
}

/** W and τ perturbation curves at each seed's largest common N, read at the ε of claim T9 (W ε ≈ 0.2, τ ε = 0.1). */
export function perturbationCurves(pairs: CurriculumPair[], s: RobustnessScale): T9Result {
  const rows: PerturbationResult[] = [];
  for (const pair of pairs) {
    const N = commonN(pair);
    for (const run of [pair.single, pair.multi]) {
      const p = perturbation(run, N, s, pair.seed);
      if (p) rows.push(p);
    }
  }
  const nearest = (grid: number[], e: number) => grid.reduce((best, x, i) => (Math.abs(Math.log(x / e)) < Math.abs(Math.log(grid[best] / e)) ? i : best), 1);
  const kw = nearest(WEIGHT_EPSILONS, PERTURBATION_READOUT.weightEpsilon);
  const kt = nearest(TAU_EPSILONS, PERTURBATION_READOUT.tauEpsilon);
  const at = (k: number, key: 'weights' | 'tau', grid: number[]) => ({
    single: arrayMean(rows.filter((r) => r.curriculum === 'single').map((r) => r[key][k])),
    multi: arrayMean(rows.filter((r) => r.curriculum === 'multi').map((r) => r[key][k])),
    eps: grid[k],
  });
  const atWeight = at(kw, 'weights', WEIGHT_EPSILONS);
  const atTau = at(kt, 'tau', TAU_EPSILONS);
  return { rows, atWeight, atTau, Ns: pairs.map(commonN) };
}

export interface RetrainRow {
  seed: number;
  curriculum: CurriculumKind;
  accuracy: number[];
  /** (acc − 0.5)/(acc(N′ = N₀) − 0.5) for each N′. */
  relative: number[];
}

export interface T10Result {
  Nprimes: number[];
  rows: RetrainRow[];
  /** Mean relative accuracy over N′ ≥ `from`, per curriculum (over nets). */
  single: number;
  multi: number;
}

/** Claim T10: retrain each seed's N₀ snapshots on larger N′ (worker-thread jobs, cached). */
export async function retraining(pairs: CurriculumPair[], s: RobustnessScale, onDone?: (label: string) => void, workers?: number): Promise<T10Result> {
  const { N0, Nprimes, epochs, from } = s.retrain;
  const jobs: RetrainJob[] = pairs.flatMap((p) => [p.single, p.multi].map((run) => ({ run: run.options, N0, Nprimes, epochs })));
  const out = await runParallel<RetrainJob, RetrainResult>(TIMESCALES_JOBS_URL, 'retrainJob', jobs, {
    workers,
    onResult: (i) => onDone?.(`${jobs[i].run.curriculum}-head, seed ${jobs[i].run.seed}`),
  });
  const rows: RetrainRow[] = out.map((r, i) => {
    const base = r.accuracy[Nprimes.indexOf(N0)];
    return { seed: jobs[i].run.seed!, curriculum: jobs[i].run.curriculum!, accuracy: r.accuracy, relative: r.accuracy.map((a) => relativeAccuracy(a, base)) };
  });
  const over = (c: CurriculumKind) => arrayMean(rows.filter((r) => r.curriculum === c).flatMap((r) => r.relative.filter((_, k) => Nprimes[k] >= from)));
  const single = over('single');
  const multi = over('multi');
  return { Nprimes, rows, single, multi };
}
