/**
 * N-parity and N-delayed-match-to-sample (papers/timescales-curriculum-2024/README.md §4.1), as training batches for the
 * heads readout. One sequence length M per batch, uniform in {N_max + 2, …, 4·N_max + 1}; h_0 = 0.1·U(0, 1).
 *   N-parity: each sequence draws p ~ U(0, 1), then i.i.d. Bernoulli(p) bits; y_N = (x_{M−N+1} + … + x_M) mod 2.
 *   N-DMS:    p = 0.5; y_N = 1 if x_{M−N+1} = x_M else 0.
 * Equations: (23)–(25) of papers/timescales-curriculum-2024/README.md.
 */
import type { Rng } from '../numerics/rng.js';
import { checkAllocation, checkChoice, checkInteger, checkNumber, ParameterError, withDefaults } from '../numerics/validate.js';
import type { Batch } from './batch.js';
import type { Dtype } from '../numerics/kernels/types.js';

export interface BitTaskOptions {
  task: 'parity' | 'dms';
  /** The Ns trained together, one per head. */
  Ns: number[];
  /** Head index of each N (same length as Ns); default: head k serves Ns[k]. */
  heads: number[] | null;
  /** Number of heads the model allocates (K). */
  headCount: number;
  batchSize: number;
  hiddenSize: number;
  /** Sequence length; null draws it per batch as the authors' code does (papers/timescales-curriculum-2024/README.md §4.1). */
  steps: number | null;
  dtype: Dtype;
  /** Bernoulli rate of the bits: null as in §4.1 (parity draws p ~ U(0, 1) per sequence, DMS 0.5); a number fixes it (the study's LSTM set-up: 0.5). */
  rate: number | null;
  /** 'bits': inputs 0/1 (§4.1); 'signed': ±1, bit 1 as +1 (the study's LSTM set-up, §4.2). Labels are the same. */
  encoding: 'bits' | 'signed';
}

export const BIT_TASK_DEFAULTS: BitTaskOptions = {
  task: 'parity',
  Ns: [2],
  heads: null,
  headCount: 1,
  batchSize: 64,
  hiddenSize: 64,
  steps: null,
  dtype: 'float32',
  rate: null,
  encoding: 'bits',
};

export function bitTaskBatch(options: Partial<BitTaskOptions>, rng: Rng): Batch {
  const o = withDefaults('bitTask', BIT_TASK_DEFAULTS, options);
  checkChoice('bitTask.task', o.task, ['parity', 'dms']);
  checkInteger('bitTask.batchSize', o.batchSize, { min: 1 });
  checkChoice('bitTask.dtype', o.dtype, ['float32', 'float64']);
  checkInteger('bitTask.hiddenSize', o.hiddenSize, { min: 1 });
  checkInteger('bitTask.headCount', o.headCount, { min: 1 });
  if (o.rate !== null) checkNumber('bitTask.rate', o.rate, { min: 0, max: 1 });
  checkChoice('bitTask.encoding', o.encoding, ['bits', 'signed']);
  if (!Array.isArray(o.Ns) || o.Ns.length === 0) throw new ParameterError('bitTask.Ns', 'at least one N');
  for (const N of o.Ns) checkInteger('bitTask.Ns', N, { min: 1, max: 10000 });
  const heads = o.heads ?? o.Ns.map((_, k) => k);
  if (heads.length !== o.Ns.length) throw new ParameterError('bitTask.heads', `expected ${o.Ns.length} head indices, one per N`);
  for (const k of heads) checkInteger('bitTask.heads', k, { min: 0, max: o.headCount - 1 });
  // Two Ns on one head would overwrite each other's labels.
  if (new Set(heads).size !== heads.length) throw new ParameterError('bitTask.heads', `each N needs its own head, got ${JSON.stringify(heads)}`);
  const Nmax = Math.max(...o.Ns);
  const M = o.steps ?? rng.int(Nmax + 2, 4 * Nmax + 2);
  checkInteger('bitTask.steps', M, { min: Nmax });
  const B = o.batchSize;
  checkAllocation('bitTask.batchSize', M * B + B * o.hiddenSize + o.headCount * B, o.dtype === 'float32' ? 4 : 8, `a batch of ${B} sequences of ${M} steps`);
  const make = (n: number) => (o.dtype === 'float32' ? new Float32Array(n) : new Float64Array(n));
  const inputs = make(M * B);
  for (let b = 0; b < B; b++) {
    const p = o.rate ?? (o.task === 'parity' ? rng.uniform() : 0.5);
    for (let t = 0; t < M; t++) inputs[t * B + b] = rng.uniform() < p ? 1 : 0;
  }
  const labels = new Int32Array(o.headCount * B);
  o.Ns.forEach((N, j) => {
    const k = heads[j];
    for (let b = 0; b < B; b++) {
      let y: number;
      if (o.task === 'parity') {
        let s = 0;
        for (let t = M - N; t < M; t++) s += inputs[t * B + b];
        y = s % 2;
      } else y = inputs[(M - N) * B + b] === inputs[(M - 1) * B + b] ? 1 : 0;
      labels[k * B + b] = y;
    }
  });
  if (o.encoding === 'signed') for (let i = 0; i < inputs.length; i++) inputs[i] = 2 * inputs[i] - 1; // after the labels, which count bits
  const initialState = make(B * o.hiddenSize);
  for (let i = 0; i < initialState.length; i++) initialState[i] = 0.1 * rng.uniform();
  return { steps: M, size: B, inputs, initialState, labels, activeHeads: [...new Set(heads)] };
}
