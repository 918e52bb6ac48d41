/**
 * A general fixed-point finder (Sussillo & Barak 2013; options-with-defaults in the style of FixedPointFinder).
 *
 * For a flow dx/dt = F(x) it minimises q(x) = 1/2 |F(x)|^2 from many initial states; for a map x -> G(x) it
 * minimises 1/2 |G(x) - x|^2. Each iteration tries the Newton step J dx = -F (quadratic convergence near a
 * regular fixed point) and falls back to a Levenberg–Marquardt step (J^T J + lambda I) dx = -J^T F when Newton
 * does not decrease q (far from a solution, or where J is singular). Points with q < fixedTolerance are fixed
 * points, q < slowTolerance slow points; duplicates closer than uniqueTolerance are merged, and each fixed point is
 * classified by the eigenvalues of its Jacobian (flow: stable iff every Re lambda < 0; map: iff every |lambda| < 1).
 */
import { LuDecomposition, Matrix, solve as mlSolve } from 'ml-matrix';
import { checkMatrix, eigenvalues, type Eigenvalues, type Mat } from '../numerics/matrix.js';
import { checkChoice, checkInteger, checkNumber, checkVector, ParameterError, withDefaults } from '../numerics/validate.js';
import { NONLINEARITIES, nonlinearity, nonlinearityDerivative, type Nonlinearity } from '../numerics/nonlinearity.js';

/** A dynamical system: F and its Jacobian. For a map, `evaluate` returns G(x) and `jacobian` dG/dx. */
export interface DynamicalSystem {
  readonly n: number;
  readonly kind: 'flow' | 'map';
  evaluate(x: Float64Array, out: Float64Array): void;
  /** Row-major N x N Jacobian into out.data. */
  jacobian(x: Float64Array, out: Mat): void;
}

export interface FixedPointFinderOptions {
  /** Iterations stop once q falls below this (well below fixedTolerance, so positions are accurate). */
  convergenceTolerance: number;
  /** q below this: a fixed point (papers/beer-barak-2019/README.md §5.4: 1e-10). */
  fixedTolerance: number;
  /** q below this (but above fixedTolerance): a slow point. */
  slowTolerance: number;
  /** Iterations per initial state. */
  maxIterations: number;
  /** Initial Levenberg–Marquardt damping, and its factors on failure and success. */
  lambdaInit: number;
  lambdaUp: number;
  lambdaDown: number;
  /** Points closer than this (Euclidean distance / sqrt(N)) are the same point. */
  uniqueTolerance: number;
  /** Keep slow points in the result. */
  keepSlowPoints: boolean;
  /**
   * Stop when q has fallen by less than the factor `stallRatio` over `stallIterations` iterations: at a slow point
   * (a minimum of q above zero) further iterations only polish a point that is not fixed, so slow points are located
   * approximately. At N = 300 this cut a search from 41 starts from ~6 min to ~45 s; the price is that a start
   * that would have crept to a distant true fixed point may stop at a slow point on the way.
   */
  stallIterations: number;
  stallRatio: number;
  /** Levenberg–Marquardt damping increases tried per iteration before giving up on a state. */
  maxDampingTries: number;
}

export const FIXED_POINT_FINDER_DEFAULTS: FixedPointFinderOptions = {
  convergenceTolerance: 1e-26,
  fixedTolerance: 1e-10,
  slowTolerance: 1e-4,
  maxIterations: 100,
  lambdaInit: 1e-2,
  lambdaUp: 10,
  lambdaDown: 0.1,
  uniqueTolerance: 1e-6,
  keepSlowPoints: false,
  stallIterations: 5,
  stallRatio: 0.5,
  maxDampingTries: 12,
};

export interface FoundPoint {
  x: Float64Array;
  /** q(x) = 1/2 |F(x)|^2 (flow) or 1/2 |G(x) - x|^2 (map). */
  q: number;
  kind: 'fixed' | 'slow';
  /** Eigenvalues of the Jacobian of F (flow) or of G (map) at x. */
  eigenvalues: Eigenvalues;
  stable: boolean;
  /** How many initial states converged to this point. */
  count: number;
}

export interface FixedPointResult {
  points: FoundPoint[];
  /** Initial states that reached neither tolerance. */
  unconverged: number;
}

/** Residual r(x) = F(x) (flow) or G(x) - x (map); returns q = |r|^2 / 2. */
function residual(sys: DynamicalSystem, x: Float64Array, out: Float64Array): number {
  sys.evaluate(x, out);
  let s = 0;
  for (let i = 0; i < sys.n; i++) {
    if (sys.kind === 'map') out[i] -= x[i];
    s += out[i] * out[i];
  }
  return 0.5 * s;
}

/** Jacobian of the residual as an ml-matrix (dG/dx - I for a map). */
function residualJacobian(sys: DynamicalSystem, x: Float64Array, scratch: Mat): Matrix {
  sys.jacobian(x, scratch);
  const n = sys.n;
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, scratch.data[i * n + j] - (sys.kind === 'map' && i === j ? 1 : 0));
  return m;
}

/** The finder's options, merged and checked (maxIterations is capped: each iteration is an O(N³) solve). */
function finderOptions(component: string, options: Partial<FixedPointFinderOptions>): FixedPointFinderOptions {
  const o = withDefaults(component, FIXED_POINT_FINDER_DEFAULTS, options);
  checkNumber('convergenceTolerance', o.convergenceTolerance, { min: 0, exclusiveMin: true });
  checkNumber('fixedTolerance', o.fixedTolerance, { min: o.convergenceTolerance });
  checkNumber('slowTolerance', o.slowTolerance, { min: o.fixedTolerance });
  checkInteger('maxIterations', o.maxIterations, { min: 1, max: 1e6 });
  checkNumber('uniqueTolerance', o.uniqueTolerance, { min: 0, exclusiveMin: true });
  checkInteger('stallIterations', o.stallIterations, { min: 1 });
  checkNumber('stallRatio', o.stallRatio, { min: 0, max: 1, exclusiveMin: true });
  checkInteger('maxDampingTries', o.maxDampingTries, { min: 1, max: 1000 });
  checkNumber('lambdaInit', o.lambdaInit, { min: 0, exclusiveMin: true });
  checkNumber('lambdaUp', o.lambdaUp, { min: 1, exclusiveMin: true });
  checkNumber('lambdaDown', o.lambdaDown, { min: 0, max: 1, exclusiveMin: true, exclusiveMax: true });
  return o;
}

/** Minimises q from one initial state x0 (length N); returns the point reached and its speed. */
export function minimiseSpeed(sys: DynamicalSystem, x0: Float64Array, options: Partial<FixedPointFinderOptions> = {}): { x: Float64Array; q: number } {
  const o = finderOptions('minimiseSpeed', options);
  const n = sys.n;
  checkVector('x0', x0, n);
  const x = Float64Array.from(x0);
  const r = new Float64Array(n);
  const rTry = new Float64Array(n);
  const xTry = new Float64Array(n);
  const scratch: Mat = { rows: n, cols: n, data: new Float64Array(n * n) };
  let q = residual(sys, x, r);
  let lambda = o.lambdaInit;
  const history: number[] = [];
  for (let it = 0; it < o.maxIterations && q > o.convergenceTolerance; it++) {
    history.push(q);
    if (history.length > o.stallIterations && q > o.fixedTolerance && q > o.stallRatio * history[history.length - 1 - o.stallIterations]) break;
    const J = residualJacobian(sys, x, scratch);
    const minusR = Matrix.columnVector(Array.from(r, (v) => -v));
    const tryStep = (dx: Matrix): boolean => {
      for (let i = 0; i < n; i++) xTry[i] = x[i] + dx.get(i, 0);
      const qTry = residual(sys, xTry, rTry);
      if (!(qTry < q)) return false;
      x.set(xTry);
      r.set(rTry);
      q = qTry;
      return true;
    };
    // Newton first.
    const lu = new LuDecomposition(J);
    if (!lu.isSingular() && tryStep(lu.solve(minusR))) {
      lambda = Math.max(lambda * o.lambdaDown, 1e-12);
      continue;
    }
    // Levenberg–Marquardt: raise the damping until q decreases (or give up on this state).
    const JtJ = J.transpose().mmul(J);
    const Jtr = J.transpose().mmul(minusR);
    let improved = false;
    for (let k = 0; k < o.maxDampingTries && !improved; k++) {
      const A = JtJ.clone();
      for (let i = 0; i < n; i++) A.set(i, i, A.get(i, i) + lambda);
      improved = tryStep(mlSolve(A, Jtr));
      lambda = improved ? lambda * o.lambdaDown : lambda * o.lambdaUp;
    }
    if (!improved) break; // a local minimum of q that is not a fixed point
  }
  return { x, q };
}

/** Fixed points (and optionally slow points) reached from the rows of `initialStates` (M x N). */
export function findFixedPoints(sys: DynamicalSystem, initialStates: Mat, options: Partial<FixedPointFinderOptions> = {}): FixedPointResult {
  const o = finderOptions('findFixedPoints', options);
  checkMatrix('initialStates', initialStates);
  if (initialStates.cols !== sys.n) throw new ParameterError('initialStates', `have ${initialStates.cols} columns, system has N = ${sys.n}`);
  const n = sys.n;
  const points: FoundPoint[] = [];
  let unconverged = 0;
  const scratch: Mat = { rows: n, cols: n, data: new Float64Array(n * n) };
  for (let m = 0; m < initialStates.rows; m++) {
    const { x, q } = minimiseSpeed(sys, initialStates.data.subarray(m * n, (m + 1) * n), o);
    const kind = q < o.fixedTolerance ? 'fixed' : q < o.slowTolerance ? 'slow' : null;
    if (!kind || (kind === 'slow' && !o.keepSlowPoints)) {
      if (!kind) unconverged++;
      continue;
    }
    const twin = points.find((p) => {
      let d = 0;
      for (let i = 0; i < n; i++) d += (p.x[i] - x[i]) ** 2;
      return Math.sqrt(d / n) < o.uniqueTolerance;
    });
    if (twin) {
      twin.count++;
      continue;
    }
    sys.jacobian(x, scratch);
    const eig = eigenvalues(scratch);
    let stable = true;
    for (let i = 0; i < n; i++) {
      const measure = sys.kind === 'flow' ? eig.re[i] : Math.hypot(eig.re[i], eig.im[i]) - 1;
      if (measure >= 0) stable = false;
    }
    points.push({ x, q, kind, eigenvalues: eig, stable, count: 1 });
  }
  return { points, unconverged };
}

/**
 * The flow dx/dt = (-x + W phi(x) + b) / tau of a rate network (W dense N x N, b a constant drive); phi is tanh
 * (Beer & Barak) or erf(sqrt(pi) x / 2) (the sequential-interference networks), or any engine nonlinearity.
 */
export function rateNetworkFlow(W: Mat, b: Float64Array | null = null, tau = 1, phi: Nonlinearity = 'tanh'): DynamicalSystem {
  checkMatrix('W', W, { square: true });
  const n = W.rows;
  if (b !== null && (!(b instanceof Float64Array) || b.length !== n)) throw new ParameterError('b', `expected null or a Float64Array of length N = ${n}`);
  checkNumber('tau', tau, { min: 0, exclusiveMin: true });
  checkChoice('phi', phi, NONLINEARITIES);
  const r = new Float64Array(n);
  // tanh stays on Math.tanh (the Beer & Barak searches call this N times per evaluation at N = 300).
  const f = phi === 'tanh' ? Math.tanh : (v: number) => nonlinearity(phi, v);
  const df = phi === 'tanh' ? (v: number) => 1 - Math.tanh(v) ** 2 : (v: number) => nonlinearityDerivative(phi, v);
  return {
    n,
    kind: 'flow',
    evaluate(x, out) {
      for (let i = 0; i < n; i++) r[i] = f(x[i]);
      for (let i = 0; i < n; i++) {
        let s = b ? b[i] : 0;
        for (let j = 0; j < n; j++) s += W.data[i * n + j] * r[j];
        out[i] = (s - x[i]) / tau;
      }
    },
    jacobian(x, out) {
      for (let j = 0; j < n; j++) r[j] = df(x[j]);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = (W.data[i * n + j] * r[j] - (i === j ? 1 : 0)) / tau;
    },
  };
}
