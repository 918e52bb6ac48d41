// Gated networks with heads (issue 17, second increment): the heads loss's gradients against central finite
// differences for every parameter of both cells, inactive heads left without a gradient; Adam's first step as PyTorch
// takes it; a resumed optimiser continues bitwise; an LSTM learns 2-parity; divergence and bad options named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bitTaskBatch, createGatedNetwork, createGatedOptimizer, DivergenceError, gatedHeadsLoss, gatedNetworkParams, ParameterError, Rng, trainGated, type Batch } from '../../lib/src/index.js';

const parity = (Ns: number[], heads: number, B: number, rng: Rng, headsOf?: number[]): Batch =>
  bitTaskBatch({ task: 'parity', Ns, heads: headsOf ?? Ns.map((_, i) => i), headCount: heads, batchSize: B, hiddenSize: 1 }, rng);

for (const kind of ['lstm', 'gru'] as const) {
  test(`${kind} with heads (float64 definition): gradients equal central finite differences for every parameter; inactive heads get none`, () => {
    const net = createGatedNetwork({ kind, inputSize: 1, hiddenSize: 4, heads: 3, classes: 2, seed: 2 });
    const batch = parity([2, 3], 3, 5, Rng.stream(1, 'fd'), [0, 2]);
    const { grads } = gatedHeadsLoss(net, batch, true, 'float64');
    assert.deepEqual(Object.keys(grads!).sort(), ['biasHh', 'biasIh', 'head0.bias', 'head0.weight', 'head2.bias', 'head2.weight', 'weightHh', 'weightIh']);
    const params = gatedNetworkParams(net);
    const eps = 1e-6;
    // Per parameter: the largest difference over the largest magnitude (as the cells' own gradient test).
    const worstOf: Record<string, number> = {};
    for (const [name, g] of Object.entries(grads!)) {
      const p = params[name];
      let maxDiff = 0;
      let maxAbs = 0;
      for (let i = 0; i < p.length; i++) {
        const keep = p[i];
        p[i] = keep + eps;
        const up = gatedHeadsLoss(net, batch, false, 'float64').loss;
        p[i] = keep - eps;
        const down = gatedHeadsLoss(net, batch, false, 'float64').loss;
        p[i] = keep;
        const fd = (up - down) / (2 * eps);
        maxDiff = Math.max(maxDiff, Math.abs(fd - g[i]));
        maxAbs = Math.max(maxAbs, Math.abs(fd), Math.abs(g[i]));
      }
      worstOf[name] = maxDiff / maxAbs;
    }
    console.log(`${kind} with heads, worst relative errors: ${Object.entries(worstOf).map(([k, e]) => `${k} ${e.toExponential(1)}`).join(', ')}`);
    for (const [name, e] of Object.entries(worstOf)) assert.ok(e < 1e-6, `${name}: worst relative error ${e.toExponential(2)}`);
  });
}

test('loss and accuracy: the sum over active heads of the batch-mean cross-entropy; a head can be read without gradients', () => {
  const net = createGatedNetwork({ kind: 'lstm', hiddenSize: 3, heads: 2, seed: 4 });
  net.V.fill(0);
  net.c.fill(0); // every logit 0: each head's cross-entropy is ln 2, its accuracy the share of label 0 (argmax picks class 0)
  const batch = parity([2, 3], 2, 8, Rng.stream(3, 'ce'));
  const r = gatedHeadsLoss(net, batch, false);
  assert.ok(Math.abs(r.loss - 2 * Math.LN2) < 1e-15);
  assert.equal(r.grads, null);
  for (const [j, k] of [0, 1].entries()) {
    const zeros = Array.from(batch.labels!.subarray(k * 8, k * 8 + 8)).filter((y) => y === 0).length;
    assert.equal(r.headAccuracy[j], zeros / 8);
  }
});

test('Adam through the generalised optimiser: the first step is lr·g/(|g| + ε) for every parameter, unused heads untouched', () => {
  const net = createGatedNetwork({ kind: 'gru', hiddenSize: 4, heads: 2, seed: 5 });
  const batch = parity([2], 2, 6, Rng.stream(2, 'adam'));
  const before = Object.fromEntries(Object.entries(gatedNetworkParams(net)).map(([k, v]) => [k, Float64Array.from(v)]));
  const { grads } = gatedHeadsLoss(net, batch);
  trainGated(net, { steps: 1, batch: () => batch, clipNorm: null, optimizer: { kind: 'adam', lr: 0.01 } });
  const after = gatedNetworkParams(net);
  for (const [name, g] of Object.entries(grads!)) {
    for (let i = 0; i < g.length; i++) {
      const expected = before[name][i] - (0.01 * g[i]) / (Math.abs(g[i]) + 1e-8);
      assert.ok(Math.abs(after[name][i] - expected) < 1e-12, `${name}[${i}]`);
    }
  }
  assert.deepEqual(after['head1.weight'], before['head1.weight']);
  assert.deepEqual(after['head1.bias'], before['head1.bias']);
});

test('an optimiser saved mid-run and restored continues bitwise; its state names are the network\'s', () => {
  const run = (split: boolean) => {
    const net = createGatedNetwork({ kind: 'lstm', hiddenSize: 6, heads: 2, seed: 7 });
    const rng = Rng.stream(9, 'resume');
    const batches = Array.from({ length: 10 }, () => parity([2, 3], 2, 8, rng));
    let opt = trainGated(net, { steps: 5, batch: (s) => batches[s - 1] }).optimizer;
    if (split) opt = createGatedOptimizer(net, undefined, JSON.parse(JSON.stringify(opt.state())));
    trainGated(net, { steps: 5, batch: (s) => batches[s + 4], continueWith: opt });
    return gatedNetworkParams(net);
  };
  assert.deepEqual(run(true), run(false));
  const net = createGatedNetwork({ heads: 1 });
  assert.throws(() => createGatedOptimizer(net, undefined, { steps: { W: 1 }, buffers: {} }), (e) => e instanceof ParameterError && /unknown parameter 'W'; known: weightIh, weightHh, biasIh, biasHh, head0.weight, head0.bias/.test(e.message));
});

test('an LSTM learns 2-parity with the study\'s Adam set-up (lr 1e-3 scaled up for a short test: 1e-2, clip 2)', () => {
  const net = createGatedNetwork({ kind: 'lstm', hiddenSize: 16, heads: 1, seed: 1 });
  const rng = Rng.stream(1, 'learn');
  const { losses } = trainGated(net, { steps: 400, batch: () => parity([2], 1, 32, rng), optimizer: { kind: 'adam', lr: 1e-2 } });
  const test = gatedHeadsLoss(net, parity([2], 1, 512, Rng.stream(2, 'learn-test')), false);
  assert.ok(test.headAccuracy[0] > 0.95, `accuracy ${test.headAccuracy[0]}, last losses ${losses.slice(-3)}`);
  assert.ok(losses.at(-1)! < 0.5 * losses[0]);
});

test('divergence stops with the step and the quantity; bad options and batches are named', () => {
  const net = createGatedNetwork({ hiddenSize: 3, heads: 1 });
  const good = parity([2], 1, 4, Rng.stream(1, 'bad'));
  let calls = 0;
  const poisoned = () => (++calls === 3 ? { ...good, inputs: Float32Array.from(good.inputs, () => Number.NaN) } : good);
  assert.throws(() => trainGated(net, { steps: 5, batch: poisoned }), (e) => e instanceof DivergenceError && e.step === 3 && /loss NaN/.test(e.message));
  const cases: [Record<string, unknown>, string][] = [
    [{ steps: -1 }, 'trainGated.steps'],
    [{ stepz: 1 }, 'trainGated.stepz'],
    [{ clipNorm: 0 }, 'trainGated.clipNorm'],
    [{ batch: 3 }, 'trainGated.batch'],
    [{ onStep: 'x' }, 'trainGated.onStep'],
    [{ precision: 'float16' }, 'trainGated.precision'],
    [{ sequenceCapacity: -1 }, 'trainGated.sequenceCapacity'],
  ];
  for (const [o, parameter] of cases) assert.throws(() => trainGated(net, { batch: () => good, ...o } as never), (e) => e instanceof ParameterError && e.parameter === parameter, parameter);
  assert.throws(() => createGatedNetwork({ heads: 0 }), (e) => e instanceof ParameterError && e.parameter === 'gatedNetwork.heads');
  assert.throws(() => createGatedNetwork({ kind: 'rnn' as never }), (e) => e instanceof ParameterError && e.parameter === 'gatedCell.kind');
  assert.throws(() => gatedHeadsLoss(net, good, true, 'float16' as never), (e) => e instanceof ParameterError && e.parameter === 'precision');
  assert.throws(() => gatedHeadsLoss(net, { ...good, labels: undefined }), (e) => e instanceof ParameterError && e.parameter === 'batch');
  assert.throws(() => gatedHeadsLoss(net, { ...good, activeHeads: [1] }), (e) => e instanceof ParameterError && e.parameter === 'batch.activeHeads');
  assert.throws(() => gatedHeadsLoss(net, { ...good, labels: Int32Array.from(good.labels!, () => 5) }), (e) => e instanceof ParameterError && e.parameter === 'batch.labels');
});
