/**
 * Small dense-matrix helpers for the stimulus generators (internal; not re-exported). Matrices are
 * arrays of rows (number[][]) for the small state-space systems, or row-major Float64Arrays for
 * the Gaussian-process covariance. Plain loops: sizes here are tiny (state dimension ≤ 64) or the
 * work is a single O(n³/3) Cholesky.
 */
import { ConfigError } from '../errors';
import { requireFinite } from '../validate';

export type Rows = number[][];

/** A copy of a rectangular matrix of finite numbers, checking its shape. */
export function requireMatrix(field: string, value: unknown, rows: number | null, cols: number | null, maxSize = 64): Rows {
  if (!Array.isArray(value) || value.length === 0 || value.length > maxSize) {
    throw new ConfigError(field, value, `a matrix (array of 1 to ${maxSize} rows)`);
  }
  const width = Array.isArray(value[0]) ? value[0].length : -1;
  if (rows !== null && value.length !== rows) throw new ConfigError(field, value, `a matrix with ${rows} rows`);
  return value.map((row, i) => {
    if (!Array.isArray(row) || row.length !== width || width < 1 || width > maxSize) {
      throw new ConfigError(`${field}[${i}]`, row, `a row of ${width > 0 ? width : '1 or more'} numbers like row 0`);
    }
    if (cols !== null && row.length !== cols) throw new ConfigError(`${field}[${i}]`, row, `a row of ${cols} numbers`);
    return row.map((x, j) => requireFinite(`${field}[${i}][${j}]`, x));
  });
}

export function multiply(a: Rows, b: Rows): Rows {
  const n = a.length, m = b[0].length, inner = b.length;
  const out: Rows = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inner; k++) {
      const aik = a[i][k];
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) out[i][j] += aik * b[k][j];
    }
  }
  return out;
}

export function transpose(a: Rows): Rows {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

export function add(a: Rows, b: Rows): Rows {
  return a.map((row, i) => row.map((x, j) => x + b[i][j]));
}

export function frobeniusNorm(a: Rows): number {
  let s = 0;
  for (const row of a) for (const x of row) s += x * x;
  return Math.sqrt(s);
}

/**
 * Lower Cholesky factor L of a symmetric positive semi-definite matrix (L Lᵀ = S). Pivots below
 * `tolerance`·max diag are treated as exact zeros (their column of L is zero), so singular
 * covariances (a rank-deficient noise input) still factor. Returns null if a pivot is clearly
 * negative (the matrix is not PSD).
 */
export function choleskySemidefinite(s: Rows, tolerance = 1e-12): Rows | null {
  const n = s.length;
  const l: Rows = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(s[i][i]));
  const floor = tolerance * maxDiag;
  for (let j = 0; j < n; j++) {
    let pivot = s[j][j];
    for (let k = 0; k < j; k++) pivot -= l[j][k] * l[j][k];
    if (pivot < -Math.max(floor, 1e-300) * 1e3) return null;
    if (pivot <= floor) continue; // zero column
    const root = Math.sqrt(pivot);
    l[j][j] = root;
    for (let i = j + 1; i < n; i++) {
      let v = s[i][j];
      for (let k = 0; k < j; k++) v -= l[i][k] * l[j][k];
      l[i][j] = v / root;
    }
  }
  return l;
}

/**
 * In-place lower Cholesky factorisation of a row-major n×n symmetric positive-definite matrix
 * (the lower triangle is overwritten with L; the upper is zeroed). Returns false at the first
 * non-positive pivot (the caller may add jitter and retry).
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rowJ = j * n;
    let pivot = a[rowJ + j];
    for (let k = 0; k < j; k++) pivot -= a[rowJ + k] * a[rowJ + k];
    if (!(pivot > 0)) return false;
    const root = Math.sqrt(pivot);
    a[rowJ + j] = root;
    for (let i = j + 1; i < n; i++) {
      const rowI = i * n;
      let v = a[rowI + j];
      for (let k = 0; k < j; k++) v -= a[rowI + k] * a[rowJ + k];
      a[rowI + j] = v / root;
    }
    for (let k = j + 1; k < n; k++) a[rowJ + k] = 0;
  }
  return true;
}
