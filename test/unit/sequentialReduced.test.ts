import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inverse, Matrix, SVD } from 'ml-matrix';
import { fixedPointLoss, fixedPointTrial, inputDurationForFraction, ParameterError, Rng, BpttWorkspace, referenceKernels, DivergenceError } from '../../lib/src/index.js';
import { classifyAttractors, classifyMode, createPatternNetwork, criticalEigenvalue, erfSecondMoment, interferenceIndex, learningTime, linearReducedCurve, linearSeries, MEAN_FIELD_TARGET_EIGENVALUE, meanFieldFixedPointNorm, meanFieldGradient, meanFieldTrajectory, patternEigen, patternTrajectory, raceTimes, timeResolvedGradient, meanFieldSequentialRun, REDUCED_SCALES, topSingularValues, trainLinearNetwork, trainSequential, trialBatch } from '../../lib/src/papers/sequential-interference-2x2/index.js';

const quickMeanField = REDUCED_SCALES.quick.meanField;

test('fixed-point task: pulse with leak, sustained input on t < T_in, window and masks', () => {
  const t = fixedPointTrial(1, { leak: 0.01, inputDuration: inputDurationForFraction(0.5), outputs: 'unconstrained' });
  assert.equal(t.steps, 100);
  assert.equal(t.windowStart, 25);
  assert.deepEqual(Array.from(t.initial), [0.01, 1]);
  assert.equal(t.inputSteps, Math.round(12.5 / 0.2));
  assert.equal(t.input[2 * (t.inputSteps - 1) + 1], 0.5);
  assert.equal(t.input[2 * t.inputSteps + 1], 0);
  assert.deepEqual(Array.from(t.outputMask), [0, 1]);
  assert.throws(() => fixedPointTrial(0, { windowStart: 30 }), ParameterError);
  assert.throws(() => fixedPointTrial(0, { outputs: 'both' as never }), /fixedPointTask.outputs/);
});

test('mean-field adjoint gradient equals central finite differences (rel. error < 1e-6)', () => {
  const cases = [
    { M: [1.2, 0.3, -0.4, 0.8], trial: fixedPointTrial(1, { leak: 0.01, inputDuration: 10 }) },
    { M: [1.6, 0, 0.2, 0.1], trial: fixedPointTrial(0, { outputs: 'unconstrained' }) },
    { M: [0.5, -1.1, 0.9, 1.7], trial: fixedPointTrial(1, { leak: 0.1 }) },
  ];
  for (const { M, trial } of cases) {
    const { grad } = meanFieldGradient(M, trial);
    const scale = Math.max(...grad.map(Math.abs));
    for (let i = 0; i < 4; i++) {
      const h = 1e-6;
      const up = [...M];
      const down = [...M];
      up[i] += h;
      down[i] -= h;
      const fd = (meanFieldGradient(up, trial).loss - meanFieldGradient(down, trial).loss) / (2 * h);
      assert.ok(Math.abs(fd - grad[i]) / scale < 1e-6, `entry ${i}: adjoint ${grad[i]}, finite difference ${fd}`);
    }
  }
});

test('mean-field fixed point: M = λ* I holds a pulse at norm 1; norm formula √((2/π)(λ²−1))', () => {
  const k = meanFieldTrajectory([MEAN_FIELD_TARGET_EIGENVALUE, 0, 0, MEAN_FIELD_TARGET_EIGENVALUE], [0.3, 0.2], 2000, 0.05);
  const end = Math.hypot(k[k.length - 2], k[k.length - 1]);
  assert.ok(Math.abs(end - 1) < 1e-6, `end norm ${end}`);
  assert.ok(Math.abs(meanFieldFixedPointNorm(MEAN_FIELD_TARGET_EIGENVALUE) - 1) < 1e-12);
  assert.equal(meanFieldFixedPointNorm(0.9), 0);
});

test('the mean field predicts a large finite network: N = 2000, W = λ* U diag(1, 0) Uᵀ/N holds κ_A near 1', () => {
  const net = createPatternNetwork({ size: 2000, gain: 0, plasticity: '2x2', seed: 4, dtype: 'float64' });
  net.model.params.M!.set([MEAN_FIELD_TARGET_EIGENVALUE, 0, 0, 0]);
  const trial = fixedPointTrial(0, { duration: 40 });
  const kappa = patternTrajectory(net, trial);
  const mf = meanFieldTrajectory(net.model.params.M!, trial.initial, trial.steps, trial.dt);
  // Finite-N corrections to Stein's lemma are O(1/√N) ≈ 2 %.
  assert.ok(Math.abs(kappa[kappa.length - 2] - mf[mf.length - 2]) < 0.05, `network ${kappa[kappa.length - 2]}, mean field ${mf[mf.length - 2]}`);
  // The engine's loss of the trial equals the study's loss evaluated on the network's κ trajectory.
  const ws = new BpttWorkspace(net.model, referenceKernels('float64'), 1, trial.steps);
  const engineLoss = ws.forward(trialBatch(net, trial)).loss;
  assert.ok(Math.abs(engineLoss - fixedPointLoss(trial, kappa)) < 1e-12);
});

test('eigen-parametrisation: reconstructs M, handles diagonal ties and flags complex pairs', () => {
  const rng = Rng.stream(3, 'eig');
  for (let k = 0; k < 20; k++) {
    const M = [rng.normal(), rng.normal(), rng.normal(), rng.normal()];
    const e = patternEigen(M);
    if (e.complex) continue;
    const rad = Math.PI / 180;
    const V = new Matrix([[Math.cos(e.phiPlus * rad), Math.cos(e.phiMinus * rad)], [Math.sin(e.phiPlus * rad), Math.sin(e.phiMinus * rad)]]);
    const back = V.mmul(Matrix.diag([e.lambdaPlus, e.lambdaMinus])).mmul(inverse(V));
    for (let i = 0; i < 4; i++) assert.ok(Math.abs(back.get(i >> 1, i & 1) - M[i]) < 1e-9);
    assert.ok(e.lambdaPlus >= e.lambdaMinus && Math.abs(e.phiPlus) <= 90 && Math.abs(e.phiMinus) <= 90);
  }
  assert.deepEqual(patternEigen([1.6, 0, 0, 1.6]), { lambdaPlus: 1.6, lambdaMinus: 1.6, phiPlus: 0, phiMinus: 90, complex: false });
  assert.equal(patternEigen([0, -1, 1, 0]).complex, true);
  assert.throws(() => patternEigen([1, 2, 3]), /M: expected a 2×2/);
});

test('critical eigenvalue: 1 for g ≤ 1, self-consistent above', () => {
  assert.equal(criticalEigenvalue(0.9), 1);
  const lc = criticalEigenvalue(1.5);
  const delta = ((lc * lc - 1) * 2) / Math.PI;
  assert.ok(lc > 1 && Math.abs(delta - 2.25 * erfSecondMoment(delta)) < 1e-10);
  assert.throws(() => criticalEigenvalue(-1), /gain/);
});

test('mode and attractor classifications', () => {
  assert.equal(classifyMode(patternEigen([1.6, 0, 0, 1.6]), 1), 'new formation');
  assert.equal(classifyMode(patternEigen([0.9, 0, -1.34, 1.6]), 1), 'rotation');
  assert.equal(classifyAttractors([0, -1], [0, 1]).outcome, 'same pair');
  assert.equal(classifyAttractors([1, 0.05], [0.02, 0.98]).outcome, 'new formation');
  assert.equal(classifyAttractors([0.01, 0], [0, 1]).outcome, 'decayed');
  const race = raceTimes([patternEigen([1.6, 0, 0, 0]), patternEigen([1.6, 0, 0, 1.2]), patternEigen([0.5, 0, 0, 1.6])], 1);
  assert.deepEqual(race, { rotation: 2, newFormation: 1 });
});

test('sequential protocol: interference index, learning time and divergence reporting', () => {
  assert.equal(interferenceIndex(1, 0, 0.5), 0.5);
  assert.equal(learningTime([1, 0.5, 0.04, 0.01]), 2);
  assert.equal(learningTime([1, 0.9]), 2);
  let p = [1, 1];
  const learner = {
    loss: (cue: 0 | 1) => p[cue] ** 2,
    step: (cue: 0 | 1) => {
      const l = p[cue] ** 2;
      p[cue] *= 0.5;
      if (cue === 1) p[0] += 0.25; // learning B harms A
      return l;
    },
  };
  const r = trainSequential(learner, { stepsA: 10, stepsB: 3 });
  assert.equal(r.lossAInitial, 1);
  assert.ok(r.lossAAfterB > r.lossAAfterA);
  assert.equal(r.lossB.length, 4);
  p = [1, 1];
  assert.throws(() => trainSequential({ loss: () => 1, step: () => NaN }, { stepsA: 2, stepsB: 1 }), DivergenceError);
});

test('linear reference: ODE against the third-order series, error scaling as τ⁴ (S0)', () => {
  const err = (tau: number) => {
    const c = linearReducedCurve(0.5, tau, tau / 1000);
    return Math.abs(c.z[c.z.length - 1] - linearSeries(0.5, tau));
  };
  assert.ok(err(0.1) < 1e-4);
  const ratio = err(0.1) / err(0.05);
  assert.ok(ratio > 13 && ratio < 19, `error ratio ${ratio} (τ⁴ gives 16)`);
});

test('linear network: matches the 2×2 ODE at g = 0, tracked inverse stays exact, and ‖x*‖²‖y‖²/N² ≈ β² sets the first step', () => {
  const run = trainLinearNetwork({ size: 128, gain: 0, epochs: 100, singularValuesEvery: 50, checkStability: true });
  const ode = linearReducedCurve(0.5, run.lr * 100, run.lr / 20);
  const worst = Math.max(...run.z.map((z, e) => Math.abs(z - ode.z[e * 20])));
  assert.ok(worst < 0.02, `max |z_sim − z_ODE| = ${worst}`);
  assert.ok(run.inverseDrift < 1e-10);
  assert.ok(run.maxRealEigenvalue < 1);
  // The first step moves z by lr (ẑ − z₀) ‖x*‖²/N ‖(I − W)⁻ᵀw‖²/N (to first order in lr); both norms ≈ β.
  const g = trainLinearNetwork({ size: 400, gain: 0.5, epochs: 2, singularValuesEvery: 0, checkStability: false });
  const ratio = (g.z[1] - g.z[0]) / (g.lr * (0.5 - g.z[0]) * g.betaInput * g.betaOutput);
  assert.ok(Math.abs(ratio - 1) < 0.01, `first-step ratio ${ratio}`);
  assert.ok(Math.abs(g.betaInput / g.beta - 1) < 0.3 && Math.abs(g.betaOutput / g.beta - 1) < 0.3, `${g.betaInput}, ${g.betaOutput} vs β = ${g.beta}`);
  assert.throws(() => trainLinearNetwork({ gain: 1 }), /gain/);
});

test('linear network at N = 512 follows the 2×2 ODE, at g > 0 in the rescaled time τ̃ = β² lr × epochs', () => {
  // Tolerances: at g = 0 the reduction is exact (only gradient-step discreteness remains, ~1e-3); at g > 0 the network
  // starts from z₀ = O(g/√N) rather than 0 and its amplifications fluctuate around β by O(1/√N): 0.06 at N = 512.
  for (const [gain, tolerance] of [[0, 0.005], [0.3, 0.06], [0.6, 0.06]]) {
    const r = trainLinearNetwork({ size: 512, gain, epochs: 200, singularValuesEvery: 0, checkStability: false, seed: 2 });
    const dt = r.lr * r.beta ** 2;
    const ode = linearReducedCurve(0.5, dt * 200, dt / 20);
    const worst = Math.max(...r.z.map((z, e) => Math.abs(z - ode.z[e * 20])));
    assert.ok(worst <= tolerance, `g = ${gain}: max |z − z_ODE(τ̃)| = ${worst}`);
  }
});

test('top singular values by block power iteration equal a full SVD', () => {
  const n = 60;
  const rng = Rng.stream(5, 'sv');
  const D = new Float64Array(n * n);
  // A matrix with a decaying spectrum, like ΔW.
  for (let r = 0; r < 5; r++) {
    const u = rng.normalArray(n);
    const v = rng.normalArray(n);
    const s = 10 ** -r;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) D[i * n + j] += s * u[i] * v[j];
  }
  const full = new SVD(new Matrix(Array.from({ length: n }, (_, i) => Array.from(D.subarray(i * n, (i + 1) * n))))).diagonal;
  const top = topSingularValues(D, n);
  assert.ok(Math.abs(top[0] - full[0]) / full[0] < 1e-8 && Math.abs(top[1] - full[1]) / full[1] < 1e-6, `${top} vs ${full.slice(0, 2)}`);
});

test('mean-field A → B: ε = 0 forms a new attractor, ε = 0.01 rotates the old one (S2 at quick scale)', () => {
  const nf = meanFieldSequentialRun({ leak: 0 }, quickMeanField);
  assert.ok(nf.maxOffDiagonal < 1e-9);
  assert.ok(Math.abs(nf.MAfterB[3] / MEAN_FIELD_TARGET_EIGENVALUE - 1) < 0.02);
  assert.ok(nf.interference < 0.02);
  assert.equal(nf.mode, 'new formation');
  assert.equal(nf.attractors.outcome, 'new formation');
  const rot = meanFieldSequentialRun({ leak: 0.01 }, quickMeanField);
  assert.ok(Math.abs(rot.eigens[rot.eigens.length - 1].phiPlus) >= 60);
  assert.ok(rot.interference >= 0.8);
  assert.equal(rot.mode, 'rotation');
  assert.equal(rot.attractors.outcome, 'same pair');
  // S3: the plateau at ε = 0, the faster rotation, and the later time centroid of the rotation path.
  assert.ok(nf.record.lossB[100] > 0.8 * nf.record.lossB[0]);
  assert.ok(rot.learningTime <= 0.5 * nf.learningTime);
  const g = timeResolvedGradient(rot.MAfterA, rot.options);
  assert.ok(g.rotationCentroid > g.newFormationCentroid);
});
