/**
 * Helpers of the reproduction (core/experiments/common.ts) on hand-made inputs.
 */
import { strict as assert } from 'assert';
import { correlation, countSignChanges, deriveSeeds, plain } from '../../../core/experiments/common';

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
});
