/**
 * Symmetric-matrix helpers over ml-matrix (with cca.ts, the only ml-matrix importers).
 * ml-matrix 6.15 traps handled here: EVD needs an exactly symmetric input and
 * `assumeSymmetric: true` to return sorted (ascending) eigenvalues; SVD of a wide matrix needs
 * `autoTranspose: true`.
 */
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix, inverse } from 'ml-matrix';
import { DegenerateDataError } from './errors';

/** (A + Aᵀ)/2 as a new Matrix, so ml-matrix's exact `isSymmetric()` test passes. */
export function symmetrise(matrix: Matrix): Matrix {
  const n = matrix.rows;
  const out = new Matrix(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value = 0.5 * (matrix.get(i, j) + matrix.get(j, i));
      out.set(i, j, value);
      out.set(j, i, value);
    }
  }
  return out;
}

/** Row-major Float64Array → Matrix. */
export function toMatrix(rows: number, cols: number, data: ArrayLike<number>): Matrix {
  return Matrix.from1DArray(rows, cols, Array.from(data));
}

export interface RegularizedWhitening {
  /** R^{−1/2} (symmetric) or L^{−1} (Cholesky), so that whitener · R · whitenerᵀ = I. */
  readonly whitener: Matrix;
  /** Eigenvalues of the regularized matrix, ascending. */
  readonly eigenvalues: number[];
  /**
   * λmax / λmin of the matrix before the ridge: how ill-conditioned the data are. The ridge bounds
   * the regularized matrix's own condition number by about n/ε (5·10^10 for n = 5, ε = 1e-10), so a
   * threshold of 1e12 on that would never fire; eigenvalues below the eigensolver's round-off,
   * n·ε_machine·mean(diag R), count as that round-off level (a singular R gives ≈ 1/(n·ε_machine)·λmax/mean(diag), finite).
   */
  readonly conditionNumber: number;
  /** ε · mean(diag R), the ridge added to the diagonal. */
  readonly ridgeAdded: number;
}

/**
 * Regularized whitening transform of a symmetric positive semi-definite second-moment matrix.
 * Adds ridge·mean(diag R)·I, then returns the symmetric inverse square root E diag(λ^{−1/2}) Eᵀ
 * (`eigen`, docs/method.md §1) or the inverse Cholesky factor (`cholesky`, for cross-checks).
 *
 * The decomposition runs on R / mean(diag R) and the whitener is rescaled afterwards: ml-matrix's
 * eigensolver is not scale-invariant (entries ~1e-200 gave eigenvalues off by 30 %, entries ~1e200
 * overflowed and crashed with a TypeError), so without this the result depended on the input's units.
 * @throws DegenerateDataError when R is all zero (no variance to whiten) or too large to represent.
 */
export function regularizedWhitening(matrix: Matrix, ridge: number, method: 'eigen' | 'cholesky', what: string): RegularizedWhitening {
  const n = matrix.rows;
  const R = symmetrise(matrix);
  let trace = 0;
  for (let i = 0; i < n; i++) trace += R.get(i, i);
  const meanDiagonal = trace / n;
  if (!Number.isFinite(meanDiagonal)) {
    throw new DegenerateDataError(`${what} is not finite (mean diagonal ${meanDiagonal}): the signal is too large; rescale it`);
  }
  if (!(meanDiagonal > 0)) {
    throw new DegenerateDataError(`${what} has no variance (mean diagonal ${meanDiagonal}): the signal is all zero${what.includes('centered') ? ' or constant' : ''}`);
  }
  // work on the normalized matrix (mean diagonal 1)
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) R.set(i, j, R.get(i, j) / meanDiagonal);
  for (let i = 0; i < n; i++) R.set(i, i, R.get(i, i) + ridge);
  const evd = new EigenvalueDecomposition(R, { assumeSymmetric: true });
  // round-off can leave tiny negative eigenvalues on a singular R; floor them at the ridge level
  const floor = Math.max(ridge, 1e-300);
  const normalized = evd.realEigenvalues.map((value) => Math.max(value, floor));
  const roundOff = n * Number.EPSILON;
  const largestRaw = Math.max(normalized[n - 1] - ridge, roundOff);
  const smallestRaw = Math.max(normalized[0] - ridge, roundOff);
  const conditionNumber = largestRaw / smallestRaw;
  const unscale = 1 / Math.sqrt(meanDiagonal);
  let whitener: Matrix;
  if (method === 'cholesky') {
    const cholesky = new CholeskyDecomposition(R);
    if (!cholesky.isPositiveDefinite()) throw new DegenerateDataError(`${what} is not positive definite even with the ridge; use eigen whitening`);
    whitener = inverse(cholesky.lowerTriangularMatrix).mul(unscale);
  } else {
    const E = evd.eigenvectorMatrix;
    const scaled = new Matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) scaled.set(i, k, E.get(i, k) / Math.sqrt(normalized[k]));
    }
    whitener = symmetrise(scaled.mmul(E.transpose())).mul(unscale);
  }
  const eigenvalues = normalized.map((value) => value * meanDiagonal);
  return { whitener, eigenvalues, conditionNumber, ridgeAdded: ridge * meanDiagonal };
}
