// Gated cells (issue 17): BPTT of the LSTM and the GRU against central finite differences for every parameter, the
// initial state and the inputs (float64); PyTorch's equations pinned on hand-computed one-step cases; bad input named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGatedCell, gatedBackward, gatedCellFromFile, gatedCellToFile, gatedForward, GATED_PARAM_NAMES, loadGatedCell, ParameterError, Rng, saveGatedCell, type GatedCell } from '../../lib/src/index.js';

/** L = Σ_t Σ_b Σ_j w_tbj h_tbj with fixed random w: ∂L/∂h_t = w. */
function lossOf(cell: GatedCell, inputs: Float64Array, batch: number, w: Float64Array, h0: Float64Array, c0: Float64Array) {
  const trace = gatedForward(cell, inputs, batch, { h: h0, c: cell.kind === 'lstm' ? c0 : undefined });
  const outputs = trace.h.subarray(batch * cell.hiddenSize);
  return outputs.reduce((s, v, i) => s + v * w[i], 0);
}

for (const kind of ['lstm', 'gru'] as const) {
  test(`${kind}: BPTT equals central finite differences for every parameter, the inputs and the initial state`, () => {
    const [I, H, B, T] = [3, 5, 2, 6];
    const cell = createGatedCell({ kind, inputSize: I, hiddenSize: H, seed: 3 });
    const rng = Rng.stream(5, 'gated-test');
    const inputs = rng.normalArray(T * B * I);
    const w = rng.normalArray(T * B * H);
    const h0 = rng.normalArray(B * H, 0, 0.5);
    const c0 = rng.normalArray(B * H, 0, 0.5);
    const trace = gatedForward(cell, inputs, B, { h: h0, c: kind === 'lstm' ? c0 : undefined });
    const grads = gatedBackward(cell, inputs, trace, w);
    const eps = 1e-6;
    const worst: Record<string, number> = {};
    const check = (name: string, values: Float64Array, analytic: Float64Array) => {
      let maxDiff = 0;
      let maxAbs = 0;
      for (let i = 0; i < values.length; i++) {
        const old = values[i];
        values[i] = old + eps;
        const up = lossOf(cell, inputs, B, w, h0, c0);
        values[i] = old - eps;
        const down = lossOf(cell, inputs, B, w, h0, c0);
        values[i] = old;
        const fd = (up - down) / (2 * eps);
        maxDiff = Math.max(maxDiff, Math.abs(fd - analytic[i]));
        maxAbs = Math.max(maxAbs, Math.abs(fd), Math.abs(analytic[i]));
      }
      worst[name] = maxDiff / maxAbs;
    };
    for (const name of GATED_PARAM_NAMES) check(name, cell.params[name], grads.params[name]);
    check('inputs', inputs, grads.inputs);
    check('h0', h0, grads.h0);
    if (kind === 'lstm') check('c0', c0, grads.c0!);
    console.log(`${kind} worst relative errors: ${Object.entries(worst).map(([k, e]) => `${k} ${e.toExponential(1)}`).join(", ")}`);
    for (const [name, e] of Object.entries(worst)) assert.ok(e < 1e-6, `${kind} ${name}: worst relative error ${e.toExponential(2)}`);
  });
}

test('one step of each cell follows PyTorch equations, gate order and the GRU reset gate on the hidden bias', () => {
  // H = 1, I = 1: rows are the gates in order (LSTM i, f, g, o; GRU r, z, n).
  const sig = (a: number) => 1 / (1 + Math.exp(-a));
  const lstm = createGatedCell({ kind: 'lstm', inputSize: 1, hiddenSize: 1 });
  lstm.params.weightIh.set([0.1, 0.2, 0.3, 0.4]);
  lstm.params.weightHh.set([-0.5, 0.6, -0.7, 0.8]);
  lstm.params.biasIh.set([0.01, 0.02, 0.03, 0.04]);
  lstm.params.biasHh.set([0.05, -0.06, 0.07, -0.08]);
  const [x, h, c] = [0.9, -0.3, 0.4];
  const a = (k: number) => lstm.params.weightIh[k] * x + lstm.params.biasIh[k] + lstm.params.weightHh[k] * h + lstm.params.biasHh[k];
  const cNew = sig(a(1)) * c + sig(a(0)) * Math.tanh(a(2));
  const out = gatedForward(lstm, Float64Array.of(x), 1, { h: Float64Array.of(h), c: Float64Array.of(c) });
  assert.ok(Math.abs(out.c![1] - cNew) < 1e-15 && Math.abs(out.h[1] - sig(a(3)) * Math.tanh(cNew)) < 1e-15);
  const gru = createGatedCell({ kind: 'gru', inputSize: 1, hiddenSize: 1 });
  gru.params.weightIh.set([0.1, 0.2, 0.3]);
  gru.params.weightHh.set([-0.5, 0.6, -0.7]);
  gru.params.biasIh.set([0.01, 0.02, 0.03]);
  gru.params.biasHh.set([0.05, -0.06, 0.5]);
  const g = (k: number) => gru.params.weightIh[k] * x + gru.params.biasIh[k] + gru.params.weightHh[k] * h + gru.params.biasHh[k];
  const [r, z] = [sig(g(0)), sig(g(1))];
  const n = Math.tanh(0.3 * x + 0.03 + r * (-0.7 * h + 0.5));
  const outG = gatedForward(gru, Float64Array.of(x), 1, { h: Float64Array.of(h) });
  assert.ok(Math.abs(outG.h[1] - ((1 - z) * n + z * h)) < 1e-15);
});

test('initialisation is U(−1/√H, 1/√H), seeded; bad cells and inputs are named errors', () => {
  const cell = createGatedCell({ kind: 'gru', inputSize: 2, hiddenSize: 25, seed: 9 });
  assert.equal(cell.params.weightHh.length, 3 * 25 * 25);
  const all = GATED_PARAM_NAMES.flatMap((k) => Array.from(cell.params[k]));
  assert.ok(all.every((v) => Math.abs(v) <= 0.2) && Math.max(...all) > 0.19 && Math.min(...all) < -0.19);
  assert.deepEqual(createGatedCell({ kind: 'gru', inputSize: 2, hiddenSize: 25, seed: 9 }).params.weightIh, cell.params.weightIh);
  const named = (fn: () => unknown, parameter: string) => assert.throws(fn, (e: Error) => e instanceof ParameterError && e.parameter === parameter, parameter);
  named(() => createGatedCell({ kind: 'rnn' as never }), 'gatedCell.kind');
  named(() => createGatedCell({ hiddenSize: 0 }), 'gatedCell.hiddenSize');
  named(() => createGatedCell({ cells: 2 } as never), 'gatedCell.cells');
  const lstm = createGatedCell({ kind: 'lstm', inputSize: 2, hiddenSize: 4 });
  named(() => gatedForward({ ...lstm, params: { ...lstm.params, weightHh: new Float64Array(3 * 4 * 4) } }, new Float64Array(2), 1), 'cell.params.weightHh');
  const nan = Float64Array.from(lstm.params.biasIh);
  nan[5] = Number.NaN;
  named(() => gatedForward({ ...lstm, params: { ...lstm.params, biasIh: nan } }, new Float64Array(2), 1), 'cell.params.biasIh');
  named(() => gatedForward(lstm, new Float64Array(3), 1), 'inputs');
  named(() => gatedForward(lstm, new Float64Array(4), 2, { h: new Float64Array(4) }), 'initial.h');
  const trace = gatedForward(lstm, new Float64Array(4), 1);
  named(() => gatedBackward(lstm, new Float64Array(4), trace, new Float64Array(3)), 'dLdH');
});

test('a cell saved in PyTorch layout loads back bitwise; wrong modules, gate counts, shapes, extra layers and NaN are named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gated-'));
  try {
    for (const kind of ['lstm', 'gru'] as const) {
      const cell = createGatedCell({ kind, inputSize: 3, hiddenSize: 4, seed: 2 });
      const path = join(dir, `${kind}.json`);
      saveGatedCell(cell, path);
      const saved = JSON.parse(readFileSync(path, 'utf8'));
      assert.equal(saved.module, kind === 'lstm' ? 'torch.nn.LSTM' : 'torch.nn.GRU');
      assert.equal(saved.state_dict.weight_ih_l0.length, (kind === 'lstm' ? 4 : 3) * 4, 'G·H rows');
      assert.equal(saved.state_dict.weight_ih_l0[0].length, 3, 'I columns');
      const back = loadGatedCell(path);
      for (const name of GATED_PARAM_NAMES) assert.deepEqual(back.params[name], cell.params[name], `${kind} ${name}`);
    }
    const lstm = gatedCellToFile(createGatedCell({ kind: 'lstm', inputSize: 2, hiddenSize: 3 }));
    const gru = gatedCellToFile(createGatedCell({ kind: 'gru', inputSize: 2, hiddenSize: 3 }));
    const named = (file: unknown, parameter: string, pattern?: RegExp) =>
      assert.throws(() => gatedCellFromFile(file), (e: Error) => e instanceof ParameterError && e.parameter === parameter && (!pattern || pattern.test(e.message)), parameter);
    named({ ...lstm, module: 'torch.nn.RNN' }, 'file.module');
    named({ ...gru, module: 'torch.nn.LSTM' }, 'file.state_dict.weight_ih_l0', /4 gate blocks \(i, f, g, o\).*got 9 rows \(3 blocks/);
    named({ ...lstm, hidden_size: 0 }, 'file.hidden_size');
    named({ ...lstm, state_dict: { ...lstm.state_dict, weight_ih_l1: [] } }, 'file.state_dict.weight_ih_l1');
    const { bias_hh_l0: _, ...noBias } = lstm.state_dict;
    named({ ...lstm, state_dict: noBias }, 'file.state_dict.bias_hh_l0');
    const shortRow = structuredClone(lstm);
    (shortRow.state_dict.weight_hh_l0 as number[][])[5] = [1, 2];
    named(shortRow, 'file.state_dict.weight_hh_l0[5]');
    const withNull = JSON.parse(JSON.stringify(lstm).replace(/"bias_ih_l0":\[[^,]*/, '"bias_ih_l0":[null'));
    named(withNull, 'file.state_dict.bias_ih_l0[0]', /got null/);
    const nullWeight = structuredClone(lstm);
    (nullWeight.state_dict.weight_ih_l0 as unknown[][])[2][1] = null;
    named(nullWeight, 'file.state_dict.weight_ih_l0[2][1]', /got null/);
    writeFileSync(join(dir, 'bad.json'), '{"module": "torch.nn.GRU"');
    assert.throws(() => loadGatedCell(join(dir, 'bad.json')), (e: Error) => e instanceof ParameterError && e.parameter === 'path');
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ ...gru, input_size: 5 }));
    assert.throws(() => loadGatedCell(join(dir, 'wrong.json')), (e: Error) => e instanceof ParameterError && e.parameter === 'file.state_dict.weight_ih_l0[0]' && e.message.includes('wrong.json') && !/file\.state_dict\.weight_ih_l0\[0\]: .*file\.state_dict/.test(e.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
