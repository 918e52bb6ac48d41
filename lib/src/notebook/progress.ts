/**
 * A live progress line for long cells. In the kernel it updates one display entry in place (tslab's
 * newDisplay); elsewhere it is silent, so library code can report progress unconditionally.
 */
import { createRequire } from 'node:module';
import { inKernel } from '../plotting/show.js';

const require = createRequire(import.meta.url);

export interface Progress {
  /** Reports `done` of `total` steps, with an optional note (e.g. the current parameter). */
  update(done: number, note?: string): void;
  /** One more step done (`update(done + 1, note)`). */
  advance(note?: string): void;
  /** Replaces the note without advancing (live status of running jobs). */
  note(text: string): void;
  finish(note?: string): void;
}

interface TextDisplay {
  text(s: string): void;
}

export function progress(label: string, total: number, minIntervalMs = 250): Progress {
  const display: TextDisplay | null = inKernel() ? (require('tslab') as { newDisplay(): TextDisplay }).newDisplay() : null;
  const start = Date.now();
  let last = -Infinity;
  const render = (done: number, note?: string) => {
    const frac = total > 0 ? Math.min(done / total, 1) : 1;
    const width = 24;
    const filled = Math.round(frac * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const seconds = ((Date.now() - start) / 1000).toFixed(1);
    display?.text(`${label} ${bar} ${done}/${total} (${seconds} s)${note ? ` ${note}` : ''}`);
  };
  render(0);
  let count = 0;
  const update = (done: number, note?: string) => {
    count = done;
    const now = Date.now();
    if (now - last < minIntervalMs && done < total) return;
    last = now;
    render(done, note);
  };
  return {
    update,
    advance: (note) => update(count + 1, note),
    note: (text) => update(count, text),
    finish(note) {
      render(total, note ?? 'done');
    },
  };
}
