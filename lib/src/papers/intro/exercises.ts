/**
 * Exercises of notebook 00 (the teaching edition, lib/src/notebook/exercises.ts): the student writes one Euler step of
 * the rate network (README eq. 3) and one step of the tangent vector that gives the Lyapunov exponent (eq. 10); the checks
 * compare with the library's own step on small networks.
 */
import { connectivityToDense, applyConnectivity } from '../../dynamics/connectivity.js';
import { createRateNetwork, eulerStep } from '../../dynamics/rateNetwork.js';
import type { Mat } from '../../numerics/matrix.js';
import { Rng } from '../../numerics/rng.js';
import type { Exercise } from '../../notebook/exercises.js';

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
