/**
 * Learning across devices, end to end: a real mosquitto broker on loopback, two Node-RED processes
 * scanning different scenes and publishing statistics snapshots signed with a shared secret, a third
 * aggregating, and a spoofer publishing unsigned and forged snapshots on the same topics. The
 * aggregated filters must equal those of one learner fed both streams.
 */
import * as assert from 'assert';
import * as mqtt from 'mqtt';
import { createDeadLeavesImage, createStatisticsMessage, LaggedMoments, PastFutureLearner, Scanner, toContrastImage, WhiteNoise } from '../../core';
import { clickInject, Managed, requireMosquitto, startMosquitto, startNodeRed } from './processes';

const PAST = 10, FUTURE = 10, PIXELS = 4, ROWS = 4, WIDTH = 1024;
const PAIRS_PER_ROW = PIXELS * (WIDTH - PAST - FUTURE + 1);
/** A fixed two-channel chunk a device's unit filters once the aggregated filters arrived. */
/** The devices' and the aggregator's shared secret (a node credential). */
const SECRET = 'mqtt e2e shared secret';
const PROBE = [Array.from({ length: 30 }, (_, i) => Math.sin(i / 3)), Array.from({ length: 30 }, (_, i) => (i % 7) - 3)];

function brokerNode(port: number) {
  return { id: 'broker-1', type: 'mqtt-broker', name: 'test broker', broker: '127.0.0.1', port: String(port), clientid: '', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true };
}

function deviceFlow(label: string, seed: number, brokerPort: number): unknown[] {
  return [
    { id: 'flow-1', type: 'tab', label: `device ${label}` },
    brokerNode(brokerPort),
    { id: 'inject-start', type: 'inject', z: 'flow-1', props: [{ p: 'payload' }], payload: 'start', payloadType: 'str', repeat: '', once: false, wires: [['scanner']] },
    { id: 'scanner', type: 'resu-scanner', z: 'flow-1', source: 'deadLeaves', pixels: PIXELS, spacingDeg: 5, direction: 'right', dtS: 0.01, chunkLength: WIDTH, seed, zScoreRows: true, loop: false, maxDurationS: 3600, intervalMs: 0, sceneWidth: WIDTH, sceneHeight: ROWS, wires: [['noise']] },
    { id: 'noise', type: 'resu-noise', z: 'flow-1', mode: 'add', sd: 0.05, seed: seed + 10, wires: [['learner']] },
    { id: 'learner', type: 'resu-cca', z: 'flow-1', pastLags: PAST, futureLags: FUTURE, solveEveryPairs: 0, publishEveryPairs: PAIRS_PER_ROW, sourceId: `device-${label}`, wires: [[], [], ['publish']] },
    { id: 'publish', type: 'mqtt out', z: 'flow-1', topic: `resu/statistics/device-${label}`, qos: '1', retain: 'true', broker: 'broker-1', wires: [] },
    // the aggregator's filters come back and update this device's L1 unit
    { id: 'filters-in', type: 'mqtt in', z: 'flow-1', topic: 'resu/filters', qos: '1', datatype: 'json', broker: 'broker-1', nl: false, rap: true, rh: 0, inputs: 0, wires: [['unit-l1']] },
    { id: 'inject-probe', type: 'inject', z: 'flow-1', props: [{ p: 'payload' }, { p: 'chunk', v: JSON.stringify({ series: 'probe', endOfSeries: true }), vt: 'json' }], payload: JSON.stringify(PROBE), payloadType: 'json', repeat: '', once: false, wires: [['unit-l1']] },
    { id: 'unit-l1', type: 'resu-unit', z: 'flow-1', component: 2, polarity: 'on', threshold: 0, wires: [['response-out']] },
    { id: 'response-out', type: 'mqtt out', z: 'flow-1', topic: `resu/responses/device-${label}`, qos: '1', retain: 'false', broker: 'broker-1', wires: [] },
  ];
}

function aggregatorFlow(brokerPort: number): unknown[] {
  return [
    { id: 'flow-1', type: 'tab', label: 'aggregator' },
    brokerNode(brokerPort),
    { id: 'statistics-in', type: 'mqtt in', z: 'flow-1', topic: 'resu/statistics/+', qos: '1', datatype: 'json', broker: 'broker-1', nl: false, rap: true, rh: 0, inputs: 0, wires: [['aggregator-cca']] },
    { id: 'aggregator-cca', type: 'resu-cca', z: 'flow-1', pastLags: PAST, futureLags: FUTURE, solveEveryPairs: 0, sourceId: 'aggregator', wires: [['filters-out'], [], []] },
    { id: 'filters-out', type: 'mqtt out', z: 'flow-1', topic: 'resu/filters', qos: '1', retain: 'true', broker: 'broker-1', wires: [] },
  ];
}

/** The same streams through the core library in one learner. */
function referenceFit() {
  const learner = new PastFutureLearner({ pastLags: PAST, futureLags: FUTURE });
  for (const [label, seed] of [['A', 1], ['B', 2]] as const) {
    const scene = toContrastImage(createDeadLeavesImage({ width: WIDTH, height: ROWS, seed }), { fovDeg: 360 });
    const scanner = new Scanner(scene, { pixels: PIXELS, spacingDeg: 5, dtS: 0.01, direction: 'right', zScoreRows: true });
    const noise = new WhiteNoise({ sd: 0.05, seed: seed + 10 });
    for (let chunk = scanner.next(WIDTH); chunk; chunk = scanner.next(WIDTH)) {
      learner.update(noise.add(chunk.channels), `${label}/${chunk.series}`, { end: chunk.endOfSeries });
    }
  }
  return learner.solve();
}

describe('learning across devices over MQTT (real broker, three Node-RED processes)', function () {
  this.timeout(180000);
  const running: Managed[] = [];
  let client: mqtt.MqttClient | null = null;

  before(requireMosquitto);

  after(async function () {
    client?.end(true);
    await Promise.all(running.map((p) => p.stop()));
  });

  it('the aggregated filters equal those of one learner fed both streams, and update the units on the devices', async function () {
    const broker = await startMosquitto();
    running.push(broker);
    const signed = (id: string) => ({ credentials: { [id]: { sharedSecret: SECRET } } });
    const aggregator = await startNodeRed(aggregatorFlow(broker.port), '', signed('aggregator-cca'));
    running.push(aggregator);
    const devices = await Promise.all([startNodeRed(deviceFlow('A', 1, broker.port), '', signed('learner')), startNodeRed(deviceFlow('B', 2, broker.port), '', signed('learner'))]);
    running.push(...devices);
    const expectedPairs = 2 * ROWS * PAIRS_PER_ROW;
    client = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`);
    const merged = new Promise<Record<string, any>>((resolve) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      client!.on('message', (_topic, body) => {
        const payload = JSON.parse(body.toString());
        if (payload.pairs === expectedPairs) resolve(payload);
      });
    });
    await new Promise<void>((resolve, reject) => client!.subscribe('resu/filters', { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    // a spoofer on the same broker: an unsigned snapshot claiming device A with a huge sequence and
    // counts × 10⁹, and one signed with another secret; both retained, both refused
    const fake = new LaggedMoments({ pastLags: PAST, futureLags: FUTURE }).update(Array.from({ length: 500 }, (_, i) => (i % 2 ? 1 : -1)));
    const spoofs = [
      createStatisticsMessage('device-A', Number.MAX_SAFE_INTEGER, 'cca', fake),
      createStatisticsMessage('device-C', 1, 'cca', fake, { secret: 'not the secret of this fleet' }),
    ];
    for (const [i, spoof] of spoofs.entries()) {
      await new Promise<void>((resolve, reject) => client!.publish(`resu/statistics/spoof-${i}`, JSON.stringify(spoof), { qos: 1, retain: true }, (err) => (err ? reject(err) : resolve())));
    }
    // devices start once the aggregator listens; snapshots are retained anyway
    await new Promise((r) => setTimeout(r, 500));
    await Promise.all(devices.map((d) => clickInject(d.port, 'inject-start')));
    const fit = await merged;
    const reference = referenceFit();
    assert.strictEqual(reference.pairs, expectedPairs);
    assert.strictEqual(fit.peers, 2);
    const state = await (await fetch(`http://127.0.0.1:${aggregator.port}/resu/nodes/aggregator-cca/state`)).json() as { federation: { rejected: Record<string, number>; sources: Record<string, number> } };
    assert.deepStrictEqual(Object.keys(state.federation.sources).sort(), ['device-A', 'device-B']);
    assert.strictEqual(state.federation.rejected.unsigned, 1);
    assert.strictEqual(state.federation.rejected['bad-signature'], 1);
    // sums add exactly; only the order of floating-point additions differs (≈ 1e-15 relative)
    fit.correlations.forEach((rho: number, i: number) => assert.ok(Math.abs(rho - reference.correlations[i]) < 1e-9, `rho${i + 1}: ${rho} vs ${reference.correlations[i]}`));
    const scale = Math.max(...reference.pastFilters[0].map(Math.abs));
    fit.pastFilters.slice(0, 3).forEach((row: number[], k: number) => row.forEach((tap, i) => {
      assert.ok(Math.abs(tap - reference.pastFilters[k][i]) < 1e-6 * scale, `ψ${k + 1}[${i}]`);
    }));

    // the filters published by the aggregator update the units on the devices: device A's L1 unit
    // answers a probe chunk with max(ψ2 · p, 0) of the merged ψ2 (retried until the newest retained
    // filters have reached the device)
    const psi2: number[] = fit.pastFilters[1];
    const expected = PROBE.map((x) => x.map((_, t) => Math.max(psi2.reduce((acc, w, k) => acc + (t - k >= 0 ? w * x[t - k] : 0), 0), 0)));
    const matches = (payload: number[][]): boolean => payload.every((row, c) => row.every((v, t) => Math.abs(v - expected[c][t]) < 1e-9));
    await new Promise<void>((resolve, reject) => client!.subscribe('resu/responses/device-A', { qos: 1 }, (err) => (err ? reject(err) : resolve())));
    let matched = false;
    const responses: number[][][] = [];
    client.on('message', (topic, body) => { if (topic === 'resu/responses/device-A') responses.push(JSON.parse(body.toString())); });
    for (let attempt = 0; attempt < 50 && !matched; attempt++) {
      await clickInject(devices[0].port, 'inject-probe');
      await new Promise((r) => setTimeout(r, 200));
      matched = responses.some(matches);
    }
    assert.ok(matched, `device A's unit never answered with the merged ψ2 (${responses.length} responses)`);
  });
});
