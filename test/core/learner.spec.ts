import * as assert from 'assert';
import { LaggedMoments, PastFutureLearner, Random } from '../../core';

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
});
