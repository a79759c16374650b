/**
 * A neuron-local online learning rule for past–future CCA (issue 19; equations and schedule in
 * docs/online-learning.md). k units each hold a past filter ψ_i (basal synapses on the C·m lags
 * p_t, newest first, channel-major as in docs/method.md §1) and a future filter φ_i (apical
 * synapses on the C·h lags f_t). Per learned pair the cost and the state are O(k·C·(m + h)): no
 * (m + h)² moment matrix is ever formed.
 *
 * One step, for the pair (p, f) whose future has just completed (the pair of time t − g − h is
 * learned when sample t arrives; a unit's output ψ_i·p_t only ever uses the past):
 *   z = Ψ p, a = Φ f                                   outputs of the past and future filters (k each)
 *   Cz, Ca, Cza ← running covariances of z, a          (window ≈ learning time constant)
 *   u = Tz z, v = Ta a                                 lateral k×k transform: the canonical variates of
 *                                                      (z, a), ordered by correlation, unit variance
 *   Ψ_i ← Ψ_i + η_p (v_i − z_i) P_p p                  each past filter regresses on its future variate
 *   Φ_i ← Φ_i + η_f (u_i − a_i) P_f f                  each future filter regresses on its past variate
 * P_p, P_f ≈ R⁻¹ are the prediction-error preconditioners (core/prediction.ts). The fixed points
 * are the canonical pairs, Ψ_i = ρ_i ψ_i and Φ_i = ρ_i φ_i, whatever P is. Read-out: averages of
 * the normalized filters over the last half of the pairs, rotated by the k×k CCA of their own
 * outputs' covariances (so the reported ρ is estimated on the stream), signed as in method.md §1.
 */
import { CcaFit, signOf } from './cca';
import { ConfigError, NotEnoughDataError, ShapeError } from './errors';
import { mutualInformationBits, mutualInformationNats } from './metrics';
import { MAX_LAGS, MAX_OPEN_SERIES, readChunk } from './moments';
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

/** Options of {@link OnlinePastFutureCca}. Defaults: {@link DEFAULT_ONLINE_CCA_OPTIONS}. */
export interface OnlineCcaOptions {
  /** C, input channels for 'joint' pooling (ignored by 'channels', which learns one scalar stream). Default 1. */
  readonly channels?: number;
  /** m, samples in the past vector (newest first). */
  readonly pastLags: number;
  /** h, samples in the future vector. */
  readonly futureLags: number;
  /** g, samples skipped between the newest past sample and the first future one. Default 0. */
  readonly gap?: number;
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
  /** q, order of the prediction-error preconditioner (0: none). Default 4. */
  readonly preconditionerOrder?: number;
  /** Subtract each channel's running mean before learning. Default false (docs/method.md: uncentered). */
  readonly center?: boolean;
  /** Seed of the random initial filters. Default 0. */
  readonly seed?: number;
}

export type ResolvedOnlineCcaOptions = Required<OnlineCcaOptions>;

export const DEFAULT_ONLINE_CCA_OPTIONS = {
  channels: 1,
  gap: 0,
  rank: 2,
  pooling: 'joint' as OnlinePooling,
  learningRate: 1,
  /** Multiplied by C·m unless given. */
  rateDecayPairsPerPastDimension: 10,
  rateFloor: 0,
  preconditionerOrder: 4,
  center: false,
  seed: 0,
} as const;

/** Relative ridge of the lateral k×k whitening (keeps two units that briefly coincide finite). */
const LATERAL_RIDGE = 1e-6;
/** Relative ridge of the read-out k×k CCA (as docs/method.md §1's ε). */
const READOUT_RIDGE = 1e-10;
/** Fraction of the pairs seen that the reported filters average over (the last half). */
const AVERAGED_FRACTION = 0.5;
/** White-noise floor added to r_0 before Levinson: bounds P by 1/(this · r_0). */
const PRECONDITIONER_RIDGE = 1e-3;
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
  /** k rows of C·m (current past filters Ψ) and of C·h (future filters Φ). */
  readonly pastWeights: number[][];
  readonly futureWeights: number[][];
  /** The same, normalized and averaged (what the read-out uses). */
  readonly averagedPastWeights: number[][];
  readonly averagedFutureWeights: number[][];
  /** k×k row-major: running covariances of z, a and E[z aᵀ] (lateral), and of the averaged outputs. */
  readonly covariances: { readonly past: number[]; readonly future: number[]; readonly cross: number[] };
  readonly averagedCovariances: { readonly past: number[]; readonly future: number[]; readonly cross: number[] };
  /** Per channel Σ y_t·y_{t−l}, l = 0 … q, over the learned pairs (preconditioner statistics). */
  readonly lagProductSums: number[][];
  /** Per channel Σ y (centering) and the number of samples summed. */
  readonly sampleSums: number[];
  readonly sampleCount: number;
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
  private samples = 0;
  private ended = 0;
  private series = new Map<string, SeriesWindow>();
  // learned state
  private pastWeights: Float64Array[] = [];
  private futureWeights: Float64Array[] = [];
  private averagedPast: Float64Array[] = [];
  private averagedFuture: Float64Array[] = [];
  private readonly Cz: Float64Array;
  private readonly Ca: Float64Array;
  private readonly Cza: Float64Array;
  private readonly Rz: Float64Array;
  private readonly Ra: Float64Array;
  private readonly Rza: Float64Array;
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
  private readonly lateralPast: Float64Array;
  private readonly lateralFuture: Float64Array;
  private readonly lateralCorrelations: Float64Array;
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
    const kk = k * k;
    this.Cz = new Float64Array(kk); this.Ca = new Float64Array(kk); this.Cza = new Float64Array(kk);
    this.Rz = new Float64Array(kk); this.Ra = new Float64Array(kk); this.Rza = new Float64Array(kk);
    this.lagSums = Array.from({ length: C }, () => new Float64Array(this.q + 1));
    this.sampleSums = new Float64Array(C);
    this.predictors = Array.from({ length: C }, () => new LinearPredictor(this.q));
    this.pastPreconditioners = this.predictors.map((pr) => new PredictionErrorPreconditioner(m, pr));
    this.futurePreconditioners = this.predictors.map((pr) => new PredictionErrorPreconditioner(h, pr));
    this.p = new Float64Array(this.pastDimension); this.f = new Float64Array(this.futureDimension);
    this.pWhite = new Float64Array(this.pastDimension); this.fWhite = new Float64Array(this.futureDimension);
    this.z = new Float64Array(k); this.a = new Float64Array(k); this.u = new Float64Array(k); this.v = new Float64Array(k);
    this.lateralPast = new Float64Array(kk); this.lateralFuture = new Float64Array(kk);
    this.lateralCorrelations = new Float64Array(k);
    this.workspace = new SmallCcaWorkspace(k);
    this.lagScratch = new Float64Array(this.q + 1);
    this.initializeWeights();
  }

  /** Pairs learned so far. */
  get pairs(): number { return this.pairCount; }
  /** Samples received (per channel; with 'channels' pooling, per channel of the chunks, summed over channels). */
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
   * @throws ConfigError / ShapeError naming the channel and index of the first bad value.
   */
  update(chunk: unknown, seriesKey = ''): this {
    if (typeof seriesKey !== 'string') throw new ConfigError('seriesKey', seriesKey, 'a string');
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
    for (const m of [this.Cz, this.Ca, this.Cza, this.Rz, this.Ra, this.Rza, this.sampleSums]) m.fill(0);
    for (const s of this.lagSums) s.fill(0);
    this.initializeWeights();
    return this;
  }

  /**
   * The current canonical directions: ρ estimated on the stream (the last half of the pairs),
   * ψ_i and future directions φ_i normalized to unit output variance there, each ψ_i signed so its
   * largest-|·| tap (or `pinnedTap`) is positive.
   * @throws NotEnoughDataError before the first pair.
   */
  fit(options: { readonly pinnedTap?: number | null } = {}): CcaFit {
    const { channels, pastLags, futureLags, center } = this.options;
    if (this.pairCount === 0) {
      throw new NotEnoughDataError(`no (past, future) pair learned yet: a pair needs pastLags + gap + futureLags = ${this.windowLength} samples of one series (${this.samples} samples received)`);
    }
    const pinnedTap = options.pinnedTap ?? null;
    if (pinnedTap !== null) requireInt('pinnedTap', pinnedTap, { min: 0, max: this.pastDimension - 1 });
    const k = this.k, P = this.pastDimension, F = this.futureDimension;
    const first = new Float64Array(k * k), second = new Float64Array(k * k), rho = new Float64Array(k);
    smallCanonicalTransforms(this.Rz, this.Ra, this.Rza, k, READOUT_RIDGE, first, second, rho, this.workspace, 'none');
    const correlations = new Float64Array(k);
    const pastFilters: Float64Array[] = [], futureDirections: Float64Array[] = [];
    for (let i = 0; i < k; i++) {
      correlations[i] = Math.min(1, Math.max(0, rho[i]));
      const filter = new Float64Array(P), direction = new Float64Array(F);
      for (let j = 0; j < k; j++) {
        const wp = first[i * k + j], wf = second[i * k + j], Ap = this.averagedPast[j], Af = this.averagedFuture[j];
        for (let x = 0; x < P; x++) filter[x] += wp * Ap[x];
        for (let x = 0; x < F; x++) direction[x] += wf * Af[x];
      }
      if (signOf(filter, pinnedTap) < 0) { negate(filter); negate(direction); }
      pastFilters.push(filter);
      futureDirections.push(direction);
    }
    const warnings: string[] = [];
    const settled = 20 * this.options.rateDecayPairs;
    if (this.pairCount < settled) {
      warnings.push(`the online rule has learned ${this.pairCount} pairs, fewer than 20 × rateDecayPairs = ${Math.round(settled)}: the filters may still be converging`);
    }
    for (const row of [correlations, ...pastFilters, ...futureDirections]) {
      if (!row.every(Number.isFinite)) throw new NotEnoughDataError('the online filters are not finite yet (degenerate input: all zero or constant?)');
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
      averagedPastWeights: rows(this.averagedPast),
      averagedFutureWeights: rows(this.averagedFuture),
      covariances: { past: Array.from(this.Cz), future: Array.from(this.Ca), cross: Array.from(this.Cza) },
      averagedCovariances: { past: Array.from(this.Rz), future: Array.from(this.Ra), cross: Array.from(this.Rza) },
      lagProductSums: rows(this.lagSums),
      sampleSums: Array.from(this.sampleSums),
      sampleCount: this.sampleCount,
      openSeries: [...this.series].map(([key, state]) => ({
        key, tail: state.window.map((channel) => Array.from(channel.subarray(0, state.length))),
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
    const square = (field: string, value: unknown): Float64Array => requireFiniteArray(`${what} ${field}`, value, { minLength: k * k, maxLength: k * k });
    learner.pastWeights = matrix('pastWeights', data.pastWeights, k, P);
    learner.futureWeights = matrix('futureWeights', data.futureWeights, k, F);
    learner.averagedPast = matrix('averagedPastWeights', data.averagedPastWeights, k, P);
    learner.averagedFuture = matrix('averagedFutureWeights', data.averagedFutureWeights, k, F);
    const cov = (data.covariances ?? {}) as Partial<OnlineCcaJSON['covariances']>;
    const avg = (data.averagedCovariances ?? {}) as Partial<OnlineCcaJSON['covariances']>;
    learner.Cz.set(square('covariances.past', cov.past)); learner.Ca.set(square('covariances.future', cov.future)); learner.Cza.set(square('covariances.cross', cov.cross));
    learner.Rz.set(square('averagedCovariances.past', avg.past)); learner.Ra.set(square('averagedCovariances.future', avg.future)); learner.Rza.set(square('averagedCovariances.cross', avg.cross));
    learner.lagSums = matrix('lagProductSums', data.lagProductSums, C, learner.q + 1);
    learner.sampleSums = requireFiniteArray(`${what} sampleSums`, data.sampleSums, { minLength: C, maxLength: C });
    learner.sampleCount = requireInt(`${what} sampleCount`, data.sampleCount, { min: 0 });
    learner.pairCount = requireInt(`${what} pairs`, data.pairs, { min: 0 });
    learner.samples = requireInt(`${what} samplesSeen`, data.samplesSeen, { min: 0 });
    learner.ended = requireInt(`${what} seriesEnded`, data.seriesEnded, { min: 0 });
    if (!Array.isArray(data.openSeries) || data.openSeries.length > MAX_OPEN_SERIES) {
      throw new ConfigError(`${what} openSeries`, data.openSeries, `an array of at most ${MAX_OPEN_SERIES} series`);
    }
    for (const entry of data.openSeries) {
      if (!entry || typeof entry.key !== 'string' || !Array.isArray(entry.tail) || entry.tail.length !== C) {
        throw new ShapeError(`${what} openSeries entry must have a string key and ${C} tail channels`);
      }
      const length = Array.isArray(entry.tail[0]) ? entry.tail[0].length : -1;
      if (length < 0 || length > learner.windowLength - 1) throw new ShapeError(`${what} tail of series ${JSON.stringify(entry.key)} must hold at most ${learner.windowLength - 1} samples`);
      if (learner.series.has(entry.key)) throw new ShapeError(`${what} lists series ${JSON.stringify(entry.key)} twice`);
      const state = learner.newSeries();
      entry.tail.forEach((channel, c) => state.window[c].set(requireFiniteArray(`${what} tail[${c}]`, channel, { minLength: length, maxLength: length })));
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
    this.averagedPast = this.pastWeights.map((row) => Float64Array.from(row));
    this.averagedFuture = this.futureWeights.map((row) => Float64Array.from(row));
  }

  private newSeries(): SeriesWindow {
    return { window: Array.from({ length: this.options.channels }, () => new Float64Array(this.windowLength)), length: 0 };
  }

  /** Appends sample i of channels [first, first + count) to a window and learns the pair it completes. */
  private push(state: SeriesWindow, data: Float64Array[], first: number, i: number, count: number): void {
    const L = this.windowLength;
    if (this.options.center) {
      for (let c = 0; c < count; c++) this.sampleSums[c] += data[first + c][i];
      this.sampleCount++;
    }
    if (state.length === L) {
      for (let c = 0; c < count; c++) state.window[c].copyWithin(0, 1, L);
      state.length = L - 1;
    }
    for (let c = 0; c < count; c++) state.window[c][state.length] = data[first + c][i];
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
    const mu = this.learningRate, t = this.pairCount;
    const z = this.z, a = this.a;
    for (let i = 0; i < k; i++) { z[i] = dot(this.pastWeights[i], p, P); a[i] = dot(this.futureWeights[i], f, F); }
    // lateral statistics over about one learning time constant, (C·m + C·h)/2 / μ pairs
    const window = Math.max(2, (P + F) / (2 * mu));
    const beta = 1 / Math.min(t + 1, window);
    addOuter(this.Cz, z, z, k, beta); addOuter(this.Ca, a, a, k, beta); addOuter(this.Cza, z, a, k, beta);
    smallCanonicalTransforms(this.Cz, this.Ca, this.Cza, k, LATERAL_RIDGE, this.lateralPast, this.lateralFuture, this.lateralCorrelations, this.workspace, 'diagonal');
    const u = this.u, v = this.v;
    for (let i = 0; i < k; i++) {
      let su = 0, sv = 0;
      for (let j = 0; j < k; j++) { su += this.lateralPast[i * k + j] * z[j]; sv += this.lateralFuture[i * k + j] * a[j]; }
      u[i] = su; v[i] = sv;
    }
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
    // averages of the normalized filters over the last AVERAGED_FRACTION of the pairs, and the
    // covariances of their outputs over the same pairs (the read-out's statistics)
    const alpha = Math.min(1, 1 / (AVERAGED_FRACTION * (t + 1)));
    for (let i = 0; i < k; i++) {
      const pastScale = 1 / Math.sqrt(Math.max(this.Cz[i * k + i], Number.MIN_VALUE));
      const futureScale = 1 / Math.sqrt(Math.max(this.Ca[i * k + i], Number.MIN_VALUE));
      blend(this.averagedPast[i], this.pastWeights[i], pastScale, alpha, P);
      blend(this.averagedFuture[i], this.futureWeights[i], futureScale, alpha, F);
    }
    for (let i = 0; i < k; i++) { z[i] = dot(this.averagedPast[i], p, P); a[i] = dot(this.averagedFuture[i], f, F); }
    addOuter(this.Rz, z, z, k, alpha); addOuter(this.Ra, a, a, k, alpha); addOuter(this.Rza, z, a, k, alpha);
    this.pairCount++;
  }

  /** Adds the pair's lag products to the preconditioner statistics and refreshes the predictors. */
  private updatePreconditioners(): void {
    const { channels: C, pastLags: m } = this.options;
    const q = this.q, p = this.p;
    for (let c = 0; c < C; c++) {
      const sums = this.lagSums[c], base = c * m;
      for (let l = 0; l <= q; l++) sums[l] += p[base] * p[base + l];
    }
    // refresh every pair: O(C·q²), small next to the O(k·C·(m + h)) update
    const r = this.lagScratch;
    for (let c = 0; c < C; c++) {
      const sums = this.lagSums[c];
      for (let l = 0; l <= q; l++) r[l] = sums[l] / (this.pairCount + 1);
      r[0] *= 1 + PRECONDITIONER_RIDGE;
      this.predictors[c].setAutocovariance(r);
    }
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
