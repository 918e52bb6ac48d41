/**
 * Dominant frequency of a sampled signal (Beer & Barak papers/beer-barak-2019/README.md, claim B6(c)): the peak of the power spectrum, computed with
 * fft.js on the mean-removed signal zero-padded to 4x the next power of two, refined by a parabola through the peak
 * bin and its neighbours (log power), which makes the estimate accurate to well below one raw bin.
 */
import FFT from 'fft.js';
import { checkNumber, ParameterError } from './validate.js';

/** Angular frequency (rad per unit time) of the strongest spectral peak of `signal` sampled every `dt`. */
export function dominantFrequency(signal: ArrayLike<number>, dt: number): number {
  checkNumber('dt', dt, { min: 0, exclusiveMin: true });
  if (signal.length < 4) throw new ParameterError('signal', `needs at least 4 samples, got ${signal.length}`);
  let size = 1;
  while (size < signal.length) size *= 2;
  size *= 4;
  let mean = 0;
  for (let i = 0; i < signal.length; i++) mean += signal[i];
  mean /= signal.length;
  const input = new Array<number>(size).fill(0);
  for (let i = 0; i < signal.length; i++) input[i] = signal[i] - mean;
  const fft = new FFT(size);
  const out = fft.createComplexArray() as number[];
  fft.realTransform(out, input);
  const power = (k: number) => out[2 * k] ** 2 + out[2 * k + 1] ** 2;
  let best = 1;
  for (let k = 2; k < size / 2; k++) if (power(k) > power(best)) best = k;
  let offset = 0;
  if (best > 1 && best < size / 2 - 1) {
    const [a, b, c] = [power(best - 1), power(best), power(best + 1)].map((p) => Math.log(p + 1e-300));
    const denom = a - 2 * b + c;
    if (denom < 0) offset = (0.5 * (a - c)) / denom;
  }
  return (2 * Math.PI * (best + offset)) / (size * dt);
}
