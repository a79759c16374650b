/**
 * nodes/shared/status.ts with fake timers and a mock `Pick<Node, 'status'>`: at most one status
 * update per interval (≤ 2 Hz by default) whatever the kind, the latest shown at the end of each
 * interval, failures never replaced by a later ok within the interval, no timer left behind.
 */
import { strict as assert } from 'assert';
import * as FakeTimers from '@sinonjs/fake-timers';
import { createStatus, StatusTarget } from '../../../nodes/shared/status';

type Shown = Parameters<StatusTarget['status']>[0];

/** A node that records every status it is given, with the fake time it was given at. */
function recordingNode(clock: FakeTimers.Clock): StatusTarget & { shown: { at: number; status: Shown }[] } {
  const shown: { at: number; status: Shown }[] = [];
  return { shown, status: (status) => { shown.push({ at: clock.now, status }); } };
}

describe('nodes/shared/status (throttled status)', function () {
  let clock: FakeTimers.Clock;
  beforeEach(function () { clock = FakeTimers.install({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }); });
  afterEach(function () { clock.uninstall(); });

  it('shows the first update at once, holds later ones, shows only the latest when the interval ends, then stops', function () {
    const node = recordingNode(clock);
    const status = createStatus(node);
    status.ok('1 chunk');
    assert.deepEqual(node.shown, [{ at: 0, status: { fill: 'green', shape: 'dot', text: '1 chunk' } }]);
    status.ok('2 chunks');
    status.idle('frozen');
    status.ok('3 chunks');
    clock.tick(499);
    assert.equal(node.shown.length, 1, 'nothing more within the interval');
    clock.tick(1);
    assert.deepEqual(node.shown.map((s) => [s.at, s.status.text]), [[0, '1 chunk'], [500, '3 chunks']]);
    clock.tick(500);
    assert.equal(node.shown.length, 2, 'nothing pending: nothing shown');
    assert.equal(clock.countTimers(), 0, 'and no timer left running');
    status.warn('later');
    assert.deepEqual(node.shown[2], { at: 1000, status: { fill: 'yellow', shape: 'ring', text: 'later' } }, 'a quiet node shows at once again');
  });

  it('a flood of updates of any kind reaches the node at most once per interval, the last one last', function () {
    for (const kind of ['ok', 'idle', 'warn', 'failed', 'clear', 'mixed'] as const) {
      const node = recordingNode(clock);
      const status = createStatus(node);
      const start = clock.now;
      // 10 s at 1 kHz
      for (let i = 0; i < 10_000; i++) {
        const k = kind === 'mixed' ? (['ok', 'failed', 'idle', 'clear', 'warn'] as const)[i % 5] : kind;
        if (k === 'failed') status.failed(new Error(`bad ${i}`));
        else if (k === 'clear') status.clear();
        else status[k](`${i}`);
        clock.tick(1);
      }
      clock.tick(1000);
      const times = node.shown.map((s) => s.at - start);
      assert.ok(node.shown.length <= 21, `${kind}: ${node.shown.length} updates in 10 s`);
      times.slice(1).forEach((t, i) => assert.ok(t - times[i] >= 500, `${kind}: updates at ${times[i]} and ${t} ms`));
      const last = node.shown[node.shown.length - 1].status;
      const expected = { ok: { text: '9999' }, idle: { text: '9999' }, warn: { text: '9999' }, failed: { text: 'bad 9999' }, clear: {}, mixed: { text: '9999' } }[kind];
      if (kind === 'clear') assert.deepEqual(last, {});
      else assert.equal(last.text, expected.text, `${kind}: the latest update is the one left showing`);
      status.dispose();
      assert.equal(clock.countTimers(), 0);
    }
  });

  it('a failure is shown at once on a quiet node and stays at least one interval, however soon the next ok comes', function () {
    const node = recordingNode(clock);
    const status = createStatus(node);
    status.failed(new Error('msg.payload[3] is not finite'));
    status.ok('1 chunk');
    assert.deepEqual(node.shown, [{ at: 0, status: { fill: 'red', shape: 'ring', text: 'msg.payload[3] is not finite' } }]);
    clock.tick(500);
    assert.deepEqual(node.shown.map((s) => [s.at, s.status.fill, s.status.text]), [[0, 'red', 'msg.payload[3] is not finite'], [500, 'green', '1 chunk']]);
  });

  it('a failure within an interval is not replaced by later updates: it is shown when the interval ends, then the latest of them', function () {
    const node = recordingNode(clock);
    const status = createStatus(node);
    status.ok('1 chunk');
    status.ok('2 chunks');
    status.failed(new Error('first reason'));
    status.failed('second reason');
    status.ok('4 chunks');
    status.idle('5 chunks');
    clock.tick(500);
    clock.tick(500);
    clock.tick(500);
    assert.deepEqual(node.shown.map((s) => [s.at, s.status.fill, s.status.text]), [
      [0, 'green', '1 chunk'], [500, 'red', 'second reason'], [1000, 'blue', '5 chunks'],
    ], 'the ok that came before the failure is never shown; the last failure reason is');
    assert.equal(clock.countTimers(), 0);
  });

  it('clear empties the status and supersedes anything pending, a pending failure included', function () {
    const node = recordingNode(clock);
    const status = createStatus(node);
    status.clear();
    assert.deepEqual(node.shown, [{ at: 0, status: {} }], 'at once on a quiet node');
    status.failed(new Error('bad'));
    status.ok('3 chunks');
    status.clear();
    clock.tick(500);
    assert.deepEqual(node.shown.map((s) => s.status), [{}, {}]);
    status.ok('after reset');
    clock.tick(500);
    assert.deepEqual(node.shown.map((s) => s.status), [{}, {}, { fill: 'green', shape: 'dot', text: 'after reset' }]);
  });

  it('shortens text to 60 characters and reports non-Error failures as text', function () {
    const node = recordingNode(clock);
    const status = createStatus(node, 10);
    const long = 'x'.repeat(61);
    status.ok(long);
    clock.tick(10);
    status.failed(new Error('y'.repeat(200)));
    clock.tick(10);
    status.failed(42);
    clock.tick(10);
    status.ok('z'.repeat(60));
    clock.tick(10);
    status.ok('w'.repeat(100), 120); // a summary allowed more (a 2-D probe's four units)
    clock.tick(10);
    status.ok('v'.repeat(121), 120);
    const texts = node.shown.map((s) => s.status.text!);
    assert.deepEqual(texts, [`${'x'.repeat(57)}…`, `${'y'.repeat(57)}…`, '42', 'z'.repeat(60), 'w'.repeat(100), `${'v'.repeat(117)}…`]);
  });

  it('honours its interval', function () {
    const node = recordingNode(clock);
    const status = createStatus(node, 2000);
    status.ok('a');
    status.ok('b');
    clock.tick(1999);
    assert.equal(node.shown.length, 1);
    clock.tick(1);
    assert.deepEqual(node.shown.map((s) => [s.at, s.status.text]), [[0, 'a'], [2000, 'b']]);
  });

  it('dispose stops the timer, drops what is pending and ignores every later call', function () {
    const node = recordingNode(clock);
    const status = createStatus(node);
    status.ok('a');
    status.failed(new Error('pending'));
    assert.equal(clock.countTimers(), 1);
    status.dispose();
    assert.equal(clock.countTimers(), 0);
    status.ok('b'); status.idle('c'); status.warn('d'); status.failed(new Error('e')); status.clear();
    status.dispose();
    clock.tick(5000);
    assert.deepEqual(node.shown.map((s) => s.status.text), ['a']);
    assert.equal(clock.countTimers(), 0);
  });
});
