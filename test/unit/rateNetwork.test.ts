import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateNetwork, simulate, connectivityToDense, denseMatVec, applyConnectivity, applyConnectivityPair, randomConnectivity, Rng, DivergenceError, ParameterError } from '../../lib/src/index.js';
import { testMemory, clampedCycle } from '../../lib/src/papers/beer-barak-2019/index.js';

test('J has entry variance g^2/(pN) for dense and sparse connectivity', () => {
  for (const density of [1, 0.1]) {
    const n = 400;
    const g = 1.5;
    const J = connectivityToDense(randomConnectivity(n, g, density, Rng.stream(1, 'J')));
    let nonzero = 0;
    let sumSq = 0;
    for (const v of J.data) if (v !== 0) { nonzero++; sumSq += v * v; }
    const p = nonzero / (n * n);
    assert.ok(Math.abs(p - density) < 0.01 * Math.max(density, 0.1) + 0.005, `density ${p}`);
    const rowVariance = sumSq / n; // sum over a row of J_ij^2, averaged over rows: g^2 expected
    assert.ok(Math.abs(rowVariance / (g * g) - 1) < 0.03, `row variance ${rowVariance}`);
  }
});

test('sparse and dense products agree, and the paired product equals two single ones', () => {
  const n = 101;
  const rng = Rng.stream(2, 'vec');
  const a = rng.normalArray(n);
  const b = rng.normalArray(n);
  for (const density of [1, 0.2]) {
    const J = randomConnectivity(n, 1.3, density, Rng.stream(2, 'J'));
    const dense = connectivityToDense(J);
    const ref = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) ref[i] += dense.data[i * n + k] * a[k];
    const out = applyConnectivity(J, a, new Float64Array(n));
    const pa = new Float64Array(n);
    const pb = new Float64Array(n);
    applyConnectivityPair(J, a, b, pa, pb);
    const single = applyConnectivity(J, b, new Float64Array(n));
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(out[i] - ref[i]) < 1e-12);
      assert.ok(Math.abs(pa[i] - ref[i]) < 1e-12);
      assert.ok(Math.abs(pb[i] - single[i]) < 1e-12);
    }
  }
});

test('g = 0: each unit decays exactly as the Euler solution of tau dx/dt = -x', () => {
  const net = createRateNetwork({ n: 5, g: 0, dt: 0.1, tau: 1 });
  const x0 = new Float64Array([1, -2, 0.5, 0, 3]);
  const sim = simulate(net, { steps: 50, x0, recordUnits: [0, 1, 2, 3, 4] });
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(sim.x[i] - x0[i] * 0.9 ** 50) < 1e-12);
  assert.ok(Math.abs(sim.rates.data[0] - Math.tanh(1)) < 1e-15);
});

test('a constant input drives each unit to B u (g = 0)', () => {
  const net = createRateNetwork({ n: 4, g: 0, nInputs: 1, dt: 0.1 });
  const steps = 400;
  const input = { rows: steps, cols: 1, data: new Float64Array(steps).fill(2) };
  const sim = simulate(net, { steps, input, x0: new Float64Array(4) });
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(sim.x[i] - 2 * net.B.data[i]) < 1e-12);
});

test('output feedback enters as w_fb z with z = w^T tanh(x)', () => {
  const net = createRateNetwork({ n: 3, g: 0, feedback: true, dt: 0.1 });
  const w = new Float64Array([0.5, -0.25, 1]);
  const x0 = new Float64Array([0.3, -0.2, 0.1]);
  const sim = simulate(net, { steps: 1, x0, readout: w, recordUnits: [0] });
  const z = w.reduce((s, wi, i) => s + wi * Math.tanh(x0[i]), 0);
  assert.ok(Math.abs(sim.z![0] - z) < 1e-15);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(sim.x[i] - (x0[i] + 0.1 * (-x0[i] + net.wFb![i] * z))) < 1e-15);
});

test('same seed, same trajectory; bad parameters are named', () => {
  const a = simulate(createRateNetwork({ n: 50, g: 1.5, seed: 4 }), { steps: 200, seed: 9 });
  const b = simulate(createRateNetwork({ n: 50, g: 1.5, seed: 4 }), { steps: 200, seed: 9 });
  assert.deepEqual(a.x, b.x);
  assert.throws(() => createRateNetwork({ n: 0 }), /n: must lie in \[1, inf\)/);
  assert.throws(() => createRateNetwork({ tau: -1 }), /tau/);
  assert.throws(() => createRateNetwork({ dt: 2, tau: 1 }), /dt: must lie in \(0, 1\]/);
  assert.throws(() => createRateNetwork({ density: 0 }), (e: unknown) => e instanceof ParameterError && e.parameter === 'density');
  assert.throws(() => simulate(createRateNetwork({ n: 3 }), { steps: 10, recordUnits: [5] }), /recordUnits\[0\]/);
});

test('divergence is detected and reported with the step', () => {
  // A linear blow-up: x grows when the state is pushed by a huge constant input every step.
  // The state overflows to Infinity in the first step (each unit reaches 1.5e308; their sum does not fit a double).
  const net = createRateNetwork({ n: 2, g: 0, nInputs: 1, inputScale: 1, dt: 1 });
  net.B.data.fill(1);
  const steps = 5;
  const input = { rows: steps, cols: 1, data: new Float64Array(steps).fill(1.5e308) };
  assert.throws(() => simulate(net, { steps, input, x0: new Float64Array(2) }), (e: unknown) => e instanceof DivergenceError && e.step === 0);
  // A non-finite input is a bad argument, named as such, not a divergence.
  const infinite = { rows: steps, cols: 1, data: new Float64Array(steps).fill(Number.POSITIVE_INFINITY) };
  assert.throws(() => simulate(net, { steps, input: infinite, x0: new Float64Array(2) }), (e: unknown) => e instanceof ParameterError && /input: entry \(0, 0\) is not finite/.test(e.message));
});

test('dense J r in WebAssembly equals the TypeScript product', () => {
  const n = 41;
  const J = randomConnectivity(n, 1.5, 1, Rng.stream(1, 'J-wasm'));
  assert.equal(J.kind, 'dense');
  const r = Rng.stream(2, 'r').normalArray(n);
  const fast = applyConnectivity(J, r, new Float64Array(n));
  const slow = denseMatVec((J as { data: Float64Array }).data, n, n, r, new Float64Array(n));
  for (let i = 0; i < n; i++) assert.ok(Math.abs(fast[i] - slow[i]) < 1e-12, `row ${i}`);
});

test('tau is honoured by every integrator of the rate network (simulate, closed-loop memory, clamped cycles)', () => {
  // A linear network (g = 0, rates far below saturation) has the analytic solution x(t) = x0 exp(-t/tau); forward
  // Euler gives x0 (1 - dt/tau)^steps exactly. Each path must use dt/tau, not dt (tau = 2 here).
  const tau = 2;
  const dt = 0.05;
  const steps = 200; // t = 10 = 5 tau
  const net = createRateNetwork({ n: 3, g: 0, dt, tau, nInputs: 1, feedback: true, feedbackScale: 0.01, seed: 3 });
  const x0 = new Float64Array([0.01, -0.02, 0.005]);
  const sim = simulate(net, { steps, x0, recordUnits: [0] });
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(sim.x[i] - x0[i] * (1 - dt / tau) ** steps) < 1e-15, `simulate, unit ${i}`);
    assert.ok(Math.abs(sim.x[i] / x0[i] - Math.exp((-steps * dt) / tau)) < 2e-3, `simulate vs exp(-t/tau), unit ${i}`);
  }
  // testMemory with w = 0 (no feedback): cue u = v drives x towards B v with rate 1/tau, then the delay decays.
  const v = 0.3;
  const cueSteps = 40;
  const delaySteps = 60;
  const { endStates } = testMemory(net, new Float64Array(3), x0, [v], { cueDuration: cueSteps * dt, delayDuration: delaySteps * dt });
  const a = dt / tau;
  for (let i = 0; i < 3; i++) {
    const target = net.B.data[i] * v;
    const afterCue = target + (x0[i] - target) * (1 - a) ** cueSteps;
    const expected = afterCue * (1 - a) ** delaySteps;
    assert.ok(Math.abs(endStates.data[i] - expected) < 1e-12, `testMemory, unit ${i}: ${endStates.data[i]} vs ${expected}`);
  }
  // Clamped sine z = A sin(omega t) through w_fb: the entrained linear response has amplitude
  // |w_fb| A / sqrt(1 + (omega tau)^2) (continuous time; Euler at dt = 0.05 is within 2 %).
  const omega = 0.5;
  const cycle = clampedCycle(net, omega, null, { settlePeriods: 6 });
  for (let i = 0; i < 3; i++) {
    let peak = 0;
    for (let p = 0; p < cycle.rates.rows; p++) peak = Math.max(peak, Math.abs(Math.atanh(cycle.rates.data[p * 3 + i])));
    const expected = Math.abs(net.wFb![i]) / Math.sqrt(1 + (omega * tau) ** 2);
    assert.ok(Math.abs(peak / expected - 1) < 0.02, `clampedCycle, unit ${i}: ${peak} vs ${expected}`);
  }
});
