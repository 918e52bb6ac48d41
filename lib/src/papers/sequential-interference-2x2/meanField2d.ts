/**
 * The N → ∞ mean-field model of the 2×2 network at g = 0 (README §3.1 (c), [derived]).
 * With W = U M Uᵀ/N and Gaussian patterns, Stein's lemma gives Uᵀφ(Uκ)/N → κ·s(‖κ‖²) for φ = erf(√π x/2), so the
 * pattern coordinates obey the closed 2-D system
 *
 *     dκ/dt = −κ + M f(κ) + b(t),    f(κ) = κ s(‖κ‖²),   s(q) = (1 + πq/2)^(−1/2),
 *
 * integrated by Euler with the task's dt. Fixed points: κ* is an eigenvector of M with eigenvalue λ > 1 and
 * ‖κ*‖² = (2/π)(λ² − 1); a target of norm 1 needs λ* = √(1 + π/2) ≈ 1.603.
 *
 * Gradient (README §3.4, mean-field adjoint): with J_f = s I + 2 s′ κκᵀ and s′(q) = −(π/4)(1 + πq/2)^(−3/2),
 *
 *     λ_k = [I + dt(−I + M J_f(κ_k))]ᵀ λ_{k+1} + ∂ℓ/∂κ_k,     ∂L/∂M = Σ_k dt · λ_{k+1} f(κ_k)ᵀ.
 * Equations: (7)–(10), (24)–(26) of README.md.
 */
import { fixedPointLoss, type FixedPointTrial } from '../../tasks/fixedPointMemoryTask.js';
import type { SequentialLearner } from './sequentialTraining.js';
import { checkNumber, checkVector, DivergenceError } from '../../numerics/validate.js';

/** λ* = √(1 + π/2): the eigenvalue whose mean-field fixed point has norm 1. */
export const MEAN_FIELD_TARGET_EIGENVALUE = Math.sqrt(1 + Math.PI / 2);

/** s(q) = ⟨φ′⟩ over a Gaussian of variance q for φ = erf(√π x/2). */
export const meanFieldGain = (q: number): number => 1 / Math.sqrt(1 + (Math.PI * q) / 2);

/** Norm of the fixed point on an eigenvector with eigenvalue λ > 1: √((2/π)(λ² − 1)). */
export function meanFieldFixedPointNorm(lambda: number): number {
  return lambda > 1 ? Math.sqrt((2 / Math.PI) * (lambda * lambda - 1)) : 0;
}

/** Euler trajectory κ_0 … κ_K ((K+1) × 2, row-major) from `initial`, with input rows `input` (K × 2, or null). */
export function meanFieldTrajectory(M: ArrayLike<number>, initial: ArrayLike<number>, steps: number, dt: number, input: Float64Array | null = null): Float64Array {
  const k = new Float64Array((steps + 1) * 2);
  k[0] = initial[0];
  k[1] = initial[1];
  for (let t = 0; t < steps; t++) {
    const a = k[2 * t];
    const b = k[2 * t + 1];
    const s = meanFieldGain(a * a + b * b);
    const fa = a * s;
    const fb = b * s;
    const ua = input ? input[2 * t] : 0;
    const ub = input ? input[2 * t + 1] : 0;
    k[2 * t + 2] = a + dt * (-a + M[0] * fa + M[1] * fb + ua);
    k[2 * t + 3] = b + dt * (-b + M[2] * fa + M[3] * fb + ub);
  }
  return k;
}

export interface MeanFieldGradient {
  loss: number;
  /** ∂L/∂M (row-major 2×2). */
  grad: Float64Array;
  kappa: Float64Array;
  /** Per-step contributions dt·λ_{k+1} f(κ_k)ᵀ (K × 4), when asked for (README §5.6). */
  perStep?: Float64Array;
}

/** Loss of one trial and its exact gradient with respect to M by the mean-field adjoint. */
export function meanFieldGradient(M: ArrayLike<number>, trial: FixedPointTrial, perStep = false): MeanFieldGradient {
  const { steps: K, dt, windowStart, target, outputMask } = trial;
  const kappa = meanFieldTrajectory(M, trial.initial, K, dt, trial.input);
  const loss = fixedPointLoss(trial, kappa);
  const count = K - windowStart + 1;
  const grad = new Float64Array(4);
  const contributions = perStep ? new Float64Array(K * 4) : undefined;
  const lam = [0, 0];
  const dLoss = (k: number, o: number) => (k >= windowStart ? (outputMask[o] * (kappa[2 * k + o] - target[o])) / count : 0);
  lam[0] = dLoss(K, 0);
  lam[1] = dLoss(K, 1);
  for (let k = K - 1; k >= 0; k--) {
    const a = kappa[2 * k];
    const b = kappa[2 * k + 1];
    const q = a * a + b * b;
    const s = meanFieldGain(q);
    const sp = (-Math.PI / 4) * Math.pow(1 + (Math.PI * q) / 2, -1.5);
    const fa = a * s;
    const fb = b * s;
    const [l0, l1] = lam;
    // ∂L/∂M += dt λ_{k+1} f(κ_k)ᵀ
    const c00 = dt * l0 * fa, c01 = dt * l0 * fb, c10 = dt * l1 * fa, c11 = dt * l1 * fb;
    grad[0] += c00;
    grad[1] += c01;
    grad[2] += c10;
    grad[3] += c11;
    if (contributions) contributions.set([c00, c01, c10, c11], 4 * k);
    // Jacobian of the step: I + dt(−I + M J_f), J_f = s I + 2 s′ κκᵀ.
    const j00 = s + 2 * sp * a * a, j01 = 2 * sp * a * b, j11 = s + 2 * sp * b * b;
    const mj00 = M[0] * j00 + M[1] * j01, mj01 = M[0] * j01 + M[1] * j11;
    const mj10 = M[2] * j00 + M[3] * j01, mj11 = M[2] * j01 + M[3] * j11;
    const s00 = 1 - dt + dt * mj00, s01 = dt * mj01, s10 = dt * mj10, s11 = 1 - dt + dt * mj11;
    lam[0] = s00 * l0 + s10 * l1 + dLoss(k, 0);
    lam[1] = s01 * l0 + s11 * l1 + dLoss(k, 1);
  }
  return { loss, grad, kappa, perStep: contributions };
}

/** The mean-field model as a sequential learner: plain gradient descent on M, one +1 trial per task (exact). */
export class MeanFieldLearner implements SequentialLearner {
  readonly M: Float64Array;

  constructor(
    readonly trials: readonly [FixedPointTrial, FixedPointTrial],
    readonly lr: number,
    initialM: ArrayLike<number> = [0, 0, 0, 0],
  ) {
    checkNumber('lr', lr, { min: 0, exclusiveMin: true, max: 100 });
    this.M = checkVector('initialM', Float64Array.from(initialM), 4);
  }

  loss(cue: 0 | 1, cuedOnly = false): number {
    const t = this.trials[cue];
    return fixedPointLoss(t, meanFieldTrajectory(this.M, t.initial, t.steps, t.dt, t.input), cuedOnly);
  }

  step(cue: 0 | 1): number {
    const { loss, grad } = meanFieldGradient(this.M, this.trials[cue]);
    for (let i = 0; i < 4; i++) this.M[i] -= this.lr * grad[i];
    if (!this.M.every(Number.isFinite)) throw new DivergenceError('mean-field gradient descent', 0, `M = [${Array.from(this.M).join(', ')}]`);
    return loss;
  }

  patternMatrix(): Float64Array {
    return Float64Array.from(this.M);
  }
}
