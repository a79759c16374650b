/**
 * Seeded generators for the fuzz suite: valid chunks and malformed messages whose rejection (and the
 * text of the error) is known in advance, so the suite can count errors exactly.
 */
import { Random } from '../../core';

export type AnyMsg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One generated message: `error` is null for a valid message, else what its error must say. */
export interface Case {
  msg: AnyMsg;
  error: RegExp | null;
  /** A pristine copy of a valid message, to replay into a reference node. */
  replay?: AnyMsg;
  kind: string;
}

export function valid(msg: AnyMsg, kind: string): Case {
  return { msg, error: null, replay: structuredClone(msg), kind };
}

export function invalid(msg: AnyMsg, error: RegExp, kind: string): Case {
  return { msg, error, kind };
}

export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[rng.integer(items.length)];
}

/** Picks a key by weight. */
export function weighted<K extends string>(rng: Random, weights: Record<K, number>): K {
  const entries = Object.entries(weights) as [K, number][];
  let total = 0;
  for (const [, w] of entries) total += w;
  let u = rng.uniform() * total;
  for (const [key, w] of entries) { if ((u -= w) < 0) return key; }
  return entries[entries.length - 1][0];
}

/** channels × length Gaussian samples; sometimes typed arrays, flat when one channel and `flat`. */
export function samples(rng: Random, channels: number, length: number, flat = false): unknown {
  const data = Array.from({ length: channels }, () => {
    const channel = Array.from({ length }, () => rng.gaussian());
    return rng.uniform() < 0.1 ? Float64Array.from(channel) : channel;
  });
  return flat && channels === 1 ? Array.from(data[0] as ArrayLike<number>) : data;
}

const BAD_NUMBERS = [NaN, Infinity, -Infinity] as const;
const BAD_ELEMENTS = ['1', null, true, {}, [], undefined] as const;

/**
 * A message whose payload or msg.chunk is malformed in a way `readChunkMessage` rejects before any
 * state is touched. `channels` is a channel count the node would otherwise accept.
 */
export function malformedChunk(rng: Random, channels: number, extra: AnyMsg = {}, options: { bigChannels?: boolean } = {}): Case {
  const n = 1 + rng.integer(6);
  const good = (): number[][] => samples(rng, channels, n) as number[][];
  const kind = weighted(rng, {
    nonFinite: 5, badElement: 4, channelNotArray: 2, empty: 2, emptyChannel: 1, ragged: 3, tooManyChannels: 1,
    huge: 0.05, tooManyValues: options.bigChannels ? 0.05 : 0,
    chunkNotObject: 1, badStart: 2, badSequence: 1, badNames: 1, badPeriod: 1, badSeries: 1,
  });
  const msg: AnyMsg = { ...structuredClone(extra) };
  msg.chunk = { ...(msg.chunk ?? {}) };
  switch (kind) {
    case 'nonFinite': {
      const data = good().map((c) => Array.from(c));
      const bad = pick(rng, BAD_NUMBERS);
      data[rng.integer(channels)][rng.integer(n)] = bad;
      msg.payload = data;
      return invalid(msg, /must be a finite number \(got (NaN|Infinity|-Infinity)\)/, kind);
    }
    case 'badElement': {
      const data = good().map((c) => Array.from(c)) as unknown[][];
      data[rng.integer(channels)][rng.integer(n)] = pick(rng, BAD_ELEMENTS);
      msg.payload = data;
      return invalid(msg, /msg\.payload\[\d+\]\[\d+\] must be a finite number/, kind);
    }
    case 'channelNotArray': {
      const data = good() as unknown[];
      if (channels === 1) data.push('x'); else data[1 + rng.integer(channels - 1)] = pick(rng, ['x', 3, null, {}, true]);
      msg.payload = data;
      return invalid(msg, /msg\.payload\[\d+\] must be an array of numbers/, kind);
    }
    case 'empty':
      msg.payload = rng.uniform() < 0.5 ? [] : new Float64Array(0);
      return invalid(msg, /msg\.payload is empty/, kind);
    case 'emptyChannel':
      msg.payload = Array.from({ length: channels }, () => []);
      return invalid(msg, /msg\.payload\[0\] is empty/, kind);
    case 'ragged': {
      const data = good().map((c) => Array.from(c));
      const extraRow = Array.from({ length: n + 1 + rng.integer(3) }, () => rng.gaussian());
      if (channels === 1) data.push(extraRow); else data[1 + rng.integer(channels - 1)] = extraRow;
      msg.payload = data;
      return invalid(msg, /channels have different lengths/, kind);
    }
    case 'tooManyChannels':
      msg.payload = Array.from({ length: 4097 }, () => [0]);
      return invalid(msg, /has 4097 channels; at most 4096/, kind);
    // plain arrays: Node-RED clones an errored message for the Catch node, and lodash clones a typed
    // array index by index (seconds for a million values)
    case 'huge':
      msg.payload = Array.from({ length: channels }, () => new Array(1_000_001).fill(0));
      return invalid(msg, /has 1000001 samples; at most 1000000 per chunk/, kind);
    case 'tooManyValues':
      msg.payload = Array.from({ length: 5 }, () => new Array(900_000).fill(0));
      return invalid(msg, /has 4500000 values; at most 4000000 per chunk/, kind);
    case 'chunkNotObject':
      msg.payload = good();
      msg.chunk = pick(rng, ['meta', 7, null, [1, 2], true]);
      return invalid(msg, /msg\.chunk must be an object/, kind);
    case 'badStart':
      msg.payload = good();
      msg.chunk.startSample = pick(rng, [-1, 1.5, '3', NaN, Infinity, {}, true]);
      return invalid(msg, /msg\.chunk\.startSample must be a non-negative integer/, kind);
    case 'badSequence':
      msg.payload = good();
      msg.chunk.sequence = pick(rng, [-2, 0.25, 'one', NaN]);
      return invalid(msg, /msg\.chunk\.sequence must be a non-negative integer/, kind);
    case 'badNames':
      msg.payload = good();
      msg.chunk.channels = pick(rng, [Array.from({ length: channels + 1 }, (_, i) => `c${i}`), 'px', 3]);
      return invalid(msg, /msg\.chunk\.channels must name each of the \d+ channels/, kind);
    case 'badPeriod':
      msg.payload = good();
      msg.chunk.samplePeriodS = pick(rng, [0, -0.01, 'fast', NaN, Infinity]);
      return invalid(msg, /msg\.chunk\.samplePeriodS must be a positive number of seconds/, kind);
    case 'badSeries':
      msg.payload = good();
      msg.chunk.series = pick(rng, [{}, [1], true]);
      return invalid(msg, /msg\.chunk\.series must be a string/, kind);
  }
  throw new Error(`unknown kind ${kind}`);
}

/** A payload that is not an array at all (for nodes that read every message as a chunk). */
export function nonArrayPayload(rng: Random): Case {
  const kind = weighted(rng, { missing: 1, nullPayload: 1, number: 1, string: 1, boolean: 1, object: 1 });
  switch (kind) {
    case 'missing': return invalid({}, /msg\.payload is missing/, kind);
    case 'nullPayload': return invalid({ payload: null }, /msg\.payload is missing/, kind);
    case 'number': return invalid({ payload: pick(rng, [42, NaN, -Infinity, 0]) }, /msg\.payload must be an array of samples/, kind);
    case 'string': return invalid({ payload: pick(rng, ['abc', '', '[1,2,3]']) }, /msg\.payload must be an array of samples/, kind);
    case 'boolean': return invalid({ payload: rng.uniform() < 0.5 }, /msg\.payload must be an array of samples/, kind);
    default: return invalid({ payload: { a: 1, format: 'not-a-fit' } }, /msg\.payload must be an array of samples/, kind);
  }
}

/**
 * Series positions as a node's SeriesTracker sees them, so the generator knows which chunk is a
 * repeat (rejected) and which is a gap (accepted: the series restarts).
 */
export class SeriesModel {
  next = new Map<string, number>();
  /** Next startSample for a valid chunk of `series`: usually contiguous, sometimes a gap or none. */
  start(rng: Random, series: string): number | null {
    const expected = this.next.get(series);
    const u = rng.uniform();
    if (expected === undefined) return u < 0.1 ? null : u < 0.2 ? rng.integer(50) : 0;
    if (u < 0.05) return null;
    if (u < 0.1) return expected + 1 + rng.integer(20);
    return expected;
  }
  advance(series: string, start: number | null, length: number, end: boolean): void {
    if (end) { this.next.delete(series); return; }
    this.next.set(series, (start ?? this.next.get(series) ?? 0) + length);
  }
  /** A startSample that repeats or precedes what was seen, or null when the series is not in flight. */
  repeat(rng: Random, series: string): number | null {
    const expected = this.next.get(series);
    if (expected === undefined || expected === 0) return null;
    return rng.integer(expected);
  }
  clear(): void { this.next.clear(); }
}

export const REPEAT_ERROR = /msg\.chunk\.startSample \d+ of series "[^"]*" repeats or precedes samples already seen/;
