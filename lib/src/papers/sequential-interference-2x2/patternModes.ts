/**
 * How a network adapted to task B: the eigen-parametrisation of the 2×2 pattern matrix M (sequential-interference
 * README §5.2), the existence threshold λ_c of a fixed point (§3.1 (c), static mean field), and the two
 * classifications of rotation vs new formation: from M (§5.2) and from where long trials end (§5.3).
 * Angles are in degrees, measured from m_A, folded to (−90°, 90°] (an eigenvector and its negative are the same).
 * Equations: (11)–(12), (31)–(33) of README.md.
 */
import { checkNumber, ParameterError } from '../../numerics/validate.js';

export interface PatternEigen {
  /** Eigenvalues λ₊ ≥ λ₋ (real parts when complex). */
  lambdaPlus: number;
  lambdaMinus: number;
  /** Eigenvector angles from m_A in degrees, (−90, 90]; NaN when the eigenvalues are complex. */
  phiPlus: number;
  phiMinus: number;
  complex: boolean;
}

const fold = (deg: number): number => {
  let a = deg % 180;
  if (a <= -90) a += 180;
  if (a > 90) a -= 180;
  return a;
};

/** Angle of the eigenvector of the 2×2 matrix M (row-major [m11, m12, m21, m22]) for the real eigenvalue λ. */
function eigenvectorAngle(M: ArrayLike<number>, lambda: number): number {
  // Rows of (M − λI) are orthogonal to the eigenvector; use the better-conditioned of the two.
  const [a, b, c, d] = [M[0] - lambda, M[1], M[2], M[3] - lambda];
  const r1 = Math.hypot(a, b);
  const r2 = Math.hypot(c, d);
  if (r1 === 0 && r2 === 0) return 0; // M = λI: every direction is an eigenvector
  const [vx, vy] = r1 >= r2 ? [-b, a] : [-d, c];
  return fold((Math.atan2(vy, vx) * 180) / Math.PI);
}

/** M = V diag(λ₊, λ₋) V⁻¹ with V = [[cos φ₊, cos φ₋], [sin φ₊, sin φ₋]] (README §5.2). */
export function patternEigen(M: ArrayLike<number>): PatternEigen {
  if (M.length !== 4) throw new ParameterError('M', `expected a 2×2 matrix (4 entries, row-major), got ${M.length}`);
  if (M[1] === 0 && M[2] === 0) {
    // Diagonal M: the eigenvectors are the pattern axes even when the eigenvalues coincide (M = λI), where the
    // general formula is undefined. On a tie, m_A's eigenvalue is taken as λ₊.
    const aFirst = M[0] >= M[3];
    return { lambdaPlus: aFirst ? M[0] : M[3], lambdaMinus: aFirst ? M[3] : M[0], phiPlus: aFirst ? 0 : 90, phiMinus: aFirst ? 90 : 0, complex: false };
  }
  const tr = M[0] + M[3];
  const det = M[0] * M[3] - M[1] * M[2];
  const disc = (tr * tr) / 4 - det;
  if (disc < 0) return { lambdaPlus: tr / 2, lambdaMinus: tr / 2, phiPlus: NaN, phiMinus: NaN, complex: true };
  const root = Math.sqrt(disc);
  const lambdaPlus = tr / 2 + root;
  const lambdaMinus = tr / 2 - root;
  return { lambdaPlus, lambdaMinus, phiPlus: eigenvectorAngle(M, lambdaPlus), phiMinus: eigenvectorAngle(M, lambdaMinus), complex: false };
}

/** ⟨φ²⟩ over a Gaussian of variance Δ for φ = erf(√π x / 2): (2/π) arcsin[(πΔ/2)/(1 + πΔ/2)]. */
export function erfSecondMoment(variance: number): number {
  const a = (Math.PI * variance) / 2;
  return (2 / Math.PI) * Math.asin(a / (1 + a));
}

/**
 * Existence threshold λ_c = √(1 + πΔ⊥/2) of a pattern fixed point in a network with random part gJ, where
 * Δ⊥ = g²⟨φ²⟩_Δ⊥ is the self-consistent variance of the chaotic background (README §3.1 (c)); λ_c = 1 for g ≤ 1.
 */
export function criticalEigenvalue(gain: number): number {
  checkNumber('gain', gain, { min: 0 });
  if (gain <= 1) return 1;
  // Δ ↦ g²⟨φ²⟩_Δ is concave with slope g² > 1 at 0, so the iteration from a large Δ converges to the nonzero root.
  let delta = gain * gain;
  for (let i = 0; i < 500; i++) {
    const next = gain * gain * erfSecondMoment(delta);
    if (Math.abs(next - delta) < 1e-13) break;
    delta = next;
  }
  return Math.sqrt(1 + (Math.PI * delta) / 2);
}

export type LearningMode = 'rotation' | 'new formation' | 'mixed' | 'complex';

/** Thresholds of the mode classification (README §5.2, §5.3; [reconstruction]). */
export const MODE_CRITERIA = {
  /** Rotation: |φ₊| at least this far from m_A. */
  rotationAngle: 45,
  /** New formation: |φ₊| within this of 0° and φ₋ within this of 90°. */
  formationAngle: 15,
  /** §5.3: angles of the two end points agreeing within this (modulo 180°) make the "same pair". */
  samePairAngle: 10,
  /** §5.3: end points with ‖κ‖ above this count as attractors, below `decayedNorm` as decayed. */
  attractorNorm: 0.5,
  decayedNorm: 0.1,
};

/**
 * Mode from M at the end of phase B (README §5.2): rotation when the leading eigenvector has turned at least 45° away
 * from m_A and the second eigenvalue is below threshold; new formation when the eigenvectors stay near m_A and m_B
 * and both eigenvalues are above threshold.
 */
export function classifyMode(e: PatternEigen, lambdaC: number): LearningMode {
  if (e.complex) return 'complex';
  const c = MODE_CRITERIA;
  if (Math.abs(e.phiPlus) >= c.rotationAngle && e.lambdaMinus < lambdaC) return 'rotation';
  if (Math.abs(e.phiPlus) < c.formationAngle && Math.abs(Math.abs(e.phiMinus) - 90) <= c.formationAngle && e.lambdaMinus >= lambdaC) return 'new formation';
  return 'mixed';
}

export type AttractorOutcome = 'same pair' | 'new formation' | 'decayed' | 'other';

export interface AttractorTest {
  outcome: AttractorOutcome;
  /** End-point angles θ = atan2(κ_B, κ_A) in degrees (not folded) and norms, for the A and the B pulse. */
  thetaA: number;
  thetaB: number;
  normA: number;
  normB: number;
}

/** README §5.3: classify where long noise-free trials from the A and B pulses end (κ end points, length 2 each). */
export function classifyAttractors(endA: ArrayLike<number>, endB: ArrayLike<number>): AttractorTest {
  const c = MODE_CRITERIA;
  const angle = (k: ArrayLike<number>) => (Math.atan2(k[1], k[0]) * 180) / Math.PI;
  const thetaA = angle(endA);
  const thetaB = angle(endB);
  const normA = Math.hypot(endA[0], endA[1]);
  const normB = Math.hypot(endB[0], endB[1]);
  let outcome: AttractorOutcome = 'other';
  if (normA < c.decayedNorm || normB < c.decayedNorm) outcome = 'decayed';
  else if (Math.abs(fold(thetaA - thetaB)) <= c.samePairAngle) outcome = 'same pair';
  else if (Math.abs(fold(thetaA)) <= c.formationAngle && Math.abs(Math.abs(fold(thetaB)) - 90) <= c.formationAngle && normA > c.attractorNorm && normB > c.attractorNorm) {
    outcome = 'new formation';
  }
  return { outcome, thetaA, thetaB, normA, normB };
}

/** Race times (README §5.2): first phase-B step with |φ₊| > 45° (rotation) and with λ₋ > λ_c (new formation); −1 if never. */
export function raceTimes(eigens: readonly PatternEigen[], lambdaC: number): { rotation: number; newFormation: number } {
  const rotation = eigens.findIndex((e) => !e.complex && Math.abs(e.phiPlus) > MODE_CRITERIA.rotationAngle);
  const newFormation = eigens.findIndex((e) => !e.complex && e.lambdaMinus > lambdaC);
  return { rotation, newFormation };
}
