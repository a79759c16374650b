/**
 * Learning across devices for the learner and T4 nodes: publishes cumulative statistics snapshots
 * (msg.payload {format: "resu-statistics", source, sequence, …}) and merges peers' snapshots
 * through core's StatisticsPool (newest per source; repeats and stale ones ignored).
 */
import * as os from 'os';
import { createStatisticsMessage, LaggedMoments, StatisticsPool } from '../../core';
import { InputError } from './errors';

export interface FederationOptions {
  /** Publish a snapshot every this many new pairs (0: only on msg.publish). */
  publishEveryPairs: number;
  /** Source id; '' means `<hostname>/<node id>` (node ids repeat when one flow runs on many devices). */
  sourceId: string;
}

export function createFederation(nodeId: string, options: FederationOptions, kind: 'cca' | 't4', local: () => LaggedMoments) {
  const source = options.sourceId || `${os.hostname()}/${nodeId}`;
  let pool: StatisticsPool | null = null;
  let sequence = 0;
  let pairsAtPublish = 0;
  const getPool = (): StatisticsPool => (pool ??= new StatisticsPool(local().options, kind, source));
  return {
    source,
    /** Peers merged so far. */
    get peers(): number { return pool?.size ?? 0; },
    /** Applies a peer snapshot; returns true when it changed the merged statistics. @throws InputError. */
    offer(payload: unknown): boolean {
      try {
        return getPool().offer(payload) === 'applied';
      } catch (err) {
        throw new InputError(`msg.payload is not usable statistics: ${(err as Error).message}`);
      }
    },
    /** The statistics to solve on: local plus every peer's newest snapshot. */
    merged(): LaggedMoments { return pool && pool.size > 0 ? pool.mergedWith(local()) : local(); },
    /** A snapshot message when due (or forced), else null. */
    snapshot(force: boolean): Record<string, unknown> | null {
      const pairs = local().pairs;
      const due = options.publishEveryPairs > 0 && pairs - pairsAtPublish >= options.publishEveryPairs;
      if (!force && !due) return null;
      pairsAtPublish = pairs;
      return { topic: 'statistics', payload: createStatisticsMessage(source, ++sequence, kind, local()) };
    },
    reset(): void { pool?.clear(); pairsAtPublish = 0; },
  };
}
