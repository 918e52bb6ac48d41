/**
 * Curriculum training of the timescales RNN (timescales-curriculum spec §4.2 [authors' code]):
 *   multi-head ("cumulative"): start with Ns = [2]; when the stage is solved, append N_max + 1 on a new head
 *     (head k always serves N = k + 2); all active heads are trained together;
 *   single-head: Ns = [N] on head 0; when solved, switch to N + 1 on the same head.
 * An epoch is `stepsPerEpoch` training steps, then `testBatches` fresh test batches giving per-head accuracy.
 * Advance rule: mean accuracy over the active heads > 98 % and accuracy of the largest-N head > 98 %; a snapshot
 * is saved at every solved stage. One optimiser (SGD, lr 0.05, μ 0.1, Nesterov; clip 2) for the whole run.
 * Budgets count training steps, never wall-clock, so runs are deterministic.
 */
import { Rng } from '../random/rng.js';
import { bitTaskBatch } from '../tasks/bitTasks.js';
import { checkChoice, checkInteger, checkNumber, withDefaults } from '../util/validate.js';
import type { Kernels } from './kernels/types.js';
import { cloneRnn, createRnn, type Rnn } from './model.js';
import { createOptimizer, type Optimizer } from './optimizers.js';
import { evaluateRnn, trainRnn } from './trainer.js';

export interface CurriculumOptions {
  curriculum: 'single' | 'multi';
  task: 'parity' | 'dms';
  /** Hidden units n. */
  size: number;
  batchSize: number;
  stepsPerEpoch: number;
  testBatches: number;
  /** Heads allocated (multi-head runs are limited to N ≤ heads + 1). */
  heads: number;
  /** Budget in training steps. */
  maxSteps: number;
  /** Stop once this N is solved. */
  targetN: number;
  /** Advance threshold on accuracy (spec: 0.98). */
  threshold: number;
  seed: number;
  /** 'trained' (per-neuron τ, clamped at 1) or a fixed shared τ (not trained, not clamped). */
  tau: 'trained' | number;
  /** First N trained (2 for the curricula; = targetN for the no-curriculum control, spec §4.2). */
  startN: number;
}

export const CURRICULUM_DEFAULTS: CurriculumOptions = {
  curriculum: 'multi',
  task: 'parity',
  size: 64,
  batchSize: 32,
  stepsPerEpoch: 50,
  testBatches: 8,
  heads: 40,
  maxSteps: 80_000,
  targetN: 20,
  threshold: 0.98,
  seed: 1,
  tau: 'trained',
  startN: 2,
};

export interface CurriculumSnapshot {
  /** Largest solved N at this snapshot, and all Ns trained together at that stage. */
  N: number;
  Ns: number[];
  step: number;
  epoch: number;
  /** Test accuracy of each active head when the stage was solved. */
  headAccuracy: number[];
  /** The model at that moment (parameters copied). */
  model: Rnn;
}

export interface CurriculumRun {
  options: CurriculumOptions;
  snapshots: CurriculumSnapshot[];
  /** Largest solved N after each epoch (0 before the first solve), and the step count at each epoch end. */
  nMaxByEpoch: number[];
  stepsByEpoch: number[];
  stepsDone: number;
  stopReason: 'target reached' | 'budget exhausted';
  wallSeconds: number;
  /** The model at the end of the run (solved or not). */
  finalModel: Rnn;
}

export function validateCurriculum(options: Partial<CurriculumOptions>): CurriculumOptions {
  const o = withDefaults('curriculum', CURRICULUM_DEFAULTS, options);
  checkChoice('curriculum.curriculum', o.curriculum, ['single', 'multi']);
  checkChoice('curriculum.task', o.task, ['parity', 'dms']);
  checkInteger('curriculum.size', o.size, { min: 2 });
  checkInteger('curriculum.batchSize', o.batchSize, { min: 1 });
  checkInteger('curriculum.stepsPerEpoch', o.stepsPerEpoch, { min: 1 });
  checkInteger('curriculum.testBatches', o.testBatches, { min: 1 });
  checkInteger('curriculum.heads', o.heads, { min: 1 });
  checkInteger('curriculum.maxSteps', o.maxSteps, { min: 1 });
  checkInteger('curriculum.targetN', o.targetN, { min: 2, max: o.curriculum === 'multi' ? o.heads + 1 : 10_000 });
  checkNumber('curriculum.threshold', o.threshold, { min: 0.5, max: 1 });
  checkInteger('curriculum.seed', o.seed);
  if (o.tau !== 'trained') checkNumber('curriculum.tau', o.tau, { min: 0, exclusiveMin: true });
  checkInteger('curriculum.startN', o.startN, { min: 2, max: o.targetN });
  return o;
}

/** The timescales RNN of a curriculum run (spec §3), before training. */
export function curriculumModel(o: CurriculumOptions): Rnn {
  const fixedTau = o.tau !== 'trained';
  return createRnn(
    {
      size: o.size,
      readout: { kind: 'heads', heads: o.heads, classes: 2, from: 'rate' },
      tauClamp: fixedTau ? null : 1,
      tauInit: fixedTau ? (o.tau as number) : 'uniform-1-2',
      trainable: { tau: !fixedTau },
    },
    { seed: o.seed, dtype: 'float32' },
  );
}

/** Head that serves N: N − 2 in multi-head runs, 0 in single-head runs. */
export const headFor = (o: Pick<CurriculumOptions, 'curriculum'>, N: number): number => (o.curriculum === 'multi' ? N - 2 : 0);

export function trainCurriculum(options: Partial<CurriculumOptions>, kernels: Kernels, onEpoch?: (info: { epoch: number; step: number; Ns: number[]; accuracy: number[] }) => void): CurriculumRun {
  const o = validateCurriculum(options);
  const start = Date.now();
  const model = curriculumModel(o);
  let Ns = [o.startN];
  const optimizer: Optimizer = createOptimizer({ kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true });
  const trainRng = Rng.stream(o.seed, `curriculum/${o.curriculum}/train`);
  const testRng = Rng.stream(o.seed, `curriculum/${o.curriculum}/test`);
  const snapshots: CurriculumSnapshot[] = [];
  const nMaxByEpoch: number[] = [];
  const stepsByEpoch: number[] = [];
  let step = 0;
  let solvedMax = 0;
  let stopReason: CurriculumRun['stopReason'] = 'budget exhausted';
  for (let epoch = 0; step < o.maxSteps; epoch++) {
    const taskOf = () => ({ task: o.task, Ns, heads: Ns.map((N) => headFor(o, N)), headCount: o.heads, batchSize: o.batchSize, hiddenSize: o.size });
    const steps = Math.min(o.stepsPerEpoch, o.maxSteps - step);
    trainRnn(model, { steps, seed: 0, kernels, continueWith: optimizer, clipNorm: 2, batch: () => bitTaskBatch(taskOf(), trainRng) });
    step += steps;
    const tests = Array.from({ length: o.testBatches }, () => bitTaskBatch(taskOf(), testRng));
    const accuracy = evaluateRnn(model, tests, kernels).headAccuracy!;
    onEpoch?.({ epoch, step, Ns: [...Ns], accuracy });
    const mean = accuracy.reduce((a, b) => a + b, 0) / accuracy.length;
    const largest = accuracy[accuracy.length - 1]; // activeHeads follow Ns, whose last entry is the largest N
    if (mean > o.threshold && largest > o.threshold) {
      solvedMax = Math.max(...Ns);
      snapshots.push({ N: solvedMax, Ns: [...Ns], step, epoch, headAccuracy: accuracy, model: cloneRnn(model) });
      if (solvedMax >= o.targetN) {
        stopReason = 'target reached';
        nMaxByEpoch.push(solvedMax);
        stepsByEpoch.push(step);
        break;
      }
      Ns = o.curriculum === 'multi' ? [...Ns, solvedMax + 1] : [solvedMax + 1];
    }
    nMaxByEpoch.push(solvedMax);
    stepsByEpoch.push(step);
  }
  return { options: o, snapshots, nMaxByEpoch, stepsByEpoch, stepsDone: step, stopReason, wallSeconds: (Date.now() - start) / 1000, finalModel: model };
}

/** Step at which N was first solved, or `budget` when it never was (spec T1: a run that never reaches N counts as the full budget). */
export function stepsToSolve(run: CurriculumRun, N: number): number {
  const s = run.snapshots.find((snap) => snap.N >= N);
  return s ? s.step : run.options.maxSteps;
}

/** Largest solved N of a run at or before `step`. */
export function solvedAtStep(run: CurriculumRun, step: number): number {
  let best = 0;
  for (const s of run.snapshots) if (s.step <= step) best = Math.max(best, s.N);
  return best;
}

/**
 * Test accuracy of a snapshot on N′ alone (sequence lengths drawn for N′), read from the head that serves N′
 * (single-head: head 0; multi-head: head N′ − 2). `samples` test sequences.
 */
export function accuracyOn(snapshot: CurriculumSnapshot, o: CurriculumOptions, Nprime: number, kernels: Kernels, samples = 512, seed = 7): number {
  const rng = Rng.stream(seed, `accuracy/${Nprime}`);
  const head = headFor(o, Nprime);
  const batch = 128;
  const tests = Array.from({ length: Math.ceil(samples / batch) }, () => bitTaskBatch({ task: o.task, Ns: [Nprime], heads: [head], headCount: o.heads, batchSize: batch, hiddenSize: o.size }, rng));
  return evaluateRnn(snapshot.model, tests, kernels).headAccuracy![0];
}

/** Accuracy of every head of a snapshot on its own stage's task (all its Ns together, as in the advance rule). */
export function stageAccuracy(snapshot: CurriculumSnapshot, o: CurriculumOptions, kernels: Kernels, samples = 512, seed = 7): number[] {
  const rng = Rng.stream(seed, `stage/${snapshot.N}`);
  const batch = 128;
  const tests = Array.from({ length: Math.ceil(samples / batch) }, () =>
    bitTaskBatch({ task: o.task, Ns: snapshot.Ns, heads: snapshot.Ns.map((N) => headFor(o, N)), headCount: o.heads, batchSize: batch, hiddenSize: o.size }, rng),
  );
  return evaluateRnn(snapshot.model, tests, kernels).headAccuracy!;
}

export interface TauStats {
  N: number;
  mean: number;
  std: number;
  max: number;
}

/** Single-neuron τ' = max(τ, 1) statistics of every snapshot (spec §5.1), plus the initial network as N = 0. */
export function tauStatistics(run: CurriculumRun): TauStats[] {
  const stats = (model: Rnn, N: number): TauStats => {
    const clamp = model.config.tauClamp;
    const t = Array.from(model.params.tau!, (v) => (clamp === null ? v : Math.max(v, clamp)));
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    const std = Math.sqrt(t.reduce((a, b) => a + (b - mean) ** 2, 0) / t.length);
    return { N, mean, std, max: Math.max(...t) };
  };
  return [stats(curriculumModel(run.options), 0), ...run.snapshots.map((s) => stats(s.model, s.N))];
}
