// Data-parallel BPTT (dynamics/rnn/dataParallel.ts, issue 18): the result depends on the chunks, never on the threads
// (bitwise, also over training steps); one chunk is the plain workspace's result; chunked gradients equal the
// unchunked ones up to float32 rounding; bad options are named; a worker's error reaches the caller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BpttWorkspace, bitTaskBatch, clipGradientNorm, createOptimizer, createRnn, DataParallelBptt, fastKernels, ParameterError, Rng, type Batch, type GradientResult, type Rnn } from '../../lib/src/index.js';

const N = 24;
const B = 12;
const T = 9;
const model = (seed = 1) => createRnn({ size: N, readout: { kind: 'heads', heads: 3, classes: 2, from: 'rate' } }, { seed, dtype: 'float32' }) as Rnn<Float32Array>;
const batchOf = (seed: number, steps = T): Batch => bitTaskBatch({ task: 'parity', Ns: [2, 3], heads: [0, 2], headCount: 3, batchSize: B, hiddenSize: N, steps }, Rng.stream(seed, 'data-parallel'));

function assertSameBits(a: GradientResult, b: GradientResult, what: string) {
  assert.ok(Object.is(a.loss, b.loss), `${what}: loss ${a.loss} vs ${b.loss}`);
  assert.deepEqual(a.headAccuracy, b.headAccuracy, what);
  assert.deepEqual(Object.keys(a.grads).sort(), Object.keys(b.grads).sort(), what);
  for (const [name, g] of Object.entries(a.grads)) assert.deepEqual(g, b.grads[name as keyof typeof a.grads], `${what}: ${name}`);
}

test('the same bits with 1, 2 or 3 threads for a fixed number of chunks; one chunk is the plain workspace', () => {
  const m = model();
  const batch = batchOf(1);
  const engines = [1, 2, 3].map((threads) => new DataParallelBptt(m, B, { chunks: 3, threads, maxSteps: T + 4 }));
  try {
    const results = engines.map((e) => e.gradients(batch));
    assertSameBits(results[1], results[0], '2 threads vs 1');
    assertSameBits(results[2], results[0], '3 threads vs 1');
    // A second, shorter batch through the same engines (the workers re-read their chunks).
    const short = batchOf(2, T - 3);
    const again = engines.map((e) => e.gradients(short));
    assertSameBits(again[2], again[0], 'shorter batch, 3 threads vs 1');
    // Chunked against unchunked: the same gradient up to the order of the float32 sums.
    const plain = new BpttWorkspace(m, fastKernels(), B, T).gradients(batch);
    for (const [name, g] of Object.entries(plain.grads)) {
      const c = results[0].grads[name as keyof typeof plain.grads]!;
      let num = 0;
      let den = 0;
      for (let i = 0; i < g.length; i++) {
        num += (g[i] - c[i]) ** 2;
        den += g[i] ** 2;
      }
      assert.ok(Math.sqrt(num / Math.max(den, 1e-30)) < 1e-5, `${name}: chunked vs plain ${Math.sqrt(num / den)}`);
    }
    assert.ok(Math.abs(plain.loss - results[0].loss) < 1e-6 * plain.loss);
    const single = new DataParallelBptt(m, B, { chunks: 1, threads: 1, maxSteps: T });
    assertSameBits(single.gradients(batch), plain, 'one chunk vs the plain workspace');
  } finally {
    for (const e of engines) e.close();
  }
});

test('training steps through 1 and 2 threads end with identical parameters', () => {
  const run = (threads: number) => {
    const m = model(4);
    const engine = new DataParallelBptt(m, B, { chunks: 2, threads, maxSteps: T });
    const opt = createOptimizer({ kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true });
    try {
      for (let step = 0; step < 6; step++) {
        const { grads } = engine.gradients(batchOf(10 + step));
        clipGradientNorm(grads, 2);
        opt.step(m, grads);
      }
    } finally {
      engine.close();
    }
    return m.params;
  };
  assert.deepEqual(run(2), run(1));
});

test('bad options and batches are named; a closed engine refuses work; a worker\'s error reaches the caller', () => {
  const m = model();
  const cases: [Record<string, unknown>, string][] = [
    [{ chunks: 5 }, 'dataParallel.chunks'],
    [{ chunks: 0 }, 'dataParallel.chunks'],
    [{ chunks: 2, threads: 3 }, 'dataParallel.threads'],
    [{ maxSteps: 0 }, 'dataParallel.maxSteps'],
    [{ workers: 2 }, 'dataParallel.workers'],
  ];
  for (const [o, parameter] of cases) assert.throws(() => new DataParallelBptt(m, B, o as never), (e) => e instanceof ParameterError && e.parameter === parameter, parameter);
  const linear = createRnn({ size: N, readout: { kind: 'linear', outputs: 1, from: 'rate', lossFactor: 1, lossNormalization: 'entries' } }, { dtype: 'float32' }) as Rnn<Float32Array>;
  assert.throws(() => new DataParallelBptt(linear, B, { threads: 1 }), (e) => e instanceof ParameterError && e.parameter === 'model' && /heads readout/.test(e.message));
  const double = createRnn({ size: N, readout: { kind: 'heads', heads: 3, classes: 2, from: 'rate' } }, { dtype: 'float64' }) as unknown as Rnn<Float32Array>;
  assert.throws(() => new DataParallelBptt(double, B, { threads: 1 }), (e) => e instanceof ParameterError && /float32/.test(e.message));
  const engine = new DataParallelBptt(m, B, { chunks: 2, threads: 2, maxSteps: T });
  try {
    assert.throws(() => engine.gradients(batchOf(1, T + 1)), (e) => e instanceof ParameterError && e.parameter === 'batch.steps');
    // A label no head has: the worker's chunk fails too, and the engine still answers the next batch.
    const bad = batchOf(1);
    const labels = Int32Array.from(bad.labels!);
    labels.fill(7, B - 2, B);
    assert.throws(() => engine.gradients({ ...bad, labels }), /label|class/i);
    assert.ok(Number.isFinite(engine.gradients(batchOf(3)).loss));
  } finally {
    engine.close();
  }
  assert.throws(() => engine.gradients(batchOf(1)), /closed/);
});
