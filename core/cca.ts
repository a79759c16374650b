/**
 * Past–future canonical correlation analysis (docs/method.md §1, paper Eqs. 6–8).
 *
 * Local names: P = C·m, F = C·h; Rp, Q, Rf the moment matrices; Wp, Wf whitening transforms with
 * Wp·Rp·Wpᵀ = I; W = Wf·Q·Wpᵀ = U S Vᵀ (thin SVD). Past filters are the rows of Vᵀ·Wp, future
 * directions the rows of Uᵀ·Wf, canonical correlations the diagonal of S.
 */
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { DegenerateDataError } from './errors';
import { regularizedWhitening, toMatrix } from './linalg';
import { LaggedMoments, MomentMatrices } from './moments';
import { mutualInformationBits, mutualInformationNats } from './metrics';
import { requireFinite, requireInt, requireOneOf } from './validate';

/**
 * Condition number (λmax/λmin of Rp or Rf before the ridge, {@link CcaFit.conditionNumber}) above
 * which a fit carries an ill-conditioning warning: beyond it the smallest directions are set by the
 * ridge rather than by the data (a noiseless, smooth signal; docs/method.md §1).
 */
export const CONDITION_WARNING_THRESHOLD = 1e12;

/** Options of {@link solvePastFutureCca}. */
export interface CcaOptions {
  /** ε: relative ridge added to each moment matrix, ε·mean(diag R)·I. Default 1e-10. */
  readonly ridge?: number;
  /** Number of canonical pairs to return (≤ min(C·m, C·h)). Default: all. */
  readonly rank?: number;
  /**
   * Sign convention: index of a past-filter tap (0 … C·m − 1) forced positive in every filter
   * (the T4 unit pins the centre L1 weight). Default: each filter's largest-|·| tap is positive.
   */
  readonly pinnedTap?: number | null;
  /** Whitening transform: symmetric inverse square root (default) or inverse Cholesky factor. */
  readonly whitening?: 'eigen' | 'cholesky';
}

/** Defaults of {@link CcaOptions}: relative ridge ε = 1e-10, largest-tap sign rule, symmetric eigen-whitening (docs/method.md §1). */
export const DEFAULT_CCA_OPTIONS = { ridge: 1e-10, pinnedTap: null, whitening: 'eigen' } as const;

/** A solved past–future CCA. Immutable; only produced by {@link solvePastFutureCca}. */
export interface CcaFit {
  /** ρ_i, descending, length `rank`. */
  readonly correlations: Float64Array;
  /** ψ_i: `rank` rows of C·m taps, newest first within each channel, channel-major. */
  readonly pastFilters: Float64Array[];
  /** Future directions: `rank` rows of C·h weights, chronological, channel-major. */
  readonly futureDirections: Float64Array[];
  /** Cumulative information I_k kept by the first k pairs, nats (entry k − 1). */
  readonly mutualInformationNats: Float64Array;
  /** The same in bits. */
  readonly mutualInformationBits: Float64Array;
  /** λmax/λmin of Rp and Rf before the ridge (eigenvalues below round-off count as round-off; finite). */
  readonly conditionNumber: { readonly past: number; readonly future: number };
  /** Pairs behind the fit and their effective weight N. */
  readonly pairs: number;
  readonly weight: number;
  readonly channels: number;
  readonly pastLags: number;
  readonly futureLags: number;
  readonly centered: boolean;
  /** Trouble that still gave a result (ill conditioning, too few pairs). */
  readonly warnings: string[];
}

/**
 * Solves the past–future CCA of accumulated moments.
 * @param source a {@link LaggedMoments} accumulator, or its {@link MomentMatrices} plus `channels`.
 * @throws NotEnoughDataError without pairs; DegenerateDataError for an all-zero (or, centered,
 *   constant) signal; ConfigError for bad options.
 */
export function solvePastFutureCca(source: LaggedMoments | (MomentMatrices & { channels: number }), options: CcaOptions = {}): CcaFit {
  const moments = source instanceof LaggedMoments ? source.moments() : source;
  const channels = source instanceof LaggedMoments ? source.options.channels : requireInt('channels', source.channels, { min: 1 });
  const P = moments.pastDimension, F = moments.futureDimension;
  const maxRank = Math.min(P, F);
  const ridge = requireFinite('ridge', options.ridge ?? DEFAULT_CCA_OPTIONS.ridge, { min: 0, max: 1 });
  const rank = requireInt('rank', options.rank ?? maxRank, { min: 1, max: maxRank });
  const pinnedTap = options.pinnedTap ?? null;
  if (pinnedTap !== null) requireInt('pinnedTap', pinnedTap, { min: 0, max: P - 1 });
  const whitening = requireOneOf('whitening', options.whitening ?? DEFAULT_CCA_OPTIONS.whitening, ['eigen', 'cholesky']);
  const warnings: string[] = [];
  const label = moments.centered ? 'centered ' : '';

  const past = regularizedWhitening(toMatrix(P, P, moments.pastMoment), ridge, whitening, `the ${label}past moment matrix Rp`);
  const future = regularizedWhitening(toMatrix(F, F, moments.futureMoment), ridge, whitening, `the ${label}future moment matrix Rf`);
  for (const [name, value] of [['Rp', past.conditionNumber], ['Rf', future.conditionNumber]] as const) {
    if (value > CONDITION_WARNING_THRESHOLD) {
      warnings.push(`${name} is ill-conditioned (condition number ${value.toExponential(2)} > 1e12); the smallest directions are set by the ridge`);
    }
  }
  if (moments.pairs < P) {
    warnings.push(`fewer pairs (${moments.pairs}) than past dimensions (${P}): Rp is singular and the result is regularized by the ridge`);
  } else if (Number.isFinite(moments.pairs) && moments.weight < P) {
    warnings.push(`the effective pair count under forgetting (${moments.weight.toPrecision(3)}) is below the past dimension (${P}): lengthen the time constant`);
  }

  const Q = toMatrix(F, P, moments.futurePastMoment);
  const W = future.whitener.mmul(Q).mmul(past.whitener.transpose());
  const svd = new SingularValueDecomposition(W, { autoTranspose: true });
  const singular = svd.diagonal;
  const U = svd.leftSingularVectors, V = svd.rightSingularVectors;
  const order = singular.map((_, i) => i).sort((i, j) => singular[j] - singular[i]);

  const correlations = new Float64Array(rank);
  const pastFilters: Float64Array[] = [];
  const futureDirections: Float64Array[] = [];
  let clipped = false;
  for (let r = 0; r < rank; r++) {
    const k = order[r];
    let rho = singular[k];
    if (rho > 1) { clipped = clipped || rho > 1 + 1e-9; rho = 1; }
    correlations[r] = rho;
    const filter = rowTimes(V.getColumn(k), past.whitener);
    const direction = rowTimes(U.getColumn(k), future.whitener);
    if (signOf(filter, pinnedTap) < 0) { negate(filter); negate(direction); }
    pastFilters.push(filter);
    futureDirections.push(direction);
  }
  if (clipped) warnings.push('a canonical correlation exceeded 1 by more than round-off and was clipped to 1');
  for (const row of [correlations, ...pastFilters, ...futureDirections]) {
    if (!row.every(Number.isFinite)) throw new DegenerateDataError('the CCA produced non-finite values; the moments are degenerate (try a larger ridge)');
  }
  return {
    correlations, pastFilters, futureDirections,
    mutualInformationNats: mutualInformationNats(correlations),
    mutualInformationBits: mutualInformationBits(correlations),
    conditionNumber: { past: past.conditionNumber, future: future.conditionNumber },
    pairs: moments.pairs, weight: moments.weight, channels,
    pastLags: P / channels, futureLags: F / channels, centered: moments.centered, warnings,
  };
}

/** vᵀ·M as a Float64Array (v a column vector of length M.rows). */
function rowTimes(vector: number[], matrix: Matrix): Float64Array {
  const out = new Float64Array(matrix.columns);
  for (let i = 0; i < matrix.rows; i++) {
    const vi = vector[i];
    if (vi === 0) continue;
    for (let j = 0; j < matrix.columns; j++) out[j] += vi * matrix.get(i, j);
  }
  return out;
}

/** Sign of the pinned tap, or of the largest-|·| tap (sklearn's svd_flip rule, docs/method.md §1). */
export function signOf(filter: ArrayLike<number>, pinnedTap: number | null): number {
  if (pinnedTap !== null && filter[pinnedTap] !== 0) return Math.sign(filter[pinnedTap]);
  let best = 0;
  for (let i = 1; i < filter.length; i++) if (Math.abs(filter[i]) > Math.abs(filter[best])) best = i;
  return filter[best] < 0 ? -1 : 1;
}

function negate(values: Float64Array): void {
  for (let i = 0; i < values.length; i++) values[i] = -values[i];
}

/**
 * Population CCA from exact moments (for analytic checks): builds the moment matrices of a
 * stationary scalar process from its autocovariance γ(0 … m + g + h − 1) and solves them.
 */
export function solveFromAutocovariance(autocovariance: ArrayLike<number>, pastLags: number, futureLags: number, gap = 0, options: CcaOptions = {}): CcaFit {
  const m = pastLags, h = futureLags, g = gap;
  if (autocovariance.length < m + g + h) throw new DegenerateDataError(`autocovariance needs ${m + g + h} lags (got ${autocovariance.length})`);
  const gamma = (lag: number): number => autocovariance[Math.abs(lag)];
  const pastMoment = new Float64Array(m * m), futurePastMoment = new Float64Array(h * m), futureMoment = new Float64Array(h * h);
  // p_k = y_{t−k}, f_j = y_{t+1+g+j}
  for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) pastMoment[i * m + k] = gamma(i - k);
  for (let j = 0; j < h; j++) for (let k = 0; k < m; k++) futurePastMoment[j * m + k] = gamma(1 + g + j + k);
  for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) futureMoment[i * h + j] = gamma(i - j);
  return solvePastFutureCca({
    pastMoment, futurePastMoment, futureMoment, pastDimension: m, futureDimension: h,
    pairs: Number.POSITIVE_INFINITY, weight: 1, centered: false, channels: 1,
  }, options);
}
