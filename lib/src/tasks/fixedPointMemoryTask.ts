/**
 * The fixed-point working-memory task of the sequential-interference study (papers/sequential-interference-2x2/README.md §4.1, §4.2), written in the
 * pattern coordinates κ = Uᵀx / N of the two patterns U = [m_A, m_B]. Both the mean-field 2-D model and the
 * finite networks use this description; a network maps κ-vectors to states through U.
 *
 * A trial of cue c ∈ {A, B} (index 0, 1) with sign +1:
 *  - the pulse sets the initial state to κ(0) = e_c, plus `leak` on the other coordinate (the symmetry-breaking
 *    leak ε of the mean-field model, papers/sequential-interference-2x2/README.md §3.1 (c); 0 for the finite networks);
 *  - optionally a sustained input `inputAmplitude` · e_c on the Euler steps k = 0 … inputSteps − 1, i.e. for
 *    t < T_in (the input-emphasis family of §4.2);
 *  - the cued output must hold 1 on the loss window steps k = windowStart … steps; the other output must hold 0
 *    ('constrained') or is free ('unconstrained').
 * With an odd φ, no bias and no noise the −1 trial mirrors the +1 trial, so one +1 trial per cue gives the exact
 * gradient (papers/sequential-interference-2x2/README.md §3.4).
 * Equations: (20), (22), (28) of papers/sequential-interference-2x2/README.md.
 */
import { checkChoice, checkNumber, withDefaults, checkAllocation } from '../numerics/validate.js';

export interface FixedPointTaskOptions {
  /** Euler step (papers/sequential-interference-2x2/README.md §3.3: 0.2). */
  dt: number;
  /** Trial length T (study: 20, i.e. 100 steps). */
  duration: number;
  /** Loss window starts at this time (study: t ≥ 5). */
  windowStart: number;
  /** 'constrained': the non-cued output is trained to 0; 'unconstrained': it is masked (papers/sequential-interference-2x2/README.md §3.4). */
  outputs: 'constrained' | 'unconstrained';
  /** Leak ε of the cue pulse into the other pattern (mean field, papers/sequential-interference-2x2/README.md §3.3: 0, 0.01, 0.1). */
  leak: number;
  /** Sustained input amplitude along the cued pattern (papers/sequential-interference-2x2/README.md §4.2: 0.5). */
  inputAmplitude: number;
  /** Sustained input length T_in (papers/sequential-interference-2x2/README.md §4.2: 0, 8.75, 12.5, 16.25, 20); 0 = pulse only. */
  inputDuration: number;
}

export const FIXED_POINT_TASK_DEFAULTS: FixedPointTaskOptions = {
  dt: 0.2,
  duration: 20,
  windowStart: 5,
  outputs: 'constrained',
  leak: 0,
  inputAmplitude: 0.5,
  inputDuration: 0,
};

/** One trial in pattern coordinates: what the pulse, input and target are at every Euler step. */
export interface FixedPointTrial {
  cue: 0 | 1;
  /** Number of Euler steps K; states are k = 0 … K. */
  steps: number;
  dt: number;
  /** κ(0) (length 2). */
  initial: Float64Array;
  /** Input in κ coordinates for the update k → k+1, K × 2 row-major. */
  input: Float64Array;
  /** Number of steps with a nonzero input (the input is on for k < inputSteps). */
  inputSteps: number;
  /** First state index of the loss window. */
  windowStart: number;
  /** Targets (length 2) and output mask (length 2: 1 = trained) inside the window. */
  target: Float64Array;
  outputMask: Float64Array;
}

export function validateFixedPointTask(options: Partial<FixedPointTaskOptions> = {}): FixedPointTaskOptions {
  const o = withDefaults('fixedPointTask', FIXED_POINT_TASK_DEFAULTS, options);
  checkNumber('fixedPointTask.dt', o.dt, { min: 0, exclusiveMin: true, max: 1 });
  checkNumber('fixedPointTask.duration', o.duration, { min: o.dt });
  checkNumber('fixedPointTask.windowStart', o.windowStart, { min: 0, max: o.duration });
  checkChoice('fixedPointTask.outputs', o.outputs, ['constrained', 'unconstrained']);
  checkNumber('fixedPointTask.leak', o.leak, { min: -1, max: 1 });
  checkNumber('fixedPointTask.inputAmplitude', o.inputAmplitude);
  checkNumber('fixedPointTask.inputDuration', o.inputDuration, { min: 0, max: o.duration });
  return o;
}

/** The +1 trial of cue `cue` (0 = A, 1 = B). */
export function fixedPointTrial(cue: 0 | 1, options: Partial<FixedPointTaskOptions> = {}): FixedPointTrial {
  const o = validateFixedPointTask(options);
  checkChoice('cue', String(cue), ['0', '1']);
  const steps = Math.round(o.duration / o.dt);
  checkAllocation('duration', 4 * steps, 8, `a trial of ${steps} Euler steps (duration ${o.duration} / dt ${o.dt})`);
  const other = 1 - cue;
  const initial = new Float64Array(2);
  initial[cue] = 1;
  initial[other] = o.leak;
  const inputSteps = Math.min(steps, Math.round(o.inputDuration / o.dt));
  const input = new Float64Array(steps * 2);
  for (let k = 0; k < inputSteps; k++) input[k * 2 + cue] = o.inputAmplitude;
  const target = new Float64Array(2);
  target[cue] = 1;
  const outputMask = new Float64Array(2);
  outputMask[cue] = 1;
  if (o.outputs === 'constrained') outputMask[other] = 1;
  return { cue, steps, dt: o.dt, initial, input, inputSteps, windowStart: Math.round(o.windowStart / o.dt), target, outputMask };
}

/** Input durations T_in of the input-emphasis family for fractions f_in of the loss window (papers/sequential-interference-2x2/README.md §4.2). */
export function inputDurationForFraction(fraction: number, options: Partial<FixedPointTaskOptions> = {}): number {
  const o = validateFixedPointTask(options);
  checkNumber('fraction', fraction, { min: 0, max: 1 });
  return fraction === 0 ? 0 : o.windowStart + fraction * (o.duration - o.windowStart);
}

/** The loss of papers/sequential-interference-2x2/README.md §3.4 of a κ trajectory ((K+1) × 2): ½ (1/|𝒯|) Σ_{k∈𝒯} Σ_o mask_o (κ_o,k − ẑ_o)². `cuedOnly` masks the other output. */
export function fixedPointLoss(trial: FixedPointTrial, kappa: Float64Array, cuedOnly = false): number {
  const count = trial.steps - trial.windowStart + 1;
  let sum = 0;
  for (let k = trial.windowStart; k <= trial.steps; k++) {
    for (let o = 0; o < 2; o++) {
      if (trial.outputMask[o] === 0 || (cuedOnly && o !== trial.cue)) continue;
      const e = kappa[k * 2 + o] - trial.target[o];
      sum += e * e;
    }
  }
  return (0.5 * sum) / count;
}
