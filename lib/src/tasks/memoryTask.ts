/**
 * The analog memory task of Beer & Barak 2019 (papers/beer-barak-2019/README.md §4.1): trial k cues a value v_k ~ U[1, 5] with an input pulse
 * u = v_k for T_cue = 5 tau, then a delay D_k ~ U[5, 30] tau with u = 0; the target f = v_k holds over the whole
 * trial. Trials run back to back. Values and delays come from the stream 'trials' of the seed, so every learning
 * rule sees the same trial sequence for the same seed.
 */
import { Rng, type Seed } from '../numerics/rng.js';
import { checkInteger, checkNumber, ParameterError, withDefaults, checkAllocation } from '../numerics/validate.js';

export interface MemoryTaskOptions {
  valueMin: number;
  valueMax: number;
  /** Cue duration T_cue (tau). */
  cueDuration: number;
  /** Delay D_k ~ U[delayMin, delayMax] (tau). */
  delayMin: number;
  delayMax: number;
  seed: Seed;
}

export const MEMORY_TASK_DEFAULTS: MemoryTaskOptions = {
  valueMin: 1,
  valueMax: 5,
  cueDuration: 5,
  delayMin: 5,
  delayMax: 30,
  seed: 1,
};

export interface MemoryTrials {
  values: Float64Array;
  delays: Float64Array;
  options: Readonly<MemoryTaskOptions>;
}

export function memoryTrials(nTrials: number, options: Partial<MemoryTaskOptions> = {}): MemoryTrials {
  const o = withDefaults('memoryTrials', MEMORY_TASK_DEFAULTS, options);
  checkInteger('nTrials', nTrials, { min: 0 });
  checkAllocation('nTrials', 2 * nTrials, 8, `${nTrials} trials`);
  checkNumber('valueMin', o.valueMin);
  checkNumber('valueMax', o.valueMax, { min: o.valueMin, exclusiveMin: true });
  checkNumber('cueDuration', o.cueDuration, { min: 0, exclusiveMin: true });
  checkNumber('delayMin', o.delayMin, { min: 0 });
  checkNumber('delayMax', o.delayMax, { min: o.delayMin });
  const rng = Rng.stream(o.seed, 'trials');
  const values = new Float64Array(nTrials);
  const delays = new Float64Array(nTrials);
  for (let k = 0; k < nTrials; k++) {
    values[k] = rng.uniform(o.valueMin, o.valueMax);
    delays[k] = rng.uniform(o.delayMin, o.delayMax);
  }
  return { values, delays, options: Object.freeze({ ...o }) };
}

/** `count` equally spaced values from lo to hi inclusive. */
export function valueGrid(lo: number, hi: number, count: number): Float64Array {
  checkInteger('count', count, { min: 2 });
  checkNumber('hi', hi, { min: lo, exclusiveMin: true });
  return Float64Array.from({ length: count }, (_, k) => lo + ((hi - lo) * k) / (count - 1));
}

/** Index of the grid point nearest to v (grid increasing). */
export function nearestIndex(grid: ArrayLike<number>, v: number): number {
  if (grid.length === 0) throw new ParameterError('grid', 'is empty');
  let best = 0;
  for (let k = 1; k < grid.length; k++) if (Math.abs(grid[k] - v) < Math.abs(grid[best] - v)) best = k;
  return best;
}
