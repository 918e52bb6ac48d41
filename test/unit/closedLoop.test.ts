import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnlineRule, finiteMean, memoryTrials, valueGrid } from '../../lib/src/index.js';
import { BEER_BARAK_SCALES, closedLoopGrids, cueOnsetDiagnosis, memoryGrids, beerBarakNetwork, clampedFixedPointGrid, checkClampedFixedPoint, closedLoopFixedPoints, everyKthRow, closedLoopLeadingEigenvalue, medianQHat, stitchTraces, testMemory, trainMemoryClosedLoop, type ClosedLoopGrids } from '../../lib/src/papers/beer-barak-2019/index.js';

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
