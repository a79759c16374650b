/**
 * Experiment 4 (paper Fig. 5, docs/method.md §4): the two-layer motion circuit.
 *
 * 1. Layer 1 (from {@link learnLayerOne}): L3 = ψ1·p (linear), L1 = max(ψ2·p, 0) per pixel.
 * 2. A 3-pixel scanner (5° spacing, 13 steps per spacing) sweeps every scene row in one direction;
 *    z-scored rows + white noise of sd 0.05 as in layer-1 training. The first m − 1 filter outputs
 *    of each row (incomplete history) are dropped.
 * 3. The authors' preprocessing: each channel type divided by its sd over the training stream (no
 *    mean removal; one sd for L3, one for the ψ2 projection, pooled over pixels so both directions
 *    share one scaling), white noise of sd 0.01 added, then L1 rectified.
 * 4. T4a: {@link T4Layer} (uncentered CCA of the 6-vector now vs `delay` = 5 steps ahead, second
 *    canonical direction, centre-L1 pinned positive) on the scene moving 'right' (toward higher
 *    pixel indices: left → right, as the authors trained); T4b on the same rows moving 'left'.
 *    Their weights are for the sd-normalized channels, i.e. the authors' weights (T4Layer's
 *    normalizedWeights express the same thing for raw channels).
 * 5. Probe: the authors' smoothed ON/OFF edges (5 steps per spacing, 400-sample segments) in the
 *    preferred and null direction of each unit ({@link probePair}), through the same layer 1 and
 *    scaling; DSI = (R_pref − R_null)/(R_pref + R_null) on rectified peak responses (θ = 0).
 * 6. Connectome comparison of T4a (docs/method.md §4.7), triplets normalized by their absolute sums.
 */
import { directionSelectivityIndex } from '../metrics';
import { edgeProbe } from '../stimuli/probes';
import { WhiteNoise } from '../stimuli/noise';
import { MotionDirection, Scanner } from '../stimuli/scanner';
import { connectomeComparison, mirrorT4Weights, T4_CHANNELS, T4Layer } from '../t4';
import { rectify, ResuUnit } from '../units';
import { ExperimentScene, ProgressCallback, decimate, plain, progressReporter } from './common';
import { DT_S, LayerOne, SCAN_SPEED_DEG_PER_S, SPACING_DEG, TRAINING_SAMPLES_PER_SPACING, sceneRows } from './natural';

export interface MotionExperimentOptions {
  /** Use every `rowStride`-th image row. */
  readonly rowStride: number;
  /** Pixels of the training scanner (≥ 3; N − 2 triplets share the T4 weights). Default 3. */
  readonly pixels?: number;
  /** T4 delay, samples. Default 5. */
  readonly delay?: number;
  /** Layer-1 input noise sd (as in layer-1 training). Default 0.05. */
  readonly inputNoiseSd?: number;
  /** Noise added to the normalized L1/L3 channels (the authors' 0.01). */
  readonly channelNoiseSd?: number;
  /** Probe: samples per pixel spacing (the authors' 5). */
  readonly probeSamplesPerSpacing?: number;
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
}

/** Peak rectified responses of one unit to the edge probe, split into ON and OFF edges. */
export interface ProbePeaks {
  readonly preferred: { readonly on: number; readonly off: number; readonly peak: number };
  readonly null: { readonly on: number; readonly off: number; readonly peak: number };
}

export interface MotionResult {
  /** Layer-2 canonical correlations of T4a (6, descending); T4b's in `rhoT4b`. */
  readonly rho: number[];
  readonly rhoT4b: number[];
  /** Channel order of the weights. */
  readonly channels: string[];
  /** Six weights each, {@link T4_CHANNELS} order, for the sd-normalized channels. */
  readonly weights: { readonly T4a: number[]; readonly T4b: number[] };
  /** max |T4b − mirror(T4a)| / max |T4a|. */
  readonly mirrorDeviation: number;
  /**
   * Sampling-error yardstick for mirrorDeviation: T4a learned separately on the top and on the
   * bottom half of the scanned rows, max |w_top − w_bottom| / max |T4a|.
   */
  readonly splitHalfDeviation: number;
  /**
   * DSI of each unit relative to its own preferred direction (T4a: 'right', T4b: 'left'), on the
   * rectified peak responses to ON edges (T4 is the ON-motion pathway, docs/method.md §4.6).
   */
  readonly dsi: { readonly T4a: number; readonly T4b: number };
  /** DSI on the peak over ON and OFF edges together (OFF edges in the null direction also drive T4). */
  readonly dsiAllEdges: { readonly T4a: number; readonly T4b: number };
  readonly peaks: { readonly T4a: ProbePeaks; readonly T4b: ProbePeaks };
  readonly connectome: ReturnType<typeof connectomeComparison> & { readonly orientation: string };
  /** Probe traces (every `traceStep`-th sample): centre-pixel stimulus and rectified responses. */
  readonly probe: {
    readonly traceStep: number;
    readonly samplesPerSpacing: number;
    readonly stimulus: number[];
    readonly T4a: { readonly preferred: number[]; readonly null: number[] };
    readonly T4b: { readonly preferred: number[]; readonly null: number[] };
  };
  /** sds used to normalize the L3 and ψ2 channels. */
  readonly channelSds: { readonly L3: number; readonly L1: number };
  readonly pairs: number;
  readonly delay: number;
  readonly trainingSamplesPerSpacing: number;
}

interface LayerOneUnits { l3: ResuUnit; psi2: ResuUnit }

function layerOneUnits(layer: LayerOne, pixels: number): LayerOneUnits {
  return {
    l3: new ResuUnit({ taps: layer.l3Filter, polarity: 'linear', channels: pixels }),
    psi2: new ResuUnit({ taps: layer.l1Filter, polarity: 'linear', channels: pixels }),
  };
}

/** Unrectified layer-1 outputs of one training sweep: per row, per pixel, L3 and ψ2·p. */
function sweep(scenes: readonly ExperimentScene[], layer: LayerOne, direction: MotionDirection, options: MotionExperimentOptions, noiseSeed: number): { l3: Float64Array[]; psi2: Float64Array[]; key: string }[] {
  const pixels = options.pixels ?? 3;
  const warmUp = layer.l3Filter.length - 1;
  const noise = new WhiteNoise({ sd: options.inputNoiseSd ?? 0.05, seed: noiseSeed });
  const rows: { l3: Float64Array[]; psi2: Float64Array[]; key: string }[] = [];
  scenes.forEach((scene, s) => {
    const scanner = new Scanner(scene.contrast, {
      pixels, spacingDeg: SPACING_DEG, speedDegPerS: SCAN_SPEED_DEG_PER_S, dtS: DT_S, direction,
      rows: sceneRows(scene.contrast.height, options.rowStride), zScoreRows: true,
    });
    for (let chunk = scanner.next(scanner.samplesPerRow); chunk !== null; chunk = scanner.next(scanner.samplesPerRow)) {
      if (chunk.channels[0].length <= warmUp + options.delay!) continue;
      const input = noise.add(chunk.channels);
      const units = layerOneUnits(layer, pixels); // fresh history per row
      const l3 = units.l3.process(input).map((c) => c.slice(warmUp));
      const psi2 = units.psi2.process(input).map((c) => c.slice(warmUp));
      rows.push({ l3, psi2, key: `${s}:${chunk.series}` });
    }
  });
  return rows;
}

/** Population sd (÷N, about the pooled mean) over all arrays. */
function pooledSd(arrays: readonly Float64Array[]): number {
  let n = 0, sum = 0, squares = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) { n++; sum += a[i]; }
  const mean = sum / n;
  for (const a of arrays) for (let i = 0; i < a.length; i++) squares += (a[i] - mean) ** 2;
  return Math.sqrt(squares / n);
}

/** Scales L3 and ψ2 outputs by their training sds, adds channel noise, rectifies ψ2 → L1. */
function normalize(l3: readonly Float64Array[], psi2: readonly Float64Array[], sds: { L3: number; L1: number }, noise: WhiteNoise | null): { l3: Float64Array[]; l1: Float64Array[] } {
  const scale = (arrays: readonly Float64Array[], sd: number): Float64Array[] => arrays.map((a) => Float64Array.from(a, (x) => x / sd));
  let l3n = scale(l3, sds.L3), l1n = scale(psi2, sds.L1);
  if (noise) {
    const noisy = noise.add([...l3n, ...l1n]);
    l3n = noisy.slice(0, l3.length); l1n = noisy.slice(l3.length);
  }
  return { l3: l3n, l1: l1n.map((a) => rectify(a, 'on')) };
}

function peaksOf(response: Float64Array, segmentLength: number): { on: number; off: number; peak: number } {
  let on = 0, off = 0;
  for (let k = 0; k < response.length; k++) {
    if (Math.floor(k / segmentLength) % 2 === 0) on = Math.max(on, response[k]); else off = Math.max(off, response[k]);
  }
  return { on, off, peak: Math.max(on, off) };
}

/** Runs the motion experiment on the scenes with the given layer-1 filters. Deterministic for a seed. */
export function runMotionExperiment(scenes: readonly ExperimentScene[], layer: LayerOne, options: MotionExperimentOptions): MotionResult {
  const report = progressReporter('motion', options.onProgress);
  const pixels = options.pixels ?? 3, delay = options.delay ?? 5;
  const opts = { ...options, pixels, delay };
  const channelNoiseSd = options.channelNoiseSd ?? 0.01;
  const trained: { layer: T4Layer; fit: ReturnType<T4Layer['solve']> }[] = [];
  const halves = [new T4Layer({ delay }), new T4Layer({ delay })];
  let sds = { L3: 1, L1: 1 };
  let pairs = 0;
  (['right', 'left'] as const).forEach((direction, d) => {
    report(`sweeping the scenes ${direction === 'right' ? 'left → right (T4a)' : 'right → left (T4b)'}`, d / 2);
    const rows = sweep(scenes, layer, direction, opts, options.seed + 10 + d);
    // one scaling for both directions, from the T4a sweep
    if (d === 0) sds = { L3: pooledSd(rows.flatMap((r) => r.l3)), L1: pooledSd(rows.flatMap((r) => r.psi2)) };
    const t4 = new T4Layer({ delay });
    const channelNoise = channelNoiseSd > 0 ? new WhiteNoise({ sd: channelNoiseSd, seed: options.seed + 20 + d }) : null;
    rows.forEach((row, r) => {
      const { l3, l1 } = normalize(row.l3, row.psi2, sds, channelNoise);
      t4.learn(l3, l1, row.key, { end: true });
      if (d === 0) halves[r < rows.length / 2 ? 0 : 1].learn(l3, l1, row.key, { end: true });
    });
    pairs += t4.pairs;
    trained.push({ layer: t4, fit: t4.solve() });
  });
  report('probing with ON/OFF edges', 0.9);
  const samplesPerSpacing = options.probeSamplesPerSpacing ?? 5;
  const segmentLength = 400;
  const probeRun = (direction: MotionDirection) => {
    const channels = edgeProbe({ pixels: 3, samplesPerSpacing, segmentLength, direction, seed: options.seed + 30 });
    const units = layerOneUnits(layer, 3);
    const { l3, l1 } = normalize(units.l3.process(channels), units.psi2.process(channels), sds, null);
    return { channels, l3, l1 };
  };
  const runs = { right: probeRun('right'), left: probeRun('left') };
  const respond = (unit: T4Layer, direction: MotionDirection) => unit.apply(runs[direction].l3, runs[direction].l1)[0];
  const [t4a, t4b] = trained;
  const responses = {
    T4a: { preferred: respond(t4a.layer, 'right'), null: respond(t4a.layer, 'left') },
    T4b: { preferred: respond(t4b.layer, 'left'), null: respond(t4b.layer, 'right') },
  };
  const peaks = {
    T4a: { preferred: peaksOf(responses.T4a.preferred, segmentLength), null: peaksOf(responses.T4a.null, segmentLength) },
    T4b: { preferred: peaksOf(responses.T4b.preferred, segmentLength), null: peaksOf(responses.T4b.null, segmentLength) },
  };
  const wa = t4a.fit.weights, wb = t4b.fit.weights;
  const mirrored = mirrorT4Weights(wa);
  const scale = Math.max(...Array.from(wa, Math.abs));
  const mirrorDeviation = Math.max(...Array.from(wb, (w, i) => Math.abs(w - mirrored[i]))) / scale;
  const [top, bottom] = halves.map((half) => half.solve().weights);
  const splitHalfDeviation = Math.max(...Array.from(top, (w, i) => Math.abs(w - bottom[i]))) / scale;
  const traceStep = 2;
  report('done', 1);
  return {
    rho: plain(t4a.fit.correlations),
    rhoT4b: plain(t4b.fit.correlations),
    channels: [...T4_CHANNELS],
    weights: { T4a: plain(wa), T4b: plain(wb) },
    mirrorDeviation,
    splitHalfDeviation,
    dsi: {
      T4a: directionSelectivityIndex(peaks.T4a.preferred.on, peaks.T4a.null.on),
      T4b: directionSelectivityIndex(peaks.T4b.preferred.on, peaks.T4b.null.on),
    },
    dsiAllEdges: {
      T4a: directionSelectivityIndex(peaks.T4a.preferred.peak, peaks.T4a.null.peak),
      T4b: directionSelectivityIndex(peaks.T4b.preferred.peak, peaks.T4b.null.peak),
    },
    peaks,
    connectome: { ...connectomeComparison(wa), orientation: 'T4a trained with the scene moving left → right (pixel 0 → 2); weights ordered left, centre, right' },
    probe: {
      traceStep,
      samplesPerSpacing,
      stimulus: decimate(runs.right.channels[1], traceStep),
      T4a: { preferred: decimate(responses.T4a.preferred, traceStep), null: decimate(responses.T4a.null, traceStep) },
      T4b: { preferred: decimate(responses.T4b.preferred, traceStep), null: decimate(responses.T4b.null, traceStep) },
    },
    channelSds: sds,
    pairs,
    delay,
    trainingSamplesPerSpacing: TRAINING_SAMPLES_PER_SPACING,
  };
}
