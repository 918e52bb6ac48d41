import { firstNonFinite, ParameterError } from './validate.js';

/** The inputs of a trailing smoother: an array of finite numbers and an integer window ≥ 1. */
function checkSmoothing(xs: ArrayLike<number>, window: number): void {
  if (!Number.isInteger(window) || window < 1) throw new ParameterError('window', `must be an integer >= 1, got ${window}`);
  if (!xs || typeof xs.length !== 'number') throw new ParameterError('xs', 'expected an array of numbers');
  const bad = firstNonFinite(xs);
  if (bad >= 0) throw new ParameterError('xs', `entry ${bad} is not finite (${xs[bad]})`);
}

/** Trailing moving average: out[i] = mean of xs[max(0, i − window + 1) … i] (for noisy per-step training curves). */
export function movingAverage(xs: ArrayLike<number>, window: number): Float64Array {
  // A running sum never recovers from NaN or Infinity (it would smear it over the rest of the curve): refused.
  checkSmoothing(xs, window);
  const out = new Float64Array(xs.length);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i];
    if (i >= window) sum -= xs[i - window];
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}

/**
 * Trailing moving median: out[i] = median of xs[max(0, i − window + 1) … i]. For curves on a log axis that flicker
 * over decades (a mean is dominated by the spikes; the median follows the level). O(n · window · log window): these
 * curves have at most a few thousand points.
 */
export function movingMedian(xs: ArrayLike<number>, window: number): Float64Array {
  checkSmoothing(xs, window);
  const out = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    const w = Array.from({ length: Math.min(i + 1, window) }, (_, k) => xs[i - k]).sort((a, b) => a - b);
    const m = w.length >> 1;
    out[i] = w.length % 2 ? w[m] : 0.5 * (w[m - 1] + w[m]);
  }
  return out;
}
