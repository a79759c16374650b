/**
 * Minimal, strict argument parsing for the `resu` CLI: `--name value`, `--flag`, positionals.
 * Unknown options and malformed values are errors (one line, exit code 2).
 */
import { ConfigError } from '../core/errors';
import { readSetting, Setting, Settings, SettingValues } from '../nodes/shared/settings';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  /** 'number' | 'integer' | 'string' | 'flag'; repeatable collects an array of strings. */
  readonly type: 'number' | 'integer' | 'string' | 'flag';
  readonly repeatable?: boolean;
}

export interface ParsedArgs {
  readonly options: Record<string, number | string | boolean | string[]>;
  readonly positionals: string[];
}

export function parseArgs(argv: readonly string[], spec: Record<string, OptionSpec>): ParsedArgs {
  const options: Record<string, number | string | boolean | string[]> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-' || !arg.startsWith('--')) { positionals.push(arg); continue; }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    const option = spec[name];
    if (!option) throw new UsageError(`unknown option --${name}`);
    if (option.type === 'flag') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      options[name] = true;
      continue;
    }
    const raw = inline ?? argv[++i];
    if (raw === undefined) throw new UsageError(`--${name} needs a value`);
    if (option.type === 'string') {
      if (option.repeatable) options[name] = [...((options[name] as string[] | undefined) ?? []), raw];
      else options[name] = raw;
      continue;
    }
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || (option.type === 'integer' && !Number.isInteger(value))) {
      throw new ConfigError(`--${name}`, raw, option.type === 'integer' ? 'an integer' : 'a finite number');
    }
    options[name] = value;
  }
  return { options, positionals };
}

/**
 * Options for the node settings that declare a CLI flag (nodes/shared/config.ts): each takes its
 * value as text, checked later by {@link readSettingFlags} exactly as the node checks it; a boolean
 * setting is a flag with a `--no-` form.
 */
export function settingOptions(settings: Settings): Record<string, OptionSpec> {
  const options: Record<string, OptionSpec> = {};
  for (const spec of Object.values(settings)) {
    if (!spec.cli) continue;
    if (spec.kind === 'boolean') {
      options[spec.cli] = { type: 'flag' };
      options[`no-${spec.cli}`] = { type: 'flag' };
    } else {
      options[spec.cli] = { type: 'string' }; // as typed: readSetting parses it, as it parses the editor's text
    }
  }
  return options;
}

/**
 * The settings' values from parsed CLI options (the default where a flag is not given), checked by
 * the node's own `readSetting`; a bad value is a ConfigError naming the flag. `context` sets
 * settings the command fixes itself (e.g. the scanner's source). A flag whose setting does not
 * apply in this context is a UsageError.
 */
export function readSettingFlags<S extends Settings>(settings: S, options: ParsedArgs['options'], context: Record<string, unknown> = {}): SettingValues<S> {
  const raw: Record<string, unknown> = { ...context };
  const given = new Set<string>();
  for (const [name, spec] of Object.entries(settings)) {
    if (!spec.cli) continue;
    if (spec.kind === 'boolean') {
      if (options[spec.cli] && options[`no-${spec.cli}`]) throw new UsageError(`--${spec.cli} and --no-${spec.cli} contradict each other`);
      if (options[spec.cli]) raw[name] = true;
      if (options[`no-${spec.cli}`]) raw[name] = false;
    } else if (options[spec.cli] !== undefined) {
      raw[name] = options[spec.cli];
    }
    if (raw[name] !== undefined && !(name in context)) given.add(name);
  }
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(settings)) {
    const result = readSetting(settings, name, (field) => raw[field]);
    const flag = spec.cli ? `--${spec.cli}` : name;
    if (given.has(name) && !result.active) {
      const when = spec.when!;
      const control = settings[when.field];
      // "--max-past applies to --past auto" where the other setting has a flag
      if (control?.cli) throw new UsageError(`${flag} applies to ${when.is.map((v) => `--${control.cli} ${v}`).join(' or ')}`);
      const text = control?.kind === 'choice' ? when.is.map((v) => control.choices.find((c) => c[0] === v)?.[1] ?? v).join(' or ') : when.is.join(' or ');
      throw new UsageError(`${flag} applies only when ${control ? control.label.toLowerCase() : when.field} is ${text}`);
    }
    const autoWhen = spec.kind === 'integer' ? spec.autoWhen : undefined;
    if (result.error !== undefined && autoWhen && raw[name] === 'auto' && settings[autoWhen.field]?.cli) {
      // "auto" is valid, but not with the other setting's value: "--past auto applies to --rule batch (…)"
      throw new UsageError(`${flag} auto applies to ${autoWhen.is.map((v) => `--${settings[autoWhen.field].cli} ${v}`).join(' or ')} (${autoWhen.why})`);
    }
    if (result.error !== undefined) {
      // a default can fail a rule across settings (--max-past 200 with --future 900)
      const value = raw[name] ?? spec.default;
      const shown = typeof value === 'string' && /^\s*-?[\d.]+(e[+-]?\d+)?\s*$/i.test(value) && Number.isFinite(Number(value)) ? Number(value) : value;
      throw new ConfigError(flag, shown, result.error);
    }
    values[name] = result.value;
  }
  return values as SettingValues<S>;
}

const METAVARS: Record<string, string> = { '°': 'DEG', '°/s': 'DEG_PER_S', s: 'S', ms: 'MS', samples: 'N', pairs: 'N', px: 'PX' };

/** `--help` lines for the settings with a CLI flag: flag, value, label, range, default. */
export function settingHelp(settings: Settings, width = 20): string[] {
  const lines: string[] = [];
  /** "; only with --past auto" for a setting used only when another flagged setting has certain values. */
  const condition = (spec: Setting): string => {
    const control = spec.when ? settings[spec.when.field] : undefined;
    return control?.cli ? `; only with --${control.cli} ${spec.when!.is.join('|')}` : '';
  };
  const describe = (spec: Setting): string => {
    switch (spec.kind) {
      case 'boolean': return `${spec.hint ?? spec.label}${condition(spec)} (default ${spec.default ? `on; --no-${spec.cli} turns it off` : 'off'})`;
      case 'choice': return `${spec.label}: ${spec.choices.map(([value, text]) => (text.startsWith(value) ? text : `${value} (${text})`)).join(' or ')}${condition(spec)} (default ${spec.default})`;
      default: {
        const range = readSetting({ probe: { ...spec, when: undefined } as Setting }, 'probe', () => Number.NaN).error ?? '';
        const auto = spec.kind === 'integer' && spec.auto ? ` (${spec.auto})` : '';
        const rule = (spec.kind === 'integer' || spec.kind === 'number' || spec.kind === 'numberList') && spec.rule ? `, ${spec.rule.text}` : '';
        return `${spec.label}: ${range}${auto}${rule}${spec.hint ? `; ${spec.hint}` : ''}${condition(spec)} (default ${spec.default})`;
      }
    }
  };
  for (const spec of Object.values(settings)) {
    if (!spec.cli) continue;
    const metavar = spec.kind === 'boolean' ? '' : spec.kind === 'choice' ? ` ${spec.choices.map((c) => c[0]).join('|')}`
      : ` ${METAVARS[spec.unit ?? ''] ?? (spec.kind === 'integer' ? 'N' : 'X')}${spec.kind === 'integer' && spec.auto ? '|auto' : ''}`;
    const head = `--${spec.cli}${metavar}`;
    lines.push(`  ${head.length + 2 > width ? `${head}  ` : head.padEnd(width)}${describe(spec)}`);
  }
  return lines;
}

/**
 * Renames the fields of a core ConfigError to the CLI options that set them (`flags`: core field →
 * option name), so "spacingDeg must be …" reads "--spacing must be …". Composite fields such as
 * "pixels × spacingDeg" are renamed word by word; an indexed field "rows[3]" becomes its option.
 */
export function renameFields(err: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!(err instanceof ConfigError)) return err;
  const field = err.field.replace(/[A-Za-z]\w*(\[\d+\])?/g, (token) => {
    const name = token.replace(/\[\d+\]$/, '');
    return flags[name] ? `--${flags[name]}` : token;
  });
  return field === err.field ? err : new ConfigError(field, err.value, err.expected);
}

/** Core field → CLI option for every setting that declares a flag. */
export function settingFlagNames(settings: Settings): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [name, spec] of Object.entries(settings)) if (spec.cli) names[name] = spec.cli;
  return names;
}
