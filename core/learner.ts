/**
 * A streaming past–future CCA learner: lagged moments + solver + the pooling rule of layer 1
 * (every channel of a multi-pixel chunk is an independent sample of the same statistics), so the
 * Node-RED learner and the CLI/reproduction run the same code.
 *
 * `pastLags: 'auto'` (docs/memory.md): the learner also keeps a streaming autocovariance
 * r₀ … r_{P+g+h−1} of the input (core/autocovariance.ts, channels pooled as series) and accumulates
 * the exact moments at the largest past length P (`memory.maxPastLags`). Each solve chooses m by an
 * information criterion on the AR orders (core/memory.ts) and solves the CCA on the first m lags of
 * those moments: changing m between solves re-reads the same sums and loses nothing but the P − m
 * pairs per series that a shorter past would have added at the start of each series.
 */
import { AutocovarianceJSON, StreamingAutocovariance } from './autocovariance';
import { CcaFit, CcaOptions, DEFAULT_CCA_OPTIONS, solvePastFutureCca } from './cca';
import { ConfigError, NotEnoughDataError, ShapeError } from './errors';
import { DEFAULT_MAX_PAST_LAGS, estimateMemory, MemoryEstimate, memoryAutocovarianceLags, OrderCriterion } from './memory';
import { LaggedMoments, LaggedMomentsJSON, LaggedMomentsOptions, MAX_JOINT_DIMENSION, MAX_LAGS, MAX_OPEN_SERIES, readChunk, requireSeriesName, truncatePastLags } from './moments';
import { requireInt, requireOneOf } from './validate';

/**
 * 'channels': one scalar accumulator (C = 1); each input channel is its own series and all pool
 * (layer 1). 'joint': one C-channel accumulator over the whole vector (past = all channels' lags).
 */
export type Pooling = 'channels' | 'joint';

/** Options of {@link PastFutureLearner}: the moments' options plus pooling, `pastLags` (a number or 'auto') and the solver's. */
export interface LearnerOptions extends Omit<LaggedMomentsOptions, 'channels' | 'pastLags'> {
  readonly pooling?: Pooling;
  /** Input channels: required for 'joint'; with 'channels' any count is accepted per chunk. */
  readonly channels?: number;
  /** m, samples in the past vector; 'auto' chooses it at every solve (needs pooling 'channels' or one channel). */
  readonly pastLags: number | 'auto';
  /** Settings of `pastLags: 'auto'` (ignored otherwise). */
  readonly memory?: LearnerMemoryOptions;
  readonly cca?: CcaOptions;
}

/** Settings of the automatic past length. */
export interface LearnerMemoryOptions {
  /**
   * P: largest past length (and AR order) considered, default 200. The moments are accumulated at
   * P lags, so it also sets the cost: C²·(P + g + h) products per sample without forgetting,
   * (P + h)²/2 per pair with forgetting; P + h ≤ 1024.
   */
  readonly maxPastLags?: number;
  /** 'bic' (default, consistent) or 'aic'. */
  readonly criterion?: OrderCriterion;
}

/** Versioned plain-JSON state of a {@link PastFutureLearner} (its moments, and the autocovariance with `pastLags: 'auto'`). */
export interface LearnerJSON {
  readonly format: 'resu-learner';
  readonly version: 1;
  readonly pooling: Pooling;
  readonly moments: LaggedMomentsJSON;
  /** Only with `pastLags: 'auto'`: the autocovariance behind the choice. */
  readonly autocovariance?: AutocovarianceJSON;
}

/** Streaming past–future CCA learner: lagged moments, layer-1 pooling and the solve (batch rule); what the resu-cca node and `resu learn` run. */
export class PastFutureLearner {
  readonly pooling: Pooling;
  private accumulator: LaggedMoments;
  readonly ccaOptions: CcaOptions;
  private readonly channels: number;
  /** 'auto' mode only: the streaming autocovariance, the choice settings and the last choice. */
  private autocovariance: StreamingAutocovariance | null = null;
  private readonly memoryOptions: Required<LearnerMemoryOptions> | null = null;
  private lastMemory: MemoryEstimate | null = null;

  constructor(options: LearnerOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
    this.pooling = requireOneOf('pooling', options.pooling ?? 'channels', ['channels', 'joint']);
    this.channels = this.pooling === 'joint' ? requireInt('channels', options.channels ?? 1, { min: 1 }) : 1;
    const { pooling: _p, cca, memory, ...momentOptions } = options;
    this.ccaOptions = { ...(cca ?? {}) };
    if (options.pastLags !== 'auto') {
      this.accumulator = new LaggedMoments({ ...momentOptions, pastLags: options.pastLags, channels: this.channels });
      return;
    }
    if (this.channels !== 1) {
      throw new ConfigError('pastLags', 'auto', `a number when pooling is "joint" with ${this.channels} channels (the automatic choice treats channels as series of one scalar process; a vector process needs matrix autocovariances)`);
    }
    if (memory !== undefined && (memory === null || typeof memory !== 'object')) throw new ConfigError('memory', memory, 'an object');
    const futureLags = requireInt('futureLags', options.futureLags, { min: 1, max: MAX_LAGS });
    const maxPastLags = requireInt('memory.maxPastLags', memory?.maxPastLags ?? DEFAULT_MAX_PAST_LAGS, { min: 1, max: Math.min(MAX_LAGS, MAX_JOINT_DIMENSION - futureLags) });
    const criterion = requireOneOf('memory.criterion', memory?.criterion ?? 'bic', ['bic', 'aic']);
    this.memoryOptions = { maxPastLags, criterion };
    this.accumulator = new LaggedMoments({ ...momentOptions, pastLags: maxPastLags, channels: 1 });
    const { gap, center, timeConstantSamples } = this.accumulator.options;
    this.autocovariance = new StreamingAutocovariance({ maxLag: memoryAutocovarianceLags(maxPastLags, futureLags, gap), center, timeConstantSamples });
  }

  /** The accumulated statistics (with `pastLags: 'auto'`: at the largest past length P). */
  get moments(): LaggedMoments { return this.accumulator; }

  /** True when the past length is chosen from the data. */
  get automaticPastLags(): boolean { return this.autocovariance !== null; }

  /** The memory choice behind the last solve (null before it, or with a fixed past length). */
  get memory(): MemoryEstimate | null { return this.lastMemory; }

  /** Samples needed in one series before the first pair exists. */
  get windowLength(): number { return this.moments.windowLength; }

  /**
   * Adds a chunk of series `series`. Validates everything before touching the statistics.
   * @param restart end the series first (a gap was detected: pairs must not bridge it).
   * @param end end the series after this chunk.
   */
  update(chunk: unknown, series = '', { restart = false, end = false }: { restart?: boolean; end?: boolean } = {}): void {
    requireSeriesName('series', series);
    if (this.pooling === 'joint') {
      const data = readChunk(chunk, this.channels);
      if (restart) this.endKey(series);
      this.moments.update(data, series);
      this.autocovariance?.update(data[0], series);
      if (end) this.endKey(series);
      return;
    }
    const list = chunk as ArrayLike<unknown>;
    const count = list && list.length > 0 && typeof list[0] !== 'number' ? list.length : 1;
    const data = readChunk(chunk, count);
    // check the open-series cap for all channels first, so a chunk is learned entirely or not at all
    const open = this.moments.openSeriesCount;
    let opening = 0;
    for (let c = 0; c < data.length; c++) if (!this.moments.hasSeries(`${series}\u0000${c}`)) opening++;
    if (open + opening > MAX_OPEN_SERIES) {
      throw new ShapeError(`too many open series (${open} open, this chunk would open ${opening} more; at most ${MAX_OPEN_SERIES}): end series with endSeries()`);
    }
    for (let c = 0; c < data.length; c++) {
      const key = `${series}\u0000${c}`;
      if (restart) this.endKey(key);
      this.moments.update(data[c], key);
      this.autocovariance?.update(data[c], key);
      if (end) this.endKey(key);
    }
  }

  /** Ends a series (all its channels). */
  endSeries(series = ''): void {
    if (this.pooling === 'joint') { this.endKey(series); return; }
    const prefix = `${series}\u0000`;
    for (const key of this.moments.openSeries) if (key.startsWith(prefix)) this.endKey(key);
  }

  private endKey(key: string): void {
    this.moments.endSeries(key);
    this.autocovariance?.endSeries(key);
  }

  /**
   * Chooses the past length from the data seen so far (`pastLags: 'auto'` only): AR order by the
   * criterion and the information curve (core/memory.ts).
   * @throws ConfigError with a fixed past length; NotEnoughDataError before any sample;
   *   DegenerateDataError for a zero signal.
   */
  estimateMemory(): MemoryEstimate {
    if (!this.autocovariance || !this.memoryOptions) throw new ConfigError('pastLags', this.moments.options.pastLags, '"auto" to estimate the memory');
    const estimate = this.autocovariance.estimate();
    const { futureLags, gap } = this.moments.options;
    return estimateMemory(estimate.values, {
      ...this.memoryOptions, futureLags, gap, effectiveSamples: Math.max(estimate.effectiveSamples, 1 + 1e-9),
      ridge: this.ccaOptions.ridge ?? DEFAULT_CCA_OPTIONS.ridge,
    });
  }

  /**
   * Solves the CCA on everything seen so far; with `pastLags: 'auto'` first chooses m
   * ({@link estimateMemory}, kept in {@link memory}) and solves on the first m lags of the moments.
   * @param statistics the moments to solve on: this learner's (default) or, e.g., this learner's
   *   merged with peers' statistics of the same configuration (core/federation.ts). With
   *   `pastLags: 'auto'` they must be accumulated at P lags, and m is still chosen from this
   *   learner's own autocovariance (peers send moments only).
   * @throws NotEnoughDataError (also with 'auto' before this learner has samples of its own),
   *   DegenerateDataError, ShapeError for statistics of another configuration.
   */
  solve(overrides: CcaOptions = {}, statistics: LaggedMoments = this.moments): CcaFit {
    const options = { ...this.ccaOptions, ...overrides };
    const own = this.moments.options, given = statistics.options;
    for (const key of ['channels', 'pastLags', 'futureLags', 'gap', 'center', 'timeConstantSamples'] as const) {
      if (given[key] !== own[key]) throw new ShapeError(`statistics have ${key} = ${JSON.stringify(given[key])}; this learner has ${key} = ${JSON.stringify(own[key])}`);
    }
    if (!this.autocovariance) return solvePastFutureCca(statistics, options);
    const matrices = statistics.moments(); // throws NotEnoughDataError before the first pair
    let memory: MemoryEstimate;
    try {
      memory = this.estimateMemory();
    } catch (err) {
      if (!(err instanceof NotEnoughDataError)) throw err;
      throw new NotEnoughDataError('pastLags "auto" chooses m from this learner\'s own samples, and it has none yet (peers send moments only): learn locally too, or give a fixed pastLags');
    }
    const fit = solvePastFutureCca({ ...truncatePastLags(matrices, 1, memory.pastLags), channels: 1 }, options);
    this.lastMemory = memory;
    return { ...fit, warnings: [...memory.warnings.map((w) => `memory: ${w}`), ...fit.warnings] };
  }

  reset(): void {
    this.moments.reset();
    this.autocovariance?.reset();
    this.lastMemory = null;
  }

  toJSON(): LearnerJSON {
    const base = { format: 'resu-learner', version: 1, pooling: this.pooling, moments: this.moments.toJSON() } as const;
    return this.autocovariance ? { ...base, autocovariance: this.autocovariance.toJSON() } : base;
  }

  /** Restores the statistics into this learner (same configuration required). @throws ShapeError. */
  load(payload: unknown): void {
    const data = payload as Partial<LearnerJSON> | null;
    if (!data || data.format !== 'resu-learner' || data.version !== 1) throw new ConfigError('learner state', payload, 'a resu-learner version 1 object');
    if (data.pooling !== this.pooling) throw new ConfigError('learner state pooling', data.pooling, `"${this.pooling}"`);
    if ((data.autocovariance !== undefined) !== (this.autocovariance !== null)) {
      throw new ConfigError('learner state autocovariance', data.autocovariance === undefined ? 'none' : 'present', this.autocovariance ? 'present (pastLags is "auto")' : 'absent (pastLags is fixed)');
    }
    // fromJSON checks the configuration; open series continue from their restored tails
    const moments = LaggedMoments.fromJSON(data.moments, this.accumulator.options);
    if (this.autocovariance) this.autocovariance = StreamingAutocovariance.fromJSON(data.autocovariance, this.autocovariance.options);
    this.accumulator = moments;
    this.lastMemory = null;
  }
}
