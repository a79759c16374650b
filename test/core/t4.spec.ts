import * as assert from 'assert';
import { connectomeComparison, LaggedMoments, mirrorT4Weights, Random, solvePastFutureCca, T4Layer, tripletChannels } from '../../core';

/** A seeded 5-pixel stimulus: a smoothed random pattern moving one pixel per `step` samples. */
function movingPattern(direction: 'right' | 'left', length: number, seed: number): { l3: Float64Array[]; l1: Float64Array[] } {
  const random = new Random(seed);
  const pixels = 5, step = 3;
  const field = Float64Array.from({ length: length + pixels * step + 10 }, () => random.gaussian());
  for (let i = 1; i < field.length; i++) field[i] = 0.8 * field[i - 1] + field[i]; // smooth
  const l3: Float64Array[] = [], l1: Float64Array[] = [];
  for (let p = 0; p < pixels; p++) {
    const delay = (direction === 'right' ? p : pixels - 1 - p) * step;
    const signal = Float64Array.from({ length }, (_, t) => field[t + pixels * step - delay]);
    l3.push(signal);
    l1.push(Float64Array.from({ length }, (_, t) => Math.max(t > 0 ? signal[t] - signal[t - 1] : 0, 0)));
  }
  return { l3, l1 };
}

describe('core/t4', function () {
  it('tripletChannels orders [L3, L1] left, centre, right', function () {
    const l3 = [0, 1, 2].map((p) => Float64Array.of(10 + p)), l1 = [0, 1, 2].map((p) => Float64Array.of(20 + p));
    assert.deepStrictEqual(tripletChannels(l3, l1, 1).map((c) => c[0]), [10, 20, 11, 21, 12, 22]);
  });

  it('learns the 2nd canonical direction of the delayed uncentered CCA, centre L1 positive', function () {
    const { l3, l1 } = movingPattern('right', 4000, 1);
    const layer = new T4Layer({ delay: 5 });
    layer.learn(l3, l1, 'a');
    const fit = layer.solve();
    // independent oracle: pool the triplets' pairs in a LaggedMoments and solve with the pin
    const oracle = new LaggedMoments({ channels: 6, pastLags: 1, futureLags: 1, gap: 4 });
    for (let centre = 1; centre < 4; centre++) oracle.update(tripletChannels(l3, l1, centre), `t${centre}`);
    const expected = solvePastFutureCca(oracle, { pinnedTap: 3 });
    assert.ok(fit.weights[3] > 0);
    fit.weights.forEach((w, i) => assert.ok(Math.abs(w - expected.pastFilters[1][i]) < 1e-10));
    fit.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - expected.correlations[i]) < 1e-12));
  });

  it('mirrored training gives mirrored weights and equal correlations', function () {
    const right = movingPattern('right', 4000, 2);
    const mirrored = { l3: [...right.l3].reverse(), l1: [...right.l1].reverse() };
    const a = new T4Layer(), b = new T4Layer();
    a.learn(right.l3, right.l1);
    b.learn(mirrored.l3, mirrored.l1);
    const fa = a.solve(), fb = b.solve();
    // exact up to round-off: the pooled pairs are the same set with channels permuted
    const expected = mirrorT4Weights(fa.weights);
    fb.weights.forEach((w, i) => assert.ok(Math.abs(w - expected[i]) < 1e-9, `${i}: ${w} vs ${expected[i]}`));
    fb.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - fa.correlations[i]) < 1e-12));
  });

  it('normalizedWeights equal the weights learned on sd-normalized inputs (CCA scaling equivariance)', function () {
    const { l3, l1 } = movingPattern('left', 3000, 3);
    const raw = new T4Layer();
    raw.learn(l3, l1);
    const fit = raw.solve();
    const sdOf = (channels: Float64Array[]): number => {
      let n = 0, s = 0, q = 0;
      for (const c of channels) for (const x of c) { n++; s += x; q += x * x; }
      return Math.sqrt(q / n - (s / n) ** 2);
    };
    // per-triplet channel sds differ slightly by pixel; the layer pools channel c over all triplets
    const perChannel = [0, 1, 2, 3, 4, 5].map((c) => sdOf([1, 2, 3].map((centre) => tripletChannels(l3, l1, centre)[c])));
    // scale the inputs per channel type and position as the pooled sds do: apply to each triplet directly
    const moments = new LaggedMoments({ channels: 6, pastLags: 1, futureLags: 1, gap: 4 });
    for (let centre = 1; centre < 4; centre++) {
      moments.update(tripletChannels(l3, l1, centre).map((c, k) => c.map((x) => x / perChannel[k])), `t${centre}`);
    }
    const scaled = solvePastFutureCca(moments, { pinnedTap: 3 }).pastFilters[1];
    fit.normalizedWeights.forEach((w, i) => assert.ok(Math.abs(w - scaled[i]) < 1e-8 * Math.max(...scaled.map(Math.abs)), `${i}: ${w} vs ${scaled[i]}`));
  });

  it('apply gives max(w·x − θ, 0) per triplet', function () {
    const layer = new T4Layer({ threshold: 0.1 });
    layer.setWeights([1, -1, 0.5, 2, -0.5, 0]);
    const l3 = [Float64Array.of(1, 0), Float64Array.of(0, 1), Float64Array.of(2, 0)];
    const l1 = [Float64Array.of(0, 1), Float64Array.of(1, 0), Float64Array.of(0, 0)];
    const [response] = layer.apply(l3, l1);
    assert.deepStrictEqual(Array.from(response), [Math.max(1 + 2 - 1 - 0.1, 0), Math.max(-1 + 0.5 - 0.1, 0)]);
    assert.throws(() => layer.apply(l3.slice(0, 2), l1.slice(0, 2)), /at least 3 pixels/);
    assert.throws(() => new T4Layer().apply(l3, l1), /no weights yet/);
  });

  it('connectome comparison normalizes each triplet by its absolute sum and mirrors on request', function () {
    const w = [0.2, 0.37, -0.38, 1.37, -0.09, 0.34];
    const result = connectomeComparison(w);
    assert.ok(Math.abs(result.cosineSimilarity - 1) < 1e-12);
    const sum = 0.37 + 1.37 + 0.34;
    assert.ok(Math.abs(result.model.L1[1] - 1.37 / sum) < 1e-12);
    assert.ok(connectomeComparison(mirrorT4Weights(w), true).cosineSimilarity > 1 - 1e-12);
  });

  it('state round-trips through JSON and rejects another format', function () {
    const { l3, l1 } = movingPattern('right', 1000, 4);
    const a = new T4Layer();
    a.learn(l3, l1);
    const b = new T4Layer();
    b.load(JSON.parse(JSON.stringify(a.toJSON())));
    assert.deepStrictEqual(Array.from(b.solve().weights), Array.from(a.solve().weights));
    assert.throws(() => b.load({ format: 'other' }), /resu-t4 version 1/);
    assert.throws(() => new T4Layer({ delay: 2 }).load(a.toJSON()), /gap/);
  });
});
