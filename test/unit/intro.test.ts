// The checks of notebook 00. I1 is recomputed here at the notebook's size; I2 and I3 (the g sweep) are verified
// by the notebook execution test, which fails unless every recorded claim is reproduced. Here we pin the
// claim functions of papers/intro/claims.ts themselves on sweeps whose answer is known.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateNetwork, eigenvalues, connectivityToDense, spectralRadius, createRnn, bitTaskBatch, Rng, type ChaosSweep } from '../../lib/src/index.js';
import { chaosOnsets, claims, engineIdentity, INTRO_SCALES, tauChangeSummary, type ChaosOnsets } from '../../lib/src/papers/intro/index.js';

const eigenRadiusOk = (spectralRadius: number, g: number) => claims.I1({ spectralRadius, g, n: 500 }).passed;
const activityOnsetOk = (onsets: ChaosOnsets) => claims.I2({ onsets, gStar: 1, n: 500 }).passed;
const chaosOnsetOk = (onsets: ChaosOnsets) => claims.I3({ onsets, networks: 1, n: 500 }).passed;

test('I1: spectral radius of J within 5 % of g at N = 500 (seed 1, as in the notebook)', () => {
  const g = 1.5;
  const rho = spectralRadius(eigenvalues(connectivityToDense(createRateNetwork({ n: INTRO_SCALES.quick.nEigen, g, seed: 1 }).J)));
  assert.equal(INTRO_SCALES.quick.nEigen, 500);
  assert.ok(eigenRadiusOk(rho, g), `rho/g - 1 = ${rho / g - 1}`);
  assert.ok(!eigenRadiusOk(g * 1.06, g) && !eigenRadiusOk(g * 0.94, g));
});

function syntheticSweep(g: number[], meanLyapunov: number[], meanSq: number[]): ChaosSweep {
  return {
    g: Float64Array.from(g),
    networkSeeds: [1],
    lyapunov: Float64Array.from(meanLyapunov),
    meanSquareActivity: Float64Array.from(meanSq),
    meanLyapunov: Float64Array.from(meanLyapunov),
    meanMeanSquareActivity: Float64Array.from(meanSq),
  };
}

test('I2/I3 criteria: onsets read off a sweep, and the criteria can fail', () => {
  const good = chaosOnsets(syntheticSweep([0.8, 1.0, 1.2, 1.4], [-0.2, -0.02, -0.01, 0.03], [0, 0.0005, 0.3, 0.7]));
  assert.ok(Math.abs(good.activityOnset - (1 + (0.0005 / 0.2995) * 0.2)) < 1e-12);
  assert.ok(Math.abs(good.chaosOnset - 1.25) < 1e-12);
  assert.ok(activityOnsetOk(good) && chaosOnsetOk(good));
  const late = chaosOnsets(syntheticSweep([0.8, 1.2, 1.6, 2.0], [-0.2, -0.1, -0.05, 0.05], [0, 0, 0.5, 1]));
  assert.ok(!activityOnsetOk(late) && !chaosOnsetOk(late));
  const never = chaosOnsets(syntheticSweep([0.8, 1.2], [-0.2, -0.1], [0, 0]));
  assert.ok(!activityOnsetOk(never) && !chaosOnsetOk(never));
});

test('E1-E3: the engine claims fail where their criteria say (worst row, missing WebAssembly, a small loss drop)', () => {
  const row = (relativeError: number) => ({ variant: 'v', parameter: 'W' as const, entries: 4, maxGradient: 1, relativeError });
  assert.ok(claims.E1([row(1e-9), row(2e-6)]).passed);
  assert.ok(!claims.E1([row(1e-9), row(2e-5)]).passed);
  assert.match(String((claims.E1([row(1e-9), row(2e-5)]).value as Record<string, string>)['worst case']), /v: W/);
  const agreement = [{ parameter: 'W', relativeDifference: 5e-5 }];
  assert.ok(claims.E2(agreement, 'wasm-simd').passed);
  assert.ok(!claims.E2(agreement, 'reference').passed, 'the reference compared with itself is not a pass');
  assert.ok(!claims.E2([{ parameter: 'W', relativeDifference: 2e-4 }], 'wasm-simd').passed);
  const test = (before: number, after: number) => ({ testBefore: { loss: before, accuracy: 0.5 }, testAfter: { loss: after, accuracy: 1 } });
  assert.ok(claims.E3(test(0.7, 0.069), 2).passed);
  assert.ok(!claims.E3(test(0.7, 0.071), 2).passed);
});

test('E5: the AVX2 products and the WebAssembly kernels give bitwise the same gradients; the claim fails on one differing entry or with nothing to compare', () => {
  assert.ok(claims.E5({ backends: ['wasm-simd', 'wasm-simd+avx2'], differing: 0, entries: 100 }).passed);
  assert.ok(!claims.E5({ backends: ['wasm-simd', 'wasm-simd+avx2'], differing: 1, entries: 100 }).passed);
  const alone = claims.E5({ backends: ['wasm-simd', 'wasm-simd'], differing: 0, entries: 100 });
  assert.ok(!alone.passed, 'one backend compared with itself is not a pass');
  assert.match(String(alone.note), /not built/);
  const model = createRnn({ size: 10, readout: { kind: 'heads', heads: 2, classes: 2, from: 'rate' } }, { seed: 4, dtype: 'float32' });
  const batch = bitTaskBatch({ task: 'parity', Ns: [3, 2], heads: [0, 1], headCount: 2, batchSize: 7, hiddenSize: 10, steps: 9 }, Rng.stream(4, 'e5'));
  const m = engineIdentity(model, batch);
  assert.ok(m.entries > 100);
  assert.equal(m.differing, 0);
});

test('tauChangeSummary counts neurons at the clamp, lengthened and shortened, and the median change', () => {
  const s = tauChangeSummary(Float64Array.from([1.5, 1.2, 1.8, 1.1]), Float64Array.from([1, 1.4, 1.6, 1]));
  assert.deepEqual([s.neurons, s.atClamp, s.longer, s.shorterAboveClamp], [4, 2, 1, 1]);
  assert.ok(Math.abs(s.medianChange + 0.15) < 1e-12);
  assert.throws(() => tauChangeSummary(Float64Array.from([1]), Float64Array.from([1, 2])), /tauAfter: expected as many time constants/);
});
