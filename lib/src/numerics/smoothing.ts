/** Trailing moving average: out[i] = mean of xs[max(0, i − window + 1) … i] (for noisy per-step training curves). */
export function movingAverage(xs: ArrayLike<number>, window: number): Float64Array {
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`window: must be an integer >= 1, got ${window}`);
  const out = new Float64Array(xs.length);
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i];
    if (i >= window) sum -= xs[i - window];
    out[i] = sum / Math.min(i + 1, window);
  }
  return out;
}
