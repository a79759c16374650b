/**
 * The chunk message: one format for time-series chunks between ReSU nodes.
 *
 *   msg.payload  channel-major samples: payload[c][i], or a flat array for one channel. ReSU nodes
 *                send one {@link ChunkSamples} per channel: a Float64Array whose JSON form is a
 *                plain array (JSON, MQTT, file and debug outputs see number[][]). They accept
 *                plain arrays and any typed arrays on input, and never modify what they receive.
 *   msg.topic    the stream/series identity (same as msg.chunk.series).
 *   msg.chunk    { series, channels: string[], samplePeriodS, startSample, sequence,
 *                  endOfSeries?, endOfRun?, signal?, train?, lattice?, positions? }   (all optional on input;
 *                  positions are written from lattice, never read: shared/lattice-meta.ts)
 *
 * Filters travel as msg.payload = the versioned fit JSON ({format: "resu-cca-fit", …}).
 */
import { allocateChannels, fitFromJSON, FIT_FORMAT, CcaFit, isArrayLikeOfNumbers, isCompactView } from '../../core';
import { MAX_SERIES_NAME_LENGTH, sampleExpectation } from '../../core/moments';
import { MAX_SAMPLE_MAGNITUDE } from '../../core/validate';
import { InputError } from './errors';
import { LatticeMeta, latticePositions, readLatticeMeta } from './lattice-meta';

/** Per-channel and total caps: no message can make a node allocate gigabytes. */
export const MAX_CHANNELS = 4096;
export const MAX_CHUNK_SAMPLES = 1_000_000;
export const MAX_CHUNK_VALUES = 4_000_000;

/**
 * Deepest nesting of any message a ReSU node accepts (msg.payload[c][i] is 3 levels, a statistics
 * snapshot 7). Node-RED copies a message recursively (Catch and Complete nodes inside done(),
 * fan-out to several wires) and overflowed the stack at ≈ 2000 levels: a 400 kB message of 2·10⁵
 * levels made Node-RED exit. Deeper messages are rejected before anything copies them.
 */
export const MAX_MESSAGE_DEPTH = 64;
/**
 * Longest array anywhere in a message (as many as a chunk's values), checked before it is walked:
 * a sparse array can claim 2³² − 1 elements. Chunk arrays have their own, smaller caps.
 */
export const MAX_MESSAGE_ARRAY_LENGTH = MAX_CHUNK_VALUES;
/** Most array elements and object members in one message: a full chunk plus 1,000,000 for the rest. */
export const MAX_MESSAGE_VALUES = MAX_CHUNK_VALUES + 1_000_000;

/** A message that must not be processed or copied as it is, and the top-level property at fault. */
export interface MessageProblem {
  /** Top-level property holding the problem (replaced by {@link defuseMessage}). */
  key: string;
  /** Short reason, also the replacement text. */
  note: string;
  error: InputError;
}

/**
 * Checks a message's shape before anything reads, copies or queues it: nesting depth at most
 * {@link MAX_MESSAGE_DEPTH}, arrays at most {@link MAX_MESSAGE_ARRAY_LENGTH} long (checked before
 * they are walked), at most {@link MAX_MESSAGE_VALUES} values in all, and every property readable
 * (a getter that throws would throw again in Node-RED's copy). Iterative, so the check itself
 * cannot overflow; typed arrays and Buffers are leaves; msg.req and msg.res (Node-RED keeps them
 * by reference) are not walked; objects seen twice (shared or circular) are walked once.
 * Costs one type test per array element (≈ 0.1 ms for 64 × 1000 plain numbers); chunks between
 * ReSU nodes are typed arrays and cost nothing.
 * @returns null when the message is fine, else the first problem found.
 */
export function screenMessage(msg: Record<string, unknown>): MessageProblem | null {
  const problem = (key: string, note: string, detail: string): MessageProblem => ({ key, note, error: new InputError(`msg.${key} ${detail}`) });
  let keys: string[];
  try { keys = Object.keys(msg); } catch (err) { return problem('', 'unreadable', `cannot be read: ${describeError(err)}`); }
  const walk: MessageWalk = { seen: new Set(), values: keys.length, stack: [] };
  for (const key of keys) {
    if (key === 'req' || key === 'res') continue;
    let value: unknown;
    try { value = msg[key]; } catch (err) { return problem(key, 'unreadable property', `cannot be read: ${describeError(err)}`); }
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) continue;
    let verdict: WalkVerdict;
    try {
      verdict = walkValue(value, walk);
    } catch (err) {
      return problem(key, 'unreadable property', `has a property that cannot be read: ${describeError(err)}`);
    }
    if (verdict === 'deep') return problem(key, `nested deeper than ${MAX_MESSAGE_DEPTH} levels`, `is nested deeper than ${MAX_MESSAGE_DEPTH} levels`);
    if (typeof verdict === 'number') return problem(key, 'array too long', `holds an array of ${verdict} elements; at most ${MAX_MESSAGE_ARRAY_LENGTH} are accepted`);
    if (verdict === 'large') return problem(key, 'too many values', `makes the message hold more than ${MAX_MESSAGE_VALUES} values`);
  }
  return null;
}

interface MessageWalk { seen: Set<object>; values: number; stack: { value: object; depth: number }[] }
/** 'ok', 'deep', 'large' (too many values), or the length of an array too long. */
type WalkVerdict = 'ok' | 'deep' | 'large' | number;

/** Walks one top-level value depth-first with an explicit stack (may throw from a getter). */
function walkValue(value: object, walk: MessageWalk): WalkVerdict {
  const stack = walk.stack;
  stack.push({ value, depth: 1 });
  while (stack.length > 0) {
    const { value: node, depth } = stack.pop()!;
    if (walk.seen.has(node)) continue;
    walk.seen.add(node);
    if (depth > MAX_MESSAGE_DEPTH) { stack.length = 0; return 'deep'; }
    if (Array.isArray(node)) {
      if (node.length > MAX_MESSAGE_ARRAY_LENGTH) { stack.length = 0; return node.length; }
      walk.values += node.length;
      if (walk.values <= MAX_MESSAGE_VALUES) pushObjectItems(node, depth, stack);
    } else {
      const names = Object.keys(node);
      walk.values += names.length;
      if (walk.values <= MAX_MESSAGE_VALUES) for (const name of names) pushIfObject((node as Record<string, unknown>)[name], depth, stack);
    }
    if (walk.values > MAX_MESSAGE_VALUES) { stack.length = 0; return 'large'; }
  }
  return 'ok';
}

/** The hot loop (plain number arrays from JSON): one type test per element. */
function pushObjectItems(items: unknown[], depth: number, stack: MessageWalk['stack']): void {
  for (let i = 0, n = items.length; i < n; i++) {
    const item = items[i];
    if (typeof item === 'object' && item !== null && !ArrayBuffer.isView(item)) stack.push({ value: item, depth: depth + 1 });
  }
}

function pushIfObject(item: unknown, depth: number, stack: MessageWalk['stack']): void {
  if (typeof item === 'object' && item !== null && !ArrayBuffer.isView(item)) stack.push({ value: item, depth: depth + 1 });
}

/**
 * Replaces top-level property `key` of a rejected message with a short text, so that Node-RED can
 * copy the message for Catch nodes. The message is being rejected, so nothing else reads it.
 * @returns false when the property cannot be replaced (the caller's done(err) is guarded anyway).
 */
export function defuseMessage(msg: Record<string, unknown>, key: string, note: string): boolean {
  if (key === '') return false;
  try {
    Object.defineProperty(msg, key, { value: `[removed by ReSU: ${note}]`, writable: true, enumerable: true, configurable: true });
    return true;
  } catch {
    return false;
  }
}

/** An error's message, also for errors of another realm (a function node's sandbox). */
function describeError(err: unknown): string {
  try {
    const message = (err as { message?: unknown } | null)?.message;
    return typeof message === 'string' ? message : String(err);
  } catch { return 'unknown error'; }
}

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
  /**
   * True on the last chunk a source sends in a run that ran to its end (not a stop): learners solve
   * on it, so the last part of the data is not left unsolved. Carried through units and noise.
   */
  endOfRun: boolean;
  /** Which signal the channels carry (e.g. "L1", "L3", "T4"), set by unit nodes. */
  signal: string | null;
  /** False for probe stimuli: learners apply but do not learn from them. Default true. */
  train: boolean;
  /** The pixel lattice the channels come from (2-D sources), channel i = pixel i; absent otherwise. */
  lattice?: LatticeMeta | null;
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
  // sizes before copying anything: a sparse array of length 2³² − 1 took 10 s to copy
  if (nested && list.length > MAX_CHANNELS) throw new InputError(`${field} has ${list.length} channels; at most ${MAX_CHANNELS} are accepted`);
  if (!nested && list.length > MAX_CHUNK_SAMPLES) throw new InputError(`${field} has ${list.length} samples; at most ${MAX_CHUNK_SAMPLES} per chunk are accepted`);
  const channelsIn: ArrayLike<unknown>[] = nested ? Array.from(list as ArrayLike<ArrayLike<unknown>>) : [list];
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
  return { data, length, meta: readMeta(msg, data.length, length), borrowed: data.some((channel, c) => channel === channelsIn[c] && !(channel instanceof ChunkSamples)) };
}

/**
 * One validated channel as a Float64Array. Hot path of every node (64 channels × 1000 samples per
 * message in the motion circuit): a Float64Array is checked in place and used as it is (no copy;
 * callers only read it), other arrays are copied, each kind in its own monomorphic loop. Samples
 * must be finite and within ±MAX_SAMPLE_MAGNITUDE (so the learners' sums of products cannot
 * overflow); the range comparisons are false for NaN.
 */
function readFiniteChannel(channel: ArrayLike<unknown>, name: string, target: () => Float64Array): Float64Array {
  const n = channel.length, limit = MAX_SAMPLE_MAGNITUDE;
  if (channel instanceof Float64Array) {
    for (let i = 0; i < n; i++) {
      const x = channel[i];
      if (!(x <= limit && x >= -limit)) throw InputError.field(`${name}[${i}]`, x, sampleExpectation(x));
    }
    return channel;
  }
  const values = target();
  if (Array.isArray(channel)) {
    const list = channel as unknown[];
    for (let i = 0; i < n; i++) {
      const x = list[i];
      if (typeof x !== 'number' || !(x <= limit && x >= -limit)) throw InputError.field(`${name}[${i}]`, x, sampleExpectation(x));
      values[i] = x;
    }
    return values;
  }
  for (let i = 0; i < n; i++) {
    const x = channel[i];
    if (typeof x !== 'number' || !(x <= limit && x >= -limit)) throw InputError.field(`${name}[${i}]`, x, sampleExpectation(x));
    values[i] = x;
  }
  return values;
}

/**
 * Chunk metadata. Names (series, channels, signal) are at most MAX_SERIES_NAME_LENGTH characters
 * (series names are kept as keys while a series is open: 10 MB names grew the heap by 940 MB);
 * positions are safe integers with startSample + length ≤ 2⁵³ − 1, so the next expected sample is
 * exact (at startSample 1e300 or 2⁵³, start + length rounded back to start and the same chunk was
 * learned twice).
 */
function readMeta(msg: Record<string, unknown>, channelCount: number, length: number): ChunkMeta {
  const raw = msg.chunk;
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) throw InputError.field('msg.chunk', raw, 'an object');
  const chunk = (raw ?? {}) as Record<string, unknown>;
  const seriesField = chunk.series !== undefined && chunk.series !== null ? 'msg.chunk.series' : 'msg.topic';
  const series = chunk.series ?? msg.topic ?? '';
  if (typeof series !== 'string' && typeof series !== 'number') throw InputError.field(seriesField, series, 'a string');
  const name = (field: string, value: unknown): string => {
    const text = String(value);
    if (text.length > MAX_SERIES_NAME_LENGTH) throw InputError.field(field, text, `at most ${MAX_SERIES_NAME_LENGTH} characters long (got ${text.length})`);
    return text;
  };
  const optionalInt = (name: string, headroom = 0): number | null => {
    const value = chunk[name];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > Number.MAX_SAFE_INTEGER - headroom) {
      const limit = headroom ? `at most ${Number.MAX_SAFE_INTEGER - headroom}, so that it plus the chunk's ${headroom} samples stays exact` : 'at most 2⁵³ − 1';
      throw InputError.field(`msg.chunk.${name}`, value, `a non-negative integer (${limit})`);
    }
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
    channels = chunk.channels.map((channel, c) => name(`msg.chunk.channels[${c}]`, channel));
  }
  const signal = chunk.signal === undefined || chunk.signal === null ? null : name('msg.chunk.signal', chunk.signal);
  return {
    series: name(seriesField, series), channels, samplePeriodS,
    startSample: optionalInt('startSample', length), sequence: optionalInt('sequence'),
    endOfSeries: chunk.endOfSeries === true, endOfRun: chunk.endOfRun === true, signal, train: chunk.train !== false,
    ...(chunk.lattice === undefined || chunk.lattice === null ? {} : { lattice: readLatticeMeta(chunk.lattice, channelCount) }),
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
    // an own "__proto__" key (JSON.parse makes one) would become the prototype of the output
    // message by assignment, and its members (a `reset`) would look like the message's own
    if (key === 'payload' || key === 'chunk' || key === 'topic' || key === '__proto__') continue;
    rest[key] = msg[key];
    hasRest = true;
  }
  const out = hasRest ? cloneProperties(rest) : rest;
  out.payload = toChunkSamples(data);
  const { lattice, ...rest2d } = meta;
  out.chunk = lattice ? { ...rest2d, channels: [...meta.channels], lattice, positions: latticePositions(lattice) } : { ...rest2d, channels: [...meta.channels] };
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
