// The notebook runner's failure reporting: a throwing cell and a cell writing to stderr each fail the run, and the
// message names the notebook, the cell and the error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const run = spawnSync(python, [join(root, 'scripts', 'run_notebooks.py'), '--quick', '--notebooks', dir, '--out', join(dir, 'out')], { encoding: 'utf8' });
  assert.equal(run.status, 1, run.stdout);
  assert.match(run.stdout, /FAILED a-throws after [\d.]+ s: cell 1: .*deliberate failure 42/);
  assert.match(run.stdout, /FAILED b-stderr after [\d.]+ s: cell 0 wrote to stderr: to stderr/);
  assert.match(run.stdout, /FAILED d-type-error after [\d.]+ s: cell 0: .*not assignable to type 'number'/);
  assert.match(run.stdout, /1 of 4 notebooks executed/);
  assert.match(run.stdout, /FAILED notebooks: a-throws, b-stderr, d-type-error/);
  // Executed notebooks and HTML are written even for failures, so the error can be inspected.
  assert.ok(readFileSync(join(dir, 'out', 'a-throws.html'), 'utf8').includes('deliberate failure 42'));
});
