/**
 * Declarative node settings: each node type declares its settings once (nodes/shared/config.ts):
 * kind, default, range, unit, editor label and CLI flag. From that one declaration come
 *   - the runtime parser (`parseSettings`, used in each node's constructor),
 *   - the editor's `defaults` with two-argument validators and the edit form (nodes/shared/editor.ts,
 *     written into dist/nodes/*.html by scripts/copy-assets.js),
 *   - the CLI options (cli/args.ts `readSettingFlags`).
 * All three check a value with the same function, `readSetting`, which the build also sends to the
 * browser as source text: it must stay self-contained (no imports, no module-level helpers).
 */
import { ConfigError } from '../../core/errors';

/** Only when `field` (another setting of the node) has one of the values `is` is a setting used. */
export interface SettingCondition {
  readonly field: string;
  readonly is: readonly string[];
}

/**
 * value × (the other setting `field`) must stay ≤ max, e.g. chunk length × pixels ≤ values per chunk
 * message; for a list, its number of items counts.
 */
export interface ProductLimit {
  readonly field: string;
  readonly max: number;
  /** What the product counts, for the message ("values per chunk message"). */
  readonly what: string;
}

/**
 * A constraint across settings that `product` cannot say, or among a list's items. It is sent to the
 * editor as source text: write `test` as an arrow function that uses only its arguments (module
 * constants go in `constants`). `V`: the parsed value, a number or (numberList) the numbers.
 */
export interface SettingRule<V = number> {
  /** What the rule requires, for the docs. */
  readonly text: string;
  readonly constants: Readonly<Record<string, number>>;
  /** What is expected instead, or null; `other(field)` is another setting's parsed value. */
  readonly test: (value: V, other: (field: string) => unknown, constants: Readonly<Record<string, number>>) => string | null;
}

interface SettingBase {
  /** Editor label and the name users read in messages, without the unit ("Past m"). */
  readonly label: string;
  /** Unit as it reads after a number: 'samples', 's', '°', '°/s', 'ms', 'pairs', 'px'. */
  readonly unit?: string;
  /** Editor: a line under the field, always visible (nodes/shared/editor.ts), or the text beside a checkbox. */
  readonly hint?: string;
  /** CLI option name (without "--") where a `resu` command takes this setting. */
  readonly cli?: string;
  /** Used only under this condition; otherwise hidden in the editor, not checked, and the default applies. */
  readonly when?: SettingCondition;
}

export interface IntegerSetting extends SettingBase {
  readonly kind: 'integer';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly product?: ProductLimit;
  readonly rule?: SettingRule;
  /** The word "auto" is valid too (the value is then 'auto'); this says what it does. */
  readonly auto?: string;
  /** "auto" only under this condition (another setting's value); `why` is said when it does not hold. */
  readonly autoWhen?: SettingCondition & { readonly why: string };
}

export interface NumberSetting extends SettingBase {
  readonly kind: 'number';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** Exclude `min` itself (strictly positive quantities). */
  readonly exclusiveMin?: boolean;
  readonly rule?: SettingRule;
}

/** Numbers separated by commas (the editor's text, e.g. "20, 40, 80"), each in the range. */
export interface NumberListSetting extends SettingBase {
  readonly kind: 'numberList';
  /** As the editor shows it: "20, 40, 80". */
  readonly default: string;
  readonly min: number;
  readonly max: number;
  readonly exclusiveMin?: boolean;
  readonly maxItems: number;
  readonly product?: ProductLimit;
  readonly rule?: SettingRule<number[]>;
}

export interface BooleanSetting extends SettingBase {
  readonly kind: 'boolean';
  readonly default: boolean;
}

export interface ChoiceSetting extends SettingBase {
  readonly kind: 'choice';
  readonly default: string;
  /** [value, label shown in the editor's dropdown]. */
  readonly choices: readonly (readonly [string, string])[];
  /** Stored but not shown as its own form row (the type half of a TypedInput). */
  readonly hidden?: boolean;
}

export interface TextSetting extends SettingBase {
  readonly kind: 'text';
  readonly default: string;
  /** When active, an empty value is an error; this says what is expected instead. */
  readonly required?: string;
  /**
   * The editor offers a dropdown instead of free text: 'contextStores' lists the context stores
   * configured in settings.js (RED.settings.context.stores), '' being the default store.
   */
  readonly list?: 'contextStores';
}

/** A JSON array of finite numbers (filter taps, newest first); empty means "none". */
export interface TapsSetting extends SettingBase {
  readonly kind: 'taps';
  readonly default: '';
  readonly maxLength: number;
}

/** A number fixed in the editor, or read per message (TypedInput): `typeField` holds the type. */
export interface TypedNumberSetting extends SettingBase {
  readonly kind: 'typedNumber';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly typeField: string;
}

/**
 * A secret kept as a Node-RED credential (type password): in the encrypted credentials file, never
 * in the flow, its export or the editor's defaults. The runtime reads it from the node's
 * `credentials`; the editor shows a password field (holding "__PWRD__" for a stored one). Empty
 * means "none"; otherwise at least `minLength` characters, taken as typed (not trimmed).
 */
export interface CredentialSetting extends SettingBase {
  readonly kind: 'credential';
  readonly default: '';
  readonly minLength: number;
}

export type Setting = IntegerSetting | NumberSetting | NumberListSetting | BooleanSetting | ChoiceSetting | TextSetting | TapsSetting | TypedNumberSetting | CredentialSetting;
export type Settings = Readonly<Record<string, Setting>>;

type ValueOf<S> =
  S extends { kind: 'integer'; auto: string } ? number | 'auto'
  : S extends { kind: 'integer' | 'number' } ? number
  : S extends { kind: 'boolean' } ? boolean
  : S extends { kind: 'choice'; choices: readonly (readonly [infer T, string])[] } ? T
  : S extends { kind: 'text' | 'credential' } ? string
  : S extends { kind: 'taps' } ? number[] | null
  : S extends { kind: 'numberList' } ? number[]
  : S extends { kind: 'typedNumber' } ? number | string
  : never;

/** The parsed values of a node's settings: numbers, booleans, choice literals, strings, taps. */
export type SettingValues<S extends Settings> = { -readonly [K in keyof S]: ValueOf<S[K]> };

/** Declares a node's settings, keeping literal types (choices) for {@link SettingValues}. */
export function defineSettings<const S extends Settings>(settings: S): S {
  return settings;
}

export type RawConfig = Record<string, unknown>;

/**
 * Result of {@link readSetting}: the parsed value, or what was expected instead; `active` is false
 * when the setting's `when` does not hold (the editor hides its row, the CLI refuses its flag).
 */
export type SettingResult = { value: unknown; error?: undefined; active: boolean } | { error: string; value?: undefined; active: boolean };

/**
 * Checks and converts setting `name` of `settings`; `rawOf(field)` gives the stored value of any
 * setting of the node (a string from the editor's text fields, a boolean from a checkbox, a number
 * from a default, undefined if absent). Absent values and settings whose `when` does not hold take
 * the default. Other settings (conditions, product limits) count with their effective values.
 *
 * Runs in Node (runtime, CLI) and, as source text, in the editor: self-contained, plain ES2015+.
 */
export function readSetting(settings: Settings, name: string, rawOf: (field: string) => unknown, withoutRules = false): SettingResult {
  const format = (x: number): string => {
    if (x === 9007199254740991) return '2^53 − 1';
    const abs = Math.abs(x), plain = String(x), short = x.toExponential().replace('e+', 'e');
    return abs !== 0 && (abs >= 1e6 || abs < 1e-3) && short.length < plain.length ? short : plain;
  };
  const withUnit = (text: string, unit?: string): string => (unit ? `${text}${/^[°%]/.test(unit) ? '' : ' '}${unit}` : text);
  const isActive = (spec: Setting, depth: number): boolean => {
    if (!spec.when || depth > 8) return true;
    const value = effective(spec.when.field, depth + 1);
    return spec.when.is.indexOf(String(value)) >= 0;
  };
  const effective = (field: string, depth: number): unknown => {
    const spec = settings[field];
    const raw = rawOf(field);
    if (!spec) return raw;
    if (raw === undefined || raw === null || !isActive(spec, depth)) return spec.default;
    // an "auto" its condition does not allow is no choice (it is refused): the settings that apply
    // only to "auto" (Past m's largest P and criterion under the online rule) do not apply either
    const autoWhen = spec.kind === 'integer' ? spec.autoWhen : undefined;
    if (raw === 'auto' && autoWhen && depth <= 8 && autoWhen.is.indexOf(String(effective(autoWhen.field, depth + 1))) < 0) return spec.default;
    return raw;
  };
  // decimal notation only: Number() would also take "0x10", "0b1" and "" (as 0)
  const toNumber = (value: unknown): number => (typeof value === 'number' ? value
    : typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim()) ? Number(value.trim()) : Number.NaN);

  const listOf = (value: unknown): unknown[] | null => (typeof value === 'number' ? [value] : Array.isArray(value) ? value
    : typeof value === 'string' ? value.split(/[\s,;]+/).filter((x) => x !== '') : null);
  /** How much another setting counts in a product: its number, or its number of items. */
  const sizeOf = (field: string): number => {
    const value = effective(field, 0);
    return settings[field] && settings[field].kind === 'numberList' ? (listOf(value) ?? []).length : toNumber(value);
  };

  const spec = settings[name];
  const active = isActive(spec, 0);
  const raw = rawOf(name);
  const value = !active || raw === undefined || raw === null ? spec.default : raw;
  const fail = (expected: string): SettingResult => ({ error: expected, active });
  const pass = (parsed: unknown): SettingResult => ({ value: parsed, active });
  switch (spec.kind) {
    case 'integer':
    case 'number':
    case 'typedNumber': {
      if (spec.kind === 'typedNumber') {
        const type = effective(spec.typeField, 0);
        if (type !== 'num') return typeof value === 'string' && value.trim() !== '' ? pass(value.trim()) : fail(`a ${String(type)} property or expression`);
      }
      const integer = spec.kind === 'integer';
      const auto = spec.kind === 'integer' && spec.auto !== undefined;
      const exclusive = spec.kind === 'number' && spec.exclusiveMin === true;
      const low = exclusive ? `> ${format(spec.min)}` : `≥ ${format(spec.min)}`;
      const expected = withUnit(`${integer ? 'an integer' : 'a finite number'} ${low} and ≤ ${format(spec.max)}`, spec.unit) + (auto ? ', or "auto"' : '');
      if (auto && value === 'auto') {
        const when = spec.kind === 'integer' ? spec.autoWhen : undefined;
        if (!when || when.is.indexOf(String(effective(when.field, 0))) >= 0) return pass('auto');
        const control = settings[when.field];
        const values = when.is.map((v) => JSON.stringify(v)).join(' or ');
        return fail(`${expected}; "auto" only with ${control ? control.label.toLowerCase() : when.field} ${values} (${when.why})`);
      }
      const n = toNumber(value);
      if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || (exclusive ? n <= spec.min : n < spec.min) || n > spec.max) return fail(expected);
      // an unused setting keeps its default, whatever the others say
      if (spec.kind === 'integer' && spec.product && active) {
        const other = sizeOf(spec.product.field);
        if (Number.isInteger(other) && other > 0 && n * other > spec.product.max) {
          const label = settings[spec.product.field] ? settings[spec.product.field].label.toLowerCase() : spec.product.field;
          return fail(`${expected}, and at most ${Math.floor(spec.product.max / other)} for ${other} ${label} (${format(spec.product.max)} ${spec.product.what})`);
        }
      }
      if (spec.kind !== 'typedNumber' && spec.rule && !withoutRules && active) {
        // a field the declaration does not have (a command's subset of a node's settings) is undefined
        const broken = spec.rule.test(n, (field) => (settings[field] ? readSetting(settings, field, rawOf, true).value : undefined), spec.rule.constants);
        if (broken !== null) return fail(`${expected}, and ${broken}`);
      }
      return pass(n);
    }
    case 'numberList': {
      const exclusive = spec.exclusiveMin === true;
      const each = withUnit(`${exclusive ? '>' : '≥'} ${format(spec.min)} and ≤ ${format(spec.max)}`, spec.unit);
      const expected = `1 to ${spec.maxItems} numbers separated by commas, each ${each}`;
      const items = listOf(value);
      if (items === null || items.length === 0 || items.length > spec.maxItems) return fail(expected);
      const numbers = items.map(toNumber);
      if (numbers.some((x) => !Number.isFinite(x) || (exclusive ? x <= spec.min : x < spec.min) || x > spec.max)) return fail(expected);
      if (spec.product && active) {
        const other = sizeOf(spec.product.field);
        if (Number.isInteger(other) && other > 0 && numbers.length * other > spec.product.max) {
          const label = settings[spec.product.field] ? settings[spec.product.field].label.toLowerCase() : spec.product.field;
          return fail(`${expected}, and at most ${Math.floor(spec.product.max / other)} for ${other} ${label} (${format(spec.product.max)} ${spec.product.what})`);
        }
      }
      if (spec.rule && !withoutRules && active) {
        const broken = spec.rule.test(numbers, (field) => (settings[field] ? readSetting(settings, field, rawOf, true).value : undefined), spec.rule.constants);
        if (broken !== null) return fail(`${expected}, and ${broken}`);
      }
      return pass(numbers);
    }
    case 'boolean':
      if (value === true || value === 'true') return pass(true);
      if (value === false || value === 'false') return pass(false);
      return fail('true or false');
    case 'choice': {
      const allowed = spec.choices.map((choice) => choice[0]);
      return typeof value === 'string' && allowed.indexOf(value) >= 0 ? pass(value) : fail(`one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
    case 'text': {
      if (typeof value !== 'string') return fail('a string');
      const text = value.trim();
      return active && spec.required && text === '' ? fail(spec.required) : pass(text);
    }
    case 'taps': {
      const expected = `empty or a JSON array of 1 to ${spec.maxLength} finite numbers, newest tap first`;
      if (typeof value !== 'string') return fail(expected);
      if (value.trim() === '') return pass(null);
      let taps: unknown;
      try { taps = JSON.parse(value); } catch { return fail(expected); }
      const ok = Array.isArray(taps) && taps.length > 0 && taps.length <= spec.maxLength
        && taps.every((x) => typeof x === 'number' && Number.isFinite(x));
      return ok ? pass(taps) : fail(expected);
    }
    case 'credential':
      if (value === '') return pass('');
      return typeof value === 'string' && value.length >= spec.minLength ? pass(value) : fail(`empty, or a string of at least ${spec.minLength} characters`);
    default:
      return fail('a known kind of setting');
  }
}

/**
 * Parses a node's stored configuration once, in its constructor: `raw` is the node's configuration
 * (the flow), `credentials` the node's Node-RED credentials, the only place a credential setting is
 * read from. Throws a {@link ConfigError} naming the first bad setting and what it must be, the
 * text the editor shows on the red field; a credential is reported by its length, never its text.
 */
export function parseSettings<S extends Settings>(settings: S, raw: RawConfig, credentials?: unknown): SettingValues<S> {
  const secrets = (credentials ?? {}) as RawConfig;
  const rawOf = (field: string): unknown => (settings[field]?.kind === 'credential' ? secrets[field] : raw[field]);
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(settings)) {
    const result = readSetting(settings, name, rawOf);
    if (result.error !== undefined) {
      // an absent value is the default, which can still break a rule across settings
      const value = rawOf(name) ?? settings[name].default;
      throw new ConfigError(name, settings[name].kind === 'credential' && typeof value === 'string' ? `(${value.length} characters)` : value, result.error);
    }
    out[name] = result.value;
  }
  return out as SettingValues<S>;
}

/** Node-RED's `credentials` definition of a node type: its credential settings, as passwords. */
export function credentialsOf(settings: Settings): Record<string, { type: 'password' }> {
  const out: Record<string, { type: 'password' }> = {};
  for (const [name, spec] of Object.entries(settings)) if (spec.kind === 'credential') out[name] = { type: 'password' };
  return out;
}

/** The default values, as the runtime reads them (what an empty configuration gives). */
export function settingDefaults<S extends Settings>(settings: S): SettingValues<S> {
  return parseSettings(settings, {});
}
