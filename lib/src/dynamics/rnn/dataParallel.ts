/**
 * Data-parallel BPTT: one training batch of B sequences is split into `chunks` equal parts of consecutive samples;
 * each chunk's loss and gradients come from its own workspace, on this thread or on one of `threads − 1` worker
 * threads, and are combined in chunk order. For the heads readout (a sum over heads of batch means, eq. (9) of
 * papers/timescales-curriculum-2024/README.md) the batch's loss and gradients are exactly
 *   L = Σ_c (B_c / B) L_c,   ∂L/∂θ = Σ_c (B_c / B) ∂L_c/∂θ,
 * so splitting changes only the rounding (the order of the sums over samples). The combination is computed in
 * float64 in chunk order c = 0, 1, …, whichever thread computed each chunk: the result depends on `chunks`, never on
 * `threads` (the same bits with 1 thread or 2), and chunks = 1 is the plain workspace's result.
 *
 * Why threads share memory and block: a training loop calls `gradients(batch)` synchronously (as BpttWorkspace's),
 * so the workers wait on Atomics in a SharedArrayBuffer, read the parameters and their chunks from it, and write
 * their results back; a step costs two Atomics round trips (~0.1 ms) on top of the work.
 *
 * Limits (checked): float32 models with the heads readout and no noise (the timescales model), B divisible by
 * `chunks`, 1 ≤ threads ≤ chunks.
 */
import type { Worker } from 'node:worker_threads';
import { checkInteger, checkKnownKeys, ParameterError, withDefaults } from '../../numerics/validate.js';
import { fastKernels } from '../../numerics/kernels/select.js';
import { startModuleWorker } from '../../parallel/workerPool.js';
import type { Batch } from '../../tasks/batch.js';
import { BpttWorkspace, type GradientResult, type Gradients } from './bptt.js';
import type { ParamName, Rnn } from './model.js';

export interface DataParallelOptions {
  /** Equal parts the batch is split into (B must be a multiple); fixes the result. */
  chunks: number;
  /** Threads computing the chunks (this one included), 1 … chunks; does not change the result. */
  threads: number;
  /** The longest sequence a batch may have. */
  maxSteps: number;
}

export const DATA_PARALLEL_DEFAULTS: DataParallelOptions = { chunks: 2, threads: 2, maxSteps: 64 };

/** Where each parameter (and each trainable parameter's gradient) lives in the shared float32 arrays. */
export interface SharedLayout {
  params: { name: ParamName; offset: number; length: number }[];
  grads: { name: ParamName; offset: number; length: number }[];
  paramFloats: number;
  gradFloats: number;
}

/** The regions of one chunk in shared memory: its batch in, its result out. */
export interface ChunkBuffers {
  inputs: Float32Array;
  initialState: Float32Array;
  labels: Int32Array;
  /** [steps, active head count, the active heads…] */
  meta: Int32Array;
  grads: Float32Array;
  /** 1 where the chunk returned that gradient. */
  present: Int32Array;
  /** [loss, headLoss × K, headAccuracy × K] */
  scalars: Float64Array;
}

export interface ChunkShape {
  size: number;
  inputs: number;
  heads: number;
  chunkSize: number;
  maxSteps: number;
}

export function sharedLayout(model: Rnn): SharedLayout {
  const params: SharedLayout['params'] = [];
  let offset = 0;
  for (const [name, a] of Object.entries(model.params) as [ParamName, Float32Array][]) {
    params.push({ name, offset, length: a.length });
    offset += a.length;
  }
  const grads: SharedLayout['grads'] = [];
  let g = 0;
  for (const spec of model.specs.filter((s) => s.trainable)) {
    const length = model.params[spec.name]!.length;
    grads.push({ name: spec.name, offset: g, length });
    g += length;
  }
  return { params, grads, paramFloats: offset, gradFloats: g };
}

/** Views of one chunk's regions on its SharedArrayBuffers (made the same way on both sides). */
export function chunkBuffers(shape: ChunkShape, layout: SharedLayout, floats: SharedArrayBuffer, ints: SharedArrayBuffer, doubles: SharedArrayBuffer): ChunkBuffers {
  const { size: N, inputs: I, heads: K, chunkSize: Bc, maxSteps: T } = shape;
  const nIn = T * Bc * I;
  const nState = Bc * N;
  return {
    inputs: new Float32Array(floats, 0, nIn),
    initialState: new Float32Array(floats, 4 * nIn, nState),
    grads: new Float32Array(floats, 4 * (nIn + nState), layout.gradFloats),
    labels: new Int32Array(ints, 0, K * Bc),
    meta: new Int32Array(ints, 4 * K * Bc, 2 + K),
    present: new Int32Array(ints, 4 * (K * Bc + 2 + K), layout.grads.length),
    scalars: new Float64Array(doubles, 0, 1 + 2 * K),
  };
}

export const chunkBytes = (shape: ChunkShape, layout: SharedLayout) => ({
  floats: 4 * (shape.maxSteps * shape.chunkSize * shape.inputs + shape.chunkSize * shape.size + layout.gradFloats),
  ints: 4 * (shape.heads * shape.chunkSize + 2 + shape.heads + layout.grads.length),
  doubles: 8 * (1 + 2 * shape.heads),
});

/** Kernel memory (float32 entries) one chunk's workspace needs: histories (~6 arrays of T·Bc·N), weights, scratch. */
export const chunkKernelFloats = (shape: ChunkShape): number =>
  Math.max(1 << 20, 6 * (shape.maxSteps + 1) * shape.chunkSize * shape.size + 8 * shape.size * shape.size + 4 * shape.size * (shape.inputs + 2 * shape.heads) + (1 << 16));

/** Sample rows [c·Bc, (c + 1)·Bc) of a batch, as a batch of Bc (inputs T × Bc × I, initial state Bc × N, labels K × Bc). */
export function chunkOf(batch: Batch, c: number, Bc: number, N: number, I: number, K: number): Batch {
  const B = batch.size;
  const T = batch.steps;
  const inputs = new Float32Array(T * Bc * I);
  for (let t = 0; t < T; t++) inputs.set(batch.inputs.subarray(t * B * I + c * Bc * I, t * B * I + (c + 1) * Bc * I), t * Bc * I);
  const initialState = Float32Array.from(batch.initialState.subarray(c * Bc * N, (c + 1) * Bc * N));
  const labels = new Int32Array(K * Bc);
  for (let k = 0; k < K; k++) labels.set(batch.labels!.subarray(k * B + c * Bc, k * B + (c + 1) * Bc), k * Bc);
  return { steps: T, size: Bc, inputs, initialState, labels, activeHeads: [...batch.activeHeads!] };
}

/** Writes a chunk's batch into its shared regions. */
export function writeChunk(buffers: ChunkBuffers, chunk: Batch): void {
  buffers.inputs.set(chunk.inputs);
  buffers.initialState.set(chunk.initialState);
  buffers.labels.set(chunk.labels!);
  buffers.meta[0] = chunk.steps;
  buffers.meta[1] = chunk.activeHeads!.length;
  chunk.activeHeads!.forEach((k, i) => (buffers.meta[2 + i] = k));
}

/** Reads a chunk's batch from its shared regions (views: valid until the next write). */
export function readChunk(buffers: ChunkBuffers, shape: ChunkShape): Batch {
  const T = buffers.meta[0];
  const heads = Array.from(buffers.meta.subarray(2, 2 + buffers.meta[1]));
  return {
    steps: T, size: shape.chunkSize, inputs: buffers.inputs.subarray(0, T * shape.chunkSize * shape.inputs), initialState: buffers.initialState,
    labels: buffers.labels, activeHeads: heads,
  };
}

/** Writes a chunk's result (loss, per-head loss and accuracy in active-head order, gradients) into its shared regions. */
export function writeResult(buffers: ChunkBuffers, layout: SharedLayout, r: GradientResult): void {
  buffers.scalars[0] = r.loss;
  const K = (buffers.scalars.length - 1) / 2;
  for (let k = 0; k < K; k++) {
    buffers.scalars[1 + k] = r.headLoss?.[k] ?? 0;
    buffers.scalars[1 + K + k] = r.headAccuracy?.[k] ?? 0;
  }
  layout.grads.forEach((g, i) => {
    const v = r.grads[g.name];
    buffers.present[i] = v ? 1 : 0;
    if (v) buffers.grads.set(v, g.offset);
  });
}

function readResult(buffers: ChunkBuffers, layout: SharedLayout, activeHeads: number): GradientResult {
  const K = (buffers.scalars.length - 1) / 2;
  const grads: Gradients = {};
  layout.grads.forEach((g, i) => {
    if (buffers.present[i]) grads[g.name] = buffers.grads.slice(g.offset, g.offset + g.length);
  });
  return {
    loss: buffers.scalars[0],
    headLoss: Array.from(buffers.scalars.subarray(1, 1 + activeHeads)),
    headAccuracy: Array.from(buffers.scalars.subarray(1 + K, 1 + K + activeHeads)),
    grads,
  };
}

/** What a worker is started with. */
export interface DataParallelWorkerData {
  model: Rnn;
  layout: SharedLayout;
  shape: ChunkShape;
  params: SharedArrayBuffer;
  control: SharedArrayBuffer;
  message: SharedArrayBuffer;
  /** This worker's chunks, in order, each with its three buffers. */
  chunks: { index: number; floats: SharedArrayBuffer; ints: SharedArrayBuffer; doubles: SharedArrayBuffer }[];
}

/** Control words of a worker: [request, done, error message length]. A request of −1 stops the worker. */
export const CONTROL = { request: 0, done: 1, error: 2 } as const;
export const MESSAGE_BYTES = 4096;

export class DataParallelBptt {
  readonly chunks: number;
  readonly threads: number;
  readonly chunkSize: number;
  private readonly shape: ChunkShape;
  private readonly layout: SharedLayout;
  private readonly params: Float32Array;
  private readonly local: BpttWorkspace<Float32Array>;
  private readonly localChunks: number[];
  private readonly workers: { worker: Worker; control: Int32Array; message: Uint8Array; chunks: { index: number; buffers: ChunkBuffers }[] }[] = [];
  private seq = 0;
  private closed = false;

  constructor(
    readonly model: Rnn<Float32Array>,
    readonly batchSize: number,
    options: Partial<DataParallelOptions> = {},
  ) {
    checkKnownKeys('dataParallel', options, DATA_PARALLEL_DEFAULTS);
    const o = withDefaults('dataParallel', DATA_PARALLEL_DEFAULTS, options);
    checkInteger('dataParallel.chunks', o.chunks, { min: 1, max: batchSize });
    if (batchSize % o.chunks !== 0) throw new ParameterError('dataParallel.chunks', `must divide the batch size ${batchSize} (equal chunks), got ${o.chunks}`);
    checkInteger('dataParallel.threads', o.threads, { min: 1, max: o.chunks });
    checkInteger('dataParallel.maxSteps', o.maxSteps, { min: 1, max: 1_000_000 });
    const c = model.config;
    if (model.dtype !== 'float32') throw new ParameterError('model', `data-parallel BPTT runs float32 models, got ${model.dtype}`);
    if (c.readout.kind !== 'heads') throw new ParameterError('model', "data-parallel BPTT needs the heads readout (its loss is a mean over the batch); got 'linear'");
    if (c.noiseStd > 0) throw new ParameterError('model', `data-parallel BPTT needs noiseStd = 0 (chunked noise would draw differently), got ${c.noiseStd}`);
    this.chunks = o.chunks;
    this.threads = o.threads;
    this.chunkSize = batchSize / o.chunks;
    this.shape = { size: c.size, inputs: c.inputs, heads: c.readout.heads, chunkSize: this.chunkSize, maxSteps: o.maxSteps };
    this.layout = sharedLayout(model);
    const paramBuffer = new SharedArrayBuffer(4 * this.layout.paramFloats);
    this.params = new Float32Array(paramBuffer);
    this.local = new BpttWorkspace(model, fastKernels({ maxFloats: chunkKernelFloats(this.shape) }), this.chunkSize, o.maxSteps);
    // Chunk c runs on thread c mod threads (thread 0 is this one).
    this.localChunks = Array.from({ length: o.chunks }, (_, i) => i).filter((i) => i % o.threads === 0);
    const bytes = chunkBytes(this.shape, this.layout);
    for (let w = 1; w < o.threads; w++) {
      const control = new SharedArrayBuffer(12);
      const message = new SharedArrayBuffer(MESSAGE_BYTES);
      const chunks = Array.from({ length: o.chunks }, (_, i) => i)
        .filter((i) => i % o.threads === w)
        .map((index) => ({ index, floats: new SharedArrayBuffer(bytes.floats), ints: new SharedArrayBuffer(bytes.ints), doubles: new SharedArrayBuffer(bytes.doubles) }));
      const data: DataParallelWorkerData = { model, layout: this.layout, shape: this.shape, params: paramBuffer, control, message, chunks };
      const worker = startModuleWorker(import.meta.url, './dataParallelWorker.js', data);
      worker.unref(); // an open engine does not keep the process alive; close() ends the thread
      this.workers.push({
        worker,
        control: new Int32Array(control),
        message: new Uint8Array(message),
        chunks: chunks.map((ch) => ({ index: ch.index, buffers: chunkBuffers(this.shape, this.layout, ch.floats, ch.ints, ch.doubles) })),
      });
    }
  }

  /** Loss and exact gradients of the batch (header), in the model's dtype. */
  gradients(batch: Batch): GradientResult {
    if (this.closed) throw new Error('DataParallelBptt: closed');
    if (batch.size !== this.batchSize) throw new ParameterError('batch.size', `this engine was built for batches of ${this.batchSize}, got ${batch.size}`);
    if (!(batch.steps >= 1 && batch.steps <= this.shape.maxSteps)) throw new ParameterError('batch.steps', `expected 1 … ${this.shape.maxSteps} (maxSteps), got ${batch.steps}`);
    if (!batch.labels || !batch.activeHeads) throw new ParameterError('batch', 'a heads readout needs labels and activeHeads');
    const { size: N, inputs: I, heads: K, chunkSize: Bc } = this.shape;
    for (const p of this.layout.params) this.params.set(this.model.params[p.name]!, p.offset);
    this.seq++;
    for (const w of this.workers) {
      for (const ch of w.chunks) writeChunk(ch.buffers, chunkOf(batch, ch.index, Bc, N, I, K));
      Atomics.store(w.control, CONTROL.request, this.seq);
      Atomics.notify(w.control, CONTROL.request);
    }
    const results = new Array<GradientResult>(this.chunks);
    let failure: unknown = null;
    try {
      for (const c of this.localChunks) results[c] = this.local.gradients(chunkOf(batch, c, Bc, N, I, K));
    } catch (e) {
      failure = e;
    }
    // Always wait for the workers, so that no thread still writes into the buffers after an error.
    for (const w of this.workers) {
      while (Atomics.load(w.control, CONTROL.done) !== this.seq) Atomics.wait(w.control, CONTROL.done, Atomics.load(w.control, CONTROL.done), 60_000);
      const errorLength = Atomics.load(w.control, CONTROL.error);
      if (errorLength > 0 && failure === null) failure = new Error(`data-parallel worker: ${new TextDecoder().decode(w.message.slice(0, errorLength))}`);
      for (const ch of w.chunks) if (errorLength === 0) results[ch.index] = readResult(ch.buffers, this.layout, batch.activeHeads.length);
    }
    if (failure !== null) throw failure;
    return combine(results);
  }

  /** Stops the worker threads (an engine that is not closed ends with the process). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) {
      Atomics.store(w.control, CONTROL.request, -1);
      Atomics.notify(w.control, CONTROL.request);
      void w.worker.terminate();
    }
  }
}

/** Σ_c (1/C) · result_c in chunk order, accumulated in float64 and stored in the model's dtype. */
function combine(results: GradientResult[]): GradientResult {
  const C = results.length;
  const w = 1 / C;
  const grads: Gradients = {};
  for (const name of Object.keys(results[0].grads) as ParamName[]) {
    const n = results[0].grads[name]!.length;
    const acc = new Float64Array(n);
    for (const r of results) {
      const g = r.grads[name]!;
      for (let i = 0; i < n; i++) acc[i] += w * g[i];
    }
    grads[name] = Float32Array.from(acc);
  }
  const mean = (pick: (r: GradientResult) => number) => results.reduce((s, r) => s + w * pick(r), 0);
  const heads = results[0].headLoss?.length ?? 0;
  return {
    loss: mean((r) => r.loss),
    headLoss: Array.from({ length: heads }, (_, k) => mean((r) => r.headLoss![k])),
    headAccuracy: Array.from({ length: heads }, (_, k) => mean((r) => r.headAccuracy![k])),
    grads,
  };
}
