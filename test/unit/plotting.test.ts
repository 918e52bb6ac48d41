import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linePlot, stackedPanels, heatmap, eigenvaluePlot, plainFigure, figureHtml, show, zeros } from '../../lib/src/index.js';

test('plainFigure turns typed arrays into rounded plain arrays', () => {
  const fig = linePlot({ title: 't', series: [{ x: new Float64Array([0, 1]), y: new Float64Array([Math.PI, 2]) }] });
  const p = plainFigure(fig);
  assert.deepEqual(p.data[0].x, [0, 1]);
  assert.deepEqual(p.data[0].y, [3.141593, 2]);
  assert.equal(JSON.parse(JSON.stringify(p)).layout.title.text, 't');
});

test('NaN is refused unless gaps are asked for; show validates outside a kernel', () => {
  const fig = linePlot({ title: 'bad', series: [{ x: [0, 1], y: new Float64Array([1, Number.NaN]), name: 'z' }] });
  assert.throws(() => plainFigure(fig), /figure 'bad', trace z.*entry 1 is NaN/);
  assert.throws(() => show(fig), /entry 1 is NaN/);
  assert.deepEqual(plainFigure(fig, { allowNonFinite: true }).data[0].y, [1, null]);
});

test('builders check shapes and lay out panels', () => {
  assert.throws(() => linePlot({ title: 't', series: [{ x: [0, 1], y: [1] }] }), /x has 2 points but y has 1/);
  assert.throws(() => heatmap({ title: 'h', x: [0, 1], y: [0], z: zeros(2, 2) }), /z: is 2 x 2, expected 1 x 2/);
  const s = stackedPanels({ title: 's', panels: [{ series: [{ x: [0], y: [1] }] }, { series: [{ x: [0], y: [2] }] }] });
  assert.equal(s.data[1].yaxis, 'y2');
  assert.ok(s.layout.yaxis2);
  const e = eigenvaluePlot({ title: 'e', re: [1], im: [0], radius: 2 });
  assert.equal((e.layout.shapes as { type: string }[])[0].type, 'circle');
});

test('the HTML fallback inlines plotly.js only when asked and escapes script endings', () => {
  const p = plainFigure(linePlot({ title: '</script><b>', series: [{ x: [0], y: [1] }] }));
  const first = figureHtml(p, 'f1', true);
  const later = figureHtml(p, 'f2', false);
  assert.ok(first.length > 1_000_000 && first.includes('window.Plotly = Plotly'));
  assert.ok(later.length < 10_000 && later.includes('Plotly.newPlot') && later.includes('id="f2"'));
  assert.ok(!later.includes('</script><b>'));
});

test('one colour per concept: fixed for the tabled gains and γ, a spare hue (never a tabled one) for the others', async () => {
  const { gainColor, lmsColor, CONCEPT_COLORS, HUES, PALETTE, ParameterError } = await import('../../lib/src/index.js');
  const { ruleVariantStyle } = await import('../../lib/src/papers/beer-barak-2019/index.js');
  assert.equal(gainColor(0.9), HUES.vermillion);
  assert.equal(gainColor(0), CONCEPT_COLORS.force);
  assert.equal(lmsColor(1e-2), HUES.purple);
  const tabled = new Set([0, 0.3, 0.5, 0.6, 0.9, 1, 1.5].map(gainColor));
  assert.equal(tabled.size, 7, 'tabled gains have distinct colours');
  for (const g of [0.7, 1.2, 2, 0.45]) {
    assert.ok(!tabled.has(gainColor(g)), `g = ${g} gets a hue no tabled gain has`);
    assert.equal(gainColor(g), gainColor(g), 'stable');
  }
  assert.ok(!PALETTE.includes('#F0E442'), 'no yellow on white');
  assert.throws(() => gainColor(Number.NaN), (e: unknown) => e instanceof ParameterError && /^g:/.test(e.message));
  assert.notEqual(ruleVariantStyle('NLMS μ = 1').dash, ruleVariantStyle('NLMS μ = 0.1').dash);
  assert.throws(() => ruleVariantStyle('bogus'), (e: unknown) => e instanceof ParameterError && /label: expected 'FORCE \(RLS\)'/.test(e.message));
});
