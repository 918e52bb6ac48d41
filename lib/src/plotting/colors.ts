/**
 * One colour per concept across the whole collection, so that FORCE is the same blue in notebooks 01, 02 and 04, and
 * g = 0.9 the same vermillion at quick and full scale (where the list of gains differs). Hues are Okabe–Ito's
 * (distinguishable with the common colour-vision deficiencies) plus Tol's wine, dark enough on white; no yellow.
 */
import { checkNumber } from '../numerics/validate.js';

export const HUES = {
  blue: '#0072B2',
  vermillion: '#D55E00',
  green: '#009E73',
  purple: '#CC79A7',
  orange: '#E69F00',
  sky: '#56B4E9',
  wine: '#882255',
  black: '#000000',
  grey: '#888888',
} as const;

/** Concepts that recur in several notebooks. */
export const CONCEPT_COLORS = {
  /** FORCE (RLS) in the Beer & Barak notebooks. */
  force: HUES.blue,
  /** The timescales study's curricula. */
  multiHead: HUES.blue,
  singleHead: HUES.vermillion,
  sliding: HUES.green,
  /** Targets and analytic predictions drawn with the data (usually dashed or dotted). */
  target: HUES.black,
  /** Inputs and cue intervals: context, not data. */
  input: HUES.grey,
  /** Gradient descent A → B with the non-cued output constrained to 0, or free (notebook 12; notebook 08 colours by g). */
  constrainedOutput: HUES.wine,
  unconstrainedOutput: HUES.sky,
} as const;

/**
 * The colour of a value from a fixed table. A value not in it (a gain a reader tries) gets one of the hues the table
 * does not use, picked by a hash of the value: stable from figure to figure, never confused with a tabled value.
 */
function tableColor(table: readonly (readonly [number, string])[], value: number, name: string): string {
  checkNumber(name, value);
  const hit = table.find(([v]) => Math.abs(v - value) <= 1e-9 * Math.max(1, Math.abs(value)));
  if (hit) return hit[1];
  const used = new Set(table.map(([, c]) => c));
  const spare = Object.values(HUES).filter((c) => !used.has(c) && c !== HUES.grey);
  const palette = spare.length ? spare : [HUES.grey];
  let hash = 0;
  for (const ch of String(value)) hash = (hash * 31 + ch.charCodeAt(0)) % 9973;
  return palette[hash % palette.length];
}

/** LMS at learning rate γ (Beer & Barak: γ ∈ {1e-1, 1e-2, 1e-3, 1e-4}); FORCE is CONCEPT_COLORS.force. */
const LMS_GAMMAS = [
  [1e-1, HUES.vermillion],
  [1e-2, HUES.purple],
  [1e-3, HUES.green],
  [1e-4, HUES.orange],
] as const;
export const lmsColor = (gamma: number): string => tableColor(LMS_GAMMAS, gamma, 'gamma');

/** Random connectivity strength g (the gains of notebooks 00, 07, 08, 09). */
const GAINS = [
  [0, HUES.blue],
  [0.3, HUES.sky],
  [0.5, HUES.green],
  [0.6, HUES.purple],
  [0.9, HUES.vermillion],
  [1, HUES.orange],
  [1.5, HUES.wine],
] as const;
export const gainColor = (g: number): string => tableColor(GAINS, g, 'g');

/** The leak ε of the B pulse into the A coordinate (notebook 07; ε = 0 new formation, ε = 0.01 rotation). */
const LEAKS = [
  [0, HUES.blue],
  [1e-4, HUES.green],
  [1e-2, HUES.vermillion],
  [1e-1, HUES.purple],
] as const;
export const leakColor = (epsilon: number): string => tableColor(LEAKS, epsilon, 'epsilon');
