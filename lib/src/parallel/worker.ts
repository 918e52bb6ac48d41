/** Worker side of runParallel: imports the job module once, then runs one job per message. */
import { parentPort, workerData } from 'node:worker_threads';

const { moduleUrl, exportName } = workerData as { moduleUrl: string; exportName: string };
const mod = (await import(moduleUrl)) as Record<string, unknown>;
const fn = mod[exportName];

parentPort!.on('message', async ({ index, input }: { index: number; input: unknown }) => {
  try {
    if (typeof fn !== 'function') throw new Error(`${moduleUrl} has no exported function '${exportName}'`);
    const report = (progress: unknown) => parentPort!.postMessage({ index, progress });
    parentPort!.postMessage({ index, ok: true, result: await (fn as (x: unknown, r: typeof report) => unknown)(input, report) });
  } catch (e) {
    parentPort!.postMessage({ index, ok: false, error: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
  }
});
