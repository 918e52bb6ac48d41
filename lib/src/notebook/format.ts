/**
 * Numbers for tables and sentences in the notebooks: a value that does not exist (NaN: no run to average; a
 * sentinel such as −1 for "never") is written as words, never as "NaN" or "-1".
 */
import { checkInteger } from '../numerics/validate.js';

/** `x` with `digits` decimals, or `missing` when x is not finite (default 'n/a'). */
export function fixed(x: number, digits: number, missing = 'n/a'): string {
  checkInteger('digits', digits, { min: 0, max: 20 });
  return Number.isFinite(x) ? x.toFixed(digits) : missing;
}

/** A step count that uses a sentinel for "never" (−1, or any value in `never`): the count, or `label`. */
export function stepOrNever(step: number, never: readonly number[] = [-1], label = 'never'): string {
  return never.includes(step) || !Number.isFinite(step) ? label : String(step);
}
