/**
 * Streaming units (docs/method.md §2, paper Eq. 10): causal FIR filtering with newest-first taps,
 * ReSU ON/OFF rectification with threshold θ, and the unrectified L3 projection.
 *
 * Like a GNU Radio block with `set_history(m)`, each filter keeps the last m − 1 inputs of every
 * channel, so the output of a stream does not depend on how it was cut into chunks. New taps take
 * effect at the next chunk.
 */
import { allocateChannels } from './channels';
import { ConfigError, ShapeError } from './errors';
import { MAX_LAGS, readChunkShared } from './moments';
import { requireFinite, requireFiniteArray, requireInt, requireOneOf } from './validate';
import { convolveWasm } from './wasm/fir';

/** ON keeps the positive part, OFF the negative part (as a positive rate), linear keeps both. */
export type Polarity = 'on' | 'off' | 'linear';

/**
 * Applies one filter of C·m taps to a C-channel stream, giving one output channel:
 * out_t = Σ_c Σ_k taps[c·m + k] · y_c[t − k] (the ψ·p_t of docs/method.md §1). With C = 1 and several
 * input channels use {@link FirFilter}, which filters each channel on its own.
 */
export class PastProjection {
  readonly channels: number;
  readonly pastLags: number;
  private taps: Float64Array;
  /**
   * Per channel, the last m − 1 inputs, oldest first; zeros before the stream started (missing
   * history counts as 0, and adding tap·0 leaves a sum unchanged, so no per-sample bounds test).
   */
  private history: Float64Array[];
  /** Reused per-chunk buffer [history | chunk] of one channel; grows, never shrinks below m − 1. */
  private work: Float64Array;

  /**
   * @param taps C·m taps, newest first, channel-major.
   * @param channels C (default 1).
   */
  constructor(taps: ArrayLike<number>, channels = 1) {
    this.channels = requireInt('channels', channels, { min: 1, max: 4096 });
    this.taps = requireFiniteArray('taps', taps, { minLength: this.channels, maxLength: this.channels * MAX_LAGS });
    if (this.taps.length % this.channels !== 0) throw new ShapeError(`taps has ${this.taps.length} values, not a multiple of ${this.channels} channels`);
    this.pastLags = this.taps.length / this.channels;
    this.history = Array.from({ length: this.channels }, () => new Float64Array(this.pastLags - 1));
    this.work = new Float64Array(this.pastLags - 1);
  }

  /** Replaces the taps (same length); the history is kept, so the stream continues seamlessly. */
  setTaps(taps: ArrayLike<number>): void {
    this.taps = requireFiniteArray('taps', taps, { minLength: this.taps.length, maxLength: this.taps.length });
  }

  /** Current taps (a copy). */
  getTaps(): Float64Array { return Float64Array.from(this.taps); }

  /** One output per input sample. Validates first; a bad chunk leaves the history untouched. */
  process(chunk: unknown): Float64Array {
    return this.processChannels(readChunkShared(chunk, this.channels));
  }

  /**
   * {@link process} on already validated channels (one Float64Array per channel, equal lengths).
   * @internal for FirFilter, which validates the whole multichannel chunk once.
   */
  processChannels(data: readonly Float64Array[], out = new Float64Array(data[0].length)): Float64Array {
    const n = data[0].length;
    const m = this.pastLags, H = m - 1;
    if (n === 0) return out;
    const work = workBuffer(this as unknown as { work: Float64Array }, H + n);
    for (let c = 0; c < this.channels; c++) {
      const history = this.history[c];
      work.set(history, 0);
      work.set(data[c], H);
      convolve(this.taps, c * m, m, work, H, n, out);
      history.set(work.subarray(n, n + H));
    }
    return out;
  }

  /** Clears the history (as if the stream restarted with zeros before it). */
  reset(): void {
    for (const h of this.history) h.fill(0);
  }
}

/**
 * out[t] += Σ_{k<m} taps[base + k] · work[offset + t − k] for t < n (work holds m − 1 samples of
 * history before `offset`). Each output's sum runs over k in ascending order, exactly like the
 * one-output-at-a-time loop, so results are bit-identical to it. Register blocking: four outputs
 * and four taps per step (16 multiply-adds from 4 tap loads and 4 input loads); the three inputs
 * the next step shares with this one stay in locals, which the JIT keeps in registers.
 */
export function convolveNewestFirst(taps: Float64Array, base: number, m: number, work: Float64Array, offset: number, n: number, out: Float64Array): void {
  const blocked = m - (m % 4); // taps handled four at a time; the rest one by one
  let t = 0;
  for (; t + 3 < n; t += 4) {
    const i = offset + t;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    // before step k: p0 = x[i + 3 − k], p1 = x[i + 2 − k], p2 = x[i + 1 − k] (x = work)
    let p0 = work[i + 3], p1 = work[i + 2], p2 = work[i + 1];
    let k = 0;
    for (; k < blocked; k += 4) {
      const j = i - k;
      const p3 = work[j], n1 = work[j - 1], n2 = work[j - 2], n3 = work[j - 3];
      const t0 = taps[base + k], t1 = taps[base + k + 1], t2 = taps[base + k + 2], t3 = taps[base + k + 3];
      a0 += t0 * p3; a1 += t0 * p2; a2 += t0 * p1; a3 += t0 * p0;
      a0 += t1 * n1; a1 += t1 * p3; a2 += t1 * p2; a3 += t1 * p1;
      a0 += t2 * n2; a1 += t2 * n1; a2 += t2 * p3; a3 += t2 * p2;
      a0 += t3 * n3; a1 += t3 * n2; a2 += t3 * n1; a3 += t3 * p3;
      p0 = n1; p1 = n2; p2 = n3;
    }
    for (; k < m; k++) {
      const tap = taps[base + k], j = i - k;
      a0 += tap * work[j]; a1 += tap * work[j + 1]; a2 += tap * work[j + 2]; a3 += tap * work[j + 3];
    }
    out[t] += a0; out[t + 1] += a1; out[t + 2] += a2; out[t + 3] += a3;
  }
  for (; t < n; t++) {
    const i = offset + t;
    let acc = 0;
    for (let k = 0; k < m; k++) acc += taps[base + k] * work[i - k];
    out[t] += acc;
  }
}

/** Below this many multiply-adds per call the copies into WebAssembly memory are not worth it. */
const WASM_MIN_WORK = 2048;

/**
 * {@link convolveNewestFirst} through the WebAssembly SIMD kernel when it is available and the
 * call is big enough (core/wasm/fir.ts; bit-identical), else in JavaScript.
 */
export function convolve(taps: Float64Array, base: number, m: number, work: Float64Array, offset: number, n: number, out: Float64Array): void {
  if (m * n >= WASM_MIN_WORK && convolveWasm(taps, base, m, work, offset, n, out)) return;
  convolveNewestFirst(taps, base, m, work, offset, n, out);
}

/** Applies the same m-tap filter to each of N channels independently (N outputs). */
export class FirFilter {
  private taps: Float64Array;
  /** Last m − 1 inputs of every channel, oldest first, channel c at [c·(m − 1), (c + 1)·(m − 1)). */
  private history: Float64Array;
  /** Reused [history | chunk] buffer of one channel. */
  private work: Float64Array;

  /** @param taps m taps, newest first. @param channels N independent channels (default 1). */
  constructor(taps: ArrayLike<number>, readonly channels = 1) {
    requireInt('channels', channels, { min: 1, max: 4096 });
    // a filter is a learned ψ: at most MAX_LAGS taps (the learner's longest past)
    this.taps = requireFiniteArray('taps', taps, { minLength: 1, maxLength: MAX_LAGS });
    // one history block for all channels: a typed-array allocation costs ~4 µs, and a unit bank
    // builds a filter per series
    this.history = new Float64Array(channels * (this.taps.length - 1));
    this.work = new Float64Array(this.taps.length - 1);
  }

  get length(): number { return this.taps.length; }

  /** Replaces the taps (same length) from the next chunk on. */
  setTaps(taps: ArrayLike<number>): void {
    this.taps = requireFiniteArray('taps', taps, { minLength: this.taps.length, maxLength: this.taps.length });
  }

  /** Filters each channel; returns one Float64Array per channel. */
  process(chunk: unknown): Float64Array[] {
    const data = readChunkShared(chunk, this.channels);
    const n = data[0].length;
    const m = this.taps.length, H = m - 1;
    const out = allocateChannels(this.channels, n);
    const work = workBuffer(this as unknown as { work: Float64Array }, H + n);
    for (let c = 0; c < this.channels; c++) {
      const channelOut = out[c];
      if (n === 0) continue;
      const history = this.history.subarray(c * H, (c + 1) * H);
      work.set(history, 0);
      work.set(data[c], H);
      convolve(this.taps, 0, m, work, H, n, channelOut);
      history.set(work.subarray(n, n + H));
    }
    return out;
  }

  reset(): void { this.history.fill(0); }
}

/** Largest [history | chunk] buffer a filter keeps for reuse (bigger chunks get a temporary one). */
const MAX_REUSED_WORK = 1 << 16;

/** The filter's reusable work buffer, at least `length` long. */
function workBuffer(owner: { work: Float64Array }, length: number): Float64Array {
  if (owner.work.length >= length) return owner.work;
  const buffer = new Float64Array(length);
  if (length <= MAX_REUSED_WORK) owner.work = buffer;
  return buffer;
}

/** Options of {@link ResuUnit}. */
export interface ResuUnitOptions {
  /** The filter ψ_k: m taps newest first (channelwise) or C·m taps (combined). */
  readonly taps: ArrayLike<number>;
  /** 'on' (default), 'off' or 'linear' (L3: no rectification). */
  readonly polarity?: Polarity;
  /** θ ≥ 0 subtracted before rectification (ignored for linear). Default 0. */
  readonly threshold?: number;
  /** Input channels (default 1). */
  readonly channels?: number;
  /**
   * 'channelwise' (default): the same m-tap filter on every channel, one output per channel (layer 1).
   * 'combined': one C·m-tap filter over all channels, one output (layer 2, T4).
   */
  readonly mode?: 'channelwise' | 'combined';
}

/** Applies rectification r = max(±x − θ, 0) in place. */
export function rectify(values: Float64Array, polarity: Polarity, threshold = 0): Float64Array {
  if (polarity === 'linear') return values;
  const sign = polarity === 'on' ? 1 : -1;
  for (let i = 0; i < values.length; i++) values[i] = Math.max(sign * values[i] - threshold, 0);
  return values;
}

/**
 * A ReSU: r_t = max(ψ·p_t − θ, 0) (ON) or max(−ψ·p_t − θ, 0) (OFF), or the linear projection
 * ψ·p_t (L3). Streams with history across chunks.
 */
export class ResuUnit {
  readonly polarity: Polarity;
  readonly threshold: number;
  readonly mode: 'channelwise' | 'combined';
  readonly channels: number;
  private readonly filter: FirFilter | PastProjection;

  constructor(options: ResuUnitOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
    this.polarity = requireOneOf('polarity', options.polarity ?? 'on', ['on', 'off', 'linear']);
    this.threshold = requireFinite('threshold', options.threshold ?? 0, { min: 0 });
    this.mode = requireOneOf('mode', options.mode ?? 'channelwise', ['channelwise', 'combined']);
    this.channels = requireInt('channels', options.channels ?? 1, { min: 1, max: 4096 });
    this.filter = this.mode === 'combined' ? new PastProjection(options.taps, this.channels) : new FirFilter(options.taps, this.channels);
  }

  /** Replaces the filter from the next chunk on (same length). */
  setTaps(taps: ArrayLike<number>): void { this.filter.setTaps(taps); }

  /** One output channel per input channel (channelwise) or a single one (combined). */
  process(chunk: unknown): Float64Array[] {
    const projected = this.filter instanceof FirFilter ? this.filter.process(chunk) : [this.filter.process(chunk)];
    return projected.map((values) => rectify(values, this.polarity, this.threshold));
  }

  reset(): void { this.filter.reset(); }
}
