/**
 * Seeded randomness. Every random draw in the library goes through `Rng` (seedrandom's Alea generator,
 * chosen for speed and a 2^116 period). Independent streams are derived from a seed plus a label, so that
 * e.g. the connectivity of a network does not change when an unrelated draw (trial order) is added, and so
 * that runs on worker threads reproduce a serial run exactly.
 */
import seedrandom from 'seedrandom';
import { checkInteger, checkNumber, ParameterError } from './validate.js';

export type Seed = number | string;

/** A seed option is an integer or a string; `name` is the option as the user wrote it (noiseSeed, networkSeeds[2]). */
export function checkSeed(name: string, seed: unknown): Seed {
  if (typeof seed === 'number') return checkInteger(name, seed);
  if (typeof seed !== 'string') throw new ParameterError(name, `must be an integer or a string, got ${seed === null ? 'null' : typeof seed}`);
  return seed;
}

/** Where a stream stands: its key, Alea's internal registers and the Gaussian kept back by Box–Muller (JSON-safe). */
export interface RngState {
  key: string;
  alea: seedrandom.State.Alea;
  spareNormal: number | null;
}

export class Rng {
  /** Alea with its state exposed (`next.state()`), so that checkpoints can save where the stream stands. */
  private readonly next: seedrandom.StatefulPRNG<seedrandom.State.Alea>;
  private spareNormal: number | null = null;

  /**
   * `key` identifies the stream: the same key always yields the same sequence. `state` (from `state()`) resumes a
   * stream where it stood, so that a checkpointed computation continues with exactly the draws it would have made.
   */
  constructor(readonly key: string, state?: RngState) {
    if (state && state.key !== key) throw new ParameterError('state.key', `belongs to stream '${state.key}', not '${key}'`);
    this.next = seedrandom.alea(key, { state: state ? { ...state.alea } : true });
    if (state) this.spareNormal = state.spareNormal;
  }

  /** A copy of the stream's state, for checkpoints (`Rng.fromState` resumes it). */
  state(): RngState {
    return { key: this.key, alea: this.next.state(), spareNormal: this.spareNormal };
  }

  static fromState(state: RngState): Rng {
    if (!state || typeof state.key !== 'string' || !state.alea) throw new ParameterError('state', 'must be an object returned by Rng.state()');
    return new Rng(state.key, state);
  }

  /** The stream for `label` derived from `seed`: `Rng.stream(1, 'J')` and `Rng.stream(1, 'trials')` are independent. */
  static stream(seed: Seed, label: string): Rng {
    checkSeed('seed', seed);
    return new Rng(`${seed}/${label}`);
  }

  /** A sub-stream of this stream, e.g. one per trial or per worker. */
  child(label: string | number): Rng {
    return new Rng(`${this.key}/${label}`);
  }

  /** Uniform on [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Gaussian by the Box–Muller transform (the second variate is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    const u1 = 1 - this.next(); // in (0, 1], so log(u1) is finite
    const u2 = this.next();
    const radius = Math.sqrt(-2 * Math.log(u1));
    this.spareNormal = radius * Math.sin(2 * Math.PI * u2);
    return mean + sd * radius * Math.cos(2 * Math.PI * u2);
  }

  /** Integer uniform on [lo, hiExclusive). */
  int(lo: number, hiExclusive: number): number {
    checkInteger('lo', lo);
    checkInteger('hiExclusive', hiExclusive, { min: lo + 1 });
    return lo + Math.floor(this.next() * (hiExclusive - lo));
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    checkNumber('p', p, { min: 0, max: 1 });
    return this.next() < p;
  }

  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new ParameterError('items', 'cannot choose from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Fisher–Yates shuffle in place; returns its argument. */
  shuffle<T extends { length: number; [i: number]: any }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    checkInteger('n', n, { min: 0 });
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  fillUniform(out: Float64Array, lo = 0, hi = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = lo + (hi - lo) * this.next();
    return out;
  }

  fillNormal(out: Float64Array, mean = 0, sd = 1): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, sd);
    return out;
  }

  uniformArray(n: number, lo = 0, hi = 1): Float64Array {
    return this.fillUniform(new Float64Array(checkInteger('n', n, { min: 0 })), lo, hi);
  }

  normalArray(n: number, mean = 0, sd = 1): Float64Array {
    return this.fillNormal(new Float64Array(checkInteger('n', n, { min: 0 })), mean, sd);
  }
}
