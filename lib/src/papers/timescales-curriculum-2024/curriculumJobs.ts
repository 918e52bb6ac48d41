/**
 * Worker-thread jobs of the timescales study (one curriculum run per job, cached on disk so that a re-run reuses
 * it), for `runParallel`: the module URL is `TIMESCALES_JOBS_URL` in curriculumStudy.ts.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { cachedJson, cacheFile, readVerifiedJson, writeVerifiedJson } from '../../io/atomic.js';
import { fastKernels } from '../../numerics/kernels/select.js';
import { curriculumIdentity, curriculumKernelFloats, trainCurriculum, validateCurriculum, type CurriculumCheckpoint, type CurriculumOptions, type CurriculumRun } from './curriculum.js';
import { trainGatedCurriculum, validateGatedCurriculum, type GatedCurriculumCheckpoint, type GatedCurriculumOptions, type GatedCurriculumRun } from './gatedCurriculum.js';
import { ParameterError } from '../../numerics/validate.js';
import { cloneRnn } from '../../dynamics/rnn/model.js';
import { evaluateRnn, trainRnn } from '../../dynamics/rnn/trainer.js';
import { bitTaskBatch } from '../../tasks/bitTasks.js';
import { Rng } from '../../numerics/rng.js';
import { networkTimescale } from './networkTimescale.js';

/** Bump when the training procedure changes, so that cached runs are not reused across versions. */
export const CURRICULUM_CACHE_VERSION = 2;

/** What a running curriculum job reports (at most once a second): largest solved N, stage, accuracies, time. */
export interface CurriculumProgress {
  solvedN: number;
  Ns: number[];
  step: number;
  accuracy: number[];
  elapsedSeconds: number;
  /** Step the run resumed from (0 for a fresh start). */
  resumedAt: number;
}

/** Seconds between checkpoints of a running job; RNNLAB_CHECKPOINT_SECONDS overrides (0: after every epoch). */
export function checkpointSeconds(): number {
  const env = process.env.RNNLAB_CHECKPOINT_SECONDS;
  if (env === undefined || env === '') return 15;
  const v = Number(env);
  if (!Number.isFinite(v) || v < 0) throw new ParameterError('RNNLAB_CHECKPOINT_SECONDS', `must be a number of seconds >= 0, got '${env}'`);
  return v;
}

/** The checkpoint file of a running curriculum job (beside its cache file; removed once the run is cached). */
/** A run's cache entry: the cache name and the parameters hashed into its file name (the checkpoint sits beside it). */
type CacheKey = [name: string, params: unknown];
const curriculumCacheKey = (options: Partial<CurriculumOptions>): CacheKey => ['timescales-curriculum', { o: curriculumIdentity(validateCurriculum(options)), v: CURRICULUM_CACHE_VERSION }];
const checkpointFileOf = ([name, params]: CacheKey): string => `${cacheFile(name, params)}.partial`;

/** The checkpoint file of a running curriculum job. */
export const curriculumCheckpointFile = (options: Partial<CurriculumOptions>): string => checkpointFileOf(curriculumCacheKey(options));

/** What a checkpointed training loop offers the job around it (both curricula: leaky RNN and gated networks). */
interface TrainingHooks<CP> {
  resume: CP | undefined;
  onEpoch: (info: { step: number; Ns: number[]; accuracy: number[]; solvedN: number; elapsedSeconds: number }) => void;
  checkpoint: { due: (epoch: number, elapsedSeconds: number) => boolean; save: (checkpoint: CP) => void };
}

/**
 * A training run cached on disk under (name, params). While it trains, its whole state is written atomically every
 * `checkpointSeconds()` to a `.partial` file beside the cache file; a run that was interrupted (killed kernel, closed
 * laptop, a cluster's time limit) resumes from there and gives the same numbers as an uninterrupted run (tested in a
 * killed child process and under Slurm). `report` receives live progress at most once a second.
 */
function checkpointedRun<CP extends { step: number; elapsedSeconds: number }, R>(key: CacheKey, report: ((p: CurriculumProgress) => void) | undefined, train: (hooks: TrainingHooks<CP>) => R): R {
  const partial = checkpointFileOf(key);
  const run = cachedJson(key[0], key[1], () => {
    // A checkpoint that fails to verify is moved aside and the run starts afresh (readVerifiedJson reports it).
    const resume = readVerifiedJson<CP>(partial) ?? undefined;
    const every = checkpointSeconds();
    let lastSave = resume?.elapsedSeconds ?? 0;
    let lastReport = -Infinity;
    const resumedAt = resume?.step ?? 0;
    const hooks: TrainingHooks<CP> = {
      resume,
      onEpoch: ({ step, Ns, accuracy, solvedN, elapsedSeconds }) => {
        const now = Date.now();
        if (!report || now - lastReport < 1000) return;
        lastReport = now;
        report({ solvedN, Ns, step, accuracy, elapsedSeconds, resumedAt });
      },
      checkpoint: {
        due: (_epoch, elapsed) => elapsed - lastSave >= every,
        save: (cp) => {
          writeVerifiedJson(partial, cp);
          lastSave = cp.elapsedSeconds;
        },
      },
    };
    try {
      return train(hooks);
    } catch (e) {
      if (!(resume && e instanceof ParameterError && e.parameter === 'resume')) throw e;
      return train({ ...hooks, resume: undefined }); // a checkpoint of another version: start afresh
    }
  });
  if (existsSync(partial)) unlinkSync(partial);
  return run;
}

/** A curriculum job: the run's options, and optionally the threads that compute its chunks (not part of its cache key). */
export type CurriculumJobOptions = Partial<CurriculumOptions> & { threads?: number };

/** One curriculum run of the leaky RNN, cached and checkpointed (checkpointedRun). */
export function curriculumJob(job: CurriculumJobOptions, report?: (p: CurriculumProgress) => void): CurriculumRun {
  const { threads, ...options } = job;
  const o = validateCurriculum(options);
  return checkpointedRun<CurriculumCheckpoint, CurriculumRun>(curriculumCacheKey(o), report, (hooks) =>
    trainCurriculum(o, fastKernels({ maxFloats: curriculumKernelFloats(o) }), hooks, threads === undefined ? {} : { threads }),
  );
}

/** Bump when the gated networks' training changes. */
export const GATED_CURRICULUM_CACHE_VERSION = 1;

/** One curriculum run of a gated network (LSTM or GRU, claim T15's protocol), cached and checkpointed (checkpointedRun). */
export function gatedCurriculumJob(options: Partial<GatedCurriculumOptions>, report?: (p: CurriculumProgress) => void): GatedCurriculumRun {
  const o = validateGatedCurriculum(options);
  return checkpointedRun<GatedCurriculumCheckpoint, GatedCurriculumRun>(gatedCurriculumCacheKey(o), report, (hooks) => trainGatedCurriculum(o, hooks));
}

const gatedCurriculumCacheKey = (options: Partial<GatedCurriculumOptions>): CacheKey => ['timescales-gated-curriculum', { o: validateGatedCurriculum(options), v: GATED_CURRICULUM_CACHE_VERSION }];

/** The checkpoint file of a running gated curriculum job. */
export const gatedCurriculumCheckpointFile = (options: Partial<GatedCurriculumOptions>): string => checkpointFileOf(gatedCurriculumCacheKey(options));

export interface TauNetJob {
  run: Partial<CurriculumOptions>;
  /** Snapshots (solved N) to analyse; missing ones are skipped. */
  Ns: number[];
  steps: number;
  trials: number;
}

export interface TauNetResult {
  N: number;
  /** τ_net of every neuron (NaN where the fit failed), and the mean/std over the kept ones (finite and > 1). */
  perNeuron: number[];
  mean: number;
  std: number;
  kept: number;
  /** Mean single-neuron τ' of the same snapshot. */
  meanTauPrime: number;
}

/** τ_net (README §5.2) of the chosen snapshots of one curriculum run, cached. */
export function tauNetJob(job: TauNetJob): TauNetResult[] {
  return cachedJson('timescales-taunet', { job, v: CURRICULUM_CACHE_VERSION }, () => {
    const run = curriculumJob(job.run);
    return job.Ns.flatMap((N) => {
      const snap = run.snapshots.find((s) => s.N === N);
      if (!snap) return [];
      const est = networkTimescale(snap.model, { steps: job.steps, trials: job.trials, discard: 500, seed: 1 });
      const tau = snap.model.params.tau!;
      const meanTauPrime = Array.from(tau, (t) => Math.max(t, 1)).reduce((a, b) => a + b, 0) / tau.length;
      return [{ N, perNeuron: Array.from(est.perNeuron), mean: est.mean, std: est.std, kept: est.kept, meanTauPrime }];
    });
  });
}

export interface RetrainJob {
  run: Partial<CurriculumOptions>;
  /** Snapshot to start from, and the N′ to retrain on (README §5.9; full: N₀ = 8, N′ = 8, 10, …, 16). */
  N0: number;
  Nprimes: number[];
  /** Epochs of the run's stepsPerEpoch steps (README §7: 20 × 50). */
  epochs: number;
}

export interface RetrainResult {
  /** Final test accuracy on each N′ (NaN when the run has no snapshot at N₀). */
  accuracy: number[];
}

/**
 * README §5.9: copy the snapshot at N₀, attach a fresh head (PyTorch Linear init, U(±1/√n)), reset the optimiser (SGD,
 * Nesterov, as in training), train single-head on N′ alone for `epochs` epochs and record the final accuracy. Cached.
 */
export function retrainJob(job: RetrainJob): RetrainResult {
  return cachedJson('timescales-retrain', { job, v: CURRICULUM_CACHE_VERSION }, () => {
    const run = curriculumJob(job.run);
    const o = run.options;
    const snap = run.snapshots.find((s) => s.N === job.N0);
    if (!snap) return { accuracy: job.Nprimes.map(() => NaN) };
    const kernels = fastKernels({ maxFloats: curriculumKernelFloats(o) });
    const accuracy = job.Nprimes.map((Nprime) => {
      const model = cloneRnn(snap.model);
      const n = o.size;
      const rng = Rng.stream(o.seed, `retrain/${o.curriculum}/${Nprime}`);
      const bound = 1 / Math.sqrt(n);
      for (let i = 0; i < 2 * n; i++) model.params.V![i] = rng.uniform(-bound, bound); // head 0: 2 classes × n
      for (let i = 0; i < 2; i++) model.params.c![i] = rng.uniform(-bound, bound);
      const task = { task: o.task, Ns: [Nprime], heads: [0], headCount: o.heads, batchSize: o.batchSize, hiddenSize: n };
      trainRnn(model, {
        steps: job.epochs * o.stepsPerEpoch,
        seed: 0,
        kernels,
        clipNorm: 2,
        optimizer: { kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true },
        batch: () => bitTaskBatch(task, rng),
      });
      const testRng = Rng.stream(o.seed, `retrain-test/${Nprime}`);
      const tests = Array.from({ length: o.testBatches }, () => bitTaskBatch(task, testRng));
      return evaluateRnn(model, tests, kernels).headAccuracy![0];
    });
    return { accuracy };
  });
}
