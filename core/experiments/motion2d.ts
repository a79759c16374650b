/**
 * Beyond the paper (issue 20, docs/motion-2d.md): T4a–d on a 2-D lattice. The paper notes that 2-D
 * motion "builds on a pair of horizontal and vertical 1D detectors"; this runs the two-layer circuit
 * of experiment 4 (motion.ts) along both axes of a lattice.
 *
 * 1. Scene: the built-in dead-leaves torus (360° × 360°, periodic both ways; contrast pipeline with
 *    the 2-D photoreceptor blur, FWHM 5.7°).
 * 2. Layer 1: the filters of the natural-scene experiment (natural.ts), applied to every lattice pixel.
 * 3. Four sweeps, one per subtype: a 3 × 3 square lattice (5° spacing) scans `paths` parallel paths
 *    (360°/paths apart, so they tile the torus) with the scene moving in the subtype's direction at
 *    5/13 °/step; paths z-scored, noise sd 0.05, as in motion.ts. L3 and ψ2 are divided by their sds
 *    over the T4a sweep (one scaling for all), noise sd 0.01, L1 rectified. A {@link T4Layer} learns
 *    on every triplet along the subtype's axis: T4a front-to-back (0°) and T4b back-to-front (180°)
 *    on horizontal triplets, T4c upward (90°) and T4d downward (270°) on vertical ones.
 * 4. Probe: the authors' ON/OFF edges (5 samples per 5°, 400-sample segments) and sine gratings
 *    (period 30°, 1° per sample) moving in `directions` evenly spaced directions over the lattice,
 *    through the same layer 1 and scaling; each unit answers on the lattice's centre triplet along
 *    its axis. Tuning curve: peak rectified response to ON edges (T4 is the ON pathway); also the
 *    OFF-edge peaks and the mean rectified grating response. Summaries: vector DSI
 *    |Σ r(θ) e^{iθ}| / Σ |r(θ)| and preferred direction arg Σ r(θ) e^{iθ} (flyvis), and
 *    (R_pref − R_null)/(R_pref + R_null), next to Maisak et al. 2013.
 */
import { DirectionTuningSummary, summarizeDirectionTuning } from '../metrics';
import { angleBetweenDeg } from '../stimuli/lattice';
import { WhiteNoise } from '../stimuli/noise';
import { axisTriplets, createLattice, Lattice, LatticeAxis, LatticeOptions } from '../stimuli/lattice';
import { edgeProbe2d, gratingProbe2d } from '../stimuli/probes2d';
import { Scanner2d } from '../stimuli/scanner2d';
import { mirrorT4Weights, T4_CHANNELS, T4Layer } from '../t4';
import { builtInTorusScene } from './builtin';
import { ClaimDefinition, fmt, verdict } from './claims';
import { ExperimentScene, ProgressCallback, plain, progressReporter } from './common';
import { layerOneUnits, normalize, pooledSd } from './motion';
import { DT_S, LayerOne, SCAN_SPEED_DEG_PER_S } from './natural';

/** The four T4 subtypes: the axis each pools along and the direction of its training motion. */
export const T4_SUBTYPES = [
  { name: 'T4a', axis: 'horizontal', directionDeg: 0, motion: 'front-to-back' },
  { name: 'T4b', axis: 'horizontal', directionDeg: 180, motion: 'back-to-front' },
  { name: 'T4c', axis: 'vertical', directionDeg: 90, motion: 'upward' },
  { name: 'T4d', axis: 'vertical', directionDeg: 270, motion: 'downward' },
] as const;

export type T4Subtype = (typeof T4_SUBTYPES)[number]['name'];

/** Maisak et al. 2013 (Nature 500:212) T4 tuning curves as digitized in flyvis (docs/frontier.md). */
export const MAISAK_2013 = {
  vectorDsi: { T4a: 0.6, T4b: 0.32, T4c: 0.45, T4d: 0.44 },
  dsi: { T4a: 0.92, T4b: 0.55, T4c: 0.56, T4d: 0.54 },
} as const;

/** Grating probe: spatial period, degrees. */
export const GRATING_PERIOD_DEG = 30;
/** Grating periods averaged for the grating response (after the layer-1 warm-up). */
const GRATING_MEASURE_PERIODS = 8;

/** Options of {@link runMotion2dExperiment}. */
export interface Motion2dOptions {
  /** Side of the dead-leaves torus, pixels (360° each way). */
  readonly sceneSize: number;
  /** Parallel paths per training direction. */
  readonly paths: number;
  /** Probe directions, evenly spaced from 0°. Default 12 (every 30°). */
  readonly directions?: number;
  /** The lattice. Default 3 × 3 square, 5° spacing. */
  readonly lattice?: LatticeOptions;
  /** T4 delay, samples. Default 5. */
  readonly delay?: number;
  /** Probe: samples per 5° of edge travel (the authors' 5). */
  readonly probeSamplesPerSpacing?: number;
  readonly seed: number;
  /** The scene (default the built-in torus of `sceneSize`, seeded from `seed`). Must be periodic, or big enough for the paths. */
  readonly scene?: ExperimentScene;
  readonly onProgress?: ProgressCallback;
}

/** One subtype's learned weights and tuning (the results.json contract: directionsDeg, responses, vectorDsi, preferredDirectionDeg). */
export interface T4SubtypeResult extends DirectionTuningSummary {
  readonly axis: LatticeAxis;
  /** The direction the scene moved during training, degrees, and its name. */
  readonly trainingDirectionDeg: number;
  readonly motion: string;
  /** Six weights, {@link T4_CHANNELS} order along the axis (left/bottom, centre, right/top), for the sd-normalized channels. */
  readonly weights: number[];
  /** Canonical correlations, descending. */
  readonly rho: number[];
  readonly directionsDeg: number[];
  /** Peak rectified response to ON edges moving in each direction. */
  readonly responses: number[];
  /** Peak rectified response to OFF edges. */
  readonly offEdgeResponses: number[];
  /** Mean rectified response to sine gratings, and its summary. */
  readonly grating: DirectionTuningSummary & { readonly responses: number[] };
}

/** T4a–d on a 2-D lattice with their tuning curves (docs/motion-2d.md), in results.json. */
export interface Motion2dResult {
  readonly T4a: T4SubtypeResult;
  readonly T4b: T4SubtypeResult;
  readonly T4c: T4SubtypeResult;
  readonly T4d: T4SubtypeResult;
  readonly scene: string;
  readonly lattice: { readonly kind: string; readonly rows: number; readonly columns: number; readonly spacingDeg: number };
  readonly channels: string[];
  /** max |T4b − mirror(T4a)| / max |T4a| and the same for T4d vs T4c. */
  readonly mirrorDeviation: { readonly horizontal: number; readonly vertical: number };
  /** max |T4c − T4a| / max |T4a|: a horizontal and a vertical unit on an isotropic scene should match. */
  readonly axisDeviation: number;
  readonly reference: typeof MAISAK_2013 & { readonly source: string };
  readonly probe: { readonly samplesPerSpacing: number; readonly gratingPeriodDeg: number; readonly gratingSpeedDegPerSample: number };
  readonly paths: number;
  readonly pairs: number;
  readonly channelSds: { readonly L3: number; readonly L1: number };
}

/**
 * A probe through fresh layer-1 units and the training scaling (the 'training' normalization of
 * motion.ts, no channel noise): per pixel L3 and L1 = max(ψ2·p / sd, 0).
 */
export function layerOneResponses(layer: LayerOne, sds: { L3: number; L1: number }, channels: readonly Float64Array[]): { l3: Float64Array[]; l1: Float64Array[] } {
  const units = layerOneUnits(layer, channels.length);
  return normalize(units.l3.process(channels), units.psi2.process(channels), sds, null);
}

/**
 * Peak rectified response over the ON (⌊k / L⌋ even) and OFF segments of an edge probe, L the
 * segment length. The edges cross a pixel mid-segment, delayed by at most the lattice's travel time
 * (≤ 10 samples here, ≪ L/2 = 200), so the segments of the probe's first pixel serve every pixel.
 */
export function peaksOf(response: Float64Array, segmentLength: number): { on: number; off: number; peak: number } {
  let on = 0, off = 0;
  for (let k = 0; k < response.length; k++) {
    if (Math.floor(k / segmentLength) % 2 === 0) on = Math.max(on, response[k]); else off = Math.max(off, response[k]);
  }
  return { on, off, peak: Math.max(on, off) };
}

interface PathSignals { l3: Float64Array[]; psi2: Float64Array[]; key: string }

/** Unrectified layer-1 outputs of one sweep: per path, per lattice pixel, L3 and ψ2·p (first m − 1 samples dropped). */
function sweep2d(scene: ExperimentScene, layer: LayerOne, lattice: LatticeOptions, directionDeg: number, paths: number, noiseSeed: number): PathSignals[] {
  const warmUp = layer.l3Filter.length - 1;
  const noise = new WhiteNoise({ sd: 0.05, seed: noiseSeed });
  const scanner = new Scanner2d(scene.contrast, {
    lattice, directionDeg, speedDegPerS: SCAN_SPEED_DEG_PER_S, dtS: DT_S, paths, pathSpacingDeg: 360 / paths, zScorePaths: true,
  });
  const out: PathSignals[] = [];
  for (let chunk = scanner.next(scanner.samplesPerPath); chunk !== null; chunk = scanner.next(scanner.samplesPerPath)) {
    const input = noise.add(chunk.channels);
    const units = layerOneUnits(layer, input.length); // fresh history per path
    out.push({ l3: units.l3.process(input).map((c) => c.slice(warmUp)), psi2: units.psi2.process(input).map((c) => c.slice(warmUp)), key: chunk.series });
  }
  return out;
}

/** The triplet along `axis` whose centre is the lattice pixel nearest the centroid. */
function centreTriplet(lattice: Lattice, axis: LatticeAxis): [number, number, number] {
  const triplets = axisTriplets(lattice, axis);
  const distance = (i: number): number => Math.hypot(lattice.points[i].xDeg, lattice.points[i].yDeg);
  return triplets.reduce((best, t) => (distance(t[1]) < distance(best[1]) ? t : best));
}

const pick = (arrays: readonly Float64Array[], triplet: readonly number[]): Float64Array[] => triplet.map((i) => arrays[i]);

/** Runs the 2-D experiment with the given layer-1 filters. Deterministic for a seed. */
export function runMotion2dExperiment(layer: LayerOne, options: Motion2dOptions): Motion2dResult {
  const report = progressReporter('motion2d', options.onProgress);
  const delay = options.delay ?? 5;
  const directions = options.directions ?? 12;
  const latticeOptions = options.lattice ?? {};
  const lattice = createLattice(latticeOptions);
  report(`building the ${options.sceneSize}×${options.sceneSize} dead-leaves torus`, 0);
  const scene = options.scene ?? builtInTorusScene(options.seed % 1_000_000, options.sceneSize);
  const trained = new Map<T4Subtype, { layer: T4Layer; weights: Float64Array; rho: Float64Array }>();
  let sds = { L3: 1, L1: 1 };
  let pairs = 0;
  T4_SUBTYPES.forEach((subtype, s) => {
    report(`sweeping ${subtype.motion} for ${subtype.name}`, (s + 0.1) / 5);
    const paths = sweep2d(scene, layer, latticeOptions, subtype.directionDeg, options.paths, options.seed + 10 + s);
    if (s === 0) sds = { L3: pooledSd(paths.flatMap((p) => p.l3)), L1: pooledSd(paths.flatMap((p) => p.psi2)) };
    const channelNoise = new WhiteNoise({ sd: 0.01, seed: options.seed + 20 + s });
    const t4 = new T4Layer({ delay });
    const triplets = axisTriplets(lattice, subtype.axis);
    paths.forEach((path) => {
      const { l3, l1 } = normalize(path.l3, path.psi2, sds, channelNoise);
      triplets.forEach((triplet, t) => t4.learn(pick(l3, triplet), pick(l1, triplet), `${path.key}:${t}`, { end: true }));
    });
    pairs += t4.pairs;
    const fit = t4.solve();
    trained.set(subtype.name, { layer: t4, weights: fit.weights, rho: fit.correlations });
  });

  report(`probing with edges and gratings in ${directions} directions`, 0.8);
  const samplesPerSpacing = options.probeSamplesPerSpacing ?? 5;
  const segmentLength = 400;
  const gratingSpeedDegPerSample = lattice.spacingDeg / samplesPerSpacing;
  const periodSamples = GRATING_PERIOD_DEG / gratingSpeedDegPerSample;
  const warmUp = layer.l3Filter.length - 1;
  const gratingSamples = Math.ceil(warmUp + (GRATING_MEASURE_PERIODS + 1) * periodSamples);
  const measureFrom = gratingSamples - Math.round(GRATING_MEASURE_PERIODS * periodSamples);
  const directionsDeg = Array.from({ length: directions }, (_, i) => (360 * i) / directions);
  const curves = new Map<T4Subtype, { on: number[]; off: number[]; grating: number[] }>(T4_SUBTYPES.map((s) => [s.name, { on: [], off: [], grating: [] }]));
  directionsDeg.forEach((directionDeg) => {
    const edges = layerOneResponses(layer, sds, edgeProbe2d({
      positions: lattice.points, directionDeg, spacingDeg: lattice.spacingDeg, samplesPerSpacing, segmentLength, seed: options.seed + 30,
    }));
    const grating = layerOneResponses(layer, sds, gratingProbe2d({
      positions: lattice.points, directionDeg, periodDeg: GRATING_PERIOD_DEG, speedDegPerS: gratingSpeedDegPerSample / DT_S,
      mean: 1, contrast: 1, dtS: DT_S, durationS: gratingSamples * DT_S,
    }));
    for (const subtype of T4_SUBTYPES) {
      const unit = trained.get(subtype.name)!.layer;
      const triplet = centreTriplet(lattice, subtype.axis);
      const peaks = peaksOf(unit.apply(pick(edges.l3, triplet), pick(edges.l1, triplet))[0], segmentLength);
      const drifting = unit.apply(pick(grating.l3, triplet), pick(grating.l1, triplet))[0].subarray(measureFrom);
      const curve = curves.get(subtype.name)!;
      curve.on.push(peaks.on);
      curve.off.push(peaks.off);
      curve.grating.push(drifting.reduce((a, x) => a + x, 0) / drifting.length);
    }
  });

  const result = (subtype: (typeof T4_SUBTYPES)[number]): T4SubtypeResult => {
    const unit = trained.get(subtype.name)!, curve = curves.get(subtype.name)!;
    return {
      axis: subtype.axis, trainingDirectionDeg: subtype.directionDeg, motion: subtype.motion,
      weights: plain(unit.weights), rho: plain(unit.rho),
      directionsDeg, responses: curve.on, ...summarizeDirectionTuning(directionsDeg, curve.on),
      offEdgeResponses: curve.off,
      grating: { responses: curve.grating, ...summarizeDirectionTuning(directionsDeg, curve.grating) },
    };
  };
  const w = (name: T4Subtype): Float64Array => trained.get(name)!.weights;
  const deviation = (a: Float64Array, b: Float64Array): number => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]))) / Math.max(...Array.from(b, Math.abs));
  report('done', 1);
  return {
    T4a: result(T4_SUBTYPES[0]), T4b: result(T4_SUBTYPES[1]), T4c: result(T4_SUBTYPES[2]), T4d: result(T4_SUBTYPES[3]),
    scene: scene.name,
    lattice: { kind: lattice.kind, rows: lattice.rows, columns: lattice.columns, spacingDeg: lattice.spacingDeg },
    channels: [...T4_CHANNELS],
    mirrorDeviation: { horizontal: deviation(w('T4b'), mirrorT4Weights(w('T4a'))), vertical: deviation(w('T4d'), mirrorT4Weights(w('T4c'))) },
    axisDeviation: deviation(w('T4c'), w('T4a')),
    reference: { ...MAISAK_2013, source: 'Maisak et al. 2013 (Nature 500:212), tuning curves as digitized in flyvis (Lappalainen et al. 2024)' },
    probe: { samplesPerSpacing, gratingPeriodDeg: GRATING_PERIOD_DEG, gratingSpeedDegPerSample },
    paths: options.paths,
    pairs,
    channelSds: sds,
  };
}

/** Largest distance between a unit's preferred direction (vector sum) and its training direction for the claim, degrees. */
export const PREFERRED_DIRECTION_TOLERANCE_DEG = 15;
/** Largest |vector DSI − Maisak et al.'s| for agreement: a loose band, declared before any run. */
export const MAISAK_AGREEMENT = 0.2;

const SUBTYPE_NAMES = T4_SUBTYPES.map((s) => s.name);

/**
 * Beyond the paper, as checks (./claims.ts): the paper's remark that 2-D motion builds on horizontal
 * and vertical 1-D detectors, and the comparison with the measured T4 tuning. Tuning is on ON edges
 * under the training normalization (the scaling the units learned with).
 */
export const MOTION2D_CLAIMS: readonly ClaimDefinition<Motion2dResult>[] = [
  {
    id: 'motion2d.cardinal',
    figure: 'Discussion (2-D)',
    claim: '2-D motion builds on horizontal and vertical 1-D detectors: T4 units pooling along the two axes cover the four cardinal directions',
    expectation: `each of T4a–d (trained on 0°, 180°, 90°, 270°): preferred direction (vector sum) within ${PREFERRED_DIRECTION_TOLERANCE_DEG}° of its training direction and (R_pref − R_null)/(R_pref + R_null) > 0.3 on ON edges`,
    evaluate: (r) => ({
      measured: SUBTYPE_NAMES.map((u) => `${u} ${fmt(r[u].preferredDirectionDeg, 0)}° (DSI ${fmt(r[u].dsi)}, vector ${fmt(r[u].vectorDsi)})`).join(', ')
        + `; mirror deviation ${fmt(r.mirrorDeviation.horizontal, 3)} / ${fmt(r.mirrorDeviation.vertical, 3)}`,
      pass: verdict(SUBTYPE_NAMES.flatMap((u) => [r[u].preferredDirectionDeg, r[u].dsi]), () => SUBTYPE_NAMES.every((u) =>
        angleBetweenDeg(r[u].preferredDirectionDeg!, r[u].trainingDirectionDeg) <= PREFERRED_DIRECTION_TOLERANCE_DEG && r[u].dsi > 0.3)),
    }),
  },
  {
    id: 'motion2d.maisak',
    figure: 'Maisak et al. 2013',
    claim: 'measured T4a–d tuning: vector DSI 0.60, 0.32, 0.45, 0.44 and (R_pref − R_null)/(R_pref + R_null) 0.92, 0.55, 0.56, 0.54 (as digitized in flyvis)',
    expectation: `each subtype's vector DSI on ON edges within ${MAISAK_AGREEMENT} of the measured one`,
    evaluate: (r) => ({
      measured: `vector DSI ${SUBTYPE_NAMES.map((u) => `${u} ${fmt(r[u].vectorDsi)} (${fmt(r.reference.vectorDsi[u])})`).join(', ')}; (Rp−Rn)/(Rp+Rn) ${SUBTYPE_NAMES.map((u) => fmt(r[u].dsi)).join(' ')}; gratings: vector DSI ${SUBTYPE_NAMES.map((u) => fmt(r[u].grating.vectorDsi)).join(' ')}`,
      pass: verdict(SUBTYPE_NAMES.map((u) => r[u].vectorDsi), () => SUBTYPE_NAMES.every((u) => Math.abs(r[u].vectorDsi - r.reference.vectorDsi[u]) <= MAISAK_AGREEMENT)),
    }),
  },
];
