/**
 * Choosing the past length m from the data (issue 18, docs/memory.md): an autoregressive order by an
 * information criterion, and the past–future mutual information I(m) as a function of m.
 *
 * Both come from one autocovariance r₀ … r_{P+g+h−1} (core/autocovariance.ts) and one
 * Levinson–Durbin run (core/levinson.ts), so a choice costs O((P + h)²) whatever the stream length.
 *
 * **Order.** σ²_p, the innovation variance of the best AR(p) predictor, for p = 0 … P; with N
 * effective samples the Bayesian information criterion (Schwarz 1978)
 *   BIC(p) = ln σ²_p + p · ln N / N
 * (or Akaike's AIC(p) = ln σ²_p + 2p / N) is minimised over p. BIC is the default because it is
 * consistent: for a finite-order process it finds the true order with probability → 1 as N grows,
 * while AIC keeps a fixed chance (≈ 15–30 %) of overfitting the order; an overfit order costs the
 * learner C extra lags per step and more spurious canonical directions. The past length used by
 * `pastLags: 'auto'` is max(1, p̂): for an AR(p) process the last p samples are a sufficient past
 * (the process is Markov of order p), and canonical variate analysis (Larimore) takes the past
 * length from the AR order the same way.
 *
 * **Information.** For Gaussian past–future CCA the information between a past of m samples and
 * the future f of h samples (after a gap of g) is I(m) = −½ Σ_i ln(1 − ρ_i²) = ½ ln(det Rp · det Rf /
 * det J), J the covariance of the joint vector [p; f] (paper Eq. 8 summed over all ranks). For a
 * stationary process every matrix is Toeplitz in r, and with g = 0 the joint vector is h + m
 * consecutive samples, so with L(n) = log det [r_|i−j|]_{n×n} = Σ_{k<n} ln σ²_k,
 *   I(m) = ½ [L(m) + L(h) − L(m + h)] = ½ Σ_{k<h} ln(σ²_k / σ²_{m+k})      (nats).
 * For g > 0, L of the joint vector comes from one Cholesky factorisation of the (h + P)-square
 * joint matrix ordered [f; y_t, y_{t−1}, …] (its leading blocks are the joints of every m).
 * For an AR(p) process σ²_k is constant from k = p on, so I(m) is exactly flat from m = p.
 *
 * **Chance level.** A finite sample adds spurious information: each sample partial autocorrelation
 * κ̂_j of an order the process does not need is ≈ N(0, 1/N), I(m) above sums ½ ln(1/(1 − κ̂_j²)) ≈ κ̂_j²/2
 * over m·h pairs (k, j), so E I(m) ≈ I_true(m) + m·h/(2N) (the same m·h/(2N) as the CCA of m + h
 * independent samples). With P = 200, h = 25 and N = 10⁶ that is 0.0025 nats, against 0.10 nats for the
 * paper's OU example: the raw curve never flattens (its 99 % point comes out at m ≈ 125, the
 * population's at 8). The saturation
 * points are therefore read on the chance-corrected curve Ĩ(m) = I(m) − m·h/(2N)
 * (`correctedInformationNats`); the raw curve is reported too.
 */
import { levinsonDurbin } from './levinson';
import { requireFinite, requireFiniteArray, requireInt, requireOneOf } from './validate';

/** Largest past length P considered by default (issue 18). */
export const DEFAULT_MAX_PAST_LAGS = 200;
/** Fractions of I(P) whose reaching point is reported. */
export const SATURATION_FRACTIONS = [0.95, 0.99] as const;

/** Information criterion choosing the AR order: BIC (consistent) or AIC. */
export type OrderCriterion = 'bic' | 'aic';

/** Options of {@link estimateMemory}. */
export interface MemoryOptions {
  /** P: largest AR order and past length considered. Default {@link DEFAULT_MAX_PAST_LAGS}. */
  readonly maxPastLags?: number;
  /** h: future samples of the information curve. */
  readonly futureLags: number;
  /** g: samples between the newest past and the first future sample. Default 0. */
  readonly gap?: number;
  /** N of the criterion (AutocovarianceEstimate.effectiveSamples), > 1. */
  readonly effectiveSamples: number;
  /** Default 'bic'. */
  readonly criterion?: OrderCriterion;
  /** ε: r₀ is loaded by (1 + ε), the relative ridge of the CCA (core/cca.ts). Default 1e-10. */
  readonly ridge?: number;
}

/** The memory choice and the curves behind it. Plain data; JSON-safe via {@link memoryToJSON}. */
export interface MemoryEstimate {
  readonly criterion: OrderCriterion;
  /** p̂: the order minimising the criterion (0 … P). */
  readonly order: number;
  /** max(1, p̂): the past length m that `pastLags: 'auto'` uses. */
  readonly pastLags: number;
  /** Criterion value for p = 0 … P (entry p); +∞ for orders the recursion could not reach. */
  readonly criterionValues: Float64Array;
  /** σ²_p, p = 0 … P (input units squared; entries past a breakdown repeat the last one reached). */
  readonly innovationVariances: Float64Array;
  /** I(m) in nats for m = 1 … (entry m − 1), up to P unless the recursion broke down earlier. */
  readonly informationNats: Float64Array;
  /** Ĩ(m) = I(m) − m·h/(2N): I(m) less its expected chance part (module comment). */
  readonly correctedInformationNats: Float64Array;
  /** Smallest m with Ĩ(m) ≥ 95 % of Ĩ(P) (the last entry). */
  readonly saturation95: number;
  /** Smallest m with Ĩ(m) ≥ 99 % of Ĩ(P). */
  readonly saturation99: number;
  /** m·h/(2N) at m = P: the I(P) a white-noise input of the same length would show. */
  readonly chanceInformationNats: number;
  readonly maxPastLags: number;
  readonly futureLags: number;
  readonly gap: number;
  readonly effectiveSamples: number;
  readonly warnings: string[];
}

/** Autocovariance lags {@link estimateMemory} needs: r₀ … r_{P+g+h−1}. */
export function memoryAutocovarianceLags(maxPastLags: number, futureLags: number, gap = 0): number {
  return maxPastLags + gap + futureLags - 1;
}

/**
 * Chooses the past length and computes the information curve from an autocovariance.
 * @param autocovariance r₀ … r_{P+g+h−1} at least (input units squared).
 * @throws ConfigError for bad options or too short an autocovariance; DegenerateDataError when r₀ ≤ 0.
 */
export function estimateMemory(autocovariance: ArrayLike<number>, options: MemoryOptions): MemoryEstimate {
  const P = requireInt('maxPastLags', options.maxPastLags ?? DEFAULT_MAX_PAST_LAGS, { min: 1 });
  const h = requireInt('futureLags', options.futureLags, { min: 1 });
  const g = requireInt('gap', options.gap ?? 0, { min: 0 });
  const N = requireFinite('effectiveSamples', options.effectiveSamples, { min: 1, exclusiveMin: true });
  const criterion = requireOneOf('criterion', options.criterion ?? 'bic', ['bic', 'aic']);
  const ridge = requireFinite('ridge', options.ridge ?? 1e-10, { min: 0, max: 1 });
  const needed = memoryAutocovarianceLags(P, h, g) + 1;
  const r = requireFiniteArray('autocovariance', autocovariance, { minLength: needed });
  const loaded = r.slice(0, needed);
  loaded[0] *= 1 + ridge;
  const warnings: string[] = [];

  // σ²_k up to k = P + h − 1 (g = 0: the joints are Toeplitz) or max(P, h) (g > 0: Cholesky below)
  const levinson = levinsonDurbin(loaded, g === 0 ? P + h - 1 : Math.max(P, h));
  const sigma2 = levinson.innovationVariances;
  const reached = levinson.order;

  const criterionValues = orderCriterion(sigma2.subarray(0, Math.min(P, reached) + 1), N, criterion, P);
  let order = 0;
  for (let p = 1; p <= P; p++) if (criterionValues[p] < criterionValues[order]) order = p;
  if (reached < P) warnings.push(`the AR recursion stopped at order ${reached} < ${P} (the input is nearly deterministic or its autocovariance estimate is not positive definite); orders above it were not considered`);
  const innovationVariances = new Float64Array(P + 1);
  for (let p = 0; p <= P; p++) innovationVariances[p] = sigma2[Math.min(p, reached)];

  const informationNats = g === 0 ? informationFromVariances(sigma2, P, h) : informationByCholesky(loaded, sigma2, P, h, g);
  if (informationNats.length < P) warnings.push(`I(m) is computed up to m = ${informationNats.length} only (the joint past–future covariance is singular beyond)`);
  const last = informationNats.length > 0 ? informationNats[informationNats.length - 1] : 0;
  const chanceInformationNats = (informationNats.length * h) / (2 * N);
  const correctedInformationNats = informationNats.map((value, i) => value - ((i + 1) * h) / (2 * N));
  if (last < 3 * chanceInformationNats) {
    warnings.push(`I(${informationNats.length}) = ${last.toPrecision(3)} nats is within 3× the level a white-noise input of ${Math.round(N)} samples would show (${chanceInformationNats.toPrecision(3)} nats): the saturation points mostly measure sampling noise`);
  }
  if (N < 10 * P) warnings.push(`${Math.round(N)} effective samples for orders up to ${P}: the order estimate is unreliable below about 10·P samples`);
  return {
    criterion, order, pastLags: Math.max(1, order), criterionValues, innovationVariances, informationNats, correctedInformationNats,
    saturation95: saturationLag(correctedInformationNats, SATURATION_FRACTIONS[0]),
    saturation99: saturationLag(correctedInformationNats, SATURATION_FRACTIONS[1]),
    chanceInformationNats, maxPastLags: P, futureLags: h, gap: g, effectiveSamples: N, warnings,
  };
}

/**
 * BIC(p) = ln σ²_p + p ln N / N or AIC(p) = ln σ²_p + 2p / N for p = 0 … length − 1, padded with +∞
 * up to `maxOrder` (orders the recursion did not reach).
 */
export function orderCriterion(innovationVariances: ArrayLike<number>, effectiveSamples: number, criterion: OrderCriterion, maxOrder = innovationVariances.length - 1): Float64Array {
  const N = effectiveSamples;
  const penalty = criterion === 'bic' ? Math.log(N) / N : 2 / N;
  const out = new Float64Array(maxOrder + 1).fill(Number.POSITIVE_INFINITY);
  for (let p = 0; p < Math.min(innovationVariances.length, maxOrder + 1); p++) out[p] = Math.log(innovationVariances[p]) + p * penalty;
  return out;
}

/**
 * Smallest m (1-based) with information[m − 1] ≥ fraction · (last entry); 0 for an empty curve,
 * and 1 when the last entry is ≤ 0 (no information beyond chance: any past will do).
 */
export function saturationLag(information: ArrayLike<number>, fraction: number): number {
  if (information.length === 0) return 0;
  const target = fraction * information[information.length - 1];
  if (!(target > 0)) return 1;
  for (let m = 1; m <= information.length; m++) if (information[m - 1] >= target) return m;
  return information.length;
}

/**
 * I(m) = ½ Σ_{k<h} ln(σ²_k / σ²_{m+k}), m = 1 … P (g = 0), from innovation variances σ²_0 … σ²_{P+h−1};
 * shorter when fewer variances are available (recursion breakdown).
 */
export function informationFromVariances(innovationVariances: ArrayLike<number>, maxPastLags: number, futureLags: number): Float64Array {
  const h = futureLags;
  const M = Math.min(maxPastLags, innovationVariances.length - h);
  const logs = Float64Array.from(innovationVariances, Math.log);
  const out = new Float64Array(Math.max(0, M));
  for (let m = 1; m <= M; m++) {
    let sum = 0;
    for (let k = 0; k < h; k++) sum += logs[k] - logs[m + k];
    out[m - 1] = 0.5 * sum;
  }
  return out;
}

/**
 * I(m) for a gap g > 0: one Cholesky factorisation of the joint covariance of
 * [y_{t+1+g}, …, y_{t+g+h}, y_t, y_{t−1}, …, y_{t−P+1}] gives log det of every leading block, i.e.
 * of the joint of f with the m newest past samples; Rp's and Rf's log dets come from the Levinson
 * variances. O((h + P)³ / 6).
 */
function informationByCholesky(r: Float64Array, sigma2: Float64Array, P: number, h: number, g: number): Float64Array {
  const n = h + P;
  // index i < h: f_{i+1} = y_{t+1+g+i}; index h + k: p_{k+1} = y_{t−k}; time of each
  const time = (i: number): number => (i < h ? 1 + g + i : -(i - h));
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) L[i * n + j] = r[Math.abs(time(i) - time(j))];
  const logPivots = new Float64Array(n);
  let valid = n;
  for (let j = 0; j < n; j++) {
    let d = L[j * n + j];
    for (let k = 0; k < j; k++) d -= L[j * n + k] * L[j * n + k];
    if (!(d > 0)) { valid = j; break; }
    const root = Math.sqrt(d);
    L[j * n + j] = root;
    logPivots[j] = Math.log(d);
    for (let i = j + 1; i < n; i++) {
      let s = L[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / root;
    }
  }
  const logVariance = (k: number): number => Math.log(sigma2[Math.min(k, sigma2.length - 1)]);
  let logDetFuture = 0;
  for (let k = 0; k < h; k++) logDetFuture += logVariance(k);
  const M = Math.min(P, valid - h, sigma2.length);
  const out = new Float64Array(Math.max(0, M));
  let logDetPast = 0, logDetJoint = 0;
  for (let i = 0; i < h; i++) logDetJoint += logPivots[i];
  for (let m = 1; m <= M; m++) {
    logDetPast += logVariance(m - 1);
    logDetJoint += logPivots[h + m - 1];
    out[m - 1] = 0.5 * (logDetPast + logDetFuture - logDetJoint);
  }
  return out;
}

/** JSON-safe form of a {@link MemoryEstimate}: the same fields, plain arrays; +∞ criterion values become null. */
export type MemoryEstimateJSON = {
  readonly [K in Exclude<keyof MemoryEstimate, 'criterionValues'>]: MemoryEstimate[K] extends Float64Array ? number[] : MemoryEstimate[K];
} & { readonly criterionValues: (number | null)[] };

/** MemoryEstimate → plain JSON (for messages, `resu learn`, results.json). */
export function memoryToJSON(estimate: MemoryEstimate): MemoryEstimateJSON {
  return {
    ...estimate,
    criterionValues: Array.from(estimate.criterionValues, (x) => (Number.isFinite(x) ? x : null)),
    innovationVariances: Array.from(estimate.innovationVariances),
    informationNats: Array.from(estimate.informationNats),
    correctedInformationNats: Array.from(estimate.correctedInformationNats),
    warnings: [...estimate.warnings],
  };
}
