/**
 * Example 6 in a real Node-RED with FlowFuse Dashboard 2 (the devDependency, which Node-RED finds in
 * the repo's node_modules) and Debian's chromium: the example's nodes are valid in the editor, and
 * after a click on the dashboard's "train" button the page draws ψ1, ψ2, ψ3 in one chart and ρ in
 * another, redrawn on every solve, equal to the learner's last fit once training ends.
 *
 * The series are read from each chart's ECharts instance (series data and legend items):
 * Dashboard 2's UIChart registers itself in `window.uiCharts` when `window.Cypress` is set, the hook
 * its own end-to-end tests use. The screenshot goes to test-output/dashboard.png;
 * RESU_UPDATE_SCREENSHOT=1 also copies it to docs/dashboard.png.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, OUTPUT } from './chromium';
import { NodeRedProcess, PACKAGE_ROOT, startNodeRed } from './node-red-process';

const EXAMPLE = path.join(PACKAGE_ROOT, 'examples', '6 Live dashboard - filters and correlations.json');
const FILTERS = ['ψ1', 'ψ2', 'ψ3'];

interface ChartView { title: string; legend: string[]; series: { name: string; data: [number, number][] }[] }
type AnyObject = any; // eslint-disable-line @typescript-eslint/no-explicit-any

function dashboardInstalled(): boolean {
  try { require.resolve('@flowfuse/node-red-dashboard/package.json'); return true; } catch { return false; }
}

describe('example 6 on FlowFuse Dashboard 2 in a real browser', function () {
  this.timeout(240_000);
  const flow = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as AnyObject[];
  const idOf = (type: string, name: string): string => flow.find((n) => n.type === type && n.name === name).id;
  const filterChart = idOf('ui-chart', 'filters ψ'), rhoChart = idOf('ui-chart', 'correlations ρ');
  const learner = idOf('resu-cca', 'CCA m=h=50'), scanner = idOf('resu-scanner', 'dead-leaves scanner');
  let red: NodeRedProcess | null = null;
  let browser: Browser | null = null;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    if (!dashboardInstalled()) {
      if (process.env.CI) throw new Error('@flowfuse/node-red-dashboard is missing: it is a devDependency (npm ci installs it)');
      this.skip();
    }
    browser = await launchChromium(this);
    red = await startNodeRed({ flows: flow });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.addInitScript(() => { (window as AnyObject).Cypress = {}; });
  });

  after(async function () {
    if (page && this.currentTest?.state === 'failed') await page.screenshot({ path: path.join(OUTPUT, 'dashboard-failure.png') }).catch(() => undefined);
    if (red && this.currentTest?.state === 'failed') fs.writeFileSync(path.join(OUTPUT, 'dashboard-node-red.log'), red.log());
    await browser?.close();
    await red?.stop();
  });

  /** What each chart on the page draws, from its ECharts instance. */
  async function charts(): Promise<Record<string, ChartView>> {
    return page.evaluate(() => Object.fromEntries(Object.entries((window as AnyObject).uiCharts ?? {}).map(([id, widget]: [string, AnyObject]) => {
      const option = widget.chart.getOption();
      const legend = widget.chart.getModel().getComponent('legend');
      return [id, {
        title: option.title[0].text,
        legend: legend && option.legend[0].show ? legend.getData().map((item: AnyObject) => item.get('name')) : [],
        series: option.series.map((s: AnyObject) => ({ name: s.name, data: s.data })),
      }];
    })));
  }

  async function admin(route: string): Promise<AnyObject> {
    const response = await fetch(new URL(route, red!.url));
    assert.strictEqual(response.status, 200, route);
    return response.json();
  }

  /** Re-checks a condition (twice a second) until it holds; fails after `timeoutMs`. */
  async function until(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting until ${what}`);
      await page.waitForTimeout(500);
    }
  }

  it('the example\'s dashboard nodes are known and valid in the editor', async function () {
    await page.goto(red!.url);
    await page.waitForFunction(() => (window as AnyObject).RED?.nodes?.node && (window as AnyObject).RED.nodes.getType('ui-chart'), undefined, { timeout: 60_000 });
    const ids = flow.filter((n) => n.type !== 'tab').map((n) => n.id);
    await page.waitForFunction((list: string[]) => list.every((id) => (window as AnyObject).RED.nodes.node(id)), ids, { timeout: 60_000 });
    const invalid = await page.evaluate((list: string[]) => list.map((id) => (window as AnyObject).RED.nodes.node(id)).filter((n: AnyObject) => {
      (window as AnyObject).RED.editor.validateNode(n);
      return !n.valid || n.type === 'unknown';
    }).map((n: AnyObject) => `${n.type} ${n.name ?? n.id}`), ids);
    assert.deepStrictEqual(invalid, []);
  });

  it('shows both charts empty before training', async function () {
    await page.goto(new URL('dashboard', red!.url).href);
    await page.waitForFunction((ids: string[]) => ids.every((id) => (window as AnyObject).uiCharts?.[id]), [filterChart, rhoChart], { timeout: 60_000 });
    const before = await charts();
    assert.deepStrictEqual([before[filterChart].series, before[rhoChart].series], [[], []]);
    assert.deepStrictEqual([before[filterChart].title, before[rhoChart].title], ['ψ1–ψ3 (newest tap at lag 0)', 'ρk']);
  });

  it('after "train" on the dashboard, one chart shows ψ1, ψ2, ψ3 and another ρ, redrawn on each solve', async function () {
    await page.getByRole('button', { name: 'train' }).click();
    // the two charts are fed by two outputs: wait until both have drawn the first solve
    const drawn = (ids: { filterChart: string; rhoChart: string; names: string[] }): boolean => {
      const series = (id: string): AnyObject[] => (window as AnyObject).uiCharts[id].chart.getOption().series;
      const has = (id: string, name: string): boolean => series(id).some((s: AnyObject) => s.name === name && s.data.length > 0);
      return ids.names.every((name) => has(ids.filterChart, name)) && has(ids.rhoChart, 'ρ');
    };
    await page.waitForFunction(drawn, { filterChart, rhoChart, names: FILTERS }, { timeout: 120_000 });
    const first = await charts();
    const psi = first[filterChart], rho = first[rhoChart];
    assert.deepStrictEqual(psi.series.map((s) => s.name), FILTERS);
    assert.deepStrictEqual(psi.legend, FILTERS, 'legend of the filter chart');
    for (const s of psi.series) {
      // one point per tap, x = −lag: 0 (newest) … −49; replaced, never appended
      assert.deepStrictEqual(s.data.map(([x]) => x), Array.from({ length: 50 }, (_, k) => (k === 0 ? 0 : -k)), `${s.name} x`);
      assert.ok(s.data.every(([, y]) => Number.isFinite(y)), `${s.name} y finite`);
    }
    assert.deepStrictEqual(rho.series.map((s) => s.name), ['ρ']);
    assert.deepStrictEqual(rho.legend, ['ρ'], 'legend of the ρ chart');
    assert.deepStrictEqual(rho.series[0].data.map(([x]) => x), Array.from({ length: 50 }, (_, k) => k + 1));
    const ys = rho.series[0].data.map(([, y]) => y);
    assert.ok(ys.every((y, k) => y >= 0 && y <= 1 && (k === 0 || y <= ys[k - 1])), `ρ in [0, 1], descending: ${ys}`);

    // live: a later solve redraws the same three series with new taps (still 50 points each)
    await page.waitForFunction((ids: { filterChart: string; taps: number[] }) => {
      const series = (window as AnyObject).uiCharts[ids.filterChart].chart.getOption().series;
      return series.length === 3 && series.every((s: AnyObject) => s.data.length === 50) && series[1].data.some(([, y]: number[], k: number) => y !== ids.taps[k]);
    }, { filterChart, taps: psi.series[1].data.map(([, y]) => y) }, { timeout: 60_000 });

    // once the scanner has finished, the charts hold exactly the learner's last fit
    await until(() => page.evaluate(async (ids: { scanner: string; learner: string; filterChart: string; rhoChart: string }) => {
      const nodes = await (await fetch('/resu/nodes')).json();
      if (!/^finished/.test(nodes.find((n: AnyObject) => n.id === ids.scanner)?.status?.text ?? '')) return false;
      const { fit } = await (await fetch(`/resu/nodes/${ids.learner}/state`)).json();
      const charts = (window as AnyObject).uiCharts;
      const rhoData = charts[ids.rhoChart].chart.getOption().series[0].data;
      const psiSeries = charts[ids.filterChart].chart.getOption().series;
      const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b));
      return fit.correlations.length === rhoData.length && fit.correlations.every((r: number, k: number) => close(rhoData[k][1], r))
        && psiSeries.every((s: AnyObject, i: number) => s.data.every(([, y]: number[], k: number) => close(y, fit.filters[i].taps[0][k])));
    }, { scanner, learner, filterChart, rhoChart }), 180_000, 'the charts show the learner\'s last fit after training');

    const state = await admin(`resu/nodes/${learner}/state`);
    assert.ok(state.pairs > 250_000, `trained on ${state.pairs} pairs`);
    await page.screenshot({ path: path.join(OUTPUT, 'dashboard.png') });
    if (process.env.RESU_UPDATE_SCREENSHOT === '1') fs.copyFileSync(path.join(OUTPUT, 'dashboard.png'), path.join(PACKAGE_ROOT, 'docs', 'dashboard.png'));
    const last = await charts();
    assert.deepStrictEqual(last[filterChart].legend, FILTERS);
    assert.deepStrictEqual(last[rhoChart].legend, ['ρ']);
    assert.deepStrictEqual(pageErrors, []);
    assert.doesNotMatch(red!.log(), /\[error\]/);
  });
});
