/**
 * The pattern-generation task of Beer & Barak 2019 (papers/beer-barak-2019/README.md §4.2, our reconstruction): trial k draws a frequency
 * omega_k ~ U[0.2, 0.6] rad/tau; a constant cue u = 1 + 4 (omega_k - 0.2)/0.4 (so u in [1, 5]) is given for
 * T_cue = 5 tau with target f = 0; then u = 0 and the target is sin(omega_k (t - t_off)) for `periods` periods,
 * t_off being the cue offset. Frequencies come from the stream 'trials' of the seed: uniform on [omegaMin, omegaMax], or,
 * with `omegaSet`, one of a finite set of frequencies chosen uniformly (the same draws select the member, so a run on a
 * set and a run on the interval see the same sequence of draws; notebook 04 uses sets to find how many cycles FORCE
 * can hold).
 * Equation: (13) of papers/beer-barak-2019/README.md.
 */
import { Rng, type Seed } from '../numerics/rng.js';
import { checkInteger, checkNumber, withDefaults, checkAllocation, ParameterError } from '../numerics/validate.js';

export interface PatternTaskOptions {
  omegaMin: number;
  omegaMax: number;
  cueDuration: number;
  /** Output phase length, in periods of the trial's frequency. */
  periods: number;
  seed: Seed;
  /** Draw each trial's frequency from this set (rad/τ, each in [omegaMin, omegaMax]) instead of the interval; null: the interval. */
  omegaSet: readonly number[] | null;
}

export const PATTERN_TASK_DEFAULTS: PatternTaskOptions = { omegaMin: 0.2, omegaMax: 0.6, cueDuration: 5, periods: 4, seed: 1, omegaSet: null };

export interface PatternTrials {
  omegas: Float64Array;
  /** The cue input level of each trial. */
  cues: Float64Array;
  options: Readonly<PatternTaskOptions>;
}

/** The cue level encoding a frequency: u = 1 + 4 (omega - omegaMin) / (omegaMax - omegaMin). */
export function patternCue(omega: number, o: Pick<PatternTaskOptions, 'omegaMin' | 'omegaMax'> = PATTERN_TASK_DEFAULTS): number {
  return 1 + (4 * (omega - o.omegaMin)) / (o.omegaMax - o.omegaMin);
}

export function patternTrials(nTrials: number, options: Partial<PatternTaskOptions> = {}): PatternTrials {
  const o = withDefaults('patternTrials', PATTERN_TASK_DEFAULTS, options);
  checkInteger('nTrials', nTrials, { min: 0 });
  checkAllocation('nTrials', 2 * nTrials, 8, `${nTrials} trials`);
  checkNumber('omegaMin', o.omegaMin, { min: 0, exclusiveMin: true });
  checkNumber('omegaMax', o.omegaMax, { min: o.omegaMin, exclusiveMin: true });
  checkNumber('cueDuration', o.cueDuration, { min: 0, exclusiveMin: true });
  checkNumber('periods', o.periods, { min: 0, exclusiveMin: true });
  if (o.omegaSet !== null) {
    if (!Array.isArray(o.omegaSet) || o.omegaSet.length === 0) throw new ParameterError('omegaSet', `must be null or a non-empty array of frequencies, got ${JSON.stringify(o.omegaSet)}`);
    o.omegaSet.forEach((w, i) => checkNumber(`omegaSet[${i}]`, w, { min: o.omegaMin, max: o.omegaMax }));
  }
  const rng = Rng.stream(o.seed, 'trials');
  const draws = rng.uniformArray(nTrials, 0, 1);
  const set = o.omegaSet;
  const omegas = set === null ? draws.map((d) => o.omegaMin + d * (o.omegaMax - o.omegaMin)) : draws.map((d) => set[Math.min(set.length - 1, Math.floor(d * set.length))]);
  return { omegas, cues: omegas.map((w) => patternCue(w, o)), options: Object.freeze({ ...o, omegaSet: set === null ? null : Object.freeze([...set]) }) };
}
