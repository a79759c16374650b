/**
 * A neuron-local online learning rule for past–future CCA (issue 19; equations and schedule in
 * docs/online-learning.md). k units each hold a past filter Ψ_i (basal synapses on the C·m lags
 * p_t, newest first, channel-major as in docs/method.md §1) and a future filter Φ_i (apical
 * synapses on the C·h lags f_t). Per learned pair the cost and the state are O(k·C·(m + h)): no
 * (m + h)² moment matrix is ever formed.
 *
 * One step, for the pair (p, f) whose future has just completed (the pair of time t − g − h is
 * learned when sample t arrives; a unit's output Ψ_i·p_t only ever uses the past):
 *   z = Ψ p, a = Φ f                          outputs of the past and future filters (k each)
 *   Cz, Ca, Cza ← running covariances         of z, a and E[z aᵀ] (lateral weights, k×k)
 *   ẑ = Lz⁻¹ z, â = La⁻¹ a                    outputs decorrelated hierarchically (Lz Lzᵀ = Cz,
 *                                             lower triangular: unit i sees units 1 … i only)
 *   Ψ_i ← Ψ_i + η_p (â_i − z_i) P_p p         the past filter regresses on the future side's output
 *   Φ_i ← Φ_i + η_f (ẑ_i − a_i) P_f f         the future filter regresses on the past side's output
 * P_p, P_f ≈ R⁻¹ are the prediction-error preconditioners (core/prediction.ts). The fixed points
 * span the top-k canonical subspace whatever P is (a deflated power iteration). Read-out: the k×k
 * CCA of (z, a) rotates the current filters into canonical directions ψ̂_i, φ̂_i with correlations
 * σ_i (estimated on the stream); these are continued (matched and signed against their running
 * averages) and averaged over the last half of the pairs, then ordered and signed as in method.md §1.
 */
import { CcaFit, signOf } from './cca';
import { ConfigError, DegenerateDataError, NotEnoughDataError, ShapeError } from './errors';
import { mutualInformationBits, mutualInformationNats } from './metrics';
import { LaggedMomentsOptions, MAX_LAGS, MAX_OPEN_SERIES, MAX_SERIES_KEY_LENGTH, readChunk, requireSeriesName } from './moments';
import { LinearPredictor, MAX_PREDICTION_ORDER, PredictionErrorPreconditioner } from './prediction';
import { Random } from './random';
import { MAX_SMALL_DIMENSION, SmallCcaWorkspace, smallCanonicalTransforms } from './smallCca';
import { requireBoolean, requireFinite, requireFiniteArray, requireInt, requireOneOf } from './validate';

/** Largest C·(m + h): the state holds about 6·k·C·(m + h) doubles (6 MB at k = 16). */
export const MAX_ONLINE_DIMENSION = 8192;
/** Largest number of units k. */
export const MAX_ONLINE_RANK = MAX_SMALL_DIMENSION;

/** How a multi-channel chunk is read (as in {@link PastFutureLearner}). */
export type OnlinePooling = 'joint' | 'channels';

/**
 * Options of {@link OnlinePastFutureCca}; `channels`, `pastLags`, `futureLags`, `gap` mean what they
 * mean for the batch statistics (`channels` only for 'joint' pooling), and `center` subtracts each
 * channel's running mean. Defaults: {@link DEFAULT_ONLINE_CCA_OPTIONS}.
 */
export interface OnlineCcaOptions extends Pick<LaggedMomentsOptions, 'channels' | 'pastLags' | 'futureLags' | 'gap' | 'center'> {
  /** k, number of units (canonical pairs learned). Default 2 (L3 = ψ1, L1/L2 = ψ2). */
  readonly rank?: number;
  /**
   * 'joint' (default): one C-channel stream, past = all channels' lags. 'channels': every channel
   * of a chunk is its own series of one scalar stream and all pool (layer 1), learned in time order.
   */
  readonly pooling?: OnlinePooling;
  /** μ0, the dimensionless learning rate at the start of the schedule μ_t = μ0 / (1 + t/τ). Default 1. */
  readonly learningRate?: number;
  /** τ, pairs over which the rate halves. Default 10·C·m (the past dimension × 10). */
  readonly rateDecayPairs?: number;
  /** Lower bound of μ_t: > 0 keeps tracking changing statistics (forgetting). Default 0. */
  readonly rateFloor?: number;
  /** q, order of the prediction-error preconditioner (0: none). Default 8. */
  readonly preconditionerOrder?: number;
  /** Seed of the random initial filters. Default 0. */
  readonly seed?: number;
}

/** {@link OnlineCcaOptions} with every default filled in (`OnlinePastFutureCca.options`). */
export type ResolvedOnlineCcaOptions = Required<OnlineCcaOptions>;

/** Defaults of {@link OnlineCcaOptions} (docs/online-learning.md). */
export const DEFAULT_ONLINE_CCA_OPTIONS = {
  channels: 1,
  gap: 0,
  rank: 2,
  pooling: 'joint' as OnlinePooling,
  learningRate: 1,
  /** Multiplied by C·m unless given. */
  rateDecayPairsPerPastDimension: 10,
  rateFloor: 0,
  preconditionerOrder: 8,
  center: false,
  seed: 0,
} as const;

/** Explained variance below which a unit counts as having found no correlated direction (ρ < 0.1). */
const DEAD_UNIT_VARIANCE = 0.01;
/** Lateral statistics average over this fraction of a learning time constant ((C·m + C·h)/2 / μ pairs). */
const LATERAL_WINDOW_FRACTION = 1;
/**
 * The targets' decorrelation uses statistics over this (shorter) fraction, so they describe the
 * current filters even while a unit moves fast.
 */
const TARGET_WINDOW_FRACTION = 0.02;
/** Relative ridge of the lateral k×k whitening (keeps two units that briefly coincide finite). */
const LATERAL_RIDGE = 1e-6;
/** The read-out takes a candidate every this many pairs. */
const READOUT_EVERY = 4;
/** Fraction of the pairs seen that the reported filters average over (the last half). */
const AVERAGED_FRACTION = 0.5;
/** White-noise floor added to r_0 before Levinson: bounds P by 1/(this · r_0). */
const PRECONDITIONER_RIDGE = 1e-3;
/**
 * Pairs, in units of rateDecayPairs, before which fit() warns that the filters may still be
 * converging (on the OU and scene streams the held-out ρ reaches 0.99 of the batch value after
 * ≈ 40 τ: docs/online-learning.md).
 */
const SETTLED_DECAYS = 40;
/** Largest gain of one update on its own sample (η·pᵀPp ≤ this): no overshoot on outliers (edges). */
const MAX_SAMPLE_GAIN = 1;

/** Validates and fills in defaults. @throws ConfigError naming the field. */
export function resolveOnlineCcaOptions(options: OnlineCcaOptions): ResolvedOnlineCcaOptions {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const d = DEFAULT_ONLINE_CCA_OPTIONS;
  const pooling = requireOneOf('pooling', options.pooling ?? d.pooling, ['joint', 'channels']);
  const channels = pooling === 'channels' ? 1 : requireInt('channels', options.channels ?? d.channels, { min: 1, max: MAX_ONLINE_DIMENSION });
  const pastLags = requireInt('pastLags', options.pastLags, { min: 1, max: MAX_LAGS });
  const futureLags = requireInt('futureLags', options.futureLags, { min: 1, max: MAX_LAGS });
  const gap = requireInt('gap', options.gap ?? d.gap, { min: 0, max: MAX_LAGS });
  const dimension = channels * (pastLags + futureLags);
  if (dimension > MAX_ONLINE_DIMENSION) throw new ConfigError('channels × (pastLags + futureLags)', dimension, `at most ${MAX_ONLINE_DIMENSION}`);
  const maxRank = Math.min(MAX_ONLINE_RANK, channels * pastLags, channels * futureLags);
  const rank = requireInt('rank', options.rank ?? Math.min(d.rank, maxRank), { min: 1, max: maxRank });
  const learningRate = requireFinite('learningRate', options.learningRate ?? d.learningRate, { min: 0, exclusiveMin: true, max: 1 });
  const rateDecayPairs = requireFinite('rateDecayPairs', options.rateDecayPairs ?? d.rateDecayPairsPerPastDimension * channels * pastLags, { min: 1, max: 1e15 });
  const rateFloor = requireFinite('rateFloor', options.rateFloor ?? d.rateFloor, { min: 0, max: learningRate });
  const preconditionerOrder = requireInt('preconditionerOrder', options.preconditionerOrder ?? d.preconditionerOrder, { min: 0, max: MAX_PREDICTION_ORDER });
  const center = requireBoolean('center', options.center ?? d.center);
  const seed = requireInt('seed', options.seed ?? d.seed, { min: 0, max: Number.MAX_SAFE_INTEGER });
  return { channels, pastLags, futureLags, gap, rank, pooling, learningRate, rateDecayPairs, rateFloor, preconditionerOrder, center, seed };
}

/** Versioned JSON-safe state of an {@link OnlinePastFutureCca} (plain arrays only). */
export interface OnlineCcaJSON {
  readonly format: 'resu-online-cca';
  readonly version: 1;
  readonly options: ResolvedOnlineCcaOptions;
  readonly pairs: number;
  readonly samplesSeen: number;
  readonly seriesEnded: number;
  /** k rows of C·m (past filters Ψ) and of C·h (future filters Φ): the learning units. */
  readonly pastWeights: number[][];
  readonly futureWeights: number[][];
  /** k×k row-major running covariances of z, a and E[z aᵀ] (the lateral weights), long window. */
  readonly covariances: { readonly past: number[]; readonly future: number[]; readonly cross: number[] };
  /** The same for z and a over the short window of the targets' decorrelation. */
  readonly targetCovariances: { readonly past: number[]; readonly future: number[] };
  /** The read-out: averaged canonical directions ψ̄_i, φ̄_i and correlations, continued across pairs (unit order). */
  readonly readout: { readonly pastFilters: number[][]; readonly futureDirections: number[][]; readonly correlations: number[] };
  /** Per channel Σ y_t·y_{t−l}, l = 0 … q, over every sample (preconditioner statistics). */
  readonly lagProductSums: number[][];
  /** Per channel Σ y (centering only; zeros otherwise) and the number of samples behind both sums. */
  readonly sampleSums: number[];
  readonly sampleCount: number;
  /** Whether the initial filters have been matched to the input's scale (absent in older states: true once pairs were learned). */
  readonly initialScaleSet?: boolean;
  /** Open series: key and the last up to m + g + h − 1 samples per channel (raw). */
  readonly openSeries: { readonly key: string; readonly tail: number[][] }[];
}

interface SeriesWindow {
  /** Per channel, the last up to L samples (raw), oldest first, in a buffer of L. */
  readonly window: Float64Array[];
  length: number;
}

/**
 * The online past–future CCA learner. `update(chunk, seriesKey)` learns every pair whose future
 * completes in the chunk; `fit()` reads out the current canonical directions as a {@link CcaFit}
 * (ρ estimated on the stream, filters signed as in docs/method.md §1).
 */
export class OnlinePastFutureCca {
  readonly options: ResolvedOnlineCcaOptions;
  /** L = m + g + h: samples in one pair's window. */
  readonly windowLength: number;
  private readonly k: number;
  private readonly pastDimension: number;
  private readonly futureDimension: number;
  private readonly q: number;
  private pairCount = 0;
  /** Whether the initial filters have been matched to the input's scale (at the first pair with signal). */
  private initialScaleSet = false;
  private samples = 0;
  private ended = 0;
  private series = new Map<string, SeriesWindow>();
  // learned state
  private pastWeights: Float64Array[] = [];
  private futureWeights: Float64Array[] = [];
  private readonly Cz: Float64Array;
  private readonly Ca: Float64Array;
  private readonly Cza: Float64Array;
  private readonly maskedCz: Float64Array;
  private readonly maskedCa: Float64Array;
  private readonly maskedCza: Float64Array;
  private readonly targetCz: Float64Array;
  private readonly targetCa: Float64Array;
  private readoutPast: Float64Array[] = [];
  private readoutFuture: Float64Array[] = [];
  private readoutCorrelations: Float64Array;
  private lagSums: Float64Array[];
  private sampleSums: Float64Array;
  private sampleCount = 0;
  // derived and scratch (not state)
  private readonly predictors: LinearPredictor[];
  private readonly pastPreconditioners: PredictionErrorPreconditioner[];
  private readonly futurePreconditioners: PredictionErrorPreconditioner[];
  private readonly p: Float64Array;
  private readonly f: Float64Array;
  private readonly pWhite: Float64Array;
  private readonly fWhite: Float64Array;
  private readonly z: Float64Array;
  private readonly a: Float64Array;
  private readonly u: Float64Array;
  private readonly v: Float64Array;
  private readonly cholesky: Float64Array;
  private readonly rotationPast: Float64Array;
  private readonly rotationFuture: Float64Array;
  private readonly rotationCorrelations: Float64Array;
  private readonly candidatesPast: Float64Array[];
  private readonly candidatesFuture: Float64Array[];
  private readonly overlap: Float64Array;
  private readonly assignment: Int32Array;
  private readonly used: Uint8Array;
  private readonly workspace: SmallCcaWorkspace;
  private readonly lagScratch: Float64Array;

  constructor(options: OnlineCcaOptions) {
    this.options = resolveOnlineCcaOptions(options);
    const { channels: C, pastLags: m, futureLags: h, gap: g, rank: k, preconditionerOrder } = this.options;
    this.k = k;
    this.windowLength = m + g + h;
    this.pastDimension = C * m;
    this.futureDimension = C * h;
    // the predictor of order q needs q + 1 lags inside the shorter lag vector
    this.q = Math.min(preconditionerOrder, m - 1, h - 1);
    const kk = k * k, P = this.pastDimension, F = this.futureDimension;
    this.Cz = new Float64Array(kk); this.Ca = new Float64Array(kk); this.Cza = new Float64Array(kk);
    this.targetCz = new Float64Array(kk); this.targetCa = new Float64Array(kk);
    this.maskedCz = new Float64Array(kk); this.maskedCa = new Float64Array(kk); this.maskedCza = new Float64Array(kk);
    this.readoutCorrelations = new Float64Array(k);
    this.lagSums = Array.from({ length: C }, () => new Float64Array(this.q + 1));
    this.sampleSums = new Float64Array(C);
    this.predictors = Array.from({ length: C }, () => new LinearPredictor(this.q));
    this.pastPreconditioners = this.predictors.map((pr) => new PredictionErrorPreconditioner(m, pr));
    this.futurePreconditioners = this.predictors.map((pr) => new PredictionErrorPreconditioner(h, pr));
    this.p = new Float64Array(P); this.f = new Float64Array(F);
    this.pWhite = new Float64Array(P); this.fWhite = new Float64Array(F);
    this.z = new Float64Array(k); this.a = new Float64Array(k); this.u = new Float64Array(k); this.v = new Float64Array(k);
    this.cholesky = new Float64Array(kk);
    this.rotationPast = new Float64Array(kk); this.rotationFuture = new Float64Array(kk);
    this.rotationCorrelations = new Float64Array(k);
    this.candidatesPast = Array.from({ length: k }, () => new Float64Array(P));
    this.candidatesFuture = Array.from({ length: k }, () => new Float64Array(F));
    this.overlap = new Float64Array(kk); this.assignment = new Int32Array(k); this.used = new Uint8Array(k);
    this.workspace = new SmallCcaWorkspace(k);
    this.lagScratch = new Float64Array(this.q + 1);
    this.initializeWeights();
  }

  /** Pairs learned so far. */
  get pairs(): number { return this.pairCount; }
  /** Samples received (per channel; with 'channels' pooling, summed over the chunks' channels). */
  get samplesSeen(): number { return this.samples; }
  /** Keys of the series currently open. */
  get openSeries(): string[] { return [...this.series.keys()]; }

  /** The learning rate μ_t of the next pair (dimensionless; the step is μ_t / (C·m) on the whitened past). */
  get learningRate(): number {
    const { learningRate, rateDecayPairs, rateFloor } = this.options;
    return Math.max(learningRate / (1 + this.pairCount / rateDecayPairs), rateFloor);
  }

  /**
   * Learns every pair whose future completes within the chunk, in time order. Validates the whole
   * chunk first, so a bad chunk leaves the state untouched.
   * @param chunk 'joint': one array (C = 1) or C arrays of equal length. 'channels': one array or
   *   any number of equal-length arrays, each its own series `${seriesKey}\u0000${index}`.
   * @throws ConfigError / ShapeError naming the channel and index of the first bad value (not finite,
   *   or beyond the sample magnitude limit ±1e50), or a series key longer than 1024 characters.
   */
  update(chunk: unknown, seriesKey = ''): this {
    requireSeriesName('seriesKey', seriesKey);
    const pooled = this.options.pooling === 'channels';
    const list = chunk as ArrayLike<unknown>;
    const count = pooled ? (list && list.length > 0 && typeof list[0] !== 'number' ? list.length : 1) : this.options.channels;
    const data = readChunk(chunk, count);
    const n = data[0].length;
    if (n === 0) return this;
    const keys = pooled ? data.map((_, c) => `${seriesKey}\u0000${c}`) : [seriesKey];
    const opening = keys.filter((key) => !this.series.has(key)).length;
    if (this.series.size + opening > MAX_OPEN_SERIES) {
      throw new ShapeError(`too many open series (${this.series.size} open, this chunk would open ${opening} more; at most ${MAX_OPEN_SERIES}): end series with endSeries()`);
    }
    const windows = keys.map((key) => {
      let state = this.series.get(key);
      if (!state) { state = this.newSeries(); this.series.set(key, state); }
      return state;
    });
    const C = this.options.channels;
    for (let i = 0; i < n; i++) {
      if (pooled) {
        for (let c = 0; c < data.length; c++) this.push(windows[c], data, c, i, 1);
      } else {
        this.push(windows[0], data, 0, i, C);
      }
    }
    this.samples += pooled ? n * data.length : n;
    return this;
  }

  /** Closes series `seriesKey` (with 'channels' pooling, all its channels): no pair bridges the break. */
  endSeries(seriesKey = ''): this {
    if (this.options.pooling === 'channels') {
      const prefix = `${seriesKey}\u0000`;
      for (const key of [...this.series.keys()]) if (key.startsWith(prefix)) { this.series.delete(key); this.ended++; }
    } else if (this.series.delete(seriesKey)) {
      this.ended++;
    }
    return this;
  }

  /** Closes every open series. */
  endAllSeries(): this {
    this.ended += this.series.size;
    this.series.clear();
    return this;
  }

  /** Back to the just-constructed state (same initial filters for the same seed); releases every window. */
  reset(): this {
    this.pairCount = 0; this.samples = 0; this.ended = 0; this.sampleCount = 0;
    this.series.clear();
    for (const m of [this.Cz, this.Ca, this.Cza, this.targetCz, this.targetCa, this.readoutCorrelations, this.sampleSums]) m.fill(0);
    for (const s of this.lagSums) s.fill(0);
    this.initializeWeights();
    return this;
  }

  /**
   * The current canonical directions, ordered by correlation: ρ_i estimated on the stream (over
   * the last half of the pairs), ψ_i normalized to unit output variance there with its future
   * direction φ_i, each ψ_i signed so its largest-|·| tap (or `pinnedTap`) is positive (φ_i with it).
   * @throws NotEnoughDataError before the first pair.
   */
  fit(options: { readonly pinnedTap?: number | null } = {}): CcaFit {
    const { channels, pastLags, futureLags, center } = this.options;
    if (this.pairCount === 0) {
      throw new NotEnoughDataError(`no (past, future) pair learned yet: a pair needs pastLags + gap + futureLags = ${this.windowLength} samples of one series (${this.samples} samples received)`);
    }
    if (this.lagSums.every((sums) => !(sums[0] > 0))) {
      throw new DegenerateDataError(`the signal is all zero${center ? ' (or constant: centering is on)' : ''}: there is no direction to learn`);
    }
    const pinnedTap = options.pinnedTap ?? null;
    if (pinnedTap !== null) requireInt('pinnedTap', pinnedTap, { min: 0, max: this.pastDimension - 1 });
    const k = this.k;
    const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => this.readoutCorrelations[j] - this.readoutCorrelations[i]);
    const correlations = Float64Array.from(order, (i) => Math.min(1, Math.max(0, this.readoutCorrelations[i])));
    const pastFilters = order.map((i) => Float64Array.from(this.readoutPast[i]));
    const futureDirections = order.map((i) => Float64Array.from(this.readoutFuture[i]));
    pastFilters.forEach((filter, i) => { if (signOf(filter, pinnedTap) < 0) { negate(filter); negate(futureDirections[i]); } });
    const warnings: string[] = [];
    // a unit whose past filter explains less than DEAD_UNIT_VARIANCE of its (unit-variance) target
    // found no direction with ρ above √DEAD_UNIT_VARIANCE (its read-out entry decays to σ = 0)
    let dead = 0;
    for (let i = 0; i < k; i++) if (this.Cz[i * k + i] < DEAD_UNIT_VARIANCE) dead++;
    if (dead > 0) {
      warnings.push(`${dead} of ${k} units found no direction with ρ above ${Math.sqrt(DEAD_UNIT_VARIANCE)} (the rank may exceed the number of correlated directions): the last ${dead === 1 ? 'filter is' : `${dead} filters are`} noise`);
    }
    const settled = SETTLED_DECAYS * this.options.rateDecayPairs;
    if (this.pairCount < settled) {
      warnings.push(`the online rule has learned ${this.pairCount} pairs, fewer than ${SETTLED_DECAYS} × rateDecayPairs = ${Math.round(settled)}: the filters may still be converging`);
    }
    for (const row of [correlations, ...pastFilters, ...futureDirections]) {
      if (!row.every(Number.isFinite)) throw new NotEnoughDataError('the online filters are not finite (degenerate input: all zero or constant?)');
    }
    return {
      correlations, pastFilters, futureDirections,
      mutualInformationNats: mutualInformationNats(correlations),
      mutualInformationBits: mutualInformationBits(correlations),
      // not estimated: the rule never forms Rp or Rf
      conditionNumber: { past: Number.NaN, future: Number.NaN },
      pairs: this.pairCount, weight: this.pairCount, channels, pastLags, futureLags, centered: center, warnings,
    };
  }

  /** Versioned, JSON-safe snapshot of the whole state (open series included). */
  toJSON(): OnlineCcaJSON {
    const rows = (list: Float64Array[]) => list.map((row) => Array.from(row));
    return {
      format: 'resu-online-cca',
      version: 1,
      options: { ...this.options },
      pairs: this.pairCount,
      samplesSeen: this.samples,
      seriesEnded: this.ended,
      pastWeights: rows(this.pastWeights),
      futureWeights: rows(this.futureWeights),
      covariances: { past: Array.from(this.Cz), future: Array.from(this.Ca), cross: Array.from(this.Cza) },
      targetCovariances: { past: Array.from(this.targetCz), future: Array.from(this.targetCa) },
      readout: { pastFilters: rows(this.readoutPast), futureDirections: rows(this.readoutFuture), correlations: Array.from(this.readoutCorrelations) },
      lagProductSums: rows(this.lagSums),
      sampleSums: Array.from(this.sampleSums),
      sampleCount: this.sampleCount,
      initialScaleSet: this.initialScaleSet,
      // the oldest sample of a full window is no longer needed: keep the last L − 1
      openSeries: [...this.series].map(([key, state]) => ({
        key, tail: state.window.map((channel) => Array.from(channel.subarray(Math.max(0, state.length - (this.windowLength - 1)), state.length))),
      })),
    };
  }

  /**
   * Rebuilds a learner from {@link toJSON} output; it continues exactly where the original stopped.
   * @param expected when given, the payload's options must equal these (after defaults).
   * @throws ShapeError / ConfigError for another format, version, shape, configuration or a non-finite value.
   */
  static fromJSON(payload: unknown, expected?: OnlineCcaOptions): OnlinePastFutureCca {
    const data = payload as Partial<OnlineCcaJSON> | null;
    const what = 'online CCA state';
    if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(what, payload, 'an object');
    if (data.format !== 'resu-online-cca') throw new ShapeError(`${what} has format ${JSON.stringify(data.format)}; expected "resu-online-cca"`);
    if (data.version !== 1) throw new ShapeError(`${what} has version ${JSON.stringify(data.version)}; this library reads version 1`);
    const learner = new OnlinePastFutureCca(data.options as OnlineCcaOptions);
    if (expected) {
      const wanted = resolveOnlineCcaOptions(expected);
      for (const key of Object.keys(wanted) as (keyof ResolvedOnlineCcaOptions)[]) {
        if (wanted[key] !== learner.options[key]) {
          throw new ShapeError(`cannot load ${what} with ${key} = ${JSON.stringify(learner.options[key])} into a learner with ${key} = ${JSON.stringify(wanted[key])}`);
        }
      }
    }
    const k = learner.k, C = learner.options.channels, P = learner.pastDimension, F = learner.futureDimension;
    const matrix = (field: string, value: unknown, count: number, width: number): Float64Array[] => {
      if (!Array.isArray(value) || value.length !== count) throw new ShapeError(`${what} ${field} must hold ${count} rows of ${width} numbers`);
      return value.map((row, i) => requireFiniteArray(`${what} ${field}[${i}]`, row, { minLength: width, maxLength: width }));
    };
    const vector = (field: string, value: unknown, length: number): Float64Array => requireFiniteArray(`${what} ${field}`, value, { minLength: length, maxLength: length });
    learner.pastWeights = matrix('pastWeights', data.pastWeights, k, P);
    learner.futureWeights = matrix('futureWeights', data.futureWeights, k, F);
    const covariances = (data.covariances ?? {}) as Partial<OnlineCcaJSON['covariances']>;
    learner.Cz.set(vector('covariances.past', covariances.past, k * k));
    learner.Ca.set(vector('covariances.future', covariances.future, k * k));
    learner.Cza.set(vector('covariances.cross', covariances.cross, k * k));
    const targetCovariances = (data.targetCovariances ?? {}) as Partial<OnlineCcaJSON['targetCovariances']>;
    learner.targetCz.set(vector('targetCovariances.past', targetCovariances.past, k * k));
    learner.targetCa.set(vector('targetCovariances.future', targetCovariances.future, k * k));
    const readout = (data.readout ?? {}) as Partial<OnlineCcaJSON['readout']>;
    learner.readoutPast = matrix('readout.pastFilters', readout.pastFilters, k, P);
    learner.readoutFuture = matrix('readout.futureDirections', readout.futureDirections, k, F);
    learner.readoutCorrelations = vector('readout.correlations', readout.correlations, k);
    learner.lagSums = matrix('lagProductSums', data.lagProductSums, C, learner.q + 1);
    learner.sampleSums = vector('sampleSums', data.sampleSums, C);
    learner.sampleCount = requireInt(`${what} sampleCount`, data.sampleCount, { min: 0, max: Number.MAX_SAFE_INTEGER });
    learner.pairCount = requireInt(`${what} pairs`, data.pairs, { min: 0, max: Number.MAX_SAFE_INTEGER });
    learner.initialScaleSet = data.initialScaleSet === undefined ? learner.pairCount > 0 : requireBoolean(`${what} initialScaleSet`, data.initialScaleSet);
    learner.samples = requireInt(`${what} samplesSeen`, data.samplesSeen, { min: 0, max: Number.MAX_SAFE_INTEGER });
    learner.ended = requireInt(`${what} seriesEnded`, data.seriesEnded, { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (!Array.isArray(data.openSeries) || data.openSeries.length > MAX_OPEN_SERIES) {
      throw new ConfigError(`${what} openSeries`, data.openSeries, `an array of at most ${MAX_OPEN_SERIES} series`);
    }
    for (const entry of data.openSeries) {
      if (!entry || typeof entry.key !== 'string' || entry.key.length > MAX_SERIES_KEY_LENGTH || !Array.isArray(entry.tail) || entry.tail.length !== C) {
        throw new ShapeError(`${what} openSeries entry must have a string key of at most ${MAX_SERIES_KEY_LENGTH} characters and ${C} tail channels`);
      }
      const length = Array.isArray(entry.tail[0]) ? entry.tail[0].length : -1;
      if (length < 0 || length > learner.windowLength - 1) throw new ShapeError(`${what} tail of series ${JSON.stringify(entry.key)} must hold at most ${learner.windowLength - 1} samples`);
      if (learner.series.has(entry.key)) throw new ShapeError(`${what} lists series ${JSON.stringify(entry.key)} twice`);
      const state = learner.newSeries();
      entry.tail.forEach((channel, c) => state.window[c].set(vector(`tail[${c}]`, channel, length)));
      state.length = length;
      learner.series.set(entry.key, state);
    }
    return learner;
  }

  // ---------------------------------------------------------------- internals

  private initializeWeights(): void {
    const { rank: k, seed } = this.options;
    const random = new Random(seed);
    const draw = (width: number) => Float64Array.from({ length: width }, () => random.gaussian() / Math.sqrt(width));
    this.pastWeights = Array.from({ length: k }, () => draw(this.pastDimension));
    this.futureWeights = Array.from({ length: k }, () => draw(this.futureDimension));
    this.readoutPast = Array.from({ length: k }, () => new Float64Array(this.pastDimension));
    this.readoutFuture = Array.from({ length: k }, () => new Float64Array(this.futureDimension));
    this.initialScaleSet = false;
  }

  /**
   * Divides each channel's block of the initial filters by that channel's rms so far (the
   * preconditioner's r_0), once, at the first pair with signal: the outputs start at order one
   * whatever the input's units, and the whole run is equivariant to scaling the input (ψ × 1/s, the
   * same ρ), as the batch CCA is. Without it, input × 10¹⁰ started from outputs 10¹⁰ times too
   * large and ended with ρ1 0.84 instead of 0.94 on an AR(2) stream.
   */
  private matchInitialScale(): void {
    const { channels: C, pastLags: m, futureLags: h } = this.options;
    if (this.sampleCount === 0 || this.lagSums.every((sums) => !(sums[0] > 0))) return;
    for (let c = 0; c < C; c++) {
      const meanSquare = this.lagSums[c][0] / this.sampleCount;
      if (!(meanSquare > 0)) continue; // a channel without signal yet keeps its draw
      const scale = 1 / Math.sqrt(meanSquare);
      for (const row of this.pastWeights) for (let j = c * m; j < (c + 1) * m; j++) row[j] *= scale;
      for (const row of this.futureWeights) for (let j = c * h; j < (c + 1) * h; j++) row[j] *= scale;
    }
    this.initialScaleSet = true;
  }

  private newSeries(): SeriesWindow {
    return { window: Array.from({ length: this.options.channels }, () => new Float64Array(this.windowLength)), length: 0 };
  }

  /**
   * Appends sample i of channels [first, first + count) to a window, adds its lag products to the
   * preconditioner statistics and learns the pair it completes.
   */
  private push(state: SeriesWindow, data: Float64Array[], first: number, i: number, count: number): void {
    const L = this.windowLength, q = this.q, center = this.options.center;
    if (state.length === L) {
      for (let c = 0; c < count; c++) state.window[c].copyWithin(0, 1, L);
      state.length = L - 1;
    }
    this.sampleCount++;
    for (let c = 0; c < count; c++) {
      const y = data[first + c][i], w = state.window[c];
      w[state.length] = y;
      if (center) this.sampleSums[c] += y;
      // Σ y_t·y_{t−l} over every sample of every series (zero before a series starts): the
      // autocorrelation of finite sequences, so always positive semi-definite (a sum over the
      // pairs' windows instead is not, and on smooth scenes made the order-4 predictor "perfect")
      const mean = center ? this.sampleSums[c] / this.sampleCount : 0;
      const sums = this.lagSums[c], newest = y - mean;
      for (let l = 0; l <= q && l <= state.length; l++) sums[l] += newest * (w[state.length - l] - mean);
    }
    state.length++;
    if (state.length === L) this.learnPair(state);
  }

  /** One step of the rule on the pair held by a full window (oldest sample first). */
  private learnPair(state: SeriesWindow): void {
    const { channels: C, pastLags: m, futureLags: h, gap: g, center } = this.options;
    const k = this.k, P = this.pastDimension, F = this.futureDimension, p = this.p, f = this.f;
    for (let c = 0; c < C; c++) {
      const w = state.window[c];
      const mean = center && this.sampleCount > 0 ? this.sampleSums[c] / this.sampleCount : 0;
      for (let j = 0; j < m; j++) p[c * m + j] = w[m - 1 - j] - mean;
      for (let j = 0; j < h; j++) f[c * h + j] = w[m + g + j] - mean;
    }
    this.updatePreconditioners();
    if (!this.initialScaleSet) this.matchInitialScale();
    const mu = this.learningRate, t = this.pairCount;
    const z = this.z, a = this.a;
    for (let i = 0; i < k; i++) { z[i] = dot(this.pastWeights[i], p, P); a[i] = dot(this.futureWeights[i], f, F); }
    // lateral statistics over about one learning time constant, (C·m + C·h)/2 / μ pairs
    const window = Math.max(2, LATERAL_WINDOW_FRACTION * (P + F) / (2 * mu));
    const beta = 1 / Math.min(t + 1, window);
    addOuter(this.Cz, z, z, k, beta); addOuter(this.Ca, a, a, k, beta); addOuter(this.Cza, z, a, k, beta);
    const fastBeta = 1 / Math.min(t + 1, Math.max(2, TARGET_WINDOW_FRACTION * (P + F) / (2 * mu)));
    addOuter(this.targetCz, z, z, k, fastBeta); addOuter(this.targetCa, a, a, k, fastBeta);
    // read-out first (the covariances describe the filters before this pair's update)
    // (every READOUT_EVERY pairs, at fixed pair counts so chunking does not matter: consecutive
    // candidates barely differ, and this is the costliest part after the preconditioner)
    if (t % READOUT_EVERY === 0) this.updateReadout(t);
    // targets: each unit's own output, decorrelated from the units before it (Cholesky, lower
    // triangular with a positive diagonal): the past filter learns the future side's, the future
    // filter the past side's. A unit never swaps targets or signs, and one lost in a direction
    // without correlation is pulled out at first order (a deflated power iteration).
    const u = this.u, v = this.v;
    // decorrelation coefficients from the short window (they must describe the current filters,
    // or a unit nearly parallel to another is fed the other's output, amplified), scale from the
    // unit's own output sd over the long window (a residual that is small next to the unit's own
    // output stays small instead of being blown up to unit variance)
    lowerSolve(this.targetCz, z, k, u, this.cholesky);
    for (let i = 0; i < k; i++) u[i] *= this.cholesky[i * k + i] / Math.sqrt(Math.max(this.Cz[i * k + i], Number.MIN_VALUE));
    lowerSolve(this.targetCa, a, k, v, this.cholesky);
    for (let i = 0; i < k; i++) v[i] *= this.cholesky[i * k + i] / Math.sqrt(Math.max(this.Ca[i * k + i], Number.MIN_VALUE));
    // preconditioned inputs and step sizes (gain on the pair's own sample at most MAX_SAMPLE_GAIN)
    let pastNorm = 0, futureNorm = 0;
    for (let c = 0; c < C; c++) {
      pastNorm += this.pastPreconditioners[c].apply(p, c * m, this.pWhite, c * m);
      futureNorm += this.futurePreconditioners[c].apply(f, c * h, this.fWhite, c * h);
    }
    let pastStep = mu / P, futureStep = mu / F;
    if (pastStep * pastNorm > MAX_SAMPLE_GAIN) pastStep = MAX_SAMPLE_GAIN / pastNorm;
    if (futureStep * futureNorm > MAX_SAMPLE_GAIN) futureStep = MAX_SAMPLE_GAIN / futureNorm;
    for (let i = 0; i < k; i++) {
      axpy(this.pastWeights[i], pastStep * (v[i] - z[i]), this.pWhite, P);
      axpy(this.futureWeights[i], futureStep * (u[i] - a[i]), this.fWhite, F);
    }
    this.pairCount++;
  }

  /**
   * Rotates the current filters into canonical directions with the k×k CCA of (z, a) (each with
   * unit output variance over the lateral window), matches them to the running averages (largest
   * |cosine| first, sign made positive) and blends them in with weight
   * READOUT_EVERY / (AVERAGED_FRACTION·(t + 1)): an average over the last half of the pairs.
   */
  private updateReadout(t: number): void {
    const k = this.k, P = this.pastDimension, F = this.futureDimension;
    const Tz = this.rotationPast, Ta = this.rotationFuture, sigma = this.rotationCorrelations;
    // a dead unit (explains < DEAD_UNIT_VARIANCE of its target: no correlated direction of its own)
    // has a small, ever-moving filter whose window statistics overstate its correlations; it
    // enters the k×k CCA as an independent unit-variance output correlated with nothing, so its
    // candidate is its own raw filter with σ = 0 and the live units' rotation is unaffected
    const Cz = this.maskedCz, Ca = this.maskedCa, Cza = this.maskedCza;
    Cz.set(this.Cz); Ca.set(this.Ca); Cza.set(this.Cza);
    if (t > 0) {
      for (let d = 0; d < k; d++) {
        if (this.Cz[d * k + d] >= DEAD_UNIT_VARIANCE) continue;
        for (let j = 0; j < k; j++) {
          Cz[d * k + j] = Cz[j * k + d] = 0; Ca[d * k + j] = Ca[j * k + d] = 0; Cza[d * k + j] = Cza[j * k + d] = 0;
        }
        Cz[d * k + d] = 1; Ca[d * k + d] = 1;
      }
    }
    smallCanonicalTransforms(Cz, Ca, Cza, k, LATERAL_RIDGE, Tz, Ta, sigma, this.workspace);
    for (let i = 0; i < k; i++) {
      const past = this.candidatesPast[i], future = this.candidatesFuture[i];
      past.fill(0); future.fill(0);
      for (let j = 0; j < k; j++) {
        axpy(past, Tz[i * k + j], this.pastWeights[j], P);
        axpy(future, Ta[i * k + j], this.futureWeights[j], F);
      }
    }
    const alpha = Math.min(1, READOUT_EVERY / (AVERAGED_FRACTION * (t + 1)));
    if (t === 0) {
      for (let i = 0; i < k; i++) {
        this.readoutPast[i].set(this.candidatesPast[i]); this.readoutFuture[i].set(this.candidatesFuture[i]);
        this.readoutCorrelations[i] = sigma[i];
      }
      return;
    }
    // overlap[i·k + j] = cos(candidate i, average j); greedy matching on the largest |cos|
    const overlap = this.overlap, assignment = this.assignment, used = this.used;
    for (let i = 0; i < k; i++) {
      const ci = this.candidatesPast[i], ni = Math.sqrt(dot(ci, ci, P)) || 1;
      for (let j = 0; j < k; j++) {
        const aj = this.readoutPast[j];
        overlap[i * k + j] = dot(ci, aj, P) / (ni * (Math.sqrt(dot(aj, aj, P)) || 1));
      }
    }
    assignment.fill(-1); used.fill(0);
    for (let step = 0; step < k; step++) {
      let bestI = 0, bestJ = 0, best = -1;
      for (let i = 0; i < k; i++) {
        if (used[i]) continue;
        for (let j = 0; j < k; j++) {
          if (assignment[j] >= 0) continue;
          const value = Math.abs(overlap[i * k + j]);
          if (value > best) { best = value; bestI = i; bestJ = j; }
        }
      }
      assignment[bestJ] = bestI; used[bestI] = 1;
    }
    for (let j = 0; j < k; j++) {
      const i = assignment[j], cos = overlap[i * k + j], sign = cos < 0 ? -1 : 1;
      blend(this.readoutPast[j], this.candidatesPast[i], sign, alpha, P);
      blend(this.readoutFuture[j], this.candidatesFuture[i], sign, alpha, F);
      this.readoutCorrelations[j] += alpha * (sigma[i] - this.readoutCorrelations[j]);
    }
  }

  /** Refreshes the predictors from the lag-product statistics: O(C·q²), small next to the update. */
  private updatePreconditioners(): void {
    const q = this.q, r = this.lagScratch;
    for (let c = 0; c < this.options.channels; c++) {
      const sums = this.lagSums[c];
      for (let l = 0; l <= q; l++) r[l] = sums[l] / this.sampleCount;
      r[0] *= 1 + PRECONDITIONER_RIDGE;
      this.predictors[c].setAutocovariance(r);
    }
  }
}

/**
 * out = L⁻¹ x with L the lower Cholesky factor of C + LATERAL_RIDGE·mean(diag C)·I (k×k): the
 * hierarchical decorrelation of the outputs (unit i is decorrelated from units 1 … i − 1 and scaled
 * to unit variance). Before any variance is known (C = 0) it returns x.
 */
function lowerSolve(C: Float64Array, x: Float64Array, k: number, out: Float64Array, L: Float64Array): void {
  let trace = 0;
  for (let i = 0; i < k; i++) trace += C[i * k + i];
  if (!(trace > 0)) { out.set(x); return; }
  const ridge = LATERAL_RIDGE * trace / k;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = C[i * k + j] + (i === j ? ridge : 0);
      for (let l = 0; l < j; l++) s -= L[i * k + l] * L[j * k + l];
      L[i * k + j] = i === j ? Math.sqrt(Math.max(s, ridge)) : s / L[j * k + j];
    }
  }
  for (let i = 0; i < k; i++) {
    let s = x[i];
    for (let l = 0; l < i; l++) s -= L[i * k + l] * out[l];
    out[i] = s / L[i * k + i];
  }
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s0 = 0, s1 = 0, i = 0;
  for (; i + 1 < n; i += 2) { s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; }
  if (i < n) s0 += a[i] * b[i];
  return s0 + s1;
}

function axpy(target: Float64Array, scale: number, x: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) target[i] += scale * x[i];
}

/** target ← target + alpha·(scale·x − target). */
function blend(target: Float64Array, x: Float64Array, scale: number, alpha: number, n: number): void {
  for (let i = 0; i < n; i++) target[i] += alpha * (scale * x[i] - target[i]);
}

/** M ← M + beta·(x yᵀ − M), k×k row-major. */
function addOuter(M: Float64Array, x: Float64Array, y: Float64Array, k: number, beta: number): void {
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) M[i * k + j] += beta * (x[i] * y[j] - M[i * k + j]);
}

function negate(values: Float64Array): void {
  for (let i = 0; i < values.length; i++) values[i] = -values[i];
}
