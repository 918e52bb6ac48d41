// Library pieces of the Beer & Barak 2019 study: clamped fixed points, the memory task, the reduced model and the
// interference measures, each against a case whose answer is known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateNetwork, memoryTrials, valueGrid, nearestIndex, createOnlineRule, spearman, eigenvalues, type Mat } from '../../lib/src/index.js';
import { clampedFixedPoint, clampedFixedPointGrid, checkClampedFixedPoint, runReducedModel, meanSquaredRateNorm, lmsTrialGain, interferencePairs, destructionRates, fractionHeld, medianQHat, learningCurve, trialsToCriterion, meanHarmPerTrial, rateCovarianceSpectrum, beerBarakNetwork } from '../../lib/src/papers/beer-barak-2019/index.js';
import { b2Reduced, b4Reduced, b5Reduced, b4ClosedLoop, b5ClosedLoop, allSeeds } from '../../lib/src/papers/beer-barak-2019/claims.js';

test('clamped fixed point of an uncoupled network is x = w_fb v exactly', () => {
  const net = createRateNetwork({ n: 5, g: 0, feedback: true });
  const fp = clampedFixedPoint(net, 2.5);
  assert.ok(fp.converged);
  for (let i = 0; i < 5; i++) assert.ok(Math.abs(fp.x[i] - 2.5 * net.wFb![i]) < 1e-10);
  assert.throws(() => clampedFixedPoint(createRateNetwork({ n: 3 }), 1), /net: needs output feedback/);
});

test('clamped grid by continuation: residuals below 1e-10, points stable and unique (g = 1.2, N = 60)', () => {
  const net = beerBarakNetwork(60, 2);
  const grid = clampedFixedPointGrid(net, valueGrid(1, 5, 21));
  assert.ok(Math.max(...grid.residuals) < 1e-10);
  // The solution solves x = J tanh(x) + w_fb v: check one row independently.
  const k = 10;
  const x = grid.x.data.subarray(k * 60, (k + 1) * 60);
  const fromScratch = clampedFixedPoint(net, grid.values[k]);
  for (let i = 0; i < 60; i++) assert.ok(Math.abs(fromScratch.x[i] - x[i]) < 1e-8);
  const check = checkClampedFixedPoint(net, grid.values[k], x);
  assert.ok(check.stable && check.unique, JSON.stringify(check));
});

test('memory trials are seeded, in range, and shared across rules; grid helpers', () => {
  const a = memoryTrials(50, { seed: 3 });
  assert.deepEqual(a.values, memoryTrials(50, { seed: 3 }).values);
  assert.ok(a.values.every((v) => v >= 1 && v < 5) && a.delays.every((d) => d >= 5 && d < 30));
  assert.notDeepEqual(a.values, memoryTrials(50, { seed: 4 }).values);
  assert.deepEqual(Array.from(valueGrid(1, 5, 5)), [1, 2, 3, 4, 5]);
  assert.equal(nearestIndex([1, 2, 3], 2.4), 1);
  assert.throws(() => memoryTrials(3, { delayMax: 1 }), /delayMax/);
  assert.ok(Math.abs(lmsTrialGain(1e-2, 200) - 0.866) < 1e-3);
});

/** Smooth synthetic rate vectors r_v (K x N) on a value grid: a stand-in for clamped fixed points. */
function syntheticRates(values: Float64Array, n: number): Mat {
  const data = new Float64Array(values.length * n);
  values.forEach((v, k) => {
    for (let i = 0; i < n; i++) data[k * n + i] = Math.tanh(0.3 * v * Math.sin(i + 1) + 0.2 * Math.cos(3 * i));
  });
  return { rows: values.length, cols: n, data };
}

test('reduced model: LMS transfer equals the cosine of the rate vectors exactly; RLS shrinks each trained error', () => {
  const n = 30;
  const fineValues = valueGrid(1, 5, 81);
  const evalValues = valueGrid(1, 5, 9);
  const base = { fineValues, fineRates: syntheticRates(fineValues, n), evalValues, evalRates: syntheticRates(evalValues, n), presentations: 50, trialValues: memoryTrials(30, { seed: 1 }).values };
  const lms = runReducedModel({ ...base, rule: createOnlineRule({ rule: 'lms', n, eta: 1e-2 / meanSquaredRateNorm(base.evalRates) }) });
  const pairs = interferencePairs(lms, base.evalRates, base.fineRates, 0, 30);
  assert.ok(pairs.transfer.length > 0);
  for (let i = 0; i < pairs.transfer.length; i++) assert.ok(Math.abs(pairs.transfer[i] - pairs.cosine[i]) < 1e-9);
  const rls = runReducedModel({ ...base, rule: createOnlineRule({ rule: 'rls', n, alpha: 1 }) });
  // m presentations of r shrink the trained error by exactly 1/(1 + m r^T P r): ~1/(1 + 50 |r|^2) on the first trial,
  // and never grow it later.
  assert.ok(Math.abs(rls.trainedAfter[0]) < 1e-2 * Math.abs(rls.trainedBefore[0]));
  for (let k = 0; k < 30; k++) assert.ok(Math.abs(rls.trainedAfter[k]) <= Math.abs(rls.trainedBefore[k]) + 1e-12);
  assert.throws(() => runReducedModel({ ...base, rule: createOnlineRule({ rule: 'rls', n: n + 1 }) }), /rule: was built for n = 31/);
});

test('held fraction, destruction rate, trials to criterion and harm on a hand-made mismatch history', () => {
  // Two values; deltas after trials 0..3 (rows): both held, then value 2 lost, then both lost, then both held.
  const delta: Mat = { rows: 4, cols: 2, data: Float64Array.from([0.001, 0.001, 0.001, 0.5, 0.5, 0.5, 0.001, 0.001]) };
  assert.deepEqual(Array.from(fractionHeld(delta)), [1, 0.5, 0, 1]);
  const D = destructionRates(delta);
  assert.equal(D[0], 0.5);
  assert.equal(D[1], 1);
  assert.ok(Number.isNaN(D[2]));
  assert.equal(trialsToCriterion([1, 1, 1e-6, 1e-6, 1e-6], 1e-5, 3), 2);
  assert.equal(trialsToCriterion([1, 1e-6, 1], 1e-5, 2), Infinity);
  assert.ok(Math.abs(medianQHat(delta)[1] - 0.5 * (0.5 * 0.001 ** 2 + 0.5 * 0.5 ** 2)) < 1e-15);
  const curve = learningCurve(delta, 2);
  assert.deepEqual(Array.from(curve.x), [1, 2, 3]);
  assert.deepEqual(Array.from(curve.y), Array.from(medianQHat(delta).subarray(1), (q) => 2 * q));
  const run = { rule: 'x', evalValues: Float64Array.from([1, 5]), trialValues: Float64Array.from([5, 1, 3]), trialIndex: new Int32Array(3), delta, trainedBefore: new Float64Array(3), trainedAfter: new Float64Array(3), w: new Float64Array(1) };
  // Trial 1 (at v = 5) changed |delta(1)| by 0; trial 2 (v = 1) changed |delta(5)| by 0; trial 3 (v = 3): both by -0.499.
  assert.ok(Math.abs(meanHarmPerTrial(run) - (0 + 0 - 0.499) / 3) < 1e-12);
});

test('spectrum of C from the Gram matrix equals the eigenvalues of C; Spearman of monotone data is 1', () => {
  const values = valueGrid(1, 5, 6);
  const rates = syntheticRates(values, 4);
  const C = { rows: 4, cols: 4, data: new Float64Array(16) };
  for (let k = 0; k < 6; k++) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) C.data[i * 4 + j] += (rates.data[k * 4 + i] * rates.data[k * 4 + j]) / 6;
  const direct = Array.from(eigenvalues(C).re).sort((a, b) => b - a);
  const gram = rateCovarianceSpectrum(rates);
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(direct[i] - gram[i]) < 1e-12);
  assert.ok(Math.abs(spearman([1, 2, 3, 4], [10, 20, 25, 100]) - 1) < 1e-12);
  assert.ok(Math.abs(spearman([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
});

test('the B2 and B4 criteria fail when their premises are reversed', () => {
  const n = 20;
  const fineValues = valueGrid(1, 5, 41);
  const evalValues = valueGrid(1, 5, 9);
  const base = { fineValues, fineRates: syntheticRates(fineValues, n), evalValues, evalRates: syntheticRates(evalValues, n), presentations: 200, trialValues: memoryTrials(100, { seed: 2 }).values };
  const force = runReducedModel({ ...base, rule: createOnlineRule({ rule: 'rls', n }) });
  // "LMS" replaced by FORCE: no forgetting, so B2 must fail; "RLS-reset" replaced by RLS: B4 must fail.
  assert.equal(b2Reduced(force, force).passed, false);
  assert.equal(b4Reduced(force, force).passed, false);
  // A converging "LMS" run breaks B5, and the failure says which part and where.
  const b5 = b5Reduced(force, [{ gamma: 0.1, run: force }], Float64Array.from([1, 0.1, 0.01, 1e-3, 1e-4]));
  assert.equal(b5.passed, false);
  assert.match(b5.failures.join(' '), /LMS γ = 0.1 dipped to median q̂ = .* at trial \d+/);
  assert.equal(b5.value['FORCE trials to criterion'], 'not reached', 'JSON-safe, not Infinity');
  // Closed-loop criteria: B4 fails through its B1 clause alone; B5 passes for a converging FORCE and a stuck "LMS".
  assert.match(b4ClosedLoop(force, force, false).failures.join(' '), /full RLS does not meet B1/);
  const stuck = runReducedModel({ ...base, rule: createOnlineRule({ rule: 'lms', n, eta: 1e-7 }) });
  const b5c = b5ClosedLoop(force, [{ gamma: 1e-7, run: stuck }]);
  assert.equal(b5c.passed, Number(b5c.value['FORCE trials to criterion']) <= 100);
  assert.ok(Number(b5c.value['best LMS median q̂']) >= 1e-3);
  const combined = allSeeds([{ seed: 7, result: b5 }]);
  assert.match(combined.note ?? '', /^Failed: .*seed 7: LMS γ = 0.1 dipped/);
});

test('closed-loop claims are recorded per protocol: the part names the protocol, a mix of protocols is refused', async () => {
  const { B1ClosedLoop } = await import('../../lib/src/papers/beer-barak-2019/claims.js');
  const values = Float64Array.from([1, 2, 3]);
  const evaluation = { zEnd: Float64Array.from([1, 2.01, 3.2]), endStates: { rows: 0, cols: 0, data: new Float64Array(0) }, eigenValues: values, leadingEigenvalues: Float64Array.from([0.01, -0.02, 0.3]) };
  const study = (protocol: 'throughout' | 'delay-only', seed: number) => ({ seed, protocol, forceEvaluation: evaluation }) as never;
  const a = B1ClosedLoop([study('throughout', 1), study('throughout', 2)], values);
  const b = B1ClosedLoop([study('delay-only', 1)], values);
  assert.equal(a.part, 'closed loop');
  assert.equal(b.part, 'closed loop, delay-only learning');
  assert.match(b.criterion, /learning in the delay only/);
  assert.equal(b.passed, false); // 2 of 3 held (< 90 %), 2 of 3 marginal (< 80 %)
  assert.throws(() => B1ClosedLoop([study('throughout', 1), study('delay-only', 2)], values), /studies: mix two closed-loop protocols/);
});
