import * as assert from 'assert';
import { ConfigError, ResuError } from '../../../core/errors';
import { decodeImage, detectImageFormat, ImageDecodeError, LUMA_WEIGHTS, requireLuminanceImage } from '../../../core/stimuli/image';
import { colourJpeg, greyJpeg, pngHeaderOnly, pngWithChunk, writePng } from '../../fixtures/images';

/** Rec. 601 luma of 8-bit code values, in [0, 1]. */
const rec601 = (r: number, g: number, b: number): number => (0.299 * r + 0.587 * g + 0.114 * b) / 255;

describe('core/stimuli/image', function () {
  describe('PNG', function () {
    it('decodes 8-bit grey to code value / 255 exactly', function () {
      const image = decodeImage(writePng(3, 2, 0, 8, [0, 51, 255, 10, 20, 30]), 'grey8.png');
      assert.strictEqual(image.width, 3);
      assert.strictEqual(image.height, 2);
      assert.deepStrictEqual(Array.from(image.data), [0, 51, 255, 10, 20, 30].map((v) => v / 255));
    });

    it('keeps the full precision of 16-bit grey (no rounding to 8 bits)', function () {
      const codes = [0, 1, 1000, 30000, 65534, 65535];
      const image = decodeImage(writePng(6, 1, 0, 16, codes));
      // 1/65535 and 1000/65535 would both be lost by an 8-bit rescale.
      assert.deepStrictEqual(Array.from(image.data), codes.map((v) => v / 65535));
    });

    it('weights 8-bit RGB with Rec. 601 luma (default) or Rec. 709', function () {
      const rgb = [255, 0, 0, 0, 255, 0, 0, 0, 255, 200, 100, 50];
      const png = writePng(4, 1, 2, 8, rgb);
      const image = decodeImage(png);
      for (let p = 0; p < 4; p++) assert.ok(Math.abs(image.data[p] - rec601(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2])) < 1e-15);
      const w = LUMA_WEIGHTS.rec709;
      const image709 = decodeImage(png, 'x', { weights: 'rec709' });
      assert.ok(Math.abs(image709.data[3] - (w[0] * 200 + w[1] * 100 + w[2] * 50) / 255) < 1e-15);
    });

    it('decodes 16-bit RGB, RGBA (alpha ignored), grey+alpha, palette and 1-bit grey', function () {
      const rgb16 = decodeImage(writePng(2, 1, 2, 16, [65535, 0, 0, 0, 0, 65535]));
      assert.deepStrictEqual(Array.from(rgb16.data), [0.299, 0.114]);
      const rgba = decodeImage(writePng(1, 1, 6, 8, [255, 255, 255, 0]));
      assert.deepStrictEqual(Array.from(rgba.data), [1]);
      const greyAlpha = decodeImage(writePng(2, 1, 4, 8, [100, 255, 200, 0]));
      assert.deepStrictEqual(Array.from(greyAlpha.data), [100 / 255, 200 / 255]);
      const palette = decodeImage(writePng(3, 1, 3, 8, [2, 0, 1], [[255, 0, 0], [0, 0, 255], [10, 10, 10]]));
      assert.deepStrictEqual(Array.from(palette.data), [10 / 255, 0.299, 0.114]);
      const bits = decodeImage(writePng(9, 1, 0, 1, [0, 1, 1, 0, 1, 0, 0, 1, 1]));
      assert.deepStrictEqual(Array.from(bits.data), [0, 1, 1, 0, 1, 0, 0, 1, 1]);
    });

    it('linearizes sRGB on request', function () {
      const image = decodeImage(writePng(2, 1, 0, 8, [255, 128]), 'x', { linearize: true });
      assert.strictEqual(image.data[0], 1);
      // sRGB 128/255 = 0.50196 → ((0.50196 + 0.055)/1.055)^2.4 = 0.21586
      assert.ok(Math.abs(image.data[1] - 0.21586) < 1e-5);
    });
  });

  describe('JPEG', function () {
    it('decodes a single-component (greyscale) JPEG exactly', function () {
      const levels = [200, 60, 128, 0, 255];
      const image = decodeImage(greyJpeg(levels), 'grey.jpg');
      assert.strictEqual(image.width, 40);
      assert.strictEqual(image.height, 8);
      for (let y = 0; y < 8; y++) {
        for (let x = 0; x < 40; x++) assert.strictEqual(image.data[y * 40 + x], levels[x >> 3] / 255);
      }
    });

    it('decodes a colour JPEG to Rec. 601 luminance within JPEG rounding (±3/255)', function () {
      const colours: [number, number, number][] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [200, 100, 50], [90, 90, 90]];
      const image = decodeImage(colourJpeg(colours), 'colour.jpg');
      assert.strictEqual(image.width, 40);
      colours.forEach(([r, g, b], block) => {
        // Block centres: away from the chroma-subsampling seams. Quality 100 still rounds in YCbCr.
        const value = image.data[4 * 40 + 8 * block + 4];
        assert.ok(Math.abs(value - rec601(r, g, b)) <= 3 / 255, `block ${block}: ${value * 255} vs ${rec601(r, g, b) * 255}`);
      });
    });
  });

  describe('errors', function () {
    const expectDecodeError = (bytes: Uint8Array, pattern: RegExp, options = {}): void => {
      assert.throws(() => decodeImage(bytes, 'scene.png', options), (err: unknown) => {
        assert.ok(err instanceof ImageDecodeError && err instanceof ResuError, String(err));
        assert.match((err as Error).message, pattern);
        assert.ok(!(err as Error).message.includes('\n'), 'one line');
        return true;
      });
    };

    it('rejects empty data', function () {
      expectDecodeError(new Uint8Array(0), /^scene\.png: empty file \(0 bytes\)$/);
    });

    it('names unsupported formats and never echoes the bytes of a file (issue 13)', function () {
      expectDecodeError(Buffer.from('GIF89a......'), /GIF images are not supported/);
      expectDecodeError(Buffer.from('BM..........'), /BMP images are not supported/);
      // /etc/passwd once showed "first bytes 72 6f 6f 74" ("root") in the scanner's status
      const passwd = Buffer.from('root:x:0:0:root:/root:/bin/bash\n');
      assert.throws(() => decodeImage(passwd, 'passwd'), (err: Error) => /not a PNG or JPEG image/.test(err.message) && !/root|72 6f/.test(err.message.replace(/^passwd: /, '')));
      assert.strictEqual(detectImageFormat(Buffer.from('hello')), null);
      // decoders quote file bytes in some messages (a PNG chunk name, a JPEG marker): only their constant part is kept
      const chunkName = pngWithChunk('ROOT', Buffer.from('secret'));
      assert.throws(() => decodeImage(chunkName, 'x.png'), (err: Error) => /unreadable PNG/.test(err.message) && !/ROOT|secret/.test(err.message));
      const marker = Buffer.from([0xff, 0xd8, 0xff, 0x72, 0x6f, 0x6f, 0x74, 0x3a, 0x78, 0x3a, 0x30, 0x3a]);
      assert.throws(() => decodeImage(marker, 'x.jpg'), (err: Error) => /unreadable JPEG/.test(err.message) && !/72|6f|root/.test(err.message.replace(/^x\.jpg: /, '')));
    });

    it('reports truncated or corrupt PNG and JPEG data as unreadable', function () {
      const png = writePng(16, 16, 0, 8, new Array(256).fill(7));
      expectDecodeError(png.subarray(0, png.length - 20), /unreadable PNG/);
      const corrupt = Buffer.from(png);
      corrupt[40] ^= 0xff; // inside IDAT: the CRC check fails
      expectDecodeError(corrupt, /unreadable PNG/);
      const jpg = colourJpeg([[1, 2, 3]]);
      expectDecodeError(jpg.subarray(0, 30), /unreadable JPEG/);
    });

    it('enforces maxPixels from the header, before decoding anything', function () {
      // A 100000 × 100000 header with no pixel data: must fail on size, not on the missing data.
      expectDecodeError(pngHeaderOnly(100_000, 100_000), /100000×100000 = 10000000000 pixels exceeds the limit of 50000000 \(maxPixels\)/);
      expectDecodeError(writePng(10, 10, 0, 8, new Array(100).fill(1)), /exceeds the limit of 99/, { maxPixels: 99 });
      expectDecodeError(greyJpeg([1, 2, 3]), /24×8 = 192 pixels exceeds the limit of 100/, { maxPixels: 100 });
    });

    it('rejects bad options and non-byte input with ConfigError', function () {
      assert.throws(() => decodeImage([1, 2] as unknown as Uint8Array), ConfigError);
      assert.throws(() => decodeImage(greyJpeg([1]), 'x', { maxPixels: 0 }), /maxPixels must be an integer ≥ 1/);
      assert.throws(() => decodeImage(greyJpeg([1]), 'x', { weights: 'rec2020' as never }), /weights must be one of/);
    });

    it('validates LuminanceImage values', function () {
      assert.throws(() => requireLuminanceImage('image', { width: 2, height: 1, data: Float64Array.of(1, -1) }), /image\.data\[1\] must be a finite luminance ≥ 0/);
      assert.throws(() => requireLuminanceImage('image', { width: 2, height: 2, data: new Float64Array(3) }), /image\.data must be a Float64Array of width × height = 4 values/);
    });
  });
});
