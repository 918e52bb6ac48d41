/**
 * The training loop: draw a batch, compute exact gradients, clip, step the optimiser; report progress through a
 * callback; stop with a clear error when the run diverges. Plus evaluation and JSON save/load of weights.
 */
import { Rng, type Seed } from '../../numerics/rng.js';
import { readTextFile, writeFileAtomic, toJson, fromJson } from '../../io/atomic.js';
import { DivergenceError, ParameterError, checkAllocation, checkInteger, checkWork, checkNumber, withDefaults, checkCallback } from '../../numerics/validate.js';
import type { Batch } from '../../tasks/batch.js';
import { BpttWorkspace, type ForwardResult, type GradientResult } from './bptt.js';
import type { FloatArray, Kernels } from '../../numerics/kernels/types.js';
import { referenceKernels } from '../../numerics/kernels/reference.js';
import { checkRnnParameters, parameterSpecs, validateRnnConfig, type Rnn, type RnnConfig } from './model.js';
import { clipGradientNorm, createOptimizer, gradientNorm, type Optimizer, type OptimizerOptions } from './optimizers.js';

export interface TrainStepInfo {
  step: number;
  loss: number;
  /** Gradient norm before clipping. */
  gradNorm: number;
  headAccuracy?: number[];
}

export interface TrainOptions {
  steps: number;
  /** Draws the batch of training step `step` from `rng` (a per-run stream; same seed, same batches). */
  batch: (step: number, rng: Rng) => Batch;
  optimizer: Partial<OptimizerOptions>;
  /** Global-norm clipping threshold (timescales study: 2); null: no clipping. */
  clipNorm: number | null;
  seed: Seed;
  /** Kernel backend; default: the float32/float64 reference matching the model. */
  kernels: Kernels | null;
  /** Called after every step (keep it cheap); return true to stop early. */
  onStep: ((info: TrainStepInfo) => boolean | void) | null;
  /** An optimiser to continue with (momentum buffers persist across calls, e.g. curriculum stages). */
  continueWith: Optimizer | null;
  /**
   * What computes each batch's loss and gradients; null: the kernels' shared BpttWorkspace (workspaceFor). A
   * DataParallelBptt of this model splits every batch over threads (its `chunks` fix the result, dataParallel.ts).
   */
  engine: GradientEngine | null;
}

/** A gradient engine for trainRnn: BpttWorkspace and DataParallelBptt are two. */
export interface GradientEngine {
  readonly model: Rnn;
  gradients(batch: Batch, noise?: Rng): GradientResult;
}

export const TRAIN_DEFAULTS: TrainOptions = {
  steps: 100,
  batch: () => {
    throw new ParameterError('train.batch', 'a batch generator is required');
  },
  optimizer: {},
  clipNorm: 2,
  seed: 0,
  kernels: null,
  onStep: null,
  continueWith: null,
  engine: null,
};

export interface TrainResult {
  /** Loss at every step. */
  loss: Float64Array;
  gradNorm: Float64Array;
  stepsDone: number;
  optimizer: Optimizer;
}

/**
 * Workspaces by kernel backend, model configuration and batch size. The WebAssembly arena never frees, so the
 * analyses that evaluate every snapshot of a run (many models, one architecture) must share buffers: a workspace
 * reads its model's parameters at every pass, so pointing it at another model of the same configuration is exact.
 */
const workspaces = new WeakMap<Kernels, Map<string, BpttWorkspace>>();
const configKeys = new WeakMap<Rnn['config'], string>();
export function workspaceFor(model: Rnn, kernels: Kernels, batchSize: number, steps: number): BpttWorkspace {
  // The batch's shape is checked before the workspace allocates [T × B × N] histories for it.
  checkInteger('batch.size', batchSize, { min: 1 });
  checkInteger('batch.steps', steps, { min: 1 });
  checkAllocation('batch.steps', (steps + 1) * batchSize * model.config.size * 4, model.dtype === 'float32' ? 4 : 8, `BPTT histories for ${batchSize} sequences of ${steps} steps at N = ${model.config.size}`);
  let byKey = workspaces.get(kernels);
  if (!byKey) workspaces.set(kernels, (byKey = new Map()));
  let configKey = configKeys.get(model.config);
  if (configKey === undefined) configKeys.set(model.config, (configKey = JSON.stringify(model.config)));
  const key = `${model.dtype}/${batchSize}/${configKey}`;
  let ws = byKey.get(key);
  if (!ws) byKey.set(key, (ws = new BpttWorkspace(model, kernels as Kernels<FloatArray>, batchSize, steps)));
  else ws.useModel(model);
  return ws;
}

export function defaultKernels(model: Rnn): Kernels {
  return referenceKernels(model.dtype);
}

/**
 * After an optimiser step: a parameter that became non-finite, or a τ that left its allowed range, is the run
 * diverging, and is reported as such (training step, parameter, entry, value) rather than as a bad argument.
 */
function checkUpdate(model: Rnn, step: number, lossBefore: number): void {
  try {
    checkRnnParameters(model);
  } catch (e) {
    if (!(e instanceof ParameterError)) throw e;
    throw new DivergenceError('training', step, `after the optimiser step, ${e.message} (loss before the step ${lossBefore}); lower the learning rate or enable clipping (train.clipNorm)`);
  }
}

export function trainRnn(model: Rnn, options: Partial<TrainOptions>): TrainResult {
  const o = withDefaults('train', TRAIN_DEFAULTS, options);
  checkInteger('train.steps', o.steps, { min: 0 });
  checkAllocation('train.steps', 2 * o.steps, 8, `the loss and gradient-norm records of ${o.steps} steps`);
  if (o.clipNorm !== null) checkNumber('train.clipNorm', o.clipNorm, { min: 0, exclusiveMin: true });
  if (typeof o.batch !== 'function') throw new ParameterError('train.batch', 'must be a function (step, rng) => Batch');
  checkCallback('train.onStep', o.onStep);
  if (!model || !Array.isArray(model.specs)) throw new ParameterError('model', 'expected a model from createRnn or loadRnn');
  if (o.continueWith !== null && (typeof o.continueWith !== 'object' || typeof (o.continueWith as { step?: unknown }).step !== 'function')) {
    throw new ParameterError('train.continueWith', 'expected an optimiser from createOptimizer or a previous run, or null');
  }
  if (o.engine !== null) {
    if (typeof o.engine !== 'object' || typeof (o.engine as { gradients?: unknown }).gradients !== 'function') throw new ParameterError('train.engine', 'expected a gradient engine (a BpttWorkspace or DataParallelBptt), or null');
    if (o.engine.model !== model) throw new ParameterError('train.engine', 'was built for another model; build it for the model being trained');
  }
  checkRnnParameters(model);
  // A lower estimate: one sample, one time step per training step.
  checkWork('train.steps', o.steps * model.config.size * model.config.size, `${o.steps} training steps of a network of ${model.config.size} units`);
  const kernels = o.kernels ?? defaultKernels(model);
  const optimizer = o.continueWith ?? createOptimizer(o.optimizer);
  const batchRng = Rng.stream(o.seed, 'train/batches');
  const noiseRng = Rng.stream(o.seed, 'train/noise');
  const loss = new Float64Array(o.steps);
  const gradNorm = new Float64Array(o.steps);
  let stepsDone = 0;
  for (let step = 0; step < o.steps; step++) {
    const batch = o.batch(step, batchRng);
    if (!batch || typeof batch !== 'object') throw new ParameterError('train.batch', `returned ${batch === null ? 'null' : typeof batch} at step ${step}, not a Batch`);
    const ws = o.engine ?? workspaceFor(model, kernels, batch.size, batch.steps);
    let result;
    try {
      result = ws.gradients(batch, model.config.noiseStd > 0 ? noiseRng : undefined);
    } catch (e) {
      if (e instanceof DivergenceError) {
        // Training steps and the time steps inside a sequence are kept apart; the advice depends on when it happened.
        const advice =
          step === 0
            ? 'the untrained network already diverges: lower its gain (rnn.gain) or dt, or check the inputs'
            : `loss at the previous step ${loss[step - 1]}; lower the learning rate or enable clipping (train.clipNorm)`;
        throw new DivergenceError('training', step, `${e.where} at time step ${e.step} of the sequence: ${e.detail}; ${advice}`);
      }
      throw e;
    }
    gradNorm[step] = o.clipNorm === null ? gradientNorm(result.grads) : clipGradientNorm(result.grads, o.clipNorm);
    if (!Number.isFinite(gradNorm[step])) {
      throw new DivergenceError('training', step, `the gradient norm is ${gradNorm[step]}; lower the learning rate or enable clipping (train.clipNorm)`);
    }
    optimizer.step(model, result.grads);
    checkUpdate(model, step, result.loss);
    loss[step] = result.loss;
    stepsDone = step + 1;
    const stop = o.onStep?.({ step, loss: result.loss, gradNorm: gradNorm[step], headAccuracy: result.headAccuracy });
    if (stop === true) break;
  }
  return { loss: loss.subarray(0, stepsDone), gradNorm: gradNorm.subarray(0, stepsDone), stepsDone, optimizer };
}

/** Mean loss and (heads) mean accuracy per active head over `batches`, without changing the model. */
export function evaluateRnn(model: Rnn, batches: Batch[], kernels: Kernels = defaultKernels(model), noiseSeed: Seed = 0): ForwardResult {
  if (!Array.isArray(batches)) throw new ParameterError('batches', 'expected an array of batches');
  if (batches.length === 0) throw new ParameterError('batches', 'at least one batch');
  const noise = Rng.stream(noiseSeed, 'evaluate/noise');
  let loss = 0;
  let acc: number[] | undefined;
  for (const batch of batches) {
    const r = workspaceFor(model, kernels, batch.size, batch.steps).forward(batch, model.config.noiseStd > 0 ? noise : undefined);
    loss += r.loss / batches.length;
    if (r.headAccuracy) {
      acc ??= r.headAccuracy.map(() => 0);
      r.headAccuracy.forEach((a, i) => (acc![i] += a / batches.length));
    }
  }
  return { loss, headAccuracy: acc };
}

interface SavedRnn {
  format: 'rnnlab-rnn/1';
  config: RnnConfig;
  dtype: Rnn['dtype'];
  params: Rnn['params'];
  fixed: Rnn['fixed'];
}

/** The model as JSON (configuration, parameters, fixed arrays; typed arrays kept exactly). */
export function rnnToJson(model: Rnn): string {
  const saved: SavedRnn = { format: 'rnnlab-rnn/1', config: model.config, dtype: model.dtype, params: model.params, fixed: model.fixed };
  return toJson(saved);
}

export function rnnFromJson(text: string): Rnn {
  const saved = fromJson<SavedRnn>(text);
  if (saved.format !== 'rnnlab-rnn/1') throw new ParameterError('format', `expected 'rnnlab-rnn/1', got ${String(saved.format)}`);
  const config = validateRnnConfig(saved.config);
  const model: Rnn = { config, dtype: saved.dtype, params: saved.params, specs: parameterSpecs(config), fixed: saved.fixed };
  checkRnnParameters(model);
  return model;
}

/** Saves atomically (a crash mid-write leaves the old file). */
export function saveRnn(model: Rnn, path: string): void {
  writeFileAtomic(path, rnnToJson(model));
}

/** Loads a model saved by saveRnn; any failure (missing file, bad JSON, wrong format, bad parameters) names the path. */
export function loadRnn(path: string): Rnn {
  const text = readTextFile(path);
  try {
    return rnnFromJson(text);
  } catch (err) {
    throw new ParameterError('path', `${path} is not a saved model (${(err as Error).message})`);
  }
}
