import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateNetwork, chaosDiagnostics, chaosSweep, firstUpwardZeroCrossing, eigenvalues, connectivityToDense } from '../../lib/src/index.js';

test('below g = 1 the exponent equals the linear rate of the Euler map at x = 0', () => {
  // Near x = 0 the tangent map is M = (1 - a) I + a J with a = dt/tau, so lambda = log(max |1 - a + a mu|) / dt.
  const net = createRateNetwork({ n: 120, g: 0.5, seed: 3, dt: 0.1 });
  const e = eigenvalues(connectivityToDense(net.J));
  let maxModulus = 0;
  for (let i = 0; i < e.re.length; i++) maxModulus = Math.max(maxModulus, Math.hypot(0.9 + 0.1 * e.re[i], 0.1 * e.im[i]));
  const predicted = Math.log(maxModulus) / 0.1;
  const { lyapunov, meanSquareActivity } = chaosDiagnostics(net, { transientSteps: 500, measureSteps: 4000 });
  assert.ok(Math.abs(lyapunov - predicted) < 5e-3, `estimated ${lyapunov}, predicted ${predicted}`);
  assert.ok(meanSquareActivity < 1e-12);
});

test('strong coupling (g = 2) is chaotic: positive exponent and O(1) activity', () => {
  const { lyapunov, meanSquareActivity } = chaosDiagnostics(createRateNetwork({ n: 200, g: 2, seed: 1 }), { transientSteps: 500, measureSteps: 1500 });
  assert.ok(lyapunov > 0.02, `lambda ${lyapunov}`);
  assert.ok(meanSquareActivity > 0.5, `Delta0 ${meanSquareActivity}`);
});

test('chaosSweep rows match single runs and reject a non-increasing grid', () => {
  const opts = { n: 60, gValues: [0.5, 1.8], networkSeeds: [1, 2], transientSteps: 100, measureSteps: 200 };
  const s = chaosSweep(opts);
  const single = chaosDiagnostics(createRateNetwork({ n: 60, g: 1.8, seed: 2 }), { transientSteps: 100, measureSteps: 200 });
  assert.equal(s.lyapunov[1 * 2 + 1], single.lyapunov);
  assert.equal(s.meanLyapunov[1], (s.lyapunov[1] + s.lyapunov[3]) / 2);
  assert.throws(() => chaosSweep({ ...opts, gValues: [1, 1] }), /gValues/);
});

test('firstUpwardZeroCrossing interpolates linearly and returns NaN without a crossing', () => {
  assert.equal(firstUpwardZeroCrossing([0, 1, 2], [-1, -0.5, 0.5]), 1.5);
  assert.ok(Number.isNaN(firstUpwardZeroCrossing([0, 1], [-1, -0.5])));
});
