import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnlineRule, Rng, fromRows, solve } from '../../lib/src/index.js';

/** Streams samples (r, f) through a rule, as the learning loop does: e = w.r - f before each update. */
function train(rule: ReturnType<typeof createOnlineRule>, samples: { r: Float64Array; f: number }[], w: Float64Array): void {
  for (const { r, f } of samples) {
    let z = 0;
    for (let i = 0; i < r.length; i++) z += w[i] * r[i];
    rule.update(w, r, z - f);
  }
}

test('RLS equals the regularised least-squares solution (sum r r^T + alpha I)^-1 sum r f', () => {
  const n = 6;
  const alpha = 0.5;
  const rng = Rng.stream(1, 'rls');
  const samples = Array.from({ length: 25 }, () => ({ r: rng.normalArray(n), f: rng.normal() }));
  const w = new Float64Array(n);
  train(createOnlineRule({ rule: 'rls', n, alpha }), samples, w);
  const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? alpha : 0)));
  const b = new Float64Array(n);
  for (const { r, f } of samples) for (let i = 0; i < n; i++) {
    b[i] += r[i] * f;
    for (let j = 0; j < n; j++) A[i][j] += r[i] * r[j];
  }
  const exact = solve(fromRows(A), b);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(w[i] - exact[i]) < 1e-10, `w[${i}] = ${w[i]}, exact ${exact[i]}`);
});

test('LMS and NLMS take the documented steps', () => {
  const r = new Float64Array([1, 2]);
  const w = new Float64Array([0, 0]);
  createOnlineRule({ rule: 'lms', n: 2, eta: 0.1 }).update(w, r, 3);
  assert.deepEqual(Array.from(w), [-0.1 * 3 * 1, -0.1 * 3 * 2]);
  const w2 = new Float64Array(2);
  createOnlineRule({ rule: 'nlms', n: 2, mu: 1, epsilon: 1e-6 }).update(w2, r, 3);
  const z = w2[0] * r[0] + w2[1] * r[1];
  assert.ok(Math.abs(z - -3 * (5 / (5 + 1e-6))) < 1e-12, 'NLMS with mu = 1 removes the error in one step');
});

test('RLS-reset forgets past correlations; RLS-frozen stops updating P; diagonal RLS is RLS for diagonal problems', () => {
  const n = 3;
  const e1 = { r: new Float64Array([1, 0, 0]), f: 1 };
  const mixed = { r: new Float64Array([1, 1, 0]), f: 0 };
  // After learning e1 exactly-ish, a full RLS update on `mixed` leaves the e1 output nearly intact; a reset P does not.
  const out = (rule: 'rls' | 'rls-reset') => {
    const rl = createOnlineRule({ rule, n, alpha: 1e-3 });
    const w = new Float64Array(n);
    rl.startTrial(0);
    train(rl, [e1], w);
    rl.startTrial(1);
    train(rl, [mixed], w);
    return w[0];
  };
  assert.ok(Math.abs(out('rls') - 1) < 1e-2, `RLS keeps the first output: ${out('rls')}`);
  assert.ok(Math.abs(out('rls-reset') - 1) > 0.4, `RLS-reset interferes: ${out('rls-reset')}`);

  const frozen = createOnlineRule({ rule: 'rls-frozen', n, alpha: 1, frozenAfterTrial: 1 });
  const wf = new Float64Array(n);
  frozen.startTrial(0);
  train(frozen, [e1], wf);
  frozen.startTrial(1);
  const before = Float64Array.from(wf);
  train(frozen, [e1, e1], wf); // same gain twice: P frozen at (I + e1 e1^T)^-1 -> k = 0.5 e1, c = 1/1.5
  const step1 = before[0] - (1 / 1.5) * 0.5 * (before[0] - 1);
  const step2 = step1 - (1 / 1.5) * 0.5 * (step1 - 1);
  assert.ok(Math.abs(wf[0] - step2) < 1e-12);

  const diag = createOnlineRule({ rule: 'rls-diagonal', n, alpha: 1 });
  const full = createOnlineRule({ rule: 'rls', n, alpha: 1 });
  const wd = new Float64Array(n);
  const wr = new Float64Array(n);
  const axisSamples = [e1, { r: new Float64Array([0, 2, 0]), f: 1 }, e1];
  train(diag, axisSamples, wd);
  train(full, axisSamples, wr);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(wd[i] - wr[i]) < 1e-12);
});

test('bad rule options are named', () => {
  assert.throws(() => createOnlineRule({ rule: 'sgd' as never }), /rule: must be one of/);
  assert.throws(() => createOnlineRule({ eta: 0 }), /eta/);
  assert.throws(() => createOnlineRule({ mu: 2 }), /mu: must lie in \(0, 2\)/);
});

test('RLS: the WebAssembly backend equals the TypeScript backend (up to summation order)', () => {
  const n = 37;
  const rng = Rng.stream(4, 'rls-backends');
  const samples = Array.from({ length: 60 }, () => ({ r: rng.normalArray(n), f: rng.normal() }));
  const ws = [new Float64Array(n), new Float64Array(n)];
  const rules = [createOnlineRule({ rule: 'rls', n, backend: 'auto' }), createOnlineRule({ rule: 'rls', n, backend: 'js' })];
  rules.forEach((rule, i) => train(rule, samples, ws[i]));
  for (let i = 0; i < n; i++) assert.ok(Math.abs(ws[0][i] - ws[1][i]) < 1e-10 * (1 + Math.abs(ws[1][i])), `w[${i}]: ${ws[0][i]} vs ${ws[1][i]}`);
});
