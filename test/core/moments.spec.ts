/**
 * LaggedMoments (core/moments.ts): exact streaming accumulation of past–future second moments.
 *
 * Tolerances: the accumulator and the oracles sum the same products in different orders, so they
 * agree to round-off, ≈ 1e-12 norm-wise relative for the stream lengths used here (≤ a few thousand
 * samples; the error grows like √N·ε ≈ 1e-14 and we leave two orders of margin). Centering with a
 * large offset (1e6 + signal) loses ~log10(1e6²) digits in any two-pass comparison, hence 1e-9.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { LaggedMoments, LaggedMomentsOptions, MAX_SERIES_KEY_LENGTH, MomentMatrices, truncatePastLags } from '../../core/moments';
import { ConfigError, NotEnoughDataError, ShapeError } from '../../core/errors';
import { Random } from '../../core/random';
import {
  chunkLengths, correlatedSeries, fixedChunks, gaussianSeries, momentsError, oracleMoments, relativeError, Series, sliceSeries,
} from '../helpers/oracles';

/** Round-off tolerance for re-ordered sums of a few thousand products (see header). */
const ROUND_OFF = 1e-12;
const FC_SEED = 20240611;

function feed(moments: LaggedMoments, series: Series, lengths: number[], key = ''): LaggedMoments {
  for (const chunk of sliceSeries(series, lengths)) moments.update(chunk, key);
  return moments;
}

function batch(options: LaggedMomentsOptions, series: Series): MomentMatrices {
  return feed(new LaggedMoments(options), series, [series[0].length]).moments();
}

function snapshot(moments: LaggedMoments): string {
  return JSON.stringify(moments.toJSON());
}

describe('core/moments LaggedMoments', function () {
  describe('a five-sample stream written out by hand', function () {
    // y = 1, −2, 3, 0, 5 with m = 2, h = 1, g = 0: windows of L = 3 samples, N = 3 pairs
    //   t = 1: p = [−2, 1], f = [3]
    //   t = 2: p = [3, −2], f = [0]
    //   t = 3: p = [0, 3],  f = [5]
    const y = [1, -2, 3, 0, 5];

    for (const algorithm of ['direct', 'lagged'] as const) {
      it(`gives Rp, Q, Rf by hand (${algorithm})`, function () {
        const moments = new LaggedMoments({ pastLags: 2, futureLags: 1, algorithm }).update(y).moments();
        assert.equal(moments.pairs, 3);
        assert.equal(moments.weight, 3);
        // Rp = (1/3)[[4 + 9 + 0, −2 − 6 + 0], [·, 1 + 4 + 9]]
        assert.ok(relativeError(moments.pastMoment, [13 / 3, -8 / 3, -8 / 3, 14 / 3]) < 1e-15);
        // Q = (1/3)[−6 + 0 + 0, 3 + 0 + 15]
        assert.ok(relativeError(moments.futurePastMoment, [-6 / 3, 18 / 3]) < 1e-15);
        // Rf = (1/3)(9 + 0 + 25)
        assert.ok(relativeError(moments.futureMoment, [34 / 3]) < 1e-15);
      });

      it(`centers by hand (${algorithm})`, function () {
        // means: p̄ = [1/3, 2/3], f̄ = 8/3; e.g. Rp00 = 13/3 − 1/9 = 38/9, Q1 = 18/3 − (8/3)(2/3) = 38/9
        const moments = new LaggedMoments({ pastLags: 2, futureLags: 1, center: true, algorithm }).update(y).moments();
        assert.ok(relativeError(moments.pastMoment, [38 / 9, -26 / 9, -26 / 9, 38 / 9]) < 1e-14);
        assert.ok(relativeError(moments.futurePastMoment, [-26 / 9, 38 / 9]) < 1e-14);
        assert.ok(relativeError(moments.futureMoment, [38 / 9]) < 1e-14);
        assert.equal(moments.centered, true);
      });

      it(`skips the gap by hand (g = 1, ${algorithm})`, function () {
        // L = 4, N = 2: t = 1: p = [−2, 1], f = [y3] = [0]; t = 2: p = [3, −2], f = [y4] = [5]
        const moments = new LaggedMoments({ pastLags: 2, futureLags: 1, gap: 1, algorithm }).update(y).moments();
        assert.equal(moments.pairs, 2);
        assert.ok(relativeError(moments.pastMoment, [13 / 2, -4, -4, 5 / 2]) < 1e-15);
        assert.ok(relativeError(moments.futurePastMoment, [15 / 2, -10 / 2]) < 1e-15);
        assert.ok(relativeError(moments.futureMoment, [25 / 2]) < 1e-15);
      });
    }

    it('has no pair before m + g + h samples and says why', function () {
      const moments = new LaggedMoments({ pastLags: 2, futureLags: 1 }).update([1, 2]);
      assert.equal(moments.pairs, 0);
      assert.throws(() => moments.moments(), (err: Error) => err instanceof NotEnoughDataError && /needs .*3 samples/.test(err.message));
    });
  });

  describe('matches an explicit oracle (p, f vectors built and summed in the test)', function () {
    const cases = [
      { channels: 1, pastLags: 4, futureLags: 3, gap: 0 },
      { channels: 1, pastLags: 5, futureLags: 2, gap: 2 },
      { channels: 2, pastLags: 3, futureLags: 4, gap: 1 },
      { channels: 6, pastLags: 1, futureLags: 1, gap: 4 }, // the T4 layer shape (delay 5)
      { channels: 6, pastLags: 3, futureLags: 2, gap: 0 },
    ];
    for (const c of cases) {
      for (const algorithm of ['direct', 'lagged'] as const) {
        it(`C=${c.channels} m=${c.pastLags} h=${c.futureLags} g=${c.gap} (${algorithm})`, function () {
          const series = correlatedSeries(new Random(11 + c.channels + c.gap), c.channels, 400);
          const actual = batch({ ...c, algorithm }, series);
          const expected = oracleMoments([series], c.pastLags, c.futureLags, c.gap);
          assert.equal(actual.pairs, 400 - (c.pastLags + c.gap + c.futureLags) + 1);
          assert.equal(actual.pairs, expected.pairs);
          assert.ok(momentsError(actual, expected) < ROUND_OFF, `error ${momentsError(actual, expected)}`);
        });
      }
    }

    it("'direct' and 'lagged' agree to round-off (m = h = 20, C = 2)", function () {
      const series = correlatedSeries(new Random(5), 2, 3000);
      const options = { channels: 2, pastLags: 20, futureLags: 20, gap: 1 };
      const direct = batch({ ...options, algorithm: 'direct' }, series);
      const lagged = batch({ ...options, algorithm: 'lagged' }, series);
      assert.ok(momentsError(lagged, direct) < ROUND_OFF, `error ${momentsError(lagged, direct)}`);
    });

    it("'auto' picks 'lagged' for long windows and 'direct' with forgetting", function () {
      assert.equal(new LaggedMoments({ pastLags: 50, futureLags: 50 }).algorithm, 'lagged');
      assert.equal(new LaggedMoments({ pastLags: 50, futureLags: 50, timeConstantSamples: 100 }).algorithm, 'direct');
      assert.throws(() => new LaggedMoments({ pastLags: 5, futureLags: 5, timeConstantSamples: 100, algorithm: 'lagged' }), ConfigError);
    });
  });

  describe('chunking invariance', function () {
    const configurations = [
      { channels: 1, pastLags: 6, futureLags: 4, gap: 0 },
      { channels: 1, pastLags: 3, futureLags: 5, gap: 3 },
      { channels: 2, pastLags: 4, futureLags: 3, gap: 1 },
      { channels: 6, pastLags: 2, futureLags: 2, gap: 1 },
    ];
    for (const c of configurations) {
      for (const algorithm of ['direct', 'lagged'] as const) {
        it(`chunks of 1, 7, 1000 equal one batch: C=${c.channels} m=${c.pastLags} h=${c.futureLags} g=${c.gap} (${algorithm})`, function () {
          const series = correlatedSeries(new Random(100 + c.channels), c.channels, 1500);
          const options = { ...c, algorithm };
          const reference = batch(options, series);
          for (const size of [1, 7, 1000]) {
            const chunked = feed(new LaggedMoments(options), series, fixedChunks(1500, size)).moments();
            assert.equal(chunked.pairs, reference.pairs);
            assert.ok(momentsError(chunked, reference) < ROUND_OFF, `size ${size}: error ${momentsError(chunked, reference)}`);
          }
        });
      }
    }

    it('random splits (fast-check) equal one batch, for both algorithms, with reads in between', function () {
      fc.assert(fc.property(
        fc.record({
          channels: fc.constantFrom(1, 2, 6),
          pastLags: fc.integer({ min: 1, max: 6 }),
          futureLags: fc.integer({ min: 1, max: 6 }),
          gap: fc.integer({ min: 0, max: 3 }),
          center: fc.boolean(),
          algorithm: fc.constantFrom('direct' as const, 'lagged' as const),
          seed: fc.integer({ min: 0, max: 1e6 }),
          cuts: fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 25 }),
          readAfter: fc.integer({ min: 0, max: 30 }),
        }),
        ({ cuts, seed, readAfter, ...options }) => {
          const series = correlatedSeries(new Random(seed), options.channels, 300);
          const reference = batch(options, series);
          const moments = new LaggedMoments(options);
          sliceSeries(series, chunkLengths(300, cuts)).forEach((chunk, i) => {
            moments.update(chunk);
            // reading the moments mid-stream must not disturb the accumulation (lagged flushes here)
            if (i === readAfter && moments.pairs > 0) moments.moments();
          });
          const chunked = moments.moments();
          assert.equal(chunked.pairs, reference.pairs);
          assert.ok(momentsError(chunked, reference) < ROUND_OFF, `error ${momentsError(chunked, reference)}`);
        },
      ), { seed: FC_SEED, numRuns: 120 });
    });

    it('empty chunks change nothing', function () {
      const series = correlatedSeries(new Random(3), 2, 50);
      // same cut points (so the same summation order), plus empty chunks: bit-for-bit equal
      const a = feed(new LaggedMoments({ channels: 2, pastLags: 3, futureLags: 2 }), series, [20, 30]);
      const b = new LaggedMoments({ channels: 2, pastLags: 3, futureLags: 2 });
      b.update([[], []]);
      feed(b, series, [20, 0, 30]);
      b.update([[], []]);
      assert.equal(snapshot(b), snapshot(a));
    });
  });

  describe('separate series', function () {
    for (const algorithm of ['direct', 'lagged'] as const) {
      it(`pool their pairs and never straddle (${algorithm})`, function () {
        const rng = new Random(21);
        const rows = [correlatedSeries(rng, 2, 120), correlatedSeries(rng, 2, 9), correlatedSeries(rng, 2, 77)];
        const options = { channels: 2, pastLags: 4, futureLags: 3, gap: 1, algorithm };
        const moments = new LaggedMoments(options);
        // interleave chunks of the three series
        const sliced = rows.map((row) => sliceSeries(row, chunkLengths(row[0].length, [5, 40, 41, 100])));
        for (let i = 0; i < 5; i++) sliced.forEach((chunks, s) => { if (chunks[i]) moments.update(chunks[i], `row${s}`); });
        assert.deepEqual(moments.openSeries.sort(), ['row0', 'row1', 'row2']);
        const expected = oracleMoments(rows, 4, 3, 1);
        const actual = moments.moments();
        assert.equal(actual.pairs, expected.pairs);
        assert.equal(actual.pairs, (120 - 7) + (9 - 7) + (77 - 7));
        assert.ok(momentsError(actual, expected) < ROUND_OFF, `error ${momentsError(actual, expected)}`);
        // a straddling accumulation (one series) would differ: make sure the test can tell
        const straddled = oracleMoments([rows[0].map((ch, c) => [...ch, ...rows[1][c], ...rows[2][c]])], 4, 3, 1);
        assert.ok(momentsError(straddled, expected) > 1e-3);
      });
    }

    it('endSeries starts a new series under the same key', function () {
      const rng = new Random(8);
      const first = correlatedSeries(rng, 1, 30), second = correlatedSeries(rng, 1, 25);
      const moments = new LaggedMoments({ pastLags: 3, futureLags: 2 });
      moments.update(first[0]).endSeries().update(second[0]);
      const expected = oracleMoments([first, second], 3, 2, 0);
      assert.equal(moments.pairs, expected.pairs);
      assert.ok(momentsError(moments.moments(), expected) < ROUND_OFF);
      assert.deepEqual(moments.openSeries, ['']);
    });
  });

  describe('centering', function () {
    for (const algorithm of ['direct', 'lagged'] as const) {
      it(`equals a two-pass oracle with a large offset 1e6 + signal (${algorithm})`, function () {
        const rng = new Random(31);
        const signal = correlatedSeries(rng, 2, 800);
        const offset = signal.map((channel, c) => channel.map((x) => 1e6 * (c + 1) + x));
        const options = { channels: 2, pastLags: 5, futureLags: 3, gap: 0, center: true, algorithm };
        const actual = feed(new LaggedMoments(options), offset, fixedChunks(800, 37)).moments();
        // two-pass on the offset data itself (not on the signal): 1e-9 for the offset's cancellation
        const expected = oracleMoments([offset], 5, 3, 0, { center: true });
        assert.ok(momentsError(actual, expected) < 1e-9, `error ${momentsError(actual, expected)}`);
        // and centering removes the offset: same as centering the signal alone
        const signalOnly = oracleMoments([signal], 5, 3, 0, { center: true });
        assert.ok(momentsError(actual, signalOnly) < 1e-9);
      });
    }

    it('the first sample of a later series does not matter (several series, offset)', function () {
      const rng = new Random(32);
      const rows = [gaussianSeries(rng, 1, 200, 5e5), gaussianSeries(rng, 1, 150, -3e5)];
      const moments = new LaggedMoments({ pastLags: 3, futureLags: 3, center: true });
      moments.update(rows[0][0], 'a').update(rows[1][0], 'b');
      const expected = oracleMoments(rows, 3, 3, 0, { center: true });
      assert.ok(momentsError(moments.moments(), expected) < 1e-9);
    });
  });

  describe('forgetting', function () {
    it('equals an explicit weighted sum with weights exp(−age/τ)', function () {
      const series = correlatedSeries(new Random(41), 2, 600);
      for (const center of [false, true]) {
        const options = { channels: 2, pastLags: 3, futureLags: 2, gap: 1, timeConstantSamples: 50, center };
        const actual = feed(new LaggedMoments(options), series, fixedChunks(600, 13)).moments();
        const expected = oracleMoments([series], 3, 2, 1, { center, tau: 50 });
        assert.ok(momentsError(actual, expected) < ROUND_OFF, `center ${center}: error ${momentsError(actual, expected)}`);
        assert.ok(Math.abs(actual.weight - expected.weight) < ROUND_OFF * expected.weight);
        assert.equal(actual.pairs, expected.pairs);
      }
    });

    it('stays exact through the internal rescaling (τ = 2 over 1000 pairs)', function () {
      // growth e^(1000/2) far exceeds the 1e100 rescale threshold, so the rescale path runs
      const series = correlatedSeries(new Random(42), 1, 1005);
      const options = { pastLags: 3, futureLags: 3, timeConstantSamples: 2 };
      const actual = feed(new LaggedMoments(options), series, fixedChunks(1005, 64)).moments();
      const expected = oracleMoments([series], 3, 3, 0, { tau: 2 });
      assert.ok(momentsError(actual, expected) < ROUND_OFF, `error ${momentsError(actual, expected)}`);
      // N = Σ e^(−age/2) → 1/(1 − e^(−1/2)) for many pairs
      assert.ok(Math.abs(actual.weight - 1 / (1 - Math.exp(-0.5))) < 1e-12);
    });

    it('centering stays exact when the level moves far from the first sample (regression: 1e6 step lost 12 digits)', function () {
      const rng = new Random(44);
      // two channels; the level jumps by 1e6 (channel 0) and −1e4 (channel 1) after 1000 samples and
      // stays there for 40 τ, so the weighted data end up ~1e6 standard deviations from the first sample
      const n = 3000;
      const series: Series = [
        Array.from({ length: n }, (_, t) => (t > 1000 ? 1e6 : 0) + rng.gaussian()),
        Array.from({ length: n }, (_, t) => (t > 1000 ? -1e4 : 5) + rng.gaussian()),
      ];
      const options = { channels: 2, pastLags: 3, futureLags: 2, gap: 1, center: true, timeConstantSamples: 50 };
      const expected = oracleMoments([series], 3, 2, 1, { center: true, tau: 50 });
      for (const size of [1, 7, 1000, n]) {
        const moments = feed(new LaggedMoments(options), series, fixedChunks(n, size));
        // two-pass oracle on data with offsets up to 1e6: 1e-9 (see header)
        assert.ok(momentsError(moments.moments(), expected) < 1e-9, `size ${size}: error ${momentsError(moments.moments(), expected)}`);
        // the re-centred state still round-trips and continues
        const restored = LaggedMoments.fromJSON(JSON.parse(JSON.stringify(moments.toJSON())));
        assert.ok(momentsError(restored.moments(), expected) < 1e-9);
      }
    });

    it('tracks a change of statistics: old data fades', function () {
      const rng = new Random(43);
      const quiet = gaussianSeries(rng, 1, 500)[0];
      const loud = gaussianSeries(rng, 1, 2000)[0].map((x) => 10 * x);
      const moments = new LaggedMoments({ pastLags: 1, futureLags: 1, timeConstantSamples: 100 });
      moments.update(quiet).update(loud);
      // after 20 τ the quiet part weighs e^(−20): the variance is the loud one's, 100 ± sampling
      // error (≈ 100·√(2/200) = 14 for ~2τ = 200 effective samples; 4 SE)
      assert.ok(Math.abs(moments.moments().pastMoment[0] - 100) < 56);
    });
  });

  describe('merge', function () {
    const rng = new Random(51);
    const streamA = correlatedSeries(rng, 2, 300);
    const streamB = correlatedSeries(rng, 2, 250);
    for (const center of [false, true]) {
      for (const algorithm of ['direct', 'lagged'] as const) {
        it(`merge(a, b) equals one pass over both (center ${center}, ${algorithm})`, function () {
          // different offsets, so the two accumulators center with different shifts
          const a = streamA.map((ch) => ch.map((x) => x + 1000));
          const b = streamB.map((ch) => ch.map((x) => x - 250));
          const options = { channels: 2, pastLags: 4, futureLags: 2, gap: 1, center, algorithm };
          const left = feed(new LaggedMoments(options), a, [100, 200]);
          const right = feed(new LaggedMoments(options), b, [250]);
          left.merge(right);
          const onePass = new LaggedMoments(options);
          feed(onePass, a, [300], 'a');
          feed(onePass, b, [250], 'b');
          const expected = oracleMoments([a, b], 4, 2, 1, { center });
          const tolerance = center ? 1e-9 : ROUND_OFF; // centering: offsets 1e3 cancel (see header)
          assert.ok(momentsError(left.moments(), onePass.moments()) < tolerance);
          assert.ok(momentsError(left.moments(), expected) < tolerance, `error ${momentsError(left.moments(), expected)}`);
          assert.equal(left.pairs, expected.pairs);
          assert.equal(left.samplesSeen, 550);
        });
      }
    }

    it('merges into an empty accumulator and from an empty one', function () {
      const options = { channels: 2, pastLags: 3, futureLags: 3, center: true };
      const filled = feed(new LaggedMoments(options), streamA, [300]);
      const into = new LaggedMoments(options).merge(filled);
      assert.ok(momentsError(into.moments(), filled.moments()) < ROUND_OFF);
      const from = feed(new LaggedMoments(options), streamA, [300]).merge(new LaggedMoments(options));
      assert.ok(momentsError(from.moments(), filled.moments()) < ROUND_OFF);
    });

    it('rejects another configuration', function () {
      const a = new LaggedMoments({ pastLags: 3, futureLags: 2 });
      assert.throws(() => a.merge(new LaggedMoments({ pastLags: 4, futureLags: 2 })),
        (err: Error) => err instanceof ShapeError && /pastLags/.test(err.message));
      assert.throws(() => a.merge(new LaggedMoments({ pastLags: 3, futureLags: 2, center: true })),
        (err: Error) => err instanceof ShapeError && /center/.test(err.message));
    });

    it('a merged accumulator keeps streaming its own open series seamlessly', function () {
      const options = { pastLags: 4, futureLags: 3, algorithm: 'lagged' as const };
      const x = streamA[0], z = streamB[0];
      const merged = new LaggedMoments(options).update(x.slice(0, 150)).merge(new LaggedMoments(options).update(z));
      merged.update(x.slice(150));
      const expected = oracleMoments([[x], [z]], 4, 3, 0);
      assert.ok(momentsError(merged.moments(), expected) < ROUND_OFF);
    });
  });

  describe('serialization', function () {
    for (const options of [
      { channels: 2, pastLags: 4, futureLags: 3, gap: 1, algorithm: 'lagged' as const },
      { channels: 2, pastLags: 4, futureLags: 3, gap: 1, algorithm: 'direct' as const, center: true },
      { channels: 1, pastLags: 3, futureLags: 2, timeConstantSamples: 40 },
    ]) {
      const label = JSON.stringify(options);
      it(`round-trips through JSON.stringify/parse with identical moments: ${label}`, function () {
        const series = correlatedSeries(new Random(61), options.channels, 400);
        const original = feed(new LaggedMoments(options), series, [150], 'open');
        const text = JSON.stringify(original.toJSON());
        const restored = LaggedMoments.fromJSON(JSON.parse(text), options);
        // no forgetting: the payload holds the exact sums, so the moments are bit-for-bit equal
        const tolerance = options.timeConstantSamples ? ROUND_OFF : 0;
        assert.ok(momentsError(restored.moments(), original.moments()) <= tolerance);
        assert.equal(restored.pairs, original.pairs);
        assert.equal(restored.samplesSeen, original.samplesSeen);
        assert.deepEqual(restored.openSeries, ['open']);
        assert.equal(JSON.stringify(restored.toJSON()), text);
      });

      it(`continuing an open series after fromJSON equals never serializing: ${label}`, function () {
        const series = correlatedSeries(new Random(62), options.channels, 400);
        const head = series.map((ch) => ch.slice(0, 157)), rest = series.map((ch) => ch.slice(157));
        const never = feed(new LaggedMoments(options), series, [157, 243], 'k');
        const saved = feed(new LaggedMoments(options), head, [100, 57], 'k');
        const restored = LaggedMoments.fromJSON(JSON.parse(JSON.stringify(saved.toJSON())));
        feed(restored, rest, [1, 242], 'k');
        assert.equal(restored.pairs, never.pairs);
        assert.ok(momentsError(restored.moments(), never.moments()) < ROUND_OFF,
          `error ${momentsError(restored.moments(), never.moments())}`);
      });
    }

    it('round-trips an open series shorter than the window (no pair yet)', function () {
      const options = { pastLags: 5, futureLags: 4, algorithm: 'lagged' as const };
      const y = correlatedSeries(new Random(63), 1, 100)[0];
      const saved = new LaggedMoments(options).update(y.slice(0, 3));
      const restored = LaggedMoments.fromJSON(JSON.parse(JSON.stringify(saved.toJSON())), options);
      restored.update(y.slice(3, 10)).update(y.slice(10));
      assert.ok(momentsError(restored.moments(), oracleMoments([[y]], 5, 4, 0)) < ROUND_OFF);
    });

    describe('fromJSON rejects', function () {
      const options = { channels: 2, pastLags: 3, futureLags: 2 };
      const good = (): Record<string, unknown> => JSON.parse(JSON.stringify(
        feed(new LaggedMoments(options), correlatedSeries(new Random(64), 2, 40), [40]).toJSON()));
      const cases: [string, (p: Record<string, unknown>) => unknown, RegExp][] = [
        ['another format', (p) => ({ ...p, format: 'resu-cca-fit' }), /format "resu-cca-fit".*expected "resu-lagged-moments"/],
        ['another version', (p) => ({ ...p, version: 2 }), /version 2/],
        ['a wrong sumOuterUpper length', (p) => ({ ...p, sumOuterUpper: (p.sumOuterUpper as number[]).slice(1) }), /sumOuterUpper must be an array of 55 numbers \(got length 54\)/],
        ['a wrong sum length', (p) => ({ ...p, sum: [1, 2] }), /sum must be an array of 10 numbers/],
        ['a non-finite entry', (p) => ({ ...p, sumOuterUpper: (p.sumOuterUpper as unknown[]).map((x, i) => (i === 3 ? null : x)) }), /sumOuterUpper\[3\]/],
        ['a tail with the wrong channel count', (p) => ({ ...p, openSeries: [{ key: '', tail: [[1, 2]] }] }), /2 tail channels/],
        ['a tail longer than L − 1', (p) => ({ ...p, openSeries: [{ key: '', tail: [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]] }] }), /at most 4 samples/],
        ['a ragged tail', (p) => ({ ...p, openSeries: [{ key: '', tail: [[1, 2], [1]] }] }), /tail\[1\] must be an array of 2 numbers/],
        ['a bad option', (p) => ({ ...p, options: { ...(p.options as object), pastLags: 0 } }), /pastLags must be an integer ≥ 1/],
        ['no object', () => 'moments', /an object/],
        ['null', () => null, /an object/],
      ];
      for (const [name, mutate, message] of cases) {
        it(name, function () {
          assert.throws(() => LaggedMoments.fromJSON(mutate(good())), (err: Error) => {
            assert.match(err.message, message);
            assert.ok(err instanceof ShapeError || err instanceof ConfigError, err.name);
            assert.ok(!err.message.includes('\n'));
            return true;
          });
        });
      }

      it('a mismatched expected configuration', function () {
        assert.throws(() => LaggedMoments.fromJSON(good(), { ...options, futureLags: 3 }),
          (err: Error) => err instanceof ShapeError && /futureLags = 2 into moments with futureLags = 3/.test(err.message));
        assert.throws(() => LaggedMoments.fromJSON(good(), { ...options, center: true }),
          (err: Error) => err instanceof ShapeError && /center/.test(err.message));
        assert.doesNotThrow(() => LaggedMoments.fromJSON(good(), options));
      });
    });
  });

  describe('bad chunks', function () {
    const bad: [string, unknown, RegExp][] = [
      ['NaN', [[1, 2, NaN, 4], [1, 2, 3, 4]], /chunk\[0\]\[2\] must be a finite number \(got NaN\)/],
      ['Infinity', [[1, 2, 3, 4], [1, Infinity, 3, 4]], /chunk\[1\]\[1\] must be a finite number/],
      ['a string value', [[1, 2, 3, '4'], [1, 2, 3, 4]], /chunk\[0\]\[3\]/],
      ['a string chunk', 'abc', /chunk must be an array/],
      ['a flat array for two channels', [1, 2, 3, 4], /1 channel; expected 2/],
      ['three channels', [[1], [2], [3]], /3 channels; expected 2/],
      ['ragged channels', [[1, 2, 3], [1, 2]], /different lengths \(channel 0: 3, channel 1: 2\)/],
      ['a non-array channel', [[1, 2], 'ab'], /chunk\[1\] must be an array/],
      ['null', null, /chunk must be an array/],
      // products of samples beyond ±1e50 could overflow the sums (issue 13: 1e200 made every solve fail)
      ['a sample of 1e200', [[1, 2, 1e200, 4], [1, 2, 3, 4]], /chunk\[0\]\[2\] must be a number within ±1e50 \(the sample magnitude limit\) \(got 1e\+200\)/],
      ['a sample of -1.0000001e50', [[1, 2, 3, 4], [-1.0000001e50, 2, 3, 4]], /chunk\[1\]\[0\] must be a number within ±1e50/],
    ];
    for (const algorithm of ['direct', 'lagged'] as const) {
      for (const [name, chunk, message] of bad) {
        it(`${name} throws and leaves the state bit-for-bit unchanged (${algorithm})`, function () {
          const series = correlatedSeries(new Random(71), 2, 60);
          const options = { channels: 2, pastLags: 3, futureLags: 2, algorithm, center: true };
          const moments = feed(new LaggedMoments(options), series, [25]);
          const control = feed(new LaggedMoments(options), series, [25]);
          assert.throws(() => moments.update(chunk as number[]), (err: Error) => {
            assert.match(err.message, message);
            return err instanceof ConfigError || err instanceof ShapeError;
          });
          assert.equal(snapshot(moments), snapshot(control));
          // and the stream continues exactly as if the bad chunk had never come
          feed(moments, series.map((ch) => ch.slice(25)), [35]);
          feed(control, series.map((ch) => ch.slice(25)), [35]);
          assert.equal(snapshot(moments), snapshot(control));
        });
      }
    }

    it('a single-channel chunk with a non-number names the value, not a channel count', function () {
      const moments = new LaggedMoments({ pastLags: 2, futureLags: 1 });
      assert.throws(() => moments.update(['1', 2] as unknown as number[]), (err: Error) => err instanceof ConfigError && /chunk\[0\] must be a finite number \(got "1"\)/.test(err.message));
      assert.throws(() => moments.update([null, 2] as unknown as number[]), (err: Error) => err instanceof ConfigError && /chunk\[0\] must be a finite number \(got null\)/.test(err.message));
      assert.equal(moments.samplesSeen, 0);
    });

    it('a single-channel accumulator rejects a nested chunk with two channels', function () {
      const moments = new LaggedMoments({ pastLags: 2, futureLags: 2 });
      assert.throws(() => moments.update([[1, 2], [3, 4]]), ShapeError);
      assert.equal(moments.samplesSeen, 0);
    });

    it('a series key longer than MAX_SERIES_KEY_LENGTH is refused before anything is kept (issue 13: 10 MB names)', function () {
      const moments = new LaggedMoments({ pastLags: 2, futureLags: 1 });
      assert.throws(() => moments.update([1, 2, 3], 'x'.repeat(MAX_SERIES_KEY_LENGTH + 1)), (err: Error) => err instanceof ConfigError && /seriesKey must be a string of at most 1056 characters/.test(err.message));
      assert.equal(moments.openSeriesCount, 0);
      moments.update([1, 2, 3], 'x'.repeat(MAX_SERIES_KEY_LENGTH));
      assert.ok(moments.hasSeries('x'.repeat(MAX_SERIES_KEY_LENGTH)));
      // samples at the limit are accepted and their sums stay finite
      moments.update([1e50, -1e50, 1e50], 'edge');
      assert.ok(moments.finite && Number.isFinite(moments.moments().pastMoment[0]));
    });

    it('weight counts the pairs of the lagged algorithm before they are folded in', function () {
      const moments = new LaggedMoments({ pastLags: 4, futureLags: 3, algorithm: 'lagged' }).update(correlatedSeries(new Random(73), 1, 100)[0]);
      assert.equal(moments.weight, 94);
      assert.equal(moments.weight, moments.pairs);
    });

    it('accepts typed arrays', function () {
      const y = correlatedSeries(new Random(72), 1, 50)[0];
      const a = new LaggedMoments({ pastLags: 3, futureLags: 2 }).update(Float64Array.from(y));
      const b = new LaggedMoments({ pastLags: 3, futureLags: 2 }).update(y);
      assert.equal(snapshot(a), snapshot(b));
    });
  });

  describe('scaling', function () {
    it('scaling the input by c scales the moments by c² (fast-check)', function () {
      fc.assert(fc.property(
        fc.double({ min: -1e3, max: 1e3, noNaN: true }).filter((c) => Math.abs(c) > 1e-3),
        fc.boolean(), fc.constantFrom('direct' as const, 'lagged' as const), fc.integer({ min: 0, max: 1e6 }),
        (c, center, algorithm, seed) => {
          const series = correlatedSeries(new Random(seed), 2, 120);
          const options = { channels: 2, pastLags: 3, futureLags: 3, gap: 1, center, algorithm };
          const plain = batch(options, series);
          const scaled = batch(options, series.map((ch) => ch.map((x) => c * x)));
          const expected = {
            pastMoment: plain.pastMoment.map((x) => c * c * x),
            futurePastMoment: plain.futurePastMoment.map((x) => c * c * x),
            futureMoment: plain.futureMoment.map((x) => c * c * x),
          };
          assert.ok(momentsError(scaled, expected) < ROUND_OFF);
        },
      ), { seed: FC_SEED, numRuns: 60 });
    });
  });

  describe('options', function () {
    it('rejects bad options with the field name', function () {
      const cases: [object, RegExp][] = [
        [{ pastLags: 0, futureLags: 1 }, /pastLags must be an integer ≥ 1/],
        [{ pastLags: 2, futureLags: 1.5 }, /futureLags must be an integer/],
        [{ pastLags: 2, futureLags: 1, gap: -1 }, /gap must be an integer ≥ 0/],
        [{ pastLags: 2, futureLags: 1, channels: 0 }, /channels must be an integer ≥ 1/],
        [{ pastLags: 2, futureLags: 1, center: 'yes' }, /center must be true or false/],
        [{ pastLags: 2, futureLags: 1, timeConstantSamples: -1 }, /timeConstantSamples/],
        [{ pastLags: 2, futureLags: 1, algorithm: 'fast' }, /algorithm must be one of/],
        [{ pastLags: 600, futureLags: 600 }, /at most 1024/],
      ];
      for (const [options, message] of cases) {
        assert.throws(() => new LaggedMoments(options as LaggedMomentsOptions), (err: Error) => err instanceof ConfigError && message.test(err.message));
      }
    });

    it('reset() returns to the just-constructed state', function () {
      const options = { channels: 2, pastLags: 3, futureLags: 2, center: true };
      const moments = feed(new LaggedMoments(options), correlatedSeries(new Random(81), 2, 50), [50]);
      moments.reset();
      assert.equal(snapshot(moments), snapshot(new LaggedMoments(options)));
      assert.throws(() => moments.moments(), NotEnoughDataError);
    });
  });

  describe('truncatePastLags', function () {
    it('the first m lags of moments at M lags are the moments at m of the same pairs (series without their first M − m samples)', function () {
      const rng = new Random(18);
      const series = [correlatedSeries(rng, 2, 300), correlatedSeries(rng, 2, 120)];
      const M = 9, h = 3, g = 1;
      const wide = new LaggedMoments({ channels: 2, pastLags: M, futureLags: h, gap: g });
      series.forEach((s, i) => wide.update(s, `s${i}`));
      for (const m of [1, 4, 9]) {
        const narrow = truncatePastLags(wide.moments(), 2, m);
        const expected = oracleMoments(series.map((s) => s.map((channel) => channel.slice(M - m))), m, h, g);
        assert.equal(narrow.pastDimension, 2 * m);
        assert.ok(momentsError(narrow, expected) < ROUND_OFF, `m = ${m}`);
      }
      assert.throws(() => truncatePastLags(wide.moments(), 2, 10), /pastLags/);
      assert.throws(() => truncatePastLags(wide.moments(), 2, 0), /pastLags/);
    });
  });
});
