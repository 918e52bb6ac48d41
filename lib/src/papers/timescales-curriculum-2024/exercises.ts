/**
 * Exercises of notebooks 05 and 11 (the teaching edition, lib/src/notebook/exercises.ts): the N-parity label of a bit
 * sequence (README eq. 24), the unbiased autocorrelation of a signal (eq. 27) and the N-DMS label (eq. 25); the checks
 * compare with the task generator and with the library's FFT autocorrelation.
 */
import { ar1Signal, autocorrelation } from '../../analysis/timescales.js';
import { Rng } from '../../numerics/rng.js';
import type { Exercise } from '../../notebook/exercises.js';
import { bitTaskBatch } from '../../tasks/bitTasks.js';

/** The label of N-parity for one sequence of bits (0 or 1): the sum of its last N bits, modulo 2. */
export type ParityLabelFunction = (bits: number[], N: number) => number;
/** Lags 0…maxLag of the unbiased autocorrelation of the mean-removed signal: C(ℓ) = Σ_t s_t s_{t+ℓ} / (L − ℓ). */
export type AutocorrelationFunction = (signal: Float64Array, maxLag: number) => Float64Array;

/** One sequence of the library's task generator and its label. */
function labelCase(task: 'parity' | 'dms', name: string, seed: number, N: number, steps: number) {
  const batch = bitTaskBatch({ task, Ns: [N], batchSize: 1, hiddenSize: 1, steps, dtype: 'float64' }, Rng.stream(seed, `exercise-${task}`));
  const bits = Array.from(batch.inputs);
  return { name, run: (fn: (bits: number[], N: number) => number) => fn([...bits], N), expected: batch.labels![0] };
}
const parityCase = (name: string, seed: number, N: number, steps: number) => labelCase('parity', name, seed, N, steps);

export const PARITY_LABEL: Exercise<ParityLabelFunction> = {
  id: '05.1',
  title: 'the N-parity label',
  tolerance: 0,
  cases: [parityCase('N = 1: the last bit', 1, 1, 6), parityCase('N = 3', 2, 3, 9), parityCase('N = 7 in a sequence of 20', 3, 7, 20), parityCase('N = 12', 4, 12, 30)],
};

function autocorrelationCase(name: string, seed: number, length: number, maxLag: number, tau: number) {
  // An AR(1) signal with correlation time tau (in steps): the kind of trace the notebook measures.
  const signal = ar1Signal(length, tau, Rng.stream(seed, 'exercise-ac'));
  return { name, run: (fn: AutocorrelationFunction) => fn(Float64Array.from(signal), maxLag), expected: autocorrelation(signal, maxLag) };
}

export const AUTOCORRELATION: Exercise<AutocorrelationFunction> = {
  id: '05.2',
  title: 'the unbiased autocorrelation',
  tolerance: 1e-9,
  cases: [autocorrelationCase('a short signal, lags 0–3', 1, 12, 3, 2), autocorrelationCase('τ = 5 steps, lags 0–30', 2, 400, 30, 5), autocorrelationCase('τ = 20 steps, lags 0–30', 3, 1000, 30, 20)],
};

/** The label of N-DMS for one sequence of bits: 1 if the last bit equals the bit N − 1 steps before it, else 0. */
export type DmsLabelFunction = (bits: number[], N: number) => number;

export const DMS_LABEL: Exercise<DmsLabelFunction> = {
  id: '11.1',
  title: 'the N-DMS label',
  tolerance: 0,
  cases: [1, 2, 3, 4, 5, 6].map((seed) => labelCase('dms', `N = ${seed + 1}, sequence ${seed}`, seed, seed + 1, 3 * seed + 6)),
};
