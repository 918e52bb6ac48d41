/**
 * Opens an exported notebook HTML page in headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core; no browser download) and reports, for every figure div, whether plotly drew its traces,
 * plus every console error and page error.
 */
import { chromium } from 'playwright-core';
import { pathToFileURL } from 'node:url';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface FigureReport {
  id: string;
  traces: number;
  drawnTraces: number;
}

export interface PageReport {
  figures: FigureReport[];
  errors: string[];
  /** Typeset formulas (MathJax containers) once MathJax has finished; 0 when it is not loaded. */
  formulas: number;
  /** Script sources that are not relative to the page (file://, http(s)://): a page must not need them. */
  externalScripts: string[];
  /** Requests the check refused: anything under file:///usr/share (Debian's libjs-mathjax, require.js) or online. */
  blocked: string[];
}

export async function inspectFigures(htmlPath: string, executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): Promise<PageReport> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
    });
    page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
    // As on a machine without Debian's JavaScript packages and offline: such requests fail.
    const blocked: string[] = [];
    await page.route(/^(file:\/\/\/usr\/share\/|https?:\/\/)/, (route) => {
      blocked.push(route.request().url());
      return route.abort();
    });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.waitForTimeout(500); // let plotly finish its async layout
    const formulas = await page.evaluate(async () => {
      const mj = (window as unknown as { MathJax?: { startup?: { promise?: Promise<unknown> } } }).MathJax;
      if (!mj?.startup?.promise) return 0;
      await mj.startup.promise;
      return document.querySelectorAll('mjx-container').length;
    });
    const externalScripts = await page.$$eval('script[src]', (ss) => ss.map((s) => s.getAttribute('src') ?? '').filter((src) => /^(file:|https?:|\/\/)/.test(src)));
    const figures = await page.$$eval('div.rnnlab-figure', (divs) =>
      divs.map((d) => {
        const el = d as HTMLElement & { _fullData?: unknown[] };
        // A drawn trace has its own group in the plot area: scatter traces under .scatterlayer, heat maps under .heatmaplayer.
        const drawn = el.querySelectorAll('.scatterlayer .trace, .heatmaplayer .hm, .barlayer .trace').length;
        return { id: el.id, traces: el._fullData?.length ?? 0, drawnTraces: drawn };
      }),
    );
    return { figures, errors, formulas, externalScripts, blocked };
  } finally {
    await browser.close();
  }
}


/** Clicks a page's code toggle and reports whether the code cells' inputs are hidden, then shown again. */
export async function codeToggleWorks(htmlPath: string, executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): Promise<{ before: boolean; hidden: boolean; shownAgain: boolean }> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    const visible = () => page.$eval('.jp-CodeCell .jp-Cell-inputWrapper', (el) => getComputedStyle(el).display !== 'none');
    const before = await visible();
    await page.click('#rnnlab-code-toggle');
    const hidden = !(await visible());
    await page.click('#rnnlab-code-toggle');
    return { before, hidden, shownAgain: await visible() };
  } finally {
    await browser.close();
  }
}

export interface SliderReport {
  /** Figures of the page with a slider, and their number of steps. */
  sliders: { id: string; steps: number }[];
  /** For the first slider: the y of its traces before and after a click at the left end of the rail (its first step). */
  changed: boolean;
  activeBefore: number;
  activeAfter: number;
}

/** Clicks the left end of the first figure slider of a page, as a reader would, and reports whether the plot changed. */
export async function sliderMovesPlot(htmlPath: string, executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): Promise<SliderReport> {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
    await page.waitForTimeout(500);
    type Plot = HTMLElement & { layout?: { sliders?: { active: number; steps: unknown[] }[] }; data?: { y: ArrayLike<number> }[] };
    const sliders = await page.$$eval('div.rnnlab-figure', (divs) =>
      divs.flatMap((d) => {
        const el = d as Plot;
        const s = el.layout?.sliders?.[0];
        return s ? [{ id: el.id, steps: s.steps.length }] : [];
      }),
    );
    if (sliders.length === 0) return { sliders, changed: false, activeBefore: -1, activeAfter: -1 };
    const id = sliders[0].id;
    const state = () =>
      page.$eval(`#${id}`, (d) => {
        const el = d as Plot;
        return { active: el.layout!.sliders![0].active, y: JSON.stringify((el.data ?? []).map((t) => Array.from(t.y))) };
      });
    const before = await state();
    const rail = await page.$(`#${id} .slider-rail-touch-rect`);
    if (!rail) throw new Error(`figure ${id}: no slider rail drawn`);
    await rail.scrollIntoViewIfNeeded();
    const box = (await rail.boundingBox())!;
    await page.mouse.click(box.x + 2, box.y + box.height / 2);
    await page.waitForTimeout(300);
    const after = await state();
    return { sliders, changed: before.y !== after.y, activeBefore: before.active, activeAfter: after.active };
  } finally {
    await browser.close();
  }
}
