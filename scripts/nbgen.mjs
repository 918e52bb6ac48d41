#!/usr/bin/env node
// Builds notebooks/NAME.ipynb from notebooks/src/NAME.nb.ts, a "percent" script: cells start with `// %%`
// (code) or `// %% [markdown]` (markdown; each line's leading `// ` is removed). The scripts are the source
// of truth because they diff and review well; `--check` fails when a committed .ipynb is out of date.
//
// Two editions come from each source (the teaching edition, lib/src/notebook/exercises.ts):
//  - the instructor edition, notebooks/NAME.ipynb (the one the reproduce job runs): exercise solutions kept, the
//    answers of "think" questions in a collapsed <details> block;
//  - the student edition, notebooks/student/NAME.ipynb: each solution replaced by `return lab.notWritten('ID');`
//    and each answer removed.
// Markers: in code cells `// @solution ID` … `// @end-solution`; in markdown cells a line `@answer` … `@end-answer`.
import { readFileSync, writeFileSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const srcDir = join(root, 'notebooks', 'src');

export function parsePercentScript(text) {
  const cells = [];
  let current = null;
  for (const line of text.split('\n')) {
    const m = /^\/\/ %%( \[markdown\])?\s*$/.exec(line);
    if (m) {
      current = { type: m[1] ? 'markdown' : 'code', lines: [] };
      cells.push(current);
    } else if (current) {
      current.lines.push(current.type === 'markdown' ? line.replace(/^\/\/ ?/, '') : line);
    }
  }
  return cells.map((c) => {
    while (c.lines.length && c.lines[c.lines.length - 1].trim() === '') c.lines.pop();
    while (c.lines.length && c.lines[0].trim() === '') c.lines.shift();
    return c;
  });
}

/** One edition ('instructor' or 'student') of parsed cells; `where` names the source in errors. */
export function edition(cells, which, where = 'notebook') {
  if (which !== 'instructor' && which !== 'student') throw new Error(`edition: unknown edition ${which}`);
  return cells.map((c, ci) => {
    const out = [];
    let open = null;
    for (const line of c.lines) {
      const start = c.type === 'code' ? /^(\s*)\/\/ @solution (\S+)\s*$/.exec(line) : /^@answer\s*$/.exec(line);
      const end = c.type === 'code' ? /^\s*\/\/ @end-solution\s*$/.test(line) : /^@end-answer\s*$/.test(line);
      if (start) {
        if (open) throw new Error(`${where}, cell ${ci}: a marker opens inside another (${line.trim()})`);
        open = c.type === 'code' ? { indent: start[1], id: start[2] } : {};
        if (c.type === 'code' && which === 'student') out.push(`${open.indent}return lab.notWritten('${open.id}');`);
        if (c.type === 'markdown' && which === 'instructor') out.push('<details><summary><b>Answer</b> (click to show)</summary>', '');
      } else if (end) {
        if (!open) throw new Error(`${where}, cell ${ci}: ${line.trim()} without its opening marker`);
        if (c.type === 'markdown' && which === 'instructor') out.push('', '</details>');
        open = null;
      } else if (!open || which === 'instructor') {
        out.push(c.type === 'markdown' && which === 'student' ? line.replace(/\]\(\.\.\//g, '](../../') : line);
      }
    }
    if (open) throw new Error(`${where}, cell ${ci}: a marker is never closed`);
    return { ...c, lines: out };
  });
}

export function toNotebook(cells) {
  return {
    cells: cells.map((c, i) => {
      const source = c.lines.map((l, k) => (k < c.lines.length - 1 ? `${l}\n` : l));
      const id = `cell-${String(i).padStart(3, '0')}`;
      return c.type === 'markdown'
        ? { cell_type: 'markdown', id, metadata: {}, source }
        : { cell_type: 'code', execution_count: null, id, metadata: {}, outputs: [], source };
    }),
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: { codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true }, file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript', version: '5.0.4' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

export function buildAll({ check = false } = {}) {
  const stale = [];
  for (const file of readdirSync(srcDir).filter((f) => f.endsWith('.nb.ts')).sort()) {
    const name = basename(file, '.nb.ts');
    const cells = parsePercentScript(readFileSync(join(srcDir, file), 'utf8'));
    for (const [which, folder] of [['instructor', 'notebooks'], ['student', join('notebooks', 'student')]]) {
      const json = `${JSON.stringify(toNotebook(edition(cells, which, file)), null, 1)}\n`;
      const out = join(root, folder, `${name}.ipynb`);
      if (check) {
        if (!existsSync(out) || readFileSync(out, 'utf8') !== json) stale.push(which === 'student' ? `student/${name}` : name);
      } else {
        mkdirSync(join(root, folder), { recursive: true });
        writeFileSync(out, json);
      }
    }
  }
  return stale;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const stale = buildAll({ check });
  if (stale.length) {
    console.error(`out of date (run npm run notebooks): ${stale.join(', ')}`);
    process.exit(1);
  }
}
