import * as assert from 'assert';
import { ConfigError } from '../../../core/errors';
import {
  createKernel, exponentialKernel, GaussianProcessSampler, gaussianProcessDraws, KernelName,
  rationalQuadraticKernel, squaredExponentialKernel,
} from '../../../core/stimuli/gaussianProcess';

describe('core/stimuli/gaussianProcess', function () {
  it('evaluates the kernels (k(0) = variance, closed forms, RQ → SE as α → ∞)', function () {
    const rq = rationalQuadraticKernel(1, 1);
    assert.strictEqual(rq(0), 1);
    assert.strictEqual(rq(2), 1 / 3); // (1 + 4/2)^−1
    assert.ok(Math.abs(rationalQuadraticKernel(2, 0.5, 3)(1) - 3 * Math.pow(1 + 1 / (2 * 2 * 0.25), -2)) < 1e-15);
    assert.ok(Math.abs(squaredExponentialKernel(2)(2) - Math.exp(-0.5)) < 1e-15);
    assert.ok(Math.abs(exponentialKernel(2, 4)(-2) - 4 * Math.exp(-1)) < 1e-15);
    assert.ok(Math.abs(rationalQuadraticKernel(1e7, 1)(1.3) - squaredExponentialKernel(1)(1.3)) < 1e-6);
    assert.throws(() => rationalQuadraticKernel(0, 1), /alpha must be a finite number > 0/);
    assert.throws(() => squaredExponentialKernel(-1), /lengthScale/);
  });

  describe('sample covariance matches the kernel', function () {
    const points = 200, draws = 2000, start = -10, end = 10;
    const step = (end - start) / (points - 1);
    for (const kernel of ['rationalQuadratic', 'squaredExponential', 'exponential'] as KernelName[]) {
      it(kernel, function () {
        const k = createKernel({ kernel, alpha: 1, lengthScale: 1 });
        const samples = gaussianProcessDraws({ kernel, points, draws, start, end, seed: 17 });
        assert.strictEqual(samples.length, draws);
        for (const lag of [0, 5, 10, 20, 40]) {
          // ĉ(L) = mean over draws and i of y_i y_{i+L}; by Isserlis its per-draw variance is
          // (1/M²) Σ_{i,j} [k(i−j)² + k(i−j+L) k(i−j−L)] with M = points − L.
          const M = points - lag;
          let sum = 0;
          for (const y of samples) for (let i = 0; i < M; i++) sum += y[i] * y[i + lag];
          const estimate = sum / (draws * M);
          let v = 0;
          for (let d = -(M - 1); d <= M - 1; d++) {
            const weight = M - Math.abs(d); // number of (i, j) with i − j = d
            v += weight * (k(d * step) ** 2 + k((d + lag) * step) * k((d - lag) * step));
          }
          const se = Math.sqrt(v / (M * M) / draws);
          assert.ok(Math.abs(estimate - k(lag * step)) < 4 * se, `${kernel} lag ${lag}: ${estimate} vs ${k(lag * step)} (se ${se})`);
        }
        // The grid ends are not special: E[y_0 y_j] = k(t_j − t_0), se √((k(0)² + k(τ)²)/draws).
        for (const j of [0, 3, 15]) {
          const estimate = samples.reduce((s, y) => s + y[0] * y[j], 0) / draws;
          const se = Math.sqrt((1 + k(j * step) ** 2) / draws);
          assert.ok(Math.abs(estimate - k(j * step)) < 4 * se, `${kernel} (0, ${j})`);
        }
      });
    }
  });

  it('runs the paper configuration (RQ α = ℓ = 1, 1000 points on [−10, 10], 200 draws) with a tiny jitter', function () {
    const sampler = new GaussianProcessSampler({ kernel: 'rationalQuadratic' });
    assert.strictEqual(sampler.points, 1000);
    assert.strictEqual(sampler.times[0], -10);
    assert.ok(Math.abs(sampler.times[999] - 10) < 1e-12);
    assert.ok(sampler.jitter <= 1e-8, `jitter ${sampler.jitter}`);
    const draws = gaussianProcessDraws({ kernel: 'rationalQuadratic' });
    assert.strictEqual(draws.length, 200);
    assert.strictEqual(draws[0].length, 1000);
    // Same seed, same draws; draw i of the function is draw i of a sampler.
    sampler.draw();
    assert.deepStrictEqual(sampler.draw(), draws[1]);
    sampler.reset();
    assert.deepStrictEqual(sampler.draw(), draws[0]);
  });

  it('rejects bad options', function () {
    assert.throws(() => gaussianProcessDraws({ kernel: 'matern' as never }), /kernel must be one of/);
    assert.throws(() => gaussianProcessDraws({ kernel: 'exponential', points: 5000 }), /points must be an integer ≥ 2 and ≤ 4096/);
    assert.throws(() => gaussianProcessDraws({ kernel: 'exponential', start: 1, end: 1 }), /end must be a finite number > 1/);
    assert.throws(() => gaussianProcessDraws({ kernel: 'exponential', draws: 0 }), ConfigError);
    assert.throws(() => gaussianProcessDraws({ kernel: 'exponential', points: 4096, draws: 3000 }), /draws × points must be at most 10000000/);
  });
});
