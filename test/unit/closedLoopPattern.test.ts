import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnlineRule, ParameterError, patternTrials } from '../../lib/src/index.js';
import {
  BEER_BARAK_PATTERN_SCALES,
  clampedCycle,
  cycleStability,
  evenFrequencies,
  logCycleMap,
  medianCycleMismatch,
  PATTERN_SETTLE_PERIODS,
  patternDiagnosis,
  patternNetwork,
  testPattern,
  trainingErrorSummary,
  trainPatternClosedLoop,
  type PatternDiagnosis,
  type PatternStudy,
  type PatternTest,
} from '../../lib/src/papers/beer-barak-2019/index.js';
import { b6Force, b6Lms, B6ForceProtocol, forceCapacity } from '../../lib/src/papers/beer-barak-2019/claims.js';

test('closed-loop pattern training: FORCE lowers the mismatch of the trained frequency; rows are per trial', () => {
  const net = patternNetwork(80, 1);
  const cycles = [0.3, 0.5].map((om) => clampedCycle(net, om, null, { settlePeriods: 6 }));
  assert.ok(cycles.every((c) => c.entrained), 'g = 1.0 with 6 settling periods entrains');
  const trials = patternTrials(4, { seed: 2, omegaMin: 0.3, omegaMax: 0.3 + 1e-9 });
  const run = trainPatternClosedLoop(net, createOnlineRule({ rule: 'rls', n: 80 }), trials, cycles);
  assert.equal(run.divergedAtTrial, -1);
  assert.equal(run.deltaCyc.rows, 5);
  const q0 = run.deltaCyc.data[0];
  const q4 = run.deltaCyc.data[4 * 2];
  assert.ok(q4 < q0 / 10, `q_cyc at the trained ω: ${q0} -> ${q4}`);
  assert.equal(logCycleMap(run).cols, 5);
  assert.equal(medianCycleMismatch(run).length, 5);
  const tests = testPattern(net, run.w, run.x, [0.3], { recordEvery: 1 });
  assert.ok(Number.isFinite(tests[0].rmsError) && tests[0].t.length === tests[0].z.length);
  const stab = cycleStability(net, run.w, cycles[0]);
  assert.ok(Number.isFinite(stab.relativeRms));
});

test('testPattern scores a perfect sine output as produced, and b6Force counts it', () => {
  // A readout of zero gives z = 0: RMS error 1/√2, not produced.
  const net = patternNetwork(20, 1);
  const [t] = testPattern(net, new Float64Array(20), new Float64Array(20), [0.4]);
  assert.ok(Math.abs(t.rmsError - Math.SQRT1_2) < 0.02, `rms ${t.rmsError}`);
  const fake = (omega: number, dom: number, rms: number): PatternTest => ({ omega, dominantOmega: dom, rmsError: rms, t: new Float64Array(), z: new Float64Array(), target: new Float64Array() });
  const r = b6Force([fake(0.2, 0.205, 0.1), fake(0.4, 0.4, 0.29), fake(0.6, 0.5, 0.1), fake(0.3, 0.3, 0.5)]);
  assert.deepEqual(r.produced, [true, true, false, false]);
  assert.equal(r.passed, false);
});

test('b6Lms: recency counts trials whose nearest test frequency beats the grid median', () => {
  const K = 3;
  const T = 30;
  const mk = (fn: (t: number, k: number) => number) => ({ rows: T + 1, cols: K, data: Float64Array.from({ length: (T + 1) * K }, (_, i) => fn(Math.floor(i / K), i % K)) });
  const omegas = Float64Array.from({ length: T }, (_, k) => [0.2, 0.4, 0.6][k % 3]);
  const run = (delta: ReturnType<typeof mk>) => ({ rule: 'x', trialOmegas: omegas, testOmegas: Float64Array.from([0.2, 0.4, 0.6]), deltaCyc: delta, w: new Float64Array(), x: new Float64Array(), divergedAtTrial: -1 });
  // LMS: after trial k (row k+1) the trained frequency k % 3 is best.
  const lms = run(mk((t, k) => (t > 0 && k === (t - 1) % 3 ? 1e-3 : 1e-1)));
  const force = run(mk(() => 1e-4));
  const result = b6Lms({ force, lms: [{ gamma: 0.1, run: lms, tests: [] }] } as unknown as PatternStudy);
  assert.equal(result.recency, 1);
  assert.ok(Math.abs(result.ratio - 1000) < 1e-9);
  assert.equal(result.passed, true);
});

test('patternTrials: a frequency set is drawn from by the same draws as the interval; bad sets are named', () => {
  const set = [0.2, 0.4, 0.6];
  const free = patternTrials(200, { seed: 3 });
  const onSet = patternTrials(200, { seed: 3, omegaSet: set });
  // Draw d ∈ [0, 1) picks ω = 0.2 + 0.4 d on the interval and member ⌊3 d⌋ of the set.
  onSet.omegas.forEach((w, k) => assert.equal(w, set[Math.floor(((free.omegas[k] - 0.2) / 0.4) * 3 + 1e-12)]));
  assert.deepEqual(new Set(onSet.omegas), new Set(set), 'every member drawn in 200 trials');
  onSet.cues.forEach((u, k) => assert.ok(Math.abs(u - (1 + 2 * set.indexOf(onSet.omegas[k]))) < 1e-12, 'cue levels 1, 3, 5'));
  for (const [bad, name] of [
    [[], 'omegaSet'],
    ['0.3', 'omegaSet'],
    [[0.3, 0.7], 'omegaSet[1]'],
    [[Number.NaN], 'omegaSet[0]'],
  ] as const) {
    assert.throws(() => patternTrials(3, { omegaSet: bad as never }), (e: Error) => e instanceof ParameterError && e.parameter === name, `${JSON.stringify(bad)}`);
  }
});

test('trainPatternClosedLoop records the training error by phase: a readout that never learns gives e² = 0 in the cue and ⟨sin²⟩ = ½ per period', () => {
  const net = patternNetwork(30, 1);
  const cycles = [clampedCycle(net, 0.4, null, { settlePeriods: 6 })];
  const trials = patternTrials(3, { seed: 1 });
  const run = trainPatternClosedLoop(net, createOnlineRule({ rule: 'rls', n: 30 }), trials, cycles, { learnDuringCue: false, learnFromPeriod: 4 });
  assert.ok(run.w.every((v) => v === 0), 'no learning anywhere: w stays 0');
  assert.deepEqual([run.periodSquaredError.rows, run.periodSquaredError.cols], [3, 4]);
  assert.ok(run.cueSquaredError.every((v) => v === 0));
  // Whole periods of whole steps: the mean of sin² over a period is ½ up to the rounding of the period to steps.
  for (const v of run.periodSquaredError.data) assert.ok(Math.abs(v - 0.5) < 5e-3, `period e² ${v}`);
  assert.throws(() => trainPatternClosedLoop(net, createOnlineRule({ rule: 'rls', n: 30 }), trials, cycles, { learnFromPeriod: 5 }), (e: Error) => e instanceof ParameterError && e.parameter === 'learnFromPeriod');
  assert.throws(() => trainPatternClosedLoop(net, createOnlineRule({ rule: 'rls', n: 30 }), trials, cycles, { learnDuringCue: 'no' as never }), (e: Error) => e instanceof ParameterError && /learnDuringCue/.test(e.parameter));
});

test('B6 mechanism at quick scale: FORCE holds one trained frequency, but on the interval its training error climbs while it learns', () => {
  // The quick network (N = 100) and trial count (10) of notebook 04. Measured (median e² of the last output period,
  // first 5 → last 5 trials): one frequency 3.7e-4 → 5.2e-6, and ω = 0.4 produced (dominant 0.396, RMS 0.002); the
  // interval 3.8e-3 → 4.3e-2.
  const s = BEER_BARAK_PATTERN_SCALES.quick;
  const net = patternNetwork(s.n, s.seed);
  const cycles = s.testOmegas.map((om) => clampedCycle(net, om, null, { settlePeriods: PATTERN_SETTLE_PERIODS }));
  const train = (omegaSet: number[] | null) => trainPatternClosedLoop(net, createOnlineRule({ rule: 'rls', n: s.n }), patternTrials(s.forceTrials, { seed: s.seed, omegaSet }), cycles);
  const one = train(evenFrequencies(1));
  const interval = train(null);
  const oneError = trainingErrorSummary(one, 5, 5);
  const intervalError = trainingErrorSummary(interval, 5, 5);
  assert.ok(oneError.late < 1e-3, `one frequency, late e² ${oneError.late}`);
  assert.ok(intervalError.late > 10 * intervalError.early, `interval e² ${intervalError.early} → ${intervalError.late}`);
  assert.ok(intervalError.late > 10 * oneError.late);
  const [produced] = testPattern(net, one.w, one.x, [0.4]);
  assert.equal(b6Force([produced]).fraction, 1, `ω 0.4: dominant ${produced.dominantOmega}, RMS ${produced.rmsError}`);
});

test('forceCapacity: the largest K up to which every size meets B6 bar; protocols and frequencies are checked', async () => {
  const fake = (K: number, produced: number) => ({
    K,
    omegas: evenFrequencies(K),
    result: {
      tests: evenFrequencies(K).map((om, i) => ({ omega: om, dominantOmega: i < produced ? om : 2 * om, rmsError: 0.1, t: new Float64Array(), z: new Float64Array(), target: new Float64Array() })),
      run: { periodSquaredError: { rows: 2, cols: 1, data: Float64Array.from([1e-4, 1e-2]) } },
    },
  });
  const d = { protocols: [], capacity: [fake(3, 3), fake(1, 1), fake(5, 2), fake(4, 3), fake(9, 9)] } as unknown as PatternDiagnosis;
  const c = forceCapacity(d);
  assert.deepEqual(c.rows.map((r) => r.K), [1, 3, 4, 5, 9]);
  assert.equal(c.largestHeld, 4, '3 of 4 is 75 %: held; 2 of 5 is not, and 9 after a failure does not count');
  // One trial each side of a two-trial run: the first trial's e² and the last one's.
  assert.deepEqual(trainingErrorSummary({ periodSquaredError: { rows: 2, cols: 1, data: Float64Array.from([1e-4, 1e-2]) } } as never, 1, 1), { lastPeriod: Float64Array.from([1e-4, 1e-2]), early: 1e-4, late: 1e-2 });
  assert.deepEqual(evenFrequencies(1), [0.4]);
  assert.deepEqual(evenFrequencies(5), [0.2, 0.3, 0.4, 0.5, 0.6]);
  assert.throws(() => evenFrequencies(0), (e: Error) => e instanceof ParameterError && e.parameter === 'K');
  await assert.rejects(patternDiagnosis(BEER_BARAK_PATTERN_SCALES.quick, ['bogus' as never]), (e: Error) => e instanceof ParameterError && e.parameter === 'protocols[0]');
  assert.throws(() => B6ForceProtocol('throughout', {} as never, 10), (e: Error) => e instanceof ParameterError && e.parameter === 'protocol');
});
