/**
 * Exercises of notebooks 05, 06, 10, 11 and 13 (the teaching edition, lib/src/notebook/exercises.ts): the N-parity label
 * of a bit sequence (README eq. 24), the unbiased autocorrelation of a signal (eq. 27), the next stage of each
 * curriculum and the advance rule (§4.2), the weight perturbation and the ablation of a neuron (§5.6–5.7), the N-DMS
 * label (eq. 25), the decay time of one leaky unit, one LSTM step (eq. (39)) and a gated unit's timescale (eq. (41)). The checks compare with the task generator and the library's own
 * functions.
 */
import { ar1Signal, autocorrelation } from '../../analysis/timescales.js';
import { Rng } from '../../numerics/rng.js';
import type { Exercise } from '../../notebook/exercises.js';
import { bitTaskBatch } from '../../tasks/bitTasks.js';
import { CURRICULUM_DEFAULTS, curriculumModel, leakDecaySteps, nextStage, stageSolved, validateCurriculum, type CurriculumKind } from './curriculum.js';
import { ablateNeuron, perturbWeights } from './robustness.js';
import { createGatedNetwork, gateActivations } from '../../dynamics/gated/gatedNetwork.js';
import { createGatedCell, gatedForward } from '../../dynamics/gated/gatedCell.js';
import { gateTimescales } from './gatedCurriculum.js';

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

/** The Ns trained together after the stage `Ns` is solved, for each curriculum (`slide`: sliding window only). */
export type NextStageFunction = (curriculum: CurriculumKind, Ns: number[], slide: number) => number[];

const nextStageCase = (curriculum: CurriculumKind, Ns: number[], slide = 5) => ({
  name: `${curriculum}, Ns = [${Ns.join(', ')}]${curriculum === 'sliding' ? `, slide ${slide}` : ''}`,
  run: (fn: NextStageFunction) => fn(curriculum, [...Ns], slide),
  expected: nextStage({ ...CURRICULUM_DEFAULTS, curriculum, window: Ns.length, slide }, Ns),
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const NEXT_STAGE: Exercise<NextStageFunction> = {
  id: '06.2',
  title: 'the next stage of each curriculum',
  tolerance: 0,
  cases: [
    nextStageCase('single', [2]),
    nextStageCase('single', [7]),
    nextStageCase('multi', [2]),
    nextStageCase('multi', range(2, 6)),
    nextStageCase('sliding', range(2, 11)),
    nextStageCase('sliding', range(7, 16)),
    nextStageCase('sliding', range(3, 6), 1),
  ],
};

/** The advance rule: is the stage solved (true or 1) or not (false or 0)? `headAccuracy[k]` belongs to `Ns[k]`. */
export type StageSolvedFunction = (headAccuracy: number[], Ns: number[], threshold: number) => boolean | number;

const solvedCase = (name: string, headAccuracy: number[], Ns: number[], threshold = 0.98) => ({
  name,
  run: (fn: StageSolvedFunction) => Number(fn([...headAccuracy], [...Ns], threshold)),
  expected: Number(stageSolved(headAccuracy, Ns, threshold)),
});

export const STAGE_SOLVED: Exercise<StageSolvedFunction> = {
  id: '06.1',
  title: 'the advance rule',
  tolerance: 0,
  cases: [
    solvedCase('one head at 0.99', [0.99], [2]),
    solvedCase('one head at exactly the threshold', [0.98], [2]),
    solvedCase('the largest N below the threshold', [0.999, 0.97], [2, 3]),
    solvedCase('mean 0.9845, largest 0.99', [0.999, 0.999, 0.95, 0.99], [2, 3, 4, 5]),
    solvedCase('mean exactly 0.98', [0.97, 0.99], [2, 3]),
    solvedCase('a sliding window, largest N last', [...Array(9).fill(0.995), 0.96], range(7, 16)),
    solvedCase('threshold 0.9', [0.91, 0.95], [2, 3], 0.9),
  ],
};

/** W ← W + ε‖W‖_F D/‖D‖_F (README §5.7) for a flattened n × n matrix W and a draw D of the same shape; returns a new W. */
export type PerturbWeightsFunction = (W: Float64Array, eps: number, D: Float64Array) => Float64Array;

function perturbationCase(name: string, size: number, eps: number, seed: number) {
  const model = curriculumModel(validateCurriculum({ size, seed }));
  const draws = () => Rng.stream(seed, 'exercise-perturbation');
  const D = draws().normalArray(size * size);
  return { name, run: (fn: PerturbWeightsFunction) => fn(Float64Array.from(model.params.W!), eps, Float64Array.from(D)), expected: perturbWeights(model, eps, draws()).params.W! };
}

export const WEIGHT_PERTURBATION: Exercise<PerturbWeightsFunction> = {
  id: '10.2',
  title: 'the perturbation of the recurrent weights',
  tolerance: 1e-12,
  cases: [perturbationCase('ε = 0 changes nothing', 5, 0, 1), perturbationCase('n = 5, ε = 0.1', 5, 0.1, 2), perturbationCase('n = 16, ε = 0.01', 16, 0.01, 3), perturbationCase('n = 16, ε = 1', 16, 1, 4)],
};

/**
 * Silencing neuron j (README §5.6): W is n × n and W_in is n × I, both flattened row-major; returns new matrices with
 * row j and column j of W and row j of W_in set to zero.
 */
export type AblateNeuronFunction = (W: Float64Array, Win: Float64Array, j: number) => { W: Float64Array; Win: Float64Array };

function ablationCase(name: string, size: number, j: number, seed: number) {
  const model = curriculumModel(validateCurriculum({ size, seed }));
  const ablated = ablateNeuron(model, j, null);
  return {
    name,
    run: (fn: AblateNeuronFunction) => {
      const out = fn(Float64Array.from(model.params.W!), Float64Array.from(model.params.Win!), j);
      return [...(out?.W ?? []), ...(out?.Win ?? [])];
    },
    expected: [...ablated.params.W!, ...ablated.params.Win!],
  };
}

export const ABLATE_NEURON: Exercise<AblateNeuronFunction> = {
  id: '10.1',
  title: 'silencing one neuron',
  tolerance: 0,
  cases: [ablationCase('n = 4, the first neuron', 4, 0, 1), ablationCase('n = 4, the last neuron', 4, 3, 2), ablationCase('n = 12, neuron 5', 12, 5, 3)],
};

/** Steps an isolated unit with time constant τ′ ≥ 1 takes to forget a pulse by a factor e (eq. 2, linear range). */
export type LeakDecayFunction = (tauPrime: number) => number;

export const LEAK_DECAY: Exercise<LeakDecayFunction> = {
  id: '11.2',
  title: 'how long one neuron remembers',
  tolerance: 1e-9,
  cases: [1, 1.2, 1.5, 2, 3, 10, 50].map((tauPrime) => ({ name: `τ′ = ${tauPrime}`, run: (fn: LeakDecayFunction) => fn(tauPrime), expected: leakDecaySteps(tauPrime) })),
};

/** A gated unit's timescale from the values its retention gate took (forget gate f of an LSTM, update gate z of a GRU). */
export type GateTimescaleFunction = (gateValues: number[]) => number;

/** Unit j's forget-gate (LSTM) or update-gate (GRU) values over a batch, and the library's τ for that unit. */
function gateTimescaleCase(kind: 'lstm' | 'gru', hiddenSize: number, j: number, seed: number, biasShift: number) {
  const net = createGatedNetwork({ kind, hiddenSize, heads: 1, seed });
  // Shift the retention gate's bias so that the cases span short and long timescales.
  for (let i = 0; i < hiddenSize; i++) net.cell.params.biasIh[hiddenSize + i] += biasShift;
  const batch = bitTaskBatch({ task: 'parity', Ns: [3], batchSize: 4, hiddenSize: 1, steps: 10, dtype: 'float64', rate: 0.5, encoding: 'signed' }, Rng.stream(seed, 'exercise-gate'));
  const gates = gateActivations(net, batch, 'float64');
  const G = kind === 'lstm' ? 4 : 3;
  const values = Array.from({ length: batch.steps * batch.size }, (_, r) => gates[r * G * hiddenSize + hiddenSize + j]);
  return { name: `${kind.toUpperCase()} unit ${j}, gate bias ${biasShift >= 0 ? '+' : ''}${biasShift}`, run: (fn: GateTimescaleFunction) => fn([...values]), expected: gateTimescales(net, batch, 'float64')[j] };
}

export const GATE_TIMESCALE: Exercise<GateTimescaleFunction> = {
  id: '13.2',
  title: 'a gated unit\'s timescale',
  tolerance: 1e-9,
  cases: [gateTimescaleCase('lstm', 4, 0, 1, 0), gateTimescaleCase('lstm', 4, 2, 2, 3), gateTimescaleCase('gru', 4, 1, 3, 0), gateTimescaleCase('gru', 4, 3, 4, 4)],
};

/**
 * One LSTM step (eq. (39)) for one sample: from the four pre-activation blocks a = (a_i, a_f, a_g, a_o), 4H entries, and
 * the previous cell state c_{t−1} (H entries), return [h_t, c_t] concatenated (2H entries).
 */
export type LstmStepFunction = (preActivation: number[], cPrev: number[]) => number[];

function lstmStepCase(name: string, H: number, seed: number) {
  const cell = createGatedCell({ kind: 'lstm', inputSize: 2, hiddenSize: H, seed });
  const rng = Rng.stream(seed, 'exercise-lstm-step');
  const x = Float64Array.from({ length: 2 }, () => rng.uniform(-1, 1));
  const h0 = Float64Array.from({ length: H }, () => rng.uniform(-1, 1));
  const c0 = Float64Array.from({ length: H }, () => rng.uniform(-2, 2));
  const { weightIh, weightHh, biasIh, biasHh } = cell.params;
  // a = W_ih x + b_ih + W_hh h_{t−1} + b_hh, the input the student's step starts from.
  const a = Array.from({ length: 4 * H }, (_, r) => biasIh[r] + biasHh[r] + weightIh[2 * r] * x[0] + weightIh[2 * r + 1] * x[1] + h0.reduce((s, h, k) => s + weightHh[r * H + k] * h, 0));
  const trace = gatedForward(cell, x, 1, { h: h0, c: c0 });
  return { name, run: (fn: LstmStepFunction) => fn([...a], [...c0]), expected: [...trace.h.subarray(H, 2 * H), ...trace.c!.subarray(H, 2 * H)] };
}

export const LSTM_STEP: Exercise<LstmStepFunction> = {
  id: '13.1',
  title: 'one LSTM step',
  tolerance: 1e-12,
  cases: [lstmStepCase('H = 1', 1, 1), lstmStepCase('H = 3', 3, 2), lstmStepCase('H = 5, another seed', 5, 3)],
};
