/**
 * Dead-leaves scenes (docs/method.md §3): the built-in stimulus when no image is given. Opaque objects
 * with power-law sizes and independent random intensities fall on top of each other; the visible
 * image is a mosaic of plateaus separated by sharp edges, and with size density ∝ r^−3 it is
 * scale invariant, so its 2-D power spectrum falls off as 1/|f|² like natural images (a row of it,
 * a 1-D slice, falls off as 1/f between the size cut-offs and as 1/f² above 1/minRadius).
 *
 * Generation is front to back: each new object lies behind all earlier ones, so it only paints
 * pixels not yet covered, and generation stops once every pixel is covered (later objects would be
 * invisible); this gives exactly the stationary dead-leaves image without simulating the infinite
 * pile. Horizontally the image wraps around (x is periodic: a 360° panorama, no seam); vertically
 * objects are drawn with centres on an extended band so that every row has the same statistics, or,
 * with `wrapVertically`, y is periodic too (a torus: a scene for motion in any direction, core/stimuli/scanner2d.ts).
 */
import { Random } from '../random';
import { ConfigError } from '../errors';
import { requireBoolean, requireFinite, requireInt, requireOneOf } from '../validate';
import { LuminanceImage, DEFAULT_MAX_PIXELS, MAX_IMAGE_PIXELS } from './image';

/** Options of {@link createDeadLeavesImage}; every length is in image pixels. */
export interface DeadLeavesOptions {
  /** Image width in pixels, the full 360° panorama. Default 1024 (0.35°/pixel). */
  readonly width?: number;
  /** Image height in pixels (1 for a single row). Default 64. */
  readonly height?: number;
  /** Seed of the generator. Default 1. */
  readonly seed?: number;
  /** Smallest object radius (half-side for squares), pixels. Default 2. */
  readonly minRadius?: number;
  /** Largest object radius, pixels, at most width / 2. Default 256 (90° at the default width). */
  readonly maxRadius?: number;
  /** Radius density ∝ r^−exponent on [minRadius, maxRadius]; 3 is scale invariant (1/f² spectrum). Default 3. */
  readonly exponent?: number;
  /** Object shape: 'disc' (default) or axis-aligned 'square'. */
  readonly shape?: 'disc' | 'square';
  /** Object intensities are uniform on [minIntensity, maxIntensity]; both > 0 so Weber contrast is defined. Default 0.1. */
  readonly minIntensity?: number;
  /** Default 1. */
  readonly maxIntensity?: number;
  /**
   * Stop after this many objects have been placed on the image; still-uncovered pixels then get
   * the mean intensity (reported in `uncoveredPixels`). Default 10 000 000.
   */
  readonly maxObjects?: number;
  /** Cap on width × height. Default 50 000 000. */
  readonly maxPixels?: number;
  /**
   * Make y periodic as well (objects leaving the bottom come back at the top): a seamless torus for
   * 2-D scanning in any direction. Needs maxRadius ≤ height / 2. Default false.
   */
  readonly wrapVertically?: boolean;
}

/** A generated scene: the luminance image plus how it was made. */
export interface DeadLeavesImage extends LuminanceImage {
  readonly seed: number;
  /** Objects that touched the image (visible or not). */
  readonly objects: number;
  /** Pixels left uncovered when `maxObjects` was reached (0 normally). */
  readonly uncoveredPixels: number;
}

/** Defaults of {@link DeadLeavesOptions} (docs/stimuli.md). */
export const DEFAULT_DEAD_LEAVES_OPTIONS = {
  width: 1024,
  height: 64,
  seed: 1,
  minRadius: 2,
  maxRadius: 256,
  exponent: 3,
  shape: 'disc' as 'disc' | 'square',
  minIntensity: 0.1,
  maxIntensity: 1,
  maxObjects: 10_000_000,
  maxPixels: DEFAULT_MAX_PIXELS,
  wrapVertically: false,
} as const;

/**
 * Generates a dead-leaves luminance image that wraps horizontally (a 360° panorama).
 *
 * @param options see {@link DeadLeavesOptions}; defaults give a 1024 × 64 panorama in ~10 ms.
 * @returns luminance in [minIntensity, maxIntensity], row-major.
 * @throws ConfigError naming the field for bad or inconsistent options.
 */
export function createDeadLeavesImage(options: DeadLeavesOptions = {}): DeadLeavesImage {
  const d = DEFAULT_DEAD_LEAVES_OPTIONS;
  const maxPixels = requireInt('maxPixels', options.maxPixels ?? d.maxPixels, { min: 1, max: MAX_IMAGE_PIXELS });
  const width = requireInt('width', options.width ?? d.width, { min: 2, max: 1_000_000 });
  const height = requireInt('height', options.height ?? d.height, { min: 1, max: 1_000_000 });
  if (width * height > maxPixels) throw new ConfigError('width × height', width * height, `at most ${maxPixels} pixels (maxPixels)`);
  const seed = requireInt('seed', options.seed ?? d.seed, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const minRadius = requireFinite('minRadius', options.minRadius ?? d.minRadius, { min: 0.5 });
  const wrapVertically = requireBoolean('wrapVertically', options.wrapVertically ?? d.wrapVertically);
  const radiusLimit = wrapVertically ? Math.min(width, height) / 2 : width / 2;
  const maxRadius = requireFinite('maxRadius', options.maxRadius ?? Math.min(d.maxRadius, radiusLimit), { min: minRadius, max: radiusLimit });
  const exponent = requireFinite('exponent', options.exponent ?? d.exponent, { min: 0, max: 10 });
  const shape = requireOneOf('shape', options.shape ?? d.shape, ['disc', 'square']);
  const minIntensity = requireFinite('minIntensity', options.minIntensity ?? d.minIntensity, { min: 0, exclusiveMin: true, max: 1e12 });
  const maxIntensity = requireFinite('maxIntensity', options.maxIntensity ?? d.maxIntensity, { min: minIntensity, max: 1e12 });
  const maxObjects = requireInt('maxObjects', options.maxObjects ?? d.maxObjects, { min: 1, max: 1e9 });

  const random = new Random(seed);
  const data = new Float64Array(width * height);
  const covered = new Uint8Array(width * height);
  let uncovered = width * height;
  let objects = 0;
  // Centres fall uniformly on x ∈ [0, width) (periodic) and y ∈ [−maxRadius, height + maxRadius);
  // objects missing the image are discarded, which leaves exactly the objects of a stationary
  // Poisson pile that touch it (a radius-dependent band would bias sizes). On a torus y ∈ [0, height)
  // and rows wrap like columns (an object spans at most the whole height, so it wraps at most once).
  const bandLow = wrapVertically ? 0 : -maxRadius, bandHigh = wrapVertically ? height : height + maxRadius;
  while (uncovered > 0 && objects < maxObjects) {
    const radius = random.powerLaw(exponent, minRadius, maxRadius);
    const cx = random.uniform() * width;
    const cy = bandLow + random.uniform() * (bandHigh - bandLow);
    const intensity = random.uniformIn(minIntensity, maxIntensity);
    const yFirst = Math.ceil(cy - radius - 0.5), yLast = Math.floor(cy + radius - 0.5);
    const yLow = wrapVertically ? yFirst : Math.max(0, yFirst);
    const yHigh = wrapVertically ? Math.min(yLast, yFirst + height - 1) : Math.min(height - 1, yLast);
    if (yLow > yHigh) continue; // misses the image
    objects++;
    // Pixel (x, y) has its centre at (x + 0.5, y + 0.5).
    for (let yUnwrapped = yLow; yUnwrapped <= yHigh; yUnwrapped++) {
      const dy = yUnwrapped + 0.5 - cy;
      const y = wrapVertically ? ((yUnwrapped % height) + height) % height : yUnwrapped;
      const halfWidth = shape === 'disc' ? Math.sqrt(Math.max(0, radius * radius - dy * dy)) : radius;
      const xLow = Math.ceil(cx - halfWidth - 0.5), xHigh = Math.floor(cx + halfWidth - 0.5);
      const span = Math.min(xHigh - xLow + 1, width); // a wide object wraps onto itself at most once
      const row = y * width;
      for (let k = 0; k < span; k++) {
        const x = (((xLow + k) % width) + width) % width;
        const p = row + x;
        if (covered[p] === 0) {
          covered[p] = 1;
          data[p] = intensity;
          uncovered--;
        }
      }
    }
  }
  if (uncovered > 0) {
    const fill = 0.5 * (minIntensity + maxIntensity);
    for (let p = 0; p < data.length; p++) if (covered[p] === 0) data[p] = fill;
  }
  return { width, height, data, seed, objects, uncoveredPixels: uncovered };
}

/**
 * A dead-leaves torus (docs/motion-2d.md): size × size pixels, periodic in x and y (360° × 360° once
 * blurred with toContrastImage(…, { fovDeg: 360, wrapVertically: true })), so a lattice can scan it in
 * any direction. Object radii span the same angles as the default panorama's: 2 … 256 pixels of 1024
 * (0.7° … 90°), scaled to `size`.
 * @throws ConfigError naming the field.
 */
export function createDeadLeavesTorus(size: number, seed: number): DeadLeavesImage {
  const pixelsPer1024 = requireInt('size', size, { min: 8, max: 16_384 }) / 1024;
  return createDeadLeavesImage({ width: size, height: size, seed, wrapVertically: true, minRadius: Math.max(0.5, 2 * pixelsPer1024), maxRadius: 256 * pixelsPer1024 });
}
