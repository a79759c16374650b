import * as assert from 'assert';
import { Random } from '../../core';
import { catchAll, collect, helper, load, nodeModules, startServer, stopServer } from './harness';

const modules = nodeModules('resu-t4');

/** Seeded L1/L3 chunk pair of a 5-pixel row with rightward structure. */
function chunkPair(seed: number, length: number, series: string): Record<string, unknown>[] {
  const random = new Random(seed);
  const base = Float64Array.from({ length: length + 20 }, () => random.gaussian());
  for (let i = 1; i < base.length; i++) base[i] = 0.7 * base[i - 1] + base[i];
  const l3 = [0, 1, 2, 3, 4].map((p) => Array.from({ length }, (_, t) => base[t + 12 - 3 * p]));
  const l1 = l3.map((channel) => channel.map((v, t) => Math.max(t > 0 ? v - channel[t - 1] : 0, 0)));
  const chunk = (signal: string) => ({ series, startSample: 0, signal, endOfSeries: true });
  return [{ payload: l1, chunk: chunk('L1') }, { payload: l3, chunk: chunk('L3') }];
}

describe('resu-t4 statistics (learning across devices)', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('an aggregator of two T4 devices gives the weights of one T4 fed both streams', async function () {
    const config = { delay: 5, solveEveryPairs: 0 };
    await load(modules, [
      { id: 't4-device-a', type: 'resu-t4', ...config, sourceId: 'a', wires: [[], [], ['t4-aggregator']] },
      { id: 't4-device-b', type: 'resu-t4', ...config, sourceId: 'b', wires: [[], [], ['t4-aggregator']] },
      { id: 't4-aggregator', type: 'resu-t4', ...config, sourceId: 'agg', wires: [[], ['merged'], []] },
      { id: 't4-single', type: 'resu-t4', ...config, wires: [[], ['reference'], []] },
      { id: 'merged', type: 'helper' }, { id: 'reference', type: 'helper' }, ...catchAll(),
    ]);
    const a = chunkPair(1, 600, 'x'), b = chunkPair(2, 500, 'y');
    const merged = collect('merged', 2);
    const reference = collect('reference', 1);
    for (const msg of a) { helper.getNode('t4-device-a').receive({ ...msg }); helper.getNode('t4-single').receive({ ...msg }); }
    for (const msg of b) { helper.getNode('t4-device-b').receive({ ...msg }); helper.getNode('t4-single').receive({ ...msg }); }
    helper.getNode('t4-device-a').receive({ publish: true });
    helper.getNode('t4-device-b').receive({ publish: true });
    helper.getNode('t4-single').receive({ solve: true });
    const fits = await merged;
    const [ref] = await reference;
    const last = fits[1].payload;
    assert.strictEqual(last.peers, 2);
    assert.strictEqual(last.pairs, ref.payload.pairs);
    last.t4.weights.forEach((w: number, i: number) => assert.ok(Math.abs(w - ref.payload.t4.weights[i]) < 1e-9, `w${i}`));
    last.correlations.forEach((rho: number, i: number) => assert.ok(Math.abs(rho - ref.payload.correlations[i]) < 1e-9));
  });

  it('rejects CCA-learner statistics and bad publish values with a clear error', async function () {
    await load(modules, [{ id: 't4-node', type: 'resu-t4', wires: [[], [], []] }, ...catchAll()]);
    const errors = collect('errors', 2);
    helper.getNode('t4-node').receive({ payload: { format: 'resu-statistics', version: 1, source: 's', sequence: 1, kind: 'cca', moments: {} } });
    helper.getNode('t4-node').receive({ publish: 'now' });
    const caught = (await errors).map((m) => m.error.message);
    assert.match(caught[0], /"cca" learner; this node merges "t4"/);
    assert.match(caught[1], /msg\.publish must be true/);
  });
});
