import * as assert from 'assert';
import { ar1, catchAll, collect, helper, load, nodeModules, startServer, stopServer } from './harness';

const modules = nodeModules('resu-cca');

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
