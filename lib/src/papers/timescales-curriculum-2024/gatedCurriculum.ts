/**
 * The curricula for gated networks (claim T15, README §4.2 "LSTM"): the single-head and multi-head curricula of the
 * leaky RNN (the same stages, heads and advance rule: `firstStage`, `nextStage`, `headFor`, `stageSolved`) run on an
 * LSTM or a GRU with the study's LSTM set-up: Adam lr 1e-3 (PyTorch's β, ε), global-norm clipping at 2, ±1 inputs with
 * p = 0.5, heads read from h_T. The GRU's set-up is not public: it is the LSTM's. The scale is ours (defaults below, far
 * smaller than the original 500 units, batch 64, 300 steps per epoch, 100 epochs). Checkpoints and resume as for the
 * leaky RNN: an interrupted run continues with the same bits.
 *
 * A unit's timescale, from its gate (README §4.2 for the LSTM): the memory a gate keeps per step is a retention r,
 * and a leaky unit x ← (1 − 1/τ)x + (1/τ)·input keeps 1 − 1/τ, so τ = 1/(1 − r):
 *   LSTM  c_t = f ⊙ c_{t−1} + i ⊙ g:            r = mean f,  τ = 1/(1 − mean f);
 *   GRU   h_t = z ⊙ h_{t−1} + (1 − z) ⊙ n:      r = mean z,  τ = 1/(1 − mean z),
 * the mean over time steps and sequences of a test batch at the stage's N. The GRU's update gate plays the LSTM forget
 * gate's part: it is the fraction of the previous state carried over unchanged.
 */
import { Rng, type RngState } from '../../numerics/rng.js';
import { checkChoice, checkInteger, checkNumber, ParameterError, withDefaults } from '../../numerics/validate.js';
import { bitTaskBatch } from '../../tasks/bitTasks.js';
import type { Batch } from '../../tasks/batch.js';
import { GATE_COUNT, type GatedCellKind } from '../../dynamics/gated/gatedCell.js';
import { createGatedNetwork, createGatedOptimizer, gateActivations, gatedHeadsLoss, trainGated, GATED_PRECISIONS, type GatedNetwork, type GatedPrecision } from '../../dynamics/gated/gatedNetwork.js';
import type { OptimizerState } from '../../dynamics/rnn/optimizers.js';
import { firstStage, headFor, longestSequence, runCurriculumEpochs } from './curriculum.js';

export interface GatedCurriculumOptions {
  cell: GatedCellKind;
  curriculum: 'single' | 'multi';
  task: 'parity' | 'dms';
  hiddenSize: number;
  /** Heads allocated: multi-head can reach N = heads + 1. */
  heads: number;
  batchSize: number;
  stepsPerEpoch: number;
  /** Test batches (of batchSize sequences) after each epoch. */
  testBatches: number;
  maxSteps: number;
  targetN: number;
  threshold: number;
  /** Adam's learning rate (the study: 1e-3). */
  lr: number;
  clipNorm: number;
  startN: number;
  seed: number;
  /** Arithmetic of the recurrent pass: 'float32' (WebAssembly SIMD, the default) or 'float64' (the definition). */
  precision: GatedPrecision;
}

export const GATED_CURRICULUM_DEFAULTS: GatedCurriculumOptions = {
  cell: 'lstm', curriculum: 'multi', task: 'parity', hiddenSize: 64, heads: 40, batchSize: 64, stepsPerEpoch: 50, testBatches: 8,
  maxSteps: 20_000, targetN: 20, threshold: 0.98, lr: 1e-3, clipNorm: 2, startN: 2, seed: 1, precision: 'float32',
};

export function validateGatedCurriculum(options: Partial<GatedCurriculumOptions>): GatedCurriculumOptions {
  const o = withDefaults('gatedCurriculum', GATED_CURRICULUM_DEFAULTS, options);
  checkChoice('gatedCurriculum.cell', o.cell, ['lstm', 'gru']);
  checkChoice('gatedCurriculum.curriculum', o.curriculum, ['single', 'multi']);
  checkChoice('gatedCurriculum.task', o.task, ['parity', 'dms']);
  checkInteger('gatedCurriculum.hiddenSize', o.hiddenSize, { min: 1, max: 4096 });
  checkInteger('gatedCurriculum.heads', o.heads, { min: 1, max: 1000 });
  checkInteger('gatedCurriculum.batchSize', o.batchSize, { min: 1, max: 4096 });
  checkInteger('gatedCurriculum.stepsPerEpoch', o.stepsPerEpoch, { min: 1 });
  checkInteger('gatedCurriculum.testBatches', o.testBatches, { min: 1 });
  checkInteger('gatedCurriculum.maxSteps', o.maxSteps, { min: 1 });
  checkInteger('gatedCurriculum.targetN', o.targetN, { min: 2, max: o.curriculum === 'multi' ? o.heads + 1 : 10_000 });
  checkNumber('gatedCurriculum.threshold', o.threshold, { min: 0.5, max: 1, exclusiveMax: true });
  checkNumber('gatedCurriculum.lr', o.lr, { min: 0, exclusiveMin: true });
  checkNumber('gatedCurriculum.clipNorm', o.clipNorm, { min: 0, exclusiveMin: true });
  checkInteger('gatedCurriculum.startN', o.startN, { min: 2, max: o.targetN });
  checkInteger('gatedCurriculum.seed', o.seed);
  checkChoice('gatedCurriculum.precision', o.precision, GATED_PRECISIONS);
  return o;
}

export interface GatedSnapshot {
  N: number;
  Ns: number[];
  step: number;
  epoch: number;
  headAccuracy: number[];
  network: GatedNetwork;
}

export interface GatedCurriculumRun {
  options: GatedCurriculumOptions;
  snapshots: GatedSnapshot[];
  nMaxByEpoch: number[];
  stepsByEpoch: number[];
  stepsDone: number;
  stopReason: 'target reached' | 'budget exhausted';
  wallSeconds: number;
  finalNetwork: GatedNetwork;
}

export interface GatedCurriculumCheckpoint {
  format: 'rnnlab-gated-curriculum-checkpoint/1';
  options: GatedCurriculumOptions;
  epoch: number;
  step: number;
  Ns: number[];
  snapshots: GatedSnapshot[];
  nMaxByEpoch: number[];
  stepsByEpoch: number[];
  network: GatedNetwork;
  optimizer: OptimizerState;
  trainRng: RngState;
  testRng: RngState;
  elapsedSeconds: number;
}

export interface GatedCurriculumHooks {
  resume?: GatedCurriculumCheckpoint;
  onEpoch?: (info: { epoch: number; step: number; Ns: number[]; accuracy: number[]; solvedN: number; elapsedSeconds: number }) => void;
  checkpoint?: { due: (epoch: number, elapsedSeconds: number) => boolean; save: (checkpoint: GatedCurriculumCheckpoint) => void };
}

const cloneNetwork = (n: GatedNetwork): GatedNetwork => structuredClone(n);

/** A batch of the stage `Ns` in the LSTM set-up (±1 inputs, p = 0.5), one head per N as the curriculum assigns them. */
export function gatedStageBatch(o: GatedCurriculumOptions, Ns: readonly number[], rng: Rng, batchSize = o.batchSize): Batch {
  return bitTaskBatch(
    { task: o.task, Ns: [...Ns], heads: Ns.map((N) => headFor(o, N)), headCount: o.heads, batchSize, hiddenSize: 1, dtype: 'float64', rate: 0.5, encoding: 'signed' },
    rng,
  );
}

/** The curriculum on a gated network: epochs of training, a test after each, the advance rule, a snapshot at every solve. */
export function trainGatedCurriculum(options: Partial<GatedCurriculumOptions>, hooks: GatedCurriculumHooks = {}): GatedCurriculumRun {
  const o = validateGatedCurriculum(options);
  const start = Date.now();
  const cp = hooks.resume;
  if (cp) {
    if (cp.format !== 'rnnlab-gated-curriculum-checkpoint/1') throw new ParameterError('resume', `expected a 'rnnlab-gated-curriculum-checkpoint/1', got ${String(cp.format)}`);
    if (JSON.stringify(cp.options) !== JSON.stringify(o)) throw new ParameterError('resume', 'the checkpoint belongs to a run with other options');
  }
  // firstStage/nextStage take the leaky RNN's options; only `curriculum` and `startN` matter for single/multi-head.
  const stageOptions = { curriculum: o.curriculum, startN: o.startN, window: 1, slide: 1 } as Parameters<typeof firstStage>[0];
  const net = cp ? cloneNetwork(cp.network) : createGatedNetwork({ kind: o.cell, inputSize: 1, hiddenSize: o.hiddenSize, heads: o.heads, classes: 2, seed: o.seed });
  const optimizer = createGatedOptimizer(net, { kind: 'adam', lr: o.lr }, cp?.optimizer);
  const trainRng = cp ? Rng.fromState(cp.trainRng) : Rng.stream(o.seed, `gated-curriculum/${o.cell}/${o.curriculum}/train`);
  const testRng = cp ? Rng.fromState(cp.testRng) : Rng.stream(o.seed, `gated-curriculum/${o.cell}/${o.curriculum}/test`);
  const elapsed = () => (cp?.elapsedSeconds ?? 0) + (Date.now() - start) / 1000;
  const sequenceCapacity = longestSequence(o); // one float32 workspace for the whole run
  const checkpoint = hooks.checkpoint;
  const { snapshots, nMaxByEpoch, stepsByEpoch, step, stopReason } = runCurriculumEpochs<GatedSnapshot>({
    o, stageOptions, elapsed, onEpoch: hooks.onEpoch,
    start: cp ?? { epoch: 0, step: 0, Ns: firstStage(stageOptions), snapshots: [], nMaxByEpoch: [], stepsByEpoch: [] },
    train: (steps, Ns) => void trainGated(net, { steps, continueWith: optimizer, clipNorm: o.clipNorm, precision: o.precision, sequenceCapacity, batch: () => gatedStageBatch(o, Ns, trainRng) }),
    test: (Ns) => {
      const accuracy = new Array<number>(Ns.length).fill(0);
      for (let t = 0; t < o.testBatches; t++) {
        const r = gatedHeadsLoss(net, gatedStageBatch(o, Ns, testRng), false, o.precision, sequenceCapacity);
        r.headAccuracy.forEach((a, k) => (accuracy[k] += a / o.testBatches));
      }
      return accuracy;
    },
    snapshot: (at) => ({ ...at, network: cloneNetwork(net) }),
    checkpoint: checkpoint && {
      due: checkpoint.due,
      save: (state) =>
        checkpoint.save({
          format: 'rnnlab-gated-curriculum-checkpoint/1', options: o, ...state, network: cloneNetwork(net), optimizer: optimizer.state(),
          trainRng: trainRng.state(), testRng: testRng.state(), elapsedSeconds: elapsed(),
        }),
    },
  });
  return { options: o, snapshots, nMaxByEpoch, stepsByEpoch, stepsDone: step, stopReason, wallSeconds: elapsed(), finalNetwork: net };
}

/**
 * Each unit's timescale τ = 1/(1 − r) from its retention gate (header): r = mean forget gate (LSTM) or update gate
 * (GRU) over the steps and sequences of `batch`. A unit that keeps everything (r = 1) has τ = ∞.
 */
export function gateTimescales(net: GatedNetwork, batch: Batch, precision: GatedPrecision = 'float32'): Float64Array {
  const H = net.cell.hiddenSize;
  const G = GATE_COUNT[net.cell.kind];
  const gates = gateActivations(net, batch, precision);
  // Gate rows: LSTM (i, f, g, o) → f is block 1; GRU (r, z, n) → z is block 1.
  const block = 1;
  const mean = new Float64Array(H);
  const rows = batch.steps * batch.size;
  for (let r = 0; r < rows; r++) for (let j = 0; j < H; j++) mean[j] += gates[r * G * H + block * H + j];
  return mean.map((m) => 1 / (1 - m / rows));
}
