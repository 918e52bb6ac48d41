// Bad input never hangs and never passes silently (issue: reliability). The decompositions run in a child process
// with a time limit, since a regression here is an endless loop, not a wrong number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOptimizer, drivenStates, findFixedPoints, linePlot, stackedPanels, fitSingleExponential, memoryTrials, fixedPointTrial, neuroTaskBatch, NEURO_TASK_CHANNELS, componentsFor, eulerStep, movingAverage, rateNetworkFlow, autocorrelation, evaluateRnn, cachedJson, recordClaim, runParallel, createRnn, bitTaskBatch, chaosSweep, claimRecord, createOnlineRule, createRateNetwork, eigenvalues, leastSquares, ParameterError, pcaVariances, plainFigure, Rng, simulate, solve, spearman, svd, type Figure, type Mat } from '../../lib/src/index.js';

import { clampedCycle, clampedFixedPointGrid, testMemory } from '../../lib/src/papers/beer-barak-2019/index.js';
import { ablateNeuron, validateCurriculum } from '../../lib/src/papers/timescales-curriculum-2024/index.js';
import { linearStudy, meanFieldSequentialRun, NETWORK_SCALES, runParams } from '../../lib/src/papers/sequential-interference-2x2/index.js';

const lab_clampedGrid = () => clampedFixedPointGrid(createRateNetwork({ n: 4, nInputs: 1, feedback: true, dt: 0.05 }), Float64Array.from([1]), { relaxDt: 1e-9 });

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const mat = (rows: number, cols: number, fill: (i: number) => number): Mat => ({ rows, cols, data: Float64Array.from({ length: rows * cols }, (_, i) => fill(i)) });

test('decompositions of NaN, Infinity or short data end at once with an error naming the entry (watchdog: 20 s)', () => {
  const script = `
    import { eigenvalues, svd } from './lib/src/index.ts';
    const cases = [
      () => eigenvalues({ rows: 3, cols: 3, data: Float64Array.from([1, 2, 3, 4, NaN, 6, 7, 8, 9]) }),
      () => eigenvalues({ rows: 3, cols: 3, data: Float64Array.from([1, 2, 3, 4, Infinity, 6, 7, 8, 9]) }),
      () => eigenvalues({ rows: 3, cols: 3, data: new Float64Array(4) }),
      () => svd({ rows: 2, cols: 3, data: Float64Array.from([1, NaN, 3, 4, 5, 6]) }),
    ];
    for (const c of cases) { try { c(); console.log('returned'); } catch (e) { console.log(e.name + ': ' + e.message); } }
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 20_000, encoding: 'utf8' });
  assert.equal(r.signal, null, `the child was killed (${r.signal}): a decomposition hung`);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.split(':')[0]), ['ParameterError', 'ParameterError', 'ParameterError', 'ParameterError'], r.stdout + r.stderr);
  assert.match(lines[0], /A: entry \(1, 1\) is not finite \(NaN\)/);
  assert.match(lines[2], /A\.data: expected 3 × 3 = 9 entries, got 4/);
});

const BAD_CALLS: [string, () => unknown, RegExp][] = [
  ['eigenvalues of a non-square matrix', () => eigenvalues(mat(2, 3, (i) => i)), /A: must be square/],
  ['solve with NaN in b', () => solve(mat(2, 2, (i) => (i === 0 || i === 3 ? 1 : 0)), Float64Array.from([1, NaN])), /b: entry 1 is not finite/],
  ['solve with b of the wrong length', () => solve(mat(2, 2, (i) => i + 1), new Float64Array(3)), /b: expected length 2, got 3/],
  ['leastSquares with Infinity in A', () => leastSquares(mat(3, 2, (i) => (i === 4 ? Infinity : i)), new Float64Array(3)), /A: entry \(2, 0\) is not finite/],
  ['svd of a matrix without rows', () => svd({ rows: 0, cols: 2, data: new Float64Array(0) }), /A\.rows/],
  ['spearman of unequal lengths', () => spearman([1, 2, 3], [1, 2]), /y: length 2 differs from x's length 3/],
  ['pcaVariances on data shorter than T × N', () => pcaVariances(new Float64Array(10), 5, 4), /data: expected T × N = 5 × 4 = 20 entries, got 10/],
  ['pcaVariances on NaN data', () => pcaVariances(Float64Array.from({ length: 20 }, (_, i) => (i === 7 ? NaN : i)), 5, 4), /data: entry 7 \(time 1, unit 3\) is not finite/],
  ['an online rule given r of the wrong length', () => createOnlineRule({ rule: 'lms', n: 3 }).update(new Float64Array(3), new Float64Array(2), 0.1), /r: expected length 3, got 2/],
  ['an online rule given a NaN error', () => createOnlineRule({ rule: 'rls', n: 3 }).update(new Float64Array(3), new Float64Array(3), Number.NaN), /error: must be finite, got NaN/],
  ['an online rule given Infinity in r', () => createOnlineRule({ rule: 'nlms', n: 2 }).update(new Float64Array(2), Float64Array.from([0, Infinity]), 0), /r: entry 1 is not finite/],
  ['a chaos sweep over no networks', () => chaosSweep({ networkSeeds: [] }), /networkSeeds: at least one network seed/],
  ['a bit-task batch of an unknown dtype', () => bitTaskBatch({ dtype: 'float16' as never }, Rng.stream(1, 'b')), /bitTask\.dtype: must be one of 'float32', 'float64'/],
  ['a rate network too large to allocate', () => createRateNetwork({ n: 1e6, density: 0.1 }), /n: the connectivity of N = 1000000 units \(density 0\.1\) would need 1117\.6 GiB, above the limit/],
  ['a simulation recording too many steps', () => simulate(createRateNetwork({ n: 10 }), { steps: 1e10 }), /steps: recording 10 units over 10000000000 steps would need/],
  ['a bit-task batch too large to allocate', () => bitTaskBatch({ batchSize: 1e9, steps: 20, Ns: [2] }, Rng.stream(1, 'b')), /bitTask\.batchSize: a batch of 1000000000 sequences of 20 steps would need/],
  ['a misspelt key in a nested option object', () => createRnn({ readout: { kind: 'heads', head: 3, classes: 2, from: 'rate' } as never }), /rnn\.readout\.head: unknown option; known options are kind, heads, classes, from/],
  ['a misspelt key in createRnn\'s second argument', () => createRnn({}, { sed: 3 } as never), /createRnn\.sed: unknown option/],
  ['a cache name that is a path', () => cachedJson('../../escaped', {}, () => 1), /name: expected a plain name/],
  ['a claim recorded under a notebook name that is a path', () => recordClaim('../../../escaped', { id: 'X1', paper: 'intro', statement: 's', criterion: 'c', value: 1, passed: true }), /notebook: expected a plain name/],
  ['autocorrelation of NaN data', () => autocorrelation(Float64Array.from([1, Number.NaN, 3, 4]), 2), /signal: entry 1 is not finite/],
  ['autocorrelation of a signal too long to transform', () => autocorrelation({ length: 5e8 } as never, 2), /signal: the autocorrelation of 500000000 samples would need/],
  ['a batch of negative size', () => evaluateRnn(createRnn({ size: 4 }), [{ steps: 3, size: -1, inputs: new Float32Array(0), initialState: new Float32Array(0) }]), /batch\.size: must lie in \[1, inf\), got -1/],
  ['options that are not an object', () => createRateNetwork(5 as never), /createRateNetwork: expected an options object, got number/],
  ['a boolean option given a string', () => createRateNetwork({ feedback: 'no' as never }), /createRateNetwork\.feedback: must be true or false, got "no"/],
  ['eulerStep with arrays of the wrong length', () => { const net = createRateNetwork({ n: 4 }); return eulerStep(net, new Float64Array(4), new Float64Array(5), new Float64Array(4), 0, null); }, /eulerStep: x, rates and drive must have length N = 4, got 4, 5, 4/],
  ['rateNetworkFlow of a non-positive tau', () => rateNetworkFlow(mat(2, 2, () => 0.1), null, -1), /tau: must lie in \(0, inf\)/],
  ['rateNetworkFlow of an unknown nonlinearity', () => rateNetworkFlow(mat(2, 2, () => 0.1), null, 1, 'bogus' as never), /phi: must be one of/],
  ['a moving average of NaN data', () => movingAverage([Number.NaN, 1, 2], 2), /xs: entry 0 is not finite/],
  ['componentsFor of a negative variance', () => componentsFor([-5, 1, 1]), /variances: entry 0 must be a finite variance >= 0/],
  ['simulate with a negative x0Scale', () => simulate(createRateNetwork({ n: 3 }), { x0Scale: -1 }), /x0Scale: must lie in \[0, inf\)/],
  ['testMemory with w of the wrong length', () => testMemory(createRateNetwork({ n: 4, nInputs: 1, feedback: true }), new Float64Array(3), new Float64Array(4), [1]), /w: expected length 4, got 3/],
  ['testMemory with a NaN cue duration', () => testMemory(createRateNetwork({ n: 4, nInputs: 1, feedback: true }), new Float64Array(4), new Float64Array(4), [1], { cueDuration: Number.NaN }), /cueDuration: expected a finite number/],
  ['a clamped cycle at a frequency above Nyquist', () => clampedCycle(createRateNetwork({ n: 4, feedback: true, dt: 0.1 }), 1e9), /omega: must lie in \(0, 31\.4/],
  ['a clamped cycle at a vanishing frequency', () => clampedCycle(createRateNetwork({ n: 4, feedback: true, dt: 0.1 }), 1e-12), /omega: a clamped period at ω = 1e-12 would need/],
  ['a billion memory trials', () => memoryTrials(6e9), /nTrials: 6000000000 trials would need/],
  ['a fixed-point trial of 1e12 time units', () => fixedPointTrial(0, { duration: 1e12 }), /duration: a trial of/],
  ['a neuroscience batch of a billion trials', () => neuroTaskBatch('romo', 1e9, { inputs: 9, outputs: 4, inputOffset: 0, outputOffset: 0 }, Rng.stream(1, 'n')), /size: a batch of 1000000000 trials/],
  ['an RLS rule too large to allocate', () => createOnlineRule({ rule: 'rls', n: 1e6 }), /n: the state of rule 'rls' at n = 1000000 would need/],
  ['an input matrix too large to allocate', () => createRateNetwork({ n: 500, nInputs: 1e9 }), /nInputs: the input matrix B of 500 × 1000000000 would need/],
  ['a model whose parameters together are too large', () => createRnn({ size: 8192, readout: { kind: 'heads', heads: 1000, classes: 1000, from: 'rate' } }), /rnn\.size: the parameters of this configuration would need/],
  ['a claim without a measured value', () => claimRecord('nb', { id: 'X1', paper: 'intro', statement: 's', criterion: 'c', value: {}, passed: true }), /value: a claim needs the measured value/],
  ['a claim of an unknown paper', () => claimRecord('nb', { id: 'X1', paper: 'bogus' as never, statement: 's', criterion: 'c', value: 1, passed: true }), /paper: must be one of intro/],
  ['a training callback that is not a function', () => chaosSweep({ onProgress: 5 as never }), /onProgress: expected a function or null, got number/],
  ['a relaxation step that would take hours', () => lab_clampedGrid(), /relaxDt: must lie in \[0\.00003, 1\]/],
  ['a figure with a cycle in its layout', () => { const fig = { data: [], layout: {} as Record<string, unknown> }; fig.layout.self = fig.layout; return plainFigure(fig as never); }, /nested more than 50 levels deep/],
  ['two Ns on one head', () => bitTaskBatch({ Ns: [2, 3], heads: [0, 0], headCount: 2 }, Rng.stream(1, 'b')), /bitTask\.heads: each N needs its own head/],
  ['fixed points from NaN initial states', () => findFixedPoints(rateNetworkFlow(mat(2, 2, () => 0.1)), mat(1, 2, () => Number.NaN)), /initialStates: entry \(0, 0\) is not finite/],
  ['fixed points with a damping factor below 1', () => findFixedPoints(rateNetworkFlow(mat(2, 2, () => 0.1)), mat(1, 2, () => 0.5), { lambdaUp: 0.5 }), /lambdaUp: must lie in \(1, inf\)/],
  ['an exponential fit of NaN data', () => fitSingleExponential([1, Number.NaN, 0.5, 0.2]), /y: entry 1 is not finite/],
  ['a simulation of 1e15 steps (work, not memory: nothing is recorded)', () => simulate(createRateNetwork({ n: 10 }), { steps: 1e15, recordEvery: 1e15 }), /steps: 1000000000000000 steps of N = 10 units would take about 1\.0e\+17 multiply-adds \(3\.2 years at 1e9 a second\), above the limit of 1\.0e\+14 \(RNNLAB_MAX_WORK\)/],
  ['a curriculum whose threshold can never be met', () => validateCurriculum({ threshold: 1 }), /curriculum\.threshold: must lie in \[0\.5, 1\)/],
  ['ablating a neuron of a low-rank model', () => ablateNeuron(createRnn({ size: 4, recurrent: 'low-rank', rank: 1 }), 0, null), /model\.recurrent: ablation needs a full recurrent matrix/],
  ['ablating a head column the model does not have', () => ablateNeuron(createRnn({ size: 4 }), 0, 2), /headColumn: must lie in \[0, 1\]/],
  ['driven states of a low-rank model', () => drivenStates(createRnn({ size: 4, recurrent: 'low-rank', rank: 1 }), { steps: 5, discard: 0, seed: 1 }), /model\.recurrent: drivenStates runs full-rank models/],
  ['a seed that is neither an integer nor a string', () => chaosSweep({ networkSeeds: [1, 2.5] }), /networkSeeds\[1\]: must be an integer/],
  ['a line plot with a misspelt option', () => linePlot({ title: 't', series: [], titel: 'x' } as never), /linePlot\.titel: unknown option/],
  ['a line plot with an inverted range', () => linePlot({ title: 't', series: [], y: { range: [2, 1] } }), /linePlot\.y\.range\[1\]: must lie in \(2, inf\)/],
  ['a log axis whose range starts at zero', () => linePlot({ title: 't', series: [], x: { log: true, range: [0, 10] } }), /linePlot\.x\.range\[0\]: must lie in \(0, inf\)/],
  ['a series with a misspelt key', () => linePlot({ title: 't', series: [{ x: [1], y: [2], colour: 'red' } as never] }), /series\[0\]\.colour: unknown option/],
  ['a series without y', () => linePlot({ title: 't', series: [{ x: [1] } as never] }), /series\[0\]\.y: is required/],
  ['a figure without a title', () => linePlot({ series: [] } as never), /linePlot\.title: is required/],
  ['a panel with a misspelt axis key', () => stackedPanels({ title: 't', panels: [{ series: [], y: { tilte: 'a' } as never }] }), /panels\[0\]\.y\.tilte: unknown option/],
  ['an optimiser state with a buffer of NaN', () => createOptimizer({ kind: 'adam' }, { steps: { W: 1 }, buffers: { 'W.1': [Number.NaN], 'W.2': [0] } }), /optimizer state\.buffers\.W\.1: entry 0 is not finite/],
  ['an optimiser state for an unknown parameter', () => createOptimizer({}, { steps: { Q: 1 }, buffers: {} }), /optimizer state\.steps\.Q: unknown parameter 'Q'/],
  ['an Adam state with one moment only', () => createOptimizer({ kind: 'adam' }, { steps: { W: 1 }, buffers: { 'W.1': [0] } }), /Adam needs both moments/],
  ['an optimiser state whose buffer does not match the parameter', () => {
    const model = createRnn({ size: 2 });
    const opt = createOptimizer({ kind: 'adam' }, { steps: { b: 1 }, buffers: { 'b.1': [0], 'b.2': [0] } });
    return opt.step(model, { b: new Float32Array(2) });
  }, /optimizer state\.buffers\.b\.1: has 1 entries, the parameter has 2/],
  ['a study scale with a misspelt key', () => meanFieldSequentialRun({}, { lr: 0.1, stepA: 10, stepsB: 10, leaks: [0], fractions: [0] } as never), /s\.stepA: unknown option/],
  ['a study scale with a key missing', () => linearStudy({ size: 8, gains: [0], targets: [0.5], epochs: 2 } as never), /s\.seed: is missing/],
  ['a study scale with NaN in a list', () => runParams({ ...NETWORK_SCALES.quick, gains: [0, Number.NaN] }, 'full', 'constrained', 0, 1), /s\.gains\[1\]: expected a finite number/],
  ['a misspelt run variant', () => runParams(NETWORK_SCALES.quick, 'full', 'constrained', 0, 1, { noise: 0.1 } as never), /variant\.noise: unknown option/],
  ['show() of null', () => plainFigure(null as unknown as Figure), /fig: expected a figure \{ data: \[\.\.\.\], layout: \{\.\.\.\} \}, got null/],
];

for (const [name, call, message] of BAD_CALLS) {
  test(`bad input: ${name} throws a ParameterError naming the parameter`, () => {
    assert.throws(call, (e: unknown) => e instanceof ParameterError && message.test(e.message), `expected ${message}`);
  });
}

test('a claim whose measured value is NaN or infinite is not reproduced, and the note says which part', () => {
  const claim = { id: 'X1', paper: 'intro' as const, statement: 's', criterion: 'c', passed: true };
  assert.equal(claimRecord('nb', { ...claim, value: 0.5 }).verdict, 'reproduced');
  const nan = claimRecord('nb', { ...claim, value: { ratio: Number.NaN, other: 1 } });
  assert.equal(nan.verdict, 'not reproduced');
  assert.match(nan.note!, /not finite: ratio/);
  assert.equal(claimRecord('nb', { ...claim, value: Infinity }).verdict, 'not reproduced');
  assert.equal(claimRecord('nb', { ...claim, value: { summary: 'τ 1.2 → NaN' } }).verdict, 'not reproduced');
  assert.equal(claimRecord('nb', { ...claim, value: { 'recency fraction': 'n/a (too few trials)' } }).verdict, 'reproduced');
});

test('runParallel: bad inputs and callbacks are named, and a worker that exits early rejects instead of hanging', async () => {
  const url = new URL('../../lib/src/parallel/workerPool.ts', import.meta.url); // any module: these fail before importing it
  await assert.rejects(runParallel(url, 'f', 5 as never), /inputs: expected an array of job inputs/);
  await assert.rejects(runParallel(url, 'f', [1, () => 1] as never, { workers: 2 }), /inputs\[1\]: cannot be sent to a worker thread/);
  await assert.rejects(runParallel(url, 'f', [1, 2], { onResult: 5 as never }), /onResult: expected a function or null/);
  await assert.rejects(runParallel(url, 'f', [1, 2], { worker: 2 } as never), /runParallel\.worker: unknown option/);
  const jobs = new URL('../support/exitingJob.ts', import.meta.url);
  await assert.rejects(runParallel(jobs, 'exitQuietly', [1, 2], { workers: 2 }), /a worker exited with code 0 before its job reported a result/);
});

test('every study\'s full scale has the shape of its quick scale (the reference the study entry points check against)', async () => {
  const { checkLike } = await import('../../lib/src/index.js');
  const bb = await import('../../lib/src/papers/beer-barak-2019/index.js');
  const seq = await import('../../lib/src/papers/sequential-interference-2x2/index.js');
  const ts = await import('../../lib/src/papers/timescales-curriculum-2024/index.js');
  const pairs: [string, { quick: unknown; full: unknown }][] = [
    ['BEER_BARAK_SCALES', bb.BEER_BARAK_SCALES],
    ['BEER_BARAK_CLOSED_LOOP_SCALES', bb.BEER_BARAK_CLOSED_LOOP_SCALES],
    ['BEER_BARAK_PATTERN_SCALES', bb.BEER_BARAK_PATTERN_SCALES],
    ['REDUCED_SCALES', seq.REDUCED_SCALES],
    ['NETWORK_SCALES', seq.NETWORK_SCALES],
    ['TIMESCALES_SCALES', ts.TIMESCALES_SCALES],
  ];
  for (const [name, s] of pairs) assert.doesNotThrow(() => checkLike(name, s.full, s.quick), name);
});
