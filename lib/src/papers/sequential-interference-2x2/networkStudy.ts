/**
 * Notebook 08 (sequential interference in finite networks): the grid of A → B runs over plasticity (2×2, full rank),
 * non-cued output (constrained, unconstrained), gain g and seed, run as cached worker-thread jobs, and the checks of
 * claims S1, S4 (full-rank part), S5a and S5b. README §3.3, §6, §7.
 */
import { arrayMean } from '../../numerics/statistics.js';
import { validatePatternNetwork, type Plasticity } from './patternNetwork.js';
import { byScale } from '../../notebook/scale.js';
import { runParallel } from '../../parallel/workerPool.js';
import type { FixedPointTaskOptions } from '../../tasks/fixedPointMemoryTask.js';
import type { Nonlinearity } from '../../numerics/nonlinearity.js';
import type { NetworkRunParams, NetworkRunSummary } from './networkJobs.js';
import { NETWORK_SCALES, NetworkScale } from './config.js';
import { checkChoice, checkInteger, checkLike, checkNumber, withDefaults } from '../../numerics/validate.js';

export const SEQUENTIAL_JOBS_URL = new URL(import.meta.url.endsWith('.ts') ? './networkJobs.ts' : './networkJobs.js', import.meta.url);

export type OutputVariant = FixedPointTaskOptions['outputs'];

export interface RunVariant {
  inputFraction: number;
  noiseStd: number;
  catchTrials: boolean;
  rate: Nonlinearity;
}

export const BASE_VARIANT: RunVariant = { inputFraction: 0, noiseStd: 0, catchTrials: false, rate: 'erf' };

export function runParams(s: NetworkScale, plasticity: Plasticity, outputs: OutputVariant, gain: number, seed: number, variant: Partial<RunVariant> = {}): NetworkRunParams {
  checkLike('s', s, NETWORK_SCALES.quick);
  const v = withDefaults('variant', BASE_VARIANT, variant);
  return { size: s.size, gain, plasticity, outputs, seed, stepsA: s.stepsA, stepsB: s.stepsB, lr: s.lr, recordEvery: s.recordEvery, dtype: 'float32', ...v };
}

/** Every option of one A → B run with its default: the full scale's 2×2 run at g = 0, seed 1 (what a sweep file overrides). */
export const NETWORK_RUN_DEFAULTS: NetworkRunParams = runParams(NETWORK_SCALES.full, '2x2', 'constrained', 0, 1);

/** One run's parameters, complete and checked before it is started (a sweep validates every point before submitting). */
export function validateNetworkRun(params: Partial<NetworkRunParams>): NetworkRunParams {
  const p = withDefaults('networkRun', NETWORK_RUN_DEFAULTS, params);
  validatePatternNetwork({ size: p.size, gain: p.gain, plasticity: p.plasticity, seed: p.seed, dtype: p.dtype, noiseStd: p.noiseStd, rate: p.rate });
  checkChoice('networkRun.outputs', p.outputs, ['constrained', 'unconstrained']);
  checkNumber('networkRun.inputFraction', p.inputFraction, { min: 0, max: 1 });
  checkInteger('networkRun.stepsA', p.stepsA, { min: 1 });
  checkInteger('networkRun.stepsB', p.stepsB, { min: 1 });
  checkNumber('networkRun.lr', p.lr, { min: 0, exclusiveMin: true });
  checkInteger('networkRun.recordEvery', p.recordEvery, { min: 1, max: p.stepsB });
  checkInteger('networkRun.seed', p.seed);
  return p;
}

export interface NetworkGrid {
  runs: NetworkRunSummary[];
  /** Runs of one cell of the grid (all seeds); `variant` defaults to the plain task (no input, noise or catch trials). */
  cell(plasticity: Plasticity, outputs: OutputVariant, gain: number, variant?: Partial<RunVariant>): NetworkRunSummary[];
}

export function gridOf(runs: NetworkRunSummary[]): NetworkGrid {
  return {
    runs,
    cell: (plasticity, outputs, gain, variant = {}) => {
      const v = withDefaults('variant', BASE_VARIANT, variant);
      return runs.filter(
        (r) =>
          r.params.plasticity === plasticity && r.params.outputs === outputs && r.params.gain === gain &&
          r.params.inputFraction === v.inputFraction && r.params.noiseStd === v.noiseStd && r.params.catchTrials === v.catchTrials && r.params.rate === v.rate,
      );
    },
  };
}

/** The S5b variants run on full-rank constrained networks at g = 0 and 0.9 (README §6, S5b variants 2, 3, 5 and 1 + 5). */
export const S5B_VARIANTS = (s: NetworkScale): Partial<RunVariant>[] => [
  { rate: 'double-tanh' },
  { inputFraction: s.variantFraction },
  { noiseStd: s.variantNoise },
  { noiseStd: s.variantNoise, catchTrials: true },
];

/** Every job of the notebook: the main grid, the S4 emphasis sweep and the S5b input variant. */
export function networkJobs(s: NetworkScale): NetworkRunParams[] {
  const jobs: NetworkRunParams[] = [];
  for (const plasticity of ['2x2', 'full'] as const) {
    for (const outputs of ['constrained', 'unconstrained'] as const) {
      for (const gain of s.gains) for (const seed of s.seeds) jobs.push(runParams(s, plasticity, outputs, gain, seed));
    }
  }
  for (const f of s.fractions) for (const seed of s.seeds) jobs.push(runParams(s, 'full', 'constrained', s.emphasisGain, seed, { inputFraction: f }));
  for (const variant of S5B_VARIANTS(s)) {
    for (const gain of [0, 0.9]) for (const seed of s.seeds) jobs.push(runParams(s, 'full', 'constrained', gain, seed, variant));
  }
  // S5b variant 4: plasticity restricted to the g-dependent basis.
  for (const gain of [0, 0.9]) for (const seed of s.seeds) jobs.push(runParams(s, 'g-basis', 'constrained', gain, seed));
  // The same job can be listed twice (e.g. g = 0.5, f_in = 0.5): keep the first.
  const seen = new Set<string>();
  return jobs.filter((j) => {
    const key = JSON.stringify(j);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Runs (or loads from the cache) every job on worker threads. */
export async function networkRuns(s: NetworkScale, onDone?: (label: string) => void, workers?: number): Promise<NetworkGrid> {
  const jobs = networkJobs(s);
  const runs = await runParallel<NetworkRunParams, NetworkRunSummary>(SEQUENTIAL_JOBS_URL, 'networkRunJob', jobs, {
    workers,
    onResult: (i) => onDone?.(`${jobs[i].plasticity}, ${jobs[i].outputs}, g = ${jobs[i].gain}, f_in = ${jobs[i].inputFraction}, seed ${jobs[i].seed}`),
  });
  return gridOf(runs);
}

/** Seed-mean interference over the runs that learned A (NaN if none did), and how many did. */
export function meanInterference(runs: NetworkRunSummary[]): { mean: number; learned: number; total: number } {
  const ok = runs.filter((r) => r.learnedA);
  return { mean: arrayMean(ok.map((r) => r.interference)), learned: ok.length, total: runs.length };
}

