/** Checks a task's batch against a model configuration before the engine reads it. */
import { ParameterError } from '../../numerics/validate.js';
import type { Batch } from '../../tasks/batch.js';
import type { RnnConfig } from './model.js';

/** Throws naming the field when a batch does not fit a model configuration. */
export function checkBatch(batch: Batch, c: RnnConfig): void {
  const { steps: T, size: B } = batch;
  if (!Number.isInteger(T) || T < 1) throw new ParameterError('batch.steps', `must be an integer >= 1, got ${T}`);
  if (!Number.isInteger(B) || B < 1) throw new ParameterError('batch.size', `must be an integer >= 1, got ${B}`);
  const expect = (name: string, a: ArrayLike<number> | undefined, n: number, shape: string) => {
    if (!a) throw new ParameterError(`batch.${name}`, `required, shape ${shape}`);
    if (a.length !== n) throw new ParameterError(`batch.${name}`, `expected ${n} entries (${shape}), got ${a.length}`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(a[i])) throw new ParameterError(`batch.${name}`, `entry ${i} is not finite`);
    }
  };
  expect('inputs', batch.inputs, T * B * c.inputs, `T×B×I = ${T}×${B}×${c.inputs}`);
  expect('initialState', batch.initialState, B * c.size, `B×N = ${B}×${c.size}`);
  const r = c.readout;
  if (r.kind === 'linear') {
    const shape = `T×B×O = ${T}×${B}×${r.outputs}`;
    expect('targets', batch.targets, T * B * r.outputs, shape);
    expect('mask', batch.mask, T * B * r.outputs, shape);
  } else {
    const heads = batch.activeHeads;
    if (!heads || heads.length === 0) throw new ParameterError('batch.activeHeads', 'at least one head must be active');
    for (const k of heads) {
      if (!Number.isInteger(k) || k < 0 || k >= r.heads) {
        throw new ParameterError('batch.activeHeads', `head ${k} outside [0, ${r.heads - 1}]`);
      }
    }
    if (new Set(heads).size !== heads.length) throw new ParameterError('batch.activeHeads', 'a head is listed twice');
    const labels = batch.labels;
    if (!labels || labels.length !== r.heads * B) {
      throw new ParameterError('batch.labels', `expected an Int32Array of K×B = ${r.heads}×${B} entries`);
    }
    for (const k of heads) {
      for (let b = 0; b < B; b++) {
        const y = labels[k * B + b];
        if (!Number.isInteger(y) || y < 0 || y >= r.classes) {
          throw new ParameterError('batch.labels', `label of head ${k}, sample ${b} is ${y}; allowed [0, ${r.classes - 1}]`);
        }
      }
    }
  }
}
