/**
 * The ReSU sidebar's polar plots of 2-D tuning curves (issue 20) in a real editor: a probe in
 * lattice mode answered by two hand-set units (a Function node: right − left and top − bottom of the
 * centre triplets, on the stimulus itself), deployed in a real Node-RED; the sidebar, with the probe
 * selected, draws one polar plot per unit. Screenshot: test-output/sidebar-tuning.png.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, OUTPUT } from './chromium';
import { NodeRedProcess, startNodeRed } from './node-red-process';

const UNITS = `
const x = msg.payload;
const drive = (pos, neg) => Array.from(x[pos], (v, k) => Math.max(v - x[neg][k], 0));
return { payload: [drive(5, 3), drive(7, 1)], topic: msg.topic, chunk: Object.assign({}, msg.chunk, { channels: ['H/px4', 'V/px4'], signal: 'T4', lattice: null, positions: undefined }) };
`;

const FLOW = [
  { id: 'tab-tuning', type: 'tab', label: 'tuning' },
  { id: 'tuning-start', type: 'inject', z: 'tab-tuning', x: 110, y: 80, name: 'probe', props: [{ p: 'payload' }], payload: 'start', payloadType: 'str', repeat: '', once: false, topic: '', wires: [['tuning-probe']] },
  {
    id: 'tuning-probe', type: 'resu-grating', z: 'tab-tuning', x: 300, y: 80, name: 'edges in 8 directions', probe: 'edge', lattice: 'square', rows: 3, columns: 3, spacingDeg: 5,
    samplesPerSpacing: 5, segmentLength: 400, riseSamples: 20, segments: 4, noiseSd: 0, seed: 3, chunkLength: 800, normalization: 'training', settleSamples: 10,
    directionsDeg: '0, 45, 90, 135, 180, 225, 270, 315', intervalMs: 0, wires: [['tuning-units'], []],
  },
  { id: 'tuning-units', type: 'function', z: 'tab-tuning', x: 300, y: 160, name: 'hand-set units H, V', func: UNITS, outputs: 1, wires: [['tuning-probe']] },
];

describe('ReSU sidebar: polar plots of 2-D tuning curves (chromium)', function () {
  this.timeout(180_000);
  let red: NodeRedProcess | null = null;
  let browser: Browser | null = null;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    browser = await launchChromium(this);
    red = await startNodeRed({ flows: FLOW });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  after(async function () {
    if (page && this.currentTest?.state === 'failed') {
      await page.screenshot({ path: path.join(OUTPUT, 'failed-sidebar-tuning.png') }).catch(() => undefined);
      if (red) fs.writeFileSync(path.join(OUTPUT, 'node-red-tuning.log'), red.log());
    }
    await browser?.close();
    await red?.stop();
  });

  it('draws one polar plot per unit, with its vector DSI and preferred direction', async function () {
    await page.goto(red!.url);
    await page.waitForFunction(() => typeof (window as any).RED?.sidebar?.show === 'function' && (window as any).RED.nodes.node('tuning-probe')); // eslint-disable-line @typescript-eslint/no-explicit-any
    const status = await page.evaluate(async () => (await fetch('inject/tuning-start', { method: 'POST' })).status);
    assert.strictEqual(status, 200);
    await page.evaluate(() => (window as any).RED.sidebar.show('resu-sidebar')); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.waitForSelector('.resu-sidebar-node option[value="tuning-probe"]', { state: 'attached', timeout: 30_000 });
    await page.selectOption('.resu-sidebar-node', 'tuning-probe');
    await page.waitForFunction(() => /H: vector DSI \d\.\d\d, pref 180°/.test(document.querySelector('.resu-sidebar-big')?.textContent ?? ''), undefined, { timeout: 60_000 });
    const big = await page.locator('.resu-sidebar-big').textContent() ?? '';
    assert.match(big, /H: vector DSI \d\.\d\d, pref 180°, DSI 1\.00/);
    assert.match(big, /V: vector DSI \d\.\d\d, pref 270°, DSI 1\.00/);
    await page.waitForSelector('.resu-sidebar-plot-a svg .mark-line path', { timeout: 30_000 });
    const plot = page.locator('.resu-sidebar-plot-a');
    const text = await plot.textContent() ?? '';
    assert.match(text, /H\s*vDSI \d\.\d\d · 180°/);
    assert.match(text, /V\s*vDSI \d\.\d\d · 270°/);
    for (const label of ['0°', '90°', '180°', '270°']) assert.ok(text.includes(label), `axis label ${label}`);
    // per unit: two rings, the ON and the OFF curve (line marks), spokes and the vector-mean arrow (rules)
    const lines = await page.$$eval('.resu-sidebar-plot-a svg .mark-line path', (els) => els.map((el) => el.getAttribute('d') ?? ''));
    assert.strictEqual(lines.length, 2 * 4, 'rings ×2 and curves ×2 for each of the two units');
    lines.forEach((d) => assert.ok(d.length > 20, 'every line is drawn'));
    const rules = await page.$$eval('.resu-sidebar-plot-a svg .mark-rule line', (els) => els.length);
    assert.strictEqual(rules, 2 * (8 + 1), '8 spokes and one arrow per unit');
    await page.waitForTimeout(1200); // one more poll, so the screenshot shows the settled tab
    await page.locator('.resu-sidebar').screenshot({ path: path.join(OUTPUT, 'sidebar-tuning.png') });
    await page.screenshot({ path: path.join(OUTPUT, 'editor-tuning.png') });
    assert.deepStrictEqual(pageErrors, [], 'no uncaught errors in the page');
  });
});
