/**
 * Linear prediction of a stationary signal from its autocovariance (Levinson–Durbin), and the
 * prediction-error preconditioner of the online rule (docs/online-learning.md §2).
 *
 * Why: the lag vector of a smooth signal has a badly conditioned second-moment matrix R (natural
 * scenes at m = 50: eigenvalues from 23 down to 0.0024), and a gradient rule learns the direction
 * of eigenvalue λ at a rate ∝ λ. Replacing each lag by its order-q prediction error (divided by the
 * error variance) whitens the vector approximately, P = Tᵀ D⁻¹ T ≈ R⁻¹ with T unit triangular and
 * banded (q + 1 diagonals): the condition number of P·R drops to ~14 at q = 4 on the same scenes.
 * The rule multiplies its updates by P; because P is invertible, its fixed points do not depend on
 * P (only the speed does).
 */
import { requireInt } from './validate';

/** Largest prediction order. */
export const MAX_PREDICTION_ORDER = 64;
/** Reflection coefficients are clamped to ±(1 − this), so every error variance stays positive. */
const REFLECTION_MARGIN = 1e-3;

/**
 * Levinson–Durbin recursion on autocovariances r_0 … r_q: the forward predictors of every order
 * j ≤ q, y_t ≈ Σ_{l=1..j} a_j[l] y_{t−l}, and their error variances E_j. For a stationary real
 * signal the backward predictor (an older sample from newer ones) has the same coefficients.
 * A non-positive r_0 (silence) gives the identity: no prediction, E_j = 1.
 * Not `levinsonDurbin` (core/levinson.ts, the order choice): a preconditioner needs every
 * order's coefficients (its last rows use lower orders), a fixed order q whatever the data (reflection
 * coefficients are clamped instead of stopping at a breakdown) and no allocation per refresh.
 */
export class LinearPredictor {
  readonly order: number;
  /** coefficients[j·(q+1) + l] = a_j[l], 1 ≤ l ≤ j. */
  readonly coefficients: Float64Array;
  /** errorVariances[j] = E_j. */
  readonly errorVariances: Float64Array;

  constructor(order: number) {
    this.order = requireInt('order', order, { min: 0, max: MAX_PREDICTION_ORDER });
    this.coefficients = new Float64Array((order + 1) * (order + 1));
    this.errorVariances = new Float64Array(order + 1).fill(1);
  }

  /** Recomputes every order from r_0 … r_q (length ≥ q + 1; only read). */
  setAutocovariance(r: ArrayLike<number>): void {
    const q = this.order, a = this.coefficients, E = this.errorVariances;
    a.fill(0);
    if (!(r[0] > 0) || !Number.isFinite(r[0])) { E.fill(1); return; }
    E[0] = r[0];
    const width = q + 1;
    for (let j = 1; j <= q; j++) {
      const previous = (j - 1) * width, current = j * width;
      let acc = r[j];
      for (let l = 1; l < j; l++) acc -= a[previous + l] * r[j - l];
      let kappa = acc / E[j - 1];
      if (!Number.isFinite(kappa)) kappa = 0;
      kappa = Math.max(-1 + REFLECTION_MARGIN, Math.min(1 - REFLECTION_MARGIN, kappa));
      for (let l = 1; l < j; l++) a[current + l] = a[previous + l] - kappa * a[previous + j - l];
      a[current + j] = kappa;
      E[j] = E[j - 1] * (1 - kappa * kappa);
    }
  }
}

/**
 * Applies P = Tᵀ D⁻¹ T to vectors of a fixed length n, where row k of T is the prediction error
 * of entry k from entries k + 1 … k + j (j = min(q, n − 1 − k): the last entries have fewer
 * successors and use lower orders) and D = diag(E_j). Index order is time order in one direction
 * (newest-first past vectors and chronological future vectors both work: see LinearPredictor).
 */
export class PredictionErrorPreconditioner {
  private readonly errors: Float64Array;

  constructor(readonly length: number, readonly predictor: LinearPredictor) {
    this.errors = new Float64Array(length);
  }

  /**
   * out = P·v (out must not alias v). Returns vᵀ P v = Σ_k e_k² / E_j, the squared norm of the
   * whitened vector (≈ its length on average when P ≈ R⁻¹).
   */
  apply(v: ArrayLike<number>, offset: number, out: Float64Array, outOffset: number): number {
    const n = this.length, q = this.predictor.order, width = q + 1;
    const a = this.predictor.coefficients, E = this.predictor.errorVariances, e = this.errors;
    // entries 0 … n − 1 − q use the full order q (one coefficient row: the hot loop); the last q
    // entries have fewer successors and use lower orders
    const interior = Math.max(0, n - q), full = q * width, inverseFull = 1 / E[q];
    let norm = 0;
    for (let k = 0; k < interior; k++) {
      let x = v[offset + k];
      for (let l = 1; l <= q; l++) x -= a[full + l] * v[offset + k + l];
      const scaled = x * inverseFull;
      e[k] = scaled;
      norm += x * scaled;
    }
    for (let k = interior; k < n; k++) {
      const j = n - 1 - k, row = j * width;
      let x = v[offset + k];
      for (let l = 1; l <= j; l++) x -= a[row + l] * v[offset + k + l];
      const scaled = x / E[j];
      e[k] = scaled;
      norm += x * scaled;
    }
    // out = Tᵀ e: out[k] = e[k] − Σ_l a_{j(k−l)}[l] e[k − l]
    for (let k = 0; k < n; k++) out[outOffset + k] = e[k];
    for (let k = 0; k < interior; k++) {
      const x = e[k];
      for (let l = 1; l <= q; l++) out[outOffset + k + l] -= a[full + l] * x;
    }
    for (let k = interior; k < n; k++) {
      const j = n - 1 - k, row = j * width, x = e[k];
      for (let l = 1; l <= j; l++) out[outOffset + k + l] -= a[row + l] * x;
    }
    return norm;
  }
}
