/**
 * The paper reproduction behind `resu reproduce` (issues 5 and 15): six experiments, and four beyond
 * the paper (issue 20: motion2d, bidirectional; issue 18: memory; issue 19: online, the online rule against the batch CCA), run through the same core code the nodes use (PastFutureLearner, ResuUnit, T4Layer, Scanner, stimuli, probe
 * scoring), every figure claim of the paper checked with a declared expectation, returning one plain
 * JSON-safe object whose keys are a contract for tools reading results.json. Pure computation: no
 * fs, no console; progress through an optional callback. Same seed, same result. A separate entry of
 * the package, `require('@resu-circuits/node-red-resu/experiments')`: the core entry does not carry it.
 *
 * The learned-memory experiment (issue 18) goes beyond the paper: its OU check has a declared
 * expectation like the paper's claims; its natural-scene numbers are reported without a verdict
 * (kind 'report': the paper chose m by hand and claims nothing about it).
 *
 * Adding an experiment: a module exporting `run…Experiment` and its `…_CLAIMS`, a key in
 * {@link ReproductionResults}, a line in {@link runReproduction}, one {@link CLAIM_REGISTRY} entry, and
 * its run function and claims in the export list below (pinned by test/core/api.spec.ts).
 */
import { requireInt } from '../validate';
import { ConfigError } from '../errors';
import { ADAPTATION_CLAIMS, runAdaptationExperiment, AdaptationResult } from './adaptation';
import { BIDIRECTIONAL_CLAIMS, BidirectionalResult, runBidirectionalExperiment } from './bidirectional';
import { builtInScene } from './builtin';
import { ClaimGroup, ClaimResult, evaluateClaims, violations } from './claims';
import { ExperimentScene, ProgressCallback, deriveSeeds, findNonFinite } from './common';
import { GP_CLAIMS, GpResult, GpSettings, resolveGpSettings, runGpExperiment } from './gp';
import { MOTION_CLAIMS, MotionReproduction, perSceneSummary, runMotionExperiment, withPerScene } from './motion';
import { MEMORY_CLAIMS, MemoryResult, runMemoryExperiment } from './memory';
import { Motion2dResult, MOTION2D_CLAIMS, runMotion2dExperiment } from './motion2d';
import { learnLayerOne, NATURAL_CLAIMS, naturalResult, NaturalResult } from './natural';
import { ONLINE_CLAIMS, OnlineLearningResult, runOnlineLearningExperiment } from './online';
import { OU_CLAIMS, runOuExperiment, OuResult } from './ou';
import { runSnrExperiment, SNR_CLAIMS, SnrResult } from './snr';

// The public surface of this entry, pinned by test/core/api.spec.ts; helpers of single experiments stay in their modules.
export type { ProgressEvent, ProgressCallback, ExperimentScene } from './common';
export { evaluateClaims, failedChecks, violations } from './claims';
export type { ClaimKind, ClaimOutcome, ClaimDefinition, ClaimResult, ClaimGroup } from './claims';
export { builtInScene, builtInTorusScene } from './builtin';
export { runOuExperiment, OU_CLAIMS } from './ou';
export type { OuExperimentOptions, OuResult } from './ou';
export { runGpExperiment, resolveGpSettings, GP_CLAIMS } from './gp';
export type { GpExperimentOptions, GpResult, GpSettings } from './gp';
export { learnLayerOne, naturalResult, NATURAL_CLAIMS } from './natural';
export type { LayerOneOptions, LayerOne, NaturalResult } from './natural';
export { runSnrExperiment, SNR_CLAIMS } from './snr';
export type { SnrExperimentOptions, SnrResult } from './snr';
export { runMotionExperiment, MOTION_CLAIMS } from './motion';
export type { MotionExperimentOptions, MotionResult, MotionReproduction } from './motion';
export { runAdaptationExperiment, ADAPTATION_CLAIMS } from './adaptation';
export type { AdaptationOptions, AdaptationResult } from './adaptation';
export { runMotion2dExperiment, MOTION2D_CLAIMS } from './motion2d';
export type { Motion2dOptions, Motion2dResult } from './motion2d';
export { runBidirectionalExperiment, BIDIRECTIONAL_CLAIMS } from './bidirectional';
export type { BidirectionalOptions, BidirectionalResult } from './bidirectional';
export { runMemoryExperiment, MEMORY_CLAIMS } from './memory';
export type { MemoryExperimentOptions, MemoryReport, MemoryResult } from './memory';
export { runOnlineLearningExperiment, ONLINE_CLAIMS } from './online';
export type { OnlineExperimentOptions, OnlineLearningResult } from './online';

/** Sizes of one reproduction run. */
export interface ReproductionConfig {
  readonly ouSamples: number;
  readonly gpDraws: number;
  /** Scan every rowStride-th image row (natural scenes, SNR and motion). */
  readonly rowStride: number;
  /** GP draws per adaptation phase, alternating low, high, low, … noise (the first phase warms up). */
  readonly adaptationDraws: readonly number[];
  /** Independent repeats of the adaptation run. */
  readonly adaptationRepeats: number;
  readonly adaptationCheckEvery: number;
  /** Built-in dead-leaves panoramas (independent seeds) pooled when no scene is given. */
  readonly builtInScenes: number;
  /** 2-D motion (motion2d.ts): side of the dead-leaves torus (pixels, 360°), paths per direction, probe directions (even). */
  readonly motion2dSceneSize: number;
  readonly motion2dPaths: number;
  readonly motion2dDirections: number;
  /** OU samples of the learned-memory check (issue 18; it needs ≈ 10⁶, see core/experiments/memory.ts). */
  readonly memoryOuSamples: number;
  /** Runs per stream of the online-rule experiment (issue 19: 5 seeds, 10⁵ samples each). */
  readonly onlineSeeds: number;
}

/** `--quick`: about a minute on 2 cores (fewer OU samples, GP draws, scene rows and adaptation switches). */
export const QUICK_CONFIG: ReproductionConfig = Object.freeze({
  ouSamples: 50_000, gpDraws: 40, rowStride: 4, adaptationDraws: Object.freeze([4, 4, 8, 4, 8]), adaptationRepeats: 2, adaptationCheckEvery: 200, builtInScenes: 1,
  motion2dSceneSize: 256, motion2dPaths: 8, motion2dDirections: 8, memoryOuSamples: 1_000_000, onlineSeeds: 1,
});

/** The default run: the authors' sizes (200 GP draws, every scene row), four built-in panoramas. */
export const FULL_CONFIG: ReproductionConfig = Object.freeze({
  ouSamples: 1_000_000, gpDraws: 200, rowStride: 1, adaptationDraws: Object.freeze([5, 5, 25, 5, 25]), adaptationRepeats: 3, adaptationCheckEvery: 100, builtInScenes: 4,
  motion2dSceneSize: 512, motion2dPaths: 24, motion2dDirections: 12, memoryOuSamples: 1_000_000, onlineSeeds: 5,
});

/** Options of {@link runReproduction}. */
export interface ReproductionOptions {
  /** Master seed; every experiment's seed derives from it. Default 1. */
  readonly seed?: number;
  /** Use {@link QUICK_CONFIG} instead of {@link FULL_CONFIG}. */
  readonly quick?: boolean;
  /** Override parts of the configuration. */
  readonly config?: Partial<ReproductionConfig>;
  /** Scenes for the natural, SNR and motion experiments; default the built-in dead-leaves panoramas. */
  readonly scenes?: readonly ExperimentScene[];
  readonly onProgress?: ProgressCallback;
}

/** results.json. Numbers that could not be computed are NaN here, null in the file, and listed in `problems`. */
export interface ReproductionResults {
  readonly format: 'resu-reproduce';
  readonly version: 2;
  readonly seed: number;
  readonly quick: boolean;
  readonly config: ReproductionConfig;
  readonly ou: OuResult;
  readonly gp: GpResult[];
  readonly gpSettings: GpSettings;
  readonly natural: NaturalResult;
  readonly snr: SnrResult;
  /** Pooled scenes; with several scenes also each scene alone (`perScene`): direction selectivity depends on the scene statistics. */
  readonly motion: MotionReproduction;
  readonly adaptation: AdaptationResult;
  /** Beyond the paper: T4a–d on a 2-D lattice, tuning curves over directions (docs/motion-2d.md). */
  readonly motion2d: Motion2dResult;
  /** Beyond the paper: two T4 units learning from motion in both directions (docs/motion-2d.md). */
  readonly bidirectional: BidirectionalResult;
  /** Learned memory (issue 18, beyond the paper): the past length and the I(m) saturation chosen from the data. */
  readonly memory: MemoryResult;
  /** Beyond the paper: the online learning rule against the batch solver, OU and scanner (docs/online-learning.md). */
  readonly online: OnlineLearningResult;
  /** Every claim with its expectation, measurement and verdict ({@link CLAIM_REGISTRY}). */
  readonly claims: ClaimResult[];
  /** One line per claim that did not pass (violated or not evaluable). */
  readonly violations: string[];
  /** Every value that could not be computed (its path and why), never written as 0. */
  readonly problems: string[];
}

/** Names of the experiments, in run order (for progress and summaries). */
export const EXPERIMENTS = ['ou', 'gp', 'natural', 'snr', 'motion', 'adaptation', 'motion2d', 'bidirectional', 'memory', 'online'] as const;

/** Each experiment's claims and the results key they read, in report order. */
export const CLAIM_REGISTRY: readonly ClaimGroup<ReproductionResults>[] = [
  { experiment: 'ou', claims: OU_CLAIMS },
  { experiment: 'gp', claims: GP_CLAIMS },
  { experiment: 'natural', claims: NATURAL_CLAIMS },
  { experiment: 'snr', claims: SNR_CLAIMS },
  { experiment: 'motion', claims: MOTION_CLAIMS },
  { experiment: 'adaptation', claims: ADAPTATION_CLAIMS },
  { experiment: 'motion2d', claims: MOTION2D_CLAIMS },
  { experiment: 'bidirectional', claims: BIDIRECTIONAL_CLAIMS },
  { experiment: 'memory', claims: MEMORY_CLAIMS },
  { experiment: 'online', claims: ONLINE_CLAIMS },
];

/** Why a value is legitimately absent, appended to its problem line. */
const EXPLANATIONS: readonly [RegExp, string][] = [
  [/zeroCrossingLag\.L3 is null$/, 'ψ1 keeps its sign (no negative lobe)'],
  [/firstCrossing is null$/, '|corr| never reached 0.9 in this phase'],
  [/adaptationTime is NaN$/, 'no exponential approach completed 90 % of its change within the phase (see timeConstant, phaseLength)'],
  [/timeConstant is NaN$/, 'the correlation did not approach the new steady state (fit at the end of its grid or falling)'],
  [/dataThresholds\[\d+\]\.scores\..*\.dsi is NaN$/, 'θ lies above both peaks: the unit is silent, its DSI undefined'],
  [/memory\.\w+\.criterionValues\[\d+\] is Infinity$/, 'the AR recursion stopped below this order (see the warnings)'],
];

/** Problems of a results object: every non-finite or null value, with the reason where known. */
export function listProblems(results: Omit<ReproductionResults, 'claims' | 'violations' | 'problems'>): string[] {
  return findNonFinite(results).map((problem) => {
    const known = EXPLANATIONS.find(([pattern]) => pattern.test(problem));
    return known ? `${problem}: ${known[1]}` : problem;
  });
}

/**
 * Runs all six experiments, then the four beyond the paper (motion2d, bidirectional, memory, online), and checks the claims.
 * @throws ConfigError for a bad seed or configuration; errors of the scenes' scanners (e.g. an image too narrow for 3 pixels 5° apart).
 */
export function runReproduction(options: ReproductionOptions = {}): ReproductionResults {
  const seed = requireInt('seed', options.seed ?? 1, { min: 0, max: 2 ** 31 });
  const quick = options.quick === true;
  const config: ReproductionConfig = { ...(quick ? QUICK_CONFIG : FULL_CONFIG), ...(options.config ?? {}) };
  requireInt('config.rowStride', config.rowStride, { min: 1 });
  requireInt('config.adaptationRepeats', config.adaptationRepeats, { min: 1, max: 100 });
  requireInt('config.memoryOuSamples', config.memoryOuSamples, { min: 2 });
  // seeds are drawn in sequence: appending one leaves the others unchanged
  const [ouSeed, gpSeed, sceneSeed, layerSeed, motionSeed, adaptationSeed, snrSeed, motion2dSeed, bidirectionalSeed, memorySeed, onlineSeed] = deriveSeeds(seed, 11);
  const onProgress = options.onProgress;
  requireInt('config.builtInScenes', config.builtInScenes, { min: 1, max: 64 });
  requireInt('config.motion2dSceneSize', config.motion2dSceneSize, { min: 64, max: 4096 });
  requireInt('config.motion2dPaths', config.motion2dPaths, { min: 1, max: 1000 });
  requireInt('config.onlineSeeds', config.onlineSeeds, { min: 1, max: 100 });
  requireInt('config.motion2dDirections', config.motion2dDirections, { min: 4, max: 360 });
  if (config.motion2dDirections % 2 !== 0) throw new ConfigError('config.motion2dDirections', config.motion2dDirections, 'an even number (every direction needs its opposite)');
  const scenes = options.scenes && options.scenes.length > 0
    ? options.scenes
    : Array.from({ length: config.builtInScenes }, (_, i) => builtInScene((sceneSeed % 1_000_000) + i));

  const ou = runOuExperiment({ samples: config.ouSamples, seed: ouSeed, onProgress });
  const gpOptions = { draws: config.gpDraws, seed: gpSeed, onProgress };
  const gp = runGpExperiment(gpOptions);
  const layer = learnLayerOne(scenes, { rowStride: config.rowStride, seed: layerSeed, onProgress });
  const natural = naturalResult(scenes, layer);
  const snr = runSnrExperiment(scenes, { rowStride: config.rowStride, seed: snrSeed, onProgress });
  const pooled = runMotionExperiment(scenes, layer, { rowStride: config.rowStride, seed: motionSeed, onProgress });
  const perScene = scenes.length < 2 ? [] : scenes.map((scene) => perSceneSummary(scene.name, runMotionExperiment([scene], layer, { rowStride: config.rowStride, seed: motionSeed })));
  const motion = withPerScene(pooled, perScene);
  const lowIndex = gp.findIndex((r) => r.noise === 0.01), highIndex = gp.findIndex((r) => r.noise === 0.4);
  const adaptation = runAdaptationExperiment({
    steadyState: { low: gp[lowIndex].filters[1], high: gp[highIndex].filters[1] },
    drawsPerPhase: config.adaptationDraws, repeats: config.adaptationRepeats, checkEvery: config.adaptationCheckEvery, seed: adaptationSeed, onProgress,
  });
  const motion2d = runMotion2dExperiment(layer, {
    sceneSize: config.motion2dSceneSize, paths: config.motion2dPaths, directions: config.motion2dDirections, seed: motion2dSeed, onProgress,
  });
  const bidirectional = runBidirectionalExperiment(scenes, layer, { rowStride: config.rowStride, seed: bidirectionalSeed, onProgress });
  const memory = runMemoryExperiment(scenes, { ouSamples: config.memoryOuSamples, rowStride: config.rowStride, seed: memorySeed, onProgress });
  // always on built-in scenes and the OU process: the issue states its criterion for them
  const online = runOnlineLearningExperiment({ seeds: config.onlineSeeds, seed: onlineSeed, onProgress });
  const measured = {
    format: 'resu-reproduce' as const, version: 2 as const, seed, quick, config, ou, gp, gpSettings: resolveGpSettings(gpOptions),
    natural, snr, motion, adaptation, motion2d, bidirectional, memory, online,
  };
  const problems = listProblems(measured);
  const claims = evaluateClaims(CLAIM_REGISTRY, { ...measured, claims: [], violations: [], problems });
  return { ...measured, claims, violations: violations(claims), problems };
}
