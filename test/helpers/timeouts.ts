/**
 * Loaded by mocha (`require` in the mocha configs and scripts/test-arm.sh). Under emulation
 * (qemu-user runs Node 10–40× slower) RESU_TEST_MIN_TIMEOUT_S raises every mocha timeout, those a
 * spec sets with this.timeout() included, to at least that many seconds. A floor rather than a
 * factor, because mocha passes a suite's timeout on to each test and hook through the same setter
 * (a factor would compound). Without the variable nothing changes.
 */
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { Runnable } = require('mocha') as { Runnable: { prototype: { timeout(this: unknown, ms?: number | string): unknown } } };
import { childTimeoutMs } from './node-command';

if (Number(process.env.RESU_TEST_MIN_TIMEOUT_S) > 0) {
  const setTimeoutOf = Runnable.prototype.timeout;
  Runnable.prototype.timeout = function (this: unknown, ...args: [(number | string)?]) {
    if (args.length === 0) return setTimeoutOf.call(this);
    const ms = args[0];
    return setTimeoutOf.call(this, typeof ms === 'number' ? childTimeoutMs(ms) : ms);
  };
}
