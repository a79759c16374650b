import * as assert from 'assert';
import { ConfigError } from '../../core/errors';
import { cosineSimilarity, directionSelectivityIndex, summarizeDirectionTuning } from '../../core/metrics';

const directions = (n: number): number[] => Array.from({ length: n }, (_, i) => (360 * i) / n);

describe('core/metrics: direction tuning', function () {
  it('r(θ) = 1 + a·cos(θ − θ0) has vector DSI a/2 and preferred direction θ0 (any even number of directions ≥ 4)', function () {
    for (const n of [8, 12]) {
      for (const [a, theta0] of [[1, 0], [0.6, 100], [0.2, 250]] as const) {
        const dirs = directions(n);
        const r = dirs.map((d) => 1 + a * Math.cos(((d - theta0) * Math.PI) / 180));
        const s = summarizeDirectionTuning(dirs, r);
        // Σ cos(θ − θ0)·e^{iθ} = (n/2)·e^{iθ0} and Σ 1·e^{iθ} = 0; Σ |r| = n
        assert.ok(Math.abs(s.vectorDsi - a / 2) < 1e-12, `${n} ${a}`);
        assert.ok(Math.abs(s.preferredDirectionDeg! - theta0) < 1e-9);
      }
    }
  });

  it('reports (R_pref − R_null)/(R_pref + R_null) from the peak and the response opposite to it; 0 when flat, undefined (NaN, null) when silent', function () {
    const dirs = directions(8);
    const r = [0.1, 0.2, 0.9, 0.3, 0.2, 0.1, 0.3, 0.05];
    const s = summarizeDirectionTuning(dirs, r);
    assert.strictEqual(s.peakDirectionDeg, 90);
    assert.strictEqual(s.dsi, directionSelectivityIndex(0.9, 0.3));
    assert.strictEqual(summarizeDirectionTuning(dirs, dirs.map(() => 1)).vectorDsi < 1e-15, true);
    const silent = summarizeDirectionTuning(dirs, dirs.map(() => 0));
    assert.ok(Number.isNaN(silent.vectorDsi) && silent.preferredDirectionDeg === null && Number.isNaN(silent.dsi));
    // a response to one direction only: vector DSI 1
    assert.ok(Math.abs(summarizeDirectionTuning(dirs, dirs.map((d) => (d === 225 ? 2 : 0))).vectorDsi - 1) < 1e-12);
  });

  it('rejects mismatched lengths, non-finite values and a peak whose opposite was not probed', function () {
    assert.throws(() => summarizeDirectionTuning([0, 90], [1]), ConfigError);
    assert.throws(() => summarizeDirectionTuning([0, 180], [1, Number.NaN]), /responses\[1\] must be a finite number/);
    assert.throws(() => summarizeDirectionTuning([0, 120, 240], [1, 0, 0]), /directionsDeg must be directions that include 180°/);
  });
});

describe('core/metrics: cosineSimilarity', function () {
  it('is the cosine of the angle: 1 for parallel, −1 for opposite, 0 for orthogonal or zero vectors, cos 60° for (1, 0)·(1, √3)', function () {
    assert.strictEqual(cosineSimilarity([1, 2, 3], [2, 4, 6]), 1);
    assert.strictEqual(cosineSimilarity([1, 2, 3], [-1, -2, -3]), -1);
    assert.strictEqual(cosineSimilarity([1, 0], [0, 5]), 0);
    assert.strictEqual(cosineSimilarity([0, 0], [1, 1]), 0);
    assert.ok(Math.abs(cosineSimilarity([1, 0], [1, Math.sqrt(3)]) - 0.5) < 1e-15);
    assert.throws(() => cosineSimilarity([1, 2], [1, 2, 3]), /3 values/);
  });
});
