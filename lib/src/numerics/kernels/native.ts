/**
 * The optional AVX2 matrix products (lib/native/gemm.cc, built by scripts/build-native.sh into
 * lib/dist/kernels-native.node). They give bitwise the WebAssembly kernels' products (every entry of C is the same
 * sum of the same rounded terms in the same order; tested), ~2x faster, so the WebAssembly backend hands its
 * gemmNN and gemmTN to them when they are there. RNNLAB_NATIVE=0 turns them off (for comparisons).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { wasmModulePath } from './wasm.js';

/** A WebAssembly memory bound to the addon (an opaque handle). */
export type NativeMemory = { readonly __nativeMemory: unique symbol };

export interface NativeGemm {
  /** Binds a (never grown) WebAssembly memory's buffer. */
  memory(buffer: ArrayBuffer): NativeMemory;
  /** C[m×n] = beta·C + A[m×k]·B[k×n]; arrays as byte offsets into the bound memory. */
  gemmNN(memory: NativeMemory, m: number, n: number, k: number, A: number, B: number, beta: number, C: number): void;
  /** C[m×n] = beta·C + A[k×m]ᵀ·B[k×n]. */
  gemmTN(memory: NativeMemory, m: number, n: number, k: number, A: number, B: number, beta: number, C: number): void;
}

/** Where the addon lives, next to kernels.wasm. */
export const nativeModulePath = (): string => join(wasmModulePath(), '..', 'kernels-native.node');

let loaded: NativeGemm | null | undefined;

/** The addon, or null when it is not built, this CPU lacks AVX2, it fails to load, or RNNLAB_NATIVE=0. */
export function nativeGemm(): NativeGemm | null {
  if (process.env.RNNLAB_NATIVE === '0') return null;
  if (loaded === undefined) {
    loaded = null;
    const path = nativeModulePath();
    if (existsSync(path)) {
      try {
        const addon = createRequire(import.meta.url)(path) as { available: boolean } & Partial<NativeGemm>;
        if (addon.available && addon.memory && addon.gemmNN && addon.gemmTN) loaded = addon as NativeGemm;
      } catch {
        loaded = null; // e.g. a file built on another machine: the WebAssembly kernels do the same work
      }
    }
  }
  return loaded;
}
