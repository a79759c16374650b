/**
 * `resu learn [FILE|-] --past M|auto --future H [--gap G] [--rank K] [--center] [--ridge E] [--max-past P] [--rule batch|online] [--rate R]`
 * Reads one sample per line (columns = channels), prints one JSON object: the fit as filters messages carry it
 * (core/serialize.ts fitToJSON, plus gap and rule; a resu-unit or resu-l3 node takes it as msg.payload) and
 * the earlier keys rho, filters, mi, miBits, samples;
 * with `--past auto` (one column) also `memory`: the chosen order, the criterion curve and I(m) (docs/memory.md).
 * `--rule online` learns the same filters with the online rule (core/onlineCca.ts, docs/online-learning.md);
 * it needs a fixed `--past M`: `--past auto` with `--rule online` is a usage error.
 */
import * as fs from 'fs';
import {
  CcaFit, ConfigError, DEFAULT_MAX_PAST_LAGS, fitToJSON, LaggedMoments, MAX_JOINT_DIMENSION, MAX_LAGS, memoryToJSON, OnlinePastFutureCca,
  PastFutureLearner, requireFinite, requireInt, requireOneOf, ResuError, solvePastFutureCca,
} from '../core';
import { parseArgs, UsageError } from './args';
import { readNumberTable } from './table';

export const LEARN_USAGE =
  'usage: resu learn [FILE|-] --past M|auto --future H [--gap G] [--rank K] [--center] [--ridge E] [--max-past P] [--rule batch|online] [--rate R]';

export async function learnCommand(argv: readonly string[], io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<number> {
  const { options, positionals } = parseArgs(argv, {
    past: { type: 'string' }, future: { type: 'integer' }, 'max-past': { type: 'integer' }, gap: { type: 'integer' }, rank: { type: 'integer' },
    ridge: { type: 'number' }, center: { type: 'flag' }, rule: { type: 'string' }, rate: { type: 'number' }, help: { type: 'flag' },
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
  const rule = requireOneOf('--rule', options.rule ?? 'batch', ['batch', 'online']);
  // the online rule's filters have a fixed length from the first sample on, while --past auto picks m only after
  // reading the whole input: choose m with --past auto first, then learn online with that --past M
  if (rule === 'online' && automatic) {
    throw new UsageError('--past auto applies to --rule batch (the online rule learns filters of a fixed length from the first sample): run --rule batch --past auto first, then --rule online --past M with the pastLags it printed');
  }
  if (rule === 'online' && options.ridge !== undefined) throw new UsageError('--ridge applies to --rule batch (the online rule has no moment matrices to regularize)');
  if (rule === 'batch' && options.rate !== undefined) throw new UsageError('--rate applies to --rule online');
  if (options.ridge !== undefined) requireFinite('--ridge', options.ridge, { min: 0, max: 1 });
  const rate = options.rate === undefined ? undefined : requireFinite('--rate', options.rate, { min: 0, exclusiveMin: true, max: 1 });
  const name = source === '-' ? 'stdin' : source;
  const ridge = options.ridge as number | undefined;
  const rank = options.rank as number | undefined;
  const center = options.center === true;
  let learner: { update(chunk: Float64Array[]): unknown; fit(): CcaFit } | null = null;
  let automaticLearner: PastFutureLearner | null = null;
  const table = await readNumberTable(input, name, (columns) => {
    if (automatic) {
      if (columns.length !== 1) throw new ResuError(`${name}: --past auto needs one column (got ${columns.length}): the choice models one scalar process; give --past M for several channels`);
      const auto = new PastFutureLearner({ pastLags: 'auto', futureLags, gap, center, memory: { maxPastLags }, cca: { ridge } });
      automaticLearner = auto;
      learner = { update: (chunk) => auto.update(chunk[0]), fit: () => auto.solve({ ridge, rank }) };
    } else if (rule === 'online') {
      const online = new OnlinePastFutureCca({ channels: columns.length, pastLags, futureLags, gap, center, rank, learningRate: rate });
      learner = { update: (chunk) => online.update(chunk), fit: () => online.fit() };
    } else {
      const moments = new LaggedMoments({ channels: columns.length, pastLags, futureLags, gap, center });
      learner = { update: (chunk) => moments.update(chunk), fit: () => solvePastFutureCca(moments, { ridge, rank }) };
    }
  }, (chunk) => { learner!.update(chunk); });
  if (!learner || table.rows < pastLags + gap + futureLags) {
    const what = automatic ? `--max-past + gap + future = ${pastLags + gap + futureLags} (lower --max-past)` : `past + gap + future = ${pastLags + gap + futureLags}`;
    throw new ResuError(`${name}: ${table.rows} samples is too few for ${what}`);
  }
  const fit = (learner as { fit(): CcaFit }).fit();
  const memory = automaticLearner ? (automaticLearner as PastFutureLearner).memory : null;
  // the fit as a "filters" message carries it (fitToJSON, with gap as the learner node adds it), so this
  // output is a unit's filters as it stands; the online rule forms no Rp or Rf: its condition numbers are
  // NaN, printed as null
  const filters = fitToJSON(fit);
  const result = {
    ...filters,
    gap,
    rule,
    // the keys printed before the fit format, kept for scripts reading them
    rho: filters.correlations,
    filters: filters.pastFilters,
    mi: filters.mutualInformationNats,
    miBits: filters.mutualInformationBits,
    samples: fit.pairs,
    ...(memory ? { memory: memoryToJSON(memory) } : {}),
  };
  io.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}
