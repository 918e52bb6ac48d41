/**
 * Exercises of notebooks 07 and 08 (the teaching edition, lib/src/notebook/exercises.ts): the eigenvalues of the 2×2
 * pattern matrix M (README §5.2's eigen-parametrisation), the interference index, and the effective pattern matrix
 * M_eff = UᵀWU/N of a full network; the checks compare with patternEigen, interferenceIndex and
 * effectivePatternMatrix.
 */
import type { Exercise } from '../../notebook/exercises.js';
import { patternEigen } from './patternModes.js';
import { interferenceIndex } from './sequentialTraining.js';
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
