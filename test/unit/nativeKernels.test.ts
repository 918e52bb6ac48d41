// The optional AVX2 matrix products (lib/native/gemm.cc): built where they can be, and bitwise the WebAssembly
// kernels' products, so that a run gives the same numbers with or without them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Rng, ParameterError, nativeGemm, wasmKernelsSync, type Kernels } from '../../lib/src/index.js';
import { trainCurriculum } from '../../lib/src/papers/timescales-curriculum-2024/index.js';

const hasCompiler = (): boolean => {
  try {
    execFileSync('g++', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const cpuHasAvx2 = (): boolean => {
  try {
    return /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return false;
  }
};
const canBuild = process.arch === 'x64' && process.platform === 'linux' && cpuHasAvx2() && hasCompiler();
const addon = nativeGemm();
const skip = addon === null ? 'the AVX2 addon is not built here' : false;

test('the AVX2 addon is built and loads wherever it can be (x86-64 Linux with AVX2 and g++)', { skip: !canBuild && 'not an x86-64 Linux machine with AVX2 and g++' }, () => {
  assert.ok(addon, 'scripts/build-native.sh (run by setup) should have built lib/dist/kernels-native.node');
  assert.equal(wasmKernelsSync({ maxFloats: 16 }).name, 'wasm-simd+avx2');
  assert.equal(wasmKernelsSync({ maxFloats: 16, native: false }).name, 'wasm-simd');
});

/** Same values in two backends' arrays. */
function pair(a: Kernels<Float32Array>, b: Kernels<Float32Array>, n: number, value: (i: number) => number): [Float32Array, Float32Array] {
  const x = a.alloc(n);
  const y = b.alloc(n);
  for (let i = 0; i < n; i++) x[i] = y[i] = value(i);
  return [x, y];
}

const bits = (x: Float32Array) => new Uint32Array(x.buffer, x.byteOffset, x.length);

test('AVX2 products are bitwise the WebAssembly products: every layout, ragged shapes around the 6 × 16 tile and the 128 block, beta, views', { skip }, () => {
  const native = wasmKernelsSync({ maxFloats: 1 << 22 });
  const wasm = wasmKernelsSync({ maxFloats: 1 << 22, native: false });
  const rng = Rng.stream(5, 'native-kernels');
  // Values with exact zeros of both signs, subnormal products and a wide range of magnitudes.
  const value = (i: number) => (i % 23 === 0 ? 0 : i % 29 === 0 ? -0 : i % 31 === 0 ? 1e-20 * rng.normal() : rng.normal() * 10 ** (Math.floor(rng.uniform() * 6) - 3));
  const shapes: [number, number, number][] = [
    [1, 1, 1], [5, 7, 3], [6, 16, 128], [7, 17, 129], [12, 33, 255], [13, 100, 100], [32, 100, 100], [3, 9, 0], [0, 4, 4], [4, 0, 5], [61, 35, 257], [2, 8, 1], [11, 24, 384],
  ];
  for (const op of ['gemmNN', 'gemmTN', 'gemmNT'] as const) {
    for (const [m, n, k] of shapes) {
      for (const beta of [0, 1, 0.5, -2]) {
        const off = 3; // views at an offset that is not a multiple of 16 bytes
        const [A1, A2] = pair(wasm, native, m * k + off, value);
        const [B1, B2] = pair(wasm, native, k * n + off, value);
        const [C1, C2] = pair(wasm, native, m * n + off, (i) => (beta === 0 && i >= off ? Number.NaN : value(i)));
        wasm[op](m, n, k, A1.subarray(off), B1.subarray(off), beta, C1.subarray(off));
        native[op](m, n, k, A2.subarray(off), B2.subarray(off), beta, C2.subarray(off));
        assert.deepEqual(bits(C2), bits(C1), `${op} ${m}×${n}×${k}, beta ${beta}`);
      }
    }
  }
});

test('a curriculum run gives bitwise the same run with and without the addon (tiles with ragged rows and columns)', { skip }, () => {
  const options = { size: 20, batchSize: 18, stepsPerEpoch: 25, testBatches: 2, heads: 6, maxSteps: 400, targetN: 4, seed: 2, curriculum: 'multi' as const };
  const strip = (run: ReturnType<typeof trainCurriculum>) => JSON.stringify({ ...run, wallSeconds: 0 });
  const a = trainCurriculum(options, wasmKernelsSync({ maxFloats: 1 << 21 }));
  const b = trainCurriculum(options, wasmKernelsSync({ maxFloats: 1 << 21, native: false }));
  assert.ok(a.stepsDone > 0);
  assert.equal(strip(a), strip(b));
});

test('the addon checks its arguments (no read or write outside the memory); the backend names a bad `native`', { skip }, () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
  const handle = addon!.memory(memory.buffer);
  const cases: [string, () => void, RegExp][] = [
    ['A past the end', () => addon!.gemmNN(handle, 4, 4, 4, 65536 - 32, 0, 0, 0), /outside the memory/],
    ['C at a negative offset', () => addon!.gemmTN(handle, 2, 2, 2, 0, 0, 0, -16), /outside the memory/],
    ['misaligned offset', () => addon!.gemmNN(handle, 2, 2, 2, 2, 0, 0, 64), /outside the memory/],
    ['negative size', () => addon!.gemmNN(handle, -1, 2, 2, 0, 0, 0, 0), /m, n, k/],
    ['not a handle', () => addon!.gemmNN({} as never, 1, 1, 1, 0, 0, 0, 0), /memory handle/],
    ['too few arguments', () => (addon!.gemmNN as unknown as (...a: unknown[]) => void)(handle, 1, 1), /8 arguments/],
    ['not a buffer', () => addon!.memory(new Float32Array(4) as never), /ArrayBuffer/],
  ];
  for (const [name, call, message] of cases) assert.throws(call, message, name);
  assert.throws(() => wasmKernelsSync({ maxFloats: 16, native: 'yes' as never }), (e: unknown) => e instanceof ParameterError && /native/.test(e.message));
});
