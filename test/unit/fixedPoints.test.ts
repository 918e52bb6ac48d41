import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findFixedPoints, rateNetworkFlow, fromRows, Rng, type DynamicalSystem, type Mat } from '../../lib/src/index.js';

function grid2d(values: number[]): Mat {
  const rows: number[][] = [];
  for (const a of values) for (const b of values) rows.push([a, b]);
  return fromRows(rows);
}

test('a stable linear flow dx/dt = A (x - x*) has the single fixed point x*, found to 1e-6 and classified stable', () => {
  const A = fromRows([[-1, 2, 0], [-2, -1, 0.5], [0, 0, -0.3]]); // eigenvalues -1 +- 2i and -0.3
  const xStar = [0.7, -1.2, 3];
  const sys: DynamicalSystem = {
    n: 3,
    kind: 'flow',
    evaluate(x, out) {
      for (let i = 0; i < 3; i++) out[i] = A.data[i * 3] * (x[0] - xStar[0]) + A.data[i * 3 + 1] * (x[1] - xStar[1]) + A.data[i * 3 + 2] * (x[2] - xStar[2]);
    },
    jacobian(_x, out) {
      out.data.set(A.data);
    },
  };
  const starts = { rows: 5, cols: 3, data: Rng.stream(1, 'starts').normalArray(15, 0, 5) };
  const { points, unconverged } = findFixedPoints(sys, starts);
  assert.equal(unconverged, 0);
  assert.equal(points.length, 1);
  assert.equal(points[0].count, 5);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(points[0].x[i] - xStar[i]) < 1e-6);
  assert.ok(points[0].stable);
  assert.ok(Math.abs(Math.max(...points[0].eigenvalues.re) + 0.3) < 1e-9);
});

test('two uncoupled bistable units (W = 2I): all 9 fixed points, 4 stable, to 1e-6', () => {
  // Each unit solves x = 2 tanh(x): x = 0 (unstable, slope 2 - 1 > 0) or x = +-1.9150080 (stable).
  const xs = 1.915008014;
  const sys = rateNetworkFlow(fromRows([[2, 0], [0, 2]]));
  const { points } = findFixedPoints(sys, grid2d([-3, -1.5, -0.3, 0.3, 1.5, 3]));
  assert.equal(points.length, 9);
  for (const p of points) {
    for (const xi of p.x) assert.ok([0, xs, -xs].some((t) => Math.abs(xi - t) < 1e-6), `coordinate ${xi}`);
    const expectStable = Math.abs(p.x[0]) > 1 && Math.abs(p.x[1]) > 1;
    assert.equal(p.stable, expectStable, `stability of (${p.x[0]}, ${p.x[1]})`);
  }
  assert.equal(points.filter((p) => p.stable).length, 4);
});

test('a map: x -> 0.5 x + 1 has the fixed point 2 (|eigenvalue| 0.5: stable); x -> 2x - 1 has 1 (unstable)', () => {
  const affine = (a: number, c: number): DynamicalSystem => ({
    n: 1,
    kind: 'map',
    evaluate: (x, out) => { out[0] = a * x[0] + c; },
    jacobian: (_x, out) => { out.data[0] = a; },
  });
  const starts = fromRows([[-5], [0], [7]]);
  const s = findFixedPoints(affine(0.5, 1), starts).points;
  assert.ok(s.length === 1 && Math.abs(s[0].x[0] - 2) < 1e-9 && s[0].stable);
  const u = findFixedPoints(affine(2, -1), starts).points;
  assert.ok(u.length === 1 && Math.abs(u[0].x[0] - 1) < 1e-9 && !u[0].stable);
});

test('slow points are kept on request, and options are validated', () => {
  // dx/dt = x^2 + 1e-3 has no fixed point; its slowest point is x = 0 with q = 5e-7.
  const sys: DynamicalSystem = { n: 1, kind: 'flow', evaluate: (x, o) => { o[0] = x[0] * x[0] + 1e-3; }, jacobian: (x, o) => { o.data[0] = 2 * x[0]; } };
  const res = findFixedPoints(sys, fromRows([[0.5]]), { keepSlowPoints: true });
  assert.equal(res.points.length, 1);
  assert.equal(res.points[0].kind, 'slow');
  // Slow points are located approximately: polishing stops once q no longer halves (stallRatio).
  assert.ok(res.points[0].q < 1e-4 && Math.abs(res.points[0].x[0]) < 0.05, `x = ${res.points[0].x[0]}, q = ${res.points[0].q}`);
  assert.equal(findFixedPoints(sys, fromRows([[0.5]])).points.length, 0);
  assert.throws(() => findFixedPoints(sys, fromRows([[0.5]]), { maxIterations: 0 }), /maxIterations/);
  assert.throws(() => findFixedPoints(sys, fromRows([[0.5, 1]])), /initialStates: have 2 columns/);
});
