/**
 * Atomic file writes and a JSON disk cache. A write goes to a temporary file in the same folder and is then
 * renamed over the target (rename is atomic on POSIX), so an interrupted run never leaves a half-written file:
 * a re-run either finds the complete result or recomputes it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { fileURLToPath } from 'node:url';
import { ParameterError } from '../numerics/validate.js';

/** A text file's content; a missing or unreadable file is a ParameterError naming `path` (for the load functions). */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new ParameterError('path', `cannot read ${path}: ${(err as Error).message}`);
  }
}

export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
}

const KEPT_TYPED_ARRAYS = [Float64Array, Float32Array, Int32Array];

/**
 * Where `value` holds something JSON would silently change (undefined in an array, a function, a Map, a Date, another
 * typed array, a cycle), as a path like `.runs[3].f`; null when it round-trips. A cached result must read back as it
 * was computed, or a re-run would differ from the first run.
 */
function notSerializable(value: unknown, path: string, seen: Set<object>): string | null {
  if (value === null || typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return null;
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') return `${path || 'the value'} is ${typeof value}`;
  if (ArrayBuffer.isView(value)) return KEPT_TYPED_ARRAYS.some((C) => value instanceof C) ? null : `${path || 'the value'} is a ${value.constructor.name} (kept: Float64Array, Float32Array, Int32Array)`;
  if (seen.has(value as object)) return `${path || 'the value'} refers back to itself`;
  seen.add(value as object);
  let found: string | null = null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length && !found; i++) found = notSerializable(value[i], `${path}[${i}]`, seen);
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) found = `${path || 'the value'} is a ${(value as object).constructor?.name ?? 'class instance'}, not a plain object`;
    else for (const [k, v] of Object.entries(value as object)) {
      if (v === undefined) continue; // dropped, and reads back as undefined: unchanged
      found = notSerializable(v, `${path}.${k}`, seen);
      if (found) break;
    }
  }
  seen.delete(value as object);
  return found;
}

// Typed arrays are stored as the base64 of their little-endian bytes: exact, and 3–5× shorter than decimal text. A
// curriculum run at the original scale (n = 500, up to 100 snapshots) would otherwise exceed V8's largest string
// (2²⁹ characters) when written. A big-endian machine writes (and reads) the decimal form instead.
const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * JSON that reads back as written: Float64Array/Float32Array/Int32Array round-trip through `{__typed, base64}` (or
 * `{__typed, values}`, the decimal form older files have and `typedArrays: 'decimal'` writes), and NaN and ±Infinity through `{__number}` (plain JSON
 * writes them as null). Throws a ParameterError naming the first part of `value` that JSON cannot carry.
 */
export function toJson(value: unknown, typedArrays: 'base64' | 'decimal' = 'base64'): string {
  const problem = notSerializable(value, '', new Set());
  if (problem) throw new ParameterError('value', `cannot be stored as JSON: ${problem}`);
  const base64 = typedArrays === 'base64' && LITTLE_ENDIAN;
  return JSON.stringify(value, (_k, v) => {
    if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) {
      if (base64) return { __typed: v.constructor.name, base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
      return { __typed: v.constructor.name, values: Array.from(v) };
    }
    if (typeof v === 'number' && !Number.isFinite(v)) return { __number: String(v) };
    return v;
  });
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_k, v) => {
    if (v && typeof v === 'object' && typeof v.__number === 'string') return Number(v.__number);
    if (v && typeof v === 'object' && typeof v.__typed === 'string' && typeof v.base64 === 'string') {
      const bytes = Buffer.from(v.base64, 'base64');
      const C = v.__typed === 'Float64Array' ? Float64Array : v.__typed === 'Float32Array' ? Float32Array : v.__typed === 'Int32Array' ? Int32Array : null;
      if (C === null) return v;
      if (!LITTLE_ENDIAN) throw new Error('typed arrays stored as little-endian bytes cannot be read on this big-endian machine');
      if (bytes.length % C.BYTES_PER_ELEMENT !== 0) throw new Error(`a stored ${v.__typed} has ${bytes.length} bytes, not a whole number of entries`);
      // A copy into a fresh, aligned buffer (Buffer's pool may be unaligned for 8-byte entries).
      const out = new C(bytes.length / C.BYTES_PER_ELEMENT);
      new Uint8Array(out.buffer).set(bytes);
      return out;
    }
    if (v && typeof v === 'object' && typeof v.__typed === 'string' && Array.isArray(v.values)) {
      switch (v.__typed) {
        case 'Float64Array':
          return Float64Array.from(v.values);
        case 'Float32Array':
          return Float32Array.from(v.values);
        case 'Int32Array':
          return Int32Array.from(v.values);
      }
    }
    return v;
  }) as T;
}

/** The project root (two folders above lib/dist or lib/src). */
export function projectRoot(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
}

/** The cache folder: $RNNLAB_CACHE, or `.cache/` at the project root. */
export function cacheDir(): string {
  return process.env.RNNLAB_CACHE ?? join(projectRoot(), '.cache');
}

export interface CacheOptions {
  /** Recompute even when a cached result exists. */
  refresh: boolean;
  /** Folder of the cache files (default: cacheDir()). */
  dir: string;
}

/** A name that becomes part of a file name: letters, digits, '.', '_' and '-', not starting with '.' (no paths). */
export function checkFileName(parameter: string, name: unknown): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new ParameterError(parameter, `expected a plain name (letters, digits, '.', '_', '-'), got ${JSON.stringify(name)}`);
  }
  return name;
}

/** The cache file of (name, params): `params` is hashed into the name. */
export function cacheFile(name: string, params: unknown, dir: string = cacheDir()): string {
  checkFileName('name', name);
  // The decimal form, as cache files have always been named: a cache written before base64 arrays keeps its names.
  const key = createHash('sha256').update(toJson(params, 'decimal')).digest('hex').slice(0, 16);
  return join(dir, `${name}-${key}.json`);
}

/**
 * First line of a verified file: format, payload length in bytes, payload SHA-256. Format 2 keeps NaN and ±Infinity
 * (format 1 wrote them as null, so a cached re-run could differ from the first run); format-1 files are recomputed.
 */
const VERIFIED_FORMAT = 'rnnlab-verified-json/2';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Writes `value` atomically as verified JSON (header line with the payload's length and checksum, then the payload). */
export function writeVerifiedJson(path: string, value: unknown): void {
  const payload = toJson(value);
  writeFileAtomic(path, `${VERIFIED_FORMAT} ${Buffer.byteLength(payload)} ${sha256(payload)}\n${payload}`);
}

/** Why a verified file cannot be used, or null when it can. */
function verificationProblem(text: string): { problem: string } | { payload: string } {
  const newline = text.indexOf('\n');
  if (newline < 0) return { problem: text.length === 0 ? 'the file is empty' : 'no header line (truncated, or written by an older version)' };
  const [format, bytes, hash] = text.slice(0, newline).split(' ');
  if (format !== VERIFIED_FORMAT) return { problem: `unknown format '${text.slice(0, Math.min(newline, 40))}' (expected ${VERIFIED_FORMAT})` };
  const payload = text.slice(newline + 1);
  if (Buffer.byteLength(payload) !== Number(bytes)) return { problem: `payload of ${Buffer.byteLength(payload)} bytes, the header says ${bytes} (truncated?)` };
  if (sha256(payload) !== hash) return { problem: 'the payload does not match its checksum (the file was altered)' };
  return { payload };
}

/**
 * Reads a file written by writeVerifiedJson. Returns null when the file is missing; when it fails to verify or to
 * parse, moves it aside to `<path>.corrupt`, says so on standard output (naming both paths and the reason), and
 * returns null, so that the caller recomputes.
 */
export function readVerifiedJson<T>(path: string): T | null {
  if (!existsSync(path)) return null;
  const checked = verificationProblem(readFileSync(path, 'utf8'));
  let problem = 'problem' in checked ? checked.problem : '';
  if (!problem) {
    try {
      return fromJson<T>((checked as { payload: string }).payload);
    } catch (err) {
      problem = `the payload is not valid JSON (${(err as Error).message})`;
    }
  }
  const aside = `${path}.corrupt`;
  renameSync(path, aside);
  // Standard output, not standard error: a notebook cell that writes to stderr fails the reproduce job.
  process.stdout.write(`cache: ${path} cannot be used (${problem}); moved to ${aside}, recomputing.\n`);
  return null;
}

/** Thrown by cachedJson inside `readCacheOnly` when a result is not in the cache. */
export class CacheMissError extends Error {
  constructor(
    readonly cacheName: string,
    readonly file: string,
  ) {
    super(`'${cacheName}' is not in the cache (${file})`);
    this.name = 'CacheMissError';
  }
}

let cacheReadOnly = false;

/**
 * Runs `read` with the cache read-only: every cachedJson inside it returns the stored result or throws CacheMissError,
 * and never computes. A sweep's --collect reads the results of a job function this way, through the job's own cache
 * keys, so that merging never starts a computation on the submitting machine.
 */
export function readCacheOnly<T>(read: () => T): T {
  const before = cacheReadOnly;
  cacheReadOnly = true;
  try {
    return read();
  } finally {
    cacheReadOnly = before;
  }
}

/**
 * Returns the cached result of `compute` for (name, params), computing and storing it on a miss.
 * `params` must contain everything the result depends on (seed, sizes, scale): it is hashed into the file name.
 * A long computation can keep checkpoints beside that file (`cacheFile(name, params)`), as the curriculum jobs do.
 */
export function cachedJson<T>(name: string, params: unknown, compute: () => T, options: Partial<CacheOptions> = {}): T {
  const file = cacheFile(name, params, options.dir);
  if (!options.refresh || cacheReadOnly) {
    const cached = readVerifiedJson<T>(file);
    if (cached !== null) return cached;
  }
  if (cacheReadOnly) throw new CacheMissError(name, file);
  const result = compute();
  const problem = notSerializable(result, '', new Set());
  if (problem) throw new ParameterError('compute', `the result of cache '${name}' cannot be stored as JSON: ${problem}`);
  writeVerifiedJson(file, result);
  return result;
}
