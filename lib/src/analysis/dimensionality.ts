/**
 * Linear dimensionality of network activity (papers/timescales-curriculum-2024/README.md §5.3): PCA of a (time × neurons) activity matrix and
 * k₉₀, the number of principal components needed to exceed 90 % of the variance. We report k₉₀ itself (the authors
 * plot k₉₀ − 1, a 0-based index).
 * Equation: (34) of papers/timescales-curriculum-2024/README.md.
 */
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { checkInteger, checkNumber, firstNonFinite, ParameterError } from '../numerics/validate.js';

/** Eigenvalues (descending) of the covariance of `data` ([T × N] row-major, rows are time points). */
export function pcaVariances(data: ArrayLike<number>, T: number, N: number): Float64Array {
  checkInteger('T', T, { min: 2 });
  checkInteger('N', N, { min: 1 });
  if (!data || data.length < T * N) throw new ParameterError('data', `expected T × N = ${T} × ${N} = ${T * N} entries, got ${data ? data.length : 'none'}`);
  const bad = firstNonFinite(data);
  if (bad >= 0 && bad < T * N) throw new ParameterError('data', `entry ${bad} (time ${Math.floor(bad / N)}, unit ${bad % N}) is not finite (${data[bad]})`);
  const mean = new Float64Array(N);
  for (let t = 0; t < T; t++) for (let i = 0; i < N; i++) mean[i] += data[t * N + i] / T;
  const cov = new Matrix(N, N);
  const row = new Float64Array(N);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < N; i++) row[i] = data[t * N + i] - mean[i];
    for (let i = 0; i < N; i++) {
      const ri = row[i];
      if (ri === 0) continue;
      for (let j = i; j < N; j++) cov.set(i, j, cov.get(i, j) + ri * row[j]);
    }
  }
  for (let i = 0; i < N; i++) for (let j = i; j < N; j++) cov.set(j, i, cov.get(i, j) / (T - 1)), cov.set(i, j, cov.get(j, i));
  const evd = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
  return Float64Array.from(evd.realEigenvalues, (v) => Math.max(v, 0)).sort().reverse();
}

/** Number of leading components whose variance exceeds `fraction` of the total (study: 0.9). */
export function componentsFor(variances: ArrayLike<number>, fraction = 0.9): number {
  checkNumber('fraction', fraction, { min: 0, max: 1, exclusiveMax: true });
  if (!variances || typeof variances.length !== 'number' || variances.length === 0) throw new ParameterError('variances', 'expected a non-empty array');
  for (let k = 0; k < variances.length; k++) {
    if (!(variances[k] >= 0) || !Number.isFinite(variances[k])) throw new ParameterError('variances', `entry ${k} must be a finite variance >= 0, got ${variances[k]}`);
  }
  const total = Array.from(variances).reduce((a, b) => a + b, 0);
  let acc = 0;
  for (let k = 0; k < variances.length; k++) {
    acc += variances[k];
    if (acc > fraction * total) return k + 1;
  }
  return variances.length;
}
