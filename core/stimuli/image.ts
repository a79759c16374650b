/**
 * Luminance images: decoding PNG and JPEG bytes (docs/method.md §3, issue 3) into a row-major
 * Float64Array of non-negative luminance. No file access here: callers (CLI, nodes) read the bytes.
 *
 * Conversion: the decoded code values are scaled to [0, 1] (÷255 for 8-bit, ÷65535 for 16-bit
 * PNG, ÷(2^depth − 1) for 1/2/4-bit grey) and combined with the Rec. 601 luma weights
 * Y = 0.299 R + 0.587 G + 0.114 B (what MATLAB's rgb2gray and Pillow's convert('L') use, so the
 * contrast matches the usual preprocessing of the authors' tools); `weights: 'rec709'` selects
 * 0.2126, 0.7152, 0.0722 instead. Values stay gamma-encoded unless `linearize` is set (sRGB
 * transfer function inverted). Alpha is ignored (but pngjs blacks out pixels matching a tRNS colour
 * key); grey images give Y = grey level.
 */
import { PNG } from 'pngjs';
import * as jpeg from 'jpeg-js';
import { ConfigError, ResuError } from '../errors';
import { requireBoolean, requireInt, requireOneOf } from '../validate';

/** A greyscale image: `data[y·width + x]`, row-major, luminance ≥ 0 (arbitrary units; decoded images are in [0, 1]). */
export interface LuminanceImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float64Array;
}

/** Default cap on width × height when decoding or generating (50 megapixels ≈ 400 MB as Float64). */
export const DEFAULT_MAX_PIXELS = 50_000_000;
/** Hard ceiling for `maxPixels` (the contrast pipeline keeps three Float64 copies of the image). */
export const MAX_IMAGE_PIXELS = 200_000_000;

/** Luma weights for R, G, B. */
export const LUMA_WEIGHTS = {
  rec601: [0.299, 0.587, 0.114],
  rec709: [0.2126, 0.7152, 0.0722],
} as const;

/** Name of a luma weighting of RGB (Rec. 601 or Rec. 709). */
export type LumaWeights = keyof typeof LUMA_WEIGHTS;

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** Largest accepted width × height, checked from the header before decoding. Default 50 000 000. */
  readonly maxPixels?: number;
  /** Luma weights for colour images: 'rec601' (default) or 'rec709'. */
  readonly weights?: LumaWeights;
  /** Invert the sRGB transfer function before weighting (linear-light luminance). Default false. */
  readonly linearize?: boolean;
}

/** Raised for bytes that are empty, not an image, truncated or corrupt, or too large. */
export class ImageDecodeError extends ResuError {
  constructor(readonly source: string, detail: string) {
    super(`${source}: ${detail}`);
    this.name = 'ImageDecodeError';
  }
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Known formats we cannot read, named in the error so the user knows what to convert. */
const OTHER_FORMATS: { readonly name: string; readonly magic: readonly number[] }[] = [
  { name: 'GIF', magic: [0x47, 0x49, 0x46, 0x38] },
  { name: 'BMP', magic: [0x42, 0x4d] },
  { name: 'TIFF', magic: [0x49, 0x49, 0x2a, 0x00] },
  { name: 'TIFF', magic: [0x4d, 0x4d, 0x00, 0x2a] },
  { name: 'WebP/RIFF', magic: [0x52, 0x49, 0x46, 0x46] },
];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  if (bytes.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[i] !== magic[i]) return false;
  return true;
}

/** Which decoder the magic bytes call for, or null. */
export function detectImageFormat(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  return null;
}

/**
 * Decodes a PNG or JPEG (detected by magic bytes) into luminance.
 *
 * Supported: PNG of every colour type (grey, grey+alpha, palette, RGB, RGBA) at bit depths 1–16;
 * baseline and progressive JPEG, grey or colour. See the module comment for the luminance formula.
 *
 * @param bytes the file's contents (a Buffer is a Uint8Array); not modified.
 * @param name how to call the source in error messages (e.g. the file name). Default 'image'.
 * @param options maxPixels (default 50 000 000), weights ('rec601'), linearize (false).
 * @returns width × height luminance in [0, 1].
 * @throws ImageDecodeError (a ResuError) for empty, unsupported, corrupt or too large data;
 *   ConfigError for bad options.
 */
export function decodeImage(bytes: Uint8Array, name = 'image', options: DecodeImageOptions = {}): LuminanceImage {
  if (!(bytes instanceof Uint8Array)) throw new ConfigError('bytes', bytes, 'a Uint8Array or Buffer');
  const maxPixels = requireInt('maxPixels', options.maxPixels ?? DEFAULT_MAX_PIXELS, { min: 1, max: MAX_IMAGE_PIXELS });
  const weights = LUMA_WEIGHTS[requireOneOf('weights', options.weights ?? 'rec601', ['rec601', 'rec709'])];
  const linearize = requireBoolean('linearize', options.linearize ?? false);
  if (bytes.length === 0) throw new ImageDecodeError(name, 'empty file (0 bytes)');
  const format = detectImageFormat(bytes);
  if (format === null) {
    const other = OTHER_FORMATS.find((f) => startsWith(bytes, f.magic));
    // never echo the bytes: the file may be anything readable (an error once showed "root" of /etc/passwd)
    throw new ImageDecodeError(name, other
      ? `${other.name} images are not supported (convert to PNG or JPEG)`
      : 'not a PNG or JPEG image (no PNG or JPEG signature at the start)');
  }
  const header = format === 'png' ? readPngSize(bytes) : readJpegSize(bytes);
  if (header) checkSize(name, header.width, header.height, maxPixels);
  const raw = format === 'png' ? decodePng(bytes, name) : decodeJpeg(bytes, name, maxPixels);
  checkSize(name, raw.width, raw.height, maxPixels);
  return toLuminance(raw, weights, linearize);
}

interface RawRgba {
  width: number;
  height: number;
  /** RGBA samples, 4 per pixel. */
  rgba: ArrayLike<number>;
  /** Code value of full scale (255, 65535, 2^depth − 1). */
  fullScale: number;
}

function checkSize(name: string, width: number, height: number, maxPixels: number): void {
  if (width < 1 || height < 1) throw new ImageDecodeError(name, `image has no pixels (${width}×${height})`);
  if (width * height > maxPixels) {
    throw new ImageDecodeError(name, `${width}×${height} = ${width * height} pixels exceeds the limit of ${maxPixels} (maxPixels)`);
  }
}

/** Width and height from the IHDR chunk, which must come first. */
function readPngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(12) !== 0x49484452) return null; // 'IHDR'
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Width and height from the first SOFn marker segment, or null if none is found. */
function readJpegSize(bytes: Uint8Array): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1];
    if (marker === 0xff) { i++; continue; } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { i += 2; continue; }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) return { height: (bytes[i + 5] << 8) | bytes[i + 6], width: (bytes[i + 7] << 8) | bytes[i + 8] };
    if (marker === 0xda || length < 2) return null; // start of scan before any frame header
    i += 2 + length;
  }
  return null;
}

function decodePng(bytes: Uint8Array, name: string): RawRgba {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const depth = bytes.length > 24 ? view.getUint8(24) : 8;
  const colorType = bytes.length > 25 ? view.getUint8(25) : 0;
  let png: PNG;
  try {
    // skipRescale keeps 16-bit samples (a Uint16Array) instead of rounding them to 8 bits.
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { skipRescale: true } as never);
  } catch (err) {
    const detail = messageOf(err);
    // pngjs reports running out of bytes as pending reads on a finished stream.
    throw new ImageDecodeError(name, /read requests|finished stream/.test(detail) ? 'unreadable PNG (truncated data)' : `unreadable PNG (${detail})`);
  }
  // Palette entries are 8-bit whatever the index depth; other types keep their own depth.
  const fullScale = colorType === 3 ? 255 : Math.pow(2, depth) - 1;
  return { width: png.width, height: png.height, rgba: png.data as unknown as ArrayLike<number>, fullScale };
}

function decodeJpeg(bytes: Uint8Array, name: string, maxPixels: number): RawRgba {
  try {
    const image = jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
      // RGBA output plus the decoder's component buffers: ~8 bytes per pixel, with headroom.
      maxMemoryUsageInMB: Math.max(64, Math.ceil((maxPixels * 12) / 1_048_576)),
    });
    return { width: image.width, height: image.height, rgba: image.data, fullScale: 255 };
  } catch (err) {
    throw new ImageDecodeError(name, `unreadable JPEG (${messageOf(err)})`);
  }
}

/**
 * Decoder messages that carry no file content. pngjs and jpeg-js put bytes of the file into some
 * messages ("Unsupported critical chunk type <4 bytes>", "unknown JPEG marker <hex>"); only the
 * constant start of a known message is kept, anything else becomes "corrupt data", so no byte of
 * the file ever reaches an error, a log or a node status.
 */
const DECODER_MESSAGES = [
  'Ran out of data', 'unrecognised depth', 'extra data found', 'Invalid file signature', 'Expected IHDR',
  'Unsupported critical chunk type', 'Crc error', 'Unsupported bit depth', 'Unsupported color type', 'Unsupported compression method',
  'Unsupported filter method', 'Unsupported interlace method', 'unrecognised filter type', 'Unrecognised filter type', 'not in palette', 'bad png - invalid compressed data',
  'bad png - invalid inflate data', 'Unexpected end of input', 'Could not recreate Huffman Table', 'unexpected marker', 'invalid huffman sequence',
  'invalid ACn encoding', 'marker was not found', 'SOI not found', 'DQT: invalid table spec', 'maxResolutionInMP limit exceeded',
  'Invalid sampling factor', 'first unknown JPEG marker', 'unknown JPEG marker', 'only single frame JPEGs supported', 'Unsupported color mode',
  'maxMemoryUsageInMB limit exceeded', 'Could not allocate enough memory', 'read requests', 'finished stream',
];

function messageOf(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const known = DECODER_MESSAGES.find((start) => text.toLowerCase().includes(start.toLowerCase()));
  return known ?? 'corrupt data';
}

/** sRGB decoding (IEC 61966-2-1) of a value in [0, 1]. */
function srgbToLinear(v: number): number {
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

function toLuminance(raw: RawRgba, weights: readonly number[], linearize: boolean): LuminanceImage {
  const { width, height, rgba, fullScale } = raw;
  const n = width * height;
  const data = new Float64Array(n);
  const [wr, wg, wb] = weights;
  for (let p = 0, q = 0; p < n; p++, q += 4) {
    let r = rgba[q] / fullScale, g = rgba[q + 1] / fullScale, b = rgba[q + 2] / fullScale;
    if (linearize) { r = srgbToLinear(r); g = srgbToLinear(g); b = srgbToLinear(b); }
    // Grey pixels (r = g = b) map to themselves exactly: the weights sum to 1 up to round-off.
    data[p] = r === g && g === b ? r : wr * r + wg * g + wb * b;
  }
  return { width, height, data };
}

/**
 * Checks that `image` is a well-formed {@link LuminanceImage} (positive integer sizes, a
 * Float64Array of width × height finite values ≥ 0) and returns it.
 * @throws ConfigError naming `field`.
 */
export function requireLuminanceImage(field: string, image: unknown, maxPixels = MAX_IMAGE_PIXELS): LuminanceImage {
  if (image === null || typeof image !== 'object') throw new ConfigError(field, image, 'an image { width, height, data }');
  const { width, height, data } = image as LuminanceImage;
  requireInt(`${field}.width`, width, { min: 1 });
  requireInt(`${field}.height`, height, { min: 1 });
  if (width * height > maxPixels) throw new ConfigError(`${field}.width × ${field}.height`, width * height, `at most ${maxPixels} pixels`);
  if (!(data instanceof Float64Array) || data.length !== width * height) {
    throw new ConfigError(`${field}.data`, data, `a Float64Array of width × height = ${width * height} values`);
  }
  for (let i = 0; i < data.length; i++) {
    if (!(data[i] >= 0) || data[i] === Infinity) throw new ConfigError(`${field}.data[${i}]`, data[i], 'a finite luminance ≥ 0');
  }
  return image as LuminanceImage;
}
