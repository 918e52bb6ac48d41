/**
 * Exercises of notebooks 01, 02 and 04 (the teaching edition, lib/src/notebook/exercises.ts): the LMS update of the
 * readout (README eq. 7), the mismatch q̂ of a clamped candidate point (eqs. 15 and 17), FORCE's RLS update (eqs. 4–6)
 * the mismatch q̂_cyc of a clamped cycle (eq. 20), the Spearman rank correlation of claim B3 and the frequency of an
 * output from its zero crossings (B6); the checks compare with the library's online rules, mismatches, clamped cycles
 * and statistics on small networks, and with the known frequency of test signals.
 */
import { createOnlineRule } from '../../learning/onlineRules.js';
import { Rng } from '../../numerics/rng.js';
import type { Exercise } from '../../notebook/exercises.js';
import { mismatchAt } from './reducedModel.js';
import { clampedCycle, cycleMismatch } from './limitCycles.js';
import { createRateNetwork } from '../../dynamics/rateNetwork.js';
import { spearman } from '../../numerics/statistics.js';

/** LMS: w ← w − η e r, returned as a new vector (e = z − f, the output error). */
export type LmsUpdateFunction = (w: Float64Array, r: Float64Array, error: number, eta: number) => Float64Array;
/** q̂ = ½ (wᵀ r_v − v)² for the rates r_v of the candidate point of value v. */
export type QHatFunction = (w: Float64Array, r: Float64Array, v: number) => number;

const vector = (seed: number, name: string, n = 8) => Rng.stream(seed, name).normalArray(n);

const lmsCase = (name: string, seed: number, error: number, eta: number) => {
  const w = vector(seed, 'exercise-w');
  const r = vector(seed, 'exercise-r').map(Math.tanh);
  const expected = Float64Array.from(w);
  createOnlineRule({ rule: 'lms', n: w.length, eta }).update(expected, r, error);
  return { name, run: (fn: LmsUpdateFunction) => fn(Float64Array.from(w), Float64Array.from(r), error, eta), expected };
};

export const LMS_UPDATE: Exercise<LmsUpdateFunction> = {
  id: '01.1',
  title: 'the LMS update of the readout',
  tolerance: 1e-12,
  cases: [lmsCase('a zero error leaves w unchanged', 1, 0, 0.1), lmsCase('a positive error, η = 0.1', 2, 0.7, 0.1), lmsCase('a negative error, η = 0.01', 3, -1.3, 0.01)],
};

const qCase = (name: string, seed: number, v: number) => {
  const w = vector(seed, 'exercise-w');
  const r = vector(seed, 'exercise-r').map(Math.tanh);
  const delta = mismatchAt({ rows: 1, cols: r.length, data: r }, 0, w, v);
  return { name, run: (fn: QHatFunction) => fn(Float64Array.from(w), Float64Array.from(r), v), expected: 0.5 * delta * delta };
};

export const Q_HAT: Exercise<QHatFunction> = {
  id: '01.2',
  title: 'q̂ of a clamped candidate point',
  tolerance: 1e-12,
  cases: [qCase('v = 1', 1, 1), qCase('v = 3.5', 2, 3.5), qCase('v = 5', 3, 5)],
};

/** FORCE's RLS step (README eqs. 4–6): k = P r, c = 1/(1 + rᵀk), P ← P − c k kᵀ, w ← w − c e k; P is N × N row-major; returns [w, P]. */
export type RlsUpdateFunction = (w: Float64Array, P: Float64Array, r: Float64Array, error: number) => [Float64Array, Float64Array];

// The student's step is applied to a sequence of updates from P(0) = I, passing on the P it returns, and the final w is
// compared with the library's rule on the same sequence: a wrong P shows in the updates after it.
const rlsCase = (name: string, seed: number, errors: number[]) => {
  const n = 5;
  const rates = errors.map((_, k) => vector(seed + 10 * k, 'exercise-r', n).map(Math.tanh));
  const rule = createOnlineRule({ rule: 'rls', n, alpha: 1 });
  const expected = new Float64Array(n);
  errors.forEach((e, k) => rule.update(expected, rates[k], e));
  return {
    name,
    run: (fn: RlsUpdateFunction) => {
      let w = new Float64Array(n);
      let P = Float64Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
      for (let k = 0; k < errors.length; k++) [w, P] = fn(Float64Array.from(w), Float64Array.from(P), Float64Array.from(rates[k]), errors[k]);
      return w;
    },
    expected,
  };
};

export const RLS_UPDATE: Exercise<RlsUpdateFunction> = {
  id: '02.1',
  title: "FORCE's recursive least-squares update",
  tolerance: 1e-12,
  cases: [rlsCase('one update from P = I', 1, [0.5]), rlsCase('three updates', 2, [0.3, -0.8, 0.1]), rlsCase('a zero error still shrinks P for the next update', 3, [0, 0, 0.6])],
};

/** q̂_cyc = ½ ⟨(wᵀ r(t) − A sin(ω t))²⟩ over the recorded period (README eq. 20); rates is samples × N, row-major. */
export type CycleMismatchFunction = (w: Float64Array, rates: Float64Array, samples: number, t: Float64Array, omega: number) => number;

const cycleCase = (name: string, seed: number, omega: number) => {
  const net = createRateNetwork({ n: 20, g: 1.0, feedback: true, nInputs: 1, seed, dt: 0.05 });
  const cycle = clampedCycle(net, omega, null, { settlePeriods: 6 });
  const w = vector(seed, 'exercise-w', 20).map((x) => 0.1 * x);
  return {
    name,
    run: (fn: CycleMismatchFunction) => fn(Float64Array.from(w), Float64Array.from(cycle.rates.data), cycle.rates.rows, Float64Array.from(cycle.t), cycle.omega),
    expected: cycleMismatch(cycle, w),
  };
};

export const CYCLE_MISMATCH: Exercise<CycleMismatchFunction> = {
  id: '04.1',
  title: 'q̂_cyc of a clamped cycle',
  tolerance: 1e-12,
  cases: [cycleCase('ω = 0.3', 1, 0.3), cycleCase('ω = 0.55, another network', 2, 0.55)],
};

/** The Spearman rank correlation of two samples without ties: the Pearson correlation of their ranks. */
export type SpearmanFunction = (x: number[], y: number[]) => number;

function spearmanCase(name: string, length: number, seed: number, relation: (x: number, noise: number) => number) {
  const rng = Rng.stream(seed, 'exercise-spearman');
  const x = Array.from({ length }, () => rng.uniform(-1, 1));
  const y = x.map((v) => relation(v, rng.normal()));
  return { name, run: (fn: SpearmanFunction) => fn([...x], [...y]), expected: spearman(x, y) };
}

export const SPEARMAN: Exercise<SpearmanFunction> = {
  id: '02.2',
  title: 'the Spearman rank correlation',
  tolerance: 1e-12,
  cases: [
    spearmanCase('a monotone, non-linear relation: ρ = 1', 12, 1, (x) => Math.exp(3 * x)),
    spearmanCase('a decreasing relation: ρ = −1', 12, 2, (x) => -(x ** 3)),
    spearmanCase('a noisy relation, 30 points', 30, 3, (x, noise) => x + 0.5 * noise),
    spearmanCase('no relation, 50 points', 50, 4, (_, noise) => noise),
  ],
};

/** Angular frequency ω (rad per unit time) of an oscillating output sampled every dt, from its upward zero crossings. */
export type OutputFrequencyFunction = (signal: Float64Array, dt: number) => number;

function frequencyCase(name: string, omega: number, dt: number, periods: number, shape: (phase: number) => number) {
  const steps = Math.round((periods * 2 * Math.PI) / omega / dt);
  const signal = Float64Array.from({ length: steps }, (_, k) => shape(omega * k * dt + 0.7));
  return { name, run: (fn: OutputFrequencyFunction) => fn(signal, dt), expected: omega };
}

export const OUTPUT_FREQUENCY: Exercise<OutputFrequencyFunction> = {
  id: '04.2',
  title: 'the frequency of an output from its zero crossings',
  // Absolute below 1 (every ω here is): interpolated crossings give ω to ~1e-6 on these signals; the tolerance leaves
  // room for other sound estimates (a spectral peak, a fitted sine).
  tolerance: 2e-3,
  cases: [
    frequencyCase('sin ωt, ω = 0.4, 6 periods', 0.4, 0.1, 6, Math.sin),
    frequencyCase('ω = 0.23 around 1.5: the raw signal never crosses zero', 0.23, 0.1, 5, (p) => 1.5 + Math.sin(p)),
    frequencyCase('ω = 0.57 with a second harmonic', 0.57, 0.1, 8, (p) => Math.sin(p) + 0.3 * Math.sin(2 * p + 1)),
    frequencyCase('ω = 0.31, amplitude 0.2, coarse sampling dt = 0.5', 0.31, 0.5, 6, (p) => 0.2 * Math.cos(p)),
  ],
};
