// The curricula on gated networks (claim T15's protocol): both cells learn stage by stage with the leaky RNN's advance
// rule; a run interrupted at a checkpoint resumes with the same bits; gate timescales τ = 1/(1 − mean gate) against
// saturated gates; the LSTM set-up's ±1 inputs at p = 0.5 carry the same labels as the bits; bad options named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bitTaskBatch, fromJson, ParameterError, Rng, toJson } from '../../lib/src/index.js';
import { gatedStageBatch, gateTimescales, stageSolved, trainGatedCurriculum, validateGatedCurriculum, type GatedCurriculumCheckpoint } from '../../lib/src/papers/timescales-curriculum-2024/index.js';
import { createGatedNetwork } from '../../lib/src/index.js';

const SMALL = { hiddenSize: 16, heads: 8, batchSize: 16, stepsPerEpoch: 25, testBatches: 2, maxSteps: 1500, targetN: 6, lr: 1e-2 };

test('both cells climb the curriculum; snapshots at every solved N, in order, with the advance rule met', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const run = trainGatedCurriculum({ ...SMALL, cell, curriculum: 'multi' });
    assert.ok(run.snapshots.length >= 3, `${cell}: solved ${run.snapshots.map((s) => s.N)}`);
    run.snapshots.forEach((s, k) => {
      assert.equal(s.N, 2 + k);
      assert.deepEqual(s.Ns, Array.from({ length: k + 1 }, (_, i) => 2 + i), 'multi-head keeps every N');
      assert.ok(stageSolved(s.headAccuracy, s.Ns, 0.98), `${cell}: N = ${s.N} recorded with accuracies ${s.headAccuracy}`);
    });
    assert.equal(run.nMaxByEpoch.length, run.stepsByEpoch.length);
  }
  const single = trainGatedCurriculum({ ...SMALL, cell: 'lstm', curriculum: 'single', maxSteps: 300 });
  assert.ok(single.snapshots.every((s) => s.Ns.length === 1), 'single-head trains one N at a time');
});

test('a run resumed from its checkpoint (through JSON) ends with the bits of an uninterrupted run', () => {
  const o = { ...SMALL, cell: 'gru' as const, maxSteps: 400 };
  const whole = trainGatedCurriculum(o);
  let saved: string | null = null;
  trainGatedCurriculum(o, { checkpoint: { due: (epoch) => epoch === 5 && saved === null, save: (cp) => (saved = toJson(cp)) } });
  assert.ok(saved);
  const resumed = trainGatedCurriculum(o, { resume: fromJson<GatedCurriculumCheckpoint>(saved!) });
  const strip = (r: typeof whole) => ({ ...r, wallSeconds: 0 });
  assert.deepEqual(strip(resumed), strip(whole));
  assert.throws(() => trainGatedCurriculum({ ...o, seed: 2 }, { resume: fromJson(saved!) }), (e) => e instanceof ParameterError && e.parameter === 'resume');
});

test('gate timescales: τ = 1/(1 − mean retention gate), large for a saturated-open gate and 1 for a closed one', () => {
  for (const kind of ['lstm', 'gru'] as const) {
    const net = createGatedNetwork({ kind, hiddenSize: 3, heads: 1, seed: 1 });
    const H = 3;
    const o = validateGatedCurriculum({ ...SMALL, cell: kind, heads: 1, curriculum: 'single' });
    const batch = gatedStageBatch(o, [2], Rng.stream(1, 'tau'));
    // Block 1 (LSTM forget, GRU update): weights 0; biases +30 for unit 0 (gate ≈ 1), −30 for unit 1 (gate ≈ 0), 0 for unit 2 (gate = ½).
    for (let j = 0; j < H; j++) {
      for (const W of [net.cell.params.weightIh, net.cell.params.weightHh]) {
        const cols = W.length / (net.cell.params.biasIh.length);
        for (let c = 0; c < cols; c++) W[(H + j) * cols + c] = 0;
      }
      net.cell.params.biasIh[H + j] = [30, -30, 0][j];
      net.cell.params.biasHh[H + j] = 0;
    }
    const tau = gateTimescales(net, batch);
    assert.ok(tau[0] > 1e10, `${kind}: open gate τ = ${tau[0]}`);
    assert.ok(Math.abs(tau[1] - 1) < 1e-12, `${kind}: closed gate τ = ${tau[1]}`);
    assert.ok(Math.abs(tau[2] - 2) < 1e-12, `${kind}: half-open gate τ = ${tau[2]}`);
  }
});

test("the LSTM set-up's inputs: ±1 at p = 0.5, the labels of the bits; the default task is unchanged", () => {
  const opts = { task: 'parity' as const, Ns: [3], batchSize: 400, hiddenSize: 1, steps: 20 };
  const bits = bitTaskBatch({ ...opts, rate: 0.5 }, Rng.stream(4, 'enc'));
  const signed = bitTaskBatch({ ...opts, rate: 0.5, encoding: 'signed' }, Rng.stream(4, 'enc'));
  assert.deepEqual(signed.labels, bits.labels);
  assert.deepEqual(Array.from(signed.inputs), Array.from(bits.inputs, (x) => 2 * x - 1));
  const mean = Array.from(bits.inputs).reduce((a, b) => a + b) / bits.inputs.length;
  assert.ok(Math.abs(mean - 0.5) < 0.03, `rate 0.5: mean ${mean}`);
  // rate null keeps the per-sequence p ~ U(0, 1) draw, so existing runs are unchanged.
  assert.deepEqual(bitTaskBatch({ ...opts, rate: null }, Rng.stream(4, 'enc')), bitTaskBatch(opts, Rng.stream(4, 'enc')));
  assert.throws(() => bitTaskBatch({ ...opts, rate: 2 }, Rng.stream(1, 'x')), (e) => e instanceof ParameterError && e.parameter === 'bitTask.rate');
  assert.throws(() => bitTaskBatch({ ...opts, encoding: 'pm' as never }, Rng.stream(1, 'x')), (e) => e instanceof ParameterError && e.parameter === 'bitTask.encoding');
});

test('gated curriculum options are validated by name', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ cell: 'rnn' }, 'gatedCurriculum.cell'],
    [{ curriculum: 'sliding' }, 'gatedCurriculum.curriculum'],
    [{ heads: 4, targetN: 6 }, 'gatedCurriculum.targetN'],
    [{ lr: 0 }, 'gatedCurriculum.lr'],
    [{ threshold: 1 }, 'gatedCurriculum.threshold'],
    [{ hidden: 3 }, 'gatedCurriculum.hidden'],
    [{ precision: 'float16' }, 'gatedCurriculum.precision'],
  ];
  for (const [o, parameter] of cases) assert.throws(() => validateGatedCurriculum(o as never), (e) => e instanceof ParameterError && e.parameter === parameter, parameter);
});
