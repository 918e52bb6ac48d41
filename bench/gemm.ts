/**
 * Kernel micro-benchmark: GFLOP/s of the reference and WebAssembly SIMD matrix products at the shapes one BPTT
 * step of the timescales model uses (per-step products r·Wᵀ and δz·W; the weight gradient over all T·B rows).
 * Run with `node --import tsx bench/gemm.ts`.
 */
import { Rng, referenceKernels, wasmKernelsSync, type Kernels } from '../lib/src/index.js';

const CASES: { label: string; op: 'gemmNN' | 'gemmTN' | 'gemmNT'; m: number; n: number; k: number }[] = [
  { label: 'per step, N = 128, B = 64', op: 'gemmNN', m: 64, n: 128, k: 128 },
  { label: 'weight gradient, N = 128, T·B = 3200', op: 'gemmTN', m: 128, n: 128, k: 3200 },
  { label: 'per step, N = 500, B = 256', op: 'gemmNN', m: 256, n: 500, k: 500 },
  { label: 'weight gradient, N = 500, T·B = 12800', op: 'gemmTN', m: 500, n: 500, k: 12800 },
  { label: 'readout-style A·Bᵀ, 64 × 128 × 128', op: 'gemmNT', m: 64, n: 128, k: 128 },
];

function gflops(k: Kernels<Float32Array>, c: (typeof CASES)[number], budgetMs: number): number {
  const rng = Rng.stream(1, 'gemm-bench');
  const fill = (n: number) => {
    const a = k.alloc(n);
    for (let i = 0; i < n; i++) a[i] = rng.normal();
    return a;
  };
  const A = fill(c.m * c.k);
  const B = fill(c.k * c.n);
  const C = fill(c.m * c.n);
  k[c.op](c.m, c.n, c.k, A, B, 0, C);
  let reps = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) {
    k[c.op](c.m, c.n, c.k, A, B, 0, C);
    reps++;
  }
  const s = (performance.now() - t0) / 1000;
  return (2 * c.m * c.n * c.k * reps) / s / 1e9;
}

const wasm = wasmKernelsSync({ maxFloats: 24 * 1024 * 1024, native: false });
const native = wasmKernelsSync({ maxFloats: 24 * 1024 * 1024 });
const ref = referenceKernels('float32');
console.log('GFLOP/s, one thread (float32)');
for (const c of CASES) {
  const avx2 = native.name === wasm.name ? 'AVX2 addon not built' : `${native.name} ${gflops(native, c, 400).toFixed(1)}`;
  console.log(`  ${c.op} ${c.m}×${c.n}×${c.k} (${c.label}): reference ${gflops(ref, c, 400).toFixed(1)}, wasm-simd ${gflops(wasm, c, 400).toFixed(1)}, ${avx2}`);
}
