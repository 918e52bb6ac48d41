/** The figure builders specific to Beer & Barak 2019 (notebooks 01, 02): plain plotly objects for `show`. */
import { heatmap, powerOfTen, type Figure } from '../../plotting/figure.js';
import { CONCEPT_COLORS, HUES } from '../../plotting/colors.js';
import { ParameterError } from '../../numerics/validate.js';
import { REDUCED_VARIANT_LABELS, logSpeedMap } from './memoryStudy.js';
import { HELD_THRESHOLD } from './interference.js';
import type { ReducedRun } from './reducedModel.js';
import { logCycleMap } from './patternStudy.js';
import type { PatternRun } from './closedLoopPattern.js';

/**
 * Colour, dash and width of FORCE and each of its ingredient variants, the same in every figure. Some curves coincide
 * by construction (RLS-frozen is RLS until trial 10; RLS-reset and NLMS at both step sizes reach the same projection
 * after 200 presentations, README §3.3), so the curve drawn first is wider and the ones drawn over it dashed: every
 * rule stays visible where they overlap.
 */
type VariantStyle = { color: string; dash: 'solid' | 'dash' | 'dot'; width: number };
const VARIANT_STYLES: Record<string, VariantStyle> = {
  'FORCE (RLS)': { color: CONCEPT_COLORS.force, dash: 'solid', width: 5 },
  'RLS-reset': { color: HUES.wine, dash: 'solid', width: 6 },
  'RLS-frozen (after trial 10)': { color: HUES.green, dash: 'solid', width: 2 },
  'NLMS μ = 1': { color: HUES.orange, dash: 'solid', width: 2.5 },
  'NLMS μ = 0.1': { color: HUES.purple, dash: 'dash', width: 2 },
  'diagonal-P RLS': { color: HUES.sky, dash: 'dot', width: 2.5 },
};

export function ruleVariantStyle(label: string): VariantStyle {
  const style = VARIANT_STYLES[label];
  if (!style) throw new ParameterError('label', `expected 'FORCE (RLS)' or one of ${REDUCED_VARIANT_LABELS.join(', ')}, got ${JSON.stringify(label)}`);
  return style;
}

/** Heat map of log10 q(v) (values by trials) with a dot at each trial's trained value (README, claim B2 figure). */
export function speedHeatmap(title: string, run: ReducedRun, wFb: Float64Array, maxTrials: number): Figure {
  const z = logSpeedMap(run, wFb, maxTrials);
  const wNorm2 = wFb.reduce((acc, w) => acc + w * w, 0);
  const T = z.cols - 1;
  const fig = heatmap({
    title,
    x: Float64Array.from({ length: T + 1 }, (_, t) => t),
    y: run.evalValues,
    z,
    xTitle: 'trial',
    yTitle: 'value v',
    colorbarTitle: 'log10 q',
    zRange: [-8, 2],
    // The verdicts are on q̂ = q / |w_fb|² (README §5.1): the held level in the map's units (inside the line: held).
    contours: [{ value: Math.log10(wNorm2 * HELD_THRESHOLD), label: `held: q̂ < ${powerOfTen(HELD_THRESHOLD)} inside the line` }],
  });
  fig.data.push({
    type: 'scatter',
    mode: 'markers',
    x: Float64Array.from({ length: T }, (_, t) => t + 1),
    y: run.trialValues.subarray(0, T),
    marker: { color: 'white', size: 5, line: { color: 'black', width: 1 } },
    name: 'value trained on the trial',
    showlegend: true,
  });
  fig.layout.height = 360;
  return fig;
}

/**
 * Heat map of log10 q̂_cyc (test frequencies by trials, README §5.7) with the frequency trained on each trial in a strip
 * above. The test frequencies are a handful of grid points, not a continuum, so they are drawn as evenly spaced,
 * labelled rows (a continuous ω axis would stretch two test frequencies into two bands covering the whole range).
 */
export function cycleHeatmap(title: string, run: PatternRun): Figure {
  const z = logCycleMap(run);
  const T1 = z.cols;
  const rows = Float64Array.from(run.testOmegas, (_, k) => k);
  const fig = heatmap({
    title,
    x: Float64Array.from({ length: T1 }, (_, t) => t),
    y: rows,
    z,
    xTitle: 'trial',
    yTitle: 'test ω (rad/τ)',
    colorbarTitle: 'log₁₀ q̂_cyc',
    zRange: [-6, 0],
  });
  const yaxis = fig.layout.yaxis as Record<string, unknown>;
  Object.assign(yaxis, { domain: [0, 0.72], tickvals: Array.from(rows), ticktext: Array.from(run.testOmegas, (o) => o.toFixed(2)), ticks: '' });
  (fig.data[0] as Record<string, unknown>).ygap = 2;
  (fig.data[0] as Record<string, unknown>).colorbar = { title: { text: 'log₁₀ q̂_cyc' }, len: 0.72, y: 0, yanchor: 'bottom' };
  fig.data.push({
    type: 'scatter',
    mode: 'markers',
    x: Float64Array.from({ length: T1 - 1 }, (_, t) => t + 1),
    y: run.trialOmegas.subarray(0, T1 - 1),
    yaxis: 'y2',
    marker: { color: CONCEPT_COLORS.target, size: 5 },
    name: 'ω trained on the trial',
    showlegend: false,
  });
  fig.layout.yaxis2 = { domain: [0.78, 1], title: { text: 'trained ω' }, showline: true, linecolor: '#444', ticks: 'outside', gridcolor: '#eee', range: [0.15, 0.65], zeroline: false };
  fig.layout.height = 440;
  return fig;
}

/** The name of LMS at learning rate γ in legends, titles and tables: "LMS γ = 10⁻²" (as the log axes print powers). */
export function lmsLabel(gamma: number): string {
  return `LMS γ = ${powerOfTen(gamma)}`;
}
