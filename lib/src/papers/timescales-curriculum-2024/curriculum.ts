/**
 * Curriculum training of the timescales RNN (README §4.2 [authors' code]):
 *   multi-head ("cumulative"): start with Ns = [2]; when the stage is solved, append N_max + 1 on a new head
 *     (head k always serves N = k + 2); all active heads are trained together;
 *   single-head: Ns = [N] on head 0; when solved, switch to N + 1 on the same head;
 *   sliding window (an option, README §4.2): start with `window` consecutive Ns (10) on heads 0..window−1; when solved,
 *     drop the `slide` (5) oldest and append as many new ones; heads are assigned by position in the list, so the head
 *     that serves an N changes as the window moves (`headFor` takes the window).
 * An epoch is `stepsPerEpoch` training steps, then `testBatches` fresh test batches giving per-head accuracy.
 * Advance rule: mean accuracy over the active heads > 98 % and accuracy of the largest-N head > 98 %; a snapshot
 * is saved at every solved stage. One optimiser (SGD, lr 0.05, μ 0.1, Nesterov; clip 2) for the whole run.
 * Budgets count training steps, never wall-clock, so runs are deterministic.
 *
 * Checkpoints: after any epoch the whole state of a run (model, optimiser buffers, both random streams, stage,
 * snapshots so far) can be handed out as a JSON-safe `CurriculumCheckpoint`; `trainCurriculum(..., { resume })`
 * continues from it and produces bitwise the run an uninterrupted call would have produced (tested).
 * Equations: (1)–(9), (26) of README.md.
 */
import { Rng, type RngState } from '../../numerics/rng.js';
import { bitTaskBatch } from '../../tasks/bitTasks.js';
import { ParameterError, checkChoice, checkAllocation, checkInteger, checkNumber, checkWork, withDefaults } from '../../numerics/validate.js';
import type { Kernels } from '../../numerics/kernels/types.js';
import { cloneRnn, createRnn, type Rnn } from '../../dynamics/rnn/model.js';
import { createOptimizer, type Optimizer, type OptimizerState } from '../../dynamics/rnn/optimizers.js';
import { evaluateRnn, trainRnn, workspaceFor } from '../../dynamics/rnn/trainer.js';
import { DataParallelBptt } from '../../dynamics/rnn/dataParallel.js';

/** single-head, multi-head (cumulative) or sliding window (README §4.2). */
export type CurriculumKind = 'single' | 'multi' | 'sliding';

export interface CurriculumOptions {
  curriculum: CurriculumKind;
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
  /** Advance threshold on accuracy (study: 0.98). */
  threshold: number;
  seed: number;
  /**
   * null: per-neuron τ, trained and clamped at 1 (eq. 2); a number: every neuron's τ fixed at it (not trained, not
   * clamped; claim T7). The engine gets it as tauInit = fixedTau, tauClamp = null, trainable.tau = false.
   */
  fixedTau: number | null;
  /** First N trained (2 for the curricula; = targetN for the no-curriculum control, README §4.2). */
  startN: number;
  /** Sliding window only: Ns trained together (study: 10), and how many are replaced on each solve (study: 5). */
  window: number;
  slide: number;
  /**
   * Equal parts each training batch is split into for data-parallel BPTT (dynamics/rnn/dataParallel.ts; must divide
   * batchSize). Part of the run's definition: the gradients' rounding depends on it (not on the threads that compute
   * the parts). 1: the plain workspace, as in every run before this option existed (cache names unchanged).
   */
  chunks: number;
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
  fixedTau: null,
  startN: 2,
  window: 10,
  slide: 5,
  chunks: 1,
};

/** How a run is executed, without changing its numbers. */
export interface CurriculumExecution {
  /** Threads computing a batch's chunks, 1 … chunks (this one included). Default 1. */
  threads: number;
}

export const CURRICULUM_EXECUTION_DEFAULTS: CurriculumExecution = { threads: 1 };

/**
 * The options that define a run's numbers, as cache keys and checkpoints store them: `chunks` is left out when it
 * is 1, so that runs cached before the option existed keep their names and their checkpoints still resume.
 */
export type CurriculumIdentity = Omit<CurriculumOptions, 'chunks'> & { chunks?: number };

export function curriculumIdentity(o: CurriculumOptions): CurriculumIdentity {
  if (o.chunks !== 1) return o;
  const { chunks: _one, ...rest } = o;
  return rest;
}

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
  checkChoice('curriculum.curriculum', o.curriculum, ['single', 'multi', 'sliding']);
  checkChoice('curriculum.task', o.task, ['parity', 'dms']);
  checkInteger('curriculum.size', o.size, { min: 2 });
  checkInteger('curriculum.batchSize', o.batchSize, { min: 1 });
  checkInteger('curriculum.stepsPerEpoch', o.stepsPerEpoch, { min: 1 });
  checkInteger('curriculum.testBatches', o.testBatches, { min: 1 });
  checkInteger('curriculum.heads', o.heads, { min: 1 });
  checkInteger('curriculum.maxSteps', o.maxSteps, { min: 1 });
  checkInteger('curriculum.targetN', o.targetN, { min: 2, max: o.curriculum === 'multi' ? o.heads + 1 : 10_000 });
  // Advancing needs accuracy > threshold (README §4.2), so 1 could never be met.
  checkNumber('curriculum.threshold', o.threshold, { min: 0.5, max: 1, exclusiveMax: true });
  checkInteger('curriculum.seed', o.seed);
  if (o.fixedTau !== null) checkNumber('curriculum.fixedTau', o.fixedTau, { min: 0, exclusiveMin: true });
  checkInteger('curriculum.startN', o.startN, { min: 2, max: o.targetN });
  checkInteger('curriculum.window', o.window, { min: 1, max: o.curriculum === 'sliding' ? o.heads : 10_000 });
  checkInteger('curriculum.slide', o.slide, { min: 1, max: o.window });
  checkInteger('curriculum.chunks', o.chunks, { min: 1, max: o.batchSize });
  if (o.batchSize % o.chunks !== 0) throw new ParameterError('curriculum.chunks', `must divide batchSize = ${o.batchSize} (equal parts), got ${o.chunks}`);
  // Lower estimates (inputs of the test batches at the first N; one time step a sample for the training).
  checkAllocation('curriculum.testBatches', o.testBatches * o.batchSize * o.startN, 4, `${o.testBatches} test batches of ${o.batchSize} sequences`);
  checkWork('curriculum.maxSteps', o.maxSteps * o.batchSize * o.size * o.size, `${o.maxSteps} training steps of batches of ${o.batchSize}`);
  return o;
}

/** The longest sequence a run can draw: M ≤ 4·N_max + 1 (README §4.1), N_max ≤ targetN. */
export const longestSequence = (o: Pick<CurriculumOptions, 'targetN'>): number => 4 * o.targetN + 1;

/**
 * Float32 entries of kernel memory a curriculum run needs: its BPTT histories (at most five [M + 1] × B × n arrays at
 * the longest M, shared by training and the test batches, which have the same batch size), N × N weight buffers and
 * scratch; at least the 8 M the small runs always had.
 */
export function curriculumKernelFloats(o: CurriculumOptions): number {
  const histories = 5 * (longestSequence(o) + 1) * o.batchSize * o.size;
  return Math.max(8 * 1024 * 1024, histories + 16 * o.size * o.size + 8 * o.batchSize * o.size + (1 << 20));
}

/** The timescales RNN of a curriculum run (README §3), before training. */
export function curriculumModel(o: CurriculumOptions): Rnn {
  const fixedTau = o.fixedTau !== null;
  return createRnn(
    {
      size: o.size,
      readout: { kind: 'heads', heads: o.heads, classes: 2, from: 'rate' },
      tauClamp: fixedTau ? null : 1,
      tauInit: o.fixedTau ?? 'uniform-1-2',
      trainable: { tau: !fixedTau },
    },
    { seed: o.seed, dtype: 'float32' },
  );
}

/**
 * Head that serves N: N − 2 in multi-head runs, 0 in single-head runs, and N's position in the window `Ns` in
 * sliding-window runs (where the window must be given and contain N).
 */
export function headFor(o: Pick<CurriculumOptions, 'curriculum'>, N: number, Ns?: readonly number[]): number {
  if (o.curriculum === 'multi') return N - 2;
  if (o.curriculum === 'single') return 0;
  const position = Ns ? Ns.indexOf(N) : -1;
  if (position < 0) throw new ParameterError('N', `a sliding-window run serves N = ${N} only while it is in the window; give the window (${Ns ? `[${Ns.join(', ')}]` : 'none given'})`);
  return position;
}

/** The first stage's Ns: [startN] for single/multi-head, `window` consecutive Ns from startN for the sliding window. */
export function firstStage(o: CurriculumOptions): number[] {
  return o.curriculum === 'sliding' ? Array.from({ length: o.window }, (_, i) => o.startN + i) : [o.startN];
}

/** The stage after `Ns` was solved (README §4.2). */
export function nextStage(o: CurriculumOptions, Ns: readonly number[]): number[] {
  const top = Math.max(...Ns);
  if (o.curriculum === 'single') return [top + 1];
  if (o.curriculum === 'multi') return [...Ns, top + 1];
  return [...Ns.slice(o.slide), ...Array.from({ length: o.slide }, (_, i) => top + 1 + i)];
}

/**
 * The advance rule (README §4.2): a stage is solved when the mean test accuracy over its active heads and the accuracy
 * of its largest N both exceed `threshold` (strictly, as in the authors' code). `headAccuracy[k]` belongs to `Ns[k]`.
 */
export function stageSolved(headAccuracy: ArrayLike<number>, Ns: readonly number[], threshold: number): boolean {
  if (headAccuracy.length !== Ns.length || Ns.length === 0) throw new ParameterError('headAccuracy', `expected one accuracy per active N (${Ns.length}), got ${headAccuracy.length}`);
  let mean = 0;
  for (let k = 0; k < headAccuracy.length; k++) mean += headAccuracy[k];
  mean /= headAccuracy.length;
  const largest = headAccuracy[Ns.indexOf(Math.max(...Ns))];
  return mean > threshold && largest > threshold;
}

/** Everything a curriculum run needs to continue after an epoch (JSON-safe through io/atomic's toJson). */
export interface CurriculumCheckpoint {
  format: 'rnnlab-curriculum-checkpoint/1';
  /** The run's options as curriculumIdentity gives them (no `chunks` when it is 1). */
  options: CurriculumIdentity;
  /** The next epoch to run, and training steps done so far. */
  epoch: number;
  step: number;
  Ns: number[];
  snapshots: CurriculumSnapshot[];
  nMaxByEpoch: number[];
  stepsByEpoch: number[];
  model: Rnn;
  optimizer: OptimizerState;
  trainRng: RngState;
  testRng: RngState;
  /** Wall time spent before this checkpoint (added to the resumed run's wallSeconds). */
  elapsedSeconds: number;
}

export interface CurriculumEpochInfo {
  epoch: number;
  step: number;
  /** The stage just tested, and each of its heads' test accuracy. */
  Ns: number[];
  accuracy: number[];
  /** Largest N solved so far (after this epoch's test), and wall time of the run so far (incl. before a resume). */
  solvedN: number;
  elapsedSeconds: number;
}

export interface CurriculumHooks {
  /** Called after every epoch's test (live progress). */
  onEpoch?: (info: CurriculumEpochInfo) => void;
  /** After each epoch for which `due(epoch, elapsedSeconds)` is true, `save` receives the run's state. */
  checkpoint?: { due: (epoch: number, elapsedSeconds: number) => boolean; save: (checkpoint: CurriculumCheckpoint) => void };
  /** Continue from this checkpoint (its options must equal the run's). */
  resume?: CurriculumCheckpoint;
}

/** The progress of a curriculum's epoch loop: what a checkpoint stores besides the network, optimiser and streams. */
export interface EpochLoopState<S> {
  /** The next epoch to run, and training steps done so far. */
  epoch: number;
  step: number;
  Ns: number[];
  snapshots: S[];
  nMaxByEpoch: number[];
  stepsByEpoch: number[];
}

/** What the epoch loop needs from one kind of network (the leaky RNN here, the gated cells in gatedCurriculum.ts). */
export interface EpochLoopParts<S> {
  o: Pick<CurriculumOptions, 'maxSteps' | 'stepsPerEpoch' | 'threshold' | 'targetN'>;
  /** For nextStage: the curriculum kind and its schedule. */
  stageOptions: CurriculumOptions;
  start: EpochLoopState<S>;
  train: (steps: number, Ns: number[]) => void;
  /** Each active head's test accuracy on the stage Ns. */
  test: (Ns: number[]) => number[];
  /** A copy of the network as it is now, at a solved stage. */
  snapshot: (at: { N: number; Ns: number[]; step: number; epoch: number; headAccuracy: number[] }) => S;
  elapsed: () => number;
  onEpoch?: (info: CurriculumEpochInfo) => void;
  checkpoint?: { due: (epoch: number, elapsedSeconds: number) => boolean; save: (state: EpochLoopState<S>) => void };
}

/**
 * The epoch loop of every curriculum (README §4.2): train an epoch, test the stage, snapshot and advance when it is
 * solved (eq. (26)), stop at the target N or the budget, checkpoint when due.
 */
export function runCurriculumEpochs<S extends { N: number }>(parts: EpochLoopParts<S>): EpochLoopState<S> & { stopReason: CurriculumRun['stopReason'] } {
  const { o, start } = parts;
  let Ns = [...start.Ns];
  const snapshots = [...start.snapshots];
  const nMaxByEpoch = [...start.nMaxByEpoch];
  const stepsByEpoch = [...start.stepsByEpoch];
  let step = start.step;
  let solvedMax = snapshots.at(-1)?.N ?? 0; // snapshots are taken at every solve, in increasing N
  let stopReason: CurriculumRun['stopReason'] = 'budget exhausted';
  let epoch = start.epoch;
  for (; step < o.maxSteps; epoch++) {
    const steps = Math.min(o.stepsPerEpoch, o.maxSteps - step);
    parts.train(steps, Ns);
    step += steps;
    const accuracy = parts.test(Ns);
    const tested = [...Ns];
    if (stageSolved(accuracy, Ns, o.threshold)) {
      solvedMax = Math.max(...Ns);
      snapshots.push(parts.snapshot({ N: solvedMax, Ns: [...Ns], step, epoch, headAccuracy: accuracy }));
      if (solvedMax >= o.targetN) stopReason = 'target reached';
      else Ns = nextStage(parts.stageOptions, Ns);
    }
    nMaxByEpoch.push(solvedMax);
    stepsByEpoch.push(step);
    parts.onEpoch?.({ epoch, step, Ns: tested, accuracy, solvedN: solvedMax, elapsedSeconds: parts.elapsed() });
    if (stopReason === 'target reached') break;
    if (parts.checkpoint && step < o.maxSteps && parts.checkpoint.due(epoch, parts.elapsed())) {
      parts.checkpoint.save({ epoch: epoch + 1, step, Ns: [...Ns], snapshots: [...snapshots], nMaxByEpoch: [...nMaxByEpoch], stepsByEpoch: [...stepsByEpoch] });
    }
  }
  return { epoch, step, Ns, snapshots, nMaxByEpoch, stepsByEpoch, stopReason };
}

export function trainCurriculum(options: Partial<CurriculumOptions>, kernels: Kernels, hooks: CurriculumHooks = {}, execution: Partial<CurriculumExecution> = {}): CurriculumRun {
  const o = validateCurriculum(options);
  const x = withDefaults('execution', CURRICULUM_EXECUTION_DEFAULTS, execution);
  checkInteger('execution.threads', x.threads, { min: 1, max: o.chunks });
  const start = Date.now();
  const cp = hooks.resume;
  const identity = curriculumIdentity(o);
  if (cp) {
    if (cp.format !== 'rnnlab-curriculum-checkpoint/1') throw new ParameterError('resume', `expected a 'rnnlab-curriculum-checkpoint/1', got ${String(cp.format)}`);
    if (JSON.stringify(cp.options) !== JSON.stringify(identity)) throw new ParameterError('resume', 'the checkpoint belongs to a run with other options');
  }
  const model = cp ? cloneRnn(cp.model) : curriculumModel(o);
  // The histories of the run's longest sequences (M ≤ 4·targetN + 1, README §4.1), reserved once: the WebAssembly arena
  // never frees, and growing them by doubling as M rises would take up to twice the memory (too much at n = 500).
  workspaceFor(model, kernels, o.batchSize, longestSequence(o));
  // chunks > 1: each training batch split into equal parts (their gradients combined in a fixed order), computed on
  // `threads` threads; the test batches run on the workspace above (a forward pass does not depend on the split).
  const engine = o.chunks > 1 ? new DataParallelBptt(model as Rnn<Float32Array>, o.batchSize, { chunks: o.chunks, threads: x.threads, maxSteps: longestSequence(o) }) : null;
  try {
    const sgd = { kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true } as const;
    const optimizer: Optimizer = createOptimizer(sgd, cp?.optimizer);
    const trainRng = cp ? Rng.fromState(cp.trainRng) : Rng.stream(o.seed, `curriculum/${o.curriculum}/train`);
    const testRng = cp ? Rng.fromState(cp.testRng) : Rng.stream(o.seed, `curriculum/${o.curriculum}/test`);
    const elapsed = () => (cp?.elapsedSeconds ?? 0) + (Date.now() - start) / 1000;
    const taskOf = (Ns: number[]) => ({ task: o.task, Ns, heads: Ns.map((N) => headFor(o, N, Ns)), headCount: o.heads, batchSize: o.batchSize, hiddenSize: o.size });
    const checkpoint = hooks.checkpoint;
    const { snapshots, nMaxByEpoch, stepsByEpoch, step, stopReason } = runCurriculumEpochs<CurriculumSnapshot>({
      o, stageOptions: o, elapsed, onEpoch: hooks.onEpoch,
      start: cp ?? { epoch: 0, step: 0, Ns: firstStage(o), snapshots: [], nMaxByEpoch: [], stepsByEpoch: [] },
      train: (steps, Ns) => void trainRnn(model, { steps, seed: 0, kernels, engine, continueWith: optimizer, clipNorm: 2, batch: () => bitTaskBatch(taskOf(Ns), trainRng) }),
      test: (Ns) => evaluateRnn(model, Array.from({ length: o.testBatches }, () => bitTaskBatch(taskOf(Ns), testRng)), kernels).headAccuracy!,
      snapshot: (at) => ({ ...at, model: cloneRnn(model) }),
      checkpoint: checkpoint && {
        due: checkpoint.due,
        save: (state) =>
          checkpoint.save({
            format: 'rnnlab-curriculum-checkpoint/1', options: identity, ...state, model: cloneRnn(model),
            optimizer: optimizer.state(), trainRng: trainRng.state(), testRng: testRng.state(), elapsedSeconds: elapsed(),
          }),
      },
    });
    return { options: o, snapshots, nMaxByEpoch, stepsByEpoch, stepsDone: step, stopReason, wallSeconds: elapsed(), finalModel: model };
  } finally {
    engine?.close();
  }
}

/** Step at which N was first solved, or `budget` when it never was (claim T1: a run that never reaches N counts as the full budget). */
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
  const head = headFor(o, Nprime, snapshot.Ns);
  const batch = 128;
  const tests = Array.from({ length: Math.ceil(samples / batch) }, () => bitTaskBatch({ task: o.task, Ns: [Nprime], heads: [head], headCount: o.heads, batchSize: batch, hiddenSize: o.size }, rng));
  return evaluateRnn(snapshot.model, tests, kernels).headAccuracy![0];
}

/** Accuracy of every head of a snapshot on its own stage's task (all its Ns together, as in the advance rule). */
export function stageAccuracy(snapshot: CurriculumSnapshot, o: CurriculumOptions, kernels: Kernels, samples = 512, seed = 7): number[] {
  const rng = Rng.stream(seed, `stage/${snapshot.N}`);
  const batch = 128;
  const tests = Array.from({ length: Math.ceil(samples / batch) }, () =>
    bitTaskBatch({ task: o.task, Ns: snapshot.Ns, heads: snapshot.Ns.map((N) => headFor(o, N, snapshot.Ns)), headCount: o.heads, batchSize: batch, hiddenSize: o.size }, rng),
  );
  return evaluateRnn(snapshot.model, tests, kernels).headAccuracy!;
}

export interface TauStats {
  N: number;
  mean: number;
  std: number;
  max: number;
}

/**
 * How many steps an isolated unit of eq. (2) remembers a pulse, in its linear range: with no input its state is
 * multiplied by 1 − 1/τ′ each step, so it falls by a factor e in −1/ln(1 − 1/τ′) steps (0 for τ′ = 1, no memory;
 * ≈ τ′ − ½ for large τ′).
 */
export function leakDecaySteps(tauPrime: number): number {
  checkNumber('tauPrime', tauPrime, { min: 1 });
  return tauPrime === 1 ? 0 : -1 / Math.log(1 - 1 / tauPrime);
}

/** τ′ = max(τ, clamp) of every neuron of a model (τ itself when there is no clamp). */
export function clampedTaus(model: Rnn): number[] {
  const clamp = model.config.tauClamp;
  return Array.from(model.params.tau!, (v) => (clamp === null ? v : Math.max(v, clamp)));
}

/** Single-neuron τ' = max(τ, 1) statistics of every snapshot (README §5.1), plus the initial network as N = 0. */
export function tauStatistics(run: CurriculumRun): TauStats[] {
  const stats = (model: Rnn, N: number): TauStats => {
    const t = clampedTaus(model);
    const mean = t.reduce((a, b) => a + b, 0) / t.length;
    const std = Math.sqrt(t.reduce((a, b) => a + (b - mean) ** 2, 0) / t.length);
    return { N, mean, std, max: Math.max(...t) };
  };
  return [stats(curriculumModel(run.options), 0), ...run.snapshots.map((s) => stats(s.model, s.N))];
}
