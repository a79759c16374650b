/**
 * The layer-2 motion unit (docs/method.md §4, paper Fig. 5): T4 pools L3 and L1 of three adjacent
 * pixels, learns its six weights by uncentered past–future CCA of the 6-vector now against the
 * 6-vector `delay` steps ahead, and takes the second canonical direction (the first responds
 * equally to both directions), signed so its drive rises with the ON input at the triplet's centre
 * ({@link T4SignRule}). The rectification threshold θ is fixed or set from data at every solve (a
 * quantile of the training drive, {@link T4Options.thresholdQuantile}).
 */
import { CcaFit, DEFAULT_CCA_OPTIONS, solvePastFutureCca } from './cca';
import { allocateChannels } from './channels';
import { ConfigError, ShapeError } from './errors';
import { LaggedMoments, LaggedMomentsJSON, MAX_LAGS, MAX_OPEN_SERIES, readChunkShared, requireSeriesName } from './moments';
import { Random } from './random';
import { WhiteNoise } from './stimuli/noise';
import { requireFinite, requireFiniteArray, requireInt, requireOneOf } from './validate';

/** Channel order of the six T4 inputs (docs/method.md §4.2). */
export const T4_CHANNELS = ['L3_left', 'L1_left', 'L3_centre', 'L1_centre', 'L3_right', 'L1_right'] as const;
/** Index of L1_centre: the ON input whose correlation with the drive fixes the sign. */
export const T4_PINNED_TAP = 3;
/** Training input vectors kept (reservoir sample) for a data-derived threshold: 2048 × 6 values. */
export const T4_DRIVE_SAMPLE_SIZE = 2048;
/** |corr(drive, L1_centre)| below which the sign of a T4 direction is reported as uncertain. */
export const T4_SIGN_MARGIN_WARNING = 0.05;

/**
 * How the arbitrary sign of each canonical direction is fixed.
 * - 'on-drive' (default): the sign that makes the drive w·x correlate positively, over the training
 *   data, with the centre pixel's L1 (ON) input. The training scene moves in the preferred
 *   direction, so this is "the response to preferred-direction ON stimuli is positive", measured
 *   on everything learned; the correlation was 0.5–0.66 on dead-leaves scenes and textures.
 * - 'centre-weight': the centre-L1 weight positive (the rule before issue 15). That weight can be
 *   ≈ 0.001 of the largest on some scenes, which made the T4 direction flip between seeds.
 */
export type T4SignRule = 'on-drive' | 'centre-weight';

/** How {@link T4Layer.apply} scales its six inputs. */
export interface T4InputScaling {
  /**
   * 'training' (default): the weights as learned, on the inputs as given.
   * 'probe-sd': the authors' probe convention: each input channel divided by its own sd over the
   * given chunk (÷N, about its mean, no mean removal), white noise of sd `noiseSd` added, L1 channels
   * rectified again, then the weights for unit-sd inputs ({@link T4Fit.normalizedWeights}).
   */
  readonly mode: 'training' | 'probe-sd';
  /** Noise sd for 'probe-sd'. Default 0.02 (the authors'). */
  readonly noiseSd?: number;
  /** Noise seed for 'probe-sd'. Default 0. */
  readonly seed?: number;
}
/** Measured T4a input weights (paper Fig. 5D), ordered left, centre, right. */
export const CONNECTOME_WEIGHTS = { L1: [0.37, 1.37, 0.34], L3: [0.2, -0.38, -0.09] } as const;

/** Defaults of {@link T4Options} (the paper's T4: delay 5 samples, the second canonical direction). */
export const DEFAULT_T4_OPTIONS = { delay: 5, component: 2, threshold: 0, thresholdQuantile: 0 } as const;

/** Options of {@link T4Layer} (docs/method.md §4.4). */
export interface T4Options {
  /** Samples between the past 6-vector and the future one. Default 5. */
  readonly delay?: number;
  /** Canonical direction used, 1-based. Default 2. */
  readonly component?: number;
  /** θ ≥ 0 subtracted before rectification. Default 0. Replaced at every solve when thresholdQuantile > 0. */
  readonly threshold?: number;
  /**
   * 0 (default): θ is fixed. In (0, 1): at every solve θ becomes this quantile of the training drive
   * w·x (over a seeded reservoir sample of {@link T4_DRIVE_SAMPLE_SIZE} training input vectors), at
   * least 0; 0.9 keeps the responses to the strongest 10 % of the training drive.
   */
  readonly thresholdQuantile?: number;
  /** Sign rule of the canonical directions. Default 'on-drive'. */
  readonly signRule?: T4SignRule;
  /** Relative ridge of the CCA. Default {@link DEFAULT_CCA_OPTIONS}.ridge. */
  readonly ridge?: number;
  /** Seed of the reservoir sample. Default 1. */
  readonly seed?: number;
}

/** A solved T4 layer. */
export interface T4Fit {
  /** Six weights in {@link T4_CHANNELS} order, for the raw (unnormalized) inputs. */
  readonly weights: Float64Array;
  /**
   * The weights for inputs divided by their own sd (the authors' preprocessing): CCA is equivariant
   * to per-channel scaling, so this is weights × sd, exactly.
   */
  readonly normalizedWeights: Float64Array;
  /** Canonical correlations of the six-channel CCA, descending. */
  readonly correlations: Float64Array;
  /** θ in force after this solve (the data-derived one when thresholdQuantile > 0). */
  readonly threshold: number;
  /**
   * corr(w·x, L1_centre) over the learned data (uncentered, as the CCA), the statistic of the
   * 'on-drive' sign rule: positive after signing; near 0 means the sign is uncertain (then a warning).
   */
  readonly signMargin: number;
  /** The six-channel fit, its directions signed by the sign rule. */
  readonly fit: CcaFit;
}

/** Forms the six channels of the triplet centred on pixel `centre` from per-pixel L3 and L1. */
export function tripletChannels(l3: readonly Float64Array[], l1: readonly Float64Array[], centre: number): Float64Array[] {
  return [l3[centre - 1], l1[centre - 1], l3[centre], l1[centre], l3[centre + 1], l1[centre + 1]];
}

/**
 * Pixel indices [negative end, centre, positive end] of one triplet, the order of a T4's (left,
 * centre, right) inputs: on a row, (i − 1, i, i + 1); on a lattice, e.g. core/stimuli/lattice.ts's
 * axisTriplets (left, centre, right or bottom, centre, top).
 */
export type PixelTriplet = readonly [number, number, number];

/** The triplets of a row of `pixels` adjacent pixels: (i − 1, i, i + 1) for i = 1 … pixels − 2. */
export function rowTriplets(pixels: number): PixelTriplet[] {
  return Array.from({ length: Math.max(pixels - 2, 0) }, (_, i) => [i, i + 1, i + 2] as const);
}

/** Most units (weight vectors) one layer applies to every triplet: two for the schemes that learn from both directions. */
export const MAX_T4_UNITS = 8;

/** T4b weights from T4a: left and right pixel blocks swapped. */
export function mirrorT4Weights(weights: ArrayLike<number>): Float64Array {
  return Float64Array.from([weights[4], weights[5], weights[2], weights[3], weights[0], weights[1]]);
}

/**
 * Model vs measured weights after dividing each (left, centre, right) triplet by the sum of its
 * absolute values (docs/method.md §4.7). `mirror` flips left and right (for training motion of the
 * opposite orientation).
 */
export function connectomeComparison(weights: ArrayLike<number>, mirror = false) {
  const w = mirror ? mirrorT4Weights(weights) : Float64Array.from(weights);
  const normalize = (triplet: number[]): number[] => {
    const total = triplet.reduce((acc, x) => acc + Math.abs(x), 0);
    return triplet.map((x) => (total > 0 ? x / total : 0));
  };
  const model = { L1: normalize([w[1], w[3], w[5]]), L3: normalize([w[0], w[2], w[4]]) };
  const measured = { L1: normalize([...CONNECTOME_WEIGHTS.L1]), L3: normalize([...CONNECTOME_WEIGHTS.L3]) };
  return {
    model, measured,
    /** Over both pathways (the six normalized weights). */
    cosineSimilarity: cosine([...model.L1, ...model.L3], [...measured.L1, ...measured.L3]),
    /** Per pathway (three normalized weights each). */
    pathwayCosine: { L1: cosine(model.L1, measured.L1), L3: cosine(model.L3, measured.L3) },
  };
}

/** Cosine of the angle between two vectors; 0 when one is zero. */
function cosine(a: readonly number[], b: readonly number[]): number {
  const dot = a.reduce((acc, x, i) => acc + x * b[i], 0);
  const norm = Math.sqrt(a.reduce((acc, x) => acc + x * x, 0) * b.reduce((acc, x) => acc + x * x, 0));
  return norm > 0 ? dot / norm : 0;
}

/**
 * A row of T4 units over N pixels (N − 2 triplets), sharing one set of weights. Learning pools the
 * pairs of every triplet (each a separate series); applying is memoryless (m = 1). On a 2-D
 * lattice, `triplets` names the pixels each triplet pools (e.g. the lattice's horizontal or
 * vertical triplets). A layer may apply several units (weight vectors) to every triplet, e.g. the
 * two units of core/t4Plasticity.ts's schemes for motion in both directions.
 */
export class T4Layer {
  readonly delay: number;
  readonly component: number;
  readonly thresholdQuantile: number;
  readonly signRule: T4SignRule;
  readonly ridge: number;
  readonly seed: number;
  private theta: number;
  private moments: LaggedMoments;
  /** One weight vector per unit (six numbers each); the first is the learned one. */
  private units: Float64Array[] | null = null;
  /** Σx and Σx² per input channel over the learning data (for normalizedWeights). */
  private channelSums: Float64Array = new Float64Array(6);
  private channelSquares: Float64Array = new Float64Array(6);
  private channelCount = 0;
  /** Reservoir sample of training input vectors (6 values each), for thresholdQuantile. */
  private driveSample: Float64Array = new Float64Array(0);
  private driveSampleFilled = 0;
  /** Training vectors offered to the reservoir so far. */
  private driveSeen = 0;
  private random: Random;

  constructor(options: T4Options = {}) {
    this.delay = requireInt('delay', options.delay ?? DEFAULT_T4_OPTIONS.delay, { min: 1, max: MAX_LAGS });
    this.component = requireInt('component', options.component ?? DEFAULT_T4_OPTIONS.component, { min: 1, max: T4_CHANNELS.length });
    this.theta = requireFinite('threshold', options.threshold ?? DEFAULT_T4_OPTIONS.threshold, { min: 0 });
    this.thresholdQuantile = requireFinite('thresholdQuantile', options.thresholdQuantile ?? DEFAULT_T4_OPTIONS.thresholdQuantile, { min: 0, max: 1 });
    if (this.thresholdQuantile === 1) throw new ConfigError('thresholdQuantile', 1, 'a number in [0, 1) (1 would silence the unit)');
    this.signRule = requireOneOf('signRule', options.signRule ?? 'on-drive', ['on-drive', 'centre-weight']);
    this.ridge = requireFinite('ridge', options.ridge ?? DEFAULT_CCA_OPTIONS.ridge, { min: 0, max: 1 });
    this.seed = requireInt('seed', options.seed ?? 1, { min: 0, max: Number.MAX_SAFE_INTEGER });
    this.random = new Random(this.seed);
    this.moments = this.createMoments();
  }

  /** θ subtracted before rectification (set from data at each solve when thresholdQuantile > 0). */
  get threshold(): number { return this.theta; }

  get pairs(): number { return this.moments.pairs; }
  /** The first unit's weights (a copy), null before any solve or setWeights. */
  get currentWeights(): Float64Array | null { return this.units ? Float64Array.from(this.units[0]) : null; }
  /** Every unit's weights (copies), null before any solve or setWeights. */
  get unitWeights(): Float64Array[] | null { return this.units ? this.units.map((w) => Float64Array.from(w)) : null; }

  /**
   * Accumulates the pairs of every triplet of a chunk. l3 and l1 hold one channel per pixel (N ≥ 3),
   * all of the same length. Validates everything first (shapes, values, series name, and the cap of
   * {@link MAX_OPEN_SERIES} open series: each triplet of a series is one), so a chunk is learned
   * entirely or not at all.
   * @throws ShapeError / ConfigError.
   */
  learn(l3: readonly Float64Array[], l1: readonly Float64Array[], series = '', { restart = false, end = false, triplets }: T4LearnOptions = {}): void {
    checkPixels(l3, l1);
    requireSeriesName('series', series);
    l3.forEach((channel, p) => readChunkShared(channel, 1, `l3[${p}]`));
    l1.forEach((channel, p) => readChunkShared(channel, 1, `l1[${p}]`));
    const pooled = checkTriplets(triplets, l3.length);
    const open = this.moments.openSeriesCount;
    let opening = 0;
    for (const triplet of pooled) if (!this.moments.hasSeries(tripletKey(series, triplet[1]))) opening++;
    if (open + opening > MAX_OPEN_SERIES) {
      throw new ShapeError(`too many series in flight: ${open} triplet series open, this chunk would open ${opening} more (at most ${MAX_OPEN_SERIES}); end finished series (endOfSeries)`);
    }
    for (const triplet of pooled) {
      const key = tripletKey(series, triplet[1]);
      if (restart) this.moments.endSeries(key);
      const channels = tripletInputs(l3, l1, triplet);
      this.moments.update(channels, key);
      if (end) this.moments.endSeries(key);
      channels.forEach((values, c) => {
        for (let i = 0; i < values.length; i++) { this.channelSums[c] += values[i]; this.channelSquares[c] += values[i] * values[i]; }
      });
      this.channelCount += channels[0].length;
      if (this.thresholdQuantile > 0) this.sampleDrive(channels);
    }
  }

  /** The accumulated statistics (e.g. for statistics snapshots to peers). */
  get statistics(): LaggedMoments { return this.moments; }

  /** Solves the CCA and adopts its `component`-th direction as the weights. */
  solve(): T4Fit {
    return this.solveWith(this.moments);
  }

  /**
   * Solves on other statistics of the same configuration (e.g. this layer's merged with peers')
   * and adopts the result; normalizedWeights use this layer's own channel sds.
   */
  solveWith(moments: LaggedMoments): T4Fit {
    const solved = solvePastFutureCca(moments, { ridge: this.ridge, pinnedTap: this.signRule === 'centre-weight' ? T4_PINNED_TAP : null });
    const { fit, margins } = this.signRule === 'on-drive' ? signByOnDrive(solved, moments) : { fit: solved, margins: onDriveMargins(solved, moments) };
    const weights = Float64Array.from(fit.pastFilters[this.component - 1]);
    const signMargin = margins[this.component - 1];
    if (!(Math.abs(signMargin) >= T4_SIGN_MARGIN_WARNING)) {
      fit.warnings.push(`the sign of T4 direction ${this.component} is uncertain: corr(drive, centre L1) = ${signMargin.toPrecision(2)} on the learned data`);
    }
    if (this.thresholdQuantile > 0) {
      if (this.driveSampleFilled > 0) this.theta = Math.max(0, this.driveQuantile(weights, this.thresholdQuantile));
      else fit.warnings.push(`no training inputs sampled for the threshold quantile ${this.thresholdQuantile}; θ stays ${this.theta}`);
    }
    this.units = [weights];
    return { weights: Float64Array.from(weights), normalizedWeights: this.normalize(weights), correlations: fit.correlations, threshold: this.theta, signMargin, fit };
  }

  /**
   * The q-quantile (linear interpolation between order statistics) of the drive w·x over the
   * reservoir sample of training inputs; NaN without a sample.
   */
  driveQuantile(weights: ArrayLike<number>, quantile: number): number {
    requireFinite('quantile', quantile, { min: 0, max: 1 });
    const n = this.driveSampleFilled, sample = this.driveSample;
    if (n === 0) return NaN;
    const drives = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let drive = 0;
      for (let c = 0; c < 6; c++) drive += weights[c] * sample[6 * i + c];
      drives[i] = drive;
    }
    drives.sort();
    const position = quantile * (n - 1), below = Math.floor(position);
    return below + 1 < n ? drives[below] + (position - below) * (drives[below + 1] - drives[below]) : drives[below];
  }

  /** Sets θ ≥ 0 (until the next solve replaces it, when thresholdQuantile > 0). */
  setThreshold(threshold: number): void {
    this.theta = requireFinite('threshold', threshold, { min: 0 });
  }

  /** Sets the weights (six numbers in {@link T4_CHANNELS} order), e.g. from another T4's fit. */
  setWeights(weights: ArrayLike<number>): void {
    this.units = [requireFiniteArray('weights', weights, { minLength: 6, maxLength: 6 })];
  }

  /** Sets every unit's weights (1 … {@link MAX_T4_UNITS} vectors of six numbers); {@link apply} answers with each. */
  setUnitWeights(units: readonly ArrayLike<number>[]): void {
    if (!Array.isArray(units) || units.length < 1 || units.length > MAX_T4_UNITS) throw new ConfigError('units', units, `1 … ${MAX_T4_UNITS} weight vectors`);
    this.units = units.map((w, u) => requireFiniteArray(`units[${u}]`, w, { minLength: 6, maxLength: 6 }));
  }

  /** Weights for inputs divided by their training sds (×sd per channel; as given before any learning). */
  normalizedWeights(weights: ArrayLike<number>): Float64Array {
    return this.normalize(Float64Array.from(weights));
  }

  /**
   * Rectified responses max(w·x − θ, 0) of every unit at every triplet: channel u·T + t is unit u at
   * triplet t (T triplets: the row's N − 2, or `triplets`). With `scaling.mode` 'probe-sd' the inputs
   * are first rescaled as in the authors' probe analysis ({@link T4InputScaling}).
   * @throws ShapeError without weights; ConfigError for 'probe-sd' without learned channel sds
   *   (weights set from elsewhere), a bad scaling, or bad triplets.
   */
  apply(l3: readonly Float64Array[], l1: readonly Float64Array[], scaling: T4InputScaling = { mode: 'training' }, triplets?: readonly PixelTriplet[]): Float64Array[] {
    if (!this.units) throw new ShapeError('T4 has no weights yet: learn and solve, or set weights');
    checkPixels(l3, l1);
    const pooled = checkTriplets(triplets, l3.length);
    const mode = requireOneOf('scaling.mode', scaling?.mode, ['training', 'probe-sd']);
    let units: ArrayLike<number>[] = this.units;
    if (mode === 'probe-sd') {
      if (this.channelCount < 2) throw new ConfigError('scaling.mode', mode, "'training': 'probe-sd' needs the training channel sds, and this T4 has learned no data");
      const noiseSd = requireFinite('scaling.noiseSd', scaling.noiseSd ?? 0.02, { min: 0, max: 1e6 });
      const seed = requireInt('scaling.seed', scaling.seed ?? 0, { min: 0, max: Number.MAX_SAFE_INTEGER });
      units = this.units.map((w) => this.normalize(w));
      ({ l3, l1 } = probeSdScaled(l3, l1, noiseSd, seed));
    }
    const out = allocateChannels(units.length * pooled.length, l3[0].length);
    const threshold = this.theta;
    units.forEach((w, u) => {
      const w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5];
      pooled.forEach(([left, centre, right], t) => {
        // the triplet's six channels in tripletChannels order, summed in that order
        const x0 = l3[left], x1 = l1[left], x2 = l3[centre], x3 = l1[centre], x4 = l3[right], x5 = l1[right];
        const response = out[u * pooled.length + t];
        for (let k = 0; k < response.length; k++) {
          let drive = 0;
          drive += w0 * x0[k]; drive += w1 * x1[k]; drive += w2 * x2[k]; drive += w3 * x3[k]; drive += w4 * x4[k]; drive += w5 * x5[k];
          response[k] = Math.max(drive - threshold, 0);
        }
      });
    });
    return out;
  }

  /** Drops the statistics (and the weights when `weightsToo`). */
  reset(weightsToo = true): void {
    this.moments = this.createMoments();
    this.channelSums.fill(0); this.channelSquares.fill(0); this.channelCount = 0;
    this.driveSample = new Float64Array(0); this.driveSampleFilled = 0; this.driveSeen = 0; this.random = new Random(this.seed);
    if (weightsToo) this.units = null;
  }

  /** Plain JSON state; the drive sample (≤ 12,288 numbers) and θ only with thresholdQuantile > 0. */
  toJSON(): T4LayerJSON {
    return {
      format: 'resu-t4', version: 1, moments: this.moments.toJSON(),
      channelSums: Array.from(this.channelSums), channelSquares: Array.from(this.channelSquares),
      channelCount: this.channelCount, weights: this.units ? Array.from(this.units[0]) : null,
      ...(this.units && this.units.length > 1 ? { units: this.units.map((w) => Array.from(w)) } : {}),
      ...(this.thresholdQuantile > 0 ? {
        threshold: this.theta,
        driveSample: { seen: this.driveSeen, vectors: Array.from(this.driveSample.subarray(0, 6 * this.driveSampleFilled)) },
      } : {}),
    };
  }

  /** Restores a {@link toJSON} snapshot (same delay required). @throws ShapeError / ConfigError. */
  load(payload: unknown): void {
    const data = payload as T4LayerJSON | null;
    if (!data || data.format !== 'resu-t4' || data.version !== 1) throw new ConfigError('T4 state', payload, 'a resu-t4 version 1 object');
    const moments = LaggedMoments.fromJSON(data.moments, this.moments.options);
    const sums = requireFiniteArray('T4 state channelSums', data.channelSums, { minLength: 6, maxLength: 6 });
    const squares = requireFiniteArray('T4 state channelSquares', data.channelSquares, { minLength: 6, maxLength: 6 });
    const count = requireInt('T4 state channelCount', data.channelCount, { min: 0 });
    const weights = data.weights === null ? null : requireFiniteArray('T4 state weights', data.weights, { minLength: 6, maxLength: 6 });
    let units = weights && [weights];
    if (data.units !== undefined) {
      if (!Array.isArray(data.units) || data.units.length < 2 || data.units.length > MAX_T4_UNITS || weights === null) throw new ConfigError('T4 state units', data.units, `2 … ${MAX_T4_UNITS} weight vectors, the first one the weights`);
      units = data.units.map((w, u) => requireFiniteArray(`T4 state units[${u}]`, w, { minLength: 6, maxLength: 6 }));
    }
    // older snapshots and fixed-θ layers carry no drive sample
    let sample: Float64Array = new Float64Array(0), seen = 0, theta = this.theta;
    if (this.thresholdQuantile > 0 && data.driveSample !== undefined) {
      seen = requireInt('T4 state driveSample.seen', data.driveSample?.seen, { min: 0, max: Number.MAX_SAFE_INTEGER });
      sample = requireFiniteArray('T4 state driveSample.vectors', data.driveSample?.vectors, { maxLength: 6 * T4_DRIVE_SAMPLE_SIZE });
      if (sample.length % 6 !== 0 || sample.length / 6 > seen) throw new ConfigError('T4 state driveSample', data.driveSample, 'whole 6-vectors, no more than were seen');
      if (data.threshold !== undefined) theta = requireFinite('T4 state threshold', data.threshold, { min: 0 });
    }
    this.moments = moments; this.channelSums = sums; this.channelSquares = squares; this.channelCount = count; this.units = units;
    this.driveSample = sample; this.driveSampleFilled = sample.length / 6; this.driveSeen = seen; this.theta = theta;
    // a restored reservoir continues with a generator seeded from its position (deterministic)
    this.random = new Random((this.seed + seen) % Number.MAX_SAFE_INTEGER);
  }

  /** Reservoir sampling (Algorithm R): every training vector has the same chance to be kept. */
  private sampleDrive(channels: readonly Float64Array[]): void {
    if (this.driveSample.length === 0) this.driveSample = new Float64Array(6 * T4_DRIVE_SAMPLE_SIZE);
    const sample = this.driveSample, length = channels[0].length;
    for (let t = 0; t < length; t++) {
      this.driveSeen++;
      let slot = this.driveSampleFilled;
      if (slot < T4_DRIVE_SAMPLE_SIZE) this.driveSampleFilled++;
      else { slot = this.random.integer(this.driveSeen); if (slot >= T4_DRIVE_SAMPLE_SIZE) continue; }
      for (let c = 0; c < 6; c++) sample[6 * slot + c] = channels[c][t];
    }
  }

  private createMoments(): LaggedMoments {
    return new LaggedMoments({ channels: 6, pastLags: 1, futureLags: 1, gap: this.delay - 1, center: false });
  }

  private normalize(weights: Float64Array): Float64Array {
    const n = this.channelCount;
    return weights.map((w, c) => {
      if (n < 2) return w;
      const mean = this.channelSums[c] / n;
      const variance = Math.max(this.channelSquares[c] / n - mean * mean, 0);
      return w * Math.sqrt(variance);
    });
  }
}

/** The statistics' series key of the triplet centred on pixel `centre` of series `series`. */
function tripletKey(series: string, centre: number): string {
  return `${series}\u0000${centre}`;
}

/** Options of {@link T4Layer.learn}. */
export interface T4LearnOptions {
  /** End the series' open pairs first (a gap). */
  readonly restart?: boolean;
  /** End the series after this chunk. */
  readonly end?: boolean;
  /** The triplets pooled (default {@link rowTriplets}); centres must differ (each keys its own series). */
  readonly triplets?: readonly PixelTriplet[];
}

/** The six inputs of one triplet, in {@link T4_CHANNELS} order. */
function tripletInputs(l3: readonly Float64Array[], l1: readonly Float64Array[], [left, centre, right]: PixelTriplet): Float64Array[] {
  return [l3[left], l1[left], l3[centre], l1[centre], l3[right], l1[right]];
}

/** The row's triplets, or the given ones after checking their pixels and distinct centres. */
function checkTriplets(triplets: readonly PixelTriplet[] | undefined, pixels: number): readonly PixelTriplet[] {
  if (triplets === undefined) return rowTriplets(pixels);
  if (!Array.isArray(triplets) || triplets.length === 0) throw new ConfigError('triplets', triplets, 'a non-empty array of [negative end, centre, positive end] pixel indices');
  const centres = new Set<number>();
  triplets.forEach((triplet, t) => {
    if (!Array.isArray(triplet) || triplet.length !== 3) throw new ConfigError(`triplets[${t}]`, triplet, 'three pixel indices');
    triplet.forEach((pixel, i) => requireInt(`triplets[${t}][${i}]`, pixel, { min: 0, max: pixels - 1 }));
    if (centres.has(triplet[1])) throw new ConfigError(`triplets[${t}]`, triplet, `a triplet whose centre ${triplet[1]} no other triplet has`);
    centres.add(triplet[1]);
  });
  return triplets;
}

function checkPixels(l3: readonly Float64Array[], l1: readonly Float64Array[]): void {
  if (l3.length < 3) throw new ShapeError(`T4 needs at least 3 pixels (got ${l3.length})`);
  if (l1.length !== l3.length) throw new ShapeError(`L1 has ${l1.length} pixels and L3 ${l3.length}; they must match`);
  const length = l3[0].length;
  for (const channel of [...l3, ...l1]) {
    if (channel.length !== length) throw new ShapeError(`L1 and L3 chunks must have the same length (${length} vs ${channel.length})`);
  }
}

/** Plain JSON state of a {@link T4Layer}. */
export interface T4LayerJSON {
  format: 'resu-t4';
  version: 1;
  moments: LaggedMomentsJSON;
  channelSums: number[];
  channelSquares: number[];
  channelCount: number;
  weights: number[] | null;
  /** Every unit's weights when the layer applies more than one (the first equals `weights`). */
  units?: number[][];
  /** θ in force (thresholdQuantile > 0 only). */
  threshold?: number;
  /** Reservoir sample of training input vectors, 6 values each (thresholdQuantile > 0 only). */
  driveSample?: { seen: number; vectors: number[] };
}

/**
 * corr(z_k, L1_centre) for every canonical direction ψ_k over the moments the fit came from:
 * (Rp ψ_k)[c] / √(Rp[c][c] · ψ_kᵀ Rp ψ_k) with c = L1_centre (uncentered second moments, as the CCA).
 */
function onDriveMargins(fit: CcaFit, moments: LaggedMoments): number[] {
  const R = moments.moments().pastMoment, c = T4_PINNED_TAP;
  return fit.pastFilters.map((w) => {
    let cross = 0, energy = 0;
    for (let i = 0; i < 6; i++) {
      let row = 0;
      for (let j = 0; j < 6; j++) row += R[6 * i + j] * w[j];
      if (i === c) cross = row;
      energy += w[i] * row;
    }
    return cross / Math.sqrt(R[6 * c + c] * energy);
  });
}

/** Negates every canonical pair whose drive correlates negatively with the centre L1 input. */
function signByOnDrive(fit: CcaFit, moments: LaggedMoments): { fit: CcaFit; margins: number[] } {
  const margins = onDriveMargins(fit, moments);
  const negate = (v: Float64Array): Float64Array => v.map((x) => -x);
  const flip = margins.map((m) => m < 0);
  return {
    fit: {
      ...fit,
      pastFilters: fit.pastFilters.map((v, k) => (flip[k] ? negate(v) : v)),
      futureDirections: fit.futureDirections.map((v, k) => (flip[k] ? negate(v) : v)),
      warnings: [...fit.warnings],
    },
    margins: margins.map(Math.abs),
  };
}

/** sd (÷N, about the mean) of a channel. */
function channelSd(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return Math.sqrt(squares / values.length);
}

/** The authors' probe scaling: x / sd(x) per channel, + white noise, L1 rectified again. */
function probeSdScaled(l3: readonly Float64Array[], l1: readonly Float64Array[], noiseSd: number, seed: number): { l3: Float64Array[]; l1: Float64Array[] } {
  const noise = noiseSd > 0 ? new WhiteNoise({ sd: noiseSd, seed }) : null;
  const scale = (channel: Float64Array): Float64Array => {
    const sd = channelSd(channel);
    // a constant channel (sd 0) carries no signal to scale: it stays as it is
    const out = Float64Array.from(channel, (x) => (sd > 0 ? x / sd : x));
    return noise ? noise.add([out])[0] : out;
  };
  return { l3: l3.map(scale), l1: l1.map((channel) => scale(channel).map((x) => Math.max(x, 0))) };
}
