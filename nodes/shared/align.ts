/**
 * Aligns two chunk streams (e.g. L1 and L3 of the same pixels) by series and position, so a node
 * with two inputs can combine them sample by sample. Pending chunks are capped per series and
 * signal; on overflow the oldest is dropped and counted.
 */
import { InputError } from './errors';
import { Chunk } from './messages';

export const DEFAULT_ALIGN_CAP = 64;

export class ChunkAligner<K extends string> {
  private pending = new Map<string, Map<K, Chunk[]>>();
  private droppedCount = 0;

  constructor(private readonly signals: readonly [K, K], private readonly cap = DEFAULT_ALIGN_CAP, private readonly maxSeries = 1024) {}

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
    const series = chunk.meta.series;
    let bySignal = this.pending.get(series);
    if (!bySignal) {
      if (this.pending.size >= this.maxSeries) {
        const oldest = this.pending.keys().next().value as string;
        this.droppedCount += [...this.pending.get(oldest)!.values()].reduce((n, l) => n + l.length, 0);
        this.pending.delete(oldest);
      }
      bySignal = new Map(this.signals.map((s) => [s, [] as Chunk[]]));
      this.pending.set(series, bySignal);
    }
    const queue = bySignal.get(signal)!;
    queue.push(chunk);
    if (queue.length > this.cap) { queue.shift(); this.droppedCount++; }
    const [a, b] = this.signals;
    const qa = bySignal.get(a)!, qb = bySignal.get(b)!;
    while (qa.length > 0 && qb.length > 0) {
      const ca = qa[0], cb = qb[0];
      const sa = ca.meta.startSample, sb = cb.meta.startSample;
      if (sa !== null && sb !== null && sa !== sb) {
        // the earlier one has no partner any more
        if (sa < sb) qa.shift(); else qb.shift();
        this.droppedCount++;
        continue;
      }
      if (ca.length !== cb.length) {
        qa.shift(); qb.shift(); this.droppedCount += 2;
        if (qa.length === 0 && qb.length === 0) this.pending.delete(series);
        throw new InputError(`${a} and ${b} chunks of series ${JSON.stringify(series)} starting at sample ${sa ?? sb ?? '?'} have ${ca.length} and ${cb.length} samples; both signals must be chunked alike (dropped)`);
      }
      qa.shift(); qb.shift();
      if (qa.length === 0 && qb.length === 0) this.pending.delete(series);
      return { [a]: ca, [b]: cb } as Record<K, Chunk>;
    }
    if (qa.length === 0 && qb.length === 0) this.pending.delete(series);
    return null;
  }

  clear(): void { this.pending.clear(); this.droppedCount = 0; }
}
