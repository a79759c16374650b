import * as assert from 'assert';
import * as fs from 'fs';
import { LaggedMoments, solvePastFutureCca, T4Layer } from '../../core';
import { ar1, AnyMsg, catchAll, collect, helper, load, maxAbsDiff, nodeModules, plain, recordStatuses, startServer, statusMatching, stopServer, useDiskContextStore } from './harness';

const modules = nodeModules('resu-t4');

interface Row { l1: number[][]; l3: number[][] }

/**
 * A test-local stand-in for L1/L3 of a pixel row watching rightward motion: pixel i sees a shared
 * AR(1) signal delayed by `step`·i samples plus its own noise; L3 is that signal, L1 its rectified
 * temporal difference. Any non-degenerate data serves: the oracle below is computed from the same numbers.
 */
function movingRow(length: number, pixels: number, seed: number, step = 2): Row {
  const s = ar1(length + step * pixels + 1, 0.9, seed);
  const l1: number[][] = [], l3: number[][] = [];
  for (let i = 0; i < pixels; i++) {
    const noise = ar1(length + 1, 0, seed * 97 + i + 1);
    const x = Array.from({ length: length + 1 }, (_, t) => s[t + step * (pixels - i)] + 0.2 * noise[t]);
    l3.push(x.slice(1));
    l1.push(x.slice(1).map((v, t) => Math.max(v - 0.7 * x[t], 0)));
  }
  return { l1, l3 };
}

function slice(row: Row, start: number, end: number): Row {
  return { l1: row.l1.map((c) => c.slice(start, end)), l3: row.l3.map((c) => c.slice(start, end)) };
}

function chunkMsg(signal: string | undefined, data: number[][], series: string, startSample: number, extra: Record<string, unknown> = {}): AnyMsg {
  return { payload: data, chunk: { series, startSample, samplePeriodS: 0.01, ...(signal === undefined ? {} : { signal }), ...extra } };
}

/** Sends the L1 and L3 chunks of `row` in pieces of `size`, L1 first unless `l3First`. */
function sendRow(nodeId: string, row: Row, series: string, { size = row.l1[0].length, offset = 0, l3First = false, extra = {} as Record<string, unknown>, endOfSeries = false, endOfRun = false } = {}): void {
  const node = helper.getNode(nodeId);
  const length = row.l1[0].length;
  for (let start = 0; start < length; start += size) {
    const piece = slice(row, start, start + size);
    const last = start + size >= length;
    const meta = { ...extra, ...(endOfSeries && last ? { endOfSeries: true } : {}), ...(endOfRun && last ? { endOfSeries: true, endOfRun: true } : {}) };
    const l1 = chunkMsg('L1', piece.l1, series, offset + start, meta), l3 = chunkMsg('L3', piece.l3, series, offset + start, meta);
    if (l3First) { node.receive(l3); node.receive(l1); } else { node.receive(l1); node.receive(l3); }
  }
}

/**
 * Oracle, independent of T4Layer: the six-channel triplets [L3, L1] of (left, centre, right) of
 * every pixel triplet, each (series, triplet) its own LaggedMoments series, uncentered, m = h = 1,
 * gap = delay − 1; the second canonical direction, signed so that its drive w·x, summed over the
 * pairs' past samples, correlates positively with the centre L1 input (index 3).
 */
function directWeights(series: Row[], delay: number): { weights: number[]; pairs: number } {
  const moments = new LaggedMoments({ channels: 6, pastLags: 1, futureLags: 1, gap: delay - 1, center: false });
  const triplets: number[][][] = [];
  series.forEach((row, k) => {
    for (let c = 1; c < row.l1.length - 1; c++) {
      const triplet = [row.l3[c - 1], row.l1[c - 1], row.l3[c], row.l1[c], row.l3[c + 1], row.l1[c + 1]];
      moments.update(triplet.map((x) => Float64Array.from(x)), `${k}/${c}`);
      triplets.push(triplet.map((x) => x.slice(0, x.length - delay))); // the pairs' past samples
    }
  });
  const w = Array.from(solvePastFutureCca(moments).pastFilters[1]);
  let onDrive = 0;
  for (const x of triplets) for (let t = 0; t < x[0].length; t++) onDrive += x.reduce((acc, channel, i) => acc + w[i] * channel[t], 0) * x[3][t];
  return { weights: onDrive < 0 ? w.map((v) => -v) : w, pairs: moments.pairs };
}

/** Weights agree to round-off (different summation order): 1e-9 relative to the largest weight. */
function assertSameWeights(actual: number[], expected: number[], what = 'weights'): void {
  const scale = Math.max(1, ...expected.map(Math.abs));
  const diff = maxAbsDiff([actual], [expected]);
  assert.ok(diff < 1e-9 * scale, `${what} differ by ${diff}: ${actual} vs ${expected}`);
}

/** Test-local T4 response: max(w·x − θ, 0) per triplet. */
function responses(row: Row, w: number[], theta: number): number[][] {
  const out: number[][] = [];
  for (let c = 1; c < row.l1.length - 1; c++) {
    const x = [row.l3[c - 1], row.l1[c - 1], row.l3[c], row.l1[c], row.l3[c + 1], row.l1[c + 1]];
    out.push(x[0].map((_, t) => Math.max(x.reduce((acc, channel, k) => acc + w[k] * channel[t], 0) - theta, 0)));
  }
  return out;
}

function t4Flow(config: Record<string, unknown> = {}, id = 't4-node'): Record<string, unknown>[] {
  return [
    { id, type: 'resu-t4', delay: 3, solveEveryPairs: 0, wires: [['resp-out'], ['weights-out']], ...config },
    { id: 'resp-out', type: 'helper' },
    { id: 'weights-out', type: 'helper' },
    ...catchAll(),
  ];
}

async function solveWeights(nodeId = 't4-node'): Promise<AnyMsg> {
  const out = collect('weights-out', 1);
  helper.getNode(nodeId).receive({ solve: true });
  return (await out)[0];
}

describe('resu-t4 node', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('loads with its defaults', async function () {
    await load(modules, [{ id: 't4-node', type: 'resu-t4' }]);
    assert.strictEqual(helper.getNode('t4-node').type, 'resu-t4');
  });

  it('learns from aligned L1/L3 chunks: weights equal a direct uncentered CCA of the triplets (direction 2, drive rising with the centre L1)', async function () {
    await load(modules, t4Flow());
    const row = movingRow(3000, 5, 1);
    sendRow('t4-node', row, 'row-0', { size: 500 });
    const msg = await solveWeights();
    assert.strictEqual(msg.topic, 'T4 weights');
    assert.strictEqual(msg.payload.format, 'resu-cca-fit');
    assert.strictEqual(msg.payload.channels, 6);
    assert.strictEqual(msg.payload.pastLags, 1);
    const expected = directWeights([row], 3);
    assert.strictEqual(msg.payload.pairs, expected.pairs);
    assert.strictEqual(expected.pairs, 3 * (3000 - 3)); // three triplets, N − delay pairs each
    assertSameWeights(msg.payload.t4.weights, expected.weights);
    const layer = new T4Layer({ delay: 3 });
    layer.learn(row.l3.map((c) => Float64Array.from(c)), row.l1.map((c) => Float64Array.from(c)), 'row-0');
    const core = layer.solve();
    assertSameWeights(msg.payload.t4.weights, Array.from(core.weights), 'weights vs core T4Layer');
    assertSameWeights(msg.payload.t4.normalizedWeights, Array.from(core.normalizedWeights), 'normalized weights vs core T4Layer');
    assert.ok(msg.payload.t4.threshold === 0 && msg.payload.t4.thresholdQuantile === 0, 'fixed θ = 0 by default');
    assert.deepStrictEqual(msg.payload.t4.channels, ['L3_left', 'L1_left', 'L3_centre', 'L1_centre', 'L3_right', 'L1_right']);
    assert.strictEqual(msg.payload.t4.component, 2);
    assert.strictEqual(msg.payload.t4.delay, 3);
  });

  it('applies its weights: output 1 is max(w·x − θ, 0) per triplet, with the chunk metadata', async function () {
    await load(modules, t4Flow({ threshold: 0.05 }));
    const train = movingRow(2000, 5, 2);
    sendRow('t4-node', train, 'row-0');
    const { payload } = await solveWeights();
    const probe = movingRow(300, 5, 3);
    const out = collect('resp-out', 1);
    sendRow('t4-node', probe, 'probe/preferred', { extra: { train: false, sequence: 0 } });
    const [msg] = await out;
    assert.strictEqual(msg.payload.length, 3);
    assert.ok(maxAbsDiff(msg.payload, responses(probe, payload.t4.weights, 0.05)) < 1e-12);
    assert.ok(plain(msg.payload).flat().some((v: number) => v > 0) && plain(msg.payload).flat().some((v: number) => v === 0), 'rectification is exercised');
    assert.strictEqual(msg.chunk.signal, 'T4');
    assert.strictEqual(msg.chunk.series, 'probe/preferred');
    assert.strictEqual(msg.topic, 'probe/preferred');
    assert.strictEqual(msg.chunk.startSample, 0);
    assert.strictEqual(msg.chunk.train, false);
    assert.deepStrictEqual(msg.chunk.channels, ['T4/px1', 'T4/px2', 'T4/px3']);
  });

  it('chunks with chunk.train === false are applied but not learned', async function () {
    await load(modules, t4Flow());
    const train = movingRow(2000, 4, 4);
    sendRow('t4-node', train, 'row-0');
    const first = await solveWeights();
    const out = collect('resp-out', 1);
    sendRow('t4-node', movingRow(500, 4, 5), 'probe/null', { extra: { train: false } });
    await out;
    const second = await solveWeights();
    assert.strictEqual(second.payload.pairs, first.payload.pairs);
    assert.deepStrictEqual(second.payload.t4.weights, first.payload.t4.weights);
  });

  it('gives the same weights for one big chunk pair and many small ones', async function () {
    await load(modules, [
      { id: 't4-big', type: 'resu-t4', delay: 4, solveEveryPairs: 0, wires: [[], ['weights-out']] },
      { id: 't4-small', type: 'resu-t4', delay: 4, solveEveryPairs: 0, wires: [[], ['weights-out']] },
      { id: 'weights-out', type: 'helper' },
    ]);
    const row = movingRow(2500, 6, 6);
    sendRow('t4-big', row, 'row-0');
    sendRow('t4-small', row, 'row-0', { size: 37 });
    const big = await solveWeights('t4-big');
    const small = await solveWeights('t4-small');
    assert.strictEqual(big.payload.pairs, small.payload.pairs);
    assertSameWeights(small.payload.t4.weights, big.payload.t4.weights);
    assertSameWeights(big.payload.t4.weights, directWeights([row], 4).weights, 'weights vs oracle');
  });

  it('aligns L1 and L3 chunks arriving in different orders and with interleaved series', async function () {
    await load(modules, t4Flow());
    const a = movingRow(1200, 5, 7), b = movingRow(1200, 5, 8);
    const node = helper.getNode('t4-node');
    // all L1 chunks of row-a first, then its L3 chunks in order; row-b L3 before L1, interleaved with row-a
    for (let s = 0; s < 1200; s += 100) node.receive(chunkMsg('L1', slice(a, s, s + 100).l1, 'row-a', s));
    for (let s = 0; s < 1200; s += 100) {
      node.receive(chunkMsg('L3', slice(b, s, s + 100).l3, 'row-b', s));
      node.receive(chunkMsg('L3', slice(a, s, s + 100).l3, 'row-a', s));
      node.receive(chunkMsg('L1', slice(b, s, s + 100).l1, 'row-b', s));
    }
    const msg = await solveWeights();
    const expected = directWeights([a, b], 3);
    assert.strictEqual(msg.payload.pairs, expected.pairs);
    assertSameWeights(msg.payload.t4.weights, expected.weights);
  });

  it('adopts weights from a filters message (6 channels × 1 lag), e.g. another T4\'s weights output', async function () {
    await load(modules, [
      { id: 't4-teacher', type: 'resu-t4', delay: 3, solveEveryPairs: 0, wires: [[], ['t4-student', 'weights-out']] },
      { id: 't4-student', type: 'resu-t4', delay: 3, solveEveryPairs: 0, learning: false, wires: [['resp-out'], []] },
      { id: 'weights-out', type: 'helper' },
      { id: 'resp-out', type: 'helper' },
      ...catchAll(),
    ]);
    const row = movingRow(1500, 4, 9);
    sendRow('t4-teacher', row, 'row-0');
    const teacher = await solveWeights('t4-teacher');
    const probe = movingRow(200, 4, 10);
    const out = collect('resp-out', 2);
    // the weights message reached the student first (same wire order); now a probe pair
    sendRow('t4-student', probe, 'probe', { extra: { train: false } });
    // a hand-written fit: direction 2 is used
    const w = [0.1, 0.2, -0.3, 1, 0.05, -0.4];
    helper.getNode('t4-student').receive({
      payload: {
        format: 'resu-cca-fit', version: 1, channels: 6, pastLags: 1, futureLags: 1, centered: false, pairs: 10, weight: 10,
        correlations: [0.9, 0.5], pastFilters: [[1, 0, 0, 0, 0, 0], w], futureDirections: [[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]],
        conditionNumber: { past: 1, future: 1 }, warnings: [],
      },
    });
    sendRow('t4-student', probe, 'probe', { offset: 200, extra: { train: false } });
    const [first, second] = await out;
    assert.ok(maxAbsDiff(first.payload, responses(probe, teacher.payload.t4.weights, 0)) < 1e-12);
    assert.ok(maxAbsDiff(second.payload, responses(probe, w, 0)) < 1e-12);
  });

  it('msg.learning and msg.applying switch learning and output; a gap restarts the series', async function () {
    await load(modules, t4Flow());
    const node = helper.getNode('t4-node');
    const row = movingRow(3000, 5, 11);
    const p1 = slice(row, 0, 1000), p2 = slice(row, 1000, 2000), p3 = slice(row, 2000, 3000);
    sendRow('t4-node', p1, 'row-0');
    node.receive({ learning: false });
    sendRow('t4-node', p2, 'row-0', { offset: 1000 });
    node.receive({ learning: true });
    sendRow('t4-node', p3, 'row-0', { offset: 2000 });
    const msg = await solveWeights();
    // p2 not learned; p3 restarts the series (no pair bridges the frozen stretch)
    const expected = directWeights([p1, p3], 3);
    assert.strictEqual(msg.payload.pairs, expected.pairs);
    assertSameWeights(msg.payload.t4.weights, expected.weights);
    // applying off: no response; on again: the next response is for the later chunk
    const out = collect('resp-out', 1);
    node.receive({ applying: false });
    sendRow('t4-node', movingRow(50, 5, 12), 'probe', { extra: { train: false } });
    node.receive({ applying: true });
    sendRow('t4-node', movingRow(50, 5, 13), 'probe', { offset: 50, extra: { train: false } });
    const [response] = await out;
    assert.strictEqual(response.chunk.startSample, 50);
  });

  it('learning switched off and on again does not bridge chunks without positions', async function () {
    await load(modules, t4Flow());
    const node = helper.getNode('t4-node');
    const row = movingRow(1500, 4, 14);
    const p1 = slice(row, 0, 500), p2 = slice(row, 500, 1000), p3 = slice(row, 1000, 1500);
    const send = (part: Row): void => {
      node.receive({ payload: part.l1, chunk: { series: 'row-0', signal: 'L1' } });
      node.receive({ payload: part.l3, chunk: { series: 'row-0', signal: 'L3' } });
    };
    send(p1);
    node.receive({ learning: false });
    send(p2);
    node.receive({ learning: true });
    send(p3);
    const msg = await solveWeights();
    const expected = directWeights([p1, p3], 3);
    assert.strictEqual(msg.payload.pairs, expected.pairs);
    assertSameWeights(msg.payload.t4.weights, expected.weights);
  });

  it('caps pending chunks at 64 per series and signal, counts the dropped ones in status and msg.dropped', async function () {
    await load(modules, t4Flow());
    const node = helper.getNode('t4-node');
    const row = movingRow(700, 4, 15);
    const dropped = statusMatching('t4-node', /12 dropped/);
    for (let s = 0; s < 700; s += 10) node.receive(chunkMsg('L1', slice(row, s, s + 10).l1, 'row-0', s));
    // L1 chunks 0…5 fell out; their L3 partners are unmatched and dropped too (6 + 6)
    for (let s = 0; s < 700; s += 10) node.receive(chunkMsg('L3', slice(row, s, s + 10).l3, 'row-0', s));
    const msg = await solveWeights();
    assert.match(await dropped, /12 dropped/);
    assert.strictEqual(msg.dropped, 12);
    const expected = directWeights([slice(row, 60, 700)], 3);
    assert.strictEqual(msg.payload.pairs, expected.pairs);
    assertSameWeights(msg.payload.t4.weights, expected.weights);
  });

  it('rejects bad input with exactly one error each, naming the problem, and keeps its statistics', async function () {
    await load(modules, t4Flow());
    const node = helper.getNode('t4-node');
    const row = movingRow(1000, 5, 16);
    const good = slice(row, 0, 500), rest = slice(row, 500, 1000);
    const bad: [AnyMsg[], RegExp][] = [
      [[chunkMsg(undefined, good.l1, 'row-0', 500)], /msg\.chunk\.signal must be "L1" or "L3"/],
      [[chunkMsg('L2', good.l1, 'row-0', 500)], /msg\.chunk\.signal must be "L1" or "L3" .*"L2"/],
      [[chunkMsg('L1', good.l1.slice(0, 2), 'row-0', 500)], /2 pixel channels; T4 needs at least 3/],
      // rejected on arrival: the pending L1 chunk it would pair with stays untouched
      [[chunkMsg('L1', good.l1, 'odd', 0), chunkMsg('L3', good.l3.slice(0, 4), 'odd', 0)], /4 pixel channels; the pending chunks of series "odd" have 5/],
      [[chunkMsg('L1', good.l1, 'odd', 500), chunkMsg('L3', slice(good, 0, 100).l3, 'odd', 500)], /L1 and L3 chunks of series "odd" starting at sample 500 have 500 and 100 samples/],
      [[chunkMsg('L1', [[1, NaN, 2], [1, 2, 3], [1, 2, 3]], 'row-0', 500)], /msg\.payload\[0\]\[1\] must be a finite number \(got NaN\)/],
      [[chunkMsg('L3', [[1, 2, 3], [1, 2, Infinity], [1, 2, 3]], 'row-0', 500)], /msg\.payload\[1\]\[2\] must be a finite number/],
      [[{ payload: 'hello', chunk: { signal: 'L1' } }], /msg\.payload must be an array/],
      [[{ payload: [[1, 2], [3], [4, 5]], chunk: { signal: 'L1' } }], /different lengths/],
      [[{ payload: null }], /msg\.payload is missing/],
      [[{ payload: [[1, 2], ['x', 3], [4, 5]], chunk: { signal: 'L1' } }], /msg\.payload\[1\]\[0\] must be a finite number/],
      [[{ payload: [[1], [2], [3]], chunk: 'L1' }], /msg\.chunk must be an object/],
      [[{ payload: { format: 'resu-cca-fit', version: 1, channels: 1, pastLags: 3, futureLags: 1, correlations: [0.5], pastFilters: [[1, 2, 3]], futureDirections: [[1]] } }], /6 channels × 1 lag/],
      [[{ payload: { format: 'resu-cca-fit', version: 1, channels: 6, pastLags: 1, futureLags: 1, correlations: [0.5], pastFilters: [[1, 2, 3]], futureDirections: [[1]] } }], /not a valid filters message/],
      [[{ learning: 'yes' }], /msg\.learning must be true or false/],
      [[{ applying: 1 }], /msg\.applying must be true or false/],
      [[{ solve: 'now' }], /msg\.solve must be true or false/],
      [[{ learning: 'no', payload: good.l1, chunk: { signal: 'L1', series: 'row-0', startSample: 500 } }], /msg\.learning/],
      // a repeated chunk (same series and startSample as a pair already learned): rejected on arrival
      [[chunkMsg('L3', good.l3, 'row-0', 0)], /startSample 0 of series "row-0" repeats/],
    ];
    const total = bad.length + 1;
    const errors = collect('errors', total);
    sendRow('t4-node', good, 'row-0');
    for (const [msgs] of bad) for (const msg of msgs) node.receive(msg);
    sendRow('t4-node', rest, 'row-0', { offset: 500 });
    node.receive({ learning: 'sentinel' }); // the (n+1)-th error must be this one: no message gave two
    const caught = await errors;
    bad.forEach(([, pattern], i) => assert.match(caught[i].error.message, pattern, `bad message ${i}`));
    assert.match(caught[bad.length].error.message, /sentinel/);
    const msg = await solveWeights();
    const expected = directWeights([row], 3);
    assert.strictEqual(msg.payload.pairs, expected.pairs);
    assertSameWeights(msg.payload.t4.weights, expected.weights);
  });

  it('a chunk that would open more series than the statistics can hold is rejected before anything is learned', async function () {
    await load(modules, t4Flow());
    const node = helper.getNode('t4-node');
    const row = movingRow(10, 5, 28); // 3 triplets per series: 4096 open series hold 1365 rows
    const errors = collect('errors', 2);
    for (let k = 0; k < 1366; k++) {
      sendRow('t4-node', row, `row-${k}`);
      if (k % 300 === 299) await solveWeights(); // keep the input queue (cap 1000) from overflowing
    }
    sendRow('t4-node', row, 'row-0', { offset: 10, endOfSeries: true }); // ending one frees room
    sendRow('t4-node', row, 'row-1366');
    node.receive({ solve: 'sentinel' });
    const caught = await errors;
    assert.match(caught[0].error.message, /too many series in flight/);
    assert.match(caught[1].error.message, /sentinel/);
    const msg = await solveWeights();
    assert.strictEqual(msg.payload.pairs, 1366 * 3 * (10 - 3) + 3 * 10);
  });

  it('θ from data: with thresholdQuantile q each solve sets θ to that quantile of the training drive (core T4Layer), applies and reports it', async function () {
    await load(modules, t4Flow({ thresholdQuantile: '0.9' }));
    const train = movingRow(500, 4, 11); // 2 triplets × 500 = 1000 training vectors: all sampled
    const statusText = statusMatching('t4-node', /θ \d\.\d+ \(q0\.9\)/);
    sendRow('t4-node', train, 'row-0');
    const { payload } = await solveWeights();
    const core = new T4Layer({ delay: 3, thresholdQuantile: 0.9 });
    core.learn(train.l3.map((c) => Float64Array.from(c)), train.l1.map((c) => Float64Array.from(c)), 'row-0');
    const expected = core.solve();
    assert.ok(expected.threshold > 0);
    assert.strictEqual(payload.t4.thresholdQuantile, 0.9);
    assert.ok(Math.abs(payload.t4.threshold - expected.threshold) < 1e-12, `θ ${payload.t4.threshold} vs ${expected.threshold}`);
    await statusText;
    const probe = movingRow(300, 4, 12);
    const out = collect('resp-out', 1);
    sendRow('t4-node', probe, 'probe/preferred', { extra: { train: false } });
    const [msg] = await out;
    assert.ok(maxAbsDiff(msg.payload, responses(probe, payload.t4.weights, payload.t4.threshold)) < 1e-12);
  });

  it('msg.probeScaling "probe-sd" (from the probe node) applies the authors\' scaling: core T4Layer.apply with the same scaling', async function () {
    await load(modules, t4Flow());
    const train = movingRow(1500, 5, 13);
    sendRow('t4-node', train, 'row-0');
    await solveWeights();
    const core = new T4Layer({ delay: 3 });
    core.learn(train.l3.map((c) => Float64Array.from(c)), train.l1.map((c) => Float64Array.from(c)), 'row-0');
    core.solve();
    const probe = movingRow(400, 5, 14);
    const scaling = { mode: 'probe-sd' as const, noiseSd: 0.02, seed: 9 };
    const out = collect('resp-out', 1);
    const node = helper.getNode('t4-node');
    node.receive({ ...chunkMsg('L1', probe.l1, 'probe/preferred', 0, { train: false, endOfSeries: true }), probeScaling: scaling });
    node.receive({ ...chunkMsg('L3', probe.l3, 'probe/preferred', 0, { train: false, endOfSeries: true }), probeScaling: scaling });
    const [msg] = await out;
    const expected = core.apply(probe.l3.map((c) => Float64Array.from(c)), probe.l1.map((c) => Float64Array.from(c)), scaling);
    assert.ok(maxAbsDiff(msg.payload, expected.map((c) => Array.from(c))) < 1e-12);
    const raw = core.apply(probe.l3.map((c) => Float64Array.from(c)), probe.l1.map((c) => Float64Array.from(c)));
    assert.ok(maxAbsDiff(msg.payload, raw.map((c) => Array.from(c))) > 1e-3, 'differs from the weights as learned');
    // a bad scaling is rejected before anything changes
    const errors = collect('errors', 2);
    node.receive({ ...chunkMsg('L1', probe.l1, 'probe/null', 0, { train: false }), probeScaling: { mode: 'sideways' } });
    node.receive({ ...chunkMsg('L1', probe.l1, 'probe/null', 0, { train: false }), probeScaling: { mode: 'probe-sd', noiseSd: -1 } });
    const caught = await errors;
    assert.match(caught[0].error.message, /msg\.probeScaling\.mode must be "training" or "probe-sd"/);
    assert.match(caught[1].error.message, /msg\.probeScaling\.noiseSd/);
  });

  it('a full input queue (nodeMessageBufferMaxLength) rejects the newcomers with an error each', async function () {
    helper.settings({ nodeMessageBufferMaxLength: 3 });
    try {
      await load(modules, t4Flow());
    } finally { helper.settings({}); }
    const node = helper.getNode('t4-node');
    const row = movingRow(100, 4, 30);
    const received: AnyMsg[] = [];
    const sentinel = new Promise<void>((resolve) => helper.getNode('errors').on('input', (msg: AnyMsg) => {
      received.push(msg);
      if (/sentinel/.test(msg.error.message)) resolve();
    }));
    for (let k = 0; k < 5; k++) { node.receive(chunkMsg('L1', row.l1, `row-${k}`, 0)); node.receive(chunkMsg('L3', row.l3, `row-${k}`, 0)); }
    await new Promise<void>((resolve) => setImmediate(resolve)); // let the queue drain before the sentinel
    const weights = await solveWeights();
    node.receive({ solve: 'sentinel' });
    await sentinel;
    const full = received.filter((m) => /input queue full \(3 messages waiting\); message dropped/.test(m.error.message));
    assert.strictEqual(full.length + 1, received.length, 'only queue-full errors before the sentinel');
    assert.ok(full.length >= 1, 'some messages were rejected');
    // what was accepted was learned: whole pairs only (a lone L1 or L3 waits for its partner)
    assert.strictEqual(weights.payload.pairs % (2 * (100 - 3)), 0);
  });

  it('reset drops statistics, weights and pending chunks and sends nothing', async function () {
    await load(modules, t4Flow());
    const node = helper.getNode('t4-node');
    const row = movingRow(600, 4, 17);
    sendRow('t4-node', row, 'row-0');
    await solveWeights();
    node.receive(chunkMsg('L1', row.l1, 'row-1', 0));
    node.receive({ reset: true });
    node.receive(chunkMsg('L3', row.l3, 'row-1', 0)); // its L1 partner was dropped by the reset
    const errors = collect('errors', 1);
    node.receive({ solve: true });
    const [err] = await errors;
    assert.match(err.error.message, /pair/);
    // no weights any more: a probe gives no response until new weights are learned
    const out = collect('resp-out', 1);
    sendRow('t4-node', row, 'probe', { extra: { train: false } });
    sendRow('t4-node', row, 'row-2');
    const learned = await solveWeights();
    sendRow('t4-node', row, 'probe', { offset: 600, extra: { train: false } });
    const [response] = await out;
    assert.strictEqual(response.chunk.startSample, 600);
    assert.strictEqual(learned.payload.pairs, directWeights([row], 3).pairs);
  });

  it('solves automatically every K pairs while learning', async function () {
    await load(modules, t4Flow({ solveEveryPairs: 3000 }));
    const out = collect('weights-out', 2);
    sendRow('t4-node', movingRow(2200, 4, 18), 'row-0', { size: 100 }); // 2 triplets: 4394 pairs
    sendRow('t4-node', movingRow(1000, 4, 19), 'row-1', { size: 100 });
    const [first, second] = await out;
    assert.ok(first.payload.pairs >= 3000 && first.payload.pairs < 3200, `first solve at ${first.payload.pairs}`);
    assert.ok(second.payload.pairs >= 6000, `second solve at ${second.payload.pairs}`);
  });

  it('solves at the end of a source\'s run (msg.chunk.endOfRun on the L1 and L3 chunks) on everything learned', async function () {
    await load(modules, t4Flow({ solveEveryPairs: 3000 }));
    const out = collect('weights-out', 2);
    const rows = [movingRow(2200, 4, 18), movingRow(1000, 4, 19)];
    sendRow('t4-node', rows[0], 'row-0', { size: 100, endOfSeries: true }); // 2 triplets: 4394 pairs, a solve after ≥ 3000
    sendRow('t4-node', rows[1], 'row-1', { size: 100, endOfRun: true }); // 1994 more: none due, but the run ends
    const [first, last] = await out;
    assert.ok(first.payload.pairs >= 3000 && first.payload.pairs < 3200, `first solve at ${first.payload.pairs}`);
    assert.strictEqual(last.payload.pairs, directWeights(rows, 3).pairs);
    assert.deepStrictEqual([first.endOfRun, last.endOfRun], [undefined, true], 'only the solve on the whole run says so');
  });

  it('an automatic solve that fails warns instead of failing the chunk that was learned', async function () {
    await load(modules, t4Flow({ solveEveryPairs: 50 }));
    const node = helper.getNode('t4-node');
    const zeros = [0, 1, 2].map(() => new Array(100).fill(0));
    const errors = collect('errors', 2);
    const warned = statusMatching('t4-node', /solve failed: .*no variance/);
    node.receive(chunkMsg('L1', zeros, 'row-0', 0));
    node.receive(chunkMsg('L3', zeros, 'row-0', 0)); // learned; the due solve finds all-zero moments
    await warned;
    node.receive({ solve: 'sentinel' });
    node.receive({ solve: true }); // an explicit solve does report the failure
    const caught = await errors;
    assert.match(caught[0].error.message, /sentinel/);
    assert.match(caught[1].error.message, /no variance/);
    const warnings = helper.log().args.filter((args: AnyMsg[]) => /automatic solve failed/.test(String(args[0]?.msg)));
    assert.strictEqual(warnings.length, 1);
  });

  it('reports a configuration error (delay 0) without crashing: red ring naming the field, error on input', async function () {
    const statuses = recordStatuses();
    try {
      await load(modules, [{ id: 't4-node', type: 'resu-t4', delay: 0, wires: [[], []] }, ...catchAll()]);
    } finally { statuses.restore(); }
    const mine = statuses.calls.filter((c) => c.id === 't4-node');
    assert.strictEqual(mine.length, 1);
    assert.strictEqual(mine[0].status.fill, 'red');
    assert.strictEqual(mine[0].status.shape, 'ring');
    assert.match(mine[0].status.text!, /delay/);
    const errors = collect('errors', 1);
    helper.getNode('t4-node').receive({ solve: true });
    const [err] = await errors;
    assert.match(err.error.message, /not configured: delay must be an integer ≥ 1/);
  });

  describe('persistence', function () {
    const storeDir = useDiskContextStore('resu-t4-');

    async function loadPersistent(): Promise<void> {
      await load(modules, t4Flow({ persist: true, store: 'disk' }));
      await helper._redNodes.loadContextsPlugin();
    }

    for (const restart of [false, true]) {
      it(restart ? 'statistics survive a restart (flows stopped, context store closed and reopened from disk)' : 'statistics survive a redeploy (flows stopped and started again)', async function () {
        await loadPersistent();
        const a = movingRow(1200, 5, 20), b = movingRow(800, 5, 21);
        sendRow('t4-node', a, 'row-0', { size: 400, endOfSeries: true });
        const before = await solveWeights();
        await helper._redNodes.stopFlows();
        if (restart) {
          await helper._redNodes.closeContextsPlugin();
          assert.ok(fs.readdirSync(storeDir()).length > 0, 'state written to disk');
          await helper._redNodes.loadContextsPlugin();
        }
        await helper._redNodes.startFlows();
        const node = helper.getNode('t4-node');
        assert.ok(node, 're-created with the same id');
        // the weights came back too: a probe is answered before any new solve
        const out = collect('resp-out', 1);
        sendRow('t4-node', movingRow(100, 5, 22), 'probe', { extra: { train: false } });
        const [response] = await out;
        assert.ok(maxAbsDiff(response.payload, responses(movingRow(100, 5, 22), before.payload.t4.weights, 0)) < 1e-12);
        sendRow('t4-node', b, 'row-1', { size: 400 });
        const after = await solveWeights();
        const expected = directWeights([a, b], 3);
        assert.strictEqual(after.payload.pairs, expected.pairs);
        assertSameWeights(after.payload.t4.weights, expected.weights);
      });
    }

    it('adopted weights are persisted at once (they survive a restart without a solve or a clean close)', async function () {
      await load(modules, [
        { id: 't4-node', type: 'resu-t4', delay: 3, solveEveryPairs: 0, persist: true, store: 'disk', wires: [['resp-out'], ['weights-out']] },
        { id: 'resp-out', type: 'helper' }, { id: 'weights-out', type: 'helper' },
      ]);
      await helper._redNodes.loadContextsPlugin();
      await helper._redNodes.stopFlows();
      await helper._redNodes.startFlows(); // now the node reads and writes the store
      const w = [0.3, 0.1, -0.2, 1, 0.1, -0.5];
      const node = helper.getNode('t4-node');
      node.receive({
        payload: {
          format: 'resu-cca-fit', version: 1, channels: 6, pastLags: 1, futureLags: 1, correlations: [0.9, 0.5],
          pastFilters: [[1, 0, 0, 0, 0, 0], w], futureDirections: [[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]],
        },
      });
      const probe = movingRow(50, 4, 29);
      const out = collect('resp-out', 1);
      sendRow('t4-node', probe, 'probe', { extra: { train: false } });
      await out;
      // what a crash leaves behind: the store as it is now, read back without this node's close handler
      const saved = await new Promise<AnyMsg>((resolve, reject) => node.context().get('resu-t4-state', 'disk', (err: Error | null, value: AnyMsg) => (err ? reject(err) : resolve(value))));
      assert.deepStrictEqual(saved.weights, w);
    });

    it('after a restore the next automatic solve comes K pairs later, not at once', async function () {
      await load(modules, t4Flow({ persist: true, store: 'disk', solveEveryPairs: 2000 }));
      await helper._redNodes.loadContextsPlugin();
      const first = collect('weights-out', 1);
      sendRow('t4-node', movingRow(1300, 4, 25), 'row-0', { size: 100, endOfSeries: true }); // 2 × 1297 pairs: one solve
      const [solved] = await first;
      assert.ok(solved.payload.pairs >= 2000 && solved.payload.pairs < 2600);
      await helper._redNodes.stopFlows();
      await helper._redNodes.startFlows();
      const next = collect('weights-out', 1);
      sendRow('t4-node', movingRow(100, 4, 26), 'probe', { extra: { train: false } });
      sendRow('t4-node', movingRow(1100, 4, 27), 'row-1', { size: 100 });
      const [after] = await next;
      assert.ok(after.payload.pairs >= 2 * 1297 + 2000, `solved at ${after.payload.pairs} pairs`);
    });

    it('a corrupt persisted state gives a warning and a fresh start', async function () {
      await loadPersistent();
      const old = helper.getNode('t4-node');
      sendRow('t4-node', movingRow(300, 4, 24), 'row-0');
      await solveWeights(); // saved
      await helper._redNodes.stopFlows(); // saves again on close
      await new Promise<void>((resolve, reject) => old.context().set('resu-t4-state', { format: 'resu-t4', version: 1, moments: 'garbage' }, 'disk', (err?: Error) => (err ? reject(err) : resolve())));
      await helper._redNodes.startFlows();
      const row = movingRow(500, 4, 23);
      sendRow('t4-node', row, 'row-0');
      const msg = await solveWeights();
      assert.strictEqual(msg.payload.pairs, directWeights([row], 3).pairs);
      const warnings = helper.log().args.filter((args: AnyMsg[]) => /persisted state ignored/.test(String(args[0]?.msg)));
      assert.strictEqual(warnings.length, 1);
    });
  });
});
