/**
 * ui-chart messages (nodes/shared/chart.ts): the format, the point budget, and what FlowFuse
 * Dashboard 2's own ui-chart node (the devDependency, its server-side code in the runtime) keeps of
 * a learner's chart outputs. test/browser/dashboard.spec.ts checks what the page then draws.
 */
import * as assert from 'assert';
import { chartMessage, correlationChart, decimate, filterChart, MAX_CHART_POINTS } from '../../nodes/shared/chart';
import { ar1, AnyMsg, helper, load, nodeModules, startServer, stopServer } from './harness';

const DASHBOARD = '@flowfuse/node-red-dashboard/nodes';

describe('ui-chart messages (nodes/shared/chart.ts)', function () {
  it('a filter chart is one replace message with every filter as its own series, x = −lag', function () {
    const fit = { channels: 1, pastLags: 3, pastFilters: [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]].map((r) => Float64Array.from(r)) };
    assert.deepStrictEqual(filterChart(fit), {
      topic: 'ψ', action: 'replace',
      payload: [
        { x: 0, y: 1, series: 'ψ1' }, { x: -1, y: 2, series: 'ψ1' }, { x: -2, y: 3, series: 'ψ1' },
        { x: 0, y: 4, series: 'ψ2' }, { x: -1, y: 5, series: 'ψ2' }, { x: -2, y: 6, series: 'ψ2' },
        { x: 0, y: 7, series: 'ψ3' }, { x: -1, y: 8, series: 'ψ3' }, { x: -2, y: 9, series: 'ψ3' }, // ψ4 is not charted
      ],
    });
    assert.ok(!Object.is(filterChart(fit).payload[0].x, -0), 'the newest tap sits at +0');
  });

  it('jointly pooled filters give one series per channel, each over its own lags', function () {
    // C = 2, m = 2: taps are channel-major, newest first within each channel
    const fit = { channels: 2, pastLags: 2, pastFilters: [Float64Array.from([1, 2, 3, 4])] };
    assert.deepStrictEqual(filterChart(fit).payload, [
      { x: 0, y: 1, series: 'ψ1 ch0' }, { x: -1, y: 2, series: 'ψ1 ch0' },
      { x: 0, y: 3, series: 'ψ1 ch1' }, { x: -1, y: 4, series: 'ψ1 ch1' },
    ]);
  });

  it('a correlation chart plots ρk against k = 1 … rank', function () {
    assert.deepStrictEqual(correlationChart({ correlations: Float64Array.from([0.9, 0.5, 0.1]) }), {
      topic: 'ρ', action: 'replace', payload: [{ x: 1, y: 0.9, series: 'ρ' }, { x: 2, y: 0.5, series: 'ρ' }, { x: 3, y: 0.1, series: 'ρ' }],
    });
  });

  it('a message holds at most MAX_CHART_POINTS points, shared among its series, and keeps every peak', function () {
    const m = 1000, channels = 4;
    const taps = (i: number): Float64Array => Float64Array.from({ length: channels * m }, (_, k) => Math.sin((k + 1) * (i + 1) * 0.01) + (k === 777 ? 50 : 0) - (k === 3333 ? 40 : 0));
    const msg = filterChart({ channels, pastLags: m, pastFilters: [taps(0), taps(1), taps(2)] });
    assert.ok(msg.payload.length <= MAX_CHART_POINTS, `${msg.payload.length} points`);
    assert.strictEqual(new Set(msg.payload.map((p) => p.series)).size, 12);
    for (let i = 0; i < 3; i++) {
      const of = (series: string) => msg.payload.filter((p) => p.series === series);
      // tap 777 is lag 777 of channel 0; tap 3333 is lag 333 of channel 3
      assert.ok(of(`ψ${i + 1} ch0`).some((p) => p.x === -777 && p.y === taps(i)[777]), `ψ${i + 1} keeps its maximum`);
      assert.ok(of(`ψ${i + 1} ch3`).some((p) => p.x === -333 && p.y === taps(i)[3333]), `ψ${i + 1} keeps its minimum`);
    }
    const many = chartMessage('many', Array.from({ length: 1000 }, (_, i) => ({ name: `s${i}`, ys: [1, 2, 3] })));
    assert.ok(many.payload.every((p, k, all) => k === 0 || p.series !== all[k - 1].series || p.x > all[k - 1].x));
    assert.strictEqual(many.payload.length, 2000, 'at least 2 points (first and last bucket extremes) per series');
  });

  it('decimation keeps short series whole and stays within the budget for long ones', function () {
    assert.deepStrictEqual(decimate([3, 1, 2]), [{ x: 0, y: 3 }, { x: 1, y: 1 }, { x: 2, y: 2 }]);
    const long = Array.from({ length: 10_001 }, (_, i) => Math.cos(i / 50));
    const points = decimate(long, undefined, 100);
    assert.ok(points.length <= 100 && points.length >= 50, `${points.length}`);
    assert.ok(points.every((p, k) => k === 0 || p.x > points[k - 1].x), 'x increasing');
    assert.strictEqual(Math.max(...points.map((p) => p.y)), Math.max(...long));
    assert.strictEqual(Math.min(...points.map((p) => p.y)), Math.min(...long));
  });
});

describe('a CCA learner feeding FlowFuse Dashboard 2 ui-charts (their server-side node)', function () {
  this.timeout(120000);
  beforeEach(startServer);
  afterEach(stopServer);

  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const store = (): { get(id: string): AnyMsg[] | undefined } => require(`${DASHBOARD}/store/data.js`);
  const dashboardModules = (): unknown[] => ['config/ui_base', 'config/ui_theme', 'config/ui_page', 'config/ui_group', 'widgets/ui_chart']
    .map((file) => require(`${DASHBOARD}/${file}.js`)); // eslint-disable-line @typescript-eslint/no-var-requires
  /** The chart as example 6 sets it up: series, x and y from the points' keys. */
  const chartNode = (id: string, wires: string[][] = [], settings: AnyMsg = {}): AnyMsg => ({
    id, type: 'ui-chart', group: 'group', chartType: 'line', category: 'series', categoryType: 'property',
    xAxisProperty: 'x', xAxisPropertyType: 'property', yAxisProperty: 'y', yAxisPropertyType: 'property',
    xAxisType: 'linear', action: 'replace', removeOlder: 1, removeOlderUnit: '3600', removeOlderPoints: '', wires, ...settings,
  });
  // names differ from ids: the runtime takes a config property equal to a config node's id for a reference
  const dashboard = [
    { id: 'base', type: 'ui-base', name: 'ReSU dashboard', path: '/dashboard' },
    { id: 'theme', type: 'ui-theme', name: 'ReSU theme' },
    { id: 'page', type: 'ui-page', name: 'ReSU', ui: 'base', path: '/resu', layout: 'grid', theme: 'theme', order: 1 },
    { id: 'group', type: 'ui-group', name: 'charts', page: 'page', width: 6, height: 1, order: 1 },
  ];
  /** What the chart node keeps (and replays to a page that opens later): series → [x, y] points. */
  const stored = (id: string): Record<string, number[][]> => {
    const out: Record<string, number[][]> = {};
    for (const msg of store().get(id) ?? []) (out[msg._datapoint.category] ??= []).push([msg._datapoint.x, msg._datapoint.y]);
    return out;
  };

  before(function () {
    try { require.resolve(`${DASHBOARD}/widgets/ui_chart.js`); } catch {
      if (process.env.CI) throw new Error('@flowfuse/node-red-dashboard is missing: it is a devDependency (npm ci installs it)');
      this.skip();
    }
  });

  it('after each solve the filter chart holds ψ1 … ψk of that solve only, and the ρ chart ρ alone', async function () {
    await load([...nodeModules('resu-cca'), ...dashboardModules()], [
      ...dashboard,
      { id: 'learner', type: 'resu-cca', pastLags: 4, futureLags: 3, solveEveryPairs: 0, wires: [['filters'], ['psi-chart'], [], ['rho-chart']] },
      { id: 'filters', type: 'helper' },
      chartNode('psi-chart', [['psi-drawn']]), chartNode('rho-chart', [['rho-drawn']]),
      { id: 'psi-drawn', type: 'helper' }, { id: 'rho-drawn', type: 'helper' },
    ]);
    const learner = helper.getNode('learner');
    for (const [solve, seed] of [[1, 5], [2, 6]]) {
      const fits = new Promise<AnyMsg>((resolve) => helper.getNode('filters').once('input', resolve));
      const drawn = Promise.all(['psi-drawn', 'rho-drawn'].map((id) => new Promise((resolve) => helper.getNode(id).once('input', resolve))));
      learner.receive({ payload: ar1(3000, 0.8, seed) });
      learner.receive({ solve: true });
      const { payload: fit } = await fits;
      await drawn;
      const expected = Object.fromEntries(fit.pastFilters.slice(0, 3).map((taps: number[], i: number) => [`ψ${i + 1}`, taps.map((y, lag) => [lag === 0 ? 0 : -lag, y])]));
      assert.deepStrictEqual(stored('psi-chart'), expected, `filter chart after solve ${solve}`);
      assert.deepStrictEqual(stored('rho-chart'), { ρ: fit.correlations.map((y: number, k: number) => [k + 1, y]) }, `ρ chart after solve ${solve}`);
    }
  });

  it('the grating\'s result output (a DSI object, then one chart message) leaves both T4 traces in a chart and nothing of the DSI', async function () {
    await load(dashboardModules(), [...dashboard, chartNode('chart', [['drawn']]), { id: 'drawn', type: 'helper' }]);
    const drawn = new Promise<void>((resolve) => { let n = 0; helper.getNode('drawn').on('input', () => { if (++n === 2) resolve(); }); });
    const chart = helper.getNode('chart');
    chart.receive({ topic: 'DSI', payload: { dsi: 0.5, on: { dsi: 0.7 } } });
    chart.receive(chartMessage('T4 responses', [{ name: 'T4 preferred', ys: [0, 2, 1] }, { name: 'T4 null', ys: [0, 1, 0] }]));
    await drawn;
    assert.deepStrictEqual(stored('chart'), { 'T4 preferred': [[0, 0], [1, 2], [2, 1]], 'T4 null': [[0, 0], [1, 1], [2, 0]] });
  });

  it('control: one replace message per series (the old format, series = msg.topic) leaves only the last series', async function () {
    await load(dashboardModules(), [...dashboard, chartNode('chart', [['drawn']], { category: 'topic', categoryType: 'msg' }), { id: 'drawn', type: 'helper' }]);
    const drawn = new Promise<void>((resolve) => { let n = 0; helper.getNode('drawn').on('input', () => { if (++n === 3) resolve(); }); });
    for (const series of ['ψ1', 'ψ2', 'ρ']) helper.getNode('chart').receive({ topic: series, action: 'replace', payload: [{ x: 0, y: 1 }] });
    await drawn;
    assert.deepStrictEqual(Object.keys(stored('chart')), ['ρ']);
  });
});
