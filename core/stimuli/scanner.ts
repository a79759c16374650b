/**
 * The natural-scene scanner (docs/method.md §3, paper Fig. 2D): a row of N photoreceptor pixels,
 * spacingDeg apart, looks at a contrast image that translates at a constant angular velocity; each
 * pixel reports the contrast at its current position, linearly interpolated between image pixels.
 *
 * Geometry (angles in degrees, time t = k·dtS for sample k of a row):
 *   φ_i(t) = φ0 + i·spacingDeg − speedDegPerS·t   for direction 'right',
 *   φ_i(t) = φ0 + i·spacingDeg + speedDegPerS·t   for direction 'left'.
 * 'right' means the scene moves toward higher pixel indices (pixel i + 1 sits spacingDeg to the
 * right of pixel i): a scene feature reaches pixel i + 1 spacingDeg / speedDegPerS seconds AFTER
 * pixel i. 'left' is the mirror image: pixel i + 1 sees it that much earlier. Image column x sits
 * at angle x·degPerPixel; a 360° scene wraps, any other is read only where it exists.
 *
 * Each selected image row is its own series ('row-<r>'): chunks never straddle two rows, and a
 * learner should call `endSeries()` where `endOfSeries` is set. The authors z-scored each row;
 * with `zScoreRows` every pixel's signal is shifted and scaled to zero mean and unit sd over the
 * whole row, from an exact pre-pass over that row, so the result does not depend on chunking.
 */
import { ConfigError } from '../errors';
import { allocateChannels } from '../channels';
import { requireBoolean, requireFinite, requireInt, requireOneOf } from '../validate';
import { ContrastImage } from './contrast';

/** The way the scene moves across the pixel array (see the module comment). */
export type MotionDirection = 'left' | 'right';

/** Largest pixel array. */
export const MAX_SCANNER_PIXELS = 4096;
/** Largest number of samples per row (≈ 11.6 days at 100 Hz); samples are computed, not stored. */
export const MAX_SAMPLES_PER_ROW = 100_000_000;
/** Largest chunk: samples × pixels per call to `next` (80 MB of Float64). */
export const MAX_SCANNER_CHUNK_VALUES = 10_000_000;
/**
 * Largest row signal (samplesPerRow × pixels) kept while a z-scored row is scanned: 2^20 values,
 * 8 MB of Float64. The z-score pre-pass computes every sample of the row once; within this cap it
 * keeps them (z-scored), so `next` copies instead of interpolating again (identical values).
 * Longer rows are recomputed. The buffer is reused from row to row and released on `reset`.
 */
export const MAX_ROW_CACHE_VALUES = 1 << 20;
/** Uncached rows are computed in pieces of this many samples (512 KB of scratch). */
const MAX_PIECE = 65536;

/** Options of {@link Scanner}. Defaults: {@link DEFAULT_SCANNER_OPTIONS}. */
export interface ScannerOptions {
  /** N, number of pixels. Default 3. */
  readonly pixels?: number;
  /** Angle between adjacent pixels, degrees (the fly's inter-ommatidial angle). Default 5. */
  readonly spacingDeg?: number;
  /** Scene speed, degrees per second. Default: one image pixel per sample, degPerPixel / dtS (the authors' scan). */
  readonly speedDegPerS?: number;
  /** Sample interval, seconds. Default 0.01. */
  readonly dtS?: number;
  /** 'right' (default): the scene moves toward higher pixel indices; 'left': toward lower ones. */
  readonly direction?: MotionDirection;
  /** Image rows to scan, in this order, each a separate series. Default: every row, top to bottom. */
  readonly rows?: readonly number[];
  /**
   * Duration of each row's scan, seconds; samplesPerRow = floor(durationPerRowS / dtS). Default:
   * one full revolution (360° / speed) for a wrapping scene, else the longest scan that keeps
   * every pixel inside the image.
   */
  readonly durationPerRowS?: number;
  /** Angle of pixel 0 at t = 0, degrees. Default 0, or for 'right' on a non-wrapping scene the largest start that fits. */
  readonly startDeg?: number;
  /** Shift and scale each pixel's signal to zero mean and unit sd over every row, as the authors did. Default true. */
  readonly zScoreRows?: boolean;
}

/** Defaults of {@link ScannerOptions}: the paper's fly eye (docs/method.md §3). */
export const DEFAULT_SCANNER_OPTIONS = {
  pixels: 3,
  spacingDeg: 5,
  dtS: 0.01,
  direction: 'right' as MotionDirection,
  zScoreRows: true,
} as const;

/** One multi-channel piece of one series. */
export interface ScanChunk {
  /** One Float64Array per pixel, all of the same length (≥ 1). */
  readonly channels: Float64Array[];
  /** Series name, 'row-<r>'. */
  readonly series: string;
  /** Image row r. */
  readonly row: number;
  /** Index of the first sample within its series. */
  readonly startSample: number;
  /** True when this chunk ends the series (the row is finished). */
  readonly endOfSeries: boolean;
}

/** Validates a contrast image (sizes, finite data, a 360° width when it wraps); returns it. @throws ConfigError naming the field. */
export function requireContrastImage(scene: unknown): ContrastImage {
  if (scene === null || typeof scene !== 'object') throw new ConfigError('scene', scene, 'a contrast image { width, height, data, degPerPixel, wraps }');
  const s = scene as ContrastImage;
  requireInt('scene.width', s.width, { min: 2 });
  requireInt('scene.height', s.height, { min: 1 });
  requireFinite('scene.degPerPixel', s.degPerPixel, { min: 0, exclusiveMin: true });
  requireBoolean('scene.wraps', s.wraps);
  if (!(s.data instanceof Float64Array) || s.data.length !== s.width * s.height) {
    throw new ConfigError('scene.data', s.data, `a Float64Array of width × height = ${s.width * s.height} values`);
  }
  for (let i = 0; i < s.data.length; i++) if (!Number.isFinite(s.data[i])) throw new ConfigError(`scene.data[${i}]`, s.data[i], 'a finite number');
  if (s.wraps && Math.abs(s.width * s.degPerPixel - 360) > 1e-6) {
    throw new ConfigError('scene.degPerPixel', s.degPerPixel, `360 / width = ${360 / s.width} for a wrapping scene`);
  }
  return s;
}

/**
 * Streams the pixel signals of a translating scene, row after row, in chunks.
 * Construction validates everything; `next` only computes.
 */
export class Scanner {
  readonly pixels: number;
  readonly spacingDeg: number;
  readonly speedDegPerS: number;
  readonly dtS: number;
  readonly direction: MotionDirection;
  readonly rows: readonly number[];
  readonly zScoreRows: boolean;
  /** Samples in each row's series. */
  readonly samplesPerRow: number;
  /** rows × samplesPerRow. */
  readonly totalSamples: number;
  /** spacingDeg / (speedDegPerS · dtS): the delay between adjacent pixels, in samples. */
  readonly samplesPerSpacing: number;
  /** Angle of pixel 0 at t = 0, degrees. */
  readonly startDeg: number;

  private readonly scene: ContrastImage;
  private readonly spacingPx: number;
  private readonly stepPx: number; // signed image-pixel displacement per sample
  private readonly startPx: number;
  private rowIndex = 0;
  private sampleIndex = 0;
  private mean: Float64Array;
  private scale: Float64Array;
  /** The current row's z-scored signal, pixel-major (see {@link MAX_ROW_CACHE_VALUES}), or null. */
  private rowSignal: Float64Array | null = null;
  /** The buffer behind rowSignal, reused from row to row (every row has the same size); null after reset. */
  private rowBuffer: Float64Array | null = null;

  /**
   * @param scene a contrast image (e.g. from {@link toContrastImage}); kept by reference, not copied or modified.
   * @param options see {@link ScannerOptions}.
   * @throws ConfigError naming the field, e.g. when the pixel array does not fit in a non-wrapping image.
   */
  constructor(scene: ContrastImage, options: ScannerOptions = {}) {
    this.scene = requireContrastImage(scene);
    if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
    const d = DEFAULT_SCANNER_OPTIONS;
    const { width, height, degPerPixel, wraps } = this.scene;
    this.pixels = requireInt('pixels', options.pixels ?? d.pixels, { min: 1, max: MAX_SCANNER_PIXELS });
    this.spacingDeg = requireFinite('spacingDeg', options.spacingDeg ?? d.spacingDeg, { min: 0, max: 360 });
    this.dtS = requireFinite('dtS', options.dtS ?? d.dtS, { min: 0, exclusiveMin: true, max: 1e6 });
    this.speedDegPerS = requireFinite('speedDegPerS', options.speedDegPerS ?? degPerPixel / this.dtS, { min: 0, exclusiveMin: true, max: 1e9 });
    this.direction = requireOneOf('direction', options.direction ?? d.direction, ['left', 'right']);
    this.zScoreRows = requireBoolean('zScoreRows', options.zScoreRows ?? d.zScoreRows);
    this.rows = resolveRows(options.rows, height);
    const stepDeg = this.speedDegPerS * this.dtS;
    this.samplesPerSpacing = this.spacingDeg / stepDeg;
    const extentDeg = (this.pixels - 1) * this.spacingDeg;
    const lastDeg = (width - 1) * degPerPixel; // angle of the last image column
    if (!wraps && extentDeg > lastDeg) {
      throw new ConfigError('pixels × spacingDeg', extentDeg, `at most the image's extent ${lastDeg.toFixed(3)}° ((width − 1) × degPerPixel)`);
    }
    let samplesPerRow: number;
    let startDeg: number;
    if (wraps) {
      startDeg = requireFinite('startDeg', options.startDeg ?? 0, { min: -1e9, max: 1e9 });
      const durationS = options.durationPerRowS ?? 360 / this.speedDegPerS;
      requireFinite('durationPerRowS', durationS, { min: 0, exclusiveMin: true });
      samplesPerRow = sampleCount(durationS, this.dtS);
    } else {
      const travelDeg = lastDeg - extentDeg;
      startDeg = requireFinite('startDeg', options.startDeg ?? (this.direction === 'right' ? travelDeg : 0), { min: 0, max: travelDeg });
      // Room to move: from the start to the left edge ('right') or to the right edge ('left').
      const roomDeg = this.direction === 'right' ? startDeg : travelDeg - startDeg;
      const fitting = sampleCount(roomDeg, stepDeg) + 1;
      if (options.durationPerRowS === undefined) {
        samplesPerRow = fitting;
      } else {
        const durationS = requireFinite('durationPerRowS', options.durationPerRowS, { min: 0, exclusiveMin: true });
        samplesPerRow = sampleCount(durationS, this.dtS);
        if (samplesPerRow > fitting) {
          throw new ConfigError('durationPerRowS', durationS, `at most ${Number((fitting * this.dtS).toPrecision(6))} s (longer scans would move pixels off the image)`);
        }
      }
    }
    if (samplesPerRow < 1) throw new ConfigError('durationPerRowS', options.durationPerRowS ?? null, `at least one sample interval dtS = ${this.dtS} s`);
    if (samplesPerRow > MAX_SAMPLES_PER_ROW) throw new ConfigError('durationPerRowS / dtS', samplesPerRow, `at most ${MAX_SAMPLES_PER_ROW} samples per row`);
    this.samplesPerRow = samplesPerRow;
    this.totalSamples = samplesPerRow * this.rows.length;
    this.startDeg = startDeg;
    this.spacingPx = this.spacingDeg / degPerPixel;
    this.stepPx = (this.direction === 'right' ? -stepDeg : stepDeg) / degPerPixel;
    this.startPx = startDeg / degPerPixel;
    this.mean = new Float64Array(this.pixels);
    this.scale = new Float64Array(this.pixels).fill(1);
  }

  /** Samples not yet returned. */
  get remainingSamples(): number {
    return this.totalSamples - this.rowIndex * this.samplesPerRow - this.sampleIndex;
  }

  /**
   * The next up to `maxSamples` samples of the current row.
   * @param maxSamples ≥ 1; maxSamples × pixels ≤ 10 000 000.
   * @returns a chunk, or null when every row has been scanned.
   */
  next(maxSamples: number): ScanChunk | null {
    requireInt('maxSamples', maxSamples, { min: 1, max: Math.max(1, Math.floor(MAX_SCANNER_CHUNK_VALUES / this.pixels)) });
    if (this.rowIndex >= this.rows.length) return null;
    const row = this.rows[this.rowIndex];
    if (this.sampleIndex === 0) this.prepareRow(row);
    const start = this.sampleIndex;
    const length = Math.min(maxSamples, this.samplesPerRow - start);
    const channels = allocateChannels(this.pixels, length);
    const cache = this.rowSignal, n = this.samplesPerRow;
    for (let i = 0; i < this.pixels; i++) {
      const out = channels[i];
      if (cache) { out.set(cache.subarray(i * n + start, i * n + start + length)); continue; } // already z-scored
      this.fillRaw(row, i, start, out);
      const mean = this.mean[i], scale = this.scale[i];
      for (let k = 0; k < length; k++) out[k] = (out[k] - mean) * scale;
    }
    this.sampleIndex += length;
    const endOfSeries = this.sampleIndex === this.samplesPerRow;
    if (endOfSeries) { this.rowIndex++; this.sampleIndex = 0; this.rowSignal = null; }
    return { channels, series: `row-${row}`, row, startSample: start, endOfSeries };
  }

  /** Back to the first sample of the first row. */
  reset(): void {
    this.rowIndex = 0;
    this.sampleIndex = 0;
    this.rowSignal = null;
    this.rowBuffer = null;
  }

  /** Raw (not z-scored) contrast seen by pixel i at sample k of image row `row`. */
  sample(row: number, pixel: number, k: number): number {
    const { width, data, wraps } = this.scene;
    let x = this.startPx + pixel * this.spacingPx + this.stepPx * k;
    if (wraps) {
      x %= width;
      if (x < 0) x += width;
    } else {
      x = Math.min(Math.max(x, 0), width - 1); // round-off guard; geometry keeps x inside
    }
    let x0 = Math.floor(x);
    if (x0 >= width) x0 = width - 1;
    const frac = x - x0;
    const base = row * width;
    const a = data[base + x0];
    if (frac === 0) return a;
    const x1 = x0 + 1 < width ? x0 + 1 : wraps ? 0 : x0;
    return a + frac * (data[base + x1] - a);
  }

  /**
   * out[j] = sample(row, pixel, start + j): the same arithmetic, step for step (so bit-identical),
   * with the scene fields hoisted out of the loop and the wrap done without `%` (a slow fmod call)
   * whenever −width < x < width, where x % width is x itself.
   */
  private fillRaw(row: number, pixel: number, start: number, out: Float64Array): void {
    const { width, data, wraps } = this.scene;
    const origin = this.startPx + pixel * this.spacingPx, step = this.stepPx;
    const base = row * width, last = width - 1;
    for (let j = 0; j < out.length; j++) {
      let x = origin + step * (start + j);
      if (wraps) {
        if (x < 0) {
          if (x <= -width) x %= width;
          if (x < 0) x += width;
        } else if (x >= width) {
          x %= width;
        }
      } else {
        x = Math.min(Math.max(x, 0), last);
      }
      let x0 = Math.floor(x) | 0; // an int32 index (0 ≤ x < width) keeps the loads on V8's fast path
      if (x0 >= width) x0 = last;
      const frac = x - x0;
      const a = data[base + x0];
      if (frac === 0) { out[j] = a; continue; }
      const x1 = x0 + 1 < width ? x0 + 1 : wraps ? 0 : x0;
      out[j] = a + frac * (data[base + x1] - a);
    }
  }

  /**
   * Exact per-pixel mean and sd of the row (two passes over its raw signal, computed once and kept
   * when within {@link MAX_ROW_CACHE_VALUES}), or identity when not z-scoring.
   */
  private prepareRow(row: number): void {
    this.rowSignal = null;
    if (!this.zScoreRows) return;
    const n = this.samplesPerRow;
    const cache = n * this.pixels <= MAX_ROW_CACHE_VALUES ? (this.rowBuffer ??= new Float64Array(n * this.pixels)) : null;
    const scratch = cache ? null : new Float64Array(Math.min(n, MAX_PIECE));
    for (let i = 0; i < this.pixels; i++) {
      if (cache) this.fillRaw(row, i, 0, cache.subarray(i * n, (i + 1) * n));
      // sums in sample order; a long uncached row goes through in scratch-sized pieces (plain
      // loops: a sum captured by a closure would be boxed at every addition)
      let sum = 0;
      for (let from = 0; from < n; from += MAX_PIECE) {
        const piece = this.rawPiece(row, i, from, cache, scratch);
        for (let k = 0; k < piece.length; k++) sum += piece[k];
      }
      const mean = sum / n;
      let squares = 0;
      for (let from = 0; from < n; from += MAX_PIECE) {
        const piece = this.rawPiece(row, i, from, cache, scratch);
        for (let k = 0; k < piece.length; k++) { const dev = piece[k] - mean; squares += dev * dev; }
      }
      const sd = Math.sqrt(squares / n);
      this.mean[i] = mean;
      // A constant signal (sd 0) is only centred: there is no scale to remove.
      const scale = this.scale[i] = sd > 0 ? 1 / sd : 1;
      if (cache) for (let k = i * n; k < (i + 1) * n; k++) cache[k] = (cache[k] - mean) * scale;
    }
    this.rowSignal = cache;
  }

  /** Raw samples [from, from + MAX_PIECE) of pixel i (clipped to the row): from the cache, or computed into scratch. */
  private rawPiece(row: number, i: number, from: number, cache: Float64Array | null, scratch: Float64Array | null): Float64Array {
    const n = this.samplesPerRow, to = Math.min(n, from + MAX_PIECE);
    if (cache) return cache.subarray(i * n + from, i * n + to);
    const piece = scratch!.subarray(0, to - from);
    this.fillRaw(row, i, from, piece);
    return piece;
  }
}

/**
 * floor(duration / step), forgiving the round-off of a quotient that should be an integer
 * (360 / (degPerPixel / dt) / dt is 1023.9999999999999 for some widths).
 */
export function sampleCount(duration: number, step: number): number {
  return Math.floor((duration / step) * (1 + 1e-12) + 1e-9);
}

function resolveRows(rows: readonly number[] | undefined, height: number): number[] {
  if (rows === undefined) return Array.from({ length: height }, (_, r) => r);
  if (!Array.isArray(rows) || rows.length === 0) throw new ConfigError('rows', rows, 'a non-empty array of row indices');
  if (rows.length > 1_000_000) throw new ConfigError('rows', rows, 'at most 1 000 000 rows');
  const seen = new Set<number>();
  return rows.map((r, i) => {
    requireInt(`rows[${i}]`, r, { min: 0, max: height - 1 });
    if (seen.has(r)) throw new ConfigError(`rows[${i}]`, r, 'a row not listed before (each row is one series)');
    seen.add(r);
    return r;
  });
}

/**
 * Convenience generator over a fresh {@link Scanner}: yields every chunk of every row.
 * @param chunkLength samples per chunk (the last chunk of a row may be shorter). Default 4096.
 */
export function* scanImage(scene: ContrastImage, options: ScannerOptions = {}, chunkLength = 4096): Generator<ScanChunk, void, undefined> {
  const scanner = new Scanner(scene, options);
  for (let chunk = scanner.next(chunkLength); chunk !== null; chunk = scanner.next(chunkLength)) yield chunk;
}
