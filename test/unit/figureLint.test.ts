// The figure linter must catch what it claims to (each rule broken once on an otherwise clean figure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lintFigure } from '../support/figureLint.js';
import { linePlot, plainFigure, stackedPanels } from '../../lib/src/index.js';

const clean = () => plainFigure(linePlot({ title: 'Loss against training step', series: [{ x: [1, 2], y: [1, 0.5], name: 'FORCE' }, { x: [1, 2], y: [2, 1], name: 'LMS' }], x: { title: 'step' }, y: { title: 'loss', log: true } })) as unknown as Record<string, any>;

test('a clean figure passes the linter', () => {
  assert.deepEqual(lintFigure(clean()), []);
});

test('each rule of the linter fails its broken figure', () => {
  const cases: [string, (f: Record<string, any>) => void, RegExp][] = [
    ['no title', (f) => (f.layout.title = { text: '' }), /no title/],
    ['no x-axis title', (f) => delete f.layout.xaxis.title, /xaxis has no title/],
    ['SI-prefix log axis', (f) => delete f.layout.yaxis.exponentformat, /yaxis is logarithmic with SI-prefix labels/],
    ['legend hidden with two named traces', (f) => (f.layout.showlegend = false), /2 named traces but no legend/],
    ['a non-finite value', (f) => (f.data[0].y = [1, 'NaN']), /trace 0 \(FORCE\) has non-finite y/],
  ];
  for (const [name, breakIt, message] of cases) {
    const f = clean();
    breakIt(f);
    assert.ok(lintFigure(f).some((p) => message.test(p)), `${name}: ${JSON.stringify(lintFigure(f))}`);
  }
});

test('stacked panels show a legend with one entry per name, shared across panels', () => {
  const fig = stackedPanels({
    title: 'τ′ statistics',
    x: { title: 'N' },
    panels: [
      { title: 'mean', series: [{ x: [1], y: [1], name: 'single-head' }, { x: [1], y: [2], name: 'multi-head' }] },
      { title: 'std', series: [{ x: [1], y: [1], name: 'single-head' }, { x: [1], y: [2], name: 'multi-head' }] },
    ],
  });
  assert.equal(fig.layout.showlegend, true);
  assert.deepEqual(fig.data.map((t) => [t.name, t.showlegend, t.legendgroup]), [['single-head', true, 'single-head'], ['multi-head', true, 'multi-head'], ['single-head', false, 'single-head'], ['multi-head', false, 'multi-head']]);
  assert.deepEqual(lintFigure(plainFigure(fig) as never), []);
  const unnamed = stackedPanels({ title: 't', x: { title: 'time' }, panels: [{ series: [{ x: [1], y: [1] }] }] });
  assert.equal(unnamed.layout.showlegend, false);
});

test('reference lines are dashed lines across the plot with their label, and bad ones are named', async () => {
  const { ParameterError } = await import('../../lib/src/index.js');
  const fig = linePlot({ title: 't', series: [], x: { title: 'x' }, y: { title: 'y' }, references: [{ axis: 'y', value: 0.5, label: 'chance' }, { axis: 'x', value: 1, label: 'Re λ = 1' }] });
  const shapes = fig.layout.shapes as Record<string, any>[];
  assert.deepEqual(shapes.map((s) => [s.xref, s.yref, s.x0, s.x1, s.y0, s.y1, s.line.dash]), [['paper', 'y', 0, 1, 0.5, 0.5, 'dash'], ['x', 'paper', 1, 1, 0, 1, 'dash']]);
  assert.deepEqual((fig.layout.annotations as Record<string, unknown>[]).map((a) => a.text), ['chance', 'Re λ = 1']);
  assert.throws(() => linePlot({ title: 't', series: [], references: [{ axis: 'z' as never, value: 1, label: 'a' }] }), (e: unknown) => e instanceof ParameterError && /references\[0\]\.axis: must be 'x' or 'y'/.test(e.message));
  assert.throws(() => linePlot({ title: 't', series: [], references: [{ axis: 'y', value: Number.NaN, label: 'a' }] }), (e: unknown) => e instanceof ParameterError && /references\[0\]\.value/.test(e.message));
});

test('a log-axis floor raises tiny values to it, draws a labelled line there (label in log10 units), and is named when misused', async () => {
  const { ParameterError } = await import('../../lib/src/index.js');
  const fig = linePlot({ title: 't', series: [{ x: [0, 1, 2], y: [1, 1e-30, Number.NaN], name: 'L' }], x: { title: 'step' }, y: { title: 'loss', log: true, floor: { value: 1e-12, label: 'below 1e-12' } } });
  assert.deepEqual(Array.from(fig.data[0].y as number[]), [1, 1e-12, Number.NaN]);
  const shape = (fig.layout.shapes as Record<string, number>[])[0];
  assert.equal(shape.y0, 1e-12);
  assert.equal((fig.layout.annotations as Record<string, number>[])[0].y, -12);
  const panels = stackedPanels({ title: 't', x: { title: 'step' }, panels: [{ series: [{ x: [0], y: [1] }] }, { series: [{ x: [0], y: [1e-20] }], y: { title: 'loss', log: true, floor: { value: 1e-12, label: 'f' } } }] });
  assert.deepEqual((panels.layout.shapes as Record<string, unknown>[]).map((s) => s.yref), ['y2']);
  assert.deepEqual(Array.from(panels.data[1].y as number[]), [1e-12]);
  assert.throws(() => linePlot({ title: 't', series: [], y: { floor: { value: 1, label: 'x' } } }), (e: unknown) => e instanceof ParameterError && /linePlot\.y\.floor: is for logarithmic axes/.test(e.message));
});
