/**
 * A sweep is data: a JSON file naming one job function (jobKinds.ts), a grid of options and the options held fixed.
 * Each grid point is one job, keyed by its complete options exactly as the notebooks key their cache entries, so a
 * point computed by a sweep (here or on a cluster) is the same cache file a notebook reads. The file is checked as a
 * whole, every point included, before anything runs or is submitted. README.md in this folder gives the format.
 */
import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { cacheDir, readTextFile, toJson } from '../io/atomic.js';
import { checkInteger, checkKnownKeys, checkOptionsObject, ParameterError, withDefaults } from '../numerics/validate.js';
import { sweepJobKind, type SweepJobKind } from './jobKinds.js';

export interface SweepResources {
  /** CPUs of one task (sbatch --cpus-per-task); the library's jobs use one thread each. */
  cpusPerTask: number;
  /** Memory of one task (sbatch --mem), e.g. '2G', '1500M'. */
  memory: string;
  /** Wall-time limit of one task (sbatch --time): 'MM:SS', 'HH:MM:SS' or 'D-HH:MM:SS'. */
  time: string;
  /** Partition (sbatch --partition); null: the cluster's default. */
  partition: string | null;
  /** Account to charge (sbatch --account); null: the user's default. */
  account: string | null;
  /** At most this many tasks at once (the array's %k throttle); null: no limit. */
  maxRunning: number | null;
  /** Shell lines run before each task, e.g. 'module load nodejs/20' or 'cd $SLURM_TMPDIR'. */
  prolog: string[];
  /** Further #SBATCH options, each starting with '--', e.g. '--constraint=avx2'. */
  sbatch: string[];
}

export interface SweepFile {
  /** A name for the sweep (letters, digits, '.', '_', '-'): its state folder and job name. */
  name: string;
  description: string;
  /** Key of the job function (jobKinds.ts: SWEEP_JOBS). */
  job: string;
  /** Options shared by every point; a dotted key ('run.seed') sets a nested option. */
  fixed: Record<string, unknown>;
  /** Option → list of values; the points are every combination, the first key varying slowest. */
  grid: Record<string, unknown[]>;
  resources: SweepResources;
  /** Environment variables of every task (e.g. RNNLAB_CHECKPOINT_SECONDS, RNNLAB_MAX_WORK). */
  env: Record<string, string>;
  /**
   * The cache folder the tasks write into and the notebooks read (on a cluster: a folder every node sees). Relative
   * paths are relative to the sweep file; null: $RNNLAB_CACHE, or the project's `.cache/`.
   */
  cacheDir: string | null;
}

export const SWEEP_RESOURCES_DEFAULTS: SweepResources = { cpusPerTask: 1, memory: '2G', time: '01:00:00', partition: null, account: null, maxRunning: null, prolog: [], sbatch: [] };

export const SWEEP_FILE_DEFAULTS: SweepFile = { name: 'sweep', description: '', job: 'timescales.curriculum', fixed: {}, grid: {}, resources: SWEEP_RESOURCES_DEFAULTS, env: {}, cacheDir: null };

export interface SweepPoint {
  index: number;
  /** This point's grid values (dotted keys as in the file). */
  values: Record<string, unknown>;
  /** The job's complete, validated options. */
  options: object;
  /** e.g. 'seed=2, curriculum=multi'. */
  label: string;
}

export interface Sweep {
  /** The file as checked, with defaults filled in and cacheDir made absolute. */
  file: SweepFile;
  kind: SweepJobKind;
  points: SweepPoint[];
  /** Folder of this sweep's state (its copy of the file, task records, logs, scripts, merged results), in the cache folder. */
  stateDir: string;
}

const NAME = /^[A-Za-z0-9._-]{1,80}$/;
const ENV_NAME = /^[A-Z_][A-Z0-9_]*$/;
const MEMORY = /^[1-9][0-9]*[KMGT]?$/;
const TIME = /^(?:[0-9]+-)?(?:[0-9]{1,2}:)?[0-9]{1,2}:[0-9]{2}$/;

/** Whether the dotted `path` names an option in `defaults` (into nested option objects, not into lists). */
function knownPath(defaults: object, path: string): boolean {
  let at: unknown = defaults;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object' || Array.isArray(at) || !(part in (at as object))) return false;
    at = (at as Record<string, unknown>)[part];
  }
  return true;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = target;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    at[part] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as object) } : {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]] = value;
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function checkStringList(name: string, value: unknown, each?: (s: string, i: number) => void): void {
  if (!Array.isArray(value) || value.some((s) => typeof s !== 'string')) throw new ParameterError(name, 'expected a list of strings');
  value.forEach((s, i) => each?.(s as string, i));
}

function checkResources(value: unknown): SweepResources {
  checkOptionsObject('sweep.resources', value);
  const r = withDefaults('sweep.resources', SWEEP_RESOURCES_DEFAULTS, value as Partial<SweepResources>);
  checkInteger('sweep.resources.cpusPerTask', r.cpusPerTask, { min: 1, max: 1024 });
  if (typeof r.memory !== 'string' || !MEMORY.test(r.memory)) throw new ParameterError('sweep.resources.memory', `expected an amount such as '2G' or '1500M', got ${show(r.memory)}`);
  if (typeof r.time !== 'string' || !TIME.test(r.time)) throw new ParameterError('sweep.resources.time', `expected 'MM:SS', 'HH:MM:SS' or 'D-HH:MM:SS', got ${show(r.time)}`);
  for (const key of ['partition', 'account'] as const) {
    const v = r[key];
    if (v !== null && (typeof v !== 'string' || !/^[A-Za-z0-9._,-]+$/.test(v))) throw new ParameterError(`sweep.resources.${key}`, `expected a name or null, got ${show(v)}`);
  }
  if (r.maxRunning !== null) checkInteger('sweep.resources.maxRunning', r.maxRunning, { min: 1 });
  checkStringList('sweep.resources.prolog', r.prolog, (s, i) => {
    if (s.includes('\n')) throw new ParameterError(`sweep.resources.prolog[${i}]`, 'one shell line per entry');
  });
  checkStringList('sweep.resources.sbatch', r.sbatch, (s, i) => {
    if (!/^--[a-z-]+(=\S.*)?$/.test(s) || s.includes('\n')) throw new ParameterError(`sweep.resources.sbatch[${i}]`, `expected one sbatch option such as '--constraint=avx2', got ${show(s)}`);
    if (/^--(array|output|error|job-name)\b/.test(s)) throw new ParameterError(`sweep.resources.sbatch[${i}]`, `${s.split('=')[0]} is set by the sweep itself`);
  });
  return r;
}

/**
 * Checks a sweep (the parsed JSON of a sweep file) and expands its grid. `source` (the file's path) names the file in
 * errors and anchors a relative cacheDir. Every point's options are validated by the job's own validator, with the
 * sweep's `env` in force (RNNLAB_MAX_WORK, say, bounds the work a point may ask for).
 */
export function parseSweep(value: unknown, source = '<sweep>'): Sweep {
  checkOptionsObject('sweep', value);
  checkKnownKeys('sweep', value as object, SWEEP_FILE_DEFAULTS);
  const raw = value as Partial<SweepFile>;
  for (const key of ['name', 'job', 'grid'] as const) if (raw[key] === undefined) throw new ParameterError(`sweep.${key}`, `is missing (${source})`);
  const file = withDefaults('sweep', SWEEP_FILE_DEFAULTS, raw);
  if (typeof file.name !== 'string' || !NAME.test(file.name)) throw new ParameterError('sweep.name', `expected letters, digits, '.', '_' or '-' (at most 80), got ${show(file.name)}`);
  if (typeof file.description !== 'string') throw new ParameterError('sweep.description', 'expected a string');
  const kind = sweepJobKind(file.job, 'sweep.job');
  checkOptionsObject('sweep.fixed', file.fixed);
  checkOptionsObject('sweep.grid', file.grid);
  const known = Object.keys(kind.defaults).join(', ');
  for (const key of Object.keys(file.fixed)) {
    if (!knownPath(kind.defaults, key)) throw new ParameterError(`sweep.fixed.${key}`, `unknown option of job '${file.job}'; known options are ${known}`);
  }
  const gridKeys = Object.keys(file.grid);
  if (gridKeys.length === 0) throw new ParameterError('sweep.grid', 'is empty: name at least one option and its values, e.g. { "seed": [1, 2, 3] }');
  for (const key of gridKeys) {
    const values = file.grid[key];
    if (!knownPath(kind.defaults, key)) throw new ParameterError(`sweep.grid.${key}`, `unknown option of job '${file.job}'; known options are ${known}`);
    if (!Array.isArray(values) || values.length === 0) throw new ParameterError(`sweep.grid.${key}`, 'expected a non-empty list of values');
    if (key in file.fixed) throw new ParameterError(`sweep.grid.${key}`, 'is also in sweep.fixed: give it in one place');
    if (new Set(values.map((v) => toJson(v))).size !== values.length) throw new ParameterError(`sweep.grid.${key}`, 'lists a value twice');
  }
  const resources = checkResources(file.resources);
  checkOptionsObject('sweep.env', file.env);
  for (const [k, v] of Object.entries(file.env)) {
    if (!ENV_NAME.test(k)) throw new ParameterError(`sweep.env.${k}`, 'expected an environment variable name (A–Z, 0–9, _)');
    if (k === 'RNNLAB_CACHE') throw new ParameterError('sweep.env.RNNLAB_CACHE', 'use sweep.cacheDir for the cache folder');
    if (typeof v !== 'string') throw new ParameterError(`sweep.env.${k}`, `expected a string, got ${show(v)}`);
  }
  if (file.cacheDir !== null && (typeof file.cacheDir !== 'string' || file.cacheDir === '')) throw new ParameterError('sweep.cacheDir', 'expected a folder or null');
  const cache = file.cacheDir === null ? resolve(cacheDir()) : isAbsolute(file.cacheDir) ? file.cacheDir : resolve(source === '<sweep>' ? '.' : dirname(source), file.cacheDir);
  const checked: SweepFile = { ...file, resources, cacheDir: cache };

  const count = gridKeys.reduce((n, k) => n * file.grid[k].length, 1);
  checkInteger('sweep.grid (number of points)', count, { min: 1, max: 100_000 });
  const points: SweepPoint[] = [];
  withSweepEnv(checked, () => {
    for (let index = 0; index < count; index++) {
      const values: Record<string, unknown> = {};
      let rest = index;
      for (let k = gridKeys.length - 1; k >= 0; k--) {
        const list = file.grid[gridKeys[k]];
        values[gridKeys[k]] = list[rest % list.length];
        rest = Math.floor(rest / list.length);
      }
      const ordered = Object.fromEntries(gridKeys.map((k) => [k, values[k]]));
      const label = gridKeys.map((k) => `${k}=${show(ordered[k])}`).join(', ');
      const merged: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(file.fixed)) setPath(merged, k, structuredClone(v));
      for (const [k, v] of Object.entries(ordered)) setPath(merged, k, structuredClone(v));
      let options: object;
      try {
        options = kind.validate(merged);
      } catch (e) {
        if (e instanceof ParameterError) throw new ParameterError(`sweep point ${index} (${label})`, e.message);
        throw e;
      }
      points.push({ index, values: ordered, options, label });
    }
  });
  const key = createHash('sha256').update(toJson({ job: file.job, options: points.map((p) => p.options) })).digest('hex').slice(0, 12);
  return { file: checked, kind, points, stateDir: join(cache, 'sweeps', `${file.name}-${key}`) };
}

/** Reads and checks a sweep file (JSON). */
export function loadSweep(path: string): Sweep {
  const text = readTextFile(path);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ParameterError('path', `${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseSweep(value, resolve(path));
}

/**
 * Runs `fn` with the sweep's environment in force: its `env` entries and RNNLAB_CACHE = its cache folder (restored
 * afterwards). Tasks run this way on every engine, so a job sees the same settings here and on a cluster node.
 */
export function withSweepEnv<T>(file: Pick<SweepFile, 'env' | 'cacheDir'>, fn: () => T): T {
  const set: Record<string, string> = { ...file.env, ...(file.cacheDir ? { RNNLAB_CACHE: file.cacheDir } : {}) };
  const before = Object.fromEntries(Object.keys(set).map((k) => [k, process.env[k]]));
  Object.assign(process.env, set);
  const restore = () => {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  let result: T;
  try {
    result = fn();
  } catch (e) {
    restore();
    throw e;
  }
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}
