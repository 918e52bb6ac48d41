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
import { checkInteger } from '../../util/validate.js';
import type { Kernels } from './types.js';

export interface WasmKernelOptions {
  /** Capacity of the backend's memory in float32 entries (all arrays it will ever hand out). */
  maxFloats: number;
}

export const WASM_KERNEL_DEFAULTS: WasmKernelOptions = { maxFloats: 16 * 1024 * 1024 };

interface KernelExports {
  gemmNN(m: number, n: number, k: number, A: number, B: number, beta: number, C: number): void;
  gemmTN(m: number, n: number, k: number, A: number, B: number, beta: number, C: number): void;
  transpose(rows: number, cols: number, X: number, T: number): void;
  leakyInsideForward(B: number, N: number, z: number, bias: number, a: number, c: number, sPrev: number, p: number, s: number): void;
  leakyInsideBackward(B: number, N: number, lam: number, p: number, sPrev: number, z: number, a: number, c: number, dtf: number, dz: number, tauStep: number, lamPrev: number): void;
  addInPlace(n: number, x: number, y: number): void;
}

const PAGE = 65536;
/** Low memory left to AssemblyScript (static data, if any); the arena starts above it. */
const RESERVED_BYTES = PAGE;
const ALIGN_SLACK = 4096;

let compiled: WebAssembly.Module | null = null;

/** Where the compiled module lives: lib/dist/kernels.wasm, found from lib/dist/... or lib/src/... alike. */
export function wasmModulePath(): string {
  const here = dirname(fileURLToPath(import.meta.url)); // lib/{dist,src}/training/kernels
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

/** A new backend instance with its own memory of `maxFloats` float32 entries. */
export function wasmKernelsSync(options: Partial<WasmKernelOptions> = {}): Kernels<Float32Array> {
  const maxFloats = checkInteger('maxFloats', options.maxFloats ?? WASM_KERNEL_DEFAULTS.maxFloats, { min: 1, max: 1 << 29 });
  // Slack for 16-byte alignment padding between arrays.
  const end = RESERVED_BYTES + maxFloats * 4 + ALIGN_SLACK;
  const pages = Math.ceil(end / PAGE);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const k = new WebAssembly.Instance(compiledModule(), { env: { memory } }).exports as unknown as KernelExports;
  let next = RESERVED_BYTES;
  let scratch: Float32Array | null = null;
  const alloc = (length: number): Float32Array => {
    checkInteger('length', length, { min: 0 });
    const bytes = ((length * 4 + 15) >> 4) << 4;
    if (next + bytes > end) {
      throw new Error(`wasm kernels: out of memory (maxFloats = ${maxFloats} float32 entries is too small for this model/batch; pass a larger maxFloats)`);
    }
    const view = new Float32Array(memory.buffer, next, length);
    next += bytes;
    return view;
  };
  const ptr = (a: Float32Array, name: string): number => {
    if (a.buffer !== memory.buffer) throw new Error(`wasm kernels: ${name} was not allocated by this backend's alloc`);
    return a.byteOffset;
  };
  return {
    name: 'wasm-simd',
    dtype: 'float32',
    alloc,
    gemmNN(m, n, k2, A, B, beta, C) {
      k.gemmNN(m, n, k2, ptr(A, 'A'), ptr(B, 'B'), beta, ptr(C, 'C'));
    },
    gemmTN(m, n, k2, A, B, beta, C) {
      k.gemmTN(m, n, k2, ptr(A, 'A'), ptr(B, 'B'), beta, ptr(C, 'C'));
    },
    gemmNT(m, n, k2, A, B, beta, C) {
      // A·Bᵀ through a transposed copy of B (n×k → k×n) in a scratch region reused across calls.
      if (!scratch || scratch.length < n * k2) scratch = alloc(n * k2);
      k.transpose(n, k2, ptr(B, 'B'), scratch.byteOffset);
      k.gemmNN(m, n, k2, ptr(A, 'A'), scratch.byteOffset, beta, ptr(C, 'C'));
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
  };
}

/** Async form, for symmetry with WebAssembly's async APIs. */
export async function wasmKernels(options: Partial<WasmKernelOptions> = {}): Promise<Kernels<Float32Array>> {
  return wasmKernelsSync(options);
}
