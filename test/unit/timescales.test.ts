import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ar1Signal, expFitCurve, autocorrelation, estimateTimescale, fitSingleExponential, fitDoubleExponential, Rng, createRnn, pcaVariances, componentsFor, ParameterError } from '../../lib/src/index.js';
import { streamAccuracy, ablateNeuron, perturbWeights, perturbTau, relativeAccuracy, timescalesScale, TIMESCALES_SCALES, tauDistributionFigure } from '../../lib/src/papers/timescales-curriculum-2024/index.js';

/** Normalised autocorrelation (lags 0..199) of `trials` AR(1) mixtures, averaged over trials. */
function arAutocorrelation(taus: number[], L: number, trials: number, seed: number): Float64Array {
  const acc = new Float64Array(200);
  for (let k = 0; k < trials; k++) {
    const rng = Rng.stream(seed, `ar/${k}`);
    const x = new Float64Array(L);
    for (const tau of taus) {
      const phi = Math.exp(-1 / tau);
      const sd = Math.sqrt(1 - phi * phi); // unit stationary variance: an equal-variance mix
      let y = rng.normal();
      for (let t = 0; t < L; t++) {
        y = phi * y + sd * rng.normal();
        x[t] += y;
      }
    }
    const ac = autocorrelation(x, 199);
    for (let l = 0; l < 200; l++) acc[l] += ac[l] / trials;
  }
  const a0 = acc[0];
  return acc.map((v) => v / a0);
}

test('autocorrelation by FFT equals the direct unbiased sum', () => {
  const x = Rng.stream(1, 'ac').normalArray(300);
  const ac = autocorrelation(x, 20);
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  for (const l of [0, 1, 7, 20]) {
    let s = 0;
    for (let t = 0; t + l < x.length; t++) s += (x[t] - m) * (x[t + l] - m);
    assert.ok(Math.abs(ac[l] - s / (x.length - l)) < 1e-10, `lag ${l}`);
  }
});

test('exact exponentials are recovered: single (a, tau) and double (a, c, tau1, tau2)', () => {
  const single = Array.from({ length: 31 }, (_, l) => 0.8 * Math.exp(-l / 4.2));
  const f1 = fitSingleExponential(single);
  assert.ok(Math.abs(f1.tau - 4.2) < 1e-4 && Math.abs(f1.a - 0.8) < 1e-5, JSON.stringify(f1));
  const dbl = Array.from({ length: 31 }, (_, l) => 0.9 * (0.6 * Math.exp(-l / 1.3) + 0.4 * Math.exp(-l / 12)));
  const f2 = fitDoubleExponential(dbl);
  assert.ok(Math.abs(f2.tau - 1.3) / 1.3 < 1e-3 && Math.abs(f2.tau2! - 12) / 12 < 1e-3, JSON.stringify(f2));
  assert.equal(estimateTimescale(dbl).chosen, 'double');
});

test('AR(1) data: tau in {2, 5, 10} recovered within 5 % by the AIC rule (10 trials; L = 2e4, and 1e5 for tau = 10)', () => {
  // At L = 2e4 the sampling noise of the autocorrelation at tau = 10 makes AIC prefer a double exponential with a
  // spurious slow component (tau2 = 100 in 2 of 4 seeds tried); with the original's 1e5 steps it does not.
  for (const [tau, L] of [[2, 20_000], [5, 20_000], [10, 100_000]]) {
    const est = estimateTimescale(arAutocorrelation([tau], L, 10, tau));
    assert.ok(Math.abs(est.tau - tau) / tau < 0.05, `tau ${tau}: estimated ${est.tau} (${est.chosen})`);
  }
  // The single-exponential fit alone is within 5 % at L = 2e4 as well.
  const single = estimateTimescale(arAutocorrelation([10], 20_000, 10, 10)).single;
  assert.ok(Math.abs(single.tau - 10) / 10 < 0.05, `single fit ${single.tau}`);
});

test('an equal-variance mix of tau = 1.5 and 15: AIC picks the double exponential, slower tau within 20 %', () => {
  const est = estimateTimescale(arAutocorrelation([1.5, 15], 20_000, 10, 7));
  assert.equal(est.chosen, 'double');
  assert.ok(Math.abs(est.tau - 15) / 15 < 0.2, `slower tau ${est.tau}`);
});

test('tau_net of a network of independent leaky units driven by random bits is their filter timescale', async () => {
  const { createRnn, drivenStates } = await import('../../lib/src/index.js');
  const { networkTimescale } = await import('../../lib/src/papers/timescales-curriculum-2024/index.js');
  const model = createRnn(
    { size: 4, update: 'leak-outside', activation: 'identity', tauClamp: null, tauInit: 5, trainable: { tau: false }, readout: { kind: 'heads', heads: 1, classes: 2, from: 'rate' } },
    { seed: 1, dtype: 'float64' },
  );
  model.params.W!.fill(0);
  model.params.Win!.fill(1);
  const states = drivenStates(model, { steps: 1000, discard: 100, seed: 1 });
  assert.equal(states.length, 900 * 4);
  assert.ok(states.every(Number.isFinite));
  // s_t = (1 − 1/5) s_{t−1} + input/5: an AR(1) filter of white input, autocorrelation time −1/ln(0.8) = 4.48.
  const est = networkTimescale(model, { steps: 20_000, trials: 4, discard: 500, seed: 3 });
  const expected = -1 / Math.log(0.8);
  assert.equal(est.kept, 4);
  assert.ok(Math.abs(est.mean - expected) / expected < 0.1, `tau_net ${est.mean}, expected ${expected}`);
});

test('stream accuracy: a network that copies the current bit solves N = 1 exactly; an untrained one is at chance', () => {
  const copy = createRnn({ size: 2, readout: { kind: 'heads', heads: 1, classes: 2, from: 'rate' } }, { seed: 1, dtype: 'float64' });
  const p = copy.params;
  p.W!.fill(0);
  p.b!.fill(0);
  p.bIn!.fill(0);
  p.Win!.set([1, 0]);
  p.tau!.fill(1); // a = 0: h_t = LeakyReLU(x_t)
  p.V!.set([0, 0, 1, 0]); // class 1 logit = h_0, class 0 logit = 0.5
  p.c!.set([0.5, 0]);
  assert.equal(streamAccuracy(copy, { N: 1, head: 0, streams: 2, length: 300, warmup: 10 }), 1);
  // Silencing the copying neuron leaves the head at a constant answer: chance.
  assert.ok(Math.abs(streamAccuracy(ablateNeuron(copy, 0, null), { N: 1, streams: 4, length: 600, warmup: 10 }) - 0.5) < 0.06);
  const net = createRnn({ size: 16, readout: { kind: 'heads', heads: 2, classes: 2, from: 'rate' } }, { seed: 3, dtype: 'float64' });
  assert.ok(Math.abs(streamAccuracy(net, { N: 3, head: 1, streams: 4, length: 800 }) - 0.5) < 0.08);
  assert.equal(relativeAccuracy(0.9, 0.9), 1);
  // Perturbation sizes: ‖ΔW‖_F = ε‖W‖_F, τ only grows with ‖Δτ‖ = ε‖τ‖.
  const rng = Rng.stream(1, 'perturb');
  const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));
  const W1 = perturbWeights(net, 0.3, rng).params.W!;
  assert.ok(Math.abs(norm(W1.map((w, i) => w - net.params.W![i])) / norm(net.params.W!) - 0.3) < 1e-9);
  const t1 = perturbTau(net, 0.1, rng).params.tau!;
  assert.ok(t1.every((t, i) => t >= net.params.tau![i]));
  assert.ok(Math.abs(norm(t1.map((t, i) => t - net.params.tau![i])) / norm(net.params.tau!) - 0.1) < 1e-9);
  // Ablation zeroes row and column j of W and the input weight.
  const a = ablateNeuron(net, 5, 0);
  for (let i = 0; i < 16; i++) assert.ok(a.params.W![5 * 16 + i] === 0 && a.params.W![i * 16 + 5] === 0);
  assert.equal(a.params.Win![5], 0);
  assert.equal(a.params.V![5], 0);
});

test('PCA dimensionality: variances of independent components are recovered and k90 counts them', () => {
  const T = 4000;
  const N = 5;
  const rng = Rng.stream(4, 'pca');
  const sds = [3, 1, 0.3, 0.1, 0.03];
  const data = new Float64Array(T * N);
  // Independent components mixed by a rotation in the (0, 1) plane: PCA must undo it.
  const c = Math.cos(0.7);
  const s = Math.sin(0.7);
  for (let t = 0; t < T; t++) {
    const z = sds.map((sd) => sd * rng.normal());
    data[t * N] = c * z[0] - s * z[1];
    data[t * N + 1] = s * z[0] + c * z[1];
    for (let i = 2; i < N; i++) data[t * N + i] = z[i] + 5; // offsets are removed by centring
  }
  const v = pcaVariances(data, T, N);
  sds.forEach((sd, k) => assert.ok(Math.abs(v[k] / (sd * sd) - 1) < 0.1, `component ${k}: ${v[k]} vs ${sd * sd}`));
  // 9 / 10.1 = 0.891: the first component alone does not exceed 90 %, the first two do.
  assert.equal(componentsFor(v, 0.9), 2);
  assert.equal(componentsFor(v, 0.85), 1);
});

test('full scale is n = 100 (papers/timescales-curriculum-2024/README.md §7); RNNLAB_TIMESCALES_N sets another n (the reproduce job\'s variant n = 64), validated by name; quick scale ignores it', () => {
  const saved = { scale: process.env.RNNLAB_SCALE, n: process.env.RNNLAB_TIMESCALES_N };
  try {
    process.env.RNNLAB_SCALE = 'full';
    delete process.env.RNNLAB_TIMESCALES_N;
    assert.equal(timescalesScale().size, 100);
    process.env.RNNLAB_TIMESCALES_N = '64';
    assert.equal(timescalesScale().size, 64);
    process.env.RNNLAB_TIMESCALES_N = '1e9';
    assert.throws(() => timescalesScale(), (e: unknown) => e instanceof ParameterError && e.parameter === 'RNNLAB_TIMESCALES_N');
    process.env.RNNLAB_SCALE = 'quick';
    assert.equal(timescalesScale().size, TIMESCALES_SCALES.quick.size);
  } finally {
    for (const [k, v] of [['RNNLAB_SCALE', saved.scale], ['RNNLAB_TIMESCALES_N', saved.n]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
});

test('tauNetSpread: median, quartiles and max over the kept neurons (finite, > 1), as the mean keeps them', async () => {
  const { tauNetSpread } = await import('../../lib/src/papers/timescales-curriculum-2024/index.js');
  const r = { N: 2, perNeuron: [Number.NaN, 0.5, 2, 3, 4, 5, 40], mean: 10.8, std: 0, kept: 5, meanTauPrime: 1.4 };
  const s = tauNetSpread(r);
  assert.deepEqual([s.kept, s.median, s.q25, s.q75, s.max], [5, 4, 3, 5, 40]);
  assert.ok(Number.isNaN(tauNetSpread({ ...r, perNeuron: [Number.NaN, 1] }).median));
});

test('tauDistributionFigure: one slider step per solved N, fractions that sum to 1, a stopped curriculum keeps its last network', () => {
  const model = (taus: number[]) => ({ config: { tauClamp: 1 }, params: { tau: Float64Array.from(taus) } });
  const run = (curriculum: string, snaps: [number, number[]][]) => ({ options: { curriculum, seed: 1, task: 'parity' }, snapshots: snaps.map(([N, t]) => ({ N, model: model(t) })) });
  const pair = {
    seed: 1,
    single: run('single', [[2, [0.5, 1.1, 1.3, 2.9]], [3, [1.0, 1.2, 1.6, 3.0]]]),
    multi: run('multi', [[2, [1.0, 1.0, 1.1, 1.2]], [3, [1.0, 1.05, 1.1, 1.1]], [4, [1.0, 1.0, 1.0, 1.4]]]),
  } as never;
  const fig = tauDistributionFigure(pair, 'τ′ distribution', 0.5);
  const sl = (fig.layout.sliders as { steps: { label: string; args: { y: number[][] }[] }[] }[])[0];
  assert.deepEqual(sl.steps.map((s) => s.label), ['N = 2', 'N = 3', 'N = 4 (single-head at N = 3)']);
  for (const s of sl.steps) for (const y of s.args[0].y) assert.ok(Math.abs(y.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  // τ′ = max(τ, 1): the 0.5 of single-head's N = 2 counts in the first bin [1, 1.5).
  assert.deepEqual(sl.steps[0].args[0].y[0], [0.75, 0, 0, 0.25, 0], 'bins [1, 1.5) … [3, 3.5): the largest τ′, 3.0, is inside the last');
  assert.deepEqual(sl.steps[2].args[0].y[0], sl.steps[1].args[0].y[0]);
  assert.throws(() => tauDistributionFigure({ seed: 1, single: run('single', [[2, [1]]]), multi: run('multi', [[2, [1]]]) } as never, 't'), (e: Error) => e instanceof ParameterError && e.parameter === 'pair');
  assert.throws(() => tauDistributionFigure(pair, 't', 0), (e: Error) => e instanceof ParameterError && e.parameter === 'binWidth');
});

test('ar1Signal has unit variance and the autocorrelation e^(−ℓ/τ); expFitCurve evaluates both fitted models', () => {
  const x = ar1Signal(200000, 5, Rng.stream(3, 'ar1'));
  const ac = autocorrelation(x, 10);
  assert.ok(Math.abs(ac[0] - 1) < 0.03, `variance ${ac[0]}`);
  for (const l of [1, 5, 10]) assert.ok(Math.abs(ac[l] / ac[0] - Math.exp(-l / 5)) < 0.02, `lag ${l}: ${ac[l] / ac[0]}`);
  assert.deepEqual(Array.from(expFitCurve({ model: 'single', a: 0.5, tau: 2, rss: 0, aic: 0 }, [0, 2])), [0.5, 0.5 * Math.exp(-1)]);
  const two = expFitCurve({ model: 'double', a: 1, c: 0.25, tau: 1, tau2: 4, rss: 0, aic: 0 }, [0, 4]);
  assert.ok(Math.abs(two[1] - (0.25 * Math.exp(-4) + 0.75 * Math.exp(-1))) < 1e-15 && two[0] === 1);
  assert.throws(() => ar1Signal(10, 0, Rng.stream(1, 'x')), (e: Error) => e instanceof ParameterError && e.parameter === 'tau');
});
