// Executes every notebook at quick scale through Jupyter and the real tslab kernel (the same runner as
// `npm run reproduce`), then opens the exported HTML in headless Chromium and checks that every figure drew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectFigures } from './support/browser.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'test-results');
const notebooks = readdirSync(join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).map((f) => f.replace(/\.ipynb$/, ''));
/** The claims each notebook must record (so a notebook that silently skips a check fails). */
const EXPECTED_CLAIMS: Record<string, string[]> = {
  '00-random-rate-network': ['I1', 'I2', 'I3'],
  '01-force-lms-reduced-model': ['B1 (reduced model)', 'B2 (reduced model)', 'B3 (reduced model)', 'B4 (reduced model)', 'B5 (reduced model)'],
};

test('every notebook executes at quick scale without errors or stderr output, and its claims reproduce', { timeout: 40 * 60_000 }, () => {
  rmSync(out, { recursive: true, force: true });
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const run = spawnSync(python, [join(root, 'scripts', 'run_notebooks.py'), '--quick', '--out', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  process.stdout.write(run.stdout.split('\n').map((l) => `# ${l}`).join('\n') + '\n');
  assert.equal(run.status, 0, `notebook run failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-2000)}`);
  const claims: { id: string; part?: string; notebook: string; verdict: string; value: unknown }[] = JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8'));
  for (const nb of notebooks) {
    const ids = claims.filter((c) => c.notebook === nb).map((c) => (c.part ? `${c.id} (${c.part})` : c.id)).sort();
    assert.deepEqual(ids, [...(EXPECTED_CLAIMS[nb] ?? [])].sort(), `claims recorded by ${nb}`);
  }
  const failed = claims.filter((c) => c.verdict !== 'reproduced');
  assert.deepEqual(failed, [], 'claims not reproduced at quick scale');
});

test('every figure of every exported notebook draws its traces in Chromium, with no page errors', { timeout: 10 * 60_000 }, async () => {
  for (const nb of notebooks) {
    const report = await inspectFigures(join(out, `${nb}.html`));
    assert.ok(report.figures.length > 0, `${nb}: no figures found`);
    for (const f of report.figures) {
      assert.ok(f.traces > 0 && f.drawnTraces > 0, `${nb}: figure ${f.id} drew ${f.drawnTraces} of ${f.traces} traces`);
    }
    assert.deepEqual(report.errors, [], `${nb}: page errors`);
  }
});

test('the browser check fails when plotly cannot draw (a page with plotly.js removed)', { timeout: 5 * 60_000 }, async () => {
  const html = readFileSync(join(out, `${notebooks[0]}.html`), 'utf8');
  const broken = html.replace(/window\.Plotly = Plotly;/g, '');
  assert.notEqual(broken, html, 'the exported page should inline plotly.js');
  const file = join(out, 'broken.html');
  writeFileSync(file, broken);
  const report = await inspectFigures(file);
  assert.ok(report.figures.length > 0);
  assert.ok(report.figures.every((f) => f.drawnTraces === 0), 'no figure can draw without plotly.js');
});
