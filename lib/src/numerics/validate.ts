/**
 * Parameter validation. Every public entry point checks its options with these helpers so that a bad value
 * fails early with a message naming the parameter and the allowed range, instead of producing NaN later.
 */

export class ParameterError extends RangeError {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
    this.name = 'ParameterError';
  }
}

export interface RangeSpec {
  /** Smallest allowed value (inclusive unless `exclusiveMin`). */
  min?: number;
  /** Largest allowed value (inclusive unless `exclusiveMax`). */
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
}

function describeRange(range: RangeSpec): string {
  const lo = range.min === undefined ? '(-inf' : `${range.exclusiveMin ? '(' : '['}${range.min}`;
  const hi = range.max === undefined ? 'inf)' : `${range.max}${range.exclusiveMax ? ')' : ']'}`;
  return `${lo}, ${hi}`;
}

/** A finite number within `range`; returns it for chaining. */
export function checkNumber(name: string, value: unknown, range: RangeSpec = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ParameterError(name, `expected a finite number in ${describeRange(range)}, got ${String(value)}`);
  }
  const { min, max, exclusiveMin, exclusiveMax } = range;
  const belowMin = min !== undefined && (exclusiveMin ? value <= min : value < min);
  const aboveMax = max !== undefined && (exclusiveMax ? value >= max : value > max);
  if (belowMin || aboveMax) {
    throw new ParameterError(name, `must lie in ${describeRange(range)}, got ${value}`);
  }
  return value;
}

/** An integer within `range`. */
export function checkInteger(name: string, value: unknown, range: RangeSpec = {}): number {
  checkNumber(name, value, range);
  if (!Number.isInteger(value)) {
    throw new ParameterError(name, `must be an integer in ${describeRange(range)}, got ${String(value)}`);
  }
  return value as number;
}

/** One of a fixed set of strings. */
export function checkChoice<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ParameterError(name, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${String(value)}`);
  }
  return value as T;
}

/** A typed array of exactly `length` entries, all finite. */
export function checkVector(name: string, value: unknown, length: number): Float64Array {
  if (!(value instanceof Float64Array)) {
    throw new ParameterError(name, `expected a Float64Array of length ${length}`);
  }
  if (value.length !== length) {
    throw new ParameterError(name, `expected length ${length}, got ${value.length}`);
  }
  for (let i = 0; i < value.length; i++) {
    if (!Number.isFinite(value[i])) {
      throw new ParameterError(name, `entry ${i} is not finite (${value[i]})`);
    }
  }
  return value;
}

/** Rejects option keys that are not in `defaults`: a misspelt option should not be silently ignored. */
export function checkKnownKeys(component: string, options: object, defaults: object): void {
  for (const key of Object.keys(options)) {
    if (!(key in defaults)) {
      throw new ParameterError(
        `${component}.${key}`,
        `unknown option; known options are ${Object.keys(defaults).join(', ')}`,
      );
    }
  }
}

/** An options argument must be a plain object (not null, an array, a number or a string). */
export function checkOptionsObject(name: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ParameterError(name, `expected an options object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
}

/** Merges user options over a component's DEFAULTS after rejecting unknown keys. */
export function withDefaults<T extends object>(component: string, defaults: T, options: Partial<T> = {}): T {
  checkOptionsObject(component, options);
  checkKnownKeys(component, options, defaults);
  // An option whose default is a boolean must be one: 'no' or 0 would otherwise count as true or false by accident.
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined && typeof (defaults as Record<string, unknown>)[k] === 'boolean' && typeof v !== 'boolean') {
      throw new ParameterError(`${component}.${k}`, `must be true or false, got ${JSON.stringify(v)}`);
    }
  }
  const merged = { ...defaults } as T;
  for (const [k, v] of Object.entries(options)) {
    if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
  }
  return merged;
}

/**
 * Checks that `value` has the shape of `reference` (a study's scale object): the same keys, nothing misspelt or missing,
 * finite numbers where it has numbers, arrays of finite numbers where it has those, nested objects alike. A scale is
 * written by hand in a notebook cell, and `{ stepA: 100 }` must not run the study with a default.
 */
export function checkLike(name: string, value: unknown, reference: unknown): void {
  if (typeof reference === 'number') {
    checkNumber(name, value);
  } else if (typeof reference === 'string' || typeof reference === 'boolean') {
    if (typeof value !== typeof reference) throw new ParameterError(name, `expected a ${typeof reference}, got ${value === null ? 'null' : typeof value}`);
  } else if (Array.isArray(reference)) {
    if (!Array.isArray(value)) throw new ParameterError(name, `expected an array, got ${value === null ? 'null' : typeof value}`);
    if (reference.length > 0) value.forEach((v, i) => checkLike(`${name}[${i}]`, v, reference[0]));
  } else if (reference !== null && typeof reference === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ParameterError(name, `expected an object like { ${Object.keys(reference).join(', ')} }, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
    checkKnownKeys(name, value, reference);
    for (const [k, ref] of Object.entries(reference)) {
      if (!(k in value)) throw new ParameterError(`${name}.${k}`, 'is missing');
      checkLike(`${name}.${k}`, (value as Record<string, unknown>)[k], ref);
    }
  }
}

/** Thrown when a simulation or training run produces non-finite numbers. */
export class DivergenceError extends Error {
  constructor(
    readonly where: string,
    readonly step: number,
    readonly detail: string,
  ) {
    super(`${where}: diverged at step ${step} (${detail})`);
    this.name = 'DivergenceError';
  }
}

const formatBytes = (b: number): string => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(1)} GiB` : `${(b / 2 ** 20).toFixed(1)} MiB`);

/** The largest single allocation the library makes on request: 2 GiB, or RNNLAB_MAX_BYTES. */
export function allocationLimit(): number {
  const env = Number(process.env.RNNLAB_MAX_BYTES);
  return Number.isFinite(env) && env > 0 ? env : 2 ** 31;
}

/**
 * Throws a ParameterError naming `name` when `entries` × `bytesPerEntry` exceeds allocationLimit(), before anything is
 * allocated: a size typed by mistake (n: 1e6) must not run the process out of memory or fail as "Invalid typed array length".
 */
export function checkAllocation(name: string, entries: number, bytesPerEntry: number, what: string): void {
  const bytes = entries * bytesPerEntry;
  const limit = allocationLimit();
  if (!(bytes <= limit)) throw new ParameterError(name, `${what} would need ${formatBytes(bytes)}, above the limit of ${formatBytes(limit)} (RNNLAB_MAX_BYTES)`);
}

/**
 * The most work one call may be asked to do: 1e14 multiply-adds (about a day at 1e9 a second on one core), or
 * RNNLAB_MAX_WORK. The paper-scale runs stay two decades below it (a full curriculum run is about 1e12).
 */
export function workLimit(): number {
  const env = Number(process.env.RNNLAB_MAX_WORK);
  return Number.isFinite(env) && env > 0 ? env : 1e14;
}

/**
 * Throws a ParameterError naming `name` when a loop would need more than workLimit() multiply-adds, before it starts:
 * a count typed by mistake (steps: 1e15) must not leave a cell running for years. `operations` is a lower estimate
 * (the dominant term only), so a legitimate run is never refused by a rough constant.
 */
export function checkWork(name: string, operations: number, what: string): void {
  const limit = workLimit();
  if (!(operations <= limit)) {
    const days = operations / 1e9 / 86_400;
    const time = days >= 365 ? `${(days / 365).toPrecision(2)} years` : days >= 1 ? `${days.toPrecision(2)} days` : `${(days * 24).toPrecision(2)} hours`;
    throw new ParameterError(name, `${what} would take about ${operations.toPrecision(2)} multiply-adds (${time} at 1e9 a second), above the limit of ${limit.toPrecision(2)} (RNNLAB_MAX_WORK)`);
  }
}

/** A callback option: null, undefined or a function (a number or a string would fail later, mid-run). */
export function checkCallback(name: string, value: unknown): void {
  if (value != null && typeof value !== 'function') throw new ParameterError(name, `expected a function or null, got ${typeof value}`);
}

/** Index of the first non-finite entry, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}
