import * as assert from 'assert';
import { ConfigError, LaggedMoments, NotEnoughDataError, PastFutureLearner, Random } from '../../core';
import { simulateAr } from '../helpers/oracles';

function noiseChannels(channels: number, length: number, seed: number): Float64Array[] {
  const random = new Random(seed);
  return Array.from({ length: channels }, () => {
    const out = new Float64Array(length);
    for (let i = 1; i < length; i++) out[i] = 0.6 * out[i - 1] + random.gaussian();
    return out;
  });
}

describe('core/learner', function () {
  it("'channels' pooling equals one scalar accumulator fed each channel as its own series", function () {
    const data = noiseChannels(4, 500, 1);
    const learner = new PastFutureLearner({ pastLags: 3, futureLags: 2 });
    learner.update(data.map((c) => c.subarray(0, 200)), 'row');
    learner.update(data.map((c) => c.subarray(200)), 'row');
    const oracle = new LaggedMoments({ pastLags: 3, futureLags: 2 });
    data.forEach((channel, c) => oracle.update(channel, `px${c}`));
    const a = learner.moments.moments(), b = oracle.moments();
    assert.strictEqual(a.pairs, 4 * (500 - 4));
    a.pastMoment.forEach((v, i) => assert.ok(Math.abs(v - b.pastMoment[i]) < 1e-12 * Math.abs(b.pastMoment[0])));
  });

  it("'joint' pooling learns filters over all channels' lags", function () {
    const learner = new PastFutureLearner({ pooling: 'joint', channels: 2, pastLags: 2, futureLags: 1 });
    learner.update(noiseChannels(2, 300, 2));
    const fit = learner.solve();
    assert.strictEqual(fit.pastFilters[0].length, 4);
    assert.throws(() => learner.update(noiseChannels(3, 10, 3)), /3 channels; expected 2/);
  });

  it('restart ends the series first, so no pair bridges a gap', function () {
    const [x] = noiseChannels(1, 100, 4);
    const learner = new PastFutureLearner({ pastLags: 2, futureLags: 1 });
    learner.update([x.subarray(0, 50)], 's');
    learner.update([x.subarray(50)], 's', { restart: true });
    assert.strictEqual(learner.moments.pairs, 2 * (50 - 2));
  });

  it('state survives toJSON/load, open series included, and a mismatched state is rejected', function () {
    const data = noiseChannels(2, 400, 5);
    const whole = new PastFutureLearner({ pastLags: 3, futureLags: 3 });
    whole.update(data);
    const first = new PastFutureLearner({ pastLags: 3, futureLags: 3 });
    first.update(data.map((c) => c.subarray(0, 150)));
    const restored = new PastFutureLearner({ pastLags: 3, futureLags: 3 });
    restored.load(JSON.parse(JSON.stringify(first.toJSON())));
    restored.update(data.map((c) => c.subarray(150)));
    const a = whole.solve(), b = restored.solve();
    assert.strictEqual(b.pairs, a.pairs);
    a.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - b.correlations[i]) < 1e-12));
    assert.throws(() => new PastFutureLearner({ pastLags: 4, futureLags: 3 }).load(first.toJSON()), /pastLags/);
    assert.throws(() => restored.load({ format: 'x' }), /resu-learner version 1/);
  });
  it('a chunk that would exceed the open-series cap is rejected before any channel is learned', function () {
    const learner = new PastFutureLearner({ pastLags: 1, futureLags: 1 });
    const wide = Array.from({ length: 4000 }, () => [1, 2]);
    learner.update(wide, 'a');
    const pairs = learner.moments.pairs;
    assert.throws(() => learner.update(Array.from({ length: 200 }, () => [1, 2, 3]), 'b'), /too many open series/);
    assert.strictEqual(learner.moments.pairs, pairs);
    assert.strictEqual(learner.moments.openSeries.length, 4000);
  });

  describe("pastLags: 'auto'", function () {
    const AR3 = [1.1, -0.86, 0.4];

    it('chooses the AR order of pooled channels and solves on the first m lags: the fit of a fixed learner on the same pairs', function () {
      const P = 40, h = 4;
      const channels = Array.from({ length: 4 }, (_, c) => simulateAr(new Random(30 + c), AR3, 30_000));
      const auto = new PastFutureLearner({ pastLags: 'auto', futureLags: h, memory: { maxPastLags: P } });
      assert.equal(auto.memory, null);
      for (let i = 0; i < 30_000; i += 5000) auto.update(channels.map((x) => x.subarray(i, i + 5000)), 'row');
      const fit = auto.solve();
      assert.equal(auto.memory!.order, 3);
      assert.equal(fit.pastLags, 3);
      assert.equal(auto.windowLength, P + h);
      // the same pairs at m = 3: each channel without its first P − 3 samples
      const fixed = new PastFutureLearner({ pastLags: 3, futureLags: h });
      fixed.update(channels.map((x) => x.subarray(P - 3)), 'row');
      const expected = fixed.solve();
      assert.equal(fit.pairs, expected.pairs);
      fit.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - expected.correlations[i]) < 1e-9));
      fit.pastFilters.forEach((row, i) => row.forEach((w, k) => assert.ok(Math.abs(w - expected.pastFilters[i][k]) < 1e-7 * Math.max(1, Math.abs(w)))));
    });

    it('follows a change of process under forgetting: AR(2), then AR(3) after the switch', function () {
      const learner = new PastFutureLearner({ pastLags: 'auto', futureLags: 2, timeConstantSamples: 20_000, memory: { maxPastLags: 20 } });
      learner.update(simulateAr(new Random(40), [0.9, -0.5], 60_000));
      assert.equal(learner.solve().pastLags, 2);
      learner.update(simulateAr(new Random(41), AR3, 150_000));
      assert.equal(learner.solve().pastLags, 3);
      assert.ok(learner.memory!.effectiveSamples > 35_000 && learner.memory!.effectiveSamples < 45_000, 'N_eff ≈ 2τ');
    });

    it('state survives toJSON/load; fixed and automatic states do not mix; reset forgets the choice', function () {
      const x = simulateAr(new Random(50), AR3, 6000);
      const options = { pastLags: 'auto' as const, futureLags: 3, memory: { maxPastLags: 12 } };
      const whole = new PastFutureLearner(options);
      whole.update(x);
      const first = new PastFutureLearner(options);
      first.update(x.subarray(0, 2500));
      const restored = new PastFutureLearner(options);
      restored.load(JSON.parse(JSON.stringify(first.toJSON())));
      restored.update(x.subarray(2500));
      const a = whole.solve(), b = restored.solve();
      assert.equal(b.pastLags, a.pastLags);
      a.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - b.correlations[i]) < 1e-12));
      assert.throws(() => new PastFutureLearner({ pastLags: 12, futureLags: 3 }).load(first.toJSON()), /autocovariance/);
      assert.throws(() => restored.load(new PastFutureLearner({ pastLags: 12, futureLags: 3 }).toJSON()), /autocovariance/);
      assert.throws(() => new PastFutureLearner({ ...options, memory: { maxPastLags: 11 } }).load(first.toJSON()), /pastLags|maxLag/);
      restored.reset();
      assert.equal(restored.memory, null);
      assert.throws(() => restored.solve(), NotEnoughDataError);
    });

    it('rejects non-finite, overflowing and oversized input without touching the moments or the autocovariance (issue 13)', function () {
      const learner = new PastFutureLearner({ pastLags: 'auto', futureLags: 2, memory: { maxPastLags: 8 } });
      const x = simulateAr(new Random(60), AR3, 3000);
      learner.update([x.subarray(0, 1000), x.subarray(1000, 2000)], 'row');
      const before = JSON.stringify(learner.toJSON());
      const bad: [string, () => void, RegExp][] = [
        ['NaN in the second channel', () => learner.update([[1, 2, 3], [4, NaN, 6]], 'row'), /chunk\[1\]\[1\] must be a finite number/],
        ['Infinity', () => learner.update([1, Infinity], 'row'), /chunk\[1\] must be a finite number/],
        ['a sample of 1e200 (its products overflow)', () => learner.update([[1, 2], [3, 1e200]], 'row'), /chunk\[1\]\[1\] must be a number within ±1e50/],
        ['a 10⁴-character series name', () => learner.update([1, 2, 3], 'x'.repeat(10_000)), /series must be a string of at most 1024 characters/],
        ['a chunk opening more series than the cap', () => learner.update(Array.from({ length: 5000 }, () => [1, 2]), 'wide'), /too many open series/],
      ];
      for (const [what, update, message] of bad) {
        assert.throws(update, message, what);
        assert.equal(JSON.stringify(learner.toJSON()), before, `${what}: state untouched`);
      }
      // the largest accepted samples keep every sum finite, so the choice and the solve still work
      learner.update([Float64Array.from(x.subarray(2000), (v) => v * 1e49)], 'loud');
      assert.ok(Number.isFinite(learner.solve().correlations[0]));
      assert.ok(learner.memory!.pastLags >= 1);
    });

    it('solves on merged statistics (peers): m from its own samples, the fit of one fixed-m learner over all pairs', function () {
      const P = 30, h = 4;
      const own = simulateAr(new Random(60), AR3, 40_000), peer = simulateAr(new Random(61), AR3, 30_000);
      const local = new PastFutureLearner({ pastLags: 'auto', futureLags: h, memory: { maxPastLags: P } });
      local.update(own, 'own');
      const remote = new PastFutureLearner({ pastLags: P, futureLags: h }); // a peer's statistics at the same P
      remote.update(peer, 'peer');
      const merged = LaggedMoments.fromJSON(local.moments.toJSON());
      merged.merge(remote.moments);
      const fit = local.solve({}, merged);
      assert.equal(local.memory!.order, 3);
      const reference = new PastFutureLearner({ pastLags: 3, futureLags: h });
      reference.update(own.subarray(P - 3), 'own');
      reference.update(peer.subarray(P - 3), 'peer');
      const expected = reference.solve();
      assert.equal(fit.pairs, expected.pairs);
      fit.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - expected.correlations[i]) < 1e-9));
      // statistics of another P are refused, naming the setting; with no samples of its own the choice cannot be made
      const other = new PastFutureLearner({ pastLags: P + 1, futureLags: h });
      other.update(peer);
      assert.throws(() => local.solve({}, other.moments), /pastLags = 31; this learner has pastLags = 30/);
      const empty = new PastFutureLearner({ pastLags: 'auto', futureLags: h, memory: { maxPastLags: P } });
      assert.throws(() => empty.solve({}, remote.moments), (err: Error) => err instanceof NotEnoughDataError && /own samples/.test(err.message));
    });

    it('rejects what it cannot do, naming the setting', function () {
      assert.throws(() => new PastFutureLearner({ pooling: 'joint', channels: 2, pastLags: 'auto', futureLags: 1 }), (err: Error) => err instanceof ConfigError && /pastLags/.test(err.message) && /joint/.test(err.message));
      assert.throws(() => new PastFutureLearner({ pastLags: 'auto', futureLags: 900 }), /memory.maxPastLags/);
      assert.throws(() => new PastFutureLearner({ pastLags: 'auto', futureLags: 5, memory: { criterion: 'hq' as never } }), /memory.criterion/);
      assert.throws(() => new PastFutureLearner({ pastLags: 'automatic' as never, futureLags: 5 }), /pastLags/);
      assert.throws(() => new PastFutureLearner({ pastLags: 4, futureLags: 5 }).estimateMemory(), /"auto"/);
      // a joint learner of one channel is one scalar process: allowed
      assert.ok(new PastFutureLearner({ pooling: 'joint', channels: 1, pastLags: 'auto', futureLags: 1 }).automaticPastLags);
    });
  });
});
