#!/usr/bin/env node
'use strict';
// Generates examples/*.json (Import ▸ Examples). Run `node scripts/build-examples.js` after changing
// it; the JSON files are committed. Ids are stable so re-running gives identical files.
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
const debug = (add, x, y, name, complete = 'payload') => add('debug', x, y, { name, active: true, tosidebar: true, console: false, tostatus: false, complete, targetType: 'msg' });
const inject = (add, x, y, name, props) => add('inject', x, y, {
  name, props: [{ p: 'payload' }, ...(props || [])], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: 'start', payloadType: 'str',
});
const comment = (add, x, y, name, info) => add('comment', x, y, { name, info });

const examples = {
  '1 OU process - canonical correlations and filters': flow('ou', {
    label: 'ReSU 1: OU process → CCA',
    text: 'Paper Fig. 2B: the 3-state linear state-space (OU) example has exactly three non-zero canonical correlations.',
  }, (add, nodes) => {
    comment(add, 230, 40, 'Click the Inject: 100 000 samples of the paper\'s 3-state OU process → CCA with m = h = 25', 'The learner solves every 20 000 pairs; the debug sidebar shows the filters message (correlations, pastFilters, MI). Output 2 is ui-chart ready.');
    const start = inject(add, 130, 100, 'start');
    const source = add('resu-noise', 320, 100, { name: 'OU source', mode: 'ou', seed: 1, chunkLength: 1000, maxSamples: 100000, observationNoiseSd: 0.316227766, dtS: 0.01, intervalMs: 0 });
    const learner = add('resu-cca', 520, 100, { name: 'CCA m=h=25', pastLags: 25, futureLags: 25, gap: 0, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, solveEveryPairs: 20000, learning: true, persist: false, store: '' });
    const filters = debug(add, 740, 80, 'filters (ρ, ψ)');
    const chart = debug(add, 740, 120, 'chart (ui-chart)');
    wire(nodes, start, 0, source); wire(nodes, source, 0, learner); wire(nodes, learner, 0, filters); wire(nodes, learner, 1, chart);
  }),
  '2 GP filters adapt to noise': flow('gp', {
    label: 'ReSU 2: GP filters vs noise',
    text: 'Paper Fig. 3: the same learner on Gaussian-process draws at low (sd 0.01) and high (sd 0.4) observation noise. ψ2 has many lobes at low noise and becomes a broad two-lobed derivative at high noise.',
  }, (add, nodes) => {
    comment(add, 260, 40, 'Click the Inject: 200 GP draws (rational quadratic α = ℓ = 1, 1000 points on [−10, 10]) at two noise levels', 'm = 75, h = 25, gap 1 as the authors. Compare ψ2 of the two learners in the debug sidebar or a ui-chart.');
    const start = inject(add, 130, 120, 'start');
    const low = add('resu-noise', 330, 100, { name: 'GP, noise 0.01', mode: 'gp', seed: 2, chunkLength: 1000, maxSamples: 200000, observationNoiseSd: 0.01, gpKernel: 'rationalQuadratic', gpAlpha: 1, gpLengthScale: 1, gpPoints: 1000, gpDraws: 200, intervalMs: 0 });
    const high = add('resu-noise', 330, 160, { name: 'GP, noise 0.4', mode: 'gp', seed: 2, chunkLength: 1000, maxSamples: 200000, observationNoiseSd: 0.4, gpKernel: 'rationalQuadratic', gpAlpha: 1, gpLengthScale: 1, gpPoints: 1000, gpDraws: 200, intervalMs: 0 });
    const cfg = { pastLags: 75, futureLags: 25, gap: 1, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, solveEveryPairs: 100000, learning: true, persist: false, store: '' };
    const learnLow = add('resu-cca', 560, 100, { name: 'CCA low noise', ...cfg });
    const learnHigh = add('resu-cca', 560, 160, { name: 'CCA high noise', ...cfg });
    const dLow = debug(add, 780, 80, 'filters, low noise'); const cLow = debug(add, 780, 120, 'chart, low noise');
    const dHigh = debug(add, 780, 160, 'filters, high noise'); const cHigh = debug(add, 780, 200, 'chart, high noise');
    wire(nodes, start, 0, low); wire(nodes, start, 0, high);
    wire(nodes, low, 0, learnLow); wire(nodes, high, 0, learnHigh);
    wire(nodes, learnLow, 0, dLow); wire(nodes, learnLow, 1, cLow); wire(nodes, learnHigh, 0, dHigh); wire(nodes, learnHigh, 1, cHigh);
  }),
  '3 Natural scene - L1, L2 and L3': flow('natural', {
    label: 'ReSU 3: natural scene → L1, L2, L3',
    text: 'Paper Fig. 4: filters learned on a scanned scene. ψ1 is low-pass (L3), ψ2 a smoothed derivative: its ON part is L1, its OFF part L2.',
  }, (add, nodes) => {
    comment(add, 250, 40, 'Click the Inject: scan the built-in dead-leaves panorama (8 pixels), add noise sd 0.05, learn m = h = 50', 'The units start responding once the learner has emitted its first filters (after 20 000 pairs). Replace the scene by your own panorama in the scanner.');
    const start = inject(add, 120, 120, 'start');
    const scanner = add('resu-scanner', 300, 120, { name: 'dead-leaves scanner', source: 'deadLeaves', imagePath: '', fovDeg: 360, pixels: 8, spacingDeg: 5, speedDegPerS: 0, direction: 'right', dtS: 0.01, chunkLength: 1000, seed: 1, zScoreRows: true, loop: true, maxDurationS: 1000, intervalMs: 0, autoStart: false, sceneWidth: 1024, sceneHeight: 16 });
    const noise = add('resu-noise', 480, 120, { name: 'noise sd 0.05', mode: 'add', sd: 0.05, snr: 0, signalSd: 1, seed: 3 });
    const learner = add('resu-cca', 660, 60, { name: 'CCA m=h=50', pastLags: 50, futureLags: 50, gap: 0, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, solveEveryPairs: 20000, learning: true, persist: false, store: '' });
    const l1 = add('resu-unit', 680, 140, { name: 'L1 (ON ψ2)', component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: '' });
    const l2 = add('resu-unit', 680, 190, { name: 'L2 (OFF ψ2)', component: 2, polarity: 'off', threshold: 0, signal: 'L2', taps: '' });
    const l3 = add('resu-l3', 680, 240, { name: 'L3 (ψ1)', component: 1, signal: 'L3', taps: '' });
    const dFilters = debug(add, 880, 40, 'filters'); const dChart = debug(add, 880, 80, 'chart (ui-chart)');
    const d1 = debug(add, 880, 140, 'L1'); const d2 = debug(add, 880, 190, 'L2'); const d3 = debug(add, 880, 240, 'L3');
    wire(nodes, start, 0, scanner); wire(nodes, scanner, 0, noise);
    for (const target of [learner, l1, l2, l3]) wire(nodes, noise, 0, target);
    for (const unit of [l1, l2, l3]) wire(nodes, learner, 0, unit);
    wire(nodes, learner, 0, dFilters); wire(nodes, learner, 1, dChart);
    wire(nodes, l1, 0, d1); wire(nodes, l2, 0, d2); wire(nodes, l3, 0, d3);
    for (const d of [d1, d2, d3]) nodes.find((n) => n.id === d).active = false;
  }),
  '4 Two-layer motion detector': flow('motion', {
    label: 'ReSU 4: two-layer motion detector',
    text: 'Paper Fig. 5: layer-1 filters learned on a scanned scene; two T4 units learn by delayed CCA of L1/L3 from three adjacent pixels, T4a on rightward and T4b on leftward motion; edge probes measure their direction selectivity.',
  }, (add, nodes) => {
    comment(add, 280, 30, '1. Click "train": two scanners (scene moving right / left) train layer 1 and the T4 units', 'Layer 1 learns from the rightward scanner (m = h = 50). Each T4 pools triplets of adjacent pixels (delay 5, second canonical direction).');
    comment(add, 280, 330, '2. After training ("finished" under the scanners), click "probe": edges in the preferred and null directions → DSI', 'The probe chunks are marked train: false, so nothing learns from them.');
    const train = inject(add, 110, 130, 'train');
    const scanA = add('resu-scanner', 290, 100, { name: 'scene → right', source: 'deadLeaves', imagePath: '', fovDeg: 360, pixels: 8, spacingDeg: 5, speedDegPerS: 0, direction: 'right', dtS: 0.01, chunkLength: 1000, seed: 1, zScoreRows: true, loop: true, maxDurationS: 1500, intervalMs: 0, autoStart: false, sceneWidth: 1024, sceneHeight: 16 });
    const scanB = add('resu-scanner', 290, 200, { name: 'scene → left', source: 'deadLeaves', imagePath: '', fovDeg: 360, pixels: 8, spacingDeg: 5, speedDegPerS: 0, direction: 'left', dtS: 0.01, chunkLength: 1000, seed: 1, zScoreRows: true, loop: true, maxDurationS: 1500, intervalMs: 0, autoStart: false, sceneWidth: 1024, sceneHeight: 16 });
    const noiseA = add('resu-noise', 460, 100, { name: 'noise 0.05', mode: 'add', sd: 0.05, snr: 0, signalSd: 1, seed: 3 });
    const noiseB = add('resu-noise', 460, 200, { name: 'noise 0.05', mode: 'add', sd: 0.05, snr: 0, signalSd: 1, seed: 4 });
    const learner = add('resu-cca', 640, 40, { name: 'layer 1 CCA', pastLags: 50, futureLags: 50, gap: 0, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, solveEveryPairs: 50000, learning: true, persist: false, store: '' });
    const l1a = add('resu-unit', 650, 100, { name: 'L1', component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: '' });
    const l3a = add('resu-l3', 650, 140, { name: 'L3', component: 1, signal: 'L3', taps: '' });
    const l1b = add('resu-unit', 650, 200, { name: 'L1', component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: '' });
    const l3b = add('resu-l3', 650, 240, { name: 'L3', component: 1, signal: 'L3', taps: '' });
    const t4a = add('resu-t4', 830, 120, { name: 'T4a', delay: 5, component: 2, threshold: 0, ridge: 1e-10, learning: true, applying: true, solveEveryPairs: 100000, persist: false, store: '' });
    const t4b = add('resu-t4', 830, 220, { name: 'T4b', delay: 5, component: 2, threshold: 0, ridge: 1e-10, learning: true, applying: true, solveEveryPairs: 100000, persist: false, store: '' });
    const probe = inject(add, 110, 400, 'probe');
    const gratingA = add('resu-grating', 300, 380, { name: 'edges, T4a', probe: 'edge', preferredDirection: 'right', pixels: 3, samplesPerSpacing: 5, segmentLength: 400, riseSamples: 20, segments: 4, noiseSd: 0.005, chunkLength: 500, seed: 5, intervalMs: 0 });
    const gratingB = add('resu-grating', 300, 440, { name: 'edges, T4b', probe: 'edge', preferredDirection: 'left', pixels: 3, samplesPerSpacing: 5, segmentLength: 400, riseSamples: 20, segments: 4, noiseSd: 0.005, chunkLength: 500, seed: 5, intervalMs: 0 });
    const weights = debug(add, 1040, 60, 'T4 weights');
    const dsi = debug(add, 520, 480, 'DSI');
    wire(nodes, train, 0, scanA); wire(nodes, train, 0, scanB);
    wire(nodes, scanA, 0, noiseA); wire(nodes, scanB, 0, noiseB);
    wire(nodes, noiseA, 0, learner);
    for (const unit of [l1a, l3a]) { wire(nodes, noiseA, 0, unit); wire(nodes, learner, 0, unit); wire(nodes, unit, 0, t4a); }
    for (const unit of [l1b, l3b]) { wire(nodes, noiseB, 0, unit); wire(nodes, learner, 0, unit); wire(nodes, unit, 0, t4b); }
    wire(nodes, probe, 0, gratingA); wire(nodes, probe, 0, gratingB);
    wire(nodes, gratingA, 0, l1a); wire(nodes, gratingA, 0, l3a); wire(nodes, gratingB, 0, l1b); wire(nodes, gratingB, 0, l3b);
    wire(nodes, t4a, 0, gratingA); wire(nodes, t4b, 0, gratingB);
    wire(nodes, t4a, 1, weights); wire(nodes, t4b, 1, weights);
    wire(nodes, gratingA, 1, dsi); wire(nodes, gratingB, 1, dsi);
  }),
  '5 Learn on many devices': flow('devices', {
    label: 'ReSU 5: learn on many devices (MQTT)',
    text: 'Each device learns locally and publishes cumulative statistics snapshots over MQTT; the aggregator merges them exactly (newest snapshot per source) and publishes the filters, which update the units on every device. Only statistics cross the network, never raw samples. Needs an MQTT broker on localhost:1883 (e.g. mosquitto).',
  }, (add, nodes) => {
    const broker = add('mqtt-broker', 0, 0, { name: 'local broker', broker: 'localhost', port: '1883', clientid: '', autoConnect: true, usetls: false, protocolVersion: '4', keepalive: '60', cleansession: true, autoUnsubscribe: true, birthTopic: '', closeTopic: '', willTopic: '' });
    delete nodes.find((n) => n.id === broker).x; delete nodes.find((n) => n.id === broker).y; delete nodes.find((n) => n.id === broker).z; delete nodes.find((n) => n.id === broker).wires;
    comment(add, 300, 40, 'Devices A and B (on real devices: one each): scan, learn, publish statistics snapshots (retained, one topic per device)', 'Source ids must differ between devices (default: hostname/node id). publishEveryPairs sets how often a snapshot goes out.');
    comment(add, 300, 300, 'Aggregator: merges the newest snapshot of every device and publishes the filters back', 'resu/filters is retained, so a device that starts later gets the current filters at once.');
    const start = inject(add, 110, 120, 'start devices');
    const devices = [['A', 1, 100], ['B', 2, 180]];
    for (const [label, seed, y] of devices) {
      const scanner = add('resu-scanner', 300, y, { name: `device ${label}: scanner`, source: 'deadLeaves', imagePath: '', fovDeg: 360, pixels: 4, spacingDeg: 5, speedDegPerS: 0, direction: 'right', dtS: 0.01, chunkLength: 1024, seed, zScoreRows: true, loop: false, maxDurationS: 3600, intervalMs: 0, autoStart: false, sceneWidth: 1024, sceneHeight: 16 });
      const noise = add('resu-noise', 480, y, { name: 'noise 0.05', mode: 'add', sd: 0.05, snr: 0, signalSd: 1, seed: seed + 10 });
      const learner = add('resu-cca', 650, y, { name: `device ${label}: CCA`, pastLags: 50, futureLags: 50, gap: 0, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, solveEveryPairs: 0, learning: true, persist: false, store: '', publishEveryPairs: 3700, sourceId: `device-${label}` });
      const out = add('mqtt out', 860, y, { name: '', topic: `resu/statistics/device-${label}`, qos: '1', retain: 'true', respTopic: '', contentType: '', userProps: '', correl: '', expiry: '', broker });
      const filtersIn = add('mqtt in', 480, y + 40, { name: 'filters from aggregator', topic: 'resu/filters', qos: '1', datatype: 'json', broker, nl: false, rap: true, rh: 0, inputs: 0 });
      const unit = add('resu-unit', 650, y + 40, { name: `device ${label}: L1`, component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: '' });
      wire(nodes, start, 0, scanner); wire(nodes, scanner, 0, noise); wire(nodes, noise, 0, learner); wire(nodes, noise, 0, unit);
      wire(nodes, learner, 2, out); wire(nodes, filtersIn, 0, unit);
    }
    const statsIn = add('mqtt in', 130, 360, { name: 'all devices', topic: 'resu/statistics/+', qos: '1', datatype: 'json', broker, nl: false, rap: true, rh: 0, inputs: 0 });
    const aggregator = add('resu-cca', 350, 360, { name: 'aggregator', pastLags: 50, futureLags: 50, gap: 0, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, solveEveryPairs: 0, learning: true, persist: false, store: '', publishEveryPairs: 0, sourceId: 'aggregator' });
    const filtersOut = add('mqtt out', 580, 360, { name: '', topic: 'resu/filters', qos: '1', retain: 'true', respTopic: '', contentType: '', userProps: '', correl: '', expiry: '', broker });
    const merged = debug(add, 580, 400, 'merged filters');
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
    comment(add, 300, 40, 'Open /dashboard (the ReSU page) and click "train" there or on the Inject: ψ1–ψ3 and ρ redraw on every solve',
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
    const train = inject(add, 130, 120, 'train');
    const button = add('ui-button', 130, 180, { group: controls, name: 'train button', label: 'train', order: 1, width: 2, height: 1, emulateClick: false, tooltip: '', color: '', bgcolor: '', className: '', icon: 'play', iconPosition: 'left', payload: 'start', payloadType: 'str', topic: 'topic', topicType: 'msg', buttonColor: '', textColor: '', iconColor: '', enableClick: true, enablePointerdown: false, pointerdownPayload: '', pointerdownPayloadType: 'str', enablePointerup: false, pointerupPayload: '', pointerupPayloadType: 'str' });
    const scanner = add('resu-scanner', 320, 140, { name: 'dead-leaves scanner', source: 'deadLeaves', imagePath: '', fovDeg: 360, pixels: 8, spacingDeg: 5, speedDegPerS: 0, direction: 'right', dtS: 0.01, chunkLength: 500, seed: 1, zScoreRows: true, loop: true, maxDurationS: 400, intervalMs: 200, autoStart: false, sceneWidth: 1024, sceneHeight: 16 });
    const noise = add('resu-noise', 500, 140, { name: 'noise sd 0.05', mode: 'add', sd: 0.05, snr: 0, signalSd: 1, seed: 3 });
    const learner = add('resu-cca', 680, 140, { name: 'CCA m=h=50', pastLags: 50, futureLags: 50, gap: 0, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, solveEveryPairs: 20000, learning: true, persist: false, store: '' });
    const filtersChart = chart(920, 100, 'filters ψ', filtersGroup, { label: 'ψ1–ψ3 (newest tap at lag 0)', width: 8, xAxisLabel: 'lag (samples)', yAxisLabel: 'tap', ymin: '', ymax: '' });
    const rhoChart = chart(920, 180, 'correlations ρ', rhoGroup, { label: 'ρk', width: 4, xAxisLabel: 'k', yAxisLabel: 'ρ', ymin: '0', ymax: '1' });
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
  text: 'Example 4 with layer 1 learning by the neuron-local online rule (docs/online-learning.md): one (past, future) pair at a time, O(k·(m + h)) work and memory per pair, no moment matrices. The learner sends its current filters every 2000 pairs, so L1/L3 and the T4 units work from the first second on while the filters converge; the scanners are paced (one chunk of 100 samples of 8 pixels per 100 ms, 8000 pairs/s) so you can watch it in the ReSU sidebar.',
}, (nodes, byName) => {
  const [learner] = byName('layer 1 CCA');
  Object.assign(learner, { name: 'layer 1, online rule', rule: 'online', learningRate: 1, solveEveryPairs: 2000 });
  for (const scanner of nodes.filter((n) => n.type === 'resu-scanner')) Object.assign(scanner, { chunkLength: 100, intervalMs: 100 });
  const [first, second] = nodes.filter((n) => n.type === 'comment');
  Object.assign(first, {
    name: '1. Click "train", open the ReSU sidebar and pick "layer 1, online rule": ψ1, ψ2 and the learning curve update live',
    info: 'Layer 1 learns online from the rightward scanner (m = h = 50, rule online, rate 1: the core defaults) and sends its filters every 2000 pairs. The sidebar\'s learning curve plots ρ1, ρ2 and how far each filter still turns between solves (1 − |cos|). In the test run ψ1 and ψ2 had a cosine of 0.96 with the exact batch filters after about 5000 pooled pairs and 0.99 after about 15 000, the first two seconds at this pace; the learning curve shows the rest. Each T4 pools triplets of adjacent pixels (delay 5, second canonical direction) as in example 4. Set the scanners\' interval to 0 to run as fast as the CPU allows.',
  });
  Object.assign(second, { name: '2. After training ("finished" under the scanners, 2.5 minutes or more), click "probe": edges in the preferred and null directions → DSI' });
});

// Issue 20 (docs/motion-2d.md): 2-D motion (T4a–d) and two T4 units learning from both directions
Object.assign(examples, require('./examples-motion2d')({ flow, wire }));

const dir = path.resolve(__dirname, '..', 'examples');
fs.mkdirSync(dir, { recursive: true });
for (const [name, nodes] of Object.entries(examples)) {
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(nodes, null, 2)}\n`);
}
