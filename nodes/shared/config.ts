/**
 * Parsing of editor configuration: the editor stores numbers as strings and checkboxes as booleans;
 * everything is converted once, in the node's constructor, into typed core options.
 */
import { ConfigError } from '../../core/errors';
import { requireFinite, requireInt, requireOneOf, RangeOptions } from '../../core/validate';
import { sampleCount } from '../../core/stimuli/scanner';
import { MAX_CHUNK_VALUES } from './messages';

/**
 * Largest scene (built-in panorama or image file), width × height: 16 M pixels, 128 MB per Float64
 * copy (the contrast pipeline keeps up to three), so no configuration allocates gigabytes.
 */
export const MAX_SCENE_PIXELS = 16_777_216;

/** Values per emitted chunk (channels × chunk length) at most what every ReSU node accepts. */
function requireChunkValues(channels: number, chunkLength: number, what: string): void {
  if (channels * chunkLength > MAX_CHUNK_VALUES) {
    throw new ConfigError('chunkLength', chunkLength, `at most ${Math.floor(MAX_CHUNK_VALUES / channels)} samples for ${channels} ${what} (${MAX_CHUNK_VALUES} values per chunk message)`);
  }
}

export type RawConfig = Record<string, unknown>;

function present(value: unknown): boolean {
  return !(value === undefined || value === null || (typeof value === 'string' && value.trim() === ''));
}

function asNumber(value: unknown): unknown {
  return typeof value === 'string' ? Number(value.trim()) : value;
}

/** Number field with default and range. */
export function numberField(raw: RawConfig, name: string, fallback: number, range: RangeOptions = {}): number {
  return present(raw[name]) ? requireFinite(name, asNumber(raw[name]), range) : fallback;
}

/** Integer field with default and range. */
export function intField(raw: RawConfig, name: string, fallback: number, range: RangeOptions = {}): number {
  return present(raw[name]) ? requireInt(name, asNumber(raw[name]), range) : fallback;
}

/** Boolean field ("true"/"false" strings accepted). */
export function boolField(raw: RawConfig, name: string, fallback: boolean): boolean {
  const value = raw[name];
  if (!present(value)) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new ConfigError(name, value, 'true or false');
}

/** Choice field. */
export function choiceField<T extends string>(raw: RawConfig, name: string, fallback: T, allowed: readonly T[]): T {
  return present(raw[name]) ? requireOneOf(name, raw[name], allowed) : fallback;
}

/** String field. */
export function stringField(raw: RawConfig, name: string, fallback: string): string {
  const value = raw[name];
  if (!present(value)) return fallback;
  if (typeof value !== 'string') throw new ConfigError(name, value, 'a string');
  return value;
}

/** Default checkpoint interval (s) of persisted learner and T4 statistics. */
export const DEFAULT_CHECKPOINT_S = 10;

/** Settings every learning node (resu-cca, resu-t4) shares: solving, persistence, peers. */
export interface LearningNodeOptions {
  ridge: number;
  /** Solve and emit every this many new pairs (0: only on request). */
  solveEveryPairs: number;
  learning: boolean;
  /** Keep statistics in the context store `store` ('' = default store). */
  persist: boolean;
  store: string;
  /** With persist: save the statistics at most this many seconds after they change (0: only on solve and close). */
  checkpointS: number;
  /** Publish a statistics snapshot every this many new pairs (0: only on msg.publish). */
  publishEveryPairs: number;
  /** Identity in statistics snapshots ('' = hostname/node id). */
  sourceId: string;
  /** Largest share of the pooled weight one peer's statistics may have, in (0, 1]; 1 = no cap. */
  maxPeerShare: number;
}

/** Shortest shared secret accepted: a short one could be guessed offline from one signed snapshot. */
export const MIN_SHARED_SECRET_LENGTH = 16;

/**
 * The learning nodes' shared secret, a Node-RED credential (`credentials.sharedSecret`, kept in the
 * encrypted credentials file, never in the flow): '' when unset.
 * @throws ConfigError when set but shorter than {@link MIN_SHARED_SECRET_LENGTH} characters.
 */
export function parseSharedSecret(credentials: unknown): string {
  const value = (credentials as { sharedSecret?: unknown } | undefined)?.sharedSecret;
  if (value === undefined || value === null || value === '') return '';
  if (typeof value !== 'string' || value.length < MIN_SHARED_SECRET_LENGTH) {
    throw new ConfigError('sharedSecret', typeof value === 'string' ? `(${value.length} characters)` : value, `a string of at least ${MIN_SHARED_SECRET_LENGTH} characters`);
  }
  return value;
}

function parseLearningFields(raw: RawConfig): LearningNodeOptions {
  return {
    ridge: numberField(raw, 'ridge', 1e-10, { min: 0, max: 1 }),
    solveEveryPairs: intField(raw, 'solveEveryPairs', 20000, { min: 0, max: 1e9 }),
    learning: boolField(raw, 'learning', true),
    persist: boolField(raw, 'persist', false),
    store: stringField(raw, 'store', ''),
    checkpointS: numberField(raw, 'checkpointS', DEFAULT_CHECKPOINT_S, { min: 0, max: 86400 }),
    publishEveryPairs: intField(raw, 'publishEveryPairs', 0, { min: 0, max: 1e12 }),
    sourceId: stringField(raw, 'sourceId', '').trim(),
    maxPeerShare: numberField(raw, 'maxPeerShare', 1, { min: 0, exclusiveMin: true, max: 1 }),
  };
}

/** resu-cca settings. */
export interface LearnerNodeOptions extends LearningNodeOptions {
  pastLags: number;
  futureLags: number;
  gap: number;
  pooling: 'channels' | 'joint';
  channels: number;
  center: boolean;
  timeConstantSamples: number;
}

export function parseLearnerConfig(raw: RawConfig): LearnerNodeOptions {
  const pooling = choiceField(raw, 'pooling', 'channels', ['channels', 'joint'] as const);
  return {
    pastLags: intField(raw, 'pastLags', 50, { min: 1, max: 1000 }),
    futureLags: intField(raw, 'futureLags', 50, { min: 1, max: 1000 }),
    gap: intField(raw, 'gap', 0, { min: 0, max: 1000 }),
    pooling,
    channels: intField(raw, 'channels', 1, { min: 1, max: 64 }),
    center: boolField(raw, 'center', false),
    timeConstantSamples: numberField(raw, 'timeConstantSamples', 0, { min: 0, max: 1e9 }),
    ...parseLearningFields(raw),
  };
}

/** resu-unit / resu-l3 settings. */
export interface UnitNodeOptions {
  /** k of ψ_k, 1-based. */
  component: number;
  polarity: 'on' | 'off' | 'linear';
  threshold: number;
  /** Where θ comes from: 'num' (the fixed value) or msg/flow/global/env/jsonata (per message). */
  thresholdType: 'num' | 'msg' | 'flow' | 'global' | 'env' | 'jsonata';
  /** The raw typed value (property path or expression) when thresholdType is not 'num'. */
  thresholdSource: string;
  /** Name stamped into msg.chunk.signal ("L1", "L2", "L3"). */
  signal: string;
  /** Fixed taps (newest first) given in the editor, or null to wait for a filters message. */
  taps: number[] | null;
}

export function parseUnitConfig(raw: RawConfig, defaults: { component: number; polarity: 'on' | 'off' | 'linear' }): UnitNodeOptions {
  const polarity = choiceField(raw, 'polarity', defaults.polarity, ['on', 'off', 'linear'] as const);
  const fallbackSignal = polarity === 'linear' ? 'L3' : polarity === 'on' ? 'L1' : 'L2';
  let taps: number[] | null = null;
  const rawTaps = stringField(raw, 'taps', '').trim();
  if (rawTaps !== '') {
    let parsed: unknown;
    try { parsed = JSON.parse(rawTaps); } catch { throw new ConfigError('taps', rawTaps, 'a JSON array of numbers, newest tap first'); }
    if (!Array.isArray(parsed) || parsed.length === 0 || parsed.length > 1000 || !parsed.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw new ConfigError('taps', rawTaps, 'a JSON array of 1–1000 finite numbers, newest tap first');
    }
    taps = parsed as number[];
  }
  const thresholdType = choiceField(raw, 'thresholdType', 'num', ['num', 'msg', 'flow', 'global', 'env', 'jsonata'] as const);
  return {
    component: intField(raw, 'component', defaults.component, { min: 1, max: 1000 }),
    polarity,
    threshold: thresholdType === 'num' ? numberField(raw, 'threshold', 0, { min: 0, max: 1e9 }) : 0,
    thresholdType,
    thresholdSource: thresholdType === 'num' ? '' : stringField(raw, 'threshold', ''),
    signal: stringField(raw, 'signal', '').trim() || fallbackSignal,
    taps,
  };
}

/** resu-t4 settings. */
export interface T4NodeOptions extends LearningNodeOptions {
  delay: number;
  component: number;
  threshold: number;
  /** 0: θ fixed; in (0, 1): θ = this quantile of the training drive at every solve. */
  thresholdQuantile: number;
  applying: boolean;
}

export function parseT4Config(raw: RawConfig): T4NodeOptions {
  return {
    delay: intField(raw, 'delay', 5, { min: 1, max: 1000 }),
    component: intField(raw, 'component', 2, { min: 1, max: 6 }),
    threshold: numberField(raw, 'threshold', 0, { min: 0, max: 1e9 }),
    thresholdQuantile: numberField(raw, 'thresholdQuantile', 0, { min: 0, max: 0.999 }),
    applying: boolField(raw, 'applying', true),
    ...parseLearningFields(raw),
  };
}

/** resu-scanner settings. */
export interface ScannerNodeOptions {
  source: 'deadLeaves' | 'image';
  imagePath: string;
  fovDeg: number;
  pixels: number;
  spacingDeg: number;
  /** 0: one image pixel per sample. */
  speedDegPerS: number;
  direction: 'left' | 'right';
  dtS: number;
  chunkLength: number;
  seed: number;
  zScoreRows: boolean;
  loop: boolean;
  maxDurationS: number;
  intervalMs: number;
  autoStart: boolean;
  sceneWidth: number;
  sceneHeight: number;
}

export function parseScannerConfig(raw: RawConfig): ScannerNodeOptions {
  const source = choiceField(raw, 'source', 'deadLeaves', ['deadLeaves', 'image'] as const);
  const imagePath = stringField(raw, 'imagePath', '').trim();
  if (source === 'image' && imagePath === '') throw new ConfigError('imagePath', imagePath, 'a PNG or JPEG file path when the source is an image');
  const options: ScannerNodeOptions = {
    source, imagePath,
    fovDeg: numberField(raw, 'fovDeg', 360, { min: 0, exclusiveMin: true, max: 360 }),
    pixels: intField(raw, 'pixels', 3, { min: 3, max: 1024 }),
    spacingDeg: numberField(raw, 'spacingDeg', 5, { min: 0, exclusiveMin: true, max: 180 }),
    speedDegPerS: numberField(raw, 'speedDegPerS', 0, { min: 0, max: 1e6 }),
    direction: choiceField(raw, 'direction', 'right', ['left', 'right'] as const),
    dtS: numberField(raw, 'dtS', 0.01, { min: 1e-6, max: 60 }),
    chunkLength: intField(raw, 'chunkLength', 1000, { min: 1, max: 100000 }),
    seed: intField(raw, 'seed', 1, { min: 0, max: Number.MAX_SAFE_INTEGER }),
    zScoreRows: boolField(raw, 'zScoreRows', true),
    loop: boolField(raw, 'loop', false),
    maxDurationS: numberField(raw, 'maxDurationS', 3600, { min: 0, exclusiveMin: true, max: 1e7 }),
    intervalMs: intField(raw, 'intervalMs', 0, { min: 0, max: 60000 }),
    autoStart: boolField(raw, 'autoStart', false),
    sceneWidth: intField(raw, 'sceneWidth', 1024, { min: 64, max: 16384 }),
    sceneHeight: intField(raw, 'sceneHeight', 16, { min: 1, max: 4096 }),
  };
  requireChunkValues(options.pixels, options.chunkLength, 'pixels');
  if (options.source === 'deadLeaves' && options.sceneWidth * options.sceneHeight > MAX_SCENE_PIXELS) {
    throw new ConfigError('sceneWidth × sceneHeight', options.sceneWidth * options.sceneHeight, `at most ${MAX_SCENE_PIXELS} pixels`);
  }
  return options;
}

/** resu-noise settings. */
export interface NoiseNodeOptions {
  mode: 'add' | 'white' | 'ou' | 'gp';
  /** Noise sd (add, white). */
  sd: number;
  /** Amplitude SNR for add mode (0: use sd): noise sd = signalSd / snr. */
  snr: number;
  signalSd: number;
  seed: number;
  channels: number;
  chunkLength: number;
  dtS: number;
  maxSamples: number;
  observationNoiseSd: number;
  gpKernel: 'rationalQuadratic' | 'squaredExponential' | 'exponential';
  gpAlpha: number;
  gpLengthScale: number;
  gpPoints: number;
  gpDraws: number;
  intervalMs: number;
}

export function parseNoiseConfig(raw: RawConfig): NoiseNodeOptions {
  const options: NoiseNodeOptions = {
    mode: choiceField(raw, 'mode', 'add', ['add', 'white', 'ou', 'gp'] as const),
    sd: numberField(raw, 'sd', 0.05, { min: 0, max: 1e9 }),
    snr: numberField(raw, 'snr', 0, { min: 0, max: 1e9 }),
    signalSd: numberField(raw, 'signalSd', 1, { min: 0, max: 1e9 }),
    seed: intField(raw, 'seed', 1, { min: 0, max: Number.MAX_SAFE_INTEGER }),
    channels: intField(raw, 'channels', 1, { min: 1, max: 1024 }),
    chunkLength: intField(raw, 'chunkLength', 1000, { min: 1, max: 100000 }),
    dtS: numberField(raw, 'dtS', 0.01, { min: 1e-6, max: 60 }),
    maxSamples: intField(raw, 'maxSamples', 100000, { min: 1, max: 1e9 }),
    observationNoiseSd: numberField(raw, 'observationNoiseSd', 0.1, { min: 0, max: 1e6 }),
    gpKernel: choiceField(raw, 'gpKernel', 'rationalQuadratic', ['rationalQuadratic', 'squaredExponential', 'exponential'] as const),
    gpAlpha: numberField(raw, 'gpAlpha', 1, { min: 0, exclusiveMin: true, max: 1e6 }),
    gpLengthScale: numberField(raw, 'gpLengthScale', 1, { min: 0, exclusiveMin: true, max: 1e6 }),
    gpPoints: intField(raw, 'gpPoints', 1000, { min: 2, max: 4096 }),
    gpDraws: intField(raw, 'gpDraws', 200, { min: 1, max: 100000 }),
    intervalMs: intField(raw, 'intervalMs', 0, { min: 0, max: 60000 }),
  };
  if (options.mode === 'white') requireChunkValues(options.channels, options.chunkLength, 'channels');
  return options;
}

/** resu-grating settings. */
export interface ProbeNodeOptions {
  probe: 'edge' | 'grating';
  preferredDirection: 'left' | 'right';
  pixels: number;
  samplesPerSpacing: number;
  segmentLength: number;
  riseSamples: number;
  segments: number;
  noiseSd: number;
  /** Grating waveform. */
  waveform: 'sine' | 'square';
  /** Grating spatial periods, degrees: one stimulus per period × speed. */
  periodsDeg: number[];
  /** Grating speeds, °/s. */
  speedsDegPerS: number[];
  spacingDeg: number;
  dtS: number;
  durationS: number;
  /**
   * 'probe-sd' (the authors'): each run is sent as one chunk marked with msg.probeScaling, so T4 divides
   * each input by its own sd over the run and adds noise of sd {@link PROBE_SCALING_NOISE_SD};
   * 'training': chunks of chunkLength, weights as learned.
   */
  normalization: 'probe-sd' | 'training';
  /** Samples at the start of each run that are not scored (filters filling). */
  settleSamples: number;
  chunkLength: number;
  seed: number;
  intervalMs: number;
}

/** Noise added to the scaled T4 inputs in 'probe-sd' (the authors' 0.02). */
export const PROBE_SCALING_NOISE_SD = 0.02;
/** At most this many grating stimuli (periods × speeds) per probe node. */
export const MAX_PROBE_STIMULI = 64;

/** A list of numbers: a number, an array, or a string "20, 40, 80" (the editor's text field). */
export function numberListField(raw: RawConfig, name: string, fallback: number[], range: RangeOptions, maxItems: number): number[] {
  const value = raw[name];
  if (!present(value)) return fallback;
  const items = typeof value === 'number' ? [value] : Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[\s,;]+/).filter((x) => x !== '') : null;
  if (items === null || items.length === 0 || items.length > maxItems) throw new ConfigError(name, value, `1 to ${maxItems} numbers separated by commas`);
  return items.map((item, i) => requireFinite(`${name}[${i}]`, asNumber(item), range));
}

export function parseProbeConfig(raw: RawConfig): ProbeNodeOptions {
  const options: ProbeNodeOptions = {
    probe: choiceField(raw, 'probe', 'edge', ['edge', 'grating'] as const),
    preferredDirection: choiceField(raw, 'preferredDirection', 'right', ['left', 'right'] as const),
    pixels: intField(raw, 'pixels', 3, { min: 3, max: 1024 }),
    samplesPerSpacing: intField(raw, 'samplesPerSpacing', 5, { min: 1, max: 100000 }),
    segmentLength: intField(raw, 'segmentLength', 400, { min: 2, max: 1e6 }),
    riseSamples: numberField(raw, 'riseSamples', 20, { min: 0, exclusiveMin: true, max: 1e6 }),
    segments: intField(raw, 'segments', 4, { min: 1, max: 10000 }),
    noiseSd: numberField(raw, 'noiseSd', 0.005, { min: 0, max: 1e6 }),
    waveform: choiceField(raw, 'waveform', 'sine', ['sine', 'square'] as const),
    periodsDeg: numberListField(raw, 'periodDeg', [20, 40, 80], { min: 0, exclusiveMin: true, max: 1e6 }, 16),
    speedsDegPerS: numberListField(raw, 'speedDegPerS', [38.5, 100], { min: 0, exclusiveMin: true, max: 1e6 }, 16),
    spacingDeg: numberField(raw, 'spacingDeg', 5, { min: 0, exclusiveMin: true, max: 180 }),
    dtS: numberField(raw, 'dtS', 0.01, { min: 1e-6, max: 60 }),
    durationS: numberField(raw, 'durationS', 4, { min: 0, exclusiveMin: true, max: 1e5 }),
    normalization: choiceField(raw, 'normalization', 'probe-sd', ['probe-sd', 'training'] as const),
    settleSamples: intField(raw, 'settleSamples', 50, { min: 0, max: 1e6 }),
    chunkLength: intField(raw, 'chunkLength', 500, { min: 1, max: 100000 }),
    seed: intField(raw, 'seed', 1, { min: 0, max: Number.MAX_SAFE_INTEGER }),
    intervalMs: intField(raw, 'intervalMs', 0, { min: 0, max: 60000 }),
  };
  if (options.probe === 'grating' && options.periodsDeg.length * options.speedsDegPerS.length > MAX_PROBE_STIMULI) {
    throw new ConfigError('periodDeg × speedDegPerS', options.periodsDeg.length * options.speedsDegPerS.length, `at most ${MAX_PROBE_STIMULI} stimuli`);
  }
  if (options.normalization === 'probe-sd') {
    // T4 scales each run by its own sd, so a run travels as one chunk
    const samples = options.probe === 'edge' ? options.segments * options.segmentLength : sampleCount(options.durationS, options.dtS);
    if (samples * options.pixels > MAX_CHUNK_VALUES) {
      throw new ConfigError(options.probe === 'edge' ? 'segments' : 'durationS', options.probe === 'edge' ? options.segments : options.durationS,
        `a run of at most ${MAX_CHUNK_VALUES} values (samples × pixels) with normalization "probe-sd", which sends each run as one chunk`);
    }
  }
  return options;
}
