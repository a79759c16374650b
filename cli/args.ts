/**
 * Minimal, strict argument parsing for the `resu` CLI: `--name value`, `--flag`, positionals.
 * Unknown options and malformed values are errors (one line, exit code 2).
 */
import { ConfigError } from '../core/errors';

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
