/**
 * Learning two T4 units from motion in both directions (docs/motion-2d.md §Both directions).
 *
 * The paper trains T4a and T4b on opposite translations separately and speculates that, with both
 * directions in one stream, opposite selectivity "could emerge through plasticity gated by the
 * rectified output of the corresponding T4 neuron". Two ways to learn from such a stream:
 *
 * - {@link solveMirroredT4}: the authors' code's symmetric option. The moments of the six channels
 *   are summed with those of the mirrored channel order (right, centre, left), which makes them
 *   exactly mirror-symmetric; the CCA then runs as for one direction (second canonical direction,
 *   centre L1 pinned positive) and the second unit is the mirror image of the first.
 * - {@link trainGatedT4Pair}: our formalization of the gated proposal. Each unit u keeps its own
 *   statistics, in which the pair (x_t, x_{t+delay}) counts with weight g_t = max(w_u·x_t − θ_u, 0),
 *   its own rectified response to the past vector (θ_u = thresholdSd × the sd of w_u·x over the
 *   stream). Both units start from the same symmetric weights (the first canonical direction of the
 *   mirror-symmetric moments, equal responses to both directions) plus an independent seeded
 *   perturbation of relative size `perturbation`. Learning runs in rounds: each round recomputes
 *   every gate with the current weights, accumulates the gated moments over the whole stream and
 *   solves the CCA; the unit adopts the canonical direction closest to its current weights (largest
 *   |cosine|; plasticity moves synapses, it does not jump to an unrelated direction), signed to
 *   agree with them. Variants: `adopt: 'second'` takes the second canonical direction as the
 *   one-direction T4 does (signed to agree with the current weights); `gate: 'series'` weights all
 *   pairs of a series by the unit's mean rectified response over that series (a slow trace over a
 *   whole episode of one motion direction) instead of its response to each pair.
 *
 * Channel order is {@link T4_CHANNELS}: [L3_left, L1_left, L3_centre, L1_centre, L3_right, L1_right].
 */
import { CcaFit, solvePastFutureCca } from './cca';
import { ConfigError, ShapeError } from './errors';
import { LaggedMoments, MomentMatrices } from './moments';
import { Random } from './random';
import { T4LearnOptions, mirrorT4Weights, PixelTriplet, rowTriplets, T4_PINNED_TAP, T4Fit, T4Layer } from './t4';
import { requireFinite, requireFiniteArray, requireInt, requireOneOf } from './validate';

const C = 6;
/** Channel index of each T4 input after mirroring (left ↔ right pixel blocks). */
const MIRROR = [4, 5, 2, 3, 0, 1] as const;

/** One series of the six T4 channels (equal lengths), e.g. one scene row swept in one direction. */
export type T4Series = readonly Float64Array[];

/**
 * Past–future moments of the six T4 channels with m = h = 1 and the future `delay` samples ahead,
 * each pair weighted: Rp = Σ g x xᵀ / Σ g, Q = Σ g f xᵀ / Σ g, Rf = Σ g f fᵀ / Σ g, uncentered
 * (docs/method.md §4.3). With every g = 1 these are T4Layer's moments.
 */
export class WeightedT4Moments {
  readonly delay: number;
  private readonly past = new Float64Array(C * C);
  private readonly cross = new Float64Array(C * C);
  private readonly future = new Float64Array(C * C);
  private total = 0;
  private count = 0;

  constructor(delay = 5) {
    this.delay = requireInt('delay', delay, { min: 1, max: 1000 });
  }

  /** Pairs with a non-zero weight so far. */
  get pairs(): number { return this.count; }
  /** Σ g. */
  get weight(): number { return this.total; }

  /**
   * Adds the pairs of one series; pairs never straddle two calls.
   * @param weights g_t ≥ 0 for the pair whose past is sample t (length ≥ series length − delay), or null for weight 1.
   */
  update(series: T4Series, weights: ArrayLike<number> | null = null): this {
    const n = checkSeries(series, 'series');
    if (weights !== null && weights.length < n - this.delay) throw new ShapeError(`weights has ${weights.length} values; the series has ${Math.max(n - this.delay, 0)} pairs`);
    const x = new Float64Array(C), f = new Float64Array(C);
    for (let t = 0; t + this.delay < n; t++) {
      const g = weights === null ? 1 : weights[t];
      if (!(g > 0)) continue;
      for (let c = 0; c < C; c++) { x[c] = series[c][t]; f[c] = series[c][t + this.delay]; }
      for (let r = 0; r < C; r++) {
        const gx = g * x[r], gf = g * f[r];
        for (let s = r; s < C; s++) { this.past[r * C + s] += gx * x[s]; this.future[r * C + s] += gf * f[s]; }
        for (let s = 0; s < C; s++) this.cross[r * C + s] += gf * x[s];
      }
      this.total += g;
      this.count++;
    }
    return this;
  }

  /** Adds another accumulator's pairs, each weight multiplied by `factor` ≥ 0 (same delay): as if its series had been updated here with weights × factor. */
  add(other: WeightedT4Moments, factor = 1): this {
    if (other.delay !== this.delay) throw new ShapeError(`cannot add moments with delay ${other.delay} to moments with delay ${this.delay}`);
    requireFinite('factor', factor, { min: 0 });
    if (factor === 0) return this;
    for (let i = 0; i < C * C; i++) { this.past[i] += factor * other.past[i]; this.cross[i] += factor * other.cross[i]; this.future[i] += factor * other.future[i]; }
    this.total += factor * other.total;
    this.count += other.count;
    return this;
  }

  /** The normalized moment matrices, ready for {@link solvePastFutureCca}. @throws ShapeError without pairs. */
  moments(): MomentMatrices & { channels: number } {
    if (!(this.total > 0)) throw new ShapeError('no weighted pair yet: every gate was 0 (the unit never responded)');
    const full = (upper: Float64Array): Float64Array => {
      const out = new Float64Array(C * C);
      for (let r = 0; r < C; r++) for (let s = r; s < C; s++) out[r * C + s] = out[s * C + r] = upper[r * C + s] / this.total;
      return out;
    };
    return {
      pastMoment: full(this.past), futureMoment: full(this.future), futurePastMoment: this.cross.map((v) => v / this.total),
      pastDimension: C, futureDimension: C, pairs: this.count, weight: this.total, centered: false, channels: C,
    };
  }
}

/** M A M for a 6 × 6 row-major matrix, M the left ↔ right channel permutation. */
function mirrorMatrix(a: Float64Array): Float64Array {
  const out = new Float64Array(C * C);
  for (let r = 0; r < C; r++) for (let s = 0; s < C; s++) out[r * C + s] = a[MIRROR[r] * C + MIRROR[s]];
  return out;
}

/** The authors' symmetric moments: each matrix plus its mirrored-channel-order copy (then ÷ 2, which CCA ignores). */
export function mirrorSymmetricMoments(moments: MomentMatrices): MomentMatrices & { channels: number } {
  if (moments.pastDimension !== C || moments.futureDimension !== C) throw new ShapeError(`mirrored T4 moments need 6 × 6 matrices (got ${moments.pastDimension} × ${moments.futureDimension})`);
  const add = (a: Float64Array): Float64Array => { const m = mirrorMatrix(a); return a.map((v, i) => (v + m[i]) / 2); };
  return { ...moments, pastMoment: add(moments.pastMoment), futurePastMoment: add(moments.futurePastMoment), futureMoment: add(moments.futureMoment), channels: C };
}

/** |centre L1 weight| / max |w| below which a mirrored-scheme direction counts as odd (exactly 0 up to round-off). */
const ODD_CENTRE_TOLERANCE = 1e-9;

/** The two units of the mirrored scheme. */
export interface MirroredT4Fit {
  /** Second canonical direction of the symmetric moments (centre L1 pinned positive; an odd direction, whose centre weights are 0, signed so its L1 weight at the negative end exceeds the one at the positive end). */
  readonly weights: Float64Array;
  /** Its mirror image, the second unit. */
  readonly mirrored: Float64Array;
  readonly correlations: Float64Array;
  /** Canonical direction 1 (responds equally to both directions): the gated scheme's symmetric start. */
  readonly symmetric: Float64Array;
  readonly fit: CcaFit;
}

/**
 * The authors' symmetric alternative on a stream of both directions: moments of all series, plus
 * their mirrored channel order, solved as one T4.
 * @param series the training series (six channels each).
 * @param delay samples between past and future. Default 5.
 */
export function solveMirroredT4(series: readonly T4Series[], delay = 5, ridge = 1e-10): MirroredT4Fit {
  const moments = new WeightedT4Moments(delay);
  series.forEach((s) => moments.update(s));
  return solveMirroredT4Moments(moments.moments(), ridge);
}

/**
 * The mirrored scheme from moments accumulated elsewhere, e.g. a streaming {@link T4Layer}'s
 * statistics (`layer.statistics.moments()`, m = h = 1, uncentered): the moments are sums over pairs,
 * so streaming them and mirroring at solve time gives exactly {@link solveMirroredT4}.
 * @param component the canonical direction of unit 1, 1-based. Default 2.
 * @throws ShapeError for moments that are not 6 × 6.
 */
export function solveMirroredT4Moments(moments: MomentMatrices, ridge = 1e-10, component = 2): MirroredT4Fit {
  requireInt('component', component, { min: 1, max: C });
  const fit = solvePastFutureCca(mirrorSymmetricMoments(moments), { ridge, pinnedTap: T4_PINNED_TAP });
  let weights = Float64Array.from(fit.pastFilters[component - 1]);
  // An odd direction (mirror(w) = −w) has centre weights 0, so the pinned centre L1 weight is round-off
  // and its sign, which decides which unit is which, would depend on how the moments were summed.
  // Convention instead: unit 1 weighs L1 more at the negative end (left/bottom) than at the positive end.
  const largest = Math.max(...Array.from(weights, Math.abs));
  if (Math.abs(weights[T4_PINNED_TAP]) <= ODD_CENTRE_TOLERANCE * largest && weights[1] - weights[5] < 0) weights = weights.map((w) => -w);
  return { weights, mirrored: mirrorT4Weights(weights), correlations: fit.correlations, symmetric: Float64Array.from(fit.pastFilters[0]), fit };
}

/** Default cap of a {@link T4SeriesBuffer}: 262 144 samples of six channels, 12.6 MB. */
export const DEFAULT_T4_BUFFER_SAMPLES = 262_144;
/**
 * Default cap on the pieces a {@link T4SeriesBuffer} holds (closed series plus the chunks of open
 * ones): each costs six typed arrays (≈ 1 kB with their headers), so one-sample chunks, each its own
 * series, would otherwise hold 1.5 million arrays within the sample cap. 16 384 pieces: ≤ 16 MB of
 * overhead; chunks of the usual 100–1000 samples fill the sample cap first.
 */
export const DEFAULT_T4_BUFFER_PIECES = 16_384;

/**
 * The training series the gated scheme needs, kept while they stream in: gates depend on the
 * current weights, so every round revisits every pair and the samples cannot be summarized the way
 * the moments are. One series per key (a chunk series and triplet); chunks of a key are appended
 * until it ends or restarts (a gap). Bounded: at most `maxSamples` samples in all (six values each)
 * and at most `maxPieces` pieces (closed series plus open series' chunks); what arrives after either
 * is full is counted in {@link dropped} and not kept.
 */
export class T4SeriesBuffer {
  readonly maxSamples: number;
  readonly maxPieces: number;
  private closed: Float64Array[][] = [];
  private open = new Map<string, Float64Array[][]>();
  private kept = 0;
  private pieces = 0;
  private droppedSamples = 0;

  constructor(maxSamples = DEFAULT_T4_BUFFER_SAMPLES, maxPieces = DEFAULT_T4_BUFFER_PIECES) {
    this.maxSamples = requireInt('maxSamples', maxSamples, { min: 1, max: 100_000_000 });
    this.maxPieces = requireInt('maxPieces', maxPieces, { min: 1, max: 10_000_000 });
  }

  /** Samples kept. */
  get samples(): number { return this.kept; }
  /** Samples that arrived after the buffer was full. */
  get dropped(): number { return this.droppedSamples; }
  /** Series open (started and not yet ended). */
  get openSeries(): number { return this.open.size; }

  /**
   * Appends a chunk of six channels (T4 order, equal lengths) to series `key`; `restart` first
   * closes what the key holds (a gap: no pair bridges it), `end` closes it afterwards. Copies the
   * samples it keeps.
   * @returns the samples kept (fewer than the chunk's when the buffer fills).
   * @throws ShapeError / ConfigError for bad channels (nothing is kept).
   */
  add(channels: T4Series, key: string, { restart = false, end = false } = {}): number {
    const n = checkSeries(channels, 'channels');
    if (restart) this.close(key);
    const take = this.pieces < this.maxPieces ? Math.min(n, this.maxSamples - this.kept) : 0;
    if (take > 0) {
      const pieces = this.open.get(key) ?? [];
      pieces.push(channels.map((c) => c.slice(0, take)));
      this.open.set(key, pieces);
      this.kept += take;
      this.pieces++;
    }
    this.droppedSamples += n - Math.max(take, 0);
    if (end) this.close(key);
    return Math.max(take, 0);
  }

  /** Every series kept (open ones included), each as six whole channels. */
  series(): T4Series[] {
    return [...this.closed, ...[...this.open.values()].map(joinPieces)];
  }

  /** Drops everything. */
  reset(): void {
    this.closed = []; this.open.clear(); this.kept = 0; this.pieces = 0; this.droppedSamples = 0;
  }

  private close(key: string): void {
    const pieces = this.open.get(key);
    if (!pieces) return;
    this.open.delete(key);
    this.closed.push(joinPieces(pieces));
    this.pieces -= pieces.length - 1;
  }
}

/** Concatenates the pieces of one series, channel by channel. */
function joinPieces(pieces: Float64Array[][]): Float64Array[] {
  if (pieces.length === 1) return pieces[0];
  const length = pieces.reduce((n, piece) => n + piece[0].length, 0);
  return Array.from({ length: C }, (_, c) => {
    const out = new Float64Array(length);
    let at = 0;
    for (const piece of pieces) { out.set(piece[c], at); at += piece[c].length; }
    return out;
  });
}

/** Options of {@link trainGatedT4Pair}. */
export interface GatedT4Options {
  /** Samples between past and future. Default 5. */
  readonly delay?: number;
  /** Learning rounds (each recomputes the gates over the whole stream). Default 8. */
  readonly rounds?: number;
  /** Size of each unit's random perturbation of the symmetric start, relative to its norm. Default 0.1. */
  readonly perturbation?: number;
  /** θ_u in sds of the unit's drive w_u·x over the stream. Default 0. */
  readonly thresholdSd?: number;
  /** Seed of the perturbations. */
  readonly seed: number;
  /** 'pair' (default): g_t is the response to x_t; 'series': every pair of a series gets the mean response over that series. */
  readonly gate?: 'pair' | 'series';
  /** 'closest' (default): the canonical direction with the largest |cosine| to the current weights; 'second': always the second. */
  readonly adopt?: 'closest' | 'second';
  /** Start weights (six); default the symmetric direction of {@link solveMirroredT4}. */
  readonly start?: ArrayLike<number>;
  readonly ridge?: number;
}

/** Defaults of {@link GatedT4Options}. */
export const DEFAULT_GATED_T4_OPTIONS = { delay: 5, rounds: 8, perturbation: 0.1, thresholdSd: 0, gate: 'pair', adopt: 'closest', ridge: 1e-10 } as const;

/** One learning round of the gated pair. */
export interface GatedRound {
  /** Both units' weights after the round. */
  readonly weights: [number[], number[]];
  /** Index (1-based) of the canonical direction each unit adopted. */
  readonly components: [number, number];
  /** Fraction of pairs each unit's gate let through (g > 0). */
  readonly gateOpen: [number, number];
}

/** Result of {@link trainGatedT4Pair}: the start, both final weight vectors and every round. */
export interface GatedT4Pair {
  /** The symmetric start (before the perturbations). */
  readonly start: Float64Array;
  /** Both units' weights after the last round. */
  readonly weights: [Float64Array, Float64Array];
  readonly rounds: GatedRound[];
}

/**
 * Two T4 units learning from the same stream, each from pairs weighted by its own rectified
 * response (see the module comment). Deterministic for a seed.
 * @throws ConfigError for bad options; ShapeError for bad series or a unit that never responds.
 */
export function trainGatedT4Pair(series: readonly T4Series[], options: GatedT4Options): GatedT4Pair {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const d = DEFAULT_GATED_T4_OPTIONS;
  const delay = requireInt('delay', options.delay ?? d.delay, { min: 1, max: 1000 });
  const rounds = requireInt('rounds', options.rounds ?? d.rounds, { min: 1, max: 1000 });
  const perturbation = requireFinite('perturbation', options.perturbation ?? d.perturbation, { min: 0, max: 10 });
  const thresholdSd = requireFinite('thresholdSd', options.thresholdSd ?? d.thresholdSd, { min: 0, max: 100 });
  const ridge = requireFinite('ridge', options.ridge ?? d.ridge, { min: 0, max: 1 });
  const gateTimescale = requireOneOf('gate', options.gate ?? d.gate, ['pair', 'series']);
  const adopt = requireOneOf('adopt', options.adopt ?? d.adopt, ['closest', 'second']);
  const random = new Random(requireInt('seed', options.seed, { min: 0, max: Number.MAX_SAFE_INTEGER }));
  if (!Array.isArray(series) || series.length === 0) throw new ConfigError('series', series, 'a non-empty array of six-channel series');
  series.forEach((s, i) => checkSeries(s, `series[${i}]`));
  const start = options.start === undefined ? solveMirroredT4(series, delay, ridge).symmetric : requireFiniteArray('start', options.start, { minLength: C, maxLength: C });
  const norm = Math.hypot(...start);
  const units = [0, 1].map(() => {
    const kick = Float64Array.from({ length: C }, () => random.gaussian());
    const scale = (perturbation * norm) / (Math.hypot(...kick) || 1);
    return start.map((w, c) => w + scale * kick[c]);
  }) as [Float64Array, Float64Array];
  // A series gate is one number per series: each series' unweighted sums are computed once and scaled per round.
  const perSeries = gateTimescale === 'series' ? series.map((s) => new WeightedT4Moments(delay).update(s)) : null;
  const history: GatedRound[] = [];
  for (let round = 0; round < rounds; round++) {
    const components: number[] = [], gateOpen: number[] = [];
    units.forEach((w, u) => {
      const drives = series.map((s) => drive(w, s));
      const threshold = thresholdSd * rootMeanSquare(drives);
      const moments = new WeightedT4Moments(delay);
      let open = 0, pairs = 0;
      series.forEach((s, i) => {
        const gate = drives[i].map((v) => Math.max(v - threshold, 0));
        const n = Math.max(gate.length - delay, 0);
        pairs += n;
        if (perSeries) {
          const mean = gate.reduce((a, g) => a + g, 0) / Math.max(gate.length, 1); // the unit's mean response over the series
          if (mean > 0) open += n;
          moments.add(perSeries[i], mean);
        } else {
          for (let t = 0; t < n; t++) if (gate[t] > 0) open++;
          moments.update(s, gate);
        }
      });
      const fit = solvePastFutureCca(moments.moments(), { ridge, pinnedTap: T4_PINNED_TAP });
      const [k, sign] = adopt === 'closest' ? closestDirection(fit.pastFilters, w) : [1, agreement(fit.pastFilters[1], w)];
      units[u] = fit.pastFilters[k].map((v) => sign * v);
      components.push(k + 1);
      gateOpen.push(pairs > 0 ? open / pairs : 0);
    });
    history.push({ weights: [Array.from(units[0]), Array.from(units[1])], components: components as [number, number], gateOpen: gateOpen as [number, number] });
  }
  return { start: Float64Array.from(start), weights: units, rounds: history };
}

/** Drive w·x_t of one series. */
function drive(w: ArrayLike<number>, series: T4Series): Float64Array {
  const n = series[0].length, out = new Float64Array(n);
  for (let c = 0; c < C; c++) { const wc = w[c], x = series[c]; for (let t = 0; t < n; t++) out[t] += wc * x[t]; }
  return out;
}

/** sd about 0 of the drives (uncentered, as the moments). */
function rootMeanSquare(arrays: readonly Float64Array[]): number {
  let sum = 0, n = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) { sum += a[i] * a[i]; n++; }
  return n > 0 ? Math.sqrt(sum / n) : 0;
}

/** −1 when f points away from w, else 1. */
function agreement(f: ArrayLike<number>, w: ArrayLike<number>): number {
  let dot = 0;
  for (let c = 0; c < C; c++) dot += f[c] * w[c];
  return dot < 0 ? -1 : 1;
}

/** Index of the filter with the largest |cosine| to w, and the sign that makes the cosine positive. */
function closestDirection(filters: readonly Float64Array[], w: ArrayLike<number>): [number, number] {
  let best = 0, bestCos = -1, sign = 1;
  const wNorm = Math.hypot(...Array.from(w));
  filters.forEach((f, k) => {
    let dot = 0;
    for (let c = 0; c < C; c++) dot += f[c] * w[c];
    const cos = Math.abs(dot) / ((Math.hypot(...f) * wNorm) || 1);
    if (cos > bestCos) { bestCos = cos; best = k; sign = agreement(f, w); }
  });
  return [best, sign];
}

function checkSeries(series: unknown, field: string): number {
  if (!Array.isArray(series) || series.length !== C) throw new ShapeError(`${field} must have 6 channels in T4 order (got ${Array.isArray(series) ? series.length : typeof series})`);
  const n = (series[0] as Float64Array).length;
  series.forEach((channel, c) => {
    if (!(channel instanceof Float64Array) || channel.length !== n) throw new ShapeError(`${field}[${c}] must be a Float64Array of length ${n}`);
    for (let t = 0; t < n; t++) if (!Number.isFinite(channel[t])) throw new ConfigError(`${field}[${c}][${t}]`, channel[t], 'a finite number');
  });
  return n;
}

/**
 * max |ŵ2 − mirror(ŵ1)| with each unit's weights scaled to max |w| = 1: 0 for exact mirror images
 * (docs/motion-2d.md counts two units as mirror images at ≤ 0.1 when they are also opposite-selective).
 */
export function mirrorDeviation(first: ArrayLike<number>, second: ArrayLike<number>): number {
  const scaled = (w: ArrayLike<number>): Float64Array => { const m = Math.max(...Array.from(w, Math.abs)); return Float64Array.from(w, (x) => (m > 0 ? x / m : 0)); };
  const mirrored = mirrorT4Weights(scaled(first)), other = scaled(second);
  return Math.max(...Array.from(other, (x, i) => Math.abs(x - mirrored[i])));
}

/** How two units learn from a stream of both directions: the authors' symmetric option, or the gated schemes. */
export type T4PairScheme = 'mirrored' | 'gated' | 'gatedEpisode';

/** Options of {@link T4PairTrainer}. */
export interface T4PairOptions {
  readonly scheme: T4PairScheme;
  /** Seed of the gated schemes' perturbations. Default 1. */
  readonly seed?: number;
  /** Gated schemes: the most training samples kept ({@link T4SeriesBuffer}). Default {@link DEFAULT_T4_BUFFER_SAMPLES}. */
  readonly bufferSamples?: number;
  /** Gated schemes: rounds, perturbation, thresholdSd as in {@link GatedT4Options} (defaults 8, 0.1, 0). */
  readonly rounds?: number;
  readonly perturbation?: number;
  readonly thresholdSd?: number;
}

/** A solved pair: the layer's {@link T4Fit} (of unit 1) with both units. */
export interface T4PairFit extends T4Fit {
  readonly scheme: T4PairScheme;
  /** Both units' weights; the layer applies both. */
  readonly units: [Float64Array, Float64Array];
  /** {@link mirrorDeviation} of the two units. */
  readonly mirrorDeviation: number;
}

/**
 * Two T4 units learning from a stream with motion in both directions, on a {@link T4Layer}'s
 * statistics, streaming: `learn` is the layer's (and, for the gated schemes, keeps the triplet
 * series in a bounded {@link T4SeriesBuffer}); `solveWith(moments)` solves and sets both units on
 * the layer, which then answers with both ({@link T4Layer.apply}: unit 1's triplets, then unit 2's).
 *
 * - 'mirrored': {@link solveMirroredT4Moments} on the moments (the layer's `component`-th direction of
 *   the mirror-symmetric moments; unit 2 its mirror image). Exactly the batch {@link solveMirroredT4}
 *   of the same pairs, whatever the chunking.
 * - 'gated' / 'gatedEpisode': {@link trainGatedT4Pair} (gate per pair and closest direction / gate per
 *   series and the second direction) over the kept series, from the symmetric direction of the
 *   mirrored moments. The rounds need the samples themselves: only the kept series count (peers'
 *   statistics, when `moments` are merged with them, only move the symmetric start).
 *
 * Both report ρ as the canonical correlations of the mirror-symmetric moments.
 */
export class T4PairTrainer {
  readonly scheme: T4PairScheme;
  /** The kept training series (gated schemes), else null. */
  readonly buffer: T4SeriesBuffer | null;
  private readonly gated: Required<Omit<T4PairOptions, 'scheme' | 'bufferSamples'>>;

  constructor(readonly layer: T4Layer, options: T4PairOptions) {
    if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
    this.scheme = requireOneOf('scheme', options.scheme, ['mirrored', 'gated', 'gatedEpisode']);
    const d = DEFAULT_GATED_T4_OPTIONS;
    this.gated = {
      seed: requireInt('seed', options.seed ?? 1, { min: 0, max: Number.MAX_SAFE_INTEGER }),
      rounds: requireInt('rounds', options.rounds ?? d.rounds, { min: 1, max: 1000 }),
      perturbation: requireFinite('perturbation', options.perturbation ?? d.perturbation, { min: 0, max: 10 }),
      thresholdSd: requireFinite('thresholdSd', options.thresholdSd ?? d.thresholdSd, { min: 0, max: 100 }),
    };
    this.buffer = this.scheme === 'mirrored' ? null : new T4SeriesBuffer(options.bufferSamples ?? DEFAULT_T4_BUFFER_SAMPLES);
  }

  /** {@link T4Layer.learn}, and for the gated schemes the triplet series kept as well. */
  learn(l3: readonly Float64Array[], l1: readonly Float64Array[], series = '', options: T4LearnOptions = {}): void {
    this.layer.learn(l3, l1, series, options); // validates everything first
    if (!this.buffer) return;
    for (const [left, centre, right] of options.triplets ?? rowTriplets(l3.length) as readonly PixelTriplet[]) {
      this.buffer.add([l3[left], l1[left], l3[centre], l1[centre], l3[right], l1[right]], `${series}\u0000${centre}`, { restart: options.restart, end: options.end });
    }
  }

  /**
   * Solves on `moments` (the layer's statistics, or merged with peers'), sets both units on the
   * layer and returns them.
   * @throws NotEnoughDataError / ShapeError when there is nothing to solve, or a gated unit never responds.
   */
  solveWith(moments: LaggedMoments): T4PairFit {
    const layer = this.layer;
    const mirrored = solveMirroredT4Moments(moments.moments(), layer.ridge, layer.component);
    let units: [Float64Array, Float64Array];
    if (this.scheme === 'mirrored') units = [mirrored.weights, mirrored.mirrored];
    else {
      const [gate, adopt] = this.scheme === 'gated' ? ['pair', 'closest'] as const : ['series', 'second'] as const;
      const series = this.buffer!.series().filter((s) => s[0].length > layer.delay);
      if (series.length === 0) throw new ShapeError(`no kept training series longer than the delay (${layer.delay} samples) for the ${this.scheme} scheme`);
      units = trainGatedT4Pair(series, { ...this.gated, delay: layer.delay, ridge: layer.ridge, gate, adopt, start: mirrored.symmetric }).weights;
    }
    layer.setUnitWeights(units);
    if (layer.thresholdQuantile > 0) {
      const theta = layer.driveQuantile(units[0], layer.thresholdQuantile);
      if (Number.isFinite(theta)) layer.setThreshold(Math.max(0, theta));
    }
    return {
      scheme: this.scheme, units: [Float64Array.from(units[0]), Float64Array.from(units[1])], mirrorDeviation: mirrorDeviation(units[0], units[1]),
      weights: Float64Array.from(units[0]), normalizedWeights: layer.normalizedWeights(units[0]), correlations: mirrored.correlations,
      threshold: layer.threshold, signMargin: NaN, fit: mirrored.fit,
    };
  }

  /** Drops the layer's statistics and weights and the kept series. */
  reset(): void {
    this.layer.reset();
    this.buffer?.reset();
  }
}