/**
 * The two issue-20 example flows in a real editor at 1366×768 (palette and sidebar open): every
 * node lies inside the visible canvas, no two nodes overlap and every node is valid (no red
 * triangle), with the flow deployed and idle. Screenshots: test-output/example-8-idle.png, example-9-idle.png (the run and its layout: examples.spec.ts).
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, OUTPUT } from './chromium';
import { NodeRedProcess, PACKAGE_ROOT, startNodeRed } from './node-red-process';

const EXAMPLES = ['8 2-D motion - T4a to T4d', '9 Both directions - two opposite T4 units'];

describe('issue-20 example flows in the editor at 1366×768 (chromium)', function () {
  this.timeout(180_000);
  let browser: Browser | null = null;

  before(async function () { browser = await launchChromium(this); });
  after(async function () { await browser?.close(); });

  for (const name of EXAMPLES) {
    it(`${name}: fits the canvas, nodes do not overlap`, async function () {
      const flows = JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'examples', `${name}.json`), 'utf8'));
      const red: NodeRedProcess = await startNodeRed({ flows });
      let page: Page | null = null;
      try {
        page = await browser!.newPage({ viewport: { width: 1366, height: 768 } });
        await page.goto(red.url);
        await page.waitForFunction(() => (window as any).RED?.nodes?.filterNodes({}).length > 5 && document.querySelectorAll('.red-ui-flow-node').length > 5); // eslint-disable-line @typescript-eslint/no-explicit-any
        await page.waitForTimeout(1500); // let the initial statuses arrive
        const chart = await page.locator('#red-ui-workspace-chart').boundingBox();
        const boxes = await page.$$eval('g.red-ui-flow-node-group', (els) => els.map((el) => {
          const rect = el.querySelector('rect.red-ui-flow-node')!.getBoundingClientRect();
          return { id: el.id, x: rect.x, y: rect.y, w: rect.width, h: rect.height };
        }));
        await page.screenshot({ path: path.join(OUTPUT, `example-${name.split(' ')[0]}-idle.png`) });
        assert.ok(boxes.length > 10, `${boxes.length} nodes drawn`);
        const invalid = await page.evaluate(() => (window as any).RED.nodes.filterNodes({}).filter((n: any) => n.valid === false).map((n: any) => `${n.type} ${n.name}`)); // eslint-disable-line @typescript-eslint/no-explicit-any
        assert.deepStrictEqual(invalid, [], 'every node valid (no red triangle)');
        for (const b of boxes) {
          assert.ok(b.x >= chart!.x && b.y >= chart!.y && b.x + b.w <= chart!.x + chart!.width && b.y + b.h <= chart!.y + chart!.height, `${b.id} inside the visible canvas ${JSON.stringify(chart)}: ${JSON.stringify(b)}`);
        }
        for (let i = 0; i < boxes.length; i++) {
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i], boxes[j]];
            const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
            assert.ok(!overlap, `${a.id} and ${b.id} overlap`);
          }
        }
      } finally {
        await page?.close();
        await red.stop();
      }
    });
  }
});
