#!/usr/bin/env node
// Builds notebooks/NAME.ipynb from notebooks/src/NAME.nb.ts, a "percent" script: cells start with `// %%`
// (code) or `// %% [markdown]` (markdown; each line's leading `// ` is removed). The scripts are the source
// of truth because they diff and review well; `--check` fails when a committed .ipynb is out of date.
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
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
    const json = `${JSON.stringify(toNotebook(parsePercentScript(readFileSync(join(srcDir, file), 'utf8'))), null, 1)}\n`;
    const out = join(root, 'notebooks', `${name}.ipynb`);
    if (check) {
      if (!existsSync(out) || readFileSync(out, 'utf8') !== json) stale.push(name);
    } else {
      writeFileSync(out, json);
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
