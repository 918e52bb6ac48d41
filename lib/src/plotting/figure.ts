/**
 * Figure builders. They return plain plotly.js figure objects ({data, layout}) so that a notebook can tweak
 * them before `show(fig)`, and so that tests can inspect what would be drawn. Numeric arrays may be typed
 * arrays; `show` converts them.
 */
import type { Mat } from '../numerics/matrix.js';
import { checkInteger, checkKnownKeys, checkNumber, checkOptionsObject, ParameterError } from '../numerics/validate.js';
import { CONCEPT_COLORS } from './colors.js';

export type NumericArray = ArrayLike<number>;
export type Trace = Record<string, unknown>;
export type Layout = Record<string, unknown>;

export interface Figure {
  data: Trace[];
  layout: Layout;
  config?: Record<string, unknown>;
}

/**
 * Colours for traces that are not a recurring concept (those are in colors.ts): Okabe–Ito, distinguishable with the
 * common colour-vision deficiencies, with Tol's wine in place of the yellow that does not show on white.
 */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#882255', '#000000'];

export function color(i: number): string {
  return PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length];
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/**
 * A number as a power of ten for labels, the way the log axes print them: 1e-4 → "10⁻⁴", 2.5e-3 → "2.5×10⁻³"
 * (`digits` significant decimals of the mantissa, trailing zeros dropped); 0 → "0".
 */
export function powerOfTen(value: number, digits = 2): string {
  checkNumber('value', value);
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)) + 1e-12);
  const mantissa = Number((value / 10 ** exponent).toFixed(digits));
  const power = `10${String(exponent).split('').map((ch) => SUPERSCRIPT[ch]).join('')}`;
  return mantissa === 1 ? power : mantissa === -1 ? `−${power}` : `${String(mantissa).replace('-', '−')}×${power}`;
}

export interface AxisOptions {
  title?: string;
  log?: boolean;
  range?: [number, number];
  /** Draw the line y = 0 (or x = 0), e.g. where a sign change is the point of the figure. */
  zeroLine?: boolean;
  /**
   * y axes on a log scale: values below `floor` are drawn at it, on a labelled line (a loss of 1e-30 is zero within
   * float64, and an axis running down to it squeezes everything that matters into its top decade).
   */
  floor?: { value: number; label: string };
  /**
   * Categories on a numeric axis (seeds, curricula, conditions): only these tick positions, with these labels, so
   * that no tick falls between two categories (no "seed 1.5").
   */
  categories?: { values: number[]; labels: string[] };
}

const keysOf = (...names: string[]) => Object.fromEntries(names.map((k) => [k, true]));
const AXIS_KEYS = keysOf('title', 'log', 'range', 'zeroLine', 'floor', 'categories');
const SERIES_KEYS = keysOf('x', 'y', 'name', 'mode', 'color', 'dash', 'width', 'markerSize', 'symbol', 'showlegend');

/** An options object of a builder: a plain object whose keys are all known (a misspelt `titel` is an error). */
function checkOptions(name: string, value: unknown, known: Record<string, unknown>, required: readonly string[] = []): void {
  checkOptionsObject(name, value);
  checkKnownKeys(name, value as object, known);
  for (const k of required) if ((value as Record<string, unknown>)[k] === undefined) throw new ParameterError(`${name}.${k}`, 'is required');
}

function checkArrayLike(name: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || typeof (value as { length?: unknown }).length !== 'number') throw new ParameterError(name, `expected an array of numbers, got ${value === null ? 'null' : typeof value}`);
}

/** Axis options: known keys, and a range that is increasing, finite and (on a log axis) positive. */
function checkAxis(name: string, a: AxisOptions | undefined): void {
  if (a === undefined) return;
  checkOptions(name, a, AXIS_KEYS);
  if (a.range !== undefined) {
    if (!Array.isArray(a.range) || a.range.length !== 2) throw new ParameterError(`${name}.range`, 'expected [low, high]');
    checkNumber(`${name}.range[0]`, a.range[0], a.log ? { min: 0, exclusiveMin: true } : {});
    checkNumber(`${name}.range[1]`, a.range[1], { min: a.range[0], exclusiveMin: true });
  }
  if (a.floor !== undefined) {
    checkOptions(`${name}.floor`, a.floor, keysOf('value', 'label'), ['value', 'label']);
    if (!a.log) throw new ParameterError(`${name}.floor`, 'is for logarithmic axes (log: true)');
    checkNumber(`${name}.floor.value`, a.floor.value, { min: 0, exclusiveMin: true });
    checkTitle(`${name}.floor.label`, a.floor.label);
  }
  if (a.categories !== undefined) {
    checkOptions(`${name}.categories`, a.categories, keysOf('values', 'labels'), ['values', 'labels']);
    const { values, labels } = a.categories;
    if (!Array.isArray(values) || !Array.isArray(labels) || values.length !== labels.length || values.length === 0) {
      throw new ParameterError(`${name}.categories`, 'expected values and labels: two arrays of the same length, at least one entry');
    }
    values.forEach((v, i) => checkNumber(`${name}.categories.values[${i}]`, v));
    labels.forEach((l, i) => checkTitle(`${name}.categories.labels[${i}]`, l));
  }
}

function checkSeries(name: string, s: Series): void {
  checkOptions(name, s, SERIES_KEYS, ['x', 'y']);
  checkArrayLike(`${name}.x`, s.x);
  checkArrayLike(`${name}.y`, s.y);
}

function checkTitle(name: string, title: unknown): void {
  if (typeof title !== 'string') throw new ParameterError(name, `expected a string that says what the figure shows, got ${title === null ? 'null' : typeof title}`);
}

function axis(a: AxisOptions = {}): Record<string, unknown> {
  return {
    title: a.title ? { text: a.title } : undefined,
    type: a.log ? 'log' : 'linear',
    range: a.range && a.log ? a.range.map(Math.log10) : a.range ?? (a.categories ? [Math.min(...a.categories.values) - 0.5, Math.max(...a.categories.values) + 0.5] : undefined),
    // Log axes: labels as powers of ten (10⁻⁵, not plotly's SI prefixes "10µ"), and no labelled minor ticks, whose
    // digits read as values ("5" beside "100" looks like 500).
    ...(a.log ? { exponentformat: 'power', showexponent: 'all', minorloglabels: 'none' } : {}),
    ...(a.categories ? { tickmode: 'array', tickvals: a.categories.values, ticktext: a.categories.labels } : {}),
    zeroline: a.zeroLine ?? false,
    zerolinecolor: '#888',
    zerolinewidth: 1.5,
    showline: true,
    linecolor: '#444',
    ticks: 'outside',
    gridcolor: '#eee',
  };
}

/** The house style shared by every figure. */
export function baseLayout(title: string, extra: Layout = {}): Layout {
  return {
    title: { text: title, x: 0.02, xanchor: 'left', font: { size: 16 } },
    font: { family: 'Helvetica, Arial, sans-serif', size: 13, color: '#222' },
    paper_bgcolor: 'white',
    plot_bgcolor: 'white',
    margin: { l: 70, r: 30, t: 60, b: 60 },
    height: 420,
    legend: { bgcolor: 'rgba(255,255,255,0.8)' },
    ...extra,
  };
}

export interface Series {
  x: NumericArray;
  y: NumericArray;
  name?: string;
  mode?: 'lines' | 'markers' | 'lines+markers';
  color?: string;
  dash?: 'solid' | 'dash' | 'dot';
  width?: number;
  markerSize?: number;
  /** Marker shape; 'x' marks a category such as "not learned", drawn where a number would be. */
  symbol?: 'circle' | 'x' | 'square' | 'diamond' | 'triangle-up' | 'circle-open';
  showlegend?: boolean;
}

/** The line y = x over [lo, hi], drawn as a reference (dashed, thin, the target colour): a prediction or "equal". */
export function identityLine(lo: number, hi: number, name = 'identity'): Series {
  checkNumber('lo', lo);
  checkNumber('hi', hi, { min: lo, exclusiveMin: true });
  return { x: [lo, hi], y: [lo, hi], mode: 'lines', name, color: CONCEPT_COLORS.target, dash: 'dash', width: 1 };
}

function seriesTrace(s: Series, i: number, axes?: { xaxis: string; yaxis: string }): Trace {
  checkSeries(`series[${i}]`, s);
  if (s.x.length !== s.y.length) {
    throw new ParameterError(`series '${s.name ?? i}'`, `x has ${s.x.length} points but y has ${s.y.length}`);
  }
  const mode = s.mode ?? 'lines';
  const c = s.color ?? color(i);
  return {
    type: 'scatter',
    mode,
    x: s.x,
    y: s.y,
    name: s.name,
    showlegend: s.showlegend ?? s.name !== undefined,
    line: mode === 'markers' ? undefined : { color: c, width: s.width ?? 2, dash: s.dash ?? 'solid' },
    marker: mode === 'lines' ? undefined : { color: c, size: s.markerSize ?? 6, ...(s.symbol ? { symbol: s.symbol } : {}) },
    ...axes,
  };
}

export interface LinePlotOptions {
  title: string;
  series: Series[];
  x?: AxisOptions;
  y?: AxisOptions;
  height?: number;
  /** Extra layout shapes (lines, circles) in data coordinates. */
  shapes?: Record<string, unknown>[];
  /** One unit on x equals one unit on y (phase portraits). */
  equalAspect?: boolean;
  /** Reference lines across the plot (chance level, a threshold, Re λ = 1), dashed grey, each with its label. */
  references?: ReferenceLine[];
  /** A slider under the plot that swaps every series' y (see FigureSlider); works in an exported page without a kernel. */
  slider?: FigureSlider;
}

/**
 * A slider over one parameter (a trial, a leak ε, a learning step): each step gives the y of every series, in the
 * order of `series`, each as long as that series' x; the figure starts at step `active` (default: the last).
 */
export interface FigureSlider {
  /** What the slider moves, shown before the current step's label ("after trial"). */
  title: string;
  /** Each step's y of every series; with `x`, the x too (trajectories of a phase portrait), each pair of equal length. */
  steps: { label: string; y: NumericArray[]; x?: NumericArray[] }[];
  active?: number;
}

function checkSlider(name: string, sl: unknown, series: Series[]): FigureSlider | undefined {
  if (sl === undefined) return undefined;
  checkOptions(name, sl, keysOf('title', 'steps', 'active'), ['title', 'steps']);
  const o = sl as FigureSlider;
  checkTitle(`${name}.title`, o.title);
  if (!Array.isArray(o.steps) || o.steps.length < 2) throw new ParameterError(`${name}.steps`, 'expected an array of at least two steps');
  o.steps.forEach((st, k) => {
    checkOptions(`${name}.steps[${k}]`, st, keysOf('label', 'y', 'x'), ['label', 'y']);
    checkTitle(`${name}.steps[${k}].label`, st.label);
    if (!Array.isArray(st.y) || st.y.length !== series.length) throw new ParameterError(`${name}.steps[${k}].y`, `expected one y per series (${series.length})`);
    if (st.x !== undefined && (!Array.isArray(st.x) || st.x.length !== series.length)) throw new ParameterError(`${name}.steps[${k}].x`, `expected one x per series (${series.length})`);
    st.y.forEach((y, i) => {
      const n = st.x ? st.x[i]?.length : series[i].x.length;
      if (!y || y.length !== n) throw new ParameterError(`${name}.steps[${k}].y[${i}]`, `expected ${n} values (the ${st.x ? "step's" : "series'"} x), got ${y?.length}`);
    });
  });
  if (o.active !== undefined) checkInteger(`${name}.active`, o.active, { min: 0, max: o.steps.length - 1 });
  return o;
}

/** Plotly's slider: each step restyles the y of every trace (method 'restyle'), so no frames and no kernel are needed. */
function sliderLayout(sl: FigureSlider, floor: number | undefined): Record<string, unknown> {
  const active = sl.active ?? sl.steps.length - 1;
  const raise = (y: NumericArray) => (floor === undefined ? Array.from(y) : Array.from(y, (v) => (v < floor ? floor : v)));
  return {
    active,
    currentvalue: { prefix: `${sl.title} `, font: { size: 14 } },
    pad: { t: 60 },
    steps: sl.steps.map((st) => ({ label: st.label, method: 'restyle', args: [{ y: st.y.map(raise), ...(st.x ? { x: st.x.map((x) => Array.from(x)) } : {}) }] })),
  };
}

export interface ReferenceLine {
  /** 'y': a horizontal line at y = value; 'x': a vertical line at x = value. */
  axis: 'x' | 'y';
  value: number;
  label: string;
}

function checkReferences(name: string, refs: unknown): ReferenceLine[] {
  if (refs === undefined) return [];
  if (!Array.isArray(refs)) throw new ParameterError(name, 'expected an array of { axis, value, label }');
  refs.forEach((r, i) => {
    checkOptions(`${name}[${i}]`, r, keysOf('axis', 'value', 'label'), ['axis', 'value', 'label']);
    if (r.axis !== 'x' && r.axis !== 'y') throw new ParameterError(`${name}[${i}].axis`, "must be 'x' or 'y'");
    checkNumber(`${name}[${i}].value`, r.value);
    checkTitle(`${name}[${i}].label`, r.label);
  });
  return refs as ReferenceLine[];
}

const REFERENCE_GREY = '#777';

/**
 * Shapes and labels of reference lines: spanning the plot in paper coordinates along the other axis. Plotly places
 * shapes on a log axis by value but annotations by log10 of the value, hence the flags.
 */
function referenceShapes(refs: ReferenceLine[], logX = false, logY = false): { shapes: Record<string, unknown>[]; annotations: Record<string, unknown>[] } {
  const at = (v: number, log: boolean) => (log ? Math.log10(v) : v);
  const line = { color: REFERENCE_GREY, width: 1.5, dash: 'dash' };
  return {
    shapes: refs.map((r) =>
      r.axis === 'y'
        ? { type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: r.value, y1: r.value, line, layer: 'below' }
        : { type: 'line', yref: 'paper', y0: 0, y1: 1, xref: 'x', x0: r.value, x1: r.value, line, layer: 'below' },
    ),
    annotations: refs.map((r) =>
      r.axis === 'y'
        ? { text: r.label, xref: 'paper', x: 0.99, xanchor: 'right', yref: 'y', y: at(r.value, logY), yanchor: 'bottom', showarrow: false, font: { color: REFERENCE_GREY, size: 12 } }
        : { text: r.label, yref: 'paper', y: 1, yanchor: 'bottom', xref: 'x', x: at(r.value, logX), xanchor: 'left', showarrow: false, font: { color: REFERENCE_GREY, size: 12 } },
    ),
  };
}

/** Whether any y value lies below the axis floor: only then is the floor drawn (else it would leave an empty band). */
function reachesFloor(series: Series[], a: AxisOptions | undefined): boolean {
  const f = a?.floor?.value;
  return f !== undefined && series.some((s) => Array.prototype.some.call(s.y, (v: number) => v < f));
}

/** The series with y values below the axis floor raised to it (NaN kept: a gap stays a gap). */
function floored(series: Series[], a: AxisOptions | undefined): Series[] {
  const f = a?.floor?.value;
  if (f === undefined) return series;
  return series.map((s) => ({ ...s, y: Array.from(s.y, (v) => (v < f ? f : v)) }));
}

/** One panel of lines and/or markers. */
export function linePlot(o: LinePlotOptions): Figure {
  checkOptions('linePlot', o, keysOf('title', 'series', 'x', 'y', 'height', 'shapes', 'equalAspect', 'references', 'slider'), ['title', 'series']);
  checkTitle('linePlot.title', o.title);
  if (!Array.isArray(o.series)) throw new ParameterError('linePlot.series', 'expected an array of series');
  checkAxis('linePlot.x', o.x);
  checkAxis('linePlot.y', o.y);
  const floorLine: ReferenceLine[] = o.y?.floor && reachesFloor(o.series, o.y) ? [{ axis: 'y', value: o.y.floor.value, label: o.y.floor.label }] : [];
  const refs = referenceShapes([...checkReferences('linePlot.references', o.references), ...floorLine], o.x?.log ?? false, o.y?.log ?? false);
  const slider = checkSlider('linePlot.slider', o.slider, o.series);
  // The figure opens at the slider's active step, so the static export shows the same state as the slider.
  const opening = slider?.steps[slider.active ?? slider.steps.length - 1];
  const shown = opening ? o.series.map((s, i) => ({ ...s, y: opening.y[i], ...(opening.x ? { x: opening.x[i] } : {}) })) : o.series;
  return {
    data: floored(shown, o.y).map((s, i) => seriesTrace(s, i)),
    layout: baseLayout(o.title, {
      // Equal aspect shrinks the x domain rather than widening the x range, so a set range (±1.8) stays as set.
      xaxis: o.equalAspect ? { ...axis(o.x), constrain: 'domain' } : axis(o.x),
      yaxis: o.equalAspect ? { ...axis(o.y), scaleanchor: 'x', scaleratio: 1 } : axis(o.y),
      height: (o.height ?? 420) + (slider ? 110 : 0),
      shapes: [...(o.shapes ?? []), ...refs.shapes],
      ...(refs.annotations.length ? { annotations: refs.annotations } : {}),
      ...(slider ? { sliders: [sliderLayout(slider, o.y?.floor?.value)] } : {}),
    }),
  };
}

export interface Panel {
  title?: string;
  series: Series[];
  y?: AxisOptions;
  /** Reference lines of this panel (chance level, a threshold), as for linePlot. */
  references?: ReferenceLine[];
}

/** Panels stacked vertically over a shared x axis (e.g. activity traces at several g). */
export function stackedPanels(o: { title: string; panels: Panel[]; x?: AxisOptions; panelHeight?: number }): Figure {
  checkOptions('stackedPanels', o, keysOf('title', 'panels', 'x', 'panelHeight'), ['title', 'panels']);
  checkTitle('stackedPanels.title', o.title);
  checkAxis('stackedPanels.x', o.x);
  if (!Array.isArray(o.panels) || o.panels.length === 0) throw new ParameterError('panels', 'need at least one panel');
  o.panels.forEach((p, i) => {
    checkOptions(`panels[${i}]`, p, keysOf('title', 'series', 'y', 'references'), ['series']);
    checkAxis(`panels[${i}].y`, p.y);
    checkReferences(`panels[${i}].references`, p.references);
  });
  const k = o.panels.length;
  const gap = 0.06;
  const h = (1 - gap * (k - 1)) / k;
  // A legend whenever a trace is named; a name repeated in several panels (the same curriculum, the same rule) is one
  // legend entry that shows and hides all of them.
  const named = o.panels.some((p) => p.series.some((s) => s.name !== undefined && s.showlegend !== false));
  const layout: Layout = baseLayout(o.title, { height: 80 + (o.panelHeight ?? 200) * k, showlegend: named });
  const listed = new Set<string>();
  const data: Trace[] = [];
  const annotations: Record<string, unknown>[] = [];
  const shapes: Record<string, unknown>[] = [];
  o.panels.forEach((p, i) => {
    const suffix = i === 0 ? '' : String(i + 1);
    const top = 1 - i * (h + gap);
    layout[`yaxis${suffix}`] = { ...axis(p.y), domain: [top - h, top] };
    if (p.title) {
      annotations.push({ text: p.title, xref: 'paper', yref: 'paper', x: 1, y: top, xanchor: 'right', yanchor: 'bottom', showarrow: false });
    }
    const panelRefs = [...(p.references ?? []), ...(p.y?.floor && reachesFloor(p.series, p.y) ? [{ axis: 'y' as const, value: p.y.floor.value, label: p.y.floor.label }] : [])];
    if (panelRefs.length) {
      const ref = referenceShapes(panelRefs, o.x?.log ?? false, p.y?.log ?? false);
      // Horizontal lines and their labels live on this panel's y axis; vertical ones span this panel only.
      const yref = `y${suffix}`;
      const onPanel = (x: Record<string, unknown>) => (x.yref === 'paper' ? { ...x, yref: `${yref} domain` } : { ...x, yref });
      shapes.push(...ref.shapes.map(onPanel));
      annotations.push(...ref.annotations.map(onPanel));
    }
    floored(p.series, p.y).forEach((s, j) => {
      const trace = seriesTrace(s, j, { xaxis: 'x', yaxis: `y${suffix}` });
      if (s.name !== undefined) {
        trace.legendgroup = s.name;
        if (listed.has(s.name)) trace.showlegend = false;
        else if (trace.showlegend) listed.add(s.name);
      }
      data.push(trace);
    });
  });
  layout.xaxis = { ...axis(o.x), anchor: `y${k === 1 ? '' : k}` };
  layout.annotations = annotations;
  if (shapes.length) layout.shapes = shapes;
  return { data, layout };
}

/** Eigenvalues in the complex plane with the circle |lambda| = radius (equal aspect ratio). */
export function eigenvaluePlot(o: { title: string; re: NumericArray; im: NumericArray; radius: number; circleLabel?: string; references?: ReferenceLine[] }): Figure {
  checkOptions('eigenvaluePlot', o, keysOf('title', 're', 'im', 'radius', 'circleLabel', 'references'), ['title', 're', 'im', 'radius']);
  checkNumber('eigenvaluePlot.radius', o.radius, { min: 0 });
  const fig = linePlot({
    title: o.title,
    series: [{ x: o.re, y: o.im, mode: 'markers', name: 'eigenvalues', markerSize: 4 }],
    x: { title: 'Re λ' },
    y: { title: 'Im λ' },
    height: 480,
    references: o.references,
    shapes: [
      {
        type: 'circle',
        xref: 'x',
        yref: 'y',
        x0: -o.radius,
        y0: -o.radius,
        x1: o.radius,
        y1: o.radius,
        line: { color: color(1), width: 2, dash: 'dash' },
      },
    ],
  });
  (fig.layout.yaxis as Record<string, unknown>).scaleanchor = 'x';
  fig.layout.annotations = [
    ...((fig.layout.annotations as Record<string, unknown>[] | undefined) ?? []),
    // Just outside the circle at 45°, clear of the points inside it and of a reference line such as Re λ = 1.
    { text: o.circleLabel ?? `|λ| = ${o.radius}`, x: o.radius * 0.78, y: o.radius * 0.78, xref: 'x', yref: 'y', showarrow: false, xanchor: 'left', yanchor: 'bottom', font: { color: color(1) } },
  ];
  return fig;
}

/** A heat map of z (rows along y, columns along x). */
export function heatmap(o: {
  title: string;
  x: NumericArray;
  y: NumericArray;
  z: Mat;
  xTitle?: string;
  yTitle?: string;
  colorbarTitle?: string;
  colorscale?: string;
  zRange?: [number, number];
  /** Level lines of z drawn over the map (a criterion such as "held": log10 q̂ = −4), each in the legend with its label. */
  contours?: { value: number; label: string }[];
}): Figure {
  checkOptions('heatmap', o, keysOf('title', 'x', 'y', 'z', 'xTitle', 'yTitle', 'colorbarTitle', 'colorscale', 'zRange', 'contours'), ['title', 'x', 'y', 'z']);
  checkTitle('heatmap.title', o.title);
  checkArrayLike('heatmap.x', o.x);
  checkArrayLike('heatmap.y', o.y);
  if (o.zRange !== undefined) {
    checkNumber('heatmap.zRange[0]', o.zRange[0]);
    checkNumber('heatmap.zRange[1]', o.zRange[1], { min: o.zRange[0], exclusiveMin: true });
  }
  if (o.z.rows !== o.y.length || o.z.cols !== o.x.length) {
    throw new ParameterError('z', `is ${o.z.rows} x ${o.z.cols}, expected ${o.y.length} x ${o.x.length} (y by x)`);
  }
  const rows: number[][] = [];
  for (let i = 0; i < o.z.rows; i++) rows.push(Array.from(o.z.data.subarray(i * o.z.cols, (i + 1) * o.z.cols)));
  if (o.contours !== undefined && !Array.isArray(o.contours)) throw new ParameterError('heatmap.contours', 'expected an array of { value, label }');
  const levelLines: Trace[] = (o.contours ?? []).map((c, i) => {
    checkOptions(`heatmap.contours[${i}]`, c, keysOf('value', 'label'), ['value', 'label']);
    checkNumber(`heatmap.contours[${i}].value`, c.value);
    checkTitle(`heatmap.contours[${i}].label`, c.label);
    // A contour trace with one level and no fill: only the line where z crosses the value. Black shows on the middle
    // of the colour scales used here (where the levels sit) and in the legend.
    const lineColor = '#000';
    return {
      type: 'contour',
      x: o.x,
      y: o.y,
      z: rows,
      contours: { start: c.value, end: c.value, size: 1, coloring: 'none', showlabels: false },
      line: { color: lineColor, width: 2, dash: i % 2 ? 'dot' : 'solid' },
      showscale: false,
      hoverinfo: 'skip',
      name: c.label,
      showlegend: true,
    };
  });
  return {
    data: [
      {
        type: 'heatmap',
        x: o.x,
        y: o.y,
        z: rows,
        colorscale: o.colorscale ?? 'Viridis',
        zmin: o.zRange?.[0],
        zmax: o.zRange?.[1],
        colorbar: { title: { text: o.colorbarTitle ?? '' } },
      },
      ...levelLines,
    ],
    layout: baseLayout(o.title, {
      xaxis: axis({ title: o.xTitle }),
      yaxis: axis({ title: o.yTitle }),
      // The legend of the level lines above the plot, clear of the colour bar on the right.
      ...(levelLines.length ? { legend: { orientation: 'h', x: 1, xanchor: 'right', y: 1.02, yanchor: 'bottom', bgcolor: 'rgba(255,255,255,0.8)' } } : {}),
    }),
  };
}
