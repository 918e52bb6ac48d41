/**
 * Measures of learning and interference for sequentially learned memories (README §5.2, §5.6, §5.7),
 * computed from the output mismatch delta(v) = w^T r_v - v on an evaluation grid after every trial.
 *
 *  - q_hat(v) = delta(v)^2 / 2 (the N-independent speed; q = |w_fb|^2 q_hat / tau^2 is the Sussillo–Barak speed at
 *    the candidate fixed point). A value is held if q_hat < 1e-4 and lost if q_hat > 1e-3.
 *  - Destruction rate D_k: the fraction of values held before trial k that are lost after it.
 *  - Interference index I(A <- B) = [d_delta(v_A)/|r_A|] / [d_delta(v_B)/|r_B|], against corr(A, B) = cos(r_A, r_B).
 *    For LMS in the reduced model d_w is proportional to r_B, so I = cos(r_A, r_B) exactly.
 *  - Harm H(A <- B) = |delta_after(v_A)| - |delta_before(v_A)|.
 * Equations: (17), (23)–(28) of README.md.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { checkFiniteMatrix, type Mat } from '../../numerics/matrix.js';
import type { ReducedRun } from './reducedModel.js';
import { checkInteger, ParameterError } from '../../numerics/validate.js';
import { centredCorrelation, finiteMean, finiteMedian, median } from '../../numerics/statistics.js';

export const HELD_THRESHOLD = 1e-4;
export const LOST_THRESHOLD = 1e-3;

/** q_hat = delta^2 / 2, elementwise over a (trials + 1) x K matrix of deltas. */
export function qHat(delta: Mat): Mat {
  return { rows: delta.rows, cols: delta.cols, data: delta.data.map((d) => 0.5 * d * d) };
}

function row(m: Mat, i: number): Float64Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

/** q_hat at every grid value after trial k (row k of the delta matrix; row 0: before training). */
export function qHatRow(delta: Mat, k: number): Float64Array {
  checkInteger('k', k, { min: 0, max: delta.rows - 1 });
  return row(delta, k).map((d) => 0.5 * d * d);
}

/** Median of q_hat over the grid, per row (row 0: before training). */
export function medianQHat(delta: Mat): Float64Array {
  const q = qHat(delta);
  return Float64Array.from({ length: q.rows }, (_, i) => median(row(q, i)));
}

/** The learning curve of a run: trial numbers 1..T against the median q_hat after each trial (scaled by `scale`). */
export function learningCurve(delta: Mat, scale = 1): { x: Float64Array; y: Float64Array } {
  const m = medianQHat(delta);
  return { x: Float64Array.from({ length: m.length - 1 }, (_, t) => t + 1), y: m.subarray(1).map((q) => scale * q) };
}

/** Fraction of grid values held (q_hat < 1e-4), per row. */
export function fractionHeld(delta: Mat): Float64Array {
  const q = qHat(delta);
  return Float64Array.from({ length: q.rows }, (_, i) => row(q, i).filter((x) => x < HELD_THRESHOLD).length / q.cols);
}

/** D_k for trials k = 1..T (index k-1): NaN where nothing was held before the trial. */
export function destructionRates(delta: Mat): Float64Array {
  const q = qHat(delta);
  return Float64Array.from({ length: q.rows - 1 }, (_, k) => {
    const before = row(q, k);
    const after = row(q, k + 1);
    let held = 0;
    let lost = 0;
    for (let a = 0; a < q.cols; a++) {
      if (before[a] < HELD_THRESHOLD) {
        held++;
        if (after[a] > LOST_THRESHOLD) lost++;
      }
    }
    return held === 0 ? Number.NaN : lost / held;
  });
}

/**
 * The first trial t (1-based) after which the median q_hat is below `threshold` and stays there for `hold` trials;
 * Infinity if never.
 */
export function trialsToCriterion(medianQ: ArrayLike<number>, threshold = 1e-5, hold = 10): number {
  checkInteger('hold', hold, { min: 1 });
  let run = 0;
  for (let t = 1; t < medianQ.length; t++) {
    run = medianQ[t] < threshold ? run + 1 : 0;
    if (run >= hold) return t - hold + 1;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Fraction of trials after which q_hat at the evaluation point nearest the trained value is below the grid median
 * (the "LMS keeps only the most recent value" signature).
 */
export function trainedBelowMedianFraction(run: ReducedRun, fromTrial = 0): number {
  const q = qHat(run.delta);
  let count = 0;
  let total = 0;
  for (let k = fromTrial; k < run.trialValues.length; k++) {
    const after = row(q, k + 1);
    let nearest = 0;
    for (let a = 1; a < run.evalValues.length; a++) {
      if (Math.abs(run.evalValues[a] - run.trialValues[k]) < Math.abs(run.evalValues[nearest] - run.trialValues[k])) nearest = a;
    }
    total++;
    if (after[nearest] < median(after)) count++;
  }
  return total ? count / total : Number.NaN;
}

export interface InterferencePairs {
  /** One entry per (evaluation value A, trial B) pair. */
  transfer: Float64Array;
  cosine: Float64Array;
  pearson: Float64Array;
  /** |v_A - v_B| */
  distance: Float64Array;
}

function norms(m: Mat): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, i) => Math.hypot(...row(m, i)));
}

/**
 * Interference index and trial correlations for trials in [fromTrial, toTrial) (0-based). The rate vector of trial
 * B is the clamped r_{v_B} (reduced model), or row k of `trialRates` when given (closed loop: the mean rate over the
 * delay of trial B, README §5.6).
 */
export function interferencePairs(run: ReducedRun, evalRates: Mat, fineRates: Mat, fromTrial: number, toTrial: number, minChange = 1e-6, trialRates: Mat | null = null): InterferencePairs {
  return transferPairs(run, evalRates, run.delta, run.evalValues, fineRates, fromTrial, toTrial, minChange, trialRates);
}

/**
 * The same pairs for probe rate vectors r_P (README §5.6's optional probes) instead of grid values: the change of
 * wᵀ r_P is the change of δ at a grid value (Δδ = Δwᵀ r), so eq. (24) applies unchanged; a probe has no value, so its
 * `distance` is NaN. `probeReadout` is wᵀ r_P before training and after each trial ((trials + 1) × P).
 */
export function probePairs(run: ReducedRun, probeRates: Mat, probeReadout: Mat, fineRates: Mat, fromTrial: number, toTrial: number, minChange = 1e-6, trialRates: Mat | null = null): InterferencePairs {
  if (probeReadout.cols !== probeRates.rows) throw new ParameterError('probeReadout', `has ${probeReadout.cols} columns for ${probeRates.rows} probes`);
  return transferPairs(run, probeRates, probeReadout, null, fineRates, fromTrial, toTrial, minChange, trialRates);
}

/** Eq. (24) and (23) for every test row A (rates `testRates`, readout or mismatch `testChange` per trial) and trial B. */
function transferPairs(run: ReducedRun, testRates: Mat, testChange: Mat, testValues: Float64Array | null, fineRates: Mat, fromTrial: number, toTrial: number, minChange: number, trialRates: Mat | null): InterferencePairs {
  const testNorm = norms(testRates);
  const out = { transfer: [] as number[], cosine: [] as number[], pearson: [] as number[], distance: [] as number[] };
  const K = testRates.rows;
  for (let k = fromTrial; k < Math.min(toTrial, run.trialValues.length); k++) {
    const dB = run.trainedAfter[k] - run.trainedBefore[k];
    if (Math.abs(dB) < minChange) continue; // ill-conditioned ratio
    const rCandidate = row(fineRates, run.trialIndex[k]);
    const rB = trialRates ? row(trialRates, k) : rCandidate;
    const normB = Math.hypot(...rB);
    // The transfer is normalised by the candidate point's rates, where d_delta(v_B) is measured.
    const normCandidate = trialRates ? Math.hypot(...rCandidate) : normB;
    for (let a = 0; a < K; a++) {
      const rA = row(testRates, a);
      const dA = testChange.data[(k + 1) * K + a] - testChange.data[k * K + a];
      let dot = 0;
      for (let i = 0; i < rA.length; i++) dot += rA[i] * rB[i];
      out.transfer.push(dA / testNorm[a] / (dB / normCandidate));
      out.cosine.push(dot / (testNorm[a] * normB));
      out.pearson.push(centredCorrelation(rA, rB));
      out.distance.push(testValues ? Math.abs(testValues[a] - run.trialValues[k]) : Number.NaN);
    }
  }
  return {
    transfer: Float64Array.from(out.transfer),
    cosine: Float64Array.from(out.cosine),
    pearson: Float64Array.from(out.pearson),
    distance: Float64Array.from(out.distance),
  };
}

/** Mean harm per trial: the average over trials of mean_A H(A <- B) over grid values with |v_A - v_B| >= minDistance. */
export function meanHarmPerTrial(run: ReducedRun, minDistance = 0.5): number {
  const K = run.evalValues.length;
  const perTrial: number[] = [];
  for (let k = 0; k < run.trialValues.length; k++) {
    let s = 0;
    let c = 0;
    for (let a = 0; a < K; a++) {
      if (Math.abs(run.evalValues[a] - run.trialValues[k]) < minDistance) continue;
      s += Math.abs(run.delta.data[(k + 1) * K + a]) - Math.abs(run.delta.data[k * K + a]);
      c++;
    }
    if (c) perTrial.push(s / c);
  }
  return finiteMean(perTrial);
}

/**
 * Eigenvalues (descending) of C = (1/K) sum_v r_v r_v^T, computed from the K x K Gram matrix (same nonzero spectrum).
 */
export function rateCovarianceSpectrum(rates: Mat): Float64Array {
  const K = rates.rows;
  const gram = new Matrix(K, K);
  for (let a = 0; a < K; a++) {
    for (let b = a; b < K; b++) {
      let s = 0;
      const ra = row(rates, a);
      const rb = row(rates, b);
      for (let i = 0; i < ra.length; i++) s += ra[i] * rb[i];
      gram.set(a, b, s / K);
      gram.set(b, a, s / K);
    }
  }
  const evd = new EigenvalueDecomposition(checkFiniteMatrix('rates', gram), { assumeSymmetric: true });
  return Float64Array.from(evd.realEigenvalues).sort().reverse();
}

