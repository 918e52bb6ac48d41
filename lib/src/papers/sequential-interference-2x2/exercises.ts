/**
 * Exercises of notebooks 07, 08 and 09 (the teaching edition, lib/src/notebook/exercises.ts): the eigenvalues of the
 * 2×2 pattern matrix M (README §5.2's eigen-parametrisation), the interference index, the effective pattern matrix
 * M_eff = UᵀWU/N of a full network, the learning time t_B, and the targets of the flip-flop and Romo tasks (§4.3); the checks compare with
 * patternEigen, interferenceIndex, effectivePatternMatrix, learningTime and the task generator.
 */
import type { Exercise } from '../../notebook/exercises.js';
import { Rng } from '../../numerics/rng.js';
import { NEURO_TASK_CHANNELS, neuroTaskBatch, type NeuroTask } from '../../tasks/neuroTasks.js';
import { patternEigen } from './patternModes.js';
import { interferenceIndex, learningTime } from './sequentialTraining.js';
import { createPatternNetwork, currentRecurrent, effectivePatternMatrix } from './patternNetwork.js';

/** The two eigenvalues [λ₊, λ₋] (λ₊ ≥ λ₋) of a 2×2 matrix M = [m11, m12, m21, m22] (row-major) with real eigenvalues. */
export type PatternEigenvaluesFunction = (M: number[]) => [number, number];
/** I = [L_A(after B) − L_A(after A)] / [L_A(initial) − L_A(after A)]: 0 no forgetting, 1 back to naive. */
export type InterferenceIndexFunction = (initial: number, afterA: number, afterB: number) => number;

const eigenCase = (name: string, M: number[]) => {
  const e = patternEigen(M);
  return { name, run: (fn: PatternEigenvaluesFunction) => fn([...M]), expected: [e.lambdaPlus, e.lambdaMinus] };
};

export const PATTERN_EIGENVALUES: Exercise<PatternEigenvaluesFunction> = {
  id: '07.1',
  title: 'the eigenvalues of the 2×2 pattern matrix',
  tolerance: 1e-12,
  cases: [
    eigenCase('M = λ* I (both eigenvalues at the fixed-point value)', [1.603, 0, 0, 1.603]),
    eigenCase('a diagonal M with m_B below m_A', [1.6, 0, 0, 0.4]),
    eigenCase('a non-symmetric M (rotation under way)', [1.2, 0.5, 0.3, 0.9]),
    eigenCase('a symmetric M with a coupling', [1.0, 0.6, 0.6, 1.0]),
  ],
};

const indexCase = (name: string, initial: number, afterA: number, afterB: number) => ({
  name,
  run: (fn: InterferenceIndexFunction) => fn(initial, afterA, afterB),
  expected: interferenceIndex(initial, afterA, afterB),
});

export const INTERFERENCE_INDEX: Exercise<InterferenceIndexFunction> = {
  id: '07.2',
  title: 'the interference index',
  tolerance: 1e-12,
  cases: [indexCase('no forgetting', 0.5, 0.01, 0.01), indexCase('back to naive', 0.5, 0.01, 0.5), indexCase('partial forgetting', 0.5, 0.02, 0.2), indexCase('B improves A', 0.5, 0.05, 0.03)],
};

/** M_eff = Uᵀ W U / N for W (N × N) and the patterns U (N × 2), both row-major; returns [m11, m12, m21, m22]. */
export type EffectivePatternMatrixFunction = (W: Float64Array, U: Float64Array, N: number) => number[];

const meffCase = (name: string, size: number, gain: number, seed: number) => {
  const net = createPatternNetwork({ size, gain, plasticity: 'full', dtype: 'float64', seed });
  const W = currentRecurrent(net);
  return { name, run: (fn: EffectivePatternMatrixFunction) => fn(Float64Array.from(W), Float64Array.from(net.U), size), expected: effectivePatternMatrix(net) };
};

export const EFFECTIVE_PATTERN_MATRIX: Exercise<EffectivePatternMatrixFunction> = {
  id: '08.1',
  title: 'the effective pattern matrix of a full network',
  tolerance: 1e-9,
  cases: [meffCase('N = 16, g = 0.5', 16, 0.5, 1), meffCase('N = 32, g = 0.9, another seed', 32, 0.9, 2)],
};

/** One trial of a neuroscience task in its own channels (inputs steps × I, targets steps × O, row-major). */
function neuroTrial(task: NeuroTask, seed: number) {
  const layout = { ...NEURO_TASK_CHANNELS[task], inputOffset: 0, outputOffset: 0 };
  return neuroTaskBatch(task, 1, layout, Rng.stream(seed, `exercise-${task}`));
}

/**
 * The flip-flop target (README §4.3): inputs steps × 2 (row-major), pulses of ±1; each output holds the sign of its
 * channel's last pulse from `delaySteps` after the pulse's first step on, 0 before the channel's first pulse. Returns
 * targets steps × 2.
 */
export type FlipflopTargetFunction = (inputs: Float64Array, delaySteps: number) => Float64Array | number[];

export const FLIPFLOP_TARGET: Exercise<FlipflopTargetFunction> = {
  id: '09.1',
  title: 'the flip-flop target',
  tolerance: 0,
  cases: [1, 2, 3, 4].map((seed) => {
    const b = neuroTrial('flipflop', seed);
    return { name: `trial ${seed} (${b.steps} steps)`, run: (fn: FlipflopTargetFunction) => fn(Float64Array.from(b.inputs), 10), expected: b.targets! };
  }),
};

/** The Romo decision (README §4.3): from the input trace (one channel, two pulses f₁ then f₂), sign(f₁ − f₂). */
export type RomoDecisionFunction = (inputs: Float64Array) => number;

export const ROMO_DECISION: Exercise<RomoDecisionFunction> = {
  id: '09.2',
  title: 'the Romo decision',
  tolerance: 0,
  cases: [1, 2, 3, 4, 5, 6].map((seed) => {
    const b = neuroTrial('romo', seed);
    return { name: `trial ${seed}`, run: (fn: RomoDecisionFunction) => fn(Float64Array.from(b.inputs)), expected: b.targets![b.steps - 1] };
  }),
};

/** t_B: the index of the first entry of a loss curve at or below 5 % of its first entry; the curve's length if none is. */
export type LearningTimeFunction = (loss: number[]) => number;

const curve = (length: number, f: (k: number) => number) => Array.from({ length }, (_, k) => f(k));
const learningTimeCase = (name: string, loss: number[]) => ({ name, run: (fn: LearningTimeFunction) => fn([...loss]), expected: learningTime(loss) });

export const LEARNING_TIME: Exercise<LearningTimeFunction> = {
  id: '08.2',
  title: 'the learning time t_B',
  tolerance: 0,
  cases: [
    learningTimeCase('an exponential decay', curve(200, (k) => 2 * Math.exp(-k / 20))),
    learningTimeCase('a plateau, then a drop', curve(300, (k) => (k < 150 ? 1 - k / 1000 : 0.02))),
    learningTimeCase('exactly 5 % at one step', [1, 0.5, 0.05, 0.01]),
    learningTimeCase('never learned', curve(100, (k) => 1 / (1 + k / 50))),
    learningTimeCase('a curve that dips and rises', curve(120, (k) => 0.5 + 0.49 * Math.cos(k / 10) + 0.001 * k)),
  ],
};
