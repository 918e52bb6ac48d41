/**
 * One interference measure over the collection's three learning regimes (notebook 12; README.md in this folder):
 *
 *   I = [L_old(after the new learning) − L_old(when it was learned)] / [L_old(naive) − L_old(when it was learned)]   (1)
 *
 * 0: nothing of the old item is lost; 1: it is back at its untrained level; below 0: the new learning helped it. This is
 * the sequential study's index (its README §5.1, `interferenceIndex`), read with each regime's own loss:
 *  - online learning on trials (Beer & Barak's reduced model): L = q̂ at the value trained at trial k, measured after
 *    trial k (learned), after trial k + lag (new learning) and before training (naive);
 *  - gradient descent on task A, then B (the sequential study's networks): L = the loss of task A;
 *  - curricula over N (the timescales study): L = the error rate 1 − accuracy on an earlier N′, when N′ was solved and
 *    at the run's last snapshot, naive = 0.5 (chance).
 */
import { nearestIndex } from '../tasks/memoryTask.js';
import { checkInteger, checkNumber } from '../numerics/validate.js';
import { median } from '../numerics/statistics.js';
import { qHatRow, type ReducedRun } from '../papers/beer-barak-2019/index.js';
import { interferenceIndex, type NetworkRunSummary } from '../papers/sequential-interference-2x2/index.js';
import type { CurriculumPair, T3Result } from '../papers/timescales-curriculum-2024/index.js';

/** A trained item counts as learned when its loss fell to at most this fraction of its naive loss (as t_B's 5 %). */
export const LEARNED_FRACTION = 0.05;

/**
 * Eq. (1) for online learning: for every trial k whose value v_k was learned (q̂ after trial k ≤ 5 % of its naive q̂,
 * at the evaluation-grid point nearest v_k), I after `lag` more trials; with the trials k, in trial order.
 */
export function onlineInterferenceByTrial(run: Pick<ReducedRun, 'delta' | 'evalValues' | 'trialValues'>, lag = 1): { trials: number[]; values: number[] } {
  checkInteger('lag', lag, { min: 1 });
  const rows = run.delta.rows; // row 0: before training; row k: after trial k
  const naive = qHatRow(run.delta, 0);
  const trials: number[] = [];
  const values: number[] = [];
  for (let k = 1; k + lag < rows; k++) {
    const e = nearestIndex(run.evalValues, run.trialValues[k - 1]);
    const learned = qHatRow(run.delta, k)[e];
    if (!(naive[e] > 0 && learned <= LEARNED_FRACTION * naive[e])) continue;
    trials.push(k);
    values.push(interferenceIndex(naive[e], learned, qHatRow(run.delta, k + lag)[e]));
  }
  return { trials, values };
}

/** The values of onlineInterferenceByTrial: one I per learned trial. */
export const onlineInterference = (run: Pick<ReducedRun, 'delta' | 'evalValues' | 'trialValues'>, lag = 1): number[] => onlineInterferenceByTrial(run, lag).values;

/** Eq. (1) for gradient descent A → B: each run's I, over the runs that learned A. */
export function gradientDescentInterference(runs: NetworkRunSummary[]): number[] {
  return runs.filter((r) => r.learnedA).map((r) => r.interference);
}

/**
 * Eq. (1) for a curriculum run, per earlier N′ (2 … N_last − 1, where N_last is the run's last solved N): the error
 * rate when N′ was solved (the advance rule's test of N′'s head) against the error rate of the last snapshot on N′
 * (the T3 measurement, `earlierNAccuracy`), chance 0.5 as the naive level.
 */
export function curriculumInterference(pair: CurriculumPair, t3: T3Result, curriculum: 'single' | 'multi'): number[] {
  const run = pair[curriculum];
  const later = curriculum === 'single' ? t3.singleAccuracies : t3.multiAccuracies;
  const out: number[] = [];
  for (const snap of run.snapshots) {
    const Nprime = snap.N;
    const index = Nprime - 2;
    // The last snapshot's own N is what was learned last: nothing new came after it.
    if (index >= later.length || Nprime === run.snapshots.at(-1)!.N) continue;
    const learned = 1 - snap.headAccuracy[snap.Ns.indexOf(Nprime)];
    out.push(interferenceIndex(0.5, learned, 1 - later[index]));
  }
  return out;
}

/** One regime's condition for one seed: the I of every old item, and their median. */
export interface InterferenceRow {
  regime: 'online learning' | 'gradient descent A → B' | 'curriculum';
  condition: string;
  seed: number | 'all';
  values: number[];
  median: number;
}

export function interferenceRow(regime: InterferenceRow['regime'], condition: string, seed: number | 'all', values: number[]): InterferenceRow {
  for (const v of values) checkNumber(`${condition}: I`, v, {});
  return { regime, condition, seed, values, median: values.length ? median(values) : Number.NaN };
}
