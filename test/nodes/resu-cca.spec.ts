import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cosineSimilarity, LinearStateSpace, OnlinePastFutureCca, PAPER_OU_PRESET, PastFutureLearner, Random } from '../../core';
import { simulateAr } from '../helpers/oracles';
import { ar1, AnyMsg, catchAll, collect, helper, load, nextStatus, nodeModules, startServer, stopServer, statusMatching } from './harness';

const modules = nodeModules('resu-cca', 'resu-unit');

function learnerFlow(config: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    { id: 'learner', type: 'resu-cca', pastLags: 3, futureLags: 2, solveEveryPairs: 0, wires: [['filters'], ['chart'], [], ['rho-chart']], ...config },
    { id: 'filters', type: 'helper' },
    { id: 'chart', type: 'helper' },
    { id: 'rho-chart', type: 'helper' },
    ...catchAll(),
  ];
}

describe('resu-cca node', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('loads with its defaults', async function () {
    await load(modules, [{ id: 'learner', type: 'resu-cca' }]);
    const node = helper.getNode('learner');
    assert.strictEqual(node.type, 'resu-cca');
  });

  it('learns the AR(1) filter: rho1 ≈ a and psi1 ≈ (1/sqrt(gamma0), 0, 0)', async function () {
    await load(modules, learnerFlow());
    const a = 0.7;
    const series = ar1(40000, a, 11);
    const filters = collect('filters', 1);
    const learner = helper.getNode('learner');
    for (let i = 0; i < series.length; i += 1000) learner.receive({ payload: series.slice(i, i + 1000) });
    learner.receive({ solve: true });
    const [msg] = await filters;
    assert.strictEqual(msg.payload.format, 'resu-cca-fit');
    // SE of a sample correlation ≈ (1 − ρ²)/√N ≈ 0.0026 at N = 4e4: 5 SE
    assert.ok(Math.abs(msg.payload.correlations[0] - a) < 0.013, `rho1 ${msg.payload.correlations[0]}`);
    const gamma0 = 1 / (1 - a * a);
    assert.ok(Math.abs(msg.payload.pastFilters[0][0] - 1 / Math.sqrt(gamma0)) < 0.02);
    assert.ok(Math.abs(msg.payload.pastFilters[0][1]) < 0.03);
    assert.strictEqual(msg.payload.pairs, series.length - 5 + 1);
  });

  it('gives the same filters for one big chunk and many small ones', async function () {
    await load(modules, [
      { id: 'big', type: 'resu-cca', pastLags: 4, futureLags: 3, solveEveryPairs: 0, wires: [['out'], []] },
      { id: 'small', type: 'resu-cca', pastLags: 4, futureLags: 3, solveEveryPairs: 0, wires: [['out'], []] },
      { id: 'out', type: 'helper' },
    ]);
    const series = ar1(5000, -0.5, 3);
    const out = collect('out', 2);
    helper.getNode('big').receive({ payload: series });
    const small = helper.getNode('small');
    for (let i = 0; i < series.length; i += 7) small.receive({ payload: series.slice(i, i + 7) });
    helper.getNode('big').receive({ solve: true });
    small.receive({ solve: true });
    const [first, second] = await out;
    first.payload.correlations.forEach((rho: number, i: number) => assert.ok(Math.abs(rho - second.payload.correlations[i]) < 1e-12));
    first.payload.pastFilters.flat().forEach((tap: number, i: number) => assert.ok(Math.abs(tap - second.payload.pastFilters.flat()[i]) < 1e-9));
  });

  it('pools the channels of a multi-pixel chunk as independent series', async function () {
    await load(modules, [
      { id: 'pooled', type: 'resu-cca', pastLags: 2, futureLags: 1, solveEveryPairs: 0, wires: [['out'], []] },
      { id: 'serial', type: 'resu-cca', pastLags: 2, futureLags: 1, solveEveryPairs: 0, wires: [['out'], []] },
      { id: 'out', type: 'helper' },
    ]);
    const x = ar1(3000, 0.6, 5), y = ar1(3000, 0.6, 6);
    const out = collect('out', 2);
    helper.getNode('pooled').receive({ payload: [x, y] });
    helper.getNode('serial').receive({ payload: x, topic: 'x' });
    helper.getNode('serial').receive({ payload: y, topic: 'y' });
    helper.getNode('pooled').receive({ solve: true });
    helper.getNode('serial').receive({ solve: true });
    const [a, b] = await out;
    assert.strictEqual(a.payload.pairs, 2 * (3000 - 2));
    assert.strictEqual(a.payload.pairs, b.payload.pairs);
    a.payload.correlations.forEach((rho: number, i: number) => assert.ok(Math.abs(rho - b.payload.correlations[i]) < 1e-12));
  });

  it('rejects bad input through done(err) and keeps its statistics', async function () {
    await load(modules, learnerFlow());
    const learner = helper.getNode('learner');
    const series = ar1(2000, 0.5, 9);
    const bad: Record<string, unknown>[] = [
      { payload: 'hello' }, { payload: [1, NaN, 2] }, { payload: [] }, { payload: [[1, 2], [3]] }, { payload: null },
      { payload: [1, 2, Infinity] }, { payload: [[1, 2], 'x'] }, { payload: { a: 1 } }, { solve: 'yes' },
      { payload: [1, 2], chunk: { startSample: -1 } },
    ];
    const errors = collect('errors', bad.length);
    learner.receive({ payload: series });
    for (const msg of bad) learner.receive(msg);
    const caught = await errors;
    const messages = caught.map((m) => m.error.message as string);
    assert.match(messages[0], /msg\.payload must be an array/);
    assert.match(messages[1], /msg\.payload\[1\] must be a finite number \(got NaN\)/);
    assert.match(messages[2], /empty/);
    assert.match(messages[3], /different lengths/);
    assert.match(messages[9], /startSample/);
    const filters = collect('filters', 1);
    learner.receive({ solve: true });
    const [msg] = await filters;
    assert.strictEqual(msg.payload.pairs, 2000 - 5 + 1);
  });

  it('reset drops the statistics and sends nothing; solving with no data reports an error', async function () {
    await load(modules, learnerFlow());
    const learner = helper.getNode('learner');
    const errors = collect('errors', 1);
    learner.receive({ payload: ar1(100, 0.5, 1) });
    learner.receive({ reset: true });
    learner.receive({ solve: true });
    const [err] = await errors;
    assert.match(err.error.message, /no \(past, future\) pair/);
  });

  it('solves automatically every K pairs and sends one filter-chart and one ρ-chart message per solve', async function () {
    await load(modules, learnerFlow({ solveEveryPairs: 1000 }));
    const learner = helper.getNode('learner');
    const filters = collect('filters', 2);
    const chart = collect('chart', 2);
    const rhoChart = collect('rho-chart', 2);
    const series = ar1(2100, 0.5, 2);
    for (let i = 0; i < series.length; i += 100) learner.receive({ payload: series.slice(i, i + 100) });
    const msgs = await filters;
    assert.ok(msgs[0].payload.pairs >= 1000 && msgs[1].payload.pairs >= 2000);
    const [charts, rhoCharts] = await Promise.all([chart, rhoChart]);
    // each chart message carries the whole chart (a ui-chart replace clears all its series), from the same fit
    for (const [k, fit] of msgs.map((m) => m.payload).entries()) {
      assert.deepStrictEqual(charts[k], {
        topic: 'ψ', action: 'replace', _msgid: charts[k]._msgid,
        payload: fit.pastFilters.flatMap((taps: number[], i: number) => taps.map((y, lag) => ({ x: lag === 0 ? 0 : -lag, y, series: `ψ${i + 1}` }))),
      });
      assert.deepStrictEqual(rhoCharts[k], {
        topic: 'ρ', action: 'replace', _msgid: rhoCharts[k]._msgid,
        payload: fit.correlations.map((y: number, i: number) => ({ x: i + 1, y, series: 'ρ' })),
      });
    }
    assert.deepStrictEqual([...new Set(charts[0].payload.map((p: { series: string }) => p.series))], ['ψ1', 'ψ2']); // rank min(m, h) = 2
  });

  it('ill-conditioned solves: a yellow status with the hint, and the warning once per spell, not per solve', async function () {
    await load(modules, learnerFlow({ pastLags: 4, futureLags: 2, solveEveryPairs: 500 }));
    const learner = helper.getNode('learner');
    const illWarnings = (): string[] => helper.log().args
      .map((args: AnyMsg[]) => args[0]).filter((entry: AnyMsg) => entry?.level === 30 && /ill-conditioned/.test(String(entry.msg))).map((entry: AnyMsg) => String(entry.msg));
    // a pure sinusoid: every past vector lies in a 2-D subspace, so the 4×4 Rp has rank 2 (condition
    // number at round-off, ≫ 1e12), whatever the amount of data
    const sine = (from: number, length: number): number[] => Array.from({ length }, (_, i) => Math.sin(0.3 * (from + i)));
    /** The status after everything sent so far (a control message makes the node show its status again). */
    const statusNow = (): Promise<AnyMsg> => { const shown = nextStatus('learner'); learner.receive({ learning: true }); return shown; };
    let solves = collect('filters', 4);
    for (let i = 0; i < 5; i++) learner.receive({ payload: sine(500 * i, 500) }); // solves at 995, 1495, 1995 and 2495 pairs
    await solves;
    let status = await statusNow();
    assert.strictEqual(status.fill, 'yellow');
    assert.strictEqual(status.shape, 'ring');
    assert.match(status.text ?? '', /^ill-conditioned: add noise · 2.5k pairs · ρ1 1\.000$/); // the whole status fits (≤ 60 characters)
    const first = illWarnings();
    assert.strictEqual(first.length, 1, JSON.stringify(first)); // four solves, one warning
    assert.match(first[0], /Rp is ill-conditioned \(condition number .* > 1e12\).*Add observation noise before the learner/);
    // noise ends the spell: Rp gets full rank (its smallest eigenvalue ≈ the noise's share), the status is green again
    solves = collect('filters', 1);
    learner.receive({ payload: ar1(5000, 0.5, 9) });
    await solves;
    status = await statusNow();
    assert.deepStrictEqual({ fill: status.fill, hint: /ill-conditioned/.test(status.text ?? '') }, { fill: 'green', hint: false });
    // a new spell (after msg.reset) warns once more
    learner.receive({ reset: true });
    solves = collect('filters', 2);
    for (let i = 0; i < 3; i++) learner.receive({ payload: sine(500 * i, 500) });
    await solves;
    assert.strictEqual(illWarnings().length, 2);
  });

  it('solves at the end of a source\'s run on the pairs since the last solve (msg.chunk.endOfRun), not with automatic solving off', async function () {
    await load(modules, [
      ...learnerFlow({ solveEveryPairs: 1000 }),
      { id: 'on-request', type: 'resu-cca', pastLags: 3, futureLags: 2, solveEveryPairs: 0, wires: [['requested']] },
      { id: 'requested', type: 'helper' },
    ]);
    const series = ar1(2300, 0.5, 12);
    const solves = collect('filters', 3);
    const requested = collect('requested', 1);
    for (const id of ['learner', 'on-request']) {
      // 23 chunks of 100 samples of one series: m + h − 1 = 4 samples give no pair, so 100k − 4 pairs after chunk k
      for (let k = 0; k < 23; k++) helper.getNode(id).receive({ payload: series.slice(100 * k, 100 * (k + 1)), chunk: { series: 'run', startSample: 100 * k, endOfSeries: k === 22, endOfRun: k === 22 } });
    }
    helper.getNode('on-request').receive({ solve: true });
    // every 1000 pairs (after chunks 11 and 21), then on the run's last chunk: all 2296 pairs
    const fits = await solves;
    assert.deepStrictEqual(fits.map((m) => m.payload.pairs), [1096, 2096, 2296]);
    // only the solve that includes the whole run says so (a flow starts its next stage on it)
    assert.deepStrictEqual(fits.map((m) => m.endOfRun), [undefined, undefined, true]);
    // Solve every 0 (on request only): the end of the run solves nothing, the first fit is the requested one
    const [onRequest] = await requested;
    assert.deepStrictEqual([onRequest.payload.pairs, onRequest.endOfRun], [2296, undefined]);
  });

  it('freezes with msg.learning = false', async function () {
    await load(modules, learnerFlow());
    const learner = helper.getNode('learner');
    const filters = collect('filters', 1);
    learner.receive({ payload: ar1(500, 0.5, 4) });
    learner.receive({ learning: false });
    learner.receive({ payload: ar1(500, 0.5, 5) });
    learner.receive({ solve: true });
    const [msg] = await filters;
    assert.strictEqual(msg.payload.pairs, 500 - 5 + 1);
  });

  it('reports a configuration error without crashing', async function () {
    await load(modules, [{ id: 'learner', type: 'resu-cca', pastLags: 0, wires: [[], []] }, ...catchAll()]);
    const errors = collect('errors', 1);
    helper.getNode('learner').receive({ payload: [1, 2, 3] });
    const [err] = await errors;
    assert.match(err.error.message, /pastLags must be an integer ≥ 1/);
  });
});

describe('resu-cca statistics (learning across devices)', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('an aggregator fed two devices\' snapshots gives the filters of one learner fed both streams', async function () {
    const config = { pastLags: 4, futureLags: 3, solveEveryPairs: 0 };
    await load(modules, [
      { id: 'device-a', type: 'resu-cca', ...config, sourceId: 'a', wires: [[], [], ['aggregator']] },
      { id: 'device-b', type: 'resu-cca', ...config, sourceId: 'b', wires: [[], [], ['aggregator']] },
      { id: 'aggregator', type: 'resu-cca', ...config, sourceId: 'agg', wires: [['merged'], [], []] },
      { id: 'single', type: 'resu-cca', ...config, wires: [['reference'], [], []] },
      { id: 'merged', type: 'helper' }, { id: 'reference', type: 'helper' },
      ...catchAll(),
    ]);
    const x = ar1(4000, 0.6, 21), y = ar1(3000, -0.4, 22);
    const merged = collect('merged', 2);
    const reference = collect('reference', 1);
    helper.getNode('device-a').receive({ payload: x, topic: 'x' });
    helper.getNode('device-b').receive({ payload: y, topic: 'y' });
    helper.getNode('device-a').receive({ publish: true });
    helper.getNode('device-b').receive({ publish: true });
    helper.getNode('single').receive({ payload: x, topic: 'x' });
    helper.getNode('single').receive({ payload: y, topic: 'y' });
    helper.getNode('single').receive({ solve: true });
    const fits = await merged;
    const [ref] = await reference;
    const last = fits[1].payload;
    assert.strictEqual(last.pairs, ref.payload.pairs);
    assert.strictEqual(last.peers, 2);
    last.correlations.forEach((rho: number, i: number) => assert.ok(Math.abs(rho - ref.payload.correlations[i]) < 1e-9));
    last.pastFilters.flat().forEach((tap: number, i: number) => assert.ok(Math.abs(tap - ref.payload.pastFilters.flat()[i]) < 1e-7));
  });

  it('ignores a repeated snapshot and rejects one of another configuration', async function () {
    await load(modules, [
      { id: 'device', type: 'resu-cca', pastLags: 4, futureLags: 3, solveEveryPairs: 0, sourceId: 'd', wires: [[], [], ['snapshots']] },
      { id: 'odd', type: 'resu-cca', pastLags: 5, futureLags: 3, solveEveryPairs: 0, sourceId: 'o', wires: [[], [], ['snapshots']] },
      { id: 'aggregator', type: 'resu-cca', pastLags: 4, futureLags: 3, solveEveryPairs: 0, wires: [['merged'], [], []] },
      { id: 'snapshots', type: 'helper' }, { id: 'merged', type: 'helper' },
      ...catchAll(),
    ]);
    const snapshots = collect('snapshots', 2);
    helper.getNode('device').receive({ payload: ar1(500, 0.5, 1) });
    helper.getNode('device').receive({ publish: true });
    helper.getNode('odd').receive({ payload: ar1(500, 0.5, 2) });
    helper.getNode('odd').receive({ publish: true });
    const [good, bad] = await snapshots;
    const merged = collect('merged', 1);
    const errors = collect('errors', 1);
    const aggregator = helper.getNode('aggregator');
    aggregator.receive({ payload: good.payload });
    aggregator.receive({ payload: good.payload });
    aggregator.receive({ payload: bad.payload });
    const [err] = await errors;
    assert.match(err.error.message, /pastLags/);
    aggregator.receive({ solve: true });
    const fits = await merged;
    assert.strictEqual(fits[0].payload.pairs, 500 - 7 + 1);
  });
});

/** AR(3) of test/core/memory.spec.ts (partial autocorrelations 0.6, −0.5, 0.4): BIC's order is 3. */
const AR3 = [1.1, -0.86, 0.4];
/** AR(2) of the same list. */
const AR2 = [0.9, -0.5];

/** Sends `series` in chunks of `size` to node `id` as series `topic`. */
function feed(id: string, series: ArrayLike<number>, topic = 'stream', size = 5000): void {
  const node = helper.getNode(id);
  for (let i = 0; i < series.length; i += size) node.receive({ topic, payload: Array.from(series).slice(i, i + size) });
}

describe('resu-cca learned memory (pastLags "auto", issue 18)', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('chooses the order p of an AR(p) stream: status, filters message (the CLI\'s names) and m-tap filters', async function () {
    await load(modules, learnerFlow({ pastLags: 'auto', futureLags: 10 })); // P = 200, the core default
    const x = simulateAr(new Random(3), AR3, 100_000);
    const filters = collect('filters', 1);
    const status = statusMatching('learner', /m = \d+ \(BIC\)/);
    feed('learner', x);
    helper.getNode('learner').receive({ solve: true });
    const [msg] = await filters;
    const { memory } = msg.payload;
    assert.strictEqual(memory.criterion, 'bic');
    assert.strictEqual(memory.order, 3);
    assert.strictEqual(memory.pastLags, 3);
    assert.strictEqual(memory.maxPastLags, 200);
    assert.strictEqual(msg.payload.pastLags, 3);
    assert.ok(msg.payload.pastFilters.every((row: number[]) => row.length === 3));
    assert.strictEqual(memory.criterionValues.length, 201);
    assert.strictEqual(memory.informationNats.length, 200);
    // an AR(3) carries all its information in 3 past samples: the corrected curve saturates there
    assert.ok(memory.saturation95 <= 3 && memory.saturation99 <= 3, `${memory.saturation95} / ${memory.saturation99}`);
    assert.match(await status, /m = 3 \(BIC\)/);
  });

  it('AIC on request: the reported curve is ln σ²_p + 2p/N', async function () {
    await load(modules, learnerFlow({ pastLags: 'auto', maxPastLags: 30, criterion: 'aic', futureLags: 5 }));
    const filters = collect('filters', 1);
    feed('learner', simulateAr(new Random(4), AR3, 30_000));
    helper.getNode('learner').receive({ solve: true });
    const [{ payload: { memory } }] = await filters;
    assert.strictEqual(memory.criterion, 'aic');
    assert.strictEqual(memory.maxPastLags, 30);
    memory.criterionValues.forEach((value: number, p: number) => {
      const expected = Math.log(memory.innovationVariances[p]) + (2 * p) / memory.effectiveSamples;
      assert.ok(Math.abs(value - expected) < 1e-12, `p ${p}`);
    });
  });

  it('follows a change of process (forgetting): m goes 2 → 3 and a ReSU unit takes the longer filter unchanged', async function () {
    await load(modules, [
      { id: 'learner', type: 'resu-cca', pastLags: 'auto', maxPastLags: 20, futureLags: 2, timeConstantSamples: 20000, solveEveryPairs: 0, wires: [['filters', 'unit'], []] },
      { id: 'unit', type: 'resu-unit', component: 1, polarity: 'on', wires: [['out']] },
      { id: 'filters', type: 'helper' }, { id: 'out', type: 'helper' },
      ...catchAll(),
    ]);
    const learner = helper.getNode('learner');
    const filters = collect('filters', 2);
    feed('learner', simulateAr(new Random(40), AR2, 60_000), 'a');
    learner.receive({ solve: true });
    feed('learner', simulateAr(new Random(41), AR3, 150_000), 'b');
    learner.receive({ solve: true });
    const [first, second] = await filters;
    assert.strictEqual(first.payload.pastLags, 2);
    assert.strictEqual(second.payload.pastLags, 3);
    const out = collect('out', 1);
    helper.getNode('unit').receive({ payload: [1, 2, 3, 4] });
    const [response] = await out;
    assert.strictEqual(response.payload[0].length, 4);
  });
});

describe('resu-cca online rule (issue 19)', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('on the paper\'s OU process its ψ1, ψ2 reach the batch filters (cosine ≥ 0.95 after 10⁵ samples, the acceptance level)', async function () {
    const common = { pastLags: 25, futureLags: 25, solveEveryPairs: 0 };
    await load(modules, [
      { id: 'online-learner', type: 'resu-cca', ...common, rule: 'online', wires: [['out'], []] },
      { id: 'batch-learner', type: 'resu-cca', ...common, wires: [['out'], []] },
      { id: 'out', type: 'helper' },
      ...catchAll(),
    ]);
    const x = new LinearStateSpace({ ...PAPER_OU_PRESET, seed: 5 }).next(100_000);
    const out = collect('out', 2);
    feed('online-learner', x); feed('batch-learner', x);
    helper.getNode('online-learner').receive({ solve: true });
    helper.getNode('batch-learner').receive({ solve: true });
    const fits = await out;
    const online = fits.find((m) => m.payload.rule === 'online')!.payload, batch = fits.find((m) => m.payload.rule === 'batch')!.payload;
    assert.strictEqual(online.format, 'resu-cca-fit');
    assert.strictEqual(online.pastFilters.length, 2);
    for (const i of [0, 1]) {
      const cosine = cosineSimilarity(online.pastFilters[i], batch.pastFilters[i]);
      assert.ok(cosine >= 0.95, `ψ${i + 1}: cosine ${cosine}`);
    }
    assert.strictEqual(online.pairs, 100_000 - 50 + 1);
  });

  it('solves at the end of a source\'s run (msg.chunk.endOfRun): the filters as they are after the last pair', async function () {
    await load(modules, [{ id: 'learner', type: 'resu-cca', pastLags: 3, futureLags: 2, rule: 'online', solveEveryPairs: 1000, wires: [['out'], []] }, { id: 'out', type: 'helper' }, ...catchAll()]);
    const series = ar1(2300, 0.5, 12);
    const solves = collect('out', 3);
    // 23 chunks of 100 samples of one series: 100k − 4 pairs after chunk k
    for (let k = 0; k < 23; k++) helper.getNode('learner').receive({ payload: series.slice(100 * k, 100 * (k + 1)), chunk: { series: 'run', startSample: 100 * k, endOfSeries: k === 22, endOfRun: k === 22 } });
    const fits = (await solves).map((m) => m.payload);
    // every 1000 pairs (after chunks 11 and 21), then on the run's last chunk: all 2296 pairs
    assert.deepStrictEqual(fits.map((f) => [f.rule, f.pairs]), [['online', 1096], ['online', 2096], ['online', 2296]]);
    // the end-of-run read-out is the learner's state after the last pair: what core's online rule gives on the whole series
    const core = new OnlinePastFutureCca({ pastLags: 3, futureLags: 2 });
    core.update([Float64Array.from(series)], 'run');
    const expected = core.fit();
    for (const i of [0, 1]) assert.ok(Math.abs(cosineSimilarity(fits[2].pastFilters[i], expected.pastFilters[i])) > 1 - 1e-12, `ψ${i + 1}`);
  });

  it('its filters drive a ReSU unit unchanged; the status names the rule', async function () {
    await load(modules, [
      { id: 'learner', type: 'resu-cca', pastLags: 4, futureLags: 4, rule: 'online', solveEveryPairs: 5000, wires: [['unit'], []] },
      { id: 'unit', type: 'resu-unit', component: 2, polarity: 'off', wires: [['out']] },
      { id: 'out', type: 'helper' },
      ...catchAll(),
    ]);
    const status = statusMatching('learner', /^online · .*ρ1/);
    feed('learner', ar1(6000, 0.8, 7), 'a', 1000);
    assert.match(await status, /^online · \d/);
    const out = collect('out', 1);
    helper.getNode('unit').receive({ payload: ar1(50, 0.8, 8) });
    const [response] = await out;
    assert.ok(response.payload[0].every((v: number) => Number.isFinite(v) && v >= 0), 'an OFF unit: rectified, finite');
  });

  it('refuses settings the rules cannot share, and bad values, with a message naming the setting', async function () {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ rule: 'online', pastLags: 'auto' }, /pastLags must be an integer ≥ 1 and ≤ 1000 samples, or "auto"; "auto" only with learning rule "batch" \(the online rule learns filters of a fixed length/],
      [{ rule: 'sometimes' }, /rule/],
      [{ rule: 'online', learningRate: 0 }, /learningRate/],
      [{ rule: 'online', learningRate: 2 }, /learningRate/],
      [{ pastLags: 'auto', maxPastLags: 0 }, /maxPastLags/],
      [{ pastLags: 'auto', maxPastLags: 1000, futureLags: 50 }, /maxPastLags|1024/],
      [{ pastLags: 'auto', criterion: 'hq' }, /criterion/],
      [{ pastLags: 'auto', pooling: 'joint', channels: 2 }, /channels must be .*1 with past m "auto"/],
    ];
    for (const [config, pattern] of cases) {
      await load(modules, [{ id: 'learner', type: 'resu-cca', ...config, wires: [[], []] }, ...catchAll()]);
      const errors = collect('errors', 1);
      helper.getNode('learner').receive({ payload: [1, 2, 3] });
      const [err] = await errors;
      assert.match(err.error.message, pattern, JSON.stringify(config));
      await helper.unload();
    }
  });

  it('does not use the batch rule\'s settings (τ, ridge, peers: hidden in the editor): an online learner with them learns as one without', async function () {
    const common = { pastLags: 4, futureLags: 3, rule: 'online', solveEveryPairs: 0 };
    await load(modules, [
      { id: 'plain', type: 'resu-cca', ...common, wires: [['fits'], [], ['snapshots']] },
      { id: 'odd', type: 'resu-cca', ...common, timeConstantSamples: 100, ridge: 0.5, publishEveryPairs: 10, sourceId: 'device-9', maxPeerShare: 0.1, wires: [['fits'], [], ['snapshots']] },
      { id: 'fits', type: 'helper' }, { id: 'snapshots', type: 'helper' },
      ...catchAll(),
    ]);
    let snapshots = 0;
    helper.getNode('snapshots').on('input', () => { snapshots++; });
    const x = ar1(3000, 0.7, 3);
    feed('plain', x); feed('odd', x);
    const fits = collect('fits', 2);
    helper.getNode('plain').receive({ solve: true });
    helper.getNode('odd').receive({ solve: true });
    const [a, b] = (await fits).map((m) => m.payload);
    assert.deepStrictEqual(b, a);
    assert.strictEqual(snapshots, 0, 'Publish every is not used: no snapshot (the solves came after every chunk)');
  });

  it('refuses to mix with federation: no snapshots out, a peer snapshot in is an error and leaves its state', async function () {
    await load(modules, [
      { id: 'device', type: 'resu-cca', pastLags: 4, futureLags: 3, solveEveryPairs: 0, sourceId: 'd', wires: [[], [], ['snapshots']] },
      { id: 'online-learner', type: 'resu-cca', pastLags: 4, futureLags: 3, rule: 'online', solveEveryPairs: 0, wires: [['fits'], [], ['snapshots']] },
      { id: 'snapshots', type: 'helper' }, { id: 'fits', type: 'helper' },
      ...catchAll(),
    ]);
    const snapshots = collect('snapshots', 1);
    feed('device', ar1(500, 0.5, 1));
    helper.getNode('device').receive({ publish: true });
    const [snapshot] = await snapshots;
    const online = helper.getNode('online-learner');
    const errors = collect('errors', 1);
    feed('online-learner', ar1(800, 0.5, 2));
    // a refused snapshot leaves a yellow ring with the count, as the batch rule's refusals do
    const shown = new Promise<{ fill: string; text: string }>((resolve) => {
      const original = online.status.bind(online);
      online.status = (value: { fill: string; text: string }) => { original(value); if (/refused/.test(value?.text ?? '')) resolve(value); };
    });
    online.receive({ payload: snapshot.payload });
    const [refused] = await errors;
    assert.match(refused.error.message, /statistics snapshots federate the batch rule only; this learner uses the online rule/);
    const status = await shown;
    assert.strictEqual(status.fill, 'yellow');
    assert.match(status.text, /^online · 794 pairs · 1 refused$/);
    const publishErrors = collect('errors', 1);
    online.receive({ publish: true });
    const [publish] = await publishErrors;
    assert.match(publish.error.message, /msg\.publish: statistics snapshots federate the batch rule only/);
    const state = await helper.request().get('/resu/nodes/online-learner/state').expect(200);
    assert.strictEqual(state.body.federation, null, 'nothing federates with the online rule');
    const fits = collect('fits', 1);
    online.receive({ solve: true });
    const [fit] = await fits;
    assert.strictEqual(fit.payload.pairs, 800 - 7 + 1, 'only its own pairs');
    assert.strictEqual(fit.payload.peers, 0);
  });
});

describe('resu-cca learned memory with peers', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('pools moments at P: the aggregator chooses m from its own samples and solves on all pairs; another P is refused', async function () {
    const auto = { pastLags: 'auto', maxPastLags: 30, futureLags: 4, solveEveryPairs: 0 };
    await load(modules, [
      // (a property equal to another node's id would make Node-RED take it for a config-node reference)
      { id: 'device', type: 'resu-cca', ...auto, sourceId: 'device-1', wires: [[], [], ['snapshots']] },
      { id: 'odd', type: 'resu-cca', ...auto, maxPastLags: 25, sourceId: 'odd-1', wires: [[], [], ['snapshots']] },
      { id: 'aggregator', type: 'resu-cca', ...auto, sourceId: 'aggregator-1', wires: [['merged'], [], []] },
      { id: 'no-data', type: 'resu-cca', ...auto, sourceId: 'no-data-1', wires: [['merged'], [], []] },
      { id: 'snapshots', type: 'helper' }, { id: 'merged', type: 'helper' },
      ...catchAll(),
    ]);
    const own = simulateAr(new Random(60), AR3, 40_000), peer = simulateAr(new Random(61), AR3, 30_000);
    const snapshots = collect('snapshots', 2);
    feed('device', peer, 'peer');
    helper.getNode('device').receive({ publish: true });
    feed('odd', peer, 'peer');
    helper.getNode('odd').receive({ publish: true });
    const [good, bad] = await snapshots;
    const aggregator = helper.getNode('aggregator');
    const errors = collect('errors', 1);
    aggregator.receive({ payload: bad.payload });
    const [refused] = await errors;
    assert.match(refused.error.message, /pastLags = 25 into moments with pastLags = 30 \(with Past m "auto" the moments are kept at Largest past P = 30 lags: every peer needs the same maxPastLags\)/);
    feed('aggregator', own, 'own');
    const merged = collect('merged', 1);
    aggregator.receive({ payload: good.payload });
    const [fit] = await merged;
    // known answer: a fixed-m learner at the chosen m = 3 over both streams without their first P − m samples
    const reference = new PastFutureLearner({ pastLags: 3, futureLags: 4 });
    reference.update(own.subarray(27), 'own');
    reference.update(peer.subarray(27), 'peer');
    const expected = reference.solve();
    assert.strictEqual(fit.payload.memory.pastLags, 3);
    assert.strictEqual(fit.payload.pairs, expected.pairs);
    assert.strictEqual(fit.payload.peers, 1);
    fit.payload.correlations.forEach((rho: number, i: number) => assert.ok(Math.abs(rho - expected.correlations[i]) < 1e-9));
    // an aggregator with "auto" and no samples of its own cannot choose m: it says so
    const noData = helper.getNode('no-data');
    const warned = new Promise<string>((resolve) => { const warn = noData.warn.bind(noData); noData.warn = (text: string) => { warn(text); resolve(text); }; });
    noData.receive({ payload: good.payload });
    assert.match(await warned, /automatic solve failed: pastLags "auto" chooses m from this learner's own samples, and it has none yet/);
  });
});

describe('resu-cca persistence of the learned memory and the online rule', function () {
  let dir: string;
  beforeEach(function (done) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-cca-'));
    helper.settings({ contextStorage: { default: { module: 'memory' }, disk: { module: 'localfilesystem', config: { dir, flushInterval: 3600 } } } });
    helper.startServer(done);
  });
  afterEach(async function () {
    await helper.unload();
    await helper._redNodes.closeContextsPlugin();
    helper.settings({});
    await new Promise<void>((resolve) => helper.stopServer(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Learns `first`, restarts Node-RED's flows and context store from disk, learns `second`, solves. */
  async function learnAcrossRestart(config: Record<string, unknown>, first: Float64Array, second: Float64Array): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
    await load(modules, [{ id: 'learner', type: 'resu-cca', solveEveryPairs: 0, persist: true, store: 'disk', ...config, wires: [['filters'], []] }, { id: 'filters', type: 'helper' }]);
    await helper._redNodes.loadContextsPlugin();
    await helper._redNodes.stopFlows();
    await helper._redNodes.startFlows(); // the node now reads and writes the disk store
    feed('learner', first, 'row', 3000);
    const solved = collect('filters', 1);
    helper.getNode('learner').receive({ solve: true }); // saved after the solve
    await solved;
    await helper._redNodes.stopFlows();
    await helper._redNodes.closeContextsPlugin();
    assert.ok(fs.readdirSync(dir).length > 0, 'state written to disk');
    await helper._redNodes.loadContextsPlugin();
    await helper._redNodes.startFlows();
    feed('learner', second, 'row', 3000);
    const filters = collect('filters', 1);
    helper.getNode('learner').receive({ solve: true });
    return (await filters)[0].payload;
  }

  it('online: a restart restores the state exactly (the filters of one uninterrupted learner, bit for bit)', async function () {
    const x = new LinearStateSpace({ ...PAPER_OU_PRESET, seed: 9 }).next(30_000);
    const first = x.subarray(0, 13_000), second = x.subarray(13_000);
    const fit = await learnAcrossRestart({ rule: 'online', pastLags: 10, futureLags: 10 }, first, second);
    const reference = new OnlinePastFutureCca({ pooling: 'channels', pastLags: 10, futureLags: 10 });
    reference.update([x], 'row');
    const expected = reference.fit();
    assert.strictEqual(fit.pairs, expected.pairs);
    assert.deepStrictEqual(fit.correlations, Array.from(expected.correlations));
    assert.deepStrictEqual(fit.pastFilters, expected.pastFilters.map((row) => Array.from(row)));
  });

  it('pastLags "auto": a restart keeps the moments at P and the autocovariance (same m, same fit)', async function () {
    const x = simulateAr(new Random(12), AR3, 30_000);
    const fit = await learnAcrossRestart({ pastLags: 'auto', maxPastLags: 25, futureLags: 4 }, x.subarray(0, 11_000), x.subarray(11_000));
    const reference = new PastFutureLearner({ pastLags: 'auto', futureLags: 4, memory: { maxPastLags: 25 } });
    reference.update([x], 'row');
    const expected = reference.solve();
    assert.strictEqual(fit.memory.pastLags, reference.memory!.pastLags);
    assert.strictEqual(fit.pairs, expected.pairs);
    fit.correlations.forEach((rho: number, i: number) => assert.ok(Math.abs(rho - expected.correlations[i]) < 1e-12));
  });
});
