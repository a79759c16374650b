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
 *    canonical direction, signed so its drive rises with the centre L1 input) on the scene moving
 *    'right' (toward higher pixel indices: left → right, as the authors trained); T4b on the same
 *    rows moving 'left'; the first direction ψ1 of T4a's CCA as a third unit. Their weights are for
 *    the sd-normalized channels, i.e. the authors' weights.
 * 5. Probes (issue 15): the authors' smoothed ON/OFF edges (5 and 13 steps per spacing) and drifting
 *    sine and square gratings (periods 20°, 40°, 80°; the training speed 38.5°/s and the authors'
 *    probe speed 100°/s), each in the preferred and the null direction, through the same layer 1,
 *    under both probe normalizations ({@link PROBE_NORMALIZATIONS}); peaks scored by
 *    {@link ProbeScorer} in ON and OFF windows after the layer-1 filters have filled (m − 1
 *    samples); DSI for ON, OFF and all stimuli; a threshold sweep (DSI vs the fraction of the
 *    preferred response kept) and the thresholds a T4 sets from data (quantiles of its training
 *    drive).
 * 6. Connectome comparison of T4a (docs/method.md §4.7), triplets normalized by their absolute sums,
 *    per pathway and over both.
 */
import { ProbeScore, ProbeScorer, thresholdedScore, thresholdSweep, ThresholdPoint } from '../probeScoring';
import { probePair, ProbePairOptions, ProbeRun } from '../stimuli/probes';
import { WhiteNoise } from '../stimuli/noise';
import { MotionDirection, Scanner } from '../stimuli/scanner';
import { connectomeComparison, mirrorT4Weights, T4_CHANNELS, T4Layer } from '../t4';
import { rectify, ResuUnit } from '../units';
import { ClaimDefinition, fmt, verdict } from './claims';
import { ExperimentScene, ProgressCallback, decimate, median, plain, progressReporter, spread } from './common';
import { DT_S, LayerOne, SCAN_SPEED_DEG_PER_S, SPACING_DEG, TRAINING_SAMPLES_PER_SPACING, sceneRows } from './natural';

/**
 * How probe responses are normalized before T4 (issue 15): the choice decides the Fig. 5B outcome.
 * - 'probe-sd' (the authors' code, the default): each T4 input channel divided by its own sd over
 *   the probe run, white noise of sd 0.02 added, L1 rectified; the weights for unit-sd inputs
 *   ({@link T4InputScaling}).
 * - 'training' (this project's earlier choice): the probe's L3 and ψ2 outputs divided by the training
 *   stream's sds, as the training data were.
 */
export const PROBE_NORMALIZATIONS = ['probe-sd', 'training'] as const;
export type ProbeNormalization = typeof PROBE_NORMALIZATIONS[number];
/** Noise added to the normalized probe channels in 'probe-sd' (the authors' 0.02). */
export const PROBE_CHANNEL_NOISE_SD = 0.02;
/** Quantiles of the training drive tried as data-derived thresholds. */
export const DATA_THRESHOLD_QUANTILES = [0.5, 0.9, 0.99] as const;
/** The quantile whose threshold the threshold claim uses (declared, not tuned). */
export const CLAIM_THRESHOLD_QUANTILE = 0.9;
/** The authors' probe speed: 5° per 5 samples of 10 ms. */
export const AUTHORS_PROBE_SPEED_DEG_PER_S = SPACING_DEG / 5 / DT_S;
/**
 * Cosine similarity of the authors' own T4a weights with the connectome, as the issue-15 audit
 * measured it running their code on the same data. Their weights are not published in machine-
 * readable form, so this reference is quoted, not recomputed.
 */
export const AUTHORS_CONNECTOME_COSINE = 0.72;

/** Options of {@link runMotionExperiment}. */
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
  readonly seed: number;
  readonly onProgress?: ProgressCallback;
}

/** One stimulus of the probe battery. */
export interface ProbeStimulus {
  /** "edges 5/spacing", "square 40° 38.5°/s", … */
  readonly id: string;
  readonly kind: 'edge' | 'grating';
  readonly waveform: 'smoothed square' | 'sine' | 'square';
  /** Spatial period, degrees (gratings only: the edges of the edge sequence are 800 samples apart). */
  readonly periodDeg?: number;
  readonly speedDegPerS: number;
  /** True at the training speed (13 samples per pixel spacing). */
  readonly trainingSpeed: boolean;
}

/** Scores of the three units (relative to each unit's own preferred direction). */
export interface UnitScores {
  readonly T4a: ProbeScore;
  readonly T4b: ProbeScore;
  /** The first canonical direction of T4a's CCA as a ReSU (preferred: T4a's). */
  readonly psi1: ProbeScore;
}

export interface ProbeResult extends ProbeStimulus {
  readonly scores: Record<ProbeNormalization, UnitScores>;
}

/** Median, min and max of a DSI over the gratings. */
export interface DsiRange { readonly median: number; readonly min: number; readonly max: number }

/** A data-derived threshold and what it does to the authors' edges (all stimuli). */
export interface DataThreshold {
  readonly quantile: number;
  /** θ = that quantile of the training drive, per unit (training-drive units). */
  readonly threshold: { readonly T4a: number; readonly T4b: number };
  readonly scores: Record<ProbeNormalization, { readonly T4a: ThresholdPoint; readonly T4b: ThresholdPoint }>;
}

/** The motion experiment (T4 weights, direction selectivity, connectome comparison; Fig. 5) on one set of scenes. */
export interface MotionResult {
  /** Layer-2 canonical correlations of T4a (6, descending); T4b's in `rhoT4b`. */
  readonly rho: number[];
  readonly rhoT4b: number[];
  /** Channel order of the weights. */
  readonly channels: string[];
  /** Six weights each, {@link T4_CHANNELS} order, for the sd-normalized channels; psi1 is T4a's first direction. */
  readonly weights: { readonly T4a: number[]; readonly T4b: number[]; readonly psi1: number[] };
  /** The sign rule and its margin, corr(drive, centre L1) on the training data. */
  readonly sign: { readonly rule: string; readonly margin: { readonly T4a: number; readonly T4b: number } };
  /** max |T4b − mirror(T4a)| / max |T4a|. */
  readonly mirrorDeviation: number;
  /**
   * Sampling-error yardstick for mirrorDeviation: T4a learned separately on the top and on the
   * bottom half of the scanned rows, max |w_top − w_bottom| / max |T4a|.
   */
  readonly splitHalfDeviation: number;
  /** The battery, the authors' edges first. */
  readonly probes: ProbeResult[];
  /** The headline: scores on the authors' edges (5 samples per spacing), per normalization. */
  readonly dsi: Record<ProbeNormalization, UnitScores>;
  /** T4a's DSI over the gratings, per normalization and stimulus class. */
  readonly gratings: Record<ProbeNormalization, { readonly on: DsiRange; readonly off: DsiRange; readonly all: DsiRange }>;
  /** DSI over all stimuli (the authors' edges) against the fraction of the preferred peak kept by θ. */
  readonly thresholdSweep: Record<ProbeNormalization, { readonly T4a: ThresholdPoint[]; readonly T4b: ThresholdPoint[] }>;
  readonly dataThresholds: DataThreshold[];
  readonly connectome: ReturnType<typeof connectomeComparison> & {
    readonly orientation: string;
    readonly T4bMirrored: { readonly cosineSimilarity: number; readonly pathwayCosine: { readonly L1: number; readonly L3: number } };
    readonly reference: { readonly cosineSimilarity: number; readonly source: string };
  };
  /** Probe traces (every `traceStep`-th sample), authors' edges, 'probe-sd': centre-pixel stimulus and rectified responses. */
  readonly probe: {
    readonly traceStep: number;
    readonly samplesPerSpacing: number;
    readonly normalization: ProbeNormalization;
    readonly stimulus: number[];
    readonly T4a: { readonly preferred: number[]; readonly null: number[] };
    readonly T4b: { readonly preferred: number[]; readonly null: number[] };
  };
  /** sds used to normalize the L3 and ψ2 channels (training). */
  readonly channelSds: { readonly L3: number; readonly L1: number };
  readonly probeChannelNoiseSd: number;
  /** Samples of each probe run not scored (layer-1 histories filling). */
  readonly settleSamples: number;
  readonly pairs: number;
  readonly delay: number;
  readonly trainingSamplesPerSpacing: number;
}

/** One scene's T4 alone (with the pooled layer-1 filters). */
export interface PerSceneMotion {
  readonly source: string;
  readonly dsi: MotionResult['dsi'];
  readonly weights: MotionResult['weights'];
  readonly mirrorDeviation: number;
  readonly connectome: { readonly cosineSimilarity: number; readonly pathwayCosine: { readonly L1: number; readonly L3: number } };
}

/** The motion experiment as `resu reproduce` reports it: pooled scenes plus each scene alone. */
export interface MotionReproduction extends MotionResult {
  /** Empty with one scene. */
  readonly perScene: PerSceneMotion[];
  /** Spread of the connectome cosines over the scenes (absent with one scene). */
  readonly connectomeSpread?: { readonly cosineSimilarity: ReturnType<typeof spread>; readonly L1: ReturnType<typeof spread>; readonly L3: ReturnType<typeof spread> };
}

/** Layer-1 units of a pixel array: L3 = ψ1·p and the unrectified ψ2·p (rectified later, after scaling). */
export interface LayerOneUnits { l3: ResuUnit; psi2: ResuUnit }

export function layerOneUnits(layer: LayerOne, pixels: number): LayerOneUnits {
  return {
    l3: new ResuUnit({ taps: layer.l3Filter, polarity: 'linear', channels: pixels }),
    psi2: new ResuUnit({ taps: layer.l1Filter, polarity: 'linear', channels: pixels }),
  };
}

/** Unrectified layer-1 outputs of one training sweep: per row, per pixel, L3 and ψ2·p. */
export function sweep(scenes: readonly ExperimentScene[], layer: LayerOne, direction: MotionDirection, options: MotionExperimentOptions, noiseSeed: number): { l3: Float64Array[]; psi2: Float64Array[]; key: string }[] {
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
export function pooledSd(arrays: readonly Float64Array[]): number {
  let n = 0, sum = 0, squares = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) { n++; sum += a[i]; }
  const mean = sum / n;
  for (const a of arrays) for (let i = 0; i < a.length; i++) squares += (a[i] - mean) ** 2;
  return Math.sqrt(squares / n);
}

/** Scales L3 and ψ2 outputs by their training sds, adds channel noise, rectifies ψ2 → L1. */
export function normalize(l3: readonly Float64Array[], psi2: readonly Float64Array[], sds: { L3: number; L1: number }, noise: WhiteNoise | null): { l3: Float64Array[]; l1: Float64Array[] } {
  const scale = (arrays: readonly Float64Array[], sd: number): Float64Array[] => arrays.map((a) => Float64Array.from(a, (x) => x / sd));
  let l3n = scale(l3, sds.L3), l1n = scale(psi2, sds.L1);
  if (noise) {
    const noisy = noise.add([...l3n, ...l1n]);
    l3n = noisy.slice(0, l3.length); l1n = noisy.slice(l3.length);
  }
  return { l3: l3n, l1: l1n.map((a) => rectify(a, 'on')) };
}

/** The probe battery (issue 15); every stimulus with 'right' as the preferred direction (T4a's). */
export function probeBattery(): { stimulus: ProbeStimulus; options: ProbePairOptions }[] {
  const battery: { stimulus: ProbeStimulus; options: ProbePairOptions }[] = [];
  for (const samplesPerSpacing of [5, TRAINING_SAMPLES_PER_SPACING]) {
    battery.push({
      stimulus: { id: `edges ${samplesPerSpacing}/spacing`, kind: 'edge', waveform: 'smoothed square', speedDegPerS: SPACING_DEG / samplesPerSpacing / DT_S, trainingSpeed: samplesPerSpacing === TRAINING_SAMPLES_PER_SPACING },
      options: { probe: 'edge', preferredDirection: 'right', pixels: 3, samplesPerSpacing, segmentLength: 400, noiseSd: 0.005 },
    });
  }
  for (const waveform of ['sine', 'square'] as const) {
    for (const periodDeg of [20, 40, 80]) {
      for (const speedDegPerS of [SCAN_SPEED_DEG_PER_S, AUTHORS_PROBE_SPEED_DEG_PER_S]) {
        battery.push({
          stimulus: { id: `${waveform} ${periodDeg}° ${speedDegPerS.toFixed(1)}°/s`, kind: 'grating', waveform, periodDeg, speedDegPerS, trainingSpeed: speedDegPerS === SCAN_SPEED_DEG_PER_S },
          options: { probe: 'grating', preferredDirection: 'right', pixels: 3, spacingDeg: SPACING_DEG, periodDeg, speedDegPerS, waveform, dtS: DT_S, durationS: 8, noiseSd: 0.005 },
        });
      }
    }
  }
  return battery;
}

interface TrainedUnits { T4a: T4Layer; T4b: T4Layer; psi1: T4Layer }

/** Raw layer-1 outputs of one probe run: L3 and the ψ2 projection per pixel. */
function layerOneOnProbe(layer: LayerOne, run: ProbeRun): { l3: Float64Array[]; psi2: Float64Array[] } {
  const units = layerOneUnits(layer, run.channels.length);
  return { l3: units.l3.process(run.channels), psi2: units.psi2.process(run.channels) };
}

/** Rectified responses of one unit to one run under one normalization (θ = 0). */
function respond(unit: T4Layer, outputs: { l3: Float64Array[]; psi2: Float64Array[] }, normalization: ProbeNormalization, sds: { L3: number; L1: number }, seed: number): Float64Array {
  if (normalization === 'training') {
    const { l3, l1 } = normalize(outputs.l3, outputs.psi2, sds, null);
    return unit.apply(l3, l1)[0];
  }
  // probe-sd rescales every channel by its own sd: the training sds drop out
  const l1 = outputs.psi2.map((c) => rectify(Float64Array.from(c), 'on'));
  return unit.apply(outputs.l3, l1, { mode: 'probe-sd', noiseSd: PROBE_CHANNEL_NOISE_SD, seed })[0];
}

/** Scores every unit on every stimulus and normalization. */
function probeAll(layer: LayerOne, units: TrainedUnits, sds: { L3: number; L1: number }, settleSamples: number, seed: number): { probes: ProbeResult[]; traces: MotionResult['probe'] } {
  let traces: MotionResult['probe'] | null = null;
  const probes = probeBattery().map(({ stimulus, options }, s) => {
    const pair = probePair({ ...options, seed: seed + s });
    const right = pair.preferred, left = pair.null;
    const outputs = { right: layerOneOnProbe(layer, right), left: layerOneOnProbe(layer, left) };
    const scores = {} as Record<ProbeNormalization, UnitScores>;
    for (const normalization of PROBE_NORMALIZATIONS) {
      const responses = (unit: T4Layer, direction: 'right' | 'left'): Float64Array => respond(unit, outputs[direction], normalization, sds, seed + 100 * s + (direction === 'right' ? 1 : 2));
      const score = (unit: T4Layer, preferred: 'right' | 'left'): { score: ProbeScore; preferred: Float64Array; null: Float64Array } => {
        const nul = preferred === 'right' ? 'left' : 'right';
        const runs = { right, left };
        const scorer = new ProbeScorer({ preferred: runs[preferred].polarityAt, null: runs[nul].polarityAt }, { settleSamples });
        const pref = responses(unit, preferred), null_ = responses(unit, nul);
        scorer.add('preferred', 0, [pref]);
        scorer.add('null', 0, [null_]);
        return { score: scorer.score(), preferred: pref, null: null_ };
      };
      const a = score(units.T4a, 'right'), b = score(units.T4b, 'left'), psi1 = score(units.psi1, 'right');
      scores[normalization] = { T4a: a.score, T4b: b.score, psi1: psi1.score };
      if (s === 0 && normalization === 'probe-sd') {
        const traceStep = 2;
        traces = {
          traceStep, samplesPerSpacing: 5, normalization, stimulus: decimate(right.channels[1], traceStep),
          T4a: { preferred: decimate(a.preferred, traceStep), null: decimate(a.null, traceStep) },
          T4b: { preferred: decimate(b.preferred, traceStep), null: decimate(b.null, traceStep) },
        };
      }
    }
    return { ...stimulus, scores };
  });
  return { probes, traces: traces! };
}

function dsiRange(values: number[]): DsiRange {
  const finite = values.filter(Number.isFinite);
  return { median: median(values), min: finite.length ? Math.min(...finite) : NaN, max: finite.length ? Math.max(...finite) : NaN };
}

/** Runs the motion experiment on the scenes with the given layer-1 filters. Deterministic for a seed. */
export function runMotionExperiment(scenes: readonly ExperimentScene[], layer: LayerOne, options: MotionExperimentOptions): MotionResult {
  const report = progressReporter('motion', options.onProgress);
  const pixels = options.pixels ?? 3, delay = options.delay ?? 5;
  const opts = { ...options, pixels, delay };
  const channelNoiseSd = options.channelNoiseSd ?? 0.01;
  // T4a samples its training drive for the data-derived thresholds; θ is reset to 0 for probing
  const T4a = new T4Layer({ delay, thresholdQuantile: CLAIM_THRESHOLD_QUANTILE, seed: options.seed + 40 });
  const T4b = new T4Layer({ delay, thresholdQuantile: CLAIM_THRESHOLD_QUANTILE, seed: options.seed + 41 });
  const psi1 = new T4Layer({ delay, component: 1 });
  const halves = [new T4Layer({ delay }), new T4Layer({ delay })];
  let sds = { L3: 1, L1: 1 };
  let pairs = 0;
  (['right', 'left'] as const).forEach((direction, d) => {
    report(`sweeping the scenes ${direction === 'right' ? 'left → right (T4a)' : 'right → left (T4b)'}`, d / 2);
    const rows = sweep(scenes, layer, direction, opts, options.seed + 10 + d);
    // one scaling for both directions, from the T4a sweep
    if (d === 0) sds = { L3: pooledSd(rows.flatMap((r) => r.l3)), L1: pooledSd(rows.flatMap((r) => r.psi2)) };
    const t4 = d === 0 ? T4a : T4b;
    const channelNoise = channelNoiseSd > 0 ? new WhiteNoise({ sd: channelNoiseSd, seed: options.seed + 20 + d }) : null;
    rows.forEach((row, r) => {
      const { l3, l1 } = normalize(row.l3, row.psi2, sds, channelNoise);
      t4.learn(l3, l1, row.key, { end: true });
      if (d === 0) {
        psi1.learn(l3, l1, row.key, { end: true });
        halves[r < rows.length / 2 ? 0 : 1].learn(l3, l1, row.key, { end: true });
      }
    });
    pairs += t4.pairs;
  });
  const fitA = T4a.solve(), fitB = T4b.solve(), fitPsi1 = psi1.solve();
  const thresholds = DATA_THRESHOLD_QUANTILES.map((quantile) => ({
    quantile,
    threshold: { T4a: Math.max(0, T4a.driveQuantile(fitA.weights, quantile)), T4b: Math.max(0, T4b.driveQuantile(fitB.weights, quantile)) },
  }));
  T4a.setThreshold(0); T4b.setThreshold(0);
  report('probing with edges and gratings', 0.9);
  const settleSamples = layer.l3Filter.length - 1;
  const { probes, traces } = probeAll(layer, { T4a, T4b, psi1 }, sds, settleSamples, options.seed + 30);
  const edges = probes[0].scores;
  const wa = fitA.weights, wb = fitB.weights;
  const mirrored = mirrorT4Weights(wa);
  const scale = Math.max(...Array.from(wa, Math.abs));
  const mirrorDeviation = Math.max(...Array.from(wb, (w, i) => Math.abs(w - mirrored[i]))) / scale;
  const [top, bottom] = halves.map((half) => half.solve().weights);
  const splitHalfDeviation = Math.max(...Array.from(top, (w, i) => Math.abs(w - bottom[i]))) / scale;
  const perNormalization = <T>(build: (normalization: ProbeNormalization) => T): Record<ProbeNormalization, T> => Object.fromEntries(PROBE_NORMALIZATIONS.map((n) => [n, build(n)])) as Record<ProbeNormalization, T>;
  const gratings = probes.filter((p) => p.kind === 'grating');
  const mirroredB = connectomeComparison(wb, true);
  report('done', 1);
  return {
    rho: plain(fitA.correlations),
    rhoT4b: plain(fitB.correlations),
    channels: [...T4_CHANNELS],
    weights: { T4a: plain(wa), T4b: plain(wb), psi1: plain(fitPsi1.weights) },
    sign: { rule: T4a.signRule, margin: { T4a: fitA.signMargin, T4b: fitB.signMargin } },
    mirrorDeviation,
    splitHalfDeviation,
    probes,
    dsi: edges,
    gratings: perNormalization((n) => ({
      on: dsiRange(gratings.map((p) => p.scores[n].T4a.on.dsi)),
      off: dsiRange(gratings.map((p) => p.scores[n].T4a.off.dsi)),
      all: dsiRange(gratings.map((p) => p.scores[n].T4a.all.dsi)),
    })),
    thresholdSweep: perNormalization((n) => ({
      T4a: thresholdSweep(edges[n].T4a.all.preferredPeak, edges[n].T4a.all.nullPeak),
      T4b: thresholdSweep(edges[n].T4b.all.preferredPeak, edges[n].T4b.all.nullPeak),
    })),
    dataThresholds: thresholds.map(({ quantile, threshold }) => ({
      quantile, threshold,
      scores: perNormalization((n) => ({
        T4a: thresholdedScore(edges[n].T4a.all.preferredPeak, edges[n].T4a.all.nullPeak, threshold.T4a),
        T4b: thresholdedScore(edges[n].T4b.all.preferredPeak, edges[n].T4b.all.nullPeak, threshold.T4b),
      })),
    })),
    connectome: {
      ...connectomeComparison(wa),
      orientation: 'T4a trained with the scene moving left → right (pixel 0 → 2); weights ordered left, centre, right',
      T4bMirrored: { cosineSimilarity: mirroredB.cosineSimilarity, pathwayCosine: mirroredB.pathwayCosine },
      reference: { cosineSimilarity: AUTHORS_CONNECTOME_COSINE, source: "the authors' code on the same data (issue 15 audit); their weights are not published, so not recomputed here" },
    },
    probe: traces,
    channelSds: sds,
    probeChannelNoiseSd: PROBE_CHANNEL_NOISE_SD,
    settleSamples,
    pairs,
    delay,
    trainingSamplesPerSpacing: TRAINING_SAMPLES_PER_SPACING,
  };
}

/** Adds each scene's T4 alone and the spread of the connectome cosines over the scenes. */
export function withPerScene(pooled: MotionResult, perScene: PerSceneMotion[]): MotionReproduction {
  if (perScene.length < 2) return { ...pooled, perScene };
  const connectomeSpread = {
    cosineSimilarity: spread(perScene.map((s) => s.connectome.cosineSimilarity)),
    L1: spread(perScene.map((s) => s.connectome.pathwayCosine.L1)),
    L3: spread(perScene.map((s) => s.connectome.pathwayCosine.L3)),
  };
  return { ...pooled, perScene, connectomeSpread };
}

/** A scene's summary for {@link withPerScene}. */
export function perSceneSummary(source: string, result: MotionResult): PerSceneMotion {
  return {
    source, dsi: result.dsi, weights: result.weights, mirrorDeviation: result.mirrorDeviation,
    connectome: { cosineSimilarity: result.connectome.cosineSimilarity, pathwayCosine: result.connectome.pathwayCosine },
  };
}

const units = (r: MotionResult, n: ProbeNormalization) => r.dsi[n];
const pair = (x: number, y: number, digits = 2) => `${fmt(x, digits)}/${fmt(y, digits)}`;

/** Fig. 5 as checks (T4a/T4b pairs print as "a/b"; the authors' normalization decides, ours is shown). */
export const MOTION_CLAIMS: readonly ClaimDefinition<MotionReproduction>[] = [
  {
    id: 'motion.dsi-on',
    figure: 'Fig. 5B',
    claim: 'the trained T4 is direction selective for ON stimuli (T4a and T4b for opposite directions)',
    expectation: 'DSI on ON edges > 0.3 ("clearly positive") for T4a and T4b, authors\' edges, probe-sd normalization',
    evaluate: (r) => {
      const p = units(r, 'probe-sd'), t = units(r, 'training');
      return {
        measured: `DSI ON T4a/T4b ${pair(p.T4a.on.dsi, p.T4b.on.dsi)} (training sds ${pair(t.T4a.on.dsi, t.T4b.on.dsi)}); gratings T4a median ${fmt(r.gratings['probe-sd'].on.median)} (${fmt(r.gratings['probe-sd'].on.min)} to ${fmt(r.gratings['probe-sd'].on.max)})`,
        pass: verdict([p.T4a.on.dsi, p.T4b.on.dsi], () => p.T4a.on.dsi > 0.3 && p.T4b.on.dsi > 0.3),
      };
    },
  },
  {
    id: 'motion.preferred-above-null',
    figure: 'Fig. 5B',
    claim: 'unrectified filtering with ψ2 gives a stronger preferred than null response to ON/OFF gratings',
    expectation: 'over all stimuli (ON and OFF edges), preferred peak > null peak (DSI > 0) for T4a and T4b, probe-sd normalization',
    evaluate: (r) => {
      const p = units(r, 'probe-sd'), t = units(r, 'training');
      return {
        measured: `all stimuli: T4a ${fmt(p.T4a.all.preferredPeak)} vs ${fmt(p.T4a.all.nullPeak)}, T4b ${fmt(p.T4b.all.preferredPeak)} vs ${fmt(p.T4b.all.nullPeak)}, DSI ${pair(p.T4a.all.dsi, p.T4b.all.dsi)} (training sds ${pair(t.T4a.all.dsi, t.T4b.all.dsi)}); OFF-edge DSI ${pair(p.T4a.off.dsi, p.T4b.off.dsi)}`,
        pass: verdict([p.T4a.all.dsi, p.T4b.all.dsi], () => p.T4a.all.dsi > 0 && p.T4b.all.dsi > 0),
      };
    },
  },
  {
    id: 'motion.threshold',
    figure: 'Fig. 5B',
    claim: 'a threshold within the ReSU removes the residual null-direction response',
    expectation: `with θ set from data (the ${CLAIM_THRESHOLD_QUANTILE} quantile of each unit's training drive), T4a and T4b still answer preferred stimuli and their DSI over all stimuli is ≥ 0.9, probe-sd normalization`,
    evaluate: (r) => {
      const chosen = r.dataThresholds.find((d) => d.quantile === CLAIM_THRESHOLD_QUANTILE)!;
      const p = chosen.scores['probe-sd'], t = chosen.scores.training;
      const keptAtOne = (n: ProbeNormalization, unit: 'T4a' | 'T4b') => { const s = r.dsi[n][unit].all; return s.preferredPeak > s.nullPeak ? (s.preferredPeak - s.nullPeak) / s.preferredPeak : 0; };
      return {
        measured: `θ T4a/T4b ${pair(chosen.threshold.T4a, chosen.threshold.T4b)} vs preferred peaks ${pair(r.dsi['probe-sd'].T4a.all.preferredPeak, r.dsi['probe-sd'].T4b.all.preferredPeak)}: DSI ${pair(p.T4a.dsi, p.T4b.dsi)} keeping ${pair(p.T4a.fractionKept, p.T4b.fractionKept)} of the preferred peak (training sds: DSI ${pair(t.T4a.dsi, t.T4b.dsi)}); DSI 1 needs θ ≥ null peak, keeping ${pair(keptAtOne('probe-sd', 'T4a'), keptAtOne('probe-sd', 'T4b'))} (training sds ${pair(keptAtOne('training', 'T4a'), keptAtOne('training', 'T4b'))})`,
        // a θ above both peaks silences the unit (DSI undefined): that is a failure, not "not evaluated"
        pass: verdict([p.T4a.fractionKept, p.T4b.fractionKept], () => [p.T4a, p.T4b].every((x) => x.fractionKept > 0 && x.dsi >= 0.9)),
      };
    },
  },
  {
    id: 'motion.psi1-both-directions',
    figure: 'Fig. 5B',
    claim: 'the first layer-2 direction (ψ1) responds equally to both directions',
    expectation: '|DSI| ≤ 0.1 for the ψ1 ReSU on ON edges and over all stimuli, authors\' edges, probe-sd normalization',
    evaluate: (r) => {
      const p = units(r, 'probe-sd').psi1, t = units(r, 'training').psi1;
      return {
        measured: `ψ1 DSI ON ${fmt(p.on.dsi)}, all ${fmt(p.all.dsi)} (training sds ${fmt(t.on.dsi)}, ${fmt(t.all.dsi)}); ψ2 (T4a) ON ${fmt(units(r, 'probe-sd').T4a.on.dsi)}`,
        pass: verdict([p.on.dsi, p.all.dsi], () => Math.abs(p.on.dsi) <= 0.1 && Math.abs(p.all.dsi) <= 0.1),
      };
    },
  },
  {
    id: 'motion.mirror',
    figure: 'Fig. 5',
    claim: 'T4a and T4b, trained on opposite directions, develop mirror-image weights (opposite selectivity)',
    expectation: 'max |T4b − mirror(T4a)| ≤ 2 × the split-half deviation of T4a (its sampling error), relative to max |T4a|',
    evaluate: (r) => ({
      measured: `mirror deviation ${fmt(r.mirrorDeviation, 3)}, split-half ${fmt(r.splitHalfDeviation, 3)}; sign margins ${pair(r.sign.margin.T4a, r.sign.margin.T4b)}${r.perScene.length ? `; per scene ${r.perScene.map((s) => fmt(s.mirrorDeviation, 3)).join(', ')}` : ''}`,
      pass: verdict([r.mirrorDeviation, r.splitHalfDeviation], () => r.mirrorDeviation <= 2 * r.splitHalfDeviation),
    }),
  },
  {
    id: 'motion.mechanism',
    figure: 'Fig. 5C',
    claim: 'T4a is driven by the left L3 rising before the right and centre L3 drop, and (less) by the centre L1',
    expectation: 'T4a weights: L3 left > 0, L3 centre < 0, L3 right < 0, L1 centre > 0',
    evaluate: (r) => {
      const [l3l, , l3c, l1c, l3r] = r.weights.T4a;
      return {
        measured: `T4a L3 ${fmt(l3l)} ${fmt(l3c)} ${fmt(l3r)}, L1 ${r.weights.T4a.filter((_, i) => i % 2 === 1).map((w) => fmt(w)).join(' ')} (left, centre, right)`,
        pass: verdict(r.weights.T4a, () => l3l > 0 && l3c < 0 && l3r < 0 && l1c > 0),
      };
    },
  },
  {
    id: 'motion.connectome',
    figure: 'Fig. 5D',
    claim: 'the learned T4a weights are qualitatively similar to the connectome\'s',
    expectation: 'cosine similarity (triplets ÷ Σ|w|) ≥ 0.5 over both pathways and > 0 for each',
    evaluate: (r) => {
      const c = r.connectome, s = r.connectomeSpread;
      return {
        measured: `cosine ${fmt(c.cosineSimilarity)} (L1 ${fmt(c.pathwayCosine.L1)}, L3 ${fmt(c.pathwayCosine.L3)}; T4b mirrored ${fmt(c.T4bMirrored.cosineSimilarity)})${s ? `; per scene ${fmt(s.cosineSimilarity.mean)} ± ${fmt(s.cosineSimilarity.sd)} (${fmt(s.cosineSimilarity.min)}–${fmt(s.cosineSimilarity.max)})` : ''}; the authors' weights ≈ ${fmt(c.reference.cosineSimilarity)} (quoted)`,
        pass: verdict([c.cosineSimilarity, c.pathwayCosine.L1, c.pathwayCosine.L3], () => c.cosineSimilarity >= 0.5 && c.pathwayCosine.L1 > 0 && c.pathwayCosine.L3 > 0),
      };
    },
  },
];
