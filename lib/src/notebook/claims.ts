/**
 * Recording the scientific claims a notebook checks. Each check is one call to `recordClaim`, which shows the
 * verdict in the notebook and, when the reproduce job runs (RNNLAB_RESULTS set), writes it to
 * `$RNNLAB_RESULTS/claims/<notebook>.json`; the job gathers these into results/claims.json and REPORT.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFileName, writeFileAtomic } from '../io/atomic.js';
import { showMarkdown } from '../plotting/show.js';
import { scale, type Scale } from './scale.js';
import { ParameterError } from '../numerics/validate.js';

/** Which study a claim belongs to (the intro notebook has its own checks, ids I1, I2, ...; 'synthesis': across the studies, X1, ...). */
export type Paper = 'intro' | 'engine' | 'beer-barak-2019' | 'sequential-interference-2x2' | 'timescales-curriculum-2024' | 'synthesis';
export const PAPERS: readonly Paper[] = ['intro', 'engine', 'beer-barak-2019', 'sequential-interference-2x2', 'timescales-curriculum-2024', 'synthesis'];

export interface ClaimInput {
  /** Id as numbered in the claims table of the paper's README (B1, S2, T5; I1, E1 for the introduction). */
  id: string;
  paper: Paper;
  /** The claim in one sentence. */
  statement: string;
  /** The numeric criterion, fixed before the run. */
  criterion: string;
  /** What was measured. */
  value: number | string | Record<string, number | string>;
  /** Whether the criterion held. */
  passed: boolean;
  /** Optional: why it does not reproduce, or caveats. */
  note?: string;
  /**
   * Optional: which part of a claim this record checks, when the claims table splits it (e.g. 'reduced model' and
   * 'closed loop' of B2). A claim is identified by (id, part).
   */
  part?: string;
}

export interface ClaimRecord extends ClaimInput {
  verdict: 'reproduced' | 'not reproduced';
  notebook: string;
  scale: Scale;
  /** The configuration variant the reproduce job ran the notebook in (RNNLAB_VARIANT, e.g. 'n = 100'), if any. */
  variant?: string;
}

/**
 * The variant of a notebook run: the reproduce job runs some notebooks a second time in another configuration
 * (e.g. the timescales notebooks at n = 100, RNNLAB_TIMESCALES_N) and names it in RNNLAB_VARIANT. Its claims are
 * stored beside the main run's, with the variant added to their part.
 */
export const claimVariant = (): string | undefined => process.env.RNNLAB_VARIANT || undefined;

function formatValue(v: ClaimInput['value']): string {
  const f = (x: number | string) => (typeof x === 'number' ? (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toFixed(4) : x.toExponential(3)) : x);
  if (typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k} = ${f(x)}`).join(', ');
  return String(f(v));
}

/** The parts of a claim's value that are NaN or infinite (numbers, or strings that print one), by name. */
function nonFiniteParts(value: ClaimInput['value']): string[] {
  const bad = (x: number | string) => (typeof x === 'number' ? !Number.isFinite(x) : /\b(NaN|-?Infinity)\b/.test(x));
  if (typeof value === 'object' && value !== null) return Object.entries(value).filter(([, x]) => bad(x)).map(([k]) => k);
  return bad(value) ? ['value'] : [];
}

/** Builds the record of a checked claim (verdict, scale) without side effects. */
export function claimRecord(notebook: string, claim: ClaimInput): ClaimRecord {
  if (!/^[A-Z][0-9]+[a-z]?$/.test(claim.id)) throw new ParameterError('id', `expected an id like B1 or T10, got '${claim.id}'`);
  if (!claim || typeof claim !== 'object') throw new ParameterError('claim', 'expected { id, paper, statement, criterion, value, passed }');
  if (typeof claim.passed !== 'boolean') throw new ParameterError('passed', 'must be a boolean');
  if (!PAPERS.includes(claim.paper)) throw new ParameterError('paper', `must be one of ${PAPERS.join(', ')}, got ${String(claim.paper)}`);
  for (const key of ['statement', 'criterion'] as const) {
    if (typeof claim[key] !== 'string' || claim[key].trim() === '') throw new ParameterError(key, 'must be a non-empty string');
  }
  const v = claim.value;
  const emptyValue = v === undefined || v === null || (typeof v === 'object' && Object.keys(v).length === 0);
  if (emptyValue) throw new ParameterError('value', 'a claim needs the measured value it was judged on');
  const variant = claimVariant();
  // A claim measured as NaN or Infinity has not been shown to hold, whatever its comparison said.
  const bad = nonFiniteParts(claim.value);
  const checked: ClaimInput =
    claim.passed && bad.length > 0
      ? { ...claim, passed: false, note: `not finite: ${bad.join(', ')}, so the claim cannot count as reproduced${claim.note ? `. ${claim.note}` : ''}` }
      : claim;
  const record: ClaimRecord = { ...checked, verdict: checked.passed ? 'reproduced' : 'not reproduced', notebook, scale: scale() };
  if (!variant) return record;
  return { ...record, variant, part: claim.part ? `${claim.part}, ${variant}` : variant };
}

/** Text shown as Markdown verbatim: `z_end`, `N*` or `[2, N* − 1]` must not turn into emphasis or links. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|~]/g, (c) => `\\${c}`);
}

/**
 * Records a checked claim: shows the verdict in the notebook and, under the reproduce job, stores it.
 * Returns nothing so that a cell ending in `recordClaim(...)` does not echo the record.
 */
export function recordClaim(notebook: string, claim: ClaimInput): void {
  checkFileName('notebook', notebook);
  const record = claimRecord(notebook, claim);
  const dir = process.env.RNNLAB_RESULTS;
  if (dir) {
    const variant = record.variant ? `--${record.variant.replace(/[^A-Za-z0-9]+/g, '')}` : '';
    const file = join(dir, 'claims', `${notebook}${variant}.json`);
    const existing: ClaimRecord[] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : [];
    const merged = [...existing.filter((c) => c.id !== record.id || c.part !== record.part), record];
    writeFileAtomic(file, JSON.stringify(merged, null, 2));
  }
  const mark = record.passed ? '✓' : '✗'; // plain glyphs: emoji fonts are missing on many servers
  const md = escapeMarkdown;
  showMarkdown(
    `${mark} **${md(claim.id)}${record.part ? ` (${md(record.part)})` : ''} — ${record.verdict}** (${record.scale} scale). ${md(claim.statement)}  \n` +
      `Criterion: ${md(claim.criterion)}. Measured: ${md(formatValue(claim.value))}.${record.note ? `  \n_${md(record.note)}_` : ''}`,
  );
}
