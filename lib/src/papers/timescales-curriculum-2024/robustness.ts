/**
 * Stream accuracy, single-neuron ablation and weight / time-constant perturbation of trained timescales RNNs
 * (README §4.1 "continuous-stream evaluation", §5.5–5.7).
 *
 * A stream is one long bit sequence (p = 0.5, batch 1) read out at every step after a warm-up; the label at step t
 * comes from the sliding window of the last N bits. Relative accuracy = (acc − 0.5)/(acc_base − 0.5).
 * Equations: (35)–(38) of README.md.
 */
import { norm } from '../../numerics/matrix.js';
import { Rng, type Seed } from '../../numerics/rng.js';
import { cloneRnn, type Rnn } from '../../dynamics/rnn/model.js';
import { drivenStates } from '../../dynamics/rnn/simulate.js';
import { applyNonlinearity } from '../../numerics/nonlinearity.js';
import { checkAllocation, checkInteger, checkNumber, checkWork, ParameterError, withDefaults, checkChoice } from '../../numerics/validate.js';

export interface StreamOptions {
  /** Memory length N of the task and the head to read (multi-head: N − 2; single-head: 0). */
  N: number;
  head: number;
  task: 'parity' | 'dms';
  /** Number of streams averaged, their length and the warm-up not scored (study: 10 × 1,100 with 100 warm-up). */
  streams: number;
  length: number;
  warmup: number;
  seed: Seed;
}

export const STREAM_DEFAULTS: StreamOptions = { N: 2, head: 0, task: 'parity', streams: 10, length: 1100, warmup: 100, seed: 1 };

/** Mean accuracy of one head over `streams` independent bit streams. */
export function streamAccuracy(model: Rnn, options: Partial<StreamOptions> = {}): number {
  const o = withDefaults('stream', STREAM_DEFAULTS, options);
  checkInteger('stream.N', o.N, { min: 1 });
  checkChoice('stream.task', o.task, ['parity', 'dms']);
  checkInteger('stream.streams', o.streams, { min: 1 });
  checkInteger('stream.length', o.length, { min: 2 });
  checkInteger('stream.warmup', o.warmup, { min: o.N - 1, max: o.length - 1 });
  const r = model.config.readout;
  if (r.kind !== 'heads') throw new ParameterError('model.readout', 'stream accuracy reads classification heads');
  checkInteger('stream.head', o.head, { min: 0, max: r.heads - 1 });
  const n = model.config.size;
  checkAllocation('stream.length', o.length * n, 8, `the states of a stream of ${o.length} steps`);
  checkWork(o.streams > o.length ? 'stream.streams' : 'stream.length', o.streams * o.length * n * n, `${o.streams} streams of ${o.length} steps`);
  const V = model.params.V!;
  const c = model.params.c!;
  const C = r.classes;
  let correct = 0;
  let total = 0;
  for (let k = 0; k < o.streams; k++) {
    const rng = Rng.stream(o.seed, `stream/${k}`);
    const bits = Uint8Array.from({ length: o.length }, () => (rng.bernoulli(0.5) ? 1 : 0));
    // The heads read the rate r = φ(s) (the state itself for the timescales model, where φ = identity).
    const states = drivenStates(model, { steps: o.length, discard: 0, seed: `${o.seed}/stream-h0/${k}`, bits });
    if (model.config.rate !== 'identity') applyNonlinearity(model.config.rate, states, states, states.length);
    for (let t = o.warmup; t < o.length; t++) {
      let label: number;
      if (o.task === 'parity') {
        let sum = 0;
        for (let j = t - o.N + 1; j <= t; j++) sum += bits[j];
        label = sum % 2;
      } else label = bits[t - o.N + 1] === bits[t] ? 1 : 0;
      let best = 0;
      let bestLogit = -Infinity;
      for (let cls = 0; cls < C; cls++) {
        let logit = c[o.head * C + cls];
        const row = (o.head * C + cls) * n;
        for (let i = 0; i < n; i++) logit += V[row + i] * states[t * n + i];
        if (logit > bestLogit) {
          bestLogit = logit;
          best = cls;
        }
      }
      if (best === label) correct++;
      total++;
    }
  }
  return correct / total;
}

/** (acc − 0.5)/(acc_base − 0.5) (README §5.5). */
export const relativeAccuracy = (acc: number, base: number): number => (acc - 0.5) / (base - 0.5);

/**
 * Silences neuron j (README §5.6): zero row j and column j of W and W_in[j]; with `headColumn`, also column j of that
 * head (the authors do this for single-head networks only).
 */
export function ablateNeuron(model: Rnn, j: number, headColumn: number | null): Rnn {
  const n = model.config.size;
  checkInteger('neuron', j, { min: 0, max: n - 1 });
  // The ablation zeroes a row and a column of a full W (README §5.6); a low-rank W = U M Uᵀ/N has no entries to zero.
  if (model.config.recurrent !== 'full') throw new ParameterError('model.recurrent', `ablation needs a full recurrent matrix, got '${model.config.recurrent}'`);
  const r0 = model.config.readout;
  if (headColumn !== null) {
    if (r0.kind !== 'heads') throw new ParameterError('headColumn', 'the model has no classification heads; use null');
    checkInteger('headColumn', headColumn, { min: 0, max: r0.heads - 1 });
  }
  const m = cloneRnn(model, 'float64');
  const W = m.params.W!;
  for (let i = 0; i < n; i++) {
    W[j * n + i] = 0;
    W[i * n + j] = 0;
  }
  const I = m.config.inputs;
  for (let i = 0; i < I; i++) m.params.Win![j * I + i] = 0;
  const r = m.config.readout;
  if (headColumn !== null && r.kind === 'heads') for (let cls = 0; cls < r.classes; cls++) m.params.V![(headColumn * r.classes + cls) * n + j] = 0;
  return m;
}

/** W ← W + ε‖W‖_F D/‖D‖_F, D_ij ~ N(0, 1) (README §5.7; the diagonal stays zero without self-connections). */
export function perturbWeights(model: Rnn, eps: number, rng: Rng): Rnn {
  checkNumber('eps', eps, { min: 0 });
  if (model.config.recurrent !== 'full') throw new ParameterError('model.recurrent', `the perturbation acts on a full recurrent matrix, got '${model.config.recurrent}'`);
  const m = cloneRnn(model, 'float64');
  const W = m.params.W!;
  const D = rng.normalArray(W.length);
  const scale = (eps * norm(W)) / norm(D);
  for (let i = 0; i < W.length; i++) W[i] += scale * D[i];
  return m;
}

/** τ ← τ + ε‖τ‖₂|D|/‖D‖₂ on the raw τ, D_i ~ N(0, 1): time constants only grow (README §5.7). */
export function perturbTau(model: Rnn, eps: number, rng: Rng): Rnn {
  checkNumber('eps', eps, { min: 0 });
  const m = cloneRnn(model, 'float64');
  const tau = m.params.tau!;
  const D = rng.normalArray(tau.length).map(Math.abs);
  const scale = (eps * norm(tau)) / norm(D);
  for (let i = 0; i < tau.length; i++) tau[i] += scale * D[i];
  return m;
}

/** ε grids of README §5.7: {0} ∪ `count` log-spaced values in [lo, hi]. */
export function epsilonGrid(lo: number, hi: number, count: number): number[] {
  return [0, ...Array.from({ length: count }, (_, k) => lo * Math.pow(hi / lo, k / (count - 1)))];
}
