'use strict';
/**
 * The flow benchmark: scanner (64 pixels, dt = 1 ms) → noise → L1 (ReSU ON, ψ2) and L3 (ψ1) → T4
 * (fixed learned weights, applying) → a counting sink, in the real Node-RED runtime. The taps and
 * the T4 weights are learned here first with the core library (same scene, untimed), then given
 * to the flow as fixed taps (unit config) and a filters message (T4).
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { fork } = require('child_process');
const core = require(path.resolve(__dirname, '../dist/core'));
const { nodeCommand } = require(path.resolve(__dirname, '../dist/test/helpers/node-command'));

const ROOT = path.resolve(__dirname, '..');
const PACKAGE_NAME = require(path.join(ROOT, 'package.json')).name;

/** Learns ψ1, ψ2 (m = h = 50) on the scanned scene and the T4 weights (delay 5) from L1/L3. */
function learnCircuit({ pixels, dtS }) {
  const scene = core.toContrastImage(core.createDeadLeavesImage({ width: 1024, height: 16, seed: 1 }), { fovDeg: 360 });
  const scanner = new core.Scanner(scene, { pixels, spacingDeg: 5, dtS, direction: 'right', zScoreRows: true });
  const moments = new core.LaggedMoments({ pastLags: 50, futureLags: 50 });
  const noise = new core.WhiteNoise({ sd: 0.05, seed: 3 });
  const rows = [];
  for (let chunk = scanner.next(1000); chunk; chunk = scanner.next(1000)) {
    chunk = { ...chunk, channels: noise.add(chunk.channels) };
    rows.push(chunk);
    for (let p = 0; p < pixels; p++) moments.update(chunk.channels[p], `${chunk.series}/${p}`);
    if (chunk.endOfSeries) for (let p = 0; p < pixels; p++) moments.endSeries(`${chunk.series}/${p}`);
  }
  const fit = core.solvePastFutureCca(moments);
  const psi1 = Array.from(fit.pastFilters[0]), psi2 = Array.from(fit.pastFilters[1]);
  const l1 = new core.UnitBank({ polarity: 'on' }); l1.setFilter(psi2);
  const l3 = new core.UnitBank({ polarity: 'linear' }); l3.setFilter(psi1);
  const t4 = new core.T4Layer({ delay: 5, component: 2 });
  for (const chunk of rows) {
    const opts = { end: chunk.endOfSeries };
    const a = l1.process(chunk.channels, chunk.series, opts), b = l3.process(chunk.channels, chunk.series, opts);
    t4.learn(b, a, chunk.series, opts);
  }
  const t4Fit = t4.solve();
  return { psi1, psi2, t4FitJSON: core.fitToJSON(t4Fit.fit), rho: Array.from(fit.correlations.slice(0, 3)) };
}

function buildFlow({ pixels, dtS, durationS, chunkLength, psi1, psi2 }) {
  const z = 'bench-tab';
  return [
    { id: z, type: 'tab', label: 'bench: two-layer circuit' },
    { id: 'n-scanner', z, type: 'resu-scanner', name: 'scene → right', source: 'deadLeaves', imagePath: '', fovDeg: 360, pixels, spacingDeg: 5,
      speedDegPerS: 0, direction: 'right', dtS, chunkLength, seed: 1, zScoreRows: true, loop: true, maxDurationS: durationS, intervalMs: 0,
      autoStart: false, sceneWidth: 1024, sceneHeight: 16, wires: [['n-noise']] },
    { id: 'n-noise', z, type: 'resu-noise', name: 'noise', mode: 'add', sd: 0.05, snr: 0, signalSd: 1, seed: 3, wires: [['n-l1', 'n-l3']] },
    { id: 'n-l1', z, type: 'resu-unit', name: 'L1', component: 2, polarity: 'on', threshold: 0, signal: 'L1', taps: JSON.stringify(psi2), wires: [['n-t4']] },
    { id: 'n-l3', z, type: 'resu-l3', name: 'L3', component: 1, signal: 'L3', taps: JSON.stringify(psi1), wires: [['n-t4']] },
    { id: 'n-t4', z, type: 'resu-t4', name: 'T4a', delay: 5, component: 2, threshold: 0, ridge: 1e-10, learning: false, applying: true,
      solveEveryPairs: 0, persist: false, store: '', wires: [['n-sink'], []] },
    { id: 'n-sink', z, type: 'bench-sink', name: 'count', wires: [] },
  ];
}

/**
 * Runs one flow in a fresh child process; resolves with its report. The scanner runs for
 * warmupS + durationS simulated seconds; the clock covers the last durationS (after JIT warm-up),
 * peak RSS the whole run.
 */
function runFlowOnce(circuit, { pixels = 64, dtS = 0.001, durationS, warmupS = 10, chunkLength = 1000, nodeFlags = [], idleMs = 0 }) {
  const userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'resu-bench-'));
  fs.mkdirSync(path.join(userDir, 'node_modules', ...PACKAGE_NAME.split('/').slice(0, -1)), { recursive: true });
  fs.symlinkSync(ROOT, path.join(userDir, 'node_modules', PACKAGE_NAME), 'dir');
  const totalS = durationS + warmupS;
  fs.writeFileSync(path.join(userDir, 'flows.json'), JSON.stringify(buildFlow({ pixels, dtS, durationS: totalS, chunkLength, ...circuit })));
  const job = {
    userDir, durationS, warmupS, dtS, scannerId: 'n-scanner', t4Id: 'n-t4',
    idleMs,
    warmupSamples: Math.floor(warmupS / dtS),
    expectedSamples: Math.floor(totalS / dtS),
    filtersMessage: { topic: 'T4 weights', payload: circuit.t4FitJSON },
  };
  const jobFile = path.join(userDir, 'job.json');
  fs.writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const execArgv = ['--expose-gc', ...nodeFlags, ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []), ...(process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : [])];
    // RESU_TEST_NODE (e.g. qemu-aarch64-static -L / node): the child runs on that command
    const [execPath, ...lead] = nodeCommand();
    const child = fork(path.join(__dirname, 'flow-child.js'), [jobFile], { stdio: ['ignore', 2, 2, 'ipc'], execPath, execArgv: [...lead, ...execArgv] });
    let report = null;
    child.on('message', (message) => { report = message; });
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.rmSync(userDir, { recursive: true, force: true });
      if (code === 0 && report) resolve(report); else reject(new Error(`flow child exited with code ${code}`));
    });
  });
}

module.exports = { learnCircuit, buildFlow, runFlowOnce };

if (require.main === module) {
  (async () => {
    const durationS = Number(process.argv[2] || 20);
    const circuit = learnCircuit({ pixels: 64, dtS: 0.001 });
    process.stderr.write(`learned: rho ${circuit.rho.map((r) => r.toFixed(3)).join(', ')}\n`);
    console.log(JSON.stringify(await runFlowOnce(circuit, { durationS }), null, 2));
  })().catch((err) => { console.error(err); process.exit(1); });
}
