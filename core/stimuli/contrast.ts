/**
 * The authors' contrast pipeline in degrees (docs/method.md §3, paper Fig. 2D): luminance → 2-D
 * Gaussian blur with the photoreceptor acceptance angle (FWHM 5.7°) → local mean luminance by a
 * Gaussian of sd 20° → Weber contrast c = (b − μ)/μ.
 *
 * Angles come from the image's horizontal field of view: degPerPixel = fovDeg / width, and pixels
 * are taken as square (the same angle vertically). A 360° image is a panorama and wraps around
 * horizontally; otherwise the image is mirrored at its edges. Vertically it is mirrored too, unless
 * `wrapVertically` declares a torus (e.g. a dead-leaves scene made with `wrapVertically`).
 */
import { ConfigError, DegenerateDataError } from '../errors';
import { requireBoolean, requireFinite } from '../validate';
import { EdgeMode, filterLines, gaussianTaps } from './fft';
import { LuminanceImage, requireLuminanceImage } from './image';

/** sd = FWHM / (2√(2 ln 2)) = FWHM / 2.3548. */
export const SD_PER_FWHM = 1 / (2 * Math.sqrt(2 * Math.LN2));

/** Weber contrast on a row-major grid, with its angular scale. */
export interface ContrastImage {
  readonly width: number;
  readonly height: number;
  /** c = (b − μ)/μ, row-major, `data[y·width + x]`. */
  readonly data: Float64Array;
  /** Angle between neighbouring pixels, degrees (horizontal and vertical). */
  readonly degPerPixel: number;
  /** True for a 360° panorama: x continues periodically. */
  readonly wraps: boolean;
  /** True for a torus: y continues periodically as well (height × degPerPixel is the vertical period). Default false. */
  readonly wrapsVertically?: boolean;
}

/** Options of {@link toContrastImage}. Defaults: {@link DEFAULT_CONTRAST_OPTIONS}. */
export interface ContrastOptions {
  /** Horizontal field of view of the whole image width, degrees, in (0, 360]; 360 wraps around. Default 360. */
  readonly fovDeg?: number;
  /** Full width at half maximum of the photoreceptor blur, degrees; 0 disables it. Default 5.7. */
  readonly fwhmDeg?: number;
  /** sd of the Gaussian local mean, degrees. Default 20. */
  readonly localMeanSdDeg?: number;
  /**
   * Floor on the local mean as a fraction of the image's mean luminance, so black regions give a
   * large but finite contrast instead of a division by zero. Default 1e-3.
   */
  readonly minMeanFraction?: number;
  /** The image is periodic vertically (a torus): blur across the top/bottom seam instead of mirroring. Default false. */
  readonly wrapVertically?: boolean;
}

/** Defaults of {@link ContrastOptions} (docs/stimuli.md). */
export const DEFAULT_CONTRAST_OPTIONS = {
  fovDeg: 360,
  fwhmDeg: 5.7,
  localMeanSdDeg: 20,
  minMeanFraction: 1e-3,
  wrapVertically: false,
} as const;

/**
 * Blurs a luminance image, divides by its local mean and returns the Weber contrast.
 *
 * @param image luminance ≥ 0 (not modified).
 * @param options fovDeg (360), fwhmDeg (5.7), localMeanSdDeg (20), minMeanFraction (1e-3), wrapVertically (false).
 * @returns a new {@link ContrastImage} of the same size.
 * @throws ConfigError for bad options or image; DegenerateDataError for an all-black image.
 */
export function toContrastImage(image: LuminanceImage, options: ContrastOptions = {}): ContrastImage {
  const { width, height, data } = requireLuminanceImage('image', image);
  const d = DEFAULT_CONTRAST_OPTIONS;
  const fovDeg = requireFinite('fovDeg', options.fovDeg ?? d.fovDeg, { min: 0, exclusiveMin: true, max: 360 });
  const fwhmDeg = requireFinite('fwhmDeg', options.fwhmDeg ?? d.fwhmDeg, { min: 0, max: 360 });
  const localMeanSdDeg = requireFinite('localMeanSdDeg', options.localMeanSdDeg ?? d.localMeanSdDeg, { min: 0, exclusiveMin: true, max: 360 });
  const minMeanFraction = requireFinite('minMeanFraction', options.minMeanFraction ?? d.minMeanFraction, { min: 0, exclusiveMin: true, max: 1 });
  const wrapVertically = requireBoolean('wrapVertically', options.wrapVertically ?? d.wrapVertically);
  const degPerPixel = fovDeg / width;
  const wraps = fovDeg === 360;
  const vertical: EdgeMode = wrapVertically ? 'wrap' : 'reflect';
  let total = 0;
  for (let i = 0; i < data.length; i++) total += data[i];
  const meanLuminance = total / data.length;
  if (!(meanLuminance > 0)) throw new DegenerateDataError('image is black everywhere (mean luminance 0): Weber contrast is undefined');

  const blurred = gaussianBlur2d(data, width, height, (fwhmDeg * SD_PER_FWHM) / degPerPixel, wraps ? 'wrap' : 'reflect', vertical);
  const localMean = gaussianBlur2d(blurred, width, height, localMeanSdDeg / degPerPixel, wraps ? 'wrap' : 'reflect', vertical);
  const floor = minMeanFraction * meanLuminance;
  for (let i = 0; i < blurred.length; i++) {
    const mu = Math.max(localMean[i], floor);
    blurred[i] = (blurred[i] - mu) / mu;
  }
  return wrapVertically ? { width, height, data: blurred, degPerPixel, wraps, wrapsVertically: true } : { width, height, data: blurred, degPerPixel, wraps };
}

/**
 * Separable 2-D Gaussian filter (normalised taps truncated at 4 sd) of a row-major image; rows
 * continue by `horizontalEdges`, columns by `verticalEdges` (mirrored by default). Returns a new array.
 * @param sdPixels standard deviation in pixels (0: copy).
 */
export function gaussianBlur2d(data: Float64Array, width: number, height: number, sdPixels: number, horizontalEdges: EdgeMode, verticalEdges: EdgeMode = 'reflect'): Float64Array {
  if (!(sdPixels >= 0)) throw new ConfigError('sdPixels', sdPixels, 'a number ≥ 0');
  const taps = gaussianTaps(sdPixels);
  const out = new Float64Array(width * height);
  filterLines(height, width, taps, horizontalEdges,
    (y, x) => data[y * width + x], (y, x, v) => { out[y * width + x] = v; });
  if (height === 1) return out;
  // In place: filterLines reads a whole line (with its edge continuation) before writing it.
  filterLines(width, height, taps, verticalEdges,
    (x, y) => out[y * width + x], (x, y, v) => { out[y * width + x] = v; });
  return out;
}
