// Static export of every figure of the exported pages, for slides and papers: <out>/figures/<notebook>/fig<K>.svg
// (vector) and .png (2x), drawn by plotly.js itself (Plotly.toImage, as kaleido does for plotly.py) in Debian's
// Chromium driven by playwright-core. Called by the reproduce job after the notebooks ran:
//   node scripts/export_figures.mjs <out> [page.html ...]      (default: every NN-*.html in <out> and its subfolders)
// Prints one line per page; exits 0 without exporting (and says so) when no Chromium is installed.
import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const ARGS = ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Width of an exported figure in CSS pixels (a slide's or a page's text width); heights are the figures' own. */
const WIDTH = 1000;

const [out, ...explicit] = process.argv.slice(2);
if (!out) {
  console.error('usage: node scripts/export_figures.mjs <out> [page.html ...]');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.log(`figures: no Chromium at ${executablePath} (set CHROMIUM_PATH, or run setup with --with-browser); static export skipped`);
  process.exit(0);
}

function pagesIn(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory() && !['assets', 'figures', 'claims'].includes(name)) found.push(...pagesIn(path));
    else if (/^\d\d-.*\.html$/.test(name)) found.push(path);
  }
  return found;
}

function writeAtomic(path, data) {
  writeFileSync(`${path}.tmp`, data);
  renameSync(`${path}.tmp`, path);
}

const pages = explicit.length ? explicit : pagesIn(out);
const browser = await chromium.launch({ executablePath, args: ARGS });
let total = 0;
try {
  const page = await browser.newPage({ viewport: { width: WIDTH + 200, height: 900 } });
  for (const html of pages) {
    await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
    const images = await page.evaluate(async (width) => {
      const result = [];
      for (const el of document.querySelectorAll('div.rnnlab-figure')) {
        if (!window.Plotly || !el._fullLayout) {
          result.push(null);
          continue;
        }
        const height = el._fullLayout.height;
        const svg = await window.Plotly.toImage(el, { format: 'svg', width, height });
        const png = await window.Plotly.toImage(el, { format: 'png', width, height, scale: 2 });
        result.push({ svg, png });
      }
      return result;
    }, WIDTH);
    // results/figures/<notebook>/, or results/figures/<variant>/<notebook>/ for a variant's pages.
    const dir = join(out, 'figures', relative(out, html).replace(/\.html$/, ''));
    mkdirSync(dir, { recursive: true });
    images.forEach((img, k) => {
      if (!img) throw new Error(`${html}: figure ${k + 1} was not drawn, so it cannot be exported`);
      writeAtomic(join(dir, `fig${k + 1}.svg`), decodeURIComponent(img.svg.replace(/^data:image\/svg\+xml,/, '')));
      writeAtomic(join(dir, `fig${k + 1}.png`), Buffer.from(img.png.replace(/^data:image\/png;base64,/, ''), 'base64'));
    });
    total += images.length;
    console.log(`figures: ${basename(html)}: ${images.length} figure(s) -> ${dir}`);
  }
} finally {
  await browser.close();
}
console.log(`figures: ${total} figure(s) from ${pages.length} page(s) exported as SVG and PNG`);
