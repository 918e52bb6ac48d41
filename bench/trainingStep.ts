/**
 * Benchmark (training-engine issue, speed targets): one full training step (forward, BPTT, clipping, SGD with
 * Nesterov momentum) of the timescales RNN at (N = 128, B = 64, T = 50), (N = 500, B = 256, T = 50) and the timescales
 * notebooks' curriculum shape (N = 100, B = 32, T = 32: the mean sequence at N = 12), float32, one thread, for the
 * reference kernels, the WebAssembly SIMD kernels alone and with the AVX2 matrix products (lib/native; the same bits),
 * side by side with PyTorch CPU running the same equations
 * (bench/torch_timescales_step.py) when python3 can import torch; then N = 500 and the curriculum shape on two
 * threads (data-parallel) against PyTorch on two threads.
 * Targets (issue 18): fast path ≤ 1.0× PyTorch at N = 128 and ≤ 1.3× at N = 500 on one thread; ≤ 1.0× at N = 500 on
 * two threads. The curriculum shape has no target: it is what the notebooks' runs cost.
 */
import { median, torchPeer } from './torchPeer.js';
import { bitTaskBatch, clipGradientNorm, createOptimizer, createRnn, DataParallelBptt, referenceKernels, Rng, sweeps, wasmKernelsSync, wasmSimdAvailable, type Kernels, type Rnn } from '../lib/src/index.js';

const SHAPES = [
  { N: 128, B: 64, T: 50, repeats: 11, referenceRepeats: 3, target: 1.0 },
  { N: 500, B: 256, T: 50, repeats: 5, referenceRepeats: 1, target: 1.3 },
  { N: 100, B: 32, T: 32, repeats: 41, referenceRepeats: 5, target: null },
];

/** '0.80 (target <= 1.0: met)'; shapes without a target (the notebooks' curriculum shape) say so. */
const ratioLine = (ratio: number, target: number | null): string =>
  `${ratio.toFixed(2)}${target === null ? ' (no target)' : ` (target <= ${target.toFixed(1)}: ${ratio <= target ? 'met' : 'NOT met'})`}`;

/** ms per full training step, median of `repeats` after one warm-up step (the library's timer, also used by sweeps' --dry-run). */
const timeStep = (N: number, B: number, T: number, kernels: Kernels<Float32Array>, repeats: number): number => 1000 * sweeps.timeTrainingStep(N, B, T, repeats, kernels);

const wasmOnly = wasmSimdAvailable() ? wasmKernelsSync({ maxFloats: 48 * 1024 * 1024, native: false }) : null;
const fast = wasmSimdAvailable() ? wasmKernelsSync({ maxFloats: 48 * 1024 * 1024 }) : null;
console.log(`one training step of the timescales RNN (forward + BPTT + clip + SGD/Nesterov), float32, one thread; fast kernels: ${fast?.name ?? 'none'}`);
for (const { N, B, T, repeats, referenceRepeats, target } of SHAPES) {
  const ref = timeStep(N, B, T, referenceKernels('float32'), referenceRepeats);
  const wasmAlone = wasmOnly && fast && fast.name !== wasmOnly.name ? timeStep(N, B, T, wasmOnly, repeats) : null;
  const wasm = fast ? timeStep(N, B, T, fast, repeats) : null;
  const peer = torchPeer('torch_timescales_step.py', [N, B, T, 1, repeats]);
  console.log(`N = ${N}, batch ${B}, T = ${T}:`);
  console.log(`  reference kernels (TypeScript): ${ref.toFixed(1)} ms/step`);
  if (wasmAlone !== null) console.log(`  WebAssembly SIMD alone (RNNLAB_NATIVE=0): ${wasmAlone.toFixed(1)} ms/step`);
  console.log(`  fast kernels (${fast?.name ?? 'WebAssembly SIMD'}): ${wasm === null ? 'unavailable (no WebAssembly SIMD in this Node)' : `${wasm.toFixed(1)} ms/step`}`);
  if (typeof peer === 'string') console.log(`  ${peer}`);
  else {
    console.log(`  PyTorch CPU (1 thread, BLAS ${peer.blas}): ${peer.ms.toFixed(1)} ms/step`);
    if (/blas\/libblas/.test(peer.blas)) console.log('  (PyTorch is using the reference BLAS; `apt-get install libopenblas0-pthread` makes it ~8x faster)');
    console.log(`  ratio reference / PyTorch = ${(ref / peer.ms).toFixed(2)}`);
    if (wasm !== null) {
      const ratio = wasm / peer.ms;
      console.log(`  ratio fast / PyTorch = ${ratioLine(ratio, target)}`);
    }
  }
}

// Two threads on one run (issue 18): the batch split into 2 chunks, one per thread (DataParallelBptt; the same bits
// as 1 thread with 2 chunks), against PyTorch with 2 threads on the same equations.
function twoThreads(N: number, B: number, T: number, repeats: number, target: number | null): void {
  const model = createRnn({ size: N, readout: { kind: 'heads', heads: 1, classes: 2, from: 'rate' } }, { seed: 1, dtype: 'float32' }) as Rnn<Float32Array>;
  const batch = bitTaskBatch({ task: 'parity', Ns: [2], batchSize: B, hiddenSize: N, steps: T }, Rng.stream(1, 'bench'));
  const engine = new DataParallelBptt(model, B, { chunks: 2, threads: 2, maxSteps: T });
  const opt = createOptimizer({ kind: 'sgd', lr: 0.05, momentum: 0.1, nesterov: true });
  const step = () => {
    const { grads } = engine.gradients(batch);
    clipGradientNorm(grads, 2);
    opt.step(model, grads);
  };
  for (let i = 0; i < 3; i++) step();
  const times = Array.from({ length: repeats }, () => {
    const t0 = performance.now();
    step();
    return performance.now() - t0;
  });
  engine.close();
  const ours = median(times);
  const peer = torchPeer('torch_timescales_step.py', [N, B, T, 2, repeats], 2);
  console.log(`N = ${N}, batch ${B}, T = ${T}, two threads:`);
  console.log(`  fast kernels, data-parallel over 2 threads: ${ours.toFixed(1)} ms/step`);
  if (typeof peer === 'string') console.log(`  ${peer}`);
  else {
    const ratio = ours / peer.ms;
    console.log(`  PyTorch CPU (2 threads): ${peer.ms.toFixed(1)} ms/step`);
    console.log(`  ratio fast / PyTorch = ${ratioLine(ratio, target)}`);
  }
}
twoThreads(500, 256, 50, 5, 1.0);
twoThreads(100, 32, 32, 41, null);
