/** Figure builders of notebook 09 (sequential training on neuroscience tasks, README §4.3). */
import { color, linePlot, type Figure } from '../../plotting/figure.js';
import type { NeuroPairRun } from './neuroStudy.js';

const TASK_LABELS = { flipflop: 'flip-flop', romo: 'Romo', mante: 'Mante' } as const;

/** Test losses of both tasks during phase B, with L_A of the untrained network marked (where I = 1). */
export function phaseBLossFigure(run: NeuroPairRun, title: string): Figure {
  const { first, second } = run.params;
  return linePlot({
    title,
    x: { title: 'phase-B step' },
    y: { title: 'test loss', log: true },
    references: [{ axis: 'y', value: run.lossAInitial, label: 'L_A of the untrained network (I = 1)' }],
    series: [
      { x: run.curveSteps, y: run.curveA, name: `L_A (${TASK_LABELS[first]})`, color: color(0) },
      { x: run.curveSteps, y: run.curveB, name: `L_B (${TASK_LABELS[second]})`, color: color(1) },
    ],
  });
}
