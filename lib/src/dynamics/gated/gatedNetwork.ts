/**
 * A gated cell (LSTM or GRU) with classification heads on its last state, the loss of the timescales study, and its
 * training loop with the engine's optimisers and clipping. The recurrent pass runs in float32 WebAssembly
 * (gatedWorkspace.ts) or in the float64 definition (gatedCell.ts): `GatedPrecision`.
 *
 * Readout (papers/timescales-curriculum-2024/README.md §3.4, as for the leaky RNN): head k is a linear layer
 * logits_k = V_k h_T + c_k (C classes) read at the last step T; the loss is the **sum over active heads** of the
 * cross-entropy, each the mean over the batch of −log softmax(logits_k)[y_k]. Its gradient enters BPTT at h_T only:
 *   ∂L/∂logits_k = (softmax(logits_k) − onehot(y_k)) / B,  ∂L/∂V_k = Σ_b ∂L/∂logits_k h_Tᵀ,  ∂L/∂c_k = Σ_b ∂L/∂logits_k,
 *   ∂L/∂h_T = Σ_k V_kᵀ ∂L/∂logits_k.
 * Each head is its own pair of parameters (`head3.weight`, `head3.bias`), as a PyTorch ModuleList of Linear layers:
 * an inactive head gets no gradient, stays out of the clipping norm, and keeps its own Adam step count.
 * Initialisation as PyTorch's Linear: U(−1/√H, 1/√H). Initial state h_0 = c_0 = 0 (nn.LSTM's default); a batch's
 * `initialState` (the leaky RNN's) is not used.
 */
import { Rng, type Seed } from '../../numerics/rng.js';
import { DivergenceError, ParameterError, checkChoice, checkInteger, checkNumber, checkCallback, withDefaults } from '../../numerics/validate.js';
import { fastKernels } from '../../numerics/kernels/select.js';
import type { Batch } from '../../tasks/batch.js';
import { clipGradientNorm, createOptimizer, type NamedParams, type Optimizer, type OptimizerOptions } from '../rnn/optimizers.js';
import { createGatedCell, gatedBackward, gatedForward, validateGatedCell, GATED_PARAM_NAMES, type GatedCell, type GatedCellKind } from './gatedCell.js';
import { GatedWorkspace, gatedWorkspaceFloats } from './gatedWorkspace.js';

export interface GatedNetworkOptions {
  kind: GatedCellKind;
  inputSize: number;
  hiddenSize: number;
  /** Heads allocated (K) and classes per head (C). */
  heads: number;
  classes: number;
  seed: Seed;
}

export const GATED_NETWORK_DEFAULTS: GatedNetworkOptions = { kind: 'lstm', inputSize: 1, hiddenSize: 16, heads: 1, classes: 2, seed: 1 };

export interface GatedNetwork {
  cell: GatedCell;
  heads: number;
  classes: number;
  /** Head weights, K·C × H (head k's rows k·C … k·C + C − 1), and biases K·C. */
  V: Float64Array;
  c: Float64Array;
}

export function createGatedNetwork(options: Partial<GatedNetworkOptions> = {}): GatedNetwork {
  const o = withDefaults('gatedNetwork', GATED_NETWORK_DEFAULTS, options);
  checkInteger('gatedNetwork.heads', o.heads, { min: 1, max: 10_000 });
  checkInteger('gatedNetwork.classes', o.classes, { min: 2, max: 1000 });
  const cell = createGatedCell({ kind: o.kind, inputSize: o.inputSize, hiddenSize: o.hiddenSize, seed: o.seed });
  const H = o.hiddenSize;
  const rng = Rng.stream(o.seed, 'gated-network/heads');
  const bound = 1 / Math.sqrt(H);
  const V = new Float64Array(o.heads * o.classes * H);
  const c = new Float64Array(o.heads * o.classes);
  // Head by head, weight then bias, as PyTorch would create them one Linear at a time.
  for (let k = 0; k < o.heads; k++) {
    for (let i = 0; i < o.classes * H; i++) V[k * o.classes * H + i] = rng.uniform(-bound, bound);
    for (let i = 0; i < o.classes; i++) c[k * o.classes + i] = rng.uniform(-bound, bound);
  }
  return { cell, heads: o.heads, classes: o.classes, V, c };
}

/** Every parameter name of a network with K heads, as the optimiser keys them. */
export const gatedNetworkParamNames = (heads: number): string[] => [...GATED_PARAM_NAMES, ...Array.from({ length: heads }, (_, k) => [`head${k}.weight`, `head${k}.bias`]).flat()];

/** The network's parameters by name, as views (an optimiser updates the network in place through them). */
export function gatedNetworkParams(net: GatedNetwork): Record<string, Float64Array> {
  const H = net.cell.hiddenSize;
  const C = net.classes;
  const out: Record<string, Float64Array> = { ...net.cell.params };
  for (let k = 0; k < net.heads; k++) {
    out[`head${k}.weight`] = net.V.subarray(k * C * H, (k + 1) * C * H);
    out[`head${k}.bias`] = net.c.subarray(k * C, (k + 1) * C);
  }
  return out;
}

export interface GatedLoss {
  loss: number;
  /** Accuracy of each active head (in `batch.activeHeads` order). */
  headAccuracy: number[];
  /** Gradients by parameter name: the cell's four and the active heads' (null when not asked for). */
  grads: Record<string, Float64Array> | null;
}

/**
 * Arithmetic of the recurrent pass. 'float32': the batched WebAssembly SIMD path (gatedWorkspace.ts; the TypeScript
 * reference kernels where WebAssembly is unavailable), the speed of a float32 PyTorch model. 'float64': the
 * sample-by-sample definition of gatedCell.ts, for gradient checks. Either way the heads, the loss, the parameters
 * and the optimiser are float64.
 */
export type GatedPrecision = 'float32' | 'float64';
export const GATED_PRECISIONS: readonly GatedPrecision[] = ['float32', 'float64'];

// Float32 workspaces by shape (cell kind, sizes, batch), shared by every network of that shape: a workspace keeps
// nothing between calls but the last forward pass, which its backward reads at once. Re-made only when a longer
// sequence arrives (`sequenceCapacity` reserves the longest one up front, as a curriculum knows it); the four most
// recently used shapes are kept (a curriculum uses two: its training and its test batch).
const workspaces = new Map<string, GatedWorkspace<Float32Array>>();
const KEPT_WORKSPACES = 4;

function float32Workspace(net: GatedNetwork, B: number, T: number, sequenceCapacity: number): GatedWorkspace<Float32Array> {
  const { kind, inputSize, hiddenSize } = net.cell;
  const key = `${kind}|${inputSize}|${hiddenSize}|${B}`;
  const existing = workspaces.get(key);
  workspaces.delete(key); // re-inserted below as the most recent
  if (existing?.fits(net.cell, B, T)) {
    workspaces.set(key, existing);
    return existing;
  }
  const shape = { kind, inputSize, hiddenSize, batch: B, maxSteps: Math.max(T, sequenceCapacity, existing?.maxSteps ?? 0) };
  const ws = new GatedWorkspace(fastKernels({ maxFloats: gatedWorkspaceFloats(shape) }), shape);
  workspaces.set(key, ws);
  if (workspaces.size > KEPT_WORKSPACES) workspaces.delete(workspaces.keys().next().value!);
  return ws;
}

interface HeadsReadout {
  loss: number;
  headAccuracy: number[];
  /** The active heads' gradients by name. */
  grads: Record<string, Float64Array>;
  /** ∂L/∂h_T, B × H (null without gradients). */
  dhT: Float64Array | null;
}

/** The heads on h_T (B × H): the summed cross-entropy, each head's accuracy and, if asked, the gradients (header). */
function headsReadout(net: GatedNetwork, hT: ArrayLike<number>, batch: Batch, withGradients: boolean): HeadsReadout {
  const H = net.cell.hiddenSize;
  const C = net.classes;
  const B = batch.size;
  const dhT = withGradients ? new Float64Array(B * H) : null;
  const grads: Record<string, Float64Array> = {};
  const logits = new Float64Array(C);
  let loss = 0;
  const headAccuracy: number[] = [];
  for (const k of batch.activeHeads!) {
    const Vk = net.V.subarray(k * C * H, (k + 1) * C * H);
    const ck = net.c.subarray(k * C, (k + 1) * C);
    const dV = withGradients ? new Float64Array(C * H) : null;
    const dc = withGradients ? new Float64Array(C) : null;
    let correct = 0;
    let headLoss = 0;
    for (let b = 0; b < B; b++) {
      const h0 = b * H;
      let best = 0;
      let max = -Infinity;
      for (let j = 0; j < C; j++) {
        let z = ck[j];
        for (let i = 0; i < H; i++) z += Vk[j * H + i] * hT[h0 + i];
        logits[j] = z;
        if (z > max) {
          max = z;
          best = j;
        }
      }
      const y = batch.labels![k * B + b];
      if (!(y >= 0 && y < C)) throw new ParameterError('batch.labels', `label ${y} of head ${k}, sample ${b} is not a class in [0, ${C - 1}]`);
      if (best === y) correct++;
      let sum = 0;
      for (let j = 0; j < C; j++) sum += Math.exp(logits[j] - max);
      headLoss += -(logits[y] - max - Math.log(sum)) / B;
      if (dV && dc && dhT) {
        for (let j = 0; j < C; j++) {
          const d = (Math.exp(logits[j] - max) / sum - (j === y ? 1 : 0)) / B;
          dc[j] += d;
          for (let i = 0; i < H; i++) {
            dV[j * H + i] += d * hT[h0 + i];
            dhT[h0 + i] += d * Vk[j * H + i];
          }
        }
      }
    }
    loss += headLoss;
    headAccuracy.push(correct / B);
    if (dV && dc) {
      grads[`head${k}.weight`] = dV;
      grads[`head${k}.bias`] = dc;
    }
  }
  return { loss, headAccuracy, grads, dhT };
}

/**
 * The heads loss of one batch (labels [K × B], inputs T × B × I), with its gradients unless `withGradients` is false.
 * `sequenceCapacity`: the longest sequence the float32 path should reserve memory for (a curriculum's last stage).
 */
export function gatedHeadsLoss(net: GatedNetwork, batch: Batch, withGradients = true, precision: GatedPrecision = 'float32', sequenceCapacity = 0): GatedLoss {
  const { cell } = net;
  const H = cell.hiddenSize;
  const I = cell.inputSize;
  const B = batch.size;
  const T = batch.steps;
  checkChoice('precision', precision, GATED_PRECISIONS);
  if (!batch.labels || !batch.activeHeads || batch.activeHeads.length === 0) throw new ParameterError('batch', 'a heads readout needs labels and activeHeads');
  if (batch.inputs.length !== T * B * I) throw new ParameterError('batch.inputs', `expected T × B × I = ${T} × ${B} × ${I} entries, got ${batch.inputs.length}`);
  if (batch.labels.length < net.heads * B) throw new ParameterError('batch.labels', `expected K × B = ${net.heads} × ${B} entries, got ${batch.labels.length}`);
  for (const k of batch.activeHeads) checkInteger('batch.activeHeads', k, { min: 0, max: net.heads - 1 });
  if (precision === 'float32') {
    validateGatedCell(cell);
    const ws = float32Workspace(net, B, T, sequenceCapacity);
    const readout = headsReadout(net, ws.forward(cell, batch.inputs, T), batch, withGradients);
    if (!readout.dhT) return { loss: readout.loss, headAccuracy: readout.headAccuracy, grads: null };
    return { loss: readout.loss, headAccuracy: readout.headAccuracy, grads: { ...readout.grads, ...ws.backward(readout.dhT) } };
  }
  const inputs = batch.inputs instanceof Float64Array ? batch.inputs : Float64Array.from(batch.inputs);
  const trace = gatedForward(cell, inputs, B);
  const readout = headsReadout(net, trace.h.subarray(T * B * H, (T + 1) * B * H), batch, withGradients);
  if (!readout.dhT) return { loss: readout.loss, headAccuracy: readout.headAccuracy, grads: null };
  const dLdH = new Float64Array(T * B * H);
  dLdH.set(readout.dhT, (T - 1) * B * H);
  return { loss: readout.loss, headAccuracy: readout.headAccuracy, grads: { ...readout.grads, ...gatedBackward(cell, inputs, trace, dLdH).params } };
}

/**
 * The gate activations of a forward pass over `batch` (T × B × G·H, blocks as in gatedCell.ts: LSTM i, f, g, o; GRU
 * r, z, n), from h_0 = c_0 = 0, in `precision`.
 */
export function gateActivations(net: GatedNetwork, batch: Batch, precision: GatedPrecision = 'float32'): Float32Array | Float64Array {
  checkChoice('precision', precision, GATED_PRECISIONS);
  const { cell } = net;
  if (batch.inputs.length !== batch.steps * batch.size * cell.inputSize) throw new ParameterError('batch.inputs', `expected T × B × I = ${batch.steps} × ${batch.size} × ${cell.inputSize} entries, got ${batch.inputs.length}`);
  validateGatedCell(cell);
  if (precision === 'float64') return gatedForward(cell, batch.inputs instanceof Float64Array ? batch.inputs : Float64Array.from(batch.inputs), batch.size).gates;
  const ws = float32Workspace(net, batch.size, batch.steps, 0);
  ws.forward(cell, batch.inputs, batch.steps);
  return ws.gateHistory();
}

export interface TrainGatedOptions {
  steps: number;
  /** A fresh batch for every step. */
  batch: (step: number) => Batch;
  /** Default: Adam lr 1e-3 with PyTorch's β and ε (the study's LSTM set-up). */
  optimizer: Partial<OptimizerOptions>;
  /** Continue with this optimiser (its state persists across calls, e.g. curriculum stages); overrides `optimizer`. */
  continueWith: Optimizer | null;
  /** Global-norm clipping of every gradient present (the study: 2.0); null: none. */
  clipNorm: number | null;
  /** Called after each step with its loss. */
  onStep: ((step: number, loss: number) => void) | null;
  /** Arithmetic of the recurrent pass (GatedPrecision). */
  precision: GatedPrecision;
  /** The longest sequence to reserve the float32 path's memory for (0: the first batch's). */
  sequenceCapacity: number;
}

export const TRAIN_GATED_DEFAULTS: TrainGatedOptions = { steps: 100, batch: () => { throw new ParameterError('batch', 'give a batch function'); }, optimizer: { kind: 'adam', lr: 1e-3 }, continueWith: null, clipNorm: 2, onStep: null, precision: 'float32', sequenceCapacity: 0 };

/** The optimiser a gated network trains with (its parameter names are the network's). */
export const createGatedOptimizer = (net: GatedNetwork, options: Partial<OptimizerOptions> = TRAIN_GATED_DEFAULTS.optimizer, state?: Parameters<typeof createOptimizer>[1]): Optimizer =>
  createOptimizer({ ...TRAIN_GATED_DEFAULTS.optimizer, ...options }, state, gatedNetworkParamNames(net.heads));

/**
 * Trains in place for `steps` steps: forward, BPTT, clipping, one optimiser step. A non-finite loss or gradient norm
 * stops with a DivergenceError naming the step and the quantity. Returns the losses and the optimiser (to continue).
 */
export function trainGated(net: GatedNetwork, options: Partial<TrainGatedOptions> = {}): { losses: number[]; optimizer: Optimizer } {
  const o = withDefaults('trainGated', TRAIN_GATED_DEFAULTS, options);
  checkInteger('trainGated.steps', o.steps, { min: 0 });
  if (typeof o.batch !== 'function') throw new ParameterError('trainGated.batch', 'expected a function returning a Batch');
  if (o.clipNorm !== null) checkNumber('trainGated.clipNorm', o.clipNorm, { min: 0, exclusiveMin: true });
  checkCallback('trainGated.onStep', o.onStep);
  checkChoice('trainGated.precision', o.precision, GATED_PRECISIONS);
  checkInteger('trainGated.sequenceCapacity', o.sequenceCapacity, { min: 0, max: 1_000_000 });
  const optimizer = o.continueWith ?? createGatedOptimizer(net, o.optimizer);
  const params: NamedParams = gatedNetworkParams(net);
  const losses: number[] = [];
  for (let step = 1; step <= o.steps; step++) {
    const { loss, grads } = gatedHeadsLoss(net, o.batch(step), true, o.precision, o.sequenceCapacity);
    if (!Number.isFinite(loss)) throw new DivergenceError('trainGated', step, `loss ${loss}`);
    const norm = o.clipNorm !== null ? clipGradientNorm(grads!, o.clipNorm) : null;
    if (norm !== null && !Number.isFinite(norm)) throw new DivergenceError('trainGated', step, `gradient norm ${norm}`);
    optimizer.step({ params }, grads!);
    losses.push(loss);
    o.onStep?.(step, loss);
  }
  return { losses, optimizer };
}
