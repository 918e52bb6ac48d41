/**
 * Sequential training A → B without rehearsal (README §4.1, §5.1), for any learner that can
 * report its loss on a task and take one gradient step on it: the mean-field 2-D model, the finite 2×2 model and the
 * full-rank network all run through `trainSequential`, so their interference numbers are computed identically.
 * Equations: (29)–(30) of README.md.
 */
import { checkAllocation, checkInteger, DivergenceError, withDefaults } from '../../numerics/validate.js';

export interface SequentialLearner {
  /** Loss on task `cue` (0 = A, 1 = B) with the current parameters; `cuedOnly` evaluates the cued output alone. */
  loss(cue: 0 | 1, cuedOnly?: boolean): number;
  /** One gradient step on task `cue`; returns the loss before the step. */
  step(cue: 0 | 1): number;
  /** The 2×2 pattern matrix (M, or M_eff = UᵀWU/N for a full-rank W), row-major; optional. */
  patternMatrix?(): Float64Array;
}

export interface SequentialOptions {
  /** Gradient steps on task A (README §3.3: 1500). */
  stepsA: number;
  /** Gradient steps on task B (README §3.3: 1500). */
  stepsB: number;
  /** Record the pattern matrix and evaluate L_A during phase B every this many steps (1 = every step). */
  recordEvery: number;
  /** Called once between the phases, e.g. to copy the weights after A. */
  afterPhaseA: (() => void) | null;
}

export const SEQUENTIAL_DEFAULTS: SequentialOptions = { stepsA: 1500, stepsB: 1500, recordEvery: 1, afterPhaseA: null };

export interface SequentialRecord {
  /** L_A before each phase-A step (length stepsA). */
  lossAPhaseA: Float64Array;
  /** L_B before each phase-B step and after the last one (length stepsB + 1). */
  lossB: Float64Array;
  /** L_A during phase B at the steps `recordSteps` (every recordEvery steps and at the end). */
  lossA: Float64Array;
  /** L_A of the trained variant and of the cued output alone: before training, after A, after B. */
  lossAInitial: number;
  lossAAfterA: number;
  lossAAfterB: number;
  cuedLossAInitial: number;
  cuedLossAAfterA: number;
  cuedLossAAfterB: number;
  /** The pattern matrix at the end of phase A (empty if the learner has none). */
  patternMatrixAfterA: number[];
  /** Phase-B steps 0, recordEvery, … and stepsB at which L_A and the pattern matrix were recorded. */
  recordSteps: number[];
  /** Pattern matrices (4 entries each) at `recordSteps` (empty if the learner has none). */
  patternMatrices: number[][];
}

/** I = [L_A(after B) − L_A(after A)] / [L_A(initial) − L_A(after A)] (README §5.1): 0 no forgetting, 1 back to naive. */
export function interferenceIndex(initial: number, afterA: number, afterB: number): number {
  return (afterB - afterA) / (initial - afterA);
}

/** Learning time t_B: the first step with L ≤ fraction · L(0) (README §5.1: 5 %); the curve length when never reached. */
export function learningTime(loss: ArrayLike<number>, fraction = 0.05): number {
  const bar = fraction * loss[0];
  for (let i = 0; i < loss.length; i++) if (loss[i] <= bar) return i;
  return loss.length;
}

export function trainSequential(learner: SequentialLearner, options: Partial<SequentialOptions> = {}): SequentialRecord {
  const o = withDefaults('sequential', SEQUENTIAL_DEFAULTS, options);
  checkInteger('sequential.stepsA', o.stepsA, { min: 0 });
  checkInteger('sequential.stepsB', o.stepsB, { min: 0 });
  checkInteger('sequential.recordEvery', o.recordEvery, { min: 1 });
  checkAllocation(o.stepsA > o.stepsB ? 'sequential.stepsA' : 'sequential.stepsB', o.stepsA + o.stepsB + 1, 8, `the loss records of ${o.stepsA} + ${o.stepsB} steps`);
  const finite = (value: number, what: string, step: number) => {
    if (!Number.isFinite(value)) throw new DivergenceError(`sequential training (${what})`, step, `loss = ${value}`);
    return value;
  };
  const lossAInitial = learner.loss(0);
  const cuedLossAInitial = learner.loss(0, true);
  const lossAPhaseA = new Float64Array(o.stepsA);
  for (let s = 0; s < o.stepsA; s++) lossAPhaseA[s] = finite(learner.step(0), 'L_A (phase A)', s);
  const lossAAfterA = learner.loss(0);
  const cuedLossAAfterA = learner.loss(0, true);
  const patternMatrixAfterA = learner.patternMatrix ? Array.from(learner.patternMatrix()) : [];
  o.afterPhaseA?.();
  const lossB = new Float64Array(o.stepsB + 1);
  const lossA: number[] = [];
  const recordSteps: number[] = [];
  const patternMatrices: number[][] = [];
  const record = (s: number) => {
    recordSteps.push(s);
    lossA.push(finite(learner.loss(0), 'L_A (phase B)', o.stepsA + s));
    if (learner.patternMatrix) patternMatrices.push(Array.from(learner.patternMatrix()));
  };
  for (let s = 0; s < o.stepsB; s++) {
    if (s % o.recordEvery === 0) record(s);
    lossB[s] = finite(learner.step(1), 'L_B', o.stepsA + s);
  }
  record(o.stepsB);
  lossB[o.stepsB] = learner.loss(1);
  return {
    lossAPhaseA, lossB, lossA: Float64Array.from(lossA), lossAInitial, lossAAfterA, lossAAfterB: lossA[lossA.length - 1],
    cuedLossAInitial, cuedLossAAfterA, cuedLossAAfterB: learner.loss(0, true), patternMatrixAfterA, recordSteps, patternMatrices,
  };
}
