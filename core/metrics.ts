/**
 * Information and selectivity measures.
 */
import { ConfigError } from './errors';
import { angleBetweenDeg, unitVectorDeg } from './stimuli/lattice';
import { requireFinite } from './validate';

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
 * cos ∠(a, b) = a·b / (|a| |b|) of two vectors of equal length (e.g. two filters' taps); 0 when
 * either is zero. @throws ConfigError when the lengths differ.
 */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new ConfigError('b', `${b.length} values`, `${a.length} values, as many as a`);
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
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

/** A direction tuning curve summarized (docs/motion-2d.md). */
export interface DirectionTuningSummary {
  /** |Σ r(θ) e^{iθ}| / Σ |r(θ)| (the vector DSI flyvis reports): 0 untuned … 1 responds to one direction only; NaN without any response. */
  readonly vectorDsi: number;
  /** arg Σ r(θ) e^{iθ} in [0, 360), degrees; null when the vector sum is 0. */
  readonly preferredDirectionDeg: number | null;
  /** The probed direction with the largest response, degrees. */
  readonly peakDirectionDeg: number;
  /** (R_pref − R_null)/(R_pref + R_null): R_pref the largest response, R_null the response 180° from it; NaN without any response. */
  readonly dsi: number;
}

/**
 * Summarizes rectified responses r(θ) to motion in directions θ (degrees, each opposite direction
 * probed too, e.g. 8 or 12 evenly spaced).
 * @throws ConfigError for mismatched lengths, non-finite values, or a peak direction whose opposite was not probed.
 */
export function summarizeDirectionTuning(directionsDeg: readonly number[], responses: readonly number[]): DirectionTuningSummary {
  if (!Array.isArray(directionsDeg) || !Array.isArray(responses) || directionsDeg.length === 0 || directionsDeg.length !== responses.length) {
    throw new ConfigError('responses', responses, `one response per direction (${Array.isArray(directionsDeg) ? directionsDeg.length : 0} directions)`);
  }
  directionsDeg.forEach((d, i) => requireFinite(`directionsDeg[${i}]`, d));
  responses.forEach((r, i) => requireFinite(`responses[${i}]`, r));
  let re = 0, im = 0, total = 0, peak = 0;
  directionsDeg.forEach((deg, i) => {
    const [cos, sin] = unitVectorDeg(deg);
    re += responses[i] * cos; im += responses[i] * sin; total += Math.abs(responses[i]);
    if (responses[i] > responses[peak]) peak = i;
  });
  const length = Math.hypot(re, im);
  const wrap = (deg: number): number => { const w = ((deg % 360) + 360) % 360; return w > 360 - 1e-9 ? 0 : w; }; // 359.99999999999983 is 0
  const preferred = length > 0 ? wrap((Math.atan2(im, re) * 180) / Math.PI) : null;
  const opposite = directionsDeg.findIndex((deg) => angleBetweenDeg(deg, directionsDeg[peak] + 180) < 1e-6);
  if (opposite < 0) throw new ConfigError('directionsDeg', directionsDeg, `directions that include ${wrap(directionsDeg[peak] + 180)}°, the opposite of the peak direction`);
  return {
    vectorDsi: total > 0 ? length / total : NaN,
    preferredDirectionDeg: preferred,
    peakDirectionDeg: wrap(directionsDeg[peak]),
    dsi: directionSelectivityIndex(responses[peak], responses[opposite]),
  };
}
