/**
 * Lagged second moments of past–future pairs (docs/method.md §1, paper Eqs. 3–5), accumulated exactly
 * from chunks of any size.
 *
 * Notation (mapped once here): C = `channels`, m = `pastLags`, h = `futureLags`, g = `gap`.
 * For a pair at time t the past vector is p_t = [y_t, y_{t−1}, …, y_{t−m+1}] per channel (newest
 * first, channel-major, length C·m) and the future vector f_t = [y_{t+1+g}, …, y_{t+g+h}]
 * (chronological, channel-major, length C·h). A pair needs the L = m + g + h samples
 * y_{t−m+1} … y_{t+g+h}, its "window". The accumulator keeps the last L − 1 samples of every open
 * series between chunks, so the statistics never depend on how a stream was cut.
 *
 * Two exact algorithms produce the same sums:
 * - `direct`: the joint vector x = [p; f] of each pair is added as x xᵀ (O(D²) per pair, D = C(m+h));
 *   used with forgetting and for small D (the T4 layer).
 * - `lagged`: a window's Gram matrix only depends on lag products, so per pair it adds the C²·L
 *   products y_a[k]·y_b[k+d] (the first row of the Hankel Gram), and recovers every other entry at
 *   read-out by the Toeplitz recursion G[i+1][j+1] = G[i][j] − (pair leaving at the head) +
 *   (pair entering at the tail). O(C²·L) per pair: ~50× less work at m = h = 50.
 */
import { ConfigError, NotEnoughDataError, ShapeError } from './errors';
import { isArrayLikeOfNumbers, MAX_SAMPLE_MAGNITUDE, requireBoolean, requireFinite, requireFiniteArray, requireInt, requireOneOf } from './validate';

/** Largest joint dimension C·(m + h): the sums hold D² doubles (1024² ≈ 8 MB). */
export const MAX_JOINT_DIMENSION = 1024;
/** Largest number of series open at once (each keeps L − 1 samples per channel). */
export const MAX_OPEN_SERIES = 4096;
/**
 * Longest series name (characters) a learner accepts. Series names are map keys kept while a series
 * is open, so 4096 open series of 10 MB names held 40 GB; 1024 characters × 4096 series is 8 MB.
 */
export const MAX_SERIES_NAME_LENGTH = 1024;
/** Longest accumulator series key: a name plus the suffix learners add per channel or triplet. */
export const MAX_SERIES_KEY_LENGTH = MAX_SERIES_NAME_LENGTH + 32;
/** Largest lag count m or h, and gap g. */
export const MAX_LAGS = 1000;

/** Accumulation algorithm: `direct` O(D²) per pair, `lagged` O(C²·(m+g+h)) by the Hankel/Toeplitz recursion, `auto` picks. */
export type MomentsAlgorithm = 'auto' | 'direct' | 'lagged';

/** Options of {@link LaggedMoments}. Defaults: {@link DEFAULT_MOMENTS_OPTIONS}. */
export interface LaggedMomentsOptions {
  /** C, number of input channels (1 for a pixel, 6 for the T4 layer). */
  readonly channels?: number;
  /** m, samples in the past vector (newest first). */
  readonly pastLags: number;
  /** h, samples in the future vector. */
  readonly futureLags: number;
  /** g, samples skipped between the newest past sample and the first future one. Default 0. */
  readonly gap?: number;
  /** Subtract the exact mean of the pair vectors at read-out. Default false (docs/method.md: uncentered). */
  readonly center?: boolean;
  /**
   * Exponential forgetting: each new pair multiplies older pairs' weight by exp(−1/τ), τ in
   * samples (pairs). 0 (default) keeps every pair with weight 1.
   */
  readonly timeConstantSamples?: number;
  /** Accumulation algorithm; `auto` picks the cheaper exact one. Results agree to round-off. */
  readonly algorithm?: MomentsAlgorithm;
}

/** Fully resolved options. */
export type ResolvedMomentsOptions = Required<LaggedMomentsOptions>;

/** Defaults of {@link LaggedMomentsOptions} (docs/method.md §1: one channel, gap 0, uncentered, no forgetting). */
export const DEFAULT_MOMENTS_OPTIONS = {
  channels: 1,
  gap: 0,
  center: false,
  timeConstantSamples: 0,
  algorithm: 'auto' as MomentsAlgorithm,
} as const;

/** Validates and fills in defaults. @throws ConfigError naming the field. */
export function resolveMomentsOptions(options: LaggedMomentsOptions): ResolvedMomentsOptions {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const channels = requireInt('channels', options.channels ?? DEFAULT_MOMENTS_OPTIONS.channels, { min: 1, max: MAX_JOINT_DIMENSION });
  const pastLags = requireInt('pastLags', options.pastLags, { min: 1, max: MAX_LAGS });
  const futureLags = requireInt('futureLags', options.futureLags, { min: 1, max: MAX_LAGS });
  const gap = requireInt('gap', options.gap ?? DEFAULT_MOMENTS_OPTIONS.gap, { min: 0, max: MAX_LAGS });
  const center = requireBoolean('center', options.center ?? DEFAULT_MOMENTS_OPTIONS.center);
  const timeConstantSamples = requireFinite('timeConstantSamples',
    options.timeConstantSamples ?? DEFAULT_MOMENTS_OPTIONS.timeConstantSamples, { min: 0, max: 1e12 });
  const algorithm = requireOneOf('algorithm', options.algorithm ?? DEFAULT_MOMENTS_OPTIONS.algorithm, ['auto', 'direct', 'lagged']);
  const dimension = channels * (pastLags + futureLags);
  if (dimension > MAX_JOINT_DIMENSION) {
    throw new ConfigError('channels × (pastLags + futureLags)', dimension, `at most ${MAX_JOINT_DIMENSION}`);
  }
  if (algorithm === 'lagged' && timeConstantSamples > 0) {
    throw new ConfigError('algorithm', algorithm, '"direct" or "auto" when timeConstantSamples > 0 (forgetting)');
  }
  return { channels, pastLags, futureLags, gap, center, timeConstantSamples, algorithm };
}

/** Second moments over the pairs, divided by the (weighted) pair count; row-major matrices. */
export interface MomentMatrices {
  /** Rp = (1/N) Σ p pᵀ, (C·m)×(C·m). Centered when the accumulator centers. */
  readonly pastMoment: Float64Array;
  /** Q = (1/N) Σ f pᵀ, (C·h)×(C·m). */
  readonly futurePastMoment: Float64Array;
  /** Rf = (1/N) Σ f fᵀ, (C·h)×(C·h). */
  readonly futureMoment: Float64Array;
  /** C·m. */
  readonly pastDimension: number;
  /** C·h. */
  readonly futureDimension: number;
  /** Number of pairs accumulated. */
  readonly pairs: number;
  /** N: the pair count, or the sum of forgetting weights. */
  readonly weight: number;
  readonly centered: boolean;
}

/**
 * The moments of a shorter past: the first `pastLags` lags of every channel (the newest ones, since
 * pasts are newest first) of moments accumulated with more. Exact for the same pairs: an
 * accumulator at `pastLags` would have the same sums plus the pairs a shorter past admits at the
 * start of each series (M − m per series, M the accumulated past length). Future blocks are unchanged.
 * @param channels C of the accumulator.
 * @throws ConfigError when pastLags is not in 1 … M.
 */
export function truncatePastLags(moments: MomentMatrices, channels: number, pastLags: number): MomentMatrices {
  const C = channels, M = moments.pastDimension / C, F = moments.futureDimension;
  const m = requireInt('pastLags', pastLags, { min: 1, max: M });
  if (m === M) return moments;
  const P = C * m;
  const index = new Int32Array(P); // kept past coordinates in the accumulated layout
  for (let c = 0; c < C; c++) for (let k = 0; k < m; k++) index[c * m + k] = c * M + k;
  const pastMoment = new Float64Array(P * P), futurePastMoment = new Float64Array(F * P);
  const Mp = moments.pastDimension;
  for (let i = 0; i < P; i++) for (let j = 0; j < P; j++) pastMoment[i * P + j] = moments.pastMoment[index[i] * Mp + index[j]];
  for (let i = 0; i < F; i++) for (let j = 0; j < P; j++) futurePastMoment[i * P + j] = moments.futurePastMoment[i * Mp + index[j]];
  return { ...moments, pastMoment, futurePastMoment, pastDimension: P };
}

/** Versioned JSON-safe form of a {@link LaggedMoments} (plain arrays only). */
export interface LaggedMomentsJSON {
  readonly format: 'resu-lagged-moments';
  readonly version: 1;
  readonly options: Omit<ResolvedMomentsOptions, 'algorithm'>;
  readonly pairs: number;
  readonly weight: number;
  readonly samplesSeen: number;
  readonly seriesEnded: number;
  /** Per-channel offset subtracted before accumulation when centering (null before the first sample). */
  readonly shift: number[] | null;
  /** Σ w x xᵀ, upper triangle row by row, x = [p; f] (shifted when centering). */
  readonly sumOuterUpper: number[];
  /** Σ w x. */
  readonly sum: number[];
  /** Open series: key and the last L − 1 (shifted) samples per channel. */
  readonly openSeries: { readonly key: string; readonly tail: number[][] }[];
}

/**
 * The additive part of a {@link LaggedMoments} state (true sums, forgetting materialized): what a
 * statistics pool keeps per peer. No open-series tails, which only serve to continue a series.
 */
export interface MomentSums {
  readonly pairs: number;
  /** N: the pair count, or the sum of forgetting weights. */
  readonly weight: number;
  readonly samplesSeen: number;
  readonly seriesEnded: number;
  /** Per-channel offset the sums are relative to (centering), or null. */
  readonly shift: Float64Array | null;
  /** Σ w x xᵀ, upper triangle row by row (D(D+1)/2 values). */
  readonly sumOuterUpper: Float64Array;
  /** Σ w x (D values). */
  readonly sum: Float64Array;
}

/** Per-series streaming state. */
interface SeriesState {
  /** Last up to L − 1 samples per channel (shifted). */
  tail: Float64Array[];
  tailLength: number;
  // lagged algorithm only: sums over the pending segment of pairs
  head: Float64Array[];
  headLength: number;
  pendingPairs: number;
  /** lagSums[((a·C + b)·L + d)] = Σ_k y_a[k]·y_b[k+d] over the segment's windows. */
  lagSums: Float64Array;
  /** firstSums[a] = Σ_k y_a[k]. */
  firstSums: Float64Array;
}

/** A chunk: one array (one channel) or one array per channel, all of the same length. */
export type ChunkInput = ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;

/**
 * Validates a chunk for `channels` channels and returns one Float64Array per channel.
 * @throws ShapeError / ConfigError naming the channel and index of the first bad value.
 */
export function readChunk(chunk: unknown, channels: number, field = 'chunk'): Float64Array[] {
  return readChunkChecked(chunk, channels, field, true);
}

/**
 * Like {@link readChunk}, but Float64Array channels are checked and returned as they are, not
 * copied. @internal for callers that only read the result during the call (the FIR filters).
 */
export function readChunkShared(chunk: unknown, channels: number, field = 'chunk'): Float64Array[] {
  return readChunkChecked(chunk, channels, field, false);
}

function readChunkChecked(chunk: unknown, channels: number, field: string, copy: boolean): Float64Array[] {
  if (!isArrayLikeOfNumbers(chunk) && !Array.isArray(chunk)) throw new ConfigError(field, chunk, 'an array of numbers or an array of channel arrays');
  const list = chunk as ArrayLike<unknown>;
  if (list.length === 0) return Array.from({ length: channels }, () => new Float64Array(0));
  // nested = one array per channel; anything else is a flat single channel whose values copyFinite
  // checks (so ["1", 2] reports chunk[0] as not a number rather than "2 channels; expected 1")
  const nested = isArrayLikeOfNumbers(list[0]);
  if (!nested) {
    if (channels !== 1) {
      if (typeof list[0] !== 'number') throw new ConfigError(`${field}[0]`, list[0], 'an array of numbers (one array per channel)');
      throw new ShapeError(`${field} has 1 channel; expected ${channels} (one array per channel)`);
    }
    return [copyFinite(list, field, copy)];
  }
  if (list.length !== channels) throw new ShapeError(`${field} has ${list.length} channels; expected ${channels}`);
  const out: Float64Array[] = [];
  for (let c = 0; c < channels; c++) {
    const channel = list[c];
    if (!isArrayLikeOfNumbers(channel)) throw new ConfigError(`${field}[${c}]`, channel, 'an array of numbers');
    if (c > 0 && channel.length !== out[0].length) {
      throw new ShapeError(`${field} channels have different lengths (channel 0: ${out[0].length}, channel ${c}: ${channel.length})`);
    }
    out.push(copyFinite(channel, `${field}[${c}]`, copy));
  }
  return out;
}

/**
 * What a refused sample should have been: "a finite number" for NaN, ±∞ and non-numbers, "a number
 * within ±1e50" for a finite one beyond {@link MAX_SAMPLE_MAGNITUDE}.
 */
export function sampleExpectation(x: unknown): string {
  return typeof x === 'number' && Number.isFinite(x) ? 'a number within ±1e50 (the sample magnitude limit)' : 'a finite number';
}

function copyFinite(values: ArrayLike<unknown>, field: string, copy = true): Float64Array {
  const limit = MAX_SAMPLE_MAGNITUDE;
  if (values instanceof Float64Array) {
    // typed input: one memcpy (or none), then a monomorphic scan; the comparisons are false for NaN
    const checked = copy ? new Float64Array(values) : values;
    for (let i = 0; i < checked.length; i++) {
      const x = checked[i];
      if (!(x <= limit && x >= -limit)) throw new ConfigError(`${field}[${i}]`, x, sampleExpectation(x));
    }
    return checked;
  }
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (typeof x !== 'number' || !(x <= limit && x >= -limit)) throw new ConfigError(`${field}[${i}]`, x, sampleExpectation(x));
    out[i] = x;
  }
  return out;
}

/** Largest [tail | chunk] length whose work buffers an accumulator keeps for reuse. */
const MAX_REUSED_WORK = 1 << 16;

/** Growth factor above which the forgetting accumulators are rescaled (keeps sums finite). */
const RESCALE_GROWTH = 1e100;

/**
 * Streaming accumulator of past–future lagged moments (the `partial_fit` of the CCA).
 *
 * - `update(chunk, seriesKey)` appends samples to a series; pairs never straddle two series, and
 *   several series (scene rows, GP draws, pixels) pool their pairs.
 * - `endSeries(key)` closes a series; the next update with that key starts a new one.
 * - `merge(other)` adds another accumulator's sums exactly (same configuration required).
 * - `toJSON()` / `LaggedMoments.fromJSON()` round-trip the full state, open series included.
 */
export class LaggedMoments {
  readonly options: ResolvedMomentsOptions;
  /** D = C·(m + h). */
  readonly dimension: number;
  /** L = m + g + h, samples per pair window. */
  readonly windowLength: number;
  private readonly useLagged: boolean;
  private readonly decay: number;
  /** Σ w x xᵀ (full D×D, only the upper triangle is maintained), divided by `growth`. */
  private sumOuter: Float64Array;
  private sum: Float64Array;
  private weightScaled = 0;
  /** Forgetting: the stored sums are the true sums × growth (growth = λ^(−pairs since rescale)). */
  private growth = 1;
  private pairCount = 0;
  private samples = 0;
  private ended = 0;
  private shift: Float64Array | null = null;
  private series = new Map<string, SeriesState>();
  /** For each x index: channel and position within the window. */
  private readonly xChannel: Int32Array;
  private readonly xPosition: Int32Array;
  private readonly scratch: Float64Array;
  /** Reused per-chunk [tail | chunk] buffers, one per channel (grown on demand). */
  private workBuffers: Float64Array[] = [];

  constructor(options: LaggedMomentsOptions) {
    this.options = resolveMomentsOptions(options);
    const { channels: C, pastLags: m, futureLags: h, gap: g, timeConstantSamples, algorithm } = this.options;
    this.dimension = C * (m + h);
    this.windowLength = m + g + h;
    this.decay = timeConstantSamples > 0 ? Math.exp(-1 / timeConstantSamples) : 1;
    const directCost = (this.dimension * (this.dimension + 1)) / 2;
    const laggedCost = C * C * this.windowLength;
    this.useLagged = algorithm === 'lagged' || (algorithm === 'auto' && timeConstantSamples === 0 && laggedCost < directCost);
    this.sumOuter = new Float64Array(this.dimension * this.dimension);
    this.sum = new Float64Array(this.dimension);
    this.scratch = new Float64Array(this.dimension);
    this.xChannel = new Int32Array(this.dimension);
    this.xPosition = new Int32Array(this.dimension);
    for (let c = 0; c < C; c++) {
      for (let k = 0; k < m; k++) { this.xChannel[c * m + k] = c; this.xPosition[c * m + k] = m - 1 - k; }
      for (let j = 0; j < h; j++) { this.xChannel[C * m + c * h + j] = c; this.xPosition[C * m + c * h + j] = m + g + j; }
    }
  }

  /** Number of (past, future) pairs accumulated. */
  get pairs(): number { return this.pairCount; }
  /** Samples received (per channel). */
  get samplesSeen(): number { return this.samples; }
  /** Effective pair count N (sum of forgetting weights; equals `pairs` without forgetting). */
  get weight(): number {
    // the lagged algorithm moves a segment's pairs into the sums only at read-out: count them here
    let pending = 0;
    if (this.useLagged) for (const state of this.series.values()) pending += state.pendingPairs;
    return (this.weightScaled + pending) / this.growth;
  }
  /** Keys of the series currently open. */
  get openSeries(): string[] { return [...this.series.keys()]; }
  /** Number of series currently open (at most {@link MAX_OPEN_SERIES}). */
  get openSeriesCount(): number { return this.series.size; }
  /** True when series `key` is open (its tail is kept). */
  hasSeries(key: string): boolean { return this.series.has(key); }
  /** Which exact algorithm this accumulator runs. */
  get algorithm(): 'direct' | 'lagged' { return this.useLagged ? 'lagged' : 'direct'; }

  /**
   * Appends a chunk to series `seriesKey` (default ""). Validates the whole chunk first, so a bad
   * chunk leaves the state untouched.
   * @param chunk one array (C = 1) or C arrays of equal length; plain or typed arrays.
   * @throws ConfigError / ShapeError on non-finite values or wrong channel count.
   */
  update(chunk: ChunkInput, seriesKey = ''): this {
    const data = readChunkShared(chunk, this.options.channels); // only read: copied into the work buffers below
    requireSeriesKey('seriesKey', seriesKey);
    const n = data[0].length;
    if (n === 0) return this;
    let state = this.series.get(seriesKey);
    if (!state) {
      if (this.series.size >= MAX_OPEN_SERIES) {
        throw new ShapeError(`too many open series (${MAX_OPEN_SERIES}); call endSeries() for finished ones`);
      }
      state = this.newSeries();
      this.series.set(seriesKey, state);
    }
    const C = this.options.channels;
    if (this.options.center && this.shift === null) this.shift = Float64Array.from(data, (channel) => channel[0]);
    const total = state.tailLength + n;
    // [tail | chunk] per channel, in reused buffers (views of exactly `total` samples)
    // (kept only up to MAX_REUSED_WORK samples, so one huge chunk does not pin its size)
    let buffers = this.workBuffers;
    if (buffers.length === 0 || buffers[0].length < total) {
      buffers = Array.from({ length: C }, () => new Float64Array(Math.max(total, 2 * this.windowLength)));
      if (total <= MAX_REUSED_WORK) this.workBuffers = buffers;
    }
    const work: Float64Array[] = [];
    for (let c = 0; c < C; c++) {
      const buffer = buffers[c].subarray(0, total);
      buffer.set(state.tail[c].subarray(0, state.tailLength));
      const source = data[c];
      if (this.shift) {
        const offset = this.shift[c];
        for (let i = 0; i < n; i++) buffer[state.tailLength + i] = source[i] - offset;
      } else {
        buffer.set(source, state.tailLength); // x − 0 = x exactly
      }
      work.push(buffer);
    }
    const newPairs = Math.max(0, total - this.windowLength + 1);
    if (this.useLagged) this.accumulateLagged(state, work, newPairs);
    else this.accumulateDirect(work, newPairs);
    // keep the last L − 1 samples
    const keep = Math.min(this.windowLength - 1, total);
    for (let c = 0; c < C; c++) state.tail[c].set(work[c].subarray(total - keep, total));
    state.tailLength = keep;
    this.samples += n;
    this.pairCount += newPairs;
    return this;
  }

  /** Closes series `seriesKey`: its pairs stay in the sums, its tail is released. */
  endSeries(seriesKey = ''): this {
    const state = this.series.get(seriesKey);
    if (state) {
      this.flushSeries(state);
      this.series.delete(seriesKey);
      this.ended++;
    }
    return this;
  }

  /** Closes every open series. */
  endAllSeries(): this {
    for (const key of [...this.series.keys()]) this.endSeries(key);
    return this;
  }

  /** Back to the just-constructed state; releases every buffer. */
  reset(): this {
    this.sumOuter.fill(0);
    this.sum.fill(0);
    this.weightScaled = 0;
    this.growth = 1;
    this.pairCount = 0;
    this.samples = 0;
    this.ended = 0;
    this.shift = null;
    this.series.clear();
    this.workBuffers = [];
    return this;
  }

  /**
   * Adds another accumulator's pairs (sums and counts add, so the result equals one accumulator that
   * saw both streams). The other's open series are counted up to now but not continued here.
   * @throws ShapeError when the configurations differ.
   */
  merge(other: LaggedMoments): this {
    if (!(other instanceof LaggedMoments)) throw new ConfigError('other', other, 'a LaggedMoments');
    assertSameConfiguration(this.options, other.options, 'merge');
    this.flushAll();
    other.flushAll();
    if (other.growth !== 1) other.rescale(); // true sums (changes other's representation only)
    this.addShiftedSums(other.sumOuter, false, other.sum, other.weightScaled, other.shift);
    this.pairCount += other.pairCount;
    this.samples += other.samples;
    this.ended += other.ended + other.series.size;
    return this;
  }

  /**
   * The moment matrices Rp, Q, Rf divided by N (centered when `center`).
   * @throws NotEnoughDataError when no pair has been accumulated.
   */
  moments(): MomentMatrices {
    this.flushAll();
    const { channels: C, pastLags: m, futureLags: h, center } = this.options;
    const D = this.dimension;
    const weight = this.weightScaled;
    if (this.pairCount === 0 || !(weight > 0)) {
      throw new NotEnoughDataError(
        `no (past, future) pair yet: a pair needs pastLags + gap + futureLags = ${this.windowLength} samples of one series `
        + `(${this.samples} samples received)`);
    }
    const full = new Float64Array(D * D);
    for (let r = 0; r < D; r++) {
      for (let s = r; s < D; s++) {
        let value = this.sumOuter[r * D + s] / weight;
        if (center) value -= (this.sum[r] / weight) * (this.sum[s] / weight);
        full[r * D + s] = value;
        full[s * D + r] = value;
      }
    }
    const P = C * m, F = C * h;
    const pastMoment = new Float64Array(P * P);
    const futurePastMoment = new Float64Array(F * P);
    const futureMoment = new Float64Array(F * F);
    for (let r = 0; r < P; r++) pastMoment.set(full.subarray(r * D, r * D + P), r * P);
    for (let r = 0; r < F; r++) {
      futurePastMoment.set(full.subarray((P + r) * D, (P + r) * D + P), r * P);
      futureMoment.set(full.subarray((P + r) * D + P, (P + r + 1) * D), r * F);
    }
    return {
      pastMoment, futurePastMoment, futureMoment, pastDimension: P, futureDimension: F,
      pairs: this.pairCount, weight: this.weight, centered: center,
    };
  }

  /** Versioned, JSON-safe snapshot of the whole state (open series included). */
  toJSON(): LaggedMomentsJSON {
    this.flushAll();
    // materialize forgetting so the payload holds true sums
    const scale = 1 / this.growth;
    const D = this.dimension;
    const upper: number[] = [];
    for (let r = 0; r < D; r++) for (let s = r; s < D; s++) upper.push(this.sumOuter[r * D + s] * scale);
    const { algorithm: _algorithm, ...options } = this.options;
    return {
      format: 'resu-lagged-moments',
      version: 1,
      options,
      pairs: this.pairCount,
      weight: this.weightScaled * scale,
      samplesSeen: this.samples,
      seriesEnded: this.ended,
      shift: this.shift ? Array.from(this.shift) : null,
      sumOuterUpper: upper,
      sum: Array.from(this.sum, (x) => x * scale),
      openSeries: [...this.series].map(([key, state]) => ({
        key, tail: state.tail.map((channel) => Array.from(channel.subarray(0, state.tailLength))),
      })),
    };
  }

  /**
   * Rebuilds an accumulator from {@link toJSON} output.
   * @param expected when given, the payload's configuration must match these options.
   * @throws ShapeError / ConfigError for another format, version, shape or configuration.
   */
  static fromJSON(payload: unknown, expected?: LaggedMomentsOptions): LaggedMoments {
    const data = payload as Partial<LaggedMomentsJSON> | null;
    if (data === null || typeof data !== 'object') throw new ConfigError('moments payload', payload, 'an object');
    if (data.format !== 'resu-lagged-moments') throw new ShapeError(`moments payload has format ${JSON.stringify(data.format)}; expected "resu-lagged-moments"`);
    if (data.version !== 1) throw new ShapeError(`moments payload has version ${JSON.stringify(data.version)}; this library reads version 1`);
    const moments = new LaggedMoments({ ...(data.options as LaggedMomentsOptions), algorithm: expected?.algorithm ?? 'auto' });
    if (expected) assertSameConfiguration(resolveMomentsOptions(expected), moments.options, 'load');
    const D = moments.dimension;
    const upperLength = (D * (D + 1)) / 2;
    const upper = requireNumberArray('moments payload sumOuterUpper', data.sumOuterUpper, upperLength);
    const sum = requireNumberArray('moments payload sum', data.sum, D);
    const C = moments.options.channels;
    let k = 0;
    for (let r = 0; r < D; r++) for (let s = r; s < D; s++) moments.sumOuter[r * D + s] = upper[k++];
    moments.sum.set(sum);
    moments.weightScaled = requireFinite('moments payload weight', data.weight, { min: 0 });
    moments.pairCount = requireInt('moments payload pairs', data.pairs, { min: 0 });
    moments.samples = requireInt('moments payload samplesSeen', data.samplesSeen, { min: 0 });
    moments.ended = requireInt('moments payload seriesEnded', data.seriesEnded, { min: 0 });
    if (data.shift !== null && data.shift !== undefined) moments.shift = requireNumberArray('moments payload shift', data.shift, C);
    if (!Array.isArray(data.openSeries) || data.openSeries.length > MAX_OPEN_SERIES) {
      throw new ConfigError('moments payload openSeries', data.openSeries, `an array of at most ${MAX_OPEN_SERIES} series`);
    }
    for (const entry of data.openSeries) {
      if (!entry || typeof entry.key !== 'string' || entry.key.length > MAX_SERIES_KEY_LENGTH || !Array.isArray(entry.tail) || entry.tail.length !== C) {
        throw new ShapeError(`moments payload openSeries entry must have a string key of at most ${MAX_SERIES_KEY_LENGTH} characters and ${C} tail channels`);
      }
      const state = moments.newSeries();
      const length = Array.isArray(entry.tail[0]) ? entry.tail[0].length : -1;
      if (length < 0 || length > moments.windowLength - 1) throw new ShapeError(`moments payload tail of series ${JSON.stringify(entry.key)} must hold at most ${moments.windowLength - 1} samples`);
      entry.tail.forEach((channel, c) => state.tail[c].set(requireNumberArray(`moments payload tail[${c}]`, channel, length)));
      state.tailLength = length;
      moments.restartSegment(state);
      moments.series.set(entry.key, state);
    }
    return moments;
  }

  /**
   * Reads the sums and counts of a {@link toJSON} payload without rebuilding its open series (they
   * are counted, at most {@link MAX_OPEN_SERIES}, and dropped): a peer's tails would cost memory
   * and can never be continued here.
   * @param expected the configuration the payload must have.
   * @throws ShapeError / ConfigError for another format, version, shape or configuration, or non-finite values.
   */
  static readSums(payload: unknown, expected: LaggedMomentsOptions): MomentSums {
    const data = payload as Partial<LaggedMomentsJSON> | null;
    if (data === null || typeof data !== 'object') throw new ConfigError('moments payload', payload, 'an object');
    if (data.format !== 'resu-lagged-moments') throw new ShapeError(`moments payload has format ${JSON.stringify(data.format)}; expected "resu-lagged-moments"`);
    if (data.version !== 1) throw new ShapeError(`moments payload has version ${JSON.stringify(data.version)}; this library reads version 1`);
    const options = resolveMomentsOptions(expected);
    const given = data.options as Partial<ResolvedMomentsOptions> | undefined;
    if (given === null || typeof given !== 'object') throw new ConfigError('moments payload options', given, 'an object');
    assertSameConfiguration(options, { ...options, ...pickConfiguration(given) }, 'merge');
    const D = options.channels * (options.pastLags + options.futureLags);
    if (!Array.isArray(data.openSeries) || data.openSeries.length > MAX_OPEN_SERIES) {
      throw new ConfigError('moments payload openSeries', data.openSeries, `an array of at most ${MAX_OPEN_SERIES} series`);
    }
    return {
      pairs: requireInt('moments payload pairs', data.pairs, { min: 0, max: Number.MAX_SAFE_INTEGER }),
      weight: requireFinite('moments payload weight', data.weight, { min: 0 }),
      samplesSeen: requireInt('moments payload samplesSeen', data.samplesSeen, { min: 0, max: Number.MAX_SAFE_INTEGER }),
      seriesEnded: requireInt('moments payload seriesEnded', data.seriesEnded, { min: 0, max: Number.MAX_SAFE_INTEGER }),
      shift: data.shift === null || data.shift === undefined ? null : requireNumberArray('moments payload shift', data.shift, options.channels),
      sumOuterUpper: requireNumberArray('moments payload sumOuterUpper', data.sumOuterUpper, (D * (D + 1)) / 2),
      sum: requireNumberArray('moments payload sum', data.sum, D),
    };
  }

  /**
   * Adds `factor` × the sums of a {@link MomentSums} (expressed with its own shift) and
   * `countSign` × its counts: factor −1 with countSign −1 removes a contribution added before, a
   * factor in (0, 1) with countSign 0 down-weights one already counted. The sums stay exact up to
   * round-off; the configuration must be this accumulator's (not checked: see {@link readSums}).
   */
  addSums(sums: MomentSums, factor = 1, countSign: -1 | 0 | 1 = 1): this {
    this.flushAll();
    this.addShiftedSums(sums.sumOuterUpper, true, sums.sum, sums.weight, sums.shift, factor);
    this.pairCount += countSign * sums.pairs;
    this.samples += countSign * sums.samplesSeen;
    this.ended += countSign * sums.seriesEnded;
    return this;
  }

  /** True when every stored sum is finite. */
  get finite(): boolean {
    const S = this.sumOuter, D = this.dimension;
    for (let r = 0; r < D; r++) {
      if (!Number.isFinite(this.sum[r])) return false;
      for (let s = r; s < D; s++) if (!Number.isFinite(S[r * D + s])) return false;
    }
    return Number.isFinite(this.weightScaled) && Number.isFinite(this.growth);
  }

  // ---------------------------------------------------------------- internals

  private newSeries(): SeriesState {
    const C = this.options.channels, L = this.windowLength;
    return {
      tail: Array.from({ length: C }, () => new Float64Array(L - 1)),
      tailLength: 0,
      head: this.useLagged ? Array.from({ length: C }, () => new Float64Array(L - 1)) : [],
      headLength: 0,
      pendingPairs: 0,
      lagSums: new Float64Array(this.useLagged ? C * C * L : 0),
      firstSums: new Float64Array(this.useLagged ? C : 0),
    };
  }

  private accumulateDirect(work: Float64Array[], newPairs: number): void {
    const { channels: C, pastLags: m, futureLags: h, gap: g } = this.options;
    const D = this.dimension, x = this.scratch, S = this.sumOuter, sum = this.sum;
    const forgetting = this.decay < 1;
    // centering under forgetting: the shift (an old sample) can end up far from the data that still
    // weigh, so check every τ/4 pairs (at fixed pair counts, so chunking does not matter)
    const recenterEvery = forgetting && this.options.center ? Math.max(1, Math.floor(this.options.timeConstantSamples / 4)) : 0;
    if (!forgetting) {
      // weight 1: entry (r, s) gains Σ_q x_r(q)·x_s(q) over the chunk's pairs, and x_r(q) =
      // work[channel r][q + position r] is contiguous in q, so each entry is a dot product of two
      // slices, summed in registers four entries at a time (the per-pair x xᵀ loop below re-reads
      // and re-writes all D(D+1)/2 sums for every pair). Same products, another order: equal to
      // round-off (tested against the per-pair accumulation at 1e-12).
      if (newPairs > 0) addSliceProducts(work, this.xChannel, this.xPosition, newPairs, S, sum);
      let weightScaled = this.weightScaled;
      for (let q = 0; q < newPairs; q++) weightScaled += 1;
      this.weightScaled = weightScaled;
      return;
    }
    for (let q = 0; q < newPairs; q++) {
      if (recenterEvery > 0 && (this.pairCount + q) % recenterEvery === 0) this.recenter(work);
      for (let c = 0; c < C; c++) {
        const w = work[c];
        for (let k = 0; k < m; k++) x[c * m + k] = w[q + m - 1 - k];
        for (let j = 0; j < h; j++) x[C * m + c * h + j] = w[q + m + g + j];
      }
      let weight = 1;
      if (forgetting) {
        this.growth /= this.decay;
        if (this.growth > RESCALE_GROWTH) this.rescale();
        weight = this.growth;
      }
      for (let r = 0; r < D; r++) {
        const xr = x[r] * weight;
        sum[r] += xr;
        const row = r * D;
        for (let s = r; s < D; s++) S[row + s] += xr * x[s];
      }
      this.weightScaled += weight;
    }
  }

  /**
   * Moves the centering shift to the current (weighted) channel means when some channel's mean has
   * drifted more than one standard deviation from it, so that the centered moments Σwxxᵀ/W − x̄x̄ᵀ
   * never cancel catastrophically. Without this, forgetting plus a level change of 1e6 after the
   * first sample lost ~12 digits (relative error 6e-3). The sums, the open tails and the rest of the
   * chunk being accumulated (`work`) are all re-expressed relative to the new shift.
   */
  private recenter(work: Float64Array[]): void {
    const { channels: C, pastLags: m } = this.options;
    const D = this.dimension, S = this.sumOuter, sum = this.sum, W = this.weightScaled;
    if (!this.shift || !(W > 0)) return;
    const delta = new Float64Array(C);
    let needed = false;
    for (let c = 0; c < C; c++) {
      const r = c * m; // the channel's newest past sample stands for all its lags
      const mean = sum[r] / W;
      const variance = S[r * D + r] / W - mean * mean;
      if (mean * mean > variance) needed = true;
      delta[c] = mean;
    }
    if (!needed) return;
    // x' = x − δ: Σwx'x'ᵀ = Σwxxᵀ − δ(Σwx)ᵀ − (Σwx)δᵀ + W δδᵀ, Σwx' = Σwx − W δ
    for (let r = 0; r < D; r++) {
      const dr = delta[this.xChannel[r]];
      for (let s2 = r; s2 < D; s2++) {
        const ds = delta[this.xChannel[s2]];
        S[r * D + s2] += W * dr * ds - dr * sum[s2] - sum[r] * ds;
      }
    }
    for (let r = 0; r < D; r++) sum[r] -= W * delta[this.xChannel[r]];
    for (let c = 0; c < C; c++) this.shift[c] += delta[c];
    for (const state of this.series.values()) {
      for (let c = 0; c < C; c++) for (let i = 0; i < state.tailLength; i++) state.tail[c][i] -= delta[c];
    }
    for (let c = 0; c < C; c++) for (let i = 0; i < work[c].length; i++) work[c][i] -= delta[c];
  }

  private rescale(): void {
    const inverse = 1 / this.growth;
    for (let i = 0; i < this.sumOuter.length; i++) this.sumOuter[i] *= inverse;
    for (let i = 0; i < this.sum.length; i++) this.sum[i] *= inverse;
    this.weightScaled *= inverse;
    this.growth = 1;
  }

  private accumulateLagged(state: SeriesState, work: Float64Array[], newPairs: number): void {
    const C = this.options.channels, L = this.windowLength;
    // the head of a fresh segment is the series' first L − 1 samples
    if (state.headLength < L - 1) {
      const available = Math.min(L - 1, work[0].length);
      for (let c = 0; c < C; c++) state.head[c].set(work[c].subarray(state.headLength, available), state.headLength);
      state.headLength = available;
    }
    const sums = state.lagSums;
    for (let a = 0; a < C; a++) {
      const wa = work[a];
      let first = 0;
      for (let q = 0; q < newPairs; q++) first += wa[q];
      state.firstSums[a] += first;
      for (let b = 0; b < C; b++) addLagProducts(wa, work[b], newPairs, L, sums, (a * C + b) * L);
    }
    state.pendingPairs += newPairs;
  }

  private flushAll(): void {
    for (const state of this.series.values()) this.flushSeries(state);
  }

  /** Moves a lagged segment's pairs into the sums and starts a new segment at the tail. */
  private flushSeries(state: SeriesState): void {
    if (!this.useLagged || state.pendingPairs === 0) return;
    const C = this.options.channels, L = this.windowLength, D = this.dimension;
    const K = state.pendingPairs, head = state.head, tail = state.tail;
    const S = this.sumOuter, sum = this.sum;
    // Σ_k y_a[k+i] y_b[k+j] for i ≤ j, d = j − i:
    //   lagSums_ab[d] − Σ_{u<i} head_a[u] head_b[u+d] + Σ_{u<i} tail_a[u] tail_b[u+d]
    const gram = (a: number, i: number, b: number, j: number): number => {
      if (i > j) return gram(b, j, a, i);
      const d = j - i;
      let value = state.lagSums[(a * C + b) * L + d];
      const ha = head[a], hb = head[b], ta = tail[a], tb = tail[b];
      for (let u = 0; u < i; u++) value += ta[u] * tb[u + d] - ha[u] * hb[u + d];
      return value;
    };
    for (let r = 0; r < D; r++) {
      const a = this.xChannel[r], i = this.xPosition[r];
      let first = state.firstSums[a];
      for (let u = 0; u < i; u++) first += tail[a][u] - head[a][u];
      sum[r] += first;
      for (let s = r; s < D; s++) S[r * D + s] += gram(a, i, this.xChannel[s], this.xPosition[s]);
    }
    this.weightScaled += K;
    this.restartSegment(state);
  }

  private restartSegment(state: SeriesState): void {
    if (!this.useLagged) return;
    state.pendingPairs = 0;
    state.lagSums.fill(0);
    state.firstSums.fill(0);
    for (let c = 0; c < this.options.channels; c++) state.head[c].set(state.tail[c].subarray(0, state.tailLength));
    state.headLength = state.tailLength;
  }

  /**
   * Adds `factor` × sums expressed with another shift (centering) into this accumulator's.
   * `otherOuter` is the full row-major D×D matrix (upper triangle read) or, when `packed`, the
   * upper triangle row by row.
   */
  private addShiftedSums(otherOuter: Float64Array, packed: boolean, otherSum: Float64Array, otherWeight: number, otherShift: Float64Array | null, factor = 1): void {
    const D = this.dimension;
    if (this.options.center && this.shift === null && otherShift !== null) this.shift = Float64Array.from(otherShift);
    // delta = otherShift − thisShift per x component (x_this = x_other + delta)
    const delta = new Float64Array(D);
    if (this.options.center && otherShift && this.shift) {
      for (let r = 0; r < D; r++) delta[r] = otherShift[this.xChannel[r]] - this.shift[this.xChannel[r]];
    }
    const scale = this.growth * factor;
    for (let r = 0, k = 0; r < D; r++) {
      for (let s = r; s < D; s++, k++) {
        const outer = otherOuter[packed ? k : r * D + s];
        const shifted = outer + delta[r] * otherSum[s] + otherSum[r] * delta[s] + otherWeight * delta[r] * delta[s];
        this.sumOuter[r * D + s] += shifted * scale;
      }
    }
    for (let r = 0; r < D; r++) this.sum[r] += (otherSum[r] + otherWeight * delta[r]) * scale;
    this.weightScaled += otherWeight * scale;
  }
}

/**
 * For the direct algorithm without forgetting: S[r·D + s] += Σ_{q<K} x_r(q)·x_s(q) for s ≥ r and
 * sum[r] += Σ_q x_r(q), with x_r(q) = work[channel[r]][q + position[r]] (D = channel.length).
 */
export function addSliceProducts(work: readonly Float64Array[], channel: Int32Array, position: Int32Array, K: number, S: Float64Array, sum: Float64Array): void {
  const D = channel.length;
  for (let r = 0; r < D; r++) {
    const wr = work[channel[r]], pr = position[r];
    let first = 0;
    for (let q = 0; q < K; q++) first += wr[q + pr];
    sum[r] += first;
    const row = r * D;
    let s = r;
    for (; s + 3 < D; s += 4) {
      const w0 = work[channel[s]], w1 = work[channel[s + 1]], w2 = work[channel[s + 2]], w3 = work[channel[s + 3]];
      const d0 = position[s] - pr, d1 = position[s + 1] - pr, d2 = position[s + 2] - pr, d3 = position[s + 3] - pr;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let q = pr, end = pr + K; q < end; q++) {
        const v = wr[q];
        a0 += v * w0[q + d0]; a1 += v * w1[q + d1]; a2 += v * w2[q + d2]; a3 += v * w3[q + d3];
      }
      S[row + s] += a0; S[row + s + 1] += a1; S[row + s + 2] += a2; S[row + s + 3] += a3;
    }
    for (; s < D; s++) {
      const ws = work[channel[s]], ds = position[s] - pr;
      let acc = 0;
      for (let q = pr, end = pr + K; q < end; q++) acc += wr[q] * ws[q + ds];
      S[row + s] += acc;
    }
  }
}

/**
 * sums[base + d] += Σ_{q<K} wa[q]·wb[q + d] for d < L (wb holds K + L − 1 samples). Each lag's sum
 * runs over q in ascending order, exactly as one lag at a time would, so the result is
 * bit-identical to that loop; four lags are computed per pass so each wa[q] is loaded once per
 * four multiply-adds and the wb window slides through locals (registers) with one load per step.
 */
export function addLagProducts(wa: Float64Array, wb: Float64Array, K: number, L: number, sums: Float64Array, base: number): void {
  if (K <= 0) return;
  let d = 0;
  for (; d + 3 < L; d += 4) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let v0 = wb[d], v1 = wb[d + 1], v2 = wb[d + 2], v3 = wb[d + 3];
    const last = K - 1;
    for (let q = 0, j = d + 4; q < last; q++, j++) {
      const x = wa[q];
      s0 += x * v0; s1 += x * v1; s2 += x * v2; s3 += x * v3;
      v0 = v1; v1 = v2; v2 = v3; v3 = wb[j];
    }
    const x = wa[last];
    s0 += x * v0; s1 += x * v1; s2 += x * v2; s3 += x * v3;
    sums[base + d] += s0; sums[base + d + 1] += s1; sums[base + d + 2] += s2; sums[base + d + 3] += s3;
  }
  for (; d < L; d++) {
    let acc = 0;
    for (let q = 0; q < K; q++) acc += wa[q] * wb[q + d];
    sums[base + d] += acc;
  }
}

function requireNumberArray(field: string, value: unknown, length: number): Float64Array {
  if (!Array.isArray(value) || value.length !== length) throw new ShapeError(`${field} must be an array of ${length} numbers (got ${Array.isArray(value) ? `length ${value.length}` : typeof value})`);
  return requireFiniteArray(field, value);
}

/** The configuration fields of a payload's options (algorithm is a local choice, never compared). */
function pickConfiguration(given: Partial<ResolvedMomentsOptions>): Partial<ResolvedMomentsOptions> {
  const out: Record<string, unknown> = {};
  for (const key of ['channels', 'pastLags', 'futureLags', 'gap', 'center', 'timeConstantSamples'] as const) out[key] = given[key];
  return out as Partial<ResolvedMomentsOptions>;
}

/** A series name of at most {@link MAX_SERIES_NAME_LENGTH} characters. @throws ConfigError naming `field`. */
export function requireSeriesName(field: string, name: unknown): string {
  if (typeof name !== 'string' || name.length > MAX_SERIES_NAME_LENGTH) throw new ConfigError(field, name, `a string of at most ${MAX_SERIES_NAME_LENGTH} characters`);
  return name;
}

/** A series key: a string of at most {@link MAX_SERIES_KEY_LENGTH} characters. @throws ConfigError. */
export function requireSeriesKey(field: string, key: unknown): string {
  if (typeof key !== 'string' || key.length > MAX_SERIES_KEY_LENGTH) throw new ConfigError(field, key, `a string of at most ${MAX_SERIES_KEY_LENGTH} characters`);
  return key;
}

function assertSameConfiguration(a: ResolvedMomentsOptions, b: ResolvedMomentsOptions, action: string): void {
  for (const key of ['channels', 'pastLags', 'futureLags', 'gap', 'center', 'timeConstantSamples'] as const) {
    if (a[key] !== b[key]) {
      throw new ShapeError(`cannot ${action} moments with ${key} = ${JSON.stringify(b[key])} into moments with ${key} = ${JSON.stringify(a[key])}`);
    }
  }
}
