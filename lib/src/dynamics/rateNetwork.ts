/**
 * Continuous-time rate network (Sompolinsky, Crisanti & Sommers 1988; with inputs and output feedback as in
 * Sussillo & Abbott 2009):
 *
 *     tau dx/dt = -x + J phi(x) + B u(t) + w_fb z(t),   phi = tanh,   z = w^T phi(x)
 *
 * integrated with forward Euler steps of size dt (`eulerStep`, the one integrator of this equation).
 * Equations: (1)–(3) of papers/intro/README.md; with input and output feedback, eq. (1) of papers/beer-barak-2019/README.md.
 */
import { Rng, type Seed } from '../numerics/rng.js';
import type { Mat } from '../numerics/matrix.js';
import { applyConnectivity, connectivityEntries, randomConnectivity, type Connectivity } from './connectivity.js';
import { checkAllocation, checkInteger, checkWork, checkNumber, checkVector, DivergenceError, ParameterError, withDefaults, firstNonFinite } from '../numerics/validate.js';

export interface RateNetworkOptions {
  /** Number of units N, >= 1. */
  n: number;
  /** Gain g of the random connectivity, >= 0 (J_ij has variance g^2/(pN)). */
  g: number;
  /** Connection probability p in (0, 1]; 1 gives a dense matrix. */
  density: number;
  /** Time constant tau > 0 (time is usually measured in units of tau). */
  tau: number;
  /** Euler step dt, in (0, tau]. */
  dt: number;
  /** Number of input channels (columns of B); B_ij ~ U(-inputScale, inputScale). */
  nInputs: number;
  inputScale: number;
  /** Whether the network has an output-feedback vector w_fb ~ U(-feedbackScale, feedbackScale). */
  feedback: boolean;
  feedbackScale: number;
  /** Seed of the network's random streams ('J', 'B', 'w_fb'). */
  seed: Seed;
}

export const RATE_NETWORK_DEFAULTS: RateNetworkOptions = {
  n: 500,
  g: 1.5,
  density: 1,
  tau: 1,
  dt: 0.1,
  nInputs: 0,
  inputScale: 1,
  feedback: false,
  feedbackScale: 1,
  seed: 1,
};

export interface RateNetwork {
  readonly options: Readonly<RateNetworkOptions>;
  readonly n: number;
  readonly J: Connectivity;
  /** Input matrix B, N x nInputs. */
  readonly B: Mat;
  /** Feedback vector w_fb (length N), or null without feedback. */
  readonly wFb: Float64Array | null;
}

export function createRateNetwork(options: Partial<RateNetworkOptions> = {}): RateNetwork {
  const o = withDefaults('createRateNetwork', RATE_NETWORK_DEFAULTS, options);
  checkInteger('n', o.n, { min: 1 });
  checkNumber('g', o.g, { min: 0 });
  checkNumber('tau', o.tau, { min: 0, exclusiveMin: true });
  checkNumber('dt', o.dt, { min: 0, max: o.tau, exclusiveMin: true });
  checkInteger('nInputs', o.nInputs, { min: 0 });
  checkNumber('inputScale', o.inputScale, { min: 0 });
  checkNumber('feedbackScale', o.feedbackScale, { min: 0 });
  checkNumber('density', o.density, { min: 0, max: 1, exclusiveMin: true });
  // Dense J: N² doubles; sparse: ~pN² values and column indices (12 bytes each).
  checkAllocation('nInputs', o.n * o.nInputs, 8, `the input matrix B of ${o.n} × ${o.nInputs}`);
  checkAllocation('n', o.density === 1 ? o.n * o.n : o.n * o.n * o.density, o.density === 1 ? 8 : 12, `the connectivity of N = ${o.n} units (density ${o.density})`);
  const J = randomConnectivity(o.n, o.g, o.density, Rng.stream(o.seed, 'J'));
  const B = { rows: o.n, cols: o.nInputs, data: Rng.stream(o.seed, 'B').uniformArray(o.n * o.nInputs, -o.inputScale, o.inputScale) };
  const wFb = o.feedback ? Rng.stream(o.seed, 'w_fb').uniformArray(o.n, -o.feedbackScale, o.feedbackScale) : null;
  return { options: Object.freeze({ ...o }), n: o.n, J, B, wFb };
}

export interface SimulateOptions {
  /** Number of Euler steps, >= 1. */
  steps: number;
  /** Initial state x(0); when null, x0Scale * N(0, 1) per unit from the stream 'x0' of `seed`. */
  x0: Float64Array | null;
  x0Scale: number;
  /** Seed of the initial-state stream (ignored when x0 is given). */
  seed: Seed;
  /** Inputs u(t): a (steps x nInputs) matrix, or null for u = 0. */
  input: Mat | null;
  /** Readout w (length N) producing z = w^T phi(x), fed back through w_fb when the network has one. */
  readout: Float64Array | null;
  /** Units whose rates phi(x) are recorded (default: the first min(N, 10)). */
  recordUnits: number[] | null;
  /** Record every k-th step (k >= 1). */
  recordEvery: number;
}

export const SIMULATE_DEFAULTS: SimulateOptions = {
  steps: 1000,
  x0: null,
  x0Scale: 0.5,
  seed: 1,
  input: null,
  readout: null,
  recordUnits: null,
  recordEvery: 1,
};

export interface SimulationResult {
  /** Times (in units of tau) of the recorded samples, length T. */
  t: Float64Array;
  /** Recorded rates, T x units (row-major). */
  rates: Mat;
  recordUnits: number[];
  /** Readout z at each recorded time (length T), or null without a readout. */
  z: Float64Array | null;
  /** Final state x. */
  x: Float64Array;
}

/** Initial state 0.5 N(0,1) per unit unless given. */
export function initialState(n: number, options: { x0?: Float64Array | null; x0Scale?: number; seed?: Seed }): Float64Array {
  if (options.x0) return Float64Array.from(checkVector('x0', options.x0, n));
  return Rng.stream(options.seed ?? 1, 'x0').normalArray(n, 0, options.x0Scale ?? 0.5);
}

/** Integrates the network with forward Euler. Throws DivergenceError if the state stops being finite. */
export function simulate(net: RateNetwork, options: Partial<SimulateOptions> = {}): SimulationResult {
  const o = withDefaults('simulate', SIMULATE_DEFAULTS, options);
  const n = net.n;
  checkInteger('steps', o.steps, { min: 1 });
  checkInteger('recordEvery', o.recordEvery, { min: 1 });
  checkNumber('x0Scale', o.x0Scale, { min: 0 });
  if (o.input && (o.input.rows < o.steps || o.input.cols !== net.B.cols)) {
    throw new ParameterError('input', `expected a ${o.steps} x ${net.B.cols} matrix, got ${o.input.rows} x ${o.input.cols}`);
  }
  if (o.input) {
    if (!(o.input.data instanceof Float64Array) || o.input.data.length < o.steps * net.B.cols) throw new ParameterError('input.data', `expected at least steps × nInputs = ${o.steps * net.B.cols} entries`);
    const bad = firstNonFinite(o.input.data.subarray(0, o.steps * net.B.cols));
    if (bad >= 0) throw new ParameterError('input', `entry (${Math.floor(bad / net.B.cols)}, ${bad % net.B.cols}) is not finite`);
  }
  if (o.recordUnits !== null && !Array.isArray(o.recordUnits)) throw new ParameterError('recordUnits', 'expected an array of unit indices or null');
  if (o.readout) checkVector('readout', o.readout, n);
  const units = o.recordUnits ?? Array.from({ length: Math.min(n, 10) }, (_, i) => i);
  units.forEach((u, k) => checkInteger(`recordUnits[${k}]`, u, { min: 0, max: n - 1 }));
  checkAllocation('steps', (Math.floor((o.steps - 1) / o.recordEvery) + 1) * (units.length + 2), 8, `recording ${units.length} units over ${o.steps} steps`);
  checkWork('steps', o.steps * connectivityEntries(net.J), `${o.steps} steps of N = ${n} units`);

  const x = initialState(n, o);
  const r = new Float64Array(n);
  const drive = new Float64Array(n);
  const nRec = Math.floor((o.steps - 1) / o.recordEvery) + 1;
  const t = new Float64Array(nRec);
  const rates: Mat = { rows: nRec, cols: units.length, data: new Float64Array(nRec * units.length) };
  const z = o.readout ? new Float64Array(nRec) : null;
  const dt = net.options.dt;
  const nIn = net.B.cols;
  const wFb = net.wFb;
  const w = o.readout;

  for (let step = 0; step < o.steps; step++) {
    for (let i = 0; i < n; i++) r[i] = Math.tanh(x[i]);
    let zNow = 0;
    if (w) for (let i = 0; i < n; i++) zNow += w[i] * r[i];
    if (step % o.recordEvery === 0) {
      const row = step / o.recordEvery;
      t[row] = step * dt;
      for (let k = 0; k < units.length; k++) rates.data[row * units.length + k] = r[units[k]];
      if (z) z[row] = zNow;
    }
    const u = o.input && nIn > 0 ? o.input.data.subarray(step * nIn, (step + 1) * nIn) : null;
    if (!eulerStep(net, x, r, drive, wFb && w ? zNow : 0, u)) throw new DivergenceError('simulate', step, 'state x is no longer finite');
  }
  return { t, rates, recordUnits: units, z, x };
}

/**
 * One forward-Euler step of the rate network, in place (the only place the network's equation is integrated:
 * `simulate`, the closed-loop tasks and the clamped limit cycles all call it):
 *
 *     x <- x + (dt/tau) (-x + J r + w_fb * feedback + B u),   r = tanh(x)
 *
 * `rates` (length N) must already hold tanh(x) (callers need it for their readout); `drive` (length N) is scratch.
 * `feedback` is the scalar fed back through w_fb (ignored without feedback); `input` is u: one number for a
 * one-channel input, a vector of length nInputs, or null for u = 0. Returns false when the new state is not finite.
 */
export function eulerStep(
  net: RateNetwork,
  x: Float64Array,
  rates: Float64Array,
  drive: Float64Array,
  feedback: number,
  input: number | Float64Array | null,
): boolean {
  const n = net.n;
  // O(1) checks: this runs every step, but a wrong length would read stale memory or throw from deep inside.
  if (x.length !== n || rates.length !== n || drive.length !== n) {
    throw new ParameterError('eulerStep', `x, rates and drive must have length N = ${n}, got ${x.length}, ${rates.length}, ${drive.length}`);
  }
  if (input !== null && typeof input !== 'number' && input.length !== net.B.cols) throw new ParameterError('input', `expected nInputs = ${net.B.cols} entries, got ${input.length}`);
  if (typeof input === 'number' && input !== 0 && net.B.cols !== 1) throw new ParameterError('input', `a number is a one-channel input; this network has ${net.B.cols} input channels`);
  const a = net.options.dt / net.options.tau;
  applyConnectivity(net.J, rates, drive);
  const wFb = net.wFb;
  if (wFb && feedback !== 0) for (let i = 0; i < n; i++) drive[i] += wFb[i] * feedback;
  const nIn = net.B.cols;
  const B = net.B.data;
  if (typeof input === 'number') {
    if (input !== 0) for (let i = 0; i < n; i++) drive[i] += B[i * nIn] * input;
  } else if (input) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < nIn; c++) s += B[i * nIn + c] * input[c];
      drive[i] += s;
    }
  }
  let check = 0;
  for (let i = 0; i < n; i++) {
    x[i] += a * (drive[i] - x[i]);
    check += x[i];
  }
  return Number.isFinite(check);
}
