/**
 * A streaming past–future CCA learner: lagged moments + solver + the pooling rule of layer 1
 * (every channel of a multi-pixel chunk is an independent sample of the same statistics), so the
 * Node-RED learner and the CLI/reproduction run the same code.
 */
import { CcaFit, CcaOptions, solvePastFutureCca } from './cca';
import { ConfigError, ShapeError } from './errors';
import { LaggedMoments, LaggedMomentsJSON, LaggedMomentsOptions, MAX_OPEN_SERIES, readChunk } from './moments';
import { requireInt, requireOneOf } from './validate';

/**
 * 'channels': one scalar accumulator (C = 1); each input channel is its own series and all pool
 * (layer 1). 'joint': one C-channel accumulator over the whole vector (past = all channels' lags).
 */
export type Pooling = 'channels' | 'joint';

export interface LearnerOptions extends Omit<LaggedMomentsOptions, 'channels'> {
  readonly pooling?: Pooling;
  /** Input channels: required for 'joint'; with 'channels' any count is accepted per chunk. */
  readonly channels?: number;
  readonly cca?: CcaOptions;
}

export interface LearnerJSON {
  readonly format: 'resu-learner';
  readonly version: 1;
  readonly pooling: Pooling;
  readonly moments: LaggedMomentsJSON;
}

export class PastFutureLearner {
  readonly pooling: Pooling;
  private accumulator: LaggedMoments;
  readonly ccaOptions: CcaOptions;
  private readonly channels: number;

  constructor(options: LearnerOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
    this.pooling = requireOneOf('pooling', options.pooling ?? 'channels', ['channels', 'joint']);
    this.channels = this.pooling === 'joint' ? requireInt('channels', options.channels ?? 1, { min: 1 }) : 1;
    const { pooling: _p, cca, ...momentOptions } = options;
    this.accumulator = new LaggedMoments({ ...momentOptions, channels: this.channels });
    this.ccaOptions = { ...(cca ?? {}) };
  }

  /** The accumulated statistics. */
  get moments(): LaggedMoments { return this.accumulator; }

  /** Samples needed in one series before the first pair exists. */
  get windowLength(): number { return this.moments.windowLength; }

  /**
   * Adds a chunk of series `series`. Validates everything before touching the statistics.
   * @param restart end the series first (a gap was detected: pairs must not bridge it).
   * @param end end the series after this chunk.
   */
  update(chunk: unknown, series = '', { restart = false, end = false }: { restart?: boolean; end?: boolean } = {}): void {
    if (this.pooling === 'joint') {
      const data = readChunk(chunk, this.channels);
      if (restart) this.moments.endSeries(series);
      this.moments.update(data, series);
      if (end) this.moments.endSeries(series);
      return;
    }
    const list = chunk as ArrayLike<unknown>;
    const count = list && list.length > 0 && typeof list[0] !== 'number' ? list.length : 1;
    const data = readChunk(chunk, count);
    // check the open-series cap for all channels first, so a chunk is learned entirely or not at all
    const open = new Set(this.moments.openSeries);
    let opening = 0;
    for (let c = 0; c < data.length; c++) if (!open.has(`${series}\u0000${c}`)) opening++;
    if (open.size + opening > MAX_OPEN_SERIES) {
      throw new ShapeError(`too many open series (${open.size} open, this chunk would open ${opening} more; at most ${MAX_OPEN_SERIES}): end series with endSeries()`);
    }
    for (let c = 0; c < data.length; c++) {
      const key = `${series}\u0000${c}`;
      if (restart) this.moments.endSeries(key);
      this.moments.update(data[c], key);
      if (end) this.moments.endSeries(key);
    }
  }

  /** Ends a series (all its channels). */
  endSeries(series = ''): void {
    if (this.pooling === 'joint') { this.moments.endSeries(series); return; }
    const prefix = `${series}\u0000`;
    for (const key of this.moments.openSeries) if (key.startsWith(prefix)) this.moments.endSeries(key);
  }

  /** Solves the CCA on everything seen so far. @throws NotEnoughDataError, DegenerateDataError. */
  solve(overrides: CcaOptions = {}): CcaFit {
    return solvePastFutureCca(this.moments, { ...this.ccaOptions, ...overrides });
  }

  reset(): void { this.moments.reset(); }

  toJSON(): LearnerJSON {
    return { format: 'resu-learner', version: 1, pooling: this.pooling, moments: this.moments.toJSON() };
  }

  /** Restores the statistics into this learner (same configuration required). @throws ShapeError. */
  load(payload: unknown): void {
    const data = payload as Partial<LearnerJSON> | null;
    if (!data || data.format !== 'resu-learner' || data.version !== 1) throw new ConfigError('learner state', payload, 'a resu-learner version 1 object');
    if (data.pooling !== this.pooling) throw new ConfigError('learner state pooling', data.pooling, `"${this.pooling}"`);
    // fromJSON checks the configuration; open series continue from their restored tails
    this.accumulator = LaggedMoments.fromJSON(data.moments, this.accumulator.options);
  }
}
