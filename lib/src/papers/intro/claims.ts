/**
 * The checks of notebooks 00 and 03 (README §4): one function per claim. Each takes what the notebook measured
 * and returns the complete record (statement, criterion with its thresholds, value, verdict, note) that
 * `recordClaim` stores; the notebook only calls them, and the tests call the same functions.
 */
import type { ClaimInput } from '../../notebook/claims.js';
import type { ChaosOnsets } from './chaosStudy.js';
import { ENGINE_CRITERIA, INTRO_CRITERIA } from './config.js';
import type { EngineIdentity, GradientCheckTableRow, KernelAgreement, ParityDemoResult, ThreadComparison } from './engineDemo.js';

/** I1, eq. (5): the spectral radius of J (N × N, gain g) lies within 5 % of g. */
export function I1(m: { spectralRadius: number; g: number; n: number }): ClaimInput {
  const tolerance = INTRO_CRITERIA.eigenRadiusTolerance;
  return {
    id: 'I1',
    paper: 'intro',
    statement: 'The eigenvalues of J fill the disc of radius g (circular law).',
    criterion: `|spectral radius / g - 1| <= ${tolerance} at N = ${m.n}`,
    value: { 'spectral radius': m.spectralRadius, g: m.g, 'ratio - 1': m.spectralRadius / m.g - 1 },
    passed: Math.abs(m.spectralRadius / m.g - 1) <= tolerance,
  };
}

/** I2: the seed-averaged mean-square activity first exceeds the threshold within 0.1 of g = 1. */
export function I2(m: { onsets: ChaosOnsets; gStar: number; n: number }): ClaimInput {
  const c = INTRO_CRITERIA;
  return {
    id: 'I2',
    paper: 'intro',
    statement: 'The quiet state x = 0 loses stability near g = 1.',
    criterion: `|g_activity - 1| <= ${c.activityOnsetTolerance}, where mean-square activity first exceeds ${c.activityThreshold} (N = ${m.n})`,
    value: { g_activity: m.onsets.activityOnset, 'g* of seed 1 (linear stability)': m.gStar },
    passed: Math.abs(m.onsets.activityOnset - 1) <= c.activityOnsetTolerance,
  };
}

/** I3: the seed-averaged largest Lyapunov exponent first turns positive in (1, 1.5]. */
export function I3(m: { onsets: ChaosOnsets; networks: number; n: number }): ClaimInput {
  const [lo, hi] = INTRO_CRITERIA.chaosOnsetRange;
  return {
    id: 'I3',
    paper: 'intro',
    statement: 'Chaos (largest Lyapunov exponent > 0) sets in above, but near, g = 1.',
    criterion: `${lo} < g_chaos <= ${hi} for the mean exponent of ${m.networks} networks at N = ${m.n}`,
    value: { g_chaos: m.onsets.chaosOnset },
    passed: m.onsets.chaosOnset > lo && m.onsets.chaosOnset <= hi,
  };
}

/** E1: BPTT against central finite differences, every variant and trainable parameter (float64). */
export function E1(rows: GradientCheckTableRow[]): ClaimInput {
  const worst = rows.reduce((m, r) => (r.relativeError > m.relativeError ? r : m));
  return {
    id: 'E1',
    paper: 'engine',
    statement: 'Hand-written BPTT gradients equal finite differences for every model variant and every trainable parameter.',
    criterion: `max relative error < ${ENGINE_CRITERIA.gradientTolerance} (float64, central differences, h = 1e-6)`,
    value: { 'worst relative error': worst.relativeError, 'worst case': `${worst.variant}: ${worst.parameter}`, 'parameters checked': `${rows.length}` },
    passed: worst.relativeError < ENGINE_CRITERIA.gradientTolerance,
  };
}

/** E2: the fast kernels' float32 gradients against the reference kernels' on one batch. */
export function E2(agreement: KernelAgreement[], backend: string): ClaimInput {
  const worst = Math.max(...agreement.map((a) => a.relativeDifference));
  return {
    id: 'E2',
    paper: 'engine',
    statement: `The ${backend} kernels give the same float32 gradients as the reference kernels.`,
    criterion: `max relative difference < ${ENGINE_CRITERIA.kernelGradientTolerance}`,
    value: { 'worst relative difference': worst, backend },
    // Without the WebAssembly module this would compare the reference with itself: that is a failure, not a pass.
    passed: backend !== 'reference' && worst < ENGINE_CRITERIA.kernelGradientTolerance,
    note: backend === 'reference' ? 'the WebAssembly kernels are not built (run npm run build)' : undefined,
  };
}

/** E5: the AVX2 matrix products change no bit of the float32 gradients (the same sums in the same order). */
export function E5(m: EngineIdentity): ClaimInput {
  const [alone, withAddon] = m.backends;
  const compared = alone !== withAddon;
  return {
    id: 'E5',
    paper: 'engine',
    statement: 'The AVX2 matrix products give bitwise the gradients of the WebAssembly kernels alone.',
    criterion: '0 differing float32 entries (−0 and +0 told apart) over all gradients of one batch',
    value: { 'differing entries': `${m.differing}`, entries: `${m.entries}`, backends: `${alone} vs ${withAddon}` },
    // Without the addon there is nothing to compare: a failure with its reason, not a pass.
    passed: compared && m.differing === 0,
    note: compared ? undefined : 'the AVX2 addon is not built on this machine (scripts/build-native.sh says why); the WebAssembly kernels alone ran',
  };
}

/** E3: the toy training run lowers the test loss at least tenfold. */
export function E3(run: Pick<ParityDemoResult, 'testBefore' | 'testAfter'>, N: number): ClaimInput {
  const drop = run.testBefore.loss / run.testAfter.loss;
  return {
    id: 'E3',
    paper: 'engine',
    statement: `A small network trained on ${N}-parity drives its test loss down at least tenfold.`,
    criterion: `test loss before / after >= ${ENGINE_CRITERIA.lossDrop}`,
    value: { 'loss before': run.testBefore.loss, 'loss after': run.testAfter.loss, 'drop factor': drop, 'test accuracy after': run.testAfter.accuracy },
    passed: drop >= ENGINE_CRITERIA.lossDrop,
  };
}

/** E4: one run split over two threads gives the bits it gives on one (the chunks fix the result, not the threads). */
export function E4(c: ThreadComparison): ClaimInput {
  return {
    id: 'E4',
    paper: 'engine',
    statement: 'A training run whose batches are split into 2 chunks gives bitwise the same network on 1 and on 2 threads.',
    criterion: 'every parameter bitwise equal after the timed steps',
    value: { 'bitwise equal': c.sameBits ? 'yes' : 'no', 'ms per step, whole batch on 1 thread': c.runs[0].msPerStep, 'ms per step, 2 chunks on 2 threads': c.runs[2].msPerStep, 'speed-up': c.speedup, 'max relative change of W, 2 chunks vs whole batch': c.chunkedVsWhole },
    passed: c.sameBits,
  };
}
