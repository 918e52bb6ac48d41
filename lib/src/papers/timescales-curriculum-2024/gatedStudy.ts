/**
 * Notebook 13's measurements (claim T15, README §4.2): both curricula on an LSTM and a GRU at the scale of
 * `GATED_SCALES`, as cached worker-thread jobs, next to the leaky RNN of notebook 05 over the same step budget; the
 * largest N each run solved at the end of the budget, and the gate timescales of every snapshot. No verdicts here:
 * claims.ts decides T15.
 */
import { checkLike } from '../../numerics/validate.js';
import { Rng } from '../../numerics/rng.js';
import { spearman } from '../../numerics/statistics.js';
import type { GatedCellKind } from '../../dynamics/gated/gatedCell.js';
import { GATED_SCALES, type GatedScale, type TimescalesScale } from './config.js';
import { tauStatistics, type CurriculumKind, type CurriculumRun } from './curriculum.js';
import { curriculumJobs, curriculumOptions, trackedCurriculumJobs, type CurriculumPair, type CurriculumRunsOptions } from './curriculumStudy.js';
import { gatedStageBatch, gateTimescales, validateGatedCurriculum, type GatedCurriculumOptions, type GatedCurriculumRun } from './gatedCurriculum.js';

export interface GatedPair {
  cell: GatedCellKind;
  seed: number;
  single: GatedCurriculumRun;
  multi: GatedCurriculumRun;
}

/** One gated curriculum run's options at scale `g`: the targets are out of reach (heads + 1), so every run uses the whole budget. */
export function gatedCurriculumOptions(g: GatedScale, cell: GatedCellKind, curriculum: 'single' | 'multi', seed: number): Partial<GatedCurriculumOptions> {
  checkLike('g', g, GATED_SCALES.quick);
  return {
    cell, curriculum, task: 'parity', seed, hiddenSize: g.hiddenSize, heads: g.heads, batchSize: g.batchSize, stepsPerEpoch: g.stepsPerEpoch,
    testBatches: g.testBatches, maxSteps: g.maxSteps, targetN: g.heads + 1, lr: g.lr,
  };
}

/** A gated run's label in progress lines and figures, e.g. 'LSTM, multi-head, seed 2'. */
export const describeGatedRun = (o: Partial<GatedCurriculumOptions>): string => `${(o.cell ?? 'lstm').toUpperCase()}, ${o.curriculum}-head, seed ${o.seed}`;

/** Both curricula for every cell and seed of `g`, on worker threads (each run cached on disk and checkpointed). */
export async function gatedCurriculumRuns(g: GatedScale, options: CurriculumRunsOptions = {}): Promise<GatedPair[]> {
  const jobs = g.cells.flatMap((cell) => g.seeds.flatMap((seed) => (['single', 'multi'] as const).map((c) => gatedCurriculumOptions(g, cell, c, seed))));
  const runs = await trackedCurriculumJobs<Partial<GatedCurriculumOptions>, GatedCurriculumRun>('gatedCurriculumJob', jobs, describeGatedRun, options);
  return jobs.filter((_, i) => i % 2 === 0).map((o, k) => ({ cell: o.cell!, seed: o.seed!, single: runs[2 * k], multi: runs[2 * k + 1] }));
}

/**
 * Notebook 05's curriculum runs (scale `s`) stopped after `budget` steps: the same jobs with a smaller `maxSteps`, so
 * each is the first `budget` steps of notebook 05's run (nothing else in a run depends on its budget).
 */
export async function leakyRunsAtBudget(s: TimescalesScale, budget: number, options: CurriculumRunsOptions = {}): Promise<CurriculumPair[]> {
  const jobs = s.seeds.flatMap((seed) => (['single', 'multi'] as const).map((c) => ({ ...curriculumOptions(s, c, seed), maxSteps: budget })));
  const runs = await curriculumJobs(jobs, options);
  return s.seeds.map((seed, k) => ({ seed, single: runs[2 * k], multi: runs[2 * k + 1] }));
}

export type NetworkName = 'LSTM' | 'GRU' | 'leaky RNN';

export interface ReachRow {
  network: NetworkName;
  seed: number;
  /** The largest N solved by the end of the common budget (0: none). */
  single: number;
  multi: number;
  /** The budget both runs had, in training steps. */
  steps: number;
}

const lastSolved = (run: { snapshots: { N: number }[] }) => run.snapshots.at(-1)?.N ?? 0;

/** The largest N each curriculum solved within the budget, per network and seed (claim T15's measurement). */
export function reachAtBudget(gated: GatedPair[], leaky: CurriculumPair[] = []): ReachRow[] {
  return [
    ...gated.map(({ cell, seed, single, multi }) => ({ network: cell.toUpperCase() as NetworkName, seed, single: lastSolved(single), multi: lastSolved(multi), steps: single.options.maxSteps })),
    ...leaky.map(({ seed, single, multi }) => ({ network: 'leaky RNN' as const, seed, single: lastSolved(single), multi: lastSolved(multi), steps: single.options.maxSteps })),
  ];
}

export interface GateTauRow {
  network: NetworkName;
  curriculum: CurriculumKind;
  seed: number;
  N: number;
  /** Mean and largest unit timescale: τ from the retention gate (gated cells) or τ′ (leaky RNN). */
  meanTau: number;
  maxTau: number;
}

/**
 * The unit timescales of every snapshot: for a gated cell τ = 1/(1 − mean retention gate) per unit (gateTimescales) on
 * a fresh batch of `sequences` sequences of the snapshot's stage; for the leaky RNN its τ′ (tauStatistics).
 */
export function timescaleTrend(gated: GatedPair[], leaky: CurriculumPair[] = [], sequences = 256): GateTauRow[] {
  const rows: GateTauRow[] = [];
  for (const { cell, seed, single, multi } of gated) {
    for (const run of [single, multi]) {
      const o = validateGatedCurriculum(run.options);
      for (const snap of run.snapshots) {
        const taus = gateTimescales(snap.network, gatedStageBatch(o, snap.Ns, Rng.stream(seed, `gate-timescales/${cell}/${o.curriculum}/${snap.N}`), sequences));
        let sum = 0;
        let max = 0;
        for (const t of taus) {
          sum += t;
          max = Math.max(max, t);
        }
        rows.push({ network: cell.toUpperCase() as NetworkName, curriculum: o.curriculum, seed, N: snap.N, meanTau: sum / taus.length, maxTau: max });
      }
    }
  }
  for (const { seed, single, multi } of leaky) {
    for (const run of [single, multi] as CurriculumRun[]) {
      for (const t of tauStatistics(run).slice(1)) rows.push({ network: 'leaky RNN', curriculum: run.options.curriculum, seed, N: t.N, meanTau: t.mean, maxTau: t.max });
    }
  }
  return rows;
}

export interface TimescaleGrowth {
  network: NetworkName;
  curriculum: CurriculumKind;
  seed: number;
  /** First and last solved N with their mean timescale; growth = last / first; Spearman(N, mean τ) over the snapshots. */
  firstN: number;
  lastN: number;
  firstTau: number;
  lastTau: number;
  growth: number;
  spearman: number;
  /** The largest unit timescale at the last solved N. */
  lastMaxTau: number;
}

/** How each run's mean unit timescale changed from its first to its last solved N (descriptive, no criterion). */
export function timescaleGrowth(rows: GateTauRow[]): TimescaleGrowth[] {
  const keys = [...new Set(rows.map((r) => `${r.network}|${r.curriculum}|${r.seed}`))];
  return keys.map((key) => {
    const own = rows.filter((r) => `${r.network}|${r.curriculum}|${r.seed}` === key).sort((a, b) => a.N - b.N);
    const first = own[0];
    const last = own.at(-1)!;
    return {
      network: first.network, curriculum: first.curriculum, seed: first.seed, firstN: first.N, lastN: last.N, firstTau: first.meanTau, lastTau: last.meanTau,
      growth: last.meanTau / first.meanTau,
      spearman: own.length >= 3 ? spearman(own.map((r) => r.N), own.map((r) => r.meanTau)) : Number.NaN,
      lastMaxTau: last.maxTau,
    };
  });
}
