'use strict';
/**
 * Preload (node --require) for a flow child: wall time spent in the main stages of the circuit,
 * printed to stderr at exit. Use: BENCH_NODE_FLAGS="--require ./bench/breakdown.js" node bench/flow.js 60
 */
const path = require('path');
const ROOT = path.resolve(__dirname, '..');
const messages = require(path.join(ROOT, 'dist/nodes/shared/messages.js'));
const core = require(path.join(ROOT, 'dist/core/index.js'));
const util = require(require.resolve('@node-red/util', { paths: [require.resolve('node-red', { paths: [ROOT] })] })).util;

const stats = {};
function wrap(owner, name, label) {
  const original = owner[name];
  stats[label] = { ms: 0, calls: 0 };
  owner[name] = function (...args) {
    const start = process.hrtime.bigint();
    try { return original.apply(this, args); } finally {
      stats[label].ms += Number(process.hrtime.bigint() - start) / 1e6;
      stats[label].calls++;
    }
  };
}
wrap(core.Scanner.prototype, 'next', 'scanner: Scanner.next');
wrap(core.WhiteNoise.prototype, 'add', 'noise: WhiteNoise.add (ziggurat)');
wrap(messages, 'readChunkMessage', 'nodes: readChunkMessage (validate; Float64Array read in place)');
wrap(messages, 'writeChunkMessage', 'nodes: writeChunkMessage (new message, ChunkSamples views)');
wrap(util, 'cloneMessage', 'runtime: cloneMessage (derived messages\' small properties; fan-out copies)');
wrap(core.UnitBank.prototype, 'process', 'L1 + L3: UnitBank.process (50-tap FIR, WebAssembly SIMD)');
wrap(core.T4Layer.prototype, 'apply', 'T4: T4Layer.apply');
process.on('exit', () => {
  const rows = Object.entries(stats).map(([label, s]) => `${s.ms.toFixed(0).padStart(7)} ms ${String(s.calls).padStart(6)} calls  ${label}`);
  process.stderr.write(`[breakdown]\n${rows.join('\n')}\n`);
});
