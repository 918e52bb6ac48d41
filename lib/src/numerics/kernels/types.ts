/**
 * The kernel interface of the training engine: the few hot loops of BPTT (dense matrix products in the three
 * layouts the forward and backward passes need) behind one small interface, so that a plain TypeScript reference
 * and a WebAssembly SIMD implementation can be swapped and tested against each other.
 *
 * Layout: every matrix is a contiguous row-major block of a typed array (it may be a `subarray` view).
 * `alloc` must be used for every array handed to a kernel: the WebAssembly backend can only read arrays that
 * live in its own linear memory, and its `alloc` returns views into that memory.
 */
export type FloatArray = Float32Array | Float64Array;
export type Dtype = 'float32' | 'float64';

export interface Kernels<A extends FloatArray = FloatArray> {
  /** 'reference', 'wasm-simd', or 'wasm-simd+avx2' (its matrix products in the AVX2 addon: the same bits). */
  readonly name: string;
  readonly dtype: Dtype;
  /** A zeroed array of `length` entries that this backend can operate on. */
  alloc(length: number): A;
  /** C[m×n] = beta·C + A[m×k] · B[k×n]. */
  gemmNN(m: number, n: number, k: number, A: A, B: A, beta: number, C: A): void;
  /** C[m×n] = beta·C + A[m×k] · B[n×k]ᵀ. */
  gemmNT(m: number, n: number, k: number, A: A, B: A, beta: number, C: A): void;
  /** C[m×n] = beta·C + A[k×m]ᵀ · B[k×n]. */
  gemmTN(m: number, n: number, k: number, A: A, B: A, beta: number, C: A): void;
  /**
   * Fused forward step of the timescales RNN (leak inside LeakyReLU(0.01), identity rate), B rows of N units:
   * z += bias; p = a⊙s_prev + c⊙z; s = LeakyReLU(p). `bias`, `a`, `c` have N entries.
   */
  leakyInsideForward(B: number, N: number, z: A, bias: A, a: A, c: A, sPrev: A, p: A, s: A): void;
  /**
   * Its backward step: δp = λ⊙f'(p); δz = c⊙δp; λ_prev = a⊙δp; tauStep[i] = dtf[i]·Σ_b δp⊙(s_prev − z)
   * (tauStep overwritten; N entries).
   */
  leakyInsideBackward(B: number, N: number, lam: A, p: A, sPrev: A, z: A, a: A, c: A, dtf: A, dz: A, tauStep: A, lamPrev: A): void;
  /** y += x over n entries. */
  addInPlace(n: number, x: A, y: A): void;
  /**
   * LSTM forward step (dynamics/gated/gatedCell.ts), B rows of H units; `ain`, `ah`, `gates` B × 4H (blocks i, f, g, o),
   * `cPrev`, `c`, `h` B × H, `bih`, `bhh` 4H: a = ain + bih + ah + bhh; i, f, o = σ(a); g = tanh(a);
   * c = f⊙c_prev + i⊙g; h = o⊙tanh(c); gates = (i, f, g, o).
   */
  lstmForwardStep(B: number, H: number, ain: A, ah: A, bih: A, bhh: A, cPrev: A, gates: A, c: A, h: A): void;
  /**
   * LSTM backward step: δc (B × H, from step t + 1) ← δc + δh⊙o⊙(1 − tanh²c); da (B × 4H) = (δc⊙g⊙i(1 − i),
   * δc⊙c_prev⊙f(1 − f), δc⊙i⊙(1 − g²), δh⊙tanh c⊙o(1 − o)); then δc ← δc⊙f (for step t − 1).
   */
  lstmBackwardStep(B: number, H: number, dh: A, dc: A, gates: A, cPrev: A, c: A, da: A): void;
  /**
   * GRU forward step; `ain`, `ah`, `gates` B × 3H (blocks r, z, n), `hPrev`, `hn`, `h` B × H, `bih`, `bhh` 3H:
   * r, z = σ(ain + bih + ah + bhh); hn = ah_n + bhh_n; n = tanh(ain_n + bih_n + r⊙hn); h = (1 − z)⊙n + z⊙h_prev.
   */
  gruForwardStep(B: number, H: number, ain: A, ah: A, bih: A, bhh: A, hPrev: A, gates: A, hn: A, h: A): void;
  /**
   * GRU backward step: δa_n = δh⊙(1 − z)⊙(1 − n²); δa_z = δh⊙(h_prev − n)⊙z(1 − z); δa_r = δa_n⊙hn⊙r(1 − r);
   * da = (δa_r, δa_z, δa_n), dah = (δa_r, δa_z, δa_n⊙r) (both B × 3H); carried = δh⊙z (B × H).
   */
  gruBackwardStep(B: number, H: number, dh: A, gates: A, hPrev: A, hn: A, da: A, dah: A, carried: A): void;
}
