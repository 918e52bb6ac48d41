/**
 * The linear input-driven reference task (README §3.2, after Schuessler et al., NeurIPS 2020):
 * dx/dt = −x + W x + m u with u = 1, read out at steady state, z = wᵀx* / N with x* = (I − W)⁻¹ m, loss ½(ẑ − z)²,
 * all of W trained from W(0) = gJ by plain gradient descent. Three descriptions of the same learning curve:
 *
 *  - the network: N×N W, each epoch one exact steady-state gradient step
 *        ΔW = lr (ẑ − z) (I − W)⁻ᵀ w x*ᵀ / N;
 *  - the exact 2×2 reduction at g = 0 (with w ⊥ m), in learning time τ = lr × epochs [derived]:
 *        z = B₂₁,  B = (I − A)⁻¹,  dA/dτ = (ẑ − z) (Bᵀe₂)(B e₁)ᵀ;
 *  - its series z(τ) = ẑτ − ẑτ²/2 + (ẑτ³/6)(1 + 8ẑ²) + O(τ⁴).
 * Random connectivity multiplies the initial speed by β² with β = 1/(1 − g²), so curves collapse in τ̃ = β²τ.
 * Equations: (13)–(19) of README.md.
 */
import { EigenvalueDecomposition, inverse, Matrix, solve } from 'ml-matrix';
import { checkFiniteMatrix } from '../../numerics/matrix.js';
import { Rng } from '../../numerics/rng.js';
import { checkAllocation, checkInteger, checkNumber, checkWork, DivergenceError, withDefaults } from '../../numerics/validate.js';

/** β = 1/(1 − g²): the gain of ‖(I − gJ)⁻¹m‖²/N for g < 1. */
export function linearBeta(gain: number): number {
  checkNumber('gain', gain, { min: 0, max: 1, exclusiveMax: true });
  return 1 / (1 - gain * gain);
}

/** Third-order series of the reduced learning curve (README §3.2). */
export function linearSeries(target: number, tau: number): number {
  return target * tau - (target * tau * tau) / 2 + ((target * tau ** 3) / 6) * (1 + 8 * target * target);
}

/** z = B₂₁ and the vector field dA/dτ of the 2×2 reduction, for A row-major [a11, a12, a21, a22]. */
function reducedField(A: ArrayLike<number>, target: number, out: Float64Array): number {
  // B = (I − A)⁻¹ in closed form.
  const p = 1 - A[0], q = -A[1], r = -A[2], s = 1 - A[3];
  const det = p * s - q * r;
  const b11 = s / det, b12 = -q / det, b21 = -r / det, b22 = p / det;
  const z = b21;
  const err = target - z;
  // (Bᵀ e₂) = [b21, b22], (B e₁) = [b11, b21].
  out[0] = err * b21 * b11;
  out[1] = err * b21 * b21;
  out[2] = err * b22 * b11;
  out[3] = err * b22 * b21;
  return z;
}

/** The 2×2 ODE integrated by classical RK4 with step `dtau`; returns z at τ = 0, dtau, …, tauMax. */
export function linearReducedCurve(target: number, tauMax: number, dtau = 1e-3): { tau: Float64Array; z: Float64Array } {
  checkNumber('target', target);
  checkNumber('tauMax', tauMax, { min: 0 });
  checkNumber('dtau', dtau, { min: 0, exclusiveMin: true });
  const n = Math.round(tauMax / dtau);
  const tau = new Float64Array(n + 1);
  const z = new Float64Array(n + 1);
  const A = new Float64Array(4);
  const k1 = new Float64Array(4), k2 = new Float64Array(4), k3 = new Float64Array(4), k4 = new Float64Array(4), tmp = new Float64Array(4);
  const at = (src: Float64Array, h: number) => {
    for (let i = 0; i < 4; i++) tmp[i] = A[i] + h * src[i];
    return tmp;
  };
  for (let i = 0; i <= n; i++) {
    tau[i] = i * dtau;
    z[i] = reducedField(A, target, k1);
    if (i === n) break;
    reducedField(at(k1, dtau / 2), target, k2);
    reducedField(at(k2, dtau / 2), target, k3);
    reducedField(at(k3, dtau), target, k4);
    for (let j = 0; j < 4; j++) A[j] += (dtau / 6) * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
  }
  return { tau, z };
}

export interface LinearNetworkOptions {
  /** Network size N (study: 512 full, 256 quick; authors 1024). */
  size: number;
  /** Random gain g of W(0) = gJ, J_ij ~ N(0, 1/N); must be < 1 for a stable steady state. */
  gain: number;
  /** Target ẑ. */
  target: number;
  /** Base learning rate lr0; the step is lr = lr0 (1 − g²)² when `scaleLearningRate` (README §3.2). */
  lr0: number;
  scaleLearningRate: boolean;
  epochs: number;
  /** Make w exactly orthogonal to m (Gram–Schmidt, rescaled to ‖w‖² = N) so the 2×2 reduction is exact at g = 0
   * (both patterns always have ‖·‖² = N). */
  orthogonalize: boolean;
  /** Record the two largest singular values of ΔW every this many epochs (0: never). */
  singularValuesEvery: number;
  /** Compute W's eigenvalues at the end (an O(N³) decomposition, ~2.5 s at N = 512) to check Re λ < 1. */
  checkStability: boolean;
  seed: number;
}

export const LINEAR_NETWORK_DEFAULTS: LinearNetworkOptions = {
  size: 512, gain: 0, target: 0.5, lr0: 0.015, scaleLearningRate: true, epochs: 200, orthogonalize: true, singularValuesEvery: 20, checkStability: true, seed: 1,
};

export interface LinearNetworkRun {
  options: LinearNetworkOptions;
  /** Learning rate actually used. */
  lr: number;
  beta: number;
  /** Measured ‖(I − gJ)⁻¹m‖²/N and ‖(I − gJ)⁻ᵀw‖²/N (both ≈ β). */
  betaInput: number;
  betaOutput: number;
  /** z and loss before each epoch and after the last (length epochs + 1). */
  z: Float64Array;
  loss: Float64Array;
  /** Epochs at which singular values were recorded, and σ₁, σ₂ of ΔW there. */
  svEpochs: number[];
  sigma1: number[];
  sigma2: number[];
  /** Largest real part of W's eigenvalues at the end (the steady state is valid only below 1); NaN if not checked. */
  maxRealEigenvalue: number;
  /** |z from the tracked inverse − z from a fresh solve| at the end: drift of the Sherman–Morrison updates. */
  inverseDrift: number;
}

/** A Gaussian vector rescaled to squared norm n. */
function unitNormPattern(rng: Rng, n: number): Float64Array {
  const v = rng.normalArray(n);
  const norm = Math.sqrt(v.reduce((acc, x) => acc + x * x, 0) / n);
  return v.map((x) => x / norm);
}

/** The `count` largest singular values of the N×N row-major matrix D by block power iteration on DᵀD with a few
 * extra vectors and a final Rayleigh–Ritz step (ΔW has a fast-decaying spectrum, so this converges quickly). */
export function topSingularValues(D: Float64Array, n: number, count = 2, iterations = 25): number[] {
  const k = count + 2;
  const rng = Rng.stream(0, 'svd-start');
  let V = Array.from({ length: k }, () => rng.normalArray(n));
  const apply = (cols: Float64Array[], transpose: boolean): Float64Array[] =>
    cols.map((v) => {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const row = i * n;
        if (transpose) {
          const vi = v[i];
          for (let j = 0; j < n; j++) out[j] += D[row + j] * vi;
        } else {
          let acc = 0;
          for (let j = 0; j < n; j++) acc += D[row + j] * v[j];
          out[i] = acc;
        }
      }
      return out;
    });
  const dot = (a: Float64Array, b: Float64Array) => a.reduce((acc, x, i) => acc + x * b[i], 0);
  const orthonormal = (cols: Float64Array[]): Float64Array[] => {
    for (let j = 0; j < cols.length; j++) {
      for (let p = 0; p < j; p++) {
        const d = dot(cols[j], cols[p]);
        for (let i = 0; i < n; i++) cols[j][i] -= d * cols[p][i];
      }
      const norm = Math.sqrt(dot(cols[j], cols[j])) || 1;
      for (let i = 0; i < n; i++) cols[j][i] /= norm;
    }
    return cols;
  };
  V = orthonormal(V);
  for (let it = 0; it < iterations; it++) V = orthonormal(apply(apply(V, false), true));
  const DV = apply(V, false);
  const gram = new Matrix(k, k);
  for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) gram.set(a, b, dot(DV[a], DV[b]));
  const evd = new EigenvalueDecomposition(checkFiniteMatrix('dW', gram), { assumeSymmetric: true });
  return Array.from(evd.realEigenvalues)
    .map((x) => Math.sqrt(Math.max(x, 0)))
    .sort((a, b) => b - a)
    .slice(0, count);
}

/**
 * Trains the full linear network by steady-state gradient descent. The inverse (I − W)⁻¹ is computed once and then
 * kept up to date by Sherman–Morrison, since every step changes W by a rank-one matrix: O(N²) per epoch instead of
 * an O(N³) solve (the point of the two-solves-per-epoch cost note in README §7).
 */
export function trainLinearNetwork(options: Partial<LinearNetworkOptions> = {}): LinearNetworkRun {
  const o = withDefaults('linearNetwork', LINEAR_NETWORK_DEFAULTS, options);
  const n = checkInteger('linearNetwork.size', o.size, { min: 2, max: 4096 });
  const beta = linearBeta(o.gain);
  checkNumber('linearNetwork.target', o.target);
  checkNumber('linearNetwork.lr0', o.lr0, { min: 0, exclusiveMin: true, max: 10 });
  checkInteger('linearNetwork.epochs', o.epochs, { min: 1 });
  checkAllocation('linearNetwork.epochs', 2 * (o.epochs + 1), 8, `the records of ${o.epochs} epochs`);
  checkWork('linearNetwork.epochs', o.epochs * n * n, `${o.epochs} epochs at N = ${n}`);
  checkInteger('linearNetwork.singularValuesEvery', o.singularValuesEvery, { min: 0 });
  const lr = o.scaleLearningRate ? o.lr0 * (1 - o.gain * o.gain) ** 2 : o.lr0;

  // Gaussian patterns rescaled to ‖m‖² = ‖w‖² = N exactly (README §3.2): the 2×2 reduction assumes these norms, and a
  // Gaussian vector's own norm is off by O(1/√N) (a 5 % error in the learning speed at N = 512).
  const m = unitNormPattern(Rng.stream(o.seed, 'linear-m'), n);
  const w = unitNormPattern(Rng.stream(o.seed, 'linear-w'), n);
  if (o.orthogonalize) {
    const scale = w.reduce((acc, x, i) => acc + x * m[i], 0) / n;
    for (let i = 0; i < n; i++) w[i] -= scale * m[i];
    const norm = Math.sqrt(w.reduce((acc, x) => acc + x * x, 0) / n);
    for (let i = 0; i < n; i++) w[i] /= norm;
  }
  const J = Rng.stream(o.seed, 'linear-J').normalArray(n * n, 0, 1 / Math.sqrt(n));
  const W0 = J.map((x) => o.gain * x);
  const W = Float64Array.from(W0);
  const IminusW = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) IminusW.set(i, j, (i === j ? 1 : 0) - W[i * n + j]);
  const inv = Float64Array.from(inverse(IminusW).to1DArray()); // (I − W)⁻¹, row-major

  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const invY = new Float64Array(n);
  const xInv = new Float64Array(n);
  const solveBoth = () => {
    // x* = inv m, y = invᵀ w.
    x.fill(0);
    y.fill(0);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      const row = i * n;
      for (let j = 0; j < n; j++) acc += inv[row + j] * m[j];
      x[i] = acc;
      const wi = w[i];
      for (let j = 0; j < n; j++) y[j] += inv[row + j] * wi;
    }
  };
  const sq = (v: Float64Array) => v.reduce((acc, a) => acc + a * a, 0) / n;
  solveBoth();
  const betaInput = sq(x);
  const betaOutput = sq(y);

  const z = new Float64Array(o.epochs + 1);
  const loss = new Float64Array(o.epochs + 1);
  const svEpochs: number[] = [];
  const sigma1: number[] = [];
  const sigma2: number[] = [];
  const recordSv = (epoch: number) => {
    const D = W.map((v, i) => v - W0[i]);
    const [s1, s2] = topSingularValues(D, n);
    svEpochs.push(epoch);
    sigma1.push(s1);
    sigma2.push(s2);
  };
  for (let e = 0; ; e++) {
    if (e > 0) solveBoth();
    z[e] = x.reduce((acc, xi, i) => acc + w[i] * xi, 0) / n;
    loss[e] = 0.5 * (o.target - z[e]) ** 2;
    if (!Number.isFinite(z[e])) throw new DivergenceError('linear network training', e, `z = ${z[e]}`);
    if (o.singularValuesEvery > 0 && (e % o.singularValuesEvery === 0 || e === o.epochs) && e > 0) recordSv(e);
    if (e === o.epochs) break;
    // ΔW = c · y x*ᵀ with c = lr (ẑ − z)/N; W ← W + ΔW, so (I − W) loses c y x*ᵀ.
    const c = (lr * (o.target - z[e])) / n;
    for (let i = 0; i < n; i++) {
      const ci = c * y[i];
      const row = i * n;
      for (let j = 0; j < n; j++) W[row + j] += ci * x[j];
    }
    // Sherman–Morrison: (A − c y xᵀ)⁻¹ = A⁻¹ + c (A⁻¹y)(xᵀA⁻¹) / (1 − c xᵀA⁻¹y).
    invY.fill(0);
    xInv.fill(0);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let acc = 0;
      for (let j = 0; j < n; j++) acc += inv[row + j] * y[j];
      invY[i] = acc;
      const xi = x[i];
      for (let j = 0; j < n; j++) xInv[j] += xi * inv[row + j];
    }
    const denom = 1 - c * x.reduce((acc, xi, i) => acc + xi * invY[i], 0);
    if (!(Math.abs(denom) > 1e-12)) throw new DivergenceError('linear network training', e, 'I − W became singular (an eigenvalue of W reached 1)');
    const f = c / denom;
    for (let i = 0; i < n; i++) {
      const a = f * invY[i];
      const row = i * n;
      for (let j = 0; j < n; j++) inv[row + j] += a * xInv[j];
    }
  }
  // Check the tracked inverse against a fresh solve, and the stability condition Re λ(W) < 1.
  const Wm = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Wm.set(i, j, W[i * n + j]);
  const fresh = solve(Matrix.eye(n).sub(Wm), Matrix.columnVector(Array.from(m)));
  const zFresh = w.reduce((acc, wi, i) => acc + wi * fresh.get(i, 0), 0) / n;
  const maxRealEigenvalue = o.checkStability ? Math.max(...new EigenvalueDecomposition(checkFiniteMatrix('W', Wm)).realEigenvalues) : NaN;
  return { options: o, lr, beta, betaInput, betaOutput, z, loss, svEpochs, sigma1, sigma2, maxRealEigenvalue, inverseDrift: Math.abs(zFresh - z[o.epochs]) };
}
