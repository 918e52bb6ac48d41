/**
 * The claims of the sequential-interference study (README §6), decided in one place: one function per claim (per
 * part where a claim has several) that takes what the notebook measured and returns the complete record
 * `recordClaim` stores (statement, criterion text built from the thresholds below, value, verdict, note). Notebooks
 * 07, 08 and 09 only call them; the tests call the same functions. The finite-network measures (s1, s5a, s5b,
 * s4Network) live here too because they are nothing but seed means judged against these thresholds.
 */
import type { ClaimInput } from '../../notebook/claims.js';
import { arrayMean, spearman } from '../../numerics/statistics.js';
import type { NetworkScale, NeuroScale } from './config.js';
import { meanInterference, type NetworkGrid, type OutputVariant, type RunVariant } from './networkStudy.js';
import type { NeuroPairRun } from './neuroStudy.js';
import type { Plasticity } from './patternNetwork.js';
import { MEAN_FIELD_TARGET_EIGENVALUE } from './meanField2d.js';
import type { MeanFieldRun, S0Summary, S4MeanField, TimeResolvedGradient } from './reducedStudy.js';

const PAPER = 'sequential-interference-2x2' as const;
/** 0.15 → 15 (whole percentages in criterion texts). */
const pct = (x: number): number => Math.round(100 * x);

/** Thresholds of the reduced-model claims S0, S2, S3, S4 (mean field), README §6, fixed before the runs. */
export const REDUCED_CRITERIA = {
  S0: { seriesTau: 0.1, seriesTolerance: 1e-4, simulationTolerance: 0.02, firstStepTolerance: 0.15, firstStepGains: [0.3, 0.6], collapseTolerance: 0.3, lossLevel: 0.05 },
  S2: { offDiagonal: 1e-9, eigenvalueTolerance: 0.02, newFormationInterference: 0.02, rotationAngle: 60, rotationInterference: 0.8 },
  S3: { plateauSteps: 100, plateauLevel: 0.8, speedup: 0.5 },
  S4: { ratio: 0.5, spearman: -0.7 },
};

/** Thresholds of the finite-network claims S1, S4 (full rank), S5a, S5b (README §6). */
export const NETWORK_CRITERIA = {
  /** S1: seed-mean I ≥ 0.5 for every g, constrained, both plasticities. */
  forgetting: 0.5,
  /** S5a: t_B(0.9) ≤ 0.5 t_B(0), monotonic over g ∈ {0, 0.5, 0.9}. */
  speedup: 0.5,
  speedupGains: [0, 0.5, 0.9],
  /** S5b: I(0.9) ≤ 0.5 I(0) (constrained full rank) and new formation at g = 0.9 in ≥ 2/3 of the seeds. */
  interferenceRatio: 0.5,
  newFormationShare: 2 / 3,
  /** S4: I(1) ≤ 0.5 I(0) and Spearman(I, f_in) ≤ −0.7. */
  emphasisRatio: 0.5,
  emphasisSpearman: -0.7,
};

/** Thresholds of the neuroscience-pair claims S1 (neuroscience pair) and S6 (README §6). */
export const NEURO_CRITERIA = {
  /** S1 (optional part): flip-flop then Romo, seed-mean I ≥ 0.2. */
  forgetting: 0.2,
  /** A task counts as learned when its test sign accuracy reaches this. */
  learnedAccuracy: 0.9,
};

/** Whether a task counts as learned (test sign accuracy ≥ NEURO_CRITERIA.learnedAccuracy). */
export const learned = (accuracy: number): boolean => accuracy >= NEURO_CRITERIA.learnedAccuracy;


// ---- Per-seed measures of the finite-network claims (seed means over the runs that learned A). ----

export interface S1Result {
  rows: { plasticity: Plasticity; gain: number; mean: number; learned: number; total: number }[];
  passed: boolean;
}

export function s1(grid: NetworkGrid, s: NetworkScale): S1Result {
  const rows = (['2x2', 'full'] as const).flatMap((plasticity) => s.gains.map((gain) => ({ plasticity, gain, ...meanInterference(grid.cell(plasticity, 'constrained', gain)) })));
  return { rows, passed: rows.every((r) => r.learned > 0 && r.mean >= NETWORK_CRITERIA.forgetting) };
}

export interface S5aResult {
  outputs: OutputVariant;
  gains: number[];
  meanLearningTime: number[];
  monotonic: boolean;
  ratio: number;
  passed: boolean;
}

/** t_B against g for the full-rank network (seed means; t_B = n_B + 1 when B is never learned). */
export function s5a(grid: NetworkGrid, s: NetworkScale, outputs: OutputVariant): S5aResult {
  const gains = NETWORK_CRITERIA.speedupGains.filter((g) => s.gains.includes(g));
  const meanLearningTime = gains.map((g) => arrayMean(grid.cell('full', outputs, g).map((r) => r.learningTime)));
  const monotonic = meanLearningTime.every((t, i) => i === 0 || t < meanLearningTime[i - 1]);
  const ratio = meanLearningTime[gains.indexOf(0.9)] / meanLearningTime[gains.indexOf(0)];
  return { outputs, gains, meanLearningTime, monotonic, ratio, passed: monotonic && ratio <= NETWORK_CRITERIA.speedup };
}

export interface S5bResult {
  interference0: number;
  interference09: number;
  ratio: number;
  newFormation09: number;
  seeds: number;
  passed: boolean;
}

/** S5b for one cell pair (constrained full rank by default; other variants are explored with the same measure). */
export function s5b(grid: NetworkGrid, plasticity: Plasticity = 'full', outputs: OutputVariant = 'constrained', variant: Partial<RunVariant> = {}): S5bResult {
  const i0 = meanInterference(grid.cell(plasticity, outputs, 0, variant)).mean;
  const at09 = grid.cell(plasticity, outputs, 0.9, variant);
  const i09 = meanInterference(at09).mean;
  const nf = at09.filter((r) => r.attractors.outcome === 'new formation').length;
  const ratio = i09 / i0;
  return {
    interference0: i0,
    interference09: i09,
    ratio,
    newFormation09: nf,
    seeds: at09.length,
    passed: ratio <= NETWORK_CRITERIA.interferenceRatio && nf >= Math.ceil(NETWORK_CRITERIA.newFormationShare * at09.length - 1e-9),
  };
}

export interface S4NetworkResult {
  fractions: number[];
  interference: number[];
  learned: number[];
  ratio: number;
  spearman: number;
  passed: boolean;
}

/** S4 for the full-rank network (constrained, g = emphasisGain): seed-mean I against f_in. */
export function s4Network(grid: NetworkGrid, s: NetworkScale): S4NetworkResult {
  const cells = s.fractions.map((f) => meanInterference(grid.cell('full', 'constrained', s.emphasisGain, { inputFraction: f })));
  const interference = cells.map((c) => c.mean);
  const ratio = interference[s.fractions.indexOf(1)] / interference[s.fractions.indexOf(0)];
  const rho = spearman(interference, s.fractions);
  return {
    fractions: s.fractions,
    interference,
    learned: cells.map((c) => c.learned),
    ratio,
    spearman: rho,
    passed: interference.every(Number.isFinite) && ratio <= NETWORK_CRITERIA.emphasisRatio && rho <= NETWORK_CRITERIA.emphasisSpearman,
  };
}

// ---- Notebook 07: the reduced models. ----

export function S0(s0: S0Summary): ClaimInput {
  const c = REDUCED_CRITERIA.S0;
  const passed =
    !s0.missingRuns &&
    s0.seriesError < c.seriesTolerance &&
    s0.simulationError.length > 0 &&
    s0.simulationError.every((s) => s.error <= c.simulationTolerance) &&
    s0.firstStep.length > 0 &&
    s0.firstStep.every((f) => Math.abs(f.ratio - 1) <= c.firstStepTolerance) &&
    s0.collapse.every((f) => Math.abs(f.ratio - 1) <= c.collapseTolerance);
  return {
    id: 'S0',
    paper: PAPER,
    statement: 'Random connectivity speeds up input-driven learning by β² = 1/(1 − g²)², and the network follows its exact 2×2 reduction.',
    criterion: `|ODE − series| < ${c.seriesTolerance} at τ = ${c.seriesTau}; max |z_sim − z_ODE| ≤ ${c.simulationTolerance} (g = 0); first-step ratio within ${pct(c.firstStepTolerance)} % of 1 and τ̃(5 %) within ±${pct(c.collapseTolerance)} % for g ∈ {${c.firstStepGains.join(', ')}}`,
    value: {
      '|ODE − series|': s0.seriesError,
      'max |z_sim − z_ODE|': Math.max(...s0.simulationError.map((s) => s.error)),
      'first-step ratios': s0.firstStep.map((f) => f.ratio.toFixed(3)).join(', '),
      'τ̃ ratios': s0.collapse.map((f) => f.ratio.toFixed(3)).join(', '),
    },
    passed,
  };
}

/** Whether the mode read from M (README §5.2) and the end points of long trials (§5.3) agree on a run. */
const classificationsAgree = (r: MeanFieldRun): boolean =>
  (r.mode === 'new formation' && r.attractors.outcome === 'new formation') || (r.mode === 'rotation' && r.attractors.outcome === 'same pair');

/** S2 on the mean-field runs without leak (`newFormation`, ε = 0) and with leak (`rotation`, ε = 0.01). */
export function S2(newFormation: MeanFieldRun, rotation: MeanFieldRun): ClaimInput {
  const c = REDUCED_CRITERIA.S2;
  const phiEnd = Math.abs(rotation.eigens[rotation.eigens.length - 1].phiPlus);
  const eigenRatio = newFormation.MAfterB[3] / MEAN_FIELD_TARGET_EIGENVALUE;
  return {
    id: 'S2',
    paper: PAPER,
    statement: 'Two learning modes exist: new formation (ε = 0) and rotation (ε = 0.01), in the mean-field model.',
    criterion: `ε = 0: max |M12|,|M21| < ${c.offDiagonal}, M22 within ${pct(c.eigenvalueTolerance)} % of λ*, I < ${c.newFormationInterference}; ε = 0.01: |φ₊| ≥ ${c.rotationAngle}°, I ≥ ${c.rotationInterference}; §5.2 and §5.3 agree`,
    value: {
      'max off-diagonal (ε = 0)': newFormation.maxOffDiagonal,
      'M22 / λ* (ε = 0)': eigenRatio,
      'I (ε = 0)': newFormation.interference,
      '|φ₊| (ε = 0.01)': phiEnd,
      'I (ε = 0.01)': rotation.interference,
      classifications: `${newFormation.mode} / ${newFormation.attractors.outcome}; ${rotation.mode} / ${rotation.attractors.outcome}`,
    },
    passed:
      newFormation.maxOffDiagonal < c.offDiagonal &&
      Math.abs(eigenRatio - 1) < c.eigenvalueTolerance &&
      newFormation.interference < c.newFormationInterference &&
      phiEnd >= c.rotationAngle &&
      rotation.interference >= c.rotationInterference &&
      classificationsAgree(newFormation) &&
      classificationsAgree(rotation),
  };
}

/** L_B / L_B(0) over the first `plateauSteps` phase-B steps of a run (S3's plateau). */
export function plateauRatios(run: MeanFieldRun): number[] {
  const steps = REDUCED_CRITERIA.S3.plateauSteps;
  return Array.from(run.record.lossB.subarray(0, steps + 1), (l) => l / run.record.lossB[0]);
}

/** S3: the plateau of new formation, the speed of rotation, and the time centroids of the first phase-B gradient. */
export function S3(newFormation: MeanFieldRun, rotation: MeanFieldRun, gradient: TimeResolvedGradient): ClaimInput {
  const c = REDUCED_CRITERIA.S3;
  const ratios = plateauRatios(newFormation);
  const minPlateau = Math.min(...ratios);
  // A plateau is flat or falling: L_B may not rise above L_B(0) while it lasts (rounding aside).
  const neverRises = Math.max(...ratios) <= 1 + 1e-9;
  return {
    id: 'S3',
    paper: PAPER,
    statement: 'Rotation runs on recurrent amplification (fast, late in the trial); new formation on the decaying input-driven transient (plateau, early in the trial).',
    criterion: `ε = 0: L_B > ${c.plateauLevel} L_B(0) for ${c.plateauSteps} steps, without rising above L_B(0); t_B(0.01) ≤ ${c.speedup} t_B(0); rotation centroid later than new-formation centroid`,
    value: {
      'min L_B/L_B(0) over the first 100 steps (ε = 0)': minPlateau,
      't_B (ε = 0)': newFormation.learningTime,
      't_B (ε = 0.01)': rotation.learningTime,
      'centroids (rotation, new formation)': `${gradient.rotationCentroid.toFixed(2)}, ${gradient.newFormationCentroid.toFixed(2)}`,
    },
    passed: minPlateau > c.plateauLevel && neverRises && rotation.learningTime <= c.speedup * newFormation.learningTime && gradient.rotationCentroid > gradient.newFormationCentroid,
  };
}

export function S4MeanField(s4: S4MeanField): ClaimInput {
  const c = REDUCED_CRITERIA.S4;
  const passed = s4.ratio <= c.ratio && s4.spearman <= c.spearman;
  return {
    id: 'S4',
    part: 'mean field',
    paper: PAPER,
    statement: 'More input-driven emphasis gives less interference (mean field, ε = 0.01, constrained).',
    criterion: `I(f_in = 1) ≤ ${c.ratio} I(f_in = 0) and Spearman(I, f_in) ≤ ${c.spearman}`,
    value: { 'I(1)/I(0)': s4.ratio, Spearman: s4.spearman, 'I by f_in': s4.interference.map((v) => v.toFixed(3)).join(', ') },
    passed,
    note: passed
      ? undefined
      : 'Not reproduced: interference is non-monotonic in f_in. Partial input (f_in = 0.25, 0.5) leaves an attractor that must also hold after the input ends, phase A cannot fit both exactly (L_A ≈ 0.05) and phase B still rotates; only f_in ≥ 0.75 gives an input-driven solution without forgetting.',
  };
}

// ---- Notebook 08: finite networks. ----

export function S1(grid: NetworkGrid, s: NetworkScale): ClaimInput {
  const r = s1(grid, s);
  const K = NETWORK_CRITERIA;
  return {
    id: 'S1',
    paper: PAPER,
    statement: 'Sequential training on orthogonal fixed-point tasks causes forgetting (constrained output, 2×2 and full rank, every g).',
    criterion: `seed-mean I ≥ ${K.forgetting} for every g and both plasticities (over the seeds that learned A; at least one must)`,
    value: Object.fromEntries(r.rows.map((row) => [`${row.plasticity}, g = ${row.gain}`, `${row.mean.toFixed(3)} (${row.learned}/${row.total})`])),
    passed: r.passed,
    note: r.passed
      ? undefined
      : `Not reproduced at this scale: ${r.rows
          .filter((row) => !(row.learned > 0 && row.mean >= K.forgetting))
          .map((row) => `${row.plasticity}, g = ${row.gain}: ${row.learned === 0 ? 'no seed learned A in phase A' : `I = ${row.mean.toFixed(3)}`}`)
          .join('; ')}.`,
  };
}

export function S5a(grid: NetworkGrid, s: NetworkScale, outputs: OutputVariant): ClaimInput {
  const r = s5a(grid, s, outputs);
  return {
    id: 'S5a',
    part: `full rank, ${r.outputs}`,
    paper: PAPER,
    statement: `Larger g speeds up learning of task B (full rank, ${r.outputs} output).`,
    criterion: `mean t_B decreasing over g ∈ {${r.gains.join(', ')}} and t_B(0.9) ≤ ${NETWORK_CRITERIA.speedup} t_B(0)`,
    value: { 'mean t_B': r.meanLearningTime.map((t) => t.toFixed(1)).join(', '), 't_B(0.9)/t_B(0)': r.ratio, monotonic: String(r.monotonic) },
    passed: r.passed,
    note: r.passed
      ? undefined
      : r.monotonic
        ? 'Faster with g, but by less than a factor 2: without the constraint B is learned fast at every g.'
        : 'The speed-up is a threshold, not a trend: B goes from (often) unlearnable at g = 0 to fast at g = 0.5, and g = 0.9 is no faster.',
  };
}

export function S5b(grid: NetworkGrid): ClaimInput {
  const r = s5b(grid);
  return {
    id: 'S5b',
    paper: PAPER,
    statement: 'Larger g reduces interference because new formation wins the race (full rank, constrained).',
    criterion: `I(0.9) ≤ ${NETWORK_CRITERIA.interferenceRatio} I(0) and §5.3 "new formation" at g = 0.9 in ≥ 2/3 of the seeds`,
    value: { 'I(0)': r.interference0, 'I(0.9)': r.interference09, ratio: r.ratio, 'new formation at g = 0.9': `${r.newFormation09}/${r.seeds}` },
    passed: r.passed,
    note: r.passed
      ? undefined
      : 'Not reproduced: at g = 0.9 every seed rotates A onto B (one attractor pair on m_B). With the non-cued output unconstrained, interference does fall with g, but through a shared compromise attractor at about 45°, not through new formation (see the variants below).',
  };
}

export function S4Network(grid: NetworkGrid, s: NetworkScale): ClaimInput {
  const r = s4Network(grid, s);
  return {
    id: 'S4',
    part: 'full rank',
    paper: PAPER,
    statement: `More input-driven emphasis gives less interference (full rank, constrained, g = ${s.emphasisGain}).`,
    criterion: `I(f_in = 1) ≤ ${NETWORK_CRITERIA.emphasisRatio} I(f_in = 0) and Spearman(I, f_in) ≤ ${NETWORK_CRITERIA.emphasisSpearman}`,
    value: { 'I by f_in': r.interference.map((v) => v.toFixed(3)).join(', '), 'I(1)/I(0)': r.ratio, Spearman: r.spearman },
    passed: r.passed,
    note: r.passed ? undefined : 'Not reproduced as a trend: as in the mean field, interference is non-monotonic in f_in (partial input makes it larger) and vanishes only when the input covers the whole window, where no attractor is needed.',
  };
}

// ---- Notebook 09: neuroscience tasks. ----

/** S1 on the neuroscience pair: flip-flop, then Romo. */
export function S1Neuroscience(runs: NeuroPairRun[]): ClaimInput {
  const ff = runs.filter((r) => r.params.first === 'flipflop' && learned(r.accuracyAAfterA));
  const iff = arrayMean(ff.map((r) => r.interference));
  return {
    id: 'S1',
    part: 'neuroscience pair',
    paper: PAPER,
    statement: 'Sequential training forgets on a neuroscience pair too (flip-flop, then Romo on separate channels).',
    criterion: `seed-mean I ≥ ${NEURO_CRITERIA.forgetting} over the seeds where flip-flop was learned (accuracy ≥ ${NEURO_CRITERIA.learnedAccuracy})`,
    value: { 'mean I': iff, 'seeds with flip-flop learned': `${ff.length}/${runs.filter((r) => r.params.first === 'flipflop').length}`, 'Romo accuracy after B': ff.map((r) => r.accuracyBAfterB.toFixed(2)).join(', ') },
    passed: ff.length > 0 && iff >= NEURO_CRITERIA.forgetting,
  };
}

/** Per task order: seeds with task A learned, the mean I over them, and A's mean accuracy after phase A. */
export function taskOrders(runs: NeuroPairRun[], s: NeuroScale) {
  return s.pairs.map(([a, b]) => {
    const rs = runs.filter((r) => r.params.first === a && r.params.second === b);
    const ok = rs.filter((r) => learned(r.accuracyAAfterA));
    return { order: `${a} → ${b}`, learned: ok.length, total: rs.length, I: arrayMean(ok.map((r) => r.interference)), accuracyA: arrayMean(rs.map((r) => r.accuracyAAfterA)) };
  });
}

/** S6 (descriptive): both orders must be measurable, i.e. task A learned in at least one seed of each. */
export function S6(runs: NeuroPairRun[], s: NeuroScale, training: { lr: number }): ClaimInput {
  const orders = taskOrders(runs, s);
  const measurable = orders.every((o) => o.learned > 0);
  return {
    id: 'S6',
    paper: PAPER,
    statement: 'Forgetting on neuroscience tasks depends on the task: I reported for flip-flop → Romo and Romo → flip-flop (descriptive).',
    criterion: `both orders measurable: task A learned (accuracy ≥ ${NEURO_CRITERIA.learnedAccuracy}) in at least one seed of each order`,
    value: Object.fromEntries(orders.map((o) => [o.order, Number.isFinite(o.I) ? `I = ${o.I.toFixed(3)} (${o.learned}/${o.total})` : `A not learned (accuracy ${o.accuracyA.toFixed(2)})`])),
    passed: measurable,
    note: measurable
      ? undefined
      : `Not measurable here: ${orders
          .filter((o) => o.learned === 0)
          .map((o) => o.order.split(' → ')[0])
          .join(', ')} was not learned from scratch within ${s.stepsPerTask} Adam steps (lr ${training.lr}, batch ${s.batch}); the original trained for 1,000–6,000 epochs.`,
  };
}
