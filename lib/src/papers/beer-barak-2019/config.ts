/**
 * Every parameter of the Beer & Barak study in one place (README §3.2, §7): the network, the reduced model, the closed
 * loop and the pattern task, each with its quick and full scale. The study files read them from here; nothing is
 * hard-coded further down.
 */
import { byScale } from '../../notebook/scale.js';

/**
 * The network of eq. (1) (README §3.2): gain g = 1.2, w_fb and w_in ~ U(−1, 1), closed-loop Euler step 0.05 τ (τ = 1);
 * the number of units comes with each scale below.
 */
export const BEER_BARAK_NETWORK = { g: 1.2, dt: 0.05, tau: 1, feedback: true, nInputs: 1 };

export const BEER_BARAK_SCALES = {
  // N = 300 at both scales: the criteria are stated for N = 300, and at N = 100 FORCE needs ~50 trials instead of ~4.
  quick: { n: 300, seeds: [1], fineCount: 401, evalCount: 41, forceTrials: 100, lmsTrials: 300, lmsGammas: [1e-2, 1e-4], variantTrials: 100, stabilityValues: [1, 3, 5] },
  full: { n: 300, seeds: [1, 2, 3], fineCount: 401, evalCount: 41, forceTrials: 100, lmsTrials: 1000, lmsGammas: [1e-1, 1e-2, 1e-3, 1e-4], variantTrials: 300, stabilityValues: [1, 1.4, 1.8, 2.2, 2.6, 3, 3.4, 3.8, 4.2, 4.6, 5] },
};

export type BeerBarakScale = (typeof BEER_BARAK_SCALES)['quick'];

export function beerBarakScale(): BeerBarakScale {
  return byScale(BEER_BARAK_SCALES);
}

/** Presentations per trial in the reduced model (T_s, README §3.4). */
export const PRESENTATIONS = 200;

export const BEER_BARAK_CLOSED_LOOP_SCALES = {
  quick: { n: 300, seeds: [1], forceTrials: 100, lmsTrials: 100, lmsGammas: [1e-2], finderStartEvery: 8, eigenIndices: [0, 10, 20, 30, 40], recordTrials: [0, 1, 2, 3, 4, 95, 96, 97, 98, 99] },
  full: { n: 300, seeds: [1, 2, 3], forceTrials: 100, lmsTrials: 300, lmsGammas: [1e-1, 1e-2], finderStartEvery: 4, eigenIndices: [0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40], recordTrials: [0, 1, 2, 3, 4, 95, 96, 97, 98, 99] },
};

export type BeerBarakClosedLoopScale = (typeof BEER_BARAK_CLOSED_LOOP_SCALES)['quick'];

export function beerBarakClosedLoopScale(): BeerBarakClosedLoopScale {
  return byScale(BEER_BARAK_CLOSED_LOOP_SCALES);
}

/** The pattern task's gain: README §5.5's first fallback (at g = 1.2 the clamped network does not entrain at high ω; reconstruction). */
export const PATTERN_GAIN = 1.0;

/** Periods integrated before a clamped cycle is recorded (6 instead of README §5.5's 3: after 3 the entrainment error at ω = 0.6 is 5e-3). */
export const PATTERN_SETTLE_PERIODS = 6;

export const BEER_BARAK_PATTERN_SCALES = {
  // Quick: the study's pipeline-only scale (too short for the criteria; the test checks the pipeline invariants).
  // capacitySizes: the numbers K of evenly spaced frequencies FORCE is trained on to find how many cycles it can hold
  // (notebook 04, section 4; the sizes were chosen before the full run: 1, 2, 3, 4, 5 and the 9 of the test grid).
  quick: { n: 100, seed: 1, forceTrials: 10, lmsTrials: 20, lmsGammas: [1e-1], testOmegas: [0.3, 0.5], capacitySizes: [1, 3] },
  full: { n: 300, seed: 1, forceTrials: 50, lmsTrials: 500, lmsGammas: [1e-1, 1e-2], testOmegas: [0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6], capacitySizes: [1, 2, 3, 4, 5, 9] },
};

export type PatternScale = (typeof BEER_BARAK_PATTERN_SCALES)['full'];

export const beerBarakPatternScale = (): PatternScale => byScale(BEER_BARAK_PATTERN_SCALES);
