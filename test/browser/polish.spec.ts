/**
 * Issue 14.8's polish in the real editor (chromium + playwright-core; Node-RED 4.1 here, Node-RED 5
 * in scripts/test-nr5.sh), checked the way a user meets it:
 *   - the ReSU palette lists the sources (scanner, noise, grating probe) before the nodes that
 *     process their chunks; no entry is labelled "ReSU" like the category; the grating probe is
 *     not coloured like T4;
 *   - the ReSU sidebar lists nodes dropped from the palette and deployed unnamed by the label the
 *     canvas shows, with their tab, numbered when two read the same; never by id;
 *   - in every node's edit dialog no dropdown cuts its choices off, every hint of the declaration
 *     (nodes/shared/config.ts) is a visible line (not a placeholder hidden by a pre-filled 0), and
 *     the context store is a dropdown of the stores configured in settings.js.
 * Screenshots: test-output/polish-*-nr<Node-RED major version>.png.
 */
import * as assert from 'assert';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { NODE_SETTINGS } from '../../nodes/shared/config';
import { launchChromium, OUTPUT, recordPageErrors } from './chromium';
import { NodeRedProcess, startNodeRed } from './node-red-process';

const SOURCES = ['resu-scanner', 'resu-noise', 'resu-grating'];
const TABS = [{ id: 'polish-a', type: 'tab', label: 'Layer 1' }, { id: 'polish-b', type: 'tab', label: 'Motion' }];

declare const RED: any; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('editor polish (issue 14.8): palette, labels, colours, sidebar names', function () {
  this.timeout(300_000);
  let red: NodeRedProcess | null = null;
  let browser: Browser | null = null;
  let page: Page;
  let browserErrors: string[] = [];
  let major = '';
  const shot = (name: string): string => path.join(OUTPUT, `polish-${name}-nr${major}.png`);

  before(async function () {
    browser = await launchChromium(this);
    red = await startNodeRed({ flows: TABS, fileStore: true });
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    browserErrors = recordPageErrors(page);
    await page.goto(red.url);
    await page.waitForSelector('#red-ui-palette-container-ReSU', { state: 'attached', timeout: 60_000 });
    await page.waitForFunction((tab) => typeof RED !== 'undefined' && RED.nodes.workspace(tab) !== undefined, TABS[0].id);
    major = String(await page.evaluate(() => RED.settings.version)).split('.')[0];
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) await page.screenshot({ path: shot(`failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 40)}`) }).catch(() => undefined);
  });

  /** Drags a node from the palette onto the shown tab at (x, y) of the canvas; returns its id. */
  async function drop(type: string, x: number, y: number): Promise<string> {
    const before = await page.evaluate((t) => RED.nodes.filterNodes({ type: t }).map((n: { id: string }) => n.id) as string[], type);
    const entry = page.locator(`#red-ui-palette-container-ReSU .red-ui-palette-node[data-palette-type="${type}"]`);
    await entry.scrollIntoViewIfNeeded();
    const from = (await entry.boundingBox())!;
    const chart = (await page.locator('#red-ui-workspace-chart').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(chart.x + x, chart.y + y, { steps: 12 });
    await page.mouse.up();
    const id = await page.evaluate(({ t, known }) => RED.nodes.filterNodes({ type: t }).map((n: { id: string }) => n.id).find((i: string) => !known.includes(i)) as string | undefined, { t: type, known: before });
    assert.ok(id, `${type} dropped from the palette`);
    return id!;
  }

  it('lists the sources first in the ReSU palette, labels no entry "ReSU", and colours the grating probe unlike T4', async function () {
    const palette = await page.$$eval('#red-ui-palette-container-ReSU .red-ui-palette-node', (els) => els.map((el) => ({
      type: el.getAttribute('data-palette-type') ?? '', label: (el.textContent ?? '').replace(/\s+/g, ' ').trim(), colour: getComputedStyle(el).backgroundColor,
    })));
    await page.locator('#red-ui-palette-container-ReSU').screenshot({ path: shot('palette') });
    const types = palette.map((entry) => entry.type);
    assert.deepStrictEqual(types.slice(0, SOURCES.length), SOURCES, `palette order ${types.join(', ')}`);
    assert.ok(types.length >= 7, `${types.length} ReSU nodes in the palette`);
    for (const entry of palette) assert.notStrictEqual(entry.label, 'ReSU', `${entry.type} is labelled like its category`);
    assert.strictEqual(palette.find((entry) => entry.type === 'resu-unit')?.label, 'ReSU unit');
    const colour = (type: string): string => palette.find((entry) => entry.type === type)!.colour;
    assert.notStrictEqual(colour('resu-grating'), colour('resu-t4'), 'the probe and T4 have their own colours');
    assert.deepStrictEqual(browserErrors, []);
  });

  it('the ReSU sidebar lists unnamed nodes by their canvas label and tab, numbered when equal, never by id', async function () {
    await page.evaluate((tab) => RED.workspaces.show(tab), TABS[0].id);
    const cca1 = await drop('resu-cca', 200, 80);
    const cca2 = await drop('resu-cca', 200, 180);
    await page.evaluate((tab) => RED.workspaces.show(tab), TABS[1].id);
    const t4 = await drop('resu-t4', 200, 80);
    const probe = await drop('resu-grating', 200, 180);
    const named = await drop('resu-cca', 200, 280);
    await page.evaluate((id) => { const node = RED.nodes.node(id); node.name = 'my learner'; node.dirty = true; RED.view.redraw(); }, named);
    const labels = await page.evaluate((ids) => ids.map((id: string) => RED.utils.getNodeLabel(RED.nodes.node(id), '') as string), [cca1, t4, probe]);
    // the canvas labels with the defaults: no "undefined", no id
    assert.deepStrictEqual(labels.map((label: string) => /undefined|polish|^[0-9a-f]{16}$/.test(label)), [false, false, false], JSON.stringify(labels));
    await page.click('#red-ui-header-button-deploy');
    await page.waitForFunction(() => !RED.nodes.dirty());
    await page.evaluate(() => RED.sidebar.show('resu-sidebar'));
    await page.waitForFunction(() => document.querySelectorAll('.resu-sidebar-node option').length === 5, undefined, { timeout: 60_000 });
    const options = await page.$$eval('.resu-sidebar-node option', (els) => els.map((el) => ({ id: (el as HTMLOptionElement).value, text: el.textContent ?? '' })));
    const textOf = (id: string): string => options.find((option) => option.id === id)?.text ?? '(missing)';
    assert.deepStrictEqual([cca1, cca2, t4, probe, named].map(textOf), [
      `${labels[0]} · Layer 1 #1`, `${labels[0]} · Layer 1 #2`, `${labels[1]} · Motion`, `${labels[2]} · Motion`, 'my learner · Motion',
    ]);
    for (const option of options) assert.ok(!option.text.includes(option.id), `"${option.text}" shows the node id`);
    // the line under the buttons names the kind of node as the palette does
    await page.selectOption('.resu-sidebar-node', t4);
    await page.waitForFunction(() => document.querySelector('.resu-sidebar-status')?.textContent === 'T4 pooling');
    await page.locator('.resu-sidebar').screenshot({ path: shot('sidebar') });
    assert.deepStrictEqual(browserErrors, []);
  });

  it('edit dialogs: whole choices in every dropdown, every hint visible, the context store a list of the configured stores', async function () {
    await page.evaluate((tab) => RED.workspaces.show(tab), TABS[0].id);
    const types = Object.keys(NODE_SETTINGS);
    const ids: Record<string, string> = {};
    for (const [i, type] of types.entries()) ids[type] = await drop(type, 420 + (i % 2) * 220, 60 + Math.floor(i / 2) * 70);
    for (const type of types) {
      await page.evaluate((id) => RED.editor.edit(RED.nodes.node(id)), ids[type]);
      await page.waitForSelector('#node-input-name', { state: 'visible' });
      await page.waitForFunction(() => !(window as any).$('.red-ui-tray').is(':animated')); // eslint-disable-line @typescript-eslint/no-explicit-any
      const form = await page.evaluate(() => {
        const measure = document.createElement('canvas').getContext('2d')!;
        const visible = (el: Element): boolean => (el as HTMLElement).offsetParent !== null;
        const selects = Array.from(document.querySelectorAll<HTMLSelectElement>('#dialog-form select')).filter(visible).map((select) => {
          measure.font = getComputedStyle(select).font;
          // the room for the text: the box minus its padding and the arrow (≈ 24 px)
          const style = getComputedStyle(select);
          const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 24;
          return { id: select.id, room, widest: Math.max(...Array.from(select.options).map((o) => measure.measureText(o.textContent ?? '').width)), values: Array.from(select.options).map((o) => o.value) };
        });
        const hints = Array.from(document.querySelectorAll('#dialog-form .resu-setting-hint')).filter(visible).map((el) => el.textContent ?? '');
        const placeholders = Array.from(document.querySelectorAll<HTMLInputElement>('#dialog-form input[placeholder]')).filter(visible).map((el) => el.id);
        const shownRows = Array.from(document.querySelectorAll('#dialog-form .form-row')).filter(visible).map((row) => row.querySelector('[id^="node-input-"]')?.id ?? '');
        return { selects, hints, placeholders, shownRows, stores: RED.settings.context?.stores as string[] | undefined };
      });
      await page.screenshot({ path: shot(`edit-${type}`) });
      for (const select of form.selects) assert.ok(select.widest <= select.room, `${type} ${select.id}: the widest choice needs ${Math.round(select.widest)} px, the dropdown has ${Math.round(select.room)}`);
      assert.deepStrictEqual(form.placeholders, [], `${type}: hints as placeholders vanish behind pre-filled values`);
      const settings = NODE_SETTINGS[type];
      const expectedHints = Object.entries(settings)
        .filter(([name, spec]) => spec.hint && spec.kind !== 'boolean' && form.shownRows.includes(`node-input-${name}`))
        .map(([, spec]) => spec.hint);
      assert.deepStrictEqual(form.hints, expectedHints, `${type}: every hint of a shown field is a visible line`);
      if (settings.store) {
        assert.deepStrictEqual(form.stores, ['default', 'file'], 'settings.js configures the default (memory) and a file store');
        assert.deepStrictEqual(form.selects.find((s) => s.id === 'node-input-store')?.values, ['', 'file'], `${type}: the context store offers the default and each other configured store`);
      }
      await page.click('#node-dialog-cancel');
      await page.waitForSelector('#node-input-name', { state: 'detached' });
    }
    assert.deepStrictEqual(browserErrors, []);
  });
});
