/**
 * Random recurrent connectivity J for rate networks. Entries are nonzero with probability p (`density`)
 * and Gaussian with variance g^2/(pN), so that every row has total variance g^2/N * N = g^2 on average and the
 * eigenvalues of J fill the disc of radius g in the large-N limit (circular law; Sompolinsky, Crisanti &
 * Sommers 1988; Sussillo & Abbott 2009 use p = 0.1).
 */
import { wasmMatrixF64 } from '../numerics/kernels/wasm.js';
import type { Rng } from '../numerics/rng.js';
import { denseMatVec, type Mat } from '../numerics/matrix.js';
import { checkInteger, checkNumber } from '../numerics/validate.js';

/** Dense: row-major N x N. Sparse: compressed sparse rows (row i's entries are values[rowPtr[i]..rowPtr[i+1]]). */
export type Connectivity =
  | { readonly kind: 'dense'; readonly n: number; readonly data: Float64Array }
  | {
      readonly kind: 'sparse';
      readonly n: number;
      readonly rowPtr: Int32Array;
      readonly colIdx: Int32Array;
      readonly values: Float64Array;
    };

/** Stored entries of J: the multiply-adds of one product J r (for the work estimates of long loops). */
export function connectivityEntries(j: Connectivity): number {
  return j.kind === 'dense' ? j.n * j.n : j.values.length;
}

/** WebAssembly matrix–vector products of the dense matrices drawn here, keyed by their data array. */
const fastMatVec = new WeakMap<Float64Array, (x: Float64Array, out: Float64Array) => void>();

/**
 * Draws J. The standard-normal draws do not depend on g, so networks that differ only in g (same rng key)
 * have J proportional to each other: a sweep over g scales one matrix.
 */
export function randomConnectivity(n: number, g: number, density: number, rng: Rng): Connectivity {
  checkInteger('n', n, { min: 1 });
  checkNumber('g', g, { min: 0 });
  checkNumber('density', density, { min: 0, max: 1, exclusiveMin: true });
  const scale = g / Math.sqrt(density * n);
  if (density === 1) {
    // The matrix lives in WebAssembly memory when the kernels are built, so that J r runs in f64x2 SIMD.
    const fast = wasmMatrixF64(n, n);
    const data = fast ? fast.data : new Float64Array(n * n);
    for (let k = 0; k < data.length; k++) data[k] = scale * rng.normal();
    if (fast) fastMatVec.set(data, fast.matVec);
    return { kind: 'dense', n, data };
  }
  const rowPtr = new Int32Array(n + 1);
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (rng.uniform() < density) {
        cols.push(j);
        vals.push(scale * rng.normal());
      }
    }
    rowPtr[i + 1] = cols.length;
  }
  return { kind: 'sparse', n, rowPtr, colIdx: Int32Array.from(cols), values: Float64Array.from(vals) };
}

/** out = J r (r and out of length N). The branch is outside the inner loops, so each loop stays monomorphic. */
export function applyConnectivity(j: Connectivity, r: Float64Array, out: Float64Array): Float64Array {
  const n = j.n;
  if (j.kind === 'dense') {
    const fast = fastMatVec.get(j.data);
    if (fast) fast(r, out);
    else denseMatVec(j.data, n, n, r, out);
  } else {
    const { rowPtr, colIdx, values } = j;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = rowPtr[i]; p < rowPtr[i + 1]; p++) s += values[p] * r[colIdx[p]];
      out[i] = s;
    }
  }
  return out;
}

/** J as a dense matrix (for eigenvalues and plots). */
export function connectivityToDense(j: Connectivity): Mat {
  if (j.kind === 'dense') return { rows: j.n, cols: j.n, data: Float64Array.from(j.data) };
  const data = new Float64Array(j.n * j.n);
  for (let i = 0; i < j.n; i++) {
    for (let p = j.rowPtr[i]; p < j.rowPtr[i + 1]; p++) data[i * j.n + j.colIdx[p]] = j.values[p];
  }
  return { rows: j.n, cols: j.n, data };
}

/**
 * outA = J a and outB = J b in one pass over J. Used where a state and a tangent vector are propagated together
 * (Lyapunov exponents): reading each row of J once instead of twice nearly halves the memory traffic.
 */
export function applyConnectivityPair(
  j: Connectivity,
  a: Float64Array,
  b: Float64Array,
  outA: Float64Array,
  outB: Float64Array,
): void {
  const n = j.n;
  if (j.kind === 'dense') {
    const d = j.data;
    // Two rows per pass: each loaded a[k], b[k] serves both rows (measured ~1.4x over one row per pass).
    let i = 0;
    for (; i + 1 < n; i += 2) {
      let sa0 = 0;
      let sb0 = 0;
      let sa1 = 0;
      let sb1 = 0;
      const off0 = i * n;
      const off1 = off0 + n;
      for (let k = 0; k < n; k++) {
        const ak = a[k];
        const bk = b[k];
        const w0 = d[off0 + k];
        const w1 = d[off1 + k];
        sa0 += w0 * ak;
        sb0 += w0 * bk;
        sa1 += w1 * ak;
        sb1 += w1 * bk;
      }
      outA[i] = sa0;
      outB[i] = sb0;
      outA[i + 1] = sa1;
      outB[i + 1] = sb1;
    }
    for (; i < n; i++) {
      let sa = 0;
      let sb = 0;
      const off = i * n;
      for (let k = 0; k < n; k++) {
        sa += d[off + k] * a[k];
        sb += d[off + k] * b[k];
      }
      outA[i] = sa;
      outB[i] = sb;
    }
  } else {
    applyConnectivity(j, a, outA);
    applyConnectivity(j, b, outB);
  }
}
