import * as assert from 'assert';
import {
  axisTriplets, ConfigError, createLattice, edgeProbe2d, FirFilter, LaggedMoments, mirrorDeviation, mirrorT4Weights, Random, ShapeError,
  solveMirroredT4, solveMirroredT4Moments, solvePastFutureCca, summarizeDirectionTuning, T4Layer, T4PairTrainer, T4Series, T4SeriesBuffer, trainGatedT4Pair,
  WeightedT4Moments,
} from '../../core';
import { mirrorSymmetricMoments } from '../../core/t4Plasticity';

/** Six T4 channels of 3 pixels seeing a smoothed random pattern move one pixel per 3 samples (L1 = rectified derivative). */
function series(direction: 'right' | 'left', length: number, seed: number): Float64Array[] {
  const random = new Random(seed);
  const field = Float64Array.from({ length: length + 20 }, () => random.gaussian());
  for (let i = 1; i < field.length; i++) field[i] = 0.8 * field[i - 1] + field[i];
  const out: Float64Array[] = [];
  for (let p = 0; p < 3; p++) {
    const delay = (direction === 'right' ? p : 2 - p) * 3;
    const l3 = Float64Array.from({ length }, (_, t) => field[t + 10 - delay]);
    out.push(l3, Float64Array.from({ length }, (_, t) => Math.max(t > 0 ? l3[t] - l3[t - 1] : 0, 0)));
  }
  return out;
}

/** The same series with the left and right pixel blocks swapped. */
const mirror = (s: T4Series): Float64Array[] => [s[4], s[5], s[2], s[3], s[0], s[1]];
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe('core/t4Plasticity', function () {
  const stream = [series('right', 1500, 1), series('left', 1500, 2), series('right', 800, 3), series('left', 800, 4)];

  it('WeightedT4Moments with weight 1 are the T4 layer\'s uncentered moments (m = h = 1, future delay ahead)', function () {
    const weighted = new WeightedT4Moments(5), oracle = new LaggedMoments({ channels: 6, pastLags: 1, futureLags: 1, gap: 4 });
    stream.forEach((s, i) => { weighted.update(s); oracle.update(s, `s${i}`); });
    const a = weighted.moments(), b = oracle.moments();
    assert.strictEqual(a.pairs, b.pairs);
    for (const key of ['pastMoment', 'futurePastMoment', 'futureMoment'] as const) assert.ok(maxDiff(a[key], b[key]) < 1e-12, key);
  });

  it('weights act as multiplicities: 0/1 weights select a slice, weight 2 counts a series twice (also through add), a common factor cancels', function () {
    const s = stream[0];
    const gated = new WeightedT4Moments(5).update(s, Float64Array.from({ length: 1500 }, (_, t) => (t >= 200 && t < 700 ? 1 : 0)));
    const slice = new WeightedT4Moments(5).update(s.map((c) => c.slice(200, 705)));
    assert.strictEqual(gated.pairs, 500);
    const twice = new WeightedT4Moments(5).update(s, new Float64Array(1500).fill(2)).update(stream[1]);
    const repeated = new WeightedT4Moments(5).update(s).update(s).update(stream[1]);
    const scaled = new WeightedT4Moments(5).update(s, new Float64Array(1500).fill(7));
    const plain = new WeightedT4Moments(5).update(s);
    const added = new WeightedT4Moments(5).update(stream[1]).add(new WeightedT4Moments(5).update(s), 2);
    assert.throws(() => plain.add(new WeightedT4Moments(4)), /delay 4 to moments with delay 5/);
    for (const key of ['pastMoment', 'futurePastMoment', 'futureMoment'] as const) {
      assert.ok(maxDiff(gated.moments()[key], slice.moments()[key]) < 1e-12, `slice ${key}`);
      assert.ok(maxDiff(twice.moments()[key], repeated.moments()[key]) < 1e-12, `twice ${key}`);
      assert.ok(maxDiff(scaled.moments()[key], plain.moments()[key]) < 1e-12, `scaled ${key}`);
      assert.ok(maxDiff(added.moments()[key], twice.moments()[key]) < 1e-12, `add × 2 ${key}`);
    }
  });

  it('mirrored moments are mirror-symmetric, so the mirrored scheme\'s directions are exactly even or odd and unit 2 = mirror(unit 1)', function () {
    const fit = solveMirroredT4(stream);
    assert.deepStrictEqual(Array.from(fit.mirrored), Array.from(mirrorT4Weights(fit.weights)));
    for (const filter of fit.fit.pastFilters) {
      const m = mirrorT4Weights(filter), scale = Math.max(...Array.from(filter, Math.abs));
      assert.ok(Math.min(maxDiff(m, filter), maxDiff(m, filter.map((x) => -x))) < 1e-9 * scale, 'even or odd');
    }
    const symmetric = solvePastFutureCca(mirrorSymmetricMoments(new WeightedT4Moments(5).update(stream[0]).moments()), { pinnedTap: 3 });
    const ofMirror = solvePastFutureCca(mirrorSymmetricMoments(new WeightedT4Moments(5).update(mirror(stream[0])).moments()), { pinnedTap: 3 });
    assert.ok(maxDiff(symmetric.correlations, ofMirror.correlations) < 1e-12, 'a stream and its mirror image give the same symmetric moments');
    assert.ok(maxDiff(mirrorT4Weights(fit.symmetric), fit.symmetric) < 1e-9 * Math.max(...Array.from(fit.symmetric, Math.abs)), 'the symmetric start is even');
  });

  it('the mirrored scheme streams: moments accumulated chunk by chunk (LaggedMoments, as a T4 layer keeps them) give solveMirroredT4\'s units', function () {
    const streamed = new LaggedMoments({ channels: 6, pastLags: 1, futureLags: 1, gap: 4 });
    stream.forEach((s, i) => {
      for (let start = 0; start < s[0].length; start += 113) streamed.update(s.map((c) => c.subarray(start, start + 113)), `s${i}`);
      streamed.endSeries(`s${i}`);
    });
    const batch = solveMirroredT4(stream), online = solveMirroredT4Moments(streamed.moments());
    const scale = Math.max(...Array.from(batch.weights, Math.abs));
    assert.ok(maxDiff(online.weights, batch.weights) < 1e-9 * scale, `${online.weights} vs ${batch.weights}`);
    assert.ok(maxDiff(online.correlations, batch.correlations) < 1e-12);
    assert.deepStrictEqual(Array.from(online.mirrored), Array.from(mirrorT4Weights(online.weights)));
    assert.ok(maxDiff(solveMirroredT4Moments(streamed.moments(), 1e-10, 1).weights, batch.symmetric) < 1e-9 * Math.max(...Array.from(batch.symmetric, Math.abs)), 'component 1 is the symmetric direction');
    assert.throws(() => solveMirroredT4Moments(streamed.moments(), 1e-10, 7), /component must be an integer/);
  });

  it('an odd mirrored direction is signed by convention (L1 larger at the negative end), not by the round-off of its zero centre weight', function () {
    const odd = solveMirroredT4(stream).fit.pastFilters.findIndex((f) => maxDiff(mirrorT4Weights(f), f.map((x) => -x)) < 1e-9 * Math.max(...Array.from(f, Math.abs)));
    const forward = new WeightedT4Moments(5), backward = new WeightedT4Moments(5);
    stream.forEach((s) => forward.update(s));
    [...stream].reverse().forEach((s) => backward.update(s.map((c) => c.slice()))); // another summation order
    const [a, b] = [forward, backward].map((m) => solveMirroredT4Moments(m.moments(), 1e-10, odd + 1).weights);
    assert.ok(a[1] - a[5] > 0, `L1 left ${a[1]} > L1 right ${a[5]}`);
    assert.ok(maxDiff(a, b) < 1e-9 * Math.max(...Array.from(a, Math.abs)), `${a} vs ${b}: the same unit 1 whatever the order`);
  });

  it('T4SeriesBuffer keeps streamed series whole (any chunking), splits them at restarts, and stops at its cap', function () {
    const whole = new T4SeriesBuffer();
    stream.forEach((s, i) => whole.add(s, `s${i}`, { end: true }));
    assert.deepStrictEqual(whole.series(), stream.map((s) => s.map((c) => Float64Array.from(c))));
    const chunked = new T4SeriesBuffer();
    const [a, b] = [stream[0], stream[1]];
    for (let start = 0; start < 1500; start += 250) { // two series interleaved, the second left open
      chunked.add(a.map((c) => c.subarray(start, start + 250)), 'a', { end: start + 250 >= 1500 });
      chunked.add(b.map((c) => c.subarray(start, start + 250)), 'b');
    }
    assert.strictEqual(chunked.openSeries, 1);
    assert.deepStrictEqual(chunked.series(), [a, b].map((s) => s.map((c) => Float64Array.from(c))));
    assert.strictEqual(trainGatedT4Pair(chunked.series(), { seed: 3, rounds: 2 }).weights[0].length, 6, 'the gated scheme takes them as they are');
    const restarted = new T4SeriesBuffer();
    restarted.add(a.map((c) => c.subarray(0, 100)), 'a');
    restarted.add(a.map((c) => c.subarray(300, 400)), 'a', { restart: true });
    assert.deepStrictEqual(restarted.series().map((s) => s[0].length), [100, 100], 'a gap starts a new series');
    const capped = new T4SeriesBuffer(1000);
    assert.strictEqual(capped.add(a, 'a'), 1000);
    assert.strictEqual(capped.add(b, 'b'), 0);
    assert.deepStrictEqual([capped.samples, capped.dropped], [1000, 2000]);
    assert.deepStrictEqual(capped.series()[0][5], a[5].slice(0, 1000));
    assert.throws(() => capped.add([a[0]], 'c'), ShapeError);
    assert.throws(() => capped.add(a.map((c, i) => (i === 2 ? Float64Array.of(Number.NaN, ...c.subarray(1)) : c)), 'c'), /channels\[2\]\[0\]/);
    assert.deepStrictEqual([capped.samples, capped.dropped, capped.series().length], [1000, 2000, 1], 'a refused chunk changes nothing');
    capped.reset();
    assert.deepStrictEqual([capped.samples, capped.dropped, capped.series().length], [0, 0, 0]);
    assert.throws(() => new T4SeriesBuffer(0), ConfigError);
    // one-sample chunks, each its own series: the piece cap binds long before the sample cap
    const tiny = new T4SeriesBuffer(1000, 3);
    const one = (t: number): Float64Array[] => a.map((c) => c.subarray(t, t + 1));
    for (let t = 0; t < 5; t++) tiny.add(one(t), `one${t}`, { end: true });
    assert.deepStrictEqual([tiny.samples, tiny.dropped, tiny.series().length], [3, 2, 3]);
    const joined = new T4SeriesBuffer(1000, 3);
    for (let t = 0; t < 3; t++) joined.add(one(t), 'long', { end: t === 2 });
    assert.strictEqual(joined.add(one(3), 'next', { end: true }), 1, 'a closed series is one piece again');
    assert.deepStrictEqual(joined.series().map((s) => s[0].length), [3, 1]);
    assert.throws(() => new T4SeriesBuffer(10, 0), ConfigError);
  });

  it('gated plasticity is mirror-equivariant: the mirrored stream from the mirrored start gives mirrored units', function () {
    const start = [0.7, 0.1, -0.2, 0.3, -0.5, 0.05];
    for (const gate of ['pair', 'series'] as const) {
      for (const adopt of ['closest', 'second'] as const) {
        const a = trainGatedT4Pair(stream, { seed: 1, start, perturbation: 0, rounds: 3, gate, adopt });
        const b = trainGatedT4Pair(stream.map(mirror), { seed: 1, start: mirrorT4Weights(start), perturbation: 0, rounds: 3, gate, adopt });
        const scale = Math.max(...Array.from(a.weights[0], Math.abs));
        assert.ok(maxDiff(b.weights[0], mirrorT4Weights(a.weights[0])) < 1e-8 * scale, `${gate}/${adopt}`);
        assert.ok(maxDiff(a.weights[0], a.weights[1]) === 0, 'without a perturbation both units are the same');
      }
    }
  });

  it('a unit learns from the pairs its own rectified response lets through: the second direction of those pairs\' moments', function () {
    // unit e0 (L3_left only); L3_left = +1 for t < 600 and −1 after: its gate opens on the first 600 pairs only
    const s = stream[0].map((c, i) => (i === 0 ? Float64Array.from(c, (_, t) => (t < 600 ? 1 : -1)) : c));
    const pair = trainGatedT4Pair([s], { seed: 1, start: [1, 0, 0, 0, 0, 0], perturbation: 0, rounds: 1, adopt: 'second' });
    const expected = solvePastFutureCca(new WeightedT4Moments(5).update(s.map((c) => c.slice(0, 605))).moments(), { pinnedTap: 3 }).pastFilters[1];
    const sign = expected[0] < 0 ? -1 : 1; // signed to agree with the start
    assert.ok(maxDiff(pair.weights[0], expected.map((x) => sign * x)) < 1e-9);
    assert.deepStrictEqual(pair.rounds[0].gateOpen.map((g) => Math.round(g * 1495)), [600, 600]);
  });

  it('is deterministic for a seed and perturbs the two units independently', function () {
    const a = trainGatedT4Pair(stream, { seed: 5, rounds: 2 }), b = trainGatedT4Pair(stream, { seed: 5, rounds: 2 });
    assert.deepStrictEqual(a, b);
    const c = trainGatedT4Pair(stream, { seed: 5, rounds: 1, perturbation: 0.5 });
    assert.ok(maxDiff(c.weights[0], c.weights[1]) > 1e-6);
  });

  it('rejects bad series and options; a unit that never responds is reported', function () {
    assert.throws(() => trainGatedT4Pair([], { seed: 1 }), /series must be a non-empty array/);
    assert.throws(() => trainGatedT4Pair([stream[0].slice(0, 5)], { seed: 1 }), ShapeError);
    assert.throws(() => trainGatedT4Pair([[...stream[0].slice(0, 5), new Float64Array(3)]], { seed: 1 }), /series\[0\]\[5\] must be a Float64Array of length 1500/);
    const bad = stream[0].map((c, i) => (i === 2 ? Float64Array.from(c, (x, t) => (t === 9 ? Number.NaN : x)) : c));
    assert.throws(() => trainGatedT4Pair([bad], { seed: 1 }), /series\[0\]\[2\]\[9\] must be a finite number/);
    assert.throws(() => trainGatedT4Pair(stream, { seed: 1, gate: 'slow' as never }), /gate must be one of "pair", "series"/);
    assert.throws(() => trainGatedT4Pair(stream, { seed: -1 }), ConfigError);
    assert.throws(() => trainGatedT4Pair(stream, { seed: 1, thresholdSd: 100 }), /every gate was 0/);
    assert.throws(() => new WeightedT4Moments(5).update(stream[0], new Float64Array(3)), /weights has 3 values; the series has 1495 pairs/);
  });

  describe('T4PairTrainer (two units on a streaming T4 layer)', function () {
    /** Feeds a stream to a trainer in chunks of 200 samples, each series ending with its last chunk. */
    const feed = (trainer: T4PairTrainer, part: readonly T4Series[]): void => part.forEach((s, i) => {
      for (let start = 0; start < s[0].length; start += 200) {
        const piece = s.map((c) => c.subarray(start, start + 200));
        trainer.learn([piece[0], piece[2], piece[4]], [piece[1], piece[3], piece[5]], `s${i}`, { end: start + 200 >= s[0].length });
      }
    });

    it('mirrored training gives mirrored units: unit 2 is exactly mirror(unit 1), the batch scheme\'s pair, and the same pair from the mirrored stream', function () {
      const trainer = new T4PairTrainer(new T4Layer(), { scheme: 'mirrored' });
      feed(trainer, stream);
      const fit = trainer.solveWith(trainer.layer.statistics), batch = solveMirroredT4(stream);
      assert.deepStrictEqual(Array.from(fit.units[1]), Array.from(mirrorT4Weights(fit.units[0])));
      assert.strictEqual(fit.mirrorDeviation, 0);
      const scale = Math.max(...Array.from(batch.weights, Math.abs));
      assert.ok(maxDiff(fit.units[0], batch.weights) < 1e-9 * scale, 'streamed = batch');
      assert.deepStrictEqual(trainer.layer.unitWeights!.map((w) => Array.from(w)), fit.units.map((w) => Array.from(w)), 'the layer applies both');
      const flipped = new T4PairTrainer(new T4Layer(), { scheme: 'mirrored' });
      feed(flipped, stream.map(mirror));
      assert.ok(maxDiff(flipped.solveWith(flipped.layer.statistics).units[0], fit.units[0]) < 1e-9 * scale, 'mirror-symmetric moments do not see which way the stream leans');
    });

    it('the mirrored units\' tuning curves on a lattice are reflections: r2(θ) = r1(180° − θ), exactly', function () {
      // on this stream the second direction is the even one (both units alike): take the first odd one
      const odd = solveMirroredT4(stream).fit.pastFilters.findIndex((f) => maxDiff(mirrorT4Weights(f), f.map((x) => -x)) < 1e-9 * Math.max(...Array.from(f, Math.abs)));
      assert.ok(odd >= 1, 'an odd direction');
      const trainer = new T4PairTrainer(new T4Layer({ component: odd + 1 }), { scheme: 'mirrored' });
      feed(trainer, stream);
      trainer.solveWith(trainer.layer.statistics);
      const lattice = createLattice({ rows: 3, columns: 3 }), triplets = axisTriplets(lattice, 'horizontal').filter((t) => t[1] === 4);
      const directionsDeg = Array.from({ length: 12 }, (_, i) => 30 * i);
      const curves = [[], []] as number[][];
      for (const directionDeg of directionsDeg) {
        const x = edgeProbe2d({ positions: lattice.points, directionDeg, segmentLength: 200, segments: 4, noiseSd: 0 });
        // layer 1 as in the training stream: L3 the signal, L1 its rectified derivative
        const l3 = x, l1 = new FirFilter([1, -1], 9).process(x).map((c) => c.map((v) => Math.max(v, 0)));
        // peaks in the ON segments (even ones: the edges cross mid-segment, ≤ 10 samples apart): a linear odd unit answers a null OFF edge as a preferred ON edge
        trainer.layer.apply(l3, l1, undefined, triplets).forEach((response, u) => curves[u].push(Math.max(...response.filter((_, k) => k >= 10 && Math.floor(k / 200) % 2 === 0))));
      }
      directionsDeg.forEach((deg, i) => {
        const reflected = directionsDeg.indexOf((540 - deg) % 360);
        assert.ok(Math.abs(curves[1][i] - curves[0][reflected]) < 1e-12, `r2(${deg}°) = r1(${directionsDeg[reflected]}°)`);
      });
      const [p1, p2] = curves.map((c) => summarizeDirectionTuning(directionsDeg, c));
      assert.ok(p1.vectorDsi > 0.1 && Math.abs(p1.vectorDsi - p2.vectorDsi) < 1e-9, `equally tuned (vector DSI ${p1.vectorDsi}, ${p2.vectorDsi})`);
      assert.ok(Math.abs(((p1.preferredDirectionDeg! + p2.preferredDirectionDeg! + 180) % 360) - 0) < 1e-6 || Math.abs(((p1.preferredDirectionDeg! + p2.preferredDirectionDeg! + 180) % 360) - 360) < 1e-6,
        `preferred ${p1.preferredDirectionDeg}° and ${p2.preferredDirectionDeg}°: reflections about the vertical`);
    });

    it('the gated schemes keep the streamed series and give the batch trainGatedT4Pair\'s units; reset forgets them', function () {
      for (const [scheme, gate, adopt] of [['gated', 'pair', 'closest'], ['gatedEpisode', 'series', 'second']] as const) {
        const trainer = new T4PairTrainer(new T4Layer(), { scheme, seed: 3, rounds: 3 });
        feed(trainer, stream);
        assert.strictEqual(trainer.buffer!.samples, stream.reduce((n, s) => n + s[0].length, 0));
        const fit = trainer.solveWith(trainer.layer.statistics);
        const batch = trainGatedT4Pair(stream, { seed: 3, rounds: 3, gate, adopt, start: solveMirroredT4(stream).symmetric });
        fit.units.forEach((w, u) => assert.ok(maxDiff(w, batch.weights[u]) < 1e-8, `${scheme} unit ${u + 1}`));
        assert.ok(Math.abs(fit.mirrorDeviation - mirrorDeviation(batch.weights[0], batch.weights[1])) < 1e-8);
        trainer.reset();
        assert.deepStrictEqual([trainer.buffer!.samples, trainer.layer.pairs, trainer.layer.currentWeights], [0, 0, null]);
      }
      const capped = new T4PairTrainer(new T4Layer(), { scheme: 'gated', bufferSamples: 10 });
      capped.learn([stream[0][0].subarray(0, 4), stream[0][2].subarray(0, 4), stream[0][4].subarray(0, 4)], [stream[0][1].subarray(0, 4), stream[0][3].subarray(0, 4), stream[0][5].subarray(0, 4)]);
      assert.throws(() => capped.solveWith(capped.layer.statistics), /NotEnoughData|needs|no kept training series/);
      assert.throws(() => new T4PairTrainer(new T4Layer(), { scheme: 'hebbian' as never }), /scheme must be one of/);
      assert.strictEqual(new T4PairTrainer(new T4Layer(), { scheme: 'mirrored' }).buffer, null, 'the mirrored scheme keeps no samples');
    });
  });
});
