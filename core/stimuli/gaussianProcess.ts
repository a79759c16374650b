/**
 * Stationary Gaussian processes on an equispaced grid (docs/method.md §3): independent draws with a
 * rational-quadratic, squared-exponential or exponential kernel (the authors: rational quadratic,
 * α = 1, ℓ = 1, 1000 points on [−10, 10], 200 draws).
 *
 * Sampling is exact: y = L z with L the Cholesky factor of the Toeplitz covariance
 * K_ij = k(t_i − t_j) (+ jitter on the diagonal) and z ~ N(0, I). Why Cholesky: it is exact for any
 * positive-definite kernel, 1000 points cost one O(n³/3) ≈ 3·10⁸-flop factorisation (~0.3 s) shared
 * by all draws, and circulant embedding (O(n log n)) needs the embedded circulant to be positive
 * semi-definite, which fails for smooth kernels (squared exponential, rational quadratic with
 * ℓ ≫ grid step) unless the period is made many length scales long.
 *
 * Jitter: smooth kernels on a fine grid give a covariance whose smallest eigenvalues are far below
 * round-off, so a tiny variance is added to the diagonal (default 1e-10 × variance; if the
 * factorisation still fails it is raised tenfold, up to 1e-4 × variance, and the value used is
 * reported). Jitter is white noise of sd √jitter, negligible next to the authors' observation
 * noise (sd ≥ 0.01).
 */
import { ConfigError, DegenerateDataError } from '../errors';
import { Random } from '../random';
import { requireFinite, requireInt, requireOneOf } from '../validate';
import { choleskyInPlace } from './dense';

/** A stationary covariance function of the lag τ (same units as the grid). */
export type Kernel = (tau: number) => number;

/** Covariance functions {@link GaussianProcessSampler} draws from. */
export type KernelName = 'rationalQuadratic' | 'squaredExponential' | 'exponential';

/** Largest grid (the Cholesky factor holds points² doubles: 4096² × 8 B = 134 MB). */
export const MAX_GP_POINTS = 4096;
/** Largest draws × points of one call (80 MB of Float64; the paper's 200 × 1000 is 2·10⁵). */
export const MAX_GP_VALUES = 10_000_000;

function positive(field: string, value: number): number {
  return requireFinite(field, value, { min: 0, exclusiveMin: true, max: 1e12 });
}

/**
 * Rational quadratic k(τ) = variance · (1 + τ² / (2 α ℓ²))^(−α): a scale mixture of squared
 * exponentials; α → ∞ gives the squared exponential.
 * @param alpha α > 0. @param lengthScale ℓ > 0. @param variance k(0), default 1.
 */
export function rationalQuadraticKernel(alpha: number, lengthScale: number, variance = 1): Kernel {
  positive('alpha', alpha); positive('lengthScale', lengthScale); positive('variance', variance);
  const denominator = 2 * alpha * lengthScale * lengthScale;
  return (tau) => variance * Math.pow(1 + (tau * tau) / denominator, -alpha);
}

/** Squared exponential k(τ) = variance · exp(−τ² / (2ℓ²)). @param lengthScale ℓ > 0. @param variance default 1. */
export function squaredExponentialKernel(lengthScale: number, variance = 1): Kernel {
  positive('lengthScale', lengthScale); positive('variance', variance);
  return (tau) => variance * Math.exp(-(tau * tau) / (2 * lengthScale * lengthScale));
}

/** Exponential (Ornstein–Uhlenbeck) k(τ) = variance · exp(−|τ| / ℓ). @param lengthScale ℓ > 0. @param variance default 1. */
export function exponentialKernel(lengthScale: number, variance = 1): Kernel {
  positive('lengthScale', lengthScale); positive('variance', variance);
  return (tau) => variance * Math.exp(-Math.abs(tau) / lengthScale);
}

/** Options of {@link GaussianProcessSampler} and {@link gaussianProcessDraws}. */
export interface GaussianProcessOptions {
  /** Kernel family. */
  readonly kernel: KernelName;
  /** α of the rational quadratic. Default 1. */
  readonly alpha?: number;
  /** ℓ, in the units of the grid. Default 1. */
  readonly lengthScale?: number;
  /** k(0). Default 1. */
  readonly variance?: number;
  /** Grid points per draw, 2 … 4096. Default 1000. */
  readonly points?: number;
  /** First grid time. Default −10. */
  readonly start?: number;
  /** Last grid time (inclusive). Default 10. */
  readonly end?: number;
  /** Number of independent draws (gaussianProcessDraws only). Default 200. */
  readonly draws?: number;
  /** Seed. Default 0. */
  readonly seed?: number;
  /** Diagonal jitter (absolute variance). Default 1e-10 × variance, raised automatically if needed. */
  readonly jitter?: number;
}

/** Defaults of {@link GaussianProcessOptions} (docs/method.md §3). */
export const DEFAULT_GP_OPTIONS = {
  alpha: 1,
  lengthScale: 1,
  variance: 1,
  points: 1000,
  start: -10,
  end: 10,
  draws: 200,
  seed: 0,
} as const;

/** Builds the kernel function named in the options. */
export function createKernel(options: Pick<GaussianProcessOptions, 'kernel' | 'alpha' | 'lengthScale' | 'variance'>): Kernel {
  const d = DEFAULT_GP_OPTIONS;
  const name = requireOneOf('kernel', options.kernel, ['rationalQuadratic', 'squaredExponential', 'exponential']);
  const lengthScale = options.lengthScale ?? d.lengthScale, variance = options.variance ?? d.variance;
  if (name === 'rationalQuadratic') return rationalQuadraticKernel(options.alpha ?? d.alpha, lengthScale, variance);
  if (name === 'squaredExponential') return squaredExponentialKernel(lengthScale, variance);
  return exponentialKernel(lengthScale, variance);
}

/** Draws one grid-sampled Gaussian-process path after another from a shared Cholesky factor. */
export class GaussianProcessSampler {
  /** Grid times t_i = start + i·(end − start)/(points − 1). */
  readonly times: Float64Array;
  /** Diagonal jitter actually used. */
  readonly jitter: number;
  readonly seed: number;
  /** The kernel. */
  readonly kernel: Kernel;
  private readonly factor: Float64Array; // lower Cholesky factor, row-major
  private random: Random;

  /** @throws ConfigError for bad options; DegenerateDataError if even the largest jitter fails. */
  constructor(options: GaussianProcessOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
    const d = DEFAULT_GP_OPTIONS;
    this.kernel = createKernel(options);
    const variance = options.variance ?? d.variance;
    const points = requireInt('points', options.points ?? d.points, { min: 2, max: MAX_GP_POINTS });
    const start = requireFinite('start', options.start ?? d.start, { min: -1e12, max: 1e12 });
    const end = requireFinite('end', options.end ?? d.end, { min: start, exclusiveMin: true, max: 1e12 });
    this.seed = requireInt('seed', options.seed ?? d.seed, { min: 0, max: Number.MAX_SAFE_INTEGER });
    const step = (end - start) / (points - 1);
    this.times = Float64Array.from({ length: points }, (_, i) => start + i * step);
    const lagCovariance = Float64Array.from({ length: points }, (_, k) => this.kernel(k * step));
    let jitter = options.jitter === undefined ? 1e-10 * variance : requireFinite('jitter', options.jitter, { min: 0, max: 1e12 });
    const maxJitter = Math.max(jitter, 1e-4 * variance);
    const factor = new Float64Array(points * points);
    for (;;) {
      for (let i = 0; i < points; i++) {
        for (let j = 0; j <= i; j++) factor[i * points + j] = lagCovariance[i - j];
        factor[i * points + i] += jitter;
      }
      if (choleskyInPlace(factor, points)) break;
      if (options.jitter !== undefined || jitter >= maxJitter) {
        throw new DegenerateDataError(`the ${options.kernel} covariance on ${points} points is not positive definite even with jitter ${jitter}`);
      }
      jitter = Math.min(maxJitter, jitter === 0 ? 1e-10 * variance : jitter * 10);
    }
    this.jitter = jitter;
    this.factor = factor;
    this.random = new Random(this.seed);
  }

  /** Grid length. */
  get points(): number { return this.times.length; }

  /** One new draw y = L z over the grid. */
  draw(): Float64Array {
    const n = this.times.length;
    const z = this.random.fillGaussian(new Float64Array(n));
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const row = i * n;
      let v = 0;
      for (let j = 0; j <= i; j++) v += this.factor[row + j] * z[j];
      y[i] = v;
    }
    return y;
  }

  /** Back to the first draw. */
  reset(): void {
    this.random = new Random(this.seed);
  }
}

/**
 * Independent Gaussian-process draws on an equispaced grid (exact, Cholesky; see the module comment).
 * @returns `draws` arrays of `points` values; draw i is the i-th draw of a sampler with this seed.
 */
export function gaussianProcessDraws(options: GaussianProcessOptions): Float64Array[] {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const draws = requireInt('draws', options.draws ?? DEFAULT_GP_OPTIONS.draws, { min: 1, max: MAX_GP_VALUES });
  const points = requireInt('points', options.points ?? DEFAULT_GP_OPTIONS.points, { min: 2, max: MAX_GP_POINTS });
  // Before the O(points³) factorisation.
  if (draws * points > MAX_GP_VALUES) throw new ConfigError('draws × points', draws * points, `at most ${MAX_GP_VALUES}`);
  const sampler = new GaussianProcessSampler(options);
  return Array.from({ length: draws }, () => sampler.draw());
}
