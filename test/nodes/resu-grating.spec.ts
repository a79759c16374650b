import * as assert from 'assert';
import { probePair } from '../../core';
import { AnyMsg, catchAll, collect, concatChunks, helper, load, maxAbsDiff, nodeModules, recordStatuses, startServer, statusMatching, stopServer, watchMessages } from './harness';

const modules = nodeModules('resu-grating');

/**
 * A small edge probe: 4 segments of 40 samples = 160 samples per run, 4 chunks of ≤ 50 ('training'
 * normalization chunks the runs; 'probe-sd' sends each run whole), every sample scored.
 */
const EDGE = { probe: 'edge', pixels: 3, samplesPerSpacing: 5, segmentLength: 40, riseSamples: 5, segments: 4, noiseSd: 0.005, seed: 3, chunkLength: 50, normalization: 'training', settleSamples: 0 };

function probeFlow(config: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    { id: 'probe-node', type: 'resu-grating', ...EDGE, wires: [['probe-out'], ['result-out']], ...config },
    { id: 'probe-out', type: 'helper' },
    { id: 'result-out', type: 'helper' },
    ...catchAll(),
  ];
}

/** Synthetic T4 responses: `channels` arrays of `length` zeros with the given spikes [channel, sample, value]. */
function response(channels: number, length: number, spikes: [number, number, number][]): number[][] {
  const out = Array.from({ length: channels }, () => new Array(length).fill(0));
  for (const [c, i, v] of spikes) out[c][i] = v;
  return out;
}

/** Chunks of a response run as T4 output messages (series probe/<label>), the last one ending the series. */
function responseChunks(label: string, data: number[][], size: number, { positions = true } = {}): AnyMsg[] {
  const length = data[0].length;
  const msgs: AnyMsg[] = [];
  for (let start = 0, seq = 0; start < length; start += size, seq++) {
    msgs.push({
      payload: data.map((c) => c.slice(start, start + size)),
      topic: `probe/${label}`,
      chunk: { series: `probe/${label}`, signal: 'T4', train: false, sequence: seq, endOfSeries: start + size >= length, ...(positions ? { startSample: start } : {}) },
    });
  }
  return msgs;
}

function interleave<T>(a: T[], b: T[]): T[] {
  const out: T[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) { if (i < a.length) out.push(a[i]); if (i < b.length) out.push(b[i]); }
  return out;
}

describe('resu-grating node', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('loads with its defaults', async function () {
    await load(modules, [{ id: 'probe-node', type: 'resu-grating' }]);
    assert.strictEqual(helper.getNode('probe-node').type, 'resu-grating');
  });

  it('start emits probe/preferred then probe/null chunks (train: false) equal to core probePair', async function () {
    await load(modules, probeFlow({ preferredDirection: 'left' }));
    const out = collect('probe-out', 8);
    helper.getNode('probe-node').receive({ payload: 1 }); // an Inject click starts
    const msgs = await out;
    const pair = probePair({ probe: 'edge', preferredDirection: 'left', pixels: 3, samplesPerSpacing: 5, segmentLength: 40, riseSamples: 5, segments: 4, noiseSd: 0.005, seed: 3 });
    for (const [k, label] of (['preferred', 'null'] as const).entries()) {
      const run = msgs.slice(4 * k, 4 * k + 4);
      run.forEach((msg, i) => {
        assert.strictEqual(msg.topic, `probe/${label}`);
        assert.deepStrictEqual(msg.chunk, {
          series: `probe/${label}`, channels: ['px0', 'px1', 'px2'], samplePeriodS: 0.01, startSample: 50 * i, sequence: i,
          endOfSeries: i === 3, endOfRun: false, signal: 'contrast', train: false, // probes are not learned: no run to solve on
        });
      });
      assert.deepStrictEqual(run.map((m) => m.payload[0].length), [50, 50, 50, 10]);
      assert.ok(maxAbsDiff(concatChunks(run.map((m) => m.payload)), pair[label].channels) === 0, label);
    }
  });

  it('grating probe mode emits the core grating pair', async function () {
    const config = { probe: 'grating', pixels: 4, spacingDeg: 5, periodDeg: '30', speedDegPerS: '50', dtS: 0.01, durationS: 1, noiseSd: 0.01, seed: 2, chunkLength: 30 };
    await load(modules, probeFlow(config));
    const out = collect('probe-out', 8); // 100 samples: 30, 30, 30, 10 per run
    helper.getNode('probe-node').receive({ command: 'start' });
    const msgs = await out;
    const pair = probePair({ probe: 'grating', preferredDirection: 'right', pixels: 4, spacingDeg: 5, periodDeg: 30, speedDegPerS: 50, dtS: 0.01, durationS: 1, noiseSd: 0.01, seed: 2 });
    assert.ok(maxAbsDiff(concatChunks(msgs.slice(0, 4).map((m) => m.payload)), pair.preferred.channels) === 0);
    assert.ok(maxAbsDiff(concatChunks(msgs.slice(4).map((m) => m.payload)), pair.null.channels) === 0);
    assert.deepStrictEqual(msgs.map((m) => m.chunk.series), [...new Array(4).fill('probe/preferred'), ...new Array(4).fill('probe/null')]);
  });

  it('T4 responses fed back yield the DSI message for ON, OFF and all edges (windows of each triplet\'s centre pixel), then one chart message with both traces', async function () {
    await load(modules, probeFlow());
    const node = helper.getNode('probe-node');
    const out = collect('result-out', 2);
    // centre pixel 1 lags 5 samples ('right' preferred run) and 5 samples (null run, mirrored: (3 − 1 − 1)·5):
    // its ON windows are [5, 45) and [85, 125), OFF windows [45, 85) and [125, 165)
    // preferred: 3 at sample 10 (ON), 5 at 50 (OFF); null: 1 at 90 (ON), 0.5 at 130 (OFF)
    const preferred = response(2, 160, [[0, 10, 3], [1, 50, 5]]);
    const nul = response(2, 160, [[0, 90, 1], [1, 130, 0.5]]);
    const labelled = statusMatching('probe-node', /^DSI ON edges 0\.50 · all edges 0\.67$/);
    node.receive({ payload: [[100, 100]], chunk: { series: 'row-0', startSample: 0 } }); // not a probe response: ignored
    for (const msg of interleave(responseChunks('preferred', preferred, 30), responseChunks('null', nul, 45))) node.receive(msg);
    const [dsi, chart] = await out;
    await labelled;
    assert.strictEqual(dsi.topic, 'DSI');
    const on = { preferredPeak: 3, nullPeak: 1, dsi: 0.5 }, off = { preferredPeak: 5, nullPeak: 0.5, dsi: 4.5 / 5.5 }, all = { preferredPeak: 5, nullPeak: 1, dsi: 4 / 6 };
    assert.deepStrictEqual(dsi.payload, {
      probe: 'edge', preferredDirection: 'right', normalization: 'training', on, off, all, preferredPeak: 5, nullPeak: 1, dsi: 4 / 6,
      stimuli: [{ id: 'edges', waveform: 'smoothed square', on, off, all }],
    });
    // one ui-chart message: a replace clears every series of a Dashboard 2 chart, so both traces travel together
    assert.strictEqual(chart.topic, 'T4 responses');
    assert.strictEqual(chart.action, 'replace');
    const maxOver = (data: number[][]): number[] => data[0].map((_, i) => Math.max(...data.map((c) => c[i])));
    assert.deepStrictEqual(chart.payload, [
      ...maxOver(preferred).map((y, x) => ({ x, y, series: 'T4 preferred' })), ...maxOver(nul).map((y, x) => ({ x, y, series: 'T4 null' })),
    ]);
  });

  it('the sidebar state carries the labelled result and the preferred and null traces of the first stimulus', async function () {
    await load(modules, probeFlow());
    const node = helper.getNode('probe-node');
    const out = collect('result-out', 1);
    for (const msg of [...responseChunks('preferred', response(1, 160, [[0, 10, 3]]), 80), ...responseChunks('null', response(1, 160, [[0, 90, 1]]), 80)]) node.receive(msg);
    await out;
    const state = (await helper.request().get('/resu/nodes/probe-node/state').expect(200)).body;
    assert.deepStrictEqual([state.probe, state.normalization, state.result.on.dsi, state.result.all.dsi], ['edge', 'training', 0.5, 0.5]);
    assert.strictEqual(state.traces.stimulus, 'edges');
    assert.deepStrictEqual(state.traces.preferred.find((p: { x: number; y: number }) => p.y === 3), { x: 10, y: 3 });
    assert.ok(state.traces.null.length > 0 && state.traces.null.length <= 300);
  });

  it('responses without startSample are placed by arrival (same ON-edge peaks)', async function () {
    await load(modules, probeFlow());
    const node = helper.getNode('probe-node');
    const out = collect('result-out', 1);
    const preferred = response(1, 160, [[0, 10, 3], [0, 50, 5]]);
    const nul = response(1, 160, [[0, 90, 1], [0, 130, 4]]);
    for (const msg of [...responseChunks('preferred', preferred, 30, { positions: false }), ...responseChunks('null', nul, 30, { positions: false })]) node.receive(msg);
    const [dsi] = await out;
    assert.deepStrictEqual(dsi.payload.on, { preferredPeak: 3, nullPeak: 1, dsi: 0.5 });
    assert.strictEqual(dsi.payload.nullPeak, 4);
  });

  it('gratings: one stimulus per period × speed, series probe/s<k>/<label>, scored per stimulus and pooled', async function () {
    const config = { probe: 'grating', preferredDirection: 'left', waveform: 'square', periodDeg: '20, 40', speedDegPerS: '50', dtS: 0.01, durationS: 1, chunkLength: 100, normalization: 'training', settleSamples: 0, noiseSd: 0 };
    await load(modules, probeFlow(config));
    const node = helper.getNode('probe-node');
    const sent = collect('probe-out', 4);
    node.receive({ command: 'start' });
    const msgs = await sent;
    assert.deepStrictEqual(msgs.map((m) => m.chunk.series), ['probe/s0/preferred', 'probe/s0/null', 'probe/s1/preferred', 'probe/s1/null']);
    const pair = probePair({ probe: 'grating', preferredDirection: 'left', periodDeg: 40, speedDegPerS: 50, waveform: 'square', dtS: 0.01, durationS: 1, noiseSd: 0, seed: 2 });
    assert.ok(maxAbsDiff(msgs[2].payload, pair.preferred.channels) === 0, 'stimulus 1 is the 40° square grating');
    const out = collect('result-out', 1);
    // a response at sample 10 lies in the ON or OFF half cycle of the centre pixel (windows from core)
    const on0 = pair.preferred.polarityAt(1, 10);
    const respond = (series: string, spikes: [number, number, number][]) => responseChunks('x', response(1, 100, spikes), 100).map((m) => ({ ...m, topic: series, chunk: { ...m.chunk, series } }));
    for (const m of [...respond('probe/s0/preferred', [[0, 5, 0.4]]), ...respond('probe/s0/null', [[0, 5, 0.1]]),
      ...respond('probe/s1/preferred', [[0, 10, 0.75]]), ...respond('probe/s1/null', [[0, 10, 0.25]])]) node.receive(m);
    const [dsi] = await out;
    assert.deepStrictEqual(dsi.payload.stimuli.map((x: AnyMsg) => [x.id, x.periodDeg, x.speedDegPerS]), [['square 20° 50°/s', 20, 50], ['square 40° 50°/s', 40, 50]]);
    assert.ok(Math.abs(dsi.payload.stimuli[0].all.dsi - 0.3 / 0.5) < 1e-12 && dsi.payload.stimuli[1].all.dsi === 0.5);
    assert.deepStrictEqual(dsi.payload.all, { preferredPeak: 0.75, nullPeak: 0.25, dsi: 0.5 }, 'pooled: the largest peak of each direction');
    assert.strictEqual(dsi.payload.stimuli[1][on0].preferredPeak, 0.75);
    assert.strictEqual(dsi.payload.stimuli[1][on0 === 'on' ? 'off' : 'on'].preferredPeak, 0);
  });

  it('"probe-sd" normalization (the default) sends each run whole, marked with msg.probeScaling; no response gives a null DSI', async function () {
    await load(modules, probeFlow({ normalization: undefined, chunkLength: 50 }));
    const node = helper.getNode('probe-node');
    const sent = collect('probe-out', 2);
    node.receive({ command: 'start' });
    const msgs = await sent;
    assert.deepStrictEqual(msgs.map((m) => [m.chunk.series, m.payload[0].length, m.chunk.endOfSeries]), [['probe/preferred', 160, true], ['probe/null', 160, true]]);
    assert.deepStrictEqual(msgs.map((m) => m.probeScaling), [{ mode: 'probe-sd', noiseSd: 0.02, seed: 3 }, { mode: 'probe-sd', noiseSd: 0.02, seed: 4 }]);
    const out = collect('result-out', 1);
    const labelled = statusMatching('probe-node', /DSI ON edges n\/a · all edges n\/a/);
    for (const msg of [...responseChunks('preferred', response(1, 160, []), 160), ...responseChunks('null', response(1, 160, []), 160)]) node.receive(msg);
    const [dsi] = await out;
    assert.strictEqual(dsi.payload.normalization, 'probe-sd');
    assert.strictEqual(dsi.payload.dsi, null, 'undefined, not 0');
    assert.strictEqual(dsi.payload.on.dsi, null);
    await labelled;
  });

  it('rejects bad input with exactly one error each, and the peaks are unaffected', async function () {
    await load(modules, probeFlow());
    const node = helper.getNode('probe-node');
    const bad: [AnyMsg, RegExp][] = [
      [{ payload: [[1, NaN]], chunk: { series: 'probe/preferred' } }, /msg\.payload\[0\]\[1\] must be a finite number \(got NaN\)/],
      [{ payload: [[1, 2], [3]], chunk: { series: 'probe/null' } }, /different lengths/],
      [{ payload: [[9, 9]], chunk: { series: 'probe/null', startSample: -1 } }, /msg\.chunk\.startSample must be a non-negative integer/],
      [{ payload: [[9, 9]], chunk: { series: 'probe/null', channels: ['a', 'b'] } }, /msg\.chunk\.channels must name each of the 1 channels/],
      [{ payload: [[9, 'x']], chunk: { series: 'probe/preferred' } }, /msg\.payload\[0\]\[1\] must be a finite number/],
      [{ payload: [] }, /empty/],
      [{ command: 'jump' }, /msg\.command must be "start", "stop" or "reset" \(got "jump"\)/],
      [{ payload: 'go' }, /\(got "go"\)/],
    ];
    const errors = collect('errors', bad.length + 1);
    const out = collect('result-out', 1);
    for (const [msg] of bad) node.receive(msg);
    for (const msg of [...responseChunks('preferred', response(1, 80, [[0, 3, 2]]), 40), ...responseChunks('null', response(1, 80, [[0, 3, 1]]), 40)]) node.receive(msg);
    node.receive({ command: 'sentinel' });
    const caught = await errors;
    bad.forEach(([, pattern], i) => assert.match(caught[i].error.message, pattern, `bad message ${i}`));
    assert.match(caught[bad.length].error.message, /sentinel/);
    const [dsi] = await out;
    assert.strictEqual(dsi.payload.preferredPeak, 2);
    assert.strictEqual(dsi.payload.nullPeak, 1);
  });

  it('reset forgets collected responses and sends nothing; stop halts the emission', async function () {
    await load(modules, probeFlow({ chunkLength: 1, intervalMs: 5 }));
    const node = helper.getNode('probe-node');
    const results = collect('result-out', 1);
    for (const msg of responseChunks('preferred', response(1, 40, [[0, 1, 5]]), 40)) node.receive(msg);
    node.receive({ reset: true });
    for (const msg of [...responseChunks('null', response(1, 40, [[0, 1, 1]]), 40), ...responseChunks('preferred', response(1, 40, [[0, 2, 2]]), 40)]) node.receive(msg);
    const [dsi] = await results;
    // had the reset not cleared them, the old preferred end and peak 5 would show here
    assert.strictEqual(dsi.payload.preferredPeak, 2);
    assert.strictEqual(dsi.payload.nullPeak, 1);
    const probes = collect('probe-out', 2);
    node.receive({ command: 'start' });
    await probes;
    const stopped = statusMatching('probe-node', /waiting for T4 responses/);
    node.receive({ command: 'stop' });
    await stopped;
  });

  it('a start that cuts a run short gives the new runs fresh series names; a downstream unit accepts every chunk', async function () {
    await load([...modules, ...nodeModules('resu-unit')], [
      { id: 'probe-node', type: 'resu-grating', ...EDGE, chunkLength: 10, intervalMs: 2, wires: [['unit-l1', 'probe-out'], ['result-out']] },
      { id: 'unit-l1', type: 'resu-unit', taps: '[1, -0.5]', polarity: 'on', wires: [['unit-out']] },
      { id: 'probe-out', type: 'helper' }, { id: 'result-out', type: 'helper' }, { id: 'unit-out', type: 'helper' },
      ...catchAll(),
    ]);
    const node = helper.getNode('probe-node');
    const { seen, until } = watchMessages('unit-out');
    node.receive({ command: 'start' });
    await until(() => seen.length >= 2);
    node.receive({ command: 'start' }); // cuts probe/preferred short
    await until(() => seen.some((m) => m.chunk.series === 'probe/null/run-1' && m.chunk.endOfSeries));
    const errors = collect('errors', 1);
    helper.getNode('unit-l1').receive({ payload: 'sentinel' });
    const [err] = await errors;
    assert.match(err.error.message, /sentinel/, 'the first error is the sentinel: no probe chunk was rejected downstream');
    const names = [...new Set(seen.map((m) => m.chunk.series))];
    assert.deepStrictEqual(names, ['probe/preferred', 'probe/preferred/run-1', 'probe/null/run-1']);
    assert.strictEqual(seen.filter((m) => m.chunk.series === 'probe/preferred/run-1').length, 16);
    // late responses to the cut run are ignored; the current run's give the DSI
    const out = collect('result-out', 1);
    for (const msg of responseChunks('preferred', response(1, 160, [[0, 3, 9]]), 80)) node.receive(msg);
    for (const label of ['preferred', 'null']) {
      for (const msg of responseChunks(label, response(1, 160, [[0, 3, label === 'preferred' ? 3 : 1]]), 80)) {
        msg.chunk.series = `probe/${label}/run-1`;
        node.receive(msg);
      }
    }
    const [dsi] = await out;
    assert.strictEqual(dsi.payload.preferredPeak, 3);
    assert.strictEqual(dsi.payload.nullPeak, 1);
  });

  it('a start after a complete run keeps the documented names', async function () {
    await load(modules, probeFlow());
    const out = collect('probe-out', 16);
    helper.getNode('probe-node').receive({ command: 'start' });
    await collect('probe-out', 8);
    helper.getNode('probe-node').receive({ command: 'start' });
    const msgs = await out;
    assert.deepStrictEqual(msgs.slice(8).map((m) => m.chunk.series), msgs.slice(0, 8).map((m) => m.chunk.series));
    assert.deepStrictEqual(msgs[8].payload, msgs[0].payload);
  });

  for (const [what, config, pattern] of [
    ['pixels 2', { pixels: 2 }, /not configured: pixels must be an integer ≥ 3/],
    ['unknown probe', { probe: 'square' }, /not configured: probe/],
    ['segmentLength 1', { segmentLength: 1 }, /not configured: segmentLength/],
    ['a bad period list', { probe: 'grating', periodDeg: '20, x' }, /not configured: periodDeg must be 1 to 16 numbers separated by commas, each > 0 and ≤ 1e6° \(got "20, x"\)/],
    ['a probe-sd run over one chunk', { normalization: 'probe-sd', segments: 2000, segmentLength: 1000 }, /not configured: segments .*one chunk/],
  ] as [string, Record<string, unknown>, RegExp][]) {
    it(`reports a configuration error (${what}) without crashing`, async function () {
      const statuses = recordStatuses();
      try { await load(modules, probeFlow(config)); } finally { statuses.restore(); }
      const red = statuses.calls.filter((c) => c.id === 'probe-node');
      assert.deepStrictEqual(red.map((c) => [c.status.fill, c.status.shape]), [['red', 'ring']], 'one red ring, nothing else');
      const errors = collect('errors', 1);
      helper.getNode('probe-node').receive({ command: 'start' });
      const [err] = await errors;
      assert.match(err.error.message, pattern);
      assert.ok(err.error.message.includes(red[0].status.text!.replace(/…$/, '')), 'the red ring names the reason');
    });
  }

  it('close stops the pacing timer', async function () {
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await load(modules, probeFlow({ chunkLength: 1, intervalMs: 50 }));
    let count = 0;
    let reached: (() => void) | null = null;
    helper.getNode('probe-out').on('input', () => { count++; if (count === 2) reached?.(); });
    const two = new Promise<void>((resolve) => { reached = resolve; });
    helper.getNode('probe-node').receive({ command: 'start' });
    await two;
    const running = timeouts();
    await helper.unload();
    assert.ok(timeouts() < running, `timeouts ${running} → ${timeouts()}`);
  });
});
