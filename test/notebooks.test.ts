// Executes every notebook at quick scale through Jupyter and the real tslab kernel (the same runner as
// `npm run reproduce`), then opens the exported HTML in headless Chromium and checks that every figure drew.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeToggleWorks, inspectFigures, sliderMovesPlot } from './support/browser.js';
import { lintNotebook } from './support/figureLint.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'build', 'test-results');
const notebooks = readdirSync(join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb')).map((f) => f.replace(/\.ipynb$/, ''));
/**
 * The claims each notebook must record, with the verdict they reach at quick scale. A notebook that silently skips a
 * check fails, and so does a verdict that changes: a claim documented as not reproduced must be re-examined (and
 * its notebook text updated) if it starts to reproduce, and vice versa.
 */
const R = 'reproduced';
const EXPECTED_CLAIMS: Record<string, Record<string, string>> = {
  '00-random-rate-network': { I1: R, I2: R, I3: R },
  '03-bptt-leaky-rnn': { E1: R, E2: R, E3: R, E4: R, E5: R },
  // Quick scale is pipeline-only for B6 (papers/beer-barak-2019/README.md §7); at full scale both parts are documented as not reproduced.
  // Quick scale checks T1 and T3 (README §7); T4, T6 and T12 are pipeline-only at quick scale (N stays below 12).
  '05-timescales-curricula': { T1: R, T2: 'not reproduced', T3: R, T4: 'not reproduced', T5: R, T6: 'not reproduced', T12: 'not reproduced', T13: R },
  // Quick scale is pipeline-only for the controls (README §7): one seed, 10,000 steps.
  '06-timescales-controls': { T7: 'not reproduced', T11: R },
  // The three other FORCE protocols of notebook 04's section 4 fail at quick scale too (and at full scale).
  '04-force-lms-limit-cycles': {
    'B6 (FORCE produces every frequency)': 'not reproduced',
    'B6 (FORCE produces every frequency, no learning during the cue)': 'not reproduced',
    'B6 (FORCE produces every frequency, no learning during the cue and the first output period)': 'not reproduced',
    'B6 (FORCE produces every frequency, trained on the test frequencies only)': 'not reproduced',
    'B6 (LMS keeps the most recent cycle)': 'not reproduced',
  },
  '01-force-lms-reduced-model': { 'B1 (reduced model)': R, 'B2 (reduced model)': R, 'B3 (reduced model)': R, 'B4 (reduced model)': R, 'B5 (reduced model)': R },
  // Closed loop, documented in notebook 02: B1 an approximate line attractor with slow drift; B3 the transfer index
  // scatters; B4 fails through its "RLS meets B1" clause; B5 FORCE sits just above 1e-5 at trial 100.
  // S4's mean-field part is not reproduced at any scale (interference is a switch in f_in, not a trend).
  '07-interference-reduced-models': { S0: R, S2: R, S3: R, 'S4 (mean field)': 'not reproduced' },
  // Quick scale (N = 64, one seed, 500 B steps): the 2×2 network at g = 0.9 stays on the phase-A plateau, so S1 has no
  // run to measure there; S5a holds for the constrained output (g = 0 never learns B in 500 steps).
  '08-interference-networks': { S1: 'not reproduced', 'S5a (full rank, constrained)': R, 'S5a (full rank, unconstrained)': 'not reproduced', S5b: 'not reproduced', 'S4 (full rank)': 'not reproduced' },
  // Romo is not learned from scratch in the budget, so S6 (both orders) is not measurable; flip-flop → Romo forgets.
  '09-interference-neuro-tasks': { 'S1 (neuroscience pair)': R, S6: 'not reproduced' },
  // Quick-scale snapshots reach N = 6 only, below the common N ≥ 12 both claims require: pipeline only.
  '10-timescales-robustness': { T8: 'not reproduced', T9: 'not reproduced', T10: 'not reproduced' },
  // N-DMS at quick scale (one seed, N ≤ 8): multi-head is only 0.83x faster; τ′ behaves as on parity (T5), no tail (T4).
  '11-timescales-dms': { 'T14 (T1 on N-DMS)': 'not reproduced', 'T14 (T4 on N-DMS)': 'not reproduced', 'T14 (T5 on N-DMS)': R },
  // Gated networks at quick scale (H = 32, 1,500 steps, one seed): multi-head reaches N = 6, single-head N = 4, for both cells.
  '13-timescales-gated': { T15: R },
  // Across the studies (the criteria of lib/src/synthesis/README.md §3): at quick scale FORCE's median I is 0 and LMS's
  // a few thousandths (X1 by a small margin, noted); the constrained output goes beyond naive; single-head ≈ 1, multi-head 0.
  '12-interference-across-studies': { 'X1 (online learning)': R, 'X2 (gradient descent A → B)': R, 'X3 (curricula)': R },
  // The delay-only protocol (second parts): FORCE gets below 1e-5 (B5 holds) but values still drift past B1's 0.05 in 30 τ.
  '02-force-lms-closed-loop': {
    'B1 (closed loop)': 'not reproduced',
    'B1 (closed loop, delay-only learning)': 'not reproduced',
    'B2 (closed loop)': R,
    'B2 (closed loop, delay-only learning)': R,
    'B3 (closed loop)': 'not reproduced',
    'B3 (closed loop, delay-only learning)': 'not reproduced',
    // With the pattern-task probes LMS's rank correlation meets 0.8 (0.92 and 0.89 at quick scale); FORCE's part fails.
    'B3 (closed loop, with pattern-task probes)': 'not reproduced',
    'B3 (closed loop, delay-only learning, with pattern-task probes)': 'not reproduced',
    'B4 (closed loop)': 'not reproduced',
    'B4 (closed loop, delay-only learning)': 'not reproduced',
    'B5 (closed loop)': 'not reproduced',
    'B5 (closed loop, delay-only learning)': R,
  },
};

test('every notebook executes at quick scale without errors or stderr output, and its claims reach their documented verdicts', { timeout: 40 * 60_000 }, (t) => {
  rmSync(out, { recursive: true, force: true });
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const run = spawnSync(python, [join(root, 'scripts', 'run_notebooks.py'), '--quick', '--out', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const line of run.stdout.trim().split('\n')) t.diagnostic(line);
  assert.equal(run.status, 0, `notebook run failed:\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-2000)}`);
  const claims: { id: string; part?: string; notebook: string; verdict: string; value: unknown }[] = JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8'));
  for (const nb of notebooks) {
    const verdicts = Object.fromEntries(claims.filter((c) => c.notebook === nb).map((c) => [c.part ? `${c.id} (${c.part})` : c.id, c.verdict]));
    assert.deepEqual(verdicts, EXPECTED_CLAIMS[nb] ?? {}, `claims and verdicts recorded by ${nb}`);
  }
});

test('each student edition runs up to its first exercise and stops there with the stub\'s message, not another error', { timeout: 10 * 60_000 }, () => {
  const studentDir = join(root, 'notebooks', 'student');
  const withExercises = readdirSync(studentDir)
    .filter((f) => f.endsWith('.ipynb'))
    .map((f) => ({ name: f.replace(/\.ipynb$/, ''), first: /lab\.notWritten\('([^']+)'\)/.exec(readFileSync(join(studentDir, f), 'utf8'))?.[1] }))
    .filter((n): n is { name: string; first: string } => n.first !== undefined);
  assert.ok(withExercises.length >= 2, `student editions with exercises: ${withExercises.map((n) => n.name).join(', ')}`);
  const studentOut = join(root, 'build', 'test-student');
  rmSync(studentOut, { recursive: true, force: true });
  const python = readFileSync(join(root, 'build', 'python-path'), 'utf8').trim();
  const only = withExercises.flatMap((n) => ['--only', n.name]);
  const run = spawnSync(python, [join(root, 'scripts', 'run_notebooks.py'), '--quick', '--notebooks', studentDir, ...only, '--out', studentOut], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.notEqual(run.status, 0, 'a student edition with unwritten exercises must not run through');
  for (const { name, first } of withExercises) {
    const cells: { cell_type: string; outputs?: { name?: string; output_type: string; text?: string | string[]; ename?: string; evalue?: string }[] }[] = JSON.parse(readFileSync(join(studentOut, `${name}.ipynb`), 'utf8')).cells;
    const failing = cells.flatMap((c, i) => (c.outputs ?? []).filter((o) => o.output_type === 'error' || o.name === 'stderr').map((o) => ({ i, text: o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : [o.text ?? ''].flat().join('') })));
    assert.ok(failing.length >= 1, `${name}: no error recorded`);
    assert.match(failing[0].text, new RegExp(`ExerciseNotWritten: exercise ${first.replace('.', '\\.')}: not written yet`), `${name}: the first error is exercise ${first}'s stub`);
  }
});

test('every figure of every exported notebook draws its traces in Chromium, with no page errors', { timeout: 10 * 60_000 }, async () => {
  for (const nb of notebooks) {
    const report = await inspectFigures(join(out, `${nb}.html`));
    assert.ok(report.figures.length > 0, `${nb}: no figures found`);
    for (const f of report.figures) {
      assert.ok(f.traces > 0 && f.drawnTraces > 0, `${nb}: figure ${f.id} drew ${f.drawnTraces} of ${f.traces} traces`);
    }
    assert.deepEqual(report.errors, [], `${nb}: page errors`);
    // Portable: nothing loaded from file:///usr/share or online, and the equations typeset from assets/.
    assert.deepEqual(report.externalScripts, [], `${nb}: scripts from outside the results folder`);
    assert.deepEqual(report.blocked, [], `${nb}: requests outside the results folder`);
    const cells: { cell_type: string; source: string | string[] }[] = JSON.parse(readFileSync(join(out, `${nb}.ipynb`), 'utf8')).cells;
    const hasMath = cells.some((c) => c.cell_type === 'markdown' && [c.source].flat().join('').includes('$'));
    if (hasMath) assert.ok(report.formulas > 0, `${nb}: no equation was typeset`);
    // The static export (the reproduce job's results/figures/): an SVG and a PNG of every figure.
    for (let k = 1; k <= report.figures.length; k++) {
      for (const ext of ['svg', 'png']) {
        const file = join(out, 'figures', nb, `fig${k}.${ext}`);
        assert.ok(existsSync(file) && statSync(file).size > 5000, `${nb}: ${file} exported`);
      }
    }
    assert.ok(readFileSync(join(out, 'figures', nb, 'fig1.svg'), 'utf8').startsWith('<svg'), `${nb}: fig1.svg is an SVG`);
  }
});

test('every figure of every executed notebook passes the figure linter (title, axis titles, legend, power-of-ten log axes, finite data)', () => {
  const problems: string[] = [];
  let figures = 0;
  for (const nb of notebooks) {
    const r = lintNotebook(join(out, `${nb}.ipynb`));
    figures += r.figures;
    problems.push(...r.problems.map((p) => `${p.notebook} figure ${p.figure} "${p.title}": ${p.problem}`));
  }
  assert.ok(figures > 50, `expected the notebooks' figures, found ${figures}`);
  assert.deepEqual(problems, []);
});

test('the exported pages share one plotly.js and MathJax in assets/, hide their code on request, and the index links them all', { timeout: 5 * 60_000 }, async () => {
  for (const asset of ['assets/plotly.min.js', 'assets/mathjax/tex-svg-full.js']) assert.ok(existsSync(join(out, asset)), `${asset} beside the pages`);
  for (const nb of notebooks) {
    const html = readFileSync(join(out, `${nb}.html`), 'utf8');
    assert.ok(!html.includes('data-rnnlab="plotly.js"'), `${nb}: plotly.js still inlined`);
    assert.ok(!html.includes('file:///'), `${nb}: a file:/// reference`);
    assert.ok(statSync(join(out, `${nb}.html`)).size < 2.5e6, `${nb}: page of ${statSync(join(out, `${nb}.html`)).size} bytes`);
  }
  assert.deepEqual(await codeToggleWorks(join(out, `${notebooks[0]}.html`)), { before: true, hidden: true, shownAgain: true });
  const index = readFileSync(join(out, 'index.html'), 'utf8');
  const claims: { id: string; part?: string; notebook: string }[] = JSON.parse(readFileSync(join(out, 'claims.json'), 'utf8'));
  for (const nb of notebooks) assert.ok(index.includes(`href="${nb}.html"`), `index links ${nb}`);
  // …and each notebook's student edition in the repository, by a relative path that resolves from the output folder.
  for (const nb of notebooks) {
    const link = new RegExp(`href="([^"]*student/${nb}\\.ipynb)"`).exec(index)?.[1];
    assert.ok(link && existsSync(join(out, link)), `index links the student edition of ${nb} (${link})`);
  }
  for (const c of claims) assert.ok(index.includes(`${c.id}${c.part ? ` (${c.part.replace(/&/g, '&amp;').replace(/</g, '&lt;')})` : ''}: `), `index lists ${c.id} ${c.part ?? ''}`);
  const report = await inspectFigures(join(out, 'index.html'));
  assert.deepEqual(report.errors, []);
});

test('the interactive figures work in the exported page: clicking a slider changes the plot', { timeout: 5 * 60_000 }, async () => {
  // The three interactive figures: q̂ profile after trial k (01), τ′ distribution against solved N (05), the phase
  // portrait during phase B (07).
  for (const nb of ['01-force-lms-reduced-model', '05-timescales-curricula', '07-interference-reduced-models']) {
    const report = await sliderMovesPlot(join(out, `${nb}.html`));
    assert.ok(report.sliders.length >= 1 && report.sliders[0].steps >= 2, `${nb}: sliders ${JSON.stringify(report.sliders)}`);
    assert.equal(report.activeAfter, 0, `${nb}: a click at the left end of the rail selects the first step`);
    assert.notEqual(report.activeBefore, report.activeAfter, nb);
    assert.ok(report.changed, `${nb}: the traces changed with the slider`);
  }
});

test('the browser check fails when plotly cannot draw (a page without plotly.js)', { timeout: 5 * 60_000 }, async () => {
  const html = readFileSync(join(out, `${notebooks[0]}.html`), 'utf8');
  const broken = html.replace('<script src="assets/plotly.min.js"></script>', '');
  assert.notEqual(broken, html, 'the exported page should load the shared plotly.js');
  const file = join(out, 'broken.html');
  writeFileSync(file, broken);
  const report = await inspectFigures(file);
  assert.ok(report.figures.length > 0);
  assert.ok(report.figures.every((f) => f.drawnTraces === 0), 'no figure can draw without plotly.js');
});
