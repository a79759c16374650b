/**
 * Information and selectivity measures.
 */

/** Largest ρ² used in the information formula: keeps I finite (≈ 17.3 nats per component) for ρ → 1. */
export const MAX_SQUARED_CORRELATION = 1 - 1e-15;

/**
 * Cumulative mutual information kept by the first k canonical pairs (paper Eq. 8),
 * I_k = −½ Σ_{i≤k} ln(1 − ρ_i²), in nats; entry k−1 is I_k.
 */
export function mutualInformationNats(correlations: ArrayLike<number>): Float64Array {
  const out = new Float64Array(correlations.length);
  let total = 0;
  for (let i = 0; i < correlations.length; i++) {
    const squared = Math.min(correlations[i] * correlations[i], MAX_SQUARED_CORRELATION);
    total += -0.5 * Math.log1p(-squared);
    out[i] = total;
  }
  return out;
}

/** {@link mutualInformationNats} in bits (÷ ln 2). */
export function mutualInformationBits(correlations: ArrayLike<number>): Float64Array {
  return mutualInformationNats(correlations).map((nats) => nats / Math.LN2);
}

/**
 * Direction selectivity index (R_pref − R_null)/(R_pref + R_null) on rectified peak responses
 * (negative peaks count as 0). NaN when both are 0: with no response at all the index is undefined,
 * and a 0 would read as "responds equally to both directions".
 */
export function directionSelectivityIndex(preferredPeak: number, nullPeak: number): number {
  const pref = Math.max(0, preferredPeak), nul = Math.max(0, nullPeak);
  return pref + nul === 0 ? NaN : (pref - nul) / (pref + nul);
}
