/**
 * What resu-cca learns with, behind one face for the node: the batch rule (exact lagged moments,
 * core's PastFutureLearner, fixed or automatic past length, federated by its statistics) or the
 * online rule (core's OnlinePastFutureCca, docs/online-learning.md). Also the learning curve the
 * sidebar plots: a bounded history of the last solves.
 */
import {
  CcaFit, ConfigError, LaggedMoments, MemoryEstimateJSON, OnlinePastFutureCca, OrderCriterion, PastFutureLearner,
  cosineSimilarity, fitToJSON, memoryToJSON,
} from '../../core';
import type { LearningModel } from './learning-node';

export type LearningRule = 'batch' | 'online';

/** The resu-cca settings the model needs (a subset of the node's options). */
export interface CcaModelOptions {
  readonly rule: LearningRule;
  readonly pooling: 'channels' | 'joint';
  readonly channels: number;
  /** m, or 'auto' (batch only; the online learner refuses it): chosen at every solve, at most maxPastLags. */
  readonly pastLags: number | 'auto';
  readonly futureLags: number;
  readonly gap: number;
  readonly center: boolean;
  /** Batch only (0 with the online rule, whose rate schedule plays that part). */
  readonly timeConstantSamples: number;
  /** Batch only: the online rule forms no moment matrix to regularize. */
  readonly ridge: number;
  /** P, with pastLags 'auto'. */
  readonly maxPastLags: number;
  readonly criterion: OrderCriterion;
  /** μ0 of the online rule. */
  readonly learningRate: number;
}

/**
 * Most solves kept for the sidebar's learning curve (released on reset and close). When full,
 * every other entry is dropped and from then on only every second solve is recorded (then every
 * fourth, …), so the curve always spans the whole run, from the first solve on.
 */
export const MAX_HISTORY = 100;
/** Filters per solve recorded in the history. */
const HISTORY_COMPONENTS = 3;

/** One solve of the learning curve. */
export interface HistoryEntry {
  readonly pairs: number;
  /** ρ1 … ρ3 of that solve. */
  readonly correlations: number[];
  /** 1 − |cos(ψi, ψi of the previous solve)|; null for the first solve or after m changed. */
  readonly change: (number | null)[];
}

/** resu-cca's model for shared/learning-node.ts: statistics (batch) or none (online). */
export class CcaNodeModel implements LearningModel<CcaFit> {
  readonly rule: LearningRule;
  private readonly batch: PastFutureLearner | null = null;
  private online: OnlinePastFutureCca | null = null;
  private fit: CcaFit | null = null;
  private history: HistoryEntry[] = [];
  /** Record every this many solves (doubles each time the history is thinned). */
  private historyStride = 1;
  private solves = 0;

  /**
   * Settings of the other rule are not used (the declarations in config.ts say which; there "auto"
   * is refused with the online rule). @throws ConfigError from the core learners.
   */
  constructor(private readonly options: CcaModelOptions) {
    this.rule = options.rule;
    const { pooling, channels, pastLags, futureLags, gap, center } = options;
    if (options.rule === 'online') {
      this.online = new OnlinePastFutureCca({
        pooling, channels, pastLags: pastLags as number, futureLags, gap, center,
        learningRate: options.learningRate,
      });
    } else {
      this.batch = new PastFutureLearner({
        pooling, channels, pastLags, futureLags, gap, center, timeConstantSamples: options.timeConstantSamples,
        cca: { ridge: options.ridge }, memory: { maxPastLags: options.maxPastLags, criterion: options.criterion },
      });
    }
  }

  /** The batch statistics (published to and merged with peers); null with the online rule. */
  get statistics(): LaggedMoments | null { return this.batch?.moments ?? null; }
  get pairs(): number { return this.batch ? this.batch.moments.pairs : this.online!.pairs; }
  get samplesSeen(): number { return this.batch ? this.batch.moments.samplesSeen : this.online!.samplesSeen; }
  get lastFit(): CcaFit | null { return this.fit; }
  /** With pastLags 'auto': the choice behind the last solve, as the CLI prints it. */
  get memory(): MemoryEstimateJSON | null { return this.batch?.memory ? memoryToJSON(this.batch.memory) : null; }
  get learningCurve(): readonly HistoryEntry[] { return this.history; }

  /** Learns a chunk of series `series` (validated completely before any state changes). */
  update(data: Float64Array[], series: string, { restart = false, end = false } = {}): void {
    if (this.batch) { this.batch.update(data, series, { restart, end }); return; }
    const online = this.online!;
    if (restart) online.endSeries(series);
    online.update(data, series);
    if (end) online.endSeries(series);
  }

  /**
   * Solves and adopts the fit: the batch CCA on `statistics` (default this learner's own, or
   * merged with peers' of the same configuration; with 'auto' m is chosen first), or the online
   * rule's current read-out. @throws NotEnoughDataError, DegenerateDataError, ShapeError.
   */
  solve(statistics?: LaggedMoments | null): CcaFit {
    const fit = this.batch ? this.batch.solve({}, statistics ?? this.batch.moments) : this.online!.fit();
    this.record(fit);
    this.fit = fit;
    return fit;
  }

  /** The filters message payload: the versioned fit plus what the node knows about it (peers merged, when given). */
  filtersPayload(peers?: number): Record<string, unknown> {
    const fit = this.fit!;
    const memory = this.memory;
    return {
      ...fitToJSON(fit), gap: this.options.gap, pooling: this.options.pooling, samplesSeen: this.samplesSeen, ...(peers === undefined ? {} : { peers }), rule: this.rule,
      ...(memory ? { memory } : {}),
    };
  }

  /** "m = 12 (BIC)" with pastLags 'auto' after a solve, '' otherwise. */
  memoryLabel(): string {
    const memory = this.batch?.memory;
    return memory ? `m = ${memory.pastLags} (${memory.criterion.toUpperCase()})` : '';
  }

  toJSON(): unknown { return this.batch ? this.batch.toJSON() : this.online!.toJSON(); }

  /** Restores a persisted state of the same rule and configuration. @throws ConfigError / ShapeError. */
  load(saved: unknown): void {
    const format = saved !== null && typeof saved === 'object' ? (saved as { format?: unknown }).format : undefined;
    const expected = this.batch ? 'resu-learner' : 'resu-online-cca';
    if (format === 'resu-learner' || format === 'resu-online-cca') {
      if (format !== expected) {
        throw new ConfigError('persisted state', `a ${format === 'resu-learner' ? 'batch' : 'online'}-rule state`, `a state of learning rule "${this.rule}" (the node's rule was changed since it was saved)`);
      }
    }
    if (this.batch) this.batch.load(saved);
    else this.online = OnlinePastFutureCca.fromJSON(saved, this.online!.options);
    this.clearHistory();
  }

  reset(): void {
    this.batch?.reset();
    this.online?.reset();
    this.clearHistory();
  }

  private clearHistory(): void {
    this.fit = null;
    this.history = [];
    this.historyStride = 1;
    this.solves = 0;
  }

  private record(fit: CcaFit): void {
    if (this.solves++ % this.historyStride !== 0) return;
    const previous = this.fit;
    const change = fit.pastFilters.slice(0, HISTORY_COMPONENTS).map((row, i) => {
      const before = previous?.pastFilters[i];
      return before && before.length === row.length ? 1 - Math.abs(cosineSimilarity(row, before)) : null;
    });
    this.history.push({ pairs: fit.pairs, correlations: Array.from(fit.correlations.subarray(0, HISTORY_COMPONENTS)), change });
    if (this.history.length > MAX_HISTORY) {
      this.history = this.history.filter((_, i) => i % 2 === 0);
      this.historyStride *= 2;
    }
  }
}
