/**
 * `resu learn [FILE|-] --past M --future H [--gap G] [--rank K] [--center] [--ridge E]`
 * Reads one sample per line (columns = channels), prints one JSON object with rho, filters, mi, samples.
 */
import * as fs from 'fs';
import { LaggedMoments, MAX_LAGS, requireFinite, requireInt, solvePastFutureCca, ResuError } from '../core';
import { parseArgs, UsageError } from './args';
import { readNumberTable } from './table';

export const LEARN_USAGE = 'usage: resu learn [FILE|-] --past M --future H [--gap G] [--rank K] [--center] [--ridge E]';

export async function learnCommand(argv: readonly string[], io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<number> {
  const { options, positionals } = parseArgs(argv, {
    past: { type: 'integer' }, future: { type: 'integer' }, gap: { type: 'integer' }, rank: { type: 'integer' },
    ridge: { type: 'number' }, center: { type: 'flag' }, help: { type: 'flag' },
  });
  if (options.help) { io.stdout.write(`${LEARN_USAGE}\n`); return 0; }
  if (options.past === undefined || options.future === undefined) throw new UsageError(`--past and --future are required (${LEARN_USAGE})`);
  if (positionals.length > 1) throw new UsageError(`expected at most one input file (got ${positionals.length})`);
  const source = positionals[0] ?? '-';
  const input = source === '-' ? io.stdin : fs.createReadStream(source);
  // checked here so the message names the option as typed (--past), not the library's field (pastLags)
  const pastLags = requireInt('--past', options.past, { min: 1, max: MAX_LAGS });
  const futureLags = requireInt('--future', options.future, { min: 1, max: MAX_LAGS });
  const gap = requireInt('--gap', options.gap ?? 0, { min: 0, max: MAX_LAGS });
  if (options.rank !== undefined) requireInt('--rank', options.rank, { min: 1 });
  if (options.ridge !== undefined) requireFinite('--ridge', options.ridge, { min: 0, max: 1 });
  let moments: LaggedMoments | null = null;
  const table = await readNumberTable(input, source === '-' ? 'stdin' : source, (columns) => {
    moments = new LaggedMoments({ channels: columns.length, pastLags, futureLags, gap, center: options.center === true });
  }, (chunk) => { moments!.update(chunk); });
  if (!moments || table.rows < pastLags + gap + futureLags) {
    throw new ResuError(`${source === '-' ? 'stdin' : source}: ${table.rows} samples is too few for past + gap + future = ${pastLags + gap + futureLags}`);
  }
  const fit = solvePastFutureCca(moments, {
    ridge: options.ridge as number | undefined,
    rank: options.rank as number | undefined,
  });
  const result = {
    rho: Array.from(fit.correlations),
    filters: fit.pastFilters.map((row) => Array.from(row)),
    mi: Array.from(fit.mutualInformationNats),
    samples: fit.pairs,
    channels: fit.channels,
    pastLags, futureLags, gap,
    futureDirections: fit.futureDirections.map((row) => Array.from(row)),
    miBits: Array.from(fit.mutualInformationBits),
    conditionNumber: fit.conditionNumber,
    warnings: fit.warnings,
  };
  io.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
