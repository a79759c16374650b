import * as assert from 'assert';
import { ar1, catchAll, collect, helper, load, nextStatus, nodeModules, plain, startServer, statusMatching, stopServer } from './harness';

const modules = nodeModules('resu-unit', 'resu-l3');

/** Direct causal convolution oracle: out_t = Σ_k taps[k]·x[t−k] (zeros before the start). */
function convolve(x: number[], taps: number[]): number[] {
  return x.map((_, t) => taps.reduce((acc, w, k) => acc + (t - k >= 0 ? w * x[t - k] : 0), 0));
}

function fitMessage(filters: number[][]): Record<string, unknown> {
  return {
    topic: 'filters',
    payload: {
      format: 'resu-cca-fit', version: 1, channels: 1, pastLags: filters[0].length, futureLags: filters.length,
      centered: false, pairs: 100, weight: 100, correlations: filters.map((_, i) => 0.9 - 0.1 * i),
      pastFilters: filters, futureDirections: filters.map(() => filters.map(() => 0)),
      mutualInformationNats: [], mutualInformationBits: [], conditionNumber: { past: 1, future: 1 }, warnings: [],
    },
  };
}

describe('resu-unit and resu-l3 nodes', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('ON, OFF and L3 outputs equal rectified convolutions with ψk from a filters message', async function () {
    await load(modules, [
      { id: 'unit-on', type: 'resu-unit', component: 2, polarity: 'on', threshold: 0.1, wires: [['out-on']] },
      { id: 'unit-off', type: 'resu-unit', component: 2, polarity: 'off', wires: [['out-off']] },
      { id: 'l3', type: 'resu-l3', wires: [['out-l3']] },
      { id: 'out-on', type: 'helper' }, { id: 'out-off', type: 'helper' }, { id: 'out-l3', type: 'helper' },
    ]);
    const psi1 = [0.5, 0.3, 0.2], psi2 = [0.8, -0.2, -0.6];
    const x = ar1(200, 0.3, 1), y = ar1(200, 0.3, 2);
    const outs = [collect('out-on', 1), collect('out-off', 1), collect('out-l3', 1)];
    for (const id of ['unit-on', 'unit-off', 'l3']) {
      helper.getNode(id).receive(fitMessage([psi1, psi2]));
      helper.getNode(id).receive({ payload: [x, y], chunk: { series: 'row-1', channels: ['px0', 'px1'] } });
    }
    const [[on], [off], [l3]] = await Promise.all(outs);
    [x, y].forEach((channel, c) => {
      const d = convolve(channel, psi2), low = convolve(channel, psi1);
      d.forEach((v, t) => {
        assert.ok(Math.abs(on.payload[c][t] - Math.max(v - 0.1, 0)) < 1e-12);
        assert.ok(Math.abs(off.payload[c][t] - Math.max(-v, 0)) < 1e-12);
        assert.ok(Math.abs(l3.payload[c][t] - low[t]) < 1e-12);
      });
    });
    assert.strictEqual(on.chunk.signal, 'L1');
    assert.strictEqual(off.chunk.signal, 'L2');
    assert.strictEqual(l3.chunk.signal, 'L3');
    assert.deepStrictEqual(on.chunk.channels, ['L1/px0', 'L1/px1']);
    assert.strictEqual(on.topic, 'row-1');
  });

  it('is invariant to chunking and keeps per-series histories', async function () {
    await load(modules, [{ id: 'unit', type: 'resu-unit', taps: '[1, -1, 0.5]', polarity: 'on', wires: [['out']] }, { id: 'out', type: 'helper' }]);
    const a = ar1(50, 0.5, 3), b = ar1(50, 0.5, 4);
    const out = collect('out', 20);
    const unit = helper.getNode('unit');
    for (let i = 0; i < 50; i += 5) {
      unit.receive({ payload: a.slice(i, i + 5), topic: 'a' });
      unit.receive({ payload: b.slice(i, i + 5), topic: 'b' });
    }
    const msgs = await out;
    for (const [name, series] of [['a', a], ['b', b]] as const) {
      const joined = msgs.filter((m) => m.topic === name).flatMap((m) => Array.from(m.payload[0] as Float64Array));
      const expected = convolve(series, [1, -1, 0.5]).map((v) => Math.max(v, 0));
      joined.forEach((v: number, t: number) => assert.ok(Math.abs(v - expected[t]) < 1e-12, `${name}[${t}]`));
    }
  });

  it('skips chunks until filters arrive, and rejects bad input with a clear error', async function () {
    await load(modules, [{ id: 'unit', type: 'resu-unit', wires: [['out']] }, { id: 'out', type: 'helper' }, ...catchAll()]);
    const unit = helper.getNode('unit');
    const errors = collect('errors', 4);
    const out = collect('out', 1);
    unit.receive({ payload: [1, 2, 3] }); // no filters yet: skipped
    unit.receive(fitMessage([[1]]));      // only ψ1: this unit uses ψ2
    unit.receive({ payload: [1, 'a'] });
    unit.receive({ payload: { format: 'resu-cca-fit', version: 2 } });
    unit.receive({ payload: [[1, 2], [3]] });
    unit.receive(fitMessage([[1, 0], [0.5, 0.5]]));
    unit.receive({ payload: [2, 4] });
    const caught = (await errors).map((m) => m.error.message);
    assert.match(caught[0], /has 1 filters; this unit uses ψ2/);
    assert.match(caught[1], /msg\.payload\[1\] must be a finite number/);
    assert.match(caught[2], /version/);
    assert.match(caught[3], /different lengths/);
    const [msg] = await out;
    assert.deepStrictEqual(plain(msg.payload), [[1, 3]]);
  });

  it('counts the chunks it skipped without filters in its status: "1 chunk", "3 chunks"', async function () {
    await load(modules, [{ id: 'unit', type: 'resu-unit', wires: [['out']] }, { id: 'out', type: 'helper' }]);
    const unit = helper.getNode('unit');
    const one = statusMatching('unit', /skipped/);
    unit.receive({ payload: [1, 2, 3] });
    assert.strictEqual(await one, 'waiting for filters (1 chunk skipped)');
    const three = statusMatching('unit', /\b3 chunks skipped/);
    unit.receive({ payload: [1] });
    unit.receive({ payload: [2] });
    assert.strictEqual(await three, 'waiting for filters (3 chunks skipped)');
  });

  it('says on its status when it has filters but no signal (a learner wired in, the chunks not)', async function () {
    await load(modules, [
      { id: 'unit', type: 'resu-unit', component: 2, polarity: 'on', wires: [['out']] },
      { id: 'l3', type: 'resu-l3', wires: [['out']] },
      { id: 'out', type: 'helper' },
    ]);
    const noSignal = { fill: 'yellow', shape: 'ring', text: 'has ψ2, no signal: wire the chunks into it too' };
    const unit = helper.getNode('unit');
    // scanner → CCA → ReSU → debug: filters arrive, never a chunk
    let shown = nextStatus('unit');
    unit.receive(fitMessage([[1, 0], [0, 1]]));
    assert.deepStrictEqual(await shown, noSignal);
    shown = nextStatus('l3');
    helper.getNode('l3').receive(fitMessage([[1, 0], [0, 1]]));
    assert.deepStrictEqual(await shown, { ...noSignal, text: 'has ψ1, no signal: wire the chunks into it too' });
    // wired right: the chunks come, and filters between chunks are just the filter
    shown = nextStatus('unit');
    unit.receive({ payload: [1, 2, 3] });
    assert.deepStrictEqual(await shown, { fill: 'green', shape: 'dot', text: 'ψ2 (2 taps, ρ 0.800) · 3 samples' });
    shown = nextStatus('unit');
    unit.receive(fitMessage([[1, 0, 0], [0, 1, 0]]));
    assert.deepStrictEqual(await shown, { fill: 'green', shape: 'dot', text: 'ψ2 (3 taps, ρ 0.800)' });
    // this node's stream ended while the learner goes on solving on other sources (example 4's
    // second pathway, example 5's aggregator): filters after filters are still just the filter
    shown = nextStatus('unit');
    unit.receive(fitMessage([[1, 0, 0], [0, 1, 0]]));
    assert.deepStrictEqual(await shown, { fill: 'green', shape: 'dot', text: 'ψ2 (3 taps, ρ 0.800)' });
    shown = nextStatus('unit');
    unit.receive({ payload: [4] });
    assert.deepStrictEqual(await shown, { fill: 'green', shape: 'dot', text: 'ψ2 (3 taps, ρ 0.800) · 4 samples' });
    // msg.reset forgets the chunks seen: filters then come with no signal again
    shown = nextStatus('unit');
    unit.receive({ reset: true });
    assert.deepStrictEqual(await shown, {});
    shown = nextStatus('unit');
    unit.receive(fitMessage([[1, 0], [0, 1]]));
    assert.deepStrictEqual(await shown, noSignal);
  });

  it('takes the threshold from the message when configured as a TypedInput', async function () {
    await load(modules, [
      { id: 'unit-typed', type: 'resu-unit', taps: '[1]', polarity: 'on', threshold: 'theta', thresholdType: 'msg', wires: [['out']] },
      { id: 'out', type: 'helper' }, ...catchAll(),
    ]);
    const unit = helper.getNode('unit-typed');
    const out = collect('out', 2);
    const errors = collect('errors', 2);
    unit.receive({ payload: [0.5, 2, -1], theta: 1 });
    unit.receive({ payload: [3], theta: 'lots' });
    unit.receive({ payload: [3] });
    unit.receive({ payload: [3, 0.2], theta: 0 });
    const [first, second] = await out;
    assert.deepStrictEqual(plain(first.payload), [[0, 1, 0]]);
    assert.deepStrictEqual(plain(second.payload), [[3, 0.2]]);
    const caught = (await errors).map((m) => m.error.message);
    assert.match(caught[0], /threshold \(msg theta\) must be a finite number ≥ 0 \(got "lots"\)/);
    assert.match(caught[1], /threshold \(msg theta\) must be a finite number ≥ 0 \(got undefined\)/);
  });

  it('rejects an invalid fixed-taps configuration', async function () {
    await load(modules, [{ id: 'unit', type: 'resu-unit', taps: '[1, "x"]', wires: [[]] }, ...catchAll()]);
    const errors = collect('errors', 1);
    helper.getNode('unit').receive({ payload: [1] });
    const [err] = await errors;
    assert.match(err.error.message, /taps must be empty or a JSON array of 1 to 1000 finite numbers/);
  });
});
