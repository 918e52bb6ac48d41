// Sweeps as data (lib/src/sweeps): a bad sweep file fails before anything runs, naming the field; the grid expands in a
// fixed order with dotted keys; the local engine runs every point through the task function and a re-run only the
// points without a result; a failing point is a record, not a crash; --collect reads the cache without computing and
// checks each result against its task's digest. The Slurm engine itself: test/slurm.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachedJson, CacheMissError, ParameterError, readCacheOnly, writeVerifiedJson } from '../../lib/src/index.js';
import { gatedCurriculumCheckpointFile } from '../../lib/src/papers/timescales-curriculum-2024/curriculumJobs.js';
import { curriculumOptions, timescalesScale, trainGatedCurriculum, validateCurriculum, TIMESCALES_PAPER_MAX_WORK, TIMESCALES_PAPER_SCALE } from '../../lib/src/papers/timescales-curriculum-2024/index.js';
import { arrayList, collectSweep, describeOutcome, estimateSweepCost, loadSweep, parseSweep, pendingPoints, pointStatuses, runSweepLocally, slurmScript, taskRecordFile, withoutTiming, SWEEP_JOBS } from '../../lib/src/sweeps/index.js';

const tiny = (cacheDir: string, extra: Record<string, unknown> = {}) => ({
  name: 'unit-tiny',
  job: 'timescales.curriculum',
  fixed: { size: 10, batchSize: 4, stepsPerEpoch: 5, testBatches: 1, heads: 4, maxSteps: 40, targetN: 4 },
  grid: { seed: [1, 2], curriculum: ['single', 'multi'] },
  resources: { memory: '500M', time: '00:05:00' },
  env: { RNNLAB_CHECKPOINT_SECONDS: '0' },
  cacheDir,
  ...extra,
});

const named = (parameter: string, message?: RegExp) => (e: unknown) =>
  e instanceof ParameterError && e.parameter === parameter && (!message || message.test(e.message));

test('a bad sweep file is refused before anything runs, naming the field', () => {
  const base = tiny('/tmp/unused');
  const cases: [string, unknown, string, RegExp?][] = [
    ['not an object', [], 'sweep'],
    ['unknown top-level key', { ...base, grids: {} }, 'sweep.grids', /unknown option/],
    ['missing job', { ...base, job: undefined }, 'sweep.job', /missing/],
    ['unknown job', { ...base, job: 'timescales.curriculm' }, 'sweep.job', /known jobs are timescales\.curriculum/],
    ['bad name', { ...base, name: 'a b' }, 'sweep.name'],
    ['empty grid', { ...base, grid: {} }, 'sweep.grid', /empty/],
    ['empty list', { ...base, grid: { seed: [] } }, 'sweep.grid.seed', /non-empty/],
    ['not a list', { ...base, grid: { seed: 3 } }, 'sweep.grid.seed', /non-empty list/],
    ['unknown grid option', { ...base, grid: { seeds: [1] } }, 'sweep.grid.seeds', /unknown option of job 'timescales.curriculum'/],
    ['unknown fixed option', { ...base, fixed: { ...base.fixed, sise: 3 } }, 'sweep.fixed.sise', /unknown option/],
    ['in grid and fixed', { ...base, grid: { size: [10, 12] } }, 'sweep.grid.size', /also in sweep.fixed/],
    ['a value twice', { ...base, grid: { seed: [1, 1] } }, 'sweep.grid.seed', /twice/],
    ['a bad value, named with its point', { ...base, grid: { seed: [1], batchSize: [4, 0] }, fixed: { size: 10, maxSteps: 40, targetN: 4, heads: 4 } }, 'sweep point 1 (seed=1, batchSize=0)', /curriculum.batchSize/],
    ['bad memory', { ...base, resources: { memory: '2 GB' } }, 'sweep.resources.memory'],
    ['bad time', { ...base, resources: { time: '90 minutes' } }, 'sweep.resources.time'],
    ['unknown resource', { ...base, resources: { gpus: 1 } }, 'sweep.resources.gpus', /unknown option/],
    ['sbatch option the sweep sets', { ...base, resources: { sbatch: ['--array=0-3'] } }, 'sweep.resources.sbatch[0]', /set by the sweep/],
    ['sbatch line that is not an option', { ...base, resources: { sbatch: ['rm -rf /'] } }, 'sweep.resources.sbatch[0]'],
    ['multi-line prolog', { ...base, resources: { prolog: ['a\nb'] } }, 'sweep.resources.prolog[0]'],
    ['cache folder through env', { ...base, env: { RNNLAB_CACHE: '/x' } }, 'sweep.env.RNNLAB_CACHE', /cacheDir/],
    ['env value not a string', { ...base, env: { RNNLAB_CHECKPOINT_SECONDS: 0 } }, 'sweep.env.RNNLAB_CHECKPOINT_SECONDS'],
    ['too much work for the limit', { ...base, fixed: { ...base.fixed, maxSteps: 1e9 }, env: { RNNLAB_MAX_WORK: '1e9' } }, 'sweep point 0 (seed=1, curriculum=single)', /RNNLAB_MAX_WORK/],
  ];
  for (const [what, file, parameter, message] of cases) {
    assert.throws(() => parseSweep(file), named(parameter, message), what);
  }
});

test('the grid expands with the first key slowest; dotted keys reach nested options; each point is validated complete', () => {
  const sweep = parseSweep(tiny('/tmp/unused'));
  assert.deepEqual(sweep.points.map((p) => p.label), ['seed=1, curriculum=single', 'seed=1, curriculum=multi', 'seed=2, curriculum=single', 'seed=2, curriculum=multi']);
  assert.equal((sweep.points[3].options as { threshold: number }).threshold, 0.98, 'defaults filled in');
  const tau = parseSweep({ name: 't', job: 'timescales.tauNet', fixed: { 'run.size': 10, 'run.targetN': 4, 'run.heads': 4, Ns: [2, 3] }, grid: { 'run.seed': [1, 2] } });
  assert.deepEqual(tau.points.map((p) => (p.options as { run: { seed: number; size: number } }).run.seed), [1, 2]);
  assert.equal((tau.points[0].options as { run: { size: number } }).run.size, 10);
  assert.throws(() => parseSweep({ name: 't', job: 'timescales.tauNet', grid: { 'run.sed': [1] } }), named('sweep.grid.run.sed'));
  const seq = parseSweep({ name: 's', job: 'sequential.networkRun', grid: { gain: [0, 0.9] }, fixed: { size: 16, stepsA: 10, stepsB: 10, recordEvery: 5 } });
  assert.equal(seq.points.length, 2);
  assert.throws(() => parseSweep({ name: 's', job: 'sequential.networkRun', grid: { plasticity: ['3x3'] } }), named('sweep point 0 (plasticity=3x3)', /patternNetwork.plasticity/));
  // The state folder depends on the points, not on the file's name alone.
  assert.notEqual(parseSweep(tiny('/tmp/unused', { grid: { seed: [1, 3], curriculum: ['single'] } })).stateDir, sweep.stateDir);
  // The sweep's env is in force while validating and restored afterwards.
  assert.equal(process.env.RNNLAB_CHECKPOINT_SECONDS, undefined);
});

test('Slurm script: one array task per pending point, resources and environment from the file', () => {
  assert.equal(arrayList([7, 0, 1, 2, 5, 8]), '0-2,5,7-8');
  assert.equal(arrayList([3]), '3');
  const sweep = parseSweep(tiny('/shared/cache', { resources: { cpusPerTask: 2, memory: '4G', time: '2-00:00:00', partition: 'cpu', account: 'lab', maxRunning: 10, prolog: ['module load nodejs/20'], sbatch: ['--constraint=avx2'] } }));
  const script = slurmScript(sweep, [0, 1, 3]);
  for (const line of [
    '#SBATCH --array=0-1,3%10',
    '#SBATCH --cpus-per-task=2',
    '#SBATCH --mem=4G',
    '#SBATCH --time=2-00:00:00',
    '#SBATCH --partition=cpu',
    '#SBATCH --account=lab',
    '#SBATCH --constraint=avx2',
    `#SBATCH --output=${sweep.stateDir}/logs/%A_%a.out`,
    'module load nodejs/20',
    "export RNNLAB_CACHE='/shared/cache'",
    "export RNNLAB_CHECKPOINT_SECONDS='0'",
  ]) assert.ok(script.includes(line), `missing: ${line}\n${script}`);
  assert.match(script, /exec node '.*\/lib\/dist\/sweeps\/cli\.js' task '\/shared\/cache\/sweeps\/unit-tiny-[0-9a-f]{12}' --index "\$SLURM_ARRAY_TASK_ID"/);
  assert.ok(script.indexOf('module load') < script.indexOf('exec node'), 'the prolog runs first');
  assert.throws(() => slurmScript(sweep, []), named('indices'));
});

test('results are compared without their wall-clock fields, typed arrays kept', () => {
  const r = { wallSeconds: 3, snapshots: [{ N: 2, wallSeconds: 1, w: Float32Array.of(1, 2) }] };
  assert.deepEqual(withoutTiming(r, ['wallSeconds']), { snapshots: [{ N: 2, w: Float32Array.of(1, 2) }] });
  assert.deepEqual(SWEEP_JOBS['timescales.curriculum'].timingKeys, ['wallSeconds']);
});

test('readCacheOnly returns what is cached and never computes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cache-ro-'));
  try {
    let computed = 0;
    const compute = () => ++computed;
    assert.throws(() => readCacheOnly(() => cachedJson('ro', { a: 1 }, compute, { dir })), (e: unknown) => e instanceof CacheMissError && e.cacheName === 'ro');
    assert.equal(computed, 0);
    cachedJson('ro', { a: 1 }, compute, { dir });
    assert.equal(readCacheOnly(() => cachedJson('ro', { a: 1 }, compute, { dir, refresh: true })), 1, 'refresh does not compute either');
    assert.equal(computed, 1);
    assert.equal(cachedJson('ro', { a: 2 }, compute, { dir }), 2, 'outside readCacheOnly a miss computes again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('local engine: every point through the task function, a re-run runs only the points without a result, collect checks digests', { timeout: 120_000 }, async () => {
  const cache = mkdtempSync(join(tmpdir(), 'sweep-local-'));
  try {
    const sweep = parseSweep(tiny(cache));
    const lines: string[] = [];
    const first = await runSweepLocally(sweep, { workers: 2, log: (l) => lines.push(l) });
    assert.deepEqual(first.ran, [0, 1, 2, 3]);
    assert.equal(first.done, 4);
    assert.equal(lines.filter((l) => /^ {2}\[[1-4]\/4\] point [0-3] /.test(l)).length, 4, lines.join('\n'));
    assert.ok(lines.some((l) => /^ {2}point [0-3] \(.*\): N = [0-9]+ solved, step [0-9]+/.test(l)), `a live progress line per running point:\n${lines.join('\n')}`);
    const { collected, file } = await collectSweep(sweep);
    assert.ok(existsSync(file));
    assert.deepEqual(collected.points.map((p) => p.index), [0, 1, 2, 3]);
    // The same sweep serially, in another cache folder: the same bits.
    const cache2 = mkdtempSync(join(tmpdir(), 'sweep-local2-'));
    try {
      const again = parseSweep(tiny(cache2));
      await runSweepLocally(again, { workers: 0 });
      assert.equal((await collectSweep(again)).collected.digest, collected.digest, 'worker threads and one thread give the same results');
    } finally {
      rmSync(cache2, { recursive: true, force: true });
    }
    // Lose one point's record: only that point runs again (from the cache: the same digest).
    unlinkSync(taskRecordFile(sweep.stateDir, 2));
    assert.deepEqual(pendingPoints(sweep).map((p) => p.index), [2]);
    await assert.rejects(collectSweep(sweep), /1 of 4 points have no result yet \(2: missing\)/);
    const second = await runSweepLocally(sweep, { workers: 2 });
    assert.deepEqual(second.ran, [2]);
    assert.equal((await collectSweep(sweep)).collected.digest, collected.digest);
    // A cached result that changed under its record is refused by collect.
    const record = JSON.parse(readFileSync(taskRecordFile(sweep.stateDir, 1), 'utf8').split('\n')[1]);
    assert.match(record.digest, /^[0-9a-f]{64}$/);
    assert.equal(record.engine, 'local');
    assert.equal(pointStatuses(sweep).every((s) => s.state === 'done'), true);
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a point that fails is recorded with its error, the others run, and the summary says what to do', { timeout: 60_000 }, async () => {
  const cache = mkdtempSync(join(tmpdir(), 'sweep-fail-'));
  try {
    // A checkpoint interval the job refuses at run time (it reads RNNLAB_CHECKPOINT_SECONDS when it starts).
    const sweep = parseSweep(tiny(cache, { env: { RNNLAB_CHECKPOINT_SECONDS: '-1' }, grid: { seed: [1] } }));
    const outcome = await runSweepLocally(sweep, { workers: 1 });
    assert.equal(outcome.done, 0);
    assert.equal(outcome.failed.length, 1);
    assert.match(outcome.failed[0].record!.error!, /^RNNLAB_CHECKPOINT_SECONDS: must be a number of seconds >= 0, got '-1'/);
    const lines = describeOutcome(sweep, outcome);
    assert.match(lines[0], /0 of 1 points done, 1 failed/);
    assert.match(lines[1], /point 0 \(seed=1\) failed: RNNLAB_CHECKPOINT_SECONDS/);
    assert.match(lines[2], /run the same command again/);
    assert.deepEqual(pendingPoints(sweep).map((p) => p.index), [0], 'a failed point runs again');
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('the paper-scale presets are the runs notebook 05 and the fixed-τ controls read at RNNLAB_TIMESCALES_VARIANT=paper', () => {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sweeps');
  const P = TIMESCALES_PAPER_SCALE;
  const main = loadSweep(join(dir, 'timescales-paper-curricula.json'));
  const expected = P.seeds.flatMap((seed) => (['single', 'multi'] as const).map((c) => validateCurriculum(curriculumOptions(P, c, seed))));
  assert.deepEqual(main.points.map((p) => p.options), expected, 'the same options (and so the same cache files) as curriculumRuns(TIMESCALES_PAPER_SCALE)');
  const fixed = loadSweep(join(dir, 'timescales-paper-fixed-tau.json'));
  const expectedFixed = P.fixedTaus.flatMap((fixedTau) => P.controlSeeds.flatMap((seed) => (['single', 'multi'] as const).map((c) => validateCurriculum({ ...curriculumOptions(P, c, seed), fixedTau }))));
  assert.deepEqual(fixed.points.map((p) => p.options), expectedFixed, 'the same options as fixedTauRuns(TIMESCALES_PAPER_SCALE)');
  // The original's sizes (README §7) and the variant switch.
  assert.deepEqual([P.size, P.batchSize, P.stepsPerEpoch, P.testBatches, P.heads, P.maxSteps / P.stepsPerEpoch, P.seeds.length], [500, 256, 600, 50, 100, 1000, 4]);
  assert.equal(main.file.env.RNNLAB_MAX_WORK, TIMESCALES_PAPER_MAX_WORK);
  const saved = { v: process.env.RNNLAB_TIMESCALES_VARIANT, s: process.env.RNNLAB_SCALE };
  try {
    process.env.RNNLAB_SCALE = 'full';
    process.env.RNNLAB_TIMESCALES_VARIANT = 'paper';
    assert.deepEqual(timescalesScale(), P);
    process.env.RNNLAB_TIMESCALES_VARIANT = 'huge';
    assert.throws(() => timescalesScale(), named('RNNLAB_TIMESCALES_VARIANT', /'paper'/));
    process.env.RNNLAB_SCALE = 'quick';
    assert.equal(timescalesScale().size, 32, 'the quick scale ignores the variant');
  } finally {
    for (const [k, v] of [['RNNLAB_TIMESCALES_VARIANT', saved.v], ['RNNLAB_SCALE', saved.s]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('gated curriculum runs as sweep points: cached, resumed from a checkpoint left by an interrupted run, priced by their own engine', { timeout: 120_000 }, async () => {
  const cache = mkdtempSync(join(tmpdir(), 'sweep-gated-'));
  const saved = process.env.RNNLAB_CACHE;
  try {
    const file = { name: 'gated', job: 'timescales.gatedCurriculum', fixed: { hiddenSize: 8, heads: 6, batchSize: 8, stepsPerEpoch: 10, testBatches: 1, maxSteps: 200, targetN: 5, lr: 1e-2 }, grid: { cell: ['lstm', 'gru'] }, cacheDir: cache };
    const sweep = parseSweep(file);
    // An interrupted run of point 1: its checkpoint after epoch 5 is where the job picks up.
    process.env.RNNLAB_CACHE = cache;
    const o = sweep.points[1].options as Parameters<typeof trainGatedCurriculum>[0];
    trainGatedCurriculum(o, { checkpoint: { due: (epoch) => epoch === 5, save: (cp) => writeVerifiedJson(gatedCurriculumCheckpointFile(o), cp) } });
    assert.ok(existsSync(gatedCurriculumCheckpointFile(o)));
    const lines: string[] = [];
    const out = await runSweepLocally(sweep, { workers: 2, log: (l) => lines.push(l), progressSeconds: 0 });
    assert.equal(out.done, 2, lines.join('\n'));
    assert.ok(lines.some((l) => /point 1 \(cell=gru\): .*resumed at step 60/.test(l)), lines.join('\n'));
    assert.equal(existsSync(gatedCurriculumCheckpointFile(o)), false, 'the checkpoint is removed once the run is cached');
    const { collected } = await collectSweep(sweep);
    const uninterrupted = trainGatedCurriculum(o);
    assert.deepEqual({ ...(collected.points[1].result as typeof uninterrupted), wallSeconds: 0 }, { ...uninterrupted, wallSeconds: 0 }, 'resumed = uninterrupted');
    const cost = estimateSweepCost(sweep);
    assert.equal(cost.shape.cell, 'lstm');
    assert.ok(cost.rate > 1e6 && cost.points.every((p) => p.cpuHours > 0));
  } finally {
    if (saved === undefined) delete process.env.RNNLAB_CACHE;
    else process.env.RNNLAB_CACHE = saved;
    rmSync(cache, { recursive: true, force: true });
  }
});
