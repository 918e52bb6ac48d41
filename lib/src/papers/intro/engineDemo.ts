import { ParameterError } from '../../numerics/validate.js';
import { median } from '../../numerics/statistics.js';
/**
 * Notebook 03 (the training engine taught step by step): scales, the gradient-check table over the model
 * variants, the agreement of the reference and fast kernels, the toy training run, and one run on two threads
 * (claims E1-E5 in claims.ts).
 */
import { Rng } from '../../numerics/rng.js';
import { bitTaskBatch } from '../../tasks/bitTasks.js';
import type { Batch } from '../../tasks/batch.js';
import { BpttWorkspace } from '../../dynamics/rnn/bptt.js';
import { gradientCheck, type GradientCheckRow } from '../../dynamics/rnn/gradientCheck.js';
import type { Kernels } from '../../numerics/kernels/types.js';
import { referenceKernels } from '../../numerics/kernels/reference.js';
import { cloneRnn, createRnn, type Rnn, type RnnConfig } from '../../dynamics/rnn/model.js';
import { evaluateRnn, trainRnn, type TrainStepInfo } from '../../dynamics/rnn/trainer.js';
import type { OptimizerOptions } from '../../dynamics/rnn/optimizers.js';
import type { EngineDemoScale, ThreadDemoScale } from './config.js';
import { DataParallelBptt } from '../../dynamics/rnn/dataParallel.js';
import { fastKernels } from '../../numerics/kernels/select.js';
import { wasmKernelsSync } from '../../numerics/kernels/wasm.js';
import { checkLike } from '../../numerics/validate.js';
import { THREAD_DEMO_SCALES } from './config.js';

const heads = (K: number): RnnConfig['readout'] => ({ kind: 'heads', heads: K, classes: 2, from: 'rate' });

/** The model variants of the gradient-check table: small networks, every trainable parameter. */
export const GRADIENT_CHECK_VARIANTS: { name: string; config: Partial<RnnConfig> }[] = [
  { name: 'timescales (leak inside LeakyReLU, 2 of 3 heads)', config: { size: 6, readout: heads(3) } },
  { name: 'timescales "mod" (leak outside)', config: { size: 6, update: 'leak-outside', readout: heads(2) } },
  {
    name: 'Euler rate network, φ = erf, linear readout of x',
    config: {
      size: 6, inputs: 2, update: 'leak-outside', activation: 'identity', rate: 'erf', dt: 0.2, tauClamp: null, tauInit: 1,
      recurrentInit: 'gaussian', gain: 1.5, selfConnections: true, inputBias: false, readoutInit: 'gaussian', readoutStd: 0.3,
      readout: { kind: 'linear', outputs: 2, from: 'state', lossFactor: 0.5, lossNormalization: 'steps' }, trainable: { tau: true },
    },
  },
  {
    name: 'low rank W = gJ + U M Uᵀ/N (only M trained), φ = tanh',
    config: {
      size: 8, inputs: 2, update: 'leak-outside', activation: 'identity', rate: 'tanh', dt: 0.2, tauClamp: null, tauInit: 1,
      recurrent: 'low-rank', rank: 2, recurrentInit: 'gaussian', gain: 0.9, selfConnections: true, inputBias: false,
      readoutInit: 'gaussian', readoutStd: 0.5,
      readout: { kind: 'linear', outputs: 2, from: 'state', lossFactor: 0.5, lossNormalization: 'steps' },
      trainable: { b: false, Win: false, tau: false, Wout: false, bOut: false },
    },
  },
];

/** A random batch that fits a model (float64 inputs), for checks. */
export function randomBatchFor(model: Rnn, steps: number, size: number, seed: number): Batch {
  const c = model.config;
  const rng = Rng.stream(seed, 'random-batch');
  const batch: Batch = { steps, size, inputs: rng.normalArray(steps * size * c.inputs), initialState: rng.normalArray(size * c.size, 0, 0.5) };
  if (c.readout.kind === 'linear') {
    const n = steps * size * c.readout.outputs;
    batch.targets = rng.normalArray(n);
    batch.mask = new Float64Array(n).map(() => (rng.uniform() < 0.7 ? 1 : 0));
  } else {
    const K = c.readout.heads;
    batch.labels = new Int32Array(K * size).map(() => rng.int(0, 2));
    batch.activeHeads = K > 1 ? [0, K - 1] : [0];
  }
  return batch;
}

/** One row of the gradient-check table: a parameter of one model variant. */
export type GradientCheckTableRow = GradientCheckRow & { variant: string };

export function gradientCheckTable(): GradientCheckTableRow[] {
  return GRADIENT_CHECK_VARIANTS.flatMap(({ name, config }) => {
    const model = createRnn(config, { seed: 3, dtype: 'float64' });
    if (model.params.M) {
      const g = Rng.stream(2, 'M');
      for (let i = 0; i < model.params.M.length; i++) model.params.M[i] = g.normal();
    }
    return gradientCheck(model, randomBatchFor(model, 6, 3, 11)).map((row) => ({ variant: name, ...row }));
  });
}

export interface KernelAgreement {
  parameter: string;
  /** max |fast − reference| / max |reference| over the parameter's gradient. */
  relativeDifference: number;
}

/** The gradients of one batch through a backend (the model copied to float32). */
const batchGradients = (model: Rnn, kernels: Kernels, batch: Batch) =>
  new BpttWorkspace(cloneRnn(model, 'float32'), kernels as Kernels<Float32Array>, batch.size, batch.steps).gradients(batch).grads;

/** Gradients of one float32 training batch with two kernel backends, compared parameter by parameter. */
export function kernelAgreement(model: Rnn, batch: Batch, fast: Kernels): KernelAgreement[] {
  const ref = batchGradients(model, referenceKernels('float32'), batch);
  const other = batchGradients(model, fast, batch);
  return Object.entries(ref).map(([name, g]) => ({ parameter: name, relativeDifference: relativeDifference(other[name as 'W']!, g!) }));
}

export interface EngineIdentity {
  /** The two backends compared: the WebAssembly kernels alone, and with their matrix products in the AVX2 addon. */
  backends: [string, string];
  /** Gradient entries (all parameters) that differ between the two (Object.is: −0 ≠ +0), of `entries`. */
  differing: number;
  entries: number;
}

/** Entries of two parameter maps with the same names and shapes that differ (Object.is), and how many were compared. */
function differingEntries(a: Partial<Record<string, ArrayLike<number>>>, b: Partial<Record<string, ArrayLike<number>>>): { differing: number; entries: number } {
  let differing = 0;
  let entries = 0;
  for (const [name, x] of Object.entries(a)) {
    const y = b[name]!;
    entries += x!.length;
    for (let i = 0; i < x!.length; i++) if (!Object.is(x![i], y[i])) differing++;
  }
  return { differing, entries };
}

/**
 * The float32 gradients of one batch with the WebAssembly kernels alone and with the AVX2 matrix products
 * (numerics/kernels/native.ts), compared entry by entry (claim E5). When the addon is not built the two backends are
 * the same one, which the claim reports as such.
 */
export function engineIdentity(model: Rnn, batch: Batch): EngineIdentity {
  const alone = wasmKernelsSync({ native: false });
  const withAddon = wasmKernelsSync({ native: true });
  return { backends: [alone.name, withAddon.name], ...differingEntries(batchGradients(model, alone, batch), batchGradients(model, withAddon, batch)) };
}

/** Eq. (35): max |a − b| / max |b| (the plain max |a − b| when b is all zeros). */
function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

export interface ParityDemoResult {
  model: Rnn;
  loss: Float64Array;
  /** Training-batch accuracy per step. */
  accuracy: Float64Array;
  testBefore: { loss: number; accuracy: number };
  testAfter: { loss: number; accuracy: number };
  tauBefore: Float64Array;
  tauAfter: Float64Array;
  msPerStep: number;
}

/** The toy run: a timescales RNN trained on N-parity with one head; test loss before and after. */
export function trainParityDemo(
  S: EngineDemoScale,
  kernels: Kernels,
  onStep?: (info: TrainStepInfo) => void,
  optimizer: Partial<OptimizerOptions> = { kind: 'adam', lr: 0.01 },
): ParityDemoResult {
  const model = createRnn({ size: S.hidden, readout: heads(1) }, { seed: 1, dtype: 'float32' });
  const task = { task: S.task.task, Ns: [S.task.N], batchSize: S.batch, hiddenSize: S.hidden };
  const testSet = Array.from({ length: 8 }, (_, i) => bitTaskBatch({ ...task, batchSize: 128 }, Rng.stream(1, `parity-test/${i}`)));
  const summary = (r: ReturnType<typeof evaluateRnn>) => ({ loss: r.loss, accuracy: r.headAccuracy![0] });
  const tauBefore = Float64Array.from(model.params.tau!, (t) => Math.max(t, 1));
  const testBefore = summary(evaluateRnn(model, testSet, kernels));
  const accuracy = new Float64Array(S.trainSteps);
  const t0 = performance.now();
  const result = trainRnn(model, {
    steps: S.trainSteps,
    seed: 1,
    kernels,
    optimizer,
    batch: (_, rng) => bitTaskBatch(task, rng),
    onStep: (info) => {
      accuracy[info.step] = info.headAccuracy![0];
      onStep?.(info);
    },
  });
  const msPerStep = (performance.now() - t0) / S.trainSteps;
  const testAfter = summary(evaluateRnn(model, testSet, kernels));
  const tauAfter = Float64Array.from(model.params.tau!, (t) => Math.max(t, 1));
  return { model, loss: Float64Array.from(result.loss), accuracy, testBefore, testAfter, tauBefore, tauAfter, msPerStep };
}

export interface TauChangeSummary {
  neurons: number;
  /** Neurons whose τ′ after training is at the clamp τ′ = 1 (τ ≤ 1, where ∂L/∂τ = 0). */
  atClamp: number;
  /** Neurons whose τ′ grew, and those whose τ′ fell but stayed above the clamp. */
  longer: number;
  shorterAboveClamp: number;
  /** Median of τ′_after − τ′_before (steps). */
  medianChange: number;
}

/** What training did to the time constants τ′ = max(τ, 1) (notebook 03, section 4): counts and the median change. */
export function tauChangeSummary(tauBefore: Float64Array, tauAfter: Float64Array): TauChangeSummary {
  if (tauBefore.length !== tauAfter.length || tauBefore.length === 0) {
    throw new ParameterError('tauAfter', `expected as many time constants as tauBefore (${tauBefore.length}, at least 1), got ${tauAfter.length}`);
  }
  const change = Float64Array.from(tauAfter, (t, i) => t - tauBefore[i]);
  return {
    neurons: tauAfter.length,
    atClamp: tauAfter.filter((t) => t <= 1).length,
    longer: change.filter((d) => d > 0).length,
    shorterAboveClamp: change.filter((d, i) => d < 0 && tauAfter[i] > 1).length,
    medianChange: median(change),
  };
}

export interface ThreadRun {
  label: string;
  chunks: number;
  threads: number;
  /** Wall time after each training step, from the start of the timed steps (ms); median time per step. */
  elapsedMs: Float64Array;
  msPerStep: number;
  model: Rnn;
}

export interface ThreadComparison {
  runs: ThreadRun[];
  /** The 2-chunk run on 2 threads has bitwise the parameters of the 2-chunk run on 1 thread. */
  sameBits: boolean;
  /** Largest |Δw| / max |w| between the 2-chunk and the whole-batch run's W after training (float32 rounding). */
  chunkedVsWhole: number;
  /** ms per step on 1 thread (whole batch) / on 2 threads (2 chunks). */
  speedup: number;
}

/**
 * The same training run three ways (notebook 03 §6): the whole batch on this thread; the batch in 2 chunks on this
 * thread; the 2 chunks on 2 threads (dynamics/rnn/dataParallel.ts). The timescales model, the curricula's optimiser
 * (SGD, Nesterov momentum 0.1, lr 0.05, clipping at 2) and the same batches of N-parity for all three; each engine
 * first trains 5 untimed warm-up steps (the same for all three), so that its worker thread is warm too.
 */
export function threadComparison(S: ThreadDemoScale): ThreadComparison {
  checkLike('S', S, THREAD_DEMO_SCALES.quick);
  const kernels = fastKernels({ maxFloats: 6 * (4 * S.N + 2) * S.batch * S.hidden + 16 * S.hidden * S.hidden + (1 << 22) });
  const start = createRnn({ size: S.hidden, readout: heads(S.heads) }, { seed: 1, dtype: 'float32' });
  const task = { task: 'parity' as const, Ns: [S.N], heads: [0], headCount: S.heads, batchSize: S.batch, hiddenSize: S.hidden };
  const maxSteps = 4 * S.N + 1;
  const optimizer = { kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true } as const;
  const train = (model: Rnn, steps: number, engine: DataParallelBptt | null, seed: number, onStep?: () => void) =>
    trainRnn(model, { steps, seed, kernels, engine, optimizer, clipNorm: 2, batch: (_, rng) => bitTaskBatch(task, rng), onStep });
  const one = (label: string, chunks: number, threads: number): ThreadRun => {
    const model = cloneRnn(start);
    const engine = chunks > 1 ? new DataParallelBptt(model as Rnn<Float32Array>, S.batch, { chunks, threads, maxSteps }) : null;
    try {
      train(model, 5, engine, 2);
      const elapsedMs = new Float64Array(S.trainSteps);
      let k = 0;
      const t0 = performance.now();
      train(model, S.trainSteps, engine, 1, () => void (elapsedMs[k++] = performance.now() - t0));
      const perStep = Array.from(elapsedMs, (t, i) => t - (i > 0 ? elapsedMs[i - 1] : 0));
      return { label, chunks, threads, elapsedMs, msPerStep: median(perStep), model };
    } finally {
      engine?.close();
    }
  };
  const whole = one('whole batch, 1 thread', 1, 1);
  const chunked = one('2 chunks, 1 thread', 2, 1);
  const threaded = one('2 chunks, 2 threads', 2, 2);
  const chunkedVsWhole = relativeDifference(chunked.model.params.W!, whole.model.params.W!);
  const sameBits = differingEntries(threaded.model.params, chunked.model.params).differing === 0;
  return { runs: [whole, chunked, threaded], sameBits, chunkedVsWhole, speedup: whole.msPerStep / threaded.msPerStep };
}
