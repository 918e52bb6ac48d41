/**
 * Candidate fixed points of a feedback network, found with the feedback clamped (README §5.1).
 *
 * A closed-loop fixed point with output v satisfies x_v = J tanh(x_v) + w_fb v: with z clamped to v the
 * open-loop network has the same fixed point, whatever the readout w. So for each v we solve
 *
 *     F(x) = -x + J tanh(x) + w_fb v = 0
 *
 * by Euler relaxation (dt = 0.1 tau) followed by Newton steps with the Jacobian -I + J diag(1 - r^2). Along a
 * grid of v we continue from the previous solution, and each Newton solve reuses one LU factorisation for
 * several steps (chord method): one factorisation per grid value instead of one per step.
 * Equations: (11), (14)–(16) of README.md.
 */
import { LuDecomposition, Matrix } from 'ml-matrix';
import type { RateNetwork } from '../../dynamics/rateNetwork.js';
import { applyConnectivity, connectivityToDense } from '../../dynamics/connectivity.js';
import { eigenvalues, maxRealPart, type Mat } from '../../numerics/matrix.js';
import { Rng, type Seed } from '../../numerics/rng.js';
import { checkInteger, checkNumber, DivergenceError, ParameterError, withDefaults } from '../../numerics/validate.js';

export interface ClampedFixedPointOptions {
  /** Relaxation time (tau) before Newton when no starting point is given. */
  relaxTime: number;
  /** Euler step of the relaxation. */
  relaxDt: number;
  /** Convergence: ||F(x)|| / sqrt(N) below this. */
  tolerance: number;
  /** Newton steps at most (each chord block refactorises the Jacobian). */
  maxNewtonSteps: number;
  /** Chord steps per Jacobian factorisation. */
  chordSteps: number;
}

export const CLAMPED_FIXED_POINT_DEFAULTS: ClampedFixedPointOptions = {
  relaxTime: 300,
  relaxDt: 0.1,
  tolerance: 1e-10,
  maxNewtonSteps: 60,
  chordSteps: 4,
};

export interface ClampedFixedPoint {
  v: number;
  x: Float64Array;
  r: Float64Array;
  /** ||F(x)|| / sqrt(N) at the returned point. */
  residual: number;
  converged: boolean;
}

function requireFeedback(net: RateNetwork): Float64Array {
  if (!net.wFb) throw new ParameterError('net', 'needs output feedback (createRateNetwork({ feedback: true }))');
  return net.wFb;
}

/** F(x) = -x + J tanh(x) + w_fb v into `out`; returns ||F|| / sqrt(N). Also fills r = tanh(x). */
function residual(net: RateNetwork, wFb: Float64Array, v: number, x: Float64Array, r: Float64Array, out: Float64Array): number {
  const n = net.n;
  for (let i = 0; i < n; i++) r[i] = Math.tanh(x[i]);
  applyConnectivity(net.J, r, out);
  let s = 0;
  for (let i = 0; i < n; i++) {
    out[i] += wFb[i] * v - x[i];
    s += out[i] * out[i];
  }
  return Math.sqrt(s / n);
}

/** Euler relaxation of the clamped open loop, in place. */
export function relaxClamped(net: RateNetwork, v: number, x: Float64Array, time: number, dt: number): void {
  const wFb = requireFeedback(net);
  const n = net.n;
  const r = new Float64Array(n);
  const f = new Float64Array(n);
  const steps = Math.round(time / dt);
  for (let s = 0; s < steps; s++) {
    const res = residual(net, wFb, v, x, r, f);
    if (!Number.isFinite(res)) throw new DivergenceError('relaxClamped', s, `state not finite at v = ${v}`);
    for (let i = 0; i < n; i++) x[i] += dt * f[i];
  }
}

/** The open-loop Jacobian -I + J diag(1 - r^2) at rates r, as an ml-matrix (for LU and eigenvalues). */
export function openLoopJacobian(jDense: Mat, r: Float64Array): Matrix {
  const n = r.length;
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) m.set(i, j, jDense.data[i * n + j] * (1 - r[j] * r[j]) - (i === j ? 1 : 0));
  }
  return m;
}

/** Solves F(x) = 0 for one clamped value v, from `start` (or from 0 after relaxation). */
export function clampedFixedPoint(
  net: RateNetwork,
  v: number,
  start: Float64Array | null = null,
  options: Partial<ClampedFixedPointOptions> = {},
  jDense: Mat = connectivityToDense(net.J),
): ClampedFixedPoint {
  const o = withDefaults('clampedFixedPoint', CLAMPED_FIXED_POINT_DEFAULTS, options);
  checkNumber('v', v);
  checkNumber('relaxTime', o.relaxTime, { min: 0 });
  // The relaxation takes relaxTime / relaxDt Euler steps: a step of 1e-9 would run for hours, not fail.
  checkNumber('relaxDt', o.relaxDt, { min: Math.max(o.relaxTime / 1e7, Number.MIN_VALUE), max: 1 });
  checkNumber('tolerance', o.tolerance, { min: 0, exclusiveMin: true });
  checkInteger('maxNewtonSteps', o.maxNewtonSteps, { min: 0 });
  checkInteger('chordSteps', o.chordSteps, { min: 1 });
  const wFb = requireFeedback(net);
  const n = net.n;
  const x = start ? Float64Array.from(start) : new Float64Array(n);
  if (!start) relaxClamped(net, v, x, o.relaxTime, o.relaxDt);
  const r = new Float64Array(n);
  const f = new Float64Array(n);
  let res = residual(net, wFb, v, x, r, f);
  let steps = 0;
  while (res >= o.tolerance && steps < o.maxNewtonSteps) {
    const lu = new LuDecomposition(openLoopJacobian(jDense, r));
    for (let c = 0; c < o.chordSteps && res >= o.tolerance && steps < o.maxNewtonSteps; c++, steps++) {
      const dx = lu.solve(Matrix.columnVector(Array.from(f)));
      for (let i = 0; i < n; i++) x[i] -= dx.get(i, 0);
      const next = residual(net, wFb, v, x, r, f);
      if (!Number.isFinite(next)) throw new DivergenceError('clampedFixedPoint', steps, `Newton diverged at v = ${v}`);
      if (next > res) {
        res = next;
        break; // the chord direction went stale: refactorise
      }
      res = next;
    }
  }
  return { v, x, r: Float64Array.from(r), residual: res, converged: res < o.tolerance };
}

export interface ClampedGrid {
  values: Float64Array;
  /** States x_v and rates r_v, one row per value (K x N). */
  x: Mat;
  r: Mat;
  residuals: Float64Array;
}

/**
 * Fixed points for an increasing grid of values, by continuation. Throws if any point fails to converge
 * (a chaotic or multistable open loop), naming the value.
 */
export function clampedFixedPointGrid(net: RateNetwork, values: ArrayLike<number>, options: Partial<ClampedFixedPointOptions> = {}): ClampedGrid {
  const n = net.n;
  const K = values.length;
  const jDense = connectivityToDense(net.J);
  const x: Mat = { rows: K, cols: n, data: new Float64Array(K * n) };
  const r: Mat = { rows: K, cols: n, data: new Float64Array(K * n) };
  const residuals = new Float64Array(K);
  let prev: Float64Array | null = null;
  for (let k = 0; k < K; k++) {
    const fp = clampedFixedPoint(net, values[k], prev, options, jDense);
    if (!fp.converged) {
      throw new DivergenceError('clampedFixedPointGrid', k, `no fixed point found at v = ${values[k]} (residual ${fp.residual.toExponential(2)}); the clamped open loop may be chaotic: lower g or shift the value range`);
    }
    x.data.set(fp.x, k * n);
    r.data.set(fp.r, k * n);
    residuals[k] = fp.residual;
    prev = fp.x;
  }
  return { values: Float64Array.from(values), x, r, residuals };
}

export interface ClampedPointCheck {
  v: number;
  /** Largest real part of the open-loop Jacobian's eigenvalues (< 0: stable). */
  maxRealEigenvalue: number;
  /** Largest distance ||x' - x_v|| / sqrt(N) reached from random initial conditions (small: unique). */
  maxDistanceFromOthers: number;
  stable: boolean;
  unique: boolean;
}

/** Stability and uniqueness of x_v (README §5.1 step 3): eigenvalues, and relaxation from random starts. */
export function checkClampedFixedPoint(net: RateNetwork, v: number, xv: Float64Array, options: { starts?: number; seed?: Seed } = {}): ClampedPointCheck {
  const n = net.n;
  const jDense = connectivityToDense(net.J);
  const r = Float64Array.from(xv, Math.tanh);
  const maxRe = maxRealPart(eigenvalues({ rows: n, cols: n, data: Float64Array.from(openLoopJacobian(jDense, r).to1DArray()) }));
  const rng = Rng.stream(options.seed ?? 1, `uniqueness/${v}`);
  let maxDist = 0;
  for (let s = 0; s < (options.starts ?? 2); s++) {
    const other = clampedFixedPoint(net, v, null, {}, jDense);
    // A different start: relax from a random state instead of from 0.
    const x0 = rng.normalArray(n, 0, 1);
    relaxClamped(net, v, x0, CLAMPED_FIXED_POINT_DEFAULTS.relaxTime, CLAMPED_FIXED_POINT_DEFAULTS.relaxDt);
    const fromRandom = clampedFixedPoint(net, v, x0, {}, jDense);
    for (const cand of [other, fromRandom]) {
      let d = 0;
      for (let i = 0; i < n; i++) d += (cand.x[i] - xv[i]) ** 2;
      maxDist = Math.max(maxDist, Math.sqrt(d / n));
    }
  }
  return { v, maxRealEigenvalue: maxRe, maxDistanceFromOthers: maxDist, stable: maxRe < 0, unique: maxDist < 1e-6 };
}
