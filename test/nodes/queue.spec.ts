/**
 * shared/queue.ts: the FIFO survives anything a message, a handler or Node-RED's done/send throws
 * (issue 13, finding 1: done(err) threw inside the catch block, `running` stayed true, the rejection
 * was unhandled and the node never processed another message).
 */
import * as assert from 'assert';
import { createQueue, Done } from '../../nodes/shared/queue';

type Msg = Record<string, unknown>;

/** Resolves once `count` messages have been completed (count-based, never a duration). */
function completions(count: number) {
  const done: { msg: Msg; err?: Error }[] = [];
  let resolve: () => void = () => undefined;
  const all = new Promise<void>((r) => { resolve = r; });
  const make = (msg: Msg, throwing = false): Done => (err?: Error) => {
    done.push({ msg, err });
    if (done.length === count) resolve();
    if (throwing) throw new RangeError('Maximum call stack size exceeded');
  };
  return { done, all, make };
}

describe('shared/queue (FIFO)', function () {
  let unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason); };
  beforeEach(function () { unhandled = []; process.on('unhandledRejection', onUnhandled); });
  afterEach(function () { process.removeListener('unhandledRejection', onUnhandled); });

  it('keeps going when done(err), done(), send, the handler (with a non-Error) and onError all throw', async function () {
    const handled: number[] = [];
    const failures: string[] = [];
    const queue = createQueue(undefined, async (msg, send) => {
      handled.push(msg.n as number);
      if (msg.n === 1) throw new Error('bad input');                 // → done(err), which throws
      if (msg.n === 2) send({ payload: 1 });                         // send throws → done(err)
      if (msg.n === 3) throw { toString() { throw new Error('no text'); } }; // eslint-disable-line no-throw-literal
    }, {
      onError: () => { throw new Error('status broke'); },
      onDoneFailed: (err) => failures.push(err.message),
    });
    const c = completions(5);
    const throwingSend = (): void => { throw new RangeError('Maximum call stack size exceeded'); };
    queue.push({ n: 1 }, () => undefined, c.make({ n: 1 }, true));
    queue.push({ n: 2 }, throwingSend, c.make({ n: 2 }));
    queue.push({ n: 3 }, () => undefined, c.make({ n: 3 }));
    queue.push({ n: 4 }, () => undefined, c.make({ n: 4 }, true));   // done() throws on success too
    queue.push({ n: 5 }, () => undefined, c.make({ n: 5 }));
    await c.all;
    assert.deepStrictEqual(handled, [1, 2, 3, 4, 5], 'every message handled, in order');
    assert.deepStrictEqual(c.done.map((d) => d.err?.message ?? null), ['bad input', 'Maximum call stack size exceeded', 'unknown error (the thrown value cannot be turned into text)', null, null]);
    assert.deepStrictEqual(failures, ['Maximum call stack size exceeded', 'Maximum call stack size exceeded']);
    // the queue is idle again (running was reset): a later message runs at once
    const later = completions(1);
    queue.push({ n: 6 }, () => undefined, later.make({ n: 6 }));
    await later.all;
    await new Promise((r) => setImmediate(r));
    assert.deepStrictEqual(unhandled, []);
  });

  it('counts messages dropped on a full queue and reports each drop; draining completes the waiting ones', async function () {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const drops: number[] = [];
    const queue = createQueue({ nodeMessageBufferMaxLength: 2 }, async () => { await gate; }, { onDrop: (n) => drops.push(n) });
    const c = completions(6);
    for (let n = 0; n < 6; n++) queue.push({ n }, () => undefined, c.make({ n }, n === 4));
    // one running, two waiting, three dropped (one of whose done() throws: still counted, queue intact)
    assert.strictEqual(queue.length, 2);
    assert.strictEqual(queue.dropped, 3);
    assert.deepStrictEqual(drops, [1, 2, 3]);
    queue.drain();
    release();
    await c.all;
    assert.strictEqual(c.done.filter((d) => /input queue full/.test(d.err?.message ?? '')).length, 3);
    assert.deepStrictEqual(unhandled, []);
  });
});
