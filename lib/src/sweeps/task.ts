/**
 * One point of a sweep, run the same way on every engine: from the sweep's own copy of its file (in its state folder),
 * with the sweep's environment, through the job function, which caches its result and checkpoints as in the notebooks.
 * The task then records its outcome atomically in `tasks/<index>.json`; a resubmission runs only the points without a
 * successful record. Local engine: `runParallel(SWEEP_TASK_URL, 'runSweepTask', …)`; Slurm: `cli.js task`.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readVerifiedJson, toJson, writeVerifiedJson } from '../io/atomic.js';
import { ParameterError } from '../numerics/validate.js';
import { parseSweep, withSweepEnv, type Sweep, type SweepFile } from './sweepFile.js';

/** This module (.ts under tsx, .js compiled), for runParallel. */
export const SWEEP_TASK_URL = new URL(import.meta.url);

export interface SweepTaskInput {
  stateDir: string;
  index: number;
  engine: 'local' | 'slurm';
}

/** What a task leaves behind in `tasks/<index>.json`. */
export interface SweepTaskRecord {
  index: number;
  label: string;
  ok: boolean;
  /** The job's error (first line, then its stack), or null. */
  error: string | null;
  /** SHA-256 of the result without its wall-clock fields (SweepJobKind.timingKeys): equal digests are equal bits. */
  digest: string | null;
  summary: string;
  seconds: number;
  engine: 'local' | 'slurm';
  host: string;
  /** SLURM_JOB_ID / SLURM_ARRAY_JOB_ID of the task, or null locally. */
  jobId: string | null;
  finishedAt: string;
}

export const sweepCopyFile = (stateDir: string): string => join(stateDir, 'sweep.json');
export const taskRecordFile = (stateDir: string, index: number): string => join(stateDir, 'tasks', `${index}.json`);

/** The sweep a task belongs to, from the copy its submission wrote (an edited sweep file does not change a queued task). */
export function loadSweepCopy(stateDir: string): Sweep {
  const copy = readVerifiedJson<SweepFile>(sweepCopyFile(stateDir));
  if (copy === null) throw new ParameterError('stateDir', `${stateDir} holds no sweep (sweep.json is missing)`);
  const sweep = parseSweep(copy, sweepCopyFile(stateDir));
  if (sweep.stateDir !== stateDir) throw new ParameterError('stateDir', `${stateDir} holds a sweep whose state folder is ${sweep.stateDir} (moved?)`);
  return sweep;
}

/** A result with the keys that hold wall-clock time removed, anywhere in it. */
export function withoutTiming(value: unknown, keys: readonly string[]): unknown {
  if (keys.length === 0 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  if (Array.isArray(value)) return value.map((v) => withoutTiming(v, keys));
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)).map(([k, v]) => [k, withoutTiming(v, keys)]));
}

export const resultDigest = (result: unknown, timingKeys: readonly string[]): string => createHash('sha256').update(toJson(withoutTiming(result, timingKeys))).digest('hex');

/** Runs one point of the sweep in `stateDir`; never throws for a failing job: the failure is the record. */
export async function runSweepTask(input: SweepTaskInput, report: (progress: unknown) => void = () => {}): Promise<SweepTaskRecord> {
  const sweep = loadSweepCopy(input.stateDir);
  const point = sweep.points[input.index];
  if (!point) throw new ParameterError('index', `point ${input.index} is not in sweep '${sweep.file.name}' (it has ${sweep.points.length}: 0 … ${sweep.points.length - 1})`);
  const started = Date.now();
  const base = { index: point.index, label: point.label, engine: input.engine, host: hostname(), jobId: process.env.SLURM_ARRAY_JOB_ID ?? process.env.SLURM_JOB_ID ?? null };
  let record: SweepTaskRecord;
  try {
    const mod = (await import(sweep.kind.moduleUrl.href)) as Record<string, unknown>;
    const job = mod[sweep.kind.exportName];
    if (typeof job !== 'function') throw new Error(`${sweep.kind.moduleUrl.href} has no exported function '${sweep.kind.exportName}'`);
    const result = await withSweepEnv(sweep.file, () => (job as (o: object, r: (p: unknown) => void) => unknown)(structuredClone(point.options), report));
    const done = { ...base, ok: true, error: null, digest: resultDigest(result, sweep.kind.timingKeys), summary: sweep.kind.summarize(result) };
    record = { ...done, seconds: (Date.now() - started) / 1000, finishedAt: new Date().toISOString() };
  } catch (e) {
    const error = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e);
    record = { ...base, ok: false, error, digest: null, summary: `failed: ${error.split('\n')[0]}`, seconds: (Date.now() - started) / 1000, finishedAt: new Date().toISOString() };
  }
  writeVerifiedJson(taskRecordFile(input.stateDir, input.index), record);
  return record;
}
