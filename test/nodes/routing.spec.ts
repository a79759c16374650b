/**
 * Fan-out of chunk messages (nodes/shared/routing.ts): the send-event rewrite on its own, then the
 * real Node-RED router with the hook installed (the test helper's runtime routes through
 * @node-red/util's hooks, which the helper does not hand to nodes, so the test installs it), and
 * the promise every ReSU node makes for it: an input message and its payload are never modified.
 */
import { strict as assert } from 'assert';
import { ChunkSamples, toChunkSamples } from '../../nodes/shared/messages';
import { installChunkRouting, isChunkMessage, routeChunkMessages, SendEventLike, uninstallChunkRouting } from '../../nodes/shared/routing';
import { AnyMsg, catchAll, collect, helper, load, nodeModules, plain, startServer, stopServer } from './harness';

const nodeRedUtil = require(require.resolve('@node-red/util', { paths: [require.resolve('node-red')] })); // eslint-disable-line @typescript-eslint/no-require-imports

function chunkMsg(): AnyMsg {
  return { _msgid: 'x', topic: 's', payload: toChunkSamples([[1, 2, 3], [4, 5, 6]]), chunk: { series: 's' }, user: { deep: [1] } };
}
const event = (msg: AnyMsg, id: string, cloneMessage: boolean): SendEventLike => ({ msg, destination: { id }, cloneMessage });
const isResu = (id: string): boolean => id.startsWith('resu');
const clone = (msg: AnyMsg): AnyMsg => nodeRedUtil.util.cloneMessage(msg);

describe('routing of chunk messages (onSend hook)', function () {
  describe('routeChunkMessages', function () {
    it('gives every ReSU destination the original and every other one its own deep copy', function () {
      const msg = chunkMsg();
      const events = [event(msg, 'debug-1', false), event(msg, 'resu-a', true), event(msg, 'fn-1', true), event(msg, 'resu-b', true)];
      routeChunkMessages(events, isResu, clone);
      assert.ok(events.every((e) => e.cloneMessage === false), 'Node-RED copies nothing more');
      assert.equal(events[1].msg, msg);
      assert.equal(events[3].msg, msg);
      for (const copy of [events[0].msg, events[2].msg]) {
        assert.notEqual(copy, msg);
        assert.ok(isChunkMessage(copy));
        assert.deepEqual(plain(copy.payload), plain(msg.payload));
        copy.payload.forEach((channel: ChunkSamples, c: number) => assert.notEqual(channel.buffer, msg.payload[c].buffer));
        assert.notEqual(copy.user, msg.user, 'other properties are deep-copied too');
        assert.deepEqual(copy.user, msg.user);
        assert.equal(copy._msgid, 'x');
      }
      assert.notEqual(events[0].msg, events[2].msg);
    });

    it('without a ReSU destination the first keeps the original (as Node-RED does), the others get fast copies', function () {
      const msg = chunkMsg();
      const events = [event(msg, 'debug-1', false), event(msg, 'fn-1', true)];
      routeChunkMessages(events, isResu, clone);
      assert.equal(events[0].msg, msg);
      assert.notEqual(events[1].msg, msg);
      assert.ok(events.every((e) => e.cloneMessage === false));
    });

    it('leaves single destinations, other messages and mixed payloads to Node-RED', function () {
      const single = [event(chunkMsg(), 'resu-a', false)];
      routeChunkMessages(single, isResu, clone);
      assert.equal(single[0].cloneMessage, false);
      const other = { payload: [[1, 2]] };
      const mixed = { payload: [toChunkSamples([[1]])[0], new Float64Array([2])] };
      for (const msg of [other, mixed, { payload: 'text' }, { payload: [] }]) {
        const events = [event(msg, 'resu-a', false), event(msg, 'resu-b', true)];
        routeChunkMessages(events, isResu, clone);
        assert.equal(events[1].cloneMessage, true);
        assert.equal(events[1].msg, msg);
      }
    });

    it('handles one send with different messages per output (each message on its own)', function () {
      const a = chunkMsg(), b = chunkMsg();
      const events = [event(a, 'resu-a', false), event(a, 'resu-b', true), event(b, 'fn-1', true), event(b, 'resu-c', true)];
      routeChunkMessages(events, isResu, clone);
      assert.equal(events[0].msg, a); assert.equal(events[1].msg, a);
      assert.notEqual(events[2].msg, b); assert.equal(events[3].msg, b);
    });
  });

  describe('in the Node-RED router', function () {
    const delivered: { id: string; msg: AnyMsg }[] = [];
    before(function () {
      installChunkRouting({
        hooks: nodeRedUtil.hooks, settings: {}, util: nodeRedUtil.util,
        nodes: { getNode: (id: string) => helper.getNode(id) },
      } as never);
      nodeRedUtil.hooks.add('preDeliver.routing-spec', (sendEvent: { destination: { id: string }; msg: AnyMsg }) => {
        delivered.push({ id: sendEvent.destination.id, msg: sendEvent.msg });
      });
    });
    after(function () {
      uninstallChunkRouting();
      nodeRedUtil.hooks.remove('preDeliver.routing-spec');
    });
    beforeEach(startServer);
    afterEach(stopServer);

    it('shares a chunk between ReSU nodes, copies it for others, and a mutating consumer harms nobody', async function () {
      await load(nodeModules('resu-noise', 'resu-unit', 'resu-l3'), [
        { id: 'rt-noise', type: 'resu-noise', mode: 'add', sd: 0, seed: 1, wires: [['rt-mutator', 'rt-unit', 'rt-l3', 'rt-watcher']] },
        { id: 'rt-unit', type: 'resu-unit', taps: '[1, 1]', polarity: 'on', wires: [['rt-unit-out']] },
        { id: 'rt-l3', type: 'resu-l3', taps: '[2]', wires: [['rt-l3-out']] },
        { id: 'rt-mutator', type: 'helper' }, { id: 'rt-watcher', type: 'helper' },
        { id: 'rt-unit-out', type: 'helper' }, { id: 'rt-l3-out', type: 'helper' }, ...catchAll(),
      ]);
      // the first destination mutates what it gets, before the others run
      helper.getNode('rt-mutator').on('input', (msg: AnyMsg) => { msg.payload[0][0] = 999; msg.payload[1].fill(-5); });
      const watched = collect('rt-watcher', 1), unitOut = collect('rt-unit-out', 1), l3Out = collect('rt-l3-out', 1);
      delivered.length = 0;
      helper.getNode('rt-noise').receive({ payload: [[1, 2, 3], [4, 5, 6]], topic: 'a' });
      const [[watcher], [unit], [l3]] = await Promise.all([watched, unitOut, l3Out]);
      assert.deepEqual(plain(watcher.payload), [[1, 2, 3], [4, 5, 6]], 'the watcher has its own copy');
      assert.deepEqual(plain(unit.payload), [[1, 3, 5], [4, 9, 11]]);
      assert.deepEqual(plain(l3.payload), [[2, 4, 6], [8, 10, 12]]);
      const fromNoise = delivered.filter((d) => ['rt-mutator', 'rt-unit', 'rt-l3', 'rt-watcher'].includes(d.id));
      const byId = Object.fromEntries(fromNoise.map((d) => [d.id, d.msg]));
      assert.equal(byId['rt-unit'], byId['rt-l3'], 'the two ReSU nodes got one message object');
      assert.notEqual(byId['rt-mutator'], byId['rt-unit']);
      assert.notEqual(byId['rt-watcher'], byId['rt-unit']);
      assert.notEqual(byId['rt-watcher'], byId['rt-mutator']);
    });
  });

  describe('ReSU nodes never modify the message they receive', function () {
    beforeEach(startServer);
    afterEach(stopServer);
    // [type, config, outputs expected]: T4 learns here (it has no weights to apply yet)
    const cases: [string, AnyMsg, boolean][] = [
      ['resu-noise', { mode: 'add', sd: 0.3, seed: 2 }, true],
      ['resu-unit', { taps: '[1, -1]' }, true],
      ['resu-l3', { taps: '[0.5, 0.5]' }, true],
      ['resu-cca', { pastLags: 2, futureLags: 2, solveEveryPairs: 3 }, true],
      ['resu-t4', { delay: 1, solveEveryPairs: 0 }, false],
    ];
    for (const [type, config, outputs] of cases) {
      it(type, async function () {
        await load(nodeModules(type), [{ id: 'rm-node', type, ...config, wires: type === 'resu-noise' || type.startsWith('resu-u') || type === 'resu-l3' ? [['rm-out']] : [['rm-out'], ['rm-out'], ['rm-out']] }, { id: 'rm-out', type: 'helper' }, ...catchAll()]);
        const node = helper.getNode('rm-node');
        const messages: AnyMsg[] = type === 'resu-t4'
          ? [0, 1].map((k) => ({ payload: toChunkSamples([[1, 2, 3, 4], [2, 3, 4, 5], [0, 1, 0, 1]]), topic: 'r', chunk: { series: 'r', signal: k ? 'L3' : 'L1', startSample: 0 }, parts: { id: 'p' } }))
          : [{ payload: toChunkSamples([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]]), topic: 'r', chunk: { series: 'r', startSample: 0 }, parts: { id: 'p' } }];
        messages.forEach((m, k) => { m._msgid = `rm-${k}`; }); // receive() would add one
        const snapshots = messages.map((m) => JSON.stringify(m));
        const payloads = messages.map((m) => m.payload);
        const done = new Promise<void>((resolve) => { let n = 0; node.on('input', () => { if (++n === messages.length) setTimeout(resolve, 50); }); });
        const sent: AnyMsg[] = [], errors: AnyMsg[] = [];
        helper.getNode('rm-out').on('input', (msg: AnyMsg) => sent.push(msg));
        helper.getNode('errors').on('input', (msg: AnyMsg) => errors.push(msg));
        for (const msg of messages) node.receive(msg);
        await done;
        assert.deepEqual(errors.map((m) => m.error.message), []);
        assert.equal(sent.length > 0, outputs, `${type} sent ${sent.length} messages`);
        messages.forEach((m, k) => {
          assert.equal(JSON.stringify(m), snapshots[k], `${type} left message ${k} as it was`);
          assert.equal(m.payload, payloads[k]);
        });
      });
    }
  });
});

describe('a chunk held for later is copied (the sender may reuse its arrays)', function () {
  it('ChunkAligner keeps its own copy of a borrowed chunk waiting for its partner', function () {
    const { ChunkAligner } = require('../../nodes/shared/align'); // eslint-disable-line @typescript-eslint/no-require-imports
    const { readChunkMessage } = require('../../nodes/shared/messages'); // eslint-disable-line @typescript-eslint/no-require-imports
    const aligner = new ChunkAligner(['L1', 'L3']);
    const reused = [new Float64Array([1, 2, 3]), new Float64Array([4, 5, 6])];
    const first = readChunkMessage({ payload: reused, chunk: { series: 's', startSample: 0 } });
    assert.equal(first.borrowed, true);
    assert.equal(aligner.push('L1', first), null);
    reused[0].fill(-1); reused[1].fill(-1); // the sender refills its buffers for the next message
    const partner = readChunkMessage({ payload: [[7, 8, 9], [1, 1, 1]], chunk: { series: 's', startSample: 0 } });
    assert.equal(partner.borrowed, false, 'plain input is copied on reading already');
    const pair = aligner.push('L3', partner);
    assert.deepEqual(pair.L1.data.map((c: Float64Array) => Array.from(c)), [[1, 2, 3], [4, 5, 6]]);
    assert.equal(pair.L3, partner, 'a chunk matched at once is not copied');
    // ChunkSamples are never refilled once sent (ReSU nodes make new ones per message): kept as they are
    const fromNode = readChunkMessage({ payload: toChunkSamples([[1, 2], [3, 4]]), chunk: { series: 't', startSample: 0 } });
    assert.equal(fromNode.borrowed, false);
  });
});

describe('ChunkSamples in Node-RED utilities', function () {
  it('the Debug encoding shows a channel as a Float64Array of plain numbers, long ones truncated', function () {
    const [short] = toChunkSamples([[1, 2.5, -3]]);
    const encoded = nodeRedUtil.util.encodeObject({ msg: short });
    assert.equal(encoded.format, 'Float64Array[3]');
    assert.deepEqual(JSON.parse(encoded.msg), [1, 2.5, -3]);
    const [long] = toChunkSamples([Array.from({ length: 1500 }, (_, i) => i)]);
    const nested = JSON.parse(nodeRedUtil.util.encodeObject({ msg: { payload: [long] } }).msg).payload[0];
    assert.deepEqual([nested.type, nested.length, nested.data.length, nested.data[999]], ['array', 1500, 1000, 999], 'truncated like any long array');
    const alone = nodeRedUtil.util.encodeObject({ msg: long });
    const decoded = JSON.parse(alone.msg);
    assert.deepEqual([alone.format, decoded.type, decoded.length, decoded.data.length], ['Float64Array[1500]', 'Float64Array', 1500, 1000], 'a type the sidebar knows');
  });

  it('RED.util.cloneMessage keeps ChunkSamples (values, JSON) and copies at most a slab per channel', function () {
    const msg = { payload: toChunkSamples(Array.from({ length: 20 }, (_, c) => [c, c + 0.5])) };
    const copy = nodeRedUtil.util.cloneMessage(msg);
    assert.ok(copy.payload.every((channel: unknown) => channel instanceof ChunkSamples));
    assert.equal(JSON.stringify(copy.payload), JSON.stringify(msg.payload));
    copy.payload.forEach((channel: ChunkSamples, c: number) => {
      assert.notEqual(channel.buffer, msg.payload[c].buffer);
      assert.ok(channel.buffer.byteLength <= 8 * channel.byteLength);
    });
  });
});
