/**
 * Probe stimuli moving in any direction over a 2-D pixel lattice (docs/motion-2d.md): the authors'
 * smoothed ON/OFF edges and drifting gratings of core/stimuli/probes.ts, seen by pixels at arbitrary
 * positions. Direction convention as in {@link Scanner2d}: θ = directionDeg counter-clockwise from
 * +x (0 front-to-back, 90 up); a pixel d degrees further along (cos θ, sin θ) sees the pattern
 * d / speed later, pixels across the motion see it at the same time. On a row of pixels i·s apart,
 * θ = 0 and 180 give the 1-D probes' 'right' and 'left'.
 */
import { ConfigError } from '../errors';
import { requireFinite, requireInt, requireOneOf } from '../validate';
import { addProbeNoise, EdgeProbeOptions, edgeProfile, gratingPolarity, gratingProbe, GratingProbeOptions, MAX_PROBE_VALUES, TransitionPolarity } from './probes';
import { MAX_LATTICE_PIXELS, unitVectorDeg } from './lattice';
import { sampleCount } from './scanner';

/** A pixel position, degrees (x right, y up), e.g. a {@link LatticePoint}. */
export interface ProbePosition {
  readonly xDeg: number;
  readonly yDeg: number;
}

function requirePositions(positions: unknown): readonly ProbePosition[] {
  if (!Array.isArray(positions) || positions.length === 0 || positions.length > MAX_LATTICE_PIXELS) {
    throw new ConfigError('positions', positions, `an array of 1 … ${MAX_LATTICE_PIXELS} { xDeg, yDeg } pixel positions`);
  }
  positions.forEach((p, i) => {
    if (p === null || typeof p !== 'object') throw new ConfigError(`positions[${i}]`, p, 'an object { xDeg, yDeg }');
    requireFinite(`positions[${i}].xDeg`, (p as ProbePosition).xDeg, { min: -1e6, max: 1e6 });
    requireFinite(`positions[${i}].yDeg`, (p as ProbePosition).yDeg, { min: -1e6, max: 1e6 });
  });
  return positions as readonly ProbePosition[];
}

/** Each position's coordinate along the motion, x cos θ + y sin θ, degrees. */
export function alongMotionDeg(positions: readonly ProbePosition[], directionDeg: number): number[] {
  const [cos, sin] = unitVectorDeg(directionDeg);
  return positions.map((p) => p.xDeg * cos + p.yDeg * sin);
}

/**
 * Options of {@link edgeProbe2d}: those of {@link edgeProbe} (segmentLength 400, riseSamples 20,
 * segments 8, offset 1, noiseSd 0.005, seed 0; the authors') with positions and a direction in
 * degrees instead of pixels and 'left'/'right'.
 */
export type EdgeProbe2dOptions = Omit<EdgeProbeOptions, 'pixels' | 'direction' | 'samplesPerSpacing'> & {
  /** Pixel positions. */
  readonly positions: readonly ProbePosition[];
  /** Direction the edges move, degrees counter-clockwise from +x. */
  readonly directionDeg: number;
  /** Distance an edge travels in `samplesPerSpacing` samples, degrees. Default 5 (the lattice spacing). */
  readonly spacingDeg?: number;
  /** Samples for an edge to travel spacingDeg (> 0, need not be an integer). Default 5. */
  readonly samplesPerSpacing?: number;
};

interface ResolvedEdges2d {
  readonly samples: number;
  readonly segmentLength: number;
  /** Samples by which pixel i lags the profile: (a_i − min a)·samplesPerSpacing / spacingDeg. */
  readonly delays: number[];
  readonly riseSamples: number;
  readonly offset: number;
}

function resolveEdges2d(options: EdgeProbe2dOptions): ResolvedEdges2d {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const positions = requirePositions(options.positions);
  const directionDeg = requireFinite('directionDeg', options.directionDeg, { min: -3600, max: 3600 });
  const spacingDeg = requireFinite('spacingDeg', options.spacingDeg ?? 5, { min: 0, exclusiveMin: true, max: 1e6 });
  const samplesPerSpacing = requireFinite('samplesPerSpacing', options.samplesPerSpacing ?? 5, { min: 0, exclusiveMin: true, max: 1e7 });
  const segmentLength = requireInt('segmentLength', options.segmentLength ?? 400, { min: 2, max: 10_000_000 });
  const riseSamples = requireFinite('riseSamples', options.riseSamples ?? 20, { min: 0, exclusiveMin: true, max: 1e9 });
  const segments = requireInt('segments', options.segments ?? 8, { min: 1, max: 10_000_000 });
  const offset = requireFinite('offset', options.offset ?? 1, { min: -1e12, max: 1e12 });
  const samples = segments * segmentLength;
  if (samples * positions.length > MAX_PROBE_VALUES) throw new ConfigError('segments × segmentLength × pixels', samples * positions.length, `at most ${MAX_PROBE_VALUES}`);
  const along = alongMotionDeg(positions, directionDeg);
  const first = Math.min(...along);
  return { samples, segmentLength, riseSamples, offset, delays: along.map((a) => ((a - first) * samplesPerSpacing) / spacingDeg) };
}

/**
 * Straight smoothed ON/OFF edges, perpendicular to the motion, sweeping over the pixels: pixel i
 * reads {@link edgeProfile}(k − d_i) with d_i = (a_i − min a)·samplesPerSpacing / spacingDeg, a_i its
 * coordinate along the motion (the first pixel reached has delay 0), then white noise.
 * @returns one Float64Array per position.
 * @throws ConfigError naming the field.
 */
export function edgeProbe2d(options: EdgeProbe2dOptions): Float64Array[] {
  const e = resolveEdges2d(options);
  const channels = e.delays.map((delay) => Float64Array.from({ length: e.samples }, (_, k) => edgeProfile(k - delay, e.segmentLength, e.riseSamples, e.offset)));
  return addProbeNoise(channels, options.noiseSd ?? 0.005, options.seed ?? 0);
}

/**
 * ON/OFF windows of {@link edgeProbe2d} (the rule of the 1-D {@link edgePolarity}): a sample is 'on'
 * at pixel i when it lies in an ON segment of that pixel's delayed profile, i.e. within
 * segmentLength / 2 of an ON edge there.
 * @throws ConfigError naming the field.
 */
export function edgePolarity2d(options: EdgeProbe2dOptions): (pixel: number, sample: number) => TransitionPolarity {
  const e = resolveEdges2d(options);
  const period = 2 * e.segmentLength;
  return (pixel, sample) => {
    const phase = (((sample - e.delays[pixel]) % period) + period) % period;
    return phase < e.segmentLength ? 'on' : 'off';
  };
}

/** Options of {@link gratingProbe2d}: those of {@link gratingProbe} with positions and a direction in degrees instead of pixels, spacing and 'left'/'right'. */
export type GratingProbe2dOptions = Omit<GratingProbeOptions, 'pixels' | 'spacingDeg' | 'direction'> & {
  readonly positions: readonly ProbePosition[];
  readonly directionDeg: number;
};

/**
 * A grating drifting in direction θ: pixel i reads mean + contrast · w(2π (a_i − speed·t) / periodDeg
 * + phase), a_i its coordinate along the motion (so the stripes lie across the motion), then
 * independent white noise per pixel.
 * @returns one Float64Array per position.
 * @throws ConfigError naming the field.
 */
export function gratingProbe2d(options: GratingProbe2dOptions): Float64Array[] {
  const channels = pixelGratings(options).map((grating) => gratingProbe(grating)[0]);
  return addProbeNoise(channels, options.noiseSd ?? 0, options.seed ?? 0);
}

/** The 1-D grating options of each pixel: a one-pixel grating moving 'right' whose phase carries the pixel's position along the motion. */
function pixelGratings(options: GratingProbe2dOptions): GratingProbeOptions[] {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const positions = requirePositions(options.positions);
  const directionDeg = requireFinite('directionDeg', options.directionDeg, { min: -3600, max: 3600 });
  const periodDeg = requireFinite('periodDeg', options.periodDeg, { min: 0, exclusiveMin: true, max: 1e6 });
  const phaseDeg = requireFinite('phaseDeg', options.phaseDeg ?? 0, { min: -1e9, max: 1e9 });
  const dtS = requireFinite('dtS', options.dtS, { min: 0, exclusiveMin: true, max: 1e6 });
  const samples = sampleCount(requireFinite('durationS', options.durationS, { min: 0, exclusiveMin: true }), dtS);
  if (samples * positions.length > MAX_PROBE_VALUES) throw new ConfigError('durationS / dtS × pixels', samples * positions.length, `at most ${MAX_PROBE_VALUES}`);
  const { positions: _positions, directionDeg: _direction, noiseSd: _noiseSd, seed: _seed, ...rest } = options;
  return alongMotionDeg(positions, directionDeg).map((a) => ({ ...rest, pixels: 1, spacingDeg: 0, direction: 'right', noiseSd: 0, phaseDeg: phaseDeg + (360 * a) / periodDeg }));
}

/**
 * ON/OFF windows of {@link gratingProbe2d} (the rule of the 1-D {@link gratingPolarity}): 'on' at
 * pixel i while the underlying sine there rises, 'off' while it falls.
 * @throws ConfigError naming the field.
 */
export function gratingPolarity2d(options: GratingProbe2dOptions): (pixel: number, sample: number) => TransitionPolarity {
  const perPixel = pixelGratings(options).map((grating) => gratingPolarity(grating));
  return (pixel, sample) => perPixel[pixel](0, sample);
}

/** One probe run in one direction, with its ON/OFF windows (the 2-D counterpart of a {@link ProbeRun}). */
export interface DirectionRun {
  readonly directionDeg: number;
  /** One Float64Array per position. */
  readonly channels: Float64Array[];
  /** ON or OFF window of (pixel, sample) in this run. */
  readonly polarityAt: (pixel: number, sample: number) => TransitionPolarity;
}

/** Options of {@link directionRun2d}: an edge or a grating probe, without its direction. */
export type DirectionRunOptions =
  | ({ readonly probe: 'edge' } & Omit<EdgeProbe2dOptions, 'directionDeg'>)
  | ({ readonly probe: 'grating' } & Omit<GratingProbe2dOptions, 'directionDeg'>);

/**
 * The probe moving in direction θ = directionDeg (degrees counter-clockwise from +x), with its
 * ON/OFF windows, for a tuning curve ({@link DirectionTuningScorer}).
 * @throws ConfigError naming the field.
 */
export function directionRun2d(options: DirectionRunOptions, directionDeg: number): DirectionRun {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  const probe = requireOneOf('probe', options.probe, ['edge', 'grating']);
  const { probe: _probe, ...rest } = options;
  if (probe === 'edge') {
    const edges = { ...(rest as Omit<EdgeProbe2dOptions, 'directionDeg'>), directionDeg };
    return { directionDeg, channels: edgeProbe2d(edges), polarityAt: edgePolarity2d(edges) };
  }
  const grating = { ...(rest as Omit<GratingProbe2dOptions, 'directionDeg'>), directionDeg };
  return { directionDeg, channels: gratingProbe2d(grating), polarityAt: gratingPolarity2d(grating) };
}
