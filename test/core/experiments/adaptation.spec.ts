/**
 * The adaptation time fit (core/experiments/adaptation.ts) on exact exponentials: the grid of time
 * constants is log-spaced with ratio (1000/0.05)^(1/399) ≈ 1.025, so T is recovered within 2.5 %.
 */
import { strict as assert } from 'assert';
import { fitExponentialApproach } from '../../../core/experiments/adaptation';

describe('core/experiments/adaptation: exponential approach fit', function () {
  it('recovers T, the asymptote and the starting level of a − b·exp(−t/T)', function () {
    for (const T of [0.7, 4, 12, 60]) {
      const times = Array.from({ length: 80 }, (_, i) => (i + 1) * 0.5);
      const values = times.map((t) => 0.95 - 0.6 * Math.exp(-t / T));
      const fit = fitExponentialApproach(times, values);
      assert.ok(Math.abs(fit.timeConstant / T - 1) < 0.025, `T ${fit.timeConstant} vs ${T}`);
      assert.ok(Math.abs(fit.asymptote - 0.95) < 0.02 && Math.abs(fit.initial - 0.35) < 0.02, JSON.stringify(fit));
    }
  });

  it('reports no approach (NaN) for a falling or flat trace and for too few points', function () {
    const times = Array.from({ length: 30 }, (_, i) => i + 1);
    assert.ok(Number.isNaN(fitExponentialApproach(times, times.map((t) => 0.3 + 0.5 * Math.exp(-t / 5))).timeConstant), 'falling');
    assert.ok(Number.isNaN(fitExponentialApproach([1, 2], [0.1, 0.5]).timeConstant), 'two points');
  });
});
