/** Summary statistics of plain arrays: medians and means that skip or propagate NaN, correlations. */
import { ParameterError } from './validate.js';

/** Median (the mean of the two middle values for an even count). */
export function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
}

/** Median of the finite entries (NaN, e.g. an undefined mismatch, is skipped); NaN when there are none. */
export function finiteMedian(values: ArrayLike<number>): number {
  const finite = Array.from(values).filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : median(finite);
}

/** Plain mean (NaN for an empty list; a NaN entry propagates, unlike finiteMean). */
export function arrayMean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : Number.NaN;
}

/** Mean of the finite entries of xs[from..to) (NaN if none). */
export function finiteMean(xs: ArrayLike<number>, from = 0, to = xs.length): number {
  let s = 0;
  let c = 0;
  for (let i = from; i < Math.min(to, xs.length); i++) {
    if (Number.isFinite(xs[i])) {
      s += xs[i];
      c++;
    }
  }
  return c ? s / c : Number.NaN;
}

/** Pearson correlation of two equally long arrays. */
export function centredCorrelation(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new ParameterError('b', `length ${b.length} differs from a's length ${a.length}`);
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= a.length;
  mb /= b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** Spearman rank correlation. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new ParameterError('y', `length ${y.length} differs from x's length ${x.length}`);
  const rank = (v: ArrayLike<number>) => {
    const idx = Array.from({ length: v.length }, (_, i) => i).sort((a, b) => v[a] - v[b]);
    const r = new Float64Array(v.length);
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
      for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  return centredCorrelation(rank(x), rank(y));
}

/** Least-squares slope of y on x (NaN with fewer than two distinct x): "how much y grows per unit of x". */
export function olsSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new ParameterError('y', `expected ${x.length} values (one per x), got ${y.length}`);
  const mx = arrayMean(x);
  const my = arrayMean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  return sxx > 0 ? sxy / sxx : Number.NaN;
}

/** Minimum, quartiles (nearest rank), median and maximum of the finite entries (NaN for each when there are none). */
export function quartiles(values: ArrayLike<number>): { min: number; q25: number; median: number; q75: number; max: number } {
  const v = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { min: Number.NaN, q25: Number.NaN, median: Number.NaN, q75: Number.NaN, max: Number.NaN };
  const at = (q: number) => v[Math.min(v.length - 1, Math.floor(q * (v.length - 1) + 0.5))];
  return { min: v[0], q25: at(0.25), median: median(v), q75: at(0.75), max: v[v.length - 1] };
}
