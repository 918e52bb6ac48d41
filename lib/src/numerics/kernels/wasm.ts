/**
 * The WebAssembly SIMD backend of the kernel interface (float32). The module is compiled ahead of time from
 * lib/assembly/kernels.ts by AssemblyScript (`npm run build:wasm`, run by setup) to lib/dist/kernels.wasm.
 *
 * Each backend instance owns one WebAssembly.Memory, sized up front (`maxFloats`), and `alloc` hands out
 * 16-byte-aligned views into it. Memory is never grown: growing would detach every view already handed out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParameterError, checkInteger } from '../validate.js';
import type { Kernels } from './types.js';
import { nativeGemm } from './native.js';

export interface WasmKernelOptions {
  /** Capacity of the backend's memory in float32 entries (all arrays it will ever hand out). */
  maxFloats: number;
  /**
   * Hand the matrix products to the AVX2 addon when it is built and this CPU has AVX2 (native.ts; bitwise the same
   * results). Default true; RNNLAB_NATIVE=0 also turns it off.
   */
  native: boolean;
}

export const WASM_KERNEL_DEFAULTS: WasmKernelOptions = { maxFloats: 16 * 1024 * 1024, native: true };

interface KernelExports {
  headsBackward(B: number, N: number, H: number, C: number, G: number, kc: number, V: number, q: number, dq: number, dV: number, dc: number, wantGrads: number): void;
  gemmNN(m: number, n: number, k: number, A: number, B: number, beta: number, C: number): void;
  gemmTN(m: number, n: number, k: number, A: number, B: number, beta: number, C: number): void;
  transpose(rows: number, cols: number, X: number, T: number): void;
  leakyInsideForward(B: number, N: number, z: number, bias: number, a: number, c: number, sPrev: number, p: number, s: number): void;
  leakyInsideBackward(B: number, N: number, lam: number, p: number, sPrev: number, z: number, a: number, c: number, dtf: number, dz: number, tauStep: number, lamPrev: number): void;
  addInPlace(n: number, x: number, y: number): void;
  lstmForwardStep(B: number, H: number, ain: number, ah: number, bih: number, bhh: number, cPrev: number, gates: number, c: number, h: number): void;
  lstmBackwardStep(B: number, H: number, dh: number, dc: number, gates: number, cPrev: number, c: number, da: number): void;
  gruForwardStep(B: number, H: number, ain: number, ah: number, bih: number, bhh: number, hPrev: number, gates: number, hn: number, h: number): void;
  gruBackwardStep(B: number, H: number, dh: number, gates: number, hPrev: number, hn: number, da: number, dah: number, carried: number): void;
  rlsSettleMultiply(n: number, P: number, pendingK: number, c: number, r: number, k: number): number;
  matVecF64(rows: number, cols: number, A: number, x: number, out: number): void;
}

const PAGE = 65536;
/** Low memory left to AssemblyScript (static data, if any); the arena starts above it. */
const RESERVED_BYTES = PAGE;
const ALIGN_SLACK = 4096;

let compiled: WebAssembly.Module | null = null;

/** Where the compiled module lives: lib/dist/kernels.wasm, found from lib/dist/... or lib/src/... alike. */
export function wasmModulePath(): string {
  const here = dirname(fileURLToPath(import.meta.url)); // lib/{dist,src}/numerics/kernels
  const lib = resolve(here, '..', '..', '..');
  return join(lib, 'dist', 'kernels.wasm');
}

function compiledModule(): WebAssembly.Module {
  if (!compiled) {
    const path = wasmModulePath();
    if (!existsSync(path)) throw new Error(`wasm kernels: ${path} is missing; run \`npm run build\` (or scripts/setup.sh)`);
    compiled = new WebAssembly.Module(readFileSync(path));
  }
  return compiled;
}

let simd: boolean | null = null;

/** True when this runtime can compile the SIMD module (Node ≥ 16.4 can) and the module has been built. */
export function wasmSimdAvailable(): boolean {
  if (simd === null) {
    try {
      compiledModule();
      simd = true;
    } catch {
      simd = false;
    }
  }
  return simd;
}

/** One module instance with its own memory (`bytes` usable bytes, never grown) and a 16-byte-aligned bump allocator. */
function instantiate(bytes: number, capacityName: string, capacity: number) {
  const end = RESERVED_BYTES + bytes + ALIGN_SLACK; // slack for the alignment padding between arrays
  const pages = Math.ceil(end / PAGE);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const exports = new WebAssembly.Instance(compiledModule(), { env: { memory } }).exports as unknown as KernelExports;
  let next = RESERVED_BYTES;
  const take = (byteLength: number): number => {
    const aligned = ((byteLength + 15) >> 4) << 4;
    if (next + aligned > end) {
      throw new Error(`wasm kernels: out of memory (${capacityName} = ${capacity} is too small for this model/batch; pass a larger ${capacityName})`);
    }
    const at = next;
    next += aligned;
    return at;
  };
  return { memory, exports, take };
}

export interface WasmRlsWorkspace {
  alloc(length: number): Float64Array;
  /** k = P r after settling P ← P − c k′k′ᵀ (c = 0: nothing pending); returns rᵀk. */
  settleMultiply(P: Float64Array, pendingK: Float64Array, c: number, r: Float64Array, k: Float64Array): number;
}

/**
 * Float64 workspace for the RLS (FORCE) update of learning/onlineRules.ts: P (n×n) and its vectors live in
 * WebAssembly memory and P r with the deferred downdate runs in f64x2 SIMD. Null when the module is unavailable.
 */
export function wasmRlsWorkspace(n: number): WasmRlsWorkspace | null {
  if (!wasmSimdAvailable()) return null;
  checkInteger('n', n, { min: 1 });
  const { memory, exports, take } = instantiate((n * n + 4 * n + 64) * 8, 'n', n);
  const ptr = (a: Float64Array) => {
    if (a.buffer !== memory.buffer) throw new Error('wasm RLS workspace: array was not allocated by this workspace');
    return a.byteOffset;
  };
  return {
    alloc: (length) => new Float64Array(memory.buffer, take(length * 8), length),
    settleMultiply: (P, pendingK, c, r, k) => exports.rlsSettleMultiply(n, ptr(P), ptr(pendingK), c, ptr(r), ptr(k)),
  };
}

export interface WasmMatrixF64 {
  /** The matrix, rows × cols row-major, a view into the instance's memory: fill it in place. */
  data: Float64Array;
  /** out = data · x (x and out are ordinary arrays; they are copied in and out, O(rows + cols)). */
  matVec(x: Float64Array, out: Float64Array): void;
}

/**
 * A float64 matrix whose matrix–vector product runs in WebAssembly f64x2 SIMD (the dense J r of every Euler step of
 * the rate networks). Null when the module is unavailable.
 */
export function wasmMatrixF64(rows: number, cols: number): WasmMatrixF64 | null {
  if (!wasmSimdAvailable()) return null;
  checkInteger('rows', rows, { min: 1 });
  checkInteger('cols', cols, { min: 1 });
  const { memory, exports, take } = instantiate((rows * cols + rows + cols + 8) * 8, 'rows × cols', rows * cols);
  const data = new Float64Array(memory.buffer, take(rows * cols * 8), rows * cols);
  const xIn = new Float64Array(memory.buffer, take(cols * 8), cols);
  const yOut = new Float64Array(memory.buffer, take(rows * 8), rows);
  return {
    data,
    matVec(x, out) {
      xIn.set(x);
      exports.matVecF64(rows, cols, data.byteOffset, xIn.byteOffset, yOut.byteOffset);
      out.set(yOut);
    },
  };
}

export interface WasmHeadsReadout {
  /** Inputs, views into the instance's memory: V (heads·C × N), q (B × N), G (f64, heads × B × C: active heads first), kc (k·C per active head). */
  V: Float32Array;
  q: Float32Array;
  G: Float64Array;
  kc: Int32Array;
  /** Outputs: dq (B × N), dV (heads·C × N) and dc (heads·C), valid after `backward`. */
  dq: Float32Array;
  dV: Float32Array;
  dc: Float32Array;
  /** The heads readout's backward pass for the first H active heads (lib/assembly/kernels.ts headsBackward); wantGrads false skips dV and dc. */
  backward(H: number, wantGrads: boolean): void;
}

/**
 * The float32 heads readout's backward pass in WebAssembly (f64x2 lanes over the units), for models with `heads`
 * heads of C classes, N units and batches of B: the same float64 sums in the same order as the JS loops, so the same
 * bits (tested), at a fifth of their time in a multi-head run. Null when the module is unavailable.
 */
export function wasmHeadsReadout(N: number, heads: number, C: number, B: number): WasmHeadsReadout | null {
  if (!wasmSimdAvailable()) return null;
  checkInteger('N', N, { min: 1 });
  checkInteger('heads', heads, { min: 1 });
  checkInteger('C', C, { min: 1 });
  checkInteger('B', B, { min: 1 });
  const rows = heads * C;
  const floats = 2 * rows * N + 2 * B * N + rows;
  const bytes = floats * 4 + heads * B * C * 8 + heads * 4 + 7 * 16;
  const { memory, exports, take } = instantiate(bytes, 'N', N);
  const f32 = (n: number) => new Float32Array(memory.buffer, take(n * 4), n);
  const r: Omit<WasmHeadsReadout, 'backward'> = {
    V: f32(rows * N),
    q: f32(B * N),
    dq: f32(B * N),
    dV: f32(rows * N),
    dc: f32(rows),
    G: new Float64Array(memory.buffer, take(heads * B * C * 8), heads * B * C),
    kc: new Int32Array(memory.buffer, take(heads * 4), heads),
  };
  return {
    ...r,
    backward(H, wantGrads) {
      if (!Number.isInteger(H) || H < 0 || H > heads) throw new RangeError(`H: must lie in [0, ${heads}], got ${H}`);
      if (wantGrads) {
        r.dV.fill(0);
        r.dc.fill(0);
      }
      exports.headsBackward(B, N, H, C, r.G.byteOffset, r.kc.byteOffset, r.V.byteOffset, r.q.byteOffset, r.dq.byteOffset, r.dV.byteOffset, r.dc.byteOffset, wantGrads ? 1 : 0);
    },
  };
}

/** gemmTN through transposed panels (see there) from this many rows and columns of C (below, the copy costs more than it saves), in panels of this many rows of A. */
const TN_PANEL_MIN = 256;
/** A multiple of the kernel's k block (KC = 128 in lib/assembly/kernels.ts), so that the block boundaries stay. */
const TN_PANEL_ROWS = 1024;

/** A new backend instance with its own memory of `maxFloats` float32 entries. */
export function wasmKernelsSync(options: Partial<WasmKernelOptions> = {}): Kernels<Float32Array> {
  const maxFloats = checkInteger('maxFloats', options.maxFloats ?? WASM_KERNEL_DEFAULTS.maxFloats, { min: 1, max: 1 << 29 });
  const useNative = options.native ?? WASM_KERNEL_DEFAULTS.native;
  if (typeof useNative !== 'boolean') throw new ParameterError('native', `must be true or false, got ${String(useNative)}`);
  const { memory, exports: k, take } = instantiate(maxFloats * 4, 'maxFloats', maxFloats);
  const addon = useNative ? nativeGemm() : null;
  // The two matrix products: the addon's when it is there (the same bits), else the module's.
  let products: Pick<KernelExports, 'gemmNN' | 'gemmTN'> = k;
  if (addon) {
    const bound = addon.memory(memory.buffer);
    products = {
      gemmNN: (m, n, k2, a, b, beta, c) => addon.gemmNN(bound, m, n, k2, a, b, beta, c),
      gemmTN: (m, n, k2, a, b, beta, c) => addon.gemmTN(bound, m, n, k2, a, b, beta, c),
    };
  }
  let scratch: Float32Array | null = null;
  let tnScratch: Float32Array | null = null;
  const alloc = (length: number): Float32Array => {
    checkInteger('length', length, { min: 0 });
    return new Float32Array(memory.buffer, take(length * 4), length);
  };
  // The memory is never grown, so its buffer never changes: read it once (the getter costs more than the check).
  const buffer = memory.buffer;
  const ptr = (a: Float32Array, name: string): number => {
    if (a.buffer !== buffer) throw new Error(`wasm kernels: ${name} was not allocated by this backend's alloc`);
    return a.byteOffset;
  };
  return {
    name: addon ? 'wasm-simd+avx2' : 'wasm-simd',
    dtype: 'float32',
    alloc,
    gemmNN(m, n, k2, A, B, beta, C) {
      products.gemmNN(m, n, k2, ptr(A, 'A'), ptr(B, 'B'), beta, ptr(C, 'C'));
    },
    gemmTN(m, n, k2, A, B, beta, C) {
      // (The addon packs A's blocks itself, so it needs no transposed panels.)
      if (addon || m < TN_PANEL_MIN || n < TN_PANEL_MIN || k2 < TN_PANEL_ROWS) {
        products.gemmTN(m, n, k2, ptr(A, 'A'), ptr(B, 'B'), beta, ptr(C, 'C'));
        return;
      }
      // Large weight gradients (∂W = δZᵀ R over T·B rows at n ≥ 256): Aᵀ panel by panel into scratch, then the
      // row-major kernel, ~25 % faster than reading A with a stride of m (measured at 500 × 500 × 12,800). Panels
      // are whole cache blocks of the kernel's k loop, so every C entry sums the same products in the same order:
      // the result is bitwise the one-call gemmTN's (tested).
      const a = ptr(A, 'A');
      const b = ptr(B, 'B');
      const c = ptr(C, 'C');
      if (!tnScratch || tnScratch.length < m * TN_PANEL_ROWS) tnScratch = alloc(m * TN_PANEL_ROWS);
      for (let p0 = 0; p0 < k2; p0 += TN_PANEL_ROWS) {
        const rows = Math.min(TN_PANEL_ROWS, k2 - p0);
        k.transpose(rows, m, a + 4 * p0 * m, tnScratch.byteOffset);
        products.gemmNN(m, n, rows, tnScratch.byteOffset, b + 4 * p0 * n, p0 === 0 ? beta : 1, c);
      }
    },
    gemmNT(m, n, k2, A, B, beta, C) {
      // A·Bᵀ through a transposed copy of B (n×k → k×n) in a scratch region reused across calls.
      if (!scratch || scratch.length < n * k2) scratch = alloc(n * k2);
      k.transpose(n, k2, ptr(B, 'B'), scratch.byteOffset);
      products.gemmNN(m, n, k2, ptr(A, 'A'), scratch.byteOffset, beta, ptr(C, 'C'));
    },
    leakyInsideForward(B, N, z, bias, a, c, sPrev, p, s) {
      k.leakyInsideForward(B, N, ptr(z, 'z'), ptr(bias, 'bias'), ptr(a, 'a'), ptr(c, 'c'), ptr(sPrev, 'sPrev'), ptr(p, 'p'), ptr(s, 's'));
    },
    leakyInsideBackward(B, N, lam, p, sPrev, z, a, c, dtf, dz, tauStep, lamPrev) {
      k.leakyInsideBackward(B, N, ptr(lam, 'lam'), ptr(p, 'p'), ptr(sPrev, 'sPrev'), ptr(z, 'z'), ptr(a, 'a'), ptr(c, 'c'), ptr(dtf, 'dtf'), ptr(dz, 'dz'), ptr(tauStep, 'tauStep'), ptr(lamPrev, 'lamPrev'));
    },
    addInPlace(n, x, y) {
      k.addInPlace(n, ptr(x, 'x'), ptr(y, 'y'));
    },
    lstmForwardStep(B, H, ain, ah, bih, bhh, cPrev, gates, c, h) {
      k.lstmForwardStep(B, H, ptr(ain, 'ain'), ptr(ah, 'ah'), ptr(bih, 'bih'), ptr(bhh, 'bhh'), ptr(cPrev, 'cPrev'), ptr(gates, 'gates'), ptr(c, 'c'), ptr(h, 'h'));
    },
    lstmBackwardStep(B, H, dh, dc, gates, cPrev, c, da) {
      k.lstmBackwardStep(B, H, ptr(dh, 'dh'), ptr(dc, 'dc'), ptr(gates, 'gates'), ptr(cPrev, 'cPrev'), ptr(c, 'c'), ptr(da, 'da'));
    },
    gruForwardStep(B, H, ain, ah, bih, bhh, hPrev, gates, hn, h) {
      k.gruForwardStep(B, H, ptr(ain, 'ain'), ptr(ah, 'ah'), ptr(bih, 'bih'), ptr(bhh, 'bhh'), ptr(hPrev, 'hPrev'), ptr(gates, 'gates'), ptr(hn, 'hn'), ptr(h, 'h'));
    },
    gruBackwardStep(B, H, dh, gates, hPrev, hn, da, dah, carried) {
      k.gruBackwardStep(B, H, ptr(dh, 'dh'), ptr(gates, 'gates'), ptr(hPrev, 'hPrev'), ptr(hn, 'hn'), ptr(da, 'da'), ptr(dah, 'dah'), ptr(carried, 'carried'));
    },
  };
}
