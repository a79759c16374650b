/**
 * Probe stimuli for direction selectivity (docs/method.md §3–4): moving sine/square gratings sampled by
 * the scanner's pixel array, and the authors' smoothed ON/OFF edge sequences. Each probe can be
 * generated for the preferred and the null direction as two labelled runs ({@link probePair}).
 *
 * Direction convention (as in {@link Scanner}): 'right' moves the pattern toward higher pixel
 * indices, so pixel i + 1 sees a feature after pixel i; 'left' is the mirror image.
 *
 * ON and OFF stimuli (docs/method.md §3): every probe presents ON transitions (luminance rising at a
 * pixel) and OFF transitions (falling) alternately. Each run carries {@link ProbeRun.polarityAt},
 * which says for a pixel and a sample whether it lies in the half period centred on an ON or on an
 * OFF transition at that pixel, so responses can be scored per polarity ({@link ProbeScorer}).
 */
import { ConfigError } from '../errors';
import { requireFinite, requireInt, requireOneOf } from '../validate';
import { WhiteNoise } from './noise';
import { MAX_SCANNER_PIXELS, MotionDirection, sampleCount } from './scanner';

/** Largest probe length × pixels (80 MB of Float64). */
export const MAX_PROBE_VALUES = 10_000_000;

/** Options of {@link gratingProbe}: give `speedDegPerS` or `temporalFrequencyHz`. */
export interface GratingProbeOptions {
  /** Pixels. Default 3. */
  readonly pixels?: number;
  /** Pixel spacing, degrees. Default 5. */
  readonly spacingDeg?: number;
  /** Spatial period, degrees. */
  readonly periodDeg: number;
  /** Grating speed, degrees per second. */
  readonly speedDegPerS?: number;
  /** Temporal frequency, Hz (speed = temporalFrequencyHz × periodDeg). */
  readonly temporalFrequencyHz?: number;
  /** Amplitude around the mean (in contrast units when mean = 0, the scanner's output). Default 1. */
  readonly contrast?: number;
  /** Mean value. Default 0. */
  readonly mean?: number;
  /** 'sine' (default) or 'square' (sign of the sine, +1 at zero crossings). */
  readonly waveform?: 'sine' | 'square';
  /** Motion direction. */
  readonly direction: MotionDirection;
  /** Sample interval, seconds. */
  readonly dtS: number;
  /** Duration, seconds; samples = floor(durationS / dtS). */
  readonly durationS: number;
  /** Spatial phase of pixel 0 at t = 0, degrees of the period. Default 0. */
  readonly phaseDeg?: number;
  /** sd of white noise added to every pixel. Default 0. */
  readonly noiseSd?: number;
  /** Noise seed. Default 0. */
  readonly seed?: number;
}

/**
 * A drifting grating seen by a pixel row: pixel i at time t = k·dtS reads
 *   mean + contrast · w(2π (i·spacingDeg ∓ speed·t) / periodDeg + phase),
 * with − for 'right' and + for 'left', w = sin or its sign.
 * @returns one Float64Array per pixel.
 * @throws ConfigError naming the field.
 */
export function gratingProbe(options: GratingProbeOptions): Float64Array[] {
  const g = resolveGrating(options);
  const channels = Array.from({ length: g.pixels }, (_, i) => {
    const out = new Float64Array(g.samples);
    for (let k = 0; k < g.samples; k++) {
      const s = Math.sin(g.angle(i, k));
      out[k] = g.mean + g.contrast * (g.waveform === 'sine' ? s : s >= 0 ? 1 : -1);
    }
    return out;
  });
  return addProbeNoise(channels, options.noiseSd ?? 0, options.seed ?? 0);
}

/**
 * ON/OFF windows of a grating: a sample is 'on' at pixel i while the underlying sine there is rising
 * (trough → crest: the half period centred on its upward zero crossing, where a square grating steps
 * up), 'off' while it falls. With contrast < 0 the roles swap with the luminance.
 */
export function gratingPolarity(options: GratingProbeOptions): (pixel: number, sample: number) => TransitionPolarity {
  const g = resolveGrating(options);
  // d/dk sin(angle) = cos(angle) · dAngle/dk; dAngle/dk has the sign of `g.sign` (speed ≥ 0)
  const rising = (pixel: number, sample: number): boolean => g.sign * Math.cos(g.angle(pixel, sample)) * Math.sign(g.contrast) > 0;
  return (pixel, sample) => (rising(pixel, sample) ? 'on' : 'off');
}

interface ResolvedGrating {
  readonly pixels: number;
  readonly samples: number;
  readonly contrast: number;
  readonly mean: number;
  readonly waveform: 'sine' | 'square';
  /** +1 when the phase grows with time ('left'), −1 ('right'). */
  readonly sign: number;
  /** Phase (radians) of the grating at pixel i, sample k. */
  angle(pixel: number, sample: number): number;
}

function resolveGrating(options: GratingProbeOptions): ResolvedGrating {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const pixels = requireInt('pixels', options.pixels ?? 3, { min: 1, max: MAX_SCANNER_PIXELS });
  const spacingDeg = requireFinite('spacingDeg', options.spacingDeg ?? 5, { min: 0, max: 360 });
  const periodDeg = requireFinite('periodDeg', options.periodDeg, { min: 0, exclusiveMin: true, max: 1e6 });
  if ((options.speedDegPerS === undefined) === (options.temporalFrequencyHz === undefined)) {
    throw new ConfigError('speedDegPerS/temporalFrequencyHz', options.speedDegPerS ?? options.temporalFrequencyHz, 'exactly one of speedDegPerS, temporalFrequencyHz');
  }
  const speed = options.speedDegPerS !== undefined
    ? requireFinite('speedDegPerS', options.speedDegPerS, { min: 0, max: 1e9 })
    : requireFinite('temporalFrequencyHz', options.temporalFrequencyHz, { min: 0, max: 1e9 }) * periodDeg;
  const contrast = requireFinite('contrast', options.contrast ?? 1, { min: -1e12, max: 1e12 });
  const mean = requireFinite('mean', options.mean ?? 0, { min: -1e12, max: 1e12 });
  const waveform = requireOneOf('waveform', options.waveform ?? 'sine', ['sine', 'square']);
  const direction = requireOneOf('direction', options.direction, ['left', 'right']);
  const dtS = requireFinite('dtS', options.dtS, { min: 0, exclusiveMin: true, max: 1e6 });
  const durationS = requireFinite('durationS', options.durationS, { min: 0, exclusiveMin: true });
  const phaseDeg = requireFinite('phaseDeg', options.phaseDeg ?? 0, { min: -1e9, max: 1e9 });
  const samples = sampleCount(durationS, dtS);
  if (samples < 1) throw new ConfigError('durationS', durationS, `at least dtS = ${dtS} s`);
  if (samples * pixels > MAX_PROBE_VALUES) throw new ConfigError('durationS / dtS × pixels', samples * pixels, `at most ${MAX_PROBE_VALUES}`);
  const sign = direction === 'right' ? -1 : 1;
  return {
    pixels, samples, contrast, mean, waveform, sign,
    angle: (i, k) => (2 * Math.PI * (i * spacingDeg + sign * speed * k * dtS)) / periodDeg + (phaseDeg * Math.PI) / 180,
  };
}

/** Options of {@link edgeProbe}; defaults are the authors' (docs/method.md §3). */
export interface EdgeProbeOptions {
  /** Pixels. Default 3. */
  readonly pixels?: number;
  /** Samples for an edge to travel from one pixel to the next. Default 5 (training used 13). */
  readonly samplesPerSpacing?: number;
  /** Samples per edge segment (one ON or one OFF edge, centred in it). Default 400. */
  readonly segmentLength?: number;
  /** tanh rise scale, samples. Default 20. */
  readonly riseSamples?: number;
  /** Number of segments, alternating ON, OFF, ON, …; samples = segments × segmentLength. Default 8. */
  readonly segments?: number;
  /** Added to the ±1 profile. Default 1 (so the signal runs from ≈ 0 to ≈ 2). */
  readonly offset?: number;
  /** sd of white noise on every pixel. Default 0.005. */
  readonly noiseSd?: number;
  /** Noise seed. Default 0. */
  readonly seed?: number;
  /** Motion direction. */
  readonly direction: MotionDirection;
}

/**
 * The edge probe's luminance at time k (any real k) for a pixel the edges reach at time 0:
 * ± tanh((k mod L − L/2) / rise) + offset, + in even (ON) segments, − in odd (OFF) ones, period 2L.
 */
export function edgeProfile(k: number, segmentLength: number, riseSamples: number, offset: number): number {
  const period = 2 * segmentLength;
  const phase = ((k % period) + period) % period;
  const within = phase % segmentLength;
  const edge = Math.tanh((within - segmentLength / 2) / riseSamples);
  return (phase < segmentLength ? edge : -edge) + offset;
}

/**
 * Smoothed ON/OFF edge sequence crossing a pixel row. The profile is the smoothed square wave
 *   s(k) = ± tanh((k mod L − L/2) / rise) + offset,   + in even (ON) segments, − in odd (OFF) ones,
 * of period 2L (L = segmentLength), extended periodically; pixel i reads s(k − d_i) for
 * k = 0 … segments·L − 1 with d_i = i·samplesPerSpacing ('right') or (N − 1 − i)·samplesPerSpacing
 * ('left'), then independent white noise of sd noiseSd.
 * @returns one Float64Array per pixel.
 */
export function edgeProbe(options: EdgeProbeOptions): Float64Array[] {
  const e = resolveEdges(options);
  const channels = Array.from({ length: e.pixels }, (_, i) => Float64Array.from({ length: e.samples }, (_, k) => e.profile(k - e.delay(i))));
  return addProbeNoise(channels, options.noiseSd ?? 0.005, options.seed ?? 0);
}

/**
 * ON/OFF windows of an edge sequence: a sample is 'on' at pixel i when it lies in an ON segment of
 * that pixel's (delayed) profile, i.e. within segmentLength / 2 of an ON edge there; at pixel 0 of a
 * 'right' run these are the authors' segments (⌊k / L⌋ even).
 */
export function edgePolarity(options: EdgeProbeOptions): (pixel: number, sample: number) => TransitionPolarity {
  const e = resolveEdges(options);
  return (pixel, sample) => {
    const phase = (((sample - e.delay(pixel)) % e.period) + e.period) % e.period;
    return phase < e.segmentLength ? 'on' : 'off';
  };
}

interface ResolvedEdges {
  readonly pixels: number;
  readonly samples: number;
  readonly segmentLength: number;
  readonly period: number;
  /** Samples by which pixel i lags the profile. */
  delay(pixel: number): number;
  /** The noiseless profile at (possibly negative) sample k. */
  profile(k: number): number;
}

function resolveEdges(options: EdgeProbeOptions): ResolvedEdges {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const pixels = requireInt('pixels', options.pixels ?? 3, { min: 1, max: MAX_SCANNER_PIXELS });
  const segmentLength = requireInt('segmentLength', options.segmentLength ?? 400, { min: 2, max: 10_000_000 });
  const samplesPerSpacing = requireInt('samplesPerSpacing', options.samplesPerSpacing ?? 5, { min: 0, max: 10_000_000 });
  const riseSamples = requireFinite('riseSamples', options.riseSamples ?? 20, { min: 0, exclusiveMin: true, max: 1e9 });
  const segments = requireInt('segments', options.segments ?? 8, { min: 1, max: 10_000_000 });
  const offset = requireFinite('offset', options.offset ?? 1, { min: -1e12, max: 1e12 });
  const direction = requireOneOf('direction', options.direction, ['left', 'right']);
  const samples = segments * segmentLength;
  if (samples * pixels > MAX_PROBE_VALUES) throw new ConfigError('segments × segmentLength × pixels', samples * pixels, `at most ${MAX_PROBE_VALUES}`);
  const period = 2 * segmentLength;
  return {
    pixels, samples, segmentLength, period,
    delay: (i) => (direction === 'right' ? i : pixels - 1 - i) * samplesPerSpacing,
    profile: (k) => edgeProfile(k, segmentLength, riseSamples, offset),
  };
}

/** Adds seeded white noise of sd noiseSd to probe channels (none for sd 0). @throws ConfigError for a bad sd or seed. */
export function addProbeNoise(channels: Float64Array[], noiseSd: number, seed: number): Float64Array[] {
  requireFinite('noiseSd', noiseSd, { min: 0, max: 1e12 });
  requireInt('seed', seed, { min: 0, max: Number.MAX_SAFE_INTEGER });
  return noiseSd > 0 ? new WhiteNoise({ sd: noiseSd, seed }).add(channels) : channels;
}

/** Which transition a sample belongs to at a pixel: the half period centred on an ON or an OFF one. */
export type TransitionPolarity = 'on' | 'off';

/** One labelled probe run. */
export interface ProbeRun {
  readonly label: 'preferred' | 'null';
  readonly direction: MotionDirection;
  /** One Float64Array per pixel. */
  readonly channels: Float64Array[];
  /** ON or OFF window of (pixel, sample) in this run ({@link edgePolarity}, {@link gratingPolarity}). */
  readonly polarityAt: (pixel: number, sample: number) => TransitionPolarity;
}

/** Options of {@link probePair}: a probe without its direction, plus the preferred direction. */
export type ProbePairOptions =
  | ({ readonly probe: 'grating'; readonly preferredDirection: MotionDirection } & Omit<GratingProbeOptions, 'direction'>)
  | ({ readonly probe: 'edge'; readonly preferredDirection: MotionDirection } & Omit<EdgeProbeOptions, 'direction'>);

/**
 * The same probe in the preferred and in the null (opposite) direction, with the same noise seed,
 * so the two runs differ only in direction. For edges the null run is the preferred run with the
 * pixel order mirrored (the authors' null test), up to the noise.
 */
export function probePair(options: ProbePairOptions): { preferred: ProbeRun; null: ProbeRun } {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const probe = requireOneOf('probe', options.probe, ['grating', 'edge']);
  const preferredDirection = requireOneOf('preferredDirection', options.preferredDirection, ['left', 'right']);
  const nullDirection: MotionDirection = preferredDirection === 'right' ? 'left' : 'right';
  const { probe: _probe, preferredDirection: _preferred, ...rest } = options;
  const run = (label: ProbeRun['label'], direction: MotionDirection): ProbeRun => {
    if (probe === 'grating') {
      const grating = { ...(rest as Omit<GratingProbeOptions, 'direction'>), direction };
      return { label, direction, channels: gratingProbe(grating), polarityAt: gratingPolarity(grating) };
    }
    const edges = { ...(rest as Omit<EdgeProbeOptions, 'direction'>), direction };
    return { label, direction, channels: edgeProbe(edges), polarityAt: edgePolarity(edges) };
  };
  return { preferred: run('preferred', preferredDirection), null: run('null', nullDirection) };
}
