/**
 * Shared pieces of the paper reproduction (issue 5): progress reporting, seed derivation, the
 * scene type, conversions to plain arrays, and the search for values that could not be computed.
 * Pure computation: no fs, no console.
 *
 * Failures stay visible (issue 15): a value that could not be computed is NaN in memory, null in
 * results.json (JSON.stringify writes NaN and ±∞ as null) and listed in `problems` by
 * {@link findNonFinite}; it is never replaced by 0.
 */
import { Random } from '../random';
import { ContrastImage } from '../stimuli/contrast';

/** One progress report: experiment name, a short step description ('done' at the end), and the fraction done (0 … 1). */
export interface ProgressEvent {
  readonly experiment: string;
  readonly step: string;
  readonly fraction: number;
}

/** Optional observer of long steps (the CLI prints them to stderr; core never prints). */
export type ProgressCallback = (event: ProgressEvent) => void;

/** Reports progress of one experiment; a no-op without a callback. */
export function progressReporter(experiment: string, callback?: ProgressCallback): (step: string, fraction: number) => void {
  return (step, fraction) => { if (callback) callback({ experiment, step, fraction: Math.min(1, Math.max(0, fraction)) }); };
}

/** A scene for the natural-scene and motion experiments. */
export interface ExperimentScene {
  /** File name, or a description of the built-in scene. */
  readonly name: string;
  /** True for the built-in dead-leaves scene (figures say so in their titles). */
  readonly builtIn: boolean;
  readonly contrast: ContrastImage;
}

/** Independent integer seeds for the sub-experiments, derived from one master seed. */
export function deriveSeeds(seed: number, count: number): number[] {
  const random = new Random(seed);
  return Array.from({ length: count }, () => random.integer(2 ** 31));
}

/**
 * Plain array (JSON-safe: a Float64Array would serialize as an object). Non-finite values stay as
 * they are (null in JSON, listed by {@link findNonFinite}).
 */
export function plain(values: ArrayLike<number>): number[] {
  return Array.from(values);
}

/**
 * Paths of every non-finite number (NaN, ±∞) and every null in a results object, e.g.
 * "motion.dsi.T4a.on.dsi is NaN": the values that could not be computed.
 */
export function findNonFinite(value: unknown, path = ''): string[] {
  if (value === null) return [`${path} is null`];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} is ${String(value)}`];
  if (Array.isArray(value)) return value.flatMap((item, i) => findNonFinite(item, `${path}[${i}]`));
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).flatMap(([key, item]) => findNonFinite(item, path ? `${path}.${key}` : key));
  return [];
}

/** Median of finite values (NaN when there are none). */
export function median(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return NaN;
  const mid = finite.length >> 1;
  return finite.length % 2 === 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
}

/** Mean, sample sd (n − 1), min and max of finite values (NaN where undefined). */
export function spread(values: readonly number[]): { mean: number; sd: number; min: number; max: number; n: number } {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (n === 0) return { mean: NaN, sd: NaN, min: NaN, max: NaN, n };
  const mean = finite.reduce((a, x) => a + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(finite.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  return { mean, sd, min: Math.min(...finite), max: Math.max(...finite), n };
}

/** Fraction of a filter's peak |tap| below which a tap counts as zero when counting lobes. */
export const LOBE_THRESHOLD = 0.02;

/**
 * Number of sign changes in `values[0 … limit − 1]` with hysteresis: taps with |value| ≤
 * threshold·max|values| count as zero and are skipped, so a near-zero tail wiggling by sampling
 * error does not add lobes (on 40-draw GP fits the raw count of the low-noise ψ2 varied from 4 to 6
 * between seeds; with the 2 % threshold it is 4 for all eight seeds tried).
 */
export function countSignChanges(values: ArrayLike<number>, limit = values.length, threshold = LOBE_THRESHOLD): number {
  let peak = 0;
  for (let i = 0; i < values.length; i++) peak = Math.max(peak, Math.abs(values[i]));
  const epsilon = threshold * peak;
  let changes = 0, previous = 0;
  for (let i = 0; i < Math.min(limit, values.length); i++) {
    const s = Math.abs(values[i]) <= epsilon ? 0 : Math.sign(values[i]);
    if (s === 0) continue;
    if (previous !== 0 && s !== previous) changes++;
    previous = s;
  }
  return changes;
}

/** Pearson correlation of two equal-length vectors (0 when one is constant). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) { const x = a[i] - ma, y = b[i] - mb; sab += x * y; saa += x * x; sbb += y * y; }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** Every `step`-th value (for figure-sized series in results.json). */
export function decimate(values: ArrayLike<number>, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i += step) out.push(values[i]);
  return out;
}

/** Rounds to `digits` significant digits (keeps results.json small; the seed reproduces full precision). Non-finite stays. */
export function round(x: number, digits = 6): number {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : x;
}

/**
 * Lag (samples, fractional) of the first sign change of a newest-first filter after its first
 * non-zero tap, by linear interpolation between the two taps around it; null when it never changes
 * sign (then the caller lists why). For a smoothed derivative this is the length of its newest lobe.
 */
export function zeroCrossingLag(filter: ArrayLike<number>): number | null {
  let start = 0;
  while (start < filter.length && filter[start] === 0) start++;
  if (start >= filter.length) return null;
  const first = Math.sign(filter[start]);
  for (let k = start + 1; k < filter.length; k++) {
    if (Math.sign(filter[k]) === -first) return k - 1 + filter[k - 1] / (filter[k - 1] - filter[k]);
  }
  return null;
}

/** Centre of mass Σ k·|ψ_k| / Σ |ψ_k| of a newest-first filter, samples: its integration time. */
export function centreOfMassLag(filter: ArrayLike<number>): number {
  let moment = 0, mass = 0;
  for (let k = 0; k < filter.length; k++) { moment += k * Math.abs(filter[k]); mass += Math.abs(filter[k]); }
  return mass > 0 ? moment / mass : NaN;
}
