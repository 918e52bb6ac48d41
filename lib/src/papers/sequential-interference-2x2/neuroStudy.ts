/**
 * Sequential training on two neuroscience tasks in one network (README §4.3, claim S6 and the
 * optional part of S1): task A on its own input and output channels, then task B on others, sharing the recurrent
 * W. The Euler rate network of the study (φ = erf, dt = 0.2, τ = 1), W(0) = gJ, readout of φ(x) with small initial
 * weights N(0, 1/N²); W, W_in and W_out trained with Adam (lr 0.003, see `NEURO_DEFAULTS`), batches of 16.
 * Each (first, second, seed) pair is one cached worker-thread job.
 */
import { cachedJson } from '../../io/atomic.js';
import { byScale } from '../../notebook/scale.js';
import { runParallel } from '../../parallel/workerPool.js';
import { Rng } from '../../numerics/rng.js';
import { NEURO_TASK_CHANNELS, neuroTaskBatch, type ChannelLayout, type NeuroTask } from '../../tasks/neuroTasks.js';
import type { Batch } from '../../tasks/batch.js';
import { fastKernels } from '../../numerics/kernels/select.js';
import { createRnn, type Rnn } from '../../dynamics/rnn/model.js';
import { applyNonlinearity } from '../../numerics/nonlinearity.js';
import { interferenceIndex } from './sequentialTraining.js';
import { evaluateRnn, trainRnn, workspaceFor } from '../../dynamics/rnn/trainer.js';
import type { Kernels } from '../../numerics/kernels/types.js';
import { NeuroScale, NEURO_DEFAULTS } from './config.js';

/** This module, loaded by the worker threads of `neuroRuns` (its job is neuroPairJob). */
const NEURO_JOBS_URL = new URL(import.meta.url);

export interface NeuroPairParams {
  first: NeuroTask;
  second: NeuroTask;
  size: number;
  gain: number;
  batch: number;
  stepsPerTask: number;
  /** Adam learning rate. */
  lr: number;
  /** Test trials per task for the losses (fixed, seeded). */
  testTrials: number;
  /** L_A and L_B are evaluated every this many phase-B steps. */
  evaluateEvery: number;
  seed: number;
}

export interface NeuroPairRun {
  params: NeuroPairParams;
  /** Test losses of A and B: before training, after A, after B; curves during phase B. */
  lossAInitial: number;
  lossAAfterA: number;
  lossAAfterB: number;
  lossBInitial: number;
  lossBAfterB: number;
  curveSteps: number[];
  curveA: number[];
  curveB: number[];
  /** Sign accuracy on the scored test steps: A after A, A after B, B after B. */
  accuracyAAfterA: number;
  accuracyAAfterB: number;
  accuracyBAfterB: number;
  interference: number;
  /** One test trial of each task after phase A and after phase B: the scored target and the output, per step. */
  examples: { task: NeuroTask; phase: 'after A' | 'after B'; target: number[]; output: number[]; mask: number[] }[];
  seconds: number;
}

function layouts(first: NeuroTask, second: NeuroTask): [ChannelLayout, ChannelLayout] {
  const a = NEURO_TASK_CHANNELS[first];
  const b = NEURO_TASK_CHANNELS[second];
  const total = { inputs: a.inputs + b.inputs, outputs: a.outputs + b.outputs };
  return [
    { ...total, inputOffset: 0, outputOffset: 0 },
    { ...total, inputOffset: a.inputs, outputOffset: a.outputs },
  ];
}

/** Outputs y = W_out φ(x) + b_out of one forward pass (T × B × O), and the sign accuracy on scored nonzero targets. */
function outputsAndAccuracy(model: Rnn, batch: Batch, kernels: Kernels): { outputs: Float64Array; accuracy: number } {
  const ws = workspaceFor(model, kernels, batch.size, batch.steps);
  ws.forward(batch);
  const states = ws.stateHistory(batch.steps);
  const N = model.config.size;
  const O = batch.targets!.length / (batch.steps * batch.size);
  const rates = new Float64Array(states.length);
  applyNonlinearity(model.config.rate, states, rates, states.length);
  const Wout = model.params.Wout!;
  const bOut = model.params.bOut!;
  const outputs = new Float64Array(batch.steps * batch.size * O);
  let right = 0;
  let scored = 0;
  for (let t = 1; t <= batch.steps; t++) {
    for (let b = 0; b < batch.size; b++) {
      const r = rates.subarray((t * batch.size + b) * N, (t * batch.size + b + 1) * N);
      for (let o = 0; o < O; o++) {
        let y = bOut[o];
        for (let i = 0; i < N; i++) y += Wout[o * N + i] * r[i];
        const idx = ((t - 1) * batch.size + b) * O + o;
        outputs[idx] = y;
        const target = batch.targets![idx];
        if (batch.mask![idx] > 0 && target !== 0) {
          scored++;
          if (Math.sign(y) === Math.sign(target)) right++;
        }
      }
    }
  }
  return { outputs, accuracy: scored ? right / scored : NaN };
}

export function neuroPairJob(params: NeuroPairParams): NeuroPairRun {
  return cachedJson('neuro-pair-v2', params, () => {
    const started = Date.now();
    const p = params;
    const [la, lb] = layouts(p.first, p.second);
    const N = p.size;
    const model = createRnn(
      {
        size: N, inputs: la.inputs, update: 'leak-outside', activation: 'identity', rate: 'erf', dt: 0.2, tauClamp: null, tauInit: 1,
        recurrent: 'full', recurrentInit: 'gaussian', gain: p.gain, selfConnections: true, inputBias: false,
        readoutInit: 'gaussian', readoutStd: 1 / N,
        readout: { kind: 'linear', outputs: la.outputs, from: 'rate', lossFactor: 0.5, lossNormalization: 'entries' },
        trainable: { W: true, Win: true, Wout: true, bOut: true, b: false, tau: false },
      },
      { seed: p.seed, dtype: 'float32' },
    );
    // Separate WebAssembly arenas for training and evaluation (an arena never frees; workspaces are reused per batch
    // size and grow to the longest trial). Mante test batches need ~20M floats at N = 128.
    const kernels = fastKernels({ maxFloats: 24 * 1024 * 1024 });
    const evalKernels = fastKernels({ maxFloats: 48 * 1024 * 1024 });
    const testA = neuroTaskBatch(p.first, p.testTrials, la, Rng.stream(p.seed, 'test-A'), 0.2, N);
    const testB = neuroTaskBatch(p.second, p.testTrials, lb, Rng.stream(p.seed, 'test-B'), 0.2, N);
    const loss = (b: Batch) => evaluateRnn(model, [b], evalKernels).loss;
    const lossAInitial = loss(testA);
    const lossBInitial = loss(testB);
    const train = (task: NeuroTask, layout: ChannelLayout, label: string, onStep?: (step: number) => void) =>
      trainRnn(model, {
        steps: p.stepsPerTask,
        batch: (_step, rng) => neuroTaskBatch(task, p.batch, layout, rng, 0.2, N),
        optimizer: { kind: 'adam', lr: p.lr },
        clipNorm: null,
        seed: `${p.seed}/${label}`,
        kernels,
        onStep: onStep ? (info) => void onStep(info.step) : null,
      });
    const example = (batch: Batch, task: NeuroTask, phase: 'after A' | 'after B', layout: ChannelLayout) => {
      const one: Batch = { ...batch, size: 1 } as Batch;
      const T = batch.steps;
      const slice = (a: Float64Array | Float32Array, width: number) => {
        const out = new Float64Array(T * width);
        for (let t = 0; t < T; t++) for (let j = 0; j < width; j++) out[t * width + j] = a[(t * batch.size) * width + j];
        return out;
      };
      one.inputs = slice(batch.inputs, layout.inputs);
      one.targets = slice(batch.targets!, layout.outputs);
      one.mask = slice(batch.mask!, layout.outputs);
      one.initialState = new Float64Array(N);
      const { outputs } = outputsAndAccuracy(model, one, evalKernels);
      const o = layout.outputOffset;
      const pick = (a: ArrayLike<number>) => Array.from({ length: T }, (_, t) => a[t * layout.outputs + o]);
      return { task, phase, target: pick(one.targets), output: pick(outputs), mask: pick(one.mask) };
    };
    train(p.first, la, 'A');
    const lossAAfterA = loss(testA);
    const accuracyAAfterA = outputsAndAccuracy(model, testA, evalKernels).accuracy;
    const examples = [example(testA, p.first, 'after A', la)];
    const curveSteps: number[] = [0];
    const curveA: number[] = [lossAAfterA];
    const curveB: number[] = [loss(testB)];
    train(p.second, lb, 'B', (step) => {
      if ((step + 1) % p.evaluateEvery !== 0) return;
      curveSteps.push(step + 1);
      curveA.push(loss(testA));
      curveB.push(loss(testB));
    });
    const lossAAfterB = loss(testA);
    examples.push(example(testA, p.first, 'after B', la), example(testB, p.second, 'after B', lb));
    return {
      params: p,
      lossAInitial,
      lossAAfterA,
      lossAAfterB,
      lossBInitial,
      lossBAfterB: loss(testB),
      curveSteps,
      curveA,
      curveB,
      accuracyAAfterA,
      accuracyAAfterB: outputsAndAccuracy(model, testA, evalKernels).accuracy,
      accuracyBAfterB: outputsAndAccuracy(model, testB, evalKernels).accuracy,
      interference: interferenceIndex(lossAInitial, lossAAfterA, lossAAfterB),
      examples,
      seconds: (Date.now() - started) / 1000,
    };
  });
}

export function neuroJobs(s: NeuroScale): NeuroPairParams[] {
  return s.pairs.flatMap(([first, second]) =>
    s.seeds.map((seed) => ({ first, second, size: s.size, gain: NEURO_DEFAULTS.gain, batch: s.batch, stepsPerTask: s.stepsPerTask, lr: NEURO_DEFAULTS.lr, testTrials: NEURO_DEFAULTS.testTrials, evaluateEvery: NEURO_DEFAULTS.evaluateEvery, seed })),
  );
}

export async function neuroRuns(s: NeuroScale, onDone?: (label: string) => void, workers?: number): Promise<NeuroPairRun[]> {
  const jobs = neuroJobs(s);
  return runParallel<NeuroPairParams, NeuroPairRun>(NEURO_JOBS_URL, 'neuroPairJob', jobs, {
    workers,
    onResult: (i) => onDone?.(`${jobs[i].first} → ${jobs[i].second}, seed ${jobs[i].seed}`),
  });
}
