/**
 * Every parameter of the timescales study in one place (README §3, §7): network size, batch, budgets, targets,
 * seeds and the analyses' lengths, at quick and full scale, plus the robustness analyses' settings. The
 * curriculum's own defaults (optimiser, advance rule, heads) are CURRICULUM_DEFAULTS in curriculum.ts.
 */
import { byScale, scale } from '../../notebook/scale.js';
import { checkChoice, checkInteger } from '../../numerics/validate.js';

export const TIMESCALES_SCALES = {
  quick: { size: 32, batchSize: 16, stepsPerEpoch: 25, testBatches: 4, heads: 16, maxSteps: 10_000, singleTarget: 8, multiTarget: 8, seeds: [1], t1N: 8, t1Factor: 0.8, tauNetSteps: 5000, tauNetTrials: 4, tauNetNs: [2, 5, 8], fixedTaus: [1, 2, 3], controlSeeds: [1], t11N: 8 },
  full: { size: 100, batchSize: 32, stepsPerEpoch: 50, testBatches: 8, heads: 40, maxSteps: 80_000, singleTarget: 14, multiTarget: 20, seeds: [1, 2, 3], t1N: 12, t1Factor: 1 / 3, tauNetSteps: 20_000, tauNetTrials: 10, tauNetNs: [2, 5, 10, 15, 20], fixedTaus: [1, 2, 3], controlSeeds: [1, 2], t11N: 12 },
};

export type TimescalesScale = (typeof TIMESCALES_SCALES)['full'];

/**
 * The original study's scale (README §7, "original" column): n = 500, batch 256, 600 steps and 50 × 256 test sequences
 * per epoch, 100 heads, at most 1,000 epochs, 4 networks per condition. Far beyond a laptop (sweeps/ has its presets
 * for a Slurm cluster: `npm run sweep -- sweeps/timescales-paper-curricula.json --dry-run`); notebook 05 shows these
 * runs as a variant when they are in the cache (RNNLAB_TIMESCALES_VARIANT=paper). The analysis settings are the full
 * scale's except τ_net's simulation (10⁵ steps, README §5.2) and the snapshots it reads.
 */
export const TIMESCALES_PAPER_SCALE: TimescalesScale = {
  ...TIMESCALES_SCALES.full,
  size: 500, batchSize: 256, stepsPerEpoch: 600, testBatches: 50, heads: 100, maxSteps: 600_000, singleTarget: 101, multiTarget: 101,
  seeds: [1, 2, 3, 4], controlSeeds: [1, 2, 3, 4], tauNetSteps: 100_000, tauNetNs: [2, 5, 10, 20, 40, 60, 80, 100],
};

/** The work limit the paper-scale runs need (a run is ≈ 4·10¹⁶ multiply–adds; the library refuses more than 10¹⁴ unless told). */
export const TIMESCALES_PAPER_MAX_WORK = '1e17';

/**
 * The scale of the timescales notebooks. RNNLAB_TIMESCALES_N sets the hidden size n at full scale (README §7: 100;
 * the reproduce job also runs notebooks 05 and 10 at 64): `RNNLAB_TIMESCALES_N=64 npm run reproduce`. Runs of another
 * n are cached separately.
 * RNNLAB_TIMESCALES_VARIANT=paper (full scale only) gives TIMESCALES_PAPER_SCALE, for runs a cluster sweep computed.
 */
export function timescalesScale(): TimescalesScale {
  const s = byScale(TIMESCALES_SCALES);
  const variant = process.env.RNNLAB_TIMESCALES_VARIANT;
  if (variant !== undefined && variant !== '' && scale() !== 'quick') {
    checkChoice('RNNLAB_TIMESCALES_VARIANT', variant, ['paper']);
    return TIMESCALES_PAPER_SCALE;
  }
  const env = process.env.RNNLAB_TIMESCALES_N;
  if (env === undefined || env === '' || scale() === 'quick') return s;
  return { ...s, size: checkInteger('RNNLAB_TIMESCALES_N', Number(env), { min: 8, max: 512 }) };
}

/**
 * The scale of the gated-network curricula (notebook 13, claim T15; README §4.2, §7). The original: nn.LSTM with 500
 * units and 100 heads, batch 64, 300 training and 50 test steps per epoch, 100 epochs (30,000 steps), Adam lr 1e-3.
 * Ours keeps the set-up (batch 64, Adam lr 1e-3, clip 2, ±1 inputs) at H = 64 units, 40 heads and a common budget of
 * 6,000 steps for every cell, curriculum and seed, so that all twelve full-scale runs fit in ~10 minutes on two cores.
 * The leaky RNN of notebook 05 is shown over the same budget (its runs with `maxSteps` = this budget are the first
 * `maxSteps` steps of notebook 05's runs, bit for bit).
 */
export const GATED_SCALES = {
  quick: { hiddenSize: 32, batchSize: 32, stepsPerEpoch: 25, testBatches: 4, heads: 12, maxSteps: 1500, lr: 1e-3, seeds: [1], cells: ['lstm', 'gru'] as const },
  full: { hiddenSize: 64, batchSize: 64, stepsPerEpoch: 50, testBatches: 8, heads: 40, maxSteps: 6000, lr: 1e-3, seeds: [1, 2, 3], cells: ['lstm', 'gru'] as const },
};

export type GatedScale = (typeof GATED_SCALES)['full'];

export const gatedScale = (): GatedScale => byScale(GATED_SCALES);

/** Dimensionality settings (README §5.3 uses the τ_net simulation; PCA converges with shorter runs: 4 × 5,000 steps). */
export const DIMENSIONALITY = { steps: 5500, discard: 500, trials: 4 };

export interface RobustnessScale {
  /** Neurons per ablation group (README §7: 4 + 4 quick, 8 + 8 full). */
  group: number;
  /** Baseline and per-condition streams (count × length after a 100-step warm-up). */
  baselineStreams: number;
  streams: number;
  streamLength: number;
  /** Perturbation draws per ε. */
  draws: number;
  /** The "small N" snapshot of T8. */
  smallN: number;
  /** T8/T9 use the largest N both curricula solved, required to be at least this (study: 12). */
  minCommonN: number;
  /** T10 (README §5.9, §7): start snapshot N₀, the N′ retrained on, epochs of retraining; the criterion averages N′ ≥ retrainFrom. */
  retrain: { N0: number; Nprimes: number[]; epochs: number; from: number };
}

export const ROBUSTNESS_SCALES: Record<'quick' | 'full', RobustnessScale> = {
  quick: { group: 4, baselineStreams: 2, streams: 2, streamLength: 600, draws: 2, smallN: 4, minCommonN: 12, retrain: { N0: 4, Nprimes: [4, 6, 8], epochs: 4, from: 6 } },
  full: { group: 8, baselineStreams: 5, streams: 2, streamLength: 1100, draws: 3, smallN: 4, minCommonN: 12, retrain: { N0: 8, Nprimes: [8, 10, 12, 14, 16], epochs: 20, from: 12 } },
};

export const robustnessScale = (): RobustnessScale => byScale(ROBUSTNESS_SCALES);
