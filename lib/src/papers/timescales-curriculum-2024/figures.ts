/** The figure builders shared by the timescales notebooks (05, 06, 11, 13): plain plotly objects for `show`. */
import { linePlot, stackedPanels, type Figure, type ReferenceLine } from '../../plotting/figure.js';
import { checkAllocation, checkNumber, ParameterError } from '../../numerics/validate.js';
import { TIMESCALES_CRITERIA } from './claims.js';
import { CONCEPT_COLORS } from '../../plotting/colors.js';
import { clampedTaus, tauStatistics, type CurriculumKind, type CurriculumRun } from './curriculum.js';
import { describeRun, tauNetSpread, type CurriculumPair, type T6Result, type TauNetPair } from './curriculumStudy.js';
import type { GateTauRow, GatedPair } from './gatedStudy.js';
import type { GatedCurriculumRun } from './gatedCurriculum.js';

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
    // Epochs before the first solved stage have N_max = 0, "nothing solved yet", not a task size: they are left out
    // (a sliding-window run that never solved its first window has no line, and its legend entry says so).
    series: styledRuns(pairs, sliding).map(({ run, name, color, dash }) => {
      const solved = Array.from(run.nMaxByEpoch, (n, k) => k).filter((k) => run.nMaxByEpoch[k] > 0);
      return {
        x: solved.map((k) => run.stepsByEpoch[k]),
        y: solved.map((k) => run.nMaxByEpoch[k]),
        name: solved.length ? name : `${name} (nothing solved)`,
        color,
        dash,
      };
    }),
  });
}

/**
 * The distribution of τ′ over neurons for both curricula of one seed, with a slider over the solved N (an interactive
 * figure: it works in the exported page without a kernel). At each N a curriculum shows the snapshot of the largest N
 * it had solved up to then; one that stopped earlier keeps its last snapshot, and the step's label says so. Bins of
 * width `binWidth` from 1 up to the largest τ′ of any snapshot.
 */
export function tauDistributionFigure(pair: CurriculumPair, title: string, binWidth = 0.25): Figure {
  checkNumber('binWidth', binWidth, { min: 0, exclusiveMin: true });
  const runs = [
    { run: pair.single, name: describeRun(pair.single.options), color: CONCEPT_COLORS.singleHead },
    { run: pair.multi, name: describeRun(pair.multi.options), color: CONCEPT_COLORS.multiHead },
  ];
  const Ns = [...new Set(runs.flatMap((r) => r.run.snapshots.map((s) => s.N)))].sort((a, b) => a - b);
  if (Ns.length < 2) throw new ParameterError('pair', `needs at least two solved N between the curricula to slide over, got ${Ns.length}`);
  const top = Math.max(...runs.flatMap((r) => r.run.snapshots.flatMap((s) => clampedTaus(s.model))));
  const bins = Math.floor((top - 1) / binWidth) + 1; // the largest τ′ falls inside the last bin
  checkAllocation('binWidth', bins, 8, `${bins} bins of τ′`);
  const centres = Array.from({ length: bins }, (_, b) => 1 + (b + 0.5) * binWidth);
  const histogram = (taus: number[]) => {
    const counts = new Float64Array(bins);
    for (const t of taus) counts[Math.min(bins - 1, Math.max(0, Math.floor((t - 1) / binWidth)))] += 1 / taus.length;
    return counts;
  };
  const snapshotAt = (run: CurriculumRun, N: number) => [...run.snapshots].reverse().find((s) => s.N <= N);
  const steps = Ns.map((N) => {
    const parts = runs.map((r) => snapshotAt(r.run, N));
    const note = runs.map((r, i) => (parts[i] && parts[i]!.N < N ? `${r.run.options.curriculum}-head at N = ${parts[i]!.N}` : parts[i] ? '' : `${r.run.options.curriculum}-head: nothing solved`)).filter(Boolean);
    return { label: `N = ${N}${note.length ? ` (${note.join(', ')})` : ''}`, y: parts.map((p) => (p ? histogram(clampedTaus(p.model)) : new Float64Array(bins))) };
  });
  return linePlot({
    title,
    x: { title: 'τ′ (steps)' },
    y: { title: 'fraction of neurons', range: [0, 1.02] },
    series: runs.map((r) => ({ x: centres, y: new Float64Array(bins), name: r.name, color: r.color, mode: 'lines+markers' as const })),
    slider: { title: 'solved', steps },
  });
}

/** Mean, std and max of τ′ over the neurons at every solved N (snapshots after N = 2's first), both curricula (and sliding-window runs if given). */
export function tauStatisticsFigure(pairs: CurriculumPair[], title: string, sliding: CurriculumRun[] = []): Figure {
  const runs = styledRuns(pairs, sliding).map((r) => ({ ...r, stats: tauStatistics(r.run).slice(1) }));
  // The thresholds the max panel is judged by (claims T4 and T5), where there are curriculum pairs to judge.
  const maxReferences: ReferenceLine[] = pairs.length
    ? [
        { axis: 'y', value: TIMESCALES_CRITERIA.maxTau, label: `T4: single-head max τ′ ≥ ${TIMESCALES_CRITERIA.maxTau}` },
        { axis: 'y', value: TIMESCALES_CRITERIA.multiMaxTau, label: `T5: multi-head max τ′ ≤ ${TIMESCALES_CRITERIA.multiMaxTau}` },
      ]
    : [];
  const panel = (key: 'mean' | 'std' | 'max', panelTitle: string) => ({
    title: panelTitle,
    y: { title: `${key} τ′ (steps)` },
    series: runs.map((r) => ({ x: r.stats.map((t) => t.N), y: r.stats.map((t) => t[key]), name: r.name, color: r.color, dash: r.dash, showlegend: key === 'mean' })),
    ...(key === 'max' ? { references: maxReferences } : {}),
  });
  return stackedPanels({ title, x: { title: 'solved N' }, panels: [panel('mean', 'mean over neurons'), panel('std', 'standard deviation'), panel('max', 'maximum')], panelHeight: 200 });
}


/**
 * τ_net against solved N (README §5.2, claim T6), on a log axis: the mean over kept neurons that T6 is decided on, and
 * below it the median, which a few neurons with a long fitted τ_net cannot pull up. Multi-head mean τ′ for comparison.
 */
export function tauNetFigure(tauNet: TauNetPair[], t6: T6Result, title: string): Figure {
  const series = (stat: 'mean' | 'median', legend: boolean) =>
    tauNet.flatMap((p, i) =>
      (['multi', 'single'] as const).map((c) => {
        const rows = p[c];
        return {
          x: rows.map((r) => r.N),
          y: rows.map((r) => (stat === 'mean' ? r.mean : tauNetSpread(r).median)),
          mode: 'lines+markers' as const,
          name: `${c}-head, seed ${p.seed}`,
          color: c === 'multi' ? CONCEPT_COLORS.multiHead : CONCEPT_COLORS.singleHead,
          dash: SEED_DASH[i % 3],
          showlegend: legend,
        };
      }),
    );
  const tauPrime = { x: t6.Ns, y: t6.multiTauPrime, mode: 'lines' as const, name: 'multi-head mean τ′ (seed mean)', color: CONCEPT_COLORS.input, dash: 'dash' as const };
  return stackedPanels({
    title,
    x: { title: 'solved N' },
    panelHeight: 230,
    panels: [
      {
        title: 'mean τ_net over kept neurons (claim T6)',
        y: { title: 'τ_net (steps)', log: true },
        series: [...series('mean', true), tauPrime],
      },
      { title: 'median τ_net over kept neurons', y: { title: 'τ_net (steps)', log: true }, series: [...series('median', false), tauPrime] },
    ],
  });
}

// ---- Notebook 13: gated networks (T15) ----

/** Ticks on whole numbers only (task sizes N), at most ~10 of them, over the values drawn. */
function wholeNumberTicks(values: number[]): { values: number[]; labels: string[] } | undefined {
  if (values.length === 0) return undefined;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const step = Math.max(1, Math.ceil((hi - lo) / 10));
  const ticks = Array.from({ length: Math.ceil((hi - lo) / step) + 1 }, (_, k) => lo + k * step); // the last at or above hi
  return { values: ticks, labels: ticks.map(String) };
}

/** One run's solved N against training step (epochs before the first solve left out, as in nReachedFigure). */
function reachSeries(run: { nMaxByEpoch: number[]; stepsByEpoch: number[] }, name: string, color: string, dash: (typeof SEED_DASH)[number]) {
  const solved = run.nMaxByEpoch.map((_, k) => k).filter((k) => run.nMaxByEpoch[k] > 0);
  return { x: solved.map((k) => run.stepsByEpoch[k]), y: solved.map((k) => run.nMaxByEpoch[k]), name: solved.length ? name : `${name} (nothing solved)`, color, dash };
}

/**
 * Largest solved N against training step, one panel per network (LSTM, GRU, and the leaky RNN of notebook 05 over the
 * same budget): colour by curriculum, dash by seed; a legend entry shows or hides that curriculum and seed in every panel.
 */
export function gatedReachFigure(gated: GatedPair[], leaky: CurriculumPair[], title: string): Figure {
  const cells = [...new Set(gated.map((p) => p.cell))];
  const seedIndex = (seed: number, seeds: number[]) => SEED_DASH[seeds.indexOf(seed) % 3];
  const seeds = [...new Set([...gated.map((p) => p.seed), ...leaky.map((p) => p.seed)])].sort((a, b) => a - b);
  const panel = (pairs: { seed: number; single: CurriculumRun | GatedCurriculumRun; multi: CurriculumRun | GatedCurriculumRun }[], name: string) => {
    const series = pairs.flatMap(({ seed, single, multi }) => [
      reachSeries(single, `single-head, seed ${seed}`, CONCEPT_COLORS.singleHead, seedIndex(seed, seeds)),
      reachSeries(multi, `multi-head, seed ${seed}`, CONCEPT_COLORS.multiHead, seedIndex(seed, seeds)),
    ]);
    return { title: name, y: { title: 'largest solved N', categories: wholeNumberTicks(series.flatMap((s) => s.y)) }, series };
  };
  return stackedPanels({
    title,
    x: { title: 'training step' },
    panels: [...cells.map((cell) => panel(gated.filter((p) => p.cell === cell), cell.toUpperCase())), ...(leaky.length ? [panel(leaky, 'leaky RNN (notebook 05)')] : [])],
    panelHeight: 210,
  });
}

/**
 * Mean unit timescale against solved N, one panel per network: τ = 1/(1 − mean forget gate) for the LSTM, 1/(1 − mean
 * update gate) for the GRU, τ′ for the leaky RNN (timescaleTrend); colour by curriculum, dash by seed.
 */
export function timescaleTrendFigure(rows: GateTauRow[], title: string): Figure {
  const networks = [...new Set(rows.map((r) => r.network))];
  const seeds = [...new Set(rows.map((r) => r.seed))].sort((a, b) => a - b);
  const what: Record<string, string> = { LSTM: 'τ from the forget gate', GRU: 'τ from the update gate', 'leaky RNN': 'τ′ (notebook 05)' };
  return stackedPanels({
    title,
    x: { title: 'solved N (task size)', categories: wholeNumberTicks(rows.map((r) => r.N)) },
    panels: networks.map((network) => ({
      title: `${network}: ${what[network]}`,
      y: { title: 'mean τ (steps)' },
      series: (['single', 'multi'] as const).flatMap((curriculum) =>
        seeds.map((seed) => {
          const own = rows.filter((r) => r.network === network && r.curriculum === curriculum && r.seed === seed).sort((a, b) => a.N - b.N);
          return {
            x: own.map((r) => r.N),
            y: own.map((r) => r.meanTau),
            name: `${curriculum}-head, seed ${seed}`,
            color: curriculum === 'single' ? CONCEPT_COLORS.singleHead : CONCEPT_COLORS.multiHead,
            dash: SEED_DASH[seeds.indexOf(seed) % 3],
            mode: 'lines+markers' as const,
            markerSize: 5,
          };
        }),
      ),
    })),
    panelHeight: 210,
  });
}
