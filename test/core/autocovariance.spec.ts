/**
 * Streaming autocovariance (core/autocovariance.ts) against a hand example and the naive oracle
 * (test/helpers/oracles.ts oracleAutocovariance).
 *
 * Tolerances: the accumulator and the oracle add the same products in another order (per chunk,
 * then chunk sums; forgetting as λ^n per chunk instead of per sample), so they agree to round-off,
 * ≈ 1e-13 relative to r₀ for these lengths; we allow 1e-10. With an offset of 1e6 and unit
 * variance, centering must still be accurate to 1e-6 of r₀ (the shift removes the offset before any
 * product; without it the cancellation would leave ≈ 1e12·1e-16 = 1e-4).
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { StreamingAutocovariance, MAX_AUTOCOVARIANCE_LAG } from '../../core/autocovariance';
import { ConfigError, NotEnoughDataError, ShapeError } from '../../core/errors';
import { levinsonDurbin } from '../../core/levinson';
import { MAX_OPEN_SERIES, MAX_SERIES_KEY_LENGTH } from '../../core/moments';
import { Random } from '../../core/random';
import { chunkLengths, oracleAutocovariance, simulateAr1 } from '../helpers/oracles';

const FC_SEED = 181818;

function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  const scale = Math.abs(expected[0]);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / scale);
  return worst;
}

/** Feeds updates in order; returns the accumulator. */
function feed(updates: { key: string; samples: ArrayLike<number> }[], options: ConstructorParameters<typeof StreamingAutocovariance>[0]): StreamingAutocovariance {
  const acc = new StreamingAutocovariance(options);
  for (const { key, samples } of updates) acc.update(samples, key);
  return acc;
}

describe('core/autocovariance', function () {
  it('a three-sample series by hand: r = (14, 8, 3)/3 uncentered; centered around the mean 2: (2, 0, −1)/3', function () {
    const plain = new StreamingAutocovariance({ maxLag: 2 }).update([1, 2, 3]).estimate();
    assert.deepEqual(Array.from(plain.values, (x) => x * 3), [14, 8, 3]);
    assert.equal(plain.samples, 3);
    assert.equal(plain.effectiveSamples, 3);
    // centered: deviations (−1, 0, 1): lag 0: 1 + 0 + 1, lag 1: 0·(−1) + 1·0, lag 2: 1·(−1)
    const centered = new StreamingAutocovariance({ maxLag: 2, center: true }).update([1, 2]).update([3]).estimate();
    Array.from(centered.values).forEach((x, d) => assert.ok(Math.abs(x * 3 - [2, 0, -1][d]) < 1e-15, `lag ${d}: ${x * 3}`));
  });

  it('equals the naive oracle for interleaved series, plain and centered, with and without forgetting', function () {
    const rng = new Random(1);
    const a = simulateAr1(rng, 0.7, 400), b = simulateAr1(rng, -0.4, 300).map((x) => x + 3), c = simulateAr1(rng, 0.9, 90);
    const updates = [
      { key: 'a', samples: a.slice(0, 150) }, { key: 'b', samples: b.slice(0, 7) }, { key: 'a', samples: a.slice(150, 151) },
      { key: 'c', samples: c }, { key: 'b', samples: b.slice(7) }, { key: 'a', samples: a.slice(151) },
    ];
    for (const center of [false, true]) {
      for (const tau of [0, 60, 5000]) {
        const estimate = feed(updates, { maxLag: 25, center, timeConstantSamples: tau }).estimate();
        const error = maxRelativeError(estimate.values, oracleAutocovariance(updates, 25, { center, tau }));
        assert.ok(error < 1e-10, `center ${center}, τ ${tau}: error ${error}`);
      }
    }
  });

  it('any chunking of the streams gives the oracle values (property, plain / centered / forgetting)', function () {
    const rng = new Random(2);
    const x = simulateAr1(rng, 0.8, 300), y = simulateAr1(rng, 0.3, 200);
    fc.assert(fc.property(
      fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 5 }),
      fc.boolean(), fc.constantFrom(0, 40), fc.integer({ min: 0, max: 40 }),
      (cutsX, cutsY, center, tau, maxLag) => {
        const updates: { key: string; samples: number[] }[] = [];
        let i = 0, j = 0;
        const lx = chunkLengths(300, cutsX), ly = chunkLengths(200, cutsY);
        // alternate the two series' chunks
        for (let k = 0; k < Math.max(lx.length, ly.length); k++) {
          if (k < lx.length) { updates.push({ key: 'x', samples: x.slice(i, i + lx[k]) }); i += lx[k]; }
          if (k < ly.length) { updates.push({ key: 'y', samples: y.slice(j, j + ly[k]) }); j += ly[k]; }
        }
        const estimate = feed(updates, { maxLag, center, timeConstantSamples: tau }).estimate();
        return maxRelativeError(estimate.values, oracleAutocovariance(updates, maxLag, { center, tau })) < 1e-10;
      }), { seed: FC_SEED, numRuns: 60 });
  });

  it('centering is exact with an offset of 1e6 (the first sample is subtracted before any product)', function () {
    const rng = new Random(3);
    const base = simulateAr1(rng, 0.5, 2000);
    const updates = [{ key: '', samples: base.map((v) => v + 1e6) }];
    const expected = oracleAutocovariance([{ key: '', samples: base }], 10, { center: true });
    for (const tau of [0, 500]) {
      const estimate = feed(updates, { maxLag: 10, center: true, timeConstantSamples: tau }).estimate();
      const reference = tau === 0 ? expected : oracleAutocovariance([{ key: '', samples: base }], 10, { center: true, tau });
      assert.ok(maxRelativeError(estimate.values, reference) < 1e-6, `τ ${tau}`);
    }
  });

  it('never pairs two series: ending a series starts a new one under the same key', function () {
    const updates = [{ key: 's', samples: [1, 2, 3] }];
    const acc = feed(updates, { maxLag: 2 });
    acc.endSeries('s');
    acc.update([4, 5], 's');
    // lag 1: 2·1 + 3·2 + 5·4 = 28 (no 4·3), lag 2: 3·1 = 3; over 5 samples
    assert.deepEqual(Array.from(acc.estimate().values, (x) => x * 5), [55, 28, 3]);
  });

  it('the plain estimate is positive semi-definite: Levinson–Durbin reaches every order even on short series', function () {
    const rng = new Random(4);
    const acc = new StreamingAutocovariance({ maxLag: 60 });
    for (let s = 0; s < 5; s++) acc.update(simulateAr1(rng, 0.95, 40), `short-${s}`);
    assert.equal(levinsonDurbin(acc.estimate().values).order, 60);
  });

  it('effective sample count: N without forgetting, (Σλ^i)²/Σλ^(2i) with it', function () {
    const samples = new Float64Array(1000).fill(1);
    assert.equal(feed([{ key: '', samples }], { maxLag: 3 }).estimate().effectiveSamples, 1000);
    const tau = 100, lambda = Math.exp(-1 / tau);
    const W = (1 - lambda ** 1000) / (1 - lambda), W2 = (1 - lambda ** 2000) / (1 - lambda ** 2);
    const acc = new StreamingAutocovariance({ maxLag: 3, timeConstantSamples: tau });
    for (let i = 0; i < 1000; i += 70) acc.update(samples.subarray(i, i + 70));
    const expected = (W * W) / W2;
    assert.ok(Math.abs(acc.estimate().effectiveSamples - expected) < 1e-9 * expected);
    assert.ok(Math.abs(expected - (1 + lambda) / (1 - lambda)) < 0.01 * expected, 'steady state ≈ 2τ');
  });

  it('toJSON / fromJSON continue an open series exactly; a different configuration is rejected', function () {
    const rng = new Random(5);
    const x = simulateAr1(rng, 0.6, 500);
    for (const options of [{ maxLag: 12 }, { maxLag: 12, center: true, timeConstantSamples: 80 }]) {
      const whole = feed([{ key: 'k', samples: x }], options).estimate().values;
      const first = feed([{ key: 'k', samples: x.slice(0, 230) }], options);
      const restored = StreamingAutocovariance.fromJSON(JSON.parse(JSON.stringify(first.toJSON())), options);
      restored.update(x.slice(230), 'k');
      assert.ok(maxRelativeError(restored.estimate().values, whole) < 1e-12);
    }
    const saved = feed([{ key: 'k', samples: x }], { maxLag: 12 }).toJSON();
    assert.throws(() => StreamingAutocovariance.fromJSON(saved, { maxLag: 13 }), /maxLag/);
    assert.throws(() => StreamingAutocovariance.fromJSON({ ...saved, lagProducts: [1] }), /lagProducts must be an array of 13/);
    assert.throws(() => StreamingAutocovariance.fromJSON({ format: 'other' }), ShapeError);
    const longKey = { ...saved, openSeries: [{ key: 'x'.repeat(MAX_SERIES_KEY_LENGTH + 1), tail: [1] }] };
    assert.throws(() => StreamingAutocovariance.fromJSON(longKey), /key of at most 1056 characters/);
    assert.throws(() => StreamingAutocovariance.fromJSON({ ...saved, options: { ...saved.options, center: true } }), /centering sums/);
  });

  it('rejects bad input naming the index and leaves the state untouched', function () {
    const acc = new StreamingAutocovariance({ maxLag: 4 });
    acc.update([1, 2, 3, 4, 5]);
    const before = acc.toJSON();
    assert.throws(() => acc.update([1, 2, 3, NaN]), (err: Error) => err instanceof ConfigError && /chunk\[3\]/.test(err.message));
    assert.throws(() => acc.update([[1, 2], [3, 4]] as never), /2 channels; expected 1/);
    assert.throws(() => acc.update('abc' as never), ConfigError);
    assert.throws(() => acc.update([1], 7 as never), /seriesKey/);
    // issue 13: samples whose products could overflow the sums, and unbounded series keys
    assert.throws(() => acc.update([1, 1e200]), (err: Error) => err instanceof ConfigError && /chunk\[1\] must be a number within ±1e50/.test(err.message));
    assert.throws(() => acc.update(Float64Array.of(-1e51, 1)), /chunk\[0\] must be a number within ±1e50/);
    assert.throws(() => acc.update([1], 'x'.repeat(MAX_SERIES_KEY_LENGTH + 1)), (err: Error) => err instanceof ConfigError && new RegExp(`seriesKey must be a string of at most ${MAX_SERIES_KEY_LENGTH} characters`).test(err.message));
    assert.deepEqual(acc.toJSON(), before);
    acc.update([1e50, -1e50], 'x'.repeat(MAX_SERIES_KEY_LENGTH));
    assert.ok(acc.estimate().values.every(Number.isFinite));
    assert.throws(() => new StreamingAutocovariance({ maxLag: MAX_AUTOCOVARIANCE_LAG + 1 }), /maxLag/);
    assert.throws(() => new StreamingAutocovariance({ maxLag: 3, timeConstantSamples: -1 }), /timeConstantSamples/);
    assert.throws(() => new StreamingAutocovariance({ maxLag: 2 }).estimate(), NotEnoughDataError);
  });

  it('caps the open series, releases tails on endSeries and everything on reset; tail() returns input units', function () {
    const acc = new StreamingAutocovariance({ maxLag: 3, center: true });
    for (let s = 0; s < MAX_OPEN_SERIES; s++) acc.update([s + 100.5], `s${s}`);
    assert.throws(() => acc.update([1], 'one more'), /too many open series/);
    acc.update([101.5, 102.5, 103.5, 104.5], 's1');
    assert.deepEqual(Array.from(acc.tail('s1')), [102.5, 103.5, 104.5]);
    assert.deepEqual(Array.from(acc.tail('s1', 2)), [103.5, 104.5]);
    acc.endSeries('s1');
    assert.equal(acc.openSeries.length, MAX_OPEN_SERIES - 1);
    assert.equal(acc.tail('s1').length, 0);
    acc.reset();
    assert.equal(acc.openSeries.length, 0);
    assert.equal(acc.samplesSeen, 0);
    assert.throws(() => acc.estimate(), NotEnoughDataError);
  });
});
