/**
 * Canonical correlation analysis of two short vectors (k ≤ MAX_SMALL_DIMENSION entries each) from
 * their running covariances, without ml-matrix: the online rule (core/onlineCca.ts) solves one per
 * learned pair, so this module allocates nothing per call and uses cyclic Jacobi rotations, which
 * are accurate to round-off for the tiny symmetric matrices involved.
 *
 * Matrices are row-major Float64Arrays of n×n entries; `n` is passed explicitly.
 */

/** Largest k this module is meant for (Jacobi costs O(k³) per sweep). */
export const MAX_SMALL_DIMENSION = 16;

/** Jacobi sweeps at most (each sweep zeroes every off-diagonal entry once; 6–10 suffice for k ≤ 16). */
const MAX_SWEEPS = 50;

/**
 * Eigendecomposition of a symmetric n×n matrix by cyclic Jacobi rotations.
 * @param matrix row-major n×n; only read (its symmetric part is used).
 * @param values out: n eigenvalues, descending.
 * @param vectors out: n×n row-major, eigenvector i in column i (orthonormal).
 * @param work scratch of n×n entries.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number, values: Float64Array, vectors: Float64Array, work: Float64Array): void {
  const a = work;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (matrix[i * n + j] + matrix[j * n + i]);
  }
  vectors.fill(0, 0, n * n);
  for (let i = 0; i < n; i++) vectors[i * n + i] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0, diagonal = 0;
    for (let i = 0; i < n; i++) {
      diagonal += a[i * n + i] * a[i * n + i];
      for (let j = i + 1; j < n; j++) off += a[i * n + j] * a[i * n + j];
    }
    if (off <= 1e-30 * diagonal || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // rotation angle that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1)
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = a[r * n + p], arq = a[r * n + q];
          a[r * n + p] = c * arp - s * arq;
          a[r * n + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = a[p * n + r], aqr = a[q * n + r];
          a[p * n + r] = c * apr - s * aqr;
          a[q * n + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < n; r++) {
          const vrp = vectors[r * n + p], vrq = vectors[r * n + q];
          vectors[r * n + p] = c * vrp - s * vrq;
          vectors[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  // sort descending (selection sort: n is tiny), permuting the columns with the values
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  for (let i = 0; i < n - 1; i++) {
    let best = i;
    for (let j = i + 1; j < n; j++) if (values[j] > values[best]) best = j;
    if (best === i) continue;
    const v = values[i]; values[i] = values[best]; values[best] = v;
    for (let r = 0; r < n; r++) {
      const x = vectors[r * n + i]; vectors[r * n + i] = vectors[r * n + best]; vectors[r * n + best] = x;
    }
  }
}

/** Reusable scratch space for {@link smallCanonicalTransforms} at one dimension. */
export class SmallCcaWorkspace {
  readonly values: Float64Array;
  readonly vectors: Float64Array;
  readonly work: Float64Array;
  readonly whitenFirst: Float64Array;
  readonly whitenSecond: Float64Array;
  readonly product: Float64Array;
  readonly gram: Float64Array;
  readonly column: Float64Array;
  /** Left singular vectors found so far, one per row. */
  readonly left: Float64Array;
  constructor(readonly n: number) {
    const nn = n * n;
    this.values = new Float64Array(n);
    this.vectors = new Float64Array(nn);
    this.work = new Float64Array(nn);
    this.whitenFirst = new Float64Array(nn);
    this.whitenSecond = new Float64Array(nn);
    this.product = new Float64Array(nn);
    this.gram = new Float64Array(nn);
    this.column = new Float64Array(n);
    this.left = new Float64Array(nn);
  }
}

/**
 * (C + ridge·mean(diag C)·I)^{−1/2} (symmetric), written into `out`. Eigenvalues below the ridge
 * level count as the ridge level, so an all-zero C gives (ridge floor)^{−1/2}·I rather than ∞.
 */
function inverseSquareRoot(C: ArrayLike<number>, n: number, ridge: number, out: Float64Array, ws: SmallCcaWorkspace): void {
  let trace = 0;
  for (let i = 0; i < n; i++) trace += C[i * n + i];
  const floor = Math.max(ridge * (trace / n), Number.MIN_VALUE);
  symmetricEigen(C, n, ws.values, ws.vectors, ws.work);
  out.fill(0, 0, n * n);
  for (let e = 0; e < n; e++) {
    const scale = 1 / Math.sqrt(Math.max(ws.values[e] + ridge * (trace / n), floor));
    for (let i = 0; i < n; i++) {
      const vi = ws.vectors[i * n + e] * scale;
      if (vi === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += vi * ws.vectors[j * n + e];
    }
  }
}

/**
 * Canonical transforms of two k-vectors x (first) and y (second) from their covariances Cxx, Cyy
 * and cross-covariance Cxy = E[x yᵀ]: row i of `first` maps x to its i-th canonical variate, row i
 * of `second` maps y to the variate paired with it; the variates have unit variance and
 * E[u_i v_i] = correlations[i] ≥ 0, sorted descending. The sign of each pair (u_i, v_i) together
 * is the eigensolver's: callers that need a convention apply it.
 * @param ridge relative ridge added to Cxx and Cyy (ε·mean(diag)·I).
 */
export function smallCanonicalTransforms(
  Cxx: ArrayLike<number>, Cyy: ArrayLike<number>, Cxy: ArrayLike<number>, n: number, ridge: number,
  first: Float64Array, second: Float64Array, correlations: Float64Array, ws: SmallCcaWorkspace,
): void {
  const Wx = ws.whitenFirst, Wy = ws.whitenSecond, M = ws.product, G = ws.gram;
  inverseSquareRoot(Cxx, n, ridge, Wx, ws);
  inverseSquareRoot(Cyy, n, ridge, Wy, ws);
  // M = Wx Cxy Wy (the whitened cross-covariance), G = Mᵀ M
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let a = 0; a < n; a++) {
        const wxa = Wx[i * n + a];
        if (wxa === 0) continue;
        for (let b = 0; b < n; b++) s += wxa * Cxy[a * n + b] * Wy[b * n + j];
      }
      M[i * n + j] = s;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let a = 0; a < n; a++) s += M[a * n + i] * M[a * n + j];
      G[i * n + j] = s; G[j * n + i] = s;
    }
  }
  // right singular vectors V (columns of ws.vectors), σ² = eigenvalues of MᵀM, descending
  symmetricEigen(G, n, ws.values, ws.vectors, ws.work);
  const V = ws.vectors, u = ws.column;
  let largest = 0;
  for (let e = 0; e < n; e++) largest = Math.max(largest, Math.sqrt(Math.max(ws.values[e], 0)));
  for (let e = 0; e < n; e++) {
    const sigma = Math.sqrt(Math.max(ws.values[e], 0));
    correlations[e] = sigma;
    // left vector u = M v / σ; for σ ≈ 0 any unit vector orthogonal to the previous ones will do
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += M[i * n + j] * V[j * n + e];
      u[i] = s;
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += u[i] * u[i];
    norm = Math.sqrt(norm);
    if (!(sigma > 1e-12 * largest) || !(norm > 0)) completeOrthonormal(ws.left, u, e, n);
    else for (let i = 0; i < n; i++) u[i] /= norm;
    ws.left.set(u, e * n);
    // rows: first[e] = uᵀ Wx, second[e] = vᵀ Wy (Wx, Wy symmetric)
    for (let j = 0; j < n; j++) {
      let a = 0, b = 0;
      for (let i = 0; i < n; i++) { a += u[i] * Wx[i * n + j]; b += V[i * n + e] * Wy[i * n + j]; }
      first[e * n + j] = a; second[e * n + j] = b;
    }
  }
}

/** Fills u with a unit vector orthogonal to the first `e` rows of `left` (Gram–Schmidt on the standard basis). */
function completeOrthonormal(left: Float64Array, u: Float64Array, e: number, n: number): void {
  for (let basis = 0; basis < n; basis++) {
    u.fill(0); u[basis] = 1;
    for (let j = 0; j < e; j++) {
      let dot = 0;
      for (let i = 0; i < n; i++) dot += left[j * n + i] * u[i];
      for (let i = 0; i < n; i++) u[i] -= dot * left[j * n + i];
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += u[i] * u[i];
    if (norm > 1e-6) {
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) u[i] /= norm;
      return;
    }
  }
}
