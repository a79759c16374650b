/**
 * The chunk message: one format for time-series chunks between ReSU nodes.
 *
 *   msg.payload  channel-major samples: payload[c][i], or a flat array for one channel. ReSU nodes
 *                send one {@link ChunkSamples} per channel: a Float64Array whose JSON form is a
 *                plain array (JSON, MQTT, file and debug outputs see number[][]). They accept
 *                plain arrays and any typed arrays on input, and never modify what they receive.
 *   msg.topic    the stream/series identity (same as msg.chunk.series).
 *   msg.chunk    { series, channels: string[], samplePeriodS, startSample, sequence,
 *                  endOfSeries?, signal?, train? }   (all optional on input)
 *
 * Filters travel as msg.payload = the versioned fit JSON ({format: "resu-cca-fit", …}).
 */
import { allocateChannels, fitFromJSON, FIT_FORMAT, CcaFit, isArrayLikeOfNumbers, isCompactView } from '../../core';
import { InputError } from './errors';

/** Per-channel and total caps: no message can make a node allocate gigabytes. */
export const MAX_CHANNELS = 4096;
export const MAX_CHUNK_SAMPLES = 1_000_000;
export const MAX_CHUNK_VALUES = 4_000_000;

/** Metadata carried in msg.chunk. */
export interface ChunkMeta {
  /** Stream/series identity; pairs and filter histories never cross series. */
  series: string;
  /** One name per channel (e.g. "px0", "L1/px3"). */
  channels: string[];
  /** Sample period in seconds (null when unknown). */
  samplePeriodS: number | null;
  /** Index of payload[·][0] within its series (null when unknown). */
  startSample: number | null;
  /** Chunk number within the series, 0, 1, 2, … (null when unknown). */
  sequence: number | null;
  /** True on the last chunk of a series. */
  endOfSeries: boolean;
  /** Which signal the channels carry (e.g. "L1", "L3", "T4"), set by unit nodes. */
  signal: string | null;
  /** False for probe stimuli: learners apply but do not learn from them. Default true. */
  train: boolean;
}

/**
 * One channel of a chunk as ReSU nodes send it. Typed, so nodes pass samples on without
 * converting them (and Node-RED's fan-out between ReSU nodes can share them, see routing.ts);
 * `toJSON` gives a plain array, so the message stays JSON-safe. A channel's buffer holds at most
 * 8 channels (core/channels.ts), which bounds what a generic deep copy of one channel copies.
 */
export class ChunkSamples extends Float64Array {
  toJSON(): number[] { return toPlainChannel(this); }
}
// Node-RED's Debug sidebar recognizes typed arrays by constructor name: under its own name a single
// channel shown on its own (msg.payload[0]) would be printed as raw text instead of an array.
Object.defineProperty(ChunkSamples, 'name', { value: 'Float64Array' });

export interface Chunk {
  /** One array per channel; may be the message's own typed arrays (read-only: never modify). */
  data: Float64Array[];
  meta: ChunkMeta;
  length: number;
  /**
   * True when `data` holds arrays of the message that are not ChunkSamples: a node that keeps the
   * chunk beyond the current message (T4's alignment) copies it first, since their sender may
   * refill them. ChunkSamples are never modified once sent (ReSU nodes build new ones for every
   * message), so they are kept as they are.
   */
  borrowed?: boolean;
}

/** The chunk with its data copied into fresh arrays when it is borrowed from a message. */
export function ownChunk(chunk: Chunk): Chunk {
  return chunk.borrowed ? { ...chunk, data: toChunkSamples(chunk.data, true), borrowed: false } : chunk;
}

/**
 * Reads and validates a chunk from `msg.payload` (or another property).
 * @param expectedChannels when given, the chunk must have exactly this many channels.
 * @throws InputError naming the property and the problem.
 */
export function readChunkMessage(msg: Record<string, unknown>, options: { property?: string; expectedChannels?: number; allowEmpty?: boolean } = {}): Chunk {
  const property = options.property ?? 'payload';
  const payload = msg[property];
  const field = `msg.${property}`;
  if (payload === undefined || payload === null) throw new InputError(`${field} is missing; expected an array of samples or of channel arrays`);
  if (!Array.isArray(payload) && !isArrayLikeOfNumbers(payload)) throw InputError.field(field, payload, 'an array of samples or an array of channel arrays');
  const list = payload as ArrayLike<unknown>;
  if (list.length === 0 && !options.allowEmpty) throw new InputError(`${field} is empty; expected at least one sample`);
  const nested = list.length > 0 && typeof list[0] !== 'number';
  const channelsIn: ArrayLike<unknown>[] = nested ? Array.from(list as ArrayLike<ArrayLike<unknown>>) : [list];
  if (channelsIn.length > MAX_CHANNELS) throw new InputError(`${field} has ${channelsIn.length} channels; at most ${MAX_CHANNELS} are accepted`);
  if (options.expectedChannels !== undefined && channelsIn.length !== options.expectedChannels) {
    throw new InputError(`${field} has ${channelsIn.length} channel${channelsIn.length === 1 ? '' : 's'}; this node expects ${options.expectedChannels}`);
  }
  const data: Float64Array[] = [];
  // copies of non-Float64 channels go to views carved from shared slabs (core/channels.ts): a
  // typed array costs ~4 µs to allocate, as much as copying 1000 samples. Oversized chunks keep the
  // per-channel path so the total-size error below still comes after the per-channel checks.
  let copies: Float64Array[] | null = null;
  for (let c = 0; c < channelsIn.length; c++) {
    const channel = channelsIn[c];
    const name = nested ? `${field}[${c}]` : field;
    if (!isArrayLikeOfNumbers(channel)) throw InputError.field(name, channel, 'an array of numbers');
    if (channel.length > MAX_CHUNK_SAMPLES) throw new InputError(`${name} has ${channel.length} samples; at most ${MAX_CHUNK_SAMPLES} per chunk are accepted`);
    if (c > 0 && channel.length !== data[0].length) {
      throw new InputError(`${field} channels have different lengths (channel 0: ${data[0].length}, channel ${c}: ${channel.length})`);
    }
    if (channel.length === 0 && !options.allowEmpty) throw new InputError(`${name} is empty; expected at least one sample`);
    const n = channel.length;
    data.push(readFiniteChannel(channel, name, () => {
      if (copies === null && n * channelsIn.length <= MAX_CHUNK_VALUES) copies = allocateChannels(channelsIn.length, n);
      return copies ? copies[c] : new Float64Array(n);
    }));
  }
  const length = data[0].length;
  if (length * data.length > MAX_CHUNK_VALUES) throw new InputError(`${field} has ${length * data.length} values; at most ${MAX_CHUNK_VALUES} per chunk are accepted`);
  return { data, length, meta: readMeta(msg, data.length), borrowed: data.some((channel, c) => channel === channelsIn[c] && !(channel instanceof ChunkSamples)) };
}

/**
 * One validated channel as a Float64Array. Hot path of every node (64 channels × 1000 samples per
 * message in the motion circuit): a Float64Array is checked in place and used as it is (no copy;
 * callers only read it), other arrays are copied, each kind in its own monomorphic loop;
 * `x − x !== 0` is true exactly for NaN and ±∞.
 */
function readFiniteChannel(channel: ArrayLike<unknown>, name: string, target: () => Float64Array): Float64Array {
  const n = channel.length;
  if (channel instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      const x = channel[i];
      if (x - x !== 0) throw InputError.field(`${name}[${i}]`, x, 'a finite number');
    }
    return channel;
  }
  const values = target();
  if (Array.isArray(channel)) {
    const list = channel as unknown[];
    for (let i = 0; i < n; i++) {
      const x = list[i];
      if (typeof x !== 'number' || x - x !== 0) throw InputError.field(`${name}[${i}]`, x, 'a finite number');
      values[i] = x;
    }
    return values;
  }
  for (let i = 0; i < n; i++) {
    const x = channel[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw InputError.field(`${name}[${i}]`, x, 'a finite number');
    values[i] = x;
  }
  return values;
}

function readMeta(msg: Record<string, unknown>, channelCount: number): ChunkMeta {
  const raw = msg.chunk;
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) throw InputError.field('msg.chunk', raw, 'an object');
  const chunk = (raw ?? {}) as Record<string, unknown>;
  const series = chunk.series ?? msg.topic ?? '';
  if (typeof series !== 'string' && typeof series !== 'number') throw InputError.field('msg.chunk.series', series, 'a string');
  const optionalInt = (name: string): number | null => {
    const value = chunk[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw InputError.field(`msg.chunk.${name}`, value, 'a non-negative integer');
    return value;
  };
  let samplePeriodS: number | null = null;
  if (chunk.samplePeriodS !== undefined && chunk.samplePeriodS !== null) {
    const value = chunk.samplePeriodS;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw InputError.field('msg.chunk.samplePeriodS', value, 'a positive number of seconds');
    samplePeriodS = value;
  }
  let channels: string[];
  if (chunk.channels === undefined || chunk.channels === null) {
    channels = Array.from({ length: channelCount }, (_, c) => `ch${c}`);
  } else if (!Array.isArray(chunk.channels) || chunk.channels.length !== channelCount) {
    throw new InputError(`msg.chunk.channels must name each of the ${channelCount} channels (got ${Array.isArray(chunk.channels) ? chunk.channels.length : typeof chunk.channels})`);
  } else {
    channels = chunk.channels.map(String);
  }
  const signal = chunk.signal === undefined || chunk.signal === null ? null : String(chunk.signal);
  return {
    series: String(series), channels, samplePeriodS,
    startSample: optionalInt('startSample'), sequence: optionalInt('sequence'),
    endOfSeries: chunk.endOfSeries === true, signal, train: chunk.train !== false,
  };
}

/** Typed arrays → plain arrays (JSON.stringify of a bare Float64Array is an object). */
export function toPlain(data: readonly ArrayLike<number>[]): number[][] {
  return data.map(toPlainChannel);
}

/** One channel as a plain array: an indexed copy (Array.from walks the iterator, ~10× slower). */
function toPlainChannel(channel: ArrayLike<number>): number[] {
  const n = channel.length;
  // V8 makes a preallocated array this long a slow dictionary; push keeps it packed
  if (n > PREALLOCATE_LIMIT) { const out: number[] = []; for (let i = 0; i < n; i++) out.push(channel[i]); return out; }
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = channel[i];
  return out;
}
const PREALLOCATE_LIMIT = 50_000;

/**
 * Channels as {@link ChunkSamples}. A Float64Array whose buffer is compact (its own, or a slab of
 * at most 8 channels from core's allocateChannels: fresh core output) is wrapped without copying;
 * views into bigger blocks and other arrays are copied into slabs. The caller hands the arrays
 * over: it must not modify them later. With `copy`, every channel is copied (a deep copy).
 */
export function toChunkSamples(data: readonly ArrayLike<number>[], copy = false): ChunkSamples[] {
  let copies: Float64Array[] | null = null;
  return data.map((channel, c) => {
    if (!copy && channel instanceof ChunkSamples && isCompactView(channel)) return channel;
    if (!copy && channel instanceof Float64Array && isCompactView(channel)) return new ChunkSamples(channel.buffer as ArrayBuffer, channel.byteOffset, channel.length);
    copies ??= allocateChannels(data.length, channel.length);
    const target = copies[c].length === channel.length ? copies[c] : new Float64Array(channel.length);
    if (channel instanceof Float64Array) target.set(channel);
    else for (let i = 0; i < channel.length; i++) target[i] = channel[i];
    return new ChunkSamples(target.buffer as ArrayBuffer, target.byteOffset, target.length);
  });
}

/** Deep copy for the properties a derived message inherits; set once from RED.util.cloneMessage. */
let cloneProperties: (value: Record<string, unknown>) => Record<string, unknown> = (value) => ({ ...value });

/** Uses Node-RED's message clone (deep copy; keeps msg.req / msg.res by reference) for derived messages. */
export function useMessageClone(clone: (value: Record<string, unknown>) => Record<string, unknown>): void {
  cloneProperties = clone;
}

/**
 * A new chunk message derived from `msg` (which is not modified: it may be shared with other
 * ReSU nodes): a deep copy of its other properties (`_msgid`, `parts`, user fields) with payload =
 * one {@link ChunkSamples} per channel, chunk = metadata, topic = series.
 */
export function writeChunkMessage(msg: Record<string, unknown>, data: readonly ArrayLike<number>[], meta: ChunkMeta): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  let hasRest = false;
  for (const key of Object.keys(msg)) {
    if (key === 'payload' || key === 'chunk' || key === 'topic') continue;
    rest[key] = msg[key];
    hasRest = true;
  }
  const out = hasRest ? cloneProperties(rest) : rest;
  out.payload = toChunkSamples(data);
  out.chunk = { ...meta, channels: [...meta.channels] };
  out.topic = meta.series;
  return out;
}

/** True when the message carries a fit ({format: "resu-cca-fit"}) in msg.payload. */
export function isFiltersMessage(msg: Record<string, unknown>): boolean {
  const payload = msg.payload as { format?: unknown } | null | undefined;
  return typeof payload === 'object' && payload !== null && !Array.isArray(payload) && payload.format === FIT_FORMAT;
}

/** Reads a fit from a filters message. @throws InputError. */
export function readFiltersMessage(msg: Record<string, unknown>): CcaFit {
  try {
    return fitFromJSON(msg.payload);
  } catch (err) {
    throw new InputError(`msg.payload is not a valid filters message: ${(err as Error).message}`);
  }
}

/** msg.reset (any truthy value) means: drop state, send nothing. */
export function isReset(msg: Record<string, unknown>): boolean {
  return msg.reset !== undefined && msg.reset !== false && msg.reset !== null;
}

/**
 * Follows series across chunks: detects gaps and repeats from msg.chunk.startSample. Capped at
 * `cap` series in flight. `classify` only reads; `advance` records, so a node can validate a chunk
 * completely before changing any state.
 */
export class SeriesTracker {
  private next = new Map<string, number>();
  constructor(private readonly cap = 4096) {}

  /**
   * 'new' for a series not in flight, 'continue' for the expected next chunk (or unknown position),
   * 'gap' when samples are missing (the series must restart so pairs do not bridge the gap).
   * @throws InputError for a repeated or out-of-order chunk, or too many series in flight.
   */
  classify(meta: ChunkMeta): 'new' | 'continue' | 'gap' {
    const expected = this.next.get(meta.series);
    if (expected === undefined) {
      if (this.next.size >= this.cap) throw new InputError(`too many series in flight (${this.cap}); end series with msg.chunk.endOfSeries`);
      return 'new';
    }
    if (meta.startSample === null || meta.startSample === expected) return 'continue';
    if (meta.startSample < expected) {
      throw new InputError(`msg.chunk.startSample ${meta.startSample} of series ${JSON.stringify(meta.series)} repeats or precedes samples already seen (next expected ${expected})`);
    }
    return 'gap';
  }

  /** Records that the chunk was consumed. */
  advance(meta: ChunkMeta, length: number): void {
    if (meta.endOfSeries) { this.next.delete(meta.series); return; }
    const start = meta.startSample ?? this.next.get(meta.series) ?? 0;
    this.next.set(meta.series, start + length);
  }

  forget(series: string): void { this.next.delete(series); }
  clear(): void { this.next.clear(); }
  get size(): number { return this.next.size; }
}
