/** The figure builders specific to Beer & Barak 2019 (notebooks 01, 02): plain plotly objects for `show`. */
import { heatmap, type Figure } from '../../plotting/figure.js';
import { logSpeedMap } from './memoryStudy.js';
import type { ReducedRun } from './reducedModel.js';

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
