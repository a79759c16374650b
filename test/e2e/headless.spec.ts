/**
 * A device run headless (docs/devices.md): Node-RED with the editor and admin API disabled
 * (`httpAdminRoot: false`), the flow starting itself, and MQTT in place of the ReSU sidebar: the
 * learner's filters and its chart series reach a subscriber on a real mosquitto broker, and the
 * filters equal those of the core library fed the same stream.
 */
import * as assert from 'assert';
import * as mqtt from 'mqtt';
import { createDeadLeavesImage, PastFutureLearner, Scanner, toContrastImage, WhiteNoise } from '../../core';
import { Managed, requireMosquitto, startMosquitto, startNodeRed } from './processes';

const PAST = 10, FUTURE = 10, PIXELS = 4, ROWS = 2, WIDTH = 512, SEED = 7;

function deviceFlow(brokerPort: number): unknown[] {
  return [
    { id: 'flow-1', type: 'tab', label: 'headless device' },
    { id: 'broker-1', type: 'mqtt-broker', name: 'broker', broker: '127.0.0.1', port: String(brokerPort), clientid: '', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true },
    // no editor to click in: the flow starts itself once deployed
    { id: 'inject-start', type: 'inject', z: 'flow-1', props: [{ p: 'payload' }], payload: 'start', payloadType: 'str', repeat: '', once: true, onceDelay: 0.5, wires: [['scanner']] },
    { id: 'scanner', type: 'resu-scanner', z: 'flow-1', source: 'deadLeaves', pixels: PIXELS, spacingDeg: 5, direction: 'right', dtS: 0.01, chunkLength: WIDTH, seed: SEED, zScoreRows: true, loop: false, maxDurationS: 3600, intervalMs: 0, sceneWidth: WIDTH, sceneHeight: ROWS, wires: [['noise']] },
    { id: 'noise', type: 'resu-noise', z: 'flow-1', mode: 'add', sd: 0.05, seed: SEED + 1, wires: [['learner']] },
    { id: 'learner', type: 'resu-cca', z: 'flow-1', pastLags: PAST, futureLags: FUTURE, solveEveryPairs: PIXELS * (WIDTH - PAST - FUTURE + 1) * ROWS, sourceId: 'device', wires: [['filters-out'], ['drop-action'], [], ['drop-action']] },
    { id: 'filters-out', type: 'mqtt out', z: 'flow-1', topic: 'device/filters', qos: '1', retain: 'true', broker: 'broker-1', wires: [] },
    // chart messages carry msg.action = "replace" (for ui-chart), which mqtt out would take for a
    // connection command ("Invalid action specified"): docs/devices.md deletes it first
    { id: 'drop-action', type: 'change', z: 'flow-1', rules: [{ t: 'delete', p: 'action', pt: 'msg' }], wires: [['chart-out']] },
    { id: 'chart-out', type: 'mqtt out', z: 'flow-1', topic: '', qos: '0', retain: 'false', broker: 'broker-1', wires: [] },
  ];
}

function referenceFit() {
  const learner = new PastFutureLearner({ pastLags: PAST, futureLags: FUTURE });
  const scene = toContrastImage(createDeadLeavesImage({ width: WIDTH, height: ROWS, seed: SEED }), { fovDeg: 360 });
  const scanner = new Scanner(scene, { pixels: PIXELS, spacingDeg: 5, dtS: 0.01, direction: 'right', zScoreRows: true });
  const noise = new WhiteNoise({ sd: 0.05, seed: SEED + 1 });
  for (let chunk = scanner.next(WIDTH); chunk; chunk = scanner.next(WIDTH)) learner.update(noise.add(chunk.channels), chunk.series, { end: chunk.endOfSeries });
  return learner.solve();
}

describe('a device run headless: editor disabled, results over MQTT (real broker and Node-RED process)', function () {
  this.timeout(120000);
  before(requireMosquitto);

  it('learns with httpAdminRoot: false, serves no editor or admin route, and publishes filters and chart series', async function () {
    const broker = await startMosquitto();
    const client = mqtt.connect(`mqtt://127.0.0.1:${broker.port}`);
    let red: Managed | null = null;
    try {
      const received = new Map<string, unknown>();
      const arrived = new Promise<void>((resolve) => {
        client.on('message', (topic, body) => {
          received.set(topic, JSON.parse(body.toString()));
          if (['device/filters', 'ψ', 'ρ'].every((t) => received.has(t))) resolve();
        });
      });
      await new Promise<void>((resolve, reject) => client.subscribe(['device/filters', 'ψ', 'ρ'], { qos: 1 }, (err) => (err ? reject(err) : resolve())));
      const device = await startNodeRed(deviceFlow(broker.port), 'httpAdminRoot: false,');
      red = device;
      await arrived;

      for (const path of ['/', '/flows', '/resu/nodes', '/resources/@resu-circuits/node-red-resu/vendor/vega.min.js']) {
        const response = await fetch(`http://127.0.0.1:${device.port}${path}`);
        assert.strictEqual(response.status, 404, `${path} is not served headless`);
      }
      const fit = received.get('device/filters') as { correlations: number[]; pastFilters: number[][]; pairs: number };
      const reference = referenceFit();
      assert.strictEqual(fit.pairs, reference.pairs);
      fit.correlations.forEach((rho, i) => assert.ok(Math.abs(rho - reference.correlations[i]) < 1e-9, `ρ${i + 1}: ${rho} vs ${reference.correlations[i]}`));
      // the filter chart (output 2) carries ψ1–ψ3 as {x, y, series} points, one per tap; the ρ chart (output 4) ρ1 … ρm
      const psi = received.get('ψ') as { x: number; y: number; series: string }[];
      assert.deepStrictEqual([...new Set(psi.map((p) => p.series))], ['ψ1', 'ψ2', 'ψ3']);
      const psi2 = psi.filter((p) => p.series === 'ψ2');
      psi2.forEach((p, lag) => assert.ok(p.x === -lag && Math.abs(p.y - reference.pastFilters[1][lag]) < 1e-9, `ψ2 tap ${lag}`));
      assert.strictEqual(psi2.length, PAST);
      const rho = received.get('ρ') as { x: number; y: number }[];
      assert.deepStrictEqual(rho.map((p) => p.x), Array.from(reference.correlations, (_, k) => k + 1));
      assert.doesNotMatch(device.log(), /\[error\]/);
    } finally {
      client.end(true);
      await red?.stop();
      await broker.stop();
    }
  });
});
