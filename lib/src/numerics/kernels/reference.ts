/**
 * Reference kernels in plain TypeScript: the definition the fast kernels are tested against, and the path used
 * for float64 gradient checks. Loops are written for clarity first, with the innermost loop over contiguous
 * memory so that they are not needlessly slow.
 */
import type { Dtype, FloatArray, Kernels } from './types.js';
import { LEAKY_SLOPE as LEAKY } from '../nonlinearity.js';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

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
    lstmForwardStep(B, H, ain, ah, bih, bhh, cPrev, gates, c, h) {
      for (let b = 0; b < B; b++) {
        const g = b * 4 * H;
        for (let j = 0; j < H; j++) {
          const a = (k: number) => ain[g + k * H + j] + bih[k * H + j] + (ah[g + k * H + j] + bhh[k * H + j]);
          const [iv, fv, gv, ov] = [sigmoid(a(0)), sigmoid(a(1)), Math.tanh(a(2)), sigmoid(a(3))];
          const q = b * H + j;
          c[q] = fv * cPrev[q] + iv * gv;
          h[q] = ov * Math.tanh(c[q]);
          gates[g + j] = iv;
          gates[g + H + j] = fv;
          gates[g + 2 * H + j] = gv;
          gates[g + 3 * H + j] = ov;
        }
      }
    },
    lstmBackwardStep(B, H, dh, dc, gates, cPrev, c, da) {
      for (let b = 0; b < B; b++) {
        const g = b * 4 * H;
        for (let j = 0; j < H; j++) {
          const q = b * H + j;
          const [iv, fv, gv, ov] = [gates[g + j], gates[g + H + j], gates[g + 2 * H + j], gates[g + 3 * H + j]];
          const tc = Math.tanh(c[q]);
          const d = dc[q] + dh[q] * ov * (1 - tc * tc);
          da[g + j] = d * gv * (iv * (1 - iv));
          da[g + H + j] = d * cPrev[q] * (fv * (1 - fv));
          da[g + 2 * H + j] = d * iv * (1 - gv * gv);
          da[g + 3 * H + j] = dh[q] * tc * (ov * (1 - ov));
          dc[q] = d * fv;
        }
      }
    },
    gruForwardStep(B, H, ain, ah, bih, bhh, hPrev, gates, hn, h) {
      for (let b = 0; b < B; b++) {
        const g = b * 3 * H;
        for (let j = 0; j < H; j++) {
          const q = b * H + j;
          const rv = sigmoid(ain[g + j] + bih[j] + (ah[g + j] + bhh[j]));
          const zv = sigmoid(ain[g + H + j] + bih[H + j] + (ah[g + H + j] + bhh[H + j]));
          hn[q] = ah[g + 2 * H + j] + bhh[2 * H + j];
          const nv = Math.tanh(ain[g + 2 * H + j] + bih[2 * H + j] + rv * hn[q]);
          h[q] = (1 - zv) * nv + zv * hPrev[q];
          gates[g + j] = rv;
          gates[g + H + j] = zv;
          gates[g + 2 * H + j] = nv;
        }
      }
    },
    gruBackwardStep(B, H, dh, gates, hPrev, hn, da, dah, carried) {
      for (let b = 0; b < B; b++) {
        const g = b * 3 * H;
        for (let j = 0; j < H; j++) {
          const q = b * H + j;
          const [rv, zv, nv] = [gates[g + j], gates[g + H + j], gates[g + 2 * H + j]];
          const dan = dh[q] * (1 - zv) * (1 - nv * nv);
          const daz = dh[q] * (hPrev[q] - nv) * (zv * (1 - zv));
          const dar = dan * hn[q] * (rv * (1 - rv));
          da[g + j] = dah[g + j] = dar;
          da[g + H + j] = dah[g + H + j] = daz;
          da[g + 2 * H + j] = dan;
          dah[g + 2 * H + j] = dan * rv;
          carried[q] = dh[q] * zv;
        }
      }
    },
  };
  return kernels as Kernels<Float32Array> | Kernels<Float64Array>;
}
