/**
 * Fuzz suite (issue 8): every node type receives ≥ 10,000 seeded random messages mixing valid chunks
 * with malformed ones. Asserted: no uncaught exception or unhandled rejection; every message ends in
 * exactly one done() (counted by a Complete node) or done(err) (counted by a Catch node); the
 * messages that reach the Catch node are exactly the ones constructed to be invalid, each with an
 * error naming the problem; and the learners' (resu-cca, resu-t4) persisted statistics after the run
 * equal, bit for bit, those of a fresh node fed only the valid messages.
 */
import * as assert from 'assert';
import {
  createStatisticsMessage, fitToJSON, LaggedMoments, PastFutureLearner, Random, T4Layer,
} from '../../core';
import { helper, load, nodeModules, startServer, stopServer } from '../nodes/harness';
import {
  AnyMsg, Case, invalid, malformedChunk, nonArrayPayload, pick, REPEAT_ERROR, samples, SeriesModel, valid, weighted,
} from './generators';

const MESSAGES = 10_000;
const BATCH = 250; // below the queue cap (1000): no message is dropped for overflow
const SEED = 20260808;
const SINKS = { errors: 'fz-errors', ok: 'fz-ok' };

/** Sends the cases in batches; resolves with what reached the Catch and Complete nodes. */
async function feed(nodeId: string, cases: Case[], sinks: { errors: string; ok: string }) {
  const node = helper.getNode(nodeId);
  const errors: { id: number; message: string }[] = [];
  const completed: number[] = [];
  let target = 0;
  let wake: (() => void) | null = null;
  const check = (): void => {
    if (wake && errors.length + completed.length >= target) { const w = wake; wake = null; w(); }
  };
  helper.getNode(sinks.errors).on('input', (msg: AnyMsg) => {
    errors.push({ id: msg.fuzzId, message: String(msg.error?.message) });
    delete msg.payload; // the helper's spies keep every message: drop the big ones
    check();
  });
  helper.getNode(sinks.ok).on('input', (msg: AnyMsg) => { completed.push(msg.fuzzId); delete msg.payload; check(); });
  for (let i = 0; i < cases.length; i += BATCH) {
    const batch = cases.slice(i, i + BATCH);
    target = i + batch.length;
    const settled = new Promise<void>((resolve) => { wake = resolve; });
    batch.forEach((c, j) => { c.msg.fuzzId = i + j; node.receive(c.msg); });
    check();
    await settled;
    for (const c of batch) if (c.error) c.msg.payload = null; // release huge payloads
  }
  return { errors, completed };
}

/** Exactly the invalid cases reached the Catch node, once each, with an error naming the problem. */
function assertOutcome(cases: Case[], outcome: { errors: { id: number; message: string }[]; completed: number[] }): { invalid: number; valid: number } {
  const invalidIds = cases.flatMap((c, i) => (c.error ? [i] : []));
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const { id, message } of outcome.errors) {
    const c = cases[id];
    if (seen.has(id)) problems.push(`#${id} errored twice`);
    seen.add(id);
    if (!c) problems.push(`error for an unknown message: ${message}`);
    else if (!c.error) problems.push(`#${id} (${c.kind}, valid) was rejected: ${message}`);
    else if (!c.error.test(message)) problems.push(`#${id} (${c.kind}): "${message}" does not match ${c.error}`);
  }
  for (const id of invalidIds) if (!seen.has(id)) problems.push(`#${id} (${cases[id].kind}) should have been rejected`);
  const completed = new Set(outcome.completed);
  if (completed.size !== outcome.completed.length) problems.push('a message completed twice');
  for (const id of outcome.completed) if (cases[id]?.error) problems.push(`#${id} (${cases[id].kind}) completed but is invalid`);
  assert.deepStrictEqual(problems.slice(0, 20), []);
  assert.strictEqual(outcome.errors.length, invalidIds.length);
  assert.strictEqual(outcome.completed.length, cases.length - invalidIds.length);
  return { invalid: invalidIds.length, valid: cases.length - invalidIds.length };
}

/**
 * The subject node (and optionally a reference node) with one Catch and one Complete node over both
 * (the helper registers a core node type once per flow node, so each may appear only once).
 */
function fuzzFlow(type: string, config: AnyMsg, outputs: number, withReference = false): AnyMsg[] {
  const ids = (withReference ? ['subject', 'reference'] : ['subject']).map((role) => `fz-${type}-${role}`);
  return [
    ...ids.map((id) => ({ id, type, ...config, wires: Array.from({ length: outputs }, () => ['fz-out']) })),
    { id: 'fz-catcher', type: 'catch', scope: ids, uncaught: false, wires: [['fz-errors']] },
    { id: 'fz-completer', type: 'complete', scope: ids, uncaught: false, wires: [['fz-ok']] },
    { id: 'fz-errors', type: 'helper' },
    { id: 'fz-ok', type: 'helper' },
    { id: 'fz-out', type: 'helper' },
  ];
}

function stateOf(nodeId: string, key: string): string {
  const value = helper.getNode(nodeId).context().get(key);
  assert.ok(value, `${nodeId} persisted its state under ${key}`);
  return JSON.stringify(value);
}

const counts: Record<string, { invalid: number; valid: number }> = {};

describe('fuzz: every node type survives 10,000 seeded random messages', function () {
  this.timeout(120000);
  const crashes: unknown[] = [];
  const onCrash = (err: unknown): void => { crashes.push(err); };
  before(function () { process.on('uncaughtException', onCrash); process.on('unhandledRejection', onCrash); });
  after(function () {
    process.removeListener('uncaughtException', onCrash);
    process.removeListener('unhandledRejection', onCrash);
    console.log(`      fuzz counts (invalid/valid): ${Object.entries(counts).map(([t, c]) => `${t} ${c.invalid}/${c.valid}`).join(', ')}`); // eslint-disable-line no-console
  });
  beforeEach(startServer);
  afterEach(stopServer);
  afterEach(function () { assert.deepStrictEqual(crashes.map(String), [], 'no uncaught exception or unhandled rejection'); });

  it('resu-cca: rejects exactly the invalid messages; statistics equal those of the valid messages alone, bit for bit', async function () {
    const rng = new Random(SEED);
    const cases = ccaCases(rng);
    await load(nodeModules('resu-cca'), fuzzFlow('resu-cca', {
      pooling: 'joint', channels: 2, pastLags: 3, futureLags: 2, solveEveryPairs: 0, persist: true, store: '', checkpointS: 0,
    }, 3, true));
    const outcome = await feed('fz-resu-cca-subject', cases, SINKS);
    counts['resu-cca'] = assertOutcome(cases, outcome);
    const replay = cases.filter((c) => !c.error).map((c) => valid(c.replay!, c.kind));
    const reference = await feed('fz-resu-cca-reference', replay, SINKS);
    assert.strictEqual(reference.errors.length, 0, reference.errors[0]?.message);
    const subject = JSON.parse(stateOf('fz-resu-cca-subject', 'resu-cca-state'));
    assert.ok(subject.moments.pairs > 200, `learned ${subject.moments.pairs} pairs (enough that the comparison below is not vacuous)`);
    assert.strictEqual(stateOf('fz-resu-cca-subject', 'resu-cca-state'), stateOf('fz-resu-cca-reference', 'resu-cca-state'));
  });

  it('resu-t4: rejects exactly the invalid messages; statistics equal those of the valid messages alone, bit for bit', async function () {
    const rng = new Random(SEED + 1);
    const cases = t4Cases(rng);
    await load(nodeModules('resu-t4'), fuzzFlow('resu-t4', { delay: 1, component: 2, solveEveryPairs: 0, persist: true, store: '', checkpointS: 0 }, 2, true));
    const outcome = await feed('fz-resu-t4-subject', cases, SINKS);
    counts['resu-t4'] = assertOutcome(cases, outcome);
    const replay = cases.filter((c) => !c.error).map((c) => valid(c.replay!, c.kind));
    const reference = await feed('fz-resu-t4-reference', replay, SINKS);
    assert.strictEqual(reference.errors.length, 0, reference.errors[0]?.message);
    const subject = JSON.parse(stateOf('fz-resu-t4-subject', 'resu-t4-state'));
    assert.ok(subject.moments.pairs > 1000, `learned ${subject.moments.pairs} pairs`);
    assert.strictEqual(stateOf('fz-resu-t4-subject', 'resu-t4-state'), stateOf('fz-resu-t4-reference', 'resu-t4-state'));
  });

  for (const type of ['resu-unit', 'resu-l3'] as const) {
    it(`${type}: rejects exactly the invalid messages`, async function () {
      const rng = new Random(SEED + (type === 'resu-unit' ? 2 : 3));
      // resu-unit takes θ from each message (msg.theta), so bad per-message parameters are fuzzed too
      const perMessage = type === 'resu-unit';
      const cases = unitCases(rng, perMessage);
      await load(nodeModules(type), fuzzFlow(type, { taps: '[0.5, 0.3, 0.2]', component: 2, ...(perMessage ? { threshold: 'theta', thresholdType: 'msg' } : {}) }, 1));
      counts[type] = assertOutcome(cases, await feed(`fz-${type}-subject`, cases, SINKS));
    });
  }

  it('resu-noise (add mode): rejects exactly the invalid messages', async function () {
    const rng = new Random(SEED + 4);
    const cases: Case[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      const kind = weighted(rng, { chunk: 50, malformed: 35, nonArray: 10, reset: 1 });
      if (kind === 'chunk') {
        const channels = 1 + rng.integer(4);
        cases.push(valid({ payload: samples(rng, channels, 1 + rng.integer(8), true), topic: pick(rng, ['a', 'b']) }, kind));
      } else if (kind === 'malformed') cases.push(malformedChunk(rng, 1 + rng.integer(4), {}, { bigChannels: true }));
      else if (kind === 'nonArray') cases.push(nonArrayPayload(rng));
      else cases.push(valid({ reset: true }, kind));
    }
    await load(nodeModules('resu-noise'), fuzzFlow('resu-noise', { mode: 'add', sd: 0.1, seed: 3 }, 1));
    counts['resu-noise'] = assertOutcome(cases, await feed('fz-resu-noise-subject', cases, SINKS));
  });

  it('resu-scanner: rejects exactly the invalid commands (path-like message properties are ignored)', async function () {
    const rng = new Random(SEED + 5);
    const cases: Case[] = [];
    const COMMAND_ERROR = /msg\.command must be "start", "stop" or "reset"/;
    for (let i = 0; i < MESSAGES; i++) {
      const kind = weighted(rng, { command: 10, payloadCommand: 3, bare: 3, pathOverride: 2, badCommand: 5, badPayload: 3 });
      if (kind === 'command') cases.push(valid({ command: pick(rng, ['start', 'stop', 'reset', 'stop']) }, kind));
      else if (kind === 'payloadCommand') cases.push(valid({ payload: pick(rng, ['start', 'stop', 'reset']) }, kind));
      else if (kind === 'bare') cases.push(valid(pick(rng, [{}, { payload: 5 }, { payload: [1, 2] }, { reset: true }, { command: null }]), kind));
      else if (kind === 'pathOverride') cases.push(valid({ command: 'start', imagePath: '/etc/passwd', filename: '/etc/shadow', path: '/', source: 'image' }, kind));
      else if (kind === 'badCommand') cases.push(invalid({ command: pick(rng, ['go', '', 'START', 5, {}, true, []]) }, COMMAND_ERROR, kind));
      else cases.push(invalid({ payload: pick(rng, ['launch', '', 'scan /etc/passwd']) }, COMMAND_ERROR, kind));
    }
    await load(nodeModules('resu-scanner'), fuzzFlow('resu-scanner', {
      source: 'deadLeaves', pixels: 3, chunkLength: 5, maxDurationS: 0.05, dtS: 0.01, sceneWidth: 64, sceneHeight: 2,
    }, 1));
    counts['resu-scanner'] = assertOutcome(cases, await feed('fz-resu-scanner-subject', cases, SINKS));
  });

  it('resu-grating: rejects exactly the invalid messages', async function () {
    const rng = new Random(SEED + 6);
    const cases: Case[] = [];
    const COMMAND_ERROR = /msg\.command must be "start", "stop" or "reset"/;
    for (let i = 0; i < MESSAGES; i++) {
      const kind = weighted(rng, { response: 50, malformed: 30, command: 2, bare: 2, badCommand: 5, badPayload: 3 });
      if (kind === 'response') {
        const series = pick(rng, ['probe/preferred', 'probe/null', 'row-0']);
        cases.push(valid({ payload: samples(rng, 1 + rng.integer(3), 1 + rng.integer(8), true), chunk: { series, endOfSeries: rng.uniform() < 0.05 } }, kind));
      } else if (kind === 'malformed') cases.push(malformedChunk(rng, 1 + rng.integer(3), { chunk: { series: 'probe/preferred' } }, { bigChannels: true }));
      else if (kind === 'command') cases.push(valid({ command: pick(rng, ['start', 'stop', 'reset']) }, kind));
      else if (kind === 'bare') cases.push(valid(pick(rng, [{}, { payload: null }, { payload: 42 }, { reset: true }, { payload: { a: 1 } }]), kind));
      else if (kind === 'badCommand') cases.push(invalid({ command: pick(rng, ['go', 'probe', 7, {}]) }, COMMAND_ERROR, kind));
      else cases.push(invalid({ payload: pick(rng, ['begin', 'abc']) }, COMMAND_ERROR, kind));
    }
    await load(nodeModules('resu-grating'), fuzzFlow('resu-grating', {
      probe: 'edge', pixels: 3, samplesPerSpacing: 2, segmentLength: 10, riseSamples: 2, segments: 2, chunkLength: 20,
    }, 2));
    counts['resu-grating'] = assertOutcome(cases, await feed('fz-resu-grating-subject', cases, SINKS));
  });
});

const CHANNEL_COUNT_ERROR = /msg\.payload has \d+ channels?; this node expects 2/;
const SWITCH_ERROR = /msg\.(learning|solve|applying) must be true or false/;
const STATISTICS_ERROR = /msg\.payload is not usable statistics/;
const FILTERS_ERROR = /msg\.payload is not a valid filters message/;

/** resu-cca (joint pooling, 2 channels, m = 3, h = 2). */
function ccaCases(rng: Random): Case[] {
  const model = new SeriesModel();
  let learning = true;
  const cases: Case[] = [];
  const other = new LaggedMoments({ channels: 2, pastLags: 4, futureLags: 2 });
  other.update([[1, 2, 3, 4, 5, 6, 7], [0, 1, 0, 1, 0, 1, 0]]);
  const same = new LaggedMoments({ channels: 2, pastLags: 3, futureLags: 2 });
  const chunk = (series: string, start: number | null, extra: AnyMsg = {}): AnyMsg => ({
    payload: samples(rng, 2, 1 + rng.integer(8)), topic: series,
    chunk: { series, ...(start === null ? {} : { startSample: start }), ...extra },
  });
  for (let i = 0; i < MESSAGES - 1; i++) {
    const series = pick(rng, ['cca-a', 'cca-b', 'cca-c']);
    const kind = weighted(rng, {
      chunk: 50, untrained: 2, malformed: 20, nonArray: 4, repeat: 5, channels: 4, badSwitch: 4, goodSwitch: 2, publish: 1, statistics: 3, reset: 0.1,
    });
    switch (kind) {
      case 'chunk': {
        const start = model.start(rng, series);
        const end = rng.uniform() < 0.03;
        const msg = chunk(series, start, { endOfSeries: end });
        if (learning) model.advance(series, start, msg.payload[0].length, end);
        cases.push(valid(msg, kind));
        break;
      }
      case 'untrained': cases.push(valid(chunk(series, model.start(rng, series), { train: false }), kind)); break;
      case 'malformed': cases.push(malformedChunk(rng, 2, { topic: series })); break;
      case 'nonArray': cases.push(nonArrayPayload(rng)); break;
      case 'repeat': {
        const start = learning ? model.repeat(rng, series) : null;
        if (start === null) { i--; break; }
        cases.push(invalid(chunk(series, start), REPEAT_ERROR, kind));
        break;
      }
      case 'channels': {
        const count = pick(rng, [1, 3, 5]);
        cases.push(invalid({ payload: samples(rng, count, 4), topic: series }, CHANNEL_COUNT_ERROR, kind));
        break;
      }
      case 'badSwitch': {
        const name = pick(rng, ['learning', 'solve', 'publish']);
        const msg: AnyMsg = { [name]: pick(rng, ['yes', 1, null, 0, {}]) };
        if (rng.uniform() < 0.5) Object.assign(msg, chunk(series, model.start(rng, series)));
        cases.push(invalid(msg, name === 'publish' ? /msg\.publish must be true/ : SWITCH_ERROR, kind));
        break;
      }
      case 'goodSwitch': {
        learning = rng.uniform() < 0.7;
        cases.push(valid({ learning }, kind));
        break;
      }
      case 'publish': cases.push(valid({ publish: true }, kind)); break;
      case 'statistics': {
        const bad = pick(rng, [
          () => createStatisticsMessage('peer-1', 1, 'cca', other),
          () => createStatisticsMessage('peer-2', 1, 't4', same),
          () => ({ ...createStatisticsMessage('peer-3', 1, 'cca', same), version: 2 }),
          () => ({ ...createStatisticsMessage('peer-4', 1, 'cca', same), sequence: -1 }),
          () => ({ ...createStatisticsMessage('peer-5', 1, 'cca', same), moments: 'garbage' }),
          () => ({ ...createStatisticsMessage('', 1, 'cca', same) }),
        ])();
        cases.push(invalid({ topic: 'statistics', payload: bad }, STATISTICS_ERROR, kind));
        break;
      }
      case 'reset': model.clear(); cases.push(valid({ reset: true }, kind)); break;
    }
  }
  cases.push(valid({ solve: true }, 'solve'));
  return cases;
}

/** resu-t4 (delay 1): three rows of 3, 4 and 5 pixels; L1 and L3 halves of a pair in random order. */
function t4Cases(rng: Random): Case[] {
  const PIXELS: Record<string, number> = { 'row-a': 3, 'row-b': 4, 'row-c': 5 };
  const model = new SeriesModel();
  const pending = new Map<string, { signal: 'L1' | 'L3'; start: number | null; length: number; end: boolean }>();
  let learning = true;
  const cases: Case[] = [];
  const half = (series: string, signal: string, start: number | null, length: number, end: boolean, pixels = PIXELS[series]): AnyMsg => ({
    payload: samples(rng, pixels, length), topic: series,
    chunk: { series, signal, ...(start === null ? {} : { startSample: start }), endOfSeries: end },
  });
  const t4Fit = (() => {
    const layer = new T4Layer({ delay: 1 });
    const l = Array.from({ length: 3 }, () => Float64Array.from({ length: 200 }, () => rng.gaussian()));
    layer.learn(l, l.map((c) => c.map((x) => x * 0.5 + rng.gaussian())));
    return fitToJSON(layer.solve().fit);
  })();
  const t4Moments = new T4Layer({ delay: 1 }).statistics;
  const otherDelay = new T4Layer({ delay: 3 }).statistics;
  const scalarFit = (() => {
    const learner = new PastFutureLearner({ pastLags: 3, futureLags: 3 });
    learner.update(Array.from({ length: 300 }, () => rng.gaussian()));
    return fitToJSON(learner.solve());
  })();
  for (let i = 0; i < MESSAGES - 1; i++) {
    const series = pick(rng, Object.keys(PIXELS));
    const kind = weighted(rng, {
      pair: 60, malformed: 15, nonArray: 3, repeat: 4, mismatch: 3, signal: 3, fewPixels: 2, badSwitch: 3, goodSwitch: 1.5, badFilters: 2, goodFilters: 0.5, statistics: 2,
    });
    const open = pending.get(series);
    switch (kind) {
      case 'pair': {
        if (open) {
          const signal = open.signal === 'L1' ? 'L3' : 'L1';
          cases.push(valid(half(series, signal, open.start, open.length, open.end), kind));
          pending.delete(series);
          if (learning) model.advance(series, open.start, open.length, open.end);
        } else {
          const start = model.start(rng, series);
          const length = 1 + rng.integer(8);
          const end = rng.uniform() < 0.03;
          const signal = rng.uniform() < 0.5 ? 'L1' : 'L3';
          cases.push(valid(half(series, signal, start, length, end), kind));
          pending.set(series, { signal, start, length, end });
        }
        break;
      }
      case 'malformed': cases.push(malformedChunk(rng, PIXELS[series], { topic: series, chunk: { series, signal: pick(rng, ['L1', 'L3']) } }, { bigChannels: true })); break;
      case 'nonArray': cases.push(nonArrayPayload(rng)); break;
      case 'repeat': {
        const start = learning ? model.repeat(rng, series) : null;
        if (start === null) { i--; break; }
        cases.push(invalid(half(series, pick(rng, ['L1', 'L3']), start, 1 + rng.integer(4), false), REPEAT_ERROR, kind));
        break;
      }
      case 'mismatch': {
        if (!open) { i--; break; }
        const signal = open.signal === 'L1' ? 'L3' : 'L1';
        cases.push(invalid(half(series, signal, open.start, open.length, open.end, PIXELS[series] + 1 + rng.integer(2)),
          /msg\.payload has \d+ pixel channels; the pending chunks of series "row-\w" have \d+/, kind));
        break;
      }
      case 'signal': {
        const msg = half(series, pick(rng, ['L2', 'T4', 'contrast']), null, 3, false);
        if (rng.uniform() < 0.3) delete msg.chunk.signal;
        cases.push(invalid(msg, /msg\.chunk\.signal must be "L1" or "L3"/, kind));
        break;
      }
      case 'fewPixels': {
        const pixels = 1 + rng.integer(2);
        cases.push(invalid(half(series, 'L1', null, 3, false, pixels), new RegExp(`msg\\.payload has ${pixels} pixel channels; T4 needs at least 3`), kind));
        break;
      }
      case 'badSwitch': {
        const name = pick(rng, ['learning', 'applying', 'solve']);
        const msg: AnyMsg = { [name]: pick(rng, ['on', 1, null, {}]) };
        if (rng.uniform() < 0.5 && !open) Object.assign(msg, half(series, 'L1', model.start(rng, series), 2, false));
        cases.push(invalid(msg, SWITCH_ERROR, kind));
        break;
      }
      case 'goodSwitch': {
        if (rng.uniform() < 0.5) {
          const next = rng.uniform() < 0.7;
          if (learning && !next) model.clear(); // a pause forgets series positions
          learning = next;
          cases.push(valid({ learning }, kind));
        } else cases.push(valid({ applying: rng.uniform() < 0.7 }, kind));
        break;
      }
      case 'badFilters': {
        const which = rng.integer(3);
        if (which === 0) cases.push(invalid({ topic: 'filters', payload: scalarFit }, /filters message spans 1 channels × 3 lags; T4 weights need 6 channels × 1 lag/, kind));
        else if (which === 1) cases.push(invalid({ topic: 'filters', payload: { ...t4Fit, version: 99 } }, FILTERS_ERROR, kind));
        else cases.push(invalid({ topic: 'filters', payload: { ...t4Fit, pastFilters: [[1, 2, NaN, 4, 5, 6], ...t4Fit.pastFilters.slice(1)] } }, FILTERS_ERROR, kind));
        break;
      }
      case 'goodFilters': cases.push(valid({ topic: 'filters', payload: t4Fit }, kind)); break;
      case 'statistics': {
        const bad = pick(rng, [
          () => createStatisticsMessage('peer-1', 1, 'cca', t4Moments), // a learner's, not a T4's
          () => createStatisticsMessage('peer-2', 1, 't4', otherDelay), // another delay
          () => ({ ...createStatisticsMessage('peer-3', 1, 't4', t4Moments), version: 0 }),
          () => ({ ...createStatisticsMessage('peer-4', 2.5, 't4', t4Moments) }),
        ])();
        cases.push(invalid({ topic: 'statistics', payload: bad }, STATISTICS_ERROR, kind));
        break;
      }
    }
  }
  cases.push(valid({ solve: true }, 'solve'));
  return cases;
}

/**
 * resu-unit / resu-l3 (fixed taps, ψ2 from filters messages): three series of 1, 2 and 4 channels.
 * With `theta`, every chunk carries θ in msg.theta and some carry a bad one.
 */
function unitCases(rng: Random, theta = false): Case[] {
  const CHANNELS: Record<string, number> = { 'u-a': 1, 'u-b': 2, 'u-c': 4 };
  const model = new SeriesModel();
  const cases: Case[] = [];
  const fit = (options: { pastLags: number; futureLags: number; pooling?: 'joint'; channels?: number }) => {
    const learner = new PastFutureLearner(options);
    const c = options.channels ?? 1;
    learner.update(Array.from({ length: c }, () => Array.from({ length: 400 }, () => rng.gaussian())));
    return fitToJSON(learner.solve());
  };
  const good3 = fit({ pastLags: 3, futureLags: 3 }), good5 = fit({ pastLags: 5, futureLags: 3 });
  const rank1 = fit({ pastLags: 1, futureLags: 1 }), joint = fit({ pastLags: 3, futureLags: 3, pooling: 'joint', channels: 2 });
  const longTaps = { ...good3, pastLags: 1001, pastFilters: good3.pastFilters.map(() => new Array(1001).fill(0.001)) };
  for (let i = 0; i < MESSAGES; i++) {
    const series = pick(rng, Object.keys(CHANNELS));
    const kind = weighted(rng, { chunk: 55, malformed: 22, nonArray: 5, repeat: 6, goodFilters: 2, badFilters: 4, reset: 0.2, badTheta: theta ? 5 : 0 });
    const extra = theta ? { theta: rng.uniform() } : {};
    switch (kind) {
      case 'chunk': {
        const start = model.start(rng, series);
        const length = 1 + rng.integer(8);
        const end = rng.uniform() < 0.03;
        model.advance(series, start, length, end);
        cases.push(valid({ payload: samples(rng, CHANNELS[series], length, true), topic: series, chunk: { ...(start === null ? {} : { startSample: start }), endOfSeries: end }, ...extra }, kind));
        break;
      }
      case 'badTheta': {
        const msg: AnyMsg = { payload: samples(rng, CHANNELS[series], 3, true), topic: series, chunk: { startSample: model.start(rng, series) ?? undefined } };
        if (rng.uniform() < 0.8) msg.theta = pick(rng, [-0.5, 'high', NaN, null, {}, [1], Infinity, '']);
        cases.push(invalid(msg, /threshold \(msg theta\) must be a finite number ≥ 0/, kind));
        break;
      }
      case 'malformed': cases.push(malformedChunk(rng, CHANNELS[series], { topic: series, ...extra }, { bigChannels: true })); break;
      case 'nonArray': cases.push(nonArrayPayload(rng)); break;
      case 'repeat': {
        const start = model.repeat(rng, series);
        if (start === null) { i--; break; }
        cases.push(invalid({ payload: samples(rng, CHANNELS[series], 2), topic: series, chunk: { startSample: start }, ...extra }, REPEAT_ERROR, kind));
        break;
      }
      case 'goodFilters': cases.push(valid({ topic: 'filters', payload: rng.uniform() < 0.5 ? good3 : good5 }, kind)); break;
      case 'badFilters': {
        const which = rng.integer(5);
        if (which === 0) cases.push(invalid({ payload: rank1 }, /filters message has 1 filters; this unit uses ψ2/, kind));
        else if (which === 1) cases.push(invalid({ payload: joint }, /filters span 2 channels; a layer-1 unit needs single-channel/, kind));
        else if (which === 2) cases.push(invalid({ payload: { ...good3, version: '1' } }, FILTERS_ERROR, kind));
        else if (which === 3) cases.push(invalid({ payload: { ...good3, pastFilters: [[1, 2]] } }, FILTERS_ERROR, kind));
        else cases.push(invalid({ payload: longTaps }, /filters\.pastLags must be an integer ≥ 1 and ≤ 1000 \(got 1001\)/, kind));
        break;
      }
      case 'reset': model.clear(); cases.push(valid({ reset: true }, kind)); break;
    }
  }
  return cases;
}
