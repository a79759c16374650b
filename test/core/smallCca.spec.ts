import * as assert from 'assert';
import { Random, solvePastFutureCca } from '../../core';
import { SmallCcaWorkspace, smallCanonicalTransforms, symmetricEigen } from '../../core/smallCca';

/** Row-major n×n product A·B (and with transposes), written the obvious way. */
function multiply(A: ArrayLike<number>, B: ArrayLike<number>, n: number, { ta = false, tb = false } = {}): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += (ta ? A[k * n + i] : A[i * n + k]) * (tb ? B[j * n + k] : B[k * n + j]);
    out[i * n + j] = s;
  }
  return out;
}

function randomMatrix(random: Random, n: number): Float64Array {
  return Float64Array.from({ length: n * n }, () => random.gaussian());
}

/** Covariances of x = Gx·u, y = Gy·v where (u, v) are canonical: E[uuᵀ] = E[vvᵀ] = I, E[uvᵀ] = diag(ρ). */
function canonicalCovariances(random: Random, rho: number[]): { Cxx: Float64Array; Cyy: Float64Array; Cxy: Float64Array; n: number } {
  const n = rho.length;
  const Gx = randomMatrix(random, n), Gy = randomMatrix(random, n);
  const D = new Float64Array(n * n);
  rho.forEach((r, i) => { D[i * n + i] = r; });
  return {
    n,
    Cxx: multiply(Gx, Gx, n, { tb: true }),
    Cyy: multiply(Gy, Gy, n, { tb: true }),
    Cxy: multiply(multiply(Gx, D, n), Gy, n, { tb: true }),
  };
}

describe('core/smallCca', function () {
  it('symmetricEigen: V diag(λ) Vᵀ = A, VᵀV = I, λ descending', function () {
    const random = new Random(1);
    for (const n of [1, 2, 3, 5, 8, 16]) {
      const G = randomMatrix(random, n);
      const A = multiply(G, G, n, { tb: true });
      const values = new Float64Array(n), vectors = new Float64Array(n * n);
      symmetricEigen(A, n, values, vectors, new Float64Array(n * n));
      for (let i = 1; i < n; i++) assert.ok(values[i] <= values[i - 1]);
      const D = new Float64Array(n * n);
      values.forEach((v, i) => { D[i * n + i] = v; });
      const back = multiply(multiply(vectors, D, n), vectors, n, { tb: true });
      const scale = Math.max(...A.map(Math.abs));
      back.forEach((x, i) => assert.ok(Math.abs(x - A[i]) < 1e-12 * scale, `n ${n}: entry ${i}`));
      const gram = multiply(vectors, vectors, n, { ta: true });
      gram.forEach((x, i) => assert.ok(Math.abs(x - (i % (n + 1) === 0 ? 1 : 0)) < 1e-12));
    }
  });

  it('recovers planted canonical correlations; the transforms whiten and diagonalize', function () {
    const random = new Random(2);
    for (const rho of [[0.9], [0.3, 0.8], [0.95, 0.5, 0.1], [0.7, 0.69, 0.2, 0.05]]) {
      const { n, Cxx, Cyy, Cxy } = canonicalCovariances(random, rho);
      const first = new Float64Array(n * n), second = new Float64Array(n * n), correlations = new Float64Array(n);
      smallCanonicalTransforms(Cxx, Cyy, Cxy, n, 0, first, second, correlations, new SmallCcaWorkspace(n));
      const sorted = [...rho].sort((a, b) => b - a);
      sorted.forEach((r, i) => assert.ok(Math.abs(correlations[i] - r) < 1e-9, `ρ${i + 1}: ${correlations[i]} vs ${r}`));
      const uu = multiply(multiply(first, Cxx, n), first, n, { tb: true });
      const vv = multiply(multiply(second, Cyy, n), second, n, { tb: true });
      const uv = multiply(multiply(first, Cxy, n), second, n, { tb: true });
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const identity = i === j ? 1 : 0;
        assert.ok(Math.abs(uu[i * n + j] - identity) < 1e-8, 'E[uuᵀ] = I');
        assert.ok(Math.abs(vv[i * n + j] - identity) < 1e-8, 'E[vvᵀ] = I');
        assert.ok(Math.abs(uv[i * n + j] - (i === j ? sorted[i] : 0)) < 1e-8, 'E[uvᵀ] = diag(ρ)');
      }
    }
  });

  it('agrees with the batch solver on the same covariances (independent implementation)', function () {
    const random = new Random(3);
    const { n, Cxx, Cyy, Cxy } = canonicalCovariances(random, [0.6, 0.4, 0.2]);
    const first = new Float64Array(n * n), second = new Float64Array(n * n), correlations = new Float64Array(n);
    smallCanonicalTransforms(Cxx, Cyy, Cxy, n, 0, first, second, correlations, new SmallCcaWorkspace(n));
    // as a past–future problem: past = x, future = y, Q = E[y xᵀ] = Cxyᵀ
    const Q = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Q[i * n + j] = Cxy[j * n + i];
    const fit = solvePastFutureCca({ pastMoment: Cxx, futurePastMoment: Q, futureMoment: Cyy, pastDimension: n, futureDimension: n, pairs: 1e6, weight: 1e6, centered: false, channels: 1 }, { ridge: 0 });
    for (let i = 0; i < n; i++) {
      assert.ok(Math.abs(correlations[i] - fit.correlations[i]) < 1e-9);
      const row = first.subarray(i * n, (i + 1) * n), psi = fit.pastFilters[i];
      const sign = Math.sign(row.reduce((s, x, j) => s + x * psi[j], 0));
      row.forEach((x, j) => assert.ok(Math.abs(sign * x - psi[j]) < 1e-7 * Math.max(...psi.map(Math.abs))));
    }
  });

  it('zero correlations and silent inputs still give finite, orthonormal transforms', function () {
    const n = 3;
    const Cxx = Float64Array.from([2, 0, 0, 0, 1, 0, 0, 0, 3]), Cyy = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    const first = new Float64Array(n * n), second = new Float64Array(n * n), correlations = new Float64Array(n);
    smallCanonicalTransforms(Cxx, Cyy, new Float64Array(n * n), n, 0, first, second, correlations, new SmallCcaWorkspace(n));
    assert.deepStrictEqual(Array.from(correlations), [0, 0, 0]);
    const uu = multiply(multiply(first, Cxx, n), first, n, { tb: true });
    uu.forEach((x, i) => assert.ok(Math.abs(x - (i % (n + 1) === 0 ? 1 : 0)) < 1e-12));
    const silent = new Float64Array(n * n);
    smallCanonicalTransforms(silent, silent, silent, n, 1e-6, first, second, correlations, new SmallCcaWorkspace(n));
    assert.ok([...first, ...second, ...correlations].every(Number.isFinite));
  });
});
