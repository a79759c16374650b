/**
 * Debian's chromium for the browser specs, driven by playwright-core (`npx playwright install`
 * cannot download browsers here). Without a browser at $CHROMIUM_PATH (default /usr/bin/chromium)
 * a spec is skipped locally and fails under CI=true (.ci/run installs chromium).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { PACKAGE_ROOT } from './node-red-process';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** Screenshots and logs of the browser specs (gitignored). */
export const OUTPUT = path.join(PACKAGE_ROOT, 'test-output');

/** Launches chromium for a spec's `before` hook, or skips the spec (throws under CI) without one. */
export async function launchChromium(context: Mocha.Context): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`no browser at ${CHROMIUM}: .ci/run installs Debian's chromium (apt-get install -y chromium)`);
    context.skip();
  }
  fs.mkdirSync(OUTPUT, { recursive: true });
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/**
 * Errors Node-RED's own editor bundle throws by itself, not caused by this package: Node-RED 5.0.7's
 * info-sidebar tips timer can fire before the sidebar has made its tip box ("Cannot read properties
 * of undefined (reading 'html')" in red.min.js), a start-up race that a loaded machine loses.
 */
const NODE_RED_OWN_ERRORS = [/^Cannot read properties of undefined \(reading 'html'\)$/];

/**
 * Collects the page's uncaught errors (message and stack) for a spec to assert empty, leaving out
 * {@link NODE_RED_OWN_ERRORS} when they come from Node-RED's bundle (they go to test-output/).
 */
export function recordPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => {
    const firstFrame = (err.stack ?? '').split('\n').find((line) => /^\s*at /.test(line)) ?? '';
    const text = `${err.message}\n${err.stack ?? ''}`;
    if (/\/red\/red(\.min)?\.js/.test(firstFrame) && NODE_RED_OWN_ERRORS.some((known) => known.test(err.message))) {
      fs.appendFileSync(path.join(OUTPUT, 'node-red-own-errors.log'), `${new Date().toISOString()} ${text}\n`);
      return;
    }
    errors.push(text);
  });
  return errors;
}
