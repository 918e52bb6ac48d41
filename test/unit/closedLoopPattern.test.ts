import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnlineRule, patternTrials } from '../../lib/src/index.js';
import { clampedCycle, patternNetwork, testPattern, trainPatternClosedLoop, cycleStability, logCycleMap, medianCycleMismatch, type PatternTest, type PatternStudy } from '../../lib/src/papers/beer-barak-2019/index.js';
import { b6Force, b6Lms } from '../../lib/src/papers/beer-barak-2019/claims.js';

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
