/**
 * `resu learn [FILE|-] --past M|auto --future H [--gap G] [--rank K] [--center] [--ridge E] [--max-past P]`
 * Reads one sample per line (columns = channels), prints one JSON object with rho, filters, mi, samples;
 * with `--past auto` (one column) also `memory`: the chosen order, the criterion curve and I(m) (docs/memory.md).
 */
import * as fs from 'fs';
import {
  ConfigError, DEFAULT_MAX_PAST_LAGS, LaggedMoments, MAX_JOINT_DIMENSION, MAX_LAGS, memoryToJSON, PastFutureLearner,
  requireFinite, requireInt, solvePastFutureCca, ResuError,
} from '../core';
import { parseArgs, UsageError } from './args';
import { readNumberTable } from './table';

export const LEARN_USAGE = 'usage: resu learn [FILE|-] --past M|auto --future H [--gap G] [--rank K] [--center] [--ridge E] [--max-past P]';

export async function learnCommand(argv: readonly string[], io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<number> {
  const { options, positionals } = parseArgs(argv, {
    past: { type: 'string' }, future: { type: 'integer' }, 'max-past': { type: 'integer' }, gap: { type: 'integer' }, rank: { type: 'integer' },
    ridge: { type: 'number' }, center: { type: 'flag' }, help: { type: 'flag' },
  });
  if (options.help) { io.stdout.write(`${LEARN_USAGE}\n`); return 0; }
  if (options.past === undefined || options.future === undefined) throw new UsageError(`--past and --future are required (${LEARN_USAGE})`);
  if (positionals.length > 1) throw new UsageError(`expected at most one input file (got ${positionals.length})`);
  const source = positionals[0] ?? '-';
  const input = source === '-' ? io.stdin : fs.createReadStream(source);
  // checked here so the message names the option as typed (--past), not the library's field (pastLags)
  const automatic = options.past === 'auto';
  const pastText = options.past as string;
  if (!automatic && (pastText.trim() === '' || !Number.isFinite(Number(pastText)))) throw new ConfigError('--past', pastText, 'an integer or "auto"');
  const futureLags = requireInt('--future', options.future, { min: 1, max: MAX_LAGS });
  const maxPastLags = requireInt('--max-past', options['max-past'] ?? DEFAULT_MAX_PAST_LAGS, { min: 1, max: Math.min(MAX_LAGS, MAX_JOINT_DIMENSION - futureLags) });
  if (options['max-past'] !== undefined && !automatic) throw new UsageError('--max-past applies to --past auto');
  const pastLags = automatic ? maxPastLags : requireInt('--past', Number(pastText), { min: 1, max: MAX_LAGS });
  const gap = requireInt('--gap', options.gap ?? 0, { min: 0, max: MAX_LAGS });
  if (options.rank !== undefined) requireInt('--rank', options.rank, { min: 1 });
  if (options.ridge !== undefined) requireFinite('--ridge', options.ridge, { min: 0, max: 1 });
  const name = source === '-' ? 'stdin' : source;
  const ridge = options.ridge as number | undefined;
  let moments: LaggedMoments | null = null;
  let learner: PastFutureLearner | null = null;
  const table = await readNumberTable(input, name, (columns) => {
    if (automatic && columns.length !== 1) throw new ResuError(`${name}: --past auto needs one column (got ${columns.length}): the choice models one scalar process; give --past M for several channels`);
    if (automatic) learner = new PastFutureLearner({ pastLags: 'auto', futureLags, gap, center: options.center === true, memory: { maxPastLags }, cca: { ridge } });
    else moments = new LaggedMoments({ channels: columns.length, pastLags, futureLags, gap, center: options.center === true });
  }, (chunk) => { if (learner) learner.update(chunk[0]); else moments!.update(chunk); });
  if ((!moments && !learner) || table.rows < pastLags + gap + futureLags) {
    const what = automatic ? `--max-past + gap + future = ${pastLags + gap + futureLags} (lower --max-past)` : `past + gap + future = ${pastLags + gap + futureLags}`;
    throw new ResuError(`${name}: ${table.rows} samples is too few for ${what}`);
  }
  const rank = options.rank as number | undefined;
  const fit = learner ? (learner as PastFutureLearner).solve({ ridge, rank }) : solvePastFutureCca(moments!, { ridge, rank });
  const memory = learner ? (learner as PastFutureLearner).memory : null;
  const result = {
    rho: Array.from(fit.correlations),
    filters: fit.pastFilters.map((row) => Array.from(row)),
    mi: Array.from(fit.mutualInformationNats),
    samples: fit.pairs,
    channels: fit.channels,
    pastLags: fit.pastLags, futureLags, gap,
    futureDirections: fit.futureDirections.map((row) => Array.from(row)),
    miBits: Array.from(fit.mutualInformationBits),
    conditionNumber: fit.conditionNumber,
    warnings: fit.warnings,
    ...(memory ? { memory: memoryToJSON(memory) } : {}),
  };
  io.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
