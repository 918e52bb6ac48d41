import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, ParameterError } from '../../lib/src/index.js';

test('same seed and label give the same numbers; labels give independent streams', () => {
  const a = Rng.stream(7, 'J').normalArray(100);
  const b = Rng.stream(7, 'J').normalArray(100);
  const c = Rng.stream(7, 'trials').normalArray(100);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.notDeepEqual(Rng.stream(8, 'J').normalArray(5), a.subarray(0, 5));
});

test('Gaussian draws have mean 0 and variance 1', () => {
  const x = Rng.stream(1, 'moments').normalArray(200_000);
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let v2 = 0;
  for (const v of x) v2 += (v - m) ** 2;
  v2 /= x.length;
  assert.ok(Math.abs(m) < 0.01, `mean ${m}`);
  assert.ok(Math.abs(v2 - 1) < 0.01, `variance ${v2}`);
});

test('uniform, int, choice and shuffle stay in range and are seeded', () => {
  const r = Rng.stream(3, 'misc');
  for (let i = 0; i < 1000; i++) {
    const u = r.uniform(1, 5);
    assert.ok(u >= 1 && u < 5);
    const k = r.int(-2, 3);
    assert.ok(Number.isInteger(k) && k >= -2 && k < 3);
  }
  const p = Rng.stream(3, 'perm').permutation(50);
  assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(Rng.stream(3, 'perm').permutation(50), p);
  assert.throws(() => r.int(3, 3), /hiExclusive/);
  assert.throws(() => r.choice([]), /items/);
  assert.throws(() => Rng.stream(1.5, 'x'), /seed/);
});

test('child streams are reproducible and distinct', () => {
  const parent = Rng.stream(1, 'workers');
  assert.deepEqual(parent.child(0).uniformArray(5), Rng.stream(1, 'workers').child(0).uniformArray(5));
  assert.notDeepEqual(parent.child(0).uniformArray(5), parent.child(1).uniformArray(5));
});

test('a stream resumed from its state continues with exactly the same draws (incl. the kept Gaussian)', () => {
  const a = Rng.stream(4, 'resume');
  a.uniformArray(7);
  a.normal(); // leaves a spare Gaussian behind
  const saved = JSON.parse(JSON.stringify(a.state()));
  const b = Rng.fromState(saved);
  assert.deepEqual([b.normal(), ...b.uniformArray(5), b.normal(), b.normal()], [a.normal(), ...a.uniformArray(5), a.normal(), a.normal()]);
  assert.throws(() => new Rng('other', saved), (e: unknown) => e instanceof ParameterError && e.parameter === 'state.key');
  assert.throws(() => Rng.fromState({} as never), (e: unknown) => e instanceof ParameterError && e.parameter === 'state');
});
