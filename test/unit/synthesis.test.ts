// Across the studies (notebook 12): eq. (1) of lib/src/synthesis/README.md in each regime on hand-made runs, and the
// claims X1–X3 failing as well as passing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParameterError } from '../../lib/src/index.js';
import { claims, curriculumInterference, gradientDescentInterference, interferenceRow, onlineInterference, onlineInterferenceByTrial, type InterferenceRow } from '../../lib/src/synthesis/index.js';

/** A reduced-model run on a grid of values 0…K−1 with mismatches `delta` (row 0 naive, row k after trial k). */
const run = (delta: number[][], trialValues: number[]) => ({
  evalValues: Float64Array.from(delta[0], (_, i) => i),
  trialValues: Float64Array.from(trialValues),
  delta: { rows: delta.length, cols: delta[0].length, data: Float64Array.from(delta.flat()) },
});

test('online: eq. (1) on q̂ = δ²/2 at the trained value, only for learned trials, with the trial numbers', () => {
  // Values 0 and 1; trial 1 learns value 0 (δ 1 → 0.1: q̂ 0.5 → 0.005, 1 %), trial 2 learns value 1 and pushes value 0 to
  // δ = 0.5 (q̂ 0.125); trial 3 does not learn value 1 (δ stays 1): excluded.
  const r = run([[1, 1], [0.1, 1], [0.5, 0.1], [0.5, 1]], [0, 1, 1]);
  const { trials, values } = onlineInterferenceByTrial(r, 1);
  assert.deepEqual(trials, [1, 2]);
  assert.ok(Math.abs(values[0] - (0.125 - 0.005) / (0.5 - 0.005)) < 1e-15);
  assert.ok(Math.abs(values[1] - (0.5 - 0.005) / (0.5 - 0.005)) < 1e-15, 'trial 3 undid trial 2 completely: I = 1');
  assert.deepEqual(onlineInterference(r, 2), [(0.125 - 0.005) / (0.5 - 0.005)], 'lag 2: only trial 1 has a trial 3');
  // A value off the grid is read at the nearest grid point.
  assert.deepEqual(onlineInterference(run([[1, 1], [0.1, 1], [0.1, 1]], [0.3]), 1), [0]);
  assert.throws(() => onlineInterference(r, 0), (e: Error) => e instanceof ParameterError && e.parameter === 'lag');
});

test('gradient descent and curricula: eq. (1) from the runs, learned runs only, chance as naive', () => {
  const runs = [
    { learnedA: true, interference: 0.9 },
    { learnedA: false, interference: 5 },
    { learnedA: true, interference: -0.1 },
  ] as never[];
  assert.deepEqual(gradientDescentInterference(runs), [0.9, -0.1]);
  // A single-head run solved N = 2 (accuracy 0.99), 3 (0.995), 4; at its last snapshot N = 2 is at 0.6 and N = 3 at 0.99.
  const snap = (N: number, acc: number) => ({ N, Ns: [N], headAccuracy: [acc] });
  const pair = { seed: 1, single: { snapshots: [snap(2, 0.99), snap(3, 0.995), snap(4, 0.99)] }, multi: { snapshots: [] } } as never;
  const t3 = { seed: 1, Nstar: 4, singleAccuracies: [0.6, 0.99], singleMean: 0, multiAccuracies: [], multiMin: 0 };
  const I = curriculumInterference(pair, t3, 'single');
  assert.equal(I.length, 2, 'the last N is not an old item');
  assert.ok(Math.abs(I[0] - (0.4 - 0.01) / (0.5 - 0.01)) < 1e-12 && Math.abs(I[1] - (0.01 - 0.005) / (0.5 - 0.005)) < 1e-12);
  // Multi-head: N′'s accuracy when solved is that of its own head in the stage (the last one at that stage).
  const multi = { seed: 1, single: { snapshots: [] }, multi: { snapshots: [{ N: 2, Ns: [2], headAccuracy: [0.99] }, { N: 3, Ns: [2, 3], headAccuracy: [0.99, 0.985] }, { N: 4, Ns: [2, 3, 4], headAccuracy: [0.99, 0.99, 0.99] }] } } as never;
  const Im = curriculumInterference(multi, { ...t3, multiAccuracies: [0.99, 0.985, 0.99] }, 'multi');
  assert.deepEqual(Im.map((v) => Math.abs(v) < 1e-12), [true, true], 'nothing lost');
  assert.throws(() => interferenceRow('curriculum', 'single-head', 1, [Number.NaN]), (e: Error) => e instanceof ParameterError);
});

test('X1–X3 pass and fail on their criteria', () => {
  const row = (regime: InterferenceRow['regime'], condition: string, seed: number, values: number[]) => interferenceRow(regime, condition, seed, values);
  const online = (force: number, lms: number) => [row('online learning', 'FORCE (RLS)', 1, [force]), row('online learning', 'LMS γ = 10⁻²', 1, [lms])];
  assert.equal(claims.X1(online(0, 0.3)).passed, true);
  assert.equal(claims.X1(online(0, 0.3)).note, undefined);
  assert.equal(claims.X1(online(0.3, 0.3)).passed, false, 'equal is not less');
  assert.match(claims.X1(online(0, 0.004)).note ?? '', /below 0.05/);
  assert.equal(claims.X1([...online(0, 0.3), row('online learning', 'FORCE (RLS)', 2, [])]).passed, false, 'a seed with nothing learned');
  const gd = (c: number[], u: number[]) => [row('gradient descent A → B', 'constrained output', 1, c), row('gradient descent A → B', 'unconstrained output', 1, u)];
  assert.equal(claims.X2(gd([0.9, 1.2], [0.1])).passed, true);
  assert.equal(claims.X2(gd([0.4, 0.45], [0.1])).passed, false, 'below 0.5');
  assert.equal(claims.X2(gd([0.9], [1])).passed, false, 'unconstrained not lower');
  const cur = (single: number[], multi: number[]) => [row('curriculum', 'single-head', 1, single), row('curriculum', 'multi-head', 1, multi)];
  assert.equal(claims.X3(cur([0.9, 1], [0, 0.05])).passed, true);
  assert.equal(claims.X3(cur([0.9, 1], [0.3])).passed, false);
  assert.equal(claims.X3(cur([0.2], [0])).passed, false);
});
