/**
 * Diagnostics of the transition to chaos in the random rate network (Sompolinsky, Crisanti & Sommers 1988):
 * for N -> infinity the quiescent state x = 0 is stable for g < 1 and the network is chaotic for g > 1.
 *
 * The largest Lyapunov exponent is estimated by Benettin's method on the Euler map
 *     x <- x + (dt/tau)(-x + J tanh(x)),
 * propagating a tangent vector v <- v + (dt/tau)(-v + J (tanh'(x) * v)) and renormalising it every
 * `renormEvery` steps; lambda = (sum of log growth factors) / elapsed time, in units of 1/tau.
 * Equations: (9)–(12) of papers/intro/README.md.
 */
import type { RateNetwork } from '../dynamics/rateNetwork.js';
import { initialState } from '../dynamics/rateNetwork.js';
import { applyConnectivityPair, connectivityEntries } from '../dynamics/connectivity.js';
import { checkSeed, Rng, type Seed } from '../numerics/rng.js';
import { createRateNetwork } from '../dynamics/rateNetwork.js';
import { checkInteger, checkNumber, checkWork, DivergenceError, ParameterError, withDefaults, checkCallback } from '../numerics/validate.js';

export interface ChaosDiagnosticsOptions {
  /** Euler steps discarded before measuring (>= 0). */
  transientSteps: number;
  /** Euler steps over which the exponent and the activity variance are measured (>= 1). */
  measureSteps: number;
  /** Renormalise the tangent vector every k steps (>= 1). */
  renormEvery: number;
  /** Seed of the initial state and of the initial tangent vector. */
  seed: Seed;
}

export const CHAOS_DIAGNOSTICS_DEFAULTS: ChaosDiagnosticsOptions = {
  transientSteps: 2000,
  measureSteps: 4000,
  renormEvery: 10,
  seed: 1,
};

export interface ChaosDiagnostics {
  /** Largest Lyapunov exponent (1/tau). Negative: activity decays to a fixed point; positive: chaos. */
  lyapunov: number;
  /** Population- and time-averaged x^2 over the measurement window (the order parameter Delta_0). */
  meanSquareActivity: number;
}

export function chaosDiagnostics(net: RateNetwork, options: Partial<ChaosDiagnosticsOptions> = {}): ChaosDiagnostics {
  const o = withDefaults('chaosDiagnostics', CHAOS_DIAGNOSTICS_DEFAULTS, options);
  checkInteger('transientSteps', o.transientSteps, { min: 0 });
  checkInteger('measureSteps', o.measureSteps, { min: 1 });
  checkInteger('renormEvery', o.renormEvery, { min: 1 });
  // Two products with J a step (the state and the tangent vector).
  checkWork(o.transientSteps > o.measureSteps ? 'transientSteps' : 'measureSteps', 2 * (o.transientSteps + o.measureSteps) * connectivityEntries(net.J), `${o.transientSteps + o.measureSteps} steps of N = ${net.n} units`);
  const n = net.n;
  const a = net.options.dt / net.options.tau;
  const x = initialState(n, { seed: o.seed });
  const v = Rng.stream(o.seed, 'tangent').normalArray(n);
  normalise(v);
  const r = new Float64Array(n);
  const gainV = new Float64Array(n);
  const drive = new Float64Array(n);
  const tangentDrive = new Float64Array(n);
  let logGrowth = 0;
  let measuredTime = 0;
  let sumSquares = 0;
  const total = o.transientSteps + o.measureSteps;
  for (let step = 0; step < total; step++) {
    const measuring = step >= o.transientSteps;
    for (let i = 0; i < n; i++) {
      const ri = Math.tanh(x[i]);
      r[i] = ri;
      gainV[i] = (1 - ri * ri) * v[i];
    }
    applyConnectivityPair(net.J, r, gainV, drive, tangentDrive);
    let sq = 0;
    for (let i = 0; i < n; i++) {
      x[i] += a * (drive[i] - x[i]);
      v[i] += a * (tangentDrive[i] - v[i]);
      sq += x[i] * x[i];
    }
    if (!Number.isFinite(sq)) throw new DivergenceError('chaosDiagnostics', step, 'state x is no longer finite');
    // Blocks are counted from the end of the transient, so only whole measured blocks enter the average.
    const sinceStart = measuring ? step - o.transientSteps + 1 : step + 1;
    const endOfTransient = step === o.transientSteps - 1;
    if (sinceStart % o.renormEvery === 0 || endOfTransient || step === total - 1) {
      const growth = normalise(v);
      if (measuring) {
        logGrowth += Math.log(growth);
        // In units of tau, as the exponent is reported per tau (papers/intro/README.md §2).
        measuredTime += (sinceStart % o.renormEvery === 0 ? o.renormEvery : sinceStart % o.renormEvery) * a;
      }
    }
    if (measuring) sumSquares += sq / n;
  }
  return { lyapunov: logGrowth / measuredTime, meanSquareActivity: sumSquares / o.measureSteps };
}

/** Scales v to unit norm and returns its previous norm. */
function normalise(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const norm = Math.sqrt(s);
  for (let i = 0; i < v.length; i++) v[i] /= norm;
  return norm;
}

/**
 * The first x at which y changes sign from negative to non-negative, by linear interpolation between the
 * bracketing samples; NaN when y never crosses. x must be increasing.
 */
export function firstUpwardZeroCrossing(x: ArrayLike<number>, y: ArrayLike<number>): number {
  for (let i = 1; i < x.length; i++) {
    if (y[i - 1] < 0 && y[i] >= 0) return x[i - 1] + ((0 - y[i - 1]) * (x[i] - x[i - 1])) / (y[i] - y[i - 1]);
  }
  return Number.NaN;
}

export interface ChaosSweepOptions extends ChaosDiagnosticsOptions {
  /** Network size N. */
  n: number;
  /** Gains to sweep, increasing. */
  gValues: number[];
  /** Network seeds; each seed's J is one matrix scaled by g. */
  networkSeeds: number[];
  /** Euler step of the networks. */
  dt: number;
  /** Called after each (seed, g) run with the number of runs done. */
  onProgress: ((done: number, total: number) => void) | null;
}

export const CHAOS_SWEEP_DEFAULTS: ChaosSweepOptions = {
  ...CHAOS_DIAGNOSTICS_DEFAULTS,
  n: 500,
  gValues: [0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.4, 1.6, 2.0],
  networkSeeds: [1, 2, 3],
  dt: 0.1,
  onProgress: null,
};

export interface ChaosSweep {
  g: Float64Array;
  networkSeeds: number[];
  /** Lyapunov exponents, seeds x g (row-major). */
  lyapunov: Float64Array;
  /** Mean-square activity, seeds x g (row-major). */
  meanSquareActivity: Float64Array;
  /** Seed averages, one per g. */
  meanLyapunov: Float64Array;
  meanMeanSquareActivity: Float64Array;
}

/** Lyapunov exponent and activity against g, for several random networks. */
export function chaosSweep(options: Partial<ChaosSweepOptions> = {}): ChaosSweep {
  const o = withDefaults('chaosSweep', CHAOS_SWEEP_DEFAULTS, options);
  checkInteger('n', o.n, { min: 1 });
  checkCallback('onProgress', o.onProgress);
  if (!Array.isArray(o.networkSeeds) || o.networkSeeds.length === 0) throw new ParameterError('networkSeeds', 'at least one network seed (the sweep averages over them)');
  if (!Array.isArray(o.gValues) || o.gValues.length === 0) throw new ParameterError('gValues', 'at least one gain');
  o.networkSeeds.forEach((seed, i) => checkSeed(`networkSeeds[${i}]`, seed));
  o.gValues.forEach((g, i) => {
    checkNumber(`gValues[${i}]`, g, { min: 0 });
    if (i > 0 && !(g > o.gValues[i - 1])) throw new ParameterError('gValues', 'must be strictly increasing');
  });
  const G = o.gValues.length;
  const S = o.networkSeeds.length;
  const lyapunov = new Float64Array(S * G);
  const meanSq = new Float64Array(S * G);
  const { transientSteps, measureSteps, renormEvery, seed } = o;
  o.networkSeeds.forEach((netSeed, s) => {
    o.gValues.forEach((g, k) => {
      const net = createRateNetwork({ n: o.n, g, seed: netSeed, dt: o.dt });
      const d = chaosDiagnostics(net, { transientSteps, measureSteps, renormEvery, seed });
      lyapunov[s * G + k] = d.lyapunov;
      meanSq[s * G + k] = d.meanSquareActivity;
      o.onProgress?.(s * G + k + 1, S * G);
    });
  });
  const columnMean = (m: Float64Array) => Float64Array.from({ length: G }, (_, k) => {
    let sum = 0;
    for (let s = 0; s < S; s++) sum += m[s * G + k];
    return sum / S;
  });
  return {
    g: Float64Array.from(o.gValues),
    networkSeeds: [...o.networkSeeds],
    lyapunov,
    meanSquareActivity: meanSq,
    meanLyapunov: columnMean(lyapunov),
    meanMeanSquareActivity: columnMean(meanSq),
  };
}
