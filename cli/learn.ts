/**
 * `resu learn [FILE|-] [--past M|auto] [--future H] [--gap G] [--rank K] [--center] [--ridge E] [--max-past P] [--rule batch|online] [--rate R]`
 * Reads one sample per line (columns = channels), prints one JSON object: the fit as filters messages carry it
 * (core/serialize.ts fitToJSON, plus gap and rule; a resu-unit or resu-l3 node takes it as msg.payload) and
 * the earlier keys rho, filters, mi, miBits, samples;
 * with `--past auto` (one column) also `memory`: the chosen order, the criterion curve and I(m) (docs/memory.md).
 * `--rule online` learns the same filters with the online rule (core/onlineCca.ts, docs/online-learning.md);
 * it needs a fixed `--past M`: `--past auto` with `--rule online` is a usage error.
 * Every option but --rank is a declared setting (LEARN_SETTINGS in nodes/shared/config.ts: the CCA
 * learner node's own, plus the automatic past length and the learning rule), with its default and range.
 */
import * as fs from 'fs';
import { CcaFit, fitToJSON, LaggedMoments, memoryToJSON, OnlinePastFutureCca, PastFutureLearner, requireInt, ResuError, solvePastFutureCca } from '../core';
import { LEARN_SETTINGS } from '../nodes/shared/config';
import { parseArgs, readSettingFlags, settingHelp, settingOptions, UsageError } from './args';
import { readNumberTable } from './table';

export const LEARN_USAGE =
  'usage: resu learn [FILE|-] [--past M|auto] [--future H] [--gap G] [--rank K] [--center] [--ridge E] [--max-past P] [--rule batch|online] [--rate R]';

const HELP = `${LEARN_USAGE}

Learns past–future CCA filters from a table of numbers (one sample per line, columns = channels,
"#" lines skipped) and prints one JSON object: the fit as a learner node's filters message carries
it (format resu-cca-fit), plus gap, rule and the earlier keys rho, filters, mi, miBits, samples; with
--past auto also memory (the chosen order, the criterion curve and I(m)). --past auto is a batch
option: run it first, then give the pastLags it printed to --rule online --past M.

${settingHelp(LEARN_SETTINGS).join('\n')}
  --rank K            keep the K strongest directions (default all; 2 with --rule online)`;

export async function learnCommand(argv: readonly string[], io: { stdin: NodeJS.ReadableStream; stdout: NodeJS.WritableStream }): Promise<number> {
  const { options, positionals } = parseArgs(argv, { ...settingOptions(LEARN_SETTINGS), rank: { type: 'integer' }, help: { type: 'flag' } });
  if (options.help) { io.stdout.write(`${HELP}\n`); return 0; }
  if (positionals.length > 1) throw new UsageError(`expected at most one input file (got ${positionals.length})`);
  const { pastLags: past, futureLags, gap, center, rule, ridge, learningRate, maxPastLags } = readSettingFlags(LEARN_SETTINGS, options);
  const automatic = past === 'auto';
  // with 'auto' the moments are kept at P lags (core/learner.ts)
  const pastLags = automatic ? maxPastLags : past;
  if (options.rank !== undefined) requireInt('--rank', options.rank, { min: 1 });
  const source = positionals[0] ?? '-';
  const input = source === '-' ? io.stdin : fs.createReadStream(source);
  const name = source === '-' ? 'stdin' : source;
  const rank = options.rank as number | undefined;
  let learner: { update(chunk: Float64Array[]): unknown; fit(): CcaFit } | null = null;
  let automaticLearner: PastFutureLearner | null = null;
  const table = await readNumberTable(input, name, (columns) => {
    if (automatic) {
      if (columns.length !== 1) throw new ResuError(`${name}: --past auto needs one column (got ${columns.length}): the choice models one scalar process; give --past M for several channels`);
      const auto = new PastFutureLearner({ pastLags: 'auto', futureLags, gap, center, memory: { maxPastLags }, cca: { ridge } });
      automaticLearner = auto;
      learner = { update: (chunk) => auto.update(chunk[0]), fit: () => auto.solve({ ridge, rank }) };
    } else if (rule === 'online') {
      const online = new OnlinePastFutureCca({ channels: columns.length, pastLags, futureLags, gap, center, rank, learningRate });
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
