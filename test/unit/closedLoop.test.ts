import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnlineRule, finiteMean, memoryTrials, ParameterError, valueGrid } from '../../lib/src/index.js';
import { BEER_BARAK_SCALES, closedLoopGrids, cueOnsetDiagnosis, memoryGrids, beerBarakNetwork, clampedFixedPointGrid, checkClampedFixedPoint, closedLoopFixedPoints, everyKthRow, closedLoopLeadingEigenvalue, medianQHat, stitchTraces, testMemory, trainMemoryClosedLoop, patternProbes, probePairs, PROBE_OMEGAS, PROBE_PHASES, driftAgainstMismatch, type ClosedLoopGrids } from '../../lib/src/papers/beer-barak-2019/index.js';

const N = 60;
const net = beerBarakNetwork(N, 5);
const fine = clampedFixedPointGrid(net, valueGrid(1, 5, 81));
const evalGrid = clampedFixedPointGrid(net, valueGrid(1, 5, 9));
const G: ClosedLoopGrids = { fineValues: fine.values, fineRates: fine.r, evalValues: evalGrid.values, evalRates: evalGrid.r };
const trials = memoryTrials(15, { seed: 5, delayMax: 10 });

test('closed-loop FORCE lowers the mismatch at the candidate points and is deterministic', () => {
  const a = trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N }), trials, G, { recordTrials: [0, 14] });
  const b = trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N }), trials, G);
  assert.deepEqual(a.w, b.w);
  assert.equal(a.divergedAtTrial, -1);
  const m = medianQHat(a.delta);
  assert.ok(m[15] < 1e-2 * m[0], `median q̂ ${m[0]} -> ${m[15]}`);
  assert.equal(a.traces.length, 2);
  const st = stitchTraces(a.traces);
  assert.equal(st.starts[1].t, a.traces[0].t[a.traces[0].t.length - 1] + (a.traces[0].t[1] - a.traces[0].t[0]));
  assert.ok(st.f.every((f, i) => f === (i < a.traces[0].t.length ? trials.values[0] : trials.values[14])));
});

test('a diverging LMS run stops and reports the trial instead of producing NaN plots', () => {
  const run = trainMemoryClosedLoop(net, createOnlineRule({ rule: 'lms', n: N, eta: 50 }), trials, G);
  assert.ok(run.divergedAtTrial >= 0 && run.divergedAtTrial < 15);
  assert.ok(Number.isNaN(run.delta.data[(run.divergedAtTrial + 1) * 9]));
});

test('with w = 0 the closed-loop Jacobian is the open-loop one; test trials output 0', () => {
  const w = new Float64Array(N);
  const x = evalGrid.x.data.subarray(4 * N, 5 * N);
  const closed = closedLoopLeadingEigenvalue(net, w, evalGrid.r.data.subarray(4 * N, 5 * N));
  const open = checkClampedFixedPoint(net, evalGrid.values[4], x, { starts: 1 }).maxRealEigenvalue;
  assert.ok(Math.abs(closed - open) < 1e-10);
  const { zEnd } = testMemory(net, w, x, [1, 3], { delayDuration: 5 });
  assert.deepEqual(Array.from(zEnd), [0, 0]);
});

test('closed-loop point search: with w = 0 the loop is the bare network, whose origin is an unstable fixed point (g = 1.2)', () => {
  const starts = { rows: 1, cols: N, data: new Float64Array(N).fill(1e-3) };
  const points = closedLoopFixedPoints(net, new Float64Array(N), starts);
  const origin = points.find((p) => p.kind === 'fixed' && Math.abs(p.z) < 1e-12);
  assert.ok(origin, JSON.stringify(points));
  assert.equal(origin!.stable, false); // the spectral radius of J exceeds 1
  assert.equal(everyKthRow({ rows: 5, cols: 1, data: Float64Array.from([0, 1, 2, 3, 4]) }, 2).data.join(), '0,2,4');
});

test('bad closed-loop inputs are named', () => {
  assert.throws(() => trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N + 1 }), trials, G), /rule: was built for n = 61/);
  assert.throws(() => trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N }), trials, G, { learnEvery: 0 }), /learnEvery/);
});

test('the error floor of learning during the cue (issue 14): the rule is fed the previous point with the new target, and ends higher than delay-only learning', () => {
  // The closed loop's quick scale: N = 300, seed 1; 50 FORCE trials on the same network and trial values.
  const net = beerBarakNetwork(300, 1);
  const grids = memoryGrids(net, BEER_BARAK_SCALES.full.fineCount, BEER_BARAK_SCALES.full.evalCount);
  const G = closedLoopGrids(grids);
  const run = (learnDuringCue: boolean) => trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: 300 }), memoryTrials(50, { seed: 1 }), G, { learnDuringCue });
  const throughout = run(true);
  const delayOnly = run(false);
  // At cue onset the state sits on the previous value's point: p_k ≈ v_{k−1}, a step of order |v_k − v_{k−1}| from the target.
  const ks = Array.from({ length: 29 }, (_, i) => 21 + i);
  const offPrevious = finiteMean(Float64Array.from(ks, (k) => Math.abs(throughout.onsetLinePosition[k] - throughout.trialValues[k - 1])));
  const a = cueOnsetDiagnosis(throughout);
  const b = cueOnsetDiagnosis(delayOnly);
  assert.ok(offPrevious < 0.15, `state at cue onset ${offPrevious} from the previous value`);
  assert.ok(a.meanOnsetStep > 1, `mean target step at onset ${a.meanOnsetStep}`);
  // Fed those samples, RLS holds the delay worse and ends with a higher median q̂ than without them.
  assert.ok(a.delaySquaredError > 2 * b.delaySquaredError, `delay e² ${a.delaySquaredError} vs ${b.delaySquaredError}`);
  assert.ok(a.finalMedianQHat > 10 * b.finalMedianQHat, `final median q̂ ${a.finalMedianQHat} vs ${b.finalMedianQHat}`);
});

test("B3's pattern-task probes: the closed loop records wᵀ r_P after every trial; bad probe shapes are named", () => {
  const probes = patternProbes(net);
  assert.deepEqual([probes.rows, probes.cols], [PROBE_OMEGAS.length * PROBE_PHASES, N]);
  assert.ok(probes.data.every(Number.isFinite));
  const run = trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N }), trials, { ...G, probeRates: probes });
  assert.deepEqual([run.probeReadout.rows, run.probeReadout.cols], [16, probes.rows]);
  assert.ok(run.probeReadout.data.subarray(0, probes.rows).every((z) => z === 0), 'w = 0 before training');
  for (let p = 0; p < probes.rows; p++) {
    let z = 0;
    for (let i = 0; i < N; i++) z += run.w[i] * probes.data[p * N + i];
    assert.ok(Math.abs(run.probeReadout.data[15 * probes.rows + p] - z) < 1e-12, 'last row is the final readout');
  }
  // The probes are recorded only: the run is the same with and without them.
  assert.deepEqual(run.w, trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N }), trials, G).w);
  assert.equal(trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N }), trials, G).probeReadout.cols, 0);
  const bad = { rows: 2, cols: N - 1, data: new Float64Array(2 * (N - 1)) };
  assert.throws(() => trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N }), trials, { ...G, probeRates: bad }), (e: Error) => e instanceof ParameterError && e.parameter === 'grids.probeRates');
  const nan = { rows: 1, cols: N, data: new Float64Array(N).fill(Number.NaN) };
  assert.throws(() => trainMemoryClosedLoop(net, createOnlineRule({ rule: 'rls', n: N }), trials, { ...G, probeRates: nan }), (e: Error) => e instanceof ParameterError && e.parameter === 'grids.probeRates');
});

test('probePairs: when every update is along the trial rates (LMS on clamped rates), Ĩ(P←B) is cos(r_P, r_B) exactly', () => {
  // A hand-made reduced run: trial k trains the fine-grid point idx[k] by Δw = η r_B, so for any probe
  // Δ(wᵀ r_P) / ‖r_P‖ ÷ (Δδ(v_B) / ‖r_B‖) = (η r_Pᵀ r_B / ‖r_P‖) / (η ‖r_B‖) = cos(r_P, r_B) (README §5.6).
  const probes = patternProbes(net, [0.3], 4);
  const idx = [3, 40, 77, 20];
  const w = new Float64Array(N);
  const rowOf = (m: { cols: number; data: Float64Array }, i: number) => m.data.subarray(i * m.cols, (i + 1) * m.cols);
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i], 0);
  const readout = { rows: idx.length + 1, cols: probes.rows, data: new Float64Array((idx.length + 1) * probes.rows) };
  const before: number[] = [];
  const after: number[] = [];
  idx.forEach((b, k) => {
    const rB = rowOf(fine.r, b);
    before.push(dot(w, rB) - fine.values[b]);
    for (let i = 0; i < N; i++) w[i] += 0.01 * rB[i];
    after.push(dot(w, rB) - fine.values[b]);
    for (let p = 0; p < probes.rows; p++) readout.data[(k + 1) * probes.rows + p] = dot(w, rowOf(probes, p));
  });
  const run = { trialValues: Float64Array.from(idx, (b) => fine.values[b]), trialIndex: Int32Array.from(idx), trainedBefore: Float64Array.from(before), trainedAfter: Float64Array.from(after) } as never;
  const pairs = probePairs(run, probes, readout, fine.r, 0, idx.length);
  assert.equal(pairs.transfer.length, idx.length * probes.rows);
  pairs.transfer.forEach((t, i) => assert.ok(Math.abs(t - pairs.cosine[i]) < 1e-9, `pair ${i}: Ĩ ${t} vs cos ${pairs.cosine[i]}`));
  assert.ok(pairs.distance.every(Number.isNaN), 'a probe has no value');
  assert.ok(Math.min(...pairs.cosine) < 0.5, `probes widen the range of correlations (min cos ${Math.min(...pairs.cosine)})`);
  assert.throws(() => probePairs(run, probes, { rows: 5, cols: 3, data: new Float64Array(15) }, fine.r, 0, 4), (e: Error) => e instanceof ParameterError && e.parameter === 'probeReadout');
});

test('driftAgainstMismatch pairs each test value with its final mismatch and splits them by the hold tolerance', () => {
  const run = { delta: { rows: 2, cols: 3, data: Float64Array.from([1, 1, 1, 1e-4, -1e-2, 3e-3]) }, evalValues: Float64Array.from([1, 2, 3]) } as never;
  const d = driftAgainstMismatch(run, { zEnd: Float64Array.from([1.01, 2.5, 2.9]) } as never, 0.05);
  assert.deepEqual(Array.from(d.mismatch), [1e-4, 1e-2, 3e-3]);
  assert.ok(Math.abs(d.drift[1] - 0.5) < 1e-12);
  assert.equal(d.medianMismatchHeld, 1e-4);
  assert.equal(d.medianMismatchLost, (1e-2 + 3e-3) / 2);
  assert.equal(d.rho, 1, 'drift 0.01, 0.5, 0.1 ranks as the mismatch does');
  assert.throws(() => driftAgainstMismatch(run, { zEnd: new Float64Array(2) } as never), (e: Error) => e instanceof ParameterError && e.parameter === 'evaluation');
});
