import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNumber, checkInteger, checkChoice, checkVector, withDefaults, ParameterError, firstNonFinite } from '../../lib/src/index.js';

test('checkNumber names the parameter and the allowed range', () => {
  assert.equal(checkNumber('g', 1.2, { min: 0 }), 1.2);
  assert.throws(() => checkNumber('g', -1, { min: 0 }), /g: must lie in \[0, inf\), got -1/);
  assert.throws(() => checkNumber('dt', 0, { min: 0, exclusiveMin: true }), /dt: must lie in \(0, inf\)/);
  assert.throws(() => checkNumber('tau', Number.NaN), (e: unknown) => e instanceof ParameterError && e.parameter === 'tau');
});

test('checkInteger, checkChoice and checkVector reject bad values', () => {
  assert.throws(() => checkInteger('n', 2.5, { min: 1 }), /n: must be an integer/);
  assert.throws(() => checkChoice('scale', 'huge', ['quick', 'full']), /scale: must be one of 'quick', 'full'/);
  assert.throws(() => checkVector('x0', new Float64Array([1, Number.NaN]), 2), /x0: entry 1 is not finite/);
  assert.throws(() => checkVector('x0', new Float64Array(3), 2), /x0: expected length 2, got 3/);
  assert.equal(firstNonFinite([1, 2, Infinity]), 2);
});

test('withDefaults merges options and rejects misspelt keys', () => {
  const d = { n: 10, g: 1.5 };
  assert.deepEqual(withDefaults('c', d, { g: 2 }), { n: 10, g: 2 });
  assert.throws(() => withDefaults('c', d, { gg: 2 } as never), /c.gg: unknown option; known options are n, g/);
});

test('movingMedian follows the level of a flickering curve; a spike does not move it', async () => {
  const { movingMedian } = await import('../../lib/src/index.js');
  assert.deepEqual(Array.from(movingMedian([1, 3, 2, 100, 2, 2], 3)), [1, 2, 2, 3, 2, 2]);
  assert.deepEqual(Array.from(movingMedian([4, 2], 1)), [4, 2]);
  assert.throws(() => movingMedian([1, Number.NaN], 2), /xs: entry 1 is not finite/);
  assert.throws(() => movingMedian([1], 0), /window: must be an integer >= 1/);
});

test('olsSlope recovers the slope of a line and refuses mismatched lengths', async () => {
  const { olsSlope } = await import('../../lib/src/index.js');
  assert.ok(Math.abs(olsSlope([2, 4, 6, 8], [1, 2, 3, 4]) - 0.5) < 1e-15);
  assert.ok(Number.isNaN(olsSlope([3, 3], [1, 2])));
  assert.throws(() => olsSlope([1, 2], [1]), /y: expected 2 values/);
});

test('quartiles: nearest-rank quartiles of the finite entries, NaN when there are none', async () => {
  const { quartiles } = await import('../../lib/src/index.js');
  assert.deepEqual(quartiles([5, 1, Number.NaN, 3, 2, 4]), { min: 1, q25: 2, median: 3, q75: 4, max: 5 });
  assert.ok(Number.isNaN(quartiles([Number.NaN]).median));
});
