/**
 * Online learning rules for a linear readout z = w^T r, applied one sample at a time (Beer & Barak 2019, papers/beer-barak-2019/README.md §3.3).
 * Every rule sees e = w^T r - f measured *before* the update and changes w in place.
 *
 *  - 'rls' (FORCE; Sussillo & Abbott 2009): k = P r, c = 1/(1 + r^T k), P <- P - c k k^T, w <- w - c e k,
 *    with P(0) = I/alpha. P tracks (sum r r^T + alpha I)^-1 over all past updates and is never reset.
 *  - 'lms' (delta rule): w <- w - eta e r, i.e. RLS with P replaced by eta I.
 *  - 'rls-reset': RLS with P <- I/alpha at every trial onset (keeps fast within-trial error suppression, drops
 *    the memory of past correlations).
 *  - 'rls-frozen': RLS until trial `frozenAfterTrial`, then P is frozen: w <- w - e P r / (1 + r^T P r)
 *    (a preconditioned LMS).
 *  - 'nlms': w <- w - mu e r / (epsilon + r^T r), LMS with a FORCE-like per-sample step size.
 *  - 'rls-diagonal': RLS keeping only diag(P).
 * Equations: (3)–(10) of papers/beer-barak-2019/README.md.
 */
import { wasmRlsWorkspace } from '../numerics/kernels/wasm.js';
import { checkChoice, checkInteger, checkNumber, withDefaults, ParameterError, checkAllocation, checkVector } from '../numerics/validate.js';
import { denseMatVec } from '../numerics/matrix.js';

export const ONLINE_RULES = ['rls', 'lms', 'rls-reset', 'rls-frozen', 'nlms', 'rls-diagonal'] as const;
export type OnlineRuleName = (typeof ONLINE_RULES)[number];

export interface OnlineRuleOptions {
  rule: OnlineRuleName;
  /** Number of readout weights N. */
  n: number;
  /** RLS regulariser alpha > 0: P(0) = I/alpha. */
  alpha: number;
  /** LMS learning rate eta > 0 (per update). */
  eta: number;
  /** NLMS step mu in (0, 2) and its regulariser epsilon > 0. */
  mu: number;
  epsilon: number;
  /** RLS-frozen: P stops changing at the onset of this trial (0-based trial index, >= 0). */
  frozenAfterTrial: number;
  /** Where the full RLS update runs: 'auto' uses the WebAssembly f64x2 kernel when available, 'js' plain TypeScript. */
  backend: 'auto' | 'js';
}

export const ONLINE_RULE_DEFAULTS: OnlineRuleOptions = {
  rule: 'rls',
  n: 300,
  alpha: 1,
  eta: 1e-3,
  mu: 1,
  epsilon: 1e-6,
  frozenAfterTrial: 10,
  backend: 'auto',
};

export interface OnlineRule {
  readonly name: OnlineRuleName;
  readonly options: Readonly<OnlineRuleOptions>;
  /** Applies one update to w given the rates r and the pre-update error e = w^T r - f. */
  update(w: Float64Array, r: Float64Array, error: number): void;
  /** Called at the onset of trial k (0-based), before its first update. */
  startTrial(k: number): void;
}

export function createOnlineRule(options: Partial<OnlineRuleOptions> = {}): OnlineRule {
  const o = withDefaults('createOnlineRule', ONLINE_RULE_DEFAULTS, options);
  checkChoice('rule', o.rule, ONLINE_RULES);
  checkInteger('n', o.n, { min: 1 });
  // Full RLS keeps P, N × N doubles; the others a few vectors of N.
  checkAllocation('n', o.rule === 'rls' || o.rule === 'rls-reset' || o.rule === 'rls-frozen' ? 2 * o.n * o.n : 4 * o.n, 8, `the state of rule '${o.rule}' at n = ${o.n}`);
  checkNumber('alpha', o.alpha, { min: 0, exclusiveMin: true });
  checkNumber('eta', o.eta, { min: 0, exclusiveMin: true });
  checkNumber('mu', o.mu, { min: 0, max: 2, exclusiveMin: true, exclusiveMax: true });
  checkNumber('epsilon', o.epsilon, { min: 0, exclusiveMin: true });
  checkInteger('frozenAfterTrial', o.frozenAfterTrial, { min: 0 });
  checkChoice('backend', o.backend, ['auto', 'js']);
  const frozen = Object.freeze({ ...o });
  return checkedUpdates(ruleFor(frozen));
}

/**
 * The rule with its update's arguments checked: w and r finite and of length n, the error finite. The check is O(n),
 * next to an update of O(n) (LMS) to O(n²) (RLS) and a network step of O(n²); a NaN would otherwise spread through
 * w and P silently.
 */
function checkedUpdates(rule: OnlineRule): OnlineRule {
  const n = rule.options.n;
  const update = rule.update.bind(rule);
  rule.update = (w, r, error) => {
    checkVector('w', w, n);
    checkVector('r', r, n);
    if (!Number.isFinite(error)) throw new ParameterError('error', `must be finite, got ${error}`);
    update(w, r, error);
  };
  return rule;
}

function ruleFor(o: Readonly<OnlineRuleOptions>): OnlineRule {
  const frozen = o;
  switch (o.rule) {
    case 'lms':
      return { name: o.rule, options: frozen, startTrial() {}, update: (w, r, e) => axpy(-o.eta * e, r, w) };
    case 'nlms':
      return {
        name: o.rule,
        options: frozen,
        startTrial() {},
        update: (w, r, e) => axpy((-o.mu * e) / (o.epsilon + dotSelf(r)), r, w),
      };
    case 'rls-diagonal':
      return diagonalRls(frozen);
    default:
      return fullRls(frozen);
  }
}

/** y <- y + a x */
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += a * x[i];
}

function dotSelf(r: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return s;
}

/**
 * Full-matrix RLS and its reset and frozen variants. P is symmetric, N x N, row-major.
 *
 * Speed: the rank-one downdate P <- P - c k k^T of one update is deferred and applied row by row inside the next
 * update's k = P r pass, so each update reads and writes P once instead of twice (with two-row blocking, 0.80 ->
 * 0.50 ms per closed-loop step at N = 500; same arithmetic). P is exact except for that one pending downdate; a
 * reset discards it together with P.
 */
function fullRls(o: Readonly<OnlineRuleOptions>): OnlineRule {
  const n = o.n;
  // With the WebAssembly backend P and its vectors live in the kernel's memory, and one f64x2 pass settles the
  // pending downdate and computes P r (2.3x faster than the loop below at N = 500; equal up to summation order).
  const wasm = o.backend === 'auto' ? wasmRlsWorkspace(n) : null;
  const alloc = (length: number) => (wasm ? wasm.alloc(length) : new Float64Array(length));
  const P = alloc(n * n);
  const k = alloc(n);
  const pendingK = alloc(n);
  const rIn = wasm ? alloc(n) : null;
  let pendingC = 0; // 0: no downdate pending
  const resetP = () => {
    P.fill(0);
    for (let i = 0; i < n; i++) P[i * n + i] = 1 / o.alpha;
    pendingC = 0;
  };
  resetP();
  let updateP = true;

  /** k = P r (no downdate pending); returns r^T k. */
  const multiply = (r: Float64Array): number => {
    denseMatVec(P, n, n, r, k);
    let rk = 0;
    for (let j = 0; j < n; j++) rk += r[j] * k[j];
    return rk;
  };

  /**
   * Settles the pending downdate P <- P - c k' k'^T and computes k = P r in the same pass, two rows at a time (each
   * loaded r[j] and pendingK[j] serves both rows); returns r^T k.
   */
  const settleAndMultiply = (r: Float64Array): number => {
    const c = pendingC; // a local: V8 keeps it in a register, unlike the reassigned closure variable
    let rk = 0;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      let s0 = 0;
      let s1 = 0;
      const off0 = i * n;
      const off1 = off0 + n;
      const a0 = c * pendingK[i];
      const a1 = c * pendingK[i + 1];
      for (let j = 0; j < n; j++) {
        const pk = pendingK[j];
        const rj = r[j];
        const p0 = P[off0 + j] - a0 * pk;
        const p1 = P[off1 + j] - a1 * pk;
        P[off0 + j] = p0;
        P[off1 + j] = p1;
        s0 += p0 * rj;
        s1 += p1 * rj;
      }
      k[i] = s0;
      k[i + 1] = s1;
      rk += r[i] * s0 + r[i + 1] * s1;
    }
    for (; i < n; i++) {
      let s = 0;
      const off = i * n;
      const a = c * pendingK[i];
      for (let j = 0; j < n; j++) {
        const pij = P[off + j] - a * pendingK[j];
        P[off + j] = pij;
        s += pij * r[j];
      }
      k[i] = s;
      rk += r[i] * s;
    }
    pendingC = 0;
    return rk;
  };

  return {
    name: o.rule,
    options: o,
    startTrial(trial) {
      if (o.rule === 'rls-reset') resetP();
      if (o.rule === 'rls-frozen') updateP = trial < o.frozenAfterTrial;
    },
    update(w, r, e) {
      let rk: number;
      if (wasm) {
        rIn!.set(r);
        rk = wasm.settleMultiply(P, pendingK, pendingC, rIn!, k);
        pendingC = 0;
      } else rk = pendingC === 0 ? multiply(r) : settleAndMultiply(r);
      const c = 1 / (1 + rk);
      if (updateP) {
        pendingK.set(k);
        pendingC = c;
      }
      axpy(-c * e, k, w);
    },
  };
}

function diagonalRls(o: Readonly<OnlineRuleOptions>): OnlineRule {
  const d = new Float64Array(o.n).fill(1 / o.alpha);
  const k = new Float64Array(o.n);
  return {
    name: o.rule,
    options: o,
    startTrial() {},
    update(w, r, e) {
      let rk = 0;
      for (let i = 0; i < o.n; i++) {
        k[i] = d[i] * r[i];
        rk += r[i] * k[i];
      }
      const c = 1 / (1 + rk);
      for (let i = 0; i < o.n; i++) {
        d[i] -= c * k[i] * k[i];
        w[i] -= c * e * k[i];
      }
    },
  };
}
