import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BpttWorkspace, fixedPointTrial, ParameterError, rateNetworkFlow, Rng, nonlinearity, nonlinearityDerivative, erf, erfFast } from '../../lib/src/index.js';
import { createPatternNetwork, effectivePatternMatrix, interferenceIndex, networkJobs, NETWORK_SCALES, PatternNetworkLearner, trainSequential, trialBatch, type NetworkGrid, type NetworkRunSummary, trialsBatch, gridOf, catchTrial, patternTrajectory } from '../../lib/src/papers/sequential-interference-2x2/index.js';
import { networkRunJob } from '../../lib/src/papers/sequential-interference-2x2/networkJobs.js';
import { s1, s4Network, s5a, s5b } from '../../lib/src/papers/sequential-interference-2x2/claims.js';

test('pattern network: readouts are the pattern coordinates and M_eff = M + UᵀgJU/N', () => {
  const net = createPatternNetwork({ size: 40, gain: 0, plasticity: '2x2', seed: 2, dtype: 'float64' });
  net.model.params.M!.set([1.1, -0.3, 0.4, 0.7]);
  const M = effectivePatternMatrix(net);
  [1.1, -0.3, 0.4, 0.7].forEach((v, i) => assert.ok(Math.abs(M[i] - v) < 1e-12));
  // The pulse of cue B starts the state at m_B: κ(0) = (0, 1).
  const b = trialBatch(net, fixedPointTrial(1));
  let kA = 0;
  let kB = 0;
  for (let i = 0; i < 40; i++) {
    kA += (net.U[2 * i] * b.initialState[i]) / 40;
    kB += (net.U[2 * i + 1] * b.initialState[i]) / 40;
  }
  assert.ok(Math.abs(kA) < 1e-12 && Math.abs(kB - 1) < 1e-12);
  assert.throws(() => createPatternNetwork({ plasticity: 'diag' as never }), ParameterError);
  assert.throws(() => createPatternNetwork({ gain: -1 }), /patternNetwork.gain/);
});

test('pattern network: the task gradient on M equals finite differences of the task loss', () => {
  const net = createPatternNetwork({ size: 16, gain: 0.7, plasticity: '2x2', seed: 3, dtype: 'float64' });
  net.model.params.M!.set([1.2, 0.2, -0.5, 0.6]);
  const batch = trialBatch(net, fixedPointTrial(1, { leak: 0.05, inputDuration: 8 }));
  const ws = new BpttWorkspace(net.model, net.kernels, 1, batch.steps);
  const g = Float64Array.from(ws.gradients(batch).grads.M!);
  const M = net.model.params.M!;
  for (let i = 0; i < 4; i++) {
    const h = 1e-6;
    const keep = M[i];
    M[i] = keep + h;
    const up = ws.forward(batch).loss;
    M[i] = keep - h;
    const down = ws.forward(batch).loss;
    M[i] = keep;
    const fd = (up - down) / (2 * h);
    assert.ok(Math.abs(fd - g[i]) < 1e-6 * Math.max(...g.map(Math.abs)), `entry ${i}: ${g[i]} vs ${fd}`);
  }
});

test('float32 (WebAssembly) and float64 (reference) training give the same interference', () => {
  const results = (['float64', 'float32'] as const).map((dtype) => {
    const net = createPatternNetwork({ size: 32, gain: 0.5, plasticity: 'full', seed: 1, dtype });
    const learner = new PatternNetworkLearner(net, [fixedPointTrial(0), fixedPointTrial(1)], 0.1);
    const r = trainSequential(learner, { stepsA: 300, stepsB: 100, recordEvery: 10 });
    return interferenceIndex(r.lossAInitial, r.lossAAfterA, r.lossAAfterB);
  });
  assert.ok(Math.abs(results[0] - results[1]) < 1e-3, `${results}`);
});

test('erf rate-network flow: the Jacobian equals finite differences', () => {
  const n = 6;
  const rng = Rng.stream(1, 'flow');
  const W = { rows: n, cols: n, data: rng.normalArray(n * n, 0, 0.8) };
  const sys = rateNetworkFlow(W, null, 1, 'erf');
  const x = rng.normalArray(n);
  const J = { rows: n, cols: n, data: new Float64Array(n * n) };
  sys.jacobian(x, J);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const h = 1e-6;
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[j] += h;
    xm[j] -= h;
    sys.evaluate(xp, up);
    sys.evaluate(xm, down);
    for (let i = 0; i < n; i++) assert.ok(Math.abs((up[i] - down[i]) / (2 * h) - J.data[i * n + j]) < 1e-7);
  }
});

test('a network run job is deterministic and reports its analyses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seq-'));
  const keep = process.env.RNNLAB_CACHE;
  try {
    const params = { size: 24, gain: 0.9, plasticity: 'full' as const, outputs: 'constrained' as const, inputFraction: 0, seed: 1, stepsA: 200, stepsB: 60, lr: 0.1, recordEvery: 10, dtype: 'float32' as const, noiseStd: 0, catchTrials: false, rate: 'erf' as const };
    process.env.RNNLAB_CACHE = join(dir, 'a');
    const a = networkRunJob(params);
    process.env.RNNLAB_CACHE = join(dir, 'b');
    const b = networkRunJob(params);
    assert.deepEqual(a.lossB, b.lossB);
    assert.equal(a.lossB.length, 61);
    assert.equal(a.recordSteps.at(-1), 60);
    assert.ok(a.outOfSpan !== null && a.outOfSpan >= 0 && a.outOfSpan <= 1);
    assert.equal(a.singularValues.length, 4);
    assert.ok(Number.isFinite(a.interference));
  } finally {
    if (keep === undefined) delete process.env.RNNLAB_CACHE;
    else process.env.RNNLAB_CACHE = keep;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the job list covers the grid, the emphasis sweep and the input variant without duplicates', () => {
  const s = NETWORK_SCALES.full;
  const jobs = networkJobs(s);
  const keys = new Set(jobs.map((j) => JSON.stringify(j)));
  assert.equal(keys.size, jobs.length);
  const plain = (j: (typeof jobs)[number]) => j.plasticity !== 'g-basis' && j.inputFraction === 0 && j.noiseStd === 0 && !j.catchTrials && j.rate === 'erf';
  assert.equal(jobs.filter((j) => plain(j) && j.gain !== s.emphasisGain).length, 2 * 2 * (s.gains.length - 1) * s.seeds.length);
  assert.ok(jobs.some((j) => j.rate === 'double-tanh' && j.gain === 0.9) && jobs.some((j) => j.catchTrials && j.noiseStd > 0) && jobs.some((j) => j.plasticity === 'g-basis'));
  assert.ok(jobs.some((j) => j.inputFraction === 1 && j.gain === s.emphasisGain));
});

/** A fake run with the fields the claim summaries read. */
function fake(p: Partial<NetworkRunSummary['params']>, interference: number, learningTime: number, outcome: 'same pair' | 'new formation' = 'same pair'): NetworkRunSummary {
  return {
    params: { size: 8, gain: 0, plasticity: 'full', outputs: 'constrained', inputFraction: 0, seed: 1, stepsA: 1, stepsB: 1, lr: 0.1, recordEvery: 1, dtype: 'float32', noiseStd: 0, catchTrials: false, rate: 'erf', ...p },
    interference, learningTime, learnedA: true, attractors: { outcome, thetaA: 0, thetaB: 90, normA: 1, normB: 1 },
  } as NetworkRunSummary;
}

const grid = (runs: NetworkRunSummary[]): NetworkGrid => gridOf(runs);

test('claim summaries: S1, S5a, S5b and S4 pass and fail on their criteria', () => {
  const s = { ...NETWORK_SCALES.quick, gains: [0, 0.5, 0.9], fractions: [0, 0.5, 1] };
  const forget = grid((['2x2', 'full'] as const).flatMap((plasticity) => s.gains.map((gain) => fake({ plasticity, gain }, 0.9, 100))));
  assert.equal(s1(forget, s).passed, true);
  const weak = grid([...forget.runs.slice(1), fake({ plasticity: '2x2', gain: 0 }, 0.3, 100)]);
  assert.equal(s1(weak, s).passed, false);
  const faster = grid([fake({ gain: 0 }, 1, 400), fake({ gain: 0.5 }, 1, 250), fake({ gain: 0.9 }, 1, 150)]);
  assert.equal(s5a(faster, s, 'constrained').passed, true);
  const notMonotonic = grid([fake({ gain: 0 }, 1, 400), fake({ gain: 0.5 }, 1, 450), fake({ gain: 0.9 }, 1, 150)]);
  assert.equal(s5a(notMonotonic, s, 'constrained').passed, false);
  assert.equal(s5b(grid([fake({ gain: 0 }, 1, 1), fake({ gain: 0.9 }, 0.3, 1, 'new formation')])).passed, true);
  assert.equal(s5b(grid([fake({ gain: 0 }, 1, 1), fake({ gain: 0.9 }, 0.3, 1, 'same pair')])).passed, false);
  const emphasis = grid(s.fractions.map((f, i) => fake({ gain: s.emphasisGain, inputFraction: f }, 1 - 0.45 * i, 1)));
  assert.equal(s4Network(emphasis, s).passed, true);
  const flat = grid(s.fractions.map((f) => fake({ gain: s.emphasisGain, inputFraction: f }, 1, 1)));
  assert.equal(s4Network(flat, s).passed, false);
});

test('catch trials and the ± pair keep the loss L_c + 0.25 L_catch; a noise-free pair equals the single trial', () => {
  const net = createPatternNetwork({ size: 20, gain: 0.8, plasticity: 'full', seed: 5, dtype: 'float64' });
  const t = fixedPointTrial(0, { inputDuration: 6 });
  const single = new BpttWorkspace(net.model, net.kernels, 1, t.steps).forward(trialBatch(net, t)).loss;
  const pair = new BpttWorkspace(net.model, net.kernels, 2, t.steps).forward(trialsBatch(net, [{ trial: t, sign: 1, weight: 1 }, { trial: t, sign: -1, weight: 1 }])).loss;
  assert.ok(Math.abs(single - pair) < 1e-12, 'odd φ: the −1 trial mirrors the +1 trial');
  const c = catchTrial(t);
  const catchLoss = new BpttWorkspace(net.model, net.kernels, 1, t.steps).forward(trialBatch(net, c)).loss;
  assert.equal(catchLoss, 0, 'noise-free, a catch trial stays at the origin');
  const three = new BpttWorkspace(net.model, net.kernels, 3, t.steps).forward(
    trialsBatch(net, [{ trial: t, sign: 1, weight: 1.5 }, { trial: t, sign: -1, weight: 1.5 }, { trial: c, sign: 1, weight: 0.75 }]),
  ).loss;
  assert.ok(Math.abs(three - (single + 0.25 * catchLoss)) < 1e-12);
});

test('a network trained with noise is evaluated noise-free, reproducibly', () => {
  const run = () => {
    const net = createPatternNetwork({ size: 24, gain: 0.5, plasticity: 'full', seed: 2, noiseStd: 0.2 });
    const learner = new PatternNetworkLearner(net, [fixedPointTrial(0), fixedPointTrial(1)], { lr: 0.1, catchTrials: true, noiseSeed: 3 });
    const before = [learner.loss(0), learner.loss(0)];
    for (let i = 0; i < 20; i++) learner.step(0);
    return { before, after: learner.loss(0), kappa: patternTrajectory(net, fixedPointTrial(0)).slice(-2) };
  };
  const a = run();
  const b = run();
  assert.equal(a.before[0], a.before[1], 'evaluation is deterministic');
  assert.ok(a.after < a.before[0]);
  assert.deepEqual(a, b);
  assert.throws(() => new PatternNetworkLearner(createPatternNetwork({ size: 8 }), [fixedPointTrial(0), fixedPointTrial(1)], { lr: -1 }), /learner.lr/);
});

test("'double-tanh' (S5b variant 2): odd, low gain at the origin, derivative equal to finite differences", () => {
  const f = (x: number) => nonlinearity('double-tanh', x);
  assert.ok(Math.abs(f(0.7) + f(-0.7)) < 1e-15);
  assert.ok(Math.abs(nonlinearityDerivative('double-tanh', 0) - 2 / Math.cosh(1.5) ** 2) < 1e-12);
  for (const x of [-2, -0.9, 0, 0.3, 1.1, 3]) {
    const fd = (f(x + 1e-6) - f(x - 1e-6)) / 2e-6;
    assert.ok(Math.abs(fd - nonlinearityDerivative('double-tanh', x)) < 1e-8, `x = ${x}`);
  }
});

test('the float32 erf (Abramowitz & Stegun 7.1.26) is within 1.5e-7 of the double-precision erf', () => {
  let worst = 0;
  for (let x = -6; x <= 6; x += 0.001) worst = Math.max(worst, Math.abs(erfFast(x) - erf(x)));
  assert.ok(worst < 1.5e-7, `max error ${worst}`);
  assert.equal(erfFast(0), erf(0));
});

test("'g-basis' plasticity (S5b variant 4): at g = 0 the basis is U and training equals the 2×2 model", () => {
  const losses = (['2x2', 'g-basis'] as const).map((plasticity) => {
    const net = createPatternNetwork({ size: 24, gain: 0, plasticity, seed: 4, dtype: 'float64' });
    const learner = new PatternNetworkLearner(net, [fixedPointTrial(0), fixedPointTrial(1)], 0.1);
    const out: number[] = [];
    for (let i = 0; i < 40; i++) out.push(learner.step(i < 30 ? 0 : 1));
    return { out, M: Array.from(learner.patternMatrix()) };
  });
  losses[0].out.forEach((l, i) => assert.ok(Math.abs(l - losses[1].out[i]) < 1e-10, `step ${i}`));
  losses[0].M.forEach((m, i) => assert.ok(Math.abs(m - losses[1].M[i]) < 1e-10));
  // At g > 0 the basis differs from U and W changes only inside it.
  const net = createPatternNetwork({ size: 24, gain: 0.8, plasticity: 'g-basis', seed: 4, dtype: 'float64' });
  const learner = new PatternNetworkLearner(net, [fixedPointTrial(0), fixedPointTrial(1)], 0.1);
  const before = learner.loss(0);
  for (let i = 0; i < 30; i++) learner.step(0);
  assert.ok(learner.loss(0) < before);
  const { left, right } = net.basis!;
  const W = net.model.params.W!;
  const M = net.basisM!;
  for (let i = 0; i < 24; i += 5) for (let j = 0; j < 24; j += 7) {
    const expect = net.W0[i * 24 + j] + ((left[2 * i] * M[0] + left[2 * i + 1] * M[2]) * right[2 * j] + (left[2 * i] * M[1] + left[2 * i + 1] * M[3]) * right[2 * j + 1]) / 24;
    assert.ok(Math.abs(W[i * 24 + j] - expect) < 1e-12);
  }
});

test('correlated patterns (papers/sequential-interference-2x2/README.md §4.1): overlap c, squared norms N, symmetric about the diagonal; c = 0 is orthogonal', () => {
  for (const c of [0, 0.3, 0.8]) {
    const net = createPatternNetwork({ size: 50, plasticity: 'full', seed: 6, patternCorrelation: c, dtype: 'float64' });
    let aa = 0, bb = 0, ab = 0;
    for (let i = 0; i < 50; i++) {
      aa += net.U[2 * i] ** 2;
      bb += net.U[2 * i + 1] ** 2;
      ab += net.U[2 * i] * net.U[2 * i + 1];
    }
    assert.ok(Math.abs(aa / 50 - 1) < 1e-12 && Math.abs(bb / 50 - 1) < 1e-12);
    assert.ok(Math.abs(ab / 50 - c) < 1e-12, `c = ${c}: overlap ${ab / 50}`);
  }
  const plain = createPatternNetwork({ size: 50, plasticity: 'full', seed: 6, dtype: 'float64' });
  const c0 = createPatternNetwork({ size: 50, plasticity: 'full', seed: 6, patternCorrelation: 0, dtype: 'float64' });
  assert.deepEqual(Array.from(plain.U), Array.from(c0.U));
  assert.throws(() => createPatternNetwork({ patternCorrelation: 1 }), /patternCorrelation/);
});
