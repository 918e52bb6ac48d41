/**
 * Exercises of notebook 12 (the teaching edition, lib/src/notebook/exercises.ts): eq. (1) of README.md for a curriculum
 * (from accuracies, chance as the naive level) and for online learning over a whole run (the learned trials only);
 * the checks compare with curriculumInterference's arithmetic and with onlineInterference.
 */
import { Rng } from '../numerics/rng.js';
import type { Exercise } from '../notebook/exercises.js';
import { interferenceIndex } from '../papers/sequential-interference-2x2/index.js';
import { onlineInterference } from './interference.js';

/** Eq. (1) from accuracies: learned = accuracy when the item was learned, after = accuracy later; chance 0.5. */
export type CurriculumIndexFunction = (learnedAccuracy: number, laterAccuracy: number) => number;

export const CURRICULUM_INDEX: Exercise<CurriculumIndexFunction> = {
  id: '12.2',
  title: 'the interference index from accuracies',
  tolerance: 1e-12,
  cases: [
    [0.99, 0.99, 'nothing lost'],
    [0.99, 0.5, 'back to chance'],
    [1, 0.75, 'half of a perfect score lost'],
    [0.985, 0.6, 'most of it lost'],
    [0.99, 0.995, 'a little better than when learned'],
    [0.99, 0.3, 'worse than chance'],
  ].map(([learned, later, name]) => ({
    name: `${name} (${learned} → ${later})`,
    run: (fn: CurriculumIndexFunction) => fn(learned as number, later as number),
    expected: interferenceIndex(0.5, 1 - (learned as number), 1 - (later as number)),
  })),
};

/**
 * Eq. (1) over an online run: `qHat` is (trials + 1) × K (row 0 before training, row k after trial k), `trained[k − 1]`
 * the grid index of trial k's value; for every trial k whose value was learned (q̂ after trial k ≤ 5 % of row 0's),
 * I after `lag` more trials. Returns one number per learned trial, in trial order.
 */
export type OnlineInterferenceFunction = (qHat: number[][], trained: number[], lag: number) => number[];

function onlineCase(name: string, seed: number, trials: number, K: number, lag: number) {
  // A synthetic run: each trial drives its value's mismatch towards 0 and moves the others at random.
  const rng = Rng.stream(seed, 'exercise-online');
  const trained = Array.from({ length: trials }, () => rng.int(0, K));
  const delta: number[][] = [Array.from({ length: K }, () => rng.uniform(0.5, 1.5))];
  for (const e of trained) {
    const row = delta.at(-1)!.map((d) => d * (1 + 0.3 * rng.normal()));
    row[e] = rng.bernoulli(0.8) ? 0.01 * rng.normal() : 0.5 * row[e];
    delta.push(row);
  }
  const run = {
    evalValues: Float64Array.from({ length: K }, (_, i) => i),
    trialValues: Float64Array.from(trained),
    delta: { rows: trials + 1, cols: K, data: Float64Array.from(delta.flat()) },
  };
  const qHat = delta.map((row) => row.map((d) => 0.5 * d * d));
  return { name, run: (fn: OnlineInterferenceFunction) => fn(qHat.map((r) => [...r]), [...trained], lag), expected: onlineInterference(run, lag) };
}

export const ONLINE_INTERFERENCE: Exercise<OnlineInterferenceFunction> = {
  id: '12.1',
  title: 'the interference index over an online run',
  tolerance: 1e-9,
  cases: [onlineCase('8 trials on 5 values, lag 1', 1, 8, 5, 1), onlineCase('30 trials on 12 values, lag 1', 2, 30, 12, 1), onlineCase('30 trials, lag 5', 3, 30, 12, 5)],
};
