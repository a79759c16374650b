/**
 * Floods and leaks (issue 8): a burst far beyond what a node can take is cut at the queue cap (each
 * rejected message ends in done(err), counted); T4's alignment buffers are capped per series, in
 * series and in total values, with the dropped count in the status and on output messages; and 100
 * full redeploys of a flow with every node type leave the heap flat and no timers or listeners behind
 * (measured in a child process with --expose-gc).
 */
import * as assert from 'assert';
import * as path from 'path';
import { fitToJSON, Random, T4Layer } from '../../core';
import { spawnNodeSync } from '../helpers/node-command';
import { AnyMsg, collect, helper, load, nodeModules, startServer, statusMatching, stopServer } from '../nodes/harness';

const HEAP_GROWTH_LIMIT_MB = 5;

describe('floods and leaks', function () {
  this.timeout(120000);

  describe('floods (test helper)', function () {
    beforeEach(startServer);
    afterEach(stopServer);
    afterEach(function () { helper.settings({}); });

    /** Delivers messages the way the runtime does ('input' with send and done), all in one tick. */
    function burst(nodeId: string, msgs: AnyMsg[]): Promise<{ ok: number; errors: Error[] }> {
      const node = helper.getNode(nodeId);
      const errors: Error[] = [];
      let ok = 0;
      return new Promise((resolve) => {
        const done = (err?: Error): void => {
          if (err) errors.push(err); else ok++;
          if (ok + errors.length === msgs.length) resolve({ ok, errors });
        };
        // the runtime's own dispatch (node.receive) defers each message; call the input handler directly
        const handler = node._inputCallback as (msg: AnyMsg, send: () => void, done: (err?: Error) => void) => void;
        for (const msg of msgs) handler.call(node, msg, () => undefined, done);
      });
    }

    for (const cap of [undefined, 50]) {
      it(`a burst beyond the input queue cap (${cap ?? 'default 1000'}) is rejected message by message with done(err); the rest is learned`, async function () {
        if (cap) helper.settings({ nodeMessageBufferMaxLength: cap });
        await load(nodeModules('resu-cca'), [{ id: 'flood-cca', type: 'resu-cca', pastLags: 2, futureLags: 2, solveEveryPairs: 0, wires: [['flood-filters'], [], []] }, { id: 'flood-filters', type: 'helper' }]);
        const rng = new Random(5);
        const total = 5000;
        const msgs = Array.from({ length: total }, (_, i) => ({ payload: Array.from({ length: 10 }, () => rng.gaussian()), topic: 'flood', chunk: { startSample: i * 10 } }));
        const { ok, errors } = await burst('flood-cca', msgs);
        const limit = cap ?? 1000;
        // the first message runs at once; `limit` wait; every later one is turned away
        assert.strictEqual(ok, limit + 1);
        assert.strictEqual(errors.length, total - limit - 1);
        for (const err of errors) assert.match(err.message, new RegExp(`input queue full \\(${limit} messages waiting\\); message dropped`));
        const filters = collect('flood-filters', 1);
        helper.getNode('flood-cca').receive({ solve: true });
        const [msg] = await filters;
        assert.strictEqual(msg.payload.samplesSeen, (limit + 1) * 10, 'exactly the accepted chunks were learned');
      });
    }

    function t4Flow(): AnyMsg[] {
      return [
        { id: 'flood-t4', type: 'resu-t4', delay: 1, solveEveryPairs: 0, wires: [['flood-responses'], [], []] },
        { id: 'flood-responses', type: 'helper' },
        { id: 'flood-complete', type: 'complete', scope: ['flood-t4'], uncaught: false, wires: [['flood-completed']] },
        { id: 'flood-completed', type: 'helper' },
      ];
    }

    function weights(): AnyMsg {
      const rng = new Random(9);
      const layer = new T4Layer({ delay: 1 });
      const l = Array.from({ length: 3 }, () => Float64Array.from({ length: 300 }, () => rng.gaussian()));
      layer.learn(l, l.map((c) => c.map((x) => 0.5 * x + rng.gaussian())));
      return { topic: 'filters', payload: fitToJSON(layer.solve().fit) };
    }

    /** Sends in batches below the queue cap, each after the previous one completed (count-based). */
    async function paced(nodeId: string, msgs: AnyMsg[]): Promise<void> {
      const node = helper.getNode(nodeId);
      let completed = 0, target = 0;
      let wake: (() => void) | null = null;
      helper.getNode('flood-completed').on('input', () => { completed++; if (wake && completed >= target) { const w = wake; wake = null; w(); } });
      for (let i = 0; i < msgs.length; i += 500) {
        const batch = msgs.slice(i, i + 500);
        target = i + batch.length;
        const settled = new Promise<void>((resolve) => { wake = resolve; });
        for (const msg of batch) node.receive(msg);
        await settled;
      }
    }

    const half = (signal: string, series: string, start: number, length: number, fill = 0.5): AnyMsg => ({
      payload: Array.from({ length: 3 }, () => new Float64Array(length).fill(fill)), chunk: { series, startSample: start, signal },
    });

    it('T4: one input flooding (L1 without L3) keeps 64 chunks per series; every unmatched chunk is counted in msg.dropped and the status', async function () {
      await load(nodeModules('resu-t4'), t4Flow());
      const node = helper.getNode('flood-t4');
      node.receive(weights());
      const status = statusMatching('flood-t4', /1\.9k dropped/);
      const flood = 1900;
      await paced('flood-t4', Array.from({ length: flood }, (_, i) => half('L1', 'row', i * 10, 10)));
      const responses = collect('flood-responses', 1);
      node.receive(half('L3', 'row', (flood - 1) * 10, 10));
      const [msg] = await responses;
      // 1900 − 64 overflowed; of the 64 pending, the 63 older than the matched one had no partner
      assert.strictEqual(msg.dropped, flood - 1);
      assert.strictEqual(msg.chunk.startSample, (flood - 1) * 10);
      assert.match(await status, /1\.9k dropped/);
    });

    it('T4: chunks of ever new series keep at most 1024 series pending (oldest dropped, counted)', async function () {
      await load(nodeModules('resu-t4'), t4Flow());
      const node = helper.getNode('flood-t4');
      node.receive(weights());
      await paced('flood-t4', Array.from({ length: 3000 }, (_, i) => half('L1', `series-${i}`, 0, 4)));
      const responses = collect('flood-responses', 1);
      node.receive(half('L3', 'series-2999', 0, 4));
      const [msg] = await responses;
      assert.strictEqual(msg.dropped, 3000 - 1024);
    });

    it('T4: pending chunks are capped in total values (8,388,608): big unmatched chunks are dropped oldest first', async function () {
      await load(nodeModules('resu-t4'), t4Flow());
      const node = helper.getNode('flood-t4');
      node.receive(weights());
      const status = statusMatching('flood-t4', /13 dropped/);
      // 40 chunks of 3 × 100,000 values: only 27 fit under the cap
      for (let i = 0; i < 40; i++) node.receive(half('L1', 'big', i * 100_000, 100_000));
      assert.match(await status, /13 dropped/);
    });
  });

  it('100 full redeploys of a flow with every node type leave the heap flat and no timers or listeners behind', function () {
    const child = spawnNodeSync(['--expose-gc', path.join(__dirname, 'leaks-child.js'), '100'], { encoding: 'utf8', timeout: 110000 });
    assert.strictEqual(child.status, 0, `child failed:\n${child.stderr}\n${child.stdout}`);
    const line = child.stdout.trim().split('\n').pop()!;
    const result = JSON.parse(line);
    console.log(`      heap after GC: ${result.samples.map((s: AnyMsg) => `${s.round}: ${s.heapMb.toFixed(1)} MB`).join(', ')}; growth rounds 10→100 ${result.growthMb.toFixed(2)} MB`); // eslint-disable-line no-console
    assert.ok(result.growthMb < HEAP_GROWTH_LIMIT_MB, `heap grew ${result.growthMb.toFixed(1)} MB over ${result.redeploys} redeploys`);
    assert.ok(result.timersAfterStop <= result.baseTimers, `timers left after stopping the flows: ${result.timersAfterStop} (before the first deploy: ${result.baseTimers})`);
    assert.strictEqual(result.listenersGrowth, 0, 'runtime event listeners do not accumulate');
  });
});
