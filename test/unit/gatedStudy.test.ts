// Notebook 13's measurements (papers/timescales-curriculum-2024/gatedStudy.ts): the reach at the end of the budget,
// the unit timescales of every snapshot and their growth; a leaky curriculum run with a smaller budget is the start
// of the longer run, bit for bit (what lets notebook 13 show notebook 05's runs cut at its budget); the figures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastKernels } from '../../lib/src/index.js';
import { GATED_SCALES, gatedCurriculumOptions, gatedReachFigure, reachAtBudget, timescaleGrowth, timescaleTrend, timescaleTrendFigure, trainCurriculum, trainGatedCurriculum, type GatedPair } from '../../lib/src/papers/timescales-curriculum-2024/index.js';

const tiny = { ...GATED_SCALES.quick, hiddenSize: 16, batchSize: 32, heads: 5, maxSteps: 500, testBatches: 2, seeds: [1] };

function gatedPairs(): GatedPair[] {
  return (['lstm', 'gru'] as const).map((cell) => ({
    cell, seed: 1,
    single: trainGatedCurriculum(gatedCurriculumOptions(tiny, cell, 'single', 1)),
    multi: trainGatedCurriculum(gatedCurriculumOptions(tiny, cell, 'multi', 1)),
  }));
}

test('reach at the budget, unit timescales per snapshot and their growth, from real (tiny) gated runs', () => {
  const pairs = gatedPairs();
  const reach = reachAtBudget(pairs);
  assert.deepEqual(reach.map((r) => r.network), ['LSTM', 'GRU']);
  for (const [i, r] of reach.entries()) {
    assert.equal(r.steps, tiny.maxSteps);
    assert.equal(r.single, pairs[i].single.snapshots.at(-1)?.N ?? 0);
    assert.equal(r.multi, pairs[i].multi.snapshots.at(-1)?.N ?? 0);
  }
  const trend = timescaleTrend(pairs, [], 32);
  const snapshots = pairs.reduce((a, p) => a + p.single.snapshots.length + p.multi.snapshots.length, 0);
  assert.ok(snapshots >= 2, `snapshots: ${snapshots}`);
  assert.equal(trend.length, snapshots);
  for (const r of trend) assert.ok(r.meanTau >= 1 && r.maxTau >= r.meanTau && Number.isFinite(r.maxTau), JSON.stringify(r));
  for (const g of timescaleGrowth(trend)) assert.ok(Math.abs(g.growth - g.lastTau / g.firstTau) < 1e-15 && g.firstN <= g.lastN);
  assert.deepEqual(timescaleTrend(pairs, [], 32), trend, 'the same snapshots give the same timescales');
  const fig = gatedReachFigure(pairs, [], 'reach');
  // One legend entry per curriculum and seed, shared by the two panels.
  assert.equal(fig.data.filter((t) => t.showlegend !== false).length, 2);
  assert.equal(fig.data.length, 4);
  const tfig = timescaleTrendFigure(trend, 'timescales');
  assert.ok(tfig.data.length >= 2);
});

test('a leaky curriculum run with a smaller budget is the start of the longer run, bit for bit', () => {
  const o = { size: 12, batchSize: 8, stepsPerEpoch: 10, testBatches: 2, heads: 6, targetN: 7, curriculum: 'multi' as const, seed: 3 };
  const short = trainCurriculum({ ...o, maxSteps: 100 }, fastKernels());
  const long = trainCurriculum({ ...o, maxSteps: 200 }, fastKernels());
  const epochs = short.nMaxByEpoch.length;
  assert.deepEqual(long.nMaxByEpoch.slice(0, epochs), short.nMaxByEpoch);
  assert.deepEqual(long.stepsByEpoch.slice(0, epochs), short.stepsByEpoch);
  const kept = long.snapshots.filter((s) => s.step <= 100);
  assert.deepEqual(kept.map((s) => s.model.params), short.snapshots.map((s) => s.model.params));
});
