/**
 * Helpers of the reproduction (core/experiments/common.ts) on hand-made inputs.
 */
import { strict as assert } from 'assert';
import { centreOfMassLag, correlation, countSignChanges, deriveSeeds, findNonFinite, median, plain, round, spread, zeroCrossingLag } from '../../../core/experiments/common';

describe('core/experiments/common', function () {
  it('countSignChanges counts crossings, skips zeros and taps below 2 % of the peak, honours the tap limit', function () {
    assert.equal(countSignChanges([1, -1, 1, -1]), 3);
    assert.equal(countSignChanges([1, 0, 0, 1, -1]), 1, 'exact zeros do not split a lobe');
    assert.equal(countSignChanges([5, 0.05, -0.05, 0.05, -3]), 1, 'wiggles below 2 % of the peak (0.1) are zero');
    assert.equal(countSignChanges([5, 0.05, -0.05, 0.05, -3], 5, 0), 3, 'threshold 0: raw count');
    assert.equal(countSignChanges([1, -1, 1, -1], 2), 1, 'only the first `limit` taps');
    assert.equal(countSignChanges([]), 0);
  });

  it('correlation is Pearson (scale and offset invariant, sign-sensitive) and 0 for a constant', function () {
    const a = [1, 2, 3, 5, 8];
    assert.ok(Math.abs(correlation(a, a.map((x) => 3 * x + 7)) - 1) < 1e-15);
    assert.ok(Math.abs(correlation(a, a.map((x) => -x)) + 1) < 1e-15);
    assert.equal(correlation(a, [2, 2, 2, 2, 2]), 0);
  });

  it('deriveSeeds is deterministic and gives distinct seeds; plain makes JSON-safe arrays', function () {
    assert.deepEqual(deriveSeeds(1, 6), deriveSeeds(1, 6));
    assert.equal(new Set(deriveSeeds(1, 6)).size, 6);
    assert.notDeepEqual(deriveSeeds(1, 6), deriveSeeds(2, 6));
    assert.equal(JSON.stringify(plain(new Float64Array([1, 2]))), '[1,2]');
  });

  it('never writes a failure as 0: plain and round keep NaN (null in JSON) and findNonFinite lists every such value by path', function () {
    assert.equal(JSON.stringify(plain(new Float64Array([1, NaN, Infinity]))), '[1,null,null]');
    assert.ok(Number.isNaN(round(NaN)));
    assert.deepEqual(findNonFinite({ a: 1, b: [2, NaN], c: { d: null, e: -Infinity, f: 'x' } }), ['b[1] is NaN', 'c.d is null', 'c.e is -Infinity']);
    assert.deepEqual(findNonFinite({ a: [1, 2], b: { c: 3 } }), []);
  });

  it('zeroCrossingLag interpolates the first sign change; centreOfMassLag weights lags by |tap|; median and spread skip NaN', function () {
    assert.equal(zeroCrossingLag([3, 1, -1, -2]), 1.5, 'between lag 1 (+1) and lag 2 (−1)');
    assert.equal(zeroCrossingLag([0, -2, 2]), 1.5, 'leading zeros skipped; sign taken from the first non-zero tap');
    assert.equal(zeroCrossingLag([1, 0.5, 0.2]), null, 'no crossing');
    assert.equal(zeroCrossingLag([0, 0]), null);
    assert.equal(centreOfMassLag([1, 0, -1]), 1);
    assert.equal(centreOfMassLag([2, 1, 1]), 0.75);
    assert.ok(Number.isNaN(centreOfMassLag([0, 0])));
    assert.equal(median([3, NaN, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.ok(Number.isNaN(median([NaN])));
    assert.deepEqual(spread([1, 3, NaN]), { mean: 2, sd: Math.SQRT2, min: 1, max: 3, n: 2 });
  });
});
