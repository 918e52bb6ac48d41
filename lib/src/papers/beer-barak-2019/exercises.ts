/**
 * Exercises of notebook 01 (the teaching edition, lib/src/notebook/exercises.ts): the LMS update of the readout
 * (README eq. 7) and the mismatch q̂ of a clamped candidate point (eqs. 15 and 17); the checks compare with the library's
 * online rule and mismatch on small vectors.
 */
import { createOnlineRule } from '../../learning/onlineRules.js';
import { Rng } from '../../numerics/rng.js';
import type { Exercise } from '../../notebook/exercises.js';
import { mismatchAt } from './reducedModel.js';

/** LMS: w ← w − η e r, returned as a new vector (e = z − f, the output error). */
export type LmsUpdateFunction = (w: Float64Array, r: Float64Array, error: number, eta: number) => Float64Array;
/** q̂ = ½ (wᵀ r_v − v)² for the rates r_v of the candidate point of value v. */
export type QHatFunction = (w: Float64Array, r: Float64Array, v: number) => number;

const vector = (seed: number, name: string, n = 8) => Rng.stream(seed, name).normalArray(n);

const lmsCase = (name: string, seed: number, error: number, eta: number) => {
  const w = vector(seed, 'exercise-w');
  const r = vector(seed, 'exercise-r').map(Math.tanh);
  const expected = Float64Array.from(w);
  createOnlineRule({ rule: 'lms', n: w.length, eta }).update(expected, r, error);
  return { name, run: (fn: LmsUpdateFunction) => fn(Float64Array.from(w), Float64Array.from(r), error, eta), expected };
};

export const LMS_UPDATE: Exercise<LmsUpdateFunction> = {
  id: '01.1',
  title: 'the LMS update of the readout',
  tolerance: 1e-12,
  cases: [lmsCase('a zero error leaves w unchanged', 1, 0, 0.1), lmsCase('a positive error, η = 0.1', 2, 0.7, 0.1), lmsCase('a negative error, η = 0.01', 3, -1.3, 0.01)],
};

const qCase = (name: string, seed: number, v: number) => {
  const w = vector(seed, 'exercise-w');
  const r = vector(seed, 'exercise-r').map(Math.tanh);
  const delta = mismatchAt({ rows: 1, cols: r.length, data: r }, 0, w, v);
  return { name, run: (fn: QHatFunction) => fn(Float64Array.from(w), Float64Array.from(r), v), expected: 0.5 * delta * delta };
};

export const Q_HAT: Exercise<QHatFunction> = {
  id: '01.2',
  title: 'q̂ of a clamped candidate point',
  tolerance: 1e-12,
  cases: [qCase('v = 1', 1, 1), qCase('v = 3.5', 2, 3.5), qCase('v = 5', 3, 5)],
};
