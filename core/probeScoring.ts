/**
 * Scoring of probe responses (docs/method.md §4.6): the one place where responses to a probe are
 * turned into peaks and direction selectivity indices, used by `resu reproduce` and the probe node.
 *
 * A probe is run in the preferred and in the null direction ({@link probePair}). Each response
 * sample is attributed to the ON or OFF window of its triplet's centre pixel
 * ({@link ProbeRun.polarityAt}); the score keeps the peak rectified response per direction and
 * window, and DSI = (R_pref − R_null)/(R_pref + R_null) for ON stimuli, OFF stimuli and all of them.
 */
import { ConfigError, ShapeError } from './errors';
import { directionSelectivityIndex } from './metrics';
import { TransitionPolarity } from './stimuli/probes';
import { requireInt } from './validate';

/** Peak rectified response of one run, in its ON windows, OFF windows and overall. */
export interface PolarityPeaks {
  readonly on: number;
  readonly off: number;
  readonly all: number;
}

/** Preferred and null peak of one stimulus class and their DSI (NaN when both are 0). */
export interface DirectionScore {
  readonly preferredPeak: number;
  readonly nullPeak: number;
  readonly dsi: number;
}

/** Direction selectivity for ON stimuli, OFF stimuli and all stimuli. */
export interface ProbeScore {
  readonly on: DirectionScore;
  readonly off: DirectionScore;
  readonly all: DirectionScore;
}

/** The two runs of a probe pair: motion in the preferred and in the null direction. */
export type ProbeLabel = 'preferred' | 'null';

/** The ON/OFF windows of the two runs, e.g. from {@link probePair}'s runs. */
export type RunPolarities = Record<ProbeLabel, (pixel: number, sample: number) => TransitionPolarity>;

/** Options of {@link ProbeScorer}. */
export interface ProbeScorerOptions {
  /**
   * Samples at the start of each run that are not scored: the filters' histories are still filling
   * (m − 1 samples for layer-1 filters of m taps). Default 0.
   */
  readonly settleSamples?: number;
  /** Pixel whose windows apply to response channel c. Default c + 1 (the centre of T4 triplet c). */
  readonly centrePixel?: (channel: number) => number;
}

/** Pairs the two runs' peaks into a {@link ProbeScore}. */
export function scoreDirections(preferred: PolarityPeaks, nul: PolarityPeaks): ProbeScore {
  const pair = (key: keyof PolarityPeaks): DirectionScore => ({
    preferredPeak: preferred[key], nullPeak: nul[key], dsi: directionSelectivityIndex(preferred[key], nul[key]),
  });
  return { on: pair('on'), off: pair('off'), all: pair('all') };
}

/**
 * Collects response chunks of both runs (in any order and chunking) and keeps the peaks. Responses
 * are rectified before scoring (a negative value counts as 0), so unrectified drives can be scored
 * too. Memory: six numbers, whatever the run length.
 */
export class ProbeScorer {
  private readonly settle: number;
  private readonly centre: (channel: number) => number;
  private readonly peaks: Record<ProbeLabel, { on: number; off: number }> = { preferred: { on: 0, off: 0 }, null: { on: 0, off: 0 } };

  constructor(private readonly polarities: RunPolarities, options: ProbeScorerOptions = {}) {
    if (!polarities || typeof polarities.preferred !== 'function' || typeof polarities.null !== 'function') {
      throw new ConfigError('polarities', polarities, 'a polarity function for the preferred and the null run');
    }
    this.settle = requireInt('settleSamples', options.settleSamples ?? 0, { min: 0 });
    this.centre = options.centrePixel ?? ((channel) => channel + 1);
  }

  /**
   * Adds a chunk of responses of one run: one array per response channel, sample `startSample`
   * of the run first.
   * @throws ShapeError when the channels differ in length.
   */
  add(label: ProbeLabel, startSample: number, channels: readonly ArrayLike<number>[]): void {
    if (label !== 'preferred' && label !== 'null') throw new ConfigError('label', label, '"preferred" or "null"');
    requireInt('startSample', startSample, { min: 0 });
    const polarityAt = this.polarities[label], peaks = this.peaks[label];
    const length = channels.length > 0 ? channels[0].length : 0;
    channels.forEach((channel, c) => {
      if (channel.length !== length) throw new ShapeError(`response channels must have the same length (${length} vs ${channel.length})`);
      const pixel = this.centre(c);
      for (let i = Math.max(0, this.settle - startSample); i < channel.length; i++) {
        const value = channel[i];
        if (!(value > 0)) continue; // rectified: ≤ 0 (and NaN) cannot raise a peak
        if (polarityAt(pixel, startSample + i) === 'on') { if (value > peaks.on) peaks.on = value; } else if (value > peaks.off) peaks.off = value;
      }
    });
  }

  /** Peaks of one run so far. */
  runPeaks(label: ProbeLabel): PolarityPeaks {
    const { on, off } = this.peaks[label];
    return { on, off, all: Math.max(on, off) };
  }

  /** The score of everything added so far. */
  score(): ProbeScore {
    return scoreDirections(this.runPeaks('preferred'), this.runPeaks('null'));
  }

  /** Forgets all responses. */
  reset(): void {
    this.peaks.preferred = { on: 0, off: 0 };
    this.peaks.null = { on: 0, off: 0 };
  }
}

/** One point of a threshold sweep. */
export interface ThresholdPoint {
  /** θ subtracted before rectification, in response units. */
  readonly threshold: number;
  /** Fraction of the preferred peak response kept, (R_pref − θ)/R_pref. */
  readonly fractionKept: number;
  /** DSI of the thresholded peaks; NaN where both are 0. */
  readonly dsi: number;
}

/**
 * DSI of a ReSU with threshold θ, from the peaks at θ = 0: the peak of max(d − θ, 0) is
 * max(peak(d) − θ, 0), so thresholding needs no re-run. Points at the given fractions of the
 * preferred peak kept (default 1, 0.95, …, 0.05).
 */
export function thresholdSweep(preferredPeak: number, nullPeak: number, fractionsKept: readonly number[] = DEFAULT_FRACTIONS_KEPT): ThresholdPoint[] {
  const pref = Math.max(0, preferredPeak), nul = Math.max(0, nullPeak);
  return fractionsKept.map((fractionKept) => {
    const threshold = (1 - fractionKept) * pref;
    return { threshold, fractionKept, dsi: directionSelectivityIndex(pref - threshold, nul - threshold) };
  });
}

/** Fractions of the preferred response kept in a default {@link thresholdSweep}: 1, 0.95, …, 0.05. */
export const DEFAULT_FRACTIONS_KEPT: readonly number[] = Object.freeze(Array.from({ length: 20 }, (_, i) => Math.round((1 - i * 0.05) * 100) / 100));

/** DSI and fraction of the preferred response kept at one threshold θ (same rule as {@link thresholdSweep}). */
export function thresholdedScore(preferredPeak: number, nullPeak: number, threshold: number): ThresholdPoint {
  const pref = Math.max(0, preferredPeak), nul = Math.max(0, nullPeak);
  return {
    threshold,
    fractionKept: pref > 0 ? Math.max(pref - threshold, 0) / pref : NaN,
    dsi: directionSelectivityIndex(pref - threshold, nul - threshold),
  };
}
