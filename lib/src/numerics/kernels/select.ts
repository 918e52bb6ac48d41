/** Picks the fastest available float32 backend: WebAssembly SIMD when built and supported, else the reference. */
import { referenceKernels } from './reference.js';
import type { Kernels } from './types.js';
import { wasmKernelsSync, wasmSimdAvailable, type WasmKernelOptions } from './wasm.js';

export function fastKernels(options: Partial<WasmKernelOptions> = {}): Kernels<Float32Array> {
  return wasmSimdAvailable() ? wasmKernelsSync(options) : referenceKernels('float32');
}
