/**
 * The one mechanism by which the scale of a run reaches the notebooks: the environment variable RNNLAB_SCALE,
 * set by the reproduce job (`full`, or `quick` with --quick) and by the notebook tests (`quick`).
 * Unset, notebooks run at `full` scale: that is what a reader opening a notebook expects to see.
 */
import { checkChoice } from '../numerics/validate.js';

export type Scale = 'quick' | 'full';
export const SCALES: readonly Scale[] = ['quick', 'full'];

export function scale(): Scale {
  return checkChoice('RNNLAB_SCALE', process.env.RNNLAB_SCALE ?? 'full', SCALES);
}

/**
 * Sets the scale for this kernel session, from a notebook's first cell: `lab.setScale('quick')` runs that notebook at the
 * test scale in a live Jupyter session (the reproduce job sets RNNLAB_SCALE itself).
 */
export function setScale(s: Scale): Scale {
  process.env.RNNLAB_SCALE = checkChoice('scale', s, SCALES);
  return s;
}

/** Picks the value for the current scale: `byScale({ quick: 200, full: 500 })`. */
export function byScale<T>(values: Record<Scale, T>): T {
  return values[scale()];
}
