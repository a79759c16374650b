'use strict';
/**
 * The flow benchmark's circuit without Node-RED: the same scene, noise, L1/L3 filters and T4
 * weights, with the nodes' message reading and writing, called directly. Prints the milliseconds
 * per simulated second of each stage and the resulting real-time factor, so the runtime's share
 * (routing, queues, GC of its objects) is the difference to bench/flow.js.
 * Use: node bench/pipeline.js   (RESU_WASM=0 for the JavaScript FIR kernel)
 */
const core = require('../dist/core');
const msgs = require('../dist/nodes/shared/messages.js');
const flows = require('./flow.js');
const circuit = flows.learnCircuit({ pixels: 64, dtS: 0.001 });
const scene = core.toContrastImage(core.createDeadLeavesImage({ width: 1024, height: 16, seed: 1 }), { fovDeg: 360 });
const scanner = new core.Scanner(scene, { pixels: 64, spacingDeg: 5, dtS: 0.001, direction: 'right', zScoreRows: true });
const noise = new core.WhiteNoise({ sd: 0.05, seed: 3 });
const l1 = new core.UnitBank({ polarity: 'on' }); l1.setFilter(circuit.psi2);
const l3 = new core.UnitBank({ polarity: 'linear' }); l3.setFilter(circuit.psi1);
const t4 = new core.T4Layer({ delay: 5, component: 2 }); t4.setWeights(core.fitFromJSON(circuit.t4FitJSON).pastFilters[1]);
const stage = {}; const T = (k, f) => { const s = process.hrtime.bigint(); const r = f(); stage[k] = (stage[k] || 0) + Number(process.hrtime.bigint() - s) / 1e6; return r; };
let samples = 0;
function run(seconds) {
  const target = samples + seconds * 1000;
  while (samples < target) {
    let c = scanner.next(1000); if (!c) { scanner.reset(); c = scanner.next(1000); }
    const meta = { series: c.series, channels: c.channels.map((_, i) => 'px' + i), samplePeriodS: 0.001, startSample: c.startSample, sequence: 0, endOfSeries: c.endOfSeries, endOfRun: false, signal: null, train: true };
    const m0 = T('write', () => msgs.writeChunkMessage({}, c.channels, meta));
    const r0 = T('read', () => msgs.readChunkMessage(m0));
    const noisy = T('noise', () => noise.add(r0.data));
    const m1 = T('write', () => msgs.writeChunkMessage(m0, noisy, r0.meta));
    const r1 = T('read', () => msgs.readChunkMessage(m1));
    const a = T('fir', () => l1.process(r1.data, r1.meta.series, { end: r1.meta.endOfSeries }));
    const b = T('fir', () => l3.process(r1.data, r1.meta.series, { end: r1.meta.endOfSeries }));
    const ma = T('write', () => msgs.writeChunkMessage(m1, a, r1.meta)), mb = T('write', () => msgs.writeChunkMessage(m1, b, r1.meta));
    const ra = T('read', () => msgs.readChunkMessage(ma)), rb = T('read', () => msgs.readChunkMessage(mb));
    const resp = T('t4', () => t4.apply(rb.data, ra.data));
    T('write', () => msgs.writeChunkMessage(ma, resp, ra.meta));
    samples += c.channels[0].length;
  }
}
const origNext = scanner.next.bind(scanner); scanner.next = (n) => T('scanner', () => origNext(n));
run(10); for (const k in stage) stage[k] = 0;
const s = process.hrtime.bigint(); run(60); const wall = Number(process.hrtime.bigint() - s) / 1e6;
console.log('per simulated second (ms):', Object.fromEntries(Object.entries(stage).map(([k, v]) => [k, +(v / 60).toFixed(2)])), 'total', (wall / 60).toFixed(2), 'RTF', (60000 / wall).toFixed(0));
