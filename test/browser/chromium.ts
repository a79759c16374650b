/**
 * Debian's chromium for the browser specs, driven by playwright-core (`npx playwright install`
 * cannot download browsers here). Without a browser at $CHROMIUM_PATH (default /usr/bin/chromium)
 * a spec is skipped locally and fails under CI=true (.ci/run installs chromium).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
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
