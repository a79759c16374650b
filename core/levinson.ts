/**
 * The Levinson–Durbin recursion: every autoregressive (AR) model order at once from an
 * autocovariance, in O(P²) for orders 0 … P (Durbin 1960; Brockwell & Davis, *Time Series: Theory
 * and Methods*, §5.2).
 *
 * For a stationary process with autocovariance r₀, r₁, …, the best linear predictor of y_t from its
 * p previous samples is ŷ_t = Σ_{k=1}^{p} a_{p,k} y_{t−k}, with innovation (one-step prediction
 * error) variance σ²_p. Starting from σ²₀ = r₀:
 *   κ_p = (r_p − Σ_{k=1}^{p−1} a_{p−1,k} r_{p−k}) / σ²_{p−1}     (reflection coefficient = partial autocorrelation)
 *   a_{p,k} = a_{p−1,k} − κ_p a_{p−1,p−k},  a_{p,p} = κ_p
 *   σ²_p = σ²_{p−1} (1 − κ_p²).
 * The σ²_p are also the Cholesky pivots of the Toeplitz matrix [r_|i−j|], so
 * log det [r_|i−j|]_{n×n} = Σ_{k<n} log σ²_k (used by core/memory.ts).
 */
import { DegenerateDataError } from './errors';
import { requireFiniteArray, requireInt } from './validate';

/**
 * σ²_p at or below this fraction of r₀ is round-off (≈ 500 machine epsilons; the CCA's ridge keeps
 * its matrices 1000× above it): the Toeplitz matrix of order p counts as singular.
 */
export const LEVINSON_ROUNDOFF = 1e-13;

/** Result of {@link levinsonDurbin}. */
export interface LevinsonResult {
  /** σ²_p for p = 0 … order (entry p), input units squared; non-increasing. */
  readonly innovationVariances: Float64Array;
  /** κ_p for p = 1 … order (entry p − 1); |κ_p| < 1. */
  readonly reflectionCoefficients: Float64Array;
  /** a_{order,1} … a_{order,order}: the AR coefficients of the highest order (y_t ≈ Σ a_k y_{t−k}). */
  readonly coefficients: Float64Array;
  /**
   * Highest order reached: `maxOrder`, or less when the recursion met |κ| ≥ 1 or σ² ≤ 1e-13·r₀ (the
   * Toeplitz matrix of the next order is not positive definite: a deterministic signal, or an
   * estimate that is not positive semi-definite).
   */
  readonly order: number;
}

/**
 * Runs the Levinson–Durbin recursion up to `maxOrder`.
 * @param autocovariance r₀ … r_K (K ≥ maxOrder), finite.
 * @param maxOrder largest AR order P (default K).
 * @throws ConfigError for non-finite values or a maxOrder beyond K; DegenerateDataError when r₀ ≤ 0
 *   (a zero signal has no AR model).
 */
export function levinsonDurbin(autocovariance: ArrayLike<number>, maxOrder = autocovariance.length - 1): LevinsonResult {
  const r = requireFiniteArray('autocovariance', autocovariance, { minLength: 1 });
  const P = requireInt('maxOrder', maxOrder, { min: 0, max: r.length - 1 });
  if (!(r[0] > 0)) throw new DegenerateDataError(`the autocovariance at lag 0 (the power) is ${r[0]}; an AR model needs a positive power`);
  const variances = new Float64Array(P + 1);
  const reflections = new Float64Array(P);
  let a = new Float64Array(P + 1); // a[1 … p]
  let next = new Float64Array(P + 1);
  variances[0] = r[0];
  let order = 0;
  for (let p = 1; p <= P; p++) {
    let acc = r[p];
    for (let k = 1; k < p; k++) acc -= a[k] * r[p - k];
    const kappa = acc / variances[p - 1];
    const variance = variances[p - 1] * (1 - kappa * kappa);
    if (!(Math.abs(kappa) < 1) || !(variance > LEVINSON_ROUNDOFF * r[0])) break;
    for (let k = 1; k < p; k++) next[k] = a[k] - kappa * a[p - k];
    next[p] = kappa;
    [a, next] = [next, a];
    reflections[p - 1] = kappa;
    variances[p] = variance;
    order = p;
  }
  return {
    innovationVariances: variances.slice(0, order + 1),
    reflectionCoefficients: reflections.slice(0, order),
    coefficients: a.slice(1, order + 1),
    order,
  };
}
