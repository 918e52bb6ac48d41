// The Slurm engine of `npm run sweep` on a real single-node cluster (scripts/slurm-local.sh: Debian's slurm-wlm and
// munge, installed by setup when root): a small sweep run as a job array gives bitwise the results of the same sweep
// run locally; a task cancelled mid-run is the only one a resubmission runs, it resumes from its checkpoint and ends
// with the numbers of an uninterrupted run; a bad sweep file fails before anything is submitted. Skipped with a
// message where Slurm cannot run (not root, or no Debian packages). Every daemon started here is stopped.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'lib', 'dist', 'sweeps', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'slurm-test-'));
const clusterDir = join(work, 'cluster');
let skip: string | false = false;
const env = { ...process.env, SLURM_CONF: join(clusterDir, 'slurm.conf') };

before(() => {
  const start = spawnSync('bash', [join(root, 'scripts', 'slurm-local.sh'), 'start', clusterDir], { encoding: 'utf8' });
  if (start.status === 3) skip = `Slurm cannot run here: ${start.stderr.trim()}`;
  else if (start.status !== 0) throw new Error(`scripts/slurm-local.sh start failed (exit ${start.status}):\n${start.stderr}`);
});

after(() => {
  spawnSync('bash', [join(root, 'scripts', 'slurm-local.sh'), 'stop', clusterDir], { encoding: 'utf8' });
  rmSync(work, { recursive: true, force: true });
});

function sweepFile(name: string, body: Record<string, unknown>): string {
  const path = join(work, `${name}.json`);
  writeFileSync(path, JSON.stringify({ name, job: 'timescales.curriculum', resources: { memory: '500M', time: '00:10:00' }, env: { RNNLAB_CHECKPOINT_SECONDS: '0' }, ...body }));
  return path;
}

function sweep(args: string[]): { status: number | null; out: string } {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env, timeout: 240_000 });
  return { status: run.status, out: `${run.stdout}${run.stderr}` };
}

const digestOf = (out: string): string => {
  const m = /digest ([0-9a-f]{16})/.exec(out);
  assert.ok(m, `no digest in:\n${out}`);
  return m[1];
};

const TINY = { fixed: { size: 12, batchSize: 8, stepsPerEpoch: 10, testBatches: 2, heads: 6, maxSteps: 300, targetN: 4 }, grid: { seed: [1, 2], curriculum: ['single', 'multi'] } };

test('a 4-point sweep as a Slurm job array gives bitwise the results of the same sweep run locally', { timeout: 300_000 }, (t) => {
  if (skip) return t.skip(skip);
  const local = sweepFile('tiny-local', { ...TINY, cacheDir: join(work, 'cache-local') });
  const slurm = sweepFile('tiny-slurm', { ...TINY, cacheDir: join(work, 'cache-slurm') });
  const t0 = Date.now();
  const l = sweep([local]);
  const localSeconds = (Date.now() - t0) / 1000;
  assert.equal(l.status, 0, l.out);
  const t1 = Date.now();
  const s = sweep([slurm, '--engine', 'slurm', '--poll', '0.5']);
  const slurmSeconds = (Date.now() - t1) / 1000;
  assert.equal(s.status, 0, s.out);
  assert.match(s.out, /submitted 4 of 4 points as Slurm job [0-9]+/);
  assert.match(s.out, /4 of 4 points done, 0 failed, 0 without a result \(slurm/);
  const records = readdirSync(join(work, 'cache-slurm', 'sweeps'));
  assert.equal(records.length, 1);
  const taskRecord = readFileSync(join(work, 'cache-slurm', 'sweeps', records[0], 'tasks', '0.json'), 'utf8');
  assert.match(taskRecord, /"engine":"slurm"/);
  assert.match(taskRecord, /"jobId":"[0-9]+"/);
  const dl = digestOf(sweep([local, '--collect']).out);
  const ds = digestOf(sweep([slurm, '--collect']).out);
  assert.equal(ds, dl, 'Slurm and local results are bitwise equal');
  // Nothing left to run: a second submission submits nothing.
  assert.match(sweep([slurm, '--engine', 'slurm']).out, /all 4 points are done; nothing to submit/);
  t.diagnostic(`wall time: local ${localSeconds.toFixed(1)} s, Slurm ${slurmSeconds.toFixed(1)} s (4 points)`);
});

test('a task cancelled mid-run is the only one resubmitted; it resumes from its checkpoint and ends with the uninterrupted numbers', { timeout: 400_000 }, async (t) => {
  if (skip) return t.skip(skip);
  // Two runs long enough (several seconds) to be cancelled after a checkpoint (one after every epoch here).
  const body = { fixed: { size: 32, batchSize: 16, stepsPerEpoch: 20, testBatches: 2, heads: 30, maxSteps: 6000, targetN: 30, curriculum: 'multi' }, grid: { seed: [1, 2] } };
  const local = sweepFile('resume-local', { ...body, cacheDir: join(work, 'resume-local') });
  const slurm = sweepFile('resume-slurm', { ...body, cacheDir: join(work, 'resume-slurm') });
  assert.equal(sweep([local]).status, 0);
  const reference = digestOf(sweep([local, '--collect']).out);

  const cache = join(work, 'resume-slurm');
  const child = spawn(process.execPath, [cli, slurm, '--engine', 'slurm', '--poll', '0.5'], { env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  // Wait for the job id and for a checkpoint of both running points, then cancel the task of point 0 only.
  const partials = () => (existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.partial')) : []);
  const deadline = Date.now() + 120_000;
  let jobId = '';
  while (Date.now() < deadline && !(jobId && partials().length >= 2)) {
    jobId = /as Slurm job ([0-9]+)/.exec(out)?.[1] ?? '';
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(jobId && partials().length >= 2, `no checkpoints appeared:\n${out}`);
  const cancel = spawnSync('scancel', [`${jobId}_0`], { env, encoding: 'utf8' });
  assert.equal(cancel.status, 0, cancel.stderr);
  const code = await exited;
  assert.equal(code, 1, `a sweep with a cancelled task ends unfinished:\n${out}`);
  assert.match(out, new RegExp(`point 0 \\(seed=1\\) wrote no result \\(killed, cancelled, or out of time or memory\\?\\); log: .*logs/${jobId}_0\\.out`));
  assert.match(out, /1 of 2 points done/);
  assert.equal(partials().length, 1, "the cancelled task's checkpoint survives; the finished one's is gone");

  const again = sweep([slurm, '--engine', 'slurm', '--poll', '0.5']);
  assert.equal(again.status, 0, again.out);
  const resubmitted = /submitted 1 of 2 points as Slurm job ([0-9]+)/.exec(again.out);
  assert.ok(resubmitted, `only the cancelled point runs again:\n${again.out}`);
  // The resubmitted task resumed from its checkpoint (its progress lines say from which step).
  const logs = join(cache, 'sweeps', readdirSync(join(cache, 'sweeps'))[0], 'logs');
  const log = readFileSync(join(logs, `${resubmitted[1]}_0.out`), 'utf8');
  assert.match(log, /"resumedAt":[1-9][0-9]*/, log);
  assert.equal(partials().length, 0, 'checkpoints are removed once the runs are cached');
  assert.equal(digestOf(sweep([slurm, '--collect']).out), reference, 'the interrupted sweep ends with the numbers of an uninterrupted run');
});

test('a sweep whose watcher was killed is watched again, not submitted twice', { timeout: 300_000 }, async (t) => {
  if (skip) return t.skip(skip);
  const body = { fixed: { size: 32, batchSize: 16, stepsPerEpoch: 20, testBatches: 2, heads: 30, maxSteps: 4000, targetN: 30, curriculum: 'multi' }, grid: { seed: [1, 2] } };
  const file = sweepFile('rewatch', { ...body, cacheDir: join(work, 'rewatch') });
  const child = spawn(process.execPath, [cli, file, '--engine', 'slurm', '--poll', '0.5'], { env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !/as Slurm job [0-9]+/.test(out)) await new Promise((r) => setTimeout(r, 50));
  const jobId = /as Slurm job ([0-9]+)/.exec(out)?.[1];
  assert.ok(jobId, out);
  child.kill('SIGKILL'); // the login session is gone; the array runs on
  await exited;
  const again = sweep([file, '--engine', 'slurm', '--poll', '0.5']);
  assert.equal(again.status, 0, again.out);
  assert.match(again.out, new RegExp(`Slurm job ${jobId} of an earlier submission still has [12] tasks in the queue: watching it first`));
  assert.doesNotMatch(again.out, /submitted/, 'nothing submitted a second time');
  assert.match(again.out, /2 of 2 points done, 0 failed/);
});

test('a bad sweep file fails before anything is submitted, naming the field', { timeout: 60_000 }, (t) => {
  if (skip) return t.skip(skip);
  const before = spawnSync('squeue', ['-h', '-o', '%i'], { env, encoding: 'utf8' }).stdout;
  for (const [body, field] of [
    [{ ...TINY, job: 'timescales.nope' }, 'sweep.job'],
    [{ ...TINY, grid: { seeds: [1] } }, 'sweep.grid.seeds'],
    [{ ...TINY, grid: {} }, 'sweep.grid'],
  ] as const) {
    const file = sweepFile('bad', { ...body, cacheDir: join(work, 'cache-bad') });
    const r = sweep([file, '--engine', 'slurm']);
    assert.equal(r.status, 2, r.out);
    assert.match(r.out, new RegExp(`^sweep: ${field.replace(/\./g, '\\.')}: `, 'm'));
  }
  assert.equal(existsSync(join(work, 'cache-bad')), false, 'no state folder was written');
  assert.equal(spawnSync('squeue', ['-h', '-o', '%i'], { env, encoding: 'utf8' }).stdout, before, 'nothing was submitted');
});
