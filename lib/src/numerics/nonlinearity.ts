/**
 * Pointwise nonlinearities of the trained rate networks, with their derivatives.
 *
 * 'erf' is φ(x) = erf(√π/2 · x), scaled so that φ'(0) = 1 (papers/sequential-interference-2x2/README.md §3.1), with
 * φ'(x) = exp(−π x²/4). Node has no Math.erf; `erf` below is accurate to double precision (it is used in
 * float64 gradient checks, where an approximate erf would make the finite differences disagree with φ').
 *
 * 'double-tanh' is φ(x) = ½[tanh(2(x − 0.75)) + tanh(2(x + 0.75))]: odd, saturating at ±1, with a low gain at the
 * origin (φ'(0) = 2 sech²1.5 ≈ 0.36) and gain ≈ 1 around |x| = 0.75. It is the study's S5b
 * variant 2 (a nonlinearity whose origin is stable, so that attractors appear through saddle-node bifurcations). A
 * threshold of 1 (φ'(0) ≈ 0.14) was tried first: no network left the phase-A plateau in 1,500 steps.
 */
export type Nonlinearity = 'tanh' | 'erf' | 'relu' | 'leaky-relu' | 'identity' | 'double-tanh';
export const NONLINEARITIES: readonly Nonlinearity[] = ['tanh', 'erf', 'relu', 'leaky-relu', 'identity', 'double-tanh'];

/** Negative slope of the LeakyReLU (papers/timescales-curriculum-2024/README.md §3.1: PyTorch default 0.01). */
export const LEAKY_SLOPE = 0.01;

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const HALF_SQRT_PI = Math.sqrt(Math.PI) / 2;

/**
 * erf(x) to ~1e-16: for |x| < 3 the all-positive series erf x = 2/√π e^{−x²} Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))
 * (no cancellation); beyond, erfc by its continued fraction (modified Lentz).
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    const x2 = x * x;
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    const v = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
    return x < 0 ? -v : v;
  }
  if (ax > 6.5) return x < 0 ? -1 : 1;
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
  const tiny = 1e-300;
  let f = ax;
  let C = ax;
  let D = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    D = ax + an * D;
    D = D === 0 ? tiny : 1 / D;
    C = ax + an / C;
    if (C === 0) C = tiny;
    const delta = C * D;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
  return x < 0 ? erfc - 1 : 1 - erfc;
}

/**
 * erf(x) to 1.5e-7 absolute (Abramowitz & Stegun 7.1.26): one exp and one division instead of erf's series. Used for
 * float32 arrays only, where it is below the float32 resolution of φ near ±1 (6e-8 relative) and 4x faster than the
 * double-precision erf, which dominated a float32 training step of the erf networks (14 ms of ~30 ms at N = 128,
 * batch 16, 125 steps).
 */
export function erfFast(x: number): number {
  const ax = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * ax);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const v = 1 - poly * Math.exp(-ax * ax);
  return x < 0 ? -v : x > 0 ? v : 0; // exactly odd, with φ(0) = 0 (the formula alone gives 1e-9 there)
}

/** y[i] = f(x[i]) for i < n. */
export function applyNonlinearity(kind: Nonlinearity, x: Float32Array | Float64Array, y: Float32Array | Float64Array, n: number): void {
  switch (kind) {
    case 'identity':
      if (x !== y) for (let i = 0; i < n; i++) y[i] = x[i];
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
      return;
    case 'relu':
      for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : 0;
      return;
    case 'leaky-relu':
      for (let i = 0; i < n; i++) {
        const v = x[i];
        y[i] = v > 0 ? v : LEAKY_SLOPE * v;
      }
      return;
    case 'erf':
      if (y instanceof Float32Array) for (let i = 0; i < n; i++) y[i] = erfFast(HALF_SQRT_PI * x[i]);
      else for (let i = 0; i < n; i++) y[i] = erf(HALF_SQRT_PI * x[i]);
      return;
    case 'double-tanh':
      for (let i = 0; i < n; i++) y[i] = 0.5 * (Math.tanh(2 * (x[i] - 0.75)) + Math.tanh(2 * (x[i] + 0.75)));
      return;
  }
}

/** g[i] *= f'(x[i]) for i < n: the chain rule through the nonlinearity, in place on the adjoint g. */
export function multiplyByDerivative(kind: Nonlinearity, x: Float32Array | Float64Array, g: Float32Array | Float64Array, n: number): void {
  switch (kind) {
    case 'identity':
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) {
        const t = Math.tanh(x[i]);
        g[i] *= 1 - t * t;
      }
      return;
    case 'relu':
      for (let i = 0; i < n; i++) if (!(x[i] > 0)) g[i] = 0;
      return;
    case 'leaky-relu':
      for (let i = 0; i < n; i++) if (!(x[i] > 0)) g[i] *= LEAKY_SLOPE;
      return;
    case 'erf':
      for (let i = 0; i < n; i++) g[i] *= Math.exp((-Math.PI / 4) * x[i] * x[i]);
      return;
    case 'double-tanh':
      for (let i = 0; i < n; i++) {
        const a = Math.tanh(2 * (x[i] - 0.75));
        const b = Math.tanh(2 * (x[i] + 0.75));
        g[i] *= 2 - a * a - b * b; // ½ · 2 · [(1 − a²) + (1 − b²)]
      }
      return;
  }
}

/** Scalar forms, for tests and small analyses. */
export function nonlinearity(kind: Nonlinearity, x: number): number {
  const a = new Float64Array([x]);
  applyNonlinearity(kind, a, a, 1);
  return a[0];
}
export function nonlinearityDerivative(kind: Nonlinearity, x: number): number {
  const g = new Float64Array([1]);
  multiplyByDerivative(kind, new Float64Array([x]), g, 1);
  return g[0];
}
