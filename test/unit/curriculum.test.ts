import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceKernels, fastKernels, ParameterError, toJson, fromJson } from '../../lib/src/index.js';
import { trainCurriculum, stepsToSolve, solvedAtStep, tauStatistics, headFor, stageAccuracy, accuracyOn, solveSteps, type CurriculumRun, type CurriculumCheckpoint, validateCurriculum, firstStage, nextStage, stageSolved, leakDecaySteps } from '../../lib/src/papers/timescales-curriculum-2024/index.js';
import { retrainJob, curriculumCheckpointFile, CURRICULUM_CACHE_VERSION } from '../../lib/src/papers/timescales-curriculum-2024/curriculumJobs.js';
import { cacheFile, createRnn, trainRnn, type Rnn } from '../../lib/src/index.js';

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

test('steps to solve N (claim T1\'s measurement) on constructed runs: the budget when never solved', () => {
  const fake = (snaps: [number, number][], maxSteps = 1000): CurriculumRun =>
    ({ options: { maxSteps }, snapshots: snaps.map(([N, step]) => ({ N, step })) }) as unknown as CurriculumRun;
  const r = solveSteps([{ seed: 1, single: fake([[2, 100], [3, 900]]), multi: fake([[2, 50], [3, 200]]) }], 3);
  assert.deepEqual([r[0].single, r[0].multi], [900, 200]);
  const never = solveSteps([{ seed: 1, single: fake([[2, 100]]), multi: fake([[3, 300]]) }], 3);
  assert.equal(never[0].single, 1000);
});

test('no-curriculum control: startN = targetN trains that N alone; the final model is kept even when unsolved', () => {
  const run = trainCurriculum({ ...small, curriculum: 'single', startN: 5, targetN: 5, maxSteps: 100 }, referenceKernels('float32'));
  assert.ok(run.finalModel.params.W);
  assert.ok(run.snapshots.every((s) => s.N === 5));
  assert.throws(() => trainCurriculum({ ...small, startN: 9, targetN: 4 }, referenceKernels('float32')), (e: unknown) => e instanceof ParameterError && e.parameter === 'curriculum.startN');
});

test('connectivity statistics skip the diagonal; spectral radius of a known matrix', async () => {
  const { connectivityStats } = await import('../../lib/src/papers/timescales-curriculum-2024/index.js');
  const { createRnn } = await import('../../lib/src/index.js');
  const model = createRnn({ size: 2, readout: { kind: 'heads', heads: 1, classes: 2, from: 'rate' } }, { dtype: 'float64' });
  model.params.W!.set([9, 2, -2, 9]); // diagonal ignored: [[0, 2], [-2, 0]] has eigenvalues ±2i
  const s = connectivityStats(model);
  assert.equal(s.mean, 0);
  assert.ok(Math.abs(s.std - 2) < 1e-12);
  assert.ok(Math.abs(s.spectralRadius - 2) < 1e-9);
});

test('retraining (papers/timescales-curriculum-2024/README.md §5.9): a fresh head on a copied snapshot, one accuracy per N′, NaN without the N₀ snapshot', () => {
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

test('a run resumed from any checkpoint (through JSON) is bitwise the uninterrupted run', () => {
  const k = referenceKernels('float32');
  const o = { ...small, curriculum: 'multi' as const, maxSteps: 600, targetN: 5 };
  const accuracies: number[][] = [];
  const straight = trainCurriculum(o, k, { onEpoch: (info) => accuracies.push(info.accuracy) });
  const saved: string[] = [];
  trainCurriculum(o, k, { checkpoint: { due: (epoch) => epoch % 5 === 2, save: (cp) => saved.push(toJson(cp)) } });
  assert.ok(saved.length >= 3, 'checkpoints were written');
  for (const text of [saved[0], saved.at(-1)!]) {
    const cp = fromJson<CurriculumCheckpoint>(text);
    const resumedAccuracies: number[][] = [];
    const resumed = trainCurriculum(o, k, { resume: cp, onEpoch: (info) => resumedAccuracies.push(info.accuracy) });
    assert.deepEqual(resumedAccuracies, accuracies.slice(cp.epoch), 'every later epoch tests on the same batches');
    assert.deepEqual(resumed.nMaxByEpoch, straight.nMaxByEpoch);
    assert.deepEqual(resumed.stepsByEpoch, straight.stepsByEpoch);
    assert.deepEqual(resumed.snapshots.map((s) => [s.N, s.step, s.headAccuracy]), straight.snapshots.map((s) => [s.N, s.step, s.headAccuracy]));
    for (const name of ['W', 'tau', 'V', 'Win'] as const) assert.deepEqual(Array.from(resumed.finalModel.params[name]!), Array.from(straight.finalModel.params[name]!), name);
  }
  const other = fromJson<CurriculumCheckpoint>(saved[0]);
  assert.throws(() => trainCurriculum({ ...o, seed: 9 }, k, { resume: other }), (e: unknown) => e instanceof ParameterError && e.parameter === 'resume');
});

test('sliding window (papers/timescales-curriculum-2024/README.md §4.2): window of Ns on heads by position, the oldest `slide` dropped on each solve', () => {
  const o = validateCurriculum({ ...small, curriculum: 'sliding', window: 4, slide: 2, heads: 6 });
  assert.deepEqual(firstStage(o), [2, 3, 4, 5]);
  assert.deepEqual(nextStage(o, [2, 3, 4, 5]), [4, 5, 6, 7]);
  assert.equal(headFor(o, 6, [4, 5, 6, 7]), 2);
  assert.throws(() => headFor(o, 3, [4, 5, 6, 7]), (e: unknown) => e instanceof ParameterError && e.parameter === 'N');
  const run = trainCurriculum({ ...small, curriculum: 'sliding', window: 3, slide: 2, heads: 6, targetN: 6, maxSteps: 3000 }, fastKernels({ maxFloats: 1 << 22 }));
  assert.ok(run.snapshots.length >= 1, 'solves the first window');
  run.snapshots.forEach((s, i) => {
    assert.deepEqual(s.Ns, [2 + 2 * i, 3 + 2 * i, 4 + 2 * i]);
    assert.equal(s.N, 4 + 2 * i);
  });
  const last = run.snapshots.at(-1)!;
  assert.equal(accuracyOn(last, run.options, last.N, referenceKernels('float32'), 128) > 0.9, true, 'the last head serves the largest N');
  assert.throws(() => validateCurriculum({ curriculum: 'sliding', window: 12, heads: 10, targetN: 5 }), (e: unknown) => e instanceof ParameterError && e.parameter === 'curriculum.window');
  assert.throws(() => validateCurriculum({ curriculum: 'sliding', window: 4, slide: 5 }), (e: unknown) => e instanceof ParameterError && e.parameter === 'curriculum.slide');
});

test('a curriculum job killed mid-run resumes from its checkpoint file and gives the uninterrupted numbers', async () => {
  const o = { ...small, curriculum: 'multi' as const, maxSteps: 8000, targetN: 7, seed: 4 };
  const child = new URL('../support/curriculumChild.ts', import.meta.url).pathname;
  const dirs = [mkdtempSync(join(tmpdir(), 'rnnlab-resume-')), mkdtempSync(join(tmpdir(), 'rnnlab-straight-'))];
  const env = (dir: string) => ({ ...process.env, RNNLAB_CACHE: dir, RNNLAB_CHECKPOINT_SECONDS: '0' });
  const runChild = (dir: string) => spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(o)], { env: env(dir), stdio: ['ignore', 'pipe', 'inherit'] });
  const output = (p: ChildProcess) => new Promise<string>((resolve, reject) => {
    let out = '';
    p.stdout!.on('data', (d) => (out += d));
    p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited with ${code}`))));
  });
  try {
    // Start, wait for a checkpoint past step 1500 (two stages solved), kill the process without warning (as a crash or a closed laptop would).
    const first = runChild(dirs[0]);
    const partial = () => readdirSync(dirs[0]).find((f) => f.endsWith('.partial'));
    const killedAt = await new Promise<number>((resolve, reject) => {
      const timer = setInterval(() => {
        const file = partial();
        if (!file) return;
        const text = readFileSync(join(dirs[0], file), 'utf8'); // header line (format, length, checksum), then the JSON
        const cp = fromJson<CurriculumCheckpoint>(text.slice(text.indexOf('\n') + 1));
        if (cp.step < 1500) return;
        clearInterval(timer);
        first.kill('SIGKILL');
        resolve(cp.step);
      }, 10);
      first.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the child finished before it could be killed: make the run longer'));
      });
    });
    await new Promise((r) => first.on('exit', r).exitCode !== null && r(null));
    assert.ok(killedAt < o.maxSteps);
    assert.equal(readdirSync(dirs[0]).filter((f) => f.endsWith('.json')).length, 0, 'no finished run in the cache');
    const resumed = await output(runChild(dirs[0]));
    const straight = await output(runChild(dirs[1]));
    assert.equal(resumed, straight);
    assert.equal(partial(), undefined, 'the checkpoint is removed once the run is cached');
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});

test('the advance rule needs the mean and the largest N above the threshold, strictly; a leaky unit forgets by e in −1/ln(1 − 1/τ′) steps', () => {
  assert.equal(stageSolved([0.99], [2], 0.98), true);
  assert.equal(stageSolved([0.98], [2], 0.98), false, 'strictly above');
  assert.equal(stageSolved([0.999, 0.97], [2, 3], 0.98), false, 'the largest N fails');
  // The largest N need not be last (a sliding window is kept in order, but the rule must not assume it).
  assert.equal(stageSolved([0.97, 0.999, 0.999], [4, 2, 3], 0.98), false);
  assert.equal(stageSolved([0.999, 0.999, 0.975], [4, 2, 3], 0.98), true);
  assert.throws(() => stageSolved([0.99], [2, 3], 0.98), (e: Error) => e instanceof ParameterError && e.parameter === 'headAccuracy');
  assert.equal(leakDecaySteps(1), 0);
  // (1 − 1/τ′)^k = e^(−1) at k = leakDecaySteps(τ′); large τ′: τ′ − ½ + O(1/τ′).
  for (const t of [1.5, 2, 7, 40]) assert.ok(Math.abs(Math.pow(1 - 1 / t, leakDecaySteps(t)) - Math.exp(-1)) < 1e-12);
  assert.ok(Math.abs(leakDecaySteps(1000) - 999.5) < 1e-3);
  for (const bad of [0.5, Number.NaN, -2]) assert.throws(() => leakDecaySteps(bad), (e: Error) => e instanceof ParameterError && e.parameter === 'tauPrime');
});

// ---- chunks: a run split over threads (issue 18; dynamics/rnn/dataParallel.ts) ----

const sameRun = (a: CurriculumRun, b: CurriculumRun, what: string) => {
  assert.deepEqual(a.nMaxByEpoch, b.nMaxByEpoch, `${what}: N by epoch`);
  assert.deepEqual(a.snapshots.map((s) => [s.N, s.step, s.headAccuracy]), b.snapshots.map((s) => [s.N, s.step, s.headAccuracy]), `${what}: snapshots`);
  for (const name of ['W', 'tau', 'V', 'c', 'b', 'Win'] as const) {
    const x = a.finalModel.params[name];
    if (x) assert.deepEqual(Array.from(x), Array.from(b.finalModel.params[name]!), `${what}: ${name}`);
  }
};

test('a run with chunks = 2 gives the same bits on 1 or 2 threads, also when resumed on the other number of threads', () => {
  const k = fastKernels({ maxFloats: 4 * 1024 * 1024 });
  const o = { ...small, curriculum: 'multi' as const, maxSteps: 400, targetN: 5, chunks: 2 };
  const one = trainCurriculum(o, k, {}, { threads: 1 });
  const saved: string[] = [];
  const two = trainCurriculum(o, k, { checkpoint: { due: (epoch) => epoch === 6, save: (cp) => saved.push(toJson(cp)) } }, { threads: 2 });
  sameRun(two, one, '2 threads vs 1');
  assert.equal(saved.length, 1);
  const cp = fromJson<CurriculumCheckpoint>(saved[0]);
  assert.equal(cp.options.chunks, 2, 'a chunked run keeps chunks in its checkpoint');
  sameRun(trainCurriculum(o, k, { resume: cp }, { threads: 1 }), one, 'checkpoint of the 2-thread run resumed on 1 thread');
  // Chunking changes the rounding, so a chunked run is another run (and the checkpoints do not mix).
  assert.throws(() => trainCurriculum({ ...o, chunks: 1 }, k, { resume: cp }), (e: unknown) => e instanceof ParameterError && e.parameter === 'resume');
});

test('chunks = 1 is the run as before the option: same cache file and checkpoint options, no chunks in either', () => {
  const o = { ...small, curriculum: 'single' as const };
  const { chunks: _c, ...before } = validateCurriculum(o); // what the cache key held before `chunks` existed
  const expected = `${cacheFile('timescales-curriculum', { o: before, v: CURRICULUM_CACHE_VERSION })}.partial`;
  assert.equal(curriculumCheckpointFile(o), expected);
  assert.equal(curriculumCheckpointFile({ ...o, chunks: 1 }), expected);
  assert.notEqual(curriculumCheckpointFile({ ...o, chunks: 2 }), expected);
  const saved: CurriculumCheckpoint[] = [];
  trainCurriculum({ ...o, maxSteps: 100 }, referenceKernels('float32'), { checkpoint: { due: () => true, save: (cp) => saved.push(cp) } });
  assert.ok(saved.length > 0 && !('chunks' in saved[0].options), 'a plain run checkpoints its options without chunks');
});

test('bad chunks and threads are named with their range; an engine of another model is refused', () => {
  const k = referenceKernels('float32');
  const named = (parameter: string, pattern: RegExp) => (e: unknown) => e instanceof ParameterError && e.parameter === parameter && pattern.test(e.message);
  assert.throws(() => validateCurriculum({ ...small, chunks: 3 }), named('curriculum.chunks', /divide batchSize = 16/));
  assert.throws(() => validateCurriculum({ ...small, chunks: 0 }), named('curriculum.chunks', /1/));
  assert.throws(() => trainCurriculum({ ...small, chunks: 2 }, k, {}, { threads: 3 }), named('execution.threads', /2/));
  assert.throws(() => trainCurriculum({ ...small }, k, {}, { threads: 2 }), named('execution.threads', /1/));
  const a = createRnn({ size: 8, readout: { kind: 'heads', heads: 2, classes: 2, from: 'rate' } }, { seed: 1, dtype: 'float32' }) as Rnn<Float32Array>;
  const b = createRnn({ size: 8, readout: { kind: 'heads', heads: 2, classes: 2, from: 'rate' } }, { seed: 2, dtype: 'float32' });
  const engine = { model: a, gradients: () => { throw new Error('not called'); } };
  const batch = () => {
    throw new Error('not called: the engine is checked first');
  };
  assert.throws(() => trainRnn(b, { steps: 1, batch, engine }), named('train.engine', /another model/));
});

test('curriculumJobs with threadsPerRun = 2: each chunked run on two threads inside its worker, bitwise the direct run; gated jobs refuse it', async () => {
  const { curriculumJobs, trackedCurriculumJobs } = await import('../../lib/src/papers/timescales-curriculum-2024/index.js');
  const dir = mkdtempSync(join(tmpdir(), 'threads-per-run-'));
  const keep = process.env.RNNLAB_CACHE;
  process.env.RNNLAB_CACHE = dir;
  try {
    const jobs = [1, 2].map((seed) => ({ ...small, curriculum: 'multi' as const, maxSteps: 150, targetN: 5, chunks: 2, seed }));
    const runs = await curriculumJobs(jobs, { threadsPerRun: 2 });
    const k = fastKernels({ maxFloats: 4 * 1024 * 1024 });
    runs.forEach((run, i) => sameRun(run, trainCurriculum(jobs[i], k), `seed ${jobs[i].seed}`));
    await assert.rejects(trackedCurriculumJobs('gatedCurriculumJob', [{}], () => 'gated', { threadsPerRun: 2 }), (e: unknown) => e instanceof ParameterError && e.parameter === 'threadsPerRun');
  } finally {
    if (keep === undefined) delete process.env.RNNLAB_CACHE;
    else process.env.RNNLAB_CACHE = keep;
    rmSync(dir, { recursive: true, force: true });
  }
});

test("controlRuns (notebook 06's runs in one batch) gives what fixedTauRuns, noCurriculumRuns and slidingRuns give separately", async () => {
  const t = await import('../../lib/src/papers/timescales-curriculum-2024/index.js');
  const s = { ...t.TIMESCALES_SCALES.quick, size: 12, batchSize: 8, stepsPerEpoch: 20, testBatches: 1, heads: 12, maxSteps: 120, singleTarget: 4, multiTarget: 4, seeds: [1, 2], controlSeeds: [1], fixedTaus: [1, 3], t11N: 3 };
  const keep = process.env.RNNLAB_CACHE;
  const dirs = [mkdtempSync(join(tmpdir(), 'controls-a-')), mkdtempSync(join(tmpdir(), 'controls-b-'))];
  try {
    process.env.RNNLAB_CACHE = dirs[0];
    const pairs = await t.curriculumRuns(s);
    const together = await t.controlRuns(s, pairs);
    process.env.RNNLAB_CACHE = dirs[1]; // trained afresh, one batch per kind
    const pairsB = await t.curriculumRuns(s);
    assert.deepEqual(together.fixed, await t.fixedTauRuns(s));
    assert.deepEqual(together.noCurriculum, await t.noCurriculumRuns(s, pairsB));
    const sliding = await t.slidingRuns(s);
    together.sliding.forEach((run, i) => sameRun(run, sliding[i], `sliding ${i}`));
  } finally {
    if (keep === undefined) delete process.env.RNNLAB_CACHE;
    else process.env.RNNLAB_CACHE = keep;
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
});
