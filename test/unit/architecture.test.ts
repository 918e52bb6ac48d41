/**
 * The library's architecture as tests: each layer of lib/src imports only the layers below it (and its own
 * folder), a paper's folder imports no other paper's, and nothing in the project points outside the repository
 * for its documentation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SRC = join(ROOT, 'lib', 'src');

/** Layers from the bottom up; a file may import from a lower layer or from its own folder. */
export const LAYERS: string[][] = [
  ['numerics'],
  ['io', 'parallel'],
  ['tasks'],
  ['dynamics', 'learning'],
  ['analysis'],
  ['plotting'],
  ['notebook'],
  ['papers'],
  ['synthesis'],
  ['sweeps'],
];

function walk(dir: string, keep: (name: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.') || name === 'build' || name === 'results') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, keep, out);
    else if (keep(name)) out.push(p);
  }
  return out;
}

/** The folder a file of lib/src belongs to: 'numerics', 'papers/beer-barak-2019', or '' for index.ts. */
function unitOf(file: string): string {
  const parts = relative(SRC, file).split(/[\\/]/);
  if (parts.length === 1) return '';
  return parts[0] === 'papers' ? `papers/${parts[1]}` : parts[0];
}

function rankOf(unit: string): number {
  if (unit === '') return LAYERS.length;
  const top = unit.split('/')[0];
  const rank = LAYERS.findIndex((layer) => layer.includes(top));
  if (rank < 0) throw new Error(`lib/src/${unit} is in no layer: add it to LAYERS in test/unit/architecture.test.ts`);
  return rank;
}

/** Relative imports of a source file (static, dynamic and worker URLs), resolved to files. */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|new URL\(\s*|\?\s*|:\s*)'(\.\.?\/[^']+)'/g)) {
    found.push(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
  }
  return found;
}

test('every layer of lib/src imports only downwards, and no paper imports another', () => {
  const violations: string[] = [];
  for (const file of walk(SRC, (n) => n.endsWith('.ts'))) {
    const from = unitOf(file);
    for (const target of importsOf(file)) {
      const to = unitOf(target);
      if (to === from) continue;
      const ok = rankOf(to) < rankOf(from) && !(from.startsWith('papers/') && to.startsWith('papers/'));
      if (!ok) violations.push(`${relative(SRC, file)} imports ${relative(SRC, target)}`);
    }
  }
  assert.deepEqual(violations, [], `upward or sideways imports:\n${violations.join('\n')}`);
});

test('the layer check itself catches an upward import', () => {
  assert.ok(rankOf('tasks') < rankOf('dynamics'));
  assert.ok(rankOf('papers/intro') > rankOf('notebook'));
  assert.throws(() => rankOf('studies'), /in no layer/);
});

/**
 * What a reference to the developers' brief looks like: its folder outside the repository, or the word for that
 * brief used as a document (followed by a section sign, possessive, after a study's name, "(…: 20)", before a
 * claim id). The examples below are assembled from pieces so that this file does not itself refer to it. A study's README is cited
 * instead ("README §5.2", "papers/<paper>/README.md §5.2").
 */
const BRIEF_REFERENCE =
  /\.\.\/shared\b|shared\/papers|\bspecs?\s*§|\bspecs?['’]s\b|\b(the|a|paper|its|this|timescales|sequential-interference|timescales-curriculum|Barak|2019|2024)\s+specs?\b|\bspecs?\s+(option|says|asks|B\d|[A-Z]\d)|\(specs?[:;,)]|\bspec:/i;

test('the brief-reference pattern catches the forms it names and spares code that says spec', () => {
  const [up, brief, word] = ['..', 'shared', 'spec'];
  for (const bad of [`see ${up}/${brief}/papers/x.md`, `${word} §5.2`, `the ${word}'s option`, `timescales ${word} §3`, `(${word}: 20)`, `${word} B6(c)`, `Beer & Barak ${word}`])
    assert.ok(BRIEF_REFERENCE.test(bad), bad);
  for (const ok of ['for (const spec of specs)', 'spec.name', 'spectral radius', 'as specified', 'README §5.2', 'model.specs.filter'])
    assert.ok(!BRIEF_REFERENCE.test(ok), ok);
});

test('no source or document of the project refers to the developers\' brief outside the repository', () => {
  const keep = (n: string) => /\.(ts|mts|mjs|md|py|sh|json)$/.test(n) && n !== 'package-lock.json';
  const files = [
    ...walk(join(ROOT, 'lib'), keep),
    ...walk(join(ROOT, 'notebooks'), (n) => keep(n) || n.endsWith('.ipynb')),
    ...walk(join(ROOT, 'test'), keep),
    ...walk(join(ROOT, 'scripts'), keep),
    ...walk(join(ROOT, 'bench'), keep),
    ...['README.md', 'environment.md'].map((f) => join(ROOT, f)),
  ];
  const self = fileURLToPath(import.meta.url);
  const offending: string[] = [];
  for (const file of files) {
    if (file === self) continue;
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (BRIEF_REFERENCE.test(line)) offending.push(`${relative(ROOT, file)}:${i + 1}: ${line.trim().slice(0, 100)}`);
    });
  }
  assert.deepEqual(offending, [], `references to the brief outside the repository:\n${offending.slice(0, 40).join('\n')}${offending.length > 40 ? `\n… ${offending.length - 40} more` : ''}`);
});

test("every claim a paper's claims.ts records is in the claims table of that paper's README", () => {
  const missing: string[] = [];
  for (const paper of readdirSync(join(SRC, 'papers'))) {
    const claimsFile = join(SRC, 'papers', paper, 'claims.ts');
    const readme = readFileSync(join(SRC, 'papers', paper, 'README.md'), 'utf8');
    const ids = new Set([...readFileSync(claimsFile, 'utf8').matchAll(/(?:id: |record\()'([A-Z][0-9]+[a-z]?)'/g)].map((m) => m[1]));
    assert.ok(ids.size > 0, `${paper}: no claim ids found in claims.ts`);
    for (const id of ids) if (!new RegExp(`\\|\\s*\\**${id}\\**\\s*\\|`).test(readme)) missing.push(`${paper}: ${id}`);
  }
  assert.deepEqual(missing, [], `claims without a row in their README's claims table:\n${missing.join('\n')}`);
});
