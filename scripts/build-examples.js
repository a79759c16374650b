#!/usr/bin/env node
'use strict';
// Generates examples/*.json (Import ▸ Examples). Run `node scripts/build-examples.js` after changing
// it; the JSON files are committed and test/examples.spec.ts checks they match this script. Ids are
// stable so re-running gives identical files.
//
// Layout: every flow fits the canvas an editor shows at 1366×768 with the palette and the sidebar open
// (about 860 × 650 px) without scrolling, and no node, label or status text overlaps another node's;
// test/browser/examples.spec.ts checks that with the flows running and takes the screenshots in
// docs/img/. Node-RED places x/y at a node's centre and writes its status below it, starting at its
// left edge and running right (a unit's "ψ2 (50 taps, ρ 0.943) · 146k samples" is ≈ 245 px, T4's
// ≈ 275 px): consecutive stages therefore alternate between rows 50 px apart, so each status runs
// below the next stage's node instead of into its status. Left edges are written as `x = left + w/2`
// with w the width the editor gives the label (100 px at least, in steps of 20).
const fs = require('fs');
const path = require('path');

function flow(name, info, build) {
  const tab = `tab-${name}`;
  const nodes = [];
  let counter = 0;
  const add = (type, x, y, props = {}, wires = []) => {
    const id = `${name}-${++counter}`;
    nodes.push({ id, type, z: tab, x, y, ...props, wires });
    return id;
  };
  build(add, nodes);
  return [{ id: tab, type: 'tab', label: info.label, info: info.text }, ...nodes];
}

const wire = (nodes, from, output, to) => {
  const node = nodes.find((n) => n.id === from);
  while (node.wires.length <= output) node.wires.push([]);
  node.wires[output].push(to);
};
/** A Debug node printing to the sidebar; `left` is its left edge, `width` the editor's width for its name. */
const debug = (add, left, y, width, name, complete = 'payload') => add('debug', left + width / 2, y, {
  name, active: true, tosidebar: true, console: false, tostatus: false, complete, targetType: 'msg', statusVal: '', statusType: 'auto',
});
/** A Debug node that only counts what arrives, in its status: the stream is too fast for the sidebar. */
const counter = (add, left, y, width, name) => add('debug', left + width / 2, y, {
  name, active: true, tosidebar: false, console: false, tostatus: true, complete: 'payload', targetType: 'msg', statusVal: '', statusType: 'counter',
});
/** An Inject node whose button starts at `left` (the node itself is 100 px wide, its button 25 px left of it). */
const inject = (add, left, y, name, props) => add('inject', left + 75, y, {
  name, props: [{ p: 'payload' }, ...(props || [])], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: 'start', payloadType: 'str',
});
/**
 * A one-line comment whose left edge is at `left`: the editor sizes it to its text (≈ 7.3 px per
 * character of the italic label, plus 50 px, in steps of 20), and x is its centre.
 */
const commentWidth = (name) => Math.max(100, 20 * Math.ceil((name.length * 7.3 + 50) / 20));
const comment = (add, left, y, name, info) => add('comment', left + commentWidth(name) / 2, y, { name, info });
const at = (left, width) => left + width / 2;

const SCANNER = { source: 'deadLeaves', imagePath: '', fovDeg: 360, spacingDeg: 5, speedDegPerS: 0, dtS: 0.01, zScoreRows: true, intervalMs: 0, autoStart: false, sceneWidth: 1024, sceneHeight: 16 };
const LEARNER = { gap: 0, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, learning: true, persist: false, store: '' };
const ADD_NOISE = { mode: 'add', sd: 0.05, snr: 0, signalSd: 1 };

const examples = {
  '1 OU process - canonical correlations and filters': flow('ou', {
    label: 'ReSU 1: OU process → CCA',
    text: 'Paper Fig. 2B: the 3-state linear state-space (OU) example has exactly three non-zero canonical correlations.\n\n'
      + 'The learner solves every 24 950 pairs (25 chunks of 1000 samples), so the fourth and last filters message uses all 99 951 pairs. Output 2 sends ui-chart messages of ψ1–ψ3 and ρ.',
  }, (add, nodes) => {
    comment(add, 20, 40, 'Click the Inject: 100 000 samples of the paper\'s 3-state OU process → CCA, m = h = 25',
      'The learner solves every 24 950 pairs (25 chunks); the Debug sidebar shows its four filters messages (correlations, pastFilters, MI), the last on all 99 951 pairs. Output 2 is ui-chart ready.');
    const start = inject(add, 20, 120, 'start');
    const source = add('resu-noise', at(170, 140), 120, { name: 'OU source', mode: 'ou', seed: 1, chunkLength: 1000, maxSamples: 100000, observationNoiseSd: 0.316227766, dtS: 0.01, intervalMs: 0 });
    const learner = add('resu-cca', at(360, 160), 120, { name: 'CCA m=h=25', pastLags: 25, futureLags: 25, ...LEARNER, solveEveryPairs: 24950 });
    const filters = debug(add, 560, 100, 140, 'filters (ρ, ψ)');
    comment(add, 20, 220, 'Debug: a filters message every 25 chunks; expect ρ1–ρ3 ≈ 0.376, 0.221, 0.049, the rest < 0.04',
      'Population values from the Lyapunov equation (docs/examples.md). Open the ReSU sidebar tab for plots of ψ and ρ.');
    wire(nodes, start, 0, source); wire(nodes, source, 0, learner); wire(nodes, learner, 0, filters);
  }),
  '2 GP filters adapt to noise': flow('gp', {
    label: 'ReSU 2: GP filters vs noise',
    text: 'Paper Fig. 3: the same learner on Gaussian-process draws at low (sd 0.01) and high (sd 0.4) observation noise. ψ2 has many lobes at low noise and becomes a broad two-lobed derivative at high noise.\n\n'
      + 'Each learner solves every 90 000 pairs (100 draws of 900 pairs), so its second and last filters message uses all 200 draws.',
  }, (add, nodes) => {
    comment(add, 20, 40, 'Click the Inject: 200 GP draws (rational quadratic α = ℓ = 1) at noise sd 0.01 and 0.4',
      '1000 points on [−10, 10] per draw; m = 75, h = 25, gap 1 as the authors. Compare ψ2 of the two learners in the Debug sidebar or the ReSU sidebar tab.');
    const start = inject(add, 20, 155, 'start');
    const gp = { mode: 'gp', seed: 2, chunkLength: 1000, maxSamples: 200000, gpKernel: 'rationalQuadratic', gpAlpha: 1, gpLengthScale: 1, gpPoints: 1000, gpDraws: 200, intervalMs: 0 };
    const low = add('resu-noise', at(170, 160), 110, { name: 'GP, noise 0.01', ...gp, observationNoiseSd: 0.01 });
    const high = add('resu-noise', at(170, 160), 200, { name: 'GP, noise 0.4', ...gp, observationNoiseSd: 0.4 });
    const cfg = { pastLags: 75, futureLags: 25, ...LEARNER, gap: 1, solveEveryPairs: 90000 };
    const learnLow = add('resu-cca', at(370, 160), 110, { name: 'CCA low noise', ...cfg });
    const learnHigh = add('resu-cca', at(370, 180), 200, { name: 'CCA high noise', ...cfg });
    const dLow = debug(add, 590, 100, 180, 'filters, low noise');
    const dHigh = debug(add, 590, 190, 180, 'filters, high noise');
    comment(add, 20, 290, 'Debug: each learner\'s filters after 100 and after all 200 draws; compare ψ2 (pastFilters[1])',
      'At low noise ψ2 changes sign many times; at high noise it is a broad two-lobed derivative (docs/examples.md).');
    wire(nodes, start, 0, low); wire(nodes, start, 0, high);
    wire(nodes, low, 0, learnLow); wire(nodes, high, 0, learnHigh);
    wire(nodes, learnLow, 0, dLow); wire(nodes, learnHigh, 0, dHigh);
  }),
  '3 Natural scene - L1, L2 and L3': flow('natural', {
    label: 'ReSU 3: natural scene → L1, L2, L3',
    text: 'Paper Fig. 4: filters learned on a scanned scene. ψ1 is low-pass (L3), ψ2 a smoothed derivative: its ON part is L1, its OFF part L2.\n\n'
      + 'The learner solves every 100 000 pairs (7 filters messages per run); the units respond from its first filters on. Their Debug nodes count the response chunks in their status: a run sends about 100 per unit, too many for the sidebar (tick "debug window" in one to print them).',
  }, (add, nodes) => {
    comment(add, 20, 30, 'Click the Inject: scan the dead-leaves panorama (8 pixels), add noise sd 0.05, learn m = h = 50',
      'The units start responding once the learner has sent its first filters (after 100 000 pairs). Replace the scene by your own panorama in the scanner.');
    const start = inject(add, 20, 160, 'start');
    const scanner = add('resu-scanner', at(170, 140), 160, { name: 'dead leaves', ...SCANNER, pixels: 8, direction: 'right', chunkLength: 1000, seed: 1, loop: true, maxDurationS: 1000 });
    const noise = add('resu-noise', at(330, 160), 210, { name: 'noise sd 0.05', ...ADD_NOISE, seed: 3 });
    const learner = add('resu-cca', at(170, 160), 90, { name: 'CCA m=h=50', pastLags: 50, futureLags: 50, ...LEARNER, solveEveryPairs: 100000 });
    const units = [
      add('resu-unit', at(510, 140), 260, { name: 'L1 (ON ψ2)', component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: '' }),
      add('resu-unit', at(510, 140), 310, { name: 'L2 (OFF ψ2)', component: 2, polarity: 'off', threshold: 0, signal: 'L2', taps: '' }),
      add('resu-l3', at(510, 120), 360, { name: 'L3 (ψ1)', component: 1, signal: 'L3', taps: '' }),
    ];
    const dFilters = debug(add, 360, 90, 100, 'filters');
    const counters = ['L1', 'L2', 'L3'].map((name, i) => counter(add, 680, 430 + 50 * i, 160, `${name} responses`));
    comment(add, 20, 590, 'Debug: the filters every 100 000 pairs; the counters at the right: response chunks per unit',
      'The learner\'s filters message goes to the Debug sidebar; the ReSU sidebar tab plots ψ1 and ψ2. A run sends about 170 response chunks (8 pixels × up to 1000 samples) per unit, too many for the sidebar: to see them, tick "debug window" in a counter\'s Debug node and deploy.');
    wire(nodes, start, 0, scanner); wire(nodes, scanner, 0, noise);
    wire(nodes, noise, 0, learner);
    units.forEach((unit, i) => { wire(nodes, noise, 0, unit); wire(nodes, learner, 0, unit); wire(nodes, unit, 0, counters[i]); });
    wire(nodes, learner, 0, dFilters);
  }),
  '4 Two-layer motion detector': flow('motion', {
    label: 'ReSU 4: two-layer motion detector',
    text: 'Paper Fig. 5: layer-1 filters learned on a scanned scene; two T4 units learn by delayed CCA of L1/L3 from three adjacent pixels, T4a on rightward and T4b on leftward motion; edge probes measure their direction selectivity.\n\n'
      + 'Training runs in the paper\'s order, layer by layer: the rightward scan trains layer 1 and T4a; when layer 1 has learned all of it (the learner\'s solve on the run\'s last chunk sends its filters with msg.endOfRun), the switch "run ended" starts the leftward scan, which trains T4b through layer 1\'s final filters. '
      + 'Started together, the two scanners would race: whichever scene is ready first runs, and a unit drops the chunks it gets before its first filters, so T4b could miss most of its scan.\n\n'
      + 'Each T4 solves every 250 000 pairs and at the end of its scan (four weight messages each); the ReSU sidebar tab plots a T4\'s weights beside the connectome.',
  }, (add, nodes) => {
    comment(add, 20, 30, '1. Click "train": layer 1 and T4a learn from the scene moving right, then T4b from it moving left',
      'Layer 1 learns from the rightward scanner (m = h = 50). Each T4 pools triplets of adjacent pixels (delay 5, second canonical direction). The leftward scan starts when layer 1 has learned all of the rightward one (its filters with msg.endOfRun pass the switch "run ended"), so T4b learns through layer 1\'s final filters.');
    const laneA = 160, laneB = 310;
    const dx = 40; // room for the train inject left of the scanners
    const train = inject(add, 20, laneA, 'train');
    const scan = (y, direction) => add('resu-scanner', at(150 + dx, 100), y, { name: direction, ...SCANNER, pixels: 8, direction, chunkLength: 1000, seed: 1, loop: true, maxDurationS: 1500 });
    const scanA = scan(laneA, 'right');
    const scanB = scan(laneB, 'left');
    const noiseA = add('resu-noise', at(270 + dx, 100), laneA + 50, { name: 'noise', ...ADD_NOISE, seed: 3 });
    const noiseB = add('resu-noise', at(270 + dx, 100), laneB + 50, { name: 'noise', ...ADD_NOISE, seed: 4 });
    const learner = add('resu-cca', at(150 + dx, 140), laneA - 70, { name: 'layer 1 CCA', pastLags: 50, futureLags: 50, ...LEARNER, solveEveryPairs: 50000 });
    const l1 = (y) => add('resu-unit', at(390 + dx, 100), y, { name: 'L1', component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: '' });
    const l3 = (y) => add('resu-l3', at(390 + dx, 100), y, { name: 'L3', component: 1, signal: 'L3', taps: '' });
    const l1a = l1(laneA), l3a = l3(laneA + 100), l1b = l1(laneB), l3b = l3(laneB + 100);
    const t4 = (name, y) => add('resu-t4', at(510 + dx, 100), y, { name, delay: 5, component: 2, threshold: 0, ridge: 1e-10, learning: true, applying: true, solveEveryPairs: 250000, persist: false, store: '' });
    const t4a = t4('T4a', laneA + 57), t4b = t4('T4b', laneB + 57);
    const weights = debug(add, 640 + dx, laneA + 57, 140, 'T4 weights');
    comment(add, 20, 470, '2. After training ("finished" under the scanners), click "probe": edges moving both ways → DSI',
      'The probe chunks are marked train: false, so nothing learns from them. Each probe reports the DSI on ON edges (the paper\'s measure) and over all edges.');
    const probe = inject(add, 20, 545, 'probe');
    const edges = (name, y, preferredDirection) => add('resu-grating', at(170, 140), y, { name, probe: 'edge', preferredDirection, pixels: 3, samplesPerSpacing: 5, segmentLength: 400, riseSamples: 20, segments: 4, noiseSd: 0.005, chunkLength: 500, seed: 5, intervalMs: 0 });
    const gratingA = edges('edges, T4a', 520, 'right');
    const gratingB = edges('edges, T4b', 570, 'left');
    // output 2 also carries the probe's ui-chart messages: the Debug sidebar gets the DSI only
    const dsiOnly = add('switch', at(450, 120), 545, { name: 'DSI only', property: 'topic', propertyType: 'msg', rules: [{ t: 'eq', v: 'DSI', vt: 'str' }], checkall: 'true', repair: false, outputs: 1 });
    const dsi = debug(add, 610, 545, 100, 'DSI');
    // layer by layer: layer 1's solve on the rightward run's last chunk (msg.endOfRun) starts the
    // leftward scan (any message without a command starts a scanner). Not the scanner's last chunk:
    // the scanner sends it before the learner has learned it, so that would not order the stages.
    // Added last so the other nodes keep their ids
    const atItsEnd = add('switch', at(350 + dx, 120), laneA - 70, { name: 'run ended', property: 'endOfRun', propertyType: 'msg', rules: [{ t: 'true' }], checkall: 'true', repair: false, outputs: 1 });
    wire(nodes, train, 0, scanA);
    wire(nodes, scanA, 0, noiseA); wire(nodes, scanB, 0, noiseB);
    wire(nodes, noiseA, 0, learner);
    for (const unit of [l1a, l3a]) { wire(nodes, noiseA, 0, unit); wire(nodes, learner, 0, unit); wire(nodes, unit, 0, t4a); }
    for (const unit of [l1b, l3b]) { wire(nodes, noiseB, 0, unit); wire(nodes, learner, 0, unit); wire(nodes, unit, 0, t4b); }
    wire(nodes, probe, 0, gratingA); wire(nodes, probe, 0, gratingB);
    wire(nodes, gratingA, 0, l1a); wire(nodes, gratingA, 0, l3a); wire(nodes, gratingB, 0, l1b); wire(nodes, gratingB, 0, l3b);
    wire(nodes, t4a, 0, gratingA); wire(nodes, t4b, 0, gratingB);
    wire(nodes, t4a, 1, weights); wire(nodes, t4b, 1, weights);
    wire(nodes, gratingA, 1, dsiOnly); wire(nodes, gratingB, 1, dsiOnly); wire(nodes, dsiOnly, 0, dsi);
    wire(nodes, learner, 0, atItsEnd); wire(nodes, atItsEnd, 0, scanB);
  }),
  '5 Learn on many devices': flow('devices', {
    label: 'ReSU 5: learn on many devices (MQTT)',
    text: 'Each device learns locally and publishes cumulative statistics snapshots over MQTT; the aggregator merges them exactly (newest snapshot per source) and publishes the filters, which update the units on every device. Only statistics cross the network, never raw samples.\n\n'
      + 'Needs an MQTT broker on localhost:1883 (e.g. mosquitto); without one the MQTT nodes stay "connecting" and nothing is merged. Each device publishes every 14 800 pairs (4 image rows), the last snapshot at the end of its scan, so the aggregator solves 8 times.',
  }, (add, nodes) => {
    const broker = add('mqtt-broker', 0, 0, { name: 'local broker', broker: 'localhost', port: '1883', clientid: '', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true, autoUnsubscribe: true, birthTopic: '', closeTopic: '', willTopic: '' });
    delete nodes.find((n) => n.id === broker).x; delete nodes.find((n) => n.id === broker).y; delete nodes.find((n) => n.id === broker).z; delete nodes.find((n) => n.id === broker).wires;
    comment(add, 20, 30, 'Needs an MQTT broker on localhost:1883 (e.g. mosquitto); without one nothing is merged',
      'Without a broker the MQTT nodes say "connecting" or "disconnected" and the aggregator stays at 0 pairs. To use another broker, edit the "local broker" configuration node (double-click any MQTT node).');
    comment(add, 20, 70, 'Devices A and B (on real devices: one each) scan, learn and publish statistics snapshots',
      'Retained, one topic per device. Source ids must differ between devices (default: hostname/node id). publishEveryPairs sets how often a snapshot goes out (here every 4 image rows, the last at the end of the scan).');
    const start = inject(add, 20, 220, 'start');
    const devices = [['A', 1, 140], ['B', 2, 310]];
    for (const [label, seed, y] of devices) {
      const scanner = add('resu-scanner', at(170, 140), y, { name: `${label}: scanner`, ...SCANNER, pixels: 4, direction: 'right', chunkLength: 1024, seed, loop: false, maxDurationS: 3600 });
      const noise = add('resu-noise', at(330, 100), y + 50, { name: 'noise', ...ADD_NOISE, seed: seed + 10 });
      const learner = add('resu-cca', at(450, 120), y, { name: `${label}: CCA`, pastLags: 50, futureLags: 50, ...LEARNER, solveEveryPairs: 0, publishEveryPairs: 14800, sourceId: `device-${label}` });
      const out = add('mqtt out', at(600, 220), y, { name: '', topic: `resu/statistics/device-${label}`, qos: '1', retain: 'true', respTopic: '', contentType: '', userProps: '', correl: '', expiry: '', broker });
      const filtersIn = add('mqtt in', at(170, 220), y + 100, { name: 'filters from aggregator', topic: 'resu/filters', qos: '1', datatype: 'json', broker, nl: false, rap: true, rh: 0, inputs: 0 });
      const unit = add('resu-unit', at(450, 100), y + 100, { name: `${label}: L1`, component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: '' });
      wire(nodes, start, 0, scanner); wire(nodes, scanner, 0, noise); wire(nodes, noise, 0, learner); wire(nodes, noise, 0, unit);
      wire(nodes, learner, 2, out); wire(nodes, filtersIn, 0, unit);
    }
    comment(add, 20, 465, 'Aggregator: merges the newest snapshot of every device and publishes the filters back',
      'resu/filters is retained, so a device that starts later gets the current filters at once.');
    const statsIn = add('mqtt in', at(170, 140), 530, { name: 'all devices', topic: 'resu/statistics/+', qos: '1', datatype: 'json', broker, nl: false, rap: true, rh: 0, inputs: 0 });
    const aggregator = add('resu-cca', at(350, 140), 530, { name: 'aggregator', pastLags: 50, futureLags: 50, ...LEARNER, solveEveryPairs: 0, publishEveryPairs: 0, sourceId: 'aggregator' });
    const filtersOut = add('mqtt out', at(600, 140), 510, { name: '', topic: 'resu/filters', qos: '1', retain: 'true', respTopic: '', contentType: '', userProps: '', correl: '', expiry: '', broker });
    const merged = debug(add, 600, 570, 160, 'merged filters');
    wire(nodes, statsIn, 0, aggregator); wire(nodes, aggregator, 0, filtersOut); wire(nodes, aggregator, 0, merged);
  }),
  '6 Live dashboard - filters and correlations': flow('dashboard', {
    label: 'ReSU 6: live dashboard',
    text: 'Needs FlowFuse Dashboard 2 (@flowfuse/node-red-dashboard; `npm start` in a clone has it, otherwise Manage palette ▸ Install). The learner\'s filter-chart output (2) and correlation-chart output (4) each drive their own ui-chart; every solve redraws ψ1–ψ3 against the lag and ρ against k on the page /dashboard/resu.',
  }, (add, nodes) => {
    const configNode = (type, props) => {
      const id = add(type, 0, 0, props);
      const node = nodes.find((n) => n.id === id);
      delete node.x; delete node.y; delete node.z; delete node.wires;
      return id;
    };
    comment(add, 20, 40, 'Open /dashboard and click "train" there or on the Inject: ψ1–ψ3 and ρ redraw on every solve',
      'The scanner sends a 500-sample chunk of 8 pixels (4000 pairs) every 200 ms, 400 s of scene motion in all (about 16 s), and the learner (m = h = 50) solves every 20 000 pairs, so the charts redraw about once a second while the filters converge.\n\n'
      + 'Each chart output sends ONE message per solve carrying all of its series as {x, y, series} points with action "replace": in Dashboard 2 a replace clears every series of a chart, so the filters travel together and ρ (0–1 against the component index k) has its own chart. Both ui-charts are set to Series = key "series", X = key "x", Y = key "y", x axis linear, no points limit.\n\n'
      + 'Already have a dashboard? On import the editor keeps your ui-base and moves this page to it.');
    const base = configNode('ui-base', { name: 'ReSU dashboard', path: '/dashboard', appIcon: '', includeClientData: true, acceptsClientConfig: ['ui-notification', 'ui-control'], showPathInSidebar: false, headerContent: 'page', navigationStyle: 'default', titleBarStyle: 'default', showReconnectNotification: true, notificationDisplayTime: 1, showDisconnectNotification: true, allowInstall: false });
    const theme = configNode('ui-theme', { name: 'ReSU theme', colors: { surface: '#2f6f62', primary: '#2f6f62', bgPage: '#f4f6f6', groupBg: '#ffffff', groupOutline: '#d9d9e0' }, sizes: { density: 'default', pagePadding: '12px', groupGap: '12px', groupBorderRadius: '4px', widgetGap: '12px' } });
    const page = configNode('ui-page', { name: 'ReSU', ui: base, path: '/resu', icon: 'chart-bell-curve', layout: 'grid', theme, breakpoints: [{ name: 'Default', px: 0, cols: 3 }, { name: 'Tablet', px: 576, cols: 6 }, { name: 'Small Desktop', px: 768, cols: 9 }, { name: 'Desktop', px: 1024, cols: 12 }], order: 1, className: '', visible: 'true', disabled: 'false' });
    const group = (name, order, width) => configNode('ui-group', { name, page, width, height: 1, order, showTitle: true, className: '', visible: 'true', disabled: 'false', groupType: 'default' });
    const controls = group('Training', 1, 12);
    const filtersGroup = group('Filters ψ1–ψ3', 2, 8);
    const rhoGroup = group('Canonical correlations ρ', 3, 4);
    const chart = (x, y, name, grp, props) => add('ui-chart', x, y, {
      group: grp, name, order: 1, chartType: 'line', category: 'series', categoryType: 'property',
      xAxisProperty: 'x', xAxisPropertyType: 'property', xAxisType: 'linear', xAxisFormat: '', xAxisFormatType: 'auto', xmin: '', xmax: '',
      yAxisProperty: 'y', yAxisPropertyType: 'property', bins: 10, action: 'replace', stackSeries: false, pointShape: 'circle', pointRadius: 2, showLegend: true,
      removeOlder: 1, removeOlderUnit: '3600', removeOlderPoints: '', colors: ['#0095FF', '#FF0000', '#FF7F0E', '#2CA02C', '#A347E1', '#D62728', '#FF9896', '#9467BD', '#C5B0D5'],
      textColor: ['#666666'], textColorDefault: true, gridColor: ['#e5e5e5'], gridColorDefault: true, height: 8, className: '', interpolation: 'linear', ...props,
    });
    const train = inject(add, 20, 120, 'train');
    const button = add('ui-button', at(25, 160), 210, { group: controls, name: 'train button', label: 'train', order: 1, width: 2, height: 1, emulateClick: false, tooltip: '', color: '', bgcolor: '', className: '', icon: 'play', iconPosition: 'left', payload: 'start', payloadType: 'str', topic: 'topic', topicType: 'msg', buttonColor: '', textColor: '', iconColor: '', enableClick: true, enablePointerdown: false, pointerdownPayload: '', pointerdownPayloadType: 'str', enablePointerup: false, pointerupPayload: '', pointerupPayloadType: 'str' });
    const scanner = add('resu-scanner', at(200, 220), 150, { name: 'dead-leaves scanner', ...SCANNER, pixels: 8, direction: 'right', chunkLength: 500, seed: 1, loop: true, maxDurationS: 400, intervalMs: 200 });
    const noise = add('resu-noise', at(440, 160), 200, { name: 'noise sd 0.05', ...ADD_NOISE, seed: 3 });
    const learner = add('resu-cca', at(620, 160), 150, { name: 'CCA m=h=50', pastLags: 50, futureLags: 50, ...LEARNER, solveEveryPairs: 20000 });
    // below the learner: its chart outputs (2: ψ, 4: ρ) loop back to them
    const filtersChart = chart(at(620, 140), 250, 'filters ψ', filtersGroup, { label: 'ψ1–ψ3 (newest tap at lag 0)', width: 8, xAxisLabel: 'lag (samples)', yAxisLabel: 'tap', ymin: '', ymax: '' });
    const rhoChart = chart(at(620, 160), 310, 'correlations ρ', rhoGroup, { label: 'ρk', width: 4, xAxisLabel: 'k', yAxisLabel: 'ρ', ymin: '0', ymax: '1' });
    wire(nodes, train, 0, scanner); wire(nodes, button, 0, scanner); wire(nodes, scanner, 0, noise); wire(nodes, noise, 0, learner);
    wire(nodes, learner, 1, filtersChart); wire(nodes, learner, 3, rhoChart);
  }),
};

/**
 * A copy of an example flow on its own tab, with ids renamed (`tab-<from>`, `<from>-N` → `<to>`) and wires
 * followed, so a variant stays in step with the flow it derives from; `change(nodes, byName)` edits it.
 */
function variant(source, from, to, info, change) {
  const rename = (id) => (id === `tab-${from}` ? `tab-${to}` : id.replace(new RegExp(`^${from}-`), `${to}-`));
  const nodes = JSON.parse(JSON.stringify(source)).map((n) => ({
    ...n, id: rename(n.id), ...(n.z ? { z: rename(n.z) } : {}), ...(n.wires ? { wires: n.wires.map((port) => port.map(rename)) } : {}),
  }));
  Object.assign(nodes[0], { label: info.label, info: info.text });
  change(nodes, (name) => nodes.filter((n) => n.name === name));
  return nodes;
}

// Issue 19: example 4's circuit with layer 1 learning by the online rule, paced so that the ReSU
// sidebar shows the filters converge while the scene is scanned.
examples['7 Two-layer circuit learning online'] = variant(examples['4 Two-layer motion detector'], 'motion', 'online', {
  label: 'ReSU 7: two-layer circuit learning online',
  text: 'Example 4 with layer 1 learning by the neuron-local online rule (docs/online-learning.md): one (past, future) pair at a time, O(k·(m + h)) work and memory per pair, no moment matrices. The learner sends its current filters every 2000 pairs, so L1/L3 and the T4 units work from the first second on while the filters converge; the scanners are paced (one chunk of 100 samples of 8 pixels per 100 ms, 8000 pairs/s) so you can watch it in the ReSU sidebar. Unlike example 4, both scans run at once (the pacing keeps either from running ahead of the other before the first filters).',
}, (nodes, byName) => {
  // renamed nodes keep their left edge (x is a node's centre): the learner's longer name makes it
  // ≈ 200 px wide instead of 140, the comments are sized to their new text
  const [learner] = byName('layer 1 CCA');
  Object.assign(learner, { name: 'layer 1, online rule', rule: 'online', learningRate: 1, solveEveryPairs: 2000, x: learner.x - 140 / 2 + 200 / 2 });
  for (const scanner of nodes.filter((n) => n.type === 'resu-scanner')) Object.assign(scanner, { chunkLength: 100, intervalMs: 100 });
  // both scans at once, as a device sees both directions: paced, neither can run far ahead of the
  // other before layer 1 sends its first filters (after 2000 pairs); example 4 runs them in turn
  const [atItsEnd] = byName('run ended');
  nodes.splice(nodes.indexOf(atItsEnd), 1);
  const [left] = byName('left'), [train] = byName('train');
  learner.wires[0] = learner.wires[0].filter((id) => id !== atItsEnd.id);
  train.wires[0].push(left.id);
  const [first, second] = nodes.filter((n) => n.type === 'comment');
  Object.assign(first, {
    name: '1. Click "train", pick "layer 1, online rule" in the ReSU sidebar: ψ1 and ψ2 converge live',
    info: 'Layer 1 learns online from the rightward scanner (m = h = 50, rule online, rate 1: the core defaults) and sends its filters every 2000 pairs. The sidebar\'s learning curve plots ρ1, ρ2 and how far each filter still turns between solves (1 − |cos|). In the test run ψ1 and ψ2 had a cosine of 0.96 with the exact batch filters after about 5000 pooled pairs and 0.99 after about 15 000, the first two seconds at this pace; the learning curve shows the rest. Each T4 pools triplets of adjacent pixels (delay 5, second canonical direction) as in example 4. Set the scanners\' interval to 0 to run as fast as the CPU allows.',
  });
  Object.assign(second, { name: '2. After training ("finished" under the scanners, 2.5 min), click "probe": edges both ways → DSI' });
  for (const node of [first, second]) node.x = 20 + commentWidth(node.name) / 2;
});

// Issue 20 (docs/motion-2d.md): 2-D motion (T4a–d) and two T4 units learning from both directions
Object.assign(examples, require('./examples-motion2d')({ flow, wire }));

module.exports = { examples };

if (require.main === module) {
  const dir = path.resolve(__dirname, '..', 'examples');
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, nodes] of Object.entries(examples)) {
    fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(nodes, null, 2)}\n`);
  }
}
