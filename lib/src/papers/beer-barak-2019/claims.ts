/**
 * The claims of Beer & Barak 2019 (README §6), decided in one place. For each claim part there is a per-seed
 * measurement (`b2Reduced`, `b1ClosedLoop`, ...: value, verdict, and the failing parts in words) and one claim
 * function (`B2Reduced`, `B1ClosedLoop`, ...) that combines the seeds and returns the complete record `recordClaim`
 * stores: statement, criterion text built from the thresholds below, value, verdict, note. Notebooks 01, 02 and
 * 04 only call the claim functions; the tests call the same functions. Every criterion must hold for every seed.
 */
import type { ClaimInput } from '../../notebook/claims.js';
import type { Mat } from '../../numerics/matrix.js';
import { scale } from '../../notebook/scale.js';
import { finiteMean, finiteMedian, spearman } from '../../numerics/statistics.js';
import { ParameterError } from '../../numerics/validate.js';
import type { ClosedLoopRun } from './closedLoopMemory.js';
import type { PatternRun, PatternTest } from './closedLoopPattern.js';
import { destructionRates, fractionHeld, interferencePairs, meanHarmPerTrial, probePairs, medianQHat, trainedBelowMedianFraction, trialsToCriterion } from './interference.js';
import { CLOSED_LOOP_PROTOCOL_LABELS, trialsLabel, type ClosedLoopEvaluation, type ClosedLoopProtocol, type ClosedLoopStudy, type MemoryGrids, type ReducedStudy } from './memoryStudy.js';
import { deltaRow, medianCycleMismatch, PATTERN_PROTOCOL_LABELS, trainingErrorSummary, type CycleStability, type PatternDiagnosis, type PatternForceResult, type PatternProtocol, type PatternStudy } from './patternStudy.js';
import type { ReducedRun } from './reducedModel.js';

const PAPER = 'beer-barak-2019' as const;

/** The thresholds of claims B1-B5 (README §6), fixed before the runs. */
export const MEMORY_CRITERIA = {
  /** B1, B4, B5: FORCE's line attractor is reached when the median q̂ (eq. 17) is below this ... */
  lineAttractorQ: 1e-5,
  /** ... by this trial. */
  byTrial: 100,
  /** B1 (closed loop): a value is held when |z_end − v| < this after a 30 τ delay ... */
  holdTolerance: 0.05,
  /** ... for at least this fraction of the test values, */
  heldFraction: 0.9,
  /** and the leading closed-loop eigenvalue (eq. 18) is marginal, |Re λ1| < this, ... */
  marginalEigenvalue: 0.05,
  /** ... at at least this fraction of the checked values. */
  marginalFraction: 0.8,
  /** B2: LMS's held fraction is averaged after this trial, and FORCE's destruction rate from it to `byTrial`. */
  afterTrial: 20,
  /** B2: LMS holds at most this fraction of values on average ... */
  lmsMaxHeld: 0.5,
  /** ... keeps the trained value below the grid median in at least this fraction of trials ... */
  lmsTrainedBelowMedian: 0.8,
  /** ... and destroys at least this fraction of held values per trial (eq. 27); also RLS-reset's bar in B4. */
  minDestruction: 0.2,
  /** B2: FORCE holds at least this fraction at `byTrial` ... */
  forceMinHeld: 0.9,
  /** ... with a mean destruction rate of at most this. */
  forceMaxDestruction: 0.01,
  /** B3: the trial pairs taken for the transfer index (eq. 24): trials `transferFrom`..`transferTo`. */
  transferFrom: 10,
  transferTo: 50,
  /** B3 (reduced): LMS's transfer equals the cosine of the rate vectors to this tolerance (a code check). */
  cosineTolerance: 1e-9,
  /** B3 (closed loop): Spearman ρ(Ĩ, corr) of LMS at least this; FORCE's median |Ĩ| at most `forceOverLms` × LMS's, */
  spearman: 0.8,
  forceOverLms: 0.1,
  /** for value pairs at least this far apart. */
  farDistance: 1,
  /** B4: RLS-reset's median q̂ at `byTrial` is at least this many times RLS's. */
  resetRatio: 100,
  /** B5: no LMS rate reaches a median q̂ below this ... */
  lmsFloorQ: 1e-3,
  /** ... and the first 5 eigenvalues of the rate covariance C (eq. 28) span at least this many decades. */
  spectrumDecades: 3,
};

/** The thresholds of claim B6 (README §6), fixed before the runs. */
export const B6_CRITERIA = {
  /** FORCE: fraction of test ω with dominant frequency within 5 % and RMS error < 0.3. */
  forceFraction: 0.75,
  frequencyTolerance: 0.05,
  rmsTolerance: 0.3,
  /** LMS: median q̂_cyc ≥ 10× FORCE's ... */
  lmsOverForce: 10,
  /** ... and in ≥ 70 % of trials after trial 20, q̂_cyc nearest the last trained ω is below the grid median. */
  recencyFraction: 0.7,
  recencyFromTrial: 20,
};

const C = MEMORY_CRITERIA;
/** 1e-5 rather than 0.00001 in criterion texts. */
const sci = (x: number): string => x.toExponential();
/** A fraction as a whole percentage (100 × 0.7 is 70.00000000000001 in floating point). */
const pct = (x: number): number => Math.round(100 * x);

/** One seed's measurement of a claim part: what was measured, whether it held, and what failed, in words. */
export interface SeedResult {
  value: number | Record<string, number | string>;
  passed: boolean;
  failures?: string[];
}

/**
 * Combines per-seed verdicts: a claim holds only if it holds for every seed; values are reported per seed, and the
 * failing parts (where a criterion lists them) become the claim's note.
 */
export function allSeeds<T extends SeedResult>(perSeed: { seed: number; result: T }[]) {
  const value: Record<string, number | string> = {};
  const failures: string[] = [];
  for (const { seed, result } of perSeed) {
    if (typeof result.value === 'number') value[`seed ${seed}`] = result.value;
    else for (const [k, v] of Object.entries(result.value)) value[`seed ${seed}: ${k}`] = v;
    for (const f of result.failures ?? []) failures.push(`seed ${seed}: ${f}`);
  }
  const passed = perSeed.every((s) => s.result.passed);
  return { value, passed, note: passed ? undefined : `Failed: ${failures.length ? failures.join('; ') : 'see the measured values'}.` };
}

/** A claim record from the seeds' combined results. */
function record(id: string, part: string, statement: string, criterion: string, perSeed: { seed: number; result: SeedResult }[]): ClaimInput {
  const r = allSeeds(perSeed);
  return { id, part, paper: PAPER, statement, criterion, value: r.value, passed: r.passed, note: r.note };
}

const STATEMENTS = {
  B1: 'FORCE learns the analog memory as a line attractor within about a hundred sequential trials.',
  B2: 'LMS is obstructed by forgetting: each trial destroys the objects built by earlier ones.',
  B3: 'The degree of interference is set by the correlation between trials.',
  B4: 'FORCE avoids interference because P remembers past activity correlations (our hypothesis for the ingredients).',
};

// ---- Per-seed measurements. ----

/** Median q̂ after trial `byTrial` (or the last trial). */
function medianAt(run: ReducedRun): number {
  const m = medianQHat(run.delta);
  return m[Math.min(C.byTrial, run.trialValues.length)];
}

/** B1 (reduced): median q_hat < 1e-5 by trial 100. */
export function b1Reduced(force: ReducedRun) {
  const at100 = medianAt(force);
  const failures = at100 < C.lineAttractorQ ? [] : [`median q̂ at trial ${C.byTrial} is ${at100.toExponential(2)}`];
  return { value: at100, passed: failures.length === 0, failures };
}

/** B2 (reduced, and the closed-loop runs read the same way): LMS with gamma = 1e-2 forgets; FORCE holds. */
export function b2Reduced(lms: ReducedRun, force: ReducedRun) {
  const heldLms = fractionHeld(lms.delta);
  const meanHeldAfter20 = finiteMean(heldLms, C.afterTrial + 1);
  const trainedBest = trainedBelowMedianFraction(lms);
  const dLms = finiteMean(destructionRates(lms.delta));
  const heldForce = fractionHeld(force.delta)[Math.min(C.byTrial, force.trialValues.length)];
  const dForce = finiteMean(destructionRates(force.delta), C.afterTrial - 1, C.byTrial);
  const failures: string[] = [];
  if (!(meanHeldAfter20 <= C.lmsMaxHeld)) failures.push(`LMS holds ${(100 * meanHeldAfter20).toFixed(0)} % of values on average after trial ${C.afterTrial}`);
  if (!(trainedBest >= C.lmsTrainedBelowMedian)) failures.push(`LMS's trained value is below the median in only ${(100 * trainedBest).toFixed(0)} % of trials`);
  if (!(dLms >= C.minDestruction)) failures.push(`LMS mean D = ${dLms.toFixed(3)}`);
  if (!(heldForce >= C.forceMinHeld)) failures.push(`FORCE holds only ${(100 * heldForce).toFixed(0)} % of values at trial ${C.byTrial}`);
  if (dForce > C.forceMaxDestruction) failures.push(`FORCE mean D = ${dForce.toFixed(3)} over trials ${C.afterTrial}–${C.byTrial}`);
  return {
    value: { 'LMS mean held after trial 20': meanHeldAfter20, 'LMS trained value below median': trainedBest, 'LMS mean D': dLms, 'FORCE held at 100': heldForce, 'FORCE mean D (20-100)': Number.isNaN(dForce) ? 0 : dForce },
    passed: failures.length === 0,
    failures,
  };
}

function medianAbsFar(pairs: { transfer: Float64Array; distance: Float64Array }, minDistance = C.farDistance): number {
  const v = Array.from(pairs.transfer).filter((_, i) => pairs.distance[i] >= minDistance).map(Math.abs).sort((a, b) => a - b);
  return v.length ? v[v.length >> 1] : Number.NaN;
}

/** B3 (reduced): LMS transfer equals the cosine of the rate vectors (a code check), trials 10-50. */
export function b3Reduced(lms: ReducedRun, force: ReducedRun, grids: MemoryGrids) {
  const p = interferencePairs(lms, grids.eval.r, grids.fine.r, C.transferFrom - 1, C.transferTo);
  let maxError = 0;
  for (let i = 0; i < p.transfer.length; i++) maxError = Math.max(maxError, Math.abs(p.transfer[i] - p.cosine[i]));
  const pf = interferencePairs(force, grids.eval.r, grids.fine.r, C.transferFrom - 1, C.transferTo);
  return {
    value: { 'max |I - cos|': maxError, pairs: p.transfer.length, 'FORCE median |I| (|vA-vB|>=1)': medianAbsFar(pf), 'LMS median |I| (|vA-vB|>=1)': medianAbsFar(p) },
    passed: p.transfer.length > 0 && maxError < C.cosineTolerance,
    pairs: p,
    forcePairs: pf,
  };
}

/** B4 (reduced): RLS-reset forgets (median q_hat at 100 >= 100x RLS's, mean D >= 0.2) and full RLS meets B1. */
export function b4Reduced(reset: ReducedRun, force: ReducedRun) {
  const mReset = medianAt(reset);
  const mForce = medianAt(force);
  const dReset = finiteMean(destructionRates(reset.delta));
  const failures = [...b1Reduced(force).failures.map((f) => `RLS does not meet B1: ${f}`)];
  if (!(mReset >= C.resetRatio * mForce)) failures.push(`RLS-reset median q̂ only ${(mReset / mForce).toFixed(1)} × RLS's`);
  if (!(dReset >= C.minDestruction)) failures.push(`RLS-reset mean D = ${dReset.toFixed(3)} < ${C.minDestruction}`);
  return {
    value: { 'RLS-reset median q̂ @100': mReset, 'RLS median q̂ @100': mForce, ratio: mReset / mForce, 'RLS-reset mean D': dReset },
    passed: failures.length === 0,
    failures,
  };
}

/** B5 (reduced): FORCE fast, no LMS gamma below 1e-3, C's spectrum spans 3 decades in 5, harm falls with gamma. */
export function b5Reduced(force: ReducedRun, lmsRuns: { gamma: number; run: ReducedRun }[], spectrum: Float64Array) {
  const ttc = trialsToCriterion(medianQHat(force.delta), C.lineAttractorQ);
  // The lowest median q_hat any LMS rate reaches after any trial, and where.
  let lmsBest = Infinity;
  let bestGamma = Number.NaN;
  let bestTrial = 0;
  let trialsBelow = 0;
  for (const { gamma, run } of lmsRuns) {
    const m = medianQHat(run.delta);
    for (let t = 1; t < m.length; t++) {
      if (m[t] < C.lmsFloorQ) trialsBelow++;
      if (m[t] < lmsBest) [lmsBest, bestGamma, bestTrial] = [m[t], gamma, t];
    }
  }
  const decades = Math.log10(spectrum[0] / spectrum[4]);
  const byGamma = [...lmsRuns].sort((a, b) => b.gamma - a.gamma).map(({ gamma, run }) => ({ gamma, harm: meanHarmPerTrial(run) }));
  const monotone = byGamma.every((h, i) => i === 0 || h.harm < byGamma[i - 1].harm);
  const value: Record<string, number | string> = { 'FORCE trials to criterion': trialsLabel(ttc), 'best LMS median q̂': lmsBest, 'decades in first 5 eigenvalues of C': decades };
  for (const { gamma, harm } of byGamma) value[`harm γ=${gamma}`] = harm;
  const failures: string[] = [];
  if (!(ttc <= C.byTrial)) failures.push(`FORCE needed ${trialsLabel(ttc)} trials`);
  if (lmsBest < C.lmsFloorQ) failures.push(`LMS γ = ${bestGamma} dipped to median q̂ = ${lmsBest.toExponential(2)} at trial ${bestTrial} (${trialsBelow} trial(s) below ${sci(C.lmsFloorQ)} over all γ)`);
  if (!(decades >= C.spectrumDecades)) failures.push(`spectrum spans only ${decades.toFixed(2)} decades`);
  if (!monotone) failures.push('harm is not monotone in γ');
  return { value, passed: failures.length === 0, failures };
}

/** B1 (closed loop): after 100 FORCE trials, |z_end - v| < 0.05 for >= 90 % of test values and |Re lambda_1| < 0.05 for >= 80 %. */
export function b1ClosedLoop(evaluation: ClosedLoopEvaluation, values: Float64Array) {
  const held = (z: number, v: number) => Math.abs(z - v) < C.holdTolerance;
  const fracHeld = Array.from(values).filter((v, a) => held(evaluation.zEnd[a], v)).length / values.length;
  const fracMarginal = evaluation.leadingEigenvalues.filter((l) => Math.abs(l) < C.marginalEigenvalue).length / evaluation.leadingEigenvalues.length;
  const failures: string[] = [];
  if (fracHeld < C.heldFraction) {
    const bad = Array.from(values).filter((v, a) => !held(evaluation.zEnd[a], v));
    failures.push(`held within ${C.holdTolerance} after 30 τ for ${(100 * fracHeld).toFixed(0)} % of values (drifting: v = ${bad.map((v) => v.toFixed(1)).join(', ')})`);
  }
  if (fracMarginal < C.marginalFraction) failures.push(`|Re λ1| < ${C.marginalEigenvalue} at only ${(100 * fracMarginal).toFixed(0)} % of checked values`);
  return { value: { 'fraction held after 30 τ': fracHeld, 'fraction |Re λ1| < 0.05': fracMarginal }, passed: failures.length === 0, failures };
}

/**
 * B3 (closed loop): for LMS, Spearman rho(I, corr) >= 0.8 with corr the cosine between r_{v_A} and the mean delay
 * rates of trial B; FORCE's median |I| for |v_A - v_B| >= 1 at most 0.1 x LMS's. Trials 10-50.
 */
export function b3ClosedLoop(lms: ClosedLoopRun, force: ClosedLoopRun, grids: MemoryGrids) {
  const p = interferencePairs(lms, grids.eval.r, grids.fine.r, C.transferFrom - 1, C.transferTo, 1e-6, lms.delayMeanRates);
  const pf = interferencePairs(force, grids.eval.r, grids.fine.r, C.transferFrom - 1, C.transferTo, 1e-6, force.delayMeanRates);
  const rho = spearman(p.transfer, p.cosine);
  const lmsMed = medianAbsFar(p);
  const forceMed = medianAbsFar(pf);
  const failures: string[] = [];
  if (!(rho >= C.spearman)) failures.push(`LMS Spearman ρ(Ĩ, corr) = ${rho.toFixed(3)} < ${C.spearman}`);
  if (!(forceMed <= C.forceOverLms * lmsMed)) failures.push(`FORCE median |Ĩ| = ${forceMed.toFixed(3)} > ${C.forceOverLms} × LMS ${lmsMed.toFixed(3)}`);
  return { value: { 'LMS Spearman ρ(Ĩ, corr)': rho, 'FORCE median |Ĩ|': forceMed, 'LMS median |Ĩ|': lmsMed }, passed: failures.length === 0, failures, pairs: p, forcePairs: pf };
}

/**
 * B3 (closed loop) with the pattern-task probes added as test rows A (README §5.6's option to widen the range of
 * trial correlations): LMS's Spearman ρ over the grid pairs and the probe pairs together; FORCE's part is unchanged
 * (it is defined on grid pairs |v_A − v_B| ≥ 1, which probes do not have). `base` is b3ClosedLoop of the same runs:
 * its grid pairs and medians are reused.
 */
export function b3ClosedLoopProbes(base: ReturnType<typeof b3ClosedLoop>, lms: ClosedLoopRun, grids: MemoryGrids, probes: Mat) {
  const pp = probePairs(lms, probes, lms.probeReadout, grids.fine.r, C.transferFrom - 1, C.transferTo, 1e-6, lms.delayMeanRates);
  const transfer = Float64Array.from([...base.pairs.transfer, ...pp.transfer]);
  const cosine = Float64Array.from([...base.pairs.cosine, ...pp.cosine]);
  const rho = spearman(transfer, cosine);
  const lmsMed = base.value['LMS median |Ĩ|'];
  const forceMed = base.value['FORCE median |Ĩ|'];
  const failures: string[] = [];
  if (!(rho >= C.spearman)) failures.push(`LMS Spearman ρ(Ĩ, corr) over grid and probe pairs = ${rho.toFixed(3)} < ${C.spearman}`);
  if (!(forceMed <= C.forceOverLms * lmsMed)) failures.push(`FORCE median |Ĩ| = ${forceMed.toFixed(3)} > ${C.forceOverLms} × LMS ${lmsMed.toFixed(3)}`);
  const [lo, hi] = [Math.min(...cosine), Math.max(...cosine)];
  return {
    value: { 'LMS Spearman ρ(Ĩ, corr), grid and probes': rho, 'LMS Spearman ρ, probes alone': spearman(pp.transfer, pp.cosine), 'corr range': `${lo.toFixed(2)} to ${hi.toFixed(2)}`, 'FORCE median |Ĩ|': forceMed, 'LMS median |Ĩ|': lmsMed },
    passed: failures.length === 0,
    failures,
    pairs: { transfer, cosine },
    probePairs: pp,
  };
}

/** B4 (closed loop): RLS-reset median q_hat at 100 >= 100 x RLS's and mean D >= 0.2; full RLS meets B1 (closed loop). */
export function b4ClosedLoop(reset: ReducedRun, force: ReducedRun, b1ClosedLoopPassed: boolean) {
  const mReset = medianAt(reset);
  const mForce = medianAt(force);
  const dReset = finiteMean(destructionRates(reset.delta));
  const failures: string[] = [];
  if (!(mReset >= C.resetRatio * mForce)) failures.push(`RLS-reset median q̂ only ${(mReset / mForce).toFixed(1)} × RLS's`);
  if (!(dReset >= C.minDestruction)) failures.push(`RLS-reset mean D = ${dReset.toFixed(3)} < ${C.minDestruction}`);
  if (!b1ClosedLoopPassed) failures.push('full RLS does not meet B1 (closed loop)');
  return { value: { 'RLS-reset median q̂ @100': mReset, 'RLS median q̂ @100': mForce, ratio: mReset / mForce, 'RLS-reset mean D': dReset }, passed: failures.length === 0, failures };
}

/** B5 (closed loop): the reduced-model contrast: FORCE median q_hat < 1e-5 within 100 trials; no LMS rate below 1e-3. */
export function b5ClosedLoop(force: ReducedRun, lmsRuns: { gamma: number; run: ReducedRun }[]) {
  const mForce = medianQHat(force.delta);
  const ttc = trialsToCriterion(mForce, C.lineAttractorQ);
  let lmsBest = Infinity;
  for (const { run } of lmsRuns) for (const q of medianQHat(run.delta).subarray(1)) if (q < lmsBest) lmsBest = q;
  const forceAt100 = mForce[Math.min(C.byTrial, mForce.length - 1)];
  const failures: string[] = [];
  if (!(ttc <= C.byTrial)) failures.push(`FORCE median q̂ stays above ${sci(C.lineAttractorQ)} within ${C.byTrial} trials (${forceAt100.toExponential(2)} at trial ${C.byTrial})`);
  if (!(lmsBest >= C.lmsFloorQ)) failures.push(`an LMS rate reached median q̂ = ${lmsBest.toExponential(2)}`);
  return { value: { 'FORCE trials to criterion': trialsLabel(ttc), 'FORCE median q̂ @100': forceAt100, 'best LMS median q̂': lmsBest, 'decades between them': Math.log10(lmsBest / forceAt100) }, passed: failures.length === 0, failures };
}

export interface B6ForceResult {
  produced: boolean[];
  fraction: number;
  passed: boolean;
}

/** FORCE part of B6: a test ω counts when the dominant frequency is within 5 % and the RMS error < 0.3. */
export function b6Force(tests: PatternTest[]): B6ForceResult {
  const produced = tests.map(
    (t) => Math.abs(t.dominantOmega - t.omega) <= B6_CRITERIA.frequencyTolerance * t.omega && t.rmsError < B6_CRITERIA.rmsTolerance,
  );
  const fraction = produced.filter(Boolean).length / tests.length;
  return { produced, fraction, passed: fraction >= B6_CRITERIA.forceFraction };
}

export interface B6LmsResult {
  gamma: number;
  medianLms: number;
  medianForce: number;
  ratio: number;
  /** Fraction of trials after trial 20 where q̂_cyc nearest the last trained ω is below the grid median. */
  recency: number;
  passed: boolean;
}

/** LMS part of B6 for the best γ (the one with the lowest final median q̂_cyc). */
export function b6Lms(study: PatternStudy): B6LmsResult {
  const median = finiteMedian;
  const force = study.force;
  const medianForce = median(deltaRow(force.deltaCyc, force.deltaCyc.rows - 1));
  const results = study.lms.map(({ gamma, run }) => {
    const last = run.deltaCyc.rows - 1;
    const medianLms = median(deltaRow(run.deltaCyc, last));
    let below = 0;
    let count = 0;
    for (let k = B6_CRITERIA.recencyFromTrial; k < last; k++) {
      const row = deltaRow(run.deltaCyc, k + 1);
      const omega = run.trialOmegas[k];
      let nearest = 0;
      run.testOmegas.forEach((o, j) => {
        if (Math.abs(o - omega) < Math.abs(run.testOmegas[nearest] - omega)) nearest = j;
      });
      if (row[nearest] < median(row)) below++;
      count++;
    }
    const recency = count > 0 ? below / count : Number.NaN;
    const ratio = medianLms / medianForce;
    return { gamma, medianLms, medianForce, ratio, recency, passed: ratio >= B6_CRITERIA.lmsOverForce && recency >= B6_CRITERIA.recencyFraction };
  });
  return results.reduce((best, r) => (r.medianLms < best.medianLms ? r : best));
}

// ---- The claims: reduced model (notebook 01). ----

export function B1Reduced(studies: ReducedStudy[]): ClaimInput {
  return record('B1', 'reduced model', STATEMENTS.B1, `median q̂ < ${sci(C.lineAttractorQ)} by trial ${C.byTrial}, every seed`, studies.map((s) => ({ seed: s.seed, result: b1Reduced(s.force) })));
}

/** B2 is judged on LMS with γ = 1e-2. */
export const B2_GAMMA = 1e-2;

export function B2Reduced(studies: ReducedStudy[]): ClaimInput {
  const criterion = `LMS γ = ${sci(B2_GAMMA)}: mean held after trial ${C.afterTrial} ≤ ${C.lmsMaxHeld}, trained value below grid median in ≥ ${pct(C.lmsTrainedBelowMedian)} % of trials, mean D ≥ ${C.minDestruction}; FORCE: held ≥ ${C.forceMinHeld} at trial ${C.byTrial}, mean D ≤ ${C.forceMaxDestruction} (trials ${C.afterTrial}–${C.byTrial}); every seed`;
  return record('B2', 'reduced model', STATEMENTS.B2, criterion, studies.map((s) => ({ seed: s.seed, result: b2Reduced(s.lms.find((l) => l.gamma === B2_GAMMA)!.run, s.force) })));
}

/** B3 (reduced model) is a code check of eq. (24) for LMS, made on one seed's runs (notebook 01 uses seed 1). */
export function B3Reduced(result: ReturnType<typeof b3Reduced>): ClaimInput {
  return {
    id: 'B3',
    part: 'reduced model',
    paper: PAPER,
    statement: STATEMENTS.B3,
    criterion: `LMS: Ĩ = cos(r_A, r_B) to ${sci(C.cosineTolerance)} for all pairs in trials ${C.transferFrom}–${C.transferTo} (the reduced-model code check; the closed-loop criteria come with the closed-loop notebook)`,
    value: result.value,
    passed: result.passed,
  };
}

export function B4Reduced(studies: ReducedStudy[]): ClaimInput {
  return record(
    'B4',
    'reduced model',
    STATEMENTS.B4,
    `RLS-reset: median q̂ at trial ${C.byTrial} ≥ ${C.resetRatio} × RLS and mean D ≥ ${C.minDestruction}; RLS meets B1; every seed`,
    studies.map((s) => ({ seed: s.seed, result: b4Reduced(s.variants.find((v) => v.label === 'RLS-reset')!.run, s.force) })),
  );
}

export function B5Reduced(studies: ReducedStudy[], spectra: Float64Array[], lmsTrials: number): ClaimInput {
  return record(
    'B5',
    'reduced model',
    'LMS converges orders of magnitude more slowly than FORCE; a smaller learning rate interferes less but learns more slowly.',
    `FORCE median q̂ < ${sci(C.lineAttractorQ)} within ${C.byTrial} trials; no LMS γ below ${sci(C.lmsFloorQ)} within ${lmsTrials} trials; eigenvalues 1–5 of C span ≥ ${C.spectrumDecades} decades; harm decreases monotonically with γ; every seed`,
    studies.map((s, i) => ({ seed: s.seed, result: b5Reduced(s.force, s.lms, spectra[i]) })),
  );
}

// ---- The claims: closed loop (notebook 02). ----

/**
 * The closed-loop claims are recorded once per protocol (README §4.1, issue 14): the default, learning throughout the
 * trial, as part "closed loop"; learning in the delay only as part "closed loop, delay-only learning". Same criteria.
 */
function protocolOf(studies: { protocol: ClosedLoopProtocol }[]): ClosedLoopProtocol {
  const p = studies[0]?.protocol ?? 'throughout';
  if (studies.some((s) => s.protocol !== p)) throw new ParameterError('studies', 'mix two closed-loop protocols; record each protocol as its own claim part');
  return p;
}
const closedLoopPart = (p: ClosedLoopProtocol) => (p === 'throughout' ? 'closed loop' : 'closed loop, delay-only learning');
const protocolWords = (p: ClosedLoopProtocol) => CLOSED_LOOP_PROTOCOL_LABELS[p];

export function B1ClosedLoop(studies: ClosedLoopStudy[], values: Float64Array): ClaimInput {
  const p = protocolOf(studies);
  return record(
    'B1',
    closedLoopPart(p),
    STATEMENTS.B1,
    `after ${C.byTrial} FORCE trials (${protocolWords(p)}): |z_end - v| < ${C.holdTolerance} after a 30 τ delay for ≥ ${pct(C.heldFraction)} % of ${values.length} test values, and |Re λ1| < ${C.marginalEigenvalue} for ≥ ${pct(C.marginalFraction)} % of the values checked; every seed`,
    studies.map((s) => ({ seed: s.seed, result: b1ClosedLoop(s.forceEvaluation, values) })),
  );
}

export function B2ClosedLoop(studies: ClosedLoopStudy[], lmsTrials: number): ClaimInput {
  const p = protocolOf(studies);
  return record(
    'B2',
    closedLoopPart(p),
    STATEMENTS.B2,
    `closed loop (${protocolWords(p)}), LMS γ = ${sci(B2_GAMMA)} over ${lmsTrials} trials: mean held after trial ${C.afterTrial} ≤ ${C.lmsMaxHeld}, trained value below grid median in ≥ ${pct(C.lmsTrainedBelowMedian)} % of trials, mean D ≥ ${C.minDestruction}; FORCE: held ≥ ${C.forceMinHeld} at trial ${C.byTrial}, mean D ≤ ${C.forceMaxDestruction} (trials ${C.afterTrial}–${C.byTrial}); every seed`,
    studies.map((s) => {
      const lms = s.lms.find((l) => l.gamma === B2_GAMMA)!.run;
      return { seed: s.seed, result: lms.divergedAtTrial >= 0 ? { value: { 'LMS diverged at trial': lms.divergedAtTrial + 1 }, passed: false } : b2Reduced(lms, s.force) };
    }),
  );
}

export function B3ClosedLoop(perSeed: { seed: number; result: ReturnType<typeof b3ClosedLoop> }[], protocol: ClosedLoopProtocol = 'throughout'): ClaimInput {
  return record(
    'B3',
    closedLoopPart(protocol),
    STATEMENTS.B3,
    `closed loop (${protocolWords(protocol)}), trials ${C.transferFrom}–${C.transferTo}: LMS (γ = ${sci(B2_GAMMA)}) Spearman ρ(Ĩ, corr) ≥ ${C.spearman}; FORCE median |Ĩ| for |v_A − v_B| ≥ ${C.farDistance} ≤ ${C.forceOverLms} × LMS; every seed`,
    perSeed.map(({ seed, result }) => ({ seed, result: { value: result.value, passed: result.passed, failures: result.failures } })),
  );
}

/** B3 (closed loop) with the pattern-task probes: a part of its own per protocol, the criterion's thresholds unchanged. */
export function B3ClosedLoopProbes(perSeed: { seed: number; result: ReturnType<typeof b3ClosedLoopProbes> }[], protocol: ClosedLoopProtocol = 'throughout'): ClaimInput {
  return record(
    'B3',
    `${closedLoopPart(protocol)}, with pattern-task probes`,
    STATEMENTS.B3,
    `closed loop (${protocolWords(protocol)}), trials ${C.transferFrom}–${C.transferTo}, test rows: the grid values and the pattern-task probes (README §5.6): LMS (γ = ${sci(B2_GAMMA)}) Spearman ρ(Ĩ, corr) ≥ ${C.spearman} over all pairs; FORCE median |Ĩ| for grid pairs |v_A − v_B| ≥ ${C.farDistance} ≤ ${C.forceOverLms} × LMS; every seed`,
    perSeed.map(({ seed, result }) => ({ seed, result: { value: result.value, passed: result.passed, failures: result.failures } })),
  );
}

export function B4ClosedLoop(studies: ClosedLoopStudy[], values: Float64Array): ClaimInput {
  const p = protocolOf(studies);
  return record(
    'B4',
    closedLoopPart(p),
    STATEMENTS.B4,
    `closed loop (${protocolWords(p)}): RLS-reset median q̂ at trial ${C.byTrial} ≥ ${C.resetRatio} × RLS and mean D ≥ ${C.minDestruction}; full RLS meets B1 under the same protocol; every seed`,
    studies.map((s) => ({ seed: s.seed, result: b4ClosedLoop(s.rlsReset, s.force, b1ClosedLoop(s.forceEvaluation, values).passed) })),
  );
}

export function B5ClosedLoop(studies: ClosedLoopStudy[], lmsTrials: number): ClaimInput {
  const p = protocolOf(studies);
  return record(
    'B5',
    closedLoopPart(p),
    'LMS converges orders of magnitude more slowly than FORCE.',
    `closed loop (${protocolWords(p)}): FORCE median q̂ < ${sci(C.lineAttractorQ)} within ${C.byTrial} trials; no LMS γ below median q̂ ${sci(C.lmsFloorQ)} within ${lmsTrials} trials; every seed`,
    studies.map((s) => ({ seed: s.seed, result: b5ClosedLoop(s.force, s.lms) })),
  );
}

// ---- The claims: limit cycles (notebook 04). ----

/** Where FORCE's median q̂_cyc was lowest against where it ended (it rises again when the loop leaves its target). */
function forceLowest(study: PatternStudy): string {
  const curve = medianCycleMismatch(study.force);
  let best = 1;
  for (let k = 1; k < curve.length; k++) if (curve[k] < curve[best]) best = k;
  return `FORCE's own median q̂_cyc is lowest after trial ${best} (${curve[best].toExponential(1)}) and ends at ${curve[curve.length - 1].toExponential(1)}`;
}

export function B6Lms(study: PatternStudy, lmsTrials: number): ClaimInput {
  const r = b6Lms(study);
  const B = B6_CRITERIA;
  return {
    id: 'B6',
    part: 'LMS keeps the most recent cycle',
    paper: PAPER,
    statement: "LMS keeps only the most recent limit cycle: its median mismatch stays well above FORCE's, and the cycle nearest the last trained frequency is the best one.",
    criterion: `best γ after ${lmsTrials} trials: median q̂_cyc ≥ ${B.lmsOverForce} × FORCE's, and in ≥ ${pct(B.recencyFraction)} % of trials after trial ${B.recencyFromTrial} q̂_cyc nearest the last trained ω is below the grid median`,
    value: { 'best γ': r.gamma, 'median q̂_cyc LMS': r.medianLms, 'median q̂_cyc FORCE': r.medianForce, ratio: r.ratio, 'recency fraction': Number.isFinite(r.recency) ? r.recency : 'n/a (too few trials)' },
    passed: r.passed,
    note:
      scale() === 'quick'
        ? 'quick scale is pipeline-only (README §7): too few trials for this criterion'
        : r.passed
          ? undefined
          : `recency ${r.recency.toFixed(2)} (needs ≥ ${B.recencyFraction}: ${r.recency >= B.recencyFraction ? 'holds' : 'fails'}); ` +
            `LMS/FORCE median ratio ${r.ratio.toFixed(1)} (needs ≥ ${B.lmsOverForce}: ${r.ratio >= B.lmsOverForce ? 'holds' : 'fails'}); ${forceLowest(study)}`,
  };
}

/** The FORCE part of B6 for one trained readout: its closed-loop tests, its cycles' stability and its training run. */
function b6ForceClaim(part: string, tests: PatternTest[], stability: CycleStability[], run: PatternRun, forceTrials: number): ClaimInput {
  const r = b6Force(tests);
  const B = B6_CRITERIA;
  const medianForce = finiteMedian(deltaRow(run.deltaCyc, run.deltaCyc.rows - 1));
  const stable = stability.filter((c) => c.stable).length;
  const e = trainingErrorSummary(run);
  return {
    id: 'B6',
    part,
    paper: PAPER,
    statement: 'After FORCE training the closed loop produces every cued frequency (one limit cycle per frequency).',
    criterion: `after ${forceTrials} trials, for ≥ ${pct(B.forceFraction)} % of the test ω: dominant frequency within ${pct(B.frequencyTolerance)} % and RMS error < ${B.rmsTolerance}`,
    value: {
      'fraction produced': r.fraction,
      'RMS errors': tests.map((t) => t.rmsError.toFixed(2)).join(', '),
      'cycles stable when started on them': `${stable} of ${stability.length}`,
      'training e² in the last output period, first 5 / last 10 trials (median)': `${e.early.toExponential(1)} / ${e.late.toExponential(1)}`,
    },
    passed: r.passed,
    note: r.passed
      ? undefined
      : `The trained readout nearly supports the cycles (median q̂_cyc ${medianForce.toExponential(1)}) but the closed loop does not produce them: ` +
        `started on the clamped cycle with a 1e-3 perturbation, ${stable} of ${stability.length} stay within 5 % RMS for 10 periods (relative RMS ${stability.map((c) => c.relativeRms.toFixed(2)).join(', ')}); ` +
        `cued, the loop answers with ${tests.map((t) => t.dominantOmega.toFixed(2)).join(', ')} rad/τ. ` +
        `While FORCE learns, the loop leaves its target: the training error of the last output period rises from ${e.early.toExponential(1)} (first 5 trials) to ${e.late.toExponential(1)} (last 10), so RLS fits states off the cycles. ` +
        'Notebook 04, section 4, shows how many cycles FORCE can hold.',
  };
}

export function B6Force(study: PatternStudy, forceTrials: number): ClaimInput {
  return b6ForceClaim('FORCE produces every frequency', study.forceTests, study.forceStability, study.force, forceTrials);
}

/** B6's FORCE part under another training protocol (notebook 04, section 4), with the criterion unchanged. */
export function B6ForceProtocol(protocol: PatternProtocol, result: PatternForceResult, forceTrials: number): ClaimInput {
  if (protocol === 'throughout') throw new ParameterError('protocol', "'throughout' is the study's own FORCE run: record it with B6Force");
  return b6ForceClaim(`FORCE produces every frequency, ${PATTERN_PROTOCOL_LABELS[protocol]}`, result.tests, result.stability, result.run, forceTrials);
}

export interface CapacityRow {
  /** Number of evenly spaced frequencies FORCE was trained on (and cued with). */
  K: number;
  /** Fraction of them the loop produces by B6's per-frequency test (dominant ω within 5 %, RMS < 0.3). */
  fraction: number;
  trainingError: { early: number; late: number };
}

/**
 * How many limit cycles FORCE holds (notebook 04, section 4): B6's per-frequency test applied to the K trained
 * frequencies for each K, and `largestHeld`, the largest K up to which every size passes B6's 75 % bar (0 if K = 1 fails).
 */
export function forceCapacity(diagnosis: PatternDiagnosis): { rows: CapacityRow[]; largestHeld: number } {
  const rows = [...diagnosis.capacity]
    .sort((a, b) => a.K - b.K)
    .map(({ K, result }) => {
      const e = trainingErrorSummary(result.run);
      return { K, fraction: b6Force(result.tests).fraction, trainingError: { early: e.early, late: e.late } };
    });
  let largestHeld = 0;
  for (const r of rows) {
    if (r.fraction < B6_CRITERIA.forceFraction) break;
    largestHeld = r.K;
  }
  return { rows, largestHeld };
}
