// The figure linter: what a figure a teacher can project must have, checked on the plotly JSON that an executed
// notebook carries (application/vnd.plotly.v1+json outputs). Used by the notebook test on every figure of every
// notebook, and by hand: `npx tsx test/support/figureLint.ts results/*.ipynb`.
import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;

export interface FigureProblem {
  notebook: string;
  figure: number;
  title: string;
  problem: string;
}

const text = (t: unknown): string => (typeof t === 'string' ? t : t && typeof t === 'object' && typeof (t as Json).text === 'string' ? ((t as Json).text as string) : '');

/** The axes a figure's traces use (x, x2, y, y3, …), as layout keys (xaxis, xaxis2, yaxis, yaxis3, …). */
function usedAxes(data: Json[]): string[] {
  const axes = new Set<string>();
  for (const t of data) {
    if (t.type === 'pie' || t.type === 'table') continue;
    for (const [key, def] of [['xaxis', 'x'], ['yaxis', 'y']] as const) {
      const ref = (t[key] as string | undefined) ?? def;
      axes.add(`${key}${ref.slice(1)}`);
    }
  }
  return [...axes];
}

function nonFinite(values: unknown): boolean {
  if (!Array.isArray(values)) return false;
  // null is how JSON carries NaN: a gap drawn on purpose is written as null by the builder and allowed; a string
  // "NaN" or "Infinity" is not.
  return values.some((v) => (typeof v === 'number' && !Number.isFinite(v)) || v === 'NaN' || v === 'Infinity' || v === '-Infinity' || (Array.isArray(v) && nonFinite(v)));
}

/** The problems of one plotly figure; an empty list when it passes. */
export function lintFigure(fig: Json): string[] {
  const problems: string[] = [];
  const data = (fig.data as Json[]) ?? [];
  const layout = (fig.layout as Json) ?? {};
  if (!text(layout.title).trim()) problems.push('no title');
  // Axis titles: every axis a trace draws on, or (stacked panels) a panel annotation standing in for the y title.
  const annotations = ((layout.annotations as Json[]) ?? []).map((a) => text(a.text ?? a));
  for (const key of usedAxes(data)) {
    const a = (layout[key] as Json) ?? {};
    if (a.visible === false) continue;
    const titled = text(a.title).trim() !== '';
    const panelLabel = key.startsWith('yaxis') && annotations.length > 0;
    if (!titled && !panelLabel) problems.push(`${key} has no title`);
    if (a.type === 'log' && a.exponentformat !== 'power') problems.push(`${key} is logarithmic with SI-prefix labels (set exponentformat: 'power')`);
  }
  // A legend whenever more than one trace is named and the legend is not hidden.
  const named = data.filter((t) => typeof t.name === 'string' && (t.name as string).trim() !== '');
  const shown = named.filter((t) => t.showlegend !== false);
  const distinct = new Set(named.map((t) => t.name));
  if (distinct.size > 1 && (layout.showlegend === false || shown.length === 0)) problems.push(`${distinct.size} named traces but no legend`);
  for (const [i, t] of data.entries()) {
    for (const k of ['x', 'y', 'z']) if (nonFinite(t[k])) problems.push(`trace ${i} (${text(t.name) || t.type}) has non-finite ${k}`);
  }
  // The figure title and the top of the plot area: a title above a legend or axis title placed at the top overlaps
  // when the top margin is too small for both.
  const margin = (layout.margin as Json) ?? {};
  if (typeof margin.t === 'number' && margin.t < 40 && text(layout.title)) problems.push(`top margin ${margin.t} px leaves no room for the title`);
  return problems;
}

/** Every plotly figure of an executed notebook (.ipynb), with its problems. */
export function lintNotebook(path: string): { figures: number; problems: FigureProblem[] } {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as { cells: { outputs?: { data?: Json }[] }[] };
  const problems: FigureProblem[] = [];
  let figures = 0;
  for (const cell of nb.cells) {
    for (const out of cell.outputs ?? []) {
      const fig = out.data?.['application/vnd.plotly.v1+json'] as Json | undefined;
      if (!fig) continue;
      figures++;
      const title = text((fig.layout as Json | undefined)?.title);
      for (const problem of lintFigure(fig)) problems.push({ notebook: path.split('/').pop()!, figure: figures, title, problem });
    }
  }
  return { figures, problems };
}

if (process.argv[1]?.endsWith('figureLint.ts')) {
  let total = 0;
  let bad = 0;
  for (const path of process.argv.slice(2)) {
    const { figures, problems } = lintNotebook(path);
    total += figures;
    bad += new Set(problems.map((p) => p.figure)).size;
    for (const p of problems) console.log(`${p.notebook} fig ${p.figure} "${p.title.slice(0, 60)}": ${p.problem}`);
  }
  console.log(`${total} figures, ${bad} with problems`);
}
