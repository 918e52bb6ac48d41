// The claim functions of papers/timescales-curriculum-2024/claims.ts on constructed measurements: each verdict
// flips exactly where its criterion (README §6) says, and the records carry the thresholds they were judged by.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claims, TIMESCALES_SCALES, ROBUSTNESS_SCALES } from '../../lib/src/papers/timescales-curriculum-2024/index.js';

const S = TIMESCALES_SCALES.full;
const R = ROBUSTNESS_SCALES.full;
const C = claims.TIMESCALES_CRITERIA;

test('T1: every seed must be at least 1/factor faster; the criterion names N and the factor', () => {
  const row = (seed: number, single: number, multi: number) => ({ seed, single, multi, ratio: multi / single });
  assert.ok(claims.T1([row(1, 1000, 100), row(2, 1000, 1000 * S.t1Factor)], S).passed);
  assert.ok(!claims.T1([row(1, 1000, 100), row(2, 1000, 1000 * S.t1Factor + 1)], S).passed);
  assert.match(claims.T1([row(1, 10, 1)], S).criterion, new RegExp(`N = ${S.t1N}`));
});

test('T2: the multi-head run must lead by the margin at the single-head stop', () => {
  const row = (singleNmax: number, multiNAtStop: number) => ({ seed: 1, singleStopStep: 100, singleNmax, multiNAtStop });
  assert.ok(claims.T2([row(10, 10 + C.t2Margin)]).passed);
  assert.ok(!claims.T2([row(10, 10 + C.t2Margin - 1)]).passed);
});

test('T3: forgetting (single) and keeping (multi) are both required; a NaN mean fails without a note sentence', () => {
  const row = (singleMean: number, multiMin: number) => ({ seed: 1, Nstar: 8, singleAccuracies: [], singleMean, multiAccuracies: [multiMin], multiMin });
  assert.ok(claims.T3([row(0.6, 0.99)], S).passed);
  assert.ok(!claims.T3([row(0.71, 0.99)], S).passed);
  assert.ok(!claims.T3([row(0.6, 0.94)], S).passed);
  const nan = claims.T3([row(Number.NaN, 0.99)], S);
  assert.ok(!nan.passed);
  assert.equal(nan.note, undefined);
});

test('T4 and T5: thresholds on the τ′ statistics', () => {
  const t4 = (stdRatio: number, maxTau: number) => ({ seed: 1, Nstar: 14, stdRatio, maxTau, meanRise: 0 });
  assert.ok(claims.T4([t4(C.stdGrowth, C.maxTau)], S).passed);
  assert.ok(!claims.T4([t4(C.stdGrowth - 0.01, 5)], S).passed);
  assert.ok(!claims.T4([t4(2, C.maxTau - 0.01)], S).passed);
  const t5 = (meanAtN2: number, meanAtNmax: number, maxOverSnapshots: number, stdInitial: number, stdAtNmax: number) => ({ seed: 1, Nmax: 20, meanAtN2, meanAtNmax, maxOverSnapshots, stdInitial, stdAtNmax });
  assert.ok(claims.T5([t5(1.5, 1.4, 2.0, 0.3, 0.35)]).passed);
  assert.ok(!claims.T5([t5(1.5, 1.51, 2.0, 0.3, 0.35)]).passed, 'mean τ′ rises');
  assert.ok(!claims.T5([t5(1.5, 1.4, C.multiMaxTau + 0.01, 0.3, 0.35)]).passed, 'a slow neuron appears');
  assert.ok(!claims.T5([t5(1.5, 1.4, 2.0, 0.3, 0.3 + C.multiStdSlack + 0.01)]).passed, 'τ′ spreads');
});

test('T6: each of the four parts can fail the claim alone', () => {
  const good = { Ns: [2, 5, 10], multiTauNet: [2, 2.5, 3.2], multiTauPrime: [1.5, 1.4, 1.3], spearman: 1, growth: 1.6, tauPrimeDecreases: true, singleStart: 2, singleEnd: 3 };
  assert.ok(claims.T6(good, S).passed);
  for (const bad of [{ spearman: 0.79 }, { growth: 1.49 }, { tauPrimeDecreases: false }, { singleEnd: 2 }]) assert.ok(!claims.T6({ ...good, ...bad }, S).passed, JSON.stringify(bad));
});

test('T7, T11, T12: controls and connectivity', () => {
  const table = (single: Record<string, number>, multi: Record<string, number>) => ({ single, multi });
  assert.ok(claims.T7(table({ trained: 12, '1': 11, '2': 10, '3': 9 }, { trained: 20, '1': 19, '2': 18, '3': 15 }), [1, 2, 3]).passed);
  assert.ok(!claims.T7(table({ trained: 12, '1': 12, '2': 10, '3': 9 }, { trained: 20, '1': 19, '2': 18, '3': 15 }), [1, 2, 3]).passed);
  assert.ok(!claims.T7(table({ trained: 12, '1': 11, '2': 10, '3': 9 }, { trained: 20, '1': 19, '2': 18, '3': 19 }), [1, 2, 3]).passed);
  const t11 = (accuracy: number) => ({ seed: 1, budget: 100, accuracy, solved: false });
  assert.ok(claims.T11([t11(0.74)], S).passed);
  assert.ok(!claims.T11([t11(0.75)], S).passed);
  const stats = (mean: number, spectralRadius: number) => ({ mean, std: 0.1, spectralRadius });
  const t12 = (commonN: number, single = stats(-0.02, 2), multi = stats(0, 1)) => ({ seed: 1, commonN, single, multi });
  assert.ok(claims.T12([t12(C.t12MinCommonN)]).passed);
  assert.ok(!claims.T12([t12(C.t12MinCommonN - 1)]).passed);
  assert.ok(!claims.T12([t12(14, stats(0.01, 2))]).passed);
});

test('T8-T10: robustness gaps, and the common N every seed must reach', () => {
  const t8 = (Ns: number[], single: [number, number], multi: [number, number]) => ({ rows: [], Ns, single: { short: single[0], long: single[1] }, multi: { short: multi[0], long: multi[1] } });
  const N = R.minCommonN;
  assert.ok(claims.T8(t8([N, N], [0.9, 0.7], [0.6, 0.9]), R, S).passed);
  assert.ok(!claims.T8(t8([N, N - 1], [0.9, 0.7], [0.6, 0.9]), R, S).passed);
  assert.ok(!claims.T8(t8([N, N], [0.9, 0.8], [0.6, 0.9]), R, S).passed);
  const t9 = (Ns: number[], w: [number, number], tau: [number, number]) => ({ rows: [], Ns, atWeight: { single: w[0], multi: w[1], eps: 0.215 }, atTau: { single: tau[0], multi: tau[1], eps: 0.1 } });
  assert.ok(claims.T9(t9([N], [0.5, 0.7], [0.5, 0.7]), R).passed);
  assert.ok(!claims.T9(t9([N], [0.5, 0.55], [0.5, 0.7]), R).passed);
  const t10 = (single: number, multi: number) => ({ Nprimes: [], rows: [], single, multi });
  assert.ok(claims.T10(t10(0.5, 0.61), R, S).passed);
  assert.ok(!claims.T10(t10(0.5, 0.59), R, S).passed);
  assert.ok(!claims.T10(t10(Number.NaN, 0.9), R, S).passed);
});

test('T15: multi-head must solve a strictly larger N for both cells in every seed; the leaky RNN is shown, not judged', () => {
  const row = (network: 'LSTM' | 'GRU' | 'leaky RNN', seed: number, single: number, multi: number) => ({ network, seed, single, multi, steps: 6000 });
  const good = [row('LSTM', 1, 8, 17), row('LSTM', 2, 7, 16), row('GRU', 1, 7, 15), row('GRU', 2, 6, 14)];
  const t = claims.T15(good);
  assert.ok(t.passed);
  assert.equal(t.note, undefined);
  assert.match(t.criterion, /6000 steps/);
  assert.equal(t.value['GRU seed 2' as never], '14 vs 6');
  // A tie fails, and the note names the run.
  const tie = claims.T15([...good.slice(0, 3), row('GRU', 2, 9, 9)]);
  assert.ok(!tie.passed);
  assert.match(tie.note!, /GRU seed 2 \(multi 9, single 9\)/);
  // The leaky RNN's rows neither pass nor fail the claim.
  assert.ok(claims.T15([...good, row('leaky RNN', 1, 12, 3)]).passed);
  assert.ok(!('leaky RNN seed 1' in (claims.T15([...good, row('leaky RNN', 1, 12, 3)]).value as object)));
  // Both cells are required.
  assert.throws(() => claims.T15(good.filter((r) => r.network === 'LSTM')), /no GRU rows/);
});
