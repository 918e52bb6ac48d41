// `npm run notebook` for real: starts the project's Jupyter front end (scripts/notebook.sh, classic Notebook on
// Debian), opens notebook 00 in headless Chromium, runs all its cells in the tslab kernel and requires every figure to
// draw. The notebook runs from a copy in build/live-test (the front end autosaves), at quick scale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from './support/browser.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

async function waitForServer(url: string, server: ChildProcess, log: () => string, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`the notebook server exited with ${server.exitCode}:\n${log()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the notebook server did not answer within ${seconds} s:\n${log()}`);
}

function stop(server: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.exitCode !== null || server.pid === undefined) return resolve();
    const kill = setTimeout(() => {
      try {
        process.kill(-server.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 10_000);
    server.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    try {
      process.kill(-server.pid, 'SIGTERM'); // the whole group: the server and its kernels
    } catch {
      resolve();
    }
  });
}

test('npm run notebook: notebook 00 runs in the Jupyter front end in Chromium and draws every figure', { timeout: 8 * 60_000 }, async () => {
  const dir = join(root, 'build', 'live-test');
  const name = '00-random-rate-network.ipynb';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(root, 'notebooks', name), join(dir, name));
  const port = await freePort();
  const token = randomBytes(16).toString('hex');
  const server = spawn('bash', [join(root, 'scripts', 'notebook.sh'), `--NotebookApp.token=${token}`], {
    cwd: root,
    env: { ...process.env, RNNLAB_NOTEBOOK_PORT: String(port), RNNLAB_NOTEBOOK_DIR: dir, RNNLAB_SCALE: 'quick', RNNLAB_RESULTS: join(dir, 'results'), RNNLAB_CACHE: join(dir, 'cache') },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  server.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await waitForServer(`http://127.0.0.1:${port}/api/status?token=${token}`, server, () => output, 90);
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/notebooks/${name}?token=${token}`, { waitUntil: 'load' });
    type J = { Jupyter: { notebook: { kernel?: { is_connected(): boolean }; execute_all_cells(): void; get_cells(): { cell_type: string; input_prompt_number?: unknown }[] } } };
    await page.waitForFunction(() => (window as unknown as J).Jupyter?.notebook?.kernel?.is_connected?.() === true, null, { timeout: 90_000 });
    await page.evaluate(() => (window as unknown as J).Jupyter.notebook.execute_all_cells());
    // Done when every code cell has a number (not '*', not empty).
    await page.waitForFunction(
      () => (window as unknown as J).Jupyter.notebook.get_cells().every((c) => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number'),
      null,
      { timeout: 5 * 60_000, polling: 1000 },
    );
    const failed = await page.$$eval('.output_error, .output_stderr', (els) => els.map((e) => (e.textContent ?? '').slice(0, 300)));
    assert.deepEqual(failed, [], 'cells with errors');
    const figures = await page.$$eval('div.rnnlab-figure', (divs) => divs.map((d) => d.querySelectorAll('.scatterlayer .trace').length));
    assert.ok(figures.length >= 3, `expected notebook 00's figures, found ${figures.length}\n${output.slice(-2000)}`);
    assert.ok(figures.every((n) => n > 0), `figures drew ${JSON.stringify(figures)} traces`);
    assert.deepEqual(errors, [], 'page errors');
  } finally {
    await browser.close();
    await stop(server);
  }
  assert.ok(/allow-root|127\.0\.0\.1/.test(output) || process.getuid?.() !== 0, output.slice(-1000));
});
