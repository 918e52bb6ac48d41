/**
 * Displaying figures in the tslab kernel.
 *
 * One display_data message carries two representations of the same figure:
 *  - `application/vnd.plotly.v1+json` as an object {data, layout, config} (a JSON *string* breaks JupyterLab's
 *    renderer), used by JupyterLab with plotly's extension and by VS Code;
 *  - `text/html`: a div plus a `Plotly.newPlot` call, used by classic Notebook (trusted) and by nbconvert's HTML
 *    export. plotly.js is inlined into the first figure of each kernel session so the export works offline.
 * tslab's public `display.raw` sends one mime type only, so we call the kernel's own display writer.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import type { Figure } from './figure.js';
import { ParameterError } from '../numerics/validate.js';

const require = createRequire(import.meta.url);
const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

interface DisplayContent {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  transient: Record<string, unknown>;
}
type DisplayWriter = (content: DisplayContent, update: boolean) => void;

/** The running tslab kernel's display writer, or null outside a kernel (tests, scripts). */
function kernelWriter(): DisplayWriter | null {
  let path: string;
  try {
    path = require.resolve('tslab/dist/jupyter.js');
  } catch {
    return null;
  }
  // Only a kernel has loaded this module; requiring it ourselves would load tslab's compiler for nothing.
  const mod = require.cache[path]?.exports as { lastWriteDisplayData?: DisplayWriter | null } | undefined;
  return mod?.lastWriteDisplayData ?? null;
}

/** True when running inside a tslab kernel that is executing a cell. */
export function inKernel(): boolean {
  return kernelWriter() !== null;
}

/** Sends a raw mime bundle to the notebook; returns false outside a kernel. */
export function displayBundle(data: Record<string, unknown>): boolean {
  const write = kernelWriter();
  if (!write) return false;
  write({ data, metadata: {}, transient: {} }, false);
  return true;
}

/** Deep copy with typed arrays turned into plain arrays rounded to 7 significant digits (smaller notebooks). */
function toPlain(value: unknown, path: string, allowNonFinite: boolean, depth = 0): unknown {
  // Plotly objects are a few levels deep; a cycle (layout.self = layout) would otherwise overflow the stack.
  if (depth > 50) throw new ParameterError(path, 'nested more than 50 levels deep (a cycle in the figure object?)');
  if (ArrayBuffer.isView(value) || (Array.isArray(value) && value.length > 0 && typeof value[0] === 'number')) {
    const arr = value as ArrayLike<number>;
    const out = new Array<number | null>(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i];
      if (!Number.isFinite(v)) {
        if (!allowNonFinite) {
          throw new ParameterError(path, `entry ${i} is ${v}; refusing to plot non-finite numbers silently (pass allowNonFinite to draw gaps)`);
        }
        out[i] = null;
      } else {
        out[i] = Number(v.toPrecision(7));
      }
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v, i) => toPlain(v, `${path}[${i}]`, allowNonFinite, depth + 1));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlain(v, `${path}.${k}`, allowNonFinite, depth + 1);
    return out;
  }
  return value;
}

export interface ShowOptions {
  /** Draw NaN/Infinity as gaps instead of throwing. */
  allowNonFinite: boolean;
}

/** A figure ready to send: plain JSON-able data, layout and config. */
export function plainFigure(fig: Figure, options: Partial<ShowOptions> = {}): Required<Figure> {
  if (!fig || typeof fig !== 'object' || !Array.isArray(fig.data) || !fig.layout || typeof fig.layout !== 'object') {
    throw new ParameterError('fig', `expected a figure { data: [...], layout: {...} }, got ${fig === null ? 'null' : typeof fig}`);
  }
  const title = String((fig.layout.title as { text?: string } | undefined)?.text ?? 'figure');
  const data = fig.data.map((t, i) => toPlain(t, `figure '${title}', trace ${String(t.name ?? i)}`, options.allowNonFinite ?? false));
  return {
    data: data as Figure['data'],
    layout: toPlain(fig.layout, `figure '${title}', layout`, true) as Figure['layout'],
    config: { responsive: true, displaylogo: false, ...(fig.config ?? {}) },
  };
}

let plotlyInlined = false;
const sessionTag = randomBytes(4).toString('hex');
let figureCount = 0;

/** JSON that is safe inside a <script> element. */
function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c');
}

/** The HTML fallback: a div and a script drawing into it (plotly.js prepended once per kernel session). */
export function figureHtml(fig: Required<Figure>, id: string, includePlotly: boolean): string {
  const height = Number(fig.layout.height ?? 420);
  let html = '';
  if (includePlotly) {
    const source = readFileSync(require.resolve('plotly.js-dist-min'), 'utf8').replace(/<\/script/gi, '<\\/script');
    // Shadow CommonJS globals so the UMD wrapper attaches window.Plotly even where a page defines `module`.
    // data-rnnlab marks the copy for the reproduce job, whose exported pages load one shared plotly.min.js instead.
    html += `<script type="text/javascript" data-rnnlab="plotly.js">(function(module, exports){${source}\n})(undefined, undefined);</script>\n`;
  }
  html +=
    `<div id="${id}" class="rnnlab-figure" style="width:100%;height:${height}px;"></div>\n` +
    `<script type="text/javascript">(function(){var el=document.getElementById(${JSON.stringify(id)});` +
    `if(!window.Plotly){el.textContent='plotly.js is not loaded here: re-run the notebook from the top to see this figure.';return;}` +
    `window.Plotly.newPlot(el,${scriptJson(fig.data)},${scriptJson(fig.layout)},${scriptJson(fig.config)});})();</script>`;
  return html;
}

/**
 * Displays a figure in the notebook (returns nothing, so a cell ending in `show(...)` prints nothing more).
 * Outside a kernel it only validates the figure.
 */
export function show(fig: Figure, options: Partial<ShowOptions> = {}): void {
  const plain = plainFigure(fig, options); // validates even outside a kernel
  const write = kernelWriter();
  if (!write) return;
  figureCount += 1;
  const html = figureHtml(plain, `rnnlab-fig-${sessionTag}-${figureCount}`, !plotlyInlined);
  plotlyInlined = true;
  const title = String((plain.layout.title as { text?: string } | undefined)?.text ?? 'figure');
  write({ data: { [PLOTLY_MIME]: plain, 'text/html': html, 'text/plain': `<plotly figure: ${title}>` }, metadata: {}, transient: {} }, false);
}

/** Displays markdown (outside a kernel: prints it to stdout). */
export function showMarkdown(markdown: string): void {
  if (!displayBundle({ 'text/markdown': markdown, 'text/plain': markdown })) console.log(markdown);
}
