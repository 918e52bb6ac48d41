/**
 * Candidate limit cycles by clamped sinusoidal feedback (README §5.5). Clamping z(t) = A sin(omega t)
 * (u = 0) drives the open loop; if it is entrained, its rates r_omega(t) over one period are the candidate cycle, and
 *
 *     q_cyc_hat(omega) = 1/2 < (w^T r_omega(t) - A sin(omega t))^2 >_period
 *
 * is zero iff the closed loop with readout w has a periodic orbit with that output. Entrainment is checked by
 * comparing the 3rd and 4th periods: max_t |r(t + T) - r(t)| / |r(t)| < 1e-3; otherwise q_cyc is undefined.
 * Equations: (20)–(22) of README.md.
 */
import { eulerStep, type RateNetwork } from '../../dynamics/rateNetwork.js';
import { connectivityEntries } from '../../dynamics/connectivity.js';
import type { Mat } from '../../numerics/matrix.js';
import { checkNumber, DivergenceError, ParameterError, withDefaults, checkAllocation, checkInteger, checkVector, checkWork } from '../../numerics/validate.js';

export interface ClampedCycleOptions {
  /** Periods integrated before the recorded one (the check compares the last of them with the recorded one). */
  settlePeriods: number;
  /** Amplitude A of the clamped sine. */
  amplitude: number;
  /** Entrainment tolerance on max_t |r(t + T) - r(t)| / |r(t)|. */
  entrainmentTolerance: number;
}

export const CLAMPED_CYCLE_DEFAULTS: ClampedCycleOptions = { settlePeriods: 3, amplitude: 1, entrainmentTolerance: 1e-3 };

export interface ClampedCycle {
  omega: number;
  amplitude: number;
  /** Phase times omega*t of the recorded samples (one period; t measured from the start of the clamp). */
  t: Float64Array;
  /** Rates over the recorded period, samples x N. */
  rates: Mat;
  /** max_t |r(t + T) - r(t)| / |r(t)| between the last settling period and the recorded one. */
  entrainmentError: number;
  entrained: boolean;
}

/**
 * Integrates the open loop with z clamped to A sin(omega t) from x0 (default 0) with the network's Euler step.
 * The period is rounded to a whole number of steps so that samples of consecutive periods line up.
 */
export function clampedCycle(net: RateNetwork, omega: number, x0: Float64Array | null = null, options: Partial<ClampedCycleOptions> = {}): ClampedCycle {
  const o = withDefaults('clampedCycle', CLAMPED_CYCLE_DEFAULTS, options);
  checkNumber('omega', omega, { min: 0, exclusiveMin: true, max: Math.PI / net.options.dt });
  checkInteger('settlePeriods', o.settlePeriods, { min: 1 });
  checkNumber('amplitude', o.amplitude);
  checkNumber('entrainmentTolerance', o.entrainmentTolerance, { min: 0, exclusiveMin: true });
  if (!net.wFb) throw new ParameterError('net', 'needs output feedback (createRateNetwork({ feedback: true }))');
  if (x0 !== null) checkVector('x0', x0, net.n);
  // One period of 2π/ω must fit in memory as samples × N (a tiny ω would ask for petabytes).
  checkAllocation('omega', 2 * Math.round((2 * Math.PI) / omega / net.options.dt) * net.n, 8, `a clamped period at ω = ${omega}`);
  const n = net.n;
  const dt = net.options.dt;
  const stepsPerPeriod = Math.round((2 * Math.PI) / omega / dt);
  checkWork('settlePeriods', (o.settlePeriods + 1) * stepsPerPeriod * connectivityEntries(net.J), `${o.settlePeriods + 1} periods of ${stepsPerPeriod} steps`);
  const w = (2 * Math.PI) / (stepsPerPeriod * dt); // the frequency actually clamped (whole steps per period)
  const x = x0 ? Float64Array.from(x0) : new Float64Array(n);
  const r = new Float64Array(n);
  const drive = new Float64Array(n);
  const previous: Mat = { rows: stepsPerPeriod, cols: n, data: new Float64Array(stepsPerPeriod * n) };
  const rates: Mat = { rows: stepsPerPeriod, cols: n, data: new Float64Array(stepsPerPeriod * n) };
  const total = (o.settlePeriods + 1) * stepsPerPeriod;
  for (let s = 0; s < total; s++) {
    for (let i = 0; i < n; i++) r[i] = Math.tanh(x[i]);
    const period = Math.floor(s / stepsPerPeriod);
    const phaseStep = s % stepsPerPeriod;
    if (period === o.settlePeriods - 1) previous.data.set(r, phaseStep * n);
    if (period === o.settlePeriods) rates.data.set(r, phaseStep * n);
    const z = o.amplitude * Math.sin(w * s * dt);
    if (!eulerStep(net, x, r, drive, z, null)) throw new DivergenceError('clampedCycle', s, `state not finite at omega = ${omega}`);
  }
  let err = 0;
  for (let p = 0; p < stepsPerPeriod; p++) {
    let d = 0;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const a = rates.data[p * n + i];
      d += (a - previous.data[p * n + i]) ** 2;
      m += a * a;
    }
    err = Math.max(err, Math.sqrt(d / Math.max(m, 1e-300)));
  }
  const t = Float64Array.from({ length: stepsPerPeriod }, (_, p) => (o.settlePeriods * stepsPerPeriod + p) * dt);
  return { omega: w, amplitude: o.amplitude, t, rates, entrainmentError: err, entrained: err < o.entrainmentTolerance };
}

/** The target over the recorded period: A sin(omega t). */
export function cycleTarget(cycle: ClampedCycle): Float64Array {
  return cycle.t.map((t) => cycle.amplitude * Math.sin(cycle.omega * t));
}

/** q_cyc_hat = 1/2 mean over the period of (w^T r(t) - A sin(omega t))^2; NaN if the clamp did not entrain. */
export function cycleMismatch(cycle: ClampedCycle, w: Float64Array): number {
  if (!cycle.entrained) return Number.NaN;
  const { rows, cols, data } = cycle.rates;
  if (w.length !== cols) throw new ParameterError('w', `length ${w.length}, expected ${cols}`);
  const target = cycleTarget(cycle);
  let s = 0;
  for (let p = 0; p < rows; p++) {
    let z = 0;
    for (let i = 0; i < cols; i++) z += w[i] * data[p * cols + i];
    s += (z - target[p]) ** 2;
  }
  return (0.5 * s) / rows;
}
