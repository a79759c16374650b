/**
 * Past–future CCA (core/cca.ts, core/linalg.ts).
 *
 * Tolerances and their reasons:
 * - population (exact) moments: the ridge ε = 1e-10 of the mean diagonal biases ρ by ≈ ε·cond(R)
 *   (≤ 1e-8 here), and round-off is ≈ 1e-13; with ridge 0 we ask for 1e-10.
 * - simulations of N samples: a sample canonical correlation has SE ≈ (1 − ρ²)/√N; we allow 4 SE.
 *   Correlations that are 0 in the population come out at the noise edge of p×q random CCA,
 *   ρ ≈ (√p + √q)/√N (Wachter); we allow 1.5× that.
 * - identities on the training data (ψ Rp ψᵀ = I …): round-off ≈ 1e-12 amplified by cond(Rp) ≲ 100,
 *   so 1e-10 (ridge 0, which would otherwise shift them by ε·cond).
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix, solve } from 'ml-matrix';
import { CcaFit, solveFromAutocovariance, solvePastFutureCca } from '../../core/cca';
import { ConfigError, DegenerateDataError, NotEnoughDataError } from '../../core/errors';
import { LaggedMoments } from '../../core/moments';
import { Random } from '../../core/random';
import {
  buildPairs, correlatedSeries, Mat, matMul, relativeError, Series, simulateAr1, solveDiscreteLyapunov, transpose, unflatten,
} from '../helpers/oracles';

const FC_SEED = 424242;

function fitSeries(series: Series, options: { pastLags: number; futureLags: number; gap?: number; center?: boolean },
  cca: Parameters<typeof solvePastFutureCca>[1] = {}): { fit: CcaFit; moments: LaggedMoments } {
  const moments = new LaggedMoments({ channels: series.length, ...options });
  moments.update(series.length === 1 ? series[0] : series);
  return { fit: solvePastFutureCca(moments, cca), moments };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Textbook route, independent of the solver: ρ² are the eigenvalues of Rf⁻¹ Q Rp⁻¹ Qᵀ. */
function squaredCorrelationsByFormula(Rp: Mat, Q: Mat, Rf: Mat): number[] {
  const RpInvQt = solve(new Matrix(Rp), new Matrix(transpose(Q)));
  const RfInvQ = solve(new Matrix(Rf), new Matrix(Q));
  const product = RfInvQ.mmul(RpInvQt);
  return new EigenvalueDecomposition(product).realEigenvalues.sort((a, b) => b - a);
}

/** γ(k) of a unit-innovation AR(1): a^|k| / (1 − a²). */
function ar1Autocovariance(a: number, lags: number): number[] {
  return Array.from({ length: lags }, (_, k) => Math.pow(a, k) / (1 - a * a));
}

// The paper's 3-state example (docs/method.md §3)
const OU_A: Mat = [[0.6, 0.6, 0], [-0.6, 0.6, 0], [0, 0, 0.4]];
const OU_B: Mat = [[0.17, 0, 0], [0, -0.15, 0], [0, 0, 0.28]];
const OU_C: Mat = [[0.78, 0.53, 1.0]];
const OU_NOISE_VARIANCE = 0.1;

function ouAutocovariance(lags: number): number[] {
  const sigma = solveDiscreteLyapunov(OU_A, OU_B);
  const gamma: number[] = [];
  let Ak: Mat = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let k = 0; k < lags; k++) {
    gamma.push(matMul(matMul(matMul(OU_C, Ak), sigma), transpose(OU_C))[0][0] + (k === 0 ? OU_NOISE_VARIANCE : 0));
    Ak = matMul(OU_A, Ak);
  }
  return gamma;
}

function simulateOu(rng: Random, length: number, burnIn: number): number[] {
  let x = [0, 0, 0];
  const y: number[] = [];
  const noiseSd = Math.sqrt(OU_NOISE_VARIANCE);
  for (let t = 0; t < length + burnIn; t++) {
    const u = [rng.gaussian(), rng.gaussian(), rng.gaussian()];
    x = OU_A.map((row, i) => row.reduce((s, a, j) => s + a * x[j], 0) + OU_B[i].reduce((s, b, j) => s + b * u[j], 0));
    if (t >= burnIn) y.push(OU_C[0].reduce((s, c, j) => s + c * x[j], 0) + noiseSd * rng.gaussian());
  }
  return y;
}

describe('core/cca solvePastFutureCca', function () {
  describe('AR(1) y_t = a·y_{t−1} + e_t', function () {
    for (const a of [0.8, -0.8]) {
      for (const gap of [0, 1]) {
        it(`population: ρ = (|a|^(g+1), 0, …) and ψ1 = (1/√γ0, 0, …) for a = ${a}, g = ${gap}`, function () {
          const m = 6, h = 4;
          const gamma = ar1Autocovariance(a, m + gap + h);
          for (const ridge of [0, 1e-10]) {
            const fit = solveFromAutocovariance(gamma, m, h, gap, { ridge });
            const tolerance = ridge === 0 ? 1e-10 : 1e-8; // see header: round-off vs ε·cond
            assert.equal(fit.correlations.length, Math.min(m, h));
            assert.ok(Math.abs(fit.correlations[0] - Math.abs(a) ** (gap + 1)) < tolerance, `ρ1 = ${fit.correlations[0]}`);
            for (let i = 1; i < h; i++) assert.ok(fit.correlations[i] < 1e-6, `ρ${i + 1} = ${fit.correlations[i]}`);
            const expected = [1 / Math.sqrt(gamma[0]), 0, 0, 0, 0, 0];
            assert.ok(relativeError(fit.pastFilters[0], expected) < tolerance, `ψ1 = ${Array.from(fit.pastFilters[0])}`);
          }
        });
      }
    }

    for (const [a, gap, seed] of [[0.8, 0, 1], [-0.8, 0, 2], [0.8, 1, 3], [-0.5, 1, 4]]) {
      it(`simulation of 10^5 samples lands within sampling error (a = ${a}, g = ${gap})`, function () {
        const N = 100_000, m = 5, h = 5;
        const y = simulateAr1(new Random(seed), a, N);
        const { fit } = fitSeries([y], { pastLags: m, futureLags: h, gap });
        const rho = Math.abs(a) ** (gap + 1);
        const se = (1 - rho * rho) / Math.sqrt(N);
        assert.ok(Math.abs(fit.correlations[0] - rho) < 4 * se, `ρ1 = ${fit.correlations[0]}, expected ${rho} ± ${4 * se}`);
        const edge = 1.5 * (Math.sqrt(m - 1) + Math.sqrt(h - 1)) / Math.sqrt(N);
        for (let i = 1; i < h; i++) assert.ok(fit.correlations[i] < edge, `ρ${i + 1} = ${fit.correlations[i]} ≥ ${edge}`);
        // ψ1 ≈ (1/√γ0, 0, …): taps scaled by √γ0 are (1, 0, …) within ~10/√N
        const scaled = Array.from(fit.pastFilters[0], (x) => x * Math.sqrt(1 / (1 - a * a)));
        assert.ok(Math.abs(scaled[0] - 1) < 10 / Math.sqrt(N) && scaled.slice(1).every((x) => Math.abs(x) < 10 / Math.sqrt(N)),
          `ψ1·√γ0 = ${scaled}`);
      });
    }
  });

  describe("the paper's 3-state OU example (m = h = 25)", function () {
    const m = 25, h = 25;
    const gamma = ouAutocovariance(m + h);
    const population = solveFromAutocovariance(gamma, m, h);

    it('population CCA has exactly three non-zero ρ', function () {
      assert.ok(population.correlations[2] > 1e-2, `ρ3 = ${population.correlations[2]}`);
      for (let i = 3; i < h; i++) assert.ok(population.correlations[i] < 1e-6, `ρ${i + 1} = ${population.correlations[i]}`);
    });

    it('population ρ agree with the textbook formula eig(Rf⁻¹ Q Rp⁻¹ Qᵀ)', function () {
      const Rp = Array.from({ length: m }, (_, i) => Array.from({ length: m }, (_, k) => gamma[Math.abs(i - k)]));
      const Q = Array.from({ length: h }, (_, j) => Array.from({ length: m }, (_, k) => gamma[1 + j + k]));
      const squared = squaredCorrelationsByFormula(Rp, Q, Rp);
      for (let i = 0; i < 3; i++) {
        // ε·cond(Rp) with cond ≈ 4: 1e-9 is ample
        assert.ok(Math.abs(population.correlations[i] - Math.sqrt(squared[i])) < 1e-9, `ρ${i + 1}`);
      }
      assert.ok(squared[3] < 1e-12);
    });

    it('a seeded simulation of 10^5 samples (burn-in 1000) lands within a few standard errors', function () {
      const N = 100_000;
      const y = simulateOu(new Random(7), N, 1000);
      const { fit } = fitSeries([y], { pastLags: m, futureLags: h });
      for (let i = 0; i < 3; i++) {
        const rho = population.correlations[i];
        const se = (1 - rho * rho) / Math.sqrt(N);
        assert.ok(Math.abs(fit.correlations[i] - rho) < 4 * se, `ρ${i + 1} = ${fit.correlations[i]}, population ${rho} ± ${4 * se}`);
      }
      const edge = 1.5 * (Math.sqrt(m - 3) + Math.sqrt(h - 3)) / Math.sqrt(N);
      assert.ok(fit.correlations[3] < edge, `ρ4 = ${fit.correlations[3]} ≥ ${edge}`);
    });
  });

  describe('whitening and canonical pairs on the training data', function () {
    const series = correlatedSeries(new Random(17), 2, 20_000);
    const options = { pastLags: 4, futureLags: 3, gap: 1 };
    // wide W (C·h < C·m, centered or not) and tall W (C·h > C·m: the SVD transposes internally)
    for (const [center, shape] of [[false, options], [true, options], [false, { pastLags: 2, futureLags: 5, gap: 0 }]] as const) {
      it(`ψ Rp ψᵀ = I, Φ Rf Φᵀ = I, Φ Q ψᵀ = diag(ρ) and z = Ψp has second moment I (center ${center}, m ${shape.pastLags}, h ${shape.futureLags})`, function () {
        const options = shape;
        const { fit, moments } = fitSeries(series, { ...options, center }, { ridge: 0 });
        const M = moments.moments();
        const P = M.pastDimension, F = M.futureDimension, k = fit.correlations.length;
        const Rp = unflatten(P, P, M.pastMoment), Rf = unflatten(F, F, M.futureMoment), Q = unflatten(F, P, M.futurePastMoment);
        const Psi = fit.pastFilters.map((row) => Array.from(row)), Phi = fit.futureDirections.map((row) => Array.from(row));
        const identity = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (i === j ? 1 : 0)));
        const diagRho = identity.map((row, i) => row.map((x) => x * fit.correlations[i]));
        assert.ok(relativeError(matMul(matMul(Psi, Rp), transpose(Psi)).flat(), identity.flat()) < 1e-10);
        assert.ok(relativeError(matMul(matMul(Phi, Rf), transpose(Phi)).flat(), identity.flat()) < 1e-10);
        assert.ok(relativeError(matMul(matMul(Phi, Q), transpose(Psi)).flat(), diagRho.flat()) < 1e-10);
        // outputs computed from explicit lag vectors
        const pairs = buildPairs(series, options.pastLags, options.futureLags, options.gap);
        const z = pairs.map(({ p }) => Psi.map((psi) => dot(psi, p)));
        const mean = z[0].map((_, i) => (center ? z.reduce((s, zt) => s + zt[i], 0) / z.length : 0));
        const second = identity.map((row, i) => row.map((_, j) => z.reduce((s, zt) => s + (zt[i] - mean[i]) * (zt[j] - mean[j]), 0) / z.length));
        assert.ok(relativeError(second.flat(), identity.flat()) < 1e-10, `second moment ${JSON.stringify(second)}`);
      });
    }

    it('with the default ridge the identity holds to ≈ ε·cond(Rp)', function () {
      const { fit, moments } = fitSeries(series, options);
      const M = moments.moments();
      const Rp = unflatten(M.pastDimension, M.pastDimension, M.pastMoment);
      const Psi = fit.pastFilters.map((row) => Array.from(row));
      const product = matMul(matMul(Psi, Rp), transpose(Psi)).flat();
      const identity = Psi.flatMap((_, i) => Psi.map((__, j) => (i === j ? 1 : 0)));
      assert.ok(relativeError(product, identity) < 1e-10 * fit.conditionNumber.past * 10 + 1e-12);
    });
  });

  describe('eigen vs Cholesky whitening', function () {
    it('give the same ρ (1e-10) and, after the sign convention, the same filters', function () {
      const y = simulateOu(new Random(12), 30_000, 500);
      const moments = new LaggedMoments({ pastLags: 8, futureLags: 6 }).update(y);
      const eigen = solvePastFutureCca(moments);
      const cholesky = solvePastFutureCca(moments, { whitening: 'cholesky' });
      assert.ok(relativeError(cholesky.correlations, eigen.correlations) < 1e-10);
      const rho = eigen.correlations;
      for (let i = 0; i < rho.length; i++) {
        // a filter is unique (up to sign) only for a simple ρ; the round-off in it is ≈ 1e-14/gap
        const gap = Math.min(i > 0 ? rho[i - 1] - rho[i] : Infinity, i + 1 < rho.length ? rho[i] - rho[i + 1] : Infinity);
        const tolerance = Math.max(1e-10, 1e-13 / gap);
        assert.ok(relativeError(cholesky.pastFilters[i], eigen.pastFilters[i]) < tolerance, `ψ${i + 1} (gap ${gap})`);
        assert.ok(relativeError(cholesky.futureDirections[i], eigen.futureDirections[i]) < tolerance, `φ${i + 1}`);
      }
    });
  });

  describe('sign convention', function () {
    it('the largest-|·| tap of every filter is positive (fast-check over data and shapes)', function () {
      fc.assert(fc.property(
        fc.integer({ min: 0, max: 1e6 }), fc.constantFrom(1, 2, 3), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.boolean(),
        (seed, channels, pastLags, futureLags, center) => {
          const { fit } = fitSeries(correlatedSeries(new Random(seed), channels, 400), { pastLags, futureLags, center });
          for (const psi of fit.pastFilters) {
            let best = 0;
            for (let i = 1; i < psi.length; i++) if (Math.abs(psi[i]) > Math.abs(psi[best])) best = i;
            assert.ok(psi[best] > 0);
          }
        },
      ), { seed: FC_SEED, numRuns: 40 });
    });

    it('pinnedTap makes the named tap non-negative and only flips whole canonical pairs', function () {
      const series = correlatedSeries(new Random(5), 3, 3000);
      const { fit: free, moments } = fitSeries(series, { pastLags: 2, futureLags: 2 });
      for (const pinnedTap of [0, 3, 5]) {
        const pinned = solvePastFutureCca(moments, { pinnedTap });
        assert.deepEqual(Array.from(pinned.correlations), Array.from(free.correlations));
        let flips = 0;
        pinned.pastFilters.forEach((psi, i) => {
          assert.ok(psi[pinnedTap] >= 0, `ψ${i + 1}[${pinnedTap}] = ${psi[pinnedTap]}`);
          const sign = Math.sign(psi[pinnedTap]) === Math.sign(free.pastFilters[i][pinnedTap]) ? 1 : -1;
          if (sign < 0) flips++;
          assert.deepEqual(Array.from(psi), Array.from(free.pastFilters[i], (x) => sign * x));
          assert.deepEqual(Array.from(pinned.futureDirections[i]), Array.from(free.futureDirections[i], (x) => sign * x));
        });
        if (pinnedTap === 5) assert.ok(flips > 0, 'the test needs a tap whose pinning flips some filter');
      }
    });
  });

  describe('mutual information', function () {
    it('is −½ Σ ln(1 − ρ²) cumulatively, in nats and bits', function () {
      const { fit } = fitSeries([simulateAr1(new Random(9), 0.9, 5000)], { pastLags: 3, futureLags: 3 });
      let total = 0;
      fit.correlations.forEach((rho, k) => {
        total += -0.5 * Math.log(1 - rho * rho);
        assert.ok(Math.abs(fit.mutualInformationNats[k] - total) < 1e-12 * total);
        assert.ok(Math.abs(fit.mutualInformationBits[k] - total / Math.log(2)) < 1e-12 * total);
      });
    });

    it('stays finite for ρ = 1 (a constant signal)', function () {
      const { fit } = fitSeries([new Array<number>(50).fill(3)], { pastLags: 2, futureLags: 2 });
      assert.ok(fit.mutualInformationNats.every(Number.isFinite));
    });
  });

  describe('degenerate inputs', function () {
    function assertFinite(fit: CcaFit): void {
      for (const row of [fit.correlations, ...fit.pastFilters, ...fit.futureDirections, fit.mutualInformationNats]) {
        assert.ok(Array.from(row).every(Number.isFinite), 'a non-finite value');
      }
      assert.ok(Number.isFinite(fit.conditionNumber.past) && Number.isFinite(fit.conditionNumber.future));
      assert.ok(fit.correlations.every((r) => r >= 0 && r <= 1));
    }

    it('an all-zero signal → DegenerateDataError saying so', function () {
      const moments = new LaggedMoments({ pastLags: 3, futureLags: 3 }).update(new Array<number>(100).fill(0));
      assert.throws(() => solvePastFutureCca(moments), (err: Error) => err instanceof DegenerateDataError && /all zero/.test(err.message));
    });

    it('a constant signal, centered → DegenerateDataError saying so', function () {
      const moments = new LaggedMoments({ pastLags: 3, futureLags: 3, center: true }).update(new Array<number>(100).fill(2.5));
      assert.throws(() => solvePastFutureCca(moments), (err: Error) => err instanceof DegenerateDataError && /constant/.test(err.message));
    });

    it('a constant signal, uncentered → a finite result with a condition-number warning', function () {
      const moments = new LaggedMoments({ pastLags: 5, futureLags: 5 }).update(new Array<number>(100).fill(2.5));
      const fit = solvePastFutureCca(moments);
      assertFinite(fit);
      assert.ok(fit.conditionNumber.past > 1e12);
      assert.ok(fit.warnings.some((w) => /Rp is ill-conditioned/.test(w)), JSON.stringify(fit.warnings));
      assert.ok(Math.abs(fit.correlations[0] - 1) < 1e-6); // the constant is perfectly predictable
    });

    it('fewer pairs than dimensions → a finite result with a warning', function () {
      const moments = new LaggedMoments({ pastLags: 20, futureLags: 20 }).update(simulateAr1(new Random(4), 0.5, 50));
      assert.equal(moments.pairs, 11);
      const fit = solvePastFutureCca(moments);
      assertFinite(fit);
      assert.ok(fit.warnings.some((w) => /fewer pairs \(11\) than past dimensions \(20\)/.test(w)), JSON.stringify(fit.warnings));
    });

    it('forgetting with a time constant below the past dimension → a warning about the effective pair count', function () {
      const moments = new LaggedMoments({ pastLags: 10, futureLags: 2, timeConstantSamples: 3 }).update(simulateAr1(new Random(6), 0.5, 300));
      const fit = solvePastFutureCca(moments);
      assertFinite(fit);
      assert.ok(fit.warnings.some((w) => /effective pair count under forgetting \(3\.5\d\) is below the past dimension \(10\)/.test(w)), JSON.stringify(fit.warnings));
      // and none for a population fit (infinite pairs, unit weight)
      assert.deepEqual(solveFromAutocovariance(ar1Autocovariance(0.5, 12), 10, 2).warnings, []);
    });

    it('no pairs → NotEnoughDataError', function () {
      const moments = new LaggedMoments({ pastLags: 3, futureLags: 3 }).update([1, 2, 3, 4, 5]);
      assert.throws(() => solvePastFutureCca(moments), NotEnoughDataError);
      assert.throws(() => solvePastFutureCca(new LaggedMoments({ pastLags: 3, futureLags: 3 })), NotEnoughDataError);
    });

    it('never NaN: odd inputs give a finite fit or a ResuError (fast-check)', function () {
      const shapes = ['constant', 'one channel zero', 'single spike', 'alternating', 'short', 'tiny', 'huge', 'step'] as const;
      fc.assert(fc.property(
        fc.constantFrom(...shapes), fc.integer({ min: 0, max: 1e6 }), fc.boolean(), fc.constantFrom(0, 1e-10, 1e-3),
        (shape, seed, center, ridge) => {
          const rng = new Random(seed);
          const n = shape === 'short' ? 9 : 200;
          const base = correlatedSeries(rng, 2, n);
          const series: Series = {
            constant: () => [new Array<number>(n).fill(1), new Array<number>(n).fill(-4)],
            'one channel zero': () => [base[0], new Array<number>(n).fill(0)],
            'single spike': () => [base[0].map((_, i) => (i === 50 ? 1 : 0)), base[1]],
            alternating: () => [base[0].map((_, i) => (i % 2 ? 1 : -1)), base[1].map((_, i) => (i % 2 ? -1 : 1))],
            short: () => base,
            tiny: () => base.map((ch) => ch.map((x) => x * 1e-120)),
            huge: () => base.map((ch) => ch.map((x) => x * 1e45)), // the sample limit is ±1e50
            step: () => base.map((ch) => ch.map((_, i) => (i < n / 2 ? 0 : 1))),
          }[shape]();
          const moments = new LaggedMoments({ channels: 2, pastLags: 4, futureLags: 3, center }).update(series);
          let fit: CcaFit;
          try {
            fit = solvePastFutureCca(moments, { ridge });
          } catch (err) {
            assert.ok(err instanceof DegenerateDataError || err instanceof NotEnoughDataError, String(err));
            assert.ok(!/NaN/.test((err as Error).message) && !(err as Error).message.includes('\n'));
            return;
          }
          assertFinite(fit);
        },
      ), { seed: FC_SEED, numRuns: 150 });
    });
  });

  describe('scaling', function () {
    it('scaling the input by c leaves ρ unchanged and scales ψ by 1/c (fast-check, c from 1e-100 to 1e45; samples are limited to ±1e50)', function () {
      const series = correlatedSeries(new Random(23), 2, 2000);
      const options = { pastLags: 4, futureLags: 3, gap: 1 };
      const { fit: reference } = fitSeries(series, options);
      fc.assert(fc.property(
        fc.integer({ min: -100, max: 44 }), fc.double({ min: 1, max: 10, noNaN: true }), fc.boolean(),
        (exponent, mantissa, negative) => {
          const c = (negative ? -1 : 1) * mantissa * 10 ** exponent;
          const { fit } = fitSeries(series.map((ch) => ch.map((x) => c * x)), options);
          // ρ: round-off of the whitening, ≈ 1e-13 × cond; the filters: ψ(cy) = ψ(y)/|c| up to the sign convention
          assert.ok(relativeError(fit.correlations, reference.correlations) < 1e-10, `c = ${c}`);
          fit.pastFilters.forEach((psi, i) => {
            const expected = Array.from(reference.pastFilters[i], (x) => x / Math.abs(c));
            const tolerance = 1e-8; // filters of close ρ are less stable than ρ itself (ρ gaps ≳ 1e-3 here)
            assert.ok(relativeError(psi, expected) < tolerance, `c = ${c}, ψ${i + 1}`);
          });
        },
      ), { seed: FC_SEED, numRuns: 60 });
    });
  });

  describe('options', function () {
    const moments = new LaggedMoments({ pastLags: 4, futureLags: 3 }).update(simulateAr1(new Random(2), 0.6, 500));

    it('rank returns the leading pairs of the full solution', function () {
      const full = solvePastFutureCca(moments);
      const two = solvePastFutureCca(moments, { rank: 2 });
      assert.equal(full.correlations.length, 3);
      assert.deepEqual(Array.from(two.correlations), Array.from(full.correlations.slice(0, 2)));
      assert.deepEqual(two.pastFilters.map((r) => Array.from(r)), full.pastFilters.slice(0, 2).map((r) => Array.from(r)));
      assert.ok(full.correlations.every((r, i) => i === 0 || r <= full.correlations[i - 1]));
    });

    it('rejects bad options with the field name', function () {
      const cases: [object, RegExp][] = [
        [{ rank: 4 }, /rank must be an integer ≥ 1 and ≤ 3/],
        [{ rank: 0 }, /rank/],
        [{ ridge: -1 }, /ridge must be a finite number/],
        [{ ridge: NaN }, /ridge/],
        [{ pinnedTap: 4 }, /pinnedTap must be an integer ≥ 0 and ≤ 3/],
        [{ whitening: 'qr' }, /whitening must be one of "eigen", "cholesky"/],
      ];
      for (const [options, message] of cases) {
        assert.throws(() => solvePastFutureCca(moments, options), (err: Error) => err instanceof ConfigError && message.test(err.message));
      }
    });

    it('solveFromAutocovariance rejects too short an autocovariance', function () {
      assert.throws(() => solveFromAutocovariance([1, 0.5, 0.25], 2, 2), /needs 4 lags/);
    });
  });
});
