/**
 * Reference kernels in plain TypeScript: the definition the fast kernels are tested against, and the path used
 * for float64 gradient checks. Loops are written for clarity first, with the innermost loop over contiguous
 * memory so that they are not needlessly slow.
 */
import type { Dtype, FloatArray, Kernels } from './types.js';
import { LEAKY_SLOPE as LEAKY } from '../nonlinearity.js';

function scale(C: FloatArray, length: number, beta: number): void {
  if (beta === 1) return;
  if (beta === 0) C.fill(0, 0, length);
  else for (let i = 0; i < length; i++) C[i] *= beta;
}

export function referenceKernels(dtype: 'float32'): Kernels<Float32Array>;
export function referenceKernels(dtype: 'float64'): Kernels<Float64Array>;
export function referenceKernels(dtype: Dtype): Kernels<Float32Array> | Kernels<Float64Array>;
export function referenceKernels(dtype: Dtype): Kernels<Float32Array> | Kernels<Float64Array> {
  const kernels: Kernels<FloatArray> = {
    name: 'reference',
    dtype,
    alloc: (length) => (dtype === 'float32' ? new Float32Array(length) : new Float64Array(length)),
    gemmNN(m, n, k, A, B, beta, C) {
      scale(C, m * n, beta);
      for (let i = 0; i < m; i++) {
        const ci = i * n;
        for (let p = 0; p < k; p++) {
          const a = A[i * k + p];
          if (a === 0) continue;
          const bp = p * n;
          for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
        }
      }
    },
    gemmNT(m, n, k, A, B, beta, C) {
      scale(C, m * n, beta);
      for (let i = 0; i < m; i++) {
        const ai = i * k;
        for (let j = 0; j < n; j++) {
          const bj = j * k;
          let s = 0;
          for (let p = 0; p < k; p++) s += A[ai + p] * B[bj + p];
          C[i * n + j] += s;
        }
      }
    },
    gemmTN(m, n, k, A, B, beta, C) {
      scale(C, m * n, beta);
      for (let p = 0; p < k; p++) {
        const ap = p * m;
        const bp = p * n;
        for (let i = 0; i < m; i++) {
          const a = A[ap + i];
          if (a === 0) continue;
          const ci = i * n;
          for (let j = 0; j < n; j++) C[ci + j] += a * B[bp + j];
        }
      }
    },
    leakyInsideForward(B, N, z, bias, a, c, sPrev, p, s) {
      for (let b = 0, q = 0; b < B; b++) {
        for (let i = 0; i < N; i++, q++) {
          z[q] += bias[i];
          const v = a[i] * sPrev[q] + c[i] * z[q];
          p[q] = v;
          s[q] = v > 0 ? v : LEAKY * v;
        }
      }
    },
    leakyInsideBackward(B, N, lam, p, sPrev, z, a, c, dtf, dz, tauStep, lamPrev) {
      tauStep.fill(0, 0, N);
      for (let b = 0, q = 0; b < B; b++) {
        for (let i = 0; i < N; i++, q++) {
          const dp = p[q] > 0 ? lam[q] : LEAKY * lam[q];
          dz[q] = c[i] * dp;
          lamPrev[q] = a[i] * dp;
          tauStep[i] += dp * (sPrev[q] - z[q]);
        }
      }
      for (let i = 0; i < N; i++) tauStep[i] *= dtf[i];
    },
    addInPlace(n, x, y) {
      for (let i = 0; i < n; i++) y[i] += x[i];
    },
  };
  return kernels as Kernels<Float32Array> | Kernels<Float64Array>;
}
