/**
 * The network-mediated timescale τ_net of a trained RNN (README §5.2): drive it with random bits, take every
 * neuron's unbiased autocorrelation averaged over trials (lags 0–199, normalised by lag 0), fit lags 0–30 with one and
 * two exponentials, choose by AIC, and keep the finite values above 1.
 */
import { autocorrelation, estimateTimescale } from '../../analysis/timescales.js';
import type { Rnn } from '../../dynamics/rnn/model.js';
import { drivenStates } from '../../dynamics/rnn/simulate.js';
import { checkInteger } from '../../numerics/validate.js';

export interface NetworkTimescaleOptions {
  steps: number;
  trials: number;
  discard: number;
  seed: number;
}

export function networkTimescale(model: Rnn, o: NetworkTimescaleOptions): { perNeuron: Float64Array; mean: number; std: number; kept: number } {
  checkInteger('trials', o.trials, { min: 1 });
  const N = model.config.size;
  const L = o.steps - o.discard;
  const maxLag = Math.min(199, L - 1);
  const ac = new Float64Array(N * (maxLag + 1));
  const column = new Float64Array(L);
  for (let k = 0; k < o.trials; k++) {
    const states = drivenStates(model, { steps: o.steps, discard: o.discard, seed: `${o.seed}/${k}` });
    for (let i = 0; i < N; i++) {
      for (let t = 0; t < L; t++) column[t] = states[t * N + i];
      const a = autocorrelation(column, maxLag);
      for (let l = 0; l <= maxLag; l++) ac[i * (maxLag + 1) + l] += a[l] / o.trials;
    }
  }
  const perNeuron = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    const row = ac.subarray(i * (maxLag + 1), (i + 1) * (maxLag + 1));
    const a0 = row[0];
    // A silent neuron (zero variance) has no autocorrelation: its τ_net is undefined.
    perNeuron[i] = a0 > 1e-20 ? estimateTimescale(Array.from(row, (v) => v / a0)).tau : Number.NaN;
  }
  const kept = Array.from(perNeuron).filter((t) => Number.isFinite(t) && t > 1);
  const mean = kept.length ? kept.reduce((a, b) => a + b, 0) / kept.length : Number.NaN;
  const std = kept.length ? Math.sqrt(kept.reduce((a, b) => a + (b - mean) ** 2, 0) / kept.length) : Number.NaN;
  return { perNeuron, mean, std, kept: kept.length };
}
