import * as assert from 'assert';
import { GaussianProcessSampler, LinearStateSpace, PAPER_OU_PRESET, WhiteNoise } from '../../core';
import { ar1, AnyMsg, catchAll, collect, concatChunks, helper, load, maxAbsDiff, nodeModules, recordStatuses, startServer, statusMatching, stopServer, watchMessages } from './harness';

const modules = nodeModules('resu-noise');

function noiseFlow(config: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    { id: 'noise-node', type: 'resu-noise', wires: [['out']], ...config },
    { id: 'out', type: 'helper' },
    ...catchAll(),
  ];
}

function minus(a: number[][], b: ArrayLike<number>[]): number[][] {
  return a.map((channel, c) => channel.map((x, i) => x - b[c][i]));
}

function sd(values: number[]): number {
  const mean = values.reduce((acc, x) => acc + x, 0) / values.length;
  return Math.sqrt(values.reduce((acc, x) => acc + (x - mean) ** 2, 0) / values.length);
}

describe('resu-noise node', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('loads with its defaults (add mode)', async function () {
    await load(modules, [{ id: 'noise-node', type: 'resu-noise' }]);
    assert.strictEqual(helper.getNode('noise-node').type, 'resu-noise');
  });

  describe('add mode', function () {
    it('adds exactly core WhiteNoise\'s noise (same seed) and keeps topic, chunk metadata and other properties', async function () {
      await load(modules, noiseFlow({ mode: 'add', sd: 0.3, seed: 5 }));
      const x = ar1(400, 0.5, 1), y = ar1(400, 0.5, 2);
      const out = collect('out', 1);
      helper.getNode('noise-node').receive({ payload: [x, y], topic: 'row-3', tag: 'kept', chunk: { series: 'row-3', channels: ['px0', 'px1'], startSample: 0, signal: 'contrast' } });
      const [msg] = await out;
      const expected = new WhiteNoise({ sd: 0.3, seed: 5 }).add([x, y]);
      assert.ok(maxAbsDiff(msg.payload, expected) === 0);
      assert.strictEqual(msg.topic, 'row-3');
      assert.strictEqual(msg.tag, 'kept');
      assert.deepStrictEqual(msg.chunk.channels, ['px0', 'px1']);
      assert.strictEqual(msg.chunk.signal, 'contrast');
      assert.strictEqual(msg.chunk.startSample, 0);
    });

    it('is chunking-invariant: one big chunk and many small ones get the same noise', async function () {
      await load(modules, [
        { id: 'noise-big', type: 'resu-noise', mode: 'add', sd: 0.2, seed: 9, wires: [['out-big']] },
        { id: 'noise-small', type: 'resu-noise', mode: 'add', sd: 0.2, seed: 9, wires: [['out-small']] },
        { id: 'out-big', type: 'helper' }, { id: 'out-small', type: 'helper' },
      ]);
      const x = ar1(500, 0.8, 3), y = ar1(500, 0.8, 4);
      const big = collect('out-big', 1), small = collect('out-small', Math.ceil(500 / 7));
      helper.getNode('noise-big').receive({ payload: [x, y] });
      for (let i = 0; i < 500; i += 7) helper.getNode('noise-small').receive({ payload: [x.slice(i, i + 7), y.slice(i, i + 7)] });
      const [one] = await big;
      assert.ok(maxAbsDiff(concatChunks((await small).map((m) => m.payload)), one.payload) === 0);
    });

    it('a one-channel payload (number[]) comes back as one channel', async function () {
      await load(modules, noiseFlow({ mode: 'add', sd: 1, seed: 2 }));
      const out = collect('out', 1);
      helper.getNode('noise-node').receive({ payload: Float64Array.from([1, 2, 3]) });
      const [msg] = await out;
      assert.ok(maxAbsDiff(msg.payload, new WhiteNoise({ sd: 1, seed: 2 }).add([[1, 2, 3]])) === 0);
    });

    it('SNR mode: noise sd = signalSd / SNR', async function () {
      await load(modules, noiseFlow({ mode: 'add', snr: 4, signalSd: 2, sd: 99, seed: 7 }));
      const zeros = new Array(20000).fill(0);
      const out = collect('out', 1);
      helper.getNode('noise-node').receive({ payload: [zeros] });
      const [msg] = await out;
      assert.ok(maxAbsDiff(msg.payload, new WhiteNoise({ sd: 0.5, seed: 7 }).add([zeros])) === 0);
      // sampling error of an sd estimate ≈ sd/√(2N) = 0.0025: 8 SE
      assert.ok(Math.abs(sd(msg.payload[0]) - 0.5) < 0.02, `sd ${sd(msg.payload[0])}`);
    });

    it('reset restarts the noise sequence from the seed and sends nothing', async function () {
      await load(modules, noiseFlow({ mode: 'add', sd: 1, seed: 3 }));
      const node = helper.getNode('noise-node');
      const out = collect('out', 2);
      const x = ar1(50, 0.5, 5);
      node.receive({ payload: x });
      node.receive({ reset: true });
      node.receive({ payload: x });
      const [a, b] = await out;
      assert.deepStrictEqual(a.payload, b.payload);
      assert.ok(maxAbsDiff(a.payload, new WhiteNoise({ sd: 1, seed: 3 }).add([x])) === 0);
    });

    it('rejects bad input with exactly one error each, and the noise stream does not advance', async function () {
      await load(modules, noiseFlow({ mode: 'add', sd: 1, seed: 4 }));
      const node = helper.getNode('noise-node');
      const bad: [AnyMsg, RegExp][] = [
        [{ payload: 'hello' }, /msg\.payload must be an array/],
        [{ payload: [1, NaN, 2] }, /msg\.payload\[1\] must be a finite number \(got NaN\)/],
        [{ payload: [[1, 2], [3]] }, /different lengths/],
        [{ payload: [] }, /empty/],
        [{ payload: null }, /missing/],
        [{ payload: [1, -Infinity] }, /msg\.payload\[1\] must be a finite number/],
        [{ payload: [[1, 2], 'ab'] }, /msg\.payload\[1\] must be an array of numbers/],
        [{ payload: { a: 1 } }, /msg\.payload must be an array/],
        [{ payload: [1, 2], chunk: { startSample: 1.5 } }, /msg\.chunk\.startSample must be a non-negative integer/],
        [{ command: 'start' }, /msg\.payload is missing/],
      ];
      const errors = collect('errors', bad.length + 1);
      const out = collect('out', 2);
      node.receive({ payload: [1, 2, 3] });
      for (const [msg] of bad) node.receive(msg);
      node.receive({ payload: [4, 5, 6] });
      node.receive({ payload: 'sentinel' });
      const caught = await errors;
      bad.forEach(([, pattern], i) => assert.match(caught[i].error.message, pattern, `bad message ${i}`));
      assert.match(caught[bad.length].error.message, /sentinel/);
      const [first, second] = await out;
      assert.ok(maxAbsDiff(concatChunks([first.payload, second.payload]), new WhiteNoise({ sd: 1, seed: 4 }).add([[1, 2, 3, 4, 5, 6]])) === 0);
    });
  });

  describe('source modes', function () {
    it('white: emits series "white" in chunks, channel streams of core WhiteNoise, capped at maxSamples', async function () {
      await load(modules, noiseFlow({ mode: 'white', sd: 0.7, seed: 11, channels: 2, chunkLength: 300, maxSamples: 1000, dtS: 0.02 }));
      const out = collect('out', 4);
      helper.getNode('noise-node').receive({ payload: 1 });
      const msgs = await out;
      assert.deepStrictEqual(msgs.map((m) => m.payload[0].length), [300, 300, 300, 100]);
      msgs.forEach((msg, i) => {
        assert.strictEqual(msg.topic, 'white');
        assert.deepStrictEqual(msg.chunk, {
          series: 'white', channels: ['white0', 'white1'], samplePeriodS: 0.02, startSample: 300 * i, sequence: i,
          endOfSeries: i === 3, endOfRun: i === 3, signal: 'white', train: true,
        });
      });
      assert.ok(maxAbsDiff(concatChunks(msgs.map((m) => m.payload)), new WhiteNoise({ sd: 0.7, seed: 11 }).nextChannels(1000, 2)) === 0);
    });

    it('ou: the paper\'s 3-state system with the set observation noise, series "ou"', async function () {
      await load(modules, noiseFlow({ mode: 'ou', observationNoiseSd: 0.2, seed: 6, chunkLength: 250, maxSamples: 1000 }));
      const out = collect('out', 4);
      helper.getNode('noise-node').receive({ command: 'start' });
      const msgs = await out;
      assert.ok(msgs.every((m) => m.chunk.series === 'ou' && m.payload.length === 1));
      assert.deepStrictEqual(msgs.map((m) => m.chunk.endOfSeries), [false, false, false, true]);
      const expected = new LinearStateSpace({ ...PAPER_OU_PRESET, observationNoiseVariance: 0.04, seed: 6 }).next(1000);
      assert.ok(maxAbsDiff(concatChunks(msgs.map((m) => m.payload)), [expected]) < 1e-12);
    });

    it('gp: each draw is a series draw-<i>; values equal core GaussianProcessSampler draws plus observation noise (seed + 1)', async function () {
      const config = { mode: 'gp', seed: 8, gpPoints: 50, gpDraws: 3, gpKernel: 'squaredExponential', gpLengthScale: 2, observationNoiseSd: 0.1, chunkLength: 20 };
      await load(modules, noiseFlow(config));
      const out = collect('out', 9);
      helper.getNode('noise-node').receive({ command: 'start' });
      const msgs = await out;
      const sampler = new GaussianProcessSampler({ kernel: 'squaredExponential', lengthScale: 2, alpha: 1, points: 50, seed: 8 });
      const observation = new WhiteNoise({ sd: 0.1, seed: 9 });
      for (let d = 0; d < 3; d++) {
        const chunks = msgs.slice(3 * d, 3 * d + 3);
        assert.deepStrictEqual(chunks.map((m) => m.chunk.series), [`draw-${d}`, `draw-${d}`, `draw-${d}`]);
        assert.deepStrictEqual(chunks.map((m) => m.chunk.startSample), [0, 20, 40]);
        assert.deepStrictEqual(chunks.map((m) => m.chunk.sequence), [0, 1, 2]);
        assert.deepStrictEqual(chunks.map((m) => m.chunk.endOfSeries), [false, false, true]);
        const expected = observation.add([sampler.draw()]);
        assert.ok(maxAbsDiff(concatChunks(chunks.map((m) => m.payload)), expected) < 1e-12, `draw ${d}`);
      }
      assert.deepStrictEqual(msgs.map((m) => m.chunk.endOfRun), [...new Array(8).fill(false), true], 'the run ends with the last draw');
    });

    it('gp: maxSamples cuts a draw short and closes its series', async function () {
      await load(modules, noiseFlow({ mode: 'gp', seed: 1, gpPoints: 50, gpDraws: 5, chunkLength: 20, maxSamples: 70 }));
      const rec: AnyMsg[] = [];
      helper.getNode('out').on('input', (msg: AnyMsg) => rec.push(msg));
      const finished = statusMatching('noise-node', /finished · 70 samples/);
      helper.getNode('noise-node').receive({ command: 'start' });
      await finished;
      const out = collect('out', 1); // after a reset, the next message is the first chunk again
      helper.getNode('noise-node').receive({ command: 'reset' });
      helper.getNode('noise-node').receive({ command: 'start' });
      const [again] = await out;
      assert.deepStrictEqual(rec.slice(0, 4).map((m) => [m.chunk.series, m.chunk.startSample, m.payload[0].length, m.chunk.endOfSeries]), [
        ['draw-0', 0, 20, false], ['draw-0', 20, 20, false], ['draw-0', 40, 10, true], ['draw-1', 0, 20, true],
      ]);
      assert.deepStrictEqual(rec.slice(0, 4).map((m) => m.chunk.endOfRun), [false, false, false, true], 'the cap ends the run');
      assert.strictEqual(rec.length, 5, 'nothing between the cap and the restart');
      assert.deepStrictEqual(again.chunk.series, 'draw-0');
      assert.deepStrictEqual(again.payload, rec[0].payload);
    });

    it('respects maxSamples; a start after the end runs the source again, as does a reset', async function () {
      await load(modules, noiseFlow({ mode: 'white', seed: 2, chunkLength: 40, maxSamples: 100 }));
      const node = helper.getNode('noise-node');
      const rec: AnyMsg[] = [];
      helper.getNode('out').on('input', (msg: AnyMsg) => rec.push(msg));
      const finished = statusMatching('noise-node', /finished · 100 samples/);
      node.receive({ command: 'start' });
      await finished;
      const out = collect('out', 1);
      node.receive({ command: 'start' }); // finished: starts over
      const [again] = await out;
      assert.deepStrictEqual(rec.slice(0, 3).map((m) => m.payload[0].length), [40, 40, 20]);
      assert.strictEqual(rec.length, 4, 'nothing between the cap and the restart');
      assert.strictEqual(again.chunk.series, 'white');
      assert.strictEqual(again.chunk.startSample, 0);
      assert.deepStrictEqual(again.payload, rec[0].payload);
      const finishedAgain = statusMatching('noise-node', /finished · 100 samples/);
      await finishedAgain;
      const third = collect('out', 1);
      node.receive({ reset: true });
      node.receive({ command: 'start' });
      assert.deepStrictEqual((await third)[0].payload, rec[0].payload);
      assert.strictEqual(rec.length, 7);
    });

    it('stop pauses a paced source and start resumes it without gaps', async function () {
      await load(modules, noiseFlow({ mode: 'white', seed: 3, chunkLength: 1, maxSamples: 1000, intervalMs: 5 }));
      const node = helper.getNode('noise-node');
      const rec: AnyMsg[] = [];
      let resolveCount: (() => void) | null = null;
      let target = 0;
      helper.getNode('out').on('input', (msg: AnyMsg) => { rec.push(msg); if (rec.length >= target && resolveCount) { resolveCount(); resolveCount = null; } });
      const reach = (n: number): Promise<void> => new Promise((resolve) => { target = n; if (rec.length >= n) resolve(); else resolveCount = resolve; });
      node.receive({ command: 'start' });
      await reach(3);
      const stopped = statusMatching('noise-node', /stopped · \d+ samples/);
      node.receive({ command: 'stop' });
      const count = Number(/(\d+) samples/.exec(await stopped)![1]);
      node.receive({ command: 'start' });
      await reach(count + 3);
      node.receive({ command: 'stop' });
      rec.slice(0, count + 3).forEach((msg, i) => assert.strictEqual(msg.chunk.startSample, i));
      assert.ok(maxAbsDiff(concatChunks(rec.slice(0, count + 3).map((m) => m.payload)), new WhiteNoise({ sd: 0.05, seed: 3 }).nextChannels(count + 3, 1)) === 0);
    });

    it('a reset that cuts a series short renames later runs <series>/run-<k>; a downstream unit accepts every chunk', async function () {
      await load([...modules, ...nodeModules('resu-unit')], [
        { id: 'noise-node', type: 'resu-noise', mode: 'white', seed: 5, chunkLength: 10, maxSamples: 100, intervalMs: 2, wires: [['unit-l1', 'out']] },
        { id: 'unit-l1', type: 'resu-unit', taps: '[1, -0.5]', polarity: 'on', wires: [['unit-out']] },
        { id: 'out', type: 'helper' }, { id: 'unit-out', type: 'helper' },
        ...catchAll(),
      ]);
      const node = helper.getNode('noise-node');
      const { seen, until } = watchMessages('unit-out');
      node.receive({ command: 'start' });
      await until(() => seen.length >= 2);
      node.receive({ command: 'reset' });
      node.receive({ command: 'start' });
      await until(() => seen.some((m) => m.chunk.endOfSeries));
      const errors = collect('errors', 1);
      helper.getNode('unit-l1').receive({ payload: 'sentinel' });
      const [err] = await errors;
      assert.match(err.error.message, /sentinel/, 'the first error is the sentinel: no chunk was rejected downstream');
      assert.deepStrictEqual([...new Set(seen.map((m) => m.chunk.series))], ['white', 'white/run-1']);
      const run = seen.filter((m) => m.chunk.series === 'white/run-1');
      assert.deepStrictEqual(run.map((m) => m.chunk.startSample), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90]);
      assert.deepStrictEqual(run[0].payload.length, 1);
    });

    it('rejects a bad command through a catch node', async function () {
      await load(modules, noiseFlow({ mode: 'white' }));
      const errors = collect('errors', 2);
      helper.getNode('noise-node').receive({ command: 'pause' });
      helper.getNode('noise-node').receive({ payload: 'go' });
      const caught = await errors;
      assert.match(caught[0].error.message, /msg\.command must be "start", "stop" or "reset" \(got "pause"\)/);
      assert.match(caught[1].error.message, /\(got "go"\)/);
    });
  });

  for (const [what, config, pattern] of [
    ['unknown mode', { mode: 'pink' }, /not configured: mode/],
    ['negative sd', { sd: -1 }, /not configured: sd/],
    ['gpPoints 1', { mode: 'gp', gpPoints: 1 }, /not configured: gpPoints/],
  ] as [string, Record<string, unknown>, RegExp][]) {
    it(`reports a configuration error (${what}) without crashing`, async function () {
      const statuses = recordStatuses();
      try { await load(modules, noiseFlow(config)); } finally { statuses.restore(); }
      const red = statuses.calls.filter((c) => c.id === 'noise-node');
      assert.deepStrictEqual(red.map((c) => [c.status.fill, c.status.shape]), [['red', 'ring']], 'one red ring, nothing else');
      const errors = collect('errors', 1);
      helper.getNode('noise-node').receive({ payload: [1, 2] });
      const [err] = await errors;
      assert.match(err.error.message, pattern);
      assert.ok(err.error.message.includes(red[0].status.text!.replace(/…$/, '')), 'the red ring names the reason');
    });
  }

  it('close stops the pacing timer', async function () {
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await load(modules, noiseFlow({ mode: 'white', chunkLength: 1, maxSamples: 100000, intervalMs: 50 }));
    let count = 0;
    let reached: (() => void) | null = null;
    helper.getNode('out').on('input', () => { count++; if (count === 2) reached?.(); });
    const two = new Promise<void>((resolve) => { reached = resolve; });
    helper.getNode('noise-node').receive({ command: 'start' });
    await two;
    const running = timeouts();
    await helper.unload();
    assert.ok(timeouts() < running, `timeouts ${running} → ${timeouts()}`);
  });
});
