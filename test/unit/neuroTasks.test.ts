import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neuroTaskBatch, NEURO_TASK_CHANNELS, ParameterError, Rng } from '../../lib/src/index.js';

const layout = { inputs: 7, outputs: 4, inputOffset: 2, outputOffset: 1 };

test('neuro tasks use only their own channels of a shared layout', () => {
  for (const task of ['flipflop', 'romo', 'mante'] as const) {
    const b = neuroTaskBatch(task, 8, layout, Rng.stream(1, task), 0.2, 5);
    const { inputs: I, outputs: O } = NEURO_TASK_CHANNELS[task];
    assert.equal(b.inputs.length, b.steps * 8 * 7);
    assert.equal(b.initialState.length, 8 * 5);
    for (let k = 0; k < b.steps * 8; k++) {
      for (let i = 0; i < 7; i++) if (i < 2 || i >= 2 + I) assert.equal(b.inputs[k * 7 + i], 0);
      for (let o = 0; o < 4; o++) if (o < 1 || o >= 1 + O) assert.equal(b.mask![k * 4 + o], 0);
    }
  }
  assert.throws(() => neuroTaskBatch('mante', 2, { ...layout, inputOffset: 5 }, Rng.stream(1, 'x')), ParameterError);
});

test('Romo: the decision target is the sign of f1 − f2, scored only in the decision period', () => {
  const one = { inputs: 1, outputs: 1, inputOffset: 0, outputOffset: 0 };
  for (let s = 0; s < 20; s++) {
    const b = neuroTaskBatch('romo', 1, one, Rng.stream(s, 'romo'));
    const pulses: number[] = [];
    for (let k = 0; k < b.steps; k++) if (b.inputs[k] !== 0 && (k === 0 || b.inputs[k - 1] === 0)) pulses.push(b.inputs[k]);
    assert.equal(pulses.length, 2);
    assert.ok(Math.abs(pulses[0] - pulses[1]) >= 0.2 && pulses.every((f) => f >= 0.5 && f <= 1.5));
    const scored = Array.from(b.mask!).map((m, k) => [m, b.targets![k]]).filter(([m]) => m > 0);
    assert.equal(scored.length, 40); // 8 time units at dt = 0.2
    assert.ok(scored.every(([, t]) => t === Math.sign(pulses[0] - pulses[1])));
  }
});

test('flip-flop: each output holds the sign of its channel’s last pulse, two time units after it', () => {
  const two = { inputs: 2, outputs: 2, inputOffset: 0, outputOffset: 0 };
  const b = neuroTaskBatch('flipflop', 1, two, Rng.stream(3, 'ff'));
  const held = [0, 0];
  const pending: { at: number; c: number; s: number }[] = [];
  for (let k = 0; k < b.steps; k++) {
    for (let c = 0; c < 2; c++) {
      const u = b.inputs[k * 2 + c];
      if (u !== 0 && (k === 0 || b.inputs[(k - 1) * 2 + c] === 0)) pending.push({ at: k, c, s: u });
    }
    for (const p of pending.filter((p) => p.at + 10 <= k)) held[p.c] = p.s;
    for (let c = 0; c < 2; c++) if (b.mask![k * 2 + c] > 0) assert.equal(b.targets![k * 2 + c], held[c], `step ${k}, channel ${c}`);
  }
  assert.ok(pending.length >= 2);
});

test('Mante: the target follows the cued modality', () => {
  const four = { inputs: 4, outputs: 1, inputOffset: 0, outputOffset: 0 };
  const b = neuroTaskBatch('mante', 16, four, Rng.stream(2, 'mante'));
  for (let s = 0; s < 16; s++) {
    const context = b.inputs[s * 4] === 1 ? 0 : 1;
    let sum = 0;
    for (let k = 15; k < 115; k++) sum += b.inputs[(k * 16 + s) * 4 + 2 + context];
    const last = b.steps - 1;
    assert.equal(b.targets![last * 16 + s], Math.sign(sum));
  }
});
