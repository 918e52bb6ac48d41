import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromRows, matVec, eigenvalues, spectralRadius, maxRealPart, svd, solve, identity, column, dot } from '../../lib/src/index.js';

test('matVec and column on a known matrix', () => {
  const a = fromRows([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(Array.from(matVec(a, new Float64Array([1, 0, -1]))), [-2, -2]);
  assert.deepEqual(Array.from(column(a, 1)), [2, 5]);
  assert.throws(() => matVec(a, new Float64Array(2)), /x: length 2/);
});

test('eigenvalues of a rotation-scaling matrix are a complex pair', () => {
  const e = eigenvalues(fromRows([[0.5, -2], [2, 0.5]]));
  const pairs = Array.from(e.re).map((re, i) => [re, e.im[i]]).sort((p, q) => p[1] - q[1]);
  assert.ok(Math.abs(pairs[0][0] - 0.5) < 1e-12 && Math.abs(pairs[0][1] + 2) < 1e-12);
  assert.ok(Math.abs(spectralRadius(e) - Math.hypot(0.5, 2)) < 1e-12);
  assert.ok(Math.abs(maxRealPart(e) - 0.5) < 1e-12);
});

test('svd reconstructs and solve inverts', () => {
  const a = fromRows([[3, 1], [1, 2], [0, 1]]);
  const { u, s, v } = svd(a);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) {
    let x = 0;
    for (let k = 0; k < s.length; k++) x += u.data[i * u.cols + k] * s[k] * v.data[j * v.cols + k];
    assert.ok(Math.abs(x - a.data[i * 2 + j]) < 1e-12);
  }
  const b = fromRows([[2, 1], [1, 3]]);
  const x = solve(b, new Float64Array([3, 5]));
  assert.ok(Math.abs(x[0] - 0.8) < 1e-12 && Math.abs(x[1] - 1.4) < 1e-12);
  assert.equal(dot(matVec(identity(2), x), x), dot(x, x));
});
