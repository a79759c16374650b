/**
 * Issue 13 against the nodes (node-red-node-test-helper, a Catch node in scope): hostile messages,
 * overflowing samples and the persisted checkpoint, a flooded queue in status and admin state,
 * signed federation with refused snapshots counted, and the memory a flood of fake peers can take
 * (heap measured). The crash of a real process and the scanner's file access are in
 * test/e2e/hardening.spec.ts.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { createStatisticsMessage, LaggedMoments, OnlinePastFutureCca } from '../../core';
import { findNonFinite } from '../../nodes/shared/persist';
import { signStatistics } from '../../core/federation';
import { nativeOnly } from '../helpers/emulation';
import { ar1, AnyMsg, catchAll, collect, helper, load, nodeModules, startServer, statusMatching, stopServer, useDiskContextStore } from './harness';

const modules = nodeModules('resu-cca', 'resu-unit', 'resu-l3');
const SECRET = 'a shared secret of the devices';

function learner(id: string, config: Record<string, unknown> = {}, wires: string[][] = [['filters'], [], []]): Record<string, unknown> {
  return { id, type: 'resu-cca', pastLags: 3, futureLags: 2, solveEveryPairs: 0, wires, ...config };
}

/** Solves `id` and resolves with the filters message (or rejects with the error the node reports). */
async function solve(id = 'learner', out = 'filters'): Promise<AnyMsg> {
  const filters = collect(out, 1);
  helper.getNode(id).receive({ solve: true });
  return (await filters)[0];
}

/** Sends the messages and resolves with the errors the Catch node saw, up to a sentinel. */
async function errorsOf(id: string, messages: AnyMsg[]): Promise<string[]> {
  const caught: string[] = [];
  const done = new Promise<void>((resolve) => helper.getNode('errors').on('input', (msg: AnyMsg) => {
    if (/sentinel/.test(msg.error.message)) resolve(); else caught.push(msg.error.message);
  }));
  for (const msg of messages) helper.getNode(id).receive(msg);
  helper.getNode(id).receive({ solve: 'sentinel' });
  await done;
  return caught;
}

describe('nodes against hostile input (issue 13)', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('an own "__proto__" key does not become the prototype of a unit\'s output (an L3 projection; resu-unit is ON or OFF only): the learner downstream is not reset', async function () {
    await load(modules, [
      { id: 'unit', type: 'resu-l3', taps: '[1]', wires: [['learner', 'unit-out']] }, { id: 'unit-out', type: 'helper' },
      learner('learner'), { id: 'filters', type: 'helper' }, ...catchAll(),
    ]);
    helper.getNode('learner').receive({ payload: ar1(2000, 0.6, 1), topic: 'direct' });
    const passed = collect('unit-out', 1);
    // as an MQTT in or JSON node parses it: an own property named "__proto__" holding {reset: true}
    helper.getNode('unit').receive(JSON.parse(`{"payload": ${JSON.stringify(ar1(500, 0.6, 2))}, "topic": "via-unit", "__proto__": {"reset": true}}`));
    const [out] = await passed;
    assert.strictEqual(Object.getPrototypeOf(out), Object.prototype);
    const fit = await solve();
    assert.strictEqual(fit.payload.pairs, (2000 - 4) + (500 - 4), 'both chunks learned, nothing wiped');
  });

  // the batch rule, the online rule and the learned memory (moments at P plus the autocovariance)
  for (const [rule, config] of [['batch', {}], ['online', { rule: 'online' }], ['pastLags "auto"', { pastLags: 'auto', maxPastLags: 8 }]] as const) {
    it(`${rule}: rejects chunks repeated at startSample 1e300 or 2⁵³, foreign DataViews, sparse arrays, long series names and samples of 1e200, learning nothing from them`, async function () {
      await load(modules, [learner('learner', config), { id: 'filters', type: 'helper' }, ...catchAll()]);
      const sparse: number[] = [];
      sparse.length = 2 ** 32 - 1;
      const chunk = ar1(100, 0.5, 3);
      const caught = await errorsOf('learner', [
        { payload: chunk, chunk: { series: 's', startSample: 1e300 } }, { payload: chunk, chunk: { series: 's', startSample: 1e300 } },
        { payload: chunk, chunk: { series: 't', startSample: 2 ** 53 } }, { payload: chunk, chunk: { series: 't', startSample: 2 ** 53 } },
        { payload: vm.runInNewContext('new DataView(new ArrayBuffer(64))') },
        { payload: sparse },
        { payload: chunk, topic: 'n'.repeat(10 * 1024 * 1024) },
        { payload: [...chunk.slice(0, 50), 1e200, ...chunk.slice(51)] },
      ]);
      assert.strictEqual(caught.length, 8);
      // screened messages (the sparse array) end at once, the others in queue order
      const count = (pattern: RegExp): number => caught.filter((message) => pattern.test(message)).length;
      assert.strictEqual(count(/msg\.chunk\.startSample must be a non-negative integer \(at most 9007199254740891/), 4);
      assert.strictEqual(count(/msg\.payload must be an array of samples or an array of channel arrays \(got a DataView/), 1);
      assert.strictEqual(count(/msg\.payload holds an array of 4294967295 elements/), 1);
      assert.strictEqual(count(/msg\.topic must be at most 1024 characters long \(got 10485760\)/), 1);
      assert.strictEqual(count(/msg\.payload\[50\] must be a number within ±1e50 \(the sample magnitude limit\) \(got 1e\+200\)/), 1);
      const res = await helper.request().get('/resu/nodes/learner/state').expect(200);
      assert.strictEqual(res.body.pairs, 0);
      assert.strictEqual(res.body.samplesSeen, 0);
    });
  }

  it('a message 2·10⁵ levels deep or with a throwing getter is rejected, the Catch node (which copies it) sees it, and the queue goes on', async function () {
    await load(modules, [learner('learner'), { id: 'filters', type: 'helper' }, ...catchAll()]);
    let deep: unknown = { format: 'resu-statistics' };
    for (let i = 0; i < 200_000; i++) deep = { nested: deep };
    const trap: AnyMsg = { payload: ar1(50, 0.5, 4) };
    Object.defineProperty(trap, 'trap', { enumerable: true, configurable: true, get() { throw new Error('getter says no'); } });
    // a getter that cannot be replaced: the Catch node cannot copy the message; the node logs the error instead
    const locked: AnyMsg = { payload: ar1(50, 0.5, 4) };
    Object.defineProperty(locked, 'locked', { enumerable: true, get() { throw new Error('locked getter'); } });
    const caught = await errorsOf('learner', [{ topic: 'resu/statistics/x', payload: deep }, trap, locked]);
    assert.deepStrictEqual(caught, ['InputError: msg.payload is nested deeper than 64 levels', 'InputError: msg.trap cannot be read: getter says no']);
    const logged = helper.log().args.map((a: AnyMsg[]) => a[0]).filter((e: AnyMsg) => e?.level === 20 && /completing it failed/.test(String(e.msg)));
    assert.strictEqual(logged.length, 1);
    assert.match(String(logged[0].msg), /message rejected \(msg\.locked cannot be read: locked getter\), but completing it failed: locked getter/);
    helper.getNode('learner').receive({ payload: ar1(1000, 0.5, 5) });
    const fit = await solve();
    assert.strictEqual(fit.payload.pairs, 1000 - 4, 'the node still learns and solves');
  });

  it('a flooded input queue shows its dropped count in the status and in the admin state', async function () {
    helper.settings({ nodeMessageBufferMaxLength: 2 });
    try {
      await load(modules, [learner('learner'), { id: 'filters', type: 'helper' }, ...catchAll()]);
    } finally { helper.settings({}); }
    const shown = statusMatching('learner', /^queue full ×7 · /);
    // delivered synchronously: one message runs, two wait, seven are dropped
    for (let k = 0; k < 10; k++) helper.getNode('learner').receive({ payload: ar1(100, 0.5, 10 + k), topic: `s${k}` });
    assert.match(await shown, /^queue full ×7 · /);
    const state = await helper.request().get('/resu/nodes/learner/state').expect(200);
    assert.deepStrictEqual(state.body.queue, { waiting: state.body.queue.waiting, dropped: 7 });
    const list = await helper.request().get('/resu/nodes').expect(200);
    assert.strictEqual(list.body.find((n: AnyMsg) => n.id === 'learner').queue.dropped, 7);
  });

  describe('persistence', function () {
    const storeDir = useDiskContextStore('resu-hardening-');

    /** Loads a persisting learner with `config` and starts its flow on the disk store. */
    async function startPersisting(config: Record<string, unknown>): Promise<void> {
      await load(modules, [learner('learner', { persist: true, store: 'disk', checkpointS: 0, ...config }), { id: 'filters', type: 'helper' }, ...catchAll()]);
      await helper._redNodes.loadContextsPlugin();
      await helper._redNodes.stopFlows();
      await helper._redNodes.startFlows();
    }

    /**
     * Restarts: stops the flows, closes the context store (flushed), reads the learner's state from the
     * one context file that holds it, reopens the store from disk and starts the flows again.
     */
    async function restartReadingState(): Promise<AnyMsg> {
      await helper._redNodes.stopFlows();
      await helper._redNodes.closeContextsPlugin();
      const files = (fs.readdirSync(storeDir(), { recursive: true }) as string[]).filter((name) => name.endsWith('.json'))
        .filter((name) => fs.readFileSync(path.join(storeDir(), name), 'utf8').includes('"resu-cca-state"'));
      assert.strictEqual(files.length, 1, 'one context file holds the state');
      const saved = JSON.parse(fs.readFileSync(path.join(storeDir(), files[0]), 'utf8'))['resu-cca-state'];
      await helper._redNodes.loadContextsPlugin();
      await helper._redNodes.startFlows();
      return saved;
    }

    it('samples of 1e200 are refused, so the sums stay finite and the checkpoint keeps every learned pair across a restart', async function () {
      await startPersisting({});
      helper.getNode('learner').receive({ payload: ar1(5000, 0.6, 6), topic: 'a' });
      const before = await solve();
      const caught = await errorsOf('learner', [{ payload: ar1(5000, 0.6, 7).map((x) => x * 1e200), topic: 'b' }]);
      assert.match(caught[0], /msg\.payload\[0\] must be a number within ±1e50/);
      const after = await solve();
      assert.strictEqual(after.payload.pairs, before.payload.pairs);
      assert.ok(after.payload.correlations.every(Number.isFinite));
      const saved = await restartReadingState();
      assert.strictEqual(saved.moments.pairs, 5000 - 4);
      const { sumOuterUpper, sum } = saved.moments;
      assert.ok([...sumOuterUpper, ...sum].every((x) => typeof x === 'number' && Number.isFinite(x)), 'no non-finite number (JSON would write null)');
      const restored = await solve();
      assert.strictEqual(restored.payload.pairs, 5000 - 4);
      assert.deepStrictEqual(restored.payload.correlations, before.payload.correlations);
    });

    it('online rule: samples of 1e200 are refused and ±1e49 keep its state finite, so the checkpoint is saved and a restart gives the fit of one uninterrupted learner', async function () {
      await startPersisting({ rule: 'online' });
      const quiet = ar1(5000, 0.6, 6), loud = ar1(5000, 0.6, 7).map((x) => x * 1e49);
      helper.getNode('learner').receive({ payload: quiet, topic: 'a' });
      const caught = await errorsOf('learner', [{ payload: ar1(5000, 0.6, 8).map((x) => x * 1e200), topic: 'b' }]);
      assert.match(caught[0], /msg\.payload\[0\] must be a number within ±1e50/);
      helper.getNode('learner').receive({ payload: loud, topic: 'c' });
      const before = await solve(); // saved after the solve
      assert.strictEqual(before.payload.pairs, 2 * (5000 - 4), 'the 1e200 chunk learned nothing');
      assert.ok(before.payload.correlations.every(Number.isFinite));
      const saved = await restartReadingState();
      assert.strictEqual(saved.format, 'resu-online-cca');
      assert.strictEqual(findNonFinite(saved), null, 'no non-finite number (JSON would write null)');
      const restored = await solve();
      const reference = new OnlinePastFutureCca({ pooling: 'channels', pastLags: 3, futureLags: 2 });
      reference.update([quiet], 'a');
      reference.update([loud], 'c');
      const expected = reference.fit();
      assert.strictEqual(restored.payload.pairs, expected.pairs);
      assert.deepStrictEqual(restored.payload.correlations, Array.from(expected.correlations));
      assert.deepStrictEqual(restored.payload.pastFilters, expected.pastFilters.map((row) => Array.from(row)));
    });
  });

  describe('federation', function () {
    const PEER = { pastLags: 3, futureLags: 2 };
    const peerMoments = (seed: number) => new LaggedMoments(PEER).update(ar1(3000, 0.6, seed), 'p');

    it('with a shared secret (a credential) only signed snapshots merge; unsigned, forged and implausible ones are refused and counted in the status', async function () {
      await load(modules, [
        learner('device', { sourceId: 'device-A' }, [[], [], ['aggregator']]),
        learner('aggregator', { sourceId: 'hub' }), { id: 'filters', type: 'helper' }, ...catchAll(),
      ], { device: { sharedSecret: SECRET }, aggregator: { sharedSecret: SECRET } });
      const merged = collect('filters', 1);
      helper.getNode('device').receive({ payload: ar1(3000, 0.6, 8) });
      helper.getNode('device').receive({ publish: true });
      const [fit] = await merged;
      assert.strictEqual(fit.payload.peers, 1);
      const signedElsewhere = createStatisticsMessage('intruder', 1, 'cca', peerMoments(9), { secret: 'not the secret of these devices' });
      const snapshot = JSON.parse(JSON.stringify(createStatisticsMessage('poison', 1, 'cca', peerMoments(10), { secret: SECRET })));
      const huge = { ...snapshot, moments: { ...snapshot.moments, sumOuterUpper: snapshot.moments.sumOuterUpper.map(() => 1e308) } };
      const shown = statusMatching('aggregator', /4 refused/);
      const errors = collect('errors', 4);
      const refused = [
        { payload: createStatisticsMessage('device-A', 99, 'cca', peerMoments(11)) },
        { payload: signedElsewhere },
        { payload: huge },                                               // changed after signing
        { payload: { ...huge, signature: signStatistics(huge, SECRET) } }, // signed, but not what any device can learn
      ];
      for (const msg of refused) helper.getNode('aggregator').receive(msg);
      const caught = (await errors).map((m) => m.error.message);
      assert.match(caught[0], /statistics of "device-A" are not signed/);
      assert.match(caught[1], /signature that does not match the shared secret/);
      assert.match(caught[2], /signature that does not match/);
      assert.match(caught[3], /statistics of "poison" are implausible: Σx² of entry 0 is 1e\+308/);
      // a refused snapshot leaves a yellow ring with the count (an attacker cannot keep the status red)
      assert.match(await shown, /\+1 peers · 4 refused$/);
      const state = await helper.request().get('/resu/nodes/aggregator/state').expect(200);
      assert.deepStrictEqual(state.body.federation.rejected, { malformed: 0, unsigned: 1, 'bad-signature': 2, implausible: 1, full: 0 });
      assert.strictEqual(state.body.federation.signed, true);
      assert.deepStrictEqual(Object.keys(state.body.federation.sources), ['device-A']);
    });

    it('a shared secret shorter than 16 characters is a configuration error that does not echo it', async function () {
      await load(modules, [learner('aggregator'), ...catchAll()], { aggregator: { sharedSecret: 'short-secret' } });
      const errors = collect('errors', 1);
      helper.getNode('aggregator').receive({ payload: [1, 2, 3] });
      const caught = (await errors).map((m) => m.error.message);
      assert.match(caught[0], /not configured: sharedSecret must be empty, or a string of at least 16 characters \(got "\(12 characters\)"\)/);
      assert.ok(!caught.join().includes('short-secret'));
    });

    it('1000 fake peers and 50 snapshots of 4096 open series stay within the byte budget (heap measured)', async function () {
      nativeOnly(this, '775 solves of a 100 × 100 CCA and a heap measurement');
      this.timeout(300000);
      v8.setFlagsFromString('--expose-gc');
      const gc = vm.runInNewContext('gc') as () => void;
      // the default learner (m = h = 50): 5150 numbers per peer, 41 kB as Float64
      const config = { pastLags: 50, futureLags: 50 };
      await load(modules, [learner('aggregator', config, [['filters'], [], []]), { id: 'filters', type: 'helper' }, ...catchAll()]);
      const base = JSON.parse(JSON.stringify(createStatisticsMessage('x', 1, 'cca', new LaggedMoments(config).update(ar1(300, 0.6, 12), 'p'))));
      const tails = Array.from({ length: 4096 }, (_, i) => ({ key: `open-${i}`, tail: [[]] }));
      const messages = [
        ...Array.from({ length: 50 }, (_, i) => ({ payload: { ...base, source: `tails-${i}`, moments: { ...base.moments, openSeries: tails } } })),
        ...Array.from({ length: 1000 }, (_, i) => ({ payload: { ...base, source: `fake-${i}` } })),
      ];
      gc();
      const memory = (): number => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
      const before = memory();
      // in batches below the input queue's cap (1000), each answered by a fit or an error
      let answered = 0;
      let waiting: { target: number; resolve: () => void } | null = null;
      const count = (): void => { answered++; if (waiting && answered >= waiting.target) { waiting.resolve(); waiting = null; } };
      helper.getNode('filters').on('input', count);
      helper.getNode('errors').on('input', count);
      for (let from = 0; from < messages.length; from += 500) {
        const batch = messages.slice(from, from + 500);
        const target = from + batch.length;
        const done = new Promise<void>((resolve) => { waiting = { target, resolve }; });
        for (const msg of batch) helper.getNode('aggregator').receive(msg);
        await done;
      }
      const state = await helper.request().get('/resu/nodes/aggregator/state').expect(200);
      // the test helper's spies keep every send() and error() argument (775 fits): not the node's memory
      helper._sandbox.resetHistory();
      gc();
      const grownMB = (memory() - before) / 1048576;
      const { peers, bytes, rejected } = state.body.federation;
      // the budget (32 MiB) admits ≈ 780 peers of 41 kB; the rest are refused as "full"
      assert.ok(bytes <= 32 * 1048576, `${bytes} bytes`);
      assert.strictEqual(peers + rejected.full, 1050);
      assert.ok(peers > 700, `${peers} peers`);
      console.log(`      fake peers: ${peers} kept, ${rejected.full} refused, ${(bytes / 1048576).toFixed(1)} MiB of statistics, heap + buffers grew ${grownMB.toFixed(1)} MB`); // eslint-disable-line no-console
      assert.ok(grownMB < 64, `grew ${grownMB.toFixed(1)} MB (bound 64 MB: the 32 MiB budget plus bookkeeping)`);
    });
  });
});
