/**
 * Notebook 00 (the random rate network of Sompolinsky, Crisanti & Sommers 1988): scales and the criteria of
 * its checks, kept here so the notebook and its tests evaluate exactly the same thing.
 *
 * Criteria (fixed before the runs, from theory):
 *  - I1: the eigenvalues of J fill the disc of radius g (circular law); at N = 500 the spectral radius lies
 *    within 5 % of g. (Finite-N theory puts the edge ~2 % outside the circle, with fluctuations.)
 *  - I2: the quiescent state x = 0 loses stability at g = 1/rho(J/g) -> 1; measured as the g at which the
 *    seed-averaged mean-square activity first exceeds 1e-3, it lies within 0.1 of 1.
 *  - I3: chaos (seed-averaged largest Lyapunov exponent > 0) sets in above, but near, g = 1. Finite networks
 *    pass through non-zero fixed points and limit cycles first, so the crossing lies above 1 and moves down
 *    as N grows; criterion at N = 500: 1 < g_chaos <= 1.5 (measured while writing this: ~1.35-1.37).
 */
import { byScale } from '../../notebook/scale.js';
import { firstUpwardZeroCrossing, type ChaosSweep } from '../../analysis/chaos.js';

export const INTRO_SCALES = {
  quick: {
    nTraces: 300,
    nEigen: 500,
    // N = 500 even at quick scale: the criteria are stated for N = 500 (the finite-size shift grows as N shrinks).
    sweep: { n: 500, networkSeeds: [1, 2, 3], gValues: [0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.4, 1.6, 2.0], transientSteps: 1000, measureSteps: 2000 },
  },
  full: {
    nTraces: 500,
    nEigen: 500,
    sweep: {
      n: 500,
      networkSeeds: [1, 2, 3, 4, 5],
      gValues: [0.6, 0.8, 0.9, 0.95, 1.0, 1.05, 1.1, 1.2, 1.3, 1.4, 1.6, 1.8, 2.0],
      transientSteps: 1500,
      measureSteps: 3000,
    },
  },
};

export function introScale() {
  return byScale(INTRO_SCALES);
}

export const INTRO_CRITERIA = {
  eigenRadiusTolerance: 0.05,
  activityThreshold: 1e-3,
  activityOnsetTolerance: 0.1,
  chaosOnsetRange: [1, 1.5] as [number, number],
};

export interface ChaosOnsets {
  /** g at which the seed-averaged mean-square activity first exceeds the threshold. */
  activityOnset: number;
  /** g at which the seed-averaged Lyapunov exponent first becomes positive. */
  chaosOnset: number;
}

export function chaosOnsets(sweep: ChaosSweep): ChaosOnsets {
  const excess = sweep.meanMeanSquareActivity.map((v) => v - INTRO_CRITERIA.activityThreshold);
  return {
    activityOnset: firstUpwardZeroCrossing(sweep.g, excess),
    chaosOnset: firstUpwardZeroCrossing(sweep.g, sweep.meanLyapunov),
  };
}

export function eigenRadiusOk(spectralRadius: number, g: number): boolean {
  return Math.abs(spectralRadius / g - 1) <= INTRO_CRITERIA.eigenRadiusTolerance;
}

export function activityOnsetOk(onsets: ChaosOnsets): boolean {
  return Math.abs(onsets.activityOnset - 1) <= INTRO_CRITERIA.activityOnsetTolerance;
}

export function chaosOnsetOk(onsets: ChaosOnsets): boolean {
  const [lo, hi] = INTRO_CRITERIA.chaosOnsetRange;
  return onsets.chaosOnset > lo && onsets.chaosOnset <= hi;
}
