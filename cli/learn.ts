/**
 * `resu learn [FILE|-] --past M --future H [--gap G] [--rank K] [--center] [--ridge E]`
 * Reads one sample per line (columns = channels), prints one JSON object with rho, filters, mi, samples.
 */
import * as fs from 'fs';
import { LaggedMoments, solvePastFutureCca, ResuError } from '../core';
import { parseArgs, UsageError } from './args';
import { readNumberTable } from './table';

export const LEARN_USAGE = 'usage: resu learn [FILE|-] --past M --future H [--gap G] [--rank K] [--center] [--ridge E] [--series-column]';

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
  const pastLags = options.past as number, futureLags = options.future as number, gap = (options.gap as number | undefined) ?? 0;
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
