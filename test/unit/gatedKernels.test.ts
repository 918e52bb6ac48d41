// The fast path of the gated cells (issue 17): the WebAssembly SIMD gate kernels against the TypeScript reference
// kernels, the batched workspace against the sample-by-sample float64 definition (gatedCell.ts), and the float32 path's
// gradients against float64, for both cells; same seed, same bits; workspaces re-made for longer sequences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bitTaskBatch, createGatedNetwork, gatedForward, gatedBackward, gatedHeadsLoss, GatedWorkspace, gatedWorkspaceFloats, ParameterError, referenceKernels, Rng,
  wasmKernelsSync, wasmSimdAvailable, type Batch, type GatedCellKind,
} from '../../lib/src/index.js';

const hasWasm = wasmSimdAvailable();
const batchOf = (Ns: number[], heads: number, B: number, seed: number): Batch =>
  bitTaskBatch({ task: 'parity', Ns, heads: Ns.map((_, i) => i), headCount: heads, batchSize: B, hiddenSize: 1, dtype: 'float64', rate: 0.5, encoding: 'signed' }, Rng.stream(seed, 'gated-kernels'));

/** Relative error ‖x − y‖ / ‖y‖. */
const relErr = (x: ArrayLike<number>, y: ArrayLike<number>) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    num += (x[i] - y[i]) ** 2;
    den += y[i] ** 2;
  }
  return Math.sqrt(num / den);
};

test('gate kernels: WebAssembly SIMD equals the float32 reference (exp, σ, tanh approximations within 1e-6) over ±90 and at row tails', { skip: !hasWasm && 'no WebAssembly SIMD' }, () => {
  const wasm = wasmKernelsSync({ maxFloats: 1 << 20 });
  const ref = referenceKernels('float32');
  const rng = Rng.stream(1, 'gate-kernels');
  for (const H of [8, 13]) {
    const B = 3;
    const draw = (k: typeof wasm | typeof ref, n: number, scale: number, src?: Float32Array) => {
      const a = k.alloc(n);
      for (let i = 0; i < n; i++) a[i] = src ? src[i] : scale * (2 * rng.uniform(0, 1) - 1);
      return a;
    };
    for (const kind of ['lstm', 'gru'] as const) {
      const G = kind === 'lstm' ? 4 : 3;
      // Pre-activations over ±90 (beyond the exp clamp at 88) and near 0 (the tanh polynomial's range).
      const inputs = [draw(ref, B * G * H, 90), draw(ref, B * G * H, 0.5), draw(ref, G * H, 1), draw(ref, G * H, 1), draw(ref, B * H, 2), draw(ref, B * H, 1)];
      const run = (k: typeof wasm | typeof ref) => {
        const [ain, ah, bih, bhh, prev, dh] = inputs.map((x) => draw(k, x.length, 0, x));
        const gates = k.alloc(B * G * H);
        const state = k.alloc(B * H);
        const h = k.alloc(B * H);
        const da = k.alloc(B * G * H);
        const dah = k.alloc(B * G * H);
        const carried = k.alloc(B * H);
        const dc = draw(k, B * H, 0, inputs[5]);
        if (kind === 'lstm') {
          k.lstmForwardStep(B, H, ain, ah, bih, bhh, prev, gates, state, h);
          k.lstmBackwardStep(B, H, dh, dc, gates, prev, state, da);
        } else {
          k.gruForwardStep(B, H, ain, ah, bih, bhh, prev, gates, state, h);
          k.gruBackwardStep(B, H, dh, gates, prev, state, da, dah, carried);
        }
        return { gates, state, h, da, dah, carried, dc };
      };
      const a = run(wasm);
      const b = run(ref);
      for (const name of Object.keys(a) as (keyof typeof a)[]) {
        let worst = 0;
        for (let i = 0; i < a[name].length; i++) worst = Math.max(worst, Math.abs(a[name][i] - b[name][i]) / Math.max(1, Math.abs(b[name][i])));
        assert.ok(worst < 1e-6, `${kind}, H = ${H}, ${name}: worst difference ${worst.toExponential(2)}`);
      }
    }
  }
});

for (const kind of ['lstm', 'gru'] as GatedCellKind[]) {
  test(`${kind} workspace in float64 (reference kernels) equals the sample-by-sample definition to 1e-12`, () => {
    const net = createGatedNetwork({ kind, hiddenSize: 13, heads: 2, seed: 4 });
    const batch = batchOf([3, 4], 2, 5, 2);
    const T = batch.steps;
    const B = 5;
    const ws = new GatedWorkspace(referenceKernels('float64'), { kind, inputSize: 1, hiddenSize: 13, batch: B, maxSteps: T + 3 });
    const hT = Float64Array.from(ws.forward(net.cell, batch.inputs, T));
    const inputs = Float64Array.from(batch.inputs);
    const trace = gatedForward(net.cell, inputs, B);
    assert.ok(relErr(hT, trace.h.subarray(T * B * 13)) < 1e-12);
    const dhT = Float64Array.from({ length: B * 13 }, (_, i) => Math.sin(i));
    const dLdH = new Float64Array(T * B * 13);
    dLdH.set(dhT, (T - 1) * B * 13);
    const expected = gatedBackward(net.cell, inputs, trace, dLdH).params;
    const got = ws.backward(dhT);
    for (const name of ['weightIh', 'weightHh', 'biasIh', 'biasHh'] as const) assert.ok(relErr(got[name], expected[name]) < 1e-12, `${name}: ${relErr(got[name], expected[name])}`);
    assert.throws(() => ws.backward(dhT), /run forward first/);
    assert.throws(() => ws.forward(net.cell, batch.inputs.subarray(1), T), (e) => e instanceof ParameterError && e.parameter === 'inputs');
    assert.throws(() => ws.forward(net.cell, new Float64Array((T + 4) * B), T + 4), (e) => e instanceof ParameterError && e.parameter === 'cell');
  });

  test(`${kind} heads loss in float32 (WebAssembly) matches float64 within 1e-5 for every parameter; same seed, same bits`, () => {
    const grads = (precision: 'float32' | 'float64') => {
      const net = createGatedNetwork({ kind, hiddenSize: 20, heads: 3, seed: 6 });
      const r = gatedHeadsLoss(net, batchOf([2, 3, 4], 3, 16, 3), true, precision);
      return r;
    };
    const f64 = grads('float64');
    const f32 = grads('float32');
    assert.ok(Math.abs(f32.loss - f64.loss) < 1e-5 * f64.loss);
    for (const name of Object.keys(f64.grads!)) {
      const e = relErr(f32.grads![name], f64.grads![name]);
      assert.ok(e < 1e-5, `${name}: relative error ${e.toExponential(2)}`);
    }
    assert.deepEqual(grads('float32'), f32);
  });
}

test('float32 workspaces: shared by networks of one shape, re-made for a longer sequence, with the results of a fresh network', () => {
  const fresh = (Ns: number[]) => gatedHeadsLoss(createGatedNetwork({ kind: 'lstm', hiddenSize: 8, heads: 4, seed: 1 }), batchOf(Ns, 4, 8, 5));
  const net = createGatedNetwork({ kind: 'lstm', hiddenSize: 8, heads: 4, seed: 1 });
  for (const Ns of [[2], [2, 3, 4], [2]]) assert.deepEqual(gatedHeadsLoss(net, batchOf(Ns, 4, 8, 5)), fresh(Ns));
  const shape = { kind: 'lstm' as const, inputSize: 1, hiddenSize: 128, batch: 64, maxSteps: 50 };
  assert.ok(gatedWorkspaceFloats(shape) > 50 * 64 * 512 * 2, 'the histories are counted');
  assert.throws(() => new GatedWorkspace(referenceKernels('float64'), { ...shape, batch: 0 }), (e) => e instanceof ParameterError && e.parameter === 'workspace.batch');
});
