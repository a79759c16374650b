/**
 * Learning across devices: statistics messages and their exact, idempotent merge.
 *
 * The filters depend only on additive statistics (sums of lagged products and counts), so devices
 * that each accumulate locally can learn together. A device publishes *cumulative* snapshots of
 * its statistics, each stamped with its source id and an increasing sequence number; an
 * aggregator keeps the newest snapshot of every source and solves on their sum (plus its own).
 * A repeated snapshot is ignored, an older one arriving late is ignored (the newer one already
 * contains its pairs), and snapshots may arrive in any order: the merged statistics equal those of
 * one learner that saw every device's data, to round-off. Lost snapshots lose nothing but latency.
 */
import { ConfigError, ShapeError } from './errors';
import { LaggedMoments, LaggedMomentsJSON, ResolvedMomentsOptions } from './moments';
import { requireInt } from './validate';

/** `format` tag of a {@link StatisticsMessage}. */
export const STATISTICS_FORMAT = 'resu-statistics';
/** Version of {@link StatisticsMessage} this library writes and reads. */
export const STATISTICS_VERSION = 1;
/** Largest number of peers an aggregator tracks. */
export const MAX_SOURCES = 1024;

/** A versioned, JSON-safe statistics snapshot. */
export interface StatisticsMessage {
  readonly format: typeof STATISTICS_FORMAT;
  readonly version: typeof STATISTICS_VERSION;
  /** Device / node identity; snapshots of one source replace each other. */
  readonly source: string;
  /** Increases with every snapshot of a source. */
  readonly sequence: number;
  /** What learned them: 'cca' (a resu-cca learner) or 't4'. */
  readonly kind: string;
  readonly moments: LaggedMomentsJSON;
}

/** Builds a snapshot message of an accumulator (open series are counted up to now). */
export function createStatisticsMessage(source: string, sequence: number, kind: string, moments: LaggedMoments): StatisticsMessage {
  return { format: STATISTICS_FORMAT, version: STATISTICS_VERSION, source, sequence, kind, moments: moments.toJSON() };
}

/** True for something shaped like a statistics message (format tag only; `offer` validates). */
export function isStatisticsMessage(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === STATISTICS_FORMAT;
}

/** What {@link StatisticsPool} did with an offered snapshot: kept it, saw it already, or had a newer one. */
export type OfferResult = 'applied' | 'repeat' | 'stale';

/** The newest snapshot of every peer; their sum is what an aggregator adds to its own statistics. */
export class StatisticsPool {
  private latest = new Map<string, { sequence: number; moments: LaggedMoments }>();

  /**
   * @param options the accumulator configuration peers must share (channels, m, h, gap, centering,
   *   forgetting); a snapshot of another configuration is rejected with a clear error.
   * @param kind the learner kind peers must have ('cca' or 't4').
   * @param ownSource this node's own source id: its own snapshots echoed back are ignored.
   */
  constructor(private readonly options: ResolvedMomentsOptions, private readonly kind: string, private readonly ownSource = '') {}

  /**
   * Offers a snapshot. Validates it completely before changing anything.
   * @throws ConfigError / ShapeError for a malformed snapshot, another kind, version or configuration.
   */
  offer(payload: unknown): OfferResult | 'own' {
    const data = payload as Partial<StatisticsMessage> | null;
    if (!isStatisticsMessage(data)) throw new ConfigError('statistics', payload, `a ${STATISTICS_FORMAT} object`);
    if (data!.version !== STATISTICS_VERSION) throw new ShapeError(`statistics have version ${JSON.stringify(data!.version)}; this library reads version ${STATISTICS_VERSION}`);
    if (typeof data!.source !== 'string' || data!.source === '' || data!.source.length > 200) throw new ConfigError('statistics.source', data!.source, 'a non-empty string of at most 200 characters');
    const sequence = requireInt('statistics.sequence', data!.sequence, { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (data!.kind !== this.kind) throw new ShapeError(`statistics come from a ${JSON.stringify(data!.kind)} learner; this node merges ${JSON.stringify(this.kind)} statistics`);
    if (data!.source === this.ownSource) return 'own';
    const previous = this.latest.get(data!.source);
    if (previous && sequence === previous.sequence) return 'repeat';
    if (previous && sequence < previous.sequence) return 'stale';
    if (!previous && this.latest.size >= MAX_SOURCES) throw new ShapeError(`too many statistics sources (${MAX_SOURCES})`);
    const moments = LaggedMoments.fromJSON(data!.moments, this.options);
    this.latest.set(data!.source, { sequence, moments });
    return 'applied';
  }

  /** Sources and the sequence number of their newest snapshot. */
  get sources(): Record<string, number> {
    return Object.fromEntries([...this.latest].map(([source, entry]) => [source, entry.sequence]));
  }

  get size(): number { return this.latest.size; }

  /** `local` plus every peer's newest snapshot, as a new accumulator (local is not modified). */
  mergedWith(local: LaggedMoments): LaggedMoments {
    const merged = LaggedMoments.fromJSON(local.toJSON(), this.options);
    for (const { moments } of this.latest.values()) merged.merge(LaggedMoments.fromJSON(moments.toJSON(), this.options));
    return merged;
  }

  clear(): void { this.latest.clear(); }
}
