/**
 * Streaming units (core/units.ts): causal FIR with newest-first taps and state across chunks,
 * ReSU ON/OFF rectification with threshold, combined (C·m-tap) projections.
 *
 * Tolerance: the unit and the direct-convolution oracle add the same products, possibly in another
 * order, so they agree to round-off ≈ 1e-12 relative.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { solvePastFutureCca } from '../../core/cca';
import { ConfigError, ShapeError } from '../../core/errors';
import { LaggedMoments } from '../../core/moments';
import { Random } from '../../core/random';
import { FirFilter, PastProjection, rectify, ResuUnit } from '../../core/units';
import { buildPairs, chunkLengths, correlatedSeries, relativeError, Series, sliceSeries } from '../helpers/oracles';

const ROUND_OFF = 1e-12;
const FC_SEED = 777;

/** out_t = Σ_k taps[k]·y[t − k], samples before the start counted as 0. */
function convolve(y: ArrayLike<number>, taps: ArrayLike<number>): number[] {
  return Array.from({ length: y.length }, (_, t) => {
    let acc = 0;
    for (let k = 0; k < taps.length && k <= t; k++) acc += taps[k] * y[t - k];
    return acc;
  });
}

function concat(parts: ArrayLike<number>[]): number[] {
  return parts.flatMap((p) => Array.from(p));
}

function randomTaps(rng: Random, n: number): number[] {
  return Array.from({ length: n }, () => rng.gaussian());
}

describe('core/units', function () {
  describe('FirFilter', function () {
    it('equals a direct convolution, per channel', function () {
      const rng = new Random(1);
      const series = correlatedSeries(rng, 3, 200);
      const taps = randomTaps(rng, 7);
      const out = new FirFilter(taps, 3).process(series);
      assert.equal(out.length, 3);
      out.forEach((channel, c) => assert.ok(relativeError(channel, convolve(series[c], taps)) < ROUND_OFF));
    });

    it('a unit impulse returns the taps, newest first (tap k acts on y_{t−k})', function () {
      const impulse = [1, 0, 0, 0, 0, 0];
      assert.deepEqual(Array.from(new FirFilter([3, 2, 1]).process(impulse)[0]), [3, 2, 1, 0, 0, 0]);
    });

    it('process() does not depend on the chunking (fast-check, chunks down to 0 and 1 samples)', function () {
      fc.assert(fc.property(
        fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 12 }), fc.constantFrom(1, 2),
        fc.array(fc.integer({ min: 0, max: 150 }), { maxLength: 20 }),
        (seed, m, channels, cuts) => {
          const rng = new Random(seed);
          const series = correlatedSeries(rng, channels, 150);
          const taps = randomTaps(rng, m);
          const whole = new FirFilter(taps, channels).process(series);
          const filter = new FirFilter(taps, channels);
          const parts = sliceSeries(series, chunkLengths(150, cuts)).map((chunk) => filter.process(chunk));
          for (let c = 0; c < channels; c++) {
            assert.ok(relativeError(concat(parts.map((p) => p[c])), whole[c]) < ROUND_OFF);
          }
        },
      ), { seed: FC_SEED, numRuns: 80 });
    });

    it('setTaps takes effect at the next chunk, with the history kept', function () {
      const rng = new Random(2);
      const y = correlatedSeries(rng, 1, 100)[0];
      const a = randomTaps(rng, 5), b = randomTaps(rng, 5);
      const filter = new FirFilter(a);
      const first = filter.process(y.slice(0, 40))[0];
      filter.setTaps(b);
      const second = filter.process(y.slice(40))[0];
      assert.ok(relativeError(first, convolve(y, a).slice(0, 40)) < ROUND_OFF);
      assert.ok(relativeError(second, convolve(y, b).slice(40)) < ROUND_OFF);
      assert.deepEqual(filter.length, 5);
      assert.throws(() => filter.setTaps([1, 2]), (err: Error) => err instanceof ConfigError && /taps must be an array of exactly 5 numbers/.test(err.message));
      // a rejected setTaps keeps the current taps
      const again = filter.process([1, 0, 0, 0, 0])[0];
      assert.ok(relativeError(again, convolve(concat([y.slice(-4), [1, 0, 0, 0, 0]]), b).slice(4)) < ROUND_OFF);
    });

    it('reset() forgets the history', function () {
      const rng = new Random(3);
      const y = correlatedSeries(rng, 2, 60);
      const taps = randomTaps(rng, 4);
      const filter = new FirFilter(taps, 2);
      filter.process(y);
      filter.reset();
      const after = filter.process(y);
      const fresh = new FirFilter(taps, 2).process(y);
      assert.deepEqual(after.map((c) => Array.from(c)), fresh.map((c) => Array.from(c)));
    });
  });

  describe('PastProjection (combined C·m taps)', function () {
    it('equals the sum of per-channel FIRs with the channel blocks of the taps', function () {
      const rng = new Random(4);
      const C = 6, m = 3;
      const series = correlatedSeries(rng, C, 120);
      const taps = randomTaps(rng, C * m);
      const combined = new PastProjection(taps, C).process(series);
      const expected = new Array<number>(120).fill(0);
      for (let c = 0; c < C; c++) convolve(series[c], taps.slice(c * m, (c + 1) * m)).forEach((v, t) => { expected[t] += v; });
      assert.ok(relativeError(combined, expected) < ROUND_OFF);
      assert.equal(new PastProjection(taps, C).pastLags, m);
    });

    it('applies a learned ψ as ψ·p_t (the CCA outputs z) once m samples are in', function () {
      const series: Series = correlatedSeries(new Random(5), 2, 3000);
      const moments = new LaggedMoments({ channels: 2, pastLags: 4, futureLags: 2 }).update(series);
      const psi = solvePastFutureCca(moments).pastFilters[1];
      const out = new PastProjection(psi, 2).process(series);
      const pairs = buildPairs(series, 4, 2, 0);
      const z = pairs.map(({ p }) => p.reduce((s, x, i) => s + x * psi[i], 0));
      // pair k has its newest past sample at t = k + m − 1
      assert.ok(relativeError(Array.from(out.subarray(3, 3 + z.length)), z) < ROUND_OFF);
    });

    it('rejects taps that are not a multiple of the channel count', function () {
      assert.throws(() => new PastProjection([1, 2, 3], 2), (err: Error) => err instanceof ShapeError && /not a multiple of 2 channels/.test(err.message));
    });
  });

  describe('ResuUnit', function () {
    const rng = new Random(6);
    const y = correlatedSeries(rng, 2, 300);
    const taps = randomTaps(rng, 5);
    const linear = y.map((channel) => convolve(channel, taps));

    it('ON: max(ψ·p − θ, 0); OFF: max(−ψ·p − θ, 0); linear: ψ·p (θ ignored)', function () {
      for (const threshold of [0, 0.7]) {
        const on = new ResuUnit({ taps, channels: 2, polarity: 'on', threshold }).process(y);
        const off = new ResuUnit({ taps, channels: 2, polarity: 'off', threshold }).process(y);
        const lin = new ResuUnit({ taps, channels: 2, polarity: 'linear', threshold }).process(y);
        for (let c = 0; c < 2; c++) {
          assert.ok(relativeError(on[c], linear[c].map((x) => Math.max(x - threshold, 0))) < ROUND_OFF);
          assert.ok(relativeError(off[c], linear[c].map((x) => Math.max(-x - threshold, 0))) < ROUND_OFF);
          assert.ok(relativeError(lin[c], linear[c]) < ROUND_OFF);
          assert.ok(on[c].every((v) => v >= 0) && off[c].every((v) => v >= 0));
        }
      }
      // both halves are exercised: the signal has both signs
      assert.ok(linear[0].some((x) => x > 1) && linear[0].some((x) => x < -1));
    });

    it('ON − OFF reconstructs the linear output when θ = 0', function () {
      const on = new ResuUnit({ taps, channels: 2 }).process(y);
      const off = new ResuUnit({ taps, channels: 2, polarity: 'off' }).process(y);
      assert.ok(relativeError(Array.from(on[1], (v, t) => v - off[1][t]), linear[1]) < ROUND_OFF);
    });

    it("rectify() works in place and returns 'linear' untouched", function () {
      const values = Float64Array.from([-2, -0.5, 0, 0.5, 2]);
      assert.deepEqual(Array.from(rectify(Float64Array.from(values), 'on', 0.5)), [0, 0, 0, 0, 1.5]);
      assert.deepEqual(Array.from(rectify(Float64Array.from(values), 'off', 0.5)), [1.5, 0, 0, 0, 0]);
      const same = Float64Array.from(values);
      assert.equal(rectify(same, 'linear', 3), same);
      assert.deepEqual(Array.from(same), Array.from(values));
    });

    it('combined mode (C·m taps) gives one output equal to the sum of per-channel FIRs, then rectified', function () {
      const combinedTaps = randomTaps(new Random(7), 2 * 5);
      const out = new ResuUnit({ taps: combinedTaps, channels: 2, mode: 'combined', polarity: 'on', threshold: 0.2 }).process(y);
      assert.equal(out.length, 1);
      const sum = convolve(y[0], combinedTaps.slice(0, 5)).map((v, t) => v + convolve(y[1], combinedTaps.slice(5))[t]);
      assert.ok(relativeError(out[0], sum.map((x) => Math.max(x - 0.2, 0))) < ROUND_OFF);
    });

    it('streams across chunks, setTaps at the next chunk, reset', function () {
      const other = randomTaps(new Random(8), 5);
      const unit = new ResuUnit({ taps, channels: 2, polarity: 'off' });
      const a = unit.process(y.map((ch) => ch.slice(0, 100)));
      const b = unit.process(y.map((ch) => ch.slice(100, 101)));
      unit.setTaps(other);
      const c = unit.process(y.map((ch) => ch.slice(101)));
      for (let k = 0; k < 2; k++) {
        const before = concat([a[k], b[k]]);
        assert.ok(relativeError(before, linear[k].slice(0, 101).map((x) => Math.max(-x, 0))) < ROUND_OFF);
        assert.ok(relativeError(c[k], convolve(y[k], other).slice(101).map((x) => Math.max(-x, 0))) < ROUND_OFF);
      }
      unit.reset();
      const fresh = new ResuUnit({ taps: other, channels: 2, polarity: 'off' }).process(y);
      assert.deepEqual(unit.process(y).map((ch) => Array.from(ch)), fresh.map((ch) => Array.from(ch)));
    });

    it('a bad chunk throws and leaves the history untouched', function () {
      const bad: unknown[] = [[[1, NaN], [1, 2]], [[1, 2], [1]], [1, 2, 3], 'x', [[1, 2], [3, 4], [5, 6]], [[1, Infinity], [0, 0]]];
      for (const mode of ['channelwise', 'combined'] as const) {
        const unitTaps = mode === 'combined' ? [...taps, ...taps] : taps;
        const unit = new ResuUnit({ taps: unitTaps, channels: 2, mode, polarity: 'linear' });
        const control = new ResuUnit({ taps: unitTaps, channels: 2, mode, polarity: 'linear' });
        unit.process(y.map((ch) => ch.slice(0, 50)));
        control.process(y.map((ch) => ch.slice(0, 50)));
        for (const chunk of bad) {
          assert.throws(() => unit.process(chunk), (err: Error) => err instanceof ConfigError || err instanceof ShapeError);
        }
        const rest = y.map((ch) => ch.slice(50));
        assert.deepEqual(unit.process(rest).map((ch) => Array.from(ch)), control.process(rest).map((ch) => Array.from(ch)));
      }
    });

    it('rejects bad options with the field name', function () {
      const cases: [object, RegExp][] = [
        [{ taps: [] }, /taps must be an array of 1 to 1000 numbers \(got an array of length 0\)/],
        [{ taps: [1, NaN] }, /taps\[1\] must be a finite number/],
        [{ taps: [1], polarity: 'up' }, /polarity must be one of/],
        [{ taps: [1], threshold: -1 }, /threshold must be a finite number ≥ 0/],
        [{ taps: [1], mode: 'both' }, /mode must be one of/],
        [{ taps: [1], channels: 0 }, /channels must be an integer ≥ 1/],
        [{ taps: [1, 2, 3], channels: 2, mode: 'combined' }, /not a multiple of 2 channels/],
      ];
      for (const [options, message] of cases) {
        assert.throws(() => new ResuUnit(options as never), (err: Error) => message.test(err.message), JSON.stringify(options));
      }
      assert.throws(() => new ResuUnit(null as never), ConfigError);
    });
  });
});
