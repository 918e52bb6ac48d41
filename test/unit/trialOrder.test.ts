import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reorderTrials } from '../../lib/src/papers/beer-barak-2019/index.js';

test('trial orders keep the same values: sorted sweeps ascend within blocks, alternating extremes interleave', () => {
  const values = Float64Array.from([3, 1, 5, 2, 4, 2.5, 1.5]);
  assert.deepEqual(Array.from(reorderTrials(values, 'random')), Array.from(values));
  assert.deepEqual(Array.from(reorderTrials(values, 'sorted sweeps', 4)), [1, 2, 3, 5, 1.5, 2.5, 4]);
  assert.deepEqual(Array.from(reorderTrials(values, 'alternating extremes', 4)), [1, 5, 2, 3, 1.5, 4, 2.5]);
  for (const order of ['sorted sweeps', 'alternating extremes'] as const) {
    assert.deepEqual(Array.from(reorderTrials(values, order, 3)).sort(), Array.from(values).sort(), `${order} is a permutation`);
  }
});
