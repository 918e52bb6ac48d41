/**
 * Notebook 07 (sequential interference, the reduced models): the linear input-driven reference task and its exact
 * 2×2 reduction (claim S0), and the mean-field 2-D model of the fixed-point task A → B (claims S2, S3, and the
 * mean-field part of S4). README §3.1 (c), §3.2, §4, §5, §6.
 */
import { cachedJson } from '../../io/atomic.js';
import { spearman } from '../../numerics/statistics.js';
import { classifyAttractors, classifyMode, criticalEigenvalue, patternEigen, raceTimes, type AttractorTest, type LearningMode, type PatternEigen } from './patternModes.js';
import { linearReducedCurve, linearSeries, trainLinearNetwork, type LinearNetworkRun } from './linearReference.js';
import { meanFieldGradient, MeanFieldLearner, meanFieldTrajectory } from './meanField2d.js';
import { byScale } from '../../notebook/scale.js';
import { fixedPointTrial, inputDurationForFraction, type FixedPointTaskOptions } from '../../tasks/fixedPointMemoryTask.js';
import { interferenceIndex, learningTime, trainSequential, type SequentialRecord } from './sequentialTraining.js';
import { checkLike, DivergenceError, withDefaults } from '../../numerics/validate.js';
// The S0 summary measures at the criterion's own settings (series τ, loss level, gains).
import { REDUCED_CRITERIA } from './claims.js';
import { LINEAR_TARGETS, REDUCED_SCALES, ReducedScale, reducedScale } from './config.js';

// ---------------------------------------------------------------------------------------------------------------
// S0: the linear reference task

export interface LinearStudyRun {
  gain: number;
  target: number;
  run: LinearNetworkRun | null;
  /** Why the run stopped (e.g. an eigenvalue of W reached 1), when it did. */
  failure?: string;
}

/** Every (g, ẑ) run of the scale, cached on disk (≈ 4 s each at N = 512). */
export function linearStudy(s: ReducedScale['linear'] = reducedScale().linear): LinearStudyRun[] {
  checkLike('s', s, REDUCED_SCALES.quick.linear);
  const runs: LinearStudyRun[] = [];
  for (const target of s.targets) {
    const lr0 = LINEAR_TARGETS.find((t) => t.target === target)?.lr0 ?? 0.015;
    for (const gain of s.gains) {
      const params = { size: s.size, gain, target, lr0, epochs: s.epochs, seed: s.seed };
      runs.push(
        cachedJson('linear-reference-v2', params, () => {
          try {
            return { gain, target, run: trainLinearNetwork(params) };
          } catch (e) {
            if (e instanceof DivergenceError) return { gain, target, run: null, failure: e.message };
            throw e;
          }
        }),
      );
    }
  }
  return runs;
}

/** The reduced ODE sampled at the network's epochs (τ = lr × epoch), on a fine RK4 grid. */
export function reducedCurveAtEpochs(target: number, lr: number, epochs: number): Float64Array {
  const sub = 20;
  const curve = linearReducedCurve(target, lr * epochs, lr / sub);
  return Float64Array.from({ length: epochs + 1 }, (_, e) => curve.z[e * sub]);
}

export interface S0Summary {
  /** |ODE − series| at τ = 0.1 and 0.05 for ẑ = 0.5, and the ratio (≈ 16 if the error scales as τ⁴). */
  seriesError: number;
  seriesErrorHalf: number;
  seriesScaling: number;
  /** max |z_sim − z_ODE| over the epochs, per target, at g = 0. */
  simulationError: { target: number; error: number }[];
  /** Δz(first step) / (lr (ẑ − z₀) β²) for g in the criterion's set. */
  firstStep: { gain: number; target: number; ratio: number }[];
  /** τ̃ = β² lr × epochs at 5 % loss, and its ratio to the g = 0 value. */
  collapse: { gain: number; target: number; tauTilde: number; ratio: number }[];
  /** Whether a run the criterion needs (g = 0 or g in its set) failed to train. */
  missingRuns: boolean;
}

/** The measurements claim S0 is judged on (README §5, §6): series and simulation errors, first-step ratios, τ̃ collapse. */
export function summarizeS0(runs: LinearStudyRun[]): S0Summary {
  const c = REDUCED_CRITERIA.S0;
  const ode = (tau: number) => {
    const curve = linearReducedCurve(0.5, tau, tau / 2000);
    return Math.abs(curve.z[curve.z.length - 1] - linearSeries(0.5, tau));
  };
  const seriesError = ode(c.seriesTau);
  const seriesErrorHalf = ode(c.seriesTau / 2);
  const simulationError: S0Summary['simulationError'] = [];
  const firstStep: S0Summary['firstStep'] = [];
  const collapse: S0Summary['collapse'] = [];
  const tauTilde = (r: LinearNetworkRun) => {
    const e = learningTime(r.loss, c.lossLevel);
    return e * r.lr * r.beta * r.beta;
  };
  for (const { gain, target, run } of runs) {
    if (!run) continue;
    if (gain === 0) {
      const z = reducedCurveAtEpochs(target, run.lr, run.options.epochs);
      simulationError.push({ target, error: Math.max(...run.z.map((v, e) => Math.abs(v - z[e]))) });
    }
    if (c.firstStepGains.includes(gain)) {
      const ratio = (run.z[1] - run.z[0]) / (run.lr * (target - run.z[0]) * run.beta * run.beta);
      firstStep.push({ gain, target, ratio });
      const base = runs.find((r) => r.gain === 0 && r.target === target)?.run;
      if (base) collapse.push({ gain, target, tauTilde: tauTilde(run), ratio: tauTilde(run) / tauTilde(base) });
    }
  }
  const missingRuns = runs.some((r) => !r.run && (r.gain === 0 || c.firstStepGains.includes(r.gain)));
  return { seriesError, seriesErrorHalf, seriesScaling: seriesError / seriesErrorHalf, simulationError, firstStep, collapse, missingRuns };
}

// ---------------------------------------------------------------------------------------------------------------
// S2-S4: the mean-field model

export interface MeanFieldRunOptions {
  leak: number;
  /** Fraction f_in of the loss window covered by the sustained input (README §4.2). */
  inputFraction: number;
  outputs: FixedPointTaskOptions['outputs'];
}

export const MEAN_FIELD_RUN_DEFAULTS: MeanFieldRunOptions = { leak: 0, inputFraction: 0, outputs: 'constrained' };

export interface MeanFieldRun {
  options: MeanFieldRunOptions;
  record: SequentialRecord;
  /** M after phase A and after phase B. */
  MAfterA: number[];
  MAfterB: number[];
  /** Eigen-parametrisation along phase B (at record.recordSteps). */
  eigens: PatternEigen[];
  interference: number;
  cuedInterference: number;
  /** t_B: first phase-B step with L_B ≤ 5 % of its start (n_B if never). */
  learningTime: number;
  mode: LearningMode;
  attractors: AttractorTest;
  race: { rotation: number; newFormation: number };
  /** Largest |M₁₂|, |M₂₁| seen during phase B. */
  maxOffDiagonal: number;
}

/** λ_c of the mean-field model (g = 0). */
export const MEAN_FIELD_LAMBDA_C = criticalEigenvalue(0);

export function taskOptions(o: MeanFieldRunOptions, duration?: number): Partial<FixedPointTaskOptions> {
  return { leak: o.leak, outputs: o.outputs, inputDuration: inputDurationForFraction(o.inputFraction), ...(duration ? { duration } : {}) };
}

/** One A → B run of the mean-field model with the study's gradient descent (lr 0.1, 1500 + 1500 steps). */
export function meanFieldSequentialRun(options: Partial<MeanFieldRunOptions> = {}, s: ReducedScale['meanField'] = reducedScale().meanField): MeanFieldRun {
  const o = withDefaults('meanFieldRun', MEAN_FIELD_RUN_DEFAULTS, options);
  checkLike('s', s, REDUCED_SCALES.quick.meanField);
  const task = taskOptions(o);
  const learner = new MeanFieldLearner([fixedPointTrial(0, task), fixedPointTrial(1, task)], s.lr);
  const record = trainSequential(learner, { stepsA: s.stepsA, stepsB: s.stepsB, recordEvery: 1 });
  const eigens = record.patternMatrices.map((m) => patternEigen(m));
  const final = eigens[eigens.length - 1];
  // §5.3: long noise-free trials (T = 200) from the two cue pulses (with the run's leak and input).
  const long = taskOptions(o, 200);
  const end = (cue: 0 | 1) => {
    const t = fixedPointTrial(cue, long);
    return meanFieldTrajectory(learner.M, t.initial, t.steps, t.dt, t.input).slice(-2);
  };
  return {
    options: o,
    record,
    MAfterA: record.patternMatrixAfterA,
    MAfterB: Array.from(learner.M),
    eigens,
    interference: interferenceIndex(record.lossAInitial, record.lossAAfterA, record.lossAAfterB),
    cuedInterference: interferenceIndex(record.cuedLossAInitial, record.cuedLossAAfterA, record.cuedLossAAfterB),
    learningTime: learningTime(record.lossB),
    mode: classifyMode(final, MEAN_FIELD_LAMBDA_C),
    attractors: classifyAttractors(end(0), end(1)),
    race: raceTimes(eigens, MEAN_FIELD_LAMBDA_C),
    maxOffDiagonal: Math.max(...record.patternMatrices.map((m) => Math.max(Math.abs(m[1]), Math.abs(m[2])))),
  };
}

/** Trajectories of the mean-field flow from a ring of starting points and from the two cue pulses (phase portraits). */
export function meanFieldPortrait(M: ArrayLike<number>, starts = 16, radius = 1.6, duration = 20, dt = 0.1): { ring: Float64Array[]; cues: Float64Array[] } {
  const steps = Math.round(duration / dt);
  const ring = Array.from({ length: starts }, (_, i) => {
    const a = (2 * Math.PI * (i + 0.5)) / starts;
    return meanFieldTrajectory(M, [radius * Math.cos(a), radius * Math.sin(a)], steps, dt);
  });
  const cues = [
    [1, 0],
    [0, 1],
    [-1, 0],
    [0, -1],
  ].map((k) => meanFieldTrajectory(M, k, steps, dt));
  return { ring, cues };
}

export interface TimeResolvedGradient {
  /** Time t_k = k·dt of each contribution. */
  time: Float64Array;
  /** |contribution| of the rotation path (entries (1,2) and (2,1)) and of the new-formation path (entry (2,2)). */
  rotation: Float64Array;
  newFormation: Float64Array;
  rotationCentroid: number;
  newFormationCentroid: number;
}

/** README §5.6: ∂L_B/∂M at the first phase-B step split into per-time contributions dt·λ_{k+1} f(κ_k)ᵀ. */
export function timeResolvedGradient(MAfterA: ArrayLike<number>, o: MeanFieldRunOptions): TimeResolvedGradient {
  const trial = fixedPointTrial(1, taskOptions(o));
  const { perStep } = meanFieldGradient(MAfterA, trial, true);
  const K = trial.steps;
  const time = Float64Array.from({ length: K }, (_, k) => k * trial.dt);
  const rotation = Float64Array.from({ length: K }, (_, k) => Math.abs(perStep![4 * k + 1]) + Math.abs(perStep![4 * k + 2]));
  const newFormation = Float64Array.from({ length: K }, (_, k) => Math.abs(perStep![4 * k + 3]));
  const centroid = (w: Float64Array) => w.reduce((acc, x, k) => acc + x * time[k], 0) / w.reduce((acc, x) => acc + x, 0);
  return { time, rotation, newFormation, rotationCentroid: centroid(rotation), newFormationCentroid: centroid(newFormation) };
}

export interface S4MeanField {
  fractions: number[];
  interference: number[];
  lossAAfterA: number[];
  ratio: number;
  spearman: number;
}

/** I against the input fraction f_in for the mean field at ε = 0.01, constrained (claim S4). */
export function inputEmphasisMeanField(s: ReducedScale['meanField'] = reducedScale().meanField, leak = 0.01): S4MeanField {
  const runs = s.fractions.map((f) => meanFieldSequentialRun({ leak, inputFraction: f }, s));
  const interference = runs.map((r) => r.interference);
  const i0 = interference[s.fractions.indexOf(0)];
  const i1 = interference[s.fractions.indexOf(1)];
  const ratio = i1 / i0;
  const rho = spearman(interference, s.fractions);
  return { fractions: s.fractions, interference, lossAAfterA: runs.map((r) => r.record.lossAAfterA), ratio, spearman: rho };
}

