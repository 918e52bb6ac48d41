/**
 * Exercises of notebooks 00 and 03 (the teaching edition, lib/src/notebook/exercises.ts): one Euler step of the rate
 * network (README eq. 3) and one step of the tangent vector that gives the Lyapunov exponent (eq. 10), compared with the
 * library's own step on small networks; one leak-inside step of the timescales RNN (§3.1, eq. 15), compared with the
 * library's nonlinearity; and the central finite difference the gradient check (§3.5) relies on, compared with the
 * analytic gradients of two functions (exact only up to O(h²), hence the tolerance).
 */
import { connectivityToDense, applyConnectivity } from '../../dynamics/connectivity.js';
import { createRateNetwork, eulerStep } from '../../dynamics/rateNetwork.js';
import type { Mat } from '../../numerics/matrix.js';
import { Rng } from '../../numerics/rng.js';
import type { Exercise } from '../../notebook/exercises.js';
import { nonlinearity } from '../../numerics/nonlinearity.js';

/** x ← x + dt (−x + J tanh x), τ = 1; J is N × N, row-major (`J.data[i * N + j]` = J_ij). */
export type EulerStepFunction = (x: Float64Array, J: Mat, dt: number) => Float64Array;
/** v ← v + dt (−v + J (tanh′(x) ⊙ v)), with tanh′(x) = 1 − tanh²(x). */
export type TangentStepFunction = (v: Float64Array, x: Float64Array, J: Mat, dt: number) => Float64Array;

const smallNetwork = (seed: number, g: number) => createRateNetwork({ n: 6, g, seed });
const state = (seed: number, name: string) => Rng.stream(seed, name).normalArray(6);

function libraryEulerStep(seed: number, g: number, x0: Float64Array, dt: number): Float64Array {
  const net = createRateNetwork({ n: 6, g, seed, dt });
  const x = Float64Array.from(x0);
  eulerStep(net, x, new Float64Array(6).map((_, i) => Math.tanh(x0[i])), new Float64Array(6), 0, null);
  return x;
}

function libraryTangentStep(seed: number, g: number, v0: Float64Array, x: Float64Array, dt: number): Float64Array {
  const net = smallNetwork(seed, g);
  const gainV = Float64Array.from(v0, (vi, i) => (1 - Math.tanh(x[i]) ** 2) * vi);
  const drive = applyConnectivity(net.J, gainV, new Float64Array(6));
  return Float64Array.from(v0, (vi, i) => vi + dt * (drive[i] - vi));
}

const eulerCase = (name: string, seed: number, g: number, x0: Float64Array, dt: number) => ({
  name,
  run: (fn: EulerStepFunction) => fn(Float64Array.from(x0), connectivityToDense(smallNetwork(seed, g).J), dt),
  expected: libraryEulerStep(seed, g, x0, dt),
});

export const EULER_STEP: Exercise<EulerStepFunction> = {
  id: '00.1',
  title: 'one Euler step of τ dx/dt = −x + J tanh(x)',
  tolerance: 1e-12,
  cases: [
    eulerCase('x = 0 is a fixed point', 1, 1.5, new Float64Array(6), 0.1),
    eulerCase('a random state, g = 1.5, dt = 0.1', 1, 1.5, state(1, 'exercise-x'), 0.1),
    eulerCase('another network, g = 0.5, dt = 0.05', 2, 0.5, state(2, 'exercise-x'), 0.05),
  ],
};

const tangentCase = (name: string, seed: number, g: number, dt: number) => {
  const x = state(seed, 'exercise-x');
  const v = state(seed, 'exercise-v');
  return {
    name,
    run: (fn: TangentStepFunction) => fn(Float64Array.from(v), Float64Array.from(x), connectivityToDense(smallNetwork(seed, g).J), dt),
    expected: libraryTangentStep(seed, g, v, x, dt),
  };
};

export const TANGENT_STEP: Exercise<TangentStepFunction> = {
  id: '00.2',
  title: 'one step of the tangent vector (the Lyapunov exponent)',
  tolerance: 1e-12,
  cases: [tangentCase('g = 1.5, dt = 0.1', 1, 1.5, 0.1), tangentCase('g = 0.8, dt = 0.05', 3, 0.8, 0.05)],
};

/** s_t = LeakyReLU(a ⊙ s_{t−1} + c ⊙ z_t) with a = 1 − 1/τ′, c = 1/τ′ (dt = 1), elementwise; returns s_t. */
export type LeakInsideStepFunction = (previous: Float64Array, drive: Float64Array, tauPrime: Float64Array) => Float64Array;
/** The gradient of f at x by central differences: [f(x + h e_i) − f(x − h e_i)] / 2h for every i. */
export type CentralDifferenceFunction = (f: (x: Float64Array) => number, x: Float64Array, h: number) => Float64Array;

const vec = (seed: number, name: string, n = 6) => Rng.stream(seed, name).normalArray(n);


const stepCase = (name: string, seed: number) => {
  const previous = vec(seed, 'exercise-s');
  const drive = vec(seed, 'exercise-z');
  const tauPrime = Rng.stream(seed, 'exercise-tau').uniformArray(6, 1, 3);
  const expected = previous.map((s, i) => nonlinearity('leaky-relu', (1 - 1 / tauPrime[i]) * s + (1 / tauPrime[i]) * drive[i]));
  return { name, run: (fn: LeakInsideStepFunction) => fn(Float64Array.from(previous), Float64Array.from(drive), Float64Array.from(tauPrime)), expected };
};

export const LEAK_INSIDE_STEP: Exercise<LeakInsideStepFunction> = {
  id: '03.1',
  title: 'one leak-inside step of the timescales RNN',
  tolerance: 1e-12,
  cases: [stepCase('random state and drive', 1), stepCase('another draw (some units negative: the leaky slope)', 2)],
};

const quadratic = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);
const mixed = (x: Float64Array) => Math.sin(x[0]) * x[1] + Math.exp(0.5 * x[2]);

export const CENTRAL_DIFFERENCE: Exercise<CentralDifferenceFunction> = {
  id: '03.2',
  title: 'the central finite difference',
  // Central differences err by O(h²) and by rounding, about 1e-10 here at h = 1e-5.
  tolerance: 1e-7,
  cases: [
    { name: 'f(x) = Σ x², gradient 2x', run: (fn: CentralDifferenceFunction) => fn(quadratic, Float64Array.from([0.3, -1.2, 2]), 1e-5), expected: [0.6, -2.4, 4] },
    { name: 'f(x) = sin(x₀) x₁ + exp(x₂/2)', run: (fn: CentralDifferenceFunction) => fn(mixed, Float64Array.from([0.7, 1.5, -0.4]), 1e-5), expected: [Math.cos(0.7) * 1.5, Math.sin(0.7), 0.5 * Math.exp(-0.2)] },
  ],
};
