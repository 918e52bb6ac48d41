import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runParallel, ParameterError } from '../../lib/src/index.js';

const jobs = new URL('../fixtures/parallelJobs.ts', import.meta.url);

test('training runs on two worker threads give exactly the results of a serial run', async () => {
  const seeds = [1, 2, 3, 4];
  type Out = { loss: Float64Array; W: Float32Array };
  const serial = await runParallel<number, Out>(jobs, 'trainSeed', seeds, { workers: 1 });
  const parallel = await runParallel<number, Out>(jobs, 'trainSeed', seeds, { workers: 2 });
  for (let i = 0; i < seeds.length; i++) {
    assert.deepEqual(Array.from(parallel[i].loss), Array.from(serial[i].loss), `seed ${seeds[i]}: losses`);
    assert.deepEqual(Array.from(parallel[i].W), Array.from(serial[i].W), `seed ${seeds[i]}: weights`);
  }
  assert.notDeepEqual(Array.from(serial[0].loss), Array.from(serial[1].loss), 'different seeds differ');
});

test('results come back in input order when jobs finish out of order', async () => {
  const inputs = [{ ms: 120, value: 0 }, { ms: 10, value: 1 }, { ms: 60, value: 2 }, { ms: 5, value: 3 }];
  const finished: number[] = [];
  const out = await runParallel<(typeof inputs)[number], number>(jobs, 'sleepThenEcho', inputs, { workers: 2, onResult: (i) => finished.push(i) });
  assert.deepEqual(out, [0, 1, 2, 3]);
  assert.equal(finished.length, 4);
});

test('a failing job rejects the call with its index and message, serially and in parallel', async () => {
  for (const workers of [1, 2]) {
    await assert.rejects(runParallel(jobs, 'failOnThree', [1, 2, 3, 4], { workers }), /job 2 failed: three is not allowed/);
  }
});

test('bad options throw errors naming the parameter', async () => {
  await assert.rejects(runParallel(jobs, 'failOnThree', [1], { workers: -1 }), (e: unknown) => e instanceof ParameterError && e.parameter === 'workers');
  await assert.rejects(runParallel(jobs, 'failOnThree', [1], { workers: 1.5 }), (e: unknown) => e instanceof ParameterError && e.parameter === 'workers');
  await assert.rejects(runParallel('relative/path.js', 'x', [1]), /moduleUrl/);
});

test('jobs report progress to the caller, serially and from worker threads', async () => {
  for (const workers of [1, 2]) {
    const seen: [number, unknown][] = [];
    const out = await runParallel<number, number>(jobs, 'countWithProgress', [2, 3], { workers, onProgress: (i, p) => seen.push([i, p]) });
    assert.deepEqual(out, [2, 3]);
    assert.deepEqual(seen.filter(([i]) => i === 1).map(([, p]) => p), [{ i: 1 }, { i: 2 }, { i: 3 }], `workers = ${workers}`);
    assert.equal(seen.length, 5);
  }
});
