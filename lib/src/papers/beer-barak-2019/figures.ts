/** The figure builders specific to Beer & Barak 2019 (notebooks 01, 02): plain plotly objects for `show`. */
import { heatmap, type Figure } from '../../plotting/figure.js';
import { CONCEPT_COLORS, HUES } from '../../plotting/colors.js';
import { ParameterError } from '../../numerics/validate.js';
import { REDUCED_VARIANT_LABELS } from './memoryStudy.js';
import { logSpeedMap } from './memoryStudy.js';
import type { ReducedRun } from './reducedModel.js';

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
  });
  fig.data.push({
    type: 'scatter',
    mode: 'markers',
    x: Float64Array.from({ length: T }, (_, t) => t + 1),
    y: run.trialValues.subarray(0, T),
    marker: { color: 'white', size: 5, line: { color: 'black', width: 1 } },
    name: 'trained value',
    showlegend: false,
  });
  fig.layout.height = 330;
  return fig;
}
