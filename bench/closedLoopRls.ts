/**
 * Benchmark (issue: FORCE/LMS study, speed target): one closed-loop Euler step of the feedback network with an RLS
 * update every step, at N = 500, in the library (WebAssembly f64x2 kernels for J r and RLS) and in NumPy (the peer a user would otherwise
 * pick), both on one thread. The target: ours at least as fast as NumPy. Run with `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOnlineRule, createRateNetwork, applyConnectivity, initialState } from '../lib/src/index.js';

const N = 500;
const STEPS = 1000;
const REPEATS = 5;

/** The same step as trainMemoryClosedLoop's inner loop, with the rule applied every step. */
function ours(): number {
  const net = createRateNetwork({ n: N, g: 1.2, feedback: true, nInputs: 1, dt: 0.05, seed: 1 });
  const rule = createOnlineRule({ rule: 'rls', n: N });
  const x = initialState(N, { seed: 1 });
  const w = new Float64Array(N);
  const r = new Float64Array(N);
  const drive = new Float64Array(N);
  const wFb = net.wFb!;
  const step = () => {
    let z = 0;
    for (let i = 0; i < N; i++) {
      r[i] = Math.tanh(x[i]);
      z += w[i] * r[i];
    }
    rule.update(w, r, z - 1);
    applyConnectivity(net.J, r, drive);
    for (let i = 0; i < N; i++) x[i] += 0.05 * (drive[i] + wFb[i] * z - x[i]);
  };
  for (let s = 0; s < 200; s++) step(); // warm-up (JIT)
  return medianOf(REPEATS, () => {
    const t0 = performance.now();
    for (let s = 0; s < STEPS; s++) step();
    return (performance.now() - t0) / STEPS;
  });
}

/** Median of `repeats` timings: robust to a noisy neighbour on a shared machine. */
function medianOf(repeats: number, f: () => number): number {
  const t = Array.from({ length: repeats }, f).sort((a, b) => a - b);
  return t[repeats >> 1];
}

function numpyPeer(): { ms_per_step: number; numpy: string } | string {
  const script = join(dirname(fileURLToPath(import.meta.url)), 'closed_loop_rls_numpy.py');
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
  for (const python of ['/usr/bin/python3', 'python3']) {
    const run = spawnSync(python, [script, String(N), String(STEPS), String(REPEATS)], { encoding: 'utf8', env });
    if (run.status === 0) return JSON.parse(run.stdout.trim().split('\n').pop()!);
  }
  return 'NumPy not available (python3 cannot import numpy): install python3-numpy to compare';
}

const msOurs = ours();
const peer = numpyPeer();
console.log(`closed-loop step + RLS update every step, N = ${N}; median of ${REPEATS} runs of ${STEPS} steps; one thread`);
console.log(`  @rnnlab/lib (float64; J r and the RLS update in WebAssembly SIMD when built): ${msOurs.toFixed(3)} ms/step`);
if (typeof peer === 'string') {
  console.log(`  NumPy: ${peer}`);
} else {
  const ratio = msOurs / peer.ms_per_step;
  console.log(`  NumPy ${peer.numpy} (OpenBLAS, 1 thread): ${peer.ms_per_step.toFixed(3)} ms/step`);
  console.log(`  ratio ours / NumPy = ${ratio.toFixed(2)} (target <= 1.0: ${ratio <= 1 ? 'met' : 'NOT met'})`);
}
