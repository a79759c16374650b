/**
 * Scoring of probe responses (docs/method.md §4.6): the one place where responses to a probe are
 * turned into peaks and direction selectivity indices, used by `resu reproduce` and the probe node.
 *
 * A probe is run in the preferred and in the null direction ({@link probePair}). Each response
 * sample is attributed to the ON or OFF window of its triplet's centre pixel
 * ({@link ProbeRun.polarityAt}); the score keeps the peak rectified response per direction and
 * window, and DSI = (R_pref − R_null)/(R_pref + R_null) for ON stimuli, OFF stimuli and all of them.
 *
 * In 2-D (docs/motion-2d.md) a probe runs in many directions ({@link directionRun2d}) and each
 * response channel is one unit: {@link DirectionTuningScorer} keeps the same peaks, by the same
 * rule ({@link addPeaks}), per run and unit, which gives each unit's tuning curve.
 */
import { ConfigError, ShapeError } from './errors';
import { directionSelectivityIndex, DirectionTuningSummary, summarizeDirectionTuning } from './metrics';
import { TransitionPolarity } from './stimuli/probes';
import { requireFinite, requireInt } from './validate';

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

/** ON or OFF window of (pixel, sample) in one run ({@link edgePolarity}, {@link gratingPolarity}, {@link edgePolarity2d}, …). */
export type PolarityAt = (pixel: number, sample: number) => TransitionPolarity;

/** The ON/OFF windows of the two runs, e.g. from {@link probePair}'s runs. */
export type RunPolarities = Record<ProbeLabel, PolarityAt>;

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

/** Running ON and OFF peaks (rectified: both start at 0). */
interface MutablePeaks { on: number; off: number }

/**
 * The one scoring rule: each sample of response channel c at or after `settle` that is positive
 * raises the ON or the OFF peak of its target, by the window of the centre pixel of c at that
 * sample. `target(c)` gives the centre pixel and the peaks to raise.
 * @throws ShapeError when the channels differ in length.
 */
function addPeaks(polarityAt: PolarityAt, settle: number, startSample: number, channels: readonly ArrayLike<number>[], target: (channel: number) => [number, MutablePeaks]): void {
  const length = channels.length > 0 ? channels[0].length : 0;
  for (const channel of channels) {
    if (channel.length !== length) throw new ShapeError(`response channels must have the same length (${length} vs ${channel.length})`);
  }
  channels.forEach((channel, c) => {
    const [pixel, peaks] = target(c);
    for (let i = Math.max(0, settle - startSample); i < channel.length; i++) {
      const value = channel[i];
      if (!(value > 0)) continue; // rectified: ≤ 0 (and NaN) cannot raise a peak
      if (polarityAt(pixel, startSample + i) === 'on') { if (value > peaks.on) peaks.on = value; } else if (value > peaks.off) peaks.off = value;
    }
  });
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
    const peaks = this.peaks[label];
    addPeaks(this.polarities[label], this.settle, startSample, channels, (c) => [this.centre(c), peaks]);
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

/** Largest number of units (response channels) a {@link DirectionTuningScorer} keeps: 4096 × runs × 2 numbers. */
export const MAX_TUNING_UNITS = 4096;
/** Largest number of directions in a tuning curve. */
export const MAX_TUNING_DIRECTIONS = 360;

/** One run's direction and ON/OFF windows, e.g. a {@link DirectionRun}. */
export interface DirectionRunWindows {
  /** Direction of motion, degrees counter-clockwise from +x. */
  readonly directionDeg: number;
  readonly polarityAt: PolarityAt;
}

/** One unit's peak responses per probed direction, in the order of the runs. */
export interface DirectionTuningCurve {
  readonly directionsDeg: number[];
  /** Peak rectified response in the ON windows of each run (the T4 tuning curve: T4 is the ON pathway). */
  readonly on: number[];
  /** … in the OFF windows. */
  readonly off: number[];
  /** … over both. */
  readonly all: number[];
}

/** Options of {@link DirectionTuningScorer}. */
export interface DirectionTuningScorerOptions {
  /** Samples at the start of each run that are not scored (as {@link ProbeScorerOptions.settleSamples}). Default 0. */
  readonly settleSamples?: number;
  /** Pixel whose windows apply to response channel c when {@link DirectionTuningScorer.add} is given no centres. Default c + 1, as in {@link ProbeScorer}. */
  readonly centrePixel?: (channel: number) => number;
}

/**
 * Tuning curves of units probed in several directions: the peaks of {@link ProbeScorer}, by the same
 * rule, kept per run (direction) and per unit instead of pooled over channels for a preferred and a
 * null run. Runs and chunks may arrive in any order and chunking. Memory: 2 numbers per run and
 * unit, at most {@link MAX_TUNING_UNITS} units.
 */
export class DirectionTuningScorer {
  readonly directionsDeg: readonly number[];
  private readonly runs: readonly DirectionRunWindows[];
  private readonly settle: number;
  private readonly centre: (channel: number) => number;
  /** peaks[unit][run] */
  private peaks: MutablePeaks[][] = [];

  /** @throws ConfigError for missing windows, a non-finite or repeated direction, or bad options. */
  constructor(runs: readonly DirectionRunWindows[], options: DirectionTuningScorerOptions = {}) {
    if (!Array.isArray(runs) || runs.length === 0 || runs.length > MAX_TUNING_DIRECTIONS) {
      throw new ConfigError('runs', runs, `1 … ${MAX_TUNING_DIRECTIONS} runs, each with directionDeg and polarityAt`);
    }
    runs.forEach((run, r) => {
      if (run === null || typeof run !== 'object' || typeof run.polarityAt !== 'function') throw new ConfigError(`runs[${r}]`, run, 'an object { directionDeg, polarityAt }');
      requireFinite(`runs[${r}].directionDeg`, run.directionDeg, { min: -3600, max: 3600 });
    });
    this.runs = runs;
    this.directionsDeg = Object.freeze(runs.map((run) => run.directionDeg));
    this.settle = requireInt('settleSamples', options.settleSamples ?? 0, { min: 0 });
    this.centre = options.centrePixel ?? ((channel) => channel + 1);
  }

  /** Units seen so far (highest unit index + 1). */
  get units(): number { return this.peaks.length; }

  /**
   * Adds a chunk of responses of run `run`, sample `startSample` of the run first: one array per
   * response channel. Channel c raises the peaks of unit `layout.units[c]` (default c; several
   * channels of one unit, e.g. the triplets of one T4, pool by taking the largest peak, as
   * {@link ProbeScorer} pools its channels) by the windows of pixel `layout.centres[c]` (default
   * `centrePixel(c)`). Validates everything before any peak changes.
   * @throws ConfigError for a bad run, start, unit or pixel; ShapeError when the channels differ in length.
   */
  add(run: number, startSample: number, channels: readonly ArrayLike<number>[], layout: { readonly units?: readonly number[]; readonly centres?: readonly number[] } = {}): void {
    requireInt('run', run, { min: 0, max: this.runs.length - 1 });
    requireInt('startSample', startSample, { min: 0 });
    const { units, centres } = layout ?? {};
    for (const [name, list] of [['units', units], ['centres', centres]] as const) {
      if (list !== undefined && (!Array.isArray(list) || list.length !== channels.length)) throw new ConfigError(name, list, `one number per response channel (${channels.length})`);
    }
    if (units === undefined && channels.length > MAX_TUNING_UNITS) throw new ConfigError('channels', channels.length, `at most ${MAX_TUNING_UNITS} units`);
    units?.forEach((unit, c) => requireInt(`units[${c}]`, unit, { min: 0, max: MAX_TUNING_UNITS - 1 }));
    centres?.forEach((pixel, c) => requireInt(`centres[${c}]`, pixel, { min: 0 }));
    // addPeaks checks every length before it asks for the first target: a refused chunk changes nothing
    addPeaks(this.runs[run].polarityAt, this.settle, startSample, channels, (c) => {
      const unit = units === undefined ? c : units[c];
      while (this.peaks.length <= unit) this.peaks.push(this.runs.map(() => ({ on: 0, off: 0 })));
      return [centres === undefined ? this.centre(c) : centres[c], this.peaks[unit][run]];
    });
  }

  /** Peaks of one run and unit so far. */
  runPeaks(run: number, unit: number): PolarityPeaks {
    const peaks = this.peaks[unit]?.[run] ?? { on: 0, off: 0 };
    return { on: peaks.on, off: peaks.off, all: Math.max(peaks.on, peaks.off) };
  }

  /** A unit's tuning curve: its peaks per direction, in run order. */
  curve(unit: number): DirectionTuningCurve {
    const peaks = this.runs.map((_, r) => this.runPeaks(r, unit));
    return { directionsDeg: [...this.directionsDeg], on: peaks.map((p) => p.on), off: peaks.map((p) => p.off), all: peaks.map((p) => p.all) };
  }

  /**
   * A unit's curve for ON stimuli (default), OFF stimuli or all, summarized by
   * {@link summarizeDirectionTuning}: vector DSI, preferred direction, (R_pref − R_null)/(R_pref + R_null).
   * @throws ConfigError when the opposite of the peak direction was not probed.
   */
  tuning(unit: number, stimuli: keyof PolarityPeaks = 'on'): DirectionTuningSummary & { readonly responses: number[] } {
    const responses = this.curve(unit)[stimuli];
    return { responses, ...summarizeDirectionTuning([...this.directionsDeg], responses) };
  }

  /** Forgets all responses and units. */
  reset(): void {
    this.peaks = [];
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
