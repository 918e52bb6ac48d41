/**
 * Benchmark (gated-networks issue): one training step of an LSTM and of a GRU in the timescales study's LSTM set-up
 * (heads on h_T, cross-entropy, BPTT, global-norm clipping at 2, Adam lr 1e-3) at H = 128, batch 64, T = 50, one
 * thread: the float32 WebAssembly path and the float64 definition, side by side with PyTorch CPU's nn.LSTM / nn.GRU
 * on the same shapes (bench/torch_lstm_step.py) when python3 can import torch. Target: float32 ≤ 1.0× PyTorch.
 */
import { torchPeer } from './torchPeer.js';
import { fastKernels, sweeps } from '../lib/src/index.js';

const H = 128;
const B = 64;
const T = 50;
const REPEATS = 11;
/** The float32 backend the step runs on (its matrix products in the AVX2 addon where it is built). */
const BACKEND = fastKernels({ maxFloats: 16 }).name;

console.log(`one training step of a gated network (forward + BPTT + clip + Adam), H = ${H}, batch ${B}, T = ${T}, one thread`);
for (const cell of ['lstm', 'gru'] as const) {
  const fast = 1000 * sweeps.timeGatedStep(cell, H, B, T, REPEATS, 'float32');
  const definition = 1000 * sweeps.timeGatedStep(cell, H, B, T, 1, 'float64');
  const peer = torchPeer('torch_lstm_step.py', [cell, H, B, T, 1, REPEATS]);
  console.log(`${cell.toUpperCase()}:`);
  console.log(`  float64 definition (TypeScript, sample by sample): ${definition.toFixed(0)} ms/step`);
  console.log(`  float32 (${BACKEND}): ${fast.toFixed(1)} ms/step`);
  if (typeof peer === 'string') console.log(`  ${peer}`);
  else {
    console.log(`  PyTorch CPU nn.${cell === 'lstm' ? 'LSTM' : 'GRU'} (1 thread, BLAS ${peer.blas}): ${peer.ms.toFixed(1)} ms/step`);
    const ratio = fast / peer.ms;
    console.log(`  ratio float32 / PyTorch = ${ratio.toFixed(2)} (target <= 1.0: ${ratio <= 1 ? 'met' : 'NOT met'})`);
  }
}
