import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linePlot, stackedPanels, heatmap, eigenvaluePlot, plainFigure, figureHtml, show, zeros, identityLine, CONCEPT_COLORS, ParameterError } from '../../lib/src/index.js';

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

test('powerOfTen writes thresholds the way the log axes print them', async () => {
  const { powerOfTen } = await import('../../lib/src/index.js');
  assert.equal(powerOfTen(1e-4), '10⁻⁴');
  assert.equal(powerOfTen(1e3), '10³');
  assert.equal(powerOfTen(2.5e-3), '2.5×10⁻³');
  assert.equal(powerOfTen(-1e-5), '−10⁻⁵');
  assert.equal(powerOfTen(0), '0');
  assert.throws(() => powerOfTen(Number.NaN), /value/);
});

test('heat-map level lines: one contour trace per level, in the legend, checked', () => {
  const z = { rows: 2, cols: 3, data: Float64Array.from([-6, -5, -3, -4, -2, -1]) };
  const fig = heatmap({ title: 'h', x: [0, 1, 2], y: [0, 1], z, contours: [{ value: -4, label: 'held' }] });
  assert.equal(fig.data.length, 2);
  const c = fig.data[1] as Record<string, any>;
  assert.equal(c.type, 'contour');
  assert.deepEqual([c.contours.start, c.contours.end, c.contours.coloring], [-4, -4, 'none']);
  assert.equal(c.name, 'held');
  assert.throws(() => heatmap({ title: 'h', x: [0, 1, 2], y: [0, 1], z, contours: [{ value: Number.NaN, label: 'x' }] }), /heatmap\.contours\[0\]\.value/);
  assert.throws(() => heatmap({ title: 'h', x: [0, 1, 2], y: [0, 1], z, contours: [{ value: 1 } as never] }), /heatmap\.contours\[0\]\.label: is required/);
});

test('categorical axes tick only at their categories, padded by half a category', () => {
  const fig = linePlot({ title: 't', series: [{ x: [1, 2, 3], y: [1, 2, 3] }], x: { title: 'seed', categories: { values: [1, 2, 3], labels: ['seed 1', 'seed 2', 'seed 3'] } } });
  const x = fig.layout.xaxis as Record<string, unknown>;
  assert.deepEqual([x.tickmode, x.tickvals, x.ticktext, x.range], ['array', [1, 2, 3], ['seed 1', 'seed 2', 'seed 3'], [0.5, 3.5]]);
  assert.throws(() => linePlot({ title: 't', series: [], x: { categories: { values: [1, 2], labels: ['a'] } } }), /linePlot\.x\.categories: expected values and labels/);
});

test('panel reference lines sit on their own panel; a floor no value reaches is not drawn', () => {
  const s = stackedPanels({
    title: 's',
    x: { title: 'step' },
    panels: [
      { series: [{ x: [0, 1], y: [1, 2] }], references: [{ axis: 'y', value: 0.5, label: 'chance' }] },
      { series: [{ x: [0, 1], y: [1, 1e-3] }], y: { title: 'loss', log: true, floor: { value: 1e-12, label: 'floor' } }, references: [{ axis: 'x', value: 1, label: 'end' }] },
    ],
  });
  const shapes = s.layout.shapes as Record<string, unknown>[];
  assert.deepEqual(shapes.map((sh) => sh.yref), ['y', 'y2 domain']);
  const ann = (s.layout.annotations as Record<string, unknown>[]).filter((a) => a.text === 'chance' || a.text === 'end' || a.text === 'floor');
  assert.deepEqual(ann.map((a) => a.text), ['chance', 'end']);
  const reached = linePlot({ title: 't', series: [{ x: [0], y: [1e-20] }], y: { title: 'loss', log: true, floor: { value: 1e-12, label: 'floor' } } });
  assert.equal((reached.layout.shapes as unknown[]).length, 1);
  const notReached = linePlot({ title: 't', series: [{ x: [0], y: [1e-3] }], y: { title: 'loss', log: true, floor: { value: 1e-12, label: 'floor' } } });
  assert.equal((notReached.layout.shapes as unknown[]).length, 0);
});

test('identityLine: y = x over the range, in the target colour, dashed; an empty range is refused', () => {
  const s = identityLine(-1, 1, 'prediction');
  assert.deepEqual([s.x, s.y, s.name, s.color, s.dash], [[-1, 1], [-1, 1], 'prediction', CONCEPT_COLORS.target, 'dash']);
  assert.throws(() => identityLine(1, 1), (e: Error) => e instanceof ParameterError && e.parameter === 'hi');
});

test('linePlot slider: one restyle step per slider step, the figure opens at the active step, bad steps are named', () => {
  const series = [
    { x: [1, 2, 3], y: [0, 0, 0], name: 'a' },
    { x: [1, 2], y: [0, 0], name: 'b' },
  ];
  const steps = [
    { label: 'one', y: [[1, 2, 3], [4, 5]] },
    { label: 'two', y: [[6, 7, 8], [9, 10]] },
  ];
  const fig = linePlot({ title: 't', series, x: { title: 'x' }, y: { title: 'y' }, slider: { title: 'after trial', steps, active: 0 } });
  const sl = (fig.layout.sliders as { active: number; steps: { label: string; method: string; args: unknown[] }[] }[])[0];
  assert.equal(sl.active, 0);
  assert.deepEqual(sl.steps.map((s) => [s.label, s.method]), [['one', 'restyle'], ['two', 'restyle']]);
  assert.deepEqual(sl.steps[1].args, [{ y: [[6, 7, 8], [9, 10]] }]);
  assert.deepEqual(Array.from(fig.data[1].y as number[]), [4, 5], 'opens at the active step');
  const last = linePlot({ title: 't', series, x: { title: 'x' }, y: { title: 'y' }, slider: { title: 's', steps } });
  assert.deepEqual(Array.from(last.data[0].y as number[]), [6, 7, 8], 'default: the last step');
  const floored = linePlot({ title: 't', series, x: { title: 'x' }, y: { title: 'y', log: true, floor: { value: 2, label: 'floor' } }, slider: { title: 's', steps } });
  assert.deepEqual((floored.layout.sliders as { steps: { args: { y: number[][] }[] }[] }[])[0].steps[0].args[0].y[0], [2, 2, 3], 'steps raised to the floor like the data');
  for (const [bad, name] of [
    [{ title: 's', steps: [steps[0]] }, 'linePlot.slider.steps'],
    [{ title: 's', steps: [steps[0], { label: 'x', y: [[1, 2, 3]] }] }, 'linePlot.slider.steps[1].y'],
    [{ title: 's', steps: [steps[0], { label: 'x', y: [[1, 2], [1, 2]] }] }, 'linePlot.slider.steps[1].y[0]'],
    [{ title: 's', steps, active: 2 }, 'linePlot.slider.active'],
    [{ title: 's', steps, speed: 1 }, 'linePlot.slider'],
  ] as const) {
    assert.throws(() => linePlot({ title: 't', series, x: { title: 'x' }, y: { title: 'y' }, slider: bad as never }), (e: Error) => e instanceof ParameterError && e.parameter.startsWith(name), JSON.stringify(bad));
  }
});

test('linePlot slider steps may move x too (trajectories), and an equal-aspect plot keeps its x range', () => {
  const series = [{ x: [0, 1], y: [0, 1], name: 'trajectory' }];
  const steps = [
    { label: 'a', x: [[0, 1, 2]], y: [[0, 1, 2]] },
    { label: 'b', x: [[0, -1]], y: [[0, 1]] },
  ];
  const fig = linePlot({ title: 't', series, x: { title: 'x', range: [-2, 2] }, y: { title: 'y', range: [-2, 2] }, equalAspect: true, slider: { title: 's', steps } });
  assert.deepEqual(Array.from(fig.data[0].x as number[]), [0, -1], 'opens at the last step, x included');
  const sl = (fig.layout.sliders as { steps: { args: { x: number[][] }[] }[] }[])[0];
  assert.deepEqual(sl.steps[0].args[0].x, [[0, 1, 2]]);
  assert.equal((fig.layout.xaxis as { constrain: string }).constrain, 'domain');
  assert.throws(() => linePlot({ title: 't', series, x: { title: 'x' }, y: { title: 'y' }, slider: { title: 's', steps: [steps[0], { label: 'c', x: [[0, 1]], y: [[0, 1, 2]] }] } }), (e: Error) => e instanceof ParameterError && e.parameter === 'linePlot.slider.steps[1].y[0]');
});
