/**
 * What a sweep will cost, printed by --dry-run before anything is submitted: each point's multiply–adds (the job's own
 * estimate, from above) turned into CPU hours with a rate measured here and now, by timing training steps of the
 * timescales RNN at the point's own size and batch. A cluster node's core is faster or slower: scale by its speed.
 */
import { createRnn } from '../dynamics/rnn/model.js';
import { BpttWorkspace } from '../dynamics/rnn/bptt.js';
import { clipGradientNorm, createOptimizer } from '../dynamics/rnn/optimizers.js';
import { bitTaskBatch } from '../tasks/bitTasks.js';
import { Rng } from '../numerics/rng.js';
import { fastKernels } from '../numerics/kernels/select.js';
import type { Kernels } from '../numerics/kernels/types.js';
import { checkInteger } from '../numerics/validate.js';
import type { Sweep } from './sweepFile.js';
import { GATE_COUNT, type GatedCellKind } from '../dynamics/gated/gatedCell.js';
import { createGatedNetwork, createGatedOptimizer, trainGated, type GatedPrecision } from '../dynamics/gated/gatedNetwork.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Runs `step` until the JIT has settled: at least once, then again until 1 s has passed (at most 200 times). One
 * warm-up step left small shapes 2.5–16× slower than warm (n = 64–128), which made sweep cost estimates too high.
 */
function warmUp(step: () => void): void {
  const t0 = performance.now();
  for (let i = 0; i < 1 || (i < 200 && performance.now() - t0 < 1000); i++) step();
}

/**
 * Seconds of one full training step (forward, BPTT, clipping at 2, SGD with Nesterov momentum) of the timescales RNN
 * (size × size, one head) on a batch of `batchSize` sequences of `steps` bits: the median of `repeats` after a
 * warm-up (warmUp). `npm run bench` uses the same function.
 */
export function timeTrainingStep(size: number, batchSize: number, steps: number, repeats: number, kernels: Kernels<Float32Array> = fastKernels({ maxFloats: 48 * 1024 * 1024 })): number {
  checkInteger('size', size, { min: 2, max: 4096 });
  checkInteger('batchSize', batchSize, { min: 1, max: 4096 });
  checkInteger('steps', steps, { min: 1, max: 10_000 });
  checkInteger('repeats', repeats, { min: 1, max: 1000 });
  const model = createRnn({ size, readout: { kind: 'heads', heads: 1, classes: 2, from: 'rate' } }, { seed: 1, dtype: 'float32' });
  const batch = bitTaskBatch({ task: 'parity', Ns: [2], batchSize, hiddenSize: size, steps }, Rng.stream(1, 'bench'));
  const ws = new BpttWorkspace(model, kernels, batchSize, steps);
  const opt = createOptimizer({ kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true });
  const step = () => {
    const { grads } = ws.gradients(batch);
    clipGradientNorm(grads, 2);
    opt.step(model, grads);
  };
  warmUp(step);
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    step();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

export interface SweepCost {
  /** Multiply–adds a second measured on this machine (one thread), and the shape it was measured at. */
  rate: number;
  shape: { size: number; batchSize: number; steps: number; cell?: GatedCellKind };
  points: { index: number; label: string; multiplyAdds: number; cpuHours: number }[];
  totalCpuHours: number;
  maxCpuHours: number;
}

/** Seconds of one training step of a gated network (heads on h_T, Adam, clipping) in `precision`, median of `repeats`. */
export function timeGatedStep(kind: GatedCellKind, hiddenSize: number, batchSize: number, steps: number, repeats: number, precision: GatedPrecision = 'float32'): number {
  const net = createGatedNetwork({ kind, hiddenSize, heads: 1, seed: 1 });
  const batch = bitTaskBatch({ task: 'parity', Ns: [2], batchSize, hiddenSize: 1, steps, dtype: 'float64', rate: 0.5, encoding: 'signed' }, Rng.stream(1, 'bench'));
  const optimizer = createGatedOptimizer(net);
  warmUp(() => trainGated(net, { steps: 1, batch: () => batch, continueWith: optimizer, precision }));
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    trainGated(net, { steps: 1, batch: () => batch, continueWith: optimizer, precision });
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** Measures the rate at the largest point's size and batch (50 time steps, the job's own engine) and prices every point with it. */
export function estimateSweepCost(sweep: Sweep): SweepCost {
  const shapes = sweep.points.map((p) => {
    const { size, batchSize, cell } = sweep.kind.stepShape(p.options);
    return { size, batchSize, cell };
  });
  const shape = { ...shapes.reduce((a, b) => (b.size * b.size * b.batchSize > a.size * a.size * a.batchSize ? b : a)), steps: 50 };
  let rate: number;
  if (shape.cell) {
    const G = GATE_COUNT[shape.cell];
    rate = (3 * G * shape.size * (shape.size + 1) * shape.batchSize * shape.steps) / timeGatedStep(shape.cell, shape.size, shape.batchSize, shape.steps, 3);
  } else {
    rate = (3 * shape.batchSize * shape.steps * shape.size * shape.size) / timeTrainingStep(shape.size, shape.batchSize, shape.steps, 3);
  }
  const points = sweep.points.map((p) => {
    const multiplyAdds = sweep.kind.multiplyAdds(p.options);
    return { index: p.index, label: p.label, multiplyAdds, cpuHours: multiplyAdds / rate / 3600 };
  });
  return { rate, shape, points, totalCpuHours: points.reduce((s, p) => s + p.cpuHours, 0), maxCpuHours: Math.max(...points.map((p) => p.cpuHours)) };
}
