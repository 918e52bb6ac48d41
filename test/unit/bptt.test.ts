import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BpttWorkspace, ParameterError, DivergenceError, Rng, createRnn, erf, referenceKernels, gradientCheck, type Batch, type Rnn, type RnnConfig, type ParamName, type FloatArray } from '../../lib/src/index.js';

/** A random batch that fits the model (float64), seeded. */
function randomBatch(model: Rnn, T: number, B: number, seed: number): Batch {
  const c = model.config;
  const rng = Rng.stream(seed, 'batch');
  const batch: Batch = {
    steps: T,
    size: B,
    inputs: rng.normalArray(T * B * c.inputs),
    initialState: rng.normalArray(B * c.size, 0, 0.5),
  };
  if (c.readout.kind === 'linear') {
    const n = T * B * c.readout.outputs;
    batch.targets = rng.normalArray(n);
    batch.mask = new Float64Array(n).map(() => (rng.uniform() < 0.7 ? 1 : rng.uniform() < 0.5 ? 0.25 : 0));
  } else {
    const K = c.readout.heads;
    batch.labels = new Int32Array(K * B).map(() => rng.int(0, c.readout.kind === 'heads' ? c.readout.classes : 2));
    batch.activeHeads = K > 1 ? [0, K - 1] : [0];
  }
  return batch;
}

function gradientErrors(model: Rnn, batch: Batch, noiseSeed?: number): Record<string, number> {
  return Object.fromEntries(gradientCheck(model, batch, { noiseSeed }).map((r) => [r.parameter, r.relativeError]));
}

function assertGradientsMatch(config: Partial<RnnConfig>, label: string, opts: { T?: number; B?: number; noiseSeed?: number; tweak?: (m: Rnn) => void } = {}): Record<string, number> {
  const model = createRnn(config, { seed: 3, dtype: 'float64' });
  opts.tweak?.(model);
  const batch = randomBatch(model, opts.T ?? 5, opts.B ?? 3, 11);
  const errors = gradientErrors(model, batch, opts.noiseSeed);
  const trainable = model.specs.filter((s) => s.trainable).map((s) => s.name);
  assert.deepEqual(Object.keys(errors).sort(), [...trainable].sort(), `${label}: every trainable parameter is checked`);
  for (const [name, err] of Object.entries(errors)) {
    assert.ok(err < 1e-5, `${label}: relative error of ∂L/∂${name} is ${err.toExponential(2)} (>= 1e-5)`);
  }
  return errors;
}

const heads = (K: number): RnnConfig['readout'] => ({ kind: 'heads', heads: K, classes: 2, from: 'rate' });
const linear = (O: number, from: 'rate' | 'state' = 'rate', lossNormalization: 'entries' | 'steps' = 'entries'): RnnConfig['readout'] => ({
  kind: 'linear', outputs: O, from, lossFactor: 0.5, lossNormalization,
});

test('gradients match finite differences: timescales model (leak inside LeakyReLU, trainable tau, heads)', () => {
  assertGradientsMatch({ size: 7, inputs: 1, readout: heads(3) }, 'timescales');
});

test('gradients match finite differences: "mod" variant (leak outside the nonlinearity)', () => {
  assertGradientsMatch({ size: 7, inputs: 1, update: 'leak-outside', readout: heads(2) }, 'mod');
});

test('gradients match finite differences: Euler rate network, erf and tanh rates, linear readout of state and rate', () => {
  for (const rate of ['erf', 'tanh'] as const) {
    for (const from of ['state', 'rate'] as const) {
      assertGradientsMatch(
        {
          size: 6, inputs: 2, update: 'leak-outside', activation: 'identity', rate, dt: 0.2, tauClamp: null, tauInit: 1,
          recurrentInit: 'gaussian', gain: 1.5, selfConnections: true, inputBias: false, readout: linear(2, from, 'steps'),
          readoutInit: 'gaussian', readoutStd: 0.3, trainable: { tau: true },
        },
        `euler ${rate} ${from}`,
        { T: 8 },
      );
    }
  }
});

test('gradients match finite differences: every nonlinearity in both update forms', () => {
  for (const activation of ['tanh', 'erf', 'relu', 'leaky-relu', 'identity'] as const) {
    for (const update of ['leak-inside', 'leak-outside'] as const) {
      assertGradientsMatch({ size: 5, inputs: 1, activation, update, rate: 'identity', readout: linear(1) }, `${update} ${activation}`);
    }
  }
});

test('gradients match finite differences: low-rank W = W_fixed + U M Uᵀ/N (only M trained) and state noise', () => {
  const errors = assertGradientsMatch(
    {
      size: 8, inputs: 2, update: 'leak-outside', activation: 'identity', rate: 'erf', dt: 0.2, tauClamp: null, tauInit: 1,
      recurrent: 'low-rank', rank: 2, recurrentInit: 'gaussian', gain: 0.9, selfConnections: true, inputBias: false,
      readout: linear(2, 'state'), readoutInit: 'gaussian', readoutStd: 0.5, noiseStd: 0.2,
      trainable: { b: false, Win: false, tau: false },
    },
    'low rank',
    {
      noiseSeed: 5,
      tweak: (m) => {
        // M(0) = 0 gives a degenerate point; move away from it.
        const M = m.params.M!;
        const g = Rng.stream(2, 'M');
        for (let i = 0; i < M.length; i++) M[i] = g.normal(0, 1);
      },
    },
  );
  assert.deepEqual(Object.keys(errors).sort(), ['M', 'Wout', 'bOut']);
});

test('tau below the clamp gets exactly zero gradient, as max(tau, 1) does', () => {
  const model = createRnn({ size: 5, inputs: 1, readout: heads(1) }, { seed: 1, dtype: 'float64' });
  model.params.tau![2] = 0.7;
  const batch = randomBatch(model, 6, 4, 2);
  const ws = new BpttWorkspace(model, referenceKernels('float64'), 4, 6);
  const { grads } = ws.gradients(batch);
  assert.equal(grads.tau![2], 0);
  assert.ok(Math.abs(grads.tau![1]) > 0);
  const errors = gradientErrors(model, batch);
  assert.ok(errors.tau < 1e-5, `tau error ${errors.tau}`);
});

test('a linear network matches its closed-form gradient (T = 2, loss at the last step)', () => {
  // s_t = A s_{t−1} + k_t with A = diag(a) + diag(c) W, k_t = c ⊙ (W_in u_t + b); L = ½ (w·s_2 − ŷ)².
  // Then ∂L/∂W = diag(c) [ v (A s_0 + k_1)ᵀ + Aᵀ v s_0ᵀ ] with v = w e, e = w·s_2 − ŷ.
  const N = 5;
  const model = createRnn(
    { size: N, inputs: 1, activation: 'identity', selfConnections: true, readout: linear(1), trainable: { tau: false } },
    { seed: 4, dtype: 'float64' },
  );
  const T = 2;
  const batch = randomBatch(model, T, 1, 9);
  batch.mask = new Float64Array([0, 1]);
  const p = model.params;
  const tau = p.tau!;
  const a = Array.from(tau, (t) => 1 - 1 / Math.max(t, 1));
  const c = Array.from(tau, (t) => 1 / Math.max(t, 1));
  const W = p.W!;
  const A = (i: number, j: number) => (i === j ? a[i] : 0) + c[i] * W[i * N + j];
  const s0 = Array.from(batch.initialState);
  const k = (t: number) => Array.from({ length: N }, (_, i) => c[i] * (p.Win![i] * batch.inputs[t - 1] + p.b![i] + p.bIn![i]));
  const As0 = s0.map((_, i) => s0.reduce((sum, x, j) => sum + A(i, j) * x, 0));
  const s1 = As0.map((x, i) => x + k(1)[i]);
  const s2 = s1.map((_, i) => s1.reduce((sum, x, j) => sum + A(i, j) * x, 0) + k(2)[i]);
  const w = p.Wout!;
  const y = s2.reduce((sum, x, i) => sum + w[i] * x, p.bOut![0]);
  const e = y - batch.targets![1];
  const v = Array.from(w, (wi) => wi * e);
  const Atv = v.map((_, j) => v.reduce((sum, vi, i) => sum + A(i, j) * vi, 0));
  const ws = new BpttWorkspace(model, referenceKernels('float64'), 1, T);
  const { grads, loss } = ws.gradients(batch);
  assert.ok(Math.abs(loss - 0.5 * e * e) < 1e-12);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const exact = c[i] * (v[i] * s1[j] + Atv[i] * s0[j]);
      assert.ok(Math.abs(grads.W![i * N + j] - exact) < 1e-12, `dW[${i},${j}] = ${grads.W![i * N + j]}, closed form ${exact}`);
    }
  }
});

test('erf is accurate to double precision (known values, odd symmetry)', () => {
  const known: [number, number][] = [
    [0.1, 0.1124629160182849], [0.5, 0.5204998778130465], [1, 0.8427007929497149], [2, 0.9953222650189527],
    [2.9, 0.9999589021219005], [3.1, 0.9999883513426328], [4, 0.9999999845827421],
  ];
  for (const [x, v] of known) {
    assert.ok(Math.abs(erf(x) - v) < 2e-16 * 4, `erf(${x}) = ${erf(x)}, expected ${v}`);
    assert.equal(erf(-x), -erf(x));
  }
});

test('bad configurations and batches throw errors that name the parameter', () => {
  const bad: [Partial<RnnConfig>, string][] = [
    [{ size: -3 }, 'rnn.size'],
    [{ size: 2.5 }, 'rnn.size'],
    [{ dt: 0 }, 'rnn.dt'],
    [{ tauInit: -1 }, 'rnn.tauInit'],
    [{ activation: 'sigmoid' as never }, 'rnn.activation'],
    [{ readout: { kind: 'heads', heads: 0, classes: 2, from: 'rate' } }, 'rnn.readout.heads'],
    [{ trainable: { Q: true } as never }, 'rnn.trainable.Q'],
    [{ noiseStd: 0.1 }, 'rnn.noiseStd'],
  ];
  for (const [config, name] of bad) {
    assert.throws(() => createRnn(config), (e: unknown) => e instanceof ParameterError && e.parameter === name, name);
  }
  const model = createRnn({ size: 4, readout: heads(2) }, { dtype: 'float64' });
  const ws = new BpttWorkspace(model, referenceKernels('float64'), 2, 3);
  const batch = randomBatch(model, 3, 2, 1);
  assert.throws(() => ws.forward({ ...batch, inputs: new Float64Array(5) }), (e: unknown) => e instanceof ParameterError && e.parameter === 'batch.inputs');
  assert.throws(() => ws.forward({ ...batch, activeHeads: [2] }), (e: unknown) => e instanceof ParameterError && e.parameter === 'batch.activeHeads');
  model.params.tau![0] = -0.5;
  assert.throws(() => ws.forward(batch), (e: unknown) => e instanceof ParameterError && e.parameter === 'params.tau');
  model.params.tau![0] = 1.5;
  model.params.W![3] = Number.NaN;
  assert.throws(() => ws.forward(batch), (e: unknown) => e instanceof ParameterError && e.parameter === 'params.W');
});

test('a diverging network stops with a DivergenceError, not NaN', () => {
  const model = createRnn(
    { size: 6, inputs: 1, activation: 'identity', selfConnections: true, readout: linear(1) },
    { seed: 1, dtype: 'float64' },
  );
  model.params.W!.fill(50);
  model.params.tau!.fill(1);
  const ws = new BpttWorkspace(model, referenceKernels('float64'), 2, 400);
  assert.throws(() => ws.forward(randomBatch(model, 400, 2, 1)), (e: unknown) => e instanceof DivergenceError);
});

test('the same seed gives the same model and the same gradients', () => {
  const g = () => {
    const model = createRnn({ size: 6, readout: heads(2) }, { seed: 8, dtype: 'float32' });
    const ws = new BpttWorkspace(model, referenceKernels('float32'), 3, 4);
    return ws.gradients(randomBatch(model, 4, 3, 1)).grads;
  };
  const [a, b] = [g(), g()];
  for (const k of Object.keys(a) as ParamName[]) assert.deepEqual(Array.from(a[k] as FloatArray), Array.from(b[k] as FloatArray));
});

test('heads readout: ∂V, ∂c and the loss are bitwise those of the plain loops (one row, one sum at a time)', () => {
  // The workspace computes logits four rows at a time and ∂q four units at a time; each sum keeps its order, so the
  // bits must equal the textbook loops below (ragged B and N: remainders of the blocks of four).
  for (const dtype of ['float32', 'float64'] as const) {
    for (const [N, B, C] of [[7, 5, 2], [9, 8, 3], [4, 3, 5]]) {
      const model = createRnn({ size: N, inputs: 1, readout: { kind: 'heads', heads: 4, classes: C, from: 'rate' } }, { seed: N + B, dtype });
      const batch = randomBatch(model, 6, B, C);
      batch.activeHeads = [3, 0, 2];
      const ws = new BpttWorkspace(model, referenceKernels(dtype) as never, B, 6);
      const { loss, grads } = ws.gradients(batch);
      const q = ws.stateHistory(6).subarray(6 * B * N); // rate = state (identity) at the last step
      const V = model.params.V!;
      const cb = model.params.c!;
      const dV = new (dtype === 'float32' ? Float32Array : Float64Array)(V.length);
      const dc = new (dtype === 'float32' ? Float32Array : Float64Array)(cb.length);
      let expectLoss = 0;
      for (const k of batch.activeHeads) {
        const g = new Float64Array(B * C);
        for (let b = 0; b < B; b++) {
          for (let j = 0; j < C; j++) {
            let s = cb[k * C + j];
            for (let i = 0; i < N; i++) s += V[(k * C + j) * N + i] * q[b * N + i];
            g[b * C + j] = s;
          }
        }
        let ce = 0;
        for (let b = 0; b < B; b++) {
          let m = -Infinity;
          for (let j = 0; j < C; j++) m = Math.max(m, g[b * C + j]);
          let z = 0;
          for (let j = 0; j < C; j++) z += Math.exp(g[b * C + j] - m);
          ce += -(g[b * C + batch.labels![k * B + b]] - m - Math.log(z));
          let zs = 0;
          for (let j = 0; j < C; j++) zs += g[b * C + j] = Math.exp(g[b * C + j] - m);
          for (let j = 0; j < C; j++) g[b * C + j] /= zs;
          g[b * C + batch.labels![k * B + b]] -= 1;
          for (let j = 0; j < C; j++) g[b * C + j] /= B;
        }
        expectLoss += ce / B;
        for (let j = 0; j < C; j++) {
          for (let b = 0; b < B; b++) {
            dc[k * C + j] += g[b * C + j];
            for (let i = 0; i < N; i++) dV[(k * C + j) * N + i] += g[b * C + j] * q[b * N + i];
          }
        }
      }
      assert.equal(loss, expectLoss, `${dtype} N ${N} B ${B} C ${C}: loss`);
      assert.deepEqual(Array.from(grads.V!), Array.from(dV), `${dtype} N ${N} B ${B} C ${C}: ∂V`);
      assert.deepEqual(Array.from(grads.c!), Array.from(dc), `${dtype} N ${N} B ${B} C ${C}: ∂c`);
    }
  }
});

test('heads readout: the WebAssembly backward pass gives every gradient bitwise as the JS loops do (float32)', () => {
  for (const [N, B, C, H] of [[7, 5, 2, 3], [9, 8, 3, 4], [17, 3, 2, 6], [100, 32, 2, 19]]) {
    const model = createRnn({ size: N, inputs: 1, readout: { kind: 'heads', heads: H + 1, classes: C, from: 'rate' } }, { seed: N, dtype: 'float32' });
    const batch = randomBatch(model, 5, B, H);
    batch.activeHeads = Array.from({ length: H }, (_, h) => H - h); // out of order, head 0 left out
    const withWasm = new BpttWorkspace(model, referenceKernels('float32'), B, 5);
    const jsOnly = new BpttWorkspace(model, referenceKernels('float32'), B, 5);
    const internals = jsOnly as unknown as { headsWasm: unknown; logits: Float64Array };
    assert.ok((withWasm as unknown as { headsWasm: unknown }).headsWasm, 'the WebAssembly heads readout is available here');
    internals.headsWasm = null;
    internals.logits = new Float64Array(0);
    const a = withWasm.gradients(batch);
    const b = jsOnly.gradients(batch);
    assert.equal(a.loss, b.loss);
    for (const name of Object.keys(b.grads) as ParamName[]) {
      assert.deepEqual(Array.from(a.grads[name]!), Array.from(b.grads[name]!), `N ${N} B ${B} C ${C} H ${H}: ∂${name}`);
    }
  }
});
