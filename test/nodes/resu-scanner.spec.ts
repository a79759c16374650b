import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { createDeadLeavesImage, decodeImage, Scanner, ScannerOptions, toContrastImage } from '../../core';
import { AnyMsg, catchAll, collect, concatChunks, helper, load, maxAbsDiff, nodeModules, plain, recordStatuses, startServer, statusMatching, stopServer } from './harness';

const modules = nodeModules('resu-scanner');

/** A small built-in scene: 64 × 2, one revolution = 64 samples per row at the default speed. */
const SCENE = { sceneWidth: 64, sceneHeight: 2, seed: 4 };
const GEOMETRY = { pixels: 3, spacingDeg: 5, dtS: 0.01, zScoreRows: true };

function scanFlow(config: Record<string, unknown> = {}): Record<string, unknown>[] {
  return [
    { id: 'scan', type: 'resu-scanner', ...SCENE, ...GEOMETRY, chunkLength: 7, wires: [['out']], ...config },
    { id: 'out', type: 'helper' },
    ...catchAll(),
  ];
}

/** Core oracle: the whole stream of a Scanner over the same scene, per series. */
function coreStream(scene: ReturnType<typeof toContrastImage>, options: ScannerOptions): Map<string, number[][]> {
  const scanner = new Scanner(scene, options);
  const out = new Map<string, number[][]>();
  for (let chunk = scanner.next(100000); chunk; chunk = scanner.next(100000)) {
    const previous = out.get(chunk.series);
    out.set(chunk.series, previous ? concatChunks([previous, chunk.channels.map((c) => Array.from(c))]) : chunk.channels.map((c) => Array.from(c)));
  }
  return out;
}

function deadLeavesStream(): Map<string, number[][]> {
  const scene = toContrastImage(createDeadLeavesImage({ width: SCENE.sceneWidth, height: SCENE.sceneHeight, seed: SCENE.seed }), { fovDeg: 360 });
  return coreStream(scene, { ...GEOMETRY, direction: 'right' });
}

/** Records every message of helper `id`; resolves waits on a predicate over all received so far. */
function recorder(id: string): { msgs: AnyMsg[]; until: (done: (msgs: AnyMsg[]) => boolean) => Promise<AnyMsg[]> } {
  const msgs: AnyMsg[] = [];
  const waiting: { done: (msgs: AnyMsg[]) => boolean; resolve: (msgs: AnyMsg[]) => void }[] = [];
  helper.getNode(id).on('input', (msg: AnyMsg) => {
    msgs.push(msg);
    for (const w of [...waiting]) if (w.done(msgs)) { waiting.splice(waiting.indexOf(w), 1); w.resolve(msgs); }
  });
  return {
    msgs,
    until: (done) => new Promise((resolve) => { if (done(msgs)) resolve(msgs); else waiting.push({ done, resolve }); }),
  };
}

function bySeries(msgs: AnyMsg[]): Map<string, number[][]> {
  const out = new Map<string, number[][][]>();
  for (const msg of msgs) out.set(msg.chunk.series, [...(out.get(msg.chunk.series) ?? []), msg.payload]);
  return new Map([...out].map(([series, payloads]) => [series, concatChunks(payloads)]));
}

describe('resu-scanner node', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('loads with its defaults and waits for a start', async function () {
    await load(modules, [{ id: 'scan', type: 'resu-scanner' }]);
    assert.strictEqual(helper.getNode('scan').type, 'resu-scanner');
  });

  it('emits chunk messages with the documented metadata; samples equal core Scanner\'s on the same scene', async function () {
    await load(modules, scanFlow());
    const out = collect('out', 20); // 2 rows × ceil(64 / 7) chunks
    helper.getNode('scan').receive({ payload: 1 }); // an Inject click starts
    const msgs = await out;
    const expected = deadLeavesStream();
    assert.deepStrictEqual([...expected.keys()], ['row-0', 'row-1']);
    for (const [series, channels] of bySeries(msgs)) assert.ok(maxAbsDiff(channels, expected.get(series)!) === 0, series);
    msgs.forEach((msg, i) => {
      const row = Math.floor(i / 10), k = i % 10;
      assert.strictEqual(msg.topic, `row-${row}`);
      assert.deepStrictEqual(msg.chunk, {
        series: `row-${row}`, channels: ['px0', 'px1', 'px2'], samplePeriodS: 0.01, startSample: 7 * k, sequence: k,
        endOfSeries: k === 9, endOfRun: i === 19, signal: 'contrast', train: true,
      });
      assert.strictEqual(msg.payload.length, 3);
      assert.strictEqual(msg.payload[0].length, k === 9 ? 1 : 7);
      assert.ok(msg.payload[0] instanceof Float64Array, 'typed channels on the wire');
      assert.deepStrictEqual(plain(msg.payload), msg.payload.map((channel: Float64Array) => Array.from(channel)), 'plain arrays in JSON');
    });
  });

  it('chunk length does not change the stream (7 vs 1000)', async function () {
    await load(modules, [
      { id: 'scan-7', type: 'resu-scanner', ...SCENE, ...GEOMETRY, direction: 'left', chunkLength: 7, wires: [['out-7']] },
      { id: 'scan-1000', type: 'resu-scanner', ...SCENE, ...GEOMETRY, direction: 'left', chunkLength: 1000, wires: [['out-1000']] },
      { id: 'out-7', type: 'helper' }, { id: 'out-1000', type: 'helper' },
    ]);
    const small = collect('out-7', 20), big = collect('out-1000', 2);
    helper.getNode('scan-7').receive({ command: 'start' });
    helper.getNode('scan-1000').receive({ payload: 'start' });
    const a = bySeries(await small), b = bySeries(await big);
    assert.deepStrictEqual([...a.keys()], [...b.keys()]);
    for (const [series, channels] of a) assert.ok(maxAbsDiff(channels, b.get(series)!) === 0, series);
    const scene = toContrastImage(createDeadLeavesImage({ width: SCENE.sceneWidth, height: SCENE.sceneHeight, seed: SCENE.seed }), { fovDeg: 360 });
    const expected = coreStream(scene, { ...GEOMETRY, direction: 'left' });
    for (const [series, channels] of b) assert.ok(maxAbsDiff(channels, expected.get(series)!) === 0, series);
  });

  it('stops at maxDurationS (0.29 s at dt 0.01 s is 29 samples), closing the series; a new start begins again', async function () {
    await load(modules, scanFlow({ maxDurationS: 0.29 }));
    const rec = recorder('out');
    const finished = statusMatching('scan', /finished · 29 samples/);
    helper.getNode('scan').receive({ command: 'start' });
    await rec.until((m) => m.length === 5);
    await finished;
    assert.deepStrictEqual(rec.msgs.map((m) => m.payload[0].length), [7, 7, 7, 7, 1]);
    assert.deepStrictEqual(rec.msgs.map((m) => m.chunk.endOfSeries), [false, false, false, false, true]);
    // the run's last chunk says so: learners solve on it (issue 14)
    assert.deepStrictEqual(rec.msgs.map((m) => m.chunk.endOfRun), [false, false, false, false, true]);
    helper.getNode('scan').receive({ command: 'start' });
    await rec.until((m) => m.length === 6);
    // nothing was emitted between the cap and the restart: message 6 is the new run's first chunk
    assert.strictEqual(rec.msgs[5].chunk.startSample, 0);
    assert.strictEqual(rec.msgs[5].chunk.sequence, 0);
    assert.deepStrictEqual(rec.msgs[5].payload, rec.msgs[0].payload);
  });

  it('loop scans the scene again as row-<r>/pass-<p> until maxDurationS', async function () {
    await load(modules, scanFlow({ loop: true, maxDurationS: 2, chunkLength: 1000 }));
    const out = collect('out', 4);
    helper.getNode('scan').receive({ command: 'start' });
    const msgs = await out;
    assert.deepStrictEqual(msgs.map((m) => [m.chunk.series, m.payload[0].length, m.chunk.endOfSeries]), [
      ['row-0', 64, true], ['row-1', 64, true], ['row-0/pass-1', 64, true], ['row-1/pass-1', 8, true],
    ]);
    assert.deepStrictEqual(msgs.map((m) => m.chunk.endOfRun), [false, false, false, true], 'a looping scan ends its run at maxDurationS');
    assert.deepStrictEqual(msgs[2].payload, msgs[0].payload);
  });

  it('stop pauses and start resumes where it left off; reset rewinds to the first row', async function () {
    await load(modules, scanFlow({ chunkLength: 1, intervalMs: 5 }));
    const node = helper.getNode('scan');
    const rec = recorder('out');
    node.receive({ command: 'start' });
    await rec.until((m) => m.length >= 3);
    const stopped = statusMatching('scan', /stopped · \d+ samples/);
    node.receive({ command: 'stop' });
    const emitted = Number(/stopped · (\d+) samples/.exec(await stopped)![1]);
    assert.ok(emitted >= 3 && emitted < 128, `stopped after ${emitted}`);
    node.receive({ command: 'start' });
    await rec.until((m) => m.length >= emitted + 3);
    rec.msgs.slice(0, emitted + 3).forEach((msg, i) => assert.strictEqual(msg.chunk.startSample, i, 'contiguous: no repeat, no gap'));
    const reset = statusMatching('scan', /reset/);
    node.receive({ command: 'reset' });
    await reset;
    node.receive({ reset: true }); // msg.reset is a reset too
    node.receive({ command: 'start' });
    const all = await rec.until((m) => m.slice(1).some((msg) => msg.chunk.startSample === 0));
    const restart = all.findIndex((msg, i) => i > 0 && msg.chunk.startSample === 0);
    all.slice(0, restart).forEach((msg, i) => assert.strictEqual(msg.chunk.startSample, i));
    // row-0 was left unfinished: the new pass has a fresh name so downstream nodes do not see repeats
    assert.strictEqual(all[restart].chunk.series, 'row-0/pass-1');
    assert.strictEqual(all[restart].chunk.sequence, 0);
    assert.deepStrictEqual(all[restart].payload, all[0].payload);
    node.receive({ command: 'stop' });
  });

  it('a start after the scene is finished scans it again under the same names', async function () {
    await load(modules, scanFlow({ chunkLength: 1000 }));
    const out = collect('out', 4);
    helper.getNode('scan').receive({ command: 'start' });
    helper.getNode('scan').receive({ command: 'start' }); // while running: no effect
    const first = await collect('out', 2);
    assert.deepStrictEqual(first.map((m) => m.chunk.endOfSeries), [true, true]);
    assert.deepStrictEqual(first.map((m) => m.chunk.endOfRun), [false, true], 'without loop the run ends with the last row');
    helper.getNode('scan').receive({ command: 'start' });
    const msgs = await out;
    assert.deepStrictEqual(msgs.map((m) => m.chunk.series), ['row-0', 'row-1', 'row-0', 'row-1']);
    assert.deepStrictEqual(msgs[2].payload, msgs[0].payload);
  });

  it('a downstream learner accepts every chunk across stop, reset and restart', async function () {
    await load([...modules, ...nodeModules('resu-cca')], [
      { id: 'scan', type: 'resu-scanner', ...SCENE, ...GEOMETRY, chunkLength: 4, intervalMs: 2, wires: [['learner', 'out']] }, // learner first: it has every chunk queued when out sees it
      { id: 'learner', type: 'resu-cca', pastLags: 2, futureLags: 1, solveEveryPairs: 0, wires: [['fits'], []] },
      { id: 'out', type: 'helper' }, { id: 'fits', type: 'helper' },
      ...catchAll(),
    ]);
    const node = helper.getNode('scan');
    const rec = recorder('out');
    node.receive({ command: 'start' });
    await rec.until((m) => m.length >= 3);
    node.receive({ command: 'reset' });
    node.receive({ command: 'start' });
    await rec.until((m) => m.some((msg) => msg.chunk.series === 'row-1/pass-1' && msg.chunk.endOfSeries));
    const errors = collect('errors', 1);
    const fits = collect('fits', 1);
    helper.getNode('learner').receive({ solve: true });
    helper.getNode('learner').receive({ solve: 'sentinel' });
    const [err] = await errors;
    assert.match(err.error.message, /sentinel/, 'the first error is the sentinel: no chunk was rejected');
    const [fit] = await fits;
    // every chunk was learned: 3 pixels × (L − m − h + 1) pairs per series of L samples
    const lengths = new Map<string, number>();
    for (const m of rec.msgs) lengths.set(m.chunk.series, (lengths.get(m.chunk.series) ?? 0) + m.payload[0].length);
    assert.deepStrictEqual([...lengths.keys()].slice(-2), ['row-0/pass-1', 'row-1/pass-1']);
    assert.strictEqual(fit.payload.pairs, 3 * [...lengths.values()].reduce((n, length) => n + Math.max(length - 2, 0), 0));
  });

  it('rejects a bad command with a clear error through a catch node', async function () {
    await load(modules, scanFlow());
    const errors = collect('errors', 3);
    helper.getNode('scan').receive({ command: 'jump' });
    helper.getNode('scan').receive({ payload: 'go' });
    helper.getNode('scan').receive({ command: 42 });
    const caught = await errors;
    assert.match(caught[0].error.message, /msg\.command must be "start", "stop" or "reset" \(got "jump"\)/);
    assert.match(caught[1].error.message, /\(got "go"\)/);
    assert.match(caught[2].error.message, /\(got 42\)/);
  });

  describe('image source', function () {
    let dir: string;
    beforeEach(function () { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-scanner-')); });
    afterEach(function () { fs.rmSync(dir, { recursive: true, force: true }); });

    function writePng(file: string, width: number, height: number): Buffer {
      const png = new PNG({ width, height });
      let state = 12345;
      for (let i = 0; i < width * height; i++) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const v = 40 + (state % 180);
        png.data[4 * i] = v; png.data[4 * i + 1] = v; png.data[4 * i + 2] = v; png.data[4 * i + 3] = 255;
      }
      const bytes = PNG.sync.write(png);
      fs.writeFileSync(file, bytes);
      return bytes;
    }

    it('scans a PNG file like core Scanner on the decoded image', async function () {
      const file = path.join(dir, 'scene.png');
      const bytes = writePng(file, 100, 4);
      await load(modules, scanFlow({ source: 'image', imagePath: file, fovDeg: 90, zScoreRows: false, chunkLength: 1000 }));
      const expected = coreStream(toContrastImage(decodeImage(bytes, file), { fovDeg: 90 }), { ...GEOMETRY, zScoreRows: false, direction: 'right' });
      const out = collect('out', 4);
      helper.getNode('scan').receive({ command: 'start' });
      const msgs = await out;
      assert.deepStrictEqual(msgs.map((m) => m.chunk.series), ['row-0', 'row-1', 'row-2', 'row-3']);
      assert.ok(msgs.every((m) => m.chunk.endOfSeries && m.chunk.startSample === 0));
      for (const [series, channels] of bySeries(msgs)) assert.ok(maxAbsDiff(channels, expected.get(series)!) === 0, series);
    });

    it('a missing file gives a clear error through a catch node, not a crash; the node stays usable', async function () {
      const file = path.join(dir, 'missing.png');
      await load(modules, scanFlow({ source: 'image', imagePath: file, fovDeg: 90, chunkLength: 1000 }));
      const errors = collect('errors', 2);
      helper.getNode('scan').receive({ command: 'start' });
      helper.getNode('scan').receive({ command: 'start' });
      const caught = await errors;
      assert.match(caught[0].error.message, /cannot use image: .*missing\.png: no such file/);
      // the file appears: the next start works
      writePng(file, 100, 2);
      const out = collect('out', 2);
      helper.getNode('scan').receive({ command: 'start' });
      assert.strictEqual((await out).length, 2);
    });

    it('a pixel row wider than a non-wrapping image gives a clear error on start', async function () {
      const file = path.join(dir, 'narrow.png');
      writePng(file, 100, 2);
      await load(modules, scanFlow({ source: 'image', imagePath: file, fovDeg: 8 })); // 3 pixels × 5° need 10°
      const errors = collect('errors', 1);
      helper.getNode('scan').receive({ command: 'start' });
      const [err] = await errors;
      assert.match(err.error.message, /pixels × spacingDeg/);
    });

    it('a file that is not an image gives a clear error', async function () {
      const file = path.join(dir, 'notes.png');
      fs.writeFileSync(file, 'not an image');
      await load(modules, scanFlow({ source: 'image', imagePath: file }));
      const errors = collect('errors', 1);
      helper.getNode('scan').receive({ command: 'start' });
      const [err] = await errors;
      assert.match(err.error.message, /notes\.png|PNG|JPEG|image/);
    });
  });

  for (const [what, config, pattern] of [
    ['pixels 0', { pixels: 0 }, /not configured: pixels must be an integer ≥ 1 and ≤ 1024/],
    ['an image source without a path', { source: 'image', imagePath: '' }, /not configured: imagePath/],
    // bounded by what a chunk message may carry (every ReSU node rejects bigger chunks)
    ['chunkLength × pixels over 4·10^6 values', { pixels: 1000, chunkLength: 100000 }, /not configured: chunkLength .*at most 4000 for 1000 pixels/],
    ['dtS 0', { dtS: 0 }, /not configured: dtS/],
  ] as [string, Record<string, unknown>, RegExp][]) {
    it(`reports a configuration error (${what}) without crashing`, async function () {
      const statuses = recordStatuses();
      try { await load(modules, scanFlow(config)); } finally { statuses.restore(); }
      const red = statuses.calls.filter((c) => c.id === 'scan');
      assert.deepStrictEqual(red.map((c) => [c.status.fill, c.status.shape]), [['red', 'ring']], 'one red ring, nothing else');
      const errors = collect('errors', 1);
      helper.getNode('scan').receive({ command: 'start' });
      const [err] = await errors;
      assert.match(err.error.message, pattern);
      assert.ok(err.error.message.includes(red[0].status.text!.replace(/…$/, '')), 'the red ring names the reason');
    });
  }

  it('starts by itself with autoStart', async function () {
    await load(modules, scanFlow({ autoStart: true }));
    const [msg] = await collect('out', 1);
    assert.strictEqual(msg.chunk.startSample, 0);
  });

  it('close stops the pacing timer', async function () {
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    await load(modules, scanFlow({ chunkLength: 1, intervalMs: 50 }));
    const node = helper.getNode('scan');
    const rec = recorder('out');
    node.receive({ command: 'start' });
    await rec.until((m) => m.length >= 2);
    const running = timeouts();
    await helper.unload();
    // the 50 ms pacing timer is gone (and the status throttle's with it)
    assert.ok(timeouts() < running, `timeouts ${running} → ${timeouts()}`);
  });
});
