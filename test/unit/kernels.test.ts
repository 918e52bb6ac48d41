import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, referenceKernels, wasmKernelsSync, wasmSimdAvailable, type Kernels } from '../../lib/src/index.js';

const ref = referenceKernels('float32');

/** Fills a backend-owned array with seeded values. */
function filled(k: Kernels<Float32Array>, n: number, rng: Rng): Float32Array {
  const a = k.alloc(n);
  for (let i = 0; i < n; i++) a[i] = rng.normal();
  return a;
}

type Op = 'gemmNN' | 'gemmNT' | 'gemmTN';
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [3, 5, 7], [13, 17, 19], [4, 8, 3], [5, 9, 0], [64, 128, 128], [7, 3, 33], [9, 12, 2],
];

test('WebAssembly SIMD kernels are available (built by setup)', () => {
  assert.ok(wasmSimdAvailable(), 'lib/dist/kernels.wasm should exist and compile');
});

test('WebAssembly SIMD kernels equal the float32 reference to 1e-5 relative, for every layout, shape and beta', () => {
  // The module's own products (the AVX2 addon's are pinned bitwise to these in nativeKernels.test.ts).
  const wasm = wasmKernelsSync({ maxFloats: 1 << 20, native: false });
  const rng = Rng.stream(1, 'kernels');
  for (const op of ['gemmNN', 'gemmNT', 'gemmTN'] as Op[]) {
    for (const [m, n, k] of SHAPES) {
      for (const beta of [0, 1, 0.5]) {
        const offset = 3; // subarray views at an unaligned offset
        const aLen = m * k + offset;
        const bLen = n * k + offset;
        const A = filled(wasm, aLen, rng);
        const B = filled(wasm, bLen, rng);
        const C = filled(wasm, m * n + offset, rng);
        const [Ar, Br, Cr] = [Float32Array.from(A), Float32Array.from(B), Float32Array.from(C)];
        const sub = (x: Float32Array) => x.subarray(offset);
        wasm[op](m, n, k, sub(A), sub(B), beta, sub(C));
        ref[op](m, n, k, sub(Ar), sub(Br), beta, sub(Cr));
        let diff = 0;
        let scale = 0;
        for (let i = 0; i < C.length; i++) {
          diff = Math.max(diff, Math.abs(C[i] - Cr[i]));
          scale = Math.max(scale, Math.abs(Cr[i]));
        }
        assert.ok(diff <= 1e-5 * Math.max(scale, 1e-30), `${op} ${m}×${n}×${k} beta ${beta}: max diff ${diff} (scale ${scale})`);
        for (let i = 0; i < offset; i++) assert.equal(C[i], Cr[i], `${op}: wrote before the view`);
      }
    }
  }
});

test('WebAssembly kernels reject arrays they did not allocate, and name maxFloats when the arena is full', () => {
  const wasm = wasmKernelsSync({ maxFloats: 1000 });
  const a = wasm.alloc(4);
  assert.throws(() => wasm.gemmNN(2, 2, 1, new Float32Array(2), a, 0, a), /not allocated by this backend/);
  assert.throws(() => wasm.alloc(5000), /maxFloats/);
  const other = wasmKernelsSync({ maxFloats: 1000 });
  assert.throws(() => other.gemmNN(2, 2, 1, a, a, 0, a), /not allocated by this backend/);
});

test('fused timescales-RNN steps and addInPlace: WebAssembly equals the reference to 1e-5 relative', () => {
  const wasm = wasmKernelsSync({ maxFloats: 1 << 20 });
  const rng = Rng.stream(2, 'fused');
  for (const [B, N] of [[3, 7], [4, 16], [5, 130]]) {
    const names = ['z', 'bias', 'a', 'c', 'sPrev', 'p', 's', 'lam', 'dtf', 'dz', 'tauStep', 'lamPrev'] as const;
    const sizes: Record<string, number> = { bias: N, a: N, c: N, dtf: N, tauStep: N };
    const w: Record<string, Float32Array> = {};
    const r: Record<string, Float32Array> = {};
    for (const name of names) {
      w[name] = filled(wasm, sizes[name] ?? B * N, rng);
      r[name] = Float32Array.from(w[name]);
    }
    for (const [k, x] of [[wasm, w], [ref, r]] as const) {
      k.leakyInsideForward(B, N, x.z, x.bias, x.a, x.c, x.sPrev, x.p, x.s);
      k.leakyInsideBackward(B, N, x.lam, x.p, x.sPrev, x.z, x.a, x.c, x.dtf, x.dz, x.tauStep, x.lamPrev);
      k.addInPlace(B * N, x.dz, x.lam);
    }
    for (const name of names) {
      const scale = Math.max(...r[name].map(Math.abs));
      const diff = Math.max(...w[name].map((v, i) => Math.abs(v - r[name][i])));
      assert.ok(diff <= 1e-5 * scale, `${name} (B ${B}, N ${N}): diff ${diff}, scale ${scale}`);
    }
  }
});

test('large gemmTN (transposed panels) is bitwise the row-major product of the transposed A, at every beta and a ragged last panel', { skip: !wasmSimdAvailable() && 'no WebAssembly SIMD' }, () => {
  const k = wasmKernelsSync({ maxFloats: 8 * 1024 * 1024, native: false });
  for (const [m, n, kk] of [[256, 256, 1024], [300, 260, 2500]]) {
    const A = k.alloc(kk * m);
    const B = k.alloc(kk * n);
    for (let i = 0; i < A.length; i++) A[i] = Math.sin(0.37 * i);
    for (let i = 0; i < B.length; i++) B[i] = Math.cos(0.11 * i);
    const At = k.alloc(m * kk);
    for (let p = 0; p < kk; p++) for (let i = 0; i < m; i++) At[i * kk + p] = A[p * m + i];
    for (const beta of [0, 1, 0.5]) {
      const C1 = k.alloc(m * n);
      const C2 = k.alloc(m * n);
      C1.fill(0.25);
      C2.fill(0.25);
      k.gemmTN(m, n, kk, A, B, beta, C1);
      k.gemmNN(m, n, kk, At, B, beta, C2);
      assert.deepEqual(C1, C2, `${m} × ${n} × ${kk}, beta ${beta}`);
    }
  }
});
