/**
 * Linear state-space (multivariate Ornstein–Uhlenbeck) processes, paper Eqs. 1–2 and docs/method.md §3:
 *   x_t = A x_{t−1} + B u_t,   y_t = C x_t + v_t,
 * with u_t ~ N(0, I) (one unit Gaussian per column of B) and v_t ~ N(0, observationNoiseVariance)
 * independently per output. A must be stable (spectral radius < 1).
 *
 * Stationarity from sample 0: by default x_0 is drawn from the stationary distribution N(0, Σ),
 * Σ the solution of the discrete Lyapunov equation Σ = A Σ Aᵀ + B Bᵀ, through a (semi-definite)
 * Cholesky factor of Σ. Then y_0, y_1, … is exactly stationary, with autocovariance
 * γ(k) = C A^k Σ Cᵀ (+ the noise variance at k = 0); see {@link stateSpaceAutocovariance}.
 *
 * Draw order: x_0 (n Gaussians), then per burn-in step the inputs u; then per output sample the
 * observation noise of each output followed by the next step's inputs u. Everything is sequential,
 * so the stream is the same whatever the chunk sizes.
 */
import { ConfigError, ShapeError } from '../errors';
import { Random } from '../random';
import { requireFinite, requireInt, requireOneOf } from '../validate';
import { Rows, add, choleskySemidefinite, frobeniusNorm, multiply, requireMatrix, transpose } from './dense';

/** Largest state dimension, input count and output count. */
export const MAX_STATE_DIMENSION = 64;
/** Largest samples × outputs of one call to `next` (80 MB of Float64), and largest burn-in. */
export const MAX_STATE_SPACE_SAMPLES = 10_000_000;

/** Options of {@link LinearStateSpace}. */
export interface LinearStateSpaceOptions {
  /** n×n state transition matrix (rows), spectral radius < 1. */
  readonly A: readonly (readonly number[])[];
  /** n×k input matrix: column j scales the j-th unit Gaussian input. */
  readonly B: readonly (readonly number[])[];
  /** Observation matrix: one row (number[], scalar output) or p rows of n (p outputs). */
  readonly C: readonly number[] | readonly (readonly number[])[];
  /** Variance of the white observation noise v_t added to each output. Default 0. */
  readonly observationNoiseVariance?: number;
  /** Seed. Default 0. */
  readonly seed?: number;
  /** 'stationary' (default): x_0 ~ N(0, Σ); 'zero': x_0 = 0 (then use burnIn). */
  readonly initialState?: 'stationary' | 'zero';
  /** Samples generated and discarded before the first output. Default 0. */
  readonly burnIn?: number;
}

/**
 * The authors' 3-state example (docs/method.md §3): A = [[0.6, 0.6, 0], [−0.6, 0.6, 0], [0, 0, 0.4]],
 * B = diag(0.17, −0.15, 0.28), C = [0.78, 0.53, 1.0], observation-noise variance 0.1 (use with
 * m = h = 25). Its population CCA has exactly 3 non-zero canonical correlations.
 */
export const PAPER_OU_PRESET: LinearStateSpaceOptions = Object.freeze({
  A: Object.freeze([Object.freeze([0.6, 0.6, 0]), Object.freeze([-0.6, 0.6, 0]), Object.freeze([0, 0, 0.4])]),
  B: Object.freeze([Object.freeze([0.17, 0, 0]), Object.freeze([0, -0.15, 0]), Object.freeze([0, 0, 0.28])]),
  C: Object.freeze([0.78, 0.53, 1.0]),
  observationNoiseVariance: 0.1,
});

interface ResolvedSystem {
  A: Rows;
  B: Rows;
  C: Rows;
  noiseVariance: number;
  /** Stationary state covariance Σ. */
  sigma: Rows;
}

function resolveSystem(options: LinearStateSpaceOptions): ResolvedSystem {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const A = requireMatrix('A', options.A, null, null, MAX_STATE_DIMENSION);
  const n = A.length;
  if (A[0].length !== n) throw new ConfigError('A', options.A, `a square matrix (got ${n}×${A[0].length})`);
  const B = requireMatrix('B', options.B, n, null, MAX_STATE_DIMENSION);
  const rawC = options.C;
  const C = Array.isArray(rawC) && rawC.length > 0 && !Array.isArray(rawC[0])
    ? requireMatrix('C', [rawC], 1, n, MAX_STATE_DIMENSION)
    : requireMatrix('C', rawC, null, n, MAX_STATE_DIMENSION);
  const noiseVariance = requireFinite('observationNoiseVariance', options.observationNoiseVariance ?? 0, { min: 0 });
  const sigma = solveDiscreteLyapunov(A, multiply(B, transpose(B)));
  return { A, B, C, noiseVariance, sigma };
}

/**
 * Solves Σ = A Σ Aᵀ + Q for a stable A by the doubling iteration
 *   Σ_{j+1} = Σ_j + M_j Σ_j M_jᵀ,  M_{j+1} = M_j²  (Σ_0 = Q, M_0 = A),
 * after j steps Σ_j = Σ_{i < 2^j} A^i Q (Aᵀ)^i; it stops when M_j is negligible.
 *
 * @param A n×n (rows), spectral radius < 1.
 * @param Q n×n symmetric PSD (e.g. B Bᵀ).
 * @returns Σ (rows), symmetrised.
 * @throws ConfigError when A is not stable (the series does not converge).
 */
export function solveDiscreteLyapunov(A: readonly (readonly number[])[], Q: readonly (readonly number[])[]): number[][] {
  const a = requireMatrix('A', A, null, null, MAX_STATE_DIMENSION);
  const n = a.length;
  if (a[0].length !== n) throw new ConfigError('A', A, `a square matrix (got ${n}×${a[0].length})`);
  let sigma = requireMatrix('Q', Q, n, n, MAX_STATE_DIMENSION);
  let m = a;
  const scale = Math.max(frobeniusNorm(sigma), Number.MIN_VALUE);
  for (let step = 0; step < 64; step++) {
    sigma = add(sigma, multiply(multiply(m, sigma), transpose(m)));
    m = multiply(m, m);
    const size = frobeniusNorm(m);
    if (!Number.isFinite(size) || !sigma.every((row) => row.every(Number.isFinite))) break;
    // ‖M‖² ‖Σ‖ bounds the rest of the series once ‖M‖ < 1.
    if (size < 1e-9 && size * size * frobeniusNorm(sigma) <= 1e-17 * scale) {
      return sigma.map((row, i) => row.map((x, j) => 0.5 * (x + sigma[j][i])));
    }
  }
  throw new ConfigError('A', A, 'a stable matrix (spectral radius < 1): the Lyapunov series Σ A^k Q (Aᵀ)^k does not converge');
}

/**
 * Population autocovariance of a scalar-output state-space process:
 * γ(k) = C A^k Σ Cᵀ for k ≥ 1 and γ(0) = C Σ Cᵀ + observationNoiseVariance.
 *
 * @param options the system (C must have one row); seed, initialState and burnIn are ignored.
 * @param maxLag largest lag k, ≥ 0.
 * @returns γ(0), …, γ(maxLag).
 */
export function stateSpaceAutocovariance(options: LinearStateSpaceOptions, maxLag: number): Float64Array {
  const { A, C, noiseVariance, sigma } = resolveSystem(options);
  requireInt('maxLag', maxLag, { min: 0, max: 1_000_000 });
  if (C.length !== 1) throw new ShapeError(`stateSpaceAutocovariance needs a scalar output; C has ${C.length} rows`);
  const out = new Float64Array(maxLag + 1);
  // w_k = A^k Σ Cᵀ, advanced one multiplication by A per lag.
  let w = sigma.map((row) => row.reduce((s, x, j) => s + x * C[0][j], 0));
  for (let k = 0; k <= maxLag; k++) {
    out[k] = C[0].reduce((s, c, j) => s + c * w[j], 0);
    w = A.map((row) => row.reduce((s, x, j) => s + x * w[j], 0));
  }
  out[0] += noiseVariance;
  return out;
}

/** Streaming generator of a linear state-space process (see the module comment). */
export class LinearStateSpace {
  /** State dimension n. */
  readonly stateDimension: number;
  /** Number of outputs p (rows of C). */
  readonly outputs: number;
  /** Stationary state covariance Σ (rows). */
  readonly stationaryCovariance: number[][];
  readonly seed: number;
  readonly burnIn: number;
  readonly initialState: 'stationary' | 'zero';

  private readonly system: ResolvedSystem;
  private readonly sigmaFactor: Rows;
  private random!: Random;
  private state!: Float64Array;
  private started = false;

  /** @throws ConfigError for bad shapes or values, or an unstable A. */
  constructor(options: LinearStateSpaceOptions) {
    this.system = resolveSystem(options);
    this.stateDimension = this.system.A.length;
    this.outputs = this.system.C.length;
    this.stationaryCovariance = this.system.sigma.map((row) => row.slice());
    this.seed = requireInt('seed', options.seed ?? 0, { min: 0, max: Number.MAX_SAFE_INTEGER });
    this.burnIn = requireInt('burnIn', options.burnIn ?? 0, { min: 0, max: MAX_STATE_SPACE_SAMPLES });
    this.initialState = requireOneOf('initialState', options.initialState ?? 'stationary', ['stationary', 'zero']);
    const factor = choleskySemidefinite(this.system.sigma);
    if (!factor) throw new ConfigError('A, B', null, 'a system whose stationary covariance is positive semi-definite');
    this.sigmaFactor = factor;
    this.reset();
  }

  /** Back to the just-constructed state: the same stream again. */
  reset(): void {
    this.random = new Random(this.seed);
    this.state = new Float64Array(this.stateDimension);
    this.started = false;
  }

  /**
   * The next n samples of a scalar-output process (C with one row).
   * @throws ShapeError when C has several rows (use {@link nextChannels}).
   */
  next(n: number): Float64Array {
    if (this.outputs !== 1) throw new ShapeError(`this process has ${this.outputs} outputs; use nextChannels(n)`);
    return this.nextChannels(n)[0];
  }

  /** The next n samples of every output: one Float64Array per row of C (n × outputs ≤ 10 000 000). */
  nextChannels(n: number): Float64Array[] {
    requireInt('n', n, { min: 0, max: Math.floor(MAX_STATE_SPACE_SAMPLES / this.outputs) });
    const out = Array.from({ length: this.outputs }, () => new Float64Array(n));
    if (!this.started) {
      this.started = true;
      if (this.initialState === 'stationary') {
        const z = Array.from({ length: this.stateDimension }, () => this.random.gaussian());
        for (let i = 0; i < this.stateDimension; i++) {
          let v = 0;
          for (let j = 0; j <= i; j++) v += this.sigmaFactor[i][j] * z[j];
          this.state[i] = v;
        }
      }
      for (let k = 0; k < this.burnIn; k++) this.advance();
    }
    // `state` always holds the state of the next output sample.
    for (let k = 0; k < n; k++) {
      this.observe(out, k);
      this.advance();
    }
    return out;
  }

  /** x ← A x + B u with fresh unit Gaussians u. */
  private advance(): void {
    const { A, B } = this.system;
    const n = this.stateDimension;
    const inputs = B[0].length;
    const u = new Float64Array(inputs);
    for (let j = 0; j < inputs; j++) u[j] = this.random.gaussian();
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let j = 0; j < n; j++) v += A[i][j] * this.state[j];
      for (let j = 0; j < inputs; j++) v += B[i][j] * u[j];
      next[i] = v;
    }
    this.state = next;
  }

  /** y = C x + v into out[·][k]. */
  private observe(out: Float64Array[], k: number): void {
    const { C, noiseVariance } = this.system;
    const noiseSd = Math.sqrt(noiseVariance);
    for (let p = 0; p < this.outputs; p++) {
      let v = 0;
      for (let j = 0; j < this.stateDimension; j++) v += C[p][j] * this.state[j];
      const noise = noiseSd > 0 ? noiseSd * this.random.gaussian() : 0;
      out[p][k] = v + noise;
    }
  }
}
