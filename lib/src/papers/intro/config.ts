/**
 * Every parameter of the introduction's two notebooks in one place: the scales of notebook 00 (random rate network)
 * and notebook 03 (training engine), and the thresholds of their checks (fixed before the runs; README §4).
 */
import { byScale } from '../../notebook/scale.js';

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

/** Thresholds of claims I1-I3 (README §4): from theory, fixed before the runs. */
export const INTRO_CRITERIA = {
  eigenRadiusTolerance: 0.05,
  activityThreshold: 1e-3,
  activityOnsetTolerance: 0.1,
  chaosOnsetRange: [1, 1.5] as [number, number],
};

export const ENGINE_CRITERIA = {
  /** Issue: BPTT vs central finite differences in float64, relative error below 1e-5. */
  gradientTolerance: 1e-5,
  /** Whole-gradient agreement of the two kernel backends in float32 (different summation orders over a full
   * BPTT pass; the kernels themselves agree to 1e-5, tested in the unit tests). */
  kernelGradientTolerance: 1e-4,
  /** Issue: a small network trained on a toy task drives its loss down at least 10x. */
  lossDrop: 10,
};

export interface EngineDemoScale {
  hidden: number;
  batch: number;
  trainSteps: number;
  task: { task: 'parity' | 'dms'; N: number };
}

export const ENGINE_DEMO_SCALES: Record<'quick' | 'full', EngineDemoScale> = {
  quick: { hidden: 32, batch: 32, trainSteps: 300, task: { task: 'parity', N: 2 } },
  full: { hidden: 64, batch: 64, trainSteps: 1500, task: { task: 'parity', N: 3 } },
};

export const engineDemoScale = (): EngineDemoScale => byScale(ENGINE_DEMO_SCALES);

/** One run on two threads (notebook 03 §6): the model and batch shape, the N of the parity batches, the steps timed. */
export interface ThreadDemoScale {
  hidden: number;
  batch: number;
  heads: number;
  N: number;
  trainSteps: number;
}

/** Full: the timescales study's main shape (n = 100, batch 32, 40 heads) at N = 12 (sequences of 14–49 steps). */
export const THREAD_DEMO_SCALES: Record<'quick' | 'full', ThreadDemoScale> = {
  quick: { hidden: 32, batch: 16, heads: 8, N: 4, trainSteps: 60 },
  full: { hidden: 100, batch: 32, heads: 40, N: 12, trainSteps: 300 },
};

export const threadDemoScale = (): ThreadDemoScale => byScale(THREAD_DEMO_SCALES);
