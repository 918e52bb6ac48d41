// The notebook runner's failure reporting: a throwing cell and a cell writing to stderr each fail the run, and the
// message names the notebook, the cell and the error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function notebook(cells: string[]): string {
  return JSON.stringify({
    cells: cells.map((source, i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: {}, outputs: [], source })),
    metadata: { kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } },
    nbformat: 4,
    nbformat_minor: 5,
  });
}

test('the runner fails on a throwing cell and on stderr output, naming notebook, cell and error', { timeout: 5 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-'));
  writeFileSync(join(dir, 'a-throws.ipynb'), notebook(['const ok = 1;', "throw new Error('deliberate failure 42');"]));
  writeFileSync(join(dir, 'b-stderr.ipynb'), notebook(["console.error('to stderr');"]));
  writeFileSync(join(dir, 'c-fine.ipynb'), notebook(['console.log(6 * 7);']));
  writeFileSync(join(dir, 'd-type-error.ipynb'), notebook(["const n: number = 'text';"]));
  // A library error: the summary is the error's class and message, not the source line of the throw.
  writeFileSync(join(dir, 'e-library.ipynb'), notebook([`import { createRateNetwork } from '${join(root, 'lib', 'dist', 'index.js')}';\ncreateRateNetwork({ n: -1 });`]));
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const run = spawnSync(python, [join(root, 'scripts', 'run_notebooks.py'), '--quick', '--notebooks', dir, '--out', join(dir, 'out')], { encoding: 'utf8' });
  assert.equal(run.status, 1, run.stdout);
  assert.match(run.stdout, /FAILED a-throws after [\d.]+ s: cell 1: .*deliberate failure 42/);
  assert.match(run.stdout, /FAILED b-stderr after [\d.]+ s: cell 0 wrote to stderr: to stderr/);
  assert.match(run.stdout, /FAILED d-type-error after [\d.]+ s: cell 0: .*not assignable to type 'number'/);
  assert.match(run.stdout, /FAILED e-library after [\d.]+ s: cell 0: ParameterError: n: must lie in \[1, inf\), got -1/);
  assert.doesNotMatch(run.stdout, /FAILED e-library[^\n]*throw new/);
  assert.match(run.stdout, /1 of 5 notebooks executed/);
  assert.match(run.stdout, /FAILED notebooks: a-throws, b-stderr, d-type-error, e-library/);
  // Executed notebooks and HTML are written even for failures, so the error can be inspected.
  assert.ok(readFileSync(join(dir, 'out', 'a-throws.html'), 'utf8').includes('deliberate failure 42'));
});

test('Ctrl-C (SIGINT) stops the whole job with exit code 130 instead of moving on to the next notebook', { timeout: 2 * 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-sigint-'));
  writeFileSync(join(dir, 'a-long.ipynb'), notebook(["console.log('started');", 'await new Promise((r) => setTimeout(r, 120_000));']));
  writeFileSync(join(dir, 'b-next.ipynb'), notebook(["console.log('next notebook ran');"]));
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const child = spawn(python, [join(root, 'scripts', 'run_notebooks.py'), '--quick', '--notebooks', dir, '--out', join(dir, 'out')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    if (/\[a-long\] cell 1 /.test(out) && !child.killed) setTimeout(() => child.kill('SIGINT'), 1000);
  });
  child.stderr.on('data', (d) => (out += d));
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130, out);
  assert.match(out, /INTERRUPTED during a-long/);
  assert.doesNotMatch(out, /\[2\/2\] b-next/);
  assert.ok(Date.now() - started < 90_000, 'the job did not stop promptly');
});

test('the paper-scale variant of notebook 05 runs only when its sweep has every run in the cache', { timeout: 5 * 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-variant-'));
  const cache = join(dir, 'cache');
  // A stand-in for notebook 05 that shows which variant it runs in.
  writeFileSync(join(dir, '05-timescales-curricula.ipynb'), notebook(["console.log(`variant=${process.env.RNNLAB_TIMESCALES_VARIANT ?? 'none'} n=${process.env.RNNLAB_TIMESCALES_N ?? '-'}`);"]));
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const run = () => spawnSync(python, [join(root, 'scripts', 'run_notebooks.py'), '--notebooks', dir, '--out', join(dir, 'out')], { encoding: 'utf8', env: { ...process.env, RNNLAB_CACHE: cache } });
  const first = run();
  assert.equal(first.status, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /\[variant paper scale\] skipped: 0 of 8 runs in the cache \(npm run sweep -- sweeps\/timescales-paper-curricula.json/);
  assert.match(first.stdout, /\[variant n = 64\] 05-timescales-curricula/);
  // Record every point of the preset as done (what a finished cluster sweep leaves): now the variant runs.
  const { sweeps, writeVerifiedJson } = await import('../lib/src/index.js');
  const saved = process.env.RNNLAB_CACHE;
  process.env.RNNLAB_CACHE = cache;
  try {
    const sweep = sweeps.loadSweep(join(root, 'sweeps', 'timescales-paper-curricula.json'));
    for (const p of sweep.points) {
      writeVerifiedJson(sweeps.taskRecordFile(sweep.stateDir, p.index), { index: p.index, label: p.label, ok: true, error: null, digest: '0', summary: 'stand-in', seconds: 0, engine: 'slurm', host: 'test', jobId: '1', finishedAt: new Date().toISOString() });
    }
  } finally {
    if (saved === undefined) delete process.env.RNNLAB_CACHE;
    else process.env.RNNLAB_CACHE = saved;
  }
  const second = run();
  assert.equal(second.status, 0, second.stdout + second.stderr);
  assert.match(second.stdout, /\[variant paper scale\] 05-timescales-curricula/);
  assert.ok(readFileSync(join(dir, 'out', 'paper', '05-timescales-curricula.ipynb'), 'utf8').includes('variant=paper n=-'));
});

test('at full scale the notebooks run in two lanes at once: the timescales notebooks beside the others, reported in notebook order', { timeout: 5 * 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-lanes-'));
  // Each notebook marks that it started and waits for the other's mark: only two lanes running at once both finish.
  const meet = (me: string, other: string) => [
    `import { writeFileSync, existsSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(dir, me))}, '1');`,
    `for (let i = 0; i < 600 && !existsSync(${JSON.stringify(join(dir, other))}); i++) await new Promise((r) => setTimeout(r, 100));\nif (!existsSync(${JSON.stringify(join(dir, other))})) throw new Error('the other lane never started');\nconsole.log('met');`,
  ];
  writeFileSync(join(dir, '00-light.ipynb'), notebook(meet('light-started', 'heavy-started')));
  writeFileSync(join(dir, '05-timescales-curricula.ipynb'), notebook(meet('heavy-started', 'light-started')));
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const run = spawnSync(python, [join(root, 'scripts', 'run_notebooks.py'), '--notebooks', dir, '--out', join(dir, 'out'), '--no-variants', '--lanes', '2'], { encoding: 'utf8', env: { ...process.env, RNNLAB_CACHE: join(dir, 'cache') } });
  assert.equal(run.status, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /\[lane 1\] 05-timescales-curricula/);
  assert.match(run.stdout, /\[lane 2\] 00-light/);
  assert.match(run.stdout, /2 of 2 notebooks executed/);
  const report = readFileSync(join(dir, 'out', 'REPORT.md'), 'utf8');
  assert.match(report, /on \d+ cores \(in 2 lanes\)/);
  assert.ok(report.indexOf('| 00-light |') < report.indexOf('| 05-timescales-curricula |'), 'the report lists notebooks in order');
});

test('SIGINT to a job running in lanes stops both lanes with exit code 130', { timeout: 2 * 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runner-lanes-sigint-'));
  const long = notebook(["console.log('started');", 'await new Promise((r) => setTimeout(r, 120_000));']);
  writeFileSync(join(dir, '00-long.ipynb'), long);
  writeFileSync(join(dir, '05-timescales-curricula.ipynb'), long);
  writeFileSync(join(dir, '07-next.ipynb'), notebook(["console.log('next notebook ran');"]));
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const child = spawn(python, [join(root, 'scripts', 'run_notebooks.py'), '--notebooks', dir, '--out', join(dir, 'out'), '--no-variants', '--lanes', '2'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RNNLAB_CACHE: join(dir, 'cache') } });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
    // Only this process gets the signal (not its process group): the job must pass it on to its lanes.
    if (/\[00-long\] cell 1 /.test(out) && /\[05-timescales-curricula\] cell 1 /.test(out) && !child.killed) setTimeout(() => child.kill('SIGINT'), 1000);
  });
  child.stderr.on('data', (d) => (out += d));
  const started = Date.now();
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130, out);
  assert.match(out, /INTERRUPTED during/);
  assert.doesNotMatch(out, /07-next\] done/);
  assert.ok(Date.now() - started < 90_000, 'the job did not stop promptly');
});
