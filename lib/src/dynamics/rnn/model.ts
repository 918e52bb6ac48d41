/**
 * One configurable family of trained rate RNNs (training-engine issue; specs: timescales-curriculum §3,
 * sequential-interference §3.1). With state s_t (B × N per batch), rate r_t = φ(s_t) and recurrent drive
 *
 *     z_t = W r_{t−1} + b + b_in + W_in u_t                                  (W: N×N, W_in: N×I)
 *     a = 1 − dt/τ',  c = dt/τ',  τ' = max(τ, tauClamp)  (or τ' = τ when tauClamp is null)
 *
 * the two update forms are
 *
 *     'leak-inside'  (timescales default):     s_t = f( a ⊙ s_{t−1} + c ⊙ z_t )
 *     'leak-outside' (timescales "mod", Euler): s_t = a ⊙ s_{t−1} + c ⊙ f(z_t) + √dt σ ξ_t
 *
 * The Euler rate network x_{t+1} = (1−dt) x_t + dt (W φ(x_t) + W_in u_t + b) + √dt σ ξ is 'leak-outside' with
 * f = identity, rate φ, τ = 1 fixed. The timescales RNN is 'leak-inside' with f = LeakyReLU, φ = identity, dt = 1,
 * trainable τ clamped at 1, and no self-connections (W's diagonal is zeroed before every forward pass and its
 * gradient is masked: the deviation papers/timescales-curriculum-2024/README.md §3.4 allows).
 *
 * Recurrent weights are full rank, or W = W_fixed + U M Uᵀ / N with only the R×R matrix M trainable.
 * Readouts: 'linear', y_t = W_out q_t + b_out at every step (q = r or s), trained by masked MSE; or 'heads',
 * K classification heads logits_k = V_k q_T + c_k read from the last step, trained by the sum of cross-entropies.
 * Equations: (13)–(19) of papers/intro/README.md.
 */
import { Rng, type Seed } from '../../numerics/rng.js';
import { ParameterError, checkAllocation, checkChoice, checkInteger, checkNumber, checkKnownKeys, withDefaults } from '../../numerics/validate.js';
import { NONLINEARITIES, type Nonlinearity } from '../../numerics/nonlinearity.js';
import type { Dtype, FloatArray } from '../../numerics/kernels/types.js';

export type UpdateForm = 'leak-inside' | 'leak-outside';
export type ParamName = 'W' | 'M' | 'b' | 'Win' | 'bIn' | 'tau' | 'Wout' | 'bOut' | 'V' | 'c';
export const PARAM_NAMES: readonly ParamName[] = ['W', 'M', 'b', 'Win', 'bIn', 'tau', 'Wout', 'bOut', 'V', 'c'];

export interface LinearReadout {
  kind: 'linear';
  /** Number of outputs O. */
  outputs: number;
  /** Read the rate r = φ(s) or the state s (the sequential-interference networks read x, not φ(x)). */
  from: 'rate' | 'state';
  /** Loss = factor · Σ mask (y − ŷ)² / D, with D the number of unmasked entries ('entries') or of (step, sample)
   * pairs with any unmasked output ('steps': the study's ½·(1/|𝒯|) Σ_t Σ_o form with factor ½), averaged over the batch. */
  lossFactor: number;
  lossNormalization: 'entries' | 'steps';
}

export interface HeadsReadout {
  kind: 'heads';
  /** Number of heads K allocated (timescales study: 100). */
  heads: number;
  /** Classes per head (2 for the binary tasks). */
  classes: number;
  from: 'rate' | 'state';
}

export type Readout = LinearReadout | HeadsReadout;

export interface RnnConfig {
  /** Hidden units N. */
  size: number;
  /** Input dimension I. */
  inputs: number;
  update: UpdateForm;
  /** f: the nonlinearity of the update (LeakyReLU for the timescales model, identity for the Euler network). */
  activation: Nonlinearity;
  /** φ: what W and the readout see, r = φ(s) (identity for the timescales model, erf or tanh for Euler). */
  rate: Nonlinearity;
  /** Time step dt (1 for the discrete model, 0.2 in the sequential-interference study). */
  dt: number;
  /** τ' = max(τ, tauClamp) with zero gradient below; null: τ used as is (fixed-τ runs; τ must be > 0). */
  tauClamp: number | null;
  /** Initial τ: 'uniform-1-2' draws 1 + U(0, 1) (papers/timescales-curriculum-2024/README.md §3.2); a number sets every τ to it. */
  tauInit: 'uniform-1-2' | number;
  /** σ of the state noise √dt σ ξ ('leak-outside' only). */
  noiseStd: number;
  recurrent: 'full' | 'low-rank';
  /** Rank R of U M Uᵀ / N (low-rank only). */
  rank: number;
  /** Initial recurrent weights: PyTorch Linear U(±1/√N), or gain · N(0, 1/N), or zero. For low rank this is W_fixed. */
  recurrentInit: 'uniform' | 'gaussian' | 'zero';
  gain: number;
  selfConnections: boolean;
  /** Separate input bias b_in (the timescales model's input Linear has one). */
  inputBias: boolean;
  /** Initial readout weights: PyTorch Linear U(±1/√N), or N(0, readoutStd²), or zero. */
  readoutInit: 'uniform' | 'gaussian' | 'zero';
  readoutStd: number;
  readout: Readout;
  /** Which parameters are trained; a parameter the configuration does not use is ignored. */
  trainable: Partial<Record<ParamName, boolean>>;
}

/** Defaults: the timescales-curriculum RNN (papers/timescales-curriculum-2024/README.md §3) with two heads, small. */
export const RNN_DEFAULTS: RnnConfig = {
  size: 64,
  inputs: 1,
  update: 'leak-inside',
  activation: 'leaky-relu',
  rate: 'identity',
  dt: 1,
  tauClamp: 1,
  tauInit: 'uniform-1-2',
  noiseStd: 0,
  recurrent: 'full',
  rank: 2,
  recurrentInit: 'uniform',
  gain: 1,
  selfConnections: false,
  inputBias: true,
  readoutInit: 'uniform',
  readoutStd: 0,
  readout: { kind: 'heads', heads: 2, classes: 2, from: 'rate' },
  trainable: {},
};

/** Trained by default: everything the configuration uses, except W itself in the low-rank form. */
const DEFAULT_TRAINABLE: Record<ParamName, boolean> = {
  W: true, M: true, b: true, Win: true, bIn: true, tau: true, Wout: true, bOut: true, V: true, c: true,
};

export interface ParamSpec {
  name: ParamName;
  shape: number[];
  trainable: boolean;
}

/** A model: its validated configuration, parameters and the fixed (untrained) arrays of the low-rank form. */
export interface Rnn<A extends FloatArray = FloatArray> {
  config: RnnConfig;
  dtype: Dtype;
  params: Partial<Record<ParamName, A>>;
  specs: ParamSpec[];
  /** Low rank only: W_fixed (N×N) and U (N×R). */
  fixed: { Wfixed?: A; U?: A };
}

export function validateRnnConfig(options: Partial<RnnConfig>): RnnConfig {
  const c: RnnConfig = { ...withDefaults('rnn', RNN_DEFAULTS, options), trainable: { ...(options.trainable ?? {}) } };
  checkInteger('rnn.size', c.size, { min: 1, max: 8192 });
  checkInteger('rnn.inputs', c.inputs, { min: 0, max: 4096 });
  checkChoice('rnn.update', c.update, ['leak-inside', 'leak-outside']);
  checkChoice('rnn.activation', c.activation, NONLINEARITIES);
  checkChoice('rnn.rate', c.rate, NONLINEARITIES);
  checkNumber('rnn.dt', c.dt, { min: 0, exclusiveMin: true, max: 1 });
  if (c.tauClamp !== null) checkNumber('rnn.tauClamp', c.tauClamp, { min: 0, exclusiveMin: true });
  if (c.tauInit !== 'uniform-1-2') checkNumber('rnn.tauInit', c.tauInit, { min: 0, exclusiveMin: true });
  checkNumber('rnn.noiseStd', c.noiseStd, { min: 0 });
  if (c.noiseStd > 0 && c.update !== 'leak-outside') {
    throw new ParameterError('rnn.noiseStd', "state noise is defined for update 'leak-outside' only; use 0");
  }
  checkChoice('rnn.recurrent', c.recurrent, ['full', 'low-rank']);
  // rank is checked even when unused, so that a NaN typed there is not silently ignored.
  checkInteger('rnn.rank', c.rank, { min: 1, max: c.recurrent === 'low-rank' ? c.size : Number.POSITIVE_INFINITY });
  checkChoice('rnn.recurrentInit', c.recurrentInit, ['uniform', 'gaussian', 'zero']);
  checkNumber('rnn.gain', c.gain, { min: 0 });
  checkChoice('rnn.readoutInit', c.readoutInit, ['uniform', 'gaussian', 'zero']);
  checkNumber('rnn.readoutStd', c.readoutStd, { min: 0 });
  const r = c.readout;
  if (r === null || typeof r !== 'object') throw new ParameterError('rnn.readout', "expected { kind: 'linear' | 'heads', ... }");
  checkChoice('rnn.readout.kind', r.kind, ['linear', 'heads']);
  // Nested options are checked for misspelt keys like the top level ({ head: 3 } is an error, not a silent default).
  const readoutKeys = r.kind === 'linear' ? ['kind', 'outputs', 'from', 'lossFactor', 'lossNormalization'] : ['kind', 'heads', 'classes', 'from'];
  checkKnownKeys('rnn.readout', r, Object.fromEntries(readoutKeys.map((k) => [k, true])));
  checkChoice('rnn.readout.from', r.from, ['rate', 'state']);
  if (r.kind === 'linear') {
    checkInteger('rnn.readout.outputs', r.outputs, { min: 1, max: 4096 });
    checkNumber('rnn.readout.lossFactor', r.lossFactor, { min: 0, exclusiveMin: true });
    checkChoice('rnn.readout.lossNormalization', r.lossNormalization, ['entries', 'steps']);
  } else {
    checkInteger('rnn.readout.heads', r.heads, { min: 1, max: 1000 });
    checkInteger('rnn.readout.classes', r.classes, { min: 2, max: 1000 });
  }
  if (options.trainable !== undefined && (options.trainable === null || typeof options.trainable !== 'object' || Array.isArray(options.trainable))) {
    throw new ParameterError('rnn.trainable', 'expected an object of parameter names to true or false');
  }
  for (const [k, v] of Object.entries(c.trainable)) {
    if (!PARAM_NAMES.includes(k as ParamName)) {
      throw new ParameterError(`rnn.trainable.${k}`, `unknown parameter; known: ${PARAM_NAMES.join(', ')}`);
    }
    if (typeof v !== 'boolean') throw new ParameterError(`rnn.trainable.${k}`, 'must be true or false');
  }
  return c;
}

/** The parameters a configuration uses, with their shapes (row-major) and trainability. */
export function parameterSpecs(c: RnnConfig): ParamSpec[] {
  const N = c.size;
  const specs: ParamSpec[] = [];
  const add = (name: ParamName, shape: number[], defaultTrainable = DEFAULT_TRAINABLE[name]) =>
    specs.push({ name, shape, trainable: c.trainable[name] ?? defaultTrainable });
  if (c.recurrent === 'full') add('W', [N, N]);
  else add('M', [c.rank, c.rank]);
  add('b', [N]);
  if (c.inputs > 0) add('Win', [N, c.inputs]);
  if (c.inputBias) add('bIn', [N]);
  add('tau', [N]);
  if (c.readout.kind === 'linear') {
    add('Wout', [c.readout.outputs, N]);
    add('bOut', [c.readout.outputs]);
  } else {
    add('V', [c.readout.heads, c.readout.classes, N]);
    add('c', [c.readout.heads, c.readout.classes]);
  }
  return specs;
}

export const sizeOf = (shape: number[]): number => shape.reduce((p, d) => p * d, 1);

export function allocArray(dtype: Dtype, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

export interface CreateRnnOptions {
  seed: Seed;
  dtype: Dtype;
}

/**
 * A model with initial parameters drawn from the seed (one named stream per parameter, so adding a parameter
 * does not change the others). Override any array afterwards, e.g. `model.params.Wout!.set(...)`.
 */
export function createRnn(config: Partial<RnnConfig>, options: Partial<CreateRnnOptions> = {}): Rnn {
  const c = validateRnnConfig(config);
  checkKnownKeys('createRnn', options, { seed: true, dtype: true });
  const seed = options.seed ?? 0;
  const dtype = checkChoice('dtype', options.dtype ?? 'float32', ['float32', 'float64']);
  const N = c.size;
  const rng = (label: string) => Rng.stream(seed, `rnn/${label}`);
  const fillUniform = (a: FloatArray, bound: number, label: string) => {
    const g = rng(label);
    for (let i = 0; i < a.length; i++) a[i] = g.uniform(-bound, bound);
  };
  const fillGaussian = (a: FloatArray, sd: number, label: string) => {
    const g = rng(label);
    for (let i = 0; i < a.length; i++) a[i] = g.normal(0, sd);
  };
  const recurrentInit = (a: FloatArray, label: string) => {
    if (c.recurrentInit === 'uniform') fillUniform(a, 1 / Math.sqrt(N), label);
    else if (c.recurrentInit === 'gaussian') fillGaussian(a, c.gain / Math.sqrt(N), label);
  };
  const specs = parameterSpecs(c);
  // Every limit can hold alone while their product does not (8192 units × 1000 heads × 1000 classes).
  checkAllocation('rnn.size', specs.reduce((t, p) => t + sizeOf(p.shape), 0), dtype === 'float32' ? 4 : 8, `the parameters of this configuration`);
  const params: Partial<Record<ParamName, FloatArray>> = {};
  for (const param of specs) {
    const a = allocArray(dtype, sizeOf(param.shape));
    params[param.name] = a;
    switch (param.name) {
      case 'W':
        recurrentInit(a, 'W');
        break;
      case 'M':
        break; // M(0) = 0 (papers/sequential-interference-2x2/README.md §3.1 (a))
      case 'b':
        if (c.recurrentInit === 'uniform') fillUniform(a, 1 / Math.sqrt(N), 'b'); // PyTorch Linear bias
        break;
      case 'bOut':
      case 'c':
        if (c.readoutInit === 'uniform') fillUniform(a, 1 / Math.sqrt(N), param.name);
        break;
      case 'Win':
      case 'bIn':
        // PyTorch Linear(I, N): U(±1/√I) (papers/timescales-curriculum-2024/README.md §3.3: U(−1, 1) for I = 1).
        fillUniform(a, 1 / Math.sqrt(Math.max(1, c.inputs)), param.name);
        break;
      case 'tau':
        if (c.tauInit === 'uniform-1-2') {
          const g = rng('tau');
          for (let i = 0; i < N; i++) a[i] = 1 + g.uniform(0, 1);
        } else a.fill(c.tauInit);
        break;
      case 'Wout':
      case 'V':
        if (c.readoutInit === 'uniform') fillUniform(a, 1 / Math.sqrt(N), param.name);
        else if (c.readoutInit === 'gaussian') fillGaussian(a, c.readoutStd, param.name);
        break;
    }
  }
  const fixed: Rnn['fixed'] = {};
  if (c.recurrent === 'low-rank') {
    fixed.Wfixed = allocArray(dtype, N * N);
    recurrentInit(fixed.Wfixed, 'Wfixed');
    // U = √N × orthonormal columns (Gram–Schmidt of a Gaussian N×R matrix), so UᵀU = N·I.
    fixed.U = orthogonalColumns(dtype, N, c.rank, rng('U'));
  }
  return { config: c, dtype, params, specs, fixed };
}

/** √N × an N×R matrix with orthonormal columns, row-major. */
export function orthogonalColumns(dtype: Dtype, N: number, R: number, rng: Rng): FloatArray {
  const cols: Float64Array[] = [];
  for (let r = 0; r < R; r++) {
    const v = rng.normalArray(N);
    for (let pass = 0; pass < 2; pass++) {
      for (const u of cols) {
        let d = 0;
        for (let i = 0; i < N; i++) d += u[i] * v[i];
        for (let i = 0; i < N; i++) v[i] -= d * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < N; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    for (let i = 0; i < N; i++) v[i] /= norm;
    cols.push(v);
  }
  const U = allocArray(dtype, N * R);
  const s = Math.sqrt(N);
  for (let i = 0; i < N; i++) for (let r = 0; r < R; r++) U[i * R + r] = s * cols[r][i];
  return U;
}

/** Throws naming the parameter if any parameter or fixed array has a wrong length or a non-finite entry. */
export function checkRnnParameters(model: Rnn): void {
  for (const param of model.specs) {
    const a = model.params[param.name];
    const n = sizeOf(param.shape);
    if (!a || a.length !== n) {
      throw new ParameterError(`params.${param.name}`, `expected ${n} entries (shape ${param.shape.join('×')}), got ${a ? a.length : 'none'}`);
    }
    // x·0 is 0 for finite x and NaN for ±∞ and NaN: four running sums of it find any bad entry in one pass
    // (this runs at every forward pass); the entry is then looked for.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      s0 += a[i] * 0;
      s1 += a[i + 1] * 0;
      s2 += a[i + 2] * 0;
      s3 += a[i + 3] * 0;
    }
    for (; i < n; i++) s0 += a[i] * 0;
    if (s0 + s1 + s2 + s3 !== 0) {
      for (let j = 0; j < n; j++) {
        if (!Number.isFinite(a[j])) throw new ParameterError(`params.${param.name}`, `entry ${j} is not finite (${a[j]})`);
      }
    }
    if (param.name === 'tau') {
      // With a clamp, τ below the clamp is legal (it is clamped, with zero gradient); negative τ never is.
      const clamped = model.config.tauClamp !== null;
      for (let i = 0; i < n; i++) {
        if (clamped ? a[i] < 0 : a[i] <= 0) {
          throw new ParameterError('params.tau', `entry ${i} is ${a[i]}; allowed range ${clamped ? '[0, inf)' : '(0, inf)'}`);
        }
      }
    }
  }
  for (const [name, a] of Object.entries(model.fixed)) {
    if (a) for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) throw new ParameterError(`fixed.${name}`, `entry ${i} is not finite`);
  }
}

/** A deep copy in the requested dtype (e.g. a float64 copy of a float32 model for gradient checks). */
export function cloneRnn(model: Rnn, dtype: Dtype = model.dtype): Rnn {
  const copy = (a: FloatArray) => {
    const b = allocArray(dtype, a.length);
    b.set(a);
    return b;
  };
  const params: Rnn['params'] = {};
  for (const [k, v] of Object.entries(model.params)) if (v) params[k as ParamName] = copy(v);
  const fixed: Rnn['fixed'] = {};
  if (model.fixed.Wfixed) fixed.Wfixed = copy(model.fixed.Wfixed);
  if (model.fixed.U) fixed.U = copy(model.fixed.U);
  return { config: structuredClone(model.config), dtype, params, specs: model.specs.map((s) => ({ ...s, shape: [...s.shape] })), fixed };
}
