/**
 * Levinson–Durbin (core/levinson.ts) on exact autocovariances.
 *
 * Oracles: AR autocovariances from the impulse response (test/helpers/oracles.ts arAutocovariance,
 * no Yule–Walker solve involved) and Toeplitz determinants from ml-matrix's LU decomposition.
 * Tolerance 1e-10: the impulse-response sums are exact to ≈ 1e-15 relative and the recursion adds
 * round-off of the same order per step, amplified by at most the condition number (≲ 1e3 here).
 */
import { strict as assert } from 'assert';
import { LuDecomposition, Matrix } from 'ml-matrix';
import { ConfigError, DegenerateDataError } from '../../core/errors';
import { levinsonDurbin } from '../../core/levinson';
import { arAutocovariance } from '../helpers/oracles';

const AR3 = [1.1, -0.86, 0.4];

describe('core/levinson', function () {
  it('recovers an AR(3): coefficients, σ² = 1 from order 3 on, κ_3 = a_3 and κ_p = 0 beyond', function () {
    const gamma = arAutocovariance(AR3, 12);
    const exact = levinsonDurbin(gamma, 3);
    exact.coefficients.forEach((a, k) => assert.ok(Math.abs(a - AR3[k]) < 1e-10, `a_${k + 1} = ${a}`));
    const all = levinsonDurbin(gamma);
    assert.equal(all.order, 12);
    for (let p = 3; p <= 12; p++) assert.ok(Math.abs(all.innovationVariances[p] - 1) < 1e-10, `σ²_${p} = ${all.innovationVariances[p]}`);
    assert.ok(all.innovationVariances[2] > 1 + 0.1, 'order 2 predicts worse');
    assert.ok(Math.abs(all.reflectionCoefficients[2] - 0.4) < 1e-10, 'κ_3 = a_3');
    for (let p = 4; p <= 12; p++) assert.ok(Math.abs(all.reflectionCoefficients[p - 1]) < 1e-10);
    assert.equal(all.coefficients.length, 12);
    all.coefficients.slice(3).forEach((a) => assert.ok(Math.abs(a) < 1e-10));
  });

  it('σ²_k are the Cholesky pivots of the Toeplitz matrix: Π_{k<n} σ²_k = det [r_|i−j|]', function () {
    const gamma = arAutocovariance([0.5, 0.3], 9);
    const { innovationVariances } = levinsonDurbin(gamma);
    for (const n of [1, 4, 10]) {
      const T = Matrix.from1DArray(n, n, Array.from({ length: n * n }, (_, k) => gamma[Math.abs(Math.floor(k / n) - (k % n))]));
      const det = new LuDecomposition(T).determinant;
      const product = innovationVariances.slice(0, n).reduce((a, x) => a * x, 1);
      assert.ok(Math.abs(product - det) < 1e-10 * Math.abs(det), `n = ${n}: ${product} vs ${det}`);
    }
  });

  it('stops at the rank of a deterministic signal: a sinusoid has a rank-2 Toeplitz matrix', function () {
    const omega = 0.3;
    const gamma = Array.from({ length: 10 }, (_, k) => Math.cos(omega * k));
    const result = levinsonDurbin(gamma);
    assert.equal(result.order, 1, "κ_2 = −1 exactly in theory: order 2 is singular");
    // σ²_1 = sin²ω and κ_2 = (cos 2ω − cos²ω)/sin²ω = −1: σ²_2 = 0 up to round-off
    assert.ok(Math.abs(result.coefficients[0] - Math.cos(omega)) < 1e-12, "a_1 = κ_1 = cos ω");
  });

  it('rejects a zero power, non-finite values and an order beyond the lags given', function () {
    assert.throws(() => levinsonDurbin([0, 0, 0]), DegenerateDataError);
    assert.throws(() => levinsonDurbin([1, NaN]), (err: Error) => err instanceof ConfigError && /autocovariance\[1\]/.test(err.message));
    assert.throws(() => levinsonDurbin([1, 0.5], 2), /maxOrder/);
    assert.throws(() => levinsonDurbin([]), ConfigError);
    const white = levinsonDurbin([2], 0);
    assert.deepEqual([white.order, Array.from(white.innovationVariances)], [0, [2]]);
  });
});
