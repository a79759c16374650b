/**
 * Beyond the paper (issue 20, docs/motion-2d.md §Both directions): two T4 units learning from one
 * stream that contains motion in both directions, under the two schemes of core/t4Plasticity.ts.
 *
 * Training stream: the first scene's rows (every `rowStride`-th) swept by the 3-pixel scanner with
 * the scene moving left → right and, separately, right → left, exactly as in motion.ts (z-scored
 * rows, noise sd 0.05, layer-1 filters, channels divided by the sds of the left → right sweep, noise
 * sd 0.01, L1 rectified); both sweeps together are the training series.
 *
 * - mirrored: the authors' symmetric option (moments + mirrored channel order; unit 2 = mirror(unit 1)).
 * - gated: two units, each learning from pairs weighted by its own rectified response to each pair,
 *   from a symmetric start with seeded perturbations, adopting the canonical direction closest to
 *   their weights (trainGatedT4Pair, gate 'pair', adopt 'closest').
 * - gatedEpisode: the same with each series weighted by the unit's mean rectified response over it
 *   and the second canonical direction adopted, as the one-direction T4 does (gate 'series', adopt 'second').
 *
 * Each unit is probed with the authors' ON/OFF edges moving left → right and right → left (motion.ts);
 * its signed DSI is (R_right − R_left)/(R_right + R_left) on ON-edge peaks (+1: front-to-back like
 * T4a, −1: back-to-front like T4b).
 */
import { directionSelectivityIndex } from '../metrics';
import { edgeProbe } from '../stimuli/probes';
import { WhiteNoise } from '../stimuli/noise';
import { MotionDirection } from '../stimuli/scanner';
import { T4_CHANNELS, T4Layer } from '../t4';
import { GatedRound, mirrorDeviation, solveMirroredT4, T4Series, trainGatedT4Pair } from '../t4Plasticity';
import { ClaimDefinition, fmt, verdict } from './claims';
import { ExperimentScene, ProgressCallback, plain, progressReporter } from './common';
import { normalize, pooledSd, sweep } from './motion';
import { layerOneResponses, peaksOf } from './motion2d';
import { LayerOne } from './natural';

/** |signed DSI| at or above which a unit counts as direction selective (a 3 : 1 preferred : null ON-edge peak ratio). */
export const SELECTIVE_DSI = 0.5;
/** Largest max |ŵ2 − mirror(ŵ1)| (weights scaled to max |w| = 1) for two units to count as mirror images. */
export const MIRROR_TOLERANCE = 0.1;

/** Options of {@link runBidirectionalExperiment}. */
export interface BidirectionalOptions {
  /** Use every rowStride-th row of the first scene. */
  readonly rowStride: number;
  readonly seed: number;
  /** T4 delay, samples. Default 5. */
  readonly delay?: number;
  /** Gated scheme: learning rounds (default 8), perturbation (default 0.1), threshold in drive sds (default 0). */
  readonly rounds?: number;
  readonly perturbation?: number;
  readonly thresholdSd?: number;
  readonly onProgress?: ProgressCallback;
}

/** One unit of a scheme. */
export interface BidirectionalUnit {
  /** Six weights, T4 channel order, for the sd-normalized channels. */
  readonly weights: number[];
  /** (R_right − R_left)/(R_right + R_left) on ON-edge peaks; NaN when the unit never responds. */
  readonly dsi: number;
  /** 'right' (front-to-back), 'left' (back-to-front), or 'none' when |dsi| < {@link SELECTIVE_DSI} or undefined. */
  readonly prefers: MotionDirection | 'none';
  readonly peaks: { readonly right: { readonly on: number; readonly off: number }; readonly left: { readonly on: number; readonly off: number } };
}

export interface BidirectionalScheme {
  readonly units: [BidirectionalUnit, BidirectionalUnit];
  /** Both units selective, for opposite directions. */
  readonly oppositeSelective: boolean;
  /** max |ŵ2 − mirror(ŵ1)|, each unit's weights scaled to max |w| = 1. */
  readonly mirrorDeviation: number;
  /** Opposite selective and mirrorDeviation ≤ {@link MIRROR_TOLERANCE} (two identical symmetric units do not count). */
  readonly mirrorImages: boolean;
}

/** Two T4 units learning from motion in both directions (docs/motion-2d.md), in results.json. */
export interface BidirectionalResult {
  readonly channels: string[];
  readonly scene: string;
  readonly rows: number;
  /** (past, future) pairs in the training stream (both directions). */
  readonly pairs: number;
  readonly mirrored: BidirectionalScheme & { readonly correlations: number[] };
  readonly gated: GatedScheme;
  readonly gatedEpisode: GatedScheme;
  /**
   * What a unit's own output can tell it: a T4a trained on the left → right series alone (as in
   * motion.ts) and its mean rectified response over the training series of each direction. A ratio
   * near 1 means its output hardly depends on the direction of the motion it sees.
   */
  readonly ownResponse: { readonly weights: number[]; readonly meanRight: number; readonly meanLeft: number };
}

/** A gated scheme's units and how they were learned. */
export interface GatedScheme extends BidirectionalScheme {
  /** The symmetric start both units were perturbed from. */
  readonly start: number[];
  readonly rounds: GatedRound[];
  readonly perturbation: number;
  readonly thresholdSd: number;
  readonly gate: 'pair' | 'series';
  readonly adopt: 'closest' | 'second';
  readonly seed: number;
}

/** Runs both schemes on the first scene. Deterministic for a seed. */
export function runBidirectionalExperiment(scenes: readonly ExperimentScene[], layer: LayerOne, options: BidirectionalOptions): BidirectionalResult {
  const report = progressReporter('bidirectional', options.onProgress);
  const delay = options.delay ?? 5;
  const scene = scenes[0];
  const sweepOptions = { rowStride: options.rowStride, pixels: 3, delay, seed: options.seed };
  report('sweeping the first scene in both directions', 0);
  const right = sweep([scene], layer, 'right', sweepOptions, options.seed + 10);
  const left = sweep([scene], layer, 'left', sweepOptions, options.seed + 11);
  const sds = { L3: pooledSd(right.flatMap((r) => r.l3)), L1: pooledSd(right.flatMap((r) => r.psi2)) };
  const channelNoise = new WhiteNoise({ sd: 0.01, seed: options.seed + 20 });
  const series: T4Series[] = [...right, ...left].map((row) => {
    const { l3, l1 } = normalize(row.l3, row.psi2, sds, channelNoise);
    return [l3[0], l1[0], l3[1], l1[1], l3[2], l1[2]];
  });
  const pairs = series.reduce((n, s) => n + Math.max(s[0].length - delay, 0), 0);

  const runs = { right: probe('right'), left: probe('left') };
  function probe(direction: MotionDirection) {
    return layerOneResponses(layer, sds, edgeProbe({ pixels: 3, samplesPerSpacing: 5, segmentLength: 400, direction, seed: options.seed + 30 }));
  }
  const unit = (weights: ArrayLike<number>): BidirectionalUnit => {
    const t4 = new T4Layer({ delay });
    t4.setWeights(weights);
    const [r, l] = (['right', 'left'] as const).map((d) => peaksOf(t4.apply(runs[d].l3, runs[d].l1)[0], 400));
    const dsi = directionSelectivityIndex(r.on, l.on);
    return { weights: plain(weights), dsi, prefers: !(Math.abs(dsi) >= SELECTIVE_DSI) ? 'none' : dsi > 0 ? 'right' : 'left', peaks: { right: { on: r.on, off: r.off }, left: { on: l.on, off: l.off } } };
  };
  const scheme = (a: ArrayLike<number>, b: ArrayLike<number>): BidirectionalScheme => {
    const units: [BidirectionalUnit, BidirectionalUnit] = [unit(a), unit(b)];
    const deviation = mirrorDeviation(a, b);
    const [p, q] = units.map((u) => u.prefers);
    const oppositeSelective = p !== 'none' && q !== 'none' && p !== q;
    return { units, oppositeSelective, mirrorDeviation: deviation, mirrorImages: oppositeSelective && deviation <= MIRROR_TOLERANCE };
  };

  report('mirrored moments (the authors\' symmetric option)', 0.3);
  const mirroredFit = solveMirroredT4(series, delay);
  const perturbation = options.perturbation ?? 0.1, thresholdSd = options.thresholdSd ?? 0;
  const gatedScheme = (gate: 'pair' | 'series', adopt: 'closest' | 'second'): GatedScheme => {
    report(`gated plasticity (gate per ${gate}), two units`, gate === 'pair' ? 0.4 : 0.7);
    const pair = trainGatedT4Pair(series, { delay, rounds: options.rounds ?? 8, perturbation, thresholdSd, gate, adopt, seed: options.seed, start: mirroredFit.symmetric });
    return { ...scheme(pair.weights[0], pair.weights[1]), start: plain(pair.start), rounds: pair.rounds, perturbation, thresholdSd, gate, adopt, seed: options.seed };
  };
  const gated = gatedScheme('pair', 'closest');
  const gatedEpisode = gatedScheme('series', 'second');
  const t4a = new T4Layer({ delay });
  series.slice(0, right.length).forEach((s, i) => t4a.learn([s[0], s[2], s[4]], [s[1], s[3], s[5]], `r${i}`, { end: true }));
  const ownWeights = t4a.solve().weights;
  const meanResponse = (part: readonly T4Series[]): number => {
    let total = 0, n = 0;
    for (const s of part) for (let t = 0; t < s[0].length; t++) {
      let drive = 0;
      for (let c = 0; c < 6; c++) drive += ownWeights[c] * s[c][t];
      total += Math.max(drive, 0); n++;
    }
    return n > 0 ? total / n : 0;
  };
  report('done', 1);
  return {
    channels: [...T4_CHANNELS],
    scene: scene.name,
    rows: right.length,
    pairs,
    mirrored: { ...scheme(mirroredFit.weights, mirroredFit.mirrored), correlations: plain(mirroredFit.correlations) },
    gated,
    gatedEpisode,
    ownResponse: { weights: plain(ownWeights), meanRight: meanResponse(series.slice(0, right.length)), meanLeft: meanResponse(series.slice(right.length)) },
  };
}

const dsis = (s: BidirectionalScheme): string => s.units.map((u) => fmt(u.dsi)).join('/');

/** Learning from both directions, as checks (./claims.ts): the authors' symmetric option and the paper's speculation. */
export const BIDIRECTIONAL_CLAIMS: readonly ClaimDefinition<BidirectionalResult>[] = [
  {
    id: 'bidirectional.mirrored',
    figure: 'authors\' code',
    claim: 'adding the covariances of the mirrored channel order trains on both directions at once',
    expectation: `two units selective for opposite directions (|DSI| ≥ ${SELECTIVE_DSI} on ON edges, opposite signs) and mirror images (max |ŵ2 − mirror(ŵ1)| ≤ ${MIRROR_TOLERANCE})`,
    evaluate: (r) => ({
      measured: `DSI ${dsis(r.mirrored)}, mirror deviation ${fmt(r.mirrored.mirrorDeviation, 3)}; canonical correlations ρ1, ρ2 ${fmt(r.mirrored.correlations[0], 3)}, ${fmt(r.mirrored.correlations[1], 3)}`,
      pass: verdict(r.mirrored.units.map((u) => u.dsi), () => r.mirrored.mirrorImages),
    }),
  },
  {
    id: 'bidirectional.gated',
    figure: 'Fig. 5 text (speculation)',
    claim: 'with motion in both directions, opposite selectivity could emerge through plasticity gated by the rectified output of each T4',
    expectation: `two units, each learning from pairs weighted by its own rectified response from a symmetric start, end selective for opposite directions (|DSI| ≥ ${SELECTIVE_DSI}, opposite signs)`,
    evaluate: (r) => ({
      measured: `gate per pair: DSI ${dsis(r.gated)}; gate per episode: DSI ${dsis(r.gatedEpisode)}; a one-direction T4a's own mean output ${fmt(r.ownResponse.meanRight, 3)} (its direction) vs ${fmt(r.ownResponse.meanLeft, 3)} (the other)`,
      pass: verdict(r.gated.units.map((u) => u.dsi), () => r.gated.oppositeSelective),
    }),
  },
];
