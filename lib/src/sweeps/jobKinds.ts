/**
 * The job functions a sweep can run: the library's own worker-thread jobs, each cached on disk under its options (so
 * that a notebook opened after a sweep reads the sweep's results). A sweep file names one of these by its key.
 */
import { validateCurriculum, CURRICULUM_DEFAULTS, type CurriculumOptions, type CurriculumRun } from '../papers/timescales-curriculum-2024/curriculum.js';
import { TIMESCALES_JOBS_URL } from '../papers/timescales-curriculum-2024/curriculumStudy.js';
import type { CurriculumProgress, TauNetJob, TauNetResult } from '../papers/timescales-curriculum-2024/curriculumJobs.js';
import { NETWORK_RUN_DEFAULTS, SEQUENTIAL_JOBS_URL, validateNetworkRun } from '../papers/sequential-interference-2x2/networkStudy.js';
import type { NetworkRunParams, NetworkRunSummary } from '../papers/sequential-interference-2x2/networkJobs.js';
import { FIXED_POINT_TASK_DEFAULTS } from '../tasks/fixedPointMemoryTask.js';
import { GATED_CURRICULUM_DEFAULTS, validateGatedCurriculum, type GatedCurriculumOptions, type GatedCurriculumRun } from '../papers/timescales-curriculum-2024/gatedCurriculum.js';
import { GATE_COUNT, type GatedCellKind } from '../dynamics/gated/gatedCell.js';
import { checkInteger, checkOptionsObject, ParameterError, withDefaults } from '../numerics/validate.js';

export interface SweepJobKind {
  /** What one grid point computes (printed by --dry-run). */
  description: string;
  moduleUrl: URL;
  exportName: string;
  /** Every option of a point with its default: a sweep's grid and fixed keys are checked against it (a dotted key such as `run.seed` reaches into a nested object). */
  defaults: object;
  /** One point's options, complete and checked (ParameterError naming the option otherwise). */
  validate(options: object): object;
  /** Multiply–adds of one point: the dominant term, an estimate from above (the whole budget, the longest sequences). */
  multiplyAdds(options: object): number;
  /** Hidden size and batch of the point's training steps, and the gated cell if any (the step --dry-run times to price it). */
  stepShape(options: object): { size: number; batchSize: number; cell?: GatedCellKind };
  /** Keys anywhere in a result that hold wall-clock times: left out when results are compared bitwise. */
  timingKeys: string[];
  /** One line about a point's result, for the summary. */
  summarize(result: unknown): string;
  /** One line about what a running point reports (its job's progress object), for the live lines of a local run. */
  describeProgress(progress: unknown): string;
}

const progressAsJson = (progress: unknown): string => JSON.stringify(progress);

function describeCurriculumProgress(progress: unknown): string {
  const p = progress as CurriculumProgress;
  return `N = ${p.solvedN} solved, step ${p.step}, ${p.elapsedSeconds.toFixed(0)} s${p.resumedAt > 0 ? ` (resumed at step ${p.resumedAt})` : ''}`;
}

/**
 * A curriculum run's cost (README §7 of the timescales study): a training step is ≈ 3·B·M·n² multiply–adds (forward and
 * backward) with sequences of mean length M ≈ 2.5·N + 1.5 at stage N; bounded here by the target N for the whole
 * budget, plus each epoch's test batches (forward only).
 */
function curriculumMultiplyAdds(o: CurriculumOptions): number {
  const M = 2.5 * o.targetN + 1.5;
  const perStep = 3 * o.batchSize * M * o.size * o.size;
  const epochs = Math.ceil(o.maxSteps / o.stepsPerEpoch);
  return o.maxSteps * perStep + epochs * o.testBatches * o.batchSize * M * o.size * o.size;
}

const TAU_NET_DEFAULTS: TauNetJob = { run: CURRICULUM_DEFAULTS, Ns: [2, 5, 10, 15, 20], steps: 20_000, trials: 10 };

function validateTauNet(options: Partial<TauNetJob>): TauNetJob {
  const o = withDefaults('tauNet', TAU_NET_DEFAULTS, options);
  checkOptionsObject('tauNet.run', o.run);
  const run = validateCurriculum(o.run);
  if (!Array.isArray(o.Ns) || o.Ns.length === 0) throw new ParameterError('tauNet.Ns', 'expected a non-empty list of solved N to analyse');
  o.Ns.forEach((N, i) => checkInteger(`tauNet.Ns[${i}]`, N, { min: 2, max: run.targetN }));
  checkInteger('tauNet.steps', o.steps, { min: 1000 });
  checkInteger('tauNet.trials', o.trials, { min: 1 });
  return { ...o, run };
}

/** One line for a curriculum run of either network kind: its largest solved N, steps and why it stopped. */
const summarizeCurriculumRun = (r: CurriculumRun | GatedCurriculumRun): string => `N = ${r.snapshots.at(-1)?.N ?? 0} solved after ${r.stepsDone} steps (${r.stopReason})`;

export const SWEEP_JOBS: Record<string, SweepJobKind> = {
  'timescales.curriculum': {
    description: 'one curriculum run of the timescales study (notebook 05): the RNN trained stage by stage on N-parity or N-DMS, snapshots at every solved N',
    moduleUrl: TIMESCALES_JOBS_URL,
    exportName: 'curriculumJob',
    defaults: CURRICULUM_DEFAULTS,
    validate: (options) => validateCurriculum(options as Partial<CurriculumOptions>),
    multiplyAdds: (options) => curriculumMultiplyAdds(options as CurriculumOptions),
    stepShape: (options) => options as CurriculumOptions,
    timingKeys: ['wallSeconds'],
    summarize: (result) => summarizeCurriculumRun(result as CurriculumRun),
    describeProgress: describeCurriculumProgress,
  },
  'timescales.gatedCurriculum': {
    description: 'one curriculum run of an LSTM or a GRU (claim T15\'s protocol): single- or multi-head, the study\'s LSTM set-up (Adam, clip 2, ±1 inputs), snapshots at every solved N',
    moduleUrl: TIMESCALES_JOBS_URL,
    exportName: 'gatedCurriculumJob',
    defaults: GATED_CURRICULUM_DEFAULTS,
    validate: (options) => validateGatedCurriculum(options as Partial<GatedCurriculumOptions>),
    multiplyAdds: (options) => {
      // 3 × (G·H × (I + H) products) per time step and sequence, forward and backward; sequences as for the leaky RNN.
      const o = options as GatedCurriculumOptions;
      const M = 2.5 * o.targetN + 1.5;
      const perStep = 3 * GATE_COUNT[o.cell] * o.hiddenSize * (o.hiddenSize + 1) * o.batchSize * M;
      return o.maxSteps * perStep + Math.ceil(o.maxSteps / o.stepsPerEpoch) * o.testBatches * (perStep / 3);
    },
    stepShape: (options) => {
      const o = options as GatedCurriculumOptions;
      return { size: o.hiddenSize, batchSize: o.batchSize, cell: o.cell };
    },
    timingKeys: ['wallSeconds'],
    summarize: (result) => summarizeCurriculumRun(result as GatedCurriculumRun),
    describeProgress: describeCurriculumProgress,
  },
  'timescales.tauNet': {
    description: 'τ_net of snapshots of one curriculum run (notebook 06): the network driven by noise, each neuron\'s autocorrelation time (runs the curriculum run first if it is not cached)',
    moduleUrl: TIMESCALES_JOBS_URL,
    exportName: 'tauNetJob',
    defaults: TAU_NET_DEFAULTS,
    validate: (options) => validateTauNet(options as Partial<TauNetJob>),
    multiplyAdds: (options) => {
      const o = options as TauNetJob;
      const run = o.run as CurriculumOptions; // complete once validated
      return curriculumMultiplyAdds(run) + o.Ns.length * o.trials * o.steps * run.size * run.size;
    },
    stepShape: (options) => (options as TauNetJob).run as CurriculumOptions,
    timingKeys: [],
    summarize: (result) => (result as TauNetResult[]).map((r) => `N ${r.N}: τ_net ${r.mean.toFixed(2)}`).join(', ') || 'no snapshot analysed',
    describeProgress: progressAsJson,
  },
  'sequential.networkRun': {
    description: 'one finite network trained on pattern A then B (notebook 08), with its interference index, learning mode and fixed points',
    moduleUrl: SEQUENTIAL_JOBS_URL,
    exportName: 'networkRunJob',
    defaults: NETWORK_RUN_DEFAULTS,
    validate: (options) => validateNetworkRun(options as Partial<NetworkRunParams>),
    multiplyAdds: (options) => {
      // Two trials per step, each K = duration/dt Euler steps of an N × N product, forward and backward.
      const o = options as NetworkRunParams;
      const K = FIXED_POINT_TASK_DEFAULTS.duration / FIXED_POINT_TASK_DEFAULTS.dt;
      return (o.stepsA + o.stepsB) * 2 * 3 * K * o.size * o.size;
    },
    stepShape: (options) => ({ size: (options as NetworkRunParams).size, batchSize: 2 }),
    timingKeys: ['seconds'],
    summarize: (result) => {
      const r = result as NetworkRunSummary;
      return `interference ${r.interference.toFixed(3)}, mode ${r.mode}`;
    },
    describeProgress: progressAsJson,
  },
};

export function sweepJobKind(name: unknown, field = 'job'): SweepJobKind {
  if (typeof name !== 'string' || !(name in SWEEP_JOBS)) {
    throw new ParameterError(field, `unknown job ${JSON.stringify(name)}; known jobs are ${Object.keys(SWEEP_JOBS).join(', ')}`);
  }
  return SWEEP_JOBS[name];
}
