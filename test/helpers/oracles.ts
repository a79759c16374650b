/**
 * Independent, deliberately naive oracles for the core tests. Nothing here imports the code under
 * test except core/random.ts (the seeded generator every stochastic test must use).
 */
import { Random } from '../../core/random';

/** One series: one number[] per channel, all of the same length. */
export type Series = number[][];

/** A (past, future) pair built the obvious way. */
export interface Pair {
  readonly p: number[];
  readonly f: number[];
}

/**
 * Every (p, f) pair of one series: p_t = [y_t, …, y_{t−m+1}] per channel (newest first,
 * channel-major), f_t = [y_{t+1+g}, …, y_{t+g+h}] per channel (chronological, channel-major).
 */
export function buildPairs(series: Series, m: number, h: number, g: number): Pair[] {
  const C = series.length;
  const n = series[0].length;
  const pairs: Pair[] = [];
  for (let t = m - 1; t + g + h < n; t++) {
    const p: number[] = [];
    const f: number[] = [];
    for (let c = 0; c < C; c++) for (let k = 0; k < m; k++) p.push(series[c][t - k]);
    for (let c = 0; c < C; c++) for (let j = 1; j <= h; j++) f.push(series[c][t + g + j]);
    pairs.push({ p, f });
  }
  return pairs;
}

export interface OracleMoments {
  /** Row-major (C·m)×(C·m). */
  readonly Rp: number[];
  /** Row-major (C·h)×(C·m). */
  readonly Q: number[];
  /** Row-major (C·h)×(C·h). */
  readonly Rf: number[];
  readonly pairs: number;
  readonly weight: number;
}

/**
 * Moments of pairs pooled over several series (pairs never straddle two series), optionally
 * centered (two-pass: weighted means first, then the sums of centered products) and optionally
 * weighted by exp(−age/τ), age 0 for the newest pair (single series order: pairs in time order).
 */
export function oracleMoments(seriesList: Series[], m: number, h: number, g: number,
  { center = false, tau = 0 }: { center?: boolean; tau?: number } = {}): OracleMoments {
  const pairs = seriesList.flatMap((series) => buildPairs(series, m, h, g));
  const N = pairs.length;
  const weights = pairs.map((_, i) => (tau > 0 ? Math.exp(-(N - 1 - i) / tau) : 1));
  const W = weights.reduce((s, w) => s + w, 0);
  const P = pairs[0].p.length, F = pairs[0].f.length;
  const meanP = new Array<number>(P).fill(0), meanF = new Array<number>(F).fill(0);
  if (center) {
    pairs.forEach(({ p, f }, i) => {
      for (let a = 0; a < P; a++) meanP[a] += (weights[i] * p[a]) / W;
      for (let a = 0; a < F; a++) meanF[a] += (weights[i] * f[a]) / W;
    });
  }
  const Rp = new Array<number>(P * P).fill(0), Q = new Array<number>(F * P).fill(0), Rf = new Array<number>(F * F).fill(0);
  pairs.forEach(({ p, f }, i) => {
    const w = weights[i] / W;
    const pc = p.map((x, a) => x - meanP[a]), fc = f.map((x, a) => x - meanF[a]);
    for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) Rp[a * P + b] += w * pc[a] * pc[b];
    for (let a = 0; a < F; a++) for (let b = 0; b < P; b++) Q[a * P + b] += w * fc[a] * pc[b];
    for (let a = 0; a < F; a++) for (let b = 0; b < F; b++) Rf[a * F + b] += w * fc[a] * fc[b];
  });
  return { Rp, Q, Rf, pairs: N, weight: W };
}

/** ‖a − b‖_F / ‖b‖_F (norm-wise relative error; ‖a‖ when b = 0). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let diff = 0, norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    norm += b[i] ** 2;
  }
  return norm === 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
}

type MomentLike = { pastMoment: ArrayLike<number>; futurePastMoment: ArrayLike<number>; futureMoment: ArrayLike<number> } | OracleMoments;

function asMatrices(x: MomentLike): { pastMoment: ArrayLike<number>; futurePastMoment: ArrayLike<number>; futureMoment: ArrayLike<number> } {
  return 'Rp' in x ? { pastMoment: x.Rp, futurePastMoment: x.Q, futureMoment: x.Rf } : x;
}

/** Largest relative error over the three moment matrices. */
export function momentsError(actual: MomentLike, expected: MomentLike): number {
  const a = asMatrices(actual), e = asMatrices(expected);
  return Math.max(
    relativeError(a.pastMoment, e.pastMoment),
    relativeError(a.futurePastMoment, e.futurePastMoment),
    relativeError(a.futureMoment, e.futureMoment),
  );
}

/** A C-channel series of independent N(0, 1) samples (plus a per-channel offset). */
export function gaussianSeries(rng: Random, channels: number, length: number, offset = 0): Series {
  return Array.from({ length: channels }, () => Array.from({ length }, () => offset + rng.gaussian()));
}

/** A smooth-ish correlated C-channel series (so moments have structure): channel c is an AR(1) mix. */
export function correlatedSeries(rng: Random, channels: number, length: number): Series {
  const out: Series = Array.from({ length: channels }, () => new Array<number>(length));
  const state = new Array<number>(channels).fill(0);
  for (let t = 0; t < length; t++) {
    const common = rng.gaussian();
    for (let c = 0; c < channels; c++) {
      state[c] = (0.3 + 0.1 * c) * state[c] + rng.gaussian() + 0.5 * common;
      out[c][t] = state[c];
    }
  }
  return out;
}

/** y_t = a·y_{t−1} + e_t, e_t ~ N(0, 1), started from the stationary distribution. */
export function simulateAr1(rng: Random, a: number, length: number): number[] {
  const y = new Array<number>(length);
  let previous = rng.gaussian() / Math.sqrt(1 - a * a);
  for (let t = 0; t < length; t++) {
    previous = a * previous + rng.gaussian();
    y[t] = previous;
  }
  return y;
}

/**
 * y_t = Σ_k a_k y_{t−k} + e_t, e_t ~ N(0, 1), after `burnIn` discarded samples from y = 0 (the
 * transient decays like the largest root's modulus^burnIn).
 */
export function simulateAr(rng: Random, coefficients: readonly number[], length: number, burnIn = 2000): Float64Array {
  const p = coefficients.length;
  const y = new Float64Array(burnIn + length);
  for (let t = 0; t < y.length; t++) {
    let v = rng.gaussian();
    for (let k = 1; k <= p && k <= t; k++) v += coefficients[k - 1] * y[t - k];
    y[t] = v;
  }
  return y.subarray(burnIn);
}

/**
 * Exact autocovariance γ(0 … maxLag) of a stationary AR process with unit innovation variance, from
 * its impulse response ψ (y = Σ ψ_j e_{t−j}, ψ_0 = 1, ψ_j = Σ_k a_k ψ_{j−k}): γ(d) = Σ_j ψ_j ψ_{j+d},
 * summed until ψ is below 1e-17 of its peak (throws if it has not decayed in 10⁵ terms: not stationary).
 */
export function arAutocovariance(coefficients: readonly number[], maxLag: number): number[] {
  const psi: number[] = [1];
  let peak = 1;
  for (let j = 1; ; j++) {
    let v = 0;
    for (let k = 1; k <= coefficients.length && k <= j; k++) v += coefficients[k - 1] * psi[j - k];
    psi.push(v);
    peak = Math.max(peak, Math.abs(v));
    const recent = psi.slice(-coefficients.length - 1).every((x) => Math.abs(x) < 1e-17 * peak);
    if (recent && j > maxLag) break;
    if (j > 100_000) throw new Error('impulse response does not decay: the AR process is not stationary');
  }
  return Array.from({ length: maxLag + 1 }, (_, d) => {
    let s = 0;
    for (let j = 0; j + d < psi.length; j++) s += psi[j] * psi[j + d];
    return s;
  });
}

/**
 * The autocovariance estimator of core/autocovariance.ts written out naively over a list of updates
 * (series key, samples) in arrival order: weight λ^(age) for the newer sample of each product (age
 * counted over all samples of all series), μ the weighted mean when centering, every lag divided by
 * the total weight, lag d scaled by λ^(d/2).
 */
export function oracleAutocovariance(updates: readonly { key: string; samples: ArrayLike<number> }[], maxLag: number,
  { center = false, tau = 0 }: { center?: boolean; tau?: number } = {}): number[] {
  const lambda = tau > 0 ? Math.exp(-1 / tau) : 1;
  const samples: { key: string; value: number; position: number }[] = [];
  const seen = new Map<string, number[]>();
  for (const { key, samples: chunk } of updates) {
    if (!seen.has(key)) seen.set(key, []);
    const list = seen.get(key)!;
    for (let i = 0; i < chunk.length; i++) { samples.push({ key, value: chunk[i], position: list.length }); list.push(chunk[i]); }
  }
  const total = samples.length;
  const weight = samples.map((_, i) => lambda ** (total - 1 - i));
  const W = weight.reduce((a, w) => a + w, 0);
  const mean = center ? samples.reduce((a, s, i) => a + weight[i] * s.value, 0) / W : 0;
  return Array.from({ length: maxLag + 1 }, (_, d) => {
    let sum = 0;
    samples.forEach((s, i) => {
      if (s.position < d) return;
      const older = seen.get(s.key)![s.position - d];
      sum += weight[i] * (s.value - mean) * (older - mean);
    });
    return (lambda ** (d / 2) * sum) / W;
  });
}

/** Splits [0, n) at the given cut points (sorted, deduplicated, clipped) into chunk lengths. */
export function chunkLengths(n: number, cuts: number[]): number[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(n, c))))].sort((a, b) => a - b);
  const lengths: number[] = [];
  let start = 0;
  for (const p of [...points, n]) {
    lengths.push(p - start);
    start = p;
  }
  return lengths;
}

/** Slices a series into chunks of the given lengths (C = 1 → plain arrays, else channel arrays). */
export function sliceSeries(series: Series, lengths: number[]): (number[] | number[][])[] {
  const chunks: (number[] | number[][])[] = [];
  let start = 0;
  for (const length of lengths) {
    const parts = series.map((channel) => channel.slice(start, start + length));
    chunks.push(series.length === 1 ? parts[0] : parts);
    start += length;
  }
  return chunks;
}

/** Fixed-size chunk lengths covering n. */
export function fixedChunks(n: number, size: number): number[] {
  const lengths: number[] = [];
  for (let start = 0; start < n; start += size) lengths.push(Math.min(size, n - start));
  return lengths;
}

// ---------------------------------------------------------------- small dense linear algebra

export type Mat = number[][];

export function matMul(a: Mat, b: Mat): Mat {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
}

export function transpose(a: Mat): Mat {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

export function matAdd(a: Mat, b: Mat): Mat {
  return a.map((row, i) => row.map((x, j) => x + b[i][j]));
}

/**
 * Solves the discrete Lyapunov equation Σ = A Σ Aᵀ + BBᵀ by fixed-point iteration (converges when
 * the spectral radius of A is below 1), until the update is below 1e-15 relative (round-off level;
 * the error then contracts like ρ(A)² per step, so it is far below every tolerance that uses it).
 */
export function solveDiscreteLyapunov(A: Mat, B: Mat): Mat {
  const BBt = matMul(B, transpose(B));
  let sigma = BBt.map((row) => [...row]);
  const At = transpose(A);
  for (let iteration = 0; iteration < 10000; iteration++) {
    const next = matAdd(matMul(matMul(A, sigma), At), BBt);
    const change = relativeError(next.flat(), sigma.flat());
    sigma = next;
    if (change < 1e-15) return sigma;
  }
  throw new Error('Lyapunov iteration did not converge');
}

/** Row-major flat matrix → Mat. */
export function unflatten(rows: number, cols: number, data: ArrayLike<number>): Mat {
  return Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => data[i * cols + j]));
}

// ---------------------------------------------------------------- textbook eigen-solutions

/** Identity matrix of size n. */
export function identity(n: number): Mat {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/**
 * Eigen-decomposition of a symmetric matrix by the cyclic Jacobi method (Golub & Van Loan,
 * *Matrix Computations*, 4th ed., Alg. 8.5.2/8.5.3): plane rotations J(p, q, θ) chosen by the
 * symmetric 2×2 Schur decomposition annihilate a_pq in turn until the off-diagonal Frobenius norm
 * is below 1e-14 of the whole norm (round-off level for n ≤ 10; the residual check below is what
 * guarantees the result). Pure arrays, no library: an oracle independent of ml-matrix.
 * @returns eigenvalues **descending** and the matching unit eigenvectors as the **columns** of
 *   `vectors`; throws unless A·V = V·Λ holds to 1e-12 relative.
 */
export function jacobiEigen(symmetric: Mat): { values: number[]; vectors: Mat } {
  const n = symmetric.length;
  let A = symmetric.map((row, i) => row.map((x, j) => 0.5 * (x + symmetric[j][i])));
  let V = identity(n);
  const norm = Math.sqrt(A.flat().reduce((s, x) => s + x * x, 0));
  const off = (M: Mat): number => Math.sqrt(M.reduce((s, row, i) => s + row.reduce((t, x, j) => t + (i === j ? 0 : x * x), 0), 0));
  for (let sweep = 0; off(A) > 1e-14 * norm; sweep++) {
    if (sweep > 100) throw new Error('Jacobi eigensolver did not converge in 100 sweeps');
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        if (A[p][q] === 0) continue;
        // symmetric Schur 2×2: c, s with [c s; −s c]ᵀ [app apq; apq aqq] [c s; −s c] diagonal
        const tau = (A[q][q] - A[p][p]) / (2 * A[p][q]);
        const t = tau >= 0 ? 1 / (tau + Math.sqrt(1 + tau * tau)) : -1 / (-tau + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t), s = t * c;
        const J = identity(n);
        J[p][p] = c; J[p][q] = s; J[q][p] = -s; J[q][q] = c;
        A = matMul(matMul(transpose(J), A), J);
        A[p][q] = 0; A[q][p] = 0; // zero by construction; keep the round-off out
        V = matMul(V, J);
      }
    }
  }
  const order = A.map((_, i) => i).sort((i, j) => A[j][j] - A[i][i]);
  const values = order.map((i) => A[i][i]);
  const vectors = V.map((row) => order.map((i) => row[i]));
  // the decomposition checks itself: A·V = V·Λ
  const AV = matMul(symmetric, vectors), scale = Math.max(...values.map(Math.abs), Number.MIN_VALUE);
  AV.forEach((row, i) => row.forEach((x, k) => {
    if (Math.abs(x - vectors[i][k] * values[k]) > 1e-12 * scale) throw new Error(`Jacobi residual ${Math.abs(x - vectors[i][k] * values[k])} at (${i}, ${k})`);
  }));
  return { values, vectors };
}

/** f(A) = V diag(f(λ)) Vᵀ for a symmetric A (e.g. A^{−1/2}, A^{−1}), by {@link jacobiEigen}. */
export function symmetricFunction(symmetric: Mat, f: (eigenvalue: number) => number): Mat {
  const { values, vectors } = jacobiEigen(symmetric);
  const n = values.length;
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => values.reduce((s, value, k) => s + vectors[i][k] * f(value) * vectors[j][k], 0)));
}

/** A textbook CCA solution: ρ descending; past directions ψ with ψᵀ Rp ψ = 1, unsigned. */
export interface TextbookCca {
  readonly correlations: number[];
  /** ψ_i = Rp^{−1/2} v_i, v_i the unit eigenvectors of M below (rows, one per direction). */
  readonly pastDirections: number[][];
}

/**
 * CCA as a textbook writes it (Hotelling 1936; e.g. Hardoon, Szedmak & Shawe-Taylor 2004, §2):
 * the squared canonical correlations are the eigenvalues of the symmetric
 * M = Σpp^{−1/2} Σpf Σff^{−1} Σfp Σpp^{−1/2} and the past directions are Σpp^{−1/2} times its unit
 * eigenvectors, every step by {@link jacobiEigen}. Σpp = Rp, Σfp = Q (F×P), Σff = Rf, each auto
 * moment with the relative ridge ε·mean(diag)·I of docs/method.md §1 (ε = 0 for population moments).
 * Signs are left as the eigensolver gives them: the caller applies its sign rule.
 */
export function textbookCca(Rp: Mat, Q: Mat, Rf: Mat, ridge = 1e-10): TextbookCca {
  const regularize = (R: Mat): Mat => {
    const shift = ridge * R.reduce((s, row, i) => s + row[i], 0) / R.length;
    return R.map((row, i) => row.map((x, j) => (i === j ? x + shift : x)));
  };
  const pastInverseRoot = symmetricFunction(regularize(Rp), (l) => 1 / Math.sqrt(l));
  const futureInverse = symmetricFunction(regularize(Rf), (l) => 1 / l);
  const M = matMul(matMul(matMul(matMul(pastInverseRoot, transpose(Q)), futureInverse), Q), pastInverseRoot);
  const { values, vectors } = jacobiEigen(M);
  return {
    correlations: values.map((v) => Math.sqrt(Math.max(v, 0))),
    pastDirections: values.map((_, k) => pastInverseRoot.map((row) => row.reduce((s, x, j) => s + x * vectors[j][k], 0))),
  };
}
