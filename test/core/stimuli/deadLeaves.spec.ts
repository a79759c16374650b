import * as assert from 'assert';
import { ConfigError } from '../../../core/errors';
import { Random } from '../../../core/random';
import { createDeadLeavesImage } from '../../../core/stimuli/deadLeaves';
import { radialSpectrumSlope, rowSpectrumSlope } from './spectrum';

describe('core/stimuli/deadLeaves', function () {
  it('is reproducible by seed, positive and within the intensity range, fully covered', function () {
    const a = createDeadLeavesImage({ seed: 7 });
    const b = createDeadLeavesImage({ seed: 7 });
    const c = createDeadLeavesImage({ seed: 8 });
    assert.strictEqual(a.width, 1024);
    assert.strictEqual(a.height, 64);
    assert.deepStrictEqual(a.data, b.data);
    assert.notDeepStrictEqual(a.data, c.data);
    assert.strictEqual(a.uncoveredPixels, 0);
    assert.ok(a.objects > 100);
    for (const v of a.data) assert.ok(v >= 0.1 && v <= 1, String(v));
  });

  it('has a 2-D power spectrum close to 1/f² between the size cut-offs (log-log slope in [−2.5, −1.5])', function () {
    // Theory (scale-invariant dead leaves, radius density ∝ r^−3): S(f) ∝ |f|^−2 for
    // 1/(2π maxRadius) ≪ f ≪ 1/(2π minRadius); here 0.0012 … 0.16 cycles/pixel, fitted on [1/64, 1/8].
    // Three 256² images; single-image slopes scatter by ≈ ±0.15, hence the ±0.5 band.
    const images = [1, 2, 3].map((seed) => createDeadLeavesImage({ width: 256, height: 256, minRadius: 1, maxRadius: 128, seed }));
    const fit = radialSpectrumSlope(images, 1 / 64, 1 / 8);
    assert.ok(fit.slope > -2.5 && fit.slope < -1.5, `slope ${fit.slope}`);
    // The estimator itself: white noise has a flat spectrum (slope 0). One 256² noise image gives a
    // slope with sd ≈ 0.09 (measured over 30 seeds), so four give sd ≈ 0.05: allow 0.2 (4 sd).
    const random = new Random(5);
    const noise = [0, 1, 2, 3].map(() => ({ width: 256, height: 256, data: random.fillGaussian(new Float64Array(256 * 256)) }));
    const flat = radialSpectrumSlope(noise, 1 / 64, 1 / 8);
    assert.ok(Math.abs(flat.slope) < 0.2, `white-noise slope ${flat.slope}`);
  });

  it('rows (1-D slices) fall off as 1/f, as a slice of a 1/f² field must (slope in [−1.5, −0.5])', function () {
    // ∫ (fx² + fy²)^−1 dfy ∝ 1/|fx|: the slice theorem applied to the 2-D law above.
    const fit = rowSpectrumSlope(createDeadLeavesImage({ seed: 3 }), 1 / 256, 1 / 16);
    assert.ok(fit.slope > -1.5 && fit.slope < -0.5, `slope ${fit.slope}`);
  });

  it('wraps horizontally: the seam x = width−1 → 0 looks like any other column boundary', function () {
    const image = createDeadLeavesImage({ width: 512, height: 256, seed: 11 });
    const { width, height, data } = image;
    let interiorEqual = 0, interior = 0, seamEqual = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x + 1 < width; x++) { interior++; if (data[y * width + x] === data[y * width + x + 1]) interiorEqual++; }
      if (data[y * width + width - 1] === data[y * width]) seamEqual++;
    }
    const p = interiorEqual / interior;
    // Without wrapping, equal values across the seam would need two objects of the same random
    // intensity (probability ≈ 0). With wrapping the seam fraction ≈ p; rows are correlated (objects
    // span rows), so allow a wide margin: half of p.
    assert.ok(p > 0.8);
    assert.ok(seamEqual / height > p / 2, `seam ${seamEqual / height} vs interior ${p}`);
  });

  it('wrapVertically makes a torus: the seam y = height−1 → 0 looks like any other row boundary, unlike the default', function () {
    const seamFraction = (wrapVertically: boolean) => {
      const { width, height, data } = createDeadLeavesImage({ width: 256, height: 256, seed: 12, wrapVertically });
      let interiorEqual = 0, interior = 0, seamEqual = 0;
      for (let x = 0; x < width; x++) {
        for (let y = 0; y + 1 < height; y++) { interior++; if (data[y * width + x] === data[(y + 1) * width + x]) interiorEqual++; }
        if (data[(height - 1) * width + x] === data[x]) seamEqual++;
      }
      return { p: interiorEqual / interior, seam: seamEqual / width };
    };
    const torus = seamFraction(true), band = seamFraction(false);
    // same reasoning as the horizontal seam: equal values across an unwrapped seam need two objects
    // of one random intensity; a wrapped seam behaves like the interior (columns are correlated: half of p)
    assert.ok(torus.p > 0.8 && torus.seam > torus.p / 2, `torus seam ${torus.seam} vs interior ${torus.p}`);
    assert.ok(band.seam < 0.2, `unwrapped seam ${band.seam}`);
    assert.throws(() => createDeadLeavesImage({ width: 256, height: 64, wrapVertically: true, maxRadius: 40 }), /maxRadius must be a finite number ≥ 2 and ≤ 32/);
  });

  it('makes squares and single rows; maxObjects leaves reported uncovered pixels at the mean intensity', function () {
    const squares = createDeadLeavesImage({ shape: 'square', width: 128, height: 16, seed: 2 });
    assert.strictEqual(squares.uncoveredPixels, 0);
    const row = createDeadLeavesImage({ height: 1, width: 2048, seed: 2 });
    assert.strictEqual(row.data.length, 2048);
    const sparse = createDeadLeavesImage({ maxObjects: 3, seed: 2, maxRadius: 4 });
    assert.ok(sparse.uncoveredPixels > 0);
    assert.strictEqual(sparse.data.filter((v) => v === 0.55).length >= sparse.uncoveredPixels, true);
  });

  it('rejects bad options with a ConfigError naming the field', function () {
    assert.throws(() => createDeadLeavesImage({ maxRadius: 600 }), /maxRadius must be a finite number ≥ 2 and ≤ 512/);
    assert.throws(() => createDeadLeavesImage({ minRadius: 10, maxRadius: 5 }), ConfigError);
    assert.throws(() => createDeadLeavesImage({ minIntensity: 0 }), /minIntensity must be a finite number > 0/);
    assert.throws(() => createDeadLeavesImage({ width: 10_000, height: 10_000 }), /width × height must be at most 50000000 pixels/);
    assert.throws(() => createDeadLeavesImage({ shape: 'star' as never }), /shape must be one of "disc", "square"/);
  });
});
