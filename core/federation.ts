/**
 * Learning across devices: statistics messages, their exact merge, and the trust model that keeps
 * one publisher from poisoning, silencing or exhausting an aggregator (docs/federation.md).
 *
 * The filters depend only on additive statistics (sums of lagged products and counts), so devices
 * that each accumulate locally can learn together. A device publishes *cumulative* snapshots of
 * its statistics, stamped with its source id, the epoch of its current run and a sequence number
 * that increases within the epoch; an aggregator keeps the newest snapshot of every source and
 * solves on their sum (plus its own). A repeated snapshot is ignored, an older one arriving late is
 * ignored (the newer one already contains its pairs), and snapshots may arrive in any order: the
 * merged statistics equal those of one learner that saw every device's data, to round-off.
 *
 * Trust: with a shared secret, only snapshots carrying a valid HMAC-SHA256 of their canonical JSON
 * are merged. Every snapshot, signed or not, must be plausible (finite, diagonal ≥ 0, within the
 * Cauchy–Schwarz bounds and the sample magnitude limit, counts consistent); the pool is bounded in
 * sources and bytes, keeps no open-series tails, and merges incrementally. An optional cap limits
 * one peer's share of the pooled weight. Sequence numbers cannot lock a source out: a restart is a
 * new epoch, and without a secret a run of consistent snapshots overrides a spoofed jump.
 */
import { createHmac, timingSafeEqual } from 'crypto';
import { ConfigError, ResuError, ShapeError } from './errors';
import { LaggedMoments, LaggedMomentsJSON, MomentSums, ResolvedMomentsOptions } from './moments';
import { MAX_SAMPLE_MAGNITUDE, requireFinite, requireInt } from './validate';

/** `format` tag of a {@link StatisticsMessage}. */
export const STATISTICS_FORMAT = 'resu-statistics';
/** Version of {@link StatisticsMessage} this library writes and reads. */
export const STATISTICS_VERSION = 1;
/** Largest number of peers an aggregator tracks. */
export const MAX_SOURCES = 1024;
/**
 * Default byte budget of a pool's peer statistics (32 MiB): ≈ 780 peers at m = h = 50 (41 kB
 * each), 7 at the largest joint dimension 1024 (4.2 MB each). A new source beyond it is refused.
 */
export const DEFAULT_MAX_POOL_BYTES = 32 * 1024 * 1024;
/** Longest source id and epoch id (characters). */
export const MAX_SOURCE_LENGTH = 200;
export const MAX_EPOCH_LENGTH = 64;
/** Epochs (runs) remembered per source with their highest sequence, so replays of them are recognised. */
export const EPOCHS_PER_SOURCE = 8;
/** Largest step of a sequence within one epoch taken at once without a signature. */
export const MAX_SEQUENCE_JUMP = 1_000_000;
/**
 * Without a secret: consecutive increasing snapshots of one source and epoch, all out of sequence
 * (below the highest seen, or jumping beyond it by more than {@link MAX_SEQUENCE_JUMP}), after
 * which the pool follows them. A spoofed sequence 2⁵³ − 1 silences a source for at most this many snapshots.
 */
export const RESYNC_AFTER = 3;
/** Prefix of the `signature` field. */
export const SIGNATURE_PREFIX = 'hmac-sha256:';
/** Relative round-off allowed in the plausibility bounds (the sums are exact up to ≈ 1e-13). */
const PLAUSIBILITY_TOLERANCE = 1e-8;

/** A versioned, JSON-safe statistics snapshot. */
export interface StatisticsMessage {
  readonly format: typeof STATISTICS_FORMAT;
  readonly version: typeof STATISTICS_VERSION;
  /** Device / node identity; snapshots of one source replace each other. */
  readonly source: string;
  /** Id of the publishing run (random per start); absent in older snapshots (one epoch ""). */
  readonly epoch?: string;
  /** Increases with every snapshot of a source within its epoch. */
  readonly sequence: number;
  /** What learned them: 'cca' (a resu-cca learner) or 't4'. */
  readonly kind: string;
  readonly moments: LaggedMomentsJSON;
  /** `hmac-sha256:<hex>` of {@link canonicalJSON} of every other field, keyed by the shared secret. */
  readonly signature?: string;
}

/**
 * Builds a snapshot message of an accumulator (open series are counted up to now).
 * @param options epoch: the run's id; secret: signs the message when non-empty.
 */
export function createStatisticsMessage(source: string, sequence: number, kind: string, moments: LaggedMoments,
  { epoch, secret }: { epoch?: string; secret?: string } = {}): StatisticsMessage {
  const message: StatisticsMessage = {
    format: STATISTICS_FORMAT, version: STATISTICS_VERSION, source, ...(epoch ? { epoch } : {}), sequence, kind, moments: moments.toJSON(),
  };
  return secret ? { ...message, signature: signStatistics(message, secret) } : message;
}

/** True for something shaped like a statistics message (format tag only; `offer` validates). */
export function isStatisticsMessage(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { format?: unknown }).format === STATISTICS_FORMAT;
}

/**
 * Canonical JSON: object keys sorted (UTF-16 order), no whitespace, numbers as JSON writes them
 * (shortest round-trip form), members whose value is undefined left out as JSON does. Two parties
 * that hold equal JSON values produce the same text whatever order the keys arrived in.
 * @throws ShapeError beyond 32 levels of nesting.
 */
export function canonicalJSON(value: unknown, depth = 0): string {
  if (depth > 32) throw new ShapeError('value nested deeper than 32 levels');
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJSON(item, depth + 1)).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    members.push(`${JSON.stringify(key)}:${canonicalJSON(item, depth + 1)}`);
  }
  return `{${members.join(',')}}`;
}

/** The signature of a statistics message: HMAC-SHA256 of the canonical JSON of all fields but `signature`. */
export function signStatistics(message: object, secret: string): string {
  const { signature: _ignored, ...signed } = message as { signature?: unknown };
  return SIGNATURE_PREFIX + createHmac('sha256', secret).update(canonicalJSON(signed)).digest('hex');
}

/** True when `message.signature` is the signature of the message under `secret` (constant-time compare). */
export function verifyStatistics(message: object, secret: string): boolean {
  const given = (message as { signature?: unknown }).signature;
  if (typeof given !== 'string' || !given.startsWith(SIGNATURE_PREFIX)) return false;
  const expected = Buffer.from(signStatistics(message, secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Why a snapshot was refused. */
export type RejectionReason = 'malformed' | 'unsigned' | 'bad-signature' | 'implausible' | 'full';

/** A snapshot the pool refuses; `reason` says which check failed (counted in {@link StatisticsPool.rejected}). */
export class StatisticsRejection extends ResuError {
  constructor(readonly reason: RejectionReason, message: string) {
    super(message);
    this.name = 'StatisticsRejection';
  }
}

/**
 * 'applied': merged; 'repeat': the same sequence again; 'stale': older than the newest of its epoch;
 * 'jump': a sequence far ahead, held until confirmed (no secret); 'own': this node's own snapshot.
 */
export type OfferResult = 'applied' | 'repeat' | 'stale' | 'jump' | 'own';

/** Options of a {@link StatisticsPool}. */
export interface StatisticsPoolOptions {
  /** This node's own source id: its own snapshots echoed back are ignored. */
  readonly ownSource?: string;
  /** Shared secret; when non-empty, only snapshots signed with it are merged. */
  readonly sharedSecret?: string;
  /**
   * Largest share of the pooled weight (local + peers) one peer may have, in (0, 1]. A peer above
   * it is down-weighted to exactly this share (water-filling over all peers). 1 (default): no cap.
   */
  readonly maxPeerShare?: number;
  /** Byte budget of the peers' statistics. Default {@link DEFAULT_MAX_POOL_BYTES}. */
  readonly maxBytes?: number;
}

interface PeerEntry {
  /** The snapshot in use. */
  epoch: string;
  sequence: number;
  sums: MomentSums;
  bytes: number;
  /** Highest accepted sequence per recent epoch (insertion order = recency; ≤ EPOCHS_PER_SOURCE). */
  epochs: Map<string, number>;
  /** Without a secret: the current run of out-of-sequence snapshots. */
  outOfSequence: { epoch: string; sequence: number; count: number } | null;
}

/** The newest snapshot of every peer; their sum is what an aggregator adds to its own statistics. */
export class StatisticsPool {
  private readonly latest = new Map<string, PeerEntry>();
  private readonly ownSource: string;
  private readonly secret: string;
  private readonly maxPeerShare: number;
  private readonly maxBytes: number;
  /** Σ of every peer's sums (weight 1 each), maintained incrementally. */
  private total: LaggedMoments;
  private totalBytes = 0;
  private updatesSinceRebuild = 0;
  private readonly rejections: Record<RejectionReason, number> = { malformed: 0, unsigned: 0, 'bad-signature': 0, implausible: 0, full: 0 };
  private cappedPeers = 0;

  /**
   * @param options the accumulator configuration peers must share (channels, m, h, gap, centering,
   *   forgetting); a snapshot of another configuration is rejected with a clear error.
   * @param kind the learner kind peers must have ('cca' or 't4').
   * @param pool see {@link StatisticsPoolOptions} (a string: the own source id, as before).
   */
  constructor(private readonly options: ResolvedMomentsOptions, private readonly kind: string, pool: StatisticsPoolOptions | string = {}) {
    const settings: StatisticsPoolOptions = typeof pool === 'string' ? { ownSource: pool } : pool;
    this.ownSource = settings.ownSource ?? '';
    this.secret = settings.sharedSecret ?? '';
    if (typeof this.secret !== 'string') throw new ConfigError('sharedSecret', this.secret, 'a string');
    this.maxPeerShare = requireFinite('maxPeerShare', settings.maxPeerShare ?? 1, { min: 0, exclusiveMin: true, max: 1 });
    this.maxBytes = requireInt('maxBytes', settings.maxBytes ?? DEFAULT_MAX_POOL_BYTES, { min: 0 });
    this.total = new LaggedMoments(options);
  }

  /**
   * Offers a snapshot. Checks it completely (shape, signature, sequence, plausibility, budget)
   * before changing anything but the bookkeeping of out-of-sequence runs.
   * @throws StatisticsRejection (counted by reason), or ConfigError / ShapeError for a snapshot of
   *   another kind, version or configuration (counted as malformed).
   */
  offer(payload: unknown): OfferResult {
    try {
      return this.accept(payload);
    } catch (err) {
      this.rejections[err instanceof StatisticsRejection ? err.reason : 'malformed']++;
      throw err;
    }
  }

  /** Snapshots refused so far, by reason. */
  get rejected(): Readonly<Record<RejectionReason, number>> { return { ...this.rejections }; }

  /** Sources and the sequence number of their newest snapshot. */
  get sources(): Record<string, number> {
    return Object.fromEntries([...this.latest].map(([source, entry]) => [source, entry.sequence]));
  }

  get size(): number { return this.latest.size; }
  /** Bytes held for the peers' statistics (≤ maxBytes). */
  get bytes(): number { return this.totalBytes; }
  /** Peers down-weighted by the share cap in the last {@link mergedWith}. */
  get capped(): number { return this.cappedPeers; }

  /**
   * `local` plus every peer's newest snapshot (each down-weighted to `maxPeerShare` where needed),
   * as a new accumulator without open series (local is not modified).
   */
  mergedWith(local: LaggedMoments): LaggedMoments {
    const factors = this.shareFactors(local.weight);
    this.cappedPeers = factors.size;
    if (factors.size === 0) return new LaggedMoments(this.options).merge(this.total).merge(local);
    // a capped peer usually dominates the total (that is why it is capped): removing its excess
    // from the total would cancel most digits, so the pool is summed afresh with the factors
    const merged = new LaggedMoments(this.options);
    for (const entry of this.latest.values()) merged.addSums(entry.sums, factors.get(entry) ?? 1);
    return merged.merge(local);
  }

  clear(): void {
    this.latest.clear();
    this.total = new LaggedMoments(this.options);
    this.totalBytes = 0;
    this.updatesSinceRebuild = 0;
    this.cappedPeers = 0;
  }

  private accept(payload: unknown): OfferResult {
    const data = payload as Partial<StatisticsMessage> | null;
    if (!isStatisticsMessage(data)) throw new ConfigError('statistics', payload, `a ${STATISTICS_FORMAT} object`);
    const message = data as StatisticsMessage;
    if (message.version !== STATISTICS_VERSION) throw new ShapeError(`statistics have version ${JSON.stringify(message.version)}; this library reads version ${STATISTICS_VERSION}`);
    const source = message.source;
    if (typeof source !== 'string' || source === '' || source.length > MAX_SOURCE_LENGTH) {
      throw new ConfigError('statistics.source', source, `a non-empty string of at most ${MAX_SOURCE_LENGTH} characters`);
    }
    const epoch = message.epoch ?? '';
    if (typeof epoch !== 'string' || epoch.length > MAX_EPOCH_LENGTH) throw new ConfigError('statistics.epoch', epoch, `a string of at most ${MAX_EPOCH_LENGTH} characters`);
    const sequence = requireInt('statistics.sequence', message.sequence, { min: 0, max: Number.MAX_SAFE_INTEGER });
    if (message.kind !== this.kind) throw new ShapeError(`statistics come from a ${JSON.stringify(message.kind)} learner; this node merges ${JSON.stringify(this.kind)} statistics`);
    if (this.secret !== '') {
      if (message.signature === undefined) throw new StatisticsRejection('unsigned', `statistics of ${JSON.stringify(source)} are not signed; this node only merges snapshots signed with its shared secret`);
      if (!verifyStatistics(message, this.secret)) throw new StatisticsRejection('bad-signature', `statistics of ${JSON.stringify(source)} carry a signature that does not match the shared secret`);
    }
    if (source === this.ownSource) return 'own';
    const previous = this.latest.get(source);
    const order = previous ? this.sequenceOrder(previous, epoch, sequence) : 'applied';
    if (order !== 'applied') return order;
    let sums: MomentSums;
    try {
      sums = LaggedMoments.readSums(message.moments, this.options);
    } catch (err) {
      throw err instanceof ResuError ? err : new ShapeError(`statistics moments: ${(err as Error).message}`);
    }
    checkPlausible(sums, this.options, source);
    const bytes = entryBytes(sums, source);
    if (!previous && this.latest.size >= MAX_SOURCES) throw new StatisticsRejection('full', `too many statistics sources (${MAX_SOURCES})`);
    const budget = this.totalBytes - (previous?.bytes ?? 0) + bytes;
    if (budget > this.maxBytes) {
      throw new StatisticsRejection('full', `statistics of ${JSON.stringify(source)} would take the peers' statistics to ${budget} bytes; at most ${this.maxBytes}`);
    }
    // apply: the running total changes by (new − old); rebuilt from the peers now and then so
    // round-off of the subtractions cannot accumulate
    if (previous) this.total.addSums(previous.sums, -1, -1);
    this.total.addSums(sums);
    const entry: PeerEntry = previous ?? { epoch, sequence, sums, bytes, epochs: new Map(), outOfSequence: null };
    const old = { ...entry };
    Object.assign(entry, { epoch, sequence, sums, bytes, outOfSequence: null });
    rememberEpoch(entry.epochs, epoch, sequence);
    this.latest.set(source, entry);
    this.totalBytes = budget;
    if (++this.updatesSinceRebuild >= Math.max(64, this.latest.size) || !this.total.finite) this.rebuild();
    if (!this.total.finite) {
      // cannot happen within the plausibility bounds; never keep a total that cannot be solved
      if (previous) Object.assign(entry, old); else this.latest.delete(source);
      this.totalBytes -= bytes - (previous ? old.bytes : 0);
      this.rebuild();
      throw new StatisticsRejection('implausible', `statistics of ${JSON.stringify(source)} make the merged sums non-finite`);
    }
    return 'applied';
  }

  /** Where (epoch, sequence) stands for a known source; 'applied' when it may replace the snapshot in use. */
  private sequenceOrder(entry: PeerEntry, epoch: string, sequence: number): OfferResult {
    const highest = entry.epochs.get(epoch);
    if (highest === undefined) return 'applied'; // a new run of the source (restart)
    if (sequence === highest) return 'repeat';
    const inStep = sequence > highest && sequence - highest <= MAX_SEQUENCE_JUMP;
    if (inStep || (this.secret !== '' && sequence > highest)) return 'applied';
    if (this.secret !== '') return 'stale';
    // unsigned: anyone may have sent the highest sequence; a source that keeps counting up from
    // somewhere else is followed after RESYNC_AFTER consistent snapshots
    const run = entry.outOfSequence;
    const continues = run !== null && run.epoch === epoch && sequence > run.sequence && sequence - run.sequence <= MAX_SEQUENCE_JUMP;
    entry.outOfSequence = { epoch, sequence, count: continues ? run!.count + 1 : 1 };
    if (entry.outOfSequence.count >= RESYNC_AFTER) {
      entry.epochs.delete(epoch);
      return 'applied';
    }
    return sequence < highest ? 'stale' : 'jump';
  }

  private rebuild(): void {
    this.total = new LaggedMoments(this.options);
    for (const entry of this.latest.values()) this.total.addSums(entry.sums);
    this.updatesSinceRebuild = 0;
  }

  /**
   * Down-weighting factors of the peers above the share cap c (water-filling): with U the weight of
   * the uncapped peers plus the local one and k capped peers, the pooled weight is T = U / (1 − k·c)
   * and each capped peer gets exactly c·T. A peer is capped when its weight exceeds c·T. When
   * nothing else holds weight, the cap cannot bind (a lone peer is the whole pool).
   */
  private shareFactors(localWeight: number): Map<PeerEntry, number> {
    const factors = new Map<PeerEntry, number>();
    const c = this.maxPeerShare;
    if (c >= 1 || this.latest.size === 0) return factors;
    const peers = [...this.latest.values()].sort((a, b) => b.sums.weight - a.sums.weight);
    let uncapped = localWeight + peers.reduce((acc, entry) => acc + entry.sums.weight, 0);
    let k = 0;
    for (const entry of peers) {
      const rest = uncapped - entry.sums.weight;
      if (!(rest > 0) || (k + 1) * c >= 1) break;
      const pooled = rest / (1 - (k + 1) * c);
      if (entry.sums.weight <= c * pooled) break;
      uncapped = rest;
      k++;
    }
    const pooled = uncapped / (1 - k * c);
    for (let i = 0; i < k; i++) factors.set(peers[i], (c * pooled) / peers[i].sums.weight);
    return factors;
  }
}

/** Remembers the highest sequence of an epoch, most recent last, at most EPOCHS_PER_SOURCE epochs. */
function rememberEpoch(epochs: Map<string, number>, epoch: string, sequence: number): void {
  epochs.delete(epoch);
  epochs.set(epoch, sequence);
  while (epochs.size > EPOCHS_PER_SOURCE) epochs.delete(epochs.keys().next().value as string);
}

/** Approximate bytes a peer entry holds: its sums, its ids and the bookkeeping. */
function entryBytes(sums: MomentSums, source: string): number {
  return 8 * (sums.sumOuterUpper.length + sums.sum.length + (sums.shift?.length ?? 0)) + 2 * source.length + EPOCHS_PER_SOURCE * (2 * MAX_EPOCH_LENGTH + 64) + 512;
}

/**
 * Statistics any real accumulator can have: counts consistent (pairs ≤ samples, weight ≤ pairs and
 * = pairs without forgetting, nothing without pairs), Σx² ≥ 0 and at most weight × (2·MAX_SAMPLE_MAGNITUDE)²
 * (samples are limited, centering shifts by at most one sample), |Σxᵣxₛ| ≤ √(Σxᵣ² Σxₛ²) and
 * (Σxᵣ)² ≤ weight·Σxᵣ² (Cauchy–Schwarz). A snapshot of 1e308 entries or of a
 * correlation above 1 fails here. @throws StatisticsRejection('implausible').
 */
export function checkPlausible(sums: MomentSums, options: ResolvedMomentsOptions, source = 'statistics'): void {
  const fail = (detail: string): never => { throw new StatisticsRejection('implausible', `statistics of ${JSON.stringify(source)} are implausible: ${detail}`); };
  const { pairs, weight, samplesSeen } = sums;
  if (pairs > samplesSeen) fail(`${pairs} pairs from ${samplesSeen} samples`);
  if (weight > pairs * (1 + PLAUSIBILITY_TOLERANCE)) fail(`weight ${weight} exceeds the ${pairs} pairs`);
  if (options.timeConstantSamples === 0 && weight !== pairs) fail(`weight ${weight} differs from the ${pairs} pairs (no forgetting)`);
  if ((pairs === 0) !== (weight === 0)) fail(`weight ${weight} with ${pairs} pairs`);
  if (sums.shift) for (const x of sums.shift) if (!(Math.abs(x) <= MAX_SAMPLE_MAGNITUDE)) fail(`shift ${x} beyond the sample limit ±1e50`);
  const D = sums.sum.length, upper = sums.sumOuterUpper;
  const ceiling = weight * 4 * MAX_SAMPLE_MAGNITUDE * MAX_SAMPLE_MAGNITUDE;
  const diagonal = new Float64Array(D);
  for (let r = 0, k = 0; r < D; k += D - r, r++) diagonal[r] = upper[k];
  for (let r = 0; r < D; r++) {
    const d = diagonal[r];
    if (!(d >= 0)) fail(`Σx² of entry ${r} is ${d} < 0`);
    if (d > ceiling) fail(`Σx² of entry ${r} is ${d}, more than ${weight} pairs of samples within ±1e50 (the sample limit) can give`);
    const s = sums.sum[r];
    if (s * s > weight * d * (1 + PLAUSIBILITY_TOLERANCE) + Number.MIN_VALUE) fail(`(Σx)² of entry ${r} exceeds weight × Σx²`);
  }
  for (let r = 0, k = 0; r < D; r++) {
    for (let s = r; s < D; s++, k++) {
      const bound = Math.sqrt(diagonal[r]) * Math.sqrt(diagonal[s]);
      if (Math.abs(upper[k]) > bound * (1 + PLAUSIBILITY_TOLERANCE) + Number.MIN_VALUE) fail(`Σxᵣxₛ of entries (${r}, ${s}) exceeds √(Σxᵣ² Σxₛ²)`);
    }
  }
}
