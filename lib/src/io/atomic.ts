/**
 * Atomic file writes and a JSON disk cache. A write goes to a temporary file in the same folder and is then
 * renamed over the target (rename is atomic on POSIX), so an interrupted run never leaves a half-written file:
 * a re-run either finds the complete result or recomputes it.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

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

/** JSON with typed arrays preserved: Float64Array/Float32Array/Int32Array round-trip through `{__typed, values}`. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v instanceof Float64Array || v instanceof Float32Array || v instanceof Int32Array) {
      return { __typed: v.constructor.name, values: Array.from(v) };
    }
    return v;
  });
}

export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_k, v) => {
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

/** The cache file of (name, params): `params` is hashed into the name. */
export function cacheFile(name: string, params: unknown, dir: string = cacheDir()): string {
  const key = createHash('sha256').update(toJson(params)).digest('hex').slice(0, 16);
  return join(dir, `${name}-${key}.json`);
}

/**
 * Returns the cached result of `compute` for (name, params), computing and storing it on a miss.
 * `params` must contain everything the result depends on (seed, sizes, scale): it is hashed into the file name.
 * A long computation can keep checkpoints beside that file (`cacheFile(name, params)`), as the curriculum jobs do.
 */
export function cachedJson<T>(name: string, params: unknown, compute: () => T, options: Partial<CacheOptions> = {}): T {
  const file = cacheFile(name, params, options.dir);
  if (!options.refresh && existsSync(file)) return fromJson<T>(readFileSync(file, 'utf8'));
  const result = compute();
  writeFileAtomic(file, toJson(result));
  return result;
}
