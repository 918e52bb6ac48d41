/**
 * Independent runs (seeds, conditions) in parallel on worker threads, with results identical to a serial run:
 * every job is the same exported function of the same module, called with a structured-cloned input, whether
 * it runs in a worker or (workers ≤ 1) in this thread. Jobs are handed out as workers become free; results
 * come back in input order.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { checkInteger, checkKnownKeys, ParameterError } from '../numerics/validate.js';

export interface ParallelOptions {
  /** Worker threads; default min(jobs, available cores). 0 or 1 runs the jobs serially in this thread. */
  workers: number | null;
  /** Called as each job finishes (in completion order). */
  onResult: ((index: number, result: unknown) => void) | null;
  /** Called with what a running job reports through its second argument (live progress; structured-cloned). */
  onProgress: ((index: number, report: unknown) => void) | null;
}

export const PARALLEL_DEFAULTS: ParallelOptions = { workers: null, onResult: null, onProgress: null };

/** A job function: its input, and a function it may call with progress reports (optional to use). */
export type ParallelJob<I, O> = (input: I, report: (progress: unknown) => void) => O | Promise<O>;

interface JobMessage {
  index: number;
  input: unknown;
}
interface ResultMessage {
  index: number;
  /** Set on a progress report (then `ok` and `result` are absent). */
  progress?: unknown;
  ok?: boolean;
  result?: unknown;
  error?: string;
}

/**
 * Starts the worker module `file` (a name like './worker.js', resolved next to `base`, the caller's import.meta.url).
 * Compiled (lib/dist): the .js file. From TypeScript sources (tests and scripts under tsx): Node 20 does not apply
 * `--import tsx` inside workers, so a small bootstrap registers tsx's loader in the worker first and then imports
 * the .ts file.
 */
export function startModuleWorker(base: string, file: string, workerData: unknown): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(file, base), { workerData });
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const workerTs = new URL(file.replace(/\.js$/, '.ts'), base).href;
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(workerTs)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}

const startWorker = (workerData: unknown): Worker => startModuleWorker(import.meta.url, './worker.js', workerData);

/**
 * Runs `exportName(input)` from the ES module at `moduleUrl` (an absolute file URL, e.g.
 * `new URL('./jobs.js', import.meta.url)`) for every input; resolves to the outputs in input order.
 * A job that throws rejects the whole call with its index and message; workers are always terminated.
 */
export async function runParallel<I, O>(moduleUrl: string | URL, exportName: string, inputs: I[], options: Partial<ParallelOptions> = {}): Promise<O[]> {
  const url = String(moduleUrl);
  if (!url.startsWith('file:')) throw new ParameterError('moduleUrl', `expected an absolute file: URL, got ${url}`);
  if (typeof exportName !== 'string' || exportName === '') throw new ParameterError('exportName', 'expected the name of an exported function');
  if (!Array.isArray(inputs)) throw new ParameterError('inputs', `expected an array of job inputs, got ${inputs === null ? 'null' : typeof inputs}`);
  checkKnownKeys('runParallel', options, PARALLEL_DEFAULTS);
  for (const key of ['onResult', 'onProgress'] as const) {
    if (options[key] != null && typeof options[key] !== 'function') throw new ParameterError(key, 'expected a function or null');
  }
  // Inputs cross to the workers by structured cloning: one that cannot be cloned is named here, not as a crash.
  inputs.forEach((input, i) => {
    try {
      structuredClone(input);
    } catch (e) {
      throw new ParameterError(`inputs[${i}]`, `cannot be sent to a worker thread (${(e as Error).message})`);
    }
  });
  const workers = options.workers ?? Math.min(inputs.length, availableParallelism());
  checkInteger('workers', workers, { min: 0, max: 256 });
  const onResult = options.onResult ?? null;
  const onProgress = options.onProgress ?? null;
  const results = new Array<O>(inputs.length);
  if (workers <= 1 || inputs.length <= 1) {
    const mod = (await import(url)) as Record<string, unknown>;
    const fn = mod[exportName];
    if (typeof fn !== 'function') throw new Error(`runParallel: ${url} has no exported function '${exportName}'`);
    for (let i = 0; i < inputs.length; i++) {
      try {
        // structuredClone: the job sees a copy, exactly as it would in a worker.
        const report = (p: unknown) => onProgress?.(i, structuredClone(p));
        results[i] = structuredClone(await (fn as ParallelJob<unknown, unknown>)(structuredClone(inputs[i]), report)) as O;
      } catch (e) {
        throw new Error(`runParallel: job ${i} failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      onResult?.(i, results[i]);
    }
    return results;
  }
  const pool = Array.from({ length: Math.min(workers, inputs.length) }, () => startWorker({ moduleUrl: url, exportName }));
  let next = 0;
  let done = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker) => {
        if (next < inputs.length) {
          const msg: JobMessage = { index: next, input: inputs[next] };
          next++;
          w.postMessage(msg);
        }
      };
      for (const w of pool) {
        w.on('message', (m: ResultMessage) => {
          if ('progress' in m) {
            try {
              onProgress?.(m.index, m.progress);
            } catch (e) {
              reject(e);
            }
            return;
          }
          if (!m.ok) {
            reject(new Error(`runParallel: job ${m.index} failed: ${m.error}`));
            return;
          }
          results[m.index] = m.result as O;
          try {
            onResult?.(m.index, m.result);
          } catch (e) {
            reject(e);
            return;
          }
          done++;
          if (done === inputs.length) resolve();
          else feed(w);
        });
        w.on('error', (e) => reject(new Error(`runParallel: a worker crashed: ${e.message}`)));
        w.on('exit', (code) => {
          // Any exit before every job has reported (a job calling process.exit(0) included) would leave the call
          // waiting forever; after `finally` terminates the pool the promise is already settled.
          if (done < inputs.length) reject(new Error(`runParallel: a worker exited with code ${code} before its job reported a result`));
        });
        feed(w);
      }
    });
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}
