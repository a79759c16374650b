import * as assert from 'assert';
import { createStatisticsMessage, LaggedMoments, Random, solvePastFutureCca, StatisticsPool } from '../../core';
import { canonicalJSON, RESYNC_AFTER, StatisticsRejection, verifyStatistics } from '../../core/federation';

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

describe('core/federation trust model (issue 13)', function () {
  const x = ar(3000, 0.7, 11), hostile = ar(3000, -0.6, 12);
  const local = (): LaggedMoments => new LaggedMoments(OPTIONS).update(x, 'x');
  const SECRET = 'correct horse battery staple';
  const snapshot = (source: string, sequence: number, moments: LaggedMoments, extra: { epoch?: string; secret?: string } = {}) =>
    JSON.parse(JSON.stringify(createStatisticsMessage(source, sequence, 'cca', moments, extra)));
  /** A snapshot whose counts and sums are all multiplied by `factor` (consistent, so plausible). */
  const scaled = (message: Record<string, any>, factor: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
    const m = message.moments;
    return { ...message, moments: { ...m, pairs: m.pairs * factor, weight: m.weight * factor, samplesSeen: m.samplesSeen * factor, sumOuterUpper: m.sumOuterUpper.map((v: number) => v * factor), sum: m.sum.map((v: number) => v * factor) } };
  };
  const reasonOf = (fn: () => unknown): string => {
    try { fn(); } catch (err) { return err instanceof StatisticsRejection ? err.reason : `${(err as Error).name}: ${(err as Error).message}`; }
    return 'accepted';
  };

  describe('signatures (HMAC-SHA256 over the canonical JSON)', function () {
    it('a pool with a secret merges only snapshots signed with it, and counts the others', function () {
      const pool = new StatisticsPool(local().options, 'cca', { sharedSecret: SECRET });
      const device = new LaggedMoments(OPTIONS).update(ar(2000, 0.7, 13));
      const signed = snapshot('dev', 1, device, { epoch: 'e1', secret: SECRET });
      assert.match(signed.signature, /^hmac-sha256:[0-9a-f]{64}$/);
      assert.strictEqual(reasonOf(() => pool.offer(snapshot('spoof', 1, device))), 'unsigned');
      assert.strictEqual(reasonOf(() => pool.offer(snapshot('spoof', 1, device, { secret: 'another secret of 16+ chars' }))), 'bad-signature');
      // a signed snapshot tampered with after signing (counts × 10⁹) no longer verifies
      assert.strictEqual(reasonOf(() => pool.offer({ ...scaled(signed, 1e9), signature: signed.signature })), 'bad-signature');
      // keys in another order (another JSON writer) verify: the signature covers the canonical form
      const reordered = Object.fromEntries(Object.entries(signed).reverse());
      assert.strictEqual(pool.offer(reordered), 'applied');
      assert.deepStrictEqual(pool.rejected, { malformed: 0, unsigned: 1, 'bad-signature': 2, implausible: 0, full: 0 });
      assert.deepStrictEqual(pool.sources, { dev: 1 });
      assert.ok(verifyStatistics(signed, SECRET) && !verifyStatistics(signed, `${SECRET}x`));
    });

    it('canonicalJSON sorts keys, keeps JSON numbers and leaves out undefined members', function () {
      assert.strictEqual(canonicalJSON({ b: [1, 0.1, -0, 1e21], a: { d: null, c: 'x', u: undefined } }), '{"a":{"c":"x","d":null},"b":[1,0.1,0,1e+21]}');
    });
  });

  describe('plausibility', function () {
    const pool = () => new StatisticsPool(local().options, 'cca');
    const base = () => snapshot('p', 1, new LaggedMoments(OPTIONS).update(ar(2000, 0.5, 14)));

    it('rejects entries of 1e308, a negative Σx², a correlation above 1, counts that do not add up, and NaN; state untouched', function () {
      const p = pool();
      const good = base();
      const attacks: [string, (m: Record<string, any>) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
        ['1e308 entries', (m) => { m.sumOuterUpper = m.sumOuterUpper.map(() => 1e308); }, /Σx² of entry 0 is 1e\+308/],
        ['negative diagonal', (m) => { m.sumOuterUpper[0] = -1; }, /Σx² of entry 0 is -1 < 0/],
        ['|Σxᵣxₛ| > √(Σxᵣ² Σxₛ²)', (m) => { m.sumOuterUpper[1] = 2 * Math.sqrt(m.sumOuterUpper[0] * m.sumOuterUpper[OPTIONS.pastLags + OPTIONS.futureLags]); }, /exceeds √/],
        ['(Σx)² > W Σx²', (m) => { m.sum[0] = 10 * Math.sqrt(m.weight * m.sumOuterUpper[0]); }, /\(Σx\)² of entry 0/],
        ['pairs × 10⁹ only', (m) => { m.pairs *= 1e9; m.weight *= 1e9; }, /pairs from .* samples/],
        ['weight ≠ pairs without forgetting', (m) => { m.weight = m.pairs / 2; }, /weight .* differs/],
      ];
      for (const [name, attack, pattern] of attacks) {
        const message = base();
        attack(message.moments);
        assert.throws(() => p.offer(message), (err: Error) => err instanceof StatisticsRejection && err.reason === 'implausible' && pattern.test(err.message), name);
      }
      const nan = base();
      nan.moments.sum[2] = NaN;
      assert.throws(() => p.offer(nan), /sum\[2\] must be a finite number/);
      assert.strictEqual(p.size, 0);
      assert.strictEqual(p.rejected.implausible, attacks.length);
      assert.strictEqual(p.rejected.malformed, 1);
      // afterwards a good snapshot merges and the merged statistics solve to a finite fit
      assert.strictEqual(p.offer(good), 'applied');
      const fit = solvePastFutureCca(p.mergedWith(local()));
      assert.ok(fit.correlations.every(Number.isFinite) && fit.correlations[0] < 1);
    });
  });

  describe('peer share cap', function () {
    it('without a cap one snapshot with counts × 10⁹ replaces the filters; with cap c its share of the pooled weight is exactly c', function () {
      const mine = local();
      const attacker = scaled(snapshot('attacker', 1, new LaggedMoments(OPTIONS).update(hostile, 'h')), 1e9);
      const open = new StatisticsPool(mine.options, 'cca');
      open.offer(attacker);
      const poisoned = solvePastFutureCca(open.mergedWith(mine));
      const own = solvePastFutureCca(mine);
      // AR(1) with a < 0: the leading filter flips its alternation; the attacker's statistics dominate
      assert.ok(Math.abs(poisoned.correlations[0] - solvePastFutureCca(new LaggedMoments(OPTIONS).update(hostile)).correlations[0]) < 1e-6);
      const c = 0.25;
      const capped = new StatisticsPool(mine.options, 'cca', { maxPeerShare: c });
      capped.offer(attacker);
      const merged = capped.mergedWith(mine);
      assert.strictEqual(capped.capped, 1);
      // water-filling with one capped peer: pooled weight T = W_local / (1 − c), the peer's share c·T
      const W = mine.weight, T = W / (1 - c);
      assert.ok(Math.abs(merged.weight - T) < 1e-9 * T, `weight ${merged.weight} vs ${T}`);
      const a = merged.moments(), l = mine.moments(), h = new LaggedMoments(OPTIONS).update(hostile, 'h').moments();
      for (let i = 0; i < a.pastMoment.length; i++) {
        const expected = (1 - c) * l.pastMoment[i] + c * h.pastMoment[i];
        assert.ok(Math.abs(a.pastMoment[i] - expected) < 1e-9 * Math.abs(l.pastMoment[0]), `Rp[${i}]`);
      }
      assert.ok(solvePastFutureCca(merged).correlations[0] < poisoned.correlations[0] + 1 && own.correlations[0] > 0);
    });

    it('water-filling over several peers: every capped peer holds exactly c; a lone peer is the whole pool', function () {
      const c = 0.2;
      const mine = new LaggedMoments(OPTIONS).update(ar(1000, 0.7, 21));
      const pool = new StatisticsPool(mine.options, 'cca', { maxPeerShare: c });
      const peers = [1, 2, 30, 40].map((factor, i) => scaled(snapshot(`p${i}`, 1, new LaggedMoments(OPTIONS).update(ar(1000, 0.7, 30 + i))), factor));
      peers.forEach((p) => pool.offer(p));
      const merged = pool.mergedWith(mine);
      const [w0, w1, w2] = [mine.weight, peers[0].moments.weight, peers[1].moments.weight];
      // by hand: peers × 40, × 30 and × 2 each exceed c of the pool; with k = 3 capped peers the pool
      // is T = (W_local + W_p0) / (1 − 3c) and each capped peer holds c·T; p0 (× 1) stays at or below c·T
      const T = (w0 + w1) / (1 - 3 * c);
      assert.strictEqual(pool.capped, 3);
      assert.ok(Math.abs(merged.weight - T) < 1e-9 * T, `${merged.weight} vs ${T}`);
      assert.ok(w1 <= c * T * (1 + 1e-12) && w2 > c * T);
      const lone = new StatisticsPool(mine.options, 'cca', { maxPeerShare: c });
      lone.offer(peers[0]);
      assert.strictEqual(lone.mergedWith(new LaggedMoments(OPTIONS)).weight, peers[0].moments.weight);
    });
  });

  describe('sequence numbers cannot lock a source out', function () {
    const genuine = new LaggedMoments(OPTIONS).update(ar(1500, 0.7, 15));
    const fake = new LaggedMoments(OPTIONS).update(hostile);

    it('without a secret: a spoofed 2⁵³ − 1 is held as a jump; a spoofed max in step is overridden after 3 genuine snapshots', function () {
      const pool = new StatisticsPool(genuine.options, 'cca');
      assert.strictEqual(pool.offer(snapshot('dev', 1, genuine, { epoch: 'E' })), 'applied');
      assert.strictEqual(pool.offer(snapshot('dev', Number.MAX_SAFE_INTEGER, fake, { epoch: 'E' })), 'jump');
      assert.strictEqual(pool.offer(snapshot('dev', 2, genuine, { epoch: 'E' })), 'applied', 'the jump did not lock the source out');
      // a spoofer who stays within the jump bound moves the highest sequence; the real device
      // (counting on from 3) is followed again after RESYNC_AFTER consistent snapshots
      assert.strictEqual(pool.offer(snapshot('dev', 1000, fake, { epoch: 'E' })), 'applied');
      const results = [3, 4, 5, 6].map((sequence) => pool.offer(snapshot('dev', sequence, genuine, { epoch: 'E' })));
      assert.deepStrictEqual(results, ['stale', 'stale', 'applied', 'applied']);
      assert.strictEqual(RESYNC_AFTER, 3);
      assert.deepStrictEqual(pool.sources, { dev: 6 });
      // a restart (new epoch) starts again at sequence 1
      assert.strictEqual(pool.offer(snapshot('dev', 1, genuine, { epoch: 'E2' })), 'applied');
    });

    it('with a secret: spoofs are refused, a restart (new epoch) is followed, replays of an earlier run are stale', function () {
      const pool = new StatisticsPool(genuine.options, 'cca', { sharedSecret: SECRET });
      const first = [1, 2, 3].map((s) => snapshot('dev', s, genuine, { epoch: 'E', secret: SECRET }));
      first.forEach((m) => assert.strictEqual(pool.offer(m), 'applied'));
      assert.strictEqual(reasonOf(() => pool.offer(snapshot('dev', Number.MAX_SAFE_INTEGER, fake, { epoch: 'E' }))), 'unsigned');
      assert.strictEqual(pool.offer(snapshot('dev', 1, genuine, { epoch: 'E2', secret: SECRET })), 'applied', 'restart');
      assert.strictEqual(pool.offer(first[1]), 'stale', 'replay of the earlier run');
      assert.strictEqual(pool.offer(first[2]), 'repeat');
      assert.strictEqual(pool.offer(snapshot('dev', 2, genuine, { epoch: 'E2', secret: SECRET })), 'applied');
    });
  });

  describe('memory', function () {
    it('keeps no open-series tails: a snapshot with 4096 open series costs what one without does', function () {
      const moments = new LaggedMoments(OPTIONS);
      for (let s = 0; s < 4096; s++) moments.update([1, 2, 3], `s${s}`);
      const message = snapshot('tails', 1, moments);
      assert.strictEqual(message.moments.openSeries.length, 4096);
      const pool = new StatisticsPool(moments.options, 'cca');
      pool.offer(message);
      const bare = new StatisticsPool(moments.options, 'cca');
      bare.offer({ ...message, moments: { ...message.moments, openSeries: [] } });
      assert.strictEqual(pool.bytes, bare.bytes);
      assert.ok(pool.bytes < 4096, `${pool.bytes} bytes`);
    });

    it('is bounded in bytes: a new source beyond the budget is refused, known sources still update', function () {
      const moments = new LaggedMoments(OPTIONS).update(x);
      const probe = new StatisticsPool(moments.options, 'cca');
      probe.offer(snapshot('a', 1, moments));
      const pool = new StatisticsPool(moments.options, 'cca', { maxBytes: 2.5 * probe.bytes });
      pool.offer(snapshot('a', 1, moments));
      pool.offer(snapshot('b', 1, moments));
      assert.strictEqual(reasonOf(() => pool.offer(snapshot('c', 1, moments))), 'full');
      assert.strictEqual(pool.offer(snapshot('a', 2, moments)), 'applied');
      assert.strictEqual(pool.size, 2);
      assert.ok(pool.bytes <= 2.5 * probe.bytes);
    });

    it('merges incrementally: after 300 updates from 12 sources the pool equals one merge of the newest snapshots (1e-12)', function () {
      const rng = new Random(77);
      const pool = new StatisticsPool(new LaggedMoments(OPTIONS).options, 'cca');
      const devices = Array.from({ length: 12 }, () => new LaggedMoments({ ...OPTIONS, center: false }));
      const sequences = new Array<number>(12).fill(0);
      for (let k = 0; k < 300; k++) {
        const d = Math.floor(rng.uniform() * 12);
        devices[d].update(ar(50 + Math.floor(rng.uniform() * 200), 0.7, 1000 + k), `r${k}`);
        pool.offer(snapshot(`d${d}`, ++sequences[d], devices[d]));
      }
      const reference = new LaggedMoments(OPTIONS);
      devices.forEach((d, i) => { if (sequences[i] > 0) reference.merge(LaggedMoments.fromJSON(d.toJSON(), OPTIONS)); });
      const a = pool.mergedWith(new LaggedMoments(OPTIONS)).moments(), b = reference.moments();
      assert.strictEqual(a.pairs, b.pairs);
      assert.ok(relativeError(a.pastMoment, b.pastMoment) < 1e-12);
      assert.ok(relativeError(a.futurePastMoment, b.futurePastMoment) < 1e-12);
    });
  });
});
