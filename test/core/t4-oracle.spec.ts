/**
 * The T4 unit (core/t4.ts) against oracles that share no code with it: moments summed pair by pair
 * (oracleMoments) or written in closed form, canonical directions from a textbook eigen-solution
 * (Jacobi on Σpp^{−1/2} Σpf Σff^{−1} Σfp Σpp^{−1/2}, test/helpers/oracles.ts), never from
 * core/cca.ts, core/moments.ts or ml-matrix. The sign rule of docs/method.md §4.4 is applied by the
 * oracle itself: (Rp w)[L1_centre] > 0.
 */
import * as assert from 'assert';
import { Random } from '../../core/random';
import { T4Fit, T4Layer } from '../../core/t4';
import { Mat, oracleMoments, relativeError, Series, textbookCca, unflatten } from '../helpers/oracles';

const L1_CENTRE = 3;

/** Channels [L3, L1] × (left, centre, right) of the triplet centred on `centre`, as plain arrays. */
function triplet(l3: Float64Array[], l1: Float64Array[], centre: number): Series {
  return [l3[centre - 1], l1[centre - 1], l3[centre], l1[centre], l3[centre + 1], l1[centre + 1]].map((c) => Array.from(c));
}

/** The oracle's sign rules: 'on-drive' (Rp w)[L1_centre] > 0, 'centre-weight' w[L1_centre] > 0. */
function signed(w: number[], Rp: Mat, rule: 'on-drive' | 'centre-weight' = 'on-drive'): number[] {
  const statistic = rule === 'on-drive' ? Rp[L1_CENTRE].reduce((s, x, j) => s + x * w[j], 0) : w[L1_CENTRE];
  return statistic < 0 ? w.map((x) => -x) : w;
}

/** wᵀ R w. */
function quadratic(w: ArrayLike<number>, R: Mat): number {
  let s = 0;
  for (let i = 0; i < R.length; i++) for (let j = 0; j < R.length; j++) s += w[i] * R[i][j] * w[j];
  return s;
}

/**
 * A luminance field drifting across `pixels` pixels one pixel per `step` samples (rightward: pixel
 * p sees f(t − p·step)); f is a stationary Gaussian AR(1), f_t = a·f_{t−1} + e_t. L3 = the pixel's
 * signal (+ white noise of sd `noiseSd`), L1 = max(L3_t − L3_{t−1}, 0), the rectified derivative.
 */
function driftingPattern(random: Random, options: { a: number; step: number; pixels: number; length: number; direction: 'right' | 'left'; noiseSd?: number }) {
  const { a, step, pixels, length, direction, noiseSd = 0 } = options;
  const pad = (pixels - 1) * step + 1;
  const field = new Float64Array(length + pad);
  field[0] = random.gaussian() / Math.sqrt(1 - a * a);
  for (let i = 1; i < field.length; i++) field[i] = a * field[i - 1] + random.gaussian();
  const l3: Float64Array[] = [], l1: Float64Array[] = [];
  for (let p = 0; p < pixels; p++) {
    const offset = (direction === 'right' ? p : pixels - 1 - p) * step;
    const seen = Float64Array.from({ length: length + 1 }, (_, i) => field[i + pad - 1 - offset] + (noiseSd > 0 ? noiseSd * random.gaussian() : 0));
    l3.push(seen.subarray(1));
    l1.push(Float64Array.from({ length }, (_, t) => Math.max(seen[t + 1] - seen[t], 0)));
  }
  return { l3, l1 };
}

/**
 * Closed-form uncentered moments E[x(t + τ) x(t)ᵀ] of the six T4 inputs of {@link driftingPattern}
 * (three pixels, no noise). Every input is s or d⁺ with s, d jointly Gaussian linear functionals of
 * f, whose covariances follow from γ(k) = a^|k| / (1 − a²). For zero-mean jointly Gaussian u, v:
 * E[u v⁺] = cov(u, v)/2 (regress u on v), and E[u⁺ v⁺] = σu σv (√(1 − r²) + r (π − arccos r)) / 2π
 * (the arc-cosine kernel of order 1; Cho & Saul 2009).
 */
function driftingMoments(a: number, step: number, direction: 'right' | 'left', lag: number): Mat {
  const gamma = (k: number): number => a ** Math.abs(k) / (1 - a * a);
  // channel c at time τ as a list of (time, coefficient) of f
  const functional = (c: number, tau: number): [number, number][] => {
    const pixel = c >> 1, t = tau - (direction === 'right' ? pixel : 2 - pixel) * step;
    return c % 2 === 0 ? [[t, 1]] : [[t, 1], [t - 1, -1]];
  };
  const cov = (u: [number, number][], v: [number, number][]): number =>
    u.reduce((s, [tu, cu]) => s + v.reduce((q, [tv, cv]) => q + cu * cv * gamma(tu - tv), 0), 0);
  const moment = (i: number, j: number): number => {
    const u = functional(i, lag), v = functional(j, 0);
    const rectified = (i % 2) + (j % 2);
    if (rectified === 0) return cov(u, v);
    if (rectified === 1) return cov(u, v) / 2;
    const su = Math.sqrt(cov(u, u)), sv = Math.sqrt(cov(v, v));
    const r = Math.max(-1, Math.min(1, cov(u, v) / (su * sv)));
    return (su * sv * (Math.sqrt(1 - r * r) + r * (Math.PI - Math.acos(r)))) / (2 * Math.PI);
  };
  return Array.from({ length: 6 }, (_, i) => Array.from({ length: 6 }, (_, j) => moment(i, j)));
}

/** Population T4 of the drifting pattern: textbook CCA of the closed-form moments (no ridge). */
function populationT4(a: number, step: number, delay: number, direction: 'right' | 'left') {
  const Rp = driftingMoments(a, step, direction, 0), Q = driftingMoments(a, step, direction, delay);
  const cca = textbookCca(Rp, Q, Rp, 0);
  return { Rp, Q, correlations: cca.correlations, directions: cca.pastDirections.map((w) => signed(w, Rp)) };
}

describe('core/t4 against a textbook CCA (an oracle that does not call core)', function () {
  /**
   * Five pixels (three triplets), two series, learned in uneven chunks; the oracle sums the pairs of
   * each (series, triplet) on its own. Round-off only: both sides solve the same 6 × 6 problem in
   * double precision (≈ 1e-16 × condition number ≈ 1e-13 here), the directions' error further
   * scaled by 1/(relative gap between neighbouring ρ), so 1e-8 leaves ample room and is still far
   * below any real difference (see the next test).
   */
  function exactCase(delay: number) {
    const random = new Random(11);
    const series = ['a', 'b'].map(() => driftingPattern(random, { a: 0.8, step: 3, pixels: 5, length: 1500, direction: 'right', noiseSd: 0.3 }));
    const options = { delay, component: 2 };
    const learn = (layer: T4Layer): T4Layer => {
      series.forEach(({ l3, l1 }, s) => {
        for (const [start, end] of [[0, 1], [1, 640], [640, 1500]]) {
          layer.learn(l3.map((c) => c.subarray(start, end)), l1.map((c) => c.subarray(start, end)), `s${s}`, { end: end === 1500 });
        }
      });
      return layer;
    };
    const triplets = series.flatMap(({ l3, l1 }) => [1, 2, 3].map((centre) => triplet(l3, l1, centre)));
    const moments = oracleMoments(triplets, 1, 1, delay - 1);
    const Rp = unflatten(6, 6, moments.Rp), Q = unflatten(6, 6, moments.Q), Rf = unflatten(6, 6, moments.Rf);
    return { series, triplets, learn, options, Rp, Q, Rf, oracle: textbookCca(Rp, Q, Rf) };
  }

  for (const delay of [1, 5, 13]) {
    it(`delay ${delay}: every canonical correlation and direction, the weights, normalizedWeights and signMargin`, function () {
      const { learn, options, Rp, triplets, oracle } = exactCase(delay);
      const fit = learn(new T4Layer(options)).solve();
      assert.strictEqual(fit.correlations.length, 6);
      oracle.correlations.forEach((rho, k) => assert.ok(Math.abs(fit.correlations[k] - rho) < 1e-10, `ρ${k + 1}: ${fit.correlations[k]} vs ${rho}`));
      const expected = oracle.pastDirections.map((w) => signed(w, Rp));
      expected.forEach((w, k) => {
        const error = relativeError(fit.fit.pastFilters[k], w);
        assert.ok(error < 1e-8, `direction ${k + 1}: relative error ${error}\n core   ${Array.from(fit.fit.pastFilters[k])}\n oracle ${w}`);
      });
      assert.ok(relativeError(fit.weights, expected[1]) < 1e-8, 'T4 = the second direction');
      // ψᵀ Rp ψ = 1: the drive is whitened on the training data
      assert.ok(Math.abs(quadratic(fit.weights, Rp) - 1) < 1e-8);
      // signMargin = corr(w·x, L1_centre), uncentered, over the learned pairs' pasts
      const margin = Rp[L1_CENTRE].reduce((s, x, j) => s + x * expected[1][j], 0) / Math.sqrt(Rp[L1_CENTRE][L1_CENTRE] * quadratic(expected[1], Rp));
      assert.ok(margin > 0.05 && Math.abs(fit.signMargin - margin) < 1e-8, `signMargin ${fit.signMargin} vs ${margin}`);
      // normalizedWeights = weights × sd of each input over every learned sample (÷N, centered)
      const sd = [0, 1, 2, 3, 4, 5].map((c) => {
        const values = triplets.flatMap((t) => t[c]);
        const mean = values.reduce((s, x) => s + x, 0) / values.length;
        return Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length);
      });
      assert.ok(relativeError(fit.normalizedWeights, expected[1].map((w, c) => w * sd[c])) < 1e-8);
    });
  }

  it("the 'centre-weight' rule and the component option pick the oracle's direction with that sign", function () {
    const { learn, Rp, oracle } = exactCase(5);
    for (const component of [1, 3, 6]) {
      const fit = learn(new T4Layer({ delay: 5, component })).solve();
      assert.ok(relativeError(fit.weights, signed(oracle.pastDirections[component - 1], Rp)) < 1e-8, `component ${component}`);
    }
    const old = learn(new T4Layer({ delay: 5, signRule: 'centre-weight' })).solve();
    oracle.pastDirections.forEach((w, k) => assert.ok(relativeError(old.fit.pastFilters[k], signed(w, Rp, 'centre-weight')) < 1e-8, `direction ${k + 1}`));
  });

  it('the comparison can fail: a wrong delay, channel order, direction, sign or ridge is far outside 1e-8', function () {
    const { learn, triplets, Rp, Q, Rf, oracle } = exactCase(5);
    const fit: T4Fit = learn(new T4Layer({ delay: 5 })).solve();
    const expected = signed(oracle.pastDirections[1], Rp);
    const wrong: Record<string, number[]> = {};
    for (const delay of [4, 6]) {
      const m = oracleMoments(triplets, 1, 1, delay - 1);
      wrong[`delay ${delay}`] = signed(textbookCca(unflatten(6, 6, m.Rp), unflatten(6, 6, m.Q), unflatten(6, 6, m.Rf)).pastDirections[1], unflatten(6, 6, m.Rp));
    }
    // weights read back in the wrong channel order (CCA itself is equivariant to a consistent permutation)
    wrong['L1/L3 read swapped'] = [expected[1], expected[0], expected[3], expected[2], expected[5], expected[4]];
    wrong['left/right read swapped'] = [expected[4], expected[5], expected[2], expected[3], expected[0], expected[1]];
    wrong['first direction'] = signed(oracle.pastDirections[0], Rp);
    wrong['opposite sign'] = expected.map((x) => -x);
    wrong['ridge 1e-2'] = signed(textbookCca(Rp, Q, Rf, 1e-2).pastDirections[1], Rp);
    assert.ok(relativeError(fit.weights, expected) < 1e-8);
    for (const [what, w] of Object.entries(wrong)) {
      const error = relativeError(fit.weights, w);
      assert.ok(error > 1e-3, `${what}: relative error only ${error}`);
    }
  });

  it('a drifting Gaussian pattern: learned T4 converges to the textbook solution of the closed-form moments and prefers the training direction', function () {
    this.timeout(120_000);
    // AR(1) a = 0.9 drifting one pixel per 3 samples, delay 5, one triplet of 5·10⁵ samples. Sampling
    // error of the moments ≈ √(τ/N), τ = (1 + a)/(1 − a) = 19 the AR(1) correlation time: ≈ 0.006;
    // the directions inherit it amplified by ≲ 1/(ρ2 − ρ3) ≈ 9 in the worst case. Tolerances: moments
    // 0.03 (5×), ρ 0.01, weights 0.05 relative (the wrong-delay solutions differ by > 1, above).
    const a = 0.9, step = 3, delay = 5, length = 500_000;
    const populations = { right: populationT4(a, step, delay, 'right'), left: populationT4(a, step, delay, 'left') };
    for (const direction of ['right', 'left'] as const) {
      const population = populations[direction];
      const { l3, l1 } = driftingPattern(new Random(direction === 'right' ? 21 : 22), { a, step, pixels: 3, length, direction });
      const layer = new T4Layer({ delay });
      layer.learn(l3, l1);
      const moments = layer.statistics.moments();
      assert.ok(relativeError(moments.pastMoment, population.Rp.flat()) < 0.03, `${direction}: Rp`);
      assert.ok(relativeError(moments.futurePastMoment, population.Q.flat()) < 0.03, `${direction}: Q`);
      const fit = layer.solve();
      population.correlations.forEach((rho, k) => assert.ok(Math.abs(fit.correlations[k] - rho) < 0.01, `${direction} ρ${k + 1}: ${fit.correlations[k]} vs ${rho}`));
      const error = relativeError(fit.weights, population.directions[1]);
      assert.ok(error < 0.05, `${direction}: weights ${Array.from(fit.weights)} vs ${population.directions[1]} (relative error ${error})`);
      // direction-selective: the upstream flank outweighs the downstream one in both pathways, and
      // the drive's energy wᵀ R w is larger for the training (preferred) direction than the mirrored one
      const [up, down] = direction === 'right' ? [0, 4] : [4, 0];
      assert.ok(fit.weights[up] > fit.weights[down] + 0.2 && fit.weights[up + 1] > fit.weights[down + 1] + 0.05, `${direction}: flanks ${Array.from(fit.weights)}`);
      const preferred = quadratic(fit.weights, population.Rp);
      const nullEnergy = quadratic(fit.weights, populations[direction === 'right' ? 'left' : 'right'].Rp);
      assert.ok(preferred - nullEnergy > 0.15, `${direction}: energy preferred ${preferred}, null ${nullEnergy}`);
    }
    // the population solutions mirror each other exactly (left ↔ right pixel blocks)
    const [r, l] = [populations.right.directions[1], populations.left.directions[1]];
    assert.ok(relativeError([l[4], l[5], l[2], l[3], l[0], l[1]], r) < 1e-12);
  });

  it('a pure delay (one pixel spacing in exactly `delay` samples): ρ1…ρ4 = 1 and those directions never weigh the downstream pixel', function () {
    // The future of the centre pixel is the past of the left one, the future of the right pixel the
    // past of the centre one, sample by sample: every past combination of the two upstream pixels is
    // predicted exactly (ρ = 1, four-fold), and any weight on the downstream pixel adds an
    // unpredictable part. Exact on the sample, so round-off and the 1e-10 ridge are the tolerance.
    const step = 4, delay = 4;
    for (const direction of ['right', 'left'] as const) {
      const { l3, l1 } = driftingPattern(new Random(31), { a: 0.9, step, pixels: 3, length: 20_000, direction });
      const layer = new T4Layer({ delay });
      layer.learn(l3, l1);
      const fit = layer.solve();
      const population = populationT4(0.9, step, delay, direction);
      for (let k = 0; k < 4; k++) assert.ok(fit.correlations[k] > 1 - 1e-7, `${direction} ρ${k + 1} = ${fit.correlations[k]}`);
      assert.ok(population.correlations.slice(0, 4).every((rho) => rho > 1 - 1e-12), 'the oracle agrees: four exact predictions');
      assert.ok(fit.correlations[4] < 0.95 && Math.abs(fit.correlations[4] - population.correlations[4]) < 0.03, `${direction} ρ5 ${fit.correlations[4]} vs ${population.correlations[4]}`);
      const downstream = direction === 'right' ? [4, 5] : [0, 1];
      for (let k = 0; k < 4; k++) {
        const w = fit.fit.pastFilters[k], norm = Math.hypot(...w);
        assert.ok(downstream.every((c) => Math.abs(w[c]) < 1e-6 * norm), `${direction} direction ${k + 1}: ${Array.from(w)}`);
      }
      assert.ok(downstream.every((c) => fit.weights[c] === fit.fit.pastFilters[1][c]), 'T4 is one of them');
      // the 5th direction is what is left: it must weigh the downstream pixel
      const fifth = fit.fit.pastFilters[4];
      assert.ok(downstream.some((c) => Math.abs(fifth[c]) > 0.1 * Math.hypot(...fifth)), `${direction} direction 5: ${Array.from(fifth)}`);
    }
  });
});
