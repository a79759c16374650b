/**
 * The ReSU sidebar's plots for the learned memory (issue 18) and the online rule (issue 19) in a
 * real browser: a real Node-RED (this package installed) runs a flow in which the paper's OU process
 * feeds a learner with Past m "auto" and one with the online rule; the test starts it through the
 * inject's admin route, picks each learner in the sidebar and checks what is drawn: the order
 * criterion with the chosen order marked, I(m) with its 95 %/99 % points and the chosen m, and for
 * the online learner the learning curve. Screenshots: test-output/sidebar-memory.png,
 * test-output/sidebar-online.png (gitignored).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, OUTPUT } from './chromium';
import { NodeRedProcess, startNodeRed } from './node-red-process';

const TAB = 'sidebar-tab';
const AUTO = 'sidebar-auto';
const ONLINE = 'sidebar-online';
const INJECT = 'sidebar-start';

/** Text of the node's status label in the workspace. */
function statusLabel(id: string): string {
  return document.querySelector(`[id="${id}"] .red-ui-flow-node-status-label`)?.textContent ?? '';
}

describe('ReSU sidebar: learned memory and online learning curves (chromium + playwright-core)', function () {
  this.timeout(240_000);
  let red: NodeRedProcess | null = null;
  let browser: Browser | null = null;
  let page: Page;
  const browserErrors: string[] = [];

  before(async function () {
    browser = await launchChromium(this);
    const ou = { mode: 'ou', seed: 1, chunkLength: 1000, maxSamples: 100000, observationNoiseSd: 0.316227766, dtS: 0.01, intervalMs: 0 };
    red = await startNodeRed({
      flows: [
        { id: TAB, type: 'tab', label: 'sidebar' },
        { id: INJECT, type: 'inject', z: TAB, name: 'start', props: [{ p: 'payload' }], payload: 'start', payloadType: 'str', repeat: '', once: false, x: 110, y: 100, wires: [['sidebar-ou']] },
        { id: 'sidebar-ou', type: 'resu-noise', z: TAB, name: 'OU', ...ou, x: 280, y: 100, wires: [[AUTO, ONLINE]] },
        { id: AUTO, type: 'resu-cca', z: TAB, name: 'memory auto', pastLags: 'auto', maxPastLags: 60, futureLags: 25, solveEveryPairs: 20000, x: 500, y: 60, wires: [[], [], []] },
        { id: ONLINE, type: 'resu-cca', z: TAB, name: 'online rule', pastLags: 25, futureLags: 25, rule: 'online', solveEveryPairs: 5000, x: 500, y: 160, wires: [[], [], []] },
      ],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    page.on('pageerror', (err) => browserErrors.push(`${err.message}\n${err.stack ?? ''}`));
    await page.goto(red.url);
    await page.waitForFunction((id) => typeof (window as any).RED?.sidebar?.show === 'function' && (window as any).RED.nodes.node(id), AUTO, { timeout: 60_000 }); // eslint-disable-line @typescript-eslint/no-explicit-any
    // the inject's button does this
    const status = await page.evaluate(async (id) => (await fetch(`inject/${id}`, { method: 'POST', headers: { 'Node-RED-API-Version': 'v2' } })).status, INJECT);
    assert.strictEqual(status, 200);
    await page.waitForFunction((ids) => ids.every((id) => / · ρ1 /.test(document.querySelector(`[id="${id}"] .red-ui-flow-node-status-label`)?.textContent ?? '')), [AUTO, ONLINE], { timeout: 120_000 });
    await page.evaluate(() => (window as any).RED.sidebar.show('resu-sidebar')); // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: path.join(OUTPUT, `failed-sidebar-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
      if (red) fs.writeFileSync(path.join(OUTPUT, 'node-red-sidebar.log'), red.log());
    }
  });

  it('the status of a learner with Past m "auto" names the chosen m and the criterion', async function () {
    const text = await page.evaluate(statusLabel, AUTO);
    assert.match(text, /m = \d+ \(BIC\) · ρ1 0\.\d{3}/);
  });

  it('plots the order criterion and I(m) with the chosen m and the 95 %/99 % points', async function () {
    await page.selectOption('.resu-sidebar-node', AUTO);
    await page.waitForSelector('.resu-sidebar-plot-criterion svg .mark-line path', { timeout: 30_000 });
    await page.waitForSelector('.resu-sidebar-plot-information svg .mark-line path', { timeout: 30_000 });
    const criterion = await page.locator('.resu-sidebar-plot-criterion').textContent() ?? '';
    const chosen = /BIC order criterion: chosen m = (\d+) \(AR order (\d+)\)/.exec(criterion);
    assert.ok(chosen, criterion);
    const status = await page.evaluate(statusLabel, AUTO);
    assert.ok(status.includes(`m = ${chosen[1]} (BIC)`), `${status} vs ${chosen[0]}`);
    const information = await page.locator('.resu-sidebar-plot-information').textContent() ?? '';
    assert.match(information, /past–future information I\(m\), h = 25/);
    assert.match(information, /95 % at m = \d+ \(dashed\),\s*99 % at m = \d+ \(dotted\)/);
    assert.ok(information.includes(`chosen m = ${chosen[1]} (solid)`));
    // one curve over the criterion, two (I and Ĩ) over m; the rules mark p̂, and m with the two saturation points
    assert.strictEqual(await page.$$eval('.resu-sidebar-plot-criterion svg .mark-line path', (els) => els.length), 1);
    assert.strictEqual(await page.$$eval('.resu-sidebar-plot-information svg .mark-line path', (els) => els.length), 2);
    assert.strictEqual(await page.$$eval('.resu-sidebar-plot-criterion svg .mark-rule.role-mark line', (els) => els.length), 1);
    assert.strictEqual(await page.$$eval('.resu-sidebar-plot-information svg .mark-rule.role-mark line', (els) => els.length), 3);
    const footer = await page.locator('.resu-sidebar').textContent() ?? '';
    assert.match(footer, /m chosen by BIC of at most 60/);
    await page.locator('.resu-sidebar-plot-information').scrollIntoViewIfNeeded();
    await page.locator('.resu-sidebar').screenshot({ path: path.join(OUTPUT, 'sidebar-memory.png') });
    assert.deepStrictEqual(browserErrors, [], 'no uncaught errors in the page');
  });

  it('for the online rule: the rule on the message line, a learning curve, and no memory plots', async function () {
    await page.selectOption('.resu-sidebar-node', ONLINE);
    // the learner shown before (Past m "auto") has a learning curve too: wait until the sidebar shows
    // the online learner's, not just any curve (under load, Node-RED 5 beside the ARM runs, the old
    // one was read)
    await page.waitForFunction(() => /online rule · [\d,]+ pairs seen/.test(document.querySelector('.resu-sidebar')?.textContent ?? ''), undefined, { timeout: 30_000 });
    await page.waitForSelector('.resu-sidebar-plot-curve svg .mark-line path', { timeout: 30_000 });
    const text = await page.locator('.resu-sidebar').textContent() ?? '';
    assert.match(text, /online rule · [\d,]+ pairs seen/);
    assert.match(text, /learning curve \(\d+ solves\)/);
    // ρ1, ρ2 and the change of ψ1, ψ2 between solves
    assert.strictEqual(await page.$$eval('.resu-sidebar-plot-curve svg .mark-line path', (els) => els.length), 4);
    assert.strictEqual(await page.$$eval('.resu-sidebar-plot-criterion svg, .resu-sidebar-plot-information svg', (els) => els.length), 0);
    await page.locator('.resu-sidebar-plot-curve').scrollIntoViewIfNeeded();
    await page.locator('.resu-sidebar').screenshot({ path: path.join(OUTPUT, 'sidebar-online.png') });
    assert.deepStrictEqual(browserErrors, [], 'no uncaught errors in the page');
  });
});
