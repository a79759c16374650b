import * as assert from 'assert';
import { axisTriplets, connectomeComparison, createLattice, LaggedMoments, MAX_OPEN_SERIES, mirrorT4Weights, Random, rowTriplets, solvePastFutureCca, T4Layer } from '../../core';
import { T4_DRIVE_SAMPLE_SIZE, tripletChannels } from '../../core/t4';

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

/**
 * A 3-pixel stimulus whose L1 follows L3 closely (L1 = max(L3 + 0.2·noise, 0)): the second direction's
 * centre-L1 weight is small and positive while its drive falls with the centre L1 input (seed 1).
 */
function correlatedInputs(seed: number): { l3: Float64Array[]; l1: Float64Array[] } {
  const random = new Random(seed), n = 3000;
  const field = new Float64Array(n + 20);
  for (let i = 1; i < field.length; i++) field[i] = 0.9 * field[i - 1] + random.gaussian();
  const l3: Float64Array[] = [], l1: Float64Array[] = [];
  for (let p = 0; p < 3; p++) {
    const signal = Float64Array.from({ length: n }, (_, t) => field[t + 10 - 3 * p]);
    l3.push(signal);
    l1.push(Float64Array.from(signal, (v) => Math.max(0, v + 0.2 * random.gaussian())));
  }
  return { l3, l1 };
}

/** Uncentered correlation of the drive w·x with the centre L1 input, straight from the data. */
function driveCorrelationWithCentreL1(weights: ArrayLike<number>, l3: Float64Array[], l1: Float64Array[]): number {
  let cross = 0, drive2 = 0, x2 = 0;
  for (let centre = 1; centre < l3.length - 1; centre++) {
    const x = tripletChannels(l3, l1, centre);
    for (let t = 0; t < x[0].length - 5; t++) { // the pairs' past samples (delay 5)
      const d = x.reduce((acc, channel, c) => acc + weights[c] * channel[t], 0);
      cross += d * x[3][t]; drive2 += d * d; x2 += x[3][t] * x[3][t];
    }
  }
  return cross / Math.sqrt(drive2 * x2);
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

  it('lattice triplets: learning and applying pool exactly the named pixels (as a row of those three pixels would)', function () {
    // a 3 × 3 lattice whose pixels carry independent patterns; the vertical triplet is (1, 4, 7)
    const pixels = Array.from({ length: 9 }, (_, p) => movingPattern(p % 2 === 0 ? 'right' : 'left', 900, 10 + p));
    const l3 = pixels.map((x) => x.l3[2]), l1 = pixels.map((x) => x.l1[2]);
    const triplets = axisTriplets(createLattice({ rows: 3, columns: 3 }), 'vertical');
    assert.deepStrictEqual(triplets, [[0, 3, 6], [1, 4, 7], [2, 5, 8]]);
    const onLattice = new T4Layer(), asRows = new T4Layer();
    for (let start = 0; start < 900; start += 300) {
      onLattice.learn(l3.map((c) => c.subarray(start, start + 300)), l1.map((c) => c.subarray(start, start + 300)), 'path', { triplets });
      for (const t of triplets) asRows.learn(t.map((i) => l3[i].subarray(start, start + 300)), t.map((i) => l1[i].subarray(start, start + 300)), `path/${t[1]}`);
    }
    assert.strictEqual(onLattice.pairs, asRows.pairs);
    const a = onLattice.solve(), b = asRows.solve();
    assert.ok(Math.max(...Array.from(a.weights, (w, i) => Math.abs(w - b.weights[i]))) < 1e-9, 'same statistics, same weights');
    const applied = onLattice.apply(l3, l1, undefined, triplets);
    triplets.forEach((t, k) => assert.deepStrictEqual(applied[k], asRows.apply(t.map((i) => l3[i]), t.map((i) => l1[i]))[0]));
    assert.deepStrictEqual(rowTriplets(4), [[0, 1, 2], [1, 2, 3]]);
    assert.throws(() => onLattice.learn(l3, l1, 'x', { triplets: [[0, 1, 9]] }), /triplets\[0\]\[2\] must be an integer ≥ 0 and ≤ 8/);
    assert.throws(() => onLattice.apply(l3, l1, undefined, [[0, 1, 2], [3, 1, 5]]), /triplets\[1\] must be a triplet whose centre 1 no other triplet has/);
  });

  it('several units: apply answers with each at every triplet (unit-major); the state keeps them', function () {
    const { l3, l1 } = movingPattern('right', 400, 3);
    const layer = new T4Layer({ threshold: 0.1 });
    const w1 = [0.5, -0.2, 0.1, 0.9, -0.4, 0.3], w2 = mirrorT4Weights(w1);
    layer.setUnitWeights([w1, w2]);
    const out = layer.apply(l3, l1);
    assert.strictEqual(out.length, 2 * 3);
    const single = new T4Layer({ threshold: 0.1 });
    single.setWeights(w2);
    assert.deepStrictEqual(out.slice(3), single.apply(l3, l1), 'unit 2 at the three triplets');
    assert.deepStrictEqual(Array.from(layer.currentWeights!), w1);
    const copy = new T4Layer({ threshold: 0.1 });
    copy.load(JSON.parse(JSON.stringify(layer.toJSON())));
    assert.deepStrictEqual(copy.unitWeights!.map((w) => Array.from(w)), [w1, Array.from(w2)]);
    assert.throws(() => layer.setUnitWeights([]), /units must be 1 … 8 weight vectors/);
    assert.throws(() => copy.load({ ...layer.toJSON(), units: [w1] }), /T4 state units must be 2 … 8 weight vectors/);
  });

  it('connectome comparison normalizes each triplet by its absolute sum and mirrors on request', function () {
    const w = [0.2, 0.37, -0.38, 1.37, -0.09, 0.34];
    const result = connectomeComparison(w);
    assert.ok(Math.abs(result.cosineSimilarity - 1) < 1e-12);
    const sum = 0.37 + 1.37 + 0.34;
    assert.ok(Math.abs(result.model.L1[1] - 1.37 / sum) < 1e-12);
    assert.ok(connectomeComparison(mirrorT4Weights(w), true).cosineSimilarity > 1 - 1e-12);
  });

  it('a chunk that would open more than MAX_OPEN_SERIES triplet series, or holds a bad value, is refused before any triplet is learned', function () {
    const layer = new T4Layer({ delay: 1 });
    const row = (pixels: number, value = 1): Float64Array[] => Array.from({ length: pixels }, (_, p) => Float64Array.from({ length: 4 }, (_, t) => value * (p + t + 1)));
    // 1365 rows of 5 pixels hold 3 triplets each: 4095 series open
    for (let r = 0; r < 1365; r++) layer.learn(row(5), row(5), `row-${r}`);
    const before = JSON.stringify(layer.toJSON());
    assert.throws(() => layer.learn(row(5), row(5), 'one-more'), /too many series in flight: 4095 triplet series open, this chunk would open 3 more \(at most 4096\)/);
    assert.equal(MAX_OPEN_SERIES, 4096);
    const bad = row(5); bad[4][2] = 1e60;
    assert.throws(() => layer.learn(row(5), bad, 'row-0'), /l1\[4\]\[2\] must be a number within ±1e50/);
    assert.throws(() => layer.learn(row(5), row(5), 'y'.repeat(1025)), /series must be a string of at most 1024 characters/);
    assert.equal(JSON.stringify(layer.toJSON()), before, 'nothing learned');
    layer.learn(row(5), row(5), 'row-0'); // continuing an open series opens nothing
    layer.learn(row(3), row(3), 'last', { end: true });
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

  it('signs each direction so its drive rises with the centre L1 (ON) input; the old centre-weight rule can pick the other sign', function () {
    const { l3, l1 } = correlatedInputs(1);
    const layer = new T4Layer();
    layer.learn(l3, l1);
    const fit = layer.solve();
    const correlation = driveCorrelationWithCentreL1(fit.weights, l3, l1);
    assert.ok(correlation > 0.1, `corr(drive, L1 centre) ${correlation}`);
    assert.ok(Math.abs(fit.signMargin - correlation) < 1e-9, `signMargin ${fit.signMargin} vs ${correlation}`);
    fit.fit.pastFilters.forEach((filter, k) => assert.ok(driveCorrelationWithCentreL1(filter, l3, l1) >= 0, `direction ${k + 1}`));
    assert.deepStrictEqual(Array.from(fit.fit.pastFilters[1]), Array.from(fit.weights), 'the filters message carries the signed direction');
    const old = new T4Layer({ signRule: 'centre-weight' });
    old.learn(l3, l1);
    const oldFit = old.solve();
    assert.ok(oldFit.weights[3] > 0 && driveCorrelationWithCentreL1(oldFit.weights, l3, l1) < 0, 'on these data the centre weight points the other way');
    oldFit.weights.forEach((w, i) => assert.ok(Math.abs(w + fit.weights[i]) < 1e-12, 'same direction, opposite sign'));
    assert.deepStrictEqual(fit.fit.warnings, []);
  });

  it('thresholdQuantile sets θ at each solve to that quantile of the training drive (exact below the sample size)', function () {
    const { l3, l1 } = movingPattern('right', 300, 5); // 3 triplets × 300 = 900 vectors < 2048: all kept
    const layer = new T4Layer({ thresholdQuantile: 0.9 });
    layer.learn(l3, l1);
    const fit = layer.solve();
    const drives: number[] = [];
    for (let centre = 1; centre < 4; centre++) {
      const x = tripletChannels(l3, l1, centre);
      for (let t = 0; t < 300; t++) drives.push(x.reduce((acc, channel, c) => acc + fit.weights[c] * channel[t], 0));
    }
    drives.sort((a, b) => a - b);
    const position = 0.9 * (drives.length - 1), below = Math.floor(position);
    const expected = drives[below] + (position - below) * (drives[below + 1] - drives[below]);
    assert.ok(expected > 0);
    assert.ok(Math.abs(fit.threshold - expected) < 1e-12 && layer.threshold === fit.threshold, `θ ${fit.threshold} vs ${expected}`);
    // the responses use it: the training vectors driving the unit above θ, at most 10 % (triplets
    // of this pattern repeat each other's inputs, so drives tie)
    const active = layer.apply(l3, l1).reduce((acc, response) => acc + response.filter((r) => r > 0).length, 0);
    assert.strictEqual(active, drives.filter((d) => d > fit.threshold).length);
    assert.ok(active <= 90 && active >= 80, `${active} of 900 responses above θ`);
    // state round-trips (θ and the sample); reset forgets both
    const restored = new T4Layer({ thresholdQuantile: 0.9 });
    restored.load(JSON.parse(JSON.stringify(layer.toJSON())));
    assert.strictEqual(restored.threshold, fit.threshold);
    assert.strictEqual(restored.solve().threshold, fit.threshold);
    layer.reset();
    assert.strictEqual(layer.toJSON().driveSample!.vectors.length, 0);
    assert.strictEqual(new T4Layer({ threshold: 0.3 }).toJSON().driveSample, undefined, 'a fixed θ keeps no sample');
    assert.throws(() => new T4Layer({ thresholdQuantile: 1 }), /thresholdQuantile/);
  });

  it('the drive sample stays at 2048 vectors, uniformly drawn: its quantile is within sampling error of the full data\'s', function () {
    const { l3, l1 } = movingPattern('left', 20_000, 6); // 60 000 vectors
    const layer = new T4Layer({ thresholdQuantile: 0.8, seed: 7 });
    for (let start = 0; start < 20_000; start += 5000) layer.learn(l3.map((c) => c.subarray(start, start + 5000)), l1.map((c) => c.subarray(start, start + 5000)), 's', { end: start + 5000 === 20_000 });
    const fit = layer.solve();
    assert.strictEqual(layer.toJSON().driveSample!.vectors.length, 6 * T4_DRIVE_SAMPLE_SIZE);
    let below = 0, total = 0;
    for (let centre = 1; centre < 4; centre++) {
      const x = tripletChannels(l3, l1, centre);
      for (let t = 0; t < 20_000; t++) { total++; if (x.reduce((acc, channel, c) => acc + fit.weights[c] * channel[t], 0) <= fit.threshold) below++; }
    }
    // the empirical CDF at a sample quantile of n draws: sd √(q(1 − q)/n); 4 sd
    const tolerance = 4 * Math.sqrt((0.8 * 0.2) / T4_DRIVE_SAMPLE_SIZE);
    assert.ok(Math.abs(below / total - 0.8) < tolerance, `F(θ) = ${below / total}`);
  });

  it("'probe-sd' scaling divides each input by its own sd, adds seeded noise and uses the weights for unit-sd inputs", function () {
    const { l3, l1 } = movingPattern('right', 2000, 8);
    const layer = new T4Layer();
    layer.learn(l3, l1);
    const fit = layer.solve();
    const probe = movingPattern('right', 400, 9);
    const sd = (x: Float64Array): number => { const m = x.reduce((a, v) => a + v, 0) / x.length; return Math.sqrt(x.reduce((a, v) => a + (v - m) ** 2, 0) / x.length); };
    const [response] = layer.apply(probe.l3, probe.l1, { mode: 'probe-sd', noiseSd: 0 });
    const x = tripletChannels(probe.l3, probe.l1, 1);
    for (const t of [0, 17, 399]) {
      const drive = x.reduce((acc, channel, c) => acc + fit.normalizedWeights[c] * channel[t] / sd(channel), 0);
      assert.ok(Math.abs(response[t] - Math.max(drive, 0)) < 1e-12, `t ${t}`);
    }
    // invariant to any positive scaling of the probe channels (that is its point)
    const scaled = layer.apply(probe.l3.map((c) => c.map((v) => 7 * v)), probe.l1.map((c) => c.map((v) => 0.1 * v)), { mode: 'probe-sd', noiseSd: 0 })[0];
    scaled.forEach((v, t) => assert.ok(Math.abs(v - response[t]) < 1e-9));
    const noisy = layer.apply(probe.l3, probe.l1, { mode: 'probe-sd', seed: 3 })[0];
    assert.deepStrictEqual(layer.apply(probe.l3, probe.l1, { mode: 'probe-sd', seed: 3 })[0], noisy, 'seeded');
    assert.ok(noisy.some((v, t) => v !== response[t]), 'noise sd 0.02 by default');
    const adopted = new T4Layer();
    adopted.setWeights(fit.weights);
    assert.throws(() => adopted.apply(probe.l3, probe.l1, { mode: 'probe-sd' }), /training channel sds/);
    assert.throws(() => layer.apply(probe.l3, probe.l1, { mode: 'sideways' as never }), /scaling\.mode/);
  });
});
