/**
 * Editor actions shared by the browser specs: importing one of this package's example flows the way
 * a user does it, through the main menu's Import ▸ Examples.
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';

export const MODULE = '@resu-circuits/node-red-resu';

/**
 * Import ▸ Examples ▸ this package ▸ `name` (the file name without .json) ▸ Import. The editor
 * fetches the file after the dialog closes: resolves once the example's tab (`tabId`) exists. A flow
 * with its own tab is placed where the file says, nothing follows the mouse. Throws when the editor
 * stops at "Some of the nodes you are importing already exist" instead of importing.
 */
export async function importExample(page: Page, name: string, tabId: string): Promise<void> {
  await page.click('#red-ui-header-button-sidemenu');
  await page.click('#menu-item-import');
  await page.click('#red-ui-clipboard-dialog-import-tabs a[href="#red-ui-clipboard-dialog-import-tab-examples"]');
  const tab = page.locator('#red-ui-clipboard-dialog-import-tab-examples');
  const example = tab.locator('.red-ui-treeList-label', { hasText: name }).first();
  // the package's folder may still be open from an earlier import (a click would close it)
  if (!(await example.isVisible())) await tab.locator('.red-ui-treeList-label', { hasText: MODULE }).first().click();
  await example.click();
  // the click selects it (the tree may still be unfolding: click again until it is the selection)
  await page.waitForFunction((wanted) => {
    const selected = document.querySelector('#red-ui-clipboard-dialog-import-tab-examples .red-ui-treeList-label.selected');
    return (selected?.textContent ?? '').includes(wanted) && !document.querySelector<HTMLButtonElement>('#red-ui-clipboard-dialog-ok')?.disabled;
  }, name, { timeout: 10_000 }).catch(async () => {
    await example.click();
    await page.waitForFunction(() => !document.querySelector<HTMLButtonElement>('#red-ui-clipboard-dialog-ok')?.disabled, undefined, { timeout: 10_000 });
  });
  const selected = await page.locator('#red-ui-clipboard-dialog-import-tab-examples .red-ui-treeList-label.selected').textContent();
  assert.ok((selected ?? '').includes(name), `selected "${selected}" in Import ▸ Examples, wanted "${name}"`);
  await page.click('#red-ui-clipboard-dialog-ok');
  // either the flow arrives or the editor asks what to do with nodes that already exist
  await page.waitForFunction(`RED.nodes.workspace(${JSON.stringify(tabId)}) || (${conflictNotice.toString()})() !== null`);
  assert.strictEqual(await page.evaluate(conflictNotice), null, `importing "${name}" stopped at the editor's conflict notice`);
  assert.strictEqual(await page.evaluate(() => (window as any).RED.view.state()), 0, 'imported nodes are placed, not dragged'); // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Runs in the page: the text of the editor's "… already exist in your workspace" notice, or null. */
function conflictNotice(): string | null {
  const notice = Array.from(document.querySelectorAll('.red-ui-notification')).find((el) => /already exist/.test(el.textContent ?? ''));
  return notice ? (notice.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 200) : null;
}
