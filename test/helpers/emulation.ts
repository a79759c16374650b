/**
 * Under qemu-user emulation (scripts/test-arm.sh sets RESU_TEST_EMULATED=1) Node runs 10–40× slower.
 * Statistical ensembles (many seeded runs of 10⁵–10⁶ samples) and heap measurements exercise the
 * same code paths as the single-run specs next to them, with the same IEEE doubles on every
 * platform, so they run natively only: under emulation they are reported as pending, with the reason.
 */
export const EMULATED = process.env.RESU_TEST_EMULATED === '1';

/** Skips the running test under emulation (call first in the test body). */
export function nativeOnly(test: Mocha.Context, why: string): void {
  if (!EMULATED) return;
  // eslint-disable-next-line no-console
  console.log(`      native only (${why}): skipped under emulation`);
  test.skip();
}
