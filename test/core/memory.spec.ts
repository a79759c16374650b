/**
 * The memory choice (core/memory.ts) with known answers.
 *
 * - Information identity: I(m) from the Levinson variances (g = 0) or the joint Cholesky (g > 0)
 *   equals −½ Σ ln(1 − ρ_i²) of the past–future CCA solved by core/cca.ts on the same Toeplitz
 *   moments (solveFromAutocovariance: whitening + SVD, an independent route). Tolerance 1e-9
 *   absolute: both use the ridge 1e-10 · r₀; the rest is round-off.
 * - AR(p), p = 1 … 8, with the coefficients stated below (built from partial autocorrelations
 *   0.6, −0.5, 0.4, −0.3, 0.3, −0.25, 0.25, −0.2, rounded to 3 decimals; the last coefficient of
 *   an AR(p) is its lag-p partial autocorrelation, so every last coefficient has |a_p| ≥ 0.2 and
 *   N·a_p² ≥ 4000 ≫ ln N ≈ 11.5 at N = 10⁵): BIC picks p in ≥ 95 % of 20 seeded runs each, and
 *   order 0 for white noise. P = 200 (the default).
 * - The paper's OU example: the chance-corrected sample I(m) at N = 10⁶ reaches 95 % and 99 % of
 *   I(P) within 2 lags of where the population curve does. (At 10⁵ the 99 % point is inside the
 *   sampling noise of Ĩ: each κ̂_j² enters up to h terms of I, so sd(Ĩ(P)) ≈ h·√(P/2)/N ≈ 2.5 % of
 *   I(P); see docs/memory.md.)
 */
import { strict as assert } from 'assert';
import { StreamingAutocovariance } from '../../core/autocovariance';
import { solveFromAutocovariance } from '../../core/cca';
import { ConfigError, DegenerateDataError } from '../../core/errors';
import { estimateMemory, informationFromVariances, memoryAutocovarianceLags, memoryToJSON, orderCriterion, saturationLag } from '../../core/memory';
import { levinsonDurbin } from '../../core/levinson';
import { Random } from '../../core/random';
import { LinearStateSpace, PAPER_OU_PRESET, stateSpaceAutocovariance } from '../../core/stimuli/stateSpace';
import { nativeOnly } from '../helpers/emulation';
import { arAutocovariance, simulateAr } from '../helpers/oracles';

/** AR(p) coefficients a_1 … a_p (y_t = Σ a_k y_{t−k} + e_t, unit innovations). */
export const AR_EXAMPLES: readonly (readonly number[])[] = [
  [0.6],
  [0.9, -0.5],
  [1.1, -0.86, 0.4],
  [1.22, -1.118, 0.73, -0.3],
  [1.31, -1.337, 1.065, -0.666, 0.3],
  [1.385, -1.503, 1.332, -1.0, 0.627, -0.25],
  [1.447, -1.66, 1.582, -1.333, 1.003, -0.596, 0.25],
  [1.497, -1.78, 1.782, -1.6, 1.32, -0.928, 0.539, -0.2],
];

const SAMPLES = 100_000;
const RUNS = 20;

/** The order BIC chooses for one simulated series (chunks of 4096, P = 200). */
function chosenOrder(coefficients: readonly number[], seed: number): number {
  const y = simulateAr(new Random(seed), coefficients, SAMPLES);
  const acc = new StreamingAutocovariance({ maxLag: 200 });
  for (let i = 0; i < y.length; i += 4096) acc.update(y.subarray(i, i + 4096));
  const estimate = acc.estimate();
  return estimateMemory(estimate.values, { futureLags: 1, effectiveSamples: estimate.effectiveSamples }).order;
}

describe('core/memory', function () {
  it('I(m) equals −½ Σ ln(1 − ρ²) of the CCA on the same Toeplitz moments (g = 0 and g > 0)', function () {
    const P = 30;
    for (const [h, g] of [[1, 0], [7, 0], [25, 0], [5, 2], [1, 4]]) {
      const gamma = stateSpaceAutocovariance(PAPER_OU_PRESET, memoryAutocovarianceLags(P, h, g));
      const estimate = estimateMemory(gamma, { maxPastLags: P, futureLags: h, gap: g, effectiveSamples: 1e12 });
      assert.equal(estimate.informationNats.length, P);
      for (const m of [1, 2, 5, 13, 30]) {
        const cca = solveFromAutocovariance(gamma, m, h, g).mutualInformationNats;
        const expected = cca[cca.length - 1];
        assert.ok(Math.abs(estimate.informationNats[m - 1] - expected) < 1e-9, `h ${h} g ${g} m ${m}: ${estimate.informationNats[m - 1]} vs ${expected}`);
      }
    }
  });

  it('for an exact AR(p) the information is flat from m = p on and rises before', function () {
    for (const coefficients of [AR_EXAMPLES[0], AR_EXAMPLES[3], AR_EXAMPLES[7]]) {
      const p = coefficients.length, P = 20, h = 6;
      const gamma = arAutocovariance(coefficients, memoryAutocovarianceLags(P, h));
      const { informationNats } = estimateMemory(gamma, { maxPastLags: P, futureLags: h, effectiveSamples: 1e12 });
      const full = informationNats[P - 1];
      for (let m = p; m <= P; m++) assert.ok(Math.abs(informationNats[m - 1] - full) < 1e-9 * full, `AR(${p}) m ${m}`);
      for (let m = 1; m < p; m++) assert.ok(informationNats[m - 1] < informationNats[m] - 1e-6, `AR(${p}) rises at m ${m}`);
      // with N → ∞ the criterion picks the true order on exact moments
      assert.equal(estimateMemory(gamma, { maxPastLags: P, futureLags: h, effectiveSamples: 1e9 }).order, p);
    }
  });

  it('the stated AR examples are stationary and their last coefficient is the lag-p partial autocorrelation', function () {
    AR_EXAMPLES.forEach((coefficients) => {
      const p = coefficients.length;
      const { reflectionCoefficients } = levinsonDurbin(arAutocovariance(coefficients, p + 2));
      assert.ok(Math.abs(reflectionCoefficients[p - 1] - coefficients[p - 1]) < 1e-9);
      assert.ok(Math.abs(reflectionCoefficients[p]) < 1e-9);
    });
  });

  AR_EXAMPLES.forEach((coefficients) => {
    const p = coefficients.length;
    it(`BIC chooses order ${p} for the AR(${p}) example in ≥ 95 % of ${RUNS} runs of 10⁵ samples`, function () {
      if (p > 1) nativeOnly(this, `an ensemble of ${RUNS} × 10⁵ samples; AR(1) runs everywhere`);
      const orders = Array.from({ length: RUNS }, (_, run) => chosenOrder(coefficients, 1000 * p + run));
      const hits = orders.filter((order) => order === p).length;
      assert.ok(hits >= 0.95 * RUNS, `chosen orders ${orders.join(', ')}`);
    });
  });

  it(`white noise: order 0 in ≥ 95 % of ${RUNS} runs, and I(P) at the chance level P·h/(2N)`, function () {
    const orders: number[] = [];
    const information: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const y = simulateAr(new Random(77 + run), [], SAMPLES, 0);
      const acc = new StreamingAutocovariance({ maxLag: memoryAutocovarianceLags(200, 10) }).update(y);
      const estimate = acc.estimate();
      const memory = estimateMemory(estimate.values, { futureLags: 10, effectiveSamples: estimate.effectiveSamples });
      orders.push(memory.order);
      information.push(memory.informationNats[199]);
      assert.equal(memory.pastLags, 1, 'the past length never goes below 1');
      assert.ok(memory.warnings.some((w) => /white-noise input/.test(w)), 'warns that the curve is chance');
    }
    assert.ok(orders.filter((order) => order === 0).length >= 0.95 * RUNS, `orders ${orders.join(', ')}`);
    // I(P) = ½ Σ_j c_j κ̂_j² with c_j ≤ h copies of each N·κ̂_j² ~ χ²₁: one run's sd ≈ h·√(P/2)/N = 10 % of
    // the mean 0.01 nats, the mean of 20 runs' ≈ 2.2 %; we allow 3 sd
    const mean = information.reduce((a, x) => a + x, 0) / RUNS, chance = (200 * 10) / (2 * SAMPLES);
    assert.ok(Math.abs(mean - chance) < 0.07 * chance, `mean I(P) ${mean} vs chance ${chance}`);
  });

  it("the paper's OU example: sample saturation points within 2 lags of the population's (N = 10⁶, three seeds)", function () {
    nativeOnly(this, '3 × 10⁶ samples');
    this.timeout(120_000);
    const h = 25, P = 200;
    // population: the CCA itself on exact moments, m = 1 … 60 (the OU memory decays like 0.85^m: I(60) = I(∞) to 1e-10)
    const gamma = stateSpaceAutocovariance(PAPER_OU_PRESET, 60 + h);
    const population = Array.from({ length: 60 }, (_, i) => { const mi = solveFromAutocovariance(gamma, i + 1, h).mutualInformationNats; return mi[mi.length - 1]; });
    const expected95 = saturationLag(population, 0.95), expected99 = saturationLag(population, 0.99);
    for (const seed of [1, 2, 3]) {
      const process = new LinearStateSpace({ ...PAPER_OU_PRESET, seed });
      const acc = new StreamingAutocovariance({ maxLag: memoryAutocovarianceLags(P, h) });
      for (let left = 1_000_000; left > 0; left -= 50_000) acc.update(process.next(50_000));
      const estimate = acc.estimate();
      const memory = estimateMemory(estimate.values, { maxPastLags: P, futureLags: h, effectiveSamples: estimate.effectiveSamples });
      assert.ok(Math.abs(memory.saturation95 - expected95) <= 2 && Math.abs(memory.saturation99 - expected99) <= 2,
        `seed ${seed}: sample ${memory.saturation95}/${memory.saturation99}, population ${expected95}/${expected99}`);
      assert.ok(Math.abs(memory.correctedInformationNats[P - 1] - population[59]) < 0.05 * population[59], 'Ĩ(P) ≈ I(∞)');
    }
  });

  it('criterion formulas, saturation rule, JSON form and errors', function () {
    const sigma2 = [2, 1, 0.99];
    const bic = orderCriterion(sigma2, 100, 'bic', 4), aic = orderCriterion(sigma2, 100, 'aic');
    assert.ok(Math.abs(bic[1] - (Math.log(1) + Math.log(100) / 100)) < 1e-15);
    assert.ok(Math.abs(aic[2] - (Math.log(0.99) + 4 / 100)) < 1e-15);
    assert.equal(bic[4], Number.POSITIVE_INFINITY);
    assert.equal(saturationLag([0.5, 0.9, 0.96, 1], 0.95), 3);
    assert.equal(saturationLag([0.01, -0.02], 0.95), 1, 'no information: m = 1');
    assert.equal(saturationLag([], 0.95), 0);
    // I(1) of an AR(1) with h = 1 is −½ ln(1 − a²)
    const info = informationFromVariances([1 / (1 - 0.36), 1], 1, 1);
    assert.ok(Math.abs(info[0] + 0.5 * Math.log(1 - 0.36)) < 1e-15);
    const gamma = arAutocovariance([0.5], 20);
    const json = JSON.parse(JSON.stringify(memoryToJSON(estimateMemory(gamma, { maxPastLags: 10, futureLags: 5, effectiveSamples: 1000 }))));
    assert.equal(json.order, 1);
    assert.equal(json.criterionValues.length, 11);
    assert.ok(Array.isArray(json.informationNats) && json.informationNats.length === 10);
    assert.throws(() => estimateMemory(gamma, { maxPastLags: 10, futureLags: 12, effectiveSamples: 1000 }), /at least 22 numbers/);
    assert.throws(() => estimateMemory(gamma, { maxPastLags: 10, futureLags: 5, effectiveSamples: 1 }), /effectiveSamples/);
    assert.throws(() => estimateMemory(gamma, { maxPastLags: 10, futureLags: 5, effectiveSamples: 100, criterion: 'hq' as never }), ConfigError);
    assert.throws(() => estimateMemory(new Array(20).fill(0), { maxPastLags: 10, futureLags: 5, effectiveSamples: 100 }), DegenerateDataError);
    assert.ok(estimateMemory(gamma, { maxPastLags: 10, futureLags: 5, effectiveSamples: 50 }).warnings.some((w) => /10·P/.test(w)));
  });

  it('a deterministic input is reported, not fatal: the recursion stops and the curves are shortened', function () {
    const gamma = Array.from({ length: 40 }, (_, k) => Math.cos(0.4 * k));
    const memory = estimateMemory(gamma, { maxPastLags: 30, futureLags: 10, effectiveSamples: 1e4, ridge: 0 });
    assert.ok(memory.order <= 2);
    assert.ok(memory.warnings.some((w) => /stopped at order/.test(w)));
    assert.ok(memory.criterionValues.slice(3).every((x) => x === Number.POSITIVE_INFINITY));
  });
});
