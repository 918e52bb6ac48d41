// WebAssembly SIMD kernels of the training engine (AssemblyScript, compiled by `npm run build:wasm`).
// Every matrix is row-major float32 in the instance's linear memory; arguments are byte pointers.
// Why hand-written: the matrix products are >90 % of a BPTT step, and f32x4 register blocking runs them ~20x
// faster than scalar JavaScript (measured in bench/gemm.ts); the TypeScript reference (reference.ts) defines them.
//
// One routine serves C[m×n] = beta·C + op(A)·B for op(A) = A (A is m×k: element (i, p) at i·k + p) and
// op(A) = Aᵀ (A is k×m: element (i, p) at p·m + i), through the strides (ai, ap) of A's element (i, p).
// Micro-kernel: 4 rows of C × 8 columns (two f32x4 accumulators per row): per p, 4 broadcasts of A and 2 loads of B
// feed 8 multiply-adds; remainders fall back to 4-column vectors and scalars.

@inline function ld(p: usize): f32 { return load<f32>(p); }

@inline function finish(ptr: usize, acc: v128, beta: f32): void {
  if (beta == 0) v128.store(ptr, acc);
  else if (beta == 1) v128.store(ptr, f32x4.add(v128.load(ptr), acc));
  else v128.store(ptr, f32x4.add(f32x4.mul(v128.load(ptr), f32x4.splat(beta)), acc));
}

@inline function finishScalar(ptr: usize, acc: f32, beta: f32): void {
  if (beta == 0) store<f32>(ptr, acc);
  else store<f32>(ptr, beta * load<f32>(ptr) + acc);
}

function gemmStrided(m: i32, n: i32, k: i32, A: usize, ai: i32, ap: i32, B: usize, beta: f32, C: usize): void {
  gemmStridedLd(m, n, k, A, ai, ap, B, n, beta, C);
}

/** As gemmStrided, with rows of B and C `ld` floats apart (a panel of wider matrices). */
function gemmStridedLd(m: i32, n: i32, k: i32, A: usize, ai: i32, ap: i32, B: usize, ldb: i32, beta: f32, C: usize): void {
  const sai = <usize>ai << 2;
  const sap = <usize>ap << 2;
  const sn = <usize>ldb << 2;
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const a0 = A + <usize>i * sai;
    const a1 = a0 + sai;
    const a2 = a1 + sai;
    const a3 = a2 + sai;
    const c0 = C + <usize>i * sn;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      let bp = B + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let s = v128.load32_splat(a0 + off);
        x00 = f32x4.add(x00, f32x4.mul(s, b0));
        x01 = f32x4.add(x01, f32x4.mul(s, b1));
        s = v128.load32_splat(a1 + off);
        x10 = f32x4.add(x10, f32x4.mul(s, b0));
        x11 = f32x4.add(x11, f32x4.mul(s, b1));
        s = v128.load32_splat(a2 + off);
        x20 = f32x4.add(x20, f32x4.mul(s, b0));
        x21 = f32x4.add(x21, f32x4.mul(s, b1));
        s = v128.load32_splat(a3 + off);
        x30 = f32x4.add(x30, f32x4.mul(s, b0));
        x31 = f32x4.add(x31, f32x4.mul(s, b1));
        bp += sn;
        off += sap;
      }
      const cp = c0 + (<usize>j << 2);
      finish(cp, x00, beta); finish(cp + 16, x01, beta);
      finish(cp + sn, x10, beta); finish(cp + sn + 16, x11, beta);
      finish(cp + 2 * sn, x20, beta); finish(cp + 2 * sn + 16, x21, beta);
      finish(cp + 3 * sn, x30, beta); finish(cp + 3 * sn + 16, x31, beta);
    }
    for (; j + 4 <= n; j += 4) {
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      let bp = B + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        const b0 = v128.load(bp);
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + off), b0));
        x1 = f32x4.add(x1, f32x4.mul(v128.load32_splat(a1 + off), b0));
        x2 = f32x4.add(x2, f32x4.mul(v128.load32_splat(a2 + off), b0));
        x3 = f32x4.add(x3, f32x4.mul(v128.load32_splat(a3 + off), b0));
        bp += sn;
        off += sap;
      }
      const cp = c0 + (<usize>j << 2);
      finish(cp, x0, beta); finish(cp + sn, x1, beta); finish(cp + 2 * sn, x2, beta); finish(cp + 3 * sn, x3, beta);
    }
    for (; j < n; j++) {
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      let bp = B + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        const b = ld(bp);
        s0 += ld(a0 + off) * b; s1 += ld(a1 + off) * b; s2 += ld(a2 + off) * b; s3 += ld(a3 + off) * b;
        bp += sn;
        off += sap;
      }
      const cp = c0 + (<usize>j << 2);
      finishScalar(cp, s0, beta); finishScalar(cp + sn, s1, beta); finishScalar(cp + 2 * sn, s2, beta); finishScalar(cp + 3 * sn, s3, beta);
    }
  }
  for (; i < m; i++) {
    const a0 = A + <usize>i * sai;
    const c0 = C + <usize>i * sn;
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
      let bp = B + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        const s = v128.load32_splat(a0 + off);
        x0 = f32x4.add(x0, f32x4.mul(s, v128.load(bp)));
        x1 = f32x4.add(x1, f32x4.mul(s, v128.load(bp, 16)));
        bp += sn;
        off += sap;
      }
      const cp = c0 + (<usize>j << 2);
      finish(cp, x0, beta); finish(cp + 16, x1, beta);
    }
    for (; j + 4 <= n; j += 4) {
      let x0 = f32x4.splat(0);
      let bp = B + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        x0 = f32x4.add(x0, f32x4.mul(v128.load32_splat(a0 + off), v128.load(bp)));
        bp += sn;
        off += sap;
      }
      finish(c0 + (<usize>j << 2), x0, beta);
    }
    for (; j < n; j++) {
      let s0: f32 = 0;
      let bp = B + (<usize>j << 2);
      let off: usize = 0;
      for (let p = 0; p < k; p++) {
        s0 += ld(a0 + off) * ld(bp);
        bp += sn;
        off += sap;
      }
      finishScalar(c0 + (<usize>j << 2), s0, beta);
    }
  }
}

// Cache blocking: the micro-kernel streams a KC×NC panel of B once per 4 rows of C, so the panel must stay in
// cache (KC·NC·4 bytes = 128 KiB here); without it, the weight-gradient product (k = T·B = 12,800 rows) and the
// per-step products with a 1 MB W ran from memory at half the speed.
const KC = 128;
const NC = 256;

function gemmBlocked(m: i32, n: i32, k: i32, A: usize, ai: i32, ap: i32, B: usize, beta: f32, C: usize): void {
  if (k == 0) {
    gemmStrided(m, n, 0, A, ai, ap, B, beta, C);
    return;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      gemmPanel(m, nc, kc, A + ((<usize>pc * <usize>ap) << 2), ai, ap, B + ((<usize>pc * <usize>n + <usize>jc) << 2), n, pc == 0 ? beta : <f32>1, C + (<usize>jc << 2));
    }
  }
}

/** C[m×nc] (row stride ldc) += ... : gemmStrided on a panel whose rows of B and C have stride `ld` = n. */
@inline function gemmPanel(m: i32, nc: i32, kc: i32, A: usize, ai: i32, ap: i32, B: usize, ldb: i32, beta: f32, C: usize): void {
  gemmStridedLd(m, nc, kc, A, ai, ap, B, ldb, beta, C);
}

/** C[m×n] = beta·C + A[m×k]·B[k×n]. */
export function gemmNN(m: i32, n: i32, k: i32, A: usize, B: usize, beta: f32, C: usize): void {
  gemmBlocked(m, n, k, A, k, 1, B, beta, C);
}

/** C[m×n] = beta·C + A[k×m]ᵀ·B[k×n]. */
export function gemmTN(m: i32, n: i32, k: i32, A: usize, B: usize, beta: f32, C: usize): void {
  gemmBlocked(m, n, k, A, 1, m, B, beta, C);
}

/** T[cols×rows] = X[rows×cols]ᵀ (for gemmNT: A·Bᵀ = A·(Bᵀ), with Bᵀ in a scratch region). */
export function transpose(rows: i32, cols: i32, X: usize, T: usize): void {
  for (let r = 0; r < rows; r++) {
    const xr = X + ((<usize>r * <usize>cols) << 2);
    for (let c = 0; c < cols; c++) store<f32>(T + ((<usize>c * <usize>rows + <usize>r) << 2), load<f32>(xr + (<usize>c << 2)));
  }
}

// Fused elementwise step of the timescales RNN (leak inside a LeakyReLU(0.01), identity rate), over B rows of N
// units; the per-neuron vectors (bias, a, c, dt/τ'²) have N entries. See bptt.ts for the equations.

/** z += bias; p = a⊙s_prev + c⊙z; s = LeakyReLU(p). */
export function leakyInsideForward(B: i32, N: i32, z: usize, bias: usize, a: usize, c: usize, sPrev: usize, p: usize, s: usize): void {
  const slope = f32x4.splat(0.01);
  const zero = f32x4.splat(0);
  for (let b = 0; b < B; b++) {
    const row = (<usize>b * <usize>N) << 2;
    let i = 0;
    for (; i + 4 <= N; i += 4) {
      const o = <usize>i << 2;
      const zv = f32x4.add(v128.load(z + row + o), v128.load(bias + o));
      v128.store(z + row + o, zv);
      const pv = f32x4.add(f32x4.mul(v128.load(a + o), v128.load(sPrev + row + o)), f32x4.mul(v128.load(c + o), zv));
      v128.store(p + row + o, pv);
      v128.store(s + row + o, v128.bitselect(pv, f32x4.mul(pv, slope), f32x4.gt(pv, zero)));
    }
    for (; i < N; i++) {
      const o = <usize>i << 2;
      const zs = load<f32>(z + row + o) + load<f32>(bias + o);
      store<f32>(z + row + o, zs);
      const ps = load<f32>(a + o) * load<f32>(sPrev + row + o) + load<f32>(c + o) * zs;
      store<f32>(p + row + o, ps);
      store<f32>(s + row + o, ps > 0 ? ps : <f32>0.01 * ps);
    }
  }
}

/**
 * dp = λ⊙f'(p); dz = c⊙dp; tauStep = Σ_b dp⊙(s_prev − z)⊙dtf (overwritten); λ_prev = a⊙dp.
 * Row by row (b outer), so that every array is read contiguously; tauStep accumulates the batch sum in memory, in the
 * same order b = 0, 1, … as a register would (float32 stores are exact), then is scaled by dtf.
 */
export function leakyInsideBackward(B: i32, N: i32, lam: usize, p: usize, sPrev: usize, z: usize, a: usize, c: usize, dtf: usize, dz: usize, tauStep: usize, lamPrev: usize): void {
  const slope = f32x4.splat(0.01);
  const one = f32x4.splat(1);
  const zero = f32x4.splat(0);
  const n4 = N & ~3;
  for (let i = 0; i < N; i++) store<f32>(tauStep + (<usize>i << 2), 0);
  for (let b = 0; b < B; b++) {
    const row = (<usize>b * <usize>N) << 2;
    let i = 0;
    for (; i < n4; i += 4) {
      const o = <usize>i << 2;
      const q = row + o;
      const dp = f32x4.mul(v128.load(lam + q), v128.bitselect(one, slope, f32x4.gt(v128.load(p + q), zero)));
      v128.store(dz + q, f32x4.mul(v128.load(c + o), dp));
      v128.store(lamPrev + q, f32x4.mul(v128.load(a + o), dp));
      v128.store(tauStep + o, f32x4.add(v128.load(tauStep + o), f32x4.mul(dp, f32x4.sub(v128.load(sPrev + q), v128.load(z + q)))));
    }
    for (; i < N; i++) {
      const o = <usize>i << 2;
      const q = row + o;
      const pv = load<f32>(p + q);
      const dp = load<f32>(lam + q) * (pv > 0 ? <f32>1 : <f32>0.01);
      store<f32>(dz + q, load<f32>(c + o) * dp);
      store<f32>(lamPrev + q, load<f32>(a + o) * dp);
      store<f32>(tauStep + o, load<f32>(tauStep + o) + dp * (load<f32>(sPrev + q) - load<f32>(z + q)));
    }
  }
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(tauStep + o, f32x4.mul(v128.load(tauStep + o), v128.load(dtf + o)));
  }
  for (; i < N; i++) {
    const o = <usize>i << 2;
    store<f32>(tauStep + o, load<f32>(tauStep + o) * load<f32>(dtf + o));
  }
}

/** y += x (n entries). */
export function addInPlace(n: i32, x: usize, y: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(y + o, load<f32>(y + o) + load<f32>(x + o));
  }
}

// ---- float64 kernels of the RLS (FORCE) update, used by learning/onlineRules.ts ----

/**
 * Settles a pending rank-one downdate P ← P − c k′k′ᵀ and computes k = P r in the same pass over P (n×n), two rows
 * at a time with f64x2 lanes; returns rᵀk. With c = 0 it is a plain k = P r.
 */
export function rlsSettleMultiply(n: i32, P: usize, pendingK: usize, c: f64, r: usize, k: usize): f64 {
  let rk: f64 = 0;
  let i = 0;
  const rowBytes = <usize>n << 3;
  for (; i + 2 <= n; i += 2) {
    const p0 = P + <usize>i * rowBytes;
    const p1 = p0 + rowBytes;
    const a0 = f64x2.splat(c * load<f64>(pendingK + (<usize>i << 3)));
    const a1 = f64x2.splat(c * load<f64>(pendingK + (<usize>(i + 1) << 3)));
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const pk = v128.load(pendingK + o);
      const rj = v128.load(r + o);
      const q0 = f64x2.sub(v128.load(p0 + o), f64x2.mul(a0, pk));
      const q1 = f64x2.sub(v128.load(p1 + o), f64x2.mul(a1, pk));
      v128.store(p0 + o, q0);
      v128.store(p1 + o, q1);
      s0 = f64x2.add(s0, f64x2.mul(q0, rj));
      s1 = f64x2.add(s1, f64x2.mul(q1, rj));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    for (; j < n; j++) {
      const o = <usize>j << 3;
      const pk = load<f64>(pendingK + o);
      const rj = load<f64>(r + o);
      const q0 = load<f64>(p0 + o) - f64x2.extract_lane(a0, 0) * pk;
      const q1 = load<f64>(p1 + o) - f64x2.extract_lane(a1, 0) * pk;
      store<f64>(p0 + o, q0);
      store<f64>(p1 + o, q1);
      t0 += q0 * rj;
      t1 += q1 * rj;
    }
    store<f64>(k + (<usize>i << 3), t0);
    store<f64>(k + (<usize>(i + 1) << 3), t1);
    rk += load<f64>(r + (<usize>i << 3)) * t0 + load<f64>(r + (<usize>(i + 1) << 3)) * t1;
  }
  for (; i < n; i++) {
    const p0 = P + <usize>i * rowBytes;
    const a0 = c * load<f64>(pendingK + (<usize>i << 3));
    let t0: f64 = 0;
    for (let j = 0; j < n; j++) {
      const o = <usize>j << 3;
      const q0 = load<f64>(p0 + o) - a0 * load<f64>(pendingK + o);
      store<f64>(p0 + o, q0);
      t0 += q0 * load<f64>(r + o);
    }
    store<f64>(k + (<usize>i << 3), t0);
    rk += load<f64>(r + (<usize>i << 3)) * t0;
  }
  return rk;
}

/** out[rows] = A[rows×cols] · x (float64, two rows at a time, f64x2 lanes): the dense J r of the rate networks. */
export function matVecF64(rows: i32, cols: i32, A: usize, x: usize, out: usize): void {
  const rowBytes = <usize>cols << 3;
  let i = 0;
  for (; i + 2 <= rows; i += 2) {
    const a0 = A + <usize>i * rowBytes;
    const a1 = a0 + rowBytes;
    let s0 = f64x2.splat(0);
    let s1 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= cols; j += 2) {
      const o = <usize>j << 3;
      const xv = v128.load(x + o);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(a0 + o), xv));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(a1 + o), xv));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    for (; j < cols; j++) {
      const o = <usize>j << 3;
      const xj = load<f64>(x + o);
      t0 += load<f64>(a0 + o) * xj;
      t1 += load<f64>(a1 + o) * xj;
    }
    store<f64>(out + (<usize>i << 3), t0);
    store<f64>(out + (<usize>(i + 1) << 3), t1);
  }
  for (; i < rows; i++) {
    const a0 = A + <usize>i * rowBytes;
    let t0: f64 = 0;
    for (let j = 0; j < cols; j++) t0 += load<f64>(a0 + (<usize>j << 3)) * load<f64>(x + (<usize>j << 3));
    store<f64>(out + (<usize>i << 3), t0);
  }
}

// ---- Gated cells (LSTM, GRU; dynamics/gated/gatedCell.ts has the equations) ----
// Vector exp, logistic and tanh in f32x4, the polynomials of the Cephes library's expf and tanhf (S. L. Moshier,
// Cephes Math Library, 1984–1992; coefficients as published there): relative error ~1e-7 over the clamped range.
// Why not Mathf.exp per lane: the gates' 4·B·H transcendental functions per step cost as much as the step's matrix
// products when computed one float at a time.

@inline function exp4(x0: v128): v128 {
  // Clamp so that 2^n stays a normal float: exp(88) = 1.65e38, exp(−87) = 1.6e−38.
  const x = f32x4.min(f32x4.max(x0, f32x4.splat(-87.0)), f32x4.splat(88.0));
  // n = round(x·log₂e) by the 1.5·2²³ trick: adding it leaves the rounded integer in the low mantissa bits, which
  // then give 2ⁿ's exponent directly (cheaper than nearest + trunc_sat, which V8 expands to ~10 instructions).
  const magic = f32x4.splat(12582912.0);
  const shifted = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), magic);
  const n = f32x4.sub(shifted, magic);
  // r = x − n·ln 2, with ln 2 split in two parts for exactness (Cody–Waite).
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375))), f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.sub(shifted, magic), i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

/** σ(x) = 1 / (1 + e^−x). */
@inline function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

/** tanh: an odd polynomial for |x| < 0.625 (where 1 − 2/(e^{2|x|} + 1) would lose digits), that formula beyond. */
@inline function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const one = f32x4.splat(1);
  const t = f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(exp4(f32x4.add(ax, ax)), one)));
  const large = v128.or(t, v128.and(x, i32x4.splat(0x80000000))); // copy the sign of x onto t ≥ 0
  return v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
}

// Loads/stores of 4 lanes, or of the first `w` lanes (w < 4: a row's tail) through a zero-padded vector, so that tails
// run the same approximations as the body.
@inline function ldv(p: usize, w: i32): v128 {
  if (w == 4) return v128.load(p);
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (w > 1) v = f32x4.replace_lane(v, 1, load<f32>(p + 4));
  if (w > 2) v = f32x4.replace_lane(v, 2, load<f32>(p + 8));
  return v;
}

@inline function stv(p: usize, v: v128, w: i32): void {
  if (w == 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (w > 1) store<f32>(p + 4, f32x4.extract_lane(v, 1));
  if (w > 2) store<f32>(p + 8, f32x4.extract_lane(v, 2));
}

/** (ain + bih) + (ah + bhh) for `w` lanes: the input-side and hidden-side affine maps of one gate block. */
@inline function preActivation(ain: usize, ah: usize, bih: usize, bhh: usize, w: i32): v128 {
  return f32x4.add(f32x4.add(ldv(ain, w), ldv(bih, w)), f32x4.add(ldv(ah, w), ldv(bhh, w)));
}

/**
 * LSTM forward step over B rows of H units; ain, ah, gates are B × 4H (blocks i, f, g, o), the rest B × H; bih, bhh 4H.
 * a = ain + bih + ah + bhh; i, f, o = σ(a); g = tanh(a); c = f⊙c_prev + i⊙g; h = o⊙tanh(c); gates = (i, f, g, o).
 */
export function lstmForwardStep(B: i32, H: i32, ain: usize, ah: usize, bih: usize, bhh: usize, cPrev: usize, gates: usize, c: usize, h: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < B; b++) {
    const g4 = (<usize>b * <usize>H * 4) << 2;
    const r1 = (<usize>b * <usize>H) << 2;
    for (let j = 0; j < H; j += 4) {
      const w = min(4, H - j);
      const o = <usize>j << 2;
      const iv = sigmoid4(preActivation(ain + g4 + o, ah + g4 + o, bih + o, bhh + o, w));
      const fv = sigmoid4(preActivation(ain + g4 + hb + o, ah + g4 + hb + o, bih + hb + o, bhh + hb + o, w));
      const gv = tanh4(preActivation(ain + g4 + 2 * hb + o, ah + g4 + 2 * hb + o, bih + 2 * hb + o, bhh + 2 * hb + o, w));
      const ov = sigmoid4(preActivation(ain + g4 + 3 * hb + o, ah + g4 + 3 * hb + o, bih + 3 * hb + o, bhh + 3 * hb + o, w));
      const cv = f32x4.add(f32x4.mul(fv, ldv(cPrev + r1 + o, w)), f32x4.mul(iv, gv));
      stv(c + r1 + o, cv, w);
      stv(h + r1 + o, f32x4.mul(ov, tanh4(cv)), w);
      stv(gates + g4 + o, iv, w);
      stv(gates + g4 + hb + o, fv, w);
      stv(gates + g4 + 2 * hb + o, gv, w);
      stv(gates + g4 + 3 * hb + o, ov, w);
    }
  }
}

/**
 * LSTM backward step: with δh (B × H, the total adjoint of h_t) and δc (B × H, carried from t + 1, updated in place to
 * δc⊙f for step t − 1): δc ← δc + δh⊙o⊙(1 − tanh²c); δa = (δc⊙g⊙i(1−i), δc⊙c_prev⊙f(1−f), δc⊙i⊙(1−g²), δh⊙tanh c⊙o(1−o)).
 */
export function lstmBackwardStep(B: i32, H: i32, dh: usize, dc: usize, gates: usize, cPrev: usize, c: usize, da: usize): void {
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const g4 = (<usize>b * <usize>H * 4) << 2;
    const r1 = (<usize>b * <usize>H) << 2;
    for (let j = 0; j < H; j += 4) {
      const w = min(4, H - j);
      const o = <usize>j << 2;
      const iv = ldv(gates + g4 + o, w);
      const fv = ldv(gates + g4 + hb + o, w);
      const gv = ldv(gates + g4 + 2 * hb + o, w);
      const ov = ldv(gates + g4 + 3 * hb + o, w);
      const dhv = ldv(dh + r1 + o, w);
      const tc = tanh4(ldv(c + r1 + o, w));
      const dcv = f32x4.add(ldv(dc + r1 + o, w), f32x4.mul(f32x4.mul(dhv, ov), f32x4.sub(one, f32x4.mul(tc, tc))));
      stv(da + g4 + o, f32x4.mul(f32x4.mul(dcv, gv), f32x4.mul(iv, f32x4.sub(one, iv))), w);
      stv(da + g4 + hb + o, f32x4.mul(f32x4.mul(dcv, ldv(cPrev + r1 + o, w)), f32x4.mul(fv, f32x4.sub(one, fv))), w);
      stv(da + g4 + 2 * hb + o, f32x4.mul(f32x4.mul(dcv, iv), f32x4.sub(one, f32x4.mul(gv, gv))), w);
      stv(da + g4 + 3 * hb + o, f32x4.mul(f32x4.mul(dhv, tc), f32x4.mul(ov, f32x4.sub(one, ov))), w);
      stv(dc + r1 + o, f32x4.mul(dcv, fv), w);
    }
  }
}

/**
 * GRU forward step; ain, ah, gates are B × 3H (blocks r, z, n), hPrev, hn, h B × H; bih, bhh 3H.
 * r, z = σ(ain + bih + ah + bhh); hn = ah_n + bhh_n; n = tanh(ain_n + bih_n + r⊙hn); h = (1 − z)⊙n + z⊙h_prev.
 */
export function gruForwardStep(B: i32, H: i32, ain: usize, ah: usize, bih: usize, bhh: usize, hPrev: usize, gates: usize, hn: usize, h: usize): void {
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const g3 = (<usize>b * <usize>H * 3) << 2;
    const r1 = (<usize>b * <usize>H) << 2;
    for (let j = 0; j < H; j += 4) {
      const w = min(4, H - j);
      const o = <usize>j << 2;
      const rv = sigmoid4(preActivation(ain + g3 + o, ah + g3 + o, bih + o, bhh + o, w));
      const zv = sigmoid4(preActivation(ain + g3 + hb + o, ah + g3 + hb + o, bih + hb + o, bhh + hb + o, w));
      const hnv = f32x4.add(ldv(ah + g3 + 2 * hb + o, w), ldv(bhh + 2 * hb + o, w));
      const nv = tanh4(f32x4.add(f32x4.add(ldv(ain + g3 + 2 * hb + o, w), ldv(bih + 2 * hb + o, w)), f32x4.mul(rv, hnv)));
      const hv = f32x4.add(f32x4.mul(f32x4.sub(one, zv), nv), f32x4.mul(zv, ldv(hPrev + r1 + o, w)));
      stv(h + r1 + o, hv, w);
      stv(hn + r1 + o, hnv, w);
      stv(gates + g3 + o, rv, w);
      stv(gates + g3 + hb + o, zv, w);
      stv(gates + g3 + 2 * hb + o, nv, w);
    }
  }
}

/**
 * GRU backward step: with δh (B × H): δa_n = δh⊙(1 − z)⊙(1 − n²); δa_z = δh⊙(h_prev − n)⊙z(1 − z); δa_r = δa_n⊙hn⊙r(1 − r);
 * da = (δa_r, δa_z, δa_n) (input side), dah = (δa_r, δa_z, δa_n⊙r) (hidden side), carried = δh⊙z (B × H).
 */
export function gruBackwardStep(B: i32, H: i32, dh: usize, gates: usize, hPrev: usize, hn: usize, da: usize, dah: usize, carried: usize): void {
  const hb = <usize>H << 2;
  const one = f32x4.splat(1);
  for (let b = 0; b < B; b++) {
    const g3 = (<usize>b * <usize>H * 3) << 2;
    const r1 = (<usize>b * <usize>H) << 2;
    for (let j = 0; j < H; j += 4) {
      const w = min(4, H - j);
      const o = <usize>j << 2;
      const rv = ldv(gates + g3 + o, w);
      const zv = ldv(gates + g3 + hb + o, w);
      const nv = ldv(gates + g3 + 2 * hb + o, w);
      const dhv = ldv(dh + r1 + o, w);
      const dan = f32x4.mul(f32x4.mul(dhv, f32x4.sub(one, zv)), f32x4.sub(one, f32x4.mul(nv, nv)));
      const daz = f32x4.mul(f32x4.mul(dhv, f32x4.sub(ldv(hPrev + r1 + o, w), nv)), f32x4.mul(zv, f32x4.sub(one, zv)));
      const dar = f32x4.mul(f32x4.mul(dan, ldv(hn + r1 + o, w)), f32x4.mul(rv, f32x4.sub(one, rv)));
      stv(da + g3 + o, dar, w);
      stv(da + g3 + hb + o, daz, w);
      stv(da + g3 + 2 * hb + o, dan, w);
      stv(dah + g3 + o, dar, w);
      stv(dah + g3 + hb + o, daz, w);
      stv(dah + g3 + 2 * hb + o, f32x4.mul(dan, rv), w);
      stv(carried + r1 + o, f32x4.mul(dhv, zv), w);
    }
  }
}

// ---- heads readout (dynamics/rnn/bptt.ts): float64 sums over float32 arrays, bitwise those of the JS loops ----

/**
 * Backward pass of the heads readout for H active heads of C classes. G (f64, H × B × C) is (softmax − onehot) / B,
 * kc (i32, H) holds k·C for each active head k, V and dV are (all heads · C) × N, q and dq are B × N, dc all heads · C;
 * dV and dc come in zeroed. Every entry is the float64 sum the JS loops compute, term by term in their order:
 *   dc[kj] += G[b, j] and dV[kj, i] += G[b, j] · q[b, i] over b (rounded to float32 after every term, as a store into
 *   a Float32Array rounds), dq[b, i] = Σ over (h, j) of G[h, b, j] · V[kj, i] (float64, rounded once).
 * f64x2 lanes run over i, so each lane is one entry's own sum: mul then add, no FMA, the same roundings as JS.
 * wantGrads = 0 skips dV and dc.
 */
export function headsBackward(B: i32, N: i32, H: i32, C: i32, G: usize, kc: usize, V: usize, q: usize, dq: usize, dV: usize, dc: usize, wantGrads: i32): void {
  const rowBytes = <usize>N << 2;
  const n2 = N & ~1;
  if (wantGrads) {
    for (let h = 0; h < H; h++) {
      const k0 = load<i32>(kc + (<usize>h << 2));
      for (let j = 0; j < C; j++) {
        const kj = <usize>(k0 + j);
        const vRow = dV + kj * rowBytes;
        let c = <f64>load<f32>(dc + (kj << 2));
        for (let b = 0; b < B; b++) {
          const g = load<f64>(G + ((<usize>h * <usize>B * <usize>C + <usize>b * <usize>C + <usize>j) << 3));
          c = <f64><f32>(c + g);
          const gv = f64x2.splat(g);
          const qRow = q + <usize>b * rowBytes;
          let i = 0;
          for (; i < n2; i += 2) {
            const o = <usize>i << 2;
            const acc = f64x2.add(f64x2.promote_low_f32x4(v128.load64_zero(vRow + o)), f64x2.mul(gv, f64x2.promote_low_f32x4(v128.load64_zero(qRow + o))));
            v128.store64_lane(vRow + o, f32x4.demote_f64x2_zero(acc), 0);
          }
          for (; i < N; i++) {
            const o = <usize>i << 2;
            store<f32>(vRow + o, <f32>(<f64>load<f32>(vRow + o) + g * <f64>load<f32>(qRow + o)));
          }
        }
        store<f32>(dc + (kj << 2), <f32>c);
      }
    }
  }
  for (let b = 0; b < B; b++) {
    const qRow = dq + <usize>b * rowBytes;
    let i = 0;
    for (; i + 8 <= N; i += 8) {
      const o = <usize>i << 2;
      let s0 = f64x2.splat(0);
      let s1 = f64x2.splat(0);
      let s2 = f64x2.splat(0);
      let s3 = f64x2.splat(0);
      for (let h = 0; h < H; h++) {
        const k0 = load<i32>(kc + (<usize>h << 2));
        const gRow = G + ((<usize>h * <usize>B * <usize>C + <usize>b * <usize>C) << 3);
        for (let j = 0; j < C; j++) {
          const g = f64x2.splat(load<f64>(gRow + (<usize>j << 3)));
          const v = V + <usize>(k0 + j) * rowBytes + o;
          s0 = f64x2.add(s0, f64x2.mul(g, f64x2.promote_low_f32x4(v128.load64_zero(v))));
          s1 = f64x2.add(s1, f64x2.mul(g, f64x2.promote_low_f32x4(v128.load64_zero(v + 8))));
          s2 = f64x2.add(s2, f64x2.mul(g, f64x2.promote_low_f32x4(v128.load64_zero(v + 16))));
          s3 = f64x2.add(s3, f64x2.mul(g, f64x2.promote_low_f32x4(v128.load64_zero(v + 24))));
        }
      }
      v128.store64_lane(qRow + o, f32x4.demote_f64x2_zero(s0), 0);
      v128.store64_lane(qRow + o + 8, f32x4.demote_f64x2_zero(s1), 0);
      v128.store64_lane(qRow + o + 16, f32x4.demote_f64x2_zero(s2), 0);
      v128.store64_lane(qRow + o + 24, f32x4.demote_f64x2_zero(s3), 0);
    }
    for (; i < N; i++) {
      let s: f64 = 0;
      for (let h = 0; h < H; h++) {
        const k0 = load<i32>(kc + (<usize>h << 2));
        const gRow = G + ((<usize>h * <usize>B * <usize>C + <usize>b * <usize>C) << 3);
        for (let j = 0; j < C; j++) s += load<f64>(gRow + (<usize>j << 3)) * <f64>load<f32>(V + <usize>(k0 + j) * rowBytes + (<usize>i << 2));
      }
      store<f32>(qRow + (<usize>i << 2), <f32>s);
    }
  }
}
