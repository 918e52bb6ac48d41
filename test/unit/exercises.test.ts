// The teaching edition: the exercise checks (right, wrong and unwritten answers) and the two editions nbgen writes
// from one notebook source (solutions and answers kept or removed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExercise, exerciseFailures, ExerciseCheckFailed, ExerciseNotWritten, notWritten, ParameterError, type Mat } from '../../lib/src/index.js';
import { exercises as intro } from '../../lib/src/papers/intro/index.js';
import { exercises as beerBarak } from '../../lib/src/papers/beer-barak-2019/index.js';
import { exercises as timescales } from '../../lib/src/papers/timescales-curriculum-2024/index.js';
import { exercises as sequential } from '../../lib/src/papers/sequential-interference-2x2/index.js';
import { exercises as synthesis } from '../../lib/src/synthesis/index.js';
// @ts-expect-error: a plain ES module script without types
import { edition, parsePercentScript } from '../../scripts/nbgen.mjs';
import { readdirSync, readFileSync } from 'node:fs';

const euler = (x: Float64Array, J: Mat, dt: number) => x.map((xi, i) => xi + dt * (-xi + Array.from(x).reduce((s, xj, j) => s + J.data[i * x.length + j] * Math.tanh(xj), 0)));
const tangent = (v: Float64Array, x: Float64Array, J: Mat, dt: number) => v.map((vi, i) => vi + dt * (-vi + Array.from(v).reduce((s, vj, j) => s + J.data[i * v.length + j] * (1 - Math.tanh(x[j]) ** 2) * vj, 0)));
const lms = (w: Float64Array, r: Float64Array, e: number, eta: number) => w.map((wi, i) => wi - eta * e * r[i]);
const qHat = (w: Float64Array, r: Float64Array, v: number) => 0.5 * (w.reduce((s, wi, i) => s + wi * r[i], 0) - v) ** 2;
function rls(w: Float64Array, P: Float64Array, r: Float64Array, e: number, late: boolean): [Float64Array, Float64Array] {
  const n = w.length;
  const kOf = (M: Float64Array) => Float64Array.from({ length: n }, (_, i) => r.reduce((s, rj, j) => s + M[i * n + j] * rj, 0));
  const k = kOf(P);
  const c = 1 / (1 + r.reduce((s, ri, i) => s + ri * k[i], 0));
  const nextP = P.map((p, ij) => p - c * k[Math.floor(ij / n)] * k[ij % n]);
  const kw = late ? kOf(nextP) : k;
  return [w.map((wi, i) => wi - c * e * kw[i]), nextP];
}
const cycleQ = (w: Float64Array, rates: Float64Array, samples: number, t: Float64Array, omega: number) => {
  let s = 0;
  for (let p = 0; p < samples; p++) s += (w.reduce((a, wi, i) => a + wi * rates[p * w.length + i], 0) - Math.sin(omega * t[p])) ** 2;
  return (0.5 * s) / samples;
};
const meff = (W: Float64Array, U: Float64Array, N: number, transposed: boolean) => {
  const M = [0, 0, 0, 0];
  for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) M[2 * a + b] += (U[2 * i + a] * (transposed ? W[j * N + i] : W[i * N + j]) * U[2 * j + b]) / N;
  return M;
};
const leaky = (p: number) => (p > 0 ? p : 0.01 * p);
const sig = (v: number) => 1 / (1 + Math.exp(-v));
const lstmStep = (a: number[], c: number[]) => {
  const H = c.length;
  const cNew = c.map((cp, j) => sig(a[H + j]) * cp + sig(a[j]) * Math.tanh(a[2 * H + j]));
  return [...cNew.map((cn, j) => sig(a[3 * H + j]) * Math.tanh(cn)), ...cNew];
};
const parity = (bits: number[], N: number) => bits.slice(bits.length - N).reduce((a, b) => a + b, 0) % 2;
const autocorr = (h: Float64Array, maxLag: number) => {
  const m = h.reduce((a, b) => a + b, 0) / h.length;
  return Float64Array.from({ length: maxLag + 1 }, (_, l) => {
    let s = 0;
    for (let t = 0; t + l < h.length; t++) s += (h[t] - m) * (h[t + l] - m);
    return s / (h.length - l);
  });
};

const ranks = (v: number[]) => {
  const order = v.map((_, i) => i).sort((i, j) => v[i] - v[j]);
  const r = new Array<number>(v.length);
  order.forEach((i, k) => (r[i] = k));
  return r;
};
const pearson = (a: number[], b: number[]) => {
  const m = (u: number[]) => u.reduce((x, y) => x + y, 0) / u.length;
  const [ma, mb] = [m(a), m(b)];
  const dot = (u: number[], mu: number, w: number[], mw: number) => u.reduce((x, ui, i) => x + (ui - mu) * (w[i] - mw), 0);
  return dot(a, ma, b, mb) / Math.sqrt(dot(a, ma, a, ma) * dot(b, mb, b, mb));
};
const zeroCrossingOmega = (signal: Float64Array, dt: number, removeMean: boolean) => {
  const m = removeMean ? signal.reduce((a, b) => a + b, 0) / signal.length : 0;
  const up: number[] = [];
  for (let k = 0; k + 1 < signal.length; k++) {
    const [a, b] = [signal[k] - m, signal[k + 1] - m];
    if (a < 0 && b >= 0) up.push((k + a / (a - b)) * dt);
  }
  return (2 * Math.PI * (up.length - 1)) / (up[up.length - 1] - up[0]);
};
const flipflop = (inputs: Float64Array, delay: number) => {
  const steps = inputs.length / 2;
  const out = new Float64Array(inputs.length);
  for (let c = 0; c < 2; c++) {
    let held = 0;
    for (let k = 0; k < steps; k++) {
      const onset = k - delay;
      if (onset >= 0 && inputs[onset * 2 + c] !== 0 && (onset === 0 || inputs[(onset - 1) * 2 + c] !== inputs[onset * 2 + c])) held = inputs[onset * 2 + c];
      out[k * 2 + c] = held;
    }
  }
  return out;
};
const pulses = (x: Float64Array) => Array.from(x).filter((v, k) => v !== 0 && (k === 0 || x[k - 1] === 0));
const next = (c: string, Ns: number[], slide: number) => (c === 'single' ? [Math.max(...Ns) + 1] : c === 'multi' ? [...Ns, Math.max(...Ns) + 1] : [...Ns.slice(slide), ...Array.from({ length: slide }, (_, i) => Math.max(...Ns) + 1 + i)]);
const norm2 = (a: Float64Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));
const ablate = (W: Float64Array, Win: Float64Array, j: number, rowOnly: boolean) => {
  const n = Math.round(Math.sqrt(W.length));
  const I = Win.length / n;
  return { W: W.map((w, ij) => (Math.floor(ij / n) === j || (!rowOnly && ij % n === j) ? 0 : w)), Win: Win.map((w, ik) => (Math.floor(ik / I) === j ? 0 : w)) };
};

const onlineIndex = (q: number[][], trained: number[], lag: number, learned: number) =>
  trained.flatMap((e, i) => (i + 1 + lag < q.length && q[0][e] > 0 && q[i + 1][e] <= learned * q[0][e] ? [(q[i + 1 + lag][e] - q[i + 1][e]) / (q[0][e] - q[i + 1][e])] : []));

// Each exercise with a right answer and a typical mistake (a sign, a missing factor, the wrong nonlinearity).
const TABLE = [
  { ex: intro.EULER_STEP, right: euler, wrong: (x: Float64Array, J: Mat, dt: number) => x.map((xi, i) => xi + dt * Array.from(x).reduce((s, xj, j) => s + J.data[i * x.length + j] * Math.tanh(xj), 0)) },
  { ex: intro.TANGENT_STEP, right: tangent, wrong: (v: Float64Array, x: Float64Array, J: Mat, dt: number) => euler(v, J, dt) },
  { ex: beerBarak.LMS_UPDATE, right: lms, wrong: (w: Float64Array, r: Float64Array, e: number, eta: number) => w.map((wi, i) => wi + eta * e * r[i]) },
  { ex: beerBarak.Q_HAT, right: qHat, wrong: (w: Float64Array, r: Float64Array, v: number) => 2 * qHat(w, r, v) },
  // The first N bits instead of the last N.
  { ex: timescales.PARITY_LABEL, right: parity, wrong: (bits: number[], N: number) => bits.slice(0, N).reduce((a, b) => a + b, 0) % 2 },
  // The biased estimate (divided by L instead of L − ℓ).
  { ex: timescales.AUTOCORRELATION, right: autocorr, wrong: (h: Float64Array, maxLag: number) => autocorr(h, maxLag).map((c, l) => (c * (h.length - l)) / h.length) },
  // Eigenvalues from the diagonal alone; the index with the wrong reference (relative to the initial loss).
  {
    ex: sequential.PATTERN_EIGENVALUES,
    right: (M: number[]) => {
      const tr = M[0] + M[3];
      const root = Math.sqrt(Math.max(0, tr ** 2 / 4 - (M[0] * M[3] - M[1] * M[2])));
      return [tr / 2 + root, tr / 2 - root];
    },
    wrong: (M: number[]) => [Math.max(M[0], M[3]), Math.min(M[0], M[3])],
  },
  { ex: sequential.INTERFERENCE_INDEX, right: (i: number, a: number, b: number) => (b - a) / (i - a), wrong: (i: number, a: number, b: number) => (b - a) / i },
  // RLS with the new P in k (k computed after the P update) instead of the old one.
  {
    ex: beerBarak.RLS_UPDATE,
    right: (w: Float64Array, P: Float64Array, r: Float64Array, e: number) => rls(w, P, r, e, false),
    wrong: (w: Float64Array, P: Float64Array, r: Float64Array, e: number) => rls(w, P, r, e, true),
  },
  // The cycle mismatch without the ½.
  {
    ex: beerBarak.CYCLE_MISMATCH,
    right: (w: Float64Array, rates: Float64Array, samples: number, t: Float64Array, omega: number) => cycleQ(w, rates, samples, t, omega),
    wrong: (w: Float64Array, rates: Float64Array, samples: number, t: Float64Array, omega: number) => 2 * cycleQ(w, rates, samples, t, omega),
  },
  // The leak mixed outside the nonlinearity; a forward instead of a central difference.
  {
    ex: intro.LEAK_INSIDE_STEP,
    right: (s: Float64Array, z: Float64Array, t: Float64Array) => s.map((v, i) => leaky((1 - 1 / t[i]) * v + z[i] / t[i])),
    wrong: (s: Float64Array, z: Float64Array, t: Float64Array) => s.map((v, i) => (1 - 1 / t[i]) * v + leaky(z[i]) / t[i]),
  },
  {
    ex: intro.CENTRAL_DIFFERENCE,
    right: (f: (x: Float64Array) => number, x: Float64Array, h: number) => x.map((_, i) => (f(x.map((v, j) => (j === i ? v + h : v))) - f(x.map((v, j) => (j === i ? v - h : v)))) / (2 * h)),
    wrong: (f: (x: Float64Array) => number, x: Float64Array, h: number) => x.map((_, i) => (f(x.map((v, j) => (j === i ? v + 100 * h : v))) - f(x)) / (100 * h)),
  },
  // Uᵀ W U without the 1/N; and the transpose Uᵀ Wᵀ U.
  {
    ex: sequential.EFFECTIVE_PATTERN_MATRIX,
    right: (W: Float64Array, U: Float64Array, N: number) => meff(W, U, N, false),
    wrong: (W: Float64Array, U: Float64Array, N: number) => meff(W, U, N, true),
  },
  // Compared with the first bit of the sequence instead of the one N − 1 steps back.
  { ex: timescales.DMS_LABEL, right: (b: number[], N: number) => (b[b.length - 1] === b[b.length - N] ? 1 : 0), wrong: (b: number[]) => (b[b.length - 1] === b[0] ? 1 : 0) },
  // The advance rule on the mean alone; the next stage of multi-head without the new N.
  { ex: timescales.STAGE_SOLVED, right: (a: number[], Ns: number[], th: number) => a.reduce((x, y) => x + y, 0) / a.length > th && a[Ns.indexOf(Math.max(...Ns))] > th, wrong: (a: number[], _: number[], th: number) => a.reduce((x, y) => x + y, 0) / a.length > th },
  { ex: timescales.NEXT_STAGE, right: next, wrong: (c: string, Ns: number[], slide: number) => (c === 'multi' ? [...Ns] : next(c, Ns, slide)) },
  // Silencing the row (inputs) only; the perturbation without normalising D.
  { ex: timescales.ABLATE_NEURON, right: (W: Float64Array, Win: Float64Array, j: number) => ablate(W, Win, j, false), wrong: (W: Float64Array, Win: Float64Array, j: number) => ablate(W, Win, j, true) },
  { ex: timescales.WEIGHT_PERTURBATION, right: (W: Float64Array, eps: number, D: Float64Array) => W.map((w, i) => w + (eps * norm2(W) * D[i]) / norm2(D)), wrong: (W: Float64Array, eps: number, D: Float64Array) => W.map((w, i) => w + eps * D[i]) },
  // A pulse's value held at once (no delay); f₂ − f₁.
  { ex: sequential.FLIPFLOP_TARGET, right: flipflop, wrong: (x: Float64Array) => flipflop(x, 0) },
  { ex: sequential.ROMO_DECISION, right: (x: Float64Array) => Math.sign(pulses(x)[0] - pulses(x)[1]), wrong: (x: Float64Array) => Math.sign(pulses(x)[1] - pulses(x)[0]) },
  // Pearson on the values instead of the ranks; zero crossings without removing the mean.
  { ex: beerBarak.SPEARMAN, right: (x: number[], y: number[]) => pearson(ranks(x), ranks(y)), wrong: pearson },
  { ex: beerBarak.OUTPUT_FREQUENCY, right: (x: Float64Array, dt: number) => zeroCrossingOmega(x, dt, true), wrong: (x: Float64Array, dt: number) => zeroCrossingOmega(x, dt, false) },
  // The learning time with a strict inequality; the decay time taken as τ′ itself.
  { ex: sequential.LEARNING_TIME, right: (l: number[]) => { const i = l.findIndex((v) => v <= 0.05 * l[0]); return i < 0 ? l.length : i; }, wrong: (l: number[]) => { const i = l.findIndex((v) => v < 0.05 * l[0]); return i < 0 ? l.length - 1 : i; } },
  { ex: timescales.LEAK_DECAY, right: (t: number) => (t === 1 ? 0 : -1 / Math.log(1 - 1 / t)), wrong: (t: number) => t },
  // The usual slip: the gate blocks read as (f, i, g, o) instead of PyTorch's (i, f, g, o).
  { ex: timescales.LSTM_STEP, right: lstmStep, wrong: (a: number[], c: number[]) => { const H = c.length; return lstmStep([...a.slice(H, 2 * H), ...a.slice(0, H), ...a.slice(2 * H)], c); } },
  { ex: timescales.GATE_TIMESCALE, right: (f: number[]) => 1 / (1 - f.reduce((a, b) => a + b, 0) / f.length), wrong: (f: number[]) => 1 / (1 - Math.max(...f)) },
  // The index with 0 instead of chance as the naive level; the online index without the learned filter.
  { ex: synthesis.CURRICULUM_INDEX, right: (a: number, b: number) => (a - b) / (a - 0.5), wrong: (a: number, b: number) => (a - b) / a },
  {
    ex: synthesis.ONLINE_INTERFERENCE,
    right: (q: number[][], trained: number[], lag: number) => onlineIndex(q, trained, lag, 0.05),
    wrong: (q: number[][], trained: number[], lag: number) => onlineIndex(q, trained, lag, Infinity),
  },
] as const;

test('every exercise check passes a right answer, names the wrong cases of a mistaken one, and lets the stub through', () => {
  for (const { ex, right, wrong } of TABLE) {
    assert.deepEqual(exerciseFailures(ex as never, right as never), [], `${ex.id}: right answer`);
    assert.doesNotThrow(() => checkExercise(ex as never, right as never));
    const failures = exerciseFailures(ex as never, wrong as never);
    assert.ok(failures.length >= 1 && failures.every((f) => /expected .*, got /.test(f)), `${ex.id}: ${failures.join('; ')}`);
    assert.throws(() => checkExercise(ex as never, wrong as never), (e: Error) => e instanceof ExerciseCheckFailed && e.exercise === ex.id && e.message.includes(failures[0]));
    assert.throws(() => checkExercise(ex as never, (() => notWritten(ex.id)) as never), (e: Error) => e instanceof ExerciseNotWritten && e.message.startsWith(`exercise ${ex.id}: not written yet`));
  }
});

test('a check reports an answer of the wrong shape or one that throws, and refuses a non-function', () => {
  const ex = beerBarak.LMS_UPDATE;
  assert.match(exerciseFailures(ex, (() => new Float64Array(3)) as never)[1], /expected 8 numbers, got 3/);
  assert.match(exerciseFailures(ex, (() => 1) as never)[0], /expected 8 numbers, got number/);
  assert.match(exerciseFailures(ex, (() => { throw new RangeError('oops'); }) as never)[0], /your function threw RangeError: oops/);
  assert.match(exerciseFailures(ex, ((w: Float64Array) => w.map(() => Number.NaN)) as never)[0], /expected .*, got \[NaN/);
  assert.throws(() => exerciseFailures(ex, 'lms' as never), (e: Error) => e instanceof ParameterError && e.parameter === 'fn');
});

test('nbgen writes two editions: solutions and answers kept (answers collapsed) or replaced by the stub and removed', () => {
  const src = [
    '// %% [markdown]',
    '// See [the README](../lib/README.md).',
    '// @answer',
    '// Because.',
    '// @end-answer',
    '// %%',
    'function f(x: number): number {',
    '  // @solution 09.1',
    '  return 2 * x;',
    '  // @end-solution',
    '}',
  ].join('\n');
  const cells = parsePercentScript(src);
  const [mdI, codeI] = edition(cells, 'instructor', 'x.nb.ts');
  const [mdS, codeS] = edition(cells, 'student', 'x.nb.ts');
  assert.deepEqual(mdI.lines, ['See [the README](../lib/README.md).', '<details><summary><b>Answer</b> (click to show)</summary>', '', 'Because.', '', '</details>']);
  assert.deepEqual(codeI.lines, ['function f(x: number): number {', '  return 2 * x;', '}']);
  assert.deepEqual(mdS.lines, ['See [the README](../../lib/README.md).'], 'answer removed; links one folder deeper');
  assert.deepEqual(codeS.lines, ['function f(x: number): number {', "  return lab.notWritten('09.1');", '}']);
  for (const bad of ['// %%\n// @solution 1\nx', '// %%\n// @end-solution', '// %% [markdown]\n// @answer\n// @answer\n// @end-answer']) {
    assert.throws(() => edition(parsePercentScript(bad), 'student', 'bad.nb.ts'), /bad\.nb\.ts, cell 0/);
  }
  assert.throws(() => edition(cells, 'teacher'), /unknown edition/);
});

test('every notebook says what it teaches and how long it takes, and has two checked exercises, a think question with its answer and an explore cell', () => {
  const dir = new URL('../../notebooks/src/', import.meta.url);
  const sources = readdirSync(dir).filter((f) => f.endsWith('.nb.ts'));
  assert.ok(sources.length >= 12);
  const all = { ...intro, ...beerBarak, ...timescales, ...sequential, ...synthesis } as Record<string, unknown>;
  const ids = new Set(Object.values(all).map((e) => (e as { id?: string }).id).filter(Boolean));
  for (const f of sources) {
    const src = readFileSync(new URL(f, dir), 'utf8');
    for (const marker of ['**You will learn**', '**Time:**', '**Think.**', '// @answer', '// ## Explore']) assert.ok(src.includes(marker), `${f}: ${marker}`);
    const solutions = [...src.matchAll(/@solution (\S+)/g)].map((m) => m[1]);
    assert.ok(solutions.length >= 2, `${f}: ${solutions.length} exercises`);
    for (const id of solutions) {
      assert.ok(id.startsWith(f.slice(0, 2) + '.') && ids.has(id), `${f}: exercise ${id} is the notebook's and has a check in the library`);
      assert.ok(src.includes(`### Exercise ${id}`), `${f}: exercise ${id} has a heading`);
    }
    assert.equal((src.match(/lab\.checkExercise\(/g) ?? []).length, solutions.length, `${f}: one check cell per exercise`);
  }
});
