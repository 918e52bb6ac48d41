import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, DivergenceError, ParameterError, bitTaskBatch, movingAverage, createRnn, evaluateRnn, loadRnn, saveRnn, trainRnn, rnnFromJson, rnnToJson } from '../../lib/src/index.js';

const heads = { kind: 'heads', heads: 1, classes: 2, from: 'rate' } as const;

test('bit tasks: parity and DMS labels follow their definitions; lengths in {N+2, ..., 4N+1}', () => {
  const rng = Rng.stream(1, 'bits');
  for (let rep = 0; rep < 20; rep++) {
    const b = bitTaskBatch({ task: 'parity', Ns: [2, 3], headCount: 3, heads: [0, 2], batchSize: 5, hiddenSize: 4 }, rng);
    assert.ok(b.steps >= 5 && b.steps <= 13, `length ${b.steps}`);
    assert.deepEqual(b.activeHeads, [0, 2]);
    for (let s = 0; s < 5; s++) {
      const x = (t: number) => b.inputs[(t - 1) * 5 + s]; // x_t, t = 1..M
      const M = b.steps;
      assert.equal(b.labels![0 * 5 + s], (x(M) + x(M - 1)) % 2);
      assert.equal(b.labels![2 * 5 + s], (x(M) + x(M - 1) + x(M - 2)) % 2);
    }
    const d = bitTaskBatch({ task: 'dms', Ns: [4], batchSize: 5, hiddenSize: 4 }, rng);
    for (let s = 0; s < 5; s++) {
      const x = (t: number) => d.inputs[(t - 1) * 5 + s];
      assert.equal(d.labels![s], x(d.steps - 3) === x(d.steps) ? 1 : 0);
    }
    for (const v of b.initialState) assert.ok(v >= 0 && v < 0.1);
  }
  assert.throws(() => bitTaskBatch({ Ns: [0] }, rng), (e: unknown) => e instanceof ParameterError && e.parameter === 'bitTask.Ns');
});

test('a small timescales RNN trained on 2-parity drives its loss down by at least 10x', () => {
  const model = createRnn({ size: 32, readout: heads }, { seed: 1, dtype: 'float32' });
  const batch = (_: number, rng: Rng) => bitTaskBatch({ task: 'parity', Ns: [2], batchSize: 32, hiddenSize: 32 }, rng);
  const test = Array.from({ length: 4 }, (_, i) => bitTaskBatch({ task: 'parity', Ns: [2], batchSize: 64, hiddenSize: 32 }, Rng.stream(9, `test/${i}`)));
  const before = evaluateRnn(model, test);
  const result = trainRnn(model, { steps: 300, seed: 1, optimizer: { kind: 'adam', lr: 0.01 }, batch });
  const after = evaluateRnn(model, test);
  assert.equal(result.stepsDone, 300);
  assert.ok(after.loss < before.loss / 10, `test loss ${before.loss.toFixed(3)} -> ${after.loss.toFixed(4)}`);
  assert.ok(after.headAccuracy![0] > 0.98, `accuracy ${after.headAccuracy![0]}`);
});

test('training is deterministic for a seed, and onStep can stop it', () => {
  const run = () => {
    const model = createRnn({ size: 8, readout: heads }, { seed: 2 });
    const steps: number[] = [];
    const r = trainRnn(model, {
      steps: 10, seed: 3, batch: (_, rng) => bitTaskBatch({ Ns: [2], batchSize: 4, hiddenSize: 8 }, rng),
      onStep: (info) => { steps.push(info.step); return info.step === 5; },
    });
    return { loss: Array.from(r.loss), steps, W: Array.from(model.params.W!) };
  };
  const a = run();
  assert.deepEqual(a, run());
  assert.deepEqual(a.steps, [0, 1, 2, 3, 4, 5]);
});

test('a diverging training run stops with a DivergenceError naming the step', () => {
  const model = createRnn({ size: 8, activation: 'identity', selfConnections: true, readout: heads }, { seed: 1, dtype: 'float64' });
  model.params.W!.fill(3);
  model.params.tau!.fill(1);
  assert.throws(
    () => trainRnn(model, { steps: 5, batch: (_, rng) => bitTaskBatch({ Ns: [2], batchSize: 4, hiddenSize: 8, steps: 600, dtype: 'float64' }, rng) }),
    (e: unknown) =>
      e instanceof DivergenceError && /training/.test(e.message) && e.step === 0 && /at time step \d+ of the sequence/.test(e.message) && /untrained network already diverges: lower its gain/.test(e.message),
  );
});

test('a learning rate that throws the parameters out of range is a DivergenceError naming the training step and the parameter', () => {
  const model = createRnn({ size: 8, readout: heads }, { seed: 1, dtype: 'float64' });
  const batch = (_: number, rng: Rng) => bitTaskBatch({ Ns: [2], batchSize: 4, hiddenSize: 8, steps: 12, dtype: 'float64' }, rng);
  assert.throws(
    () => trainRnn(model, { steps: 50, batch, clipNorm: null, optimizer: { kind: 'sgd', lr: 1e6, momentum: 0, nesterov: false } }),
    (e: unknown) => e instanceof DivergenceError && e.where === 'training' && /after the optimiser step, params\.\w+|gradient norm|loss at the previous step/.test(e.message) && /lower the learning rate/.test(e.message),
  );
});

test('save and load round-trip every parameter exactly (JSON, atomic write)', () => {
  const model = createRnn({ size: 6, recurrent: 'low-rank', rank: 2, update: 'leak-outside', readout: { kind: 'linear', outputs: 2, from: 'state', lossFactor: 0.5, lossNormalization: 'steps' } }, { seed: 5 });
  const path = join(mkdtempSync(join(tmpdir(), 'rnnlab-')), 'model.json');
  saveRnn(model, path);
  const back = loadRnn(path);
  assert.deepEqual(back.config, model.config);
  for (const [k, v] of Object.entries(model.params)) assert.deepEqual(Array.from(back.params[k as 'M']!), Array.from(v!), k);
  assert.deepEqual(Array.from(back.fixed.U!), Array.from(model.fixed.U!));
  assert.ok(back.params.M instanceof Float32Array);
  const text = rnnToJson(model).replace('"rnnlab-rnn/1"', '"other"');
  assert.throws(() => rnnFromJson(text), (e: unknown) => e instanceof ParameterError && e.parameter === 'format');
});

test('movingAverage is the trailing mean over the window (shorter at the start)', () => {
  assert.deepEqual(Array.from(movingAverage([1, 2, 3, 4, 5], 2)), [1, 1.5, 2.5, 3.5, 4.5]);
  assert.deepEqual(Array.from(movingAverage([4, 2], 5)), [4, 3]);
  assert.throws(() => movingAverage([1], 0), /window/);
});

test('models of one configuration share a workspace per backend (the wasm arena never frees) and evaluate exactly as alone', async () => {
  const { workspaceFor, fastKernels } = await import('../../lib/src/index.js');
  const config = { size: 24, readout: { kind: 'heads' as const, heads: 2, classes: 2, from: 'rate' as const } };
  const models = [1, 2, 3].map((seed) => createRnn(config, { seed, dtype: 'float32' }));
  const batches = [0, 1].map((i) => bitTaskBatch({ Ns: [2, 3], heads: [0, 1], headCount: 2, batchSize: 8, hiddenSize: 24 }, Rng.stream(5, `b/${i}`)));
  const shared = fastKernels({ maxFloats: 1 << 20 });
  const together = models.map((m) => evaluateRnn(m, batches, shared));
  const alone = models.map((m) => evaluateRnn(m, batches, fastKernels({ maxFloats: 1 << 20 })));
  assert.deepEqual(together, alone);
  assert.equal(workspaceFor(models[0], shared, 8, 10), workspaceFor(models[2], shared, 8, 10), 'one workspace for the three models');
  const other = createRnn({ ...config, size: 12 }, { seed: 1, dtype: 'float32' });
  assert.notEqual(workspaceFor(other, shared, 8, 10), workspaceFor(models[0], shared, 8, 10), 'another configuration, another workspace');
});
