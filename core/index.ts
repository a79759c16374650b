/**
 * The ReSU core library, `require('@resu-circuits/node-red-resu')`: exact streaming past–future CCA,
 * the online rule, ReSU units, the T4 layer, stimuli and metrics, without Node-RED, fs or timers.
 * The paper reproduction is a separate entry, `require('@resu-circuits/node-red-resu/experiments')`.
 *
 * Every name below is public and documented at its declaration; docs/core-api.md groups them by
 * concept. Anything not listed here is internal (it may change without notice). The runtime names are
 * pinned by test/core/api.spec.ts: adding or removing one is a conscious change of that list too.
 */

// Errors (every message names the field, what was expected and what came) and the validators behind them
export { ResuError, ConfigError, ShapeError, NotEnoughDataError, DegenerateDataError } from './errors';
export { requireFinite, requireInt, requireBoolean, requireOneOf, requireFiniteArray, isArrayLikeOfNumbers } from './validate';
export type { RangeOptions } from './validate';

// Seeded randomness: the only source of random numbers
export { Random, createRandom } from './random';

// Multi-channel chunk buffers (what the node adapters hand to and take from the core)
export { allocateChannels, isCompactView } from './channels';

// Streaming lagged moments (method.md §1)
export { LaggedMoments, DEFAULT_MOMENTS_OPTIONS, MAX_LAGS, MAX_JOINT_DIMENSION, MAX_OPEN_SERIES, truncatePastLags } from './moments';
export type { LaggedMomentsOptions, ResolvedMomentsOptions, LaggedMomentsJSON, MomentMatrices, MomentsAlgorithm, ChunkInput } from './moments';

// Past–future CCA solve
export { solvePastFutureCca, solveFromAutocovariance, DEFAULT_CCA_OPTIONS, CONDITION_WARNING_THRESHOLD } from './cca';
export type { CcaOptions, CcaFit } from './cca';

// Learners: moments + solve (batch), and the online rule
export { PastFutureLearner } from './learner';
export type { LearnerOptions, LearnerMemoryOptions, LearnerJSON, Pooling } from './learner';
export { OnlinePastFutureCca, DEFAULT_ONLINE_CCA_OPTIONS, MAX_ONLINE_DIMENSION, MAX_ONLINE_RANK } from './onlineCca';
export type { OnlineCcaOptions, ResolvedOnlineCcaOptions, OnlineCcaJSON, OnlinePooling } from './onlineCca';

// Learned memory: how long a past the data supports (docs/memory.md)
export { StreamingAutocovariance } from './autocovariance';
export type { AutocovarianceOptions, ResolvedAutocovarianceOptions, AutocovarianceEstimate, AutocovarianceJSON } from './autocovariance';
export { levinsonDurbin } from './levinson';
export type { LevinsonResult } from './levinson';
export { estimateMemory, memoryAutocovarianceLags, memoryToJSON, DEFAULT_MAX_PAST_LAGS } from './memory';
export type { MemoryOptions, MemoryEstimate, MemoryEstimateJSON, OrderCriterion } from './memory';

// Units: causal FIR, ReSU ON/OFF, the linear L3 projection, per-series banks
export { FirFilter, PastProjection, ResuUnit, rectify } from './units';
export type { Polarity, ResuUnitOptions } from './units';
export { UnitBank } from './unitBank';
export type { UnitBankOptions } from './unitBank';

// The T4 layer (method.md §4.4) and two T4 units learning from motion in both directions
export { T4Layer, T4_CHANNELS, DEFAULT_T4_OPTIONS, mirrorT4Weights, connectomeComparison, rowTriplets, MAX_T4_UNITS } from './t4';
export type { T4Options, T4Fit, T4LayerJSON, T4InputScaling, T4SignRule, PixelTriplet, T4LearnOptions } from './t4';
export {
  WeightedT4Moments, solveMirroredT4, solveMirroredT4Moments, trainGatedT4Pair, DEFAULT_GATED_T4_OPTIONS, T4SeriesBuffer, DEFAULT_T4_BUFFER_SAMPLES, DEFAULT_T4_BUFFER_PIECES,
  T4PairTrainer, mirrorDeviation,
} from './t4Plasticity';
export type { T4Series, MirroredT4Fit, GatedT4Options, GatedRound, GatedT4Pair, T4PairScheme, T4PairOptions, T4PairFit } from './t4Plasticity';

// Metrics and probe scoring
export { mutualInformationNats, mutualInformationBits, directionSelectivityIndex, summarizeDirectionTuning, cosineSimilarity } from './metrics';
export type { DirectionTuningSummary } from './metrics';
export { ProbeScorer, scoreDirections, thresholdSweep, thresholdedScore, DEFAULT_FRACTIONS_KEPT, DirectionTuningScorer, MAX_TUNING_UNITS, MAX_TUNING_DIRECTIONS } from './probeScoring';
export type {
  ProbeScorerOptions, ProbeScore, DirectionScore, PolarityPeaks, ProbeLabel, RunPolarities, ThresholdPoint, PolarityAt, DirectionRunWindows, DirectionTuningCurve,
  DirectionTuningScorerOptions,
} from './probeScoring';

// Serialization: the versioned plain-JSON fit that "filters" messages and `resu learn` carry
export { fitToJSON, fitFromJSON, FIT_FORMAT, FIT_VERSION } from './serialize';
export type { CcaFitJSON } from './serialize';

// Federation: pooling moment snapshots of peers (docs/federation.md)
export { StatisticsPool, createStatisticsMessage, isStatisticsMessage, STATISTICS_FORMAT, STATISTICS_VERSION } from './federation';
export type { StatisticsMessage, OfferResult } from './federation';

// Stimuli (docs/stimuli.md): images, contrast, dead leaves, scanners, processes, noise, probes
export { decodeImage, ImageDecodeError, DEFAULT_MAX_PIXELS, MAX_IMAGE_PIXELS } from './stimuli/image';
export type { LuminanceImage, DecodeImageOptions, LumaWeights } from './stimuli/image';
export { toContrastImage, DEFAULT_CONTRAST_OPTIONS } from './stimuli/contrast';
export type { ContrastImage, ContrastOptions } from './stimuli/contrast';
export { createDeadLeavesImage, createDeadLeavesTorus, DEFAULT_DEAD_LEAVES_OPTIONS } from './stimuli/deadLeaves';
export type { DeadLeavesOptions, DeadLeavesImage } from './stimuli/deadLeaves';
export { Scanner, sampleCount, DEFAULT_SCANNER_OPTIONS, MAX_SCANNER_CHUNK_VALUES } from './stimuli/scanner';
export type { ScannerOptions, ScanChunk, MotionDirection } from './stimuli/scanner';
export { Scanner2d, DEFAULT_SCANNER2D_OPTIONS } from './stimuli/scanner2d';
export type { Scanner2dOptions, Scan2dChunk } from './stimuli/scanner2d';
export { createLattice, axisTriplets, DEFAULT_LATTICE_OPTIONS, MAX_LATTICE_PIXELS } from './stimuli/lattice';
export type { Lattice, LatticeOptions, LatticeKind, LatticeAxis, LatticePoint } from './stimuli/lattice';
export { LinearStateSpace, PAPER_OU_PRESET, stateSpaceAutocovariance, solveDiscreteLyapunov } from './stimuli/stateSpace';
export type { LinearStateSpaceOptions } from './stimuli/stateSpace';
export { GaussianProcessSampler, gaussianProcessDraws, DEFAULT_GP_OPTIONS, MAX_GP_POINTS } from './stimuli/gaussianProcess';
export type { GaussianProcessOptions, KernelName } from './stimuli/gaussianProcess';
export { WhiteNoise } from './stimuli/noise';
export type { WhiteNoiseOptions } from './stimuli/noise';
export { gratingProbe, edgeProbe, probePair, gratingPolarity, edgePolarity } from './stimuli/probes';
export type { GratingProbeOptions, EdgeProbeOptions, ProbePairOptions, ProbeRun, TransitionPolarity } from './stimuli/probes';
export { gratingProbe2d, edgeProbe2d, gratingPolarity2d, edgePolarity2d, directionRun2d } from './stimuli/probes2d';
export type { GratingProbe2dOptions, EdgeProbe2dOptions, ProbePosition, DirectionRun, DirectionRunOptions } from './stimuli/probes2d';
