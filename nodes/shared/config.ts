/**
 * Every node's settings, declared once: kind, default, range, unit, editor label, CLI flag
 * (nodes/shared/settings.ts explains what is derived from them: the runtime parsers below, the
 * editor's defaults, validators and form, the CLI options). Limits that the core enforces come from
 * the core's constants (MAX_LAGS, DEFAULT_CCA_OPTIONS, …), so node, editor, CLI and library agree.
 * To add a setting: add it here, read it from the parsed options in the node; docs/development.md.
 */
import {
  DEFAULT_CCA_OPTIONS, DEFAULT_DEAD_LEAVES_OPTIONS, DEFAULT_GP_OPTIONS, DEFAULT_MAX_PAST_LAGS, DEFAULT_MOMENTS_OPTIONS, DEFAULT_ONLINE_CCA_OPTIONS,
  DEFAULT_SCANNER_OPTIONS, DEFAULT_T4_OPTIONS, MAX_GP_POINTS, MAX_JOINT_DIMENSION, MAX_LAGS, MAX_LATTICE_PIXELS, MAX_ONLINE_DIMENSION, T4_CHANNELS,
} from '../../core';
import { MAX_CHUNK_VALUES } from './messages';
import { defineSettings, parseSettings, RawConfig, SettingRule, Settings, SettingValues } from './settings';
import { TYPED_SOURCES, TypedSource } from './typed';

export type { RawConfig } from './settings';

/**
 * Largest scene (built-in panorama or image file), width × height: 16 M pixels, 128 MB per Float64
 * copy (the contrast pipeline keeps up to three), so no configuration allocates gigabytes.
 */
export const MAX_SCENE_PIXELS = 16_777_216;
/** Default checkpoint interval (s) of persisted learner and T4 statistics. */
export const DEFAULT_CHECKPOINT_S = 10;
/** Largest chunk length a source emits, in samples (per channel). */
const MAX_CHUNK_LENGTH = 100_000;
/** Largest pacing interval between emitted chunks (ms). */
const MAX_INTERVAL_MS = 60_000;

const SEED = { kind: 'integer', label: 'Seed', default: 1, min: 0, max: Number.MAX_SAFE_INTEGER } as const;
const DT_S = { kind: 'number', label: 'dt', unit: 's', default: DEFAULT_SCANNER_OPTIONS.dtS, min: 1e-6, max: 60 } as const;
const INTERVAL_MS = { kind: 'integer', label: 'Interval', unit: 'ms', hint: '0 = as fast as possible', default: 0, min: 0, max: MAX_INTERVAL_MS } as const;
const SPACING_DEG = { kind: 'number', label: 'Spacing', unit: '°', default: DEFAULT_SCANNER_OPTIONS.spacingDeg, min: 0, exclusiveMin: true, max: 180 } as const;

/** 2-D (docs/motion-2d.md): a pixel lattice instead of a row; settings used only with one, or only without. */
const PLANAR = { field: 'lattice', is: ['square', 'hexagonal'] } as const;
const ROW = { field: 'lattice', is: ['none'] } as const;
/** Rows and columns of a lattice: rows × columns ≤ core's MAX_LATTICE_PIXELS, as core's createLattice requires. */
const LATTICE_ROWS = {
  kind: 'integer', label: 'Rows', default: 3, min: 1, max: MAX_LATTICE_PIXELS, when: PLANAR,
  product: { field: 'columns', max: MAX_LATTICE_PIXELS, what: 'lattice pixels' },
} as const;
const LATTICE_COLUMNS = { kind: 'integer', label: 'Columns', default: 3, min: 1, max: MAX_LATTICE_PIXELS, when: PLANAR } as const;
/**
 * chunk length × lattice pixels ≤ values per chunk message, with a lattice (the `product` on pixels
 * covers a row). Sent to the editor as source text.
 */
const LATTICE_CHUNK_RULE: SettingRule = {
  text: `with a lattice, chunk × rows × columns ≤ ${MAX_CHUNK_VALUES} (values per chunk message)`,
  constants: { maxValues: MAX_CHUNK_VALUES },
  test: (chunkLength, other, c) => {
    const planar = other('lattice') === 'square' || other('lattice') === 'hexagonal';
    const pixels = (other('rows') as number) * (other('columns') as number);
    return planar && chunkLength * pixels > c.maxValues ? `at most ${Math.floor(c.maxValues / pixels)} for ${pixels} lattice pixels (${c.maxValues} values per chunk message)` : null;
  },
};
/** A lattice's spacing is at most 90° (core's createLattice; a row's may be 180°). Sent to the editor as source text. */
const LATTICE_SPACING_RULE: SettingRule = {
  text: 'at most 90° with a lattice',
  constants: { maxLatticeSpacing: 90 },
  test: (spacingDeg, other, c) => ((other('lattice') === 'square' || other('lattice') === 'hexagonal') && spacingDeg > c.maxLatticeSpacing ? `at most ${c.maxLatticeSpacing}° with a lattice` : null),
};
/**
 * A tuning curve's directions: none twice modulo 360°, each with its opposite, so that whichever
 * direction a unit peaks in, core's summarizeDirectionTuning finds its opposite (within 1e-6°, as
 * core does) for the DSI.
 */
const OPPOSITES_RULE: SettingRule<number[]> = {
  text: 'no direction twice (modulo 360°), each with its opposite',
  constants: {},
  test: (directionsDeg) => {
    const same = (a: number, b: number): boolean => Math.abs(((((a - b) % 360) + 540) % 360) - 180) < 1e-6;
    for (let i = 0; i < directionsDeg.length; i++) {
      const deg = directionsDeg[i];
      const earlier = directionsDeg.slice(0, i).find((d) => same(d, deg));
      if (earlier !== undefined) return `no direction twice (${deg}° repeats ${earlier}°)`;
      if (!directionsDeg.some((d) => same(d, deg + 180))) return `with the opposite of each (${(((deg + 180) % 360) + 360) % 360}° for ${deg}°)`;
    }
    return null;
  },
};

/**
 * The core's cap on the joint past–future vector, on Future h: channels × (m + h) ≤
 * MAX_JOINT_DIMENSION for the moments (core/moments.ts; channels count with pooling "joint"),
 * MAX_ONLINE_DIMENSION for the online rule (core/onlineCca.ts; `resu learn --rule online`).
 */
const JOINT_VECTOR_RULE: SettingRule = {
  text: `channels × (m + h) ≤ ${MAX_JOINT_DIMENSION} (the joint past–future vector; channels count with pooling "joint")`,
  constants: { maxJoint: MAX_JOINT_DIMENSION, maxOnline: MAX_ONLINE_DIMENSION },
  test: (futureLags, other, c) => {
    const pastLags = other('pastLags'), joint = other('pooling') === 'joint';
    const channels = joint ? other('channels') as number : 1;
    const cap = other('rule') === 'online' ? c.maxOnline : c.maxJoint;
    if (typeof pastLags !== 'number' || !(channels * (pastLags + futureLags) > cap)) return null;
    return `${joint ? 'channels × ' : ''}(past m + future h) ≤ ${cap}, here ${joint ? `${channels} × ` : ''}(${pastLags} + ${futureLags}) = ${channels * (pastLags + futureLags)}`;
  },
};

/** Shortest shared secret accepted: a short one could be guessed offline from one signed snapshot. */
export const MIN_SHARED_SECRET_LENGTH = 16;

/** Solving, persistence and peers (docs/federation.md): shared by the learners (resu-cca, resu-t4). */
const LEARNING_SETTINGS = {
  ridge: { kind: 'number', label: 'Ridge ε', hint: 'relative, ε·mean(diag R)', default: DEFAULT_CCA_OPTIONS.ridge, min: 0, max: 1, cli: 'ridge' },
  solveEveryPairs: { kind: 'integer', label: 'Solve every', unit: 'pairs', hint: '0 = on request only', default: 20000, min: 0, max: 1e9 },
  learning: { kind: 'boolean', label: 'Learning', hint: 'accumulate incoming chunks', default: true },
  persist: { kind: 'boolean', label: 'Persist', hint: 'keep statistics across redeploys and restarts', default: false },
  store: { kind: 'text', label: 'Context store', hint: 'the stores of settings.js (contextStorage)', default: '', list: 'contextStores' },
  checkpointS: { kind: 'number', label: 'Checkpoint', unit: 's', hint: 'save at most this long after a change (0 = on solve and close only)', default: DEFAULT_CHECKPOINT_S, min: 0, max: 86400 },
  publishEveryPairs: { kind: 'integer', label: 'Publish every', unit: 'pairs', hint: '0 = on msg.publish only', default: 0, min: 0, max: 1e12 },
  sourceId: { kind: 'text', label: 'Source id', hint: 'empty = hostname/node id', default: '' },
  // a Node-RED credential: signs this node's snapshots (HMAC-SHA256) and, when set, only snapshots signed with it are merged
  sharedSecret: {
    kind: 'credential', label: 'Shared secret', hint: '≥ 16 characters, same on every device; empty = merge unsigned snapshots',
    default: '', minLength: MIN_SHARED_SECRET_LENGTH,
  },
  // core's StatisticsPool takes the same range, (0, 1], and 1 when unset (flows from before the setting)
  maxPeerShare: {
    kind: 'number', label: 'Peer share cap', hint: 'largest fraction of the pooled pairs one peer may hold (1 = no cap)',
    default: 1, min: 0, exclusiveMin: true, max: 1,
  },
} as const;

/** Settings every learning node (resu-cca, resu-t4) shares: solving, persistence, peers. */
export type LearningNodeOptions = SettingValues<typeof LEARNING_SETTINGS>;

const BATCH = { field: 'rule', is: ['batch'] } as const;
const ONLINE = { field: 'rule', is: ['online'] } as const;
const AUTO = { field: 'pastLags', is: ['auto'] } as const;
/** Peers exchange the batch rule's statistics (sums); the online rule keeps filters, which do not add up. */
const batchOnly = <S extends object>(setting: S) => ({ ...setting, when: BATCH });

/**
 * resu-cca. The learning rule: the exact CCA of the lagged moments (batch), or the online rule
 * (core/onlineCca.ts, docs/online-learning.md), which keeps filters instead of moments: no
 * forgetting τ, no ridge, no peers. With the batch rule the past length may be chosen from the data
 * (Past m "auto", core/memory.ts, docs/memory.md) up to the largest past P.
 */
export const CCA_SETTINGS = defineSettings({
  rule: {
    kind: 'choice', label: 'Learning rule', default: 'batch', cli: 'rule',
    choices: [['batch', 'batch (exact CCA of the moments)'], ['online', 'online (learning rule)']],
  },
  learningRate: {
    kind: 'number', label: 'Learning rate μ0', hint: 'start of the schedule μ0 / (1 + t/τ)', default: DEFAULT_ONLINE_CCA_OPTIONS.learningRate,
    min: 0, exclusiveMin: true, max: 1, cli: 'rate', when: ONLINE,
  },
  pastLags: {
    kind: 'integer', label: 'Past m', unit: 'samples', default: 50, min: 1, max: MAX_LAGS, cli: 'past',
    auto: 'chosen from the data by the order criterion (BIC), at most the largest past P; one channel; batch rule; docs/memory.md',
    autoWhen: {
      ...BATCH,
      why: 'the online rule learns filters of a fixed length from the first sample: choose m with the batch rule and "auto" first, then learn online with that m',
    },
  },
  maxPastLags: {
    kind: 'integer', label: 'Largest past P', unit: 'samples', hint: 'largest AR order and past length considered; the moments are kept at P lags',
    default: DEFAULT_MAX_PAST_LAGS, min: 1, max: MAX_LAGS, cli: 'max-past', when: AUTO,
    rule: {
      text: `P + future h ≤ ${MAX_JOINT_DIMENSION} (the joint past–future vector)`,
      constants: { maxJoint: MAX_JOINT_DIMENSION },
      test: (maxPastLags, other, c) => {
        const futureLags = other('futureLags') as number;
        return maxPastLags + futureLags > c.maxJoint ? `at most ${c.maxJoint - futureLags} with future h = ${futureLags} (P + h ≤ ${c.maxJoint})` : null;
      },
    },
  },
  criterion: {
    // core/memory.ts chooses by BIC unless told otherwise (the settings spec checks they agree)
    kind: 'choice', label: 'Order criterion', default: 'bic', when: AUTO,
    choices: [['bic', 'BIC (consistent)'], ['aic', 'AIC (longer memory)']],
  },
  futureLags: { kind: 'integer', label: 'Future h', unit: 'samples', default: 50, min: 1, max: MAX_LAGS, cli: 'future', rule: JOINT_VECTOR_RULE },
  gap: { kind: 'integer', label: 'Gap g', unit: 'samples', default: DEFAULT_MOMENTS_OPTIONS.gap, min: 0, max: MAX_LAGS, cli: 'gap' },
  pooling: { kind: 'choice', label: 'Pooling', default: 'channels', choices: [['channels', 'each channel is a sample (layer 1)'], ['joint', 'all channels jointly']] },
  channels: {
    kind: 'integer', label: 'Channels', default: 1, min: 1, max: 64, when: { field: 'pooling', is: ['joint'] },
    rule: {
      text: '1 with Past m "auto" (the choice of m models one scalar process)',
      constants: {},
      test: (channels, other) => (other('pastLags') === 'auto' && channels > 1 ? '1 with past m "auto" (the choice of m models one scalar process: use pooling "channels")' : null),
    },
  },
  center: { kind: 'boolean', label: 'Center', hint: 'subtract the exact mean (paper: off)', default: DEFAULT_MOMENTS_OPTIONS.center, cli: 'center' },
  timeConstantSamples: batchOnly({
    kind: 'number', label: 'Forgetting τ', unit: 'samples', hint: '0 = no forgetting', default: DEFAULT_MOMENTS_OPTIONS.timeConstantSamples, min: 0, max: 1e9,
  } as const),
  ...LEARNING_SETTINGS,
  ridge: batchOnly(LEARNING_SETTINGS.ridge),
  publishEveryPairs: batchOnly(LEARNING_SETTINGS.publishEveryPairs),
  sourceId: batchOnly(LEARNING_SETTINGS.sourceId),
  sharedSecret: batchOnly(LEARNING_SETTINGS.sharedSecret),
  maxPeerShare: batchOnly(LEARNING_SETTINGS.maxPeerShare),
});

/**
 * `resu learn`: the CCA learner node's settings that have a CLI flag, the same declarations (the
 * node's `criterion` has none: the command chooses m by BIC). Only Future h's cap reads differently.
 */
export const LEARN_SETTINGS = defineSettings({
  pastLags: CCA_SETTINGS.pastLags,
  futureLags: {
    ...CCA_SETTINGS.futureLags,
    rule: { ...JOINT_VECTOR_RULE, text: `m + h ≤ ${MAX_JOINT_DIMENSION}, ${MAX_ONLINE_DIMENSION} with --rule online (the joint past–future vector; C input columns count C × (m + h))` },
  },
  gap: CCA_SETTINGS.gap,
  center: CCA_SETTINGS.center,
  rule: CCA_SETTINGS.rule,
  ridge: CCA_SETTINGS.ridge,
  learningRate: CCA_SETTINGS.learningRate,
  maxPastLags: CCA_SETTINGS.maxPastLags,
});

const UNIT_COMMON = {
  threshold: { kind: 'typedNumber', label: 'Threshold θ', default: 0, min: 0, max: 1e9, typeField: 'thresholdType' },
  thresholdType: { kind: 'choice', label: 'Threshold type', default: 'num', hidden: true, choices: TYPED_SOURCES.map((t) => [t, t] as const) },
  signal: { kind: 'text', label: 'Signal name', hint: 'empty = L1 (ON) / L2 (OFF)', default: '' },
  taps: { kind: 'taps', label: 'Fixed taps', hint: 'optional JSON array, newest first', default: '', maxLength: MAX_LAGS },
} as const;

export const UNIT_SETTINGS = defineSettings({
  component: { kind: 'integer', label: 'Filter ψk, k =', hint: 'L1/L2 use ψ2', default: 2, min: 1, max: MAX_LAGS },
  polarity: { kind: 'choice', label: 'Polarity', default: 'on', choices: [['on', 'ON: max(ψ·p − θ, 0)'], ['off', 'OFF: max(−ψ·p − θ, 0)']] },
  ...UNIT_COMMON,
});

export const L3_SETTINGS = defineSettings({
  component: { kind: 'integer', label: 'Filter ψk, k =', hint: 'L3 uses ψ1', default: 1, min: 1, max: MAX_LAGS },
  signal: { ...UNIT_COMMON.signal, hint: 'empty = L3' },
  taps: UNIT_COMMON.taps,
});

export const T4_SETTINGS = defineSettings({
  delay: { kind: 'integer', label: 'Delay', unit: 'samples', default: DEFAULT_T4_OPTIONS.delay, min: 1, max: MAX_LAGS },
  component: { kind: 'integer', label: 'Direction k', hint: 'T4 uses 2', default: DEFAULT_T4_OPTIONS.component, min: 1, max: T4_CHANNELS.length },
  threshold: { kind: 'number', label: 'Threshold θ', default: DEFAULT_T4_OPTIONS.threshold, min: 0, max: 1e9 },
  thresholdQuantile: {
    kind: 'number', label: 'θ from data (quantile)', hint: '0 = fixed θ; 0.9 = 90th percentile of the training drive',
    default: DEFAULT_T4_OPTIONS.thresholdQuantile, min: 0, max: 0.999,
  },
  applying: { kind: 'boolean', label: 'Applying', hint: 'output T4 responses', default: true },
  pooling: {
    kind: 'choice', label: 'Pooling', default: 'row',
    choices: [['row', 'a row: adjacent pixels (1-D)'], ['horizontal', 'lattice, horizontal triplets (T4a/T4b)'], ['vertical', 'lattice, vertical triplets (T4c/T4d)']],
  },
  training: {
    // choices short enough for the dropdown (test/browser/polish.spec.ts measures them); the hint says what "two units" learn
    kind: 'choice', label: 'Training', default: 'single', hint: 'two units learn motion both ways',
    choices: [
      ['single', 'one unit, one direction (paper)'], ['mirrored', "two units: mirrored moments (authors')"],
      ['gated', 'two units: gated by own output, per pair'], ['gatedEpisode', 'two units: gated by own output, per episode'],
    ],
  },
  seed: { ...SEED, hint: "the gated units' perturbations", when: { field: 'training', is: ['gated', 'gatedEpisode'] } },
  ...LEARNING_SETTINGS,
  learning: { ...LEARNING_SETTINGS.learning, hint: 'accumulate statistics' },
});

export const SCANNER_SETTINGS = defineSettings({
  lattice: {
    kind: 'choice', label: 'Lattice', default: 'none',
    choices: [['none', 'a row of pixels (1-D)'], ['square', 'square lattice (2-D)'], ['hexagonal', 'hexagonal lattice (2-D)']],
  },
  rows: LATTICE_ROWS,
  columns: LATTICE_COLUMNS,
  directionDeg: { kind: 'number', label: 'Direction', unit: '°', hint: '0 front-to-back, 90 up, 180, 270 down', default: 0, min: -360, max: 360, when: PLANAR },
  paths: { kind: 'integer', label: 'Paths', hint: 'parallel sweeps, each a series', default: 8, min: 1, max: 10000, when: PLANAR },
  source: { kind: 'choice', label: 'Scene', default: 'deadLeaves', choices: [['deadLeaves', 'built-in dead leaves (360°)'], ['image', 'image file']] },
  imagePath: { kind: 'text', label: 'Image file', hint: '/path/panorama.png', default: '', required: 'a PNG or JPEG file path', when: { field: 'source', is: ['image'] } },
  fovDeg: { kind: 'number', label: 'Image FOV', unit: '°', default: 360, min: 0, exclusiveMin: true, max: 360, cli: 'fov', when: { field: 'source', is: ['image'] } },
  sceneWidth: {
    kind: 'integer', label: 'Scene width', unit: 'px', default: DEFAULT_DEAD_LEAVES_OPTIONS.width, min: 64, max: 16384, cli: 'width', when: { field: 'source', is: ['deadLeaves'] },
    // a lattice scans a sceneWidth × sceneWidth torus
    rule: {
      text: `with a lattice, scene width² ≤ ${MAX_SCENE_PIXELS} (the torus is square)`,
      constants: { maxPixels: MAX_SCENE_PIXELS },
      test: (width, other, c) => ((other('lattice') === 'square' || other('lattice') === 'hexagonal') && width * width > c.maxPixels
        ? `at most ${Math.floor(Math.sqrt(c.maxPixels))} with a lattice (the torus is scene width × scene width, at most ${c.maxPixels} pixels)` : null),
    },
  },
  sceneHeight: {
    kind: 'integer', label: 'Scene rows', default: DEFAULT_DEAD_LEAVES_OPTIONS.height, min: 1, max: 4096, cli: 'height',
    product: { field: 'sceneWidth', max: MAX_SCENE_PIXELS, what: 'scene pixels' }, when: { field: 'source', is: ['deadLeaves'] },
  },
  pixels: { kind: 'integer', label: 'Pixels', default: DEFAULT_SCANNER_OPTIONS.pixels, min: 1, max: 1024, cli: 'pixels', when: ROW },
  spacingDeg: { ...SPACING_DEG, cli: 'spacing', rule: LATTICE_SPACING_RULE },
  speedDegPerS: { kind: 'number', label: 'Speed', unit: '°/s', hint: '0 = 1 image px per sample', default: 0, min: 0, max: 1e6, cli: 'speed' },
  direction: { kind: 'choice', label: 'Direction', default: DEFAULT_SCANNER_OPTIONS.direction, cli: 'direction', choices: [['right', 'right (toward higher pixel index)'], ['left', 'left']], when: ROW },
  dtS: { ...DT_S, cli: 'dt' },
  chunkLength: {
    kind: 'integer', label: 'Chunk', unit: 'samples', default: 1000, min: 1, max: MAX_CHUNK_LENGTH,
    product: { field: 'pixels', max: MAX_CHUNK_VALUES, what: 'values per chunk message' }, rule: LATTICE_CHUNK_RULE,
  },
  seed: { ...SEED, cli: 'seed' },
  zScoreRows: { kind: 'boolean', label: 'Z-score rows', hint: 'each row to zero mean, unit sd (as the authors)', default: DEFAULT_SCANNER_OPTIONS.zScoreRows, cli: 'zscore' },
  loop: { kind: 'boolean', label: 'Loop', hint: 'start over after the last row', default: false },
  maxDurationS: { kind: 'number', label: 'Max duration', unit: 's', default: 3600, min: 0, exclusiveMin: true, max: 1e7 },
  intervalMs: INTERVAL_MS,
  autoStart: { kind: 'boolean', label: 'Auto start', hint: 'start on deploy', default: false },
});

const NOISE_SOURCES = ['white', 'ou', 'gp'];
export const NOISE_SETTINGS = defineSettings({
  mode: {
    kind: 'choice', label: 'Mode', default: 'add',
    choices: [['add', 'add white noise to incoming chunks'], ['white', 'source: white noise'], ['ou', 'source: OU process (paper, 3 states)'], ['gp', 'source: Gaussian-process draws']],
  },
  sd: { kind: 'number', label: 'Noise sd', default: 0.05, min: 0, max: 1e9, when: { field: 'mode', is: ['add', 'white'] } },
  snr: { kind: 'number', label: 'SNR (amplitude)', hint: '0 = use sd', default: 0, min: 0, max: 1e9, when: { field: 'mode', is: ['add'] } },
  signalSd: { kind: 'number', label: 'Signal sd', default: 1, min: 0, max: 1e9, when: { field: 'mode', is: ['add'] } },
  seed: SEED,
  channels: { kind: 'integer', label: 'Channels', default: 1, min: 1, max: 1024, when: { field: 'mode', is: ['white'] } },
  chunkLength: {
    kind: 'integer', label: 'Chunk', unit: 'samples', default: 1000, min: 1, max: MAX_CHUNK_LENGTH, when: { field: 'mode', is: NOISE_SOURCES },
    product: { field: 'channels', max: MAX_CHUNK_VALUES, what: 'values per chunk message' },
  },
  dtS: { ...DT_S, when: { field: 'mode', is: NOISE_SOURCES } },
  maxSamples: { kind: 'integer', label: 'Max samples', default: 100000, min: 1, max: 1e9, when: { field: 'mode', is: NOISE_SOURCES } },
  observationNoiseSd: { kind: 'number', label: 'Observation noise sd', default: 0.1, min: 0, max: 1e6, when: { field: 'mode', is: ['ou', 'gp'] } },
  gpKernel: {
    kind: 'choice', label: 'GP kernel', default: 'rationalQuadratic', when: { field: 'mode', is: ['gp'] },
    choices: [['rationalQuadratic', 'rational quadratic'], ['squaredExponential', 'squared exponential'], ['exponential', 'exponential']],
  },
  gpAlpha: { kind: 'number', label: 'GP α', default: DEFAULT_GP_OPTIONS.alpha, min: 0, exclusiveMin: true, max: 1e6, when: { field: 'mode', is: ['gp'] } },
  gpLengthScale: { kind: 'number', label: 'GP ℓ', default: DEFAULT_GP_OPTIONS.lengthScale, min: 0, exclusiveMin: true, max: 1e6, when: { field: 'mode', is: ['gp'] } },
  gpPoints: { kind: 'integer', label: 'GP points', default: DEFAULT_GP_OPTIONS.points, min: 2, max: MAX_GP_POINTS, when: { field: 'mode', is: ['gp'] } },
  gpDraws: { kind: 'integer', label: 'GP draws', default: DEFAULT_GP_OPTIONS.draws, min: 1, max: 100000, when: { field: 'mode', is: ['gp'] } },
  intervalMs: { ...INTERVAL_MS, when: { field: 'mode', is: NOISE_SOURCES } },
});

/** Noise added to the scaled T4 inputs in 'probe-sd' (the authors' 0.02). */
export const PROBE_SCALING_NOISE_SD = 0.02;
/** At most this many grating stimuli (periods × speeds) per probe node. */
export const MAX_PROBE_STIMULI = 64;

const EDGE = { field: 'probe', is: ['edge'] } as const;
const GRATING = { field: 'probe', is: ['grating'] } as const;
/**
 * With normalization 'probe-sd' a run travels as one chunk (T4 scales each run by its own sd), so a
 * run's samples × pixels must fit one chunk message. Sent to the editor as source text.
 */
const ONE_CHUNK_TEXT = 'with normalization "probe-sd" a run (samples × pixels) fits one chunk message';
export const PROBE_SETTINGS = defineSettings({
  probe: { kind: 'choice', label: 'Probe', default: 'edge', choices: [['edge', 'smoothed ON/OFF edges (authors)'], ['grating', 'drifting gratings (ON/OFF)']] },
  lattice: {
    kind: 'choice', label: 'Lattice', default: 'none',
    choices: [['none', 'a row: preferred and null runs'], ['square', 'square lattice: tuning curves'], ['hexagonal', 'hexagonal lattice: tuning curves']],
  },
  rows: LATTICE_ROWS,
  columns: LATTICE_COLUMNS,
  directionsDeg: {
    kind: 'numberList', label: 'Directions', unit: '°', hint: '0, 45, 90, … (each with its opposite)', default: '0, 45, 90, 135, 180, 225, 270, 315',
    min: -360, max: 360, maxItems: 72, when: PLANAR, rule: OPPOSITES_RULE,
  },
  preferredDirection: { kind: 'choice', label: 'Preferred', default: 'right', choices: [['right', 'right'], ['left', 'left']], when: ROW },
  pixels: { kind: 'integer', label: 'Pixels', hint: 'T4 pools 3', default: 3, min: 3, max: 1024, when: ROW },
  samplesPerSpacing: { kind: 'integer', label: 'Samples / spacing', default: 5, min: 1, max: 100000, when: EDGE },
  segmentLength: { kind: 'integer', label: 'Segment', unit: 'samples', default: 400, min: 2, max: 1e6, when: EDGE },
  riseSamples: { kind: 'number', label: 'Rise', unit: 'samples', default: 20, min: 0, exclusiveMin: true, max: 1e6, when: EDGE },
  segments: {
    kind: 'integer', label: 'Segments', default: 4, min: 1, max: 10000, when: EDGE,
    rule: {
      text: ONE_CHUNK_TEXT,
      constants: { maxValues: MAX_CHUNK_VALUES },
      test: (segments, other, c) => {
        const planar = other('lattice') === 'square' || other('lattice') === 'hexagonal';
        const pixels = planar ? (other('rows') as number) * (other('columns') as number) : other('pixels') as number;
        return other('normalization') === 'probe-sd' && segments * (other('segmentLength') as number) * pixels > c.maxValues
          ? `with normalization "probe-sd" a run of at most ${c.maxValues} values (segments × segment × pixels), which is sent as one chunk` : null;
      },
    },
  },
  noiseSd: { kind: 'number', label: 'Noise sd', default: 0.005, min: 0, max: 1e6 },
  waveform: { kind: 'choice', label: 'Waveform', default: 'sine', choices: [['sine', 'sine'], ['square', 'square']], when: GRATING },
  periodDeg: {
    kind: 'numberList', label: 'Periods', unit: '°', hint: '20, 40, 80', default: '20, 40, 80', min: 0, exclusiveMin: true, max: 1e6, maxItems: 16, when: GRATING,
    product: { field: 'speedDegPerS', max: MAX_PROBE_STIMULI, what: 'stimuli, periods × speeds' },
  },
  speedDegPerS: {
    kind: 'numberList', label: 'Speeds', unit: '°/s', hint: '38.5, 100 (include the training speed)', default: '38.5, 100',
    min: 0, exclusiveMin: true, max: 1e6, maxItems: 16, when: GRATING,
  },
  // gratings, and the lattice's pixel spacing (edges on a row use samples per spacing instead)
  spacingDeg: { ...SPACING_DEG, hint: 'gratings; a lattice\'s pixel spacing', rule: LATTICE_SPACING_RULE },
  dtS: DT_S,
  durationS: {
    kind: 'number', label: 'Duration', unit: 's', default: 4, min: 0, exclusiveMin: true, max: 1e5, when: GRATING,
    rule: {
      text: ONE_CHUNK_TEXT,
      constants: { maxValues: MAX_CHUNK_VALUES },
      // samples as core's sampleCount counts them (round-off safe floor of duration / dt)
      test: (durationS, other, c) => {
        const planar = other('lattice') === 'square' || other('lattice') === 'hexagonal';
        const pixels = planar ? (other('rows') as number) * (other('columns') as number) : other('pixels') as number;
        return other('normalization') === 'probe-sd' && Math.floor((durationS / (other('dtS') as number)) * (1 + 1e-12) + 1e-9) * pixels > c.maxValues
          ? `with normalization "probe-sd" a run of at most ${c.maxValues} values (duration / dt × pixels), which is sent as one chunk` : null;
      },
    },
  },
  normalization: { kind: 'choice', label: 'Normalization', default: 'probe-sd', choices: [['probe-sd', "probe sd + noise 0.02 (authors')"], ['training', 'training sds (ours)']] },
  settleSamples: { kind: 'integer', label: 'Settle', unit: 'samples', hint: "50 (the filters' length)", default: 50, min: 0, max: 1e6 },
  chunkLength: {
    kind: 'integer', label: 'Chunk', unit: 'samples', default: 500, min: 1, max: MAX_CHUNK_LENGTH, when: { field: 'normalization', is: ['training'] },
    product: { field: 'pixels', max: MAX_CHUNK_VALUES, what: 'values per chunk message' }, rule: LATTICE_CHUNK_RULE,
  },
  seed: SEED,
  intervalMs: INTERVAL_MS,
});

/** Settings per node type: what the build turns into the editor's defaults and form. */
export const NODE_SETTINGS: Readonly<Record<string, Settings>> = {
  'resu-scanner': SCANNER_SETTINGS,
  'resu-noise': NOISE_SETTINGS,
  'resu-cca': CCA_SETTINGS,
  'resu-unit': UNIT_SETTINGS,
  'resu-l3': L3_SETTINGS,
  'resu-t4': T4_SETTINGS,
  'resu-grating': PROBE_SETTINGS,
};

export type LearnerNodeOptions = SettingValues<typeof CCA_SETTINGS>;
export type T4NodeOptions = SettingValues<typeof T4_SETTINGS>;
export type ScannerNodeOptions = SettingValues<typeof SCANNER_SETTINGS>;
export type NoiseNodeOptions = SettingValues<typeof NOISE_SETTINGS>;
/** resu-grating settings; the lists of periods and speeds under plural names. */
export type ProbeNodeOptions = Omit<SettingValues<typeof PROBE_SETTINGS>, 'periodDeg' | 'speedDegPerS'> & {
  /** Grating spatial periods, degrees: one stimulus per period × speed. */
  periodsDeg: number[];
  /** Grating speeds, °/s. */
  speedsDegPerS: number[];
};

/** resu-cca settings from its configuration and its Node-RED credentials (the shared secret). */
export function parseLearnerConfig(raw: RawConfig, credentials?: unknown): LearnerNodeOptions {
  return parseSettings(CCA_SETTINGS, raw, credentials);
}

/** resu-t4 settings from its configuration and its Node-RED credentials (the shared secret). */
export function parseT4Config(raw: RawConfig, credentials?: unknown): T4NodeOptions {
  return parseSettings(T4_SETTINGS, raw, credentials);
}

export function parseScannerConfig(raw: RawConfig): ScannerNodeOptions {
  return parseSettings(SCANNER_SETTINGS, raw);
}

export function parseNoiseConfig(raw: RawConfig): NoiseNodeOptions {
  return parseSettings(NOISE_SETTINGS, raw);
}

export function parseProbeConfig(raw: RawConfig): ProbeNodeOptions {
  const { periodDeg, speedDegPerS, ...rest } = parseSettings(PROBE_SETTINGS, raw);
  return { ...rest, periodsDeg: periodDeg, speedsDegPerS: speedDegPerS };
}

/** resu-unit / resu-l3 settings, as the shared unit node uses them. */
export interface UnitNodeOptions {
  /** k of ψ_k, 1-based. */
  component: number;
  polarity: 'on' | 'off' | 'linear';
  threshold: number;
  /** Where θ comes from: 'num' (the fixed value) or msg/flow/global/env/jsonata (per message). */
  thresholdType: TypedSource;
  /** The raw typed value (property path or expression) when thresholdType is not 'num'. */
  thresholdSource: string;
  /** Name stamped into msg.chunk.signal ("L1", "L2", "L3"). */
  signal: string;
  /** Fixed taps (newest first) given in the editor, or null to wait for a filters message. */
  taps: number[] | null;
}

export function parseUnitConfig(raw: RawConfig, type: 'resu-unit' | 'resu-l3'): UnitNodeOptions {
  if (type === 'resu-l3') {
    const l3 = parseSettings(L3_SETTINGS, raw);
    return { component: l3.component, polarity: 'linear', threshold: 0, thresholdType: 'num', thresholdSource: '', signal: l3.signal || 'L3', taps: l3.taps };
  }
  const unit = parseSettings(UNIT_SETTINGS, raw);
  const fixed = typeof unit.threshold === 'number';
  return {
    component: unit.component,
    polarity: unit.polarity,
    threshold: fixed ? unit.threshold as number : 0,
    thresholdType: unit.thresholdType,
    thresholdSource: fixed ? '' : unit.threshold as string,
    signal: unit.signal || (unit.polarity === 'on' ? 'L1' : 'L2'),
    taps: unit.taps,
  };
}
