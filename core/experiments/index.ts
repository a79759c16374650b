/**
 * The paper reproduction behind `resu reproduce` (issue 5): five experiments run through the same
 * core code the nodes use (PastFutureLearner, ResuUnit, T4Layer, Scanner, stimuli), returning one
 * plain JSON-safe object whose keys are a contract for tools reading results.json. Pure
 * computation: no fs, no console; progress through an optional callback. Same seed, same result.
 */
import { requireInt } from '../validate';
import { runAdaptationExperiment, AdaptationResult } from './adaptation';
import { builtInScene } from './builtin';
import { ExperimentScene, ProgressCallback, deriveSeeds } from './common';
import { GpResult, GpSettings, resolveGpSettings, runGpExperiment } from './gp';
import { runMotionExperiment, MotionResult } from './motion';
import { learnLayerOne, naturalResult, NaturalResult } from './natural';
import { runOuExperiment, OuResult } from './ou';

export * from './common';
export * from './builtin';
export * from './ou';
export * from './gp';
export * from './natural';
export * from './motion';
export * from './adaptation';

/** Sizes of one reproduction run. */
export interface ReproductionConfig {
  readonly ouSamples: number;
  readonly gpDraws: number;
  /** Scan every rowStride-th image row (natural scenes and motion). */
  readonly rowStride: number;
  readonly adaptationDraws: readonly [number, number, number];
  readonly adaptationCheckEvery: number;
  /** Built-in dead-leaves panoramas (independent seeds) pooled when no scene is given. */
  readonly builtInScenes: number;
}

/** `--quick`: under a minute on 2 cores (fewer OU samples, GP draws and scene rows). */
export const QUICK_CONFIG: ReproductionConfig = Object.freeze({
  ouSamples: 50_000, gpDraws: 40, rowStride: 4, adaptationDraws: [4, 4, 16] as const, adaptationCheckEvery: 100, builtInScenes: 1,
});

/** The default run: the authors' sizes (200 GP draws, every scene row), four built-in panoramas. */
export const FULL_CONFIG: ReproductionConfig = Object.freeze({
  ouSamples: 1_000_000, gpDraws: 200, rowStride: 1, adaptationDraws: [5, 5, 25] as const, adaptationCheckEvery: 50, builtInScenes: 4,
});

export interface ReproductionOptions {
  /** Master seed; every experiment's seed derives from it. Default 1. */
  readonly seed?: number;
  /** Use {@link QUICK_CONFIG} instead of {@link FULL_CONFIG}. */
  readonly quick?: boolean;
  /** Override parts of the configuration. */
  readonly config?: Partial<ReproductionConfig>;
  /** Scenes for the natural and motion experiments; default the built-in dead-leaves panorama. */
  readonly scenes?: readonly ExperimentScene[];
  readonly onProgress?: ProgressCallback;
}

/** results.json. */
export interface ReproductionResults {
  readonly format: 'resu-reproduce';
  readonly version: 1;
  readonly seed: number;
  readonly quick: boolean;
  readonly config: ReproductionConfig;
  readonly ou: OuResult;
  readonly gp: GpResult[];
  readonly gpSettings: GpSettings;
  readonly natural: NaturalResult;
  readonly motion: MotionResult;
  /**
   * With several scenes, the motion experiment on each scene alone (pooled layer-1 filters): direction
   * selectivity depends on the scene statistics (docs/method.md §4.6), so it is reported per scene too.
   */
  readonly motionPerScene: PerSceneMotion[];
  readonly adaptation: AdaptationResult;
}

/** One scene's T4 result. */
export interface PerSceneMotion {
  readonly source: string;
  readonly dsi: MotionResult['dsi'];
  readonly dsiAllEdges: MotionResult['dsiAllEdges'];
  readonly weights: MotionResult['weights'];
  readonly mirrorDeviation: number;
}

/** Names of the experiments, in run order (for progress and summaries). */
export const EXPERIMENTS = ['ou', 'gp', 'natural', 'motion', 'adaptation'] as const;

/**
 * Runs all five experiments.
 * @throws ConfigError for a bad seed or configuration; errors of the scenes' scanners (e.g. an image too narrow for 3 pixels 5° apart).
 */
export function runReproduction(options: ReproductionOptions = {}): ReproductionResults {
  const seed = requireInt('seed', options.seed ?? 1, { min: 0, max: 2 ** 31 });
  const quick = options.quick === true;
  const config: ReproductionConfig = { ...(quick ? QUICK_CONFIG : FULL_CONFIG), ...(options.config ?? {}) };
  requireInt('config.rowStride', config.rowStride, { min: 1 });
  const [ouSeed, gpSeed, sceneSeed, layerSeed, motionSeed, adaptationSeed] = deriveSeeds(seed, 6);
  const onProgress = options.onProgress;
  requireInt('config.builtInScenes', config.builtInScenes, { min: 1, max: 64 });
  const scenes = options.scenes && options.scenes.length > 0
    ? options.scenes
    : Array.from({ length: config.builtInScenes }, (_, i) => builtInScene((sceneSeed % 1_000_000) + i));

  const ou = runOuExperiment({ samples: config.ouSamples, seed: ouSeed, onProgress });
  const gpOptions = { draws: config.gpDraws, seed: gpSeed, onProgress };
  const gp = runGpExperiment(gpOptions);
  const layer = learnLayerOne(scenes, { rowStride: config.rowStride, seed: layerSeed, onProgress });
  const natural = naturalResult(scenes, layer);
  const motion = runMotionExperiment(scenes, layer, { rowStride: config.rowStride, seed: motionSeed, onProgress });
  const motionPerScene: PerSceneMotion[] = scenes.length < 2 ? [] : scenes.map((scene) => {
    const alone = runMotionExperiment([scene], layer, { rowStride: config.rowStride, seed: motionSeed });
    return { source: scene.name, dsi: alone.dsi, dsiAllEdges: alone.dsiAllEdges, weights: alone.weights, mirrorDeviation: alone.mirrorDeviation };
  });
  const lowIndex = gp.findIndex((r) => r.noise === 0.01), highIndex = gp.findIndex((r) => r.noise === 0.4);
  const adaptation = runAdaptationExperiment({
    steadyState: { low: gp[lowIndex].filters[1], high: gp[highIndex].filters[1] },
    drawsPerPhase: config.adaptationDraws, checkEvery: config.adaptationCheckEvery, seed: adaptationSeed, onProgress,
  });
  return { format: 'resu-reproduce', version: 1, seed, quick, config, ou, gp, gpSettings: resolveGpSettings(gpOptions), natural, motion, motionPerScene, adaptation };
}
