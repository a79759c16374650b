'use strict';
// The two example flows of issue 20 (docs/motion-2d.md), used by scripts/build-examples.js:
// "2-D motion: T4a–d" and "Both directions: two opposite T4 units". Layout: both fit the canvas
// of a 1366×768 editor with the palette and the sidebar open (863 × 657 px). A T4 status runs ≈ 285 px
// right of the node's left edge (a gated one's ≈ 400 px), a unit's ≈ 256 px, the probe's ≈ 440–560 px:
// layer 1 fills the top band left to right, the T4 units sit in a band of their own below it, and the
// probe's row comes last (test/browser/examples.spec.ts checks the boxes with the flows running).

/** Built-in torus (256 × 256 pixels = 360° × 360°), scanned at the paper's 38.5 °/s (5/13 ° per 10 ms sample). */
const LATTICE_SCANNER = {
  source: 'deadLeaves', imagePath: '', fovDeg: 360, sceneWidth: 256, sceneHeight: 256, spacingDeg: 5, speedDegPerS: 38.5, dtS: 0.01,
  zScoreRows: true, loop: false, maxDurationS: 3600, intervalMs: 0, autoStart: false, pixels: 3, direction: 'right',
};
const LEARNER = { pastLags: 50, futureLags: 50, gap: 0, pooling: 'channels', channels: 1, center: false, timeConstantSamples: 0, ridge: 1e-10, learning: true, persist: false, store: '' };
const T4 = { delay: 5, component: 2, threshold: 0, thresholdQuantile: 0, ridge: 1e-10, learning: true, applying: true, persist: false, store: '' };
const EDGES_2D = {
  probe: 'edge', preferredDirection: 'right', pixels: 3, samplesPerSpacing: 5, segmentLength: 400, riseSamples: 20, segments: 4, noiseSd: 0.005,
  normalization: 'training', settleSamples: 50, chunkLength: 800, seed: 5, intervalMs: 0, spacingDeg: 5,
};

/** x of a node whose left edge is at `left` and which the editor draws `width` px wide (Node-RED places x at the centre; widths as measured in the editor). */
const at = (left, width) => left + width / 2;

module.exports = function motion2dExamples({ flow, wire }) {
  // an Inject whose button starts at `left` (the node is 100 px wide, its button 25 px left of it)
  const inject = (add, left, y, name) => add('inject', left + 75, y, {
    name, props: [{ p: 'payload' }], repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', payload: 'start', payloadType: 'str',
  });
  /** A one-line comment with its left edge at `left` (the editor sizes it to its text: ≈ 7.3 px per character + 50, in steps of 20). */
  const comment = (add, left, y, name, info) => add('comment', at(left, Math.max(100, 20 * Math.ceil((name.length * 7.3 + 50) / 20))), y, { name, info });
  const debug = (add, left, y, width, name) => add('debug', at(left, width), y, { name, active: true, tosidebar: true, console: false, tostatus: false, complete: 'payload', targetType: 'msg', statusVal: '', statusType: 'auto' });
  /**
   * Step 2 and 3 of both examples: an inject, the lattice probe (edges in 8 directions) wired into
   * the layer-1 units and back from the T4 nodes, a Debug node for its tuning message, and comments.
   */
  const probeSection = (add, nodes, { rows, columns, units, t4s, step2, step3 }) => {
    comment(add, 20, 500, step2[0], step2[1]);
    const start = inject(add, 20, 560, 'probe');
    const probe = add('resu-grating', at(170, 220), 560, {
      name: 'edges in 8 directions', ...EDGES_2D, lattice: 'square', rows, columns, directionsDeg: '0, 45, 90, 135, 180, 225, 270, 315',
    });
    // right of the probe's status line, which runs below the probe (≈ 440 px for four T4s, ≈ 560 for four named units)
    const result = debug(add, 660, 560, 160, 'tuning curves');
    comment(add, 20, 620, step3[0], step3[1]);
    wire(nodes, start, 0, probe);
    for (const unit of units) wire(nodes, probe, 0, unit);
    for (const t4 of t4s) wire(nodes, t4, 0, probe);
    wire(nodes, probe, 1, result);
  };
  const layerOne = (add, nodes, noise, learner, left, y1, y2) => {
    const l1 = add('resu-unit', at(left, 140), y1, { name: 'L1 (ON ψ2)', component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: '' });
    const l3 = add('resu-l3', at(left, 120), y2, { name: 'L3 (ψ1)', component: 1, signal: 'L3', taps: '' });
    for (const unit of [l1, l3]) { wire(nodes, noise, 0, unit); wire(nodes, learner, 0, unit); }
    return [l1, l3];
  };

  return {
    '8 2-D motion - T4a to T4d': flow('motion2d', {
      label: 'ReSU 8: 2-D motion, T4a–d',
      text: 'Issue 20 (docs/motion-2d.md): a 3 × 3 square pixel lattice (5° apart) scans the built-in dead-leaves torus in four directions. '
        + 'Layer 1 learns L1 and L3 from all of it; four T4 units pool triplets along the horizontal or the vertical axis, each trained on one direction: '
        + 'T4a on front-to-back motion (0°), T4b back-to-front (180°), T4c upward (90°), T4d downward (270°). '
        + 'A switch routes each scanner\'s series (named dir<θ>/path-<p>) to its unit and the probe\'s to all four.\n\n'
        + 'The probe then moves ON/OFF edges over the lattice in 8 directions; the ReSU sidebar tab (select the probe) draws each unit\'s tuning curve as a polar plot, with its vector DSI and preferred direction.',
    }, (add, nodes) => {
      comment(add, 20, 30, '1. Click "train": a 3 × 3 lattice scans the scene at 0°, 180°, 90° and 270°; layer 1 and T4a–d learn',
        'Each scanner sweeps 24 parallel paths of the 256 × 256 torus (936 samples each). Layer 1 (m = h = 50) learns from all four; the switch sends each direction (series dir<θ>/path-<p>) to its T4 and the probe\'s series to all four. Training takes about half a minute; each T4 status shows ρ2 after its solves.');
      const train = inject(add, 20, 175, 'train');
      const directions = [['T4a', 0, '→ 0°'], ['T4b', 180, '← 180°'], ['T4c', 90, '↑ 90°'], ['T4d', 270, '↓ 270°']];
      const scanners = directions.map(([, deg, label], i) => add('resu-scanner', at(170, 120), 100 + 50 * i, {
        name: label, ...LATTICE_SCANNER, lattice: 'square', rows: 3, columns: 3, directionDeg: deg, paths: 24, chunkLength: 936, seed: 1,
      }));
      const noise = add('resu-noise', at(350, 140), 175, { name: 'noise 0.05', mode: 'add', sd: 0.05, snr: 0, signalSd: 1, seed: 3 });
      const learner = add('resu-cca', at(350, 140), 90, { name: 'layer 1 CCA', ...LEARNER, solveEveryPairs: 100000 });
      const [l1, l3] = layerOne(add, nodes, noise, learner, 590, 120, 200);
      const rules = [...directions.map(([, deg]) => ({ t: 'regex', v: `^dir${deg}/`, vt: 'str', case: false })), { t: 'regex', v: '^probe/', vt: 'str', case: false }];
      // the T4 band: the switch on the left (room for the wires that come back to it), T4a/T4c and T4b/T4d in two columns
      const router = add('switch', at(60, 100), 410, { name: 'route', property: 'topic', propertyType: 'msg', rules, checkall: 'true', repair: false, outputs: rules.length });
      const units = directions.map(([name], i) => add('resu-t4', at(i % 2 === 0 ? 210 : 500, 100), i < 2 ? 375 : 440, {
        name, ...T4, pooling: i < 2 ? 'horizontal' : 'vertical', training: 'single', seed: 1, solveEveryPairs: 40000,
      }));
      probeSection(add, nodes, {
        rows: 3, columns: 3, units: [l1, l3], t4s: units,
        step2: ['2. When the four T4 statuses show ρ2, click "probe": ON/OFF edges move in 8 directions',
          'The probe chunks are marked train: false, so nothing learns from them. Its result (one message) lists each unit\'s tuning curve, vector DSI and preferred direction.'],
        step3: ['3. ReSU sidebar tab → select "edges in 8 directions": a polar plot per unit',
          'Expect each unit to prefer its training direction, with a vector DSI near 0.7 (docs/motion-2d.md).'],
      });
      directions.forEach((_, i) => wire(nodes, train, 0, scanners[i]));
      scanners.forEach((scanner) => wire(nodes, scanner, 0, noise));
      wire(nodes, noise, 0, learner);
      for (const unit of [l1, l3]) wire(nodes, unit, 0, router);
      units.forEach((unit, i) => { wire(nodes, router, i, unit); wire(nodes, router, 4, unit); });
    }),
    '9 Both directions - two opposite T4 units': flow('bidirectional', {
      label: 'ReSU 9: both directions, two T4 units',
      text: 'Issue 20 (docs/motion-2d.md, Both directions): one stream holds the scene moving front-to-back and back-to-front over a row of 8 pixels. '
        + 'Two T4 nodes with two units each learn from it: "mirrored" with the authors\' symmetric option (the moments plus those of the mirrored channel order; unit 2 is the mirror image of unit 1), '
        + '"gated" with our reading of the paper\'s proposal (each unit learns from pairs weighted by its own rectified output; the core runs its rounds over the kept training series at every solve).\n\n'
        + 'The probe moves edges in 8 directions; the ReSU sidebar tab shows the four units\' polar plots. Expect the mirrored units to be opposite-selective mirror images, and the gated ones to stay unselective (docs/motion-2d.md explains why).',
    }, (add, nodes) => {
      comment(add, 20, 30, '1. Click "train": the scene moves right and left over a row of 8 pixels; both T4 nodes learn from both',
        'Series are named dir0/path-<p> and dir180/path-<p>, so one layer-1 chain serves both directions. The gated T4 keeps the training series (at most 262 144 samples) for its rounds.');
      const train = inject(add, 20, 150, 'train');
      const scanners = [[0, '→ 0°'], [180, '← 180°']].map(([deg, label], i) => add('resu-scanner', at(170, 120), 125 + 50 * i, {
        name: label, ...LATTICE_SCANNER, lattice: 'square', rows: 1, columns: 8, directionDeg: deg, paths: 16, chunkLength: 936, seed: 1,
      }));
      const noise = add('resu-noise', at(350, 140), 200, { name: 'noise 0.05', mode: 'add', sd: 0.05, snr: 0, signalSd: 1, seed: 3 });
      const learner = add('resu-cca', at(350, 140), 90, { name: 'layer 1 CCA', ...LEARNER, solveEveryPairs: 60000 });
      const [l1, l3] = layerOne(add, nodes, noise, learner, 590, 120, 200);
      // the T4 band: the gated node's status adds what it keeps (≈ 400 px), so the weights go right of both
      const mirrored = add('resu-t4', at(210, 100), 370, { name: 'mirrored', ...T4, pooling: 'horizontal', training: 'mirrored', seed: 1, solveEveryPairs: 60000 });
      const gated = add('resu-t4', at(210, 100), 440, { name: 'gated', ...T4, pooling: 'horizontal', training: 'gated', seed: 1, solveEveryPairs: 60000 });
      const weights = debug(add, 620, 405, 120, 'weights');
      probeSection(add, nodes, {
        rows: 1, columns: 3, units: [l1, l3], t4s: [mirrored, gated],
        step2: ['2. When both T4 statuses show ρ2, click "probe": edges in 8 directions, every unit\'s tuning',
          'The probe chunks are marked train: false. The T4 weights messages say whether a node\'s two units are mirror images (t4.mirrorDeviation).'],
        step3: ['3. ReSU sidebar tab → the probe: polar plots of mirrored:1, mirrored:2, gated:1, gated:2',
          'Expect the mirrored units to prefer opposite directions with mirror-image weights, and the gated ones to stay unselective (docs/motion-2d.md explains why).'],
      });
      scanners.forEach((scanner) => { wire(nodes, train, 0, scanner); wire(nodes, scanner, 0, noise); });
      wire(nodes, noise, 0, learner);
      for (const unit of [l1, l3]) { wire(nodes, unit, 0, mirrored); wire(nodes, unit, 0, gated); }
      for (const t4 of [mirrored, gated]) wire(nodes, t4, 1, weights);
    }),
  };
};
