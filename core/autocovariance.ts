/**
 * Streaming autocovariance r₀ … r_K of a scalar process observed as one or more series (scene rows,
 * pixels, draws), at O(K) work per sample: the input of the automatic memory choice
 * (docs/memory.md, core/memory.ts).
 *
 * Estimator (the "biased" one of Yule–Walker, the autocorrelation method): with weights w_t,
 *   r_d = c_d · Σ_t w_t (y_t − μ)(y_{t−d} − μ) / Σ_t w_t,   d = 0 … K,
 * where the numerator runs over the samples t whose lag-d partner y_{t−d} lies in the same series,
 * the denominator over all samples, μ = Σ w_t y_t / Σ w_t when centering and μ = 0 otherwise
 * (uncentered, as the learner's moments by default). Dividing every lag by the same total keeps the
 * Toeplitz matrix [r_|i−j|] positive semi-definite, so the Levinson–Durbin recursion on it never
 * meets a reflection coefficient beyond ±1 (the "unbiased" ÷(N − d) estimate has no such guarantee).
 *
 * Weights: plain (timeConstantSamples = 0): w_t = 1. Exponential forgetting with time constant τ
 * samples: every new sample, of any series, multiplies the weight of all older ones by λ = e^(−1/τ),
 * and a product y_t·y_{t−d} carries the weight of its newer sample; c_d = λ^(d/2) then makes the
 * estimate the autocorrelation-method sum of the tapered sequence λ^(age/2)·y, positive
 * semi-definite again (exactly for one series; for interleaved series up to the ages of the other
 * series' samples in between, negligible when τ ≫ chunk length × series). Without forgetting c_d = 1.
 *
 * Series never mix: each keeps its last K samples between chunks, so any split of a stream into
 * chunks gives the same estimate (to round-off), and a product never pairs two series.
 * Cost: K + 1 multiply-adds per sample (2(K + 1) when centering); memory K doubles per open series.
 */
import { ConfigError, NotEnoughDataError, ShapeError } from './errors';
import { addLagProducts, MAX_OPEN_SERIES, MAX_SERIES_KEY_LENGTH, readChunkShared, requireSeriesKey } from './moments';
import { requireBoolean, requireFinite, requireFiniteArray, requireInt } from './validate';

/** Largest lag K (a series' tail holds K doubles; 4096 open series × 3000 lags = 98 MB). */
export const MAX_AUTOCOVARIANCE_LAG = 3000;

/** Options of {@link StreamingAutocovariance}. */
export interface AutocovarianceOptions {
  /** K: largest lag estimated, in samples. */
  readonly maxLag: number;
  /** τ in samples; 0 (default) weighs every sample 1. */
  readonly timeConstantSamples?: number;
  /** Subtract the (weighted) mean exactly at read-out. Default false. */
  readonly center?: boolean;
}

/** {@link AutocovarianceOptions} with every default filled in (`StreamingAutocovariance.options`). */
export type ResolvedAutocovarianceOptions = Required<AutocovarianceOptions>;

/** An autocovariance estimate. */
export interface AutocovarianceEstimate {
  /** r_0 … r_K (input units squared). */
  readonly values: Float64Array;
  /** Samples received (all series). */
  readonly samples: number;
  /** Σ w_t: equals `samples` without forgetting. */
  readonly weight: number;
  /**
   * Kish's effective sample count (Σw)²/Σw²: `samples` without forgetting, ≈ 2τ in the steady
   * state of exponential forgetting. The N of the order-selection criteria.
   */
  readonly effectiveSamples: number;
  readonly centered: boolean;
}

/** Versioned JSON-safe form of a {@link StreamingAutocovariance}. */
export interface AutocovarianceJSON {
  readonly format: 'resu-autocovariance';
  readonly version: 1;
  readonly options: ResolvedAutocovarianceOptions;
  readonly samples: number;
  readonly weight: number;
  readonly weightSquared: number;
  /** Offset subtracted from every sample when centering (null before the first sample). */
  readonly shift: number | null;
  /** Σ w_t y_t y_{t−d}, d = 0 … K. */
  readonly lagProducts: number[];
  /** Centering only: Σ w_t y_t over all samples, and per lag Σ w y_t, Σ w y_{t−d}, Σ w over the lag-d products. */
  readonly centering: { readonly sum: number; readonly newerSums: number[]; readonly olderSums: number[]; readonly lagWeights: number[] } | null;
  readonly openSeries: { readonly key: string; readonly tail: number[] }[];
}

interface SeriesTail {
  /** Last up to K samples (shifted when centering), oldest first. */
  values: Float64Array;
  length: number;
}

/** Largest [tail | chunk] work buffer kept for reuse between updates. */
const MAX_REUSED_WORK = 1 << 16;

/** Validates and fills in defaults. @throws ConfigError naming the field. */
export function resolveAutocovarianceOptions(options: AutocovarianceOptions): ResolvedAutocovarianceOptions {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  return {
    maxLag: requireInt('maxLag', options.maxLag, { min: 0, max: MAX_AUTOCOVARIANCE_LAG }),
    timeConstantSamples: requireFinite('timeConstantSamples', options.timeConstantSamples ?? 0, { min: 0, max: 1e12 }),
    center: requireBoolean('center', options.center ?? false),
  };
}

/**
 * Streaming autocovariance accumulator (see the module comment).
 * - `update(chunk, seriesKey)` appends samples to a series (one array of numbers).
 * - `endSeries(key)` closes a series; `estimate()` reads r₀ … r_K out; `reset()`, `toJSON()`.
 */
export class StreamingAutocovariance {
  readonly options: ResolvedAutocovarianceOptions;
  private readonly decay: number;
  private readonly lagProducts: Float64Array;
  // centering only (length 0 otherwise)
  private readonly newerSums: Float64Array;
  private readonly olderSums: Float64Array;
  private readonly lagWeights: Float64Array;
  private sum = 0;
  private weightTotal = 0;
  private weightSquared = 0;
  private samples = 0;
  private shift: number | null = null;
  private series = new Map<string, SeriesTail>();
  private work = new Float64Array(0);
  private weighted = new Float64Array(0);
  private weights = new Float64Array(0);
  /** Lag sums in reversed order (addProducts' scratch). */
  private readonly reversed: Float64Array;

  constructor(options: AutocovarianceOptions) {
    this.options = resolveAutocovarianceOptions(options);
    const { maxLag: K, timeConstantSamples: tau, center } = this.options;
    this.decay = tau > 0 ? Math.exp(-1 / tau) : 1;
    this.lagProducts = new Float64Array(K + 1);
    this.newerSums = new Float64Array(center ? K + 1 : 0);
    this.olderSums = new Float64Array(center ? K + 1 : 0);
    this.lagWeights = new Float64Array(center ? K + 1 : 0);
    this.reversed = new Float64Array(K + 1);
  }

  /** Samples received (all series). */
  get samplesSeen(): number { return this.samples; }
  /** Keys of the open series. */
  get openSeries(): string[] { return [...this.series.keys()]; }

  /**
   * Appends samples to series `seriesKey`. Validates the whole chunk first (a bad chunk changes nothing).
   * @param chunk one array of finite numbers (plain or typed).
   * @throws ConfigError for a value that is not finite or beyond the sample magnitude limit ±1e50 (naming
   *   its index) or a series key longer than MAX_SERIES_KEY_LENGTH; ShapeError for a second channel or too many open series.
   */
  update(chunk: ArrayLike<number>, seriesKey = ''): this {
    const [data] = readChunkShared(chunk, 1);
    requireSeriesKey('seriesKey', seriesKey);
    const n = data.length;
    if (n === 0) return this;
    let state = this.series.get(seriesKey);
    if (!state) {
      if (this.series.size >= MAX_OPEN_SERIES) throw new ShapeError(`too many open series (${MAX_OPEN_SERIES}); call endSeries() for finished ones`);
      state = { values: new Float64Array(this.options.maxLag), length: 0 };
      this.series.set(seriesKey, state);
    }
    const { maxLag: K, center } = this.options;
    if (center && this.shift === null) this.shift = data[0];
    const T = state.length, total = T + n;
    const y = this.buffer('work', total);
    y.set(state.values.subarray(0, T));
    if (this.shift !== null && this.shift !== 0) {
      const offset = this.shift;
      for (let i = 0; i < n; i++) y[T + i] = data[i] - offset;
    } else {
      y.set(data, T);
    }
    // weights of the new samples relative to the newest (1), older ones × λ each step back
    const lambda = this.decay;
    let newer = y;
    let u: Float64Array | null = null;
    if (lambda < 1) {
      const decayAll = Math.pow(lambda, n);
      this.scaleSums(decayAll);
      u = this.buffer('weights', total);
      const v = this.buffer('weighted', total);
      let w = 1;
      for (let t = total - 1; t >= T; t--) { u[t] = w; v[t] = w * y[t]; w *= lambda; }
      newer = v;
    }
    this.addProducts(newer, y, T, total, this.lagProducts);
    let weightSum = 0, weightSquareSum = 0, valueSum = 0;
    if (u) {
      for (let t = T; t < total; t++) { weightSum += u[t]; weightSquareSum += u[t] * u[t]; valueSum += newer[t]; }
    } else {
      for (let t = T; t < total; t++) valueSum += y[t];
      weightSum = n; weightSquareSum = n;
    }
    if (center) {
      // Σ w y_{t−d} over the lag-d products: the same kernel with the weights as the newer factor
      if (u) this.addProducts(u, y, T, total, this.olderSums);
      else addLaggedSums(y, T, total, K, this.olderSums);
      // Σ w y_t and Σ w over samples t with a lag-d partner (t ≥ d in the work buffer)
      addSuffixSums(newer, T, total, K, this.newerSums);
      if (u) addSuffixSums(u, T, total, K, this.lagWeights);
      else for (let d = 0; d <= K; d++) this.lagWeights[d] += total - Math.max(T, d) > 0 ? total - Math.max(T, d) : 0;
    }
    this.sum += valueSum;
    this.weightTotal += weightSum;
    this.weightSquared += weightSquareSum;
    this.samples += n;
    const keep = Math.min(K, total);
    state.values.set(y.subarray(total - keep, total));
    state.length = keep;
    if (total > MAX_REUSED_WORK) { this.work = new Float64Array(0); this.weighted = new Float64Array(0); this.weights = new Float64Array(0); }
    return this;
  }

  /** Closes series `seriesKey` (its products stay; its tail is released). */
  endSeries(seriesKey = ''): this {
    this.series.delete(seriesKey);
    return this;
  }

  /** Closes every open series. */
  endAllSeries(): this {
    this.series.clear();
    return this;
  }

  /** Back to the just-constructed state; releases every buffer. */
  reset(): this {
    this.lagProducts.fill(0);
    this.newerSums.fill(0);
    this.olderSums.fill(0);
    this.lagWeights.fill(0);
    this.sum = 0; this.weightTotal = 0; this.weightSquared = 0; this.samples = 0; this.shift = null;
    this.series.clear();
    this.work = new Float64Array(0); this.weighted = new Float64Array(0); this.weights = new Float64Array(0);
    return this;
  }

  /**
   * The last `length` samples of an open series, oldest first, in input units (fewer when the series
   * is shorter; empty for an unknown key). `length` ≤ maxLag.
   */
  tail(seriesKey: string, length = this.options.maxLag): Float64Array {
    const state = this.series.get(seriesKey);
    if (!state) return new Float64Array(0);
    const count = Math.min(length, state.length);
    const out = Float64Array.from(state.values.subarray(state.length - count, state.length));
    if (this.shift) for (let i = 0; i < count; i++) out[i] += this.shift;
    return out;
  }

  /**
   * r₀ … r_K (module comment) and the sample counts.
   * @throws NotEnoughDataError before the first sample.
   */
  estimate(): AutocovarianceEstimate {
    const { maxLag: K, center } = this.options;
    const W = this.weightTotal;
    if (this.samples === 0 || !(W > 0)) throw new NotEnoughDataError('no samples yet: the autocovariance needs at least one sample');
    const values = new Float64Array(K + 1);
    const mean = center ? this.sum / W : 0;
    const taperStep = Math.sqrt(this.decay);
    let taper = 1;
    for (let d = 0; d <= K; d++) {
      let c = this.lagProducts[d];
      if (center) c += -mean * (this.newerSums[d] + this.olderSums[d]) + mean * mean * this.lagWeights[d];
      values[d] = (taper * c) / W;
      taper *= taperStep;
    }
    return { values, samples: this.samples, weight: W, effectiveSamples: (W * W) / this.weightSquared, centered: center };
  }

  /** Versioned, JSON-safe snapshot (open series included). */
  toJSON(): AutocovarianceJSON {
    return {
      format: 'resu-autocovariance',
      version: 1,
      options: { ...this.options },
      samples: this.samples,
      weight: this.weightTotal,
      weightSquared: this.weightSquared,
      shift: this.shift,
      lagProducts: Array.from(this.lagProducts),
      centering: this.options.center
        ? { sum: this.sum, newerSums: Array.from(this.newerSums), olderSums: Array.from(this.olderSums), lagWeights: Array.from(this.lagWeights) }
        : null,
      openSeries: [...this.series].map(([key, state]) => ({ key, tail: Array.from(state.values.subarray(0, state.length)) })),
    };
  }

  /**
   * Rebuilds an accumulator from {@link toJSON} output.
   * @param expected when given, the payload's options must equal these.
   * @throws ShapeError / ConfigError for another format, version, shape or configuration.
   */
  static fromJSON(payload: unknown, expected?: AutocovarianceOptions): StreamingAutocovariance {
    const data = payload as Partial<AutocovarianceJSON> | null;
    if (data === null || typeof data !== 'object') throw new ConfigError('autocovariance payload', payload, 'an object');
    if (data.format !== 'resu-autocovariance' || data.version !== 1) throw new ShapeError(`autocovariance payload has format ${JSON.stringify(data.format)} version ${JSON.stringify(data.version)}; expected "resu-autocovariance" version 1`);
    const acc = new StreamingAutocovariance(data.options as AutocovarianceOptions);
    if (expected) {
      const want = resolveAutocovarianceOptions(expected);
      for (const key of ['maxLag', 'timeConstantSamples', 'center'] as const) {
        if (want[key] !== acc.options[key]) throw new ShapeError(`cannot load an autocovariance with ${key} = ${JSON.stringify(acc.options[key])} into one with ${key} = ${JSON.stringify(want[key])}`);
      }
    }
    const K = acc.options.maxLag;
    acc.lagProducts.set(requireLength('autocovariance payload lagProducts', data.lagProducts, K + 1));
    acc.samples = requireInt('autocovariance payload samples', data.samples, { min: 0 });
    acc.weightTotal = requireFinite('autocovariance payload weight', data.weight, { min: 0 });
    acc.weightSquared = requireFinite('autocovariance payload weightSquared', data.weightSquared, { min: 0 });
    if (data.shift !== null && data.shift !== undefined) acc.shift = requireFinite('autocovariance payload shift', data.shift);
    if (acc.options.center) {
      const c = data.centering;
      if (!c || typeof c !== 'object') throw new ShapeError('autocovariance payload needs centering sums (center is true)');
      acc.sum = requireFinite('autocovariance payload centering.sum', c.sum);
      acc.newerSums.set(requireLength('autocovariance payload centering.newerSums', c.newerSums, K + 1));
      acc.olderSums.set(requireLength('autocovariance payload centering.olderSums', c.olderSums, K + 1));
      acc.lagWeights.set(requireLength('autocovariance payload centering.lagWeights', c.lagWeights, K + 1));
    }
    if (!Array.isArray(data.openSeries) || data.openSeries.length > MAX_OPEN_SERIES) {
      throw new ConfigError('autocovariance payload openSeries', data.openSeries, `an array of at most ${MAX_OPEN_SERIES} series`);
    }
    for (const entry of data.openSeries) {
      if (!entry || typeof entry.key !== 'string' || entry.key.length > MAX_SERIES_KEY_LENGTH || !Array.isArray(entry.tail) || entry.tail.length > K) {
        throw new ShapeError(`autocovariance payload openSeries entries need a string key of at most ${MAX_SERIES_KEY_LENGTH} characters and a tail of at most ${K} samples`);
      }
      const values = new Float64Array(K);
      values.set(requireFiniteArray(`autocovariance payload tail of ${JSON.stringify(entry.key)}`, entry.tail));
      acc.series.set(entry.key, { values, length: entry.tail.length });
    }
    return acc;
  }

  // ---------------------------------------------------------------- internals

  /**
   * sums[d] += Σ_t newer[t]·older[t − d] over the new samples t ∈ [from, to). Once a series has a full
   * tail (from = K) every lag runs over all new samples, and with e = K − d the sum is
   * Σ_{q<n} newer[K + q]·older[q + e]: moments.ts's addLagProducts (the same ascending order per
   * lag, so the same result), ≈ 1.5× faster than the general kernel; its lags come out reversed.
   */
  private addProducts(newer: Float64Array, older: Float64Array, from: number, to: number, sums: Float64Array): void {
    const K = this.options.maxLag;
    if (from < K) { addLaggedProducts(newer, older, from, to, K, sums); return; }
    const reversed = this.reversed;
    reversed.fill(0);
    addLagProducts(newer.subarray(K), older, to - K, K + 1, reversed, 0);
    for (let d = 0; d <= K; d++) sums[d] += reversed[K - d];
  }

  private scaleSums(factor: number): void {
    for (const sums of [this.lagProducts, this.newerSums, this.olderSums, this.lagWeights]) {
      for (let d = 0; d < sums.length; d++) sums[d] *= factor;
    }
    this.sum *= factor;
    this.weightTotal *= factor;
    this.weightSquared *= factor * factor;
  }

  private buffer(name: 'work' | 'weighted' | 'weights', length: number): Float64Array {
    if (this[name].length < length) this[name] = new Float64Array(Math.max(length, 2 * this.options.maxLag + 16));
    return this[name].subarray(0, length);
  }
}

/**
 * sums[d] += Σ_{t = max(from, d)}^{to − 1} newer[t]·older[t − d] for d = 0 … maxLag: each lag's sum
 * runs over t in ascending order. Four lags per pass with the older samples sliding through locals
 * (the blocking of moments.ts's addLagProducts): one load of each array per step for four
 * multiply-adds (3.5× the one-lag-at-a-time loop at 225 lags).
 */
export function addLaggedProducts(newer: Float64Array, older: Float64Array, from: number, to: number, maxLag: number, sums: Float64Array): void {
  let d = 0;
  for (; d + 3 <= maxLag; d += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    // the first samples of a series have partners at some of the four lags only
    const start = Math.max(from, d + 3);
    for (let t = Math.max(from, d); t < Math.min(start, to); t++) {
      const x = newer[t];
      s0 += x * older[t - d];
      if (t >= d + 1) s1 += x * older[t - d - 1];
      if (t >= d + 2) s2 += x * older[t - d - 2];
    }
    if (start < to) {
      let v0 = older[start - d], v1 = older[start - d - 1], v2 = older[start - d - 2], v3 = older[start - d - 3];
      const last = to - 1;
      for (let t = start; t < last; t++) {
        const x = newer[t];
        s0 += x * v0; s1 += x * v1; s2 += x * v2; s3 += x * v3;
        v3 = v2; v2 = v1; v1 = v0; v0 = older[t + 1 - d];
      }
      const x = newer[last];
      s0 += x * v0; s1 += x * v1; s2 += x * v2; s3 += x * v3;
    }
    sums[d] += s0; sums[d + 1] += s1; sums[d + 2] += s2; sums[d + 3] += s3;
  }
  for (; d <= maxLag; d++) {
    let acc = 0;
    for (let t = Math.max(from, d); t < to; t++) acc += newer[t] * older[t - d];
    sums[d] += acc;
  }
}

/** sums[d] += Σ_{t = max(from, d)}^{to − 1} values[t − d] (the older factor of unit-weight products). */
function addLaggedSums(values: Float64Array, from: number, to: number, maxLag: number, sums: Float64Array): void {
  // Σ_{s = max(from, d) − d}^{to − 1 − d} values[s], by prefix sums over the buffer
  const prefix = new Float64Array(to + 1);
  for (let s = 0; s < to; s++) prefix[s + 1] = prefix[s] + values[s];
  for (let d = 0; d <= maxLag; d++) {
    const first = Math.max(from, d) - d, last = to - d;
    if (last > first) sums[d] += prefix[last] - prefix[first];
  }
}

/** sums[d] += Σ_{t = max(from, d)}^{to − 1} values[t] for d = 0 … maxLag. */
function addSuffixSums(values: Float64Array, from: number, to: number, maxLag: number, sums: Float64Array): void {
  let suffix = 0;
  for (let t = to - 1; t >= from; t--) suffix += values[t];
  // d ≤ from: the whole chunk; d > from: drop values[from … d − 1]
  let dropped = 0, t = from;
  for (let d = 0; d <= maxLag; d++) {
    while (t < d && t < to) dropped += values[t++];
    sums[d] += suffix - dropped;
  }
}

function requireLength(field: string, value: unknown, length: number): Float64Array {
  if (!Array.isArray(value) || value.length !== length) throw new ShapeError(`${field} must be an array of ${length} numbers (got ${Array.isArray(value) ? `length ${value.length}` : typeof value})`);
  return requireFiniteArray(field, value);
}
