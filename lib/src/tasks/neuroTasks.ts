/**
 * Three neuroscience tasks for sequential training (papers/sequential-interference-2x2/README.md §4.3, after the NeurIPS 2020 code;
 * paraphrased, with our choices marked [reconstruction]). Times are in units of the neuronal time constant τ = 1.
 *
 *  - 'flipflop': 2 channels; ±1 pulses of length 1 on a random channel at intervals U(3, 10); each output holds the sign
 *    of its channel's last pulse, the new value applying 2 after the pulse (the 2 in between are not scored); before a
 *    channel's first pulse its target is 0 [reconstruction]. t_max = 25.
 *  - 'romo' (parametric working memory): 1 channel; two pulses of length 1 with amplitudes f₁, f₂ ~ U(0.5, 1.5),
 *    |f₁ − f₂| ≥ 0.2, the first at t = 1, an inter-pulse delay U(2, 12); after a decision delay of 4 the output must
 *    hold sign(f₁ − f₂) for 8; only the decision period is scored [reconstruction].
 *  - 'mante' (context-dependent integration): 2 context inputs (one-hot, on for the whole trial) and 2 sensory inputs
 *    with coherences c ∈ ±{1, 2, 4, 8}/8 plus white noise of std 0.05/√dt during the stimulus; fixation 3, stimulus 20,
 *    delay 5, decision 20; the output must hold sign(c) of the cued modality during the decision period.
 *
 * A batch places its task on a slice of the network's input and output channels (`layout`), so that two tasks can
 * share one network on disjoint channels. Shapes are the engine's: inputs T × B × I, targets and mask T × B × O.
 */
import type { Batch } from './batch.js';
import type { Rng } from '../numerics/rng.js';
import { checkChoice, checkInteger, checkNumber, ParameterError, checkAllocation } from '../numerics/validate.js';

export type NeuroTask = 'flipflop' | 'romo' | 'mante';
export const NEURO_TASKS: readonly NeuroTask[] = ['flipflop', 'romo', 'mante'];

/** Input and output channels a task uses. */
export const NEURO_TASK_CHANNELS: Record<NeuroTask, { inputs: number; outputs: number }> = {
  flipflop: { inputs: 2, outputs: 2 },
  romo: { inputs: 1, outputs: 1 },
  mante: { inputs: 4, outputs: 1 },
};

export interface ChannelLayout {
  /** Total input and output channels of the network. */
  inputs: number;
  outputs: number;
  /** First input and output channel of this task. */
  inputOffset: number;
  outputOffset: number;
}

/** One trial in the task's own channels: inputs steps × I, targets and mask steps × O. */
interface Trial {
  steps: number;
  inputs: Float64Array;
  targets: Float64Array;
  mask: Float64Array;
}

const FLIPFLOP = { tMax: 25, pulse: 1, intervalMin: 3, intervalMax: 10, delay: 2 };
const ROMO = { start: 1, pulse: 1, fMin: 0.5, fMax: 1.5, minDifference: 0.2, gapMin: 2, gapMax: 12, decisionDelay: 4, decision: 8 };
const MANTE = { fixation: 3, stimulus: 20, delay: 5, decision: 20, noise: 0.05, coherences: [1, 2, 4, 8].map((c) => c / 8) };

function flipflopTrial(dt: number, rng: Rng): Trial {
  const steps = Math.round(FLIPFLOP.tMax / dt);
  const inputs = new Float64Array(steps * 2);
  const targets = new Float64Array(steps * 2);
  const mask = new Float64Array(steps * 2).fill(1);
  const pulseSteps = Math.round(FLIPFLOP.pulse / dt);
  const delaySteps = Math.round(FLIPFLOP.delay / dt);
  let t = Math.round(rng.uniform(0, FLIPFLOP.intervalMax) / dt);
  const held = [0, 0];
  const events: { at: number; channel: number; sign: number }[] = [];
  while (t < steps) {
    const channel = rng.int(0, 2);
    const sign = rng.bernoulli(0.5) ? 1 : -1;
    events.push({ at: t, channel, sign });
    for (let k = t; k < Math.min(steps, t + pulseSteps); k++) inputs[k * 2 + channel] = sign;
    t += Math.round(rng.uniform(FLIPFLOP.intervalMin, FLIPFLOP.intervalMax) / dt);
  }
  let next = 0;
  for (let k = 0; k < steps; k++) {
    while (next < events.length && events[next].at + delaySteps <= k) {
      held[events[next].channel] = events[next].sign;
      next++;
    }
    for (let c = 0; c < 2; c++) targets[k * 2 + c] = held[c];
  }
  // The transition after each pulse is not scored on the pulsed channel.
  for (const e of events) for (let k = e.at; k < Math.min(steps, e.at + delaySteps); k++) mask[k * 2 + e.channel] = 0;
  return { steps, inputs, targets, mask };
}

function romoTrial(dt: number, rng: Rng): Trial {
  let f1 = 0;
  let f2 = 0;
  do {
    f1 = rng.uniform(ROMO.fMin, ROMO.fMax);
    f2 = rng.uniform(ROMO.fMin, ROMO.fMax);
  } while (Math.abs(f1 - f2) < ROMO.minDifference);
  const gap = rng.uniform(ROMO.gapMin, ROMO.gapMax);
  const s1 = Math.round(ROMO.start / dt);
  const p = Math.round(ROMO.pulse / dt);
  const s2 = s1 + p + Math.round(gap / dt);
  const d0 = s2 + p + Math.round(ROMO.decisionDelay / dt);
  const steps = d0 + Math.round(ROMO.decision / dt);
  const inputs = new Float64Array(steps);
  const targets = new Float64Array(steps);
  const mask = new Float64Array(steps);
  for (let k = s1; k < s1 + p; k++) inputs[k] = f1;
  for (let k = s2; k < s2 + p; k++) inputs[k] = f2;
  for (let k = d0; k < steps; k++) {
    targets[k] = Math.sign(f1 - f2);
    mask[k] = 1;
  }
  return { steps, inputs, targets, mask };
}

function manteTrial(dt: number, rng: Rng): Trial {
  const f = Math.round(MANTE.fixation / dt);
  const s = Math.round(MANTE.stimulus / dt);
  const d = Math.round(MANTE.delay / dt);
  const steps = f + s + d + Math.round(MANTE.decision / dt);
  const context = rng.int(0, 2);
  const coherence = [0, 1].map(() => (rng.bernoulli(0.5) ? 1 : -1) * rng.choice(MANTE.coherences));
  const noise = MANTE.noise / Math.sqrt(dt);
  const inputs = new Float64Array(steps * 4);
  const targets = new Float64Array(steps);
  const mask = new Float64Array(steps);
  for (let k = 0; k < steps; k++) {
    inputs[k * 4 + context] = 1;
    if (k >= f && k < f + s) for (let m = 0; m < 2; m++) inputs[k * 4 + 2 + m] = coherence[m] + noise * rng.normal();
    if (k >= f + s + d) {
      targets[k] = Math.sign(coherence[context]);
      mask[k] = 1;
    }
  }
  return { steps, inputs, targets, mask };
}

/** A batch of `size` trials of `task` on the channels of `layout` (shorter trials padded with unscored steps). */
export function neuroTaskBatch(task: NeuroTask, size: number, layout: ChannelLayout, rng: Rng, dt = 0.2, hiddenSize = 0): Batch {
  checkChoice('task', task, NEURO_TASKS);
  checkInteger('size', size, { min: 1 });
  checkNumber('dt', dt, { min: 0, exclusiveMin: true, max: 1 });
  checkInteger('hiddenSize', hiddenSize, { min: 0 });
  if (!layout || typeof layout !== 'object') throw new ParameterError('layout', 'expected a channel layout { inputs, outputs, inputOffset, outputOffset }');
  for (const k of ['inputs', 'outputs', 'inputOffset', 'outputOffset'] as const) checkInteger(`layout.${k}`, layout[k], { min: 0 });
  // A trial lasts at most a few hundred time units (Romo ~ 6 τ … Mante ~ 2 s at dt = 0.2): bound the batch before drawing it.
  checkAllocation('size', size * Math.ceil(200 / dt) * (layout.inputs + 2 * layout.outputs), 4, `a batch of ${size} trials at dt = ${dt}`);
  const { inputs: I, outputs: O } = NEURO_TASK_CHANNELS[task];
  if (layout.inputOffset + I > layout.inputs || layout.outputOffset + O > layout.outputs) {
    throw new ParameterError('layout', `task '${task}' needs ${I} inputs and ${O} outputs from offsets ${layout.inputOffset}, ${layout.outputOffset}`);
  }
  const make = task === 'flipflop' ? flipflopTrial : task === 'romo' ? romoTrial : manteTrial;
  const trials = Array.from({ length: size }, () => make(dt, rng));
  const T = Math.max(...trials.map((t) => t.steps));
  const inputs = new Float64Array(T * size * layout.inputs);
  const targets = new Float64Array(T * size * layout.outputs);
  const mask = new Float64Array(T * size * layout.outputs);
  trials.forEach((trial, b) => {
    for (let k = 0; k < trial.steps; k++) {
      for (let i = 0; i < I; i++) inputs[(k * size + b) * layout.inputs + layout.inputOffset + i] = trial.inputs[k * I + i];
      for (let o = 0; o < O; o++) {
        targets[(k * size + b) * layout.outputs + layout.outputOffset + o] = trial.targets[k * O + o];
        mask[(k * size + b) * layout.outputs + layout.outputOffset + o] = trial.mask[k * O + o];
      }
    }
  });
  return { steps: T, size, inputs, initialState: new Float64Array(size * hiddenSize), targets, mask };
}
