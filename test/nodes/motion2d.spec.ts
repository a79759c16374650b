/**
 * Issue 20 in the nodes, end to end (node-red-node-test-helper, real nodes wired as in the
 * examples): the scanner's lattice mode, T4 pooling along a lattice axis, two units learning from
 * both directions, and the probe's tuning curves. Known answers: hand-set weights give their
 * closed-form tuning curve; mirrored training gives exactly core's batch pair and mirror-image units
 * whose tuning curves are reflections of each other.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PNG } from 'pngjs';
import { axisTriplets, createDeadLeavesTorus, createLattice, decodeImage, FirFilter, mirrorT4Weights, Scanner2d, solveMirroredT4, summarizeDirectionTuning, toContrastImage } from '../../core';
import { AnyMsg, catchAll, collect, concatChunks, helper, load, maxAbsDiff, nodeModules, recordStatuses, startServer, statusMatching, stopServer, watchMessages } from './harness';

const modules = nodeModules('resu-scanner', 'resu-unit', 'resu-l3', 'resu-t4', 'resu-grating');
const DIRECTIONS = [0, 45, 90, 135, 180, 225, 270, 315];
const RISE = 20;
const PROBE_2D = {
  type: 'resu-grating', probe: 'edge', lattice: 'square', rows: 3, columns: 3, spacingDeg: 5, samplesPerSpacing: 5, segmentLength: 400, riseSamples: RISE,
  segments: 4, noiseSd: 0, seed: 3, chunkLength: 800, normalization: 'training', settleSamples: 10, directionsDeg: DIRECTIONS.join(', '),
};
/** Layer 1 for the hand-set test: the stimulus itself (L1 = max(x, 0) = x: the edges lie in [0, 2]). */
const IDENTITY_UNITS = [
  { id: 'l1', type: 'resu-unit', polarity: 'on', component: 1, threshold: 0, signal: 'L1', taps: '[1]' },
  { id: 'l3', type: 'resu-l3', component: 1, signal: 'L3', taps: '[1]' },
];

/** A filters message carrying six hand-set T4 weights as direction 2. */
function weightsMessage(weights: number[]): AnyMsg {
  return {
    payload: {
      format: 'resu-cca-fit', version: 1, channels: 6, pastLags: 1, futureLags: 1, centered: false, pairs: 1, weight: 1,
      correlations: [0.9, 0.5], pastFilters: [[1, 0, 0, 0, 0, 0], weights], futureDirections: [[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]],
      conditionNumber: { past: 1, future: 1 }, warnings: [],
    },
  };
}

/** [f(½/ρ), f(0)], f(v) = tanh(v + Δ/2ρ) − tanh(v − Δ/2ρ), Δ = −10·cos θ (H) or −10·sin θ (V): test/core/probeScoring.spec.ts. */
function analyticRange(unit: 'H' | 'V', deg: number): [number, number] {
  const rad = (deg * Math.PI) / 180, delta = -10 * (unit === 'H' ? Math.cos(rad) : Math.sin(rad));
  const f = (v: number): number => Math.tanh(v + delta / (2 * RISE)) - Math.tanh(v - delta / (2 * RISE));
  return delta > 1e-9 ? [f(0.5 / RISE), f(0)] : [0, 0];
}

describe('2-D motion and both directions in the nodes (issue 20)', function () {
  this.timeout(120000);
  beforeEach(startServer);
  afterEach(stopServer);

  it('lattice chunks carry the lattice and each pixel\'s position; the samples are core Scanner2d\'s on the built-in torus', async function () {
    const config = { lattice: 'square', rows: 3, columns: 3, spacingDeg: 5, directionDeg: 90, speedDegPerS: 38.5, dtS: 0.01, paths: 2, sceneWidth: 64, seed: 4, chunkLength: 300 };
    await load(modules, [{ id: 'scan', type: 'resu-scanner', ...config, wires: [['out']] }, { id: 'out', type: 'helper' }, ...catchAll()]);
    const core = new Scanner2d(toContrastImage(createDeadLeavesTorus(64, 4), { fovDeg: 360, wrapVertically: true }), {
      lattice: { kind: 'square', rows: 3, columns: 3, spacingDeg: 5 }, directionDeg: 90, speedDegPerS: 38.5, dtS: 0.01, paths: 2, zScorePaths: true,
    });
    const perPath = Math.ceil(core.samplesPerPath / 300);
    const byPath: Float64Array[][][] = [[], []];
    for (let chunk = core.next(300); chunk; chunk = core.next(300)) byPath[chunk.path].push(chunk.channels);
    const out = collect('out', 2 * perPath);
    helper.getNode('scan').receive({ command: 'start' });
    const msgs = await out;
    const lattice = createLattice({ kind: 'square', rows: 3, columns: 3, spacingDeg: 5 });
    for (const path of [0, 1]) {
      const chunks = msgs.slice(path * perPath, (path + 1) * perPath);
      assert.deepStrictEqual(chunks.map((m) => m.chunk.series), new Array(perPath).fill(`dir90/path-${path}`));
      assert.strictEqual(maxAbsDiff(concatChunks(chunks.map((m) => m.payload)), concatChunks(byPath[path] as unknown as number[][][])), 0, `path ${path}`);
      assert.strictEqual(chunks[perPath - 1].chunk.endOfSeries, true);
    }
    // without Loop the run ends with the last path's last chunk: learners solve on it (issue 14.7)
    assert.deepStrictEqual(msgs.map((m) => m.chunk.endOfRun), msgs.map((_, i) => i === msgs.length - 1));
    for (const msg of msgs) {
      assert.deepStrictEqual(msg.chunk.lattice, { kind: 'square', rows: 3, columns: 3, spacingDeg: 5 });
      assert.deepStrictEqual(msg.chunk.positions, lattice.points.map(({ row, column, xDeg, yDeg }) => ({ row, column, xDeg, yDeg })));
      assert.deepStrictEqual(msg.chunk.channels, lattice.points.map((_, i) => `px${i}`));
    }
    assert.deepStrictEqual(JSON.parse(JSON.stringify(msgs[0].chunk.positions[0])), { row: 0, column: 0, xDeg: -5, yDeg: -5 }, 'JSON-safe, row 0 at the bottom');
  });

  it('a lattice scans an image file through the one image loader: core Scanner2d on the decoded image; a FIFO is refused without blocking', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-motion2d-'));
    try {
      const png = new PNG({ width: 200, height: 40 });
      let state = 12345;
      for (let i = 0; i < 200 * 40; i++) {
        state = (state * 1103515245 + 12345) % 2147483648;
        const v = 40 + (state % 180);
        png.data[4 * i] = v; png.data[4 * i + 1] = v; png.data[4 * i + 2] = v; png.data[4 * i + 3] = 255;
      }
      const file = path.join(dir, 'scene.png'), bytes = PNG.sync.write(png);
      fs.writeFileSync(file, bytes);
      const fifo = path.join(dir, 'fifo.png');
      execFileSync('mkfifo', [fifo]);
      const lattice = { kind: 'square', rows: 3, columns: 3, spacingDeg: 5 } as const;
      const config = { lattice: 'square', rows: 3, columns: 3, spacingDeg: 5, directionDeg: 0, speedDegPerS: 40, dtS: 0.01, paths: 1, source: 'image', fovDeg: 360, maxDurationS: 2, chunkLength: 100 };
      await load(modules, [
        { id: 'scan', type: 'resu-scanner', ...config, imagePath: file, wires: [['out']] },
        { id: 'fifoScan', type: 'resu-scanner', ...config, imagePath: fifo, wires: [['out']] },
        { id: 'out', type: 'helper' }, ...catchAll(),
      ]);
      const core = new Scanner2d(toContrastImage(decodeImage(bytes, file), { fovDeg: 360 }), { lattice, directionDeg: 0, speedDegPerS: 40, dtS: 0.01, paths: 1, zScorePaths: true });
      const expected: Float64Array[][] = [];
      for (let chunk = core.next(100); chunk && expected.length < 2; chunk = core.next(100)) expected.push(chunk.channels);
      const out = collect('out', 2);
      helper.getNode('scan').receive({ command: 'start' });
      const msgs = await out;
      helper.getNode('scan').receive({ command: 'stop' });
      assert.strictEqual(maxAbsDiff(concatChunks(msgs.map((m) => m.payload)), concatChunks(expected as unknown as number[][][])), 0);
      assert.deepStrictEqual(msgs[0].chunk.lattice, lattice);
      const errors = collect('errors', 1);
      helper.getNode('fifoScan').receive({ command: 'start' });
      assert.match((await errors)[0].error.message, /cannot use image: .*fifo\.png: not a regular file \(a FIFO\)/);
    } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('a unit with hand-set weights gives its analytic tuning curve: probe → L1, L3 → T4 (horizontal, vertical) → probe', async function () {
    await load(modules, [
      { id: 'probe', ...PROBE_2D, wires: [['l1', 'l3'], ['result']] },
      ...IDENTITY_UNITS.map((unit) => ({ ...unit, wires: [['t4-h', 't4-v']] })),
      { id: 't4-h', type: 'resu-t4', name: 'H', pooling: 'horizontal', learning: false, solveEveryPairs: 0, wires: [['probe'], [], []] },
      { id: 't4-v', type: 'resu-t4', name: 'V', pooling: 'vertical', learning: false, solveEveryPairs: 0, wires: [['probe'], [], []] },
      { id: 'result', type: 'helper' },
      ...catchAll(),
    ]);
    // right − left (H) and top − bottom (V) of the L1 inputs: [L3, L1] × (negative end, centre, positive end)
    for (const id of ['t4-h', 't4-v']) helper.getNode(id).receive(weightsMessage([0, -1, 0, 0, 0, 1]));
    const result = collect('result', 1);
    helper.getNode('probe').receive({ command: 'start' });
    const [{ payload }] = await result;
    assert.deepStrictEqual(payload.units.map((u: AnyMsg) => u.name), ['H', 'V']);
    for (const unit of payload.units as AnyMsg[]) {
      DIRECTIONS.forEach((deg, d) => {
        const [low, high] = analyticRange(unit.name, deg);
        assert.ok(unit.on[d] >= low - 1e-9 && unit.on[d] <= high + 1e-9, `${unit.name} at ${deg}°: ${unit.on[d]} not in [${low}, ${high}]`);
      });
      const exact = summarizeDirectionTuning(DIRECTIONS, DIRECTIONS.map((deg) => analyticRange(unit.name, deg)[1]));
      assert.ok(Math.abs(unit.vectorDsi - exact.vectorDsi) < 1e-3, `${unit.name}: vector DSI ${unit.vectorDsi} vs ${exact.vectorDsi}`);
      assert.strictEqual(unit.preferredDirectionDeg, unit.name === 'H' ? 180 : 270);
    }
  });

  it('mirrored training gives mirrored units: core\'s batch pair, unit 2 = mirror(unit 1), tuning curves reflected (r2(θ) = r1(180° − θ))', async function () {
    const scan = { type: 'resu-scanner', lattice: 'square', rows: 1, columns: 5, spacingDeg: 5, speedDegPerS: 38.5, dtS: 0.01, paths: 3, sceneWidth: 128, seed: 2, chunkLength: 400 };
    const core = (directionDeg: number): Scanner2d => new Scanner2d(toContrastImage(createDeadLeavesTorus(128, 2), { fovDeg: 360, wrapVertically: true }), {
      lattice: { kind: 'square', rows: 1, columns: 5, spacingDeg: 5 }, directionDeg, speedDegPerS: 38.5, dtS: 0.01, paths: 3, zScorePaths: true,
    });
    const l1Taps = [1, -1], l3Taps = [0.5, 0.3, 0.2];
    // the same stream through core: per path, per horizontal triplet, the six T4 channels
    const series: Float64Array[][] = [];
    for (const directionDeg of [0, 180]) {
      const scanner = core(directionDeg);
      for (let path = 0; path < 3; path++) {
        const chunk = scanner.next(scanner.samplesPerPath)!;
        const l1 = new FirFilter(l1Taps, 5).process(chunk.channels).map((c) => c.map((v) => Math.max(v, 0))), l3 = new FirFilter(l3Taps, 5).process(chunk.channels);
        for (const [a, b, c] of axisTriplets(createLattice({ rows: 1, columns: 5 }), 'horizontal')) series.push([l3[a], l1[a], l3[b], l1[b], l3[c], l1[c]]);
      }
    }
    const pairs = series.reduce((n, s) => n + s[0].length - 5, 0);
    await load(modules, [
      { id: 'scan-right', ...scan, directionDeg: 0, wires: [['l1', 'l3']] },
      { id: 'scan-left', ...scan, directionDeg: 180, wires: [['l1', 'l3']] },
      { id: 'l1', type: 'resu-unit', polarity: 'on', component: 1, threshold: 0, signal: 'L1', taps: JSON.stringify(l1Taps), wires: [['t4']] },
      { id: 'l3', type: 'resu-l3', component: 1, signal: 'L3', taps: JSON.stringify(l3Taps), wires: [['t4']] },
      // two automatic solves: at the end of the first scanner's run (msg.chunk.endOfRun, one direction's
      // pairs) and on the last pair of both directions
      { id: 't4', type: 'resu-t4', name: 'M', pooling: 'horizontal', training: 'mirrored', solveEveryPairs: pairs, wires: [['probe'], ['weights'], []] },
      { id: 'probe', ...PROBE_2D, rows: 1, columns: 3, wires: [['l1', 'l3'], ['result']] },
      { id: 'weights', type: 'helper' },
      { id: 'result', type: 'helper' },
      ...catchAll(),
    ]);
    const weights = collect('weights', 2);
    for (const id of ['scan-right', 'scan-left']) helper.getNode(id).receive({ command: 'start' });
    const solves = (await weights).map((m) => m.payload);
    assert.ok(solves[0].pairs < pairs && solves[1].pairs === pairs, `solved on ${solves.map((w) => w.pairs)} of ${pairs} pairs`);
    const { t4 } = solves[1];
    const [unit1, unit2] = t4.units as number[][];
    assert.deepStrictEqual(unit2, Array.from(mirrorT4Weights(unit1)));
    assert.strictEqual(t4.mirrorDeviation, 0);
    assert.strictEqual(t4.training, 'mirrored');
    const batch = solveMirroredT4(series);
    const scale = Math.max(...Array.from(batch.weights, Math.abs));
    assert.ok(Math.max(...unit1.map((w, i) => Math.abs(w - batch.weights[i]))) < 1e-9 * scale, `node ${unit1} vs core ${Array.from(batch.weights)}`);
    // both units answer the probe: their tuning curves are reflections about the vertical axis
    const result = collect('result', 1);
    helper.getNode('probe').receive({ command: 'start' });
    const [{ payload }] = await result;
    const [r1, r2] = ['M:1', 'M:2'].map((name) => (payload.units as AnyMsg[]).find((u) => u.name === name)!);
    DIRECTIONS.forEach((deg, d) => {
      const reflected = DIRECTIONS.indexOf((540 - deg) % 360);
      assert.ok(Math.abs(r2.on[d] - r1.on[reflected]) < 1e-9, `r2(${deg}°) ${r2.on[d]} vs r1(${DIRECTIONS[reflected]}°) ${r1.on[reflected]}`);
    });
    assert.ok(Math.abs(r1.vectorDsi - r2.vectorDsi) < 1e-9);
    assert.ok(r1.on.some((v: number, d: number) => Math.abs(v - r2.on[d]) > 1e-3), 'two different units (the test can fail)');
    const state = (await helper.request().get('/resu/nodes/t4/state').expect(200)).body;
    assert.deepStrictEqual([state.training, state.pooling, state.units.length, state.mirrorDeviation], ['mirrored', 'horizontal', 2, 0]);
  });

  for (const [what, node, pattern] of [
    ['scanner: rows 0', { type: 'resu-scanner', lattice: 'square', rows: 0 }, /rows must be an integer ≥ 1/],
    ['scanner: an unknown lattice', { type: 'resu-scanner', lattice: 'triangular' }, /lattice must be one of/],
    ['scanner: spacing over 90° on a lattice', { type: 'resu-scanner', lattice: 'hexagonal', spacingDeg: 120 }, /spacingDeg must be .*, and at most 90° with a lattice/],
    ['scanner: a torus over 4096 × 4096 pixels', { type: 'resu-scanner', lattice: 'square', sceneWidth: 8192 }, /sceneWidth must be .*, and at most 4096 with a lattice/],
    ['scanner: a chunk of 64 × 64 pixels × 1000 samples', { type: 'resu-scanner', lattice: 'square', rows: 64, columns: 64, chunkLength: 1000 }, /chunkLength must be .*, and at most 976 for 4096 lattice pixels/],
    ['T4: an unknown pooling', { type: 'resu-t4', pooling: 'diagonal' }, /pooling must be one of "row", "horizontal", "vertical"/],
    ['T4: an unknown training', { type: 'resu-t4', training: 'hebbian' }, /training must be one of/],
  ] as [string, AnyMsg, RegExp][]) {
    it(`refuses bad lattice settings with a red ring naming the field (${what})`, async function () {
      const statuses = recordStatuses();
      try { await load(modules, [{ id: 'bad', ...node, wires: [[]] }, ...catchAll()]); } finally { statuses.restore(); }
      const red = statuses.calls.filter((c) => c.id === 'bad');
      assert.deepStrictEqual(red.map((c) => [c.status.fill, c.status.shape]), [['red', 'ring']]);
      const errors = collect('errors', 1);
      helper.getNode('bad').receive({ command: 'start' });
      const [err] = await errors;
      assert.match(err.error.message, pattern);
    });
  }

  it('refuses chunks whose lattice does not fit: missing for axis pooling, no triplet on the axis, a lattice of another size, a bad kind', async function () {
    await load(modules, [
      { id: 't4', type: 'resu-t4', pooling: 'vertical', wires: [[], [], []] },
      { id: 'unit', type: 'resu-unit', polarity: 'on', taps: '[1]', wires: [[]] },
      ...catchAll(),
    ]);
    const errors = collect('errors', 8);
    const l1 = (lattice: unknown, channels = 5): AnyMsg => ({ payload: Array.from({ length: channels }, () => [0.1, 0.2]), chunk: { series: 's', signal: 'L1', lattice } });
    const t4 = helper.getNode('t4');
    t4.receive(l1(undefined));
    t4.receive(l1({ kind: 'square', rows: 1, columns: 5, spacingDeg: 5 }));
    const unit = helper.getNode('unit');
    unit.receive({ payload: [[1, 2], [3, 4], [5, 6]], chunk: { series: 'x', lattice: { kind: 'square', rows: 2, columns: 2, spacingDeg: 5 } } });
    unit.receive({ payload: [[1, 2]], chunk: { series: 'x', lattice: { kind: 'hex', rows: 1, columns: 1, spacingDeg: 5 } } });
    // untrusted metadata: sizes far beyond any lattice, a list, a getter that throws (the message screen)
    unit.receive({ payload: [[1, 2]], chunk: { series: 'x', lattice: { kind: 'square', rows: 1e9, columns: 1e9, spacingDeg: 5 } } });
    unit.receive({ payload: [[1, 2]], chunk: { series: 'x', lattice: [1, 1] } });
    unit.receive({ payload: [[1, 2]], chunk: { series: 'x', lattice: { kind: 'square', rows: 1, columns: 1, spacingDeg: Number.NaN } } });
    unit.receive({ payload: [[1, 2]], chunk: { series: 'x', lattice: Object.defineProperty({ kind: 'square', columns: 1, spacingDeg: 5 }, 'rows', { enumerable: true, get() { throw new Error('trap'); } }) } });
    const caught = (await errors).map((e) => e.error.message);
    const expected = [
      /msg\.chunk\.lattice is missing: pooling along the vertical axis needs chunks from a lattice/,
      /has no vertical triplet/,
      /msg\.chunk\.lattice has 2 × 2 = 4 pixels; msg\.payload has 3 channels/,
      /msg\.chunk\.lattice\.kind must be one of "square", "hexagonal"/,
      /msg\.chunk\.lattice\.rows must be an integer/,
      /msg\.chunk\.lattice must be an object/,
      /msg\.chunk\.lattice\.spacingDeg must be/,
      /msg\.chunk has a property that cannot be read: trap/,
    ];
    expected.forEach((pattern) => assert.ok(caught.some((m) => pattern.test(m)), `${pattern} in ${JSON.stringify(caught)}`));
  });
});
