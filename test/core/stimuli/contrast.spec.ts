import * as assert from 'assert';
import { ConfigError, DegenerateDataError } from '../../../core/errors';
import { gaussianBlur2d, SD_PER_FWHM, toContrastImage } from '../../../core/stimuli/contrast';
import { createDeadLeavesImage } from '../../../core/stimuli/deadLeaves';
import { edgeIndex, EdgeMode, gaussianTaps } from '../../../core/stimuli/fft';

function image(width: number, height: number, f: (x: number, y: number) => number) {
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, data };
}

/** Naive separable convolution, for comparison with the direct/FFT implementation. */
function naiveBlur(data: Float64Array, width: number, height: number, sd: number, mode: EdgeMode): Float64Array {
  const taps = gaussianTaps(sd), R = (taps.length - 1) / 2;
  const rows = new Float64Array(width * height), out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let s = 0;
    for (let d = -R; d <= R; d++) s += taps[d + R] * data[y * width + edgeIndex(x - d, width, mode)];
    rows[y * width + x] = s;
  }
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let s = 0;
    for (let d = -R; d <= R; d++) s += taps[d + R] * rows[edgeIndex(y - d, height, 'reflect') * width + x];
    out[y * width + x] = s;
  }
  return out;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('core/stimuli/contrast', function () {
  it('gives zero contrast for a uniform image, wrapping or not', function () {
    for (const fovDeg of [360, 120]) {
      const c = toContrastImage(image(200, 20, () => 0.4), { fovDeg });
      assert.ok(maxAbsDiff(c.data, new Float64Array(c.data.length)) < 1e-12);
      assert.strictEqual(c.wraps, fovDeg === 360);
      assert.strictEqual(c.degPerPixel, fovDeg / 200);
    }
  });

  it('matches the analytic Weber contrast of a cosine luminance grating', function () {
    // L = 1 + a cos(ωx). A Gaussian of sd σ (pixels) multiplies a cosine by exp(−ω²σ²/2), so
    // b = 1 + a G1 cos, μ = 1 + a G1 G2 cos and c = (b − μ)/μ. Tolerance 1e-3·a: truncating the
    // kernels at 4 sd and renormalising moves each gain by < 2·Φ(−4) ≈ 1.3e-4.
    for (const [width, cycles] of [[1024, 8], [512, 5]]) {
      const a = 0.5, omega = (2 * Math.PI * cycles) / width, degPerPixel = 360 / width;
      const sd1 = (5.7 * SD_PER_FWHM) / degPerPixel, sd2 = 20 / degPerPixel;
      const g1 = Math.exp(-(omega * omega * sd1 * sd1) / 2), g2 = Math.exp(-(omega * omega * sd2 * sd2) / 2);
      const c = toContrastImage(image(width, 3, (x) => 1 + a * Math.cos(omega * x)));
      const expected = image(width, 3, (x) => {
        const b = 1 + a * g1 * Math.cos(omega * x), mu = 1 + a * g1 * g2 * Math.cos(omega * x);
        return (b - mu) / mu;
      });
      assert.ok(maxAbsDiff(c.data, expected.data) < 1e-3 * a, `width ${width}: ${maxAbsDiff(c.data, expected.data)}`);
    }
  });

  it('uses fwhmDeg and localMeanSdDeg in degrees (sd = FWHM / 2.3548)', function () {
    assert.ok(Math.abs(SD_PER_FWHM - 1 / 2.3548) < 1e-5);
    // The same scene at twice the resolution gives the same contrast at matching angles.
    const coarse = toContrastImage(image(256, 1, (x) => 1 + 0.3 * Math.sin((2 * Math.PI * 3 * x) / 256)));
    const fine = toContrastImage(image(512, 1, (x) => 1 + 0.3 * Math.sin((2 * Math.PI * 3 * x) / 512)));
    for (let x = 0; x < 256; x++) assert.ok(Math.abs(coarse.data[x] - fine.data[2 * x]) < 1e-3);
  });

  it('filters identically through the FFT (wide kernels) and directly (narrow kernels)', function () {
    const scene = createDeadLeavesImage({ width: 128, height: 24, seed: 4 });
    for (const mode of ['wrap', 'reflect'] as const) {
      for (const sd of [3, 20]) { // 3 px: direct path (25 taps); 20 px: FFT path (161 taps)
        const fast = gaussianBlur2d(scene.data, 128, 24, sd, mode);
        assert.ok(maxAbsDiff(fast, naiveBlur(scene.data, 128, 24, sd, mode)) < 1e-12, `${mode} sd ${sd}`);
      }
    }
  });

  it('wraps a 360° panorama (circular shift in, circular shift out) and mirrors other images at the edges', function () {
    const scene = createDeadLeavesImage({ width: 256, height: 16, seed: 9 });
    const shift = 77;
    const shifted = image(256, 16, (x, y) => scene.data[y * 256 + ((x + shift) % 256)]);
    const c = toContrastImage(scene), cs = toContrastImage(shifted);
    assert.ok(maxAbsDiff(cs.data, image(256, 16, (x, y) => c.data[y * 256 + ((x + shift) % 256)]).data) < 1e-12);
    // Mirror symmetry of reflected edges: flipping the image left-right (and top-bottom) flips the contrast.
    const p = toContrastImage(scene, { fovDeg: 90 });
    const flipped = toContrastImage(image(256, 16, (x, y) => scene.data[(15 - y) * 256 + 255 - x]), { fovDeg: 90 });
    assert.ok(maxAbsDiff(flipped.data, image(256, 16, (x, y) => p.data[(15 - y) * 256 + 255 - x]).data) < 1e-12);
    // …and a reflected image is not a wrapped one: the seam differs.
    assert.ok(maxAbsDiff(p.data, toContrastImage(scene, { fovDeg: 360 }).data) > 1e-3);
  });

  it('wrapVertically blurs across the top/bottom seam: a vertical circular shift in is one out, and the image is marked wrapsVertically', function () {
    const scene = createDeadLeavesImage({ width: 128, height: 128, seed: 4, wrapVertically: true });
    const shift = 45;
    const shifted = image(128, 128, (x, y) => scene.data[((y + shift) % 128) * 128 + x]);
    const c = toContrastImage(scene, { wrapVertically: true }), cs = toContrastImage(shifted, { wrapVertically: true });
    assert.strictEqual(c.wrapsVertically, true);
    assert.ok(maxAbsDiff(cs.data, image(128, 128, (x, y) => c.data[((y + shift) % 128) * 128 + x]).data) < 1e-12);
    const mirrored = toContrastImage(scene);
    assert.strictEqual(mirrored.wrapsVertically, undefined);
    assert.ok(maxAbsDiff(mirrored.data, c.data) > 1e-3, 'mirroring the rows differs from wrapping them');
    assert.throws(() => toContrastImage(scene, { wrapVertically: 'yes' as never }), /wrapVertically must be/);
  });

  it('does not modify its input and keeps black regions finite; rejects all-black images', function () {
    const scene = image(64, 4, (x) => (x < 32 ? 0 : 1));
    const copy = Float64Array.from(scene.data);
    const c = toContrastImage(scene, { fwhmDeg: 0 });
    assert.deepStrictEqual(scene.data, copy);
    for (const v of c.data) assert.ok(Number.isFinite(v));
    assert.throws(() => toContrastImage(image(8, 2, () => 0)), DegenerateDataError);
  });

  it('rejects bad options', function () {
    const scene = image(8, 2, () => 1);
    assert.throws(() => toContrastImage(scene, { fovDeg: 400 }), /fovDeg must be a finite number > 0 and ≤ 360/);
    assert.throws(() => toContrastImage(scene, { localMeanSdDeg: 0 }), ConfigError);
    assert.throws(() => toContrastImage(scene, { fwhmDeg: -1 }), /fwhmDeg/);
    assert.throws(() => toContrastImage({ width: 2, height: 2, data: new Float64Array(3) }), /image\.data/);
  });
});
