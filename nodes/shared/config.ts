/**
 * Parsing of editor configuration: the editor stores numbers as strings and checkboxes as booleans;
 * everything is converted once, in the node's constructor, into typed core options.
 */
import { ConfigError } from '../../core/errors';
import { requireFinite, requireInt, requireOneOf, RangeOptions } from '../../core/validate';

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

/** resu-cca settings. */
export interface LearnerNodeOptions {
  pastLags: number;
  futureLags: number;
  gap: number;
  pooling: 'channels' | 'joint';
  channels: number;
  center: boolean;
  timeConstantSamples: number;
  ridge: number;
  /** Solve and emit filters every this many new pairs (0: only on request). */
  solveEveryPairs: number;
  learning: boolean;
  /** Context store name for persistence, or '' for none. */
  persist: boolean;
  store: string;
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
    ridge: numberField(raw, 'ridge', 1e-10, { min: 0, max: 1 }),
    solveEveryPairs: intField(raw, 'solveEveryPairs', 20000, { min: 0, max: 1e9 }),
    learning: boolField(raw, 'learning', true),
    persist: boolField(raw, 'persist', false),
    store: stringField(raw, 'store', ''),
  };
}

/** resu-unit / resu-l3 settings. */
export interface UnitNodeOptions {
  /** k of ψ_k, 1-based. */
  component: number;
  polarity: 'on' | 'off' | 'linear';
  threshold: number;
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
  return {
    component: intField(raw, 'component', defaults.component, { min: 1, max: 1000 }),
    polarity,
    threshold: numberField(raw, 'threshold', 0, { min: 0, max: 1e9 }),
    signal: stringField(raw, 'signal', '').trim() || fallbackSignal,
    taps,
  };
}
