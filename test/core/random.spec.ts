/**
 * Seeded random numbers (core/random.ts).
 *
 * Statistical tolerances are 5 standard errors of the estimate over N = 2·10^5 draws (a false
 * failure has probability < 1e-6 per check; the seeds are fixed anyway, so a pass is reproducible).
 */
import { strict as assert } from 'assert';
import { ConfigError } from '../../core/errors';
import { createRandom, Random } from '../../core/random';

const N = 200_000;
const Z = 5; // standard errors allowed (see header)

function draws(n: number, draw: () => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draw();
  return out;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function centralMoment(x: ArrayLike<number>, k: number): number {
  const mu = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mu) ** k;
  return s / x.length;
}

describe('core/random Random', function () {
  describe('determinism', function () {
    it('the same seed gives the same sequence (uniform, gaussian, integer, powerLaw)', function () {
      for (const seed of [0, 1, 42, 2 ** 31, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER]) {
        const a = new Random(seed), b = createRandom(seed);
        const seqA = [a.uniform(), a.gaussian(), a.integer(10), a.powerLaw(2, 1, 100), a.nextUint32(), a.gaussian(), a.gaussian()];
        const seqB = [b.uniform(), b.gaussian(), b.integer(10), b.powerLaw(2, 1, 100), b.nextUint32(), b.gaussian(), b.gaussian()];
        assert.deepEqual(seqA, seqB);
        assert.equal(a.seed, seed);
      }
    });

    it('Gaussian draws do not depend on how they are chunked', function () {
      const one = new Random(9).fillGaussian(new Float64Array(11));
      const split = new Random(9);
      const parts = [split.fillGaussian(new Array<number>(3).fill(0)), split.fillGaussian(new Float64Array(5)), [split.gaussian(), split.gaussian(), split.gaussian()]];
      assert.deepEqual(Array.from(one), parts.flatMap((p) => Array.from(p)));
    });

    it('fork() is deterministic and gives a different stream', function () {
      const a = new Random(5), b = new Random(5);
      const fa = a.fork(), fb = b.fork();
      const x = draws(20, () => fa.uniform()), y = draws(20, () => fb.uniform());
      assert.deepEqual(x, y);
      assert.notDeepEqual(Array.from(x), Array.from(draws(20, () => a.uniform())));
    });
  });

  describe('different seeds differ', function () {
    it('for small, neighbouring and large seeds', function () {
      const seeds = [0, 1, 2, 3, 1000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 52, 2 ** 52 + 1, Number.MAX_SAFE_INTEGER];
      const firsts = seeds.map((seed) => {
        const r = new Random(seed);
        return Array.from({ length: 4 }, () => r.nextUint32()).join(',');
      });
      assert.equal(new Set(firsts).size, seeds.length);
    });

    it('seeds that agree in their low 32 bits do not collide (regression: 0 and 2^32 + 0x9e3779b9 did)', function () {
      const first = (seed: number): string => {
        const r = new Random(seed);
        return Array.from({ length: 8 }, () => r.nextUint32()).join(',');
      };
      assert.notEqual(first(0), first(2 ** 32 + 0x9e3779b9));
      // same low half, different high halves: the very first outputs already differ
      const lowHalfTwins = [5, 2 ** 32 + 5, 2 * 2 ** 32 + 5, 2 ** 52 + 5];
      assert.equal(new Set(lowHalfTwins.map((s) => new Random(s).nextUint32())).size, lowHalfTwins.length);
    });

    it('two sequences from different seeds are uncorrelated', function () {
      const a = new Random(123), b = new Random(124);
      const x = draws(N, () => a.gaussian()), y = draws(N, () => b.gaussian());
      let cross = 0;
      for (let i = 0; i < N; i++) cross += x[i] * y[i];
      // sample correlation of independent N(0,1) pairs: SE 1/√N
      assert.ok(Math.abs(cross / N) < Z / Math.sqrt(N));
    });

    it('rejects a seed that is not a non-negative integer', function () {
      for (const seed of [-1, 1.5, NaN, Infinity, 2 ** 53, '7']) {
        assert.throws(() => new Random(seed as number), (err: Error) => err instanceof ConfigError && /seed must be an integer/.test(err.message));
      }
    });
  });

  describe('uniform', function () {
    it('lies in [0, 1) and has mean 1/2 and variance 1/12 within sampling error', function () {
      const r = new Random(2024);
      const x = draws(N, () => r.uniform());
      assert.ok(x.every((u) => u >= 0 && u < 1));
      // SE of the mean √(1/12/N); SE of the variance √((1/80 − 1/144)/N) (fourth central moment 1/80)
      assert.ok(Math.abs(mean(x) - 0.5) < Z * Math.sqrt(1 / 12 / N));
      assert.ok(Math.abs(centralMoment(x, 2) - 1 / 12) < Z * Math.sqrt((1 / 80 - 1 / 144) / N));
    });

    it('fills ten equal bins evenly (χ² with 9 degrees of freedom)', function () {
      const r = new Random(77);
      const counts = new Array<number>(10).fill(0);
      for (let i = 0; i < N; i++) counts[Math.floor(r.uniform() * 10)]++;
      const chi2 = counts.reduce((s, c) => s + (c - N / 10) ** 2 / (N / 10), 0);
      assert.ok(chi2 < 33.7, `χ² = ${chi2}`); // 99.99th percentile of χ²(9)
    });

    it('uniformIn maps onto [low, high)', function () {
      const r = new Random(3);
      const x = draws(10_000, () => r.uniformIn(-2, 5));
      assert.ok(x.every((v) => v >= -2 && v < 5));
      assert.ok(Math.abs(mean(x) - 1.5) < Z * 7 * Math.sqrt(1 / 12 / 10_000));
    });
  });

  describe('gaussian', function () {
    it('has mean 0, variance 1 and kurtosis 3 within sampling error', function () {
      const r = new Random(31337);
      const x = draws(N, () => r.gaussian());
      const variance = centralMoment(x, 2);
      const kurtosis = centralMoment(x, 4) / variance ** 2;
      // SEs for N(0,1): mean 1/√N, variance √(2/N), kurtosis √(24/N)
      assert.ok(Math.abs(mean(x)) < Z / Math.sqrt(N), `mean ${mean(x)}`);
      assert.ok(Math.abs(variance - 1) < Z * Math.sqrt(2 / N), `variance ${variance}`);
      assert.ok(Math.abs(kurtosis - 3) < Z * Math.sqrt(24 / N), `kurtosis ${kurtosis}`);
      // symmetric: skewness 0, SE √(6/N)
      assert.ok(Math.abs(centralMoment(x, 3) / variance ** 1.5) < Z * Math.sqrt(6 / N));
      assert.ok(x.every(Number.isFinite));
    });

    it('follows the normal law bin by bin, tails and ziggurat layer edges included (χ² over 2·10^6 draws)', function () {
      // bin probabilities from the density itself (composite Simpson, error < 1e-12), not from the sampler
      const density = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
      const integral = (a: number, b: number): number => {
        const steps = 2000, h = (b - a) / steps;
        let sum = density(a) + density(b);
        for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * density(a + i * h);
        return (sum * h) / 3;
      };
      const r = 3.6541528853610088; // where the ziggurat's base layer hands over to its tail
      const inner = [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, r, 4, 4.5, 12];
      const edges = [...inner.slice(1).reverse().map((e) => -e), ...inner];
      const probabilities = edges.slice(0, -1).map((a, i) => integral(a, edges[i + 1]));
      const total = 4_000_000 / 2;
      const x = new Random(2718).fillStandardNormal(new Float64Array(total));
      const counts = new Array<number>(probabilities.length).fill(0);
      for (const value of x) {
        assert.ok(Math.abs(value) < 12);
        let bin = 0;
        while (value >= edges[bin + 1]) bin++;
        counts[bin]++;
      }
      let chi2 = 0;
      probabilities.forEach((p, i) => { chi2 += (counts[i] - total * p) ** 2 / (total * p); });
      // Wilson–Hilferty upper 1e-6 point of χ² with ν degrees of freedom (z = 4.75)
      const nu = probabilities.length - 1;
      const critical = nu * (1 - 2 / (9 * nu) + 4.75 * Math.sqrt(2 / (9 * nu))) ** 3;
      assert.ok(chi2 < critical, `χ² ${chi2.toFixed(1)} ≥ ${critical.toFixed(1)} (ν = ${nu}); counts ${counts.join(' ')}`);
    });

    it('draws the tail beyond the ziggurat base layer with the normal law: E[|x| | |x| > r] = φ(r)/Q(r)', function () {
      const r = 3.6541528853610088;
      const density = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
      let upper = 0; // Q(r) = ∫_r^∞ φ by composite Simpson on [r, 14]
      const steps = 4000, h = (14 - r) / steps;
      for (let i = 0; i <= steps; i++) upper += (i === 0 || i === steps ? 1 : i % 2 ? 4 : 2) * density(r + i * h);
      upper *= h / 3;
      const x = new Random(1618).fillStandardNormal(new Float64Array(10_000_000));
      const tail: number[] = [];
      for (const value of x) if (Math.abs(value) > r) tail.push(Math.abs(value));
      const n = tail.length, p = 2 * upper;
      assert.ok(Math.abs(n - x.length * p) < Z * Math.sqrt(x.length * p), `${n} tail draws, expected ${x.length * p}`);
      const tailMean = mean(tail), tailSd = Math.sqrt(centralMoment(tail, 2));
      const expected = density(r) / upper; // the inverse Mills ratio
      assert.ok(Math.abs(tailMean - expected) < Z * tailSd / Math.sqrt(n), `tail mean ${tailMean}, expected ${expected} (n = ${n})`);
    });

    it('fillStandardNormal gives exactly the gaussian() sequence, rare tail and wedge draws included', function () {
      const a = new Random(77), b = new Random(77);
      const one = draws(100_000, () => a.gaussian());
      const bulk = b.fillStandardNormal(new Float64Array(100_000));
      assert.deepEqual(Array.from(bulk), Array.from(one));
      assert.ok(one.some((value) => Math.abs(value) > 3.6541528853610088), 'the sample reaches the tail');
      assert.equal(a.nextUint32(), b.nextUint32(), 'the generators end in the same state');
      // split fills continue the same stream
      const c = new Random(77), split = new Float64Array(100_000);
      for (const [from, to] of [[0, 1], [1, 999], [999, 50_000], [50_000, 100_000]]) c.fillStandardNormal(split.subarray(from, to));
      assert.deepEqual(Array.from(split), Array.from(one));
    });

    it('successive draws are uncorrelated', function () {
      const r = new Random(8);
      const x = draws(N, () => r.gaussian());
      for (const lag of [1, 2]) {
        let s = 0;
        for (let i = 0; i + lag < N; i++) s += x[i] * x[i + lag];
        assert.ok(Math.abs(s / (N - lag)) < Z / Math.sqrt(N), `lag ${lag}`);
      }
    });

    it('fillGaussian applies sd and mean', function () {
      const r = new Random(10);
      const x = r.fillGaussian(new Float64Array(N), 3, -7);
      assert.ok(Math.abs(mean(x) + 7) < Z * 3 / Math.sqrt(N));
      assert.ok(Math.abs(centralMoment(x, 2) - 9) < Z * 9 * Math.sqrt(2 / N));
    });
  });

  describe('integer', function () {
    it('stays in [0, n), is an integer and hits every value about equally often', function () {
      const r = new Random(99);
      for (const n of [1, 2, 7, 1000]) {
        const counts = new Array<number>(n).fill(0);
        const draws = 20 * n + 1000;
        for (let i = 0; i < draws; i++) {
          const k = r.integer(n);
          assert.ok(Number.isInteger(k) && k >= 0 && k < n);
          counts[k]++;
        }
        assert.ok(counts.every((c) => c > 0), `n = ${n}: a value never drawn`);
      }
    });

    it('rejects n that is not a positive integer', function () {
      const r = new Random(1);
      for (const n of [0, -3, 2.5, NaN]) assert.throws(() => r.integer(n), ConfigError);
    });
  });

  describe('powerLaw', function () {
    it('stays within [min, max] and has the analytic median', function () {
      const r = new Random(4);
      // density ∝ x^(−2) on [1, 100]: CDF (1 − 1/x)/(1 − 1/100), median 1/(1 − 0.495) = 1.98;
      // exponent 1 (log-uniform): median √(1·100) = 10
      for (const [exponent, median] of [[2, 1 / (1 - 0.5 * 0.99)], [1, 10], [3, 1 / Math.sqrt(1 - 0.5 * (1 - 1e-4))]]) {
        const x = Array.from(draws(N, () => r.powerLaw(exponent, 1, 100))).sort((a, b) => a - b);
        assert.ok(x[0] >= 1 && x[N - 1] <= 100, `exponent ${exponent}: range [${x[0]}, ${x[N - 1]}]`);
        // the empirical CDF at the true median is 1/2 ± 1/(2√N)
        const below = x.filter((v) => v < median).length / N;
        assert.ok(Math.abs(below - 0.5) < Z / (2 * Math.sqrt(N)), `exponent ${exponent}: F(median) = ${below}`);
      }
    });

    it('rejects a non-positive min or max < min', function () {
      const r = new Random(1);
      assert.throws(() => r.powerLaw(2, 0, 10), ConfigError);
      assert.throws(() => r.powerLaw(2, 5, 1), ConfigError);
      assert.throws(() => r.powerLaw(NaN, 1, 2), ConfigError);
    });
  });
});
