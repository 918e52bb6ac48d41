import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  trainCurriculum, stepsToSolve, solvedAtStep, tauStatistics, headFor, referenceKernels, fastKernels, stageAccuracy, accuracyOn,
  ParameterError, t1, t5, type CurriculumRun, retrainJob,
} from '../../lib/src/index.js';

const small = { size: 16, batchSize: 16, stepsPerEpoch: 25, testBatches: 2, heads: 6, maxSteps: 1500, targetN: 4, seed: 3 };

test('multi-head curriculum: one new head per solved N, snapshots in order, advance rule respected', () => {
  const run = trainCurriculum({ ...small, curriculum: 'multi' }, fastKernels({ maxFloats: 1 << 22 }));
  assert.ok(run.snapshots.length >= 1, 'solves at least N = 2');
  run.snapshots.forEach((s, i) => {
    assert.equal(s.N, i + 2);
    assert.deepEqual(s.Ns, Array.from({ length: i + 1 }, (_, k) => k + 2));
    const mean = s.headAccuracy.reduce((a, b) => a + b, 0) / s.headAccuracy.length;
    assert.ok(mean > 0.98 && s.headAccuracy.at(-1)! > 0.98, 'solved by the advance rule');
  });
  assert.equal(run.nMaxByEpoch.length, run.stepsByEpoch.length);
  assert.ok(run.stepsByEpoch.every((s, i) => i === 0 || s > run.stepsByEpoch[i - 1]));
  assert.equal(solvedAtStep(run, run.stepsDone), run.snapshots.at(-1)!.N);
  assert.equal(stepsToSolve(run, 99), small.maxSteps, 'never solved: the full budget');
  const acc = stageAccuracy(run.snapshots.at(-1)!, run.options, referenceKernels('float32'), 128);
  assert.equal(acc.length, run.snapshots.at(-1)!.Ns.length);
});

test('single-head curriculum reuses head 0; tau statistics start at the initial network', () => {
  const run = trainCurriculum({ ...small, curriculum: 'single' }, fastKernels({ maxFloats: 1 << 22 }));
  assert.equal(headFor(run.options, 7), 0);
  assert.ok(run.snapshots.every((s) => s.Ns.length === 1));
  const stats = tauStatistics(run);
  assert.equal(stats[0].N, 0);
  assert.ok(stats.every((s) => s.mean >= 1 && s.max <= 1e3 && s.std >= 0));
  const a = accuracyOn(run.snapshots[0], run.options, 2, referenceKernels('float32'), 128);
  assert.ok(a >= 0 && a <= 1);
});

test('curriculum runs are deterministic for a seed', () => {
  const a = trainCurriculum({ ...small, maxSteps: 200 }, referenceKernels('float32'));
  const b = trainCurriculum({ ...small, maxSteps: 200 }, referenceKernels('float32'));
  assert.deepEqual(a.nMaxByEpoch, b.nMaxByEpoch);
  assert.deepEqual(Array.from(a.snapshots.at(-1)?.model.params.W ?? []), Array.from(b.snapshots.at(-1)?.model.params.W ?? []));
});

test('curriculum options are validated by name', () => {
  assert.throws(() => trainCurriculum({ curriculum: 'both' as never }, referenceKernels('float32')), (e: unknown) => e instanceof ParameterError && e.parameter === 'curriculum.curriculum');
  assert.throws(() => trainCurriculum({ heads: 5, targetN: 20 }, referenceKernels('float32')), (e: unknown) => e instanceof ParameterError && e.parameter === 'curriculum.targetN');
});

test('T1 and T5 criteria on constructed runs', () => {
  const fake = (snaps: [number, number][], maxSteps = 1000): CurriculumRun =>
    ({ options: { maxSteps }, snapshots: snaps.map(([N, step]) => ({ N, step })) }) as unknown as CurriculumRun;
  const r = t1([{ seed: 1, single: fake([[2, 100], [3, 900]]), multi: fake([[2, 50], [3, 200]]) }], 3);
  assert.deepEqual([r[0].single, r[0].multi], [900, 200]);
  const never = t1([{ seed: 1, single: fake([[2, 100]]), multi: fake([[3, 300]]) }], 3);
  assert.equal(never[0].single, 1000);
  assert.equal(typeof t5, 'function');
});

test('no-curriculum control: startN = targetN trains that N alone; the final model is kept even when unsolved', () => {
  const run = trainCurriculum({ ...small, curriculum: 'single', startN: 5, targetN: 5, maxSteps: 100 }, referenceKernels('float32'));
  assert.ok(run.finalModel.params.W);
  assert.ok(run.snapshots.every((s) => s.N === 5));
  assert.throws(() => trainCurriculum({ ...small, startN: 9, targetN: 4 }, referenceKernels('float32')), (e: unknown) => e instanceof ParameterError && e.parameter === 'curriculum.startN');
});

test('connectivity statistics skip the diagonal; spectral radius of a known matrix', async () => {
  const { connectivityStats, createRnn } = await import('../../lib/src/index.js');
  const model = createRnn({ size: 2, readout: { kind: 'heads', heads: 1, classes: 2, from: 'rate' } }, { dtype: 'float64' });
  model.params.W!.set([9, 2, -2, 9]); // diagonal ignored: [[0, 2], [-2, 0]] has eigenvalues ±2i
  const s = connectivityStats(model);
  assert.equal(s.mean, 0);
  assert.ok(Math.abs(s.std - 2) < 1e-12);
  assert.ok(Math.abs(s.spectralRadius - 2) < 1e-9);
});

test('retraining (spec §5.9): a fresh head on a copied snapshot, one accuracy per N′, NaN without the N₀ snapshot', () => {
  const dir = mkdtempSync(join(tmpdir(), 'retrain-'));
  const keep = process.env.RNNLAB_CACHE;
  process.env.RNNLAB_CACHE = dir;
  try {
    const run = { curriculum: 'multi' as const, size: 16, batchSize: 8, stepsPerEpoch: 20, testBatches: 2, heads: 4, maxSteps: 400, targetN: 3, seed: 1 };
    const r = retrainJob({ run, N0: 2, Nprimes: [2, 3], epochs: 1 });
    assert.equal(r.accuracy.length, 2);
    assert.ok(r.accuracy.every((a) => a >= 0 && a <= 1), `${r.accuracy}`);
    assert.ok(retrainJob({ run, N0: 9, Nprimes: [9], epochs: 1 }).accuracy.every(Number.isNaN));
  } finally {
    if (keep === undefined) delete process.env.RNNLAB_CACHE;
    else process.env.RNNLAB_CACHE = keep;
    rmSync(dir, { recursive: true, force: true });
  }
});
