import * as assert from 'assert';
import { ConfigError, ShapeError } from '../../../core/errors';
import {
  LinearStateSpace, PAPER_OU_PRESET, solveDiscreteLyapunov, stateSpaceAutocovariance,
} from '../../../core/stimuli/stateSpace';

type M = number[][];
const mul = (a: M, b: M): M => a.map((row) => b[0].map((_, j) => row.reduce((s, x, k) => s + x * b[k][j], 0)));
const tr = (a: M): M => a[0].map((_, j) => a.map((r) => r[j]));

/** Independent oracle: vec(Σ) = (I − A⊗A)^{-1} vec(Q) by Gaussian elimination with pivoting. */
function lyapunovByVectorization(A: M, Q: M): M {
  const n = A.length, N = n * n;
  const m = Array.from({ length: N }, (_, r) => {
    const [i, j] = [Math.floor(r / n), r % n];
    const row = Array.from({ length: N }, (_, c) => {
      const [k, l] = [Math.floor(c / n), c % n];
      return (r === c ? 1 : 0) - A[i][k] * A[j][l];
    });
    return [...row, Q[i][j]];
  });
  for (let c = 0; c < N; c++) {
    let p = c;
    for (let r = c + 1; r < N; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    for (let r = 0; r < N; r++) {
      if (r === c) continue;
      const f = m[r][c] / m[c][c];
      for (let k = c; k <= N; k++) m[r][k] -= f * m[c][k];
    }
  }
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => m[i * n + j][N] / m[i * n + j][i * n + j]));
}

const preset = PAPER_OU_PRESET;

describe('core/stimuli/stateSpace', function () {
  it('solves the discrete Lyapunov equation (residual ~1e-16, agrees with vectorization)', function () {
    const A = preset.A as M, B = preset.B as M;
    const Q = mul(B, tr(B));
    const sigma = solveDiscreteLyapunov(A, Q);
    const residual = mul(mul(A, sigma), tr(A)).map((row, i) => row.map((x, j) => x + Q[i][j] - sigma[i][j]));
    for (const row of residual) for (const x of row) assert.ok(Math.abs(x) < 1e-15);
    const oracle = lyapunovByVectorization(A, Q);
    sigma.forEach((row, i) => row.forEach((x, j) => assert.ok(Math.abs(x - oracle[i][j]) < 1e-14)));
    // Scalar AR(1): Σ = b² / (1 − a²).
    assert.ok(Math.abs(solveDiscreteLyapunov([[0.9]], [[0.25]])[0][0] - 0.25 / (1 - 0.81)) < 1e-13);
  });

  it('gives the AR(1) autocovariance c² b² a^k / (1 − a²) (+ noise at lag 0)', function () {
    const gamma = stateSpaceAutocovariance({ A: [[0.8]], B: [[0.5]], C: [2], observationNoiseVariance: 0.3 }, 5);
    for (let k = 0; k <= 5; k++) {
      const expected = (4 * 0.25 * Math.pow(0.8, k)) / (1 - 0.64) + (k === 0 ? 0.3 : 0);
      assert.ok(Math.abs(gamma[k] - expected) < 1e-13, `lag ${k}`);
    }
  });

  it('has the sample autocovariance of the Lyapunov solution for the paper preset (within 4 Bartlett se)', function () {
    const N = 300_000, maxLag = 12;
    const y = new LinearStateSpace({ ...preset, seed: 11 }).next(N);
    const gamma = stateSpaceAutocovariance(preset, 400); // |eig A| = 0.85: γ(400) ≈ 1e-29
    for (let k = 0; k <= maxLag; k++) {
      let s = 0;
      for (let t = 0; t + k < N; t++) s += y[t] * y[t + k];
      const estimate = s / (N - k);
      // Bartlett: N·var(γ̂(k)) ≈ Σ_j [γ(j)² + γ(j+k) γ(j−k)] over all j (Gaussian process, mean known 0).
      let v = 0;
      for (let j = -380; j <= 380; j++) v += gamma[Math.abs(j)] ** 2 + gamma[Math.abs(j + k)] * gamma[Math.abs(j - k)];
      const se = Math.sqrt(v / N);
      assert.ok(Math.abs(estimate - gamma[k]) < 4 * se, `lag ${k}: ${estimate} vs ${gamma[k]} (se ${se})`);
    }
  });

  it('is stationary from sample 0 (y_0 across seeds has variance γ(0))', function () {
    const runs = 4000;
    let s = 0;
    for (let seed = 0; seed < runs; seed++) s += new LinearStateSpace({ ...preset, seed }).next(1)[0] ** 2;
    const gamma0 = stateSpaceAutocovariance(preset, 0)[0];
    // var of a mean of `runs` squares of N(0, γ0): 2γ0²/runs.
    assert.ok(Math.abs(s / runs - gamma0) < 4 * gamma0 * Math.sqrt(2 / runs), `${s / runs} vs ${gamma0}`);
    // With x_0 = 0 and no burn-in the first sample carries only the observation noise.
    let z = 0;
    for (let seed = 0; seed < runs; seed++) z += new LinearStateSpace({ ...preset, seed, initialState: 'zero' }).next(1)[0] ** 2;
    assert.ok(Math.abs(z / runs - 0.1) < 4 * 0.1 * Math.sqrt(2 / runs));
  });

  it('streams identically whatever the chunk sizes (1, 7, 1000 vs one batch); reset repeats', function () {
    const total = 5000;
    const batch = new LinearStateSpace({ ...preset, seed: 5 }).next(total);
    for (const size of [1, 7, 1000]) {
      const process = new LinearStateSpace({ ...preset, seed: 5 });
      const parts: number[] = [];
      for (let k = 0; k < total; k += size) parts.push(...process.next(Math.min(size, total - k)));
      assert.deepStrictEqual(Float64Array.from(parts), batch);
    }
    const process = new LinearStateSpace({ ...preset, seed: 5, burnIn: 0 });
    process.next(17);
    process.reset();
    assert.deepStrictEqual(process.next(total), batch);
  });

  it('returns one channel per row of C, and next() insists on a scalar output', function () {
    const process = new LinearStateSpace({ A: preset.A, B: preset.B, C: [[1, 0, 0], [0, 0, 1]], seed: 1 });
    const [a, b] = process.nextChannels(10);
    assert.strictEqual(a.length, 10);
    assert.strictEqual(b.length, 10);
    assert.throws(() => process.next(3), ShapeError);
  });

  it('rejects unstable systems and bad shapes', function () {
    assert.throws(() => new LinearStateSpace({ A: [[1.01]], B: [[1]], C: [1] }), /A must be a stable matrix \(spectral radius < 1\)/);
    assert.throws(() => new LinearStateSpace({ A: [[1, 0], [0, 0.5]], B: [[1], [1]], C: [1, 1] }), /stable/);
    assert.throws(() => new LinearStateSpace({ A: [[0.5, 0]], B: [[1]], C: [1] }), /A must be a square matrix/);
    assert.throws(() => new LinearStateSpace({ A: [[0.5]], B: [[1], [2]], C: [1] }), /B must be a matrix with 1 rows/);
    assert.throws(() => new LinearStateSpace({ A: [[0.5]], B: [[1]], C: [1, 2] }), /C\[0\] must be a row of 1 numbers/);
    assert.throws(() => new LinearStateSpace({ ...preset, observationNoiseVariance: -1 }), ConfigError);
  });
});
