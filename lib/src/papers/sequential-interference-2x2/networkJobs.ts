/**
 * Worker-thread job of notebook 08: one finite network trained A → B on the fixed-point task, analysed and cached
 * on disk (atomic JSON), for `runParallel` (module URL: SEQUENTIAL_JOBS_URL in networkStudy.ts).
 * README §3.1 (a), (b), §4.1, §5.1–5.5.
 */
import { findFixedPoints, rateNetworkFlow } from '../../analysis/fixedPoints.js';
import { classifyAttractors, classifyMode, criticalEigenvalue, patternEigen, raceTimes, type AttractorTest, type LearningMode, type PatternEigen } from './patternModes.js';
import { cachedJson } from '../../io/atomic.js';
import { svd } from '../../numerics/matrix.js';
import { createPatternNetwork, currentRecurrent, expandFromPair, PatternNetworkLearner, patternTrajectory, projectToPair, type Plasticity } from './patternNetwork.js';
import { Rng } from '../../numerics/rng.js';
import { fixedPointTrial, inputDurationForFraction, type FixedPointTaskOptions } from '../../tasks/fixedPointMemoryTask.js';
import { interferenceIndex, learningTime, trainSequential } from './sequentialTraining.js';
import type { Dtype } from '../../numerics/kernels/types.js';
import type { Nonlinearity } from '../../numerics/nonlinearity.js';

/** Bump when the training or the analysis of a run changes, so that cached runs are recomputed. */
export const SEQUENTIAL_CACHE_VERSION = 2;

export interface NetworkRunParams {
  size: number;
  gain: number;
  plasticity: Plasticity;
  outputs: FixedPointTaskOptions['outputs'];
  /** Input-emphasis fraction f_in (README §4.2; 0 = pulse only). */
  inputFraction: number;
  seed: number;
  stepsA: number;
  stepsB: number;
  lr: number;
  /** L_A and the pattern matrix are recorded every this many phase-B steps. */
  recordEvery: number;
  dtype: Dtype;
  /** S5b variants 1 and 5: hidden-state noise σ during training, and catch trials (weight 0.25). */
  noiseStd: number;
  catchTrials: boolean;
  /** φ of the network (S5b variant 2: 'double-tanh'). */
  rate: Nonlinearity;
}

export interface FixedPointSummary {
  /** κ of each stable fixed point found (§5.4), and how many unstable ones. */
  stable: number[][];
  unstable: number;
}

export interface NetworkRunSummary {
  params: NetworkRunParams;
  lossAPhaseA: number[];
  lossB: number[];
  lossA: number[];
  recordSteps: number[];
  eigens: PatternEigen[];
  MeffAfterA: number[];
  MeffAfterB: number[];
  lossAInitial: number;
  lossAAfterA: number;
  lossAAfterB: number;
  interference: number;
  cuedInterference: number;
  /** A counts as learned when L_A(after A) ≤ 5 % of L_A(initial); otherwise I does not measure forgetting. */
  learnedA: boolean;
  learningTime: number;
  lambdaC: number;
  mode: LearningMode;
  attractors: AttractorTest;
  race: { rotation: number; newFormation: number };
  /** Full rank and g-basis: ‖ΔW_B − P_U ΔW_B P_U‖_F / ‖ΔW_B‖_F and the leading singular values of ΔW_B (README §5.5). */
  outOfSpan: number | null;
  singularValues: number[];
  fixedPoints: FixedPointSummary;
  seconds: number;
}

function patternCoordinates(x: Float64Array, U: Float64Array, N: number): number[] {
  let a = 0;
  let b = 0;
  for (let i = 0; i < N; i++) {
    a += U[2 * i] * x[i];
    b += U[2 * i + 1] * x[i];
  }
  return [a / N, b / N];
}

export function networkRunJob(params: NetworkRunParams): NetworkRunSummary {
  return cachedJson('sequential-network', { params, v: SEQUENTIAL_CACHE_VERSION }, () => {
    const started = Date.now();
    const p = params;
    const net = createPatternNetwork({ size: p.size, gain: p.gain, plasticity: p.plasticity, seed: p.seed, dtype: p.dtype, noiseStd: p.noiseStd, rate: p.rate });
    const N = p.size;
    const task: Partial<FixedPointTaskOptions> = { outputs: p.outputs, inputDuration: inputDurationForFraction(p.inputFraction) };
    const learner = new PatternNetworkLearner(net, [fixedPointTrial(0, task), fixedPointTrial(1, task)], { lr: p.lr, catchTrials: p.catchTrials, noiseSeed: p.seed });
    let WAfterA: Float64Array | null = null;
    const record = trainSequential(learner, {
      stepsA: p.stepsA,
      stepsB: p.stepsB,
      recordEvery: p.recordEvery,
      afterPhaseA: () => void (WAfterA = currentRecurrent(net)),
    });
    const eigens = record.patternMatrices.map((m) => patternEigen(m));
    const lambdaC = criticalEigenvalue(p.gain);
    // §5.3: where long noise-free trials from the two pulses end.
    const long = { ...task, duration: 200 };
    const end = (cue: 0 | 1) => patternTrajectory(net, fixedPointTrial(cue, long)).slice(-2);
    const W = currentRecurrent(net);
    // §5.5: where the phase-B change of W lives (full rank only; for 2×2 it is in the span by construction).
    let outOfSpan: number | null = null;
    let singularValues: number[] = [];
    if (p.plasticity !== '2x2' && WAfterA) {
      const D = W.map((w, i) => w - WAfterA![i]);
      // P_U D P_U = U (UᵀDU/N) Uᵀ/N with UᵀU = N I.
      const inSpan = expandFromPair(null, net.U, projectToPair(D, net.U, net.U, N), net.U, N);
      let out = 0;
      let total = 0;
      for (let k = 0; k < D.length; k++) {
        out += (D[k] - inSpan[k]) ** 2;
        total += D[k] * D[k];
      }
      outOfSpan = total > 0 ? Math.sqrt(out / total) : 0;
      singularValues = Array.from(svd({ rows: N, cols: N, data: D }).s.slice(0, 4));
    }
    // §5.4: fixed points from the states at t = 20 of both ± pulses and from 20 random κ, for the flow −x + Wφ(x).
    const starts: Float64Array[] = [];
    for (const cue of [0, 1] as const) {
      const t = fixedPointTrial(cue, task);
      const kappa = patternTrajectory(net, t);
      const k = kappa.slice(-2);
      for (const s of [1, -1]) {
        const x = new Float64Array(N);
        for (let i = 0; i < N; i++) x[i] = s * (net.U[2 * i] * k[0] + net.U[2 * i + 1] * k[1]);
        starts.push(x);
      }
    }
    const rng = Rng.stream(p.seed, 'fixed-point-starts');
    for (let r = 0; r < 20; r++) {
      const a = rng.uniform(0, 2 * Math.PI);
      const radius = rng.uniform(0.3, 1.5);
      const x = new Float64Array(N);
      for (let i = 0; i < N; i++) x[i] = radius * (net.U[2 * i] * Math.cos(a) + net.U[2 * i + 1] * Math.sin(a));
      starts.push(x);
    }
    const data = new Float64Array(starts.length * N);
    starts.forEach((x, r) => data.set(x, r * N));
    const found = findFixedPoints(rateNetworkFlow({ rows: N, cols: N, data: W }, null, 1, p.rate), { rows: starts.length, cols: N, data }, { uniqueTolerance: 1e-3 });
    const fixedPoints: FixedPointSummary = {
      stable: found.points.filter((q) => q.stable).map((q) => patternCoordinates(q.x, net.U, N)),
      unstable: found.points.filter((q) => !q.stable).length,
    };
    return {
      params: p,
      lossAPhaseA: Array.from(record.lossAPhaseA).filter((_, i) => i % p.recordEvery === 0),
      lossB: Array.from(record.lossB),
      lossA: Array.from(record.lossA),
      recordSteps: record.recordSteps,
      eigens,
      MeffAfterA: record.patternMatrixAfterA,
      MeffAfterB: record.patternMatrices[record.patternMatrices.length - 1],
      lossAInitial: record.lossAInitial,
      lossAAfterA: record.lossAAfterA,
      lossAAfterB: record.lossAAfterB,
      interference: interferenceIndex(record.lossAInitial, record.lossAAfterA, record.lossAAfterB),
      cuedInterference: interferenceIndex(record.cuedLossAInitial, record.cuedLossAAfterA, record.cuedLossAAfterB),
      learnedA: record.lossAAfterA <= 0.05 * record.lossAInitial,
      learningTime: learningTime(record.lossB),
      lambdaC,
      mode: classifyMode(eigens[eigens.length - 1], lambdaC),
      attractors: classifyAttractors(end(0), end(1)),
      race: raceTimes(eigens, lambdaC),
      outOfSpan,
      singularValues,
      fixedPoints,
      seconds: (Date.now() - started) / 1000,
    };
  });
}
