/**
 * Dense row-major matrices on Float64Array, and ml-matrix wrappers for decompositions.
 * Hot loops use `Mat` directly; ml-matrix (rows stored as separate arrays) is used only for
 * eigenvalues, SVD and solves, where its numerics are what we want and its layout does not matter.
 */
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition, pseudoInverse, solve as mlSolve } from 'ml-matrix';
import { checkInteger, checkVector, checkWork, firstNonFinite, ParameterError } from './validate.js';

/** A rows x cols matrix; entry (i, j) is `data[i * cols + j]`. */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

export function zeros(rows: number, cols: number): Mat {
  checkInteger('rows', rows, { min: 0 });
  checkInteger('cols', cols, { min: 0 });
  return { rows, cols, data: new Float64Array(rows * cols) };
}

export function fromRows(rows: ArrayLike<number>[]): Mat {
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0].length;
  const m = zeros(r, c);
  rows.forEach((row, i) => {
    if (row.length !== c) throw new ParameterError('rows', `row ${i} has length ${row.length}, expected ${c}`);
    for (let j = 0; j < c; j++) m.data[i * c + j] = row[j];
  });
  return m;
}

export function identity(n: number): Mat {
  const m = zeros(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * out = A x for a row-major rows x cols array: the one dense matrix-vector kernel of the library. Two rows per pass
 * reuse each loaded x[k] (~1.7x faster in V8 than one row per pass); each row's sum runs in index order, so the
 * result is the same as the plain loop.
 */
export function denseMatVec(data: Float64Array, rows: number, cols: number, x: Float64Array, out: Float64Array): Float64Array {
  let i = 0;
  for (; i + 1 < rows; i += 2) {
    let s0 = 0;
    let s1 = 0;
    const off0 = i * cols;
    const off1 = off0 + cols;
    for (let k = 0; k < cols; k++) {
      const xk = x[k];
      s0 += data[off0 + k] * xk;
      s1 += data[off1 + k] * xk;
    }
    out[i] = s0;
    out[i + 1] = s1;
  }
  for (; i < rows; i++) {
    let s = 0;
    const off = i * cols;
    for (let k = 0; k < cols; k++) s += data[off + k] * x[k];
    out[i] = s;
  }
  return out;
}

/** out = A x (A: rows x cols, x: cols, out: rows). */
export function matVec(a: Mat, x: Float64Array, out: Float64Array = new Float64Array(a.rows)): Float64Array {
  if (x.length !== a.cols) throw new ParameterError('x', `length ${x.length} does not match A.cols = ${a.cols}`);
  if (out.length !== a.rows) throw new ParameterError('out', `length ${out.length} does not match A.rows = ${a.rows}`);
  return denseMatVec(a.data, a.rows, a.cols, x, out);
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new ParameterError('b', `length ${b.length} does not match a (${a.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

export function toMlMatrix(a: Mat): Matrix {
  const m = new Matrix(a.rows, a.cols);
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) m.set(i, j, a.data[i * a.cols + j]);
  return m;
}

export function fromMlMatrix(m: Matrix): Mat {
  const out = zeros(m.rows, m.columns);
  for (let i = 0; i < m.rows; i++) for (let j = 0; j < m.columns; j++) out.data[i * m.columns + j] = m.get(i, j);
  return out;
}

/** Complex eigenvalues of a square matrix, as separate real and imaginary parts. */
export interface Eigenvalues {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Checks a matrix argument before a decomposition: whole-number dimensions, `data` of exactly rows × cols entries,
 * every entry finite. ml-matrix's iterative eigen and singular-value routines never terminate on NaN or Infinity
 * (and read past short data as undefined), so every decomposition of this module calls this first.
 */
export function checkMatrix(name: string, a: Mat, shape: { square?: boolean } = {}): Mat {
  if (!a || !(a.data instanceof Float64Array)) throw new ParameterError(name, 'expected a Mat { rows, cols, data: Float64Array }');
  checkInteger(`${name}.rows`, a.rows, { min: 1 });
  checkInteger(`${name}.cols`, a.cols, { min: 1 });
  if (a.data.length !== a.rows * a.cols) throw new ParameterError(`${name}.data`, `expected ${a.rows} × ${a.cols} = ${a.rows * a.cols} entries, got ${a.data.length}`);
  if (shape.square && a.rows !== a.cols) throw new ParameterError(name, `must be square, got ${a.rows} x ${a.cols}`);
  const bad = firstNonFinite(a.data);
  if (bad >= 0) throw new ParameterError(name, `entry (${Math.floor(bad / a.cols)}, ${bad % a.cols}) is not finite (${a.data[bad]})`);
  return a;
}

/**
 * The same finiteness check for an ml-matrix Matrix built elsewhere (a covariance, a Gram matrix) before its
 * eigen decomposition: returns it, or throws naming `name` and the entry.
 */
export function checkFiniteMatrix(name: string, m: Matrix): Matrix {
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.columns; j++) {
      const v = m.get(i, j);
      if (!Number.isFinite(v)) throw new ParameterError(name, `entry (${i}, ${j}) is not finite (${v})`);
    }
  }
  return m;
}

export function eigenvalues(a: Mat): Eigenvalues {
  checkMatrix('A', a, { square: true });
  // ml-matrix's nonsymmetric solver costs about 25 N³ (measured: 25 s at N = 1000 here), so N ≈ 16,000 would run a day.
  checkWork('A', 25 * a.rows ** 3, `the eigenvalues of a ${a.rows} × ${a.rows} matrix`);
  const evd = new EigenvalueDecomposition(toMlMatrix(a), { assumeSymmetric: false });
  return { re: Float64Array.from(evd.realEigenvalues), im: Float64Array.from(evd.imaginaryEigenvalues) };
}

/** Largest modulus among eigenvalues. */
export function spectralRadius(eig: Eigenvalues): number {
  let r = 0;
  for (let i = 0; i < eig.re.length; i++) r = Math.max(r, Math.hypot(eig.re[i], eig.im[i]));
  return r;
}

/** Thin SVD: A = U diag(s) V^T, singular values in decreasing order. */
export function svd(a: Mat): { u: Mat; s: Float64Array; v: Mat } {
  checkMatrix('A', a);
  const small = Math.min(a.rows, a.cols);
  checkWork('A', 4 * Math.max(a.rows, a.cols) * small * small, `the SVD of a ${a.rows} × ${a.cols} matrix`);
  const d = new SingularValueDecomposition(toMlMatrix(a), { autoTranspose: true });
  return { u: fromMlMatrix(d.leftSingularVectors), s: Float64Array.from(d.diagonal), v: fromMlMatrix(d.rightSingularVectors) };
}

/** Solves A x = b (least squares when A is not square). */
export function solve(a: Mat, b: Float64Array): Float64Array {
  checkMatrix('A', a);
  checkVector('b', b, a.rows);
  const x = mlSolve(toMlMatrix(a), Matrix.columnVector(Array.from(b)));
  return Float64Array.from(x.getColumn(0));
}

/** Largest real part among eigenvalues (the stability margin of a linear flow). */
export function maxRealPart(eig: Eigenvalues): number {
  let m = -Infinity;
  for (let i = 0; i < eig.re.length; i++) m = Math.max(m, eig.re[i]);
  return m;
}

/** Column j of a matrix, as a new array. */
export function column(a: Mat, j: number): Float64Array {
  checkInteger('j', j, { min: 0, max: a.cols - 1 });
  const out = new Float64Array(a.rows);
  for (let i = 0; i < a.rows; i++) out[i] = a.data[i * a.cols + j];
  return out;
}

/** Minimum-norm least-squares solution of A x = b (any shape, any rank), via the SVD. */
export function leastSquares(a: Mat, b: Float64Array): Float64Array {
  checkMatrix('A', a);
  checkVector('b', b, a.rows);
  const x = pseudoInverse(toMlMatrix(a)).mmul(Matrix.columnVector(Array.from(b)));
  return Float64Array.from(x.getColumn(0));
}
