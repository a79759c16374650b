/**
 * The 2-D scanner (docs/motion-2d.md): a pixel lattice (core/stimuli/lattice.ts) looks at a contrast
 * image (core/stimuli/contrast.ts: blur FWHM 5.7° in both directions, Weber contrast) that translates
 * in any direction at a constant angular velocity: the 1-D scanner (core/stimuli/scanner.ts) on a
 * lattice instead of a row.
 *
 * Geometry (degrees; scene coordinates X to the right, Y up; time t = k·dtS for sample k):
 *   pixel i of path p reads the scene at  C_p + (x_i, y_i) − speedDegPerS·t·(cos θ, sin θ),
 * so the scene moves in direction θ = directionDeg (0°: +x, front-to-back, T4a's preferred
 * direction; 90°: upward): a feature reaches a pixel d degrees further along (cos θ, sin θ)
 * d / speedDegPerS seconds later, and pixels on a line across the motion see it at the same time.
 * θ = 0 and 180 on a one-row lattice are the 1-D scanner's 'right' and 'left'. Image column u sits
 * at X = u·degPerPixel and image row v at Y = −v·degPerPixel (row 0 on top); values between image
 * pixels are interpolated bilinearly. An axis that wraps (x: `wraps`, y: `wrapsVertically`) is
 * periodic; on the others every pixel must stay inside the image for the whole scan.
 *
 * Paths: `paths` parallel sweeps, `pathSpacingDeg` apart across the motion and centred on the image
 * centre; each sweep is centred on its line. Each path is its own series ('path-<p>'): chunks never
 * straddle two paths, and a learner should call `endSeries()` where `endOfSeries` is set. With
 * `zScorePaths` each pixel's signal is shifted and scaled to zero mean and unit sd over its path,
 * from an exact pre-pass over the path, so the result does not depend on chunking.
 */
import { allocateChannels } from '../channels';
import { ConfigError } from '../errors';
import { requireBoolean, requireFinite, requireInt } from '../validate';
import { ContrastImage } from './contrast';
import { createLattice, Lattice, LatticeOptions, LatticePoint, unitVectorDeg } from './lattice';
import { MAX_SAMPLES_PER_ROW, MAX_SCANNER_CHUNK_VALUES, requireContrastImage, sampleCount } from './scanner';

/** Largest number of paths. */
export const MAX_SCAN_PATHS = 100_000;
/** Samples per piece of the z-score pre-pass (512 KB of scratch). */
const PIECE = 65536;

/** Options of {@link Scanner2d}. Defaults: {@link DEFAULT_SCANNER2D_OPTIONS}. */
export interface Scanner2dOptions {
  /** The pixel lattice (kind, rows, columns, spacingDeg). Default a 3 × 3 square lattice, 5° apart. */
  readonly lattice?: LatticeOptions;
  /** Direction the scene moves, degrees counter-clockwise from +x (0 front-to-back, 90 up, 180 back-to-front, 270 down). Default 0. */
  readonly directionDeg?: number;
  /** Scene speed, degrees per second. Default: one image pixel per sample, degPerPixel / dtS. */
  readonly speedDegPerS?: number;
  /** Sample interval, seconds. Default 0.01. */
  readonly dtS?: number;
  /** Number of parallel paths (series). Default 1. */
  readonly paths?: number;
  /** Distance between neighbouring paths across the motion, degrees. Default: the lattice's extent across the motion + its spacing (paths do not overlap). */
  readonly pathSpacingDeg?: number;
  /**
   * Duration of each path's scan, seconds; samplesPerPath = floor(durationPerPathS / dtS). Default:
   * the longest scan that keeps every pixel inside the image, and on a periodic axis at most one period.
   */
  readonly durationPerPathS?: number;
  /** Shift and scale each pixel's signal to zero mean and unit sd over every path. Default false. */
  readonly zScorePaths?: boolean;
}

/** Defaults of {@link Scanner2dOptions}. */
export const DEFAULT_SCANNER2D_OPTIONS = { directionDeg: 0, dtS: 0.01, paths: 1, zScorePaths: false } as const;

/** One multi-channel piece of one path. */
export interface Scan2dChunk {
  /** One Float64Array per lattice pixel (index = row · columns + column), all of the same length (≥ 1). */
  readonly channels: Float64Array[];
  /** Each channel's lattice pixel and its position in degrees (the scanner's lattice points). */
  readonly positions: readonly LatticePoint[];
  /** Series name, 'path-<p>'. */
  readonly series: string;
  /** Path index p. */
  readonly path: number;
  /** Index of the first sample within its path. */
  readonly startSample: number;
  /** True when this chunk ends the path. */
  readonly endOfSeries: boolean;
}

/** Streams the lattice signals of a translating scene, path after path, in chunks. Construction validates everything. */
export class Scanner2d {
  readonly lattice: Lattice;
  readonly directionDeg: number;
  readonly speedDegPerS: number;
  readonly dtS: number;
  readonly paths: number;
  readonly pathSpacingDeg: number;
  readonly zScorePaths: boolean;
  /** Samples in each path's series. */
  readonly samplesPerPath: number;
  /** paths × samplesPerPath. */
  readonly totalSamples: number;
  /** lattice spacing / (speedDegPerS · dtS): the delay between horizontal neighbours for motion along x, in samples. */
  readonly samplesPerSpacing: number;

  private readonly scene: ContrastImage;
  /** Per pixel: offset from the lattice centroid in image pixels (u to the right, v down). */
  private readonly offsetU: Float64Array;
  private readonly offsetV: Float64Array;
  /** Per path: the centroid's image position at sample 0. */
  private readonly startU: Float64Array;
  private readonly startV: Float64Array;
  /** Displacement of the reading point per sample, image pixels. */
  private readonly stepU: number;
  private readonly stepV: number;
  private pathIndex = 0;
  private sampleIndex = 0;
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;

  /**
   * @param scene a contrast image; kept by reference, not copied or modified. `wrapsVertically`
   *   marks a torus (e.g. toContrastImage(…, { wrapVertically: true })).
   * @param options see {@link Scanner2dOptions}.
   * @throws ConfigError naming the field, e.g. when the lattice leaves a non-periodic image.
   */
  constructor(scene: ContrastImage, options: Scanner2dOptions = {}) {
    this.scene = requireContrastImage(scene);
    if (scene.wrapsVertically !== undefined) requireBoolean('scene.wrapsVertically', scene.wrapsVertically);
    if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
    const d = DEFAULT_SCANNER2D_OPTIONS;
    const { width, height, degPerPixel, wraps } = this.scene;
    const wrapsV = this.scene.wrapsVertically === true;
    this.lattice = createLattice(options.lattice ?? {});
    this.directionDeg = requireFinite('directionDeg', options.directionDeg ?? d.directionDeg, { min: -3600, max: 3600 });
    this.dtS = requireFinite('dtS', options.dtS ?? d.dtS, { min: 0, exclusiveMin: true, max: 1e6 });
    this.speedDegPerS = requireFinite('speedDegPerS', options.speedDegPerS ?? degPerPixel / this.dtS, { min: 0, exclusiveMin: true, max: 1e9 });
    this.paths = requireInt('paths', options.paths ?? d.paths, { min: 1, max: MAX_SCAN_PATHS });
    this.zScorePaths = requireBoolean('zScorePaths', options.zScorePaths ?? d.zScorePaths);
    const [cos, sin] = unitVectorDeg(this.directionDeg);
    const points = this.lattice.points;
    const across = points.map((p) => -p.xDeg * sin + p.yDeg * cos);
    const extentAcross = Math.max(...across) - Math.min(...across);
    this.pathSpacingDeg = requireFinite('pathSpacingDeg', options.pathSpacingDeg ?? extentAcross + this.lattice.spacingDeg, { min: 0, max: 1e6 });
    const stepDeg = this.speedDegPerS * this.dtS;
    this.samplesPerSpacing = this.lattice.spacingDeg / stepDeg;

    this.offsetU = Float64Array.from(points, (p) => p.xDeg / degPerPixel);
    this.offsetV = Float64Array.from(points, (p) => -p.yDeg / degPerPixel);
    this.stepU = (-stepDeg * cos) / degPerPixel;
    this.stepV = (stepDeg * sin) / degPerPixel;
    // Middle of each sweep: the image centre, moved across the motion by the path's offset.
    const middleU = new Float64Array(this.paths), middleV = new Float64Array(this.paths);
    for (let p = 0; p < this.paths; p++) {
      const offsetDeg = (p - (this.paths - 1) / 2) * this.pathSpacingDeg;
      middleU[p] = (width - 1) / 2 - (offsetDeg * sin) / degPerPixel;
      middleV[p] = (height - 1) / 2 - (offsetDeg * cos) / degPerPixel;
    }
    // Room on each non-periodic axis: how far the centroid may move from a sweep's middle.
    const axes = [
      { name: 'horizontal', wraps, size: width, step: this.stepU, middle: middleU, offset: this.offsetU },
      { name: 'vertical', wraps: wrapsV, size: height, step: this.stepV, middle: middleV, offset: this.offsetV },
    ];
    let fitting = Number.POSITIVE_INFINITY; // samples that fit on every axis
    let periodic = Number.POSITIVE_INFINITY; // samples of one period on the periodic axes the motion runs along
    for (const axis of axes) {
      const speed = Math.abs(axis.step);
      if (axis.wraps) {
        if (speed > 0) periodic = Math.min(periodic, sampleCount(axis.size, speed));
        continue;
      }
      let room = Number.POSITIVE_INFINITY;
      for (let p = 0; p < this.paths; p++) {
        for (let i = 0; i < points.length; i++) {
          const at = axis.middle[p] + axis.offset[i];
          room = Math.min(room, at, axis.size - 1 - at);
        }
      }
      if (room < -1e-9) {
        throw new ConfigError(this.paths > 1 ? 'paths × pathSpacingDeg' : 'lattice', this.paths > 1 ? this.paths * this.pathSpacingDeg : options.lattice ?? null,
          `small enough to fit inside the image ${axis.name}ly (${axis.size} pixels × ${degPerPixel.toPrecision(4)}°, not periodic)`);
      }
      if (speed > 0) fitting = Math.min(fitting, Math.floor((2 * Math.max(room, 0)) / speed + 1e-9) + 1);
    }
    let samplesPerPath: number;
    if (options.durationPerPathS === undefined) {
      samplesPerPath = Math.min(fitting, periodic);
    } else {
      const durationS = requireFinite('durationPerPathS', options.durationPerPathS, { min: 0, exclusiveMin: true });
      samplesPerPath = sampleCount(durationS, this.dtS);
      if (samplesPerPath > fitting) {
        throw new ConfigError('durationPerPathS', durationS, `at most ${Number((fitting * this.dtS).toPrecision(6))} s (longer scans would move pixels off the image)`);
      }
    }
    if (samplesPerPath < 1) throw new ConfigError('durationPerPathS', options.durationPerPathS ?? null, `at least one sample interval dtS = ${this.dtS} s (the lattice has no room to move)`);
    if (samplesPerPath > MAX_SAMPLES_PER_ROW) throw new ConfigError('durationPerPathS / dtS', samplesPerPath, `at most ${MAX_SAMPLES_PER_ROW} samples per path`);
    this.samplesPerPath = samplesPerPath;
    this.totalSamples = samplesPerPath * this.paths;
    const half = (samplesPerPath - 1) / 2;
    this.startU = middleU.map((u) => u - half * this.stepU);
    this.startV = middleV.map((v) => v - half * this.stepV);
    this.mean = new Float64Array(points.length);
    this.scale = new Float64Array(points.length).fill(1);
  }

  /** Samples not yet returned. */
  get remainingSamples(): number {
    return this.totalSamples - this.pathIndex * this.samplesPerPath - this.sampleIndex;
  }

  /**
   * The next up to `maxSamples` samples of the current path.
   * @param maxSamples ≥ 1; maxSamples × pixels ≤ 10 000 000.
   * @returns a chunk, or null when every path has been scanned.
   */
  next(maxSamples: number): Scan2dChunk | null {
    const pixels = this.lattice.points.length;
    requireInt('maxSamples', maxSamples, { min: 1, max: Math.max(1, Math.floor(MAX_SCANNER_CHUNK_VALUES / pixels)) });
    if (this.pathIndex >= this.paths) return null;
    const path = this.pathIndex;
    if (this.sampleIndex === 0) this.preparePath(path);
    const start = this.sampleIndex;
    const length = Math.min(maxSamples, this.samplesPerPath - start);
    const channels = allocateChannels(pixels, length);
    for (let i = 0; i < pixels; i++) {
      const out = channels[i];
      this.fill(path, i, start, out);
      const mean = this.mean[i], scale = this.scale[i];
      if (this.zScorePaths) for (let k = 0; k < length; k++) out[k] = (out[k] - mean) * scale;
    }
    this.sampleIndex += length;
    const endOfSeries = this.sampleIndex === this.samplesPerPath;
    if (endOfSeries) { this.pathIndex++; this.sampleIndex = 0; }
    return { channels, positions: this.lattice.points, series: `path-${path}`, path, startSample: start, endOfSeries };
  }

  /** Back to the first sample of the first path. */
  reset(): void {
    this.pathIndex = 0;
    this.sampleIndex = 0;
  }

  /** Raw (not z-scored) contrast seen by lattice pixel `pixel` at sample k of path `path`. */
  sample(path: number, pixel: number, k: number): number {
    const out = new Float64Array(1);
    this.fill(path, pixel, k, out);
    return out[0];
  }

  /** out[j] = the raw contrast at pixel i, sample start + j of path p (bilinear; periodic axes wrap, others clamp round-off). */
  private fill(path: number, pixel: number, start: number, out: Float64Array): void {
    const { width, height, data, wraps } = this.scene;
    const wrapsV = this.scene.wrapsVertically === true;
    const u0 = this.startU[path] + this.offsetU[pixel], v0 = this.startV[path] + this.offsetV[pixel];
    for (let j = 0; j < out.length; j++) {
      const k = start + j;
      const [uLow, uHigh, fu] = bracket(u0 + this.stepU * k, width, wraps);
      const [vLow, vHigh, fv] = bracket(v0 + this.stepV * k, height, wrapsV);
      const top = data[vLow * width + uLow] + fu * (data[vLow * width + uHigh] - data[vLow * width + uLow]);
      if (fv === 0) { out[j] = top; continue; }
      const bottom = data[vHigh * width + uLow] + fu * (data[vHigh * width + uHigh] - data[vHigh * width + uLow]);
      out[j] = top + fv * (bottom - top);
    }
  }

  /** Exact per-pixel mean and sd of the path (two passes over its raw signal, in pieces), or nothing when not z-scoring. */
  private preparePath(path: number): void {
    if (!this.zScorePaths) return;
    const n = this.samplesPerPath;
    const scratch = new Float64Array(Math.min(n, PIECE));
    for (let i = 0; i < this.lattice.points.length; i++) {
      let sum = 0;
      for (let from = 0; from < n; from += PIECE) {
        const piece = scratch.subarray(0, Math.min(PIECE, n - from));
        this.fill(path, i, from, piece);
        for (let k = 0; k < piece.length; k++) sum += piece[k];
      }
      const mean = sum / n;
      let squares = 0;
      for (let from = 0; from < n; from += PIECE) {
        const piece = scratch.subarray(0, Math.min(PIECE, n - from));
        this.fill(path, i, from, piece);
        for (let k = 0; k < piece.length; k++) { const dev = piece[k] - mean; squares += dev * dev; }
      }
      const sd = Math.sqrt(squares / n);
      this.mean[i] = mean;
      // A constant signal (sd 0) is only centred: there is no scale to remove.
      this.scale[i] = sd > 0 ? 1 / sd : 1;
    }
  }
}

/** The two image indices around coordinate x and the fraction between them (periodic, or clamped to the image). */
function bracket(x: number, size: number, periodic: boolean): [number, number, number] {
  if (periodic) {
    x %= size;
    if (x < 0) x += size;
  } else {
    x = Math.min(Math.max(x, 0), size - 1); // round-off guard; the geometry keeps x inside
  }
  let low = Math.floor(x);
  if (low >= size) low = size - 1;
  const fraction = x - low;
  const high = low + 1 < size ? low + 1 : periodic ? 0 : low;
  return [low, high, fraction];
}

/**
 * Convenience generator over a fresh {@link Scanner2d}: yields every chunk of every path.
 * @param chunkLength samples per chunk (the last chunk of a path may be shorter). Default 4096.
 */
export function* scanImage2d(scene: ContrastImage, options: Scanner2dOptions = {}, chunkLength = 4096): Generator<Scan2dChunk, void, undefined> {
  const scanner = new Scanner2d(scene, options);
  for (let chunk = scanner.next(chunkLength); chunk !== null; chunk = scanner.next(chunkLength)) yield chunk;
}
