/**
 * Learning across devices for the learner and T4 nodes: publishes cumulative statistics snapshots
 * (msg.payload {format: "resu-statistics", source, epoch, sequence, …, signature}) and merges peers'
 * snapshots through core's StatisticsPool (trust model: docs/federation.md).
 */
import { randomBytes } from 'crypto';
import * as os from 'os';
import { createStatisticsMessage, LaggedMoments, OfferResult, StatisticsPool } from '../../core';
import type { RejectionReason } from '../../core/federation';
import { InputError } from './errors';

export interface FederationOptions {
  /** Publish a snapshot every this many new pairs (0: only on msg.publish). */
  publishEveryPairs: number;
  /** Source id; '' means `<hostname>/<node id>` (node ids repeat when one flow runs on many devices). */
  sourceId: string;
  /** Largest share of the pooled weight one peer may have, in (0, 1]; 1: no cap. */
  maxPeerShare: number;
}

/**
 * @param sharedSecret signs this node's snapshots and, when non-empty, makes it merge only snapshots
 *   signed with the same secret (a Node-RED credential of the node).
 */
export function createFederation(nodeId: string, options: FederationOptions, kind: 'cca' | 't4', local: () => LaggedMoments, sharedSecret = '') {
  const source = options.sourceId || `${os.hostname()}/${nodeId}`;
  // a new epoch per start: a restarted device's sequence starts again at 1 without looking stale
  const epoch = randomBytes(8).toString('hex');
  let pool: StatisticsPool | null = null;
  let sequence = 0;
  let pairsAtPublish = 0;
  const getPool = (): StatisticsPool => (pool ??= new StatisticsPool(local().options, kind, { ownSource: source, sharedSecret, maxPeerShare: options.maxPeerShare }));
  return {
    source,
    epoch,
    signed: sharedSecret !== '',
    /** Peers merged so far. */
    get peers(): number { return pool?.size ?? 0; },
    /** Snapshots refused so far, by reason. */
    get rejected(): Partial<Record<RejectionReason, number>> { return pool?.rejected ?? {}; },
    /** Snapshots refused so far, all reasons. */
    get rejectedTotal(): number { return Object.values(pool?.rejected ?? {}).reduce((acc, n) => acc + n, 0); },
    /** What the admin state shows. */
    summary(): Record<string, unknown> {
      return { source, epoch, signed: sharedSecret !== '', peers: pool?.size ?? 0, bytes: pool?.bytes ?? 0, capped: pool?.capped ?? 0, rejected: pool?.rejected ?? {}, sources: pool?.sources ?? {} };
    },
    /** Applies a peer snapshot. @throws InputError naming the problem (also counted by reason). */
    offer(payload: unknown): OfferResult {
      try {
        return getPool().offer(payload);
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
      return { topic: 'statistics', payload: createStatisticsMessage(source, ++sequence, kind, local(), { epoch, secret: sharedSecret }) };
    },
    reset(): void { pool?.clear(); pairsAtPublish = 0; },
  };
}

export type Federation = ReturnType<typeof createFederation>;
