#!/usr/bin/env node
/**
 * The table in docs/motion-2d.md (§ Both directions): how often two T4 units trained on motion in
 * both directions end up opposite-selective, for each variant of gated plasticity
 * (core/t4Plasticity.ts) and the authors' mirrored moments, over seeds 1 … N.
 *
 *   npm run -s build && node scripts/bidirectional-variants.js [--seeds 10] [--row-stride 4]
 *
 * One built-in dead-leaves panorama, layer 1 learned on it once; each seed changes the noise of the
 * training stream and the units' perturbations. Prints one line per variant: the two units' DSI
 * (R_right − R_left)/(R_right + R_left) per seed, '*' where they are opposite-selective, and the count.
 */
'use strict';
const path = require('path');
const experiments = require(path.join(__dirname, '..', 'dist', 'core', 'experiments'));

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
};
const seeds = arg('--seeds', 10), rowStride = arg('--row-stride', 4);
const scenes = [experiments.builtInScene(568047)];
const layer = experiments.learnLayerOne(scenes, { rowStride, seed: 3 });
const variants = [
  ['mirrored moments (authors)', (r) => r.mirrored],
  ['gated per pair, closest direction', (r) => r.gated],
  ['gated per episode, second direction', (r) => r.gatedEpisode],
];
const lines = variants.map(() => []), counts = variants.map(() => 0);
const signed = (x) => (Math.abs(x) < 0.005 ? '0.00' : `${x > 0 ? '+' : ''}${x.toFixed(2)}`);
for (let seed = 1; seed <= seeds; seed++) {
  const result = experiments.runBidirectionalExperiment(scenes, layer, { rowStride, seed });
  variants.forEach(([, pick], v) => {
    const scheme = pick(result);
    lines[v].push(`${scheme.units.map((u) => signed(u.dsi)).join('/')}${scheme.oppositeSelective ? '*' : ''}`);
    if (scheme.oppositeSelective) counts[v]++;
  });
}
variants.forEach(([name], v) => process.stdout.write(`${name.padEnd(38)} ${counts[v]}/${seeds} opposite   ${lines[v].join(' ')}\n`));
