/**
 * The layer-2 motion unit (docs/method.md §4, paper Fig. 5): T4 pools L3 and L1 of three adjacent
 * pixels, learns its six weights by uncentered past–future CCA of the 6-vector now against the
 * 6-vector `delay` steps ahead, and takes the second canonical direction (the first responds
 * equally to both directions), its centre-L1 weight pinned positive.
 */
import { CcaFit, solvePastFutureCca } from './cca';
import { allocateChannels } from './channels';
import { ConfigError, ShapeError } from './errors';
import { LaggedMoments, LaggedMomentsJSON } from './moments';
import { requireFinite, requireFiniteArray, requireInt } from './validate';

/** Channel order of the six T4 inputs (docs/method.md §4.2). */
export const T4_CHANNELS = ['L3_left', 'L1_left', 'L3_centre', 'L1_centre', 'L3_right', 'L1_right'] as const;
/** Index of L1_centre, the tap pinned positive. */
export const T4_PINNED_TAP = 3;
/** Measured T4a input weights (paper Fig. 5D), ordered left, centre, right. */
export const CONNECTOME_WEIGHTS = { L1: [0.37, 1.37, 0.34], L3: [0.2, -0.38, -0.09] } as const;

export interface T4Options {
  /** Samples between the past 6-vector and the future one. Default 5. */
  readonly delay?: number;
  /** Canonical direction used, 1-based. Default 2. */
  readonly component?: number;
  /** θ ≥ 0 subtracted before rectification. Default 0. */
  readonly threshold?: number;
  /** Relative ridge of the CCA. Default 1e-10. */
  readonly ridge?: number;
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
  readonly fit: CcaFit;
}

/** Forms the six channels of the triplet centred on pixel `centre` from per-pixel L3 and L1. */
export function tripletChannels(l3: readonly Float64Array[], l1: readonly Float64Array[], centre: number): Float64Array[] {
  return [l3[centre - 1], l1[centre - 1], l3[centre], l1[centre], l3[centre + 1], l1[centre + 1]];
}

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
  const a = [...model.L1, ...model.L3], b = [...measured.L1, ...measured.L3];
  const dot = a.reduce((acc, x, i) => acc + x * b[i], 0);
  const norm = Math.sqrt(a.reduce((acc, x) => acc + x * x, 0) * b.reduce((acc, x) => acc + x * x, 0));
  return { model, measured, cosineSimilarity: norm > 0 ? dot / norm : 0 };
}

/**
 * A row of T4 units over N pixels (N − 2 triplets), sharing one set of weights. Learning pools the
 * pairs of every triplet (each a separate series); applying is memoryless (m = 1).
 */
export class T4Layer {
  readonly delay: number;
  readonly component: number;
  readonly threshold: number;
  readonly ridge: number;
  private moments: LaggedMoments;
  private weights: Float64Array | null = null;
  /** Σx and Σx² per input channel over the learning data (for normalizedWeights). */
  private channelSums: Float64Array = new Float64Array(6);
  private channelSquares: Float64Array = new Float64Array(6);
  private channelCount = 0;

  constructor(options: T4Options = {}) {
    this.delay = requireInt('delay', options.delay ?? 5, { min: 1, max: 1000 });
    this.component = requireInt('component', options.component ?? 2, { min: 1, max: 6 });
    this.threshold = requireFinite('threshold', options.threshold ?? 0, { min: 0 });
    this.ridge = requireFinite('ridge', options.ridge ?? 1e-10, { min: 0, max: 1 });
    this.moments = this.createMoments();
  }

  get pairs(): number { return this.moments.pairs; }
  get currentWeights(): Float64Array | null { return this.weights ? Float64Array.from(this.weights) : null; }

  /**
   * Accumulates the pairs of every triplet of a chunk. l3 and l1 hold one channel per pixel (N ≥ 3),
   * all of the same length. Validates first.
   */
  learn(l3: readonly Float64Array[], l1: readonly Float64Array[], series = '', { restart = false, end = false } = {}): void {
    checkPixels(l3, l1);
    for (let centre = 1; centre < l3.length - 1; centre++) {
      const key = `${series}\u0000${centre}`;
      if (restart) this.moments.endSeries(key);
      const channels = tripletChannels(l3, l1, centre);
      this.moments.update(channels, key);
      if (end) this.moments.endSeries(key);
      channels.forEach((values, c) => {
        for (let i = 0; i < values.length; i++) { this.channelSums[c] += values[i]; this.channelSquares[c] += values[i] * values[i]; }
      });
      this.channelCount += channels[0].length;
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
    const fit = solvePastFutureCca(moments, { ridge: this.ridge, pinnedTap: T4_PINNED_TAP });
    const weights = Float64Array.from(fit.pastFilters[this.component - 1]);
    this.weights = weights;
    return { weights: Float64Array.from(weights), normalizedWeights: this.normalize(weights), correlations: fit.correlations, fit };
  }

  /** Sets the weights (six numbers in {@link T4_CHANNELS} order), e.g. from another T4's fit. */
  setWeights(weights: ArrayLike<number>): void {
    this.weights = requireFiniteArray('weights', weights, { minLength: 6, maxLength: 6 });
  }

  /** Rectified responses max(w·x − θ, 0) of the N − 2 triplets. @throws ShapeError without weights. */
  apply(l3: readonly Float64Array[], l1: readonly Float64Array[]): Float64Array[] {
    if (!this.weights) throw new ShapeError('T4 has no weights yet: learn and solve, or set weights');
    checkPixels(l3, l1);
    const w = this.weights, out = allocateChannels(l3.length - 2, l3[0].length);
    const w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3], w4 = w[4], w5 = w[5], threshold = this.threshold;
    for (let centre = 1; centre < l3.length - 1; centre++) {
      // the triplet's six channels in tripletChannels order, summed in that order
      const x0 = l3[centre - 1], x1 = l1[centre - 1], x2 = l3[centre], x3 = l1[centre], x4 = l3[centre + 1], x5 = l1[centre + 1];
      const response = out[centre - 1];
      for (let t = 0; t < response.length; t++) {
        let drive = 0;
        drive += w0 * x0[t]; drive += w1 * x1[t]; drive += w2 * x2[t]; drive += w3 * x3[t]; drive += w4 * x4[t]; drive += w5 * x5[t];
        response[t] = Math.max(drive - threshold, 0);
      }
    }
    return out;
  }

  /** Drops the statistics (and the weights when `weightsToo`). */
  reset(weightsToo = true): void {
    this.moments = this.createMoments();
    this.channelSums.fill(0); this.channelSquares.fill(0); this.channelCount = 0;
    if (weightsToo) this.weights = null;
  }

  toJSON(): { format: 'resu-t4'; version: 1; moments: LaggedMomentsJSON; channelSums: number[]; channelSquares: number[]; channelCount: number; weights: number[] | null } {
    return {
      format: 'resu-t4', version: 1, moments: this.moments.toJSON(),
      channelSums: Array.from(this.channelSums), channelSquares: Array.from(this.channelSquares),
      channelCount: this.channelCount, weights: this.weights ? Array.from(this.weights) : null,
    };
  }

  /** Restores a {@link toJSON} snapshot (same delay required). @throws ShapeError / ConfigError. */
  load(payload: unknown): void {
    const data = payload as ReturnType<T4Layer['toJSON']> | null;
    if (!data || data.format !== 'resu-t4' || data.version !== 1) throw new ConfigError('T4 state', payload, 'a resu-t4 version 1 object');
    const moments = LaggedMoments.fromJSON(data.moments, this.moments.options);
    const sums = requireFiniteArray('T4 state channelSums', data.channelSums, { minLength: 6, maxLength: 6 });
    const squares = requireFiniteArray('T4 state channelSquares', data.channelSquares, { minLength: 6, maxLength: 6 });
    const count = requireInt('T4 state channelCount', data.channelCount, { min: 0 });
    const weights = data.weights === null ? null : requireFiniteArray('T4 state weights', data.weights, { minLength: 6, maxLength: 6 });
    this.moments = moments; this.channelSums = sums; this.channelSquares = squares; this.channelCount = count; this.weights = weights;
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

function checkPixels(l3: readonly Float64Array[], l1: readonly Float64Array[]): void {
  if (l3.length < 3) throw new ShapeError(`T4 needs at least 3 pixels (got ${l3.length})`);
  if (l1.length !== l3.length) throw new ShapeError(`L1 has ${l1.length} pixels and L3 ${l3.length}; they must match`);
  const length = l3[0].length;
  for (const channel of [...l3, ...l1]) {
    if (channel.length !== length) throw new ShapeError(`L1 and L3 chunks must have the same length (${length} vs ${channel.length})`);
  }
}
