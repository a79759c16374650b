/**
 * The probe node's 2-D mode (issue 20, docs/motion-2d.md): stimuli over a lattice in a list of
 * directions, every unit's tuning curve from the responses wired back, scored by core's one ON/OFF
 * rule. Here the responses are computed by the test from the probe's own chunks (a hand-set linear
 * unit with a closed-form tuning curve); test/nodes/motion2d.spec.ts runs the real units and T4.
 */
import * as assert from 'assert';
import { createLattice, directionRun2d, summarizeDirectionTuning } from '../../core';
import { AnyMsg, catchAll, collect, concatChunks, helper, load, maxAbsDiff, nodeModules, recordStatuses, startServer, statusMatching, stopServer } from './harness';

const modules = nodeModules('resu-grating');
const DIRECTIONS = [0, 45, 90, 135, 180, 225, 270, 315];
const RISE = 20;
/** Edges over a 3 × 3 square lattice, 5° apart, at 1° per sample, no noise, every sample scored. */
const EDGES_2D = {
  probe: 'edge', lattice: 'square', rows: 3, columns: 3, spacingDeg: 5, samplesPerSpacing: 5, segmentLength: 400, riseSamples: RISE, segments: 4,
  noiseSd: 0, seed: 3, chunkLength: 500, normalization: 'training', settleSamples: 10, directionsDeg: DIRECTIONS.join(', '),
};

function probeFlow(config: Record<string, unknown> = {}): AnyMsg[] {
  return [
    { id: 'probe-node', type: 'resu-grating', ...EDGES_2D, wires: [['probe-out'], ['result-out']], ...config },
    { id: 'probe-out', type: 'helper' },
    { id: 'result-out', type: 'helper' },
    ...catchAll(),
  ];
}

/**
 * Two hand-set units on identity layer-1 outputs: "H" = x_right − x_left on the horizontal triplet
 * through the centre (pixels 3, 4, 5), "V" = x_top − x_bottom on the vertical one (1, 4, 7),
 * rectified; their response chunks as a T4 node would send them (channels "<unit>/px<centre>").
 */
function responsesTo(msg: AnyMsg): AnyMsg {
  const x = msg.payload as Float64Array[];
  const drive = (pos: number, neg: number): number[] => Array.from(x[pos], (v, k) => Math.max(v - x[neg][k], 0));
  // the responses are units, not pixels: no lattice (a T4 node drops it too)
  const { lattice: _lattice, positions: _positions, ...meta } = msg.chunk;
  return { payload: [drive(5, 3), drive(7, 1)], topic: msg.topic, chunk: { ...meta, channels: ['H/px4', 'V/px4'], signal: 'T4' } };
}

/**
 * The closed form (test/core/probeScoring.spec.ts): the outer pixels of a triplet see the edge
 * Δ = −10·cos θ (H) or −10·sin θ (V) samples apart about the centre pixel's edge; the drive
 * tanh(v + Δ/2ρ) − tanh(v − Δ/2ρ) peaks at f(0) = 2 tanh(Δ/2ρ) on ON edges when Δ > 0 (OFF: Δ < 0),
 * and sampled at whole samples within ½ sample of the edge, it peaks in [f(½/ρ), f(0)].
 */
function analyticRange(unit: 'H' | 'V', deg: number, stimuli: 'on' | 'off'): [number, number] {
  const rad = (deg * Math.PI) / 180;
  const delta = (stimuli === 'on' ? 1 : -1) * -10 * (unit === 'H' ? Math.cos(rad) : Math.sin(rad));
  const f = (v: number): number => Math.tanh(v + delta / (2 * RISE)) - Math.tanh(v - delta / (2 * RISE));
  return delta > 1e-9 ? [f(0.5 / RISE), f(0)] : [0, 0];
}

describe('resu-grating node, 2-D (lattice) mode', function () {
  beforeEach(startServer);
  afterEach(stopServer);

  it('sends each direction\'s run over the lattice (core directionRun2d), with the lattice and every pixel\'s position', async function () {
    await load(modules, probeFlow({ directionsDeg: '0, 90, 180, 270' }));
    const out = collect('probe-out', 4 * 4); // 1600 samples per run: 500, 500, 500, 100
    helper.getNode('probe-node').receive({ command: 'start' });
    const msgs = await out;
    const lattice = createLattice({ kind: 'square', rows: 3, columns: 3, spacingDeg: 5 });
    [0, 90, 180, 270].forEach((deg, r) => {
      const run = msgs.slice(4 * r, 4 * r + 4);
      assert.deepStrictEqual(run.map((m) => m.chunk.series), new Array(4).fill(`probe/d${deg}`));
      const expected = directionRun2d({ probe: 'edge', positions: lattice.points, spacingDeg: 5, samplesPerSpacing: 5, segmentLength: 400, riseSamples: RISE, segments: 4, noiseSd: 0, seed: 3 }, deg);
      assert.strictEqual(maxAbsDiff(concatChunks(run.map((m) => m.payload)), expected.channels), 0, `${deg}°`);
      const { chunk } = run[0];
      assert.deepStrictEqual(chunk.lattice, { kind: 'square', rows: 3, columns: 3, spacingDeg: 5 });
      assert.deepStrictEqual(chunk.positions, lattice.points.map(({ row, column, xDeg, yDeg }) => ({ row, column, xDeg, yDeg })));
      assert.deepStrictEqual([chunk.train, chunk.signal, chunk.channels.length, run[3].chunk.endOfSeries], [false, 'contrast', 9, true]);
    });
  });

  it('hand-set units wired back give their analytic tuning curves, vector DSI and preferred direction (result, status, sidebar state)', async function () {
    await load(modules, probeFlow());
    const node = helper.getNode('probe-node');
    helper.getNode('probe-out').on('input', (msg: AnyMsg) => node.receive(responsesTo(msg)));
    const result = collect('result-out', 1);
    const shown = statusMatching('probe-node', /^H \d\.\d\d @180° · V \d\.\d\d @270°$/);
    node.receive({ command: 'start' });
    const [msg] = await result;
    await shown;
    assert.strictEqual(msg.topic, 'tuning');
    const { payload } = msg;
    assert.deepStrictEqual([payload.probe, payload.normalization, payload.directionsDeg, payload.units.map((u: AnyMsg) => u.name)], ['edge', 'training', DIRECTIONS, ['H', 'V']]);
    for (const unit of payload.units as AnyMsg[]) {
      DIRECTIONS.forEach((deg, d) => {
        for (const stimuli of ['on', 'off'] as const) {
          const [low, high] = analyticRange(unit.name, deg, stimuli);
          assert.ok(unit[stimuli][d] >= low - 1e-12 && unit[stimuli][d] <= high + 1e-12, `${unit.name} ${stimuli} ${deg}°: ${unit[stimuli][d]} not in [${low}, ${high}]`);
        }
      });
      const exact = summarizeDirectionTuning(DIRECTIONS, DIRECTIONS.map((deg) => analyticRange(unit.name, deg, 'on')[1]));
      assert.ok(Math.abs(unit.vectorDsi - exact.vectorDsi) < 1e-3, `${unit.name} vector DSI ${unit.vectorDsi} vs ${exact.vectorDsi}`);
      assert.strictEqual(unit.preferredDirectionDeg, exact.preferredDirectionDeg);
      assert.strictEqual(unit.dsi, 1);
      assert.deepStrictEqual(unit.all, unit.on.map((on: number, d: number) => Math.max(on, unit.off[d])));
    }
    const state = (await helper.request().get('/resu/nodes/probe-node/state').expect(200)).body;
    assert.deepStrictEqual(state.result, JSON.parse(JSON.stringify(payload)), 'the sidebar draws the same curves');
    assert.strictEqual(state.lattice, 'square');
  });

  it('rejects responses whose channels name no unit and lattice pixel, and a second sender of the same names', async function () {
    await load(modules, probeFlow({ directionsDeg: '0, 180' }));
    const node = helper.getNode('probe-node');
    const errors = collect('errors', 3);
    const chunk = (channels: string[], startSample: number): AnyMsg => ({ payload: channels.map(() => [0, 1]), chunk: { series: 'probe/d0', startSample, channels, signal: 'T4' } });
    node.receive(chunk(['T4/px1'], 0)); // fine
    node.receive(chunk(['px3'], 2));
    node.receive(chunk(['T4/px9'], 2)); // a 3 × 3 lattice has pixels 0 … 8
    node.receive(chunk(['T4/px1'], 0)); // the same unit's samples again
    const caught = await errors;
    assert.match(caught[0].error.message, /msg\.chunk\.channels\[0\] must be "<unit>\/px<pixel>"/);
    assert.match(caught[1].error.message, /9-pixel lattice/);
    assert.match(caught[2].error.message, /repeats samples already scored .*give each T4 node its own name/);
  });

  for (const [what, config, pattern] of [
    ['a direction without its opposite', { directionsDeg: '0, 90, 180' }, /not configured: directionsDeg must be 1 to 72 numbers .*, and with the opposite of each \(270° for 90°\)/],
    ['a repeated direction', { directionsDeg: '0, 180, 360' }, /not configured: directionsDeg must be 1 to 72 numbers .*, and no direction twice \(360° repeats 0°\)/],
    ['rows 0', { rows: 0 }, /not configured: rows must be an integer ≥ 1/],
    ['an unknown lattice', { lattice: 'triangular' }, /not configured: lattice must be one of/],
  ] as [string, Record<string, unknown>, RegExp][]) {
    it(`refuses bad lattice settings (${what}) with a red ring naming the field`, async function () {
      const statuses = recordStatuses();
      try { await load(modules, probeFlow(config)); } finally { statuses.restore(); }
      const red = statuses.calls.filter((c) => c.id === 'probe-node');
      assert.deepStrictEqual(red.map((c) => [c.status.fill, c.status.shape]), [['red', 'ring']]);
      const errors = collect('errors', 1);
      helper.getNode('probe-node').receive({ command: 'start' });
      const [err] = await errors;
      assert.match(err.error.message, pattern);
    });
  }
});
