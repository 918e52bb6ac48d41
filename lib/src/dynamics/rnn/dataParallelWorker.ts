/**
 * Worker side of DataParallelBptt (dataParallel.ts): a model whose parameters are views of the shared parameter
 * array, one workspace for this worker's chunks, and a loop that waits for a request, computes its chunks in order and
 * reports done (or the error's message).
 */
import { workerData } from 'node:worker_threads';
import { fastKernels } from '../../numerics/kernels/select.js';
import { BpttWorkspace } from './bptt.js';
import type { ParamName, Rnn } from './model.js';
import { chunkBuffers, chunkKernelFloats, CONTROL, MESSAGE_BYTES, readChunk, writeResult, type DataParallelWorkerData } from './dataParallel.js';

const data = workerData as DataParallelWorkerData;
const shared = new Float32Array(data.params);
const params: Partial<Record<ParamName, Float32Array>> = {};
for (const p of data.layout.params) params[p.name] = shared.subarray(p.offset, p.offset + p.length);
const model: Rnn<Float32Array> = { ...(data.model as Rnn<Float32Array>), params };
const workspace = new BpttWorkspace(model, fastKernels({ maxFloats: chunkKernelFloats(data.shape) }), data.shape.chunkSize, data.shape.maxSteps);
const chunks = data.chunks.map((c) => chunkBuffers(data.shape, data.layout, c.floats, c.ints, c.doubles));
const control = new Int32Array(data.control);
const message = new Uint8Array(data.message);

let seen = 0;
for (;;) {
  Atomics.wait(control, CONTROL.request, seen);
  const request = Atomics.load(control, CONTROL.request);
  if (request < 0) break;
  if (request === seen) continue;
  seen = request;
  let errorLength = 0;
  try {
    for (const buffers of chunks) writeResult(buffers, data.layout, workspace.gradients(readChunk(buffers, data.shape)));
  } catch (e) {
    const bytes = new TextEncoder().encode(e instanceof Error ? e.message : String(e)).subarray(0, MESSAGE_BYTES);
    message.set(bytes);
    errorLength = Math.max(1, bytes.length);
  }
  Atomics.store(control, CONTROL.error, errorLength);
  Atomics.store(control, CONTROL.done, request);
  Atomics.notify(control, CONTROL.done);
}
