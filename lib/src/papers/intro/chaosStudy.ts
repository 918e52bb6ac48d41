/**
 * Notebook 00 (the random rate network of Sompolinsky, Crisanti & Sommers 1988): where the activity and chaos
 * switch on in a sweep over g (claims I2, I3; their criteria are in claims.ts).
 */
import { firstUpwardZeroCrossing, type ChaosSweep } from '../../analysis/chaos.js';
import { INTRO_CRITERIA } from './config.js';

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

