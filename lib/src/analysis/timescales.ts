/**
 * Autocorrelation timescales (papers/timescales-curriculum-2024/README.md §5.2): the unbiased autocorrelation by FFT, bounded single-
 * and double-exponential fits, and the choice between them by AIC. The original fits with SciPy's bounded trust-region
 * least squares; ours is the study's [reconstruction]: a dense log-spaced scan of the time constants with the amplitudes
 * solved in closed form (they enter linearly), then a local refinement of the time constants.
 * Equations: (27)–(31) of papers/timescales-curriculum-2024/README.md.
 */
import FFT from 'fft.js';
import { checkInteger, checkNumber, ParameterError, firstNonFinite, checkAllocation } from '../numerics/validate.js';
import type { Rng } from '../numerics/rng.js';

/**
 * Unbiased autocorrelation of one mean-removed signal for lags 0…maxLag: FFT with zero padding to ≥ 2L, then
 * lag ℓ divided by (L − ℓ). Not normalised (divide by lag 0 after averaging over trials).
 */
export function autocorrelation(signal: ArrayLike<number>, maxLag: number): Float64Array {
  if (!signal || typeof signal.length !== 'number') throw new ParameterError('signal', 'expected an array of numbers');
  const L = signal.length;
  checkInteger('maxLag', maxLag, { min: 0, max: L - 1 });
  let size = 2;
  while (size < 2 * L) size *= 2;
  // The FFT works on complex arrays of 2 × size doubles (several of them): refuse before allocating.
  checkAllocation('signal', 6 * size, 8, `the autocorrelation of ${L} samples`);
  const bad = firstNonFinite(signal);
  if (bad >= 0) throw new ParameterError('signal', `entry ${bad} is not finite (${signal[bad]})`);
  let mean = 0;
  for (let i = 0; i < L; i++) mean += signal[i];
  mean /= L;
  const fft = new FFT(size);
  const input = new Array<number>(size).fill(0);
  for (let i = 0; i < L; i++) input[i] = signal[i] - mean;
  const power = fft.createComplexArray() as number[];
  fft.realTransform(power, input);
  fft.completeSpectrum(power);
  for (let k = 0; k < size; k++) {
    const re = power[2 * k];
    const im = power[2 * k + 1];
    power[2 * k] = re * re + im * im;
    power[2 * k + 1] = 0;
  }
  const back = fft.createComplexArray() as number[];
  fft.inverseTransform(back, power);
  const out = new Float64Array(maxLag + 1);
  for (let l = 0; l <= maxLag; l++) out[l] = back[2 * l] / (L - l);
  return out;
}

export interface ExpFit {
  model: 'single' | 'double';
  /** Parameters: single {a, tau}; double {a, c, tau1, tau2} with tau1 ≤ tau2. */
  a: number;
  tau: number;
  c?: number;
  tau2?: number;
  rss: number;
  aic: number;
}

const TAU_MIN = 0.05;
const TAU_MAX = 100;

/** AIC = 2k + n ln(RSS/n) (papers/timescales-curriculum-2024/README.md §5.2 step 4). */
export function aic(rss: number, n: number, k: number): number {
  return 2 * k + n * Math.log(Math.max(rss, 1e-300) / n);
}

function logGrid(count: number): Float64Array {
  return Float64Array.from({ length: count }, (_, i) => TAU_MIN * (TAU_MAX / TAU_MIN) ** (i / (count - 1)));
}

/** Best a ∈ [0, 1] for a fixed τ (closed form, clipped) and its RSS. */
function singleAt(y: ArrayLike<number>, tau: number): { a: number; rss: number } {
  let num = 0;
  let den = 0;
  for (let l = 0; l < y.length; l++) {
    const e = Math.exp(-l / tau);
    num += y[l] * e;
    den += e * e;
  }
  const a = Math.min(1, Math.max(0, num / den));
  let rss = 0;
  for (let l = 0; l < y.length; l++) rss += (y[l] - a * Math.exp(-l / tau)) ** 2;
  return { a, rss };
}

/** Minimises f over log τ in [log τ_min, log τ_max] around a start by a shrinking coordinate search. */
function refine(f: (logTaus: number[]) => number, start: number[], step: number): { x: number[]; value: number } {
  const lo = Math.log(TAU_MIN);
  const hi = Math.log(TAU_MAX);
  let x = [...start];
  let best = f(x);
  for (let h = step; h > 1e-7; h /= 2) {
    let improved = true;
    while (improved) {
      improved = false;
      for (let d = 0; d < x.length; d++) {
        for (const s of [-h, h]) {
          const y = [...x];
          y[d] = Math.min(hi, Math.max(lo, y[d] + s));
          const v = f(y);
          if (v < best) {
            best = v;
            x = y;
            improved = true;
          }
        }
      }
    }
  }
  return { x, value: best };
}

/** Bounded fit of a·e^(−ℓ/τ), a ∈ [0, 1], τ ∈ [0.05, 100], to y at lags 0…n−1. */
/** The lags of an autocorrelation must be finite for a least-squares fit. */
function checkFiniteLags(y: ArrayLike<number>): void {
  const bad = firstNonFinite(y);
  if (bad >= 0) throw new ParameterError('y', `entry ${bad} is not finite`);
}

export function fitSingleExponential(y: ArrayLike<number>): ExpFit {
  if (!y || typeof y.length !== 'number' || y.length < 3) throw new ParameterError('y', 'needs at least 3 lags');
  checkFiniteLags(y);
  let bestTau = TAU_MIN;
  let best = Infinity;
  for (const tau of logGrid(400)) {
    const { rss } = singleAt(y, tau);
    if (rss < best) {
      best = rss;
      bestTau = tau;
    }
  }
  const r = refine(([lt]) => singleAt(y, Math.exp(lt)).rss, [Math.log(bestTau)], Math.log(TAU_MAX / TAU_MIN) / 400);
  const tau = Math.exp(r.x[0]);
  const { a, rss } = singleAt(y, tau);
  return { model: 'single', a, tau, rss, aic: aic(rss, y.length, 2) };
}

/**
 * Best non-negative amplitudes A1, A2 with A1 + A2 ≤ 1 for fixed τ1, τ2 (a·c = A1, a·(1 − c) = A2): the
 * unconstrained 2×2 least squares if feasible, else the best of the boundary solutions.
 */
function doubleAt(y: ArrayLike<number>, t1: number, t2: number): { A1: number; A2: number; rss: number } {
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  let b1 = 0;
  let b2 = 0;
  const n = y.length;
  for (let l = 0; l < n; l++) {
    const e1 = Math.exp(-l / t1);
    const e2 = Math.exp(-l / t2);
    s11 += e1 * e1;
    s12 += e1 * e2;
    s22 += e2 * e2;
    b1 += y[l] * e1;
    b2 += y[l] * e2;
  }
  const rssOf = (A1: number, A2: number) => {
    let r = 0;
    for (let l = 0; l < n; l++) r += (y[l] - A1 * Math.exp(-l / t1) - A2 * Math.exp(-l / t2)) ** 2;
    return r;
  };
  const candidates: [number, number][] = [];
  const det = s11 * s22 - s12 * s12;
  if (Math.abs(det) > 1e-12 * s11 * s22) {
    const A1 = (b1 * s22 - b2 * s12) / det;
    const A2 = (b2 * s11 - b1 * s12) / det;
    if (A1 >= 0 && A2 >= 0 && A1 + A2 <= 1) candidates.push([A1, A2]);
  }
  if (candidates.length === 0) {
    const clip = (v: number) => Math.min(1, Math.max(0, v));
    candidates.push([clip(b1 / s11), 0], [0, clip(b2 / s22)]);
    // On the edge A1 + A2 = 1: A1 = t, A2 = 1 − t, minimise over t ∈ [0, 1].
    const t = (b1 - b2 - s12 + s22) / (s11 - 2 * s12 + s22);
    if (Number.isFinite(t)) candidates.push([clip(t), 1 - clip(t)]);
  }
  let best = { A1: 0, A2: 0, rss: Infinity };
  for (const [A1, A2] of candidates) {
    const rss = rssOf(A1, A2);
    if (rss < best.rss) best = { A1, A2, rss };
  }
  return best;
}

/** Bounded fit of a·[c e^(−ℓ/τ1) + (1 − c) e^(−ℓ/τ2)], a, c ∈ [0, 1], τ1 ≤ τ2 ∈ [0.05, 100]. */
export function fitDoubleExponential(y: ArrayLike<number>): ExpFit {
  if (!y || typeof y.length !== 'number' || y.length < 5) throw new ParameterError('y', 'needs at least 5 lags');
  checkFiniteLags(y);
  const grid = logGrid(60);
  let best = { i: 0, j: 1, rss: Infinity };
  for (let i = 0; i < grid.length; i++) {
    for (let j = i + 1; j < grid.length; j++) {
      const { rss } = doubleAt(y, grid[i], grid[j]);
      if (rss < best.rss) best = { i, j, rss };
    }
  }
  const r = refine(([l1, l2]) => doubleAt(y, Math.exp(Math.min(l1, l2)), Math.exp(Math.max(l1, l2))).rss, [Math.log(grid[best.i]), Math.log(grid[best.j])], Math.log(TAU_MAX / TAU_MIN) / 60);
  const t1 = Math.exp(Math.min(...r.x));
  const t2 = Math.exp(Math.max(...r.x));
  const { A1, A2, rss } = doubleAt(y, t1, t2);
  const a = A1 + A2;
  return { model: 'double', a, c: a > 0 ? A1 / a : 0.5, tau: t1, tau2: t2, rss, aic: aic(rss, y.length, 4) };
}

export interface TimescaleEstimate {
  /** τ of the single exponential if it wins by AIC, else the slower τ of the double; NaN if the fits failed. */
  tau: number;
  chosen: 'single' | 'double';
  single: ExpFit;
  double: ExpFit;
}

/** Fits lags 0…fitLags−1 of a normalised autocorrelation with both models and picks by AIC (papers/timescales-curriculum-2024/README.md §5.2 steps 3–4). */
export function estimateTimescale(ac: ArrayLike<number>, fitLags = 31): TimescaleEstimate {
  checkInteger('fitLags', fitLags, { min: 5, max: ac.length });
  const y = Array.from({ length: fitLags }, (_, l) => ac[l]);
  if (!y.every(Number.isFinite)) {
    const nan: ExpFit = { model: 'single', a: Number.NaN, tau: Number.NaN, rss: Number.NaN, aic: Number.NaN };
    return { tau: Number.NaN, chosen: 'single', single: nan, double: { ...nan, model: 'double' } };
  }
  const single = fitSingleExponential(y);
  const double = fitDoubleExponential(y);
  const chosen = double.aic < single.aic ? 'double' : 'single';
  return { tau: chosen === 'single' ? single.tau : double.tau2!, chosen, single, double };
}

/** The fitted model of eq. (28) or (29) at each lag: a e^(−ℓ/τ), or a [c e^(−ℓ/τ₁) + (1 − c) e^(−ℓ/τ₂)]. */
export function expFitCurve(fit: ExpFit, lags: ArrayLike<number>): Float64Array {
  return Float64Array.from(lags, (l) => (fit.model === 'single' ? fit.a * Math.exp(-l / fit.tau) : fit.a * (fit.c! * Math.exp(-l / fit.tau) + (1 - fit.c!) * Math.exp(-l / fit.tau2!))));
}

/**
 * A stationary AR(1) signal of unit variance whose autocorrelation is exactly e^(−ℓ/τ) (τ in steps):
 * x_t = φ x_{t−1} + √(1 − φ²) ε_t, φ = e^(−1/τ), x_0 ~ N(0, 1). A signal with a known timescale, to test the estimator.
 */
export function ar1Signal(length: number, tau: number, rng: Rng): Float64Array {
  checkInteger('length', length, { min: 1 });
  checkNumber('tau', tau, { min: 0, exclusiveMin: true });
  checkAllocation('length', length, 8, `an AR(1) signal of ${length} samples`);
  const phi = Math.exp(-1 / tau);
  const sd = Math.sqrt(1 - phi * phi);
  const x = new Float64Array(length);
  x[0] = rng.normal();
  for (let t = 1; t < length; t++) x[t] = phi * x[t - 1] + sd * rng.normal();
  return x;
}
