import * as assert from 'assert';
import { createStatisticsMessage, LaggedMoments, Random, solvePastFutureCca, StatisticsPool } from '../../core';

function ar(length: number, a: number, seed: number): Float64Array {
  const random = new Random(seed);
  const out = new Float64Array(length);
  for (let i = 1; i < length; i++) out[i] = a * out[i - 1] + random.gaussian();
  return out;
}

const OPTIONS = { pastLags: 4, futureLags: 3 };

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0, norm = 0;
  for (let i = 0; i < a.length; i++) { diff += (a[i] - b[i]) ** 2; norm += b[i] ** 2; }
  return Math.sqrt(diff / norm);
}

describe('core/federation', function () {
  const x = ar(3000, 0.7, 1), y = ar(2000, 0.7, 2), z = ar(2500, 0.7, 3);

  it('an aggregator of snapshots equals one learner that saw every stream', function () {
    const single = new LaggedMoments(OPTIONS);
    single.update(x, 'x').update(y, 'y').update(z, 'z');
    const deviceA = new LaggedMoments(OPTIONS).update(x, 'x');
    const deviceB = new LaggedMoments(OPTIONS).update(y.subarray(0, 1000), 'y');
    const aggregator = new LaggedMoments(OPTIONS).update(z, 'z');
    const pool = new StatisticsPool(aggregator.options, 'cca', 'agg');
    assert.strictEqual(pool.offer(createStatisticsMessage('B', 1, 'cca', deviceB)), 'applied');
    deviceB.update(y.subarray(1000), 'y');
    const snapshotB2 = JSON.parse(JSON.stringify(createStatisticsMessage('B', 2, 'cca', deviceB)));
    const snapshotA = JSON.parse(JSON.stringify(createStatisticsMessage('A', 7, 'cca', deviceA)));
    assert.strictEqual(pool.offer(snapshotA), 'applied');
    assert.strictEqual(pool.offer(snapshotB2), 'applied');
    assert.strictEqual(pool.offer(snapshotB2), 'repeat');
    assert.strictEqual(pool.offer(createStatisticsMessage('B', 1, 'cca', deviceB)), 'stale');
    assert.strictEqual(pool.offer(createStatisticsMessage('agg', 1, 'cca', aggregator)), 'own');
    const merged = pool.mergedWith(aggregator);
    const a = merged.moments(), b = single.moments();
    assert.strictEqual(a.pairs, b.pairs);
    // sums add exactly; only the summation order differs (round-off ≈ 1e-15 relative)
    assert.ok(relativeError(a.pastMoment, b.pastMoment) < 1e-9);
    assert.ok(relativeError(a.futurePastMoment, b.futurePastMoment) < 1e-9);
    const fa = solvePastFutureCca(merged), fb = solvePastFutureCca(single);
    assert.ok(relativeError(fa.correlations, fb.correlations) < 1e-9);
  });

  it('is order-independent', function () {
    const devices = [x, y, z].map((series, i) => createStatisticsMessage(`d${i}`, 1, 'cca', new LaggedMoments(OPTIONS).update(series)));
    const forward = new StatisticsPool(new LaggedMoments(OPTIONS).options, 'cca');
    const backward = new StatisticsPool(new LaggedMoments(OPTIONS).options, 'cca');
    devices.forEach((d) => forward.offer(d));
    [...devices].reverse().forEach((d) => backward.offer(d));
    const empty = new LaggedMoments(OPTIONS);
    const a = forward.mergedWith(empty).moments(), b = backward.mergedWith(empty).moments();
    assert.ok(relativeError(a.pastMoment, b.pastMoment) < 1e-12);
  });

  it('rejects snapshots of another configuration, kind or version, and malformed ones, without changing state', function () {
    const pool = new StatisticsPool(new LaggedMoments(OPTIONS).options, 'cca');
    pool.offer(createStatisticsMessage('ok', 1, 'cca', new LaggedMoments(OPTIONS).update(x)));
    const other = createStatisticsMessage('bad', 1, 'cca', new LaggedMoments({ pastLags: 5, futureLags: 3 }).update(x));
    assert.throws(() => pool.offer(other), /pastLags/);
    assert.throws(() => pool.offer({ ...other, kind: 't4' }), /"t4" learner/);
    assert.throws(() => pool.offer({ ...other, version: 2 }), /version 2/);
    assert.throws(() => pool.offer({ ...other, source: '' }), /statistics.source/);
    assert.throws(() => pool.offer({ ...other, sequence: -1 }), /statistics.sequence/);
    assert.throws(() => pool.offer({ format: 'resu-statistics', version: 1, source: 's', sequence: 1, kind: 'cca', moments: { format: 'nope' } }), /format/);
    assert.throws(() => pool.offer('hello'), /resu-statistics object/);
    assert.deepStrictEqual(pool.sources, { ok: 1 });
  });
});
