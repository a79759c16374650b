import * as assert from 'assert';
import fc from 'fast-check';
import {
  ConfigError, LaggedMoments, LinearStateSpace, NotEnoughDataError, OnlinePastFutureCca, PAPER_OU_PRESET, Random, ShapeError,
  solveFromAutocovariance, solvePastFutureCca, stateSpaceAutocovariance,
} from '../../core';
import { simulateAr1 } from '../helpers/oracles';

const FC_SEED = 20240611;

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
  return ab / Math.sqrt(aa * bb);
}

function ar1(seed: number, a: number, length: number): Float64Array {
  return Float64Array.from(simulateAr1(new Random(seed), a, length));
}

/** Feeds `x` in chunks of the given lengths (the rest in one chunk). */
function feed(learner: OnlinePastFutureCca, x: Float64Array, lengths: number[], key = ''): OnlinePastFutureCca {
  let start = 0;
  for (const length of lengths) { learner.update(x.subarray(start, Math.min(x.length, start + length)), key); start = Math.min(x.length, start + length); }
  if (start < x.length) learner.update(x.subarray(start), key);
  return learner;
}

describe('core/onlineCca', function () {
  describe('convergence against analytic oracles', function () {
    it('AR(1): one canonical correlation |a|^(g+1), ψ1 = the newest sample', function () {
      for (const gap of [0, 1]) {
        const a = 0.8;
        const learner = new OnlinePastFutureCca({ pastLags: 5, futureLags: 5, gap, rank: 2, seed: 1 });
        learner.update(ar1(2 + gap, a, 60_000));
        const fit = learner.fit();
        // sampling error of ρ over 6·10⁴ pairs ≈ 0.003; the online estimate adds a little
        assert.ok(Math.abs(fit.correlations[0] - a ** (gap + 1)) < 0.02, `gap ${gap}: ρ1 ${fit.correlations[0]}`);
        // the second unit has no correlated direction to find: it is reported as noise
        assert.ok(fit.correlations[1] < 0.1, `ρ2 ${fit.correlations[1]} should be ≈ 0`);
        assert.match(fit.warnings.join(), /1 of 2 units found no direction with ρ above 0.1/);
        const newest = [1, 0, 0, 0, 0];
        assert.ok(cosine(fit.pastFilters[0], newest) > 0.99, `ψ1 ${Array.from(fit.pastFilters[0])}`);
        assert.ok(fit.pastFilters[0][0] > 0, 'sign convention: largest tap positive');
      }
    });

    it('the paper OU process: ψ1, ψ2 and ρ1, ρ2 approach the population values (Lyapunov)', function () {
      const m = 25;
      const population = solveFromAutocovariance(stateSpaceAutocovariance(PAPER_OU_PRESET, 2 * m), m, m);
      const learner = new OnlinePastFutureCca({ pastLags: m, futureLags: m, seed: 3 });
      learner.update(new LinearStateSpace({ ...PAPER_OU_PRESET, seed: 4 }).next(200_000));
      const fit = learner.fit();
      for (const i of [0, 1]) {
        // batch sample ρ at 2·10⁵ samples is within ≈ 0.005 of the population (docs/reproduction.md)
        assert.ok(Math.abs(fit.correlations[i] - population.correlations[i]) < 0.015, `ρ${i + 1} ${fit.correlations[i]} vs ${population.correlations[i]}`);
        assert.ok(cosine(fit.pastFilters[i], population.pastFilters[i]) > 0.99, `ψ${i + 1} cosine ${cosine(fit.pastFilters[i], population.pastFilters[i])}`);
      }
      assert.deepStrictEqual(fit.warnings, []);
    });

    it('joint channels: a two-channel stream matches the batch solver', function () {
      // x is AR(2) (two canonical pairs), y a noisy copy of x two steps late
      const random = new Random(5);
      const n = 60_000, x = new Float64Array(n), y = new Float64Array(n);
      for (let t = 2; t < n; t++) { x[t] = 1.2 * x[t - 1] - 0.5 * x[t - 2] + random.gaussian(); y[t] = x[t - 2] + 0.5 * random.gaussian(); }
      const options = { channels: 2, pastLags: 3, futureLags: 2 };
      const fit = new OnlinePastFutureCca({ ...options, seed: 6 }).update([x, y]).fit();
      const batch = solvePastFutureCca(new LaggedMoments(options).update([x, y]), { rank: 2 });
      assert.strictEqual(fit.pastFilters[0].length, 6);
      for (const i of [0, 1]) assert.ok(Math.abs(fit.correlations[i] - batch.correlations[i]) < 0.01, `ρ${i + 1}`);
      assert.ok(cosine(fit.pastFilters[0], batch.pastFilters[0]) > 0.99);
      // the preconditioner whitens each channel in time, not across channels: y ≈ delayed x makes
      // ψ2 converge more slowly (0.96 here at 6·10⁴ samples, 0.98 at 2.4·10⁵)
      assert.ok(cosine(fit.pastFilters[1], batch.pastFilters[1]) > 0.95, `ψ2 cosine ${cosine(fit.pastFilters[1], batch.pastFilters[1])}`);
    });

    it('center: a large offset is removed by the running mean (same ρ as without it)', function () {
      const x = ar1(7, 0.6, 40_000);
      const shifted = x.map((v) => v + 1000);
      const plain = new OnlinePastFutureCca({ pastLags: 3, futureLags: 3, seed: 1 }).update(x).fit();
      const centered = new OnlinePastFutureCca({ pastLags: 3, futureLags: 3, seed: 1, center: true }).update(shifted).fit();
      assert.ok(Math.abs(centered.correlations[0] - 0.6) < 0.03, `ρ1 ${centered.correlations[0]}`);
      assert.ok(Math.abs(centered.correlations[0] - plain.correlations[0]) < 0.02);
      assert.ok(cosine(centered.pastFilters[0], plain.pastFilters[0]) > 0.99);
    });

    it('equivariant to the input\'s scale, as CCA is: s·x gives the same ρ and ψ/s (bit-identical for powers of two)', function () {
      const x = ar1(11, 0.7, 6000);
      const run = (s: number) => new OnlinePastFutureCca({ pastLags: 5, futureLags: 5, seed: 2 }).update(x.map((v) => v * s)).fit();
      const reference = run(1);
      // every operation scales exactly by a power of two, so nothing may differ at all
      for (const s of [2 ** -100, 2 ** -20, 2 ** 30, 2 ** 120]) {
        const scaled = run(s);
        assert.deepStrictEqual(scaled.correlations, reference.correlations, `s = 2^${Math.log2(s)}`);
        assert.deepStrictEqual(scaled.pastFilters.map((row) => Array.from(row, (v) => v * s)), reference.pastFilters.map((row) => Array.from(row)), `ψ × s, s = 2^${Math.log2(s)}`);
      }
      // other factors round differently, never more than round-off (before the initial filters
      // were matched to the input's scale, × 10¹⁰ moved ρ1 from 0.94 to 0.84 on an AR(2) stream)
      for (const s of [1e-12, 3, 1e10, 1e40]) {
        const scaled = run(s);
        scaled.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - reference.correlations[i]) < 1e-9, `ρ${i + 1} at s = ${s}: ${rho} vs ${reference.correlations[i]}`));
        assert.ok(cosine(scaled.pastFilters[0], reference.pastFilters[0]) > 1 - 1e-12, `ψ1 at s = ${s}`);
      }
    });

    it('a state saved before the initial scale was recorded continues as it was learned (no rescaling of learned filters)', function () {
      const x = ar1(12, 0.7, 4000);
      const learned = new OnlinePastFutureCca({ pastLags: 4, futureLags: 4, seed: 3 }).update(x.subarray(0, 2000), 's');
      const old = JSON.parse(JSON.stringify(learned.toJSON()));
      assert.strictEqual(old.initialScaleSet, true);
      delete old.initialScaleSet;
      const restored = OnlinePastFutureCca.fromJSON(old).update(x.subarray(2000), 's');
      assert.deepStrictEqual(restored.fit(), learned.update(x.subarray(2000), 's').fit());
      // a fresh state (no pairs yet) still matches its first pair's scale
      const fresh = new OnlinePastFutureCca({ pastLags: 4, futureLags: 4, seed: 3 }).toJSON() as unknown as Record<string, unknown>;
      assert.strictEqual(fresh.initialScaleSet, false);
      delete fresh.initialScaleSet;
      const scaled = OnlinePastFutureCca.fromJSON(fresh).update(x.map((v) => v * 1e10), 's').fit();
      const plain = new OnlinePastFutureCca({ pastLags: 4, futureLags: 4, seed: 3 }).update(x, 's').fit();
      scaled.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - plain.correlations[i]) < 1e-9));
    });
  });

  describe('streaming', function () {
    it('a pair is learned only once its future is complete, and never across series', function () {
      const learner = new OnlinePastFutureCca({ pastLags: 3, gap: 1, futureLags: 2 });
      const x = ar1(8, 0.5, 40);
      learner.update(x.subarray(0, 5), 'a');
      assert.strictEqual(learner.pairs, 0);
      assert.throws(() => learner.fit(), NotEnoughDataError);
      learner.update(x.subarray(5, 6), 'a');
      assert.strictEqual(learner.pairs, 1);
      learner.endSeries('a');
      learner.update(x.subarray(6, 11), 'a');
      assert.strictEqual(learner.pairs, 1, 'a new series needs its own 6 samples');
      learner.update(x.subarray(11, 40), 'b');
      const batch = new LaggedMoments({ pastLags: 3, gap: 1, futureLags: 2 });
      batch.update(x.subarray(0, 6), 'a'); batch.endSeries('a'); batch.update(x.subarray(6, 11), 'a'); batch.update(x.subarray(11, 40), 'b');
      assert.strictEqual(learner.pairs, batch.pairs);
    });

    it('any chunking of a stream gives bit-identical state (fast-check)', function () {
      const x = ar1(9, 0.7, 600);
      const reference = new OnlinePastFutureCca({ pastLags: 4, futureLags: 3, seed: 2 }).update(x).toJSON();
      fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 20 }), (lengths) => {
        const chunked = feed(new OnlinePastFutureCca({ pastLags: 4, futureLags: 3, seed: 2 }), x, lengths).toJSON();
        assert.deepStrictEqual(chunked, reference);
      }), { seed: FC_SEED, numRuns: 40 });
    });

    it("'channels' pooling learns every channel as its own series, in time order, chunk-invariantly", function () {
      const channels = [ar1(10, 0.6, 400), ar1(11, 0.6, 400), ar1(12, 0.6, 400)];
      const whole = new OnlinePastFutureCca({ pooling: 'channels', pastLags: 3, futureLags: 2, seed: 3 }).update(channels, 'row');
      const split = new OnlinePastFutureCca({ pooling: 'channels', pastLags: 3, futureLags: 2, seed: 3 });
      split.update(channels.map((c) => c.subarray(0, 123)), 'row');
      split.update(channels.map((c) => c.subarray(123)), 'row');
      assert.strictEqual(whole.pairs, 3 * (400 - 4));
      assert.deepStrictEqual(split.toJSON(), whole.toJSON());
      assert.deepStrictEqual(whole.openSeries, ['row\u00000', 'row\u00001', 'row\u00002']);
      whole.endSeries('row');
      assert.deepStrictEqual(whole.openSeries, []);
    });

    it('toJSON → JSON text → fromJSON continues exactly where it stopped', function () {
      const x = ar1(13, 0.8, 3000);
      const uninterrupted = new OnlinePastFutureCca({ pastLags: 6, futureLags: 4, rank: 3, seed: 4 }).update(x, 's');
      const first = new OnlinePastFutureCca({ pastLags: 6, futureLags: 4, rank: 3, seed: 4 }).update(x.subarray(0, 1234), 's');
      const restored = OnlinePastFutureCca.fromJSON(JSON.parse(JSON.stringify(first.toJSON())), { pastLags: 6, futureLags: 4, rank: 3, seed: 4 });
      restored.update(x.subarray(1234), 's');
      assert.deepStrictEqual(restored.toJSON(), uninterrupted.toJSON());
      assert.deepStrictEqual(restored.fit(), uninterrupted.fit());
    });

    it('reset returns to the just-constructed state; the same seed gives the same learner', function () {
      const fresh = new OnlinePastFutureCca({ pastLags: 3, futureLags: 3, seed: 5 }).toJSON();
      const used = new OnlinePastFutureCca({ pastLags: 3, futureLags: 3, seed: 5 }).update(ar1(14, 0.5, 500), 'x');
      used.reset();
      assert.deepStrictEqual(used.toJSON(), fresh);
      assert.notDeepStrictEqual(new OnlinePastFutureCca({ pastLags: 3, futureLags: 3, seed: 6 }).toJSON().pastWeights, fresh.pastWeights);
    });
  });

  describe('read-out', function () {
    it('filters follow the sign convention (largest tap positive, or a pinned tap), correlations descend', function () {
      const learner = new OnlinePastFutureCca({ pastLags: 8, futureLags: 8, rank: 3, seed: 7 });
      learner.update(new LinearStateSpace({ ...PAPER_OU_PRESET, seed: 8 }).next(20_000));
      const fit = learner.fit();
      for (let i = 1; i < 3; i++) assert.ok(fit.correlations[i] <= fit.correlations[i - 1]);
      for (const filter of fit.pastFilters) {
        let best = 0;
        filter.forEach((w, j) => { if (Math.abs(w) > Math.abs(filter[best])) best = j; });
        assert.ok(filter[best] > 0);
      }
      const pinned = learner.fit({ pinnedTap: 5 });
      pinned.pastFilters.forEach((filter, i) => {
        assert.ok(filter[5] >= 0);
        // flipping ψ_i flips its future direction with it
        const sign = Math.sign(filter[0] * fit.pastFilters[i][0]);
        fit.futureDirections[i].forEach((w, j) => assert.strictEqual(pinned.futureDirections[i][j], sign * w));
      });
      assert.throws(() => learner.fit({ pinnedTap: 8 }), /pinnedTap must be an integer ≥ 0 and ≤ 7/);
    });

    it('warns while it has learned fewer than 40 × rateDecayPairs pairs', function () {
      const learner = new OnlinePastFutureCca({ pastLags: 2, futureLags: 2, rank: 1, rateDecayPairs: 100 });
      learner.update(ar1(15, 0.5, 1000));
      assert.match(learner.fit().warnings.join(), /fewer than 40 × rateDecayPairs = 4000/);
      learner.update(ar1(16, 0.5, 4000));
      assert.deepStrictEqual(learner.fit().warnings, []);
    });

    it('state is O(k·(m + h)): no (m + h)² array, memory grows linearly with the lags', function () {
      const numbers = (m: number): number => {
        const learner = new OnlinePastFutureCca({ pastLags: m, futureLags: m, rank: 2 });
        learner.update(ar1(17, 0.5, 3 * m));
        return JSON.stringify(learner.toJSON()).split(',').length;
      };
      const small = numbers(100), large = numbers(400);
      // 2 filters × 2 sides × (weights + read-out) + the window: ≈ 9·(m + h) numbers
      assert.ok(large < 12 * 800, `${large} numbers at m = h = 400`);
      assert.ok(large / small < 4.5, `×4 lags gave ×${(large / small).toFixed(2)} numbers (linear: ≈ 4)`);
    });
  });

  describe('bad input', function () {
    it('rejects bad options with the field named', function () {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ pastLags: 0, futureLags: 2 }, /pastLags must be an integer ≥ 1/],
        [{ pastLags: 2, futureLags: 2, rank: 3 }, /rank must be an integer ≥ 1 and ≤ 2/],
        [{ pastLags: 2, futureLags: 2, learningRate: 0 }, /learningRate must be a finite number > 0 and ≤ 1/],
        [{ pastLags: 2, futureLags: 2, learningRate: 0.5, rateFloor: 0.6 }, /rateFloor must be a finite number ≥ 0 and ≤ 0.5/],
        [{ pastLags: 2, futureLags: 2, rateDecayPairs: NaN }, /rateDecayPairs must be a finite number/],
        [{ pastLags: 2, futureLags: 2, pooling: 'rows' }, /pooling must be one of "joint", "channels"/],
        [{ pastLags: 2, futureLags: 2, preconditionerOrder: 65 }, /preconditionerOrder must be an integer ≥ 0 and ≤ 64/],
        [{ pastLags: 1000, futureLags: 1000, channels: 5 }, /channels × \(pastLags \+ futureLags\) must be at most 8192/],
        [{ pastLags: 2, futureLags: 2, center: 'yes' }, /center must be true or false/],
      ];
      for (const [options, message] of cases) assert.throws(() => new OnlinePastFutureCca(options as never), (err: Error) => err instanceof ConfigError && message.test(err.message));
    });

    it('a bad chunk throws naming the sample and leaves the state untouched', function () {
      const learner = new OnlinePastFutureCca({ pastLags: 3, futureLags: 2 }).update(ar1(18, 0.5, 50), 's');
      const before = JSON.stringify(learner.toJSON());
      const bad = Array.from(ar1(19, 0.5, 20));
      bad[7] = Number.NaN;
      assert.throws(() => learner.update(bad, 's'), /chunk\[7\] must be a finite number \(got NaN\)/);
      assert.throws(() => learner.update([[1, 2], [3, 4]], 's'), /2 channels; expected 1/);
      assert.throws(() => learner.update('12', 's'), ConfigError);
      assert.throws(() => learner.update([1, 2], 5 as never), /seriesKey must be a string/);
      // issue 13: samples whose products could overflow, and unbounded series names
      assert.throws(() => learner.update([1, 1e200], 's'), /chunk\[1\] must be a number within ±1e50 \(the sample magnitude limit\)/);
      assert.throws(() => learner.update([1, 2], 'x'.repeat(1025)), /seriesKey must be a string of at most 1024 characters/);
      assert.strictEqual(JSON.stringify(learner.toJSON()), before);
    });

    it('fromJSON rejects another format, version, configuration, shape or a non-finite value', function () {
      const state = new OnlinePastFutureCca({ pastLags: 3, futureLags: 2 }).update(ar1(20, 0.5, 30), 's').toJSON();
      const mutate = (change: (copy: Record<string, any>) => void): unknown => { const copy = JSON.parse(JSON.stringify(state)); change(copy); return copy; };
      assert.throws(() => OnlinePastFutureCca.fromJSON(null), /online CCA state must be an object/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.format = 'resu-learner'; })), /format "resu-learner"; expected "resu-online-cca"/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.version = 2; })), /version 2; this library reads version 1/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(state, { pastLags: 4, futureLags: 2 }), (err: Error) => err instanceof ShapeError && /pastLags = 3 into a learner with pastLags = 4/.test(err.message));
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.pastWeights[1].pop(); })), /pastWeights\[1\] must be an array of exactly 3 numbers/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.readout.correlations = [1]; })), /readout.correlations must be an array of exactly 2 numbers/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.covariances.cross[0] = 'x'; })), /covariances.cross\[0\] must be a finite number/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.openSeries[0].tail = [[1, 2, 3, 4, 5]]; })), /must hold at most 4 samples/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.openSeries[0].key = 'x'.repeat(1057); })), /string key of at most 1056 characters/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.pairs = -1; })), /pairs must be an integer ≥ 0/);
      assert.throws(() => OnlinePastFutureCca.fromJSON(mutate((c) => { c.options.rank = 99; })), /rank must be an integer/);
      assert.doesNotThrow(() => OnlinePastFutureCca.fromJSON(JSON.parse(JSON.stringify(state))));
    });
  });
});
