/**
 * Aligns two chunk streams (e.g. L1 and L3 of the same pixels) by series and position, so a node
 * with two inputs can combine them sample by sample. Pending chunks are capped per series and
 * signal; on overflow the oldest is dropped and counted.
 */
import { InputError } from './errors';
import { Chunk, ownChunk } from './messages';

export const DEFAULT_ALIGN_CAP = 64;
/** Most sample values pending over all series and signals (64 MB as Float64); oldest dropped first. */
export const DEFAULT_ALIGN_MAX_VALUES = 8_388_608;

const size = (chunk: Chunk): number => chunk.length * chunk.data.length;

export class ChunkAligner<K extends string> {
  private pending = new Map<string, Map<K, Chunk[]>>();
  private droppedCount = 0;
  private values = 0;

  constructor(
    private readonly signals: readonly [K, K], private readonly cap = DEFAULT_ALIGN_CAP, private readonly maxSeries = 1024,
    private readonly maxValues = DEFAULT_ALIGN_MAX_VALUES,
  ) {}

  /** Sample values held in pending chunks. */
  get pendingValues(): number { return this.values; }

  /** Channel count of the pending chunks of `series` (null when none is pending). */
  pendingChannels(series: string): number | null {
    const bySignal = this.pending.get(series);
    if (!bySignal) return null;
    for (const list of bySignal.values()) if (list.length > 0) return list[0].data.length;
    return null;
  }

  private take(queue: Chunk[]): Chunk {
    const chunk = queue.shift()!;
    this.values -= size(chunk);
    return chunk;
  }

  /** Chunks discarded (overflow or unmatched positions) since the last clear. */
  get dropped(): number { return this.droppedCount; }
  get pendingChunks(): number {
    let total = 0;
    for (const bySignal of this.pending.values()) for (const list of bySignal.values()) total += list.length;
    return total;
  }

  /**
   * Adds a chunk of `signal`; returns the matched pair when both signals have a chunk covering the
   * same samples of the same series, else null.
   * @throws InputError when the two chunks starting at the same sample differ in length (both are
   *   dropped and counted: they cannot be paired sample by sample).
   */
  push(signal: K, chunk: Chunk): Record<K, Chunk> | null {
    try {
      return this.match(signal, chunk);
    } finally {
      // a chunk left waiting for its partner must not depend on the sender's arrays any more
      for (const list of this.pending.get(chunk.meta.series)?.values() ?? []) {
        const index = list.indexOf(chunk);
        if (index >= 0) list[index] = ownChunk(chunk);
      }
    }
  }

  private match(signal: K, chunk: Chunk): Record<K, Chunk> | null {
    const series = chunk.meta.series;
    let bySignal = this.pending.get(series);
    if (!bySignal) {
      if (this.pending.size >= this.maxSeries) {
        const oldest = this.pending.keys().next().value as string;
        for (const list of this.pending.get(oldest)!.values()) { this.droppedCount += list.length; for (const c of list) this.values -= size(c); }
        this.pending.delete(oldest);
      }
      bySignal = new Map(this.signals.map((s) => [s, [] as Chunk[]]));
      this.pending.set(series, bySignal);
    }
    const queue = bySignal.get(signal)!;
    queue.push(chunk);
    this.values += size(chunk);
    if (queue.length > this.cap) { this.take(queue); this.droppedCount++; }
    const [a, b] = this.signals;
    const qa = bySignal.get(a)!, qb = bySignal.get(b)!;
    while (qa.length > 0 && qb.length > 0) {
      const ca = qa[0], cb = qb[0];
      const sa = ca.meta.startSample, sb = cb.meta.startSample;
      if (sa !== null && sb !== null && sa !== sb) {
        // the earlier one has no partner any more
        this.take(sa < sb ? qa : qb);
        this.droppedCount++;
        continue;
      }
      if (ca.length !== cb.length) {
        this.take(qa); this.take(qb); this.droppedCount += 2;
        if (qa.length === 0 && qb.length === 0) this.pending.delete(series);
        throw new InputError(`${a} and ${b} chunks of series ${JSON.stringify(series)} starting at sample ${sa ?? sb ?? '?'} have ${ca.length} and ${cb.length} samples; both signals must be chunked alike (dropped)`);
      }
      this.take(qa); this.take(qb);
      if (qa.length === 0 && qb.length === 0) this.pending.delete(series);
      return { [a]: ca, [b]: cb } as Record<K, Chunk>;
    }
    if (qa.length === 0 && qb.length === 0) this.pending.delete(series);
    // a flood of unmatched chunks: drop the oldest pending ones until under the cap
    for (const [key, signals] of this.pending) {
      if (this.values <= this.maxValues) break;
      for (const list of signals.values()) while (list.length > 0 && this.values > this.maxValues) { this.take(list); this.droppedCount++; }
      if ([...signals.values()].every((list) => list.length === 0)) this.pending.delete(key);
    }
    return null;
  }

  clear(): void { this.pending.clear(); this.droppedCount = 0; this.values = 0; }
}
