/**
 * Running a sweep: on local worker threads, or as one Slurm job array (`sbatch --array`), watched until it ends;
 * the state of every point from its task record; and --collect, which merges the results of every point into one
 * verified JSON file, read from the cache without computing anything.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCacheOnly, readVerifiedJson, writeFileAtomic, writeVerifiedJson, projectRoot, CacheMissError } from '../io/atomic.js';
import { runParallel } from '../parallel/workerPool.js';
import { ParameterError } from '../numerics/validate.js';
import type { Sweep, SweepPoint } from './sweepFile.js';
import { withSweepEnv } from './sweepFile.js';
import { loadSweepCopy, resultDigest, SWEEP_TASK_URL, sweepCopyFile, taskRecordFile, type SweepTaskInput, type SweepTaskRecord } from './task.js';

export type PointState = 'done' | 'failed' | 'missing';

export interface PointStatus {
  point: SweepPoint;
  state: PointState;
  record: SweepTaskRecord | null;
}

/** Writes the sweep's copy of its file into its state folder (what every task reads). */
export function prepareStateDir(sweep: Sweep): void {
  mkdirSync(join(sweep.stateDir, 'tasks'), { recursive: true });
  mkdirSync(join(sweep.stateDir, 'logs'), { recursive: true });
  if (!existsSync(sweepCopyFile(sweep.stateDir))) writeVerifiedJson(sweepCopyFile(sweep.stateDir), sweep.file);
  loadSweepCopy(sweep.stateDir); // the copy must give back this sweep
}

export function pointStatuses(sweep: Sweep): PointStatus[] {
  return sweep.points.map((point) => {
    const record = readVerifiedJson<SweepTaskRecord>(taskRecordFile(sweep.stateDir, point.index));
    return { point, record, state: record === null ? 'missing' : record.ok ? 'done' : 'failed' };
  });
}

/** The points a (re)submission runs: those without a successful record (of `only`, when given). */
export const pendingPoints = (sweep: Sweep, only: number[] | null = null): SweepPoint[] =>
  pointStatuses(sweep).filter((s) => s.state !== 'done' && (only === null || only.includes(s.point.index))).map((s) => s.point);

export interface SweepOutcome {
  engine: 'local' | 'slurm';
  /** Points this run started. */
  ran: number[];
  done: number;
  /** Points this run started that failed, or ended without writing a result. */
  failed: PointStatus[];
  missing: PointStatus[];
  /** Points without a result that this run did not start (not in --only). */
  notRun: number;
  seconds: number;
  /** Slurm's job id of the array, when submitted. */
  jobId: string | null;
}

function outcome(sweep: Sweep, engine: 'local' | 'slurm', ran: number[], started: number, jobId: string | null): SweepOutcome {
  const statuses = pointStatuses(sweep);
  const thisRun = statuses.filter((s) => ran.includes(s.point.index));
  return {
    engine, ran, jobId, seconds: (Date.now() - started) / 1000,
    done: statuses.filter((s) => s.state === 'done').length,
    failed: thisRun.filter((s) => s.state === 'failed'),
    missing: thisRun.filter((s) => s.state === 'missing'),
    notRun: statuses.filter((s) => s.state !== 'done' && !ran.includes(s.point.index)).length,
  };
}

export interface LocalOptions {
  /** Worker threads (default: one per core, at most one per point). */
  workers: number | null;
  /** Called with each line of progress. */
  log: (line: string) => void;
  /** Run only these points (null: all). */
  only: number[] | null;
  /** Seconds between two progress lines of one running point (default 30). */
  progressSeconds: number;
}

/** Runs the sweep's pending points on local worker threads (the same task function a Slurm array runs). */
export async function runSweepLocally(sweep: Sweep, options: Partial<LocalOptions> = {}): Promise<SweepOutcome> {
  const log = options.log ?? (() => {});
  const started = Date.now();
  prepareStateDir(sweep);
  const pending = pendingPoints(sweep, options.only ?? null);
  log(`sweep ${sweep.file.name}: ${sweep.points.length} points, ${pending.length} to run locally (${sweep.stateDir})`);
  let finished = 0;
  const lastLine = new Map<number, number>();
  const every = (options.progressSeconds ?? 30) * 1000;
  const inputs: SweepTaskInput[] = pending.map((p) => ({ stateDir: sweep.stateDir, index: p.index, engine: 'local' }));
  await runParallel<SweepTaskInput, SweepTaskRecord>(SWEEP_TASK_URL, 'runSweepTask', inputs, {
    workers: options.workers ?? null,
    onProgress: (i, p) => {
      const now = Date.now();
      if (now - (lastLine.get(i) ?? 0) < every) return;
      lastLine.set(i, now);
      log(`  point ${pending[i].index} (${pending[i].label}): ${sweep.kind.describeProgress(p)}`);
    },
    onResult: (_i, r) => {
      const record = r as SweepTaskRecord;
      finished++;
      log(`  [${finished}/${pending.length}] point ${record.index} (${record.label}): ${record.summary} (${record.seconds.toFixed(1)} s)`);
    },
  });
  return outcome(sweep, 'local', pending.map((p) => p.index), started, null);
}

/** A task's log file under Slurm (sbatch --output with %A_%a). */
export const slurmLogFile = (sweep: Sweep, jobId: string, index: number): string => join(sweep.stateDir, 'logs', `${jobId}_${index}.out`);

/** The value of sbatch --array for these points: [0, 1, 2, 5, 7, 8] → '0-2,5,7-8'. */
export function arrayList(indices: number[]): string {
  const sorted = [...indices].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The sbatch script of the given points: one array task per point, resources from the sweep file, the sweep's
 * environment exported, each task running `node lib/dist/sweeps/cli.js task STATE_DIR --index $SLURM_ARRAY_TASK_ID`
 * from this project's folder (which, like the cache folder, every node must see).
 */
export function slurmScript(sweep: Sweep, indices: number[]): string {
  if (indices.length === 0) throw new ParameterError('indices', 'no points to submit');
  const r = sweep.file.resources;
  const root = projectRoot();
  const lines = [
    '#!/bin/bash',
    `# Sweep '${sweep.file.name}' (${sweep.file.job}): ${indices.length} of ${sweep.points.length} points. Written by npm run sweep.`,
    `#SBATCH --job-name=rnnlab-${sweep.file.name}`,
    `#SBATCH --array=${arrayList(indices)}${r.maxRunning ? `%${r.maxRunning}` : ''}`,
    `#SBATCH --cpus-per-task=${r.cpusPerTask}`,
    `#SBATCH --mem=${r.memory}`,
    `#SBATCH --time=${r.time}`,
    `#SBATCH --output=${join(sweep.stateDir, 'logs', '%A_%a.out')}`,
    ...(r.partition ? [`#SBATCH --partition=${r.partition}`] : []),
    ...(r.account ? [`#SBATCH --account=${r.account}`] : []),
    ...r.sbatch.map((o) => `#SBATCH ${o}`),
    'set -euo pipefail',
    ...r.prolog,
    `export RNNLAB_CACHE=${shellQuote(sweep.file.cacheDir!)}`,
    ...Object.entries(sweep.file.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`),
    `cd ${shellQuote(root)}`,
    `exec node ${shellQuote(join(root, 'lib', 'dist', 'sweeps', 'cli.js'))} task ${shellQuote(sweep.stateDir)} --index "$SLURM_ARRAY_TASK_ID"`,
    '',
  ];
  return lines.join('\n');
}

/** Where Slurm's commands are, or why they cannot be used. */
export function slurmAvailable(): true | string {
  const probe = spawnSync('squeue', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return `Slurm's commands are not on PATH (squeue --version: ${probe.error?.message ?? probe.stderr.trim()})`;
  return true;
}

/** Writes the script into the state folder and submits it; returns the array's job id. */
export function submitToSlurm(sweep: Sweep, indices: number[]): { jobId: string; script: string } {
  const available = slurmAvailable();
  if (available !== true) throw new Error(`cannot submit to Slurm: ${available}`);
  prepareStateDir(sweep);
  const script = join(sweep.stateDir, `submit-${Date.now()}.sh`);
  writeFileAtomic(script, slurmScript(sweep, indices));
  const run = spawnSync('sbatch', ['--parsable', script], { encoding: 'utf8', cwd: sweep.stateDir });
  if (run.status !== 0) throw new Error(`sbatch failed (exit ${run.status}): ${(run.stderr || run.stdout).trim()}`);
  const jobId = run.stdout.trim().split(';')[0];
  if (!/^[0-9]+$/.test(jobId)) throw new Error(`sbatch printed '${run.stdout.trim()}', not a job id`);
  return { jobId, script };
}

/** Array tasks of a job still known to squeue: index → state (PENDING, RUNNING, COMPLETING, …); null once the job has left the queue. */
export function queuedTasks(jobId: string): Map<number, string> | null {
  const run = spawnSync('squeue', ['-h', '-r', '-j', jobId, '-o', '%K %T'], { encoding: 'utf8' });
  if (run.status !== 0) {
    if (/Invalid job id/i.test(run.stderr)) return null;
    throw new Error(`squeue failed (exit ${run.status}): ${run.stderr.trim()}`);
  }
  const tasks = new Map<number, string>();
  for (const line of run.stdout.split('\n')) {
    const [index, state] = line.trim().split(/\s+/);
    if (index && state && /^[0-9]+$/.test(index)) tasks.set(Number(index), state);
  }
  return tasks.size === 0 ? null : tasks;
}

export interface SlurmOptions {
  /** Seconds between two looks at the queue (default 5; squeue is cheap, sbatch --wait polls every ~10 s). */
  pollSeconds: number;
  log: (line: string) => void;
  /** Called with the job id once submitted. */
  onSubmitted: ((jobId: string) => void) | null;
  /** Submit only these points (null: all). */
  only: number[] | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The job ids of this sweep's earlier submissions (one per line in `slurm-jobs.txt`). */
function submittedJobs(sweep: Sweep): string[] {
  const file = join(sweep.stateDir, 'slurm-jobs.txt');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => /^[0-9]+$/.test(l)) : [];
}

/** Watches array tasks `indices` of `jobId` until none is left in the queue: a line whenever the counts change. */
async function watchSlurmJob(sweep: Sweep, jobId: string, indices: number[], poll: number, log: (line: string) => void): Promise<void> {
  const since = Date.now();
  let last = '';
  for (;;) {
    const queue = queuedTasks(jobId);
    const fresh = (i: number) => {
      const r = readVerifiedJson<SweepTaskRecord>(taskRecordFile(sweep.stateDir, i));
      return r && Date.parse(r.finishedAt) >= since - 1000 ? r : null;
    };
    let waiting = 0;
    let running = 0;
    for (const state of queue?.values() ?? []) {
      if (state === 'PENDING') waiting++;
      else running++;
    }
    const ended = indices.filter((i) => !queue?.has(i));
    const done = ended.filter((i) => fresh(i)?.ok).length;
    const line = `  job ${jobId}: ${waiting} pending, ${running} running, ${done} done, ${ended.length - done} failed`;
    if (line !== last) log(`${line} (${((Date.now() - since) / 1000).toFixed(0)} s)`);
    last = line;
    if (queue === null) return;
    await sleep(poll * 1000);
  }
}

/**
 * Submits the pending points as one job array and watches it: a line whenever the counts of pending / running / done /
 * failed tasks change (from squeue and the task records); returns when no task of the array is left in the queue.
 * An earlier submission of the same sweep still in the queue (its watcher was interrupted, say) is watched first, and
 * only the points it leaves without a result are submitted: a point never runs twice at once.
 */
export async function runSweepOnSlurm(sweep: Sweep, options: Partial<SlurmOptions> = {}): Promise<SweepOutcome> {
  const log = options.log ?? (() => {});
  const poll = options.pollSeconds ?? 5;
  const started = Date.now();
  prepareStateDir(sweep);
  for (const earlier of submittedJobs(sweep)) {
    const queue = queuedTasks(earlier);
    if (queue === null) continue;
    log(`sweep ${sweep.file.name}: Slurm job ${earlier} of an earlier submission still has ${queue.size} tasks in the queue: watching it first`);
    await watchSlurmJob(sweep, earlier, [...queue.keys()], poll, log);
  }
  const pending = pendingPoints(sweep, options.only ?? null).map((p) => p.index);
  if (pending.length === 0) {
    const which = options.only ? `the ${options.only.length} chosen` : `all ${sweep.points.length}`;
    log(`sweep ${sweep.file.name}: ${which} points are done; nothing to submit (${sweep.stateDir})`);
    return outcome(sweep, 'slurm', [], started, null);
  }
  const { jobId, script } = submitToSlurm(sweep, pending);
  writeFileAtomic(join(sweep.stateDir, 'slurm-jobs.txt'), [...submittedJobs(sweep), jobId, ''].join('\n'));
  log(`sweep ${sweep.file.name}: submitted ${pending.length} of ${sweep.points.length} points as Slurm job ${jobId} (${script})`);
  options.onSubmitted?.(jobId);
  await watchSlurmJob(sweep, jobId, pending, poll, log);
  return outcome(sweep, 'slurm', pending, started, jobId);
}

/** A few lines about the outcome; a failed point names its error and log. */
export function describeOutcome(sweep: Sweep, o: SweepOutcome): string[] {
  const notRun = o.notRun ? `, ${o.notRun} not run (not in --only)` : '';
  const lines = [`sweep ${sweep.file.name}: ${o.done} of ${sweep.points.length} points done, ${o.failed.length} failed, ${o.missing.length} without a result${notRun} (${o.engine}, ${o.seconds.toFixed(1)} s)`];
  const logOf = (s: PointStatus) => {
    const id = s.record?.jobId ?? o.jobId;
    return o.engine === 'slurm' && id ? `; log: ${slurmLogFile(sweep, id, s.point.index)}` : '';
  };
  for (const s of o.failed) lines.push(`  point ${s.point.index} (${s.point.label}) failed: ${s.record!.error!.split('\n')[0]}${logOf(s)}`);
  for (const s of o.missing) lines.push(`  point ${s.point.index} (${s.point.label}) wrote no result (killed, cancelled, or out of time or memory?)${logOf(s)}`);
  if (o.failed.length + o.missing.length > 0) lines.push('  run the same command again to run only these points');
  return lines;
}

export interface CollectedPoint {
  index: number;
  values: Record<string, unknown>;
  options: object;
  result: unknown;
}

export interface CollectedSweep {
  name: string;
  job: string;
  points: CollectedPoint[];
  /** Digest of every point's digest, in order: equal for two sweeps with bitwise equal results. */
  digest: string;
}

/**
 * Merges the results of every point into `<stateDir>/results.json` (or `out`): each point's result is read through
 * its job function with the cache read-only (nothing is computed here) and must match the digest its task recorded.
 */
export async function collectSweep(sweep: Sweep, out: string = join(sweep.stateDir, 'results.json')): Promise<{ file: string; collected: CollectedSweep }> {
  const statuses = pointStatuses(sweep);
  const notDone = statuses.filter((s) => s.state !== 'done');
  if (notDone.length) {
    throw new Error(`sweep ${sweep.file.name}: ${notDone.length} of ${statuses.length} points have no result yet (${notDone.slice(0, 10).map((s) => `${s.point.index}: ${s.state}`).join(', ')}${notDone.length > 10 ? ', …' : ''}); run the sweep first`);
  }
  const mod = (await import(sweep.kind.moduleUrl.href)) as Record<string, (o: object) => unknown>;
  const job = mod[sweep.kind.exportName];
  const points: CollectedPoint[] = [];
  const digests: string[] = [];
  withSweepEnv(sweep.file, () => {
    for (const s of statuses) {
      let result: unknown;
      try {
        result = readCacheOnly(() => job(structuredClone(s.point.options)));
      } catch (e) {
        if (e instanceof CacheMissError) throw new Error(`sweep ${sweep.file.name}: point ${s.point.index} (${s.point.label}) is recorded as done but its result is not in ${sweep.file.cacheDir} (${e.message}); is the cache folder the one the tasks wrote to?`);
        throw e;
      }
      const digest = resultDigest(result, sweep.kind.timingKeys);
      if (digest !== s.record!.digest) throw new Error(`sweep ${sweep.file.name}: point ${s.point.index} (${s.point.label}): the cached result differs from what its task computed (digest ${digest.slice(0, 12)} ≠ ${s.record!.digest!.slice(0, 12)})`);
      digests.push(digest);
      points.push({ index: s.point.index, values: s.point.values, options: s.point.options, result });
    }
  });
  const collected: CollectedSweep = { name: sweep.file.name, job: sweep.file.job, points, digest: createHash('sha256').update(digests.join('\n')).digest('hex') };
  writeVerifiedJson(out, collected);
  return { file: out, collected };
}

/** `scancel` a job (used by the tests and by a user's Ctrl-C). */
export function cancelSlurmJob(jobId: string): void {
  execFileSync('scancel', [jobId]);
}
