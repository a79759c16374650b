/**
 * End-to-end editor test in a real browser (Debian's chromium driven by playwright-core): start
 * Node-RED with this package, find the ReSU palette with all seven nodes, import the two-layer
 * example through Import ▸ Examples, deploy, train, wait for the learner's ρ, open the ReSU sidebar
 * tab and check the filter plot is drawn. Screenshots go to test-output/ (gitignored);
 * RESU_UPDATE_SCREENSHOT=1 also copies the editor screenshot to docs/editor.png for the README.
 *
 * Without a browser at $CHROMIUM_PATH (default /usr/bin/chromium) the test is skipped locally and
 * fails under CI=true (.ci/run installs chromium).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, OUTPUT, recordPageErrors } from './chromium';
import { NodeRedProcess, PACKAGE_ROOT, startNodeRed } from './node-red-process';

const NODE_TYPES = ['resu-scanner', 'resu-noise', 'resu-cca', 'resu-unit', 'resu-l3', 'resu-t4', 'resu-grating'];
const MODULE = '@resu-circuits/node-red-resu';
const EXAMPLE = '4 Two-layer motion detector';

describe('editor in a real browser (chromium + playwright-core)', function () {
  this.timeout(240_000);
  let red: NodeRedProcess | null = null;
  let browser: Browser | null = null;
  let page: Page;
  let browserErrors: string[] = [];

  before(async function () {
    browser = await launchChromium(this);
    red = await startNodeRed();
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    browserErrors = recordPageErrors(page);
  });

  after(async function () {
    if (page && this.currentTest?.state === 'failed') await page.screenshot({ path: path.join(OUTPUT, 'editor-failure.png') }).catch(() => undefined);
    await browser?.close();
    await red?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: path.join(OUTPUT, `failed-${this.currentTest.title.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
      if (red) fs.writeFileSync(path.join(OUTPUT, 'node-red.log'), red.log());
    }
  });

  it('opens the editor and shows the ReSU palette category with all seven nodes', async function () {
    await page.goto(red!.url);
    await page.waitForSelector('#red-ui-palette-container-ReSU', { state: 'attached', timeout: 60_000 });
    await page.waitForFunction(() => typeof (window as any).RED?.sidebar?.show === 'function' && document.querySelector('#red-ui-sidebar') !== null); // eslint-disable-line @typescript-eslint/no-explicit-any
    const types = await page.$$eval('#red-ui-palette-container-ReSU .red-ui-palette-node', (els) => els.map((el) => el.getAttribute('data-palette-type')));
    assert.deepStrictEqual([...types].sort(), [...NODE_TYPES].sort());
  });

  it('imports the two-layer example through Import ▸ Examples and deploys it', async function () {
    await page.click('#red-ui-header-button-sidemenu');
    await page.click('#menu-item-import');
    await page.click('#red-ui-clipboard-dialog-import-tabs a[href="#red-ui-clipboard-dialog-import-tab-examples"]');
    const tab = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
    await tab.locator('.red-ui-treeList-label', { hasText: MODULE }).first().click();
    await tab.locator('.red-ui-treeList-label', { hasText: EXAMPLE }).first().click();
    await page.click('#red-ui-clipboard-dialog-ok');
    // Imported nodes follow the mouse until dropped: click into the workspace to place them.
    await page.waitForTimeout(500);
    const moving = await page.evaluate(() => (window as any).RED.view.state() !== 0); // eslint-disable-line @typescript-eslint/no-explicit-any
    if (moving) await page.mouse.click(500, 300);
    const count = await page.evaluate(() => (window as any).RED.nodes.filterNodes({}).filter((n: any) => /^resu-/.test(n.type)).length); // eslint-disable-line @typescript-eslint/no-explicit-any
    assert.strictEqual(count, 13, 'ReSU nodes of the two-layer example in the workspace');
    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction(() => !(window as any).RED.nodes.dirty(), undefined, { timeout: 30_000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  it('trains from the "train" inject and the learner status reports ρ', async function () {
    const ids = await page.evaluate(() => {
      const RED = (window as any).RED; // eslint-disable-line @typescript-eslint/no-explicit-any
      const all = RED.nodes.filterNodes({});
      const find = (pred: (n: any) => boolean) => all.find(pred)?.id as string; // eslint-disable-line @typescript-eslint/no-explicit-any
      const learner = all.find((n: any) => n.type === 'resu-cca'); // eslint-disable-line @typescript-eslint/no-explicit-any
      RED.workspaces.show(learner.z); // the example comes in on its own flow tab
      return { train: find((n) => n.type === 'inject' && n.name === 'train'), learner: learner.id as string };
    });
    assert.ok(ids.train && ids.learner, 'found the train inject and the learner');
    await page.locator(`[id="${ids.learner}"]`).waitFor({ state: 'visible' });
    // The inject's button is the way a person starts it; the admin route it calls is the fallback.
    const button = page.locator(`[id="${ids.train}"] .red-ui-flow-node-button`);
    if (await button.isVisible()) await button.click();
    else await page.request.post(`${red!.url}inject/${ids.train}`);
    const label = page.locator(`[id="${ids.learner}"] .red-ui-flow-node-status-label`);
    await page.waitForFunction((id) => /ρ1 \d/.test(document.querySelector(`[id="${id}"] .red-ui-flow-node-status-label`)?.textContent ?? ''), ids.learner, { timeout: 120_000 });
    assert.match(await label.textContent() ?? '', /pairs · ρ1 0\.\d{3}/);
  });

  it('shows the learned filters in the ReSU sidebar tab', async function () {
    await page.evaluate(() => (window as any).RED.sidebar.show('resu-sidebar')); // eslint-disable-line @typescript-eslint/no-explicit-any
    const sidebar = page.locator('.resu-sidebar');
    await sidebar.waitFor({ state: 'visible' });
    // the learner is picked first, by its name and tab
    await page.waitForFunction(() => /^layer 1 CCA · /.test((document.querySelector('.resu-sidebar-node') as HTMLSelectElement | null)?.selectedOptions[0]?.textContent ?? ''));
    await page.waitForSelector('.resu-sidebar-plot-a svg path.mark-line, .resu-sidebar-plot-a svg .mark-line path', { timeout: 30_000 });
    await page.waitForSelector('.resu-sidebar-plot-b svg .mark-rect path', { timeout: 30_000 });
    const text = await sidebar.textContent() ?? '';
    assert.match(text, /ρ1 0\.\d{3}/);
    assert.match(text, /temporal filters ψ1, ψ2/);
    const lines = await page.$$eval('.resu-sidebar-plot-a svg .mark-line path', (els) => els.map((el) => el.getAttribute('d') ?? ''));
    assert.strictEqual(lines.length, 2, 'one line per filter, ψ1 and ψ2');
    lines.forEach((d) => assert.ok(d.length > 100, 'a drawn line with many taps'));
    await page.waitForTimeout(1200); // let one more poll pass so the screenshot shows the settled tab
    await page.evaluate(() => {
      // hide (not remove: Node-RED removes them itself when they time out)
      document.querySelectorAll<HTMLElement>('.red-ui-notification').forEach((el) => { el.style.visibility = 'hidden'; });
      const chart = document.getElementById('red-ui-workspace-chart'); // show the flow from its top-left corner
      if (chart) { chart.scrollTop = 0; chart.scrollLeft = 0; }
    });
    await page.screenshot({ path: path.join(OUTPUT, 'editor.png') });
    await sidebar.screenshot({ path: path.join(OUTPUT, 'sidebar.png') });
    if (process.env.RESU_UPDATE_SCREENSHOT) {
      fs.mkdirSync(path.join(PACKAGE_ROOT, 'docs'), { recursive: true });
      fs.copyFileSync(path.join(OUTPUT, 'editor.png'), path.join(PACKAGE_ROOT, 'docs', 'editor.png'));
    }
    assert.deepStrictEqual(browserErrors, [], 'no uncaught errors in the page');
  });

  it('shows a T4 unit\'s spatial weights beside the connectome weights', async function () {
    const t4 = await page.evaluate(() => (window as any).RED.nodes.filterNodes({ type: 'resu-t4' })[0].id as string); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.selectOption('.resu-sidebar-node', t4);
    await page.waitForFunction(() => /T4 spatial weights/.test(document.querySelector('.resu-sidebar-plot-a')?.textContent ?? ''), undefined, { timeout: 120_000 }); // after T4's first solve
    const bars = await page.$$eval('.resu-sidebar-plot-a svg .mark-rect path', (els) => els.length);
    assert.strictEqual(bars, 12, 'six learned and six connectome weights');
    await page.locator('.resu-sidebar').screenshot({ path: path.join(OUTPUT, 'sidebar-t4.png') });
    assert.deepStrictEqual(browserErrors, [], 'no uncaught errors in the page');
  });

  it('shows a probe\'s DSI for ON edges and for all edges, labelled, and plots the preferred and null responses (issue 14)', async function () {
    const ids = await page.evaluate(() => {
      const RED = (window as any).RED; // eslint-disable-line @typescript-eslint/no-explicit-any
      const inject = RED.nodes.filterNodes({ type: 'inject' }).find((n: { name: string }) => n.name === 'probe');
      return { inject: inject.id as string, grating: RED.nodes.filterNodes({ type: 'resu-grating' })[0].id as string };
    });
    // the probe inject, as its button does it
    const status = await page.evaluate(async (id) => (await fetch(`inject/${id}`, { method: 'POST', headers: { 'Node-RED-API-Version': 'v2' } })).status, ids.inject);
    assert.strictEqual(status, 200);
    await page.selectOption('.resu-sidebar-node', ids.grating);
    await page.waitForFunction(() => /ON edges: DSI (-?\d\.\d\d|n\/a)/.test(document.querySelector('.resu-sidebar-big')?.textContent ?? ''), undefined, { timeout: 120_000 });
    const big = await page.locator('.resu-sidebar-big').textContent() ?? '';
    assert.match(big, /ON edges: DSI .*all edges: DSI /, 'both DSIs, labelled');
    await page.waitForSelector('.resu-sidebar-plot-a svg .mark-line path', { timeout: 30_000 });
    const lines = await page.$$eval('.resu-sidebar-plot-a svg .mark-line path', (els) => els.length);
    assert.strictEqual(lines, 2, 'preferred and null response');
    const plotText = await page.locator('.resu-sidebar-plot-a').textContent() ?? '';
    assert.match(plotText, /preferred/);
    assert.match(plotText, /null/);
    await page.locator('.resu-sidebar').screenshot({ path: path.join(OUTPUT, 'sidebar-probe.png') });
    assert.deepStrictEqual(browserErrors, [], 'no uncaught errors in the page');
  });
});
