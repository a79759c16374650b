/**
 * The help of every ReSU node as a user meets it: a real Node-RED (this package installed, one
 * node of each type on a tab) and Debian's chromium driven by playwright-core. For each type the
 * test opens the Help sidebar (as the edit dialog's book button does) and checks the rendered DOM:
 * h3 sections Inputs / Outputs / Details / References; property boxes (`dl.message-properties`)
 * whose `dt` names and `.property-type` spans are separate and side by side, with nothing falling
 * out of the box; one `ol.node-ports` entry per output port, named as the port's label; no raw
 * markdown; a link to the paper; and a Settings entry for every field of the node's edit dialog.
 * Screenshots of the sidebar go to test-output/help-<type>-nr<major version>.png (gitignored).
 *
 * Runs on Node-RED 4.1 (`npm test`) and 5 (scripts/test-nr5.sh). Without a browser at
 * $CHROMIUM_PATH (default /usr/bin/chromium) the test is skipped locally and fails under CI=true.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, OUTPUT, recordPageErrors } from './chromium';
import { NodeRedProcess, PACKAGE_ROOT, startNodeRed } from './node-red-process';

const PAPER_URL = 'https://arxiv.org/abs/2512.23146';
const TYPES = Object.keys((JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);
const VIEWPORT = { width: 1400, height: 900 };
const TAB = 'resu-help-tab';
const nodeId = (type: string): string => `help-${type}`;

/** What the Help sidebar shows for one node type (gathered in the page). */
interface RenderedHelp {
  title: string;
  sections: string[];
  propertyLists: {
    section: string | null;
    inPort: boolean;
    /** Text or elements directly inside the dl that are not dt/dd. */
    stray: string[];
    entries: { name: string; type: string; separated: boolean; dtInside: boolean; ddInside: boolean; ddText: number }[];
  }[];
  ports: { name: string; section: string | null; hasProperties: boolean }[];
  text: string;
  /** Elements reaching past the right edge of the help (cut off: code spans do not wrap). */
  overflowing: string[];
  links: string[];
  outputs: number;
  outputLabels: string[] | null;
}

/** Runs in the page: reads the rendered help of the sidebar. */
function readRenderedHelp(type: string): RenderedHelp {
  const RED = (window as any).RED; // eslint-disable-line @typescript-eslint/no-explicit-any
  const titleElement = document.querySelector('.red-ui-sidebar-help-stack h1.red-ui-help-title')!;
  const help = titleElement.nextElementSibling as HTMLElement;
  const body = (help.querySelector(':scope > .red-ui-text-bidi-aware') as HTMLElement | null) ?? help;
  const sectionOf = new Map<Element, string>();
  const sections: string[] = [];
  let current: string | null = null;
  for (const el of Array.from(body.children)) {
    if (el.tagName === 'H3') { current = (el.textContent ?? '').trim(); sections.push(current); } else if (current !== null) sectionOf.set(el, current);
  }
  const section = (el: Element): string | null => {
    let node: Element | null = el;
    while (node && node.parentElement !== body) node = node.parentElement;
    return node ? sectionOf.get(node) ?? null : null;
  };
  const firstText = (el: Element): Text | undefined => Array.from(el.childNodes).find((n): n is Text => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
  const propertyLists = Array.from(body.querySelectorAll('dl.message-properties')).map((dl) => {
    const box = dl.getBoundingClientRect();
    const inside = (r: DOMRect): boolean => r.left >= box.left - 0.5 && r.right <= box.right + 0.5 && r.top >= box.top - 0.5 && r.bottom <= box.bottom + 0.5;
    const stray = Array.from(dl.childNodes)
      .filter((n) => (n.nodeType === Node.TEXT_NODE ? (n.textContent ?? '').trim() !== '' : n.nodeType === Node.ELEMENT_NODE && !['DT', 'DD'].includes(n.nodeName)))
      .map((n) => (n.textContent ?? '').trim().slice(0, 60));
    const entries = Array.from(dl.children).filter((el) => el.tagName === 'DT').map((dt) => {
      const nameNode = firstText(dt);
      const type = dt.querySelector('.property-type');
      let separated = false;
      if (nameNode && type) {
        const range = document.createRange();
        range.selectNodeContents(nameNode);
        const name = range.getBoundingClientRect(), typeBox = type.getBoundingClientRect();
        // side by side with a gap (float: right), or the type on a line below: never overlapping
        separated = name.width > 0 && typeBox.width > 0 && (name.right + 2 <= typeBox.left || name.bottom <= typeBox.top);
      }
      const dd = dt.nextElementSibling;
      return {
        name: (nameNode?.textContent ?? '').trim(), type: (type?.textContent ?? '').trim(), separated,
        dtInside: inside(dt.getBoundingClientRect()),
        ddInside: dd?.tagName === 'DD' && inside(dd.getBoundingClientRect()),
        ddText: dd?.tagName === 'DD' ? (dd.textContent ?? '').trim().length : 0,
      };
    });
    return { section: section(dl), inPort: dl.closest('ol.node-ports') !== null, stray, entries };
  });
  const ports = Array.from(body.querySelectorAll('ol.node-ports > li')).map((li) => ({
    name: (firstText(li)?.textContent ?? '').trim(), section: section(li), hasProperties: li.querySelector('dl.message-properties') !== null,
  }));
  const right = help.getBoundingClientRect().right;
  const overflowing = Array.from(body.querySelectorAll('*'))
    .filter((el) => el.getBoundingClientRect().right > right + 0.5)
    .map((el) => `<${el.tagName.toLowerCase()}> ${(el.textContent ?? '').trim().slice(0, 60)}`);
  const def = RED.nodes.getType(type);
  return {
    title: (titleElement.textContent ?? '').trim(), sections, propertyLists, ports, text: body.innerText, overflowing,
    links: Array.from(body.querySelectorAll('a[href]')).map((a) => a.getAttribute('href') ?? ''),
    outputs: def.outputs, outputLabels: Array.isArray(def.outputLabels) ? def.outputLabels : null,
  };
}

describe('node help in the Help sidebar of a real editor (chromium + playwright-core)', function () {
  this.timeout(240_000);
  let red: NodeRedProcess | null = null;
  let browser: Browser | null = null;
  let page: Page;
  /** Major version of the Node-RED that serves the editor (4 in `npm test`, 5 in scripts/test-nr5.sh). */
  let major = '';
  let browserErrors: string[] = [];

  before(async function () {
    browser = await launchChromium(this);
    const flows = [
      { id: TAB, type: 'tab', label: 'ReSU help' },
      ...TYPES.map((type, i) => ({ id: nodeId(type), type, z: TAB, name: '', x: 160 + 220 * (i % 3), y: 80 + 100 * Math.floor(i / 3), wires: [] })),
    ];
    red = await startNodeRed({ flows });
    page = await browser.newPage({ viewport: VIEWPORT });
    browserErrors = recordPageErrors(page);
    await page.goto(red.url);
    await page.waitForSelector('#red-ui-palette-container-ReSU', { state: 'attached', timeout: 60_000 });
    await page.waitForFunction((ids) => {
      const RED = (window as any).RED; // eslint-disable-line @typescript-eslint/no-explicit-any
      return typeof RED?.sidebar?.help?.show === 'function' && ids.every((id: string) => RED.nodes.node(id));
    }, TYPES.map(nodeId), { timeout: 60_000 });
    major = String(await page.evaluate(() => (window as any).RED.settings.version)).split('.')[0]; // eslint-disable-line @typescript-eslint/no-explicit-any
  });

  after(async function () {
    await browser?.close();
    await red?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      await page.screenshot({ path: path.join(OUTPUT, `failed-help-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined);
      if (red) fs.writeFileSync(path.join(OUTPUT, 'node-red-help.log'), red.log());
    }
  });

  /** The labels of the node's edit dialog (its settings), read from the dialog a user opens. */
  async function dialogLabels(type: string): Promise<string[]> {
    await page.evaluate((id) => (window as any).RED.editor.edit((window as any).RED.nodes.node(id)), nodeId(type)); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.waitForSelector('#dialog-form label[for^="node-input-"]', { state: 'attached' });
    const labels = await page.$$eval('#dialog-form label[for^="node-input-"]', (els) => els
      .filter((el) => el.getAttribute('for') !== 'node-input-name')
      .map((el) => (el.textContent ?? '').trim()));
    await page.click('#node-dialog-cancel');
    await page.waitForSelector('#dialog-form', { state: 'detached' });
    return labels;
  }

  /** Opens the Help sidebar on `type`'s help (the edit dialog's book button calls the same). */
  async function showHelp(type: string): Promise<RenderedHelp> {
    await page.evaluate((t) => (window as any).RED.sidebar.help.show(t), type); // eslint-disable-line @typescript-eslint/no-explicit-any
    // the topic list takes part of the tab; hide it so the help has the room
    const toc = page.locator('#red-ui-sidebar-help-show-toc.selected');
    if (await toc.count() > 0) await toc.click();
    const label = await page.evaluate((t) => (window as any).RED.nodes.getType(t).paletteLabel as string, type); // eslint-disable-line @typescript-eslint/no-explicit-any
    await page.waitForFunction((expected) => {
      const title = document.querySelector('.red-ui-sidebar-help-stack h1.red-ui-help-title');
      return title?.textContent?.trim() === expected && title.nextElementSibling?.querySelector('dl.message-properties') !== null;
    }, label);
    return page.evaluate(readRenderedHelp, type);
  }

  /**
   * Node-RED 5 stacks Help over Debug in one sidebar: close the Debug section, as a user does by
   * clicking its (active) tab button, so the help gets the whole height. Node-RED 4 has no such button.
   */
  async function giveHelpTheSidebar(): Promise<void> {
    const bottom = page.locator('#red-ui-sidebar .red-ui-sidebar-section-bottom');
    const debugButton = page.locator('button[data-tab-id="debug"]');
    for (let i = 0; i < 2 && await debugButton.count() > 0 && await bottom.isVisible(); i++) await debugButton.click();
  }

  /** Screenshot of the sidebar with the whole help in view: the window grows to fit it. */
  async function screenshotHelp(type: string): Promise<void> {
    await giveHelpTheSidebar();
    const overflow = await page.evaluate(() => {
      const panel = document.querySelector('.red-ui-sidebar-help-stack h1.red-ui-help-title')!.parentElement!.parentElement!;
      panel.scrollTop = 0;
      return panel.scrollHeight - panel.clientHeight;
    });
    await page.setViewportSize({ width: VIEWPORT.width, height: Math.min(VIEWPORT.height + overflow + 40, 8000) });
    await page.waitForFunction(() => {
      const panel = document.querySelector('.red-ui-sidebar-help-stack h1.red-ui-help-title')!.parentElement!.parentElement!;
      return panel.scrollHeight <= panel.clientHeight + 1;
    }, undefined, { timeout: 10_000 }).catch(() => undefined); // a screenshot of part of it still helps
    await page.locator('#red-ui-sidebar').screenshot({ path: path.join(OUTPUT, `help-${type}-nr${major}.png`) });
    await page.setViewportSize(VIEWPORT);
  }

  it('runs on the Node-RED the test run asks for', function () {
    // scripts/test-nr5.sh sets RESU_NODE_RED_MAJOR=5: the editor must really be served by Node-RED 5
    if (process.env.RESU_NODE_RED_MAJOR) assert.strictEqual(major, process.env.RESU_NODE_RED_MAJOR, 'Node-RED major version of the editor');
    assert.match(major, /^\d+$/);
  });

  it('has the seven ReSU node types in the palette', async function () {
    const types = await page.$$eval('#red-ui-palette-container-ReSU .red-ui-palette-node', (els) => els.map((el) => el.getAttribute('data-palette-type')));
    assert.deepStrictEqual([...types].sort(), [...TYPES].sort());
  });

  for (const type of TYPES) {
    it(`${type}: renders property boxes, one entry per output port, sections and the paper link`, async function () {
      const help = await showHelp(type);
      const where = (what: string): string => `${type}: ${what}`;

      assert.deepStrictEqual(help.sections, ['Inputs', 'Outputs', 'Details', 'References'], where('h3 sections'));
      for (const list of help.propertyLists) {
        assert.deepStrictEqual(list.stray, [], where(`text outside dt/dd in a property box (${list.section})`));
        assert.ok(list.entries.length > 0, where(`an empty property box in ${list.section}`));
        for (const entry of list.entries) {
          const label = where(`${list.section} "${entry.name}" (${entry.type})`);
          assert.ok(entry.name !== '' && entry.type !== '', `${label}: name and property-type both present`);
          assert.ok(entry.separated, `${label}: name and type drawn apart, not run together`);
          assert.ok(entry.dtInside && entry.ddInside, `${label}: dt and dd inside the property box`);
          assert.ok(entry.ddText > 0, `${label}: described`);
          if (list.section === 'Inputs' || list.section === 'Outputs') assert.match(entry.name, /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, `${label}: a message property name`);
        }
      }
      const inputs = help.propertyLists.filter((list) => list.section === 'Inputs');
      assert.ok(inputs.some((list) => list.entries.some((e) => e.name === 'payload')), where('Inputs list msg.payload'));
      const names = inputs.flatMap((list) => list.entries.map((e) => e.name));
      assert.ok(names.includes('reset'), where('Inputs document msg.reset'));

      assert.ok(help.outputs > 0, where('has outputs'));
      assert.strictEqual(help.ports.length, help.outputs, where('one ol.node-ports entry per output port'));
      help.ports.forEach((port, i) => {
        assert.strictEqual(port.section, 'Outputs', where(`port ${i + 1} under Outputs`));
        assert.ok(port.hasProperties, where(`port ${i + 1} lists its message properties`));
        if (help.outputLabels) assert.strictEqual(port.name, help.outputLabels[i], where(`port ${i + 1} named as the port's label`));
      });
      assert.ok(help.propertyLists.filter((list) => list.inPort).length >= help.outputs, where('a property box per port'));

      for (const [pattern, what] of [[/^\s*:\s/m, 'a line starting with ": "'], [/#{2,}/, '"###"'], [/\*\*/, '"**"'], [/`/, 'a backtick']] as const) {
        assert.doesNotMatch(help.text, pattern, where(`no raw markdown (${what})`));
      }
      assert.doesNotMatch(help.text, /README|\.md\b/, where('self-contained (no repository files)'));
      assert.deepStrictEqual(help.overflowing, [], where('nothing cut off at the right edge of the sidebar'));
      assert.ok(help.links.includes(PAPER_URL), where('links the paper'));

      const settings = help.propertyLists.filter((list) => list.section === 'Details').flatMap((list) => list.entries.map((e) => e.name));
      const labels = await dialogLabels(type);
      assert.ok(labels.length > 0, where('the edit dialog has labelled fields'));
      assert.deepStrictEqual(labels.filter((label) => !settings.includes(label)), [], where('every field of the edit dialog is documented under Settings'));

      await screenshotHelp(type);
      assert.deepStrictEqual(browserErrors, [], 'no uncaught errors in the page');
    });
  }
});
