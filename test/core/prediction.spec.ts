import * as assert from 'assert';
import { LinearPredictor, PredictionErrorPreconditioner } from '../../core/prediction';

/** Autocovariance of the AR(2) y_t = a1 y_{t−1} + a2 y_{t−2} + e_t, Var e = s2 (Yule–Walker, closed form). */
function ar2Autocovariance(a1: number, a2: number, s2: number, lags: number): number[] {
  const rho1 = a1 / (1 - a2);
  const r0 = s2 / (1 - a1 * rho1 - a2 * (a1 * rho1 + a2));
  const r = [r0, rho1 * r0];
  for (let l = 2; l <= lags; l++) r.push(a1 * r[l - 1] + a2 * r[l - 2]);
  return r;
}

function toeplitz(r: number[], n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => r[Math.abs(i - j)]));
}

describe('core/prediction', function () {
  it('Levinson–Durbin recovers an AR(2) exactly, with zero extra coefficients at higher orders', function () {
    const [a1, a2, s2] = [1.2, -0.5, 0.3];
    const predictor = new LinearPredictor(4);
    predictor.setAutocovariance(ar2Autocovariance(a1, a2, s2, 4));
    const width = 5, a = predictor.coefficients;
    assert.ok(Math.abs(a[2 * width + 1] - a1) < 1e-12 && Math.abs(a[2 * width + 2] - a2) < 1e-12);
    for (const order of [3, 4]) {
      assert.ok(Math.abs(a[order * width + 1] - a1) < 1e-12 && Math.abs(a[order * width + 2] - a2) < 1e-12);
      for (let l = 3; l <= order; l++) assert.ok(Math.abs(a[order * width + l]) < 1e-12);
      assert.ok(Math.abs(predictor.errorVariances[order] - s2) < 1e-12, 'error variance = innovation variance');
    }
  });

  it('for an AR(q) process, P = Tᵀ D⁻¹ T is exactly the inverse of the Toeplitz lag covariance', function () {
    const r = ar2Autocovariance(1.5, -0.7, 1, 10);
    for (const n of [3, 8]) {
      const predictor = new LinearPredictor(2);
      predictor.setAutocovariance(r);
      const preconditioner = new PredictionErrorPreconditioner(n, predictor);
      const R = toeplitz(r, n);
      const column = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        // column j of P·R = P applied to column j of R
        preconditioner.apply(R.map((row) => row[j]), 0, column, 0);
        column.forEach((x, i) => assert.ok(Math.abs(x - (i === j ? 1 : 0)) < 1e-10, `n ${n}: (P R)[${i}][${j}] = ${x}`));
      }
    }
  });

  it('apply returns vᵀ P v and honours offsets; silence gives the identity', function () {
    const predictor = new LinearPredictor(2);
    predictor.setAutocovariance(ar2Autocovariance(0.5, 0.2, 1, 2));
    const preconditioner = new PredictionErrorPreconditioner(4, predictor);
    const v = [9, 1, -2, 0.5, 3, 9];
    const out = new Float64Array(6);
    const norm = preconditioner.apply(v, 1, out, 2);
    assert.strictEqual(out[0], 0); assert.strictEqual(out[1], 0);
    const quadratic = [1, -2, 0.5, 3].reduce((s, x, i) => s + x * out[2 + i], 0);
    assert.ok(Math.abs(norm - quadratic) < 1e-12);
    const silent = new LinearPredictor(3);
    silent.setAutocovariance([0, 0, 0, 0]);
    const identity = new PredictionErrorPreconditioner(3, silent), y = new Float64Array(3);
    assert.strictEqual(identity.apply([1, 2, 3], 0, y, 0), 14);
    assert.deepStrictEqual(Array.from(y), [1, 2, 3]);
  });

  it('an impossible autocovariance (|r1| > r0) still gives positive error variances', function () {
    const predictor = new LinearPredictor(3);
    predictor.setAutocovariance([1, 1.5, -2, 0.7]);
    assert.ok(Array.from(predictor.errorVariances).every((e) => e > 0 && Number.isFinite(e)));
    assert.throws(() => new LinearPredictor(-1), /order must be an integer/);
  });
});
