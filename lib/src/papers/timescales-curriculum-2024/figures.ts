/** The figure builders shared by the timescales notebooks (05, 06, 11): plain plotly objects for `show`. */
import { linePlot, stackedPanels, type Figure } from '../../plotting/figure.js';
import { CONCEPT_COLORS } from '../../plotting/colors.js';
import { tauStatistics, type CurriculumKind, type CurriculumRun } from './curriculum.js';
import { describeRun, type CurriculumPair } from './curriculumStudy.js';

const SEED_DASH = ['solid', 'dash', 'dot'] as const;

/** The runs of a figure with their style: colour by curriculum (blue multi-head, orange single-head, green sliding window), dash by seed. */
function styledRuns(pairs: CurriculumPair[], sliding: CurriculumRun[]) {
  const colour: Record<CurriculumKind, string> = { multi: CONCEPT_COLORS.multiHead, single: CONCEPT_COLORS.singleHead, sliding: CONCEPT_COLORS.sliding };
  return [...pairs.flatMap(({ single, multi }, i) => [single, multi].map((run) => ({ run, i }))), ...sliding.map((run, i) => ({ run, i }))].map(({ run, i }) => ({
    run,
    name: describeRun(run.options),
    color: colour[run.options.curriculum],
    dash: SEED_DASH[i % 3],
  }));
}

/** Largest solved N against training step for both curricula of every seed (and sliding-window runs if given). */
export function nReachedFigure(pairs: CurriculumPair[], title: string, sliding: CurriculumRun[] = []): Figure {
  return linePlot({
    title,
    x: { title: 'training step' },
    y: { title: 'largest solved N' },
    series: styledRuns(pairs, sliding).map(({ run, name, color, dash }) => ({ x: run.stepsByEpoch, y: run.nMaxByEpoch, name, color, dash })),
  });
}

/** Mean, std and max of τ′ over the neurons at every solved N (snapshots after N = 2's first), both curricula (and sliding-window runs if given). */
export function tauStatisticsFigure(pairs: CurriculumPair[], title: string, sliding: CurriculumRun[] = []): Figure {
  const runs = styledRuns(pairs, sliding).map((r) => ({ ...r, stats: tauStatistics(r.run).slice(1) }));
  const panel = (key: 'mean' | 'std' | 'max', panelTitle: string) => ({
    title: panelTitle,
    y: { title: `${key} τ′` },
    series: runs.map((r) => ({ x: r.stats.map((t) => t.N), y: r.stats.map((t) => t[key]), name: r.name, color: r.color, dash: r.dash, showlegend: key === 'mean' })),
  });
  return stackedPanels({ title, x: { title: 'solved N' }, panels: [panel('mean', 'mean over neurons'), panel('std', 'standard deviation'), panel('max', 'maximum')], panelHeight: 200 });
}

