'use strict';
/**
 * Kernel benchmarks over the compiled core (dist/core): lagged moments, the T4 moments, one CCA
 * solve, a 50-tap FIR. Each figure is the median of `runs` timed runs after `warmup` untimed ones.
 * Exported for scripts/bench.js; `node bench/kernels.js [name]` prints one kernel's JSON.
 */
const path = require('path');
const core = require(path.resolve(__dirname, '../dist/core'));

/** Seeded white noise + AR(1) colouring, so the data are not trivially zero or periodic. */
function signal(n, seed = 1, channels = 1) {
  const rng = new core.Random(seed);
  return Array.from({ length: channels }, () => {
    const out = new Float64Array(n);
    let y = 0;
    for (let i = 0; i < n; i++) { y = 0.9 * y + rng.gaussian(); out[i] = y; }
    return out;
  });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs fn() warmup + runs times; returns the median wall time in seconds of the timed runs. */
function timeMedian(fn, { warmup = 1, runs = 5 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { seconds: median(times), all: times };
}

const CHUNK = 1000;

function chunked(channels, chunk, fn) {
  const n = channels[0].length;
  for (let start = 0; start < n; start += chunk) fn(channels.map((c) => c.subarray(start, Math.min(n, start + chunk))));
}

function momentsBench({ samples = 1e6, algorithm = 'auto', runs = 5, warmup = 1 } = {}) {
  const data = signal(samples, 1);
  let pairs = 0;
  const t = timeMedian(() => {
    const acc = new core.LaggedMoments({ pastLags: 50, futureLags: 50, algorithm });
    chunked(data, CHUNK, (c) => acc.update(c[0]));
    acc.moments();
    pairs = acc.pairs;
  }, { runs, warmup });
  return { samples, pastLags: 50, futureLags: 50, chunk: CHUNK, algorithm, pairs, seconds: t.seconds, samplesPerSecond: samples / t.seconds };
}

function moments6Bench({ samples = 1e6, algorithm = 'auto', runs = 5, warmup = 1 } = {}) {
  const data = signal(samples, 2, 6);
  let used = '';
  const t = timeMedian(() => {
    const acc = new core.LaggedMoments({ channels: 6, pastLags: 1, futureLags: 1, gap: 4, algorithm });
    chunked(data, CHUNK, (c) => acc.update(c));
    acc.moments();
    used = acc.algorithm;
  }, { runs, warmup });
  return { samples, channels: 6, pastLags: 1, futureLags: 1, gap: 4, chunk: CHUNK, algorithm: used, seconds: t.seconds, samplesPerSecond: samples / t.seconds };
}

function solveBench({ runs = 7, warmup = 2 } = {}) {
  const acc = new core.LaggedMoments({ pastLags: 50, futureLags: 50 });
  acc.update(signal(2e5, 3)[0]);
  let fit;
  const t = timeMedian(() => { fit = core.solvePastFutureCca(acc); }, { runs, warmup });
  return { pastLags: 50, futureLags: 50, ms: t.seconds * 1e3, rho1: fit.correlations[0] };
}

function filterBench({ samples = 1e7, taps = 50, runs = 5, warmup = 1 } = {}) {
  const data = signal(samples, 4)[0];
  const rng = new core.Random(5);
  const tapValues = Float64Array.from({ length: taps }, () => rng.gaussian());
  let checksum = 0;
  const t = timeMedian(() => {
    const filter = new core.FirFilter(tapValues, 1);
    checksum = 0;
    for (let start = 0; start < samples; start += CHUNK) {
      const out = filter.process(data.subarray(start, start + CHUNK))[0];
      checksum += out[0];
    }
  }, { runs, warmup });
  const kernel = require(path.resolve(__dirname, '../dist/core/wasm/fir')).wasmFirAvailable() ? 'wasm-simd' : 'javascript';
  return { samples, taps, chunk: CHUNK, kernel, seconds: t.seconds, samplesPerSecond: samples / t.seconds, checksum };
}

/**
 * The online rule (issue 19, core/onlineCca.ts), k = 2 units, m = h = 50, default options: the
 * per-sample cost of learning ψ1 and ψ2 without moment matrices (10⁵ samples in chunks of 1000).
 */
function onlineBench({ samples = 1e5, rank = 2, runs = 5, warmup = 1 } = {}) {
  const data = signal(samples, 6)[0];
  let pairs = 0, rho1 = 0;
  const t = timeMedian(() => {
    const learner = new core.OnlinePastFutureCca({ pastLags: 50, futureLags: 50, rank });
    chunked([data], CHUNK, (c) => learner.update(c[0]));
    pairs = learner.pairs;
    rho1 = learner.fit().correlations[0];
  }, { runs, warmup });
  return { samples, pastLags: 50, futureLags: 50, rank, chunk: CHUNK, pairs, seconds: t.seconds, samplesPerSecond: samples / t.seconds, microsecondsPerSample: (t.seconds / samples) * 1e6, rho1 };
}

function filterReferenceBench({ samples = 1e7, taps = 50, runs = 3, warmup = 1 } = {}) {
  const { ReferenceFir } = require('./reference');
  const data = signal(samples, 4)[0];
  const rng = new core.Random(5);
  const tapValues = Float64Array.from({ length: taps }, () => rng.gaussian());
  let checksum = 0;
  const t = timeMedian(() => {
    const filter = new ReferenceFir(tapValues);
    checksum = 0;
    for (let start = 0; start < samples; start += CHUNK) checksum += filter.process(data.subarray(start, start + CHUNK))[0];
  }, { runs, warmup });
  return { samples, taps, chunk: CHUNK, seconds: t.seconds, samplesPerSecond: samples / t.seconds, checksum };
}

/** Like timeMedian, on this process's CPU time (user + system): steadier than wall time on a loaded machine. */
function cpuMedian(fn, { warmup = 1, runs = 5 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    fn();
    const used = process.cpuUsage(start);
    times.push((used.user + used.system) / 1e6);
  }
  return { seconds: median(times), all: times };
}

/**
 * Learned memory (issue 18): the cost of `pastLags: 'auto'` against a fixed past length, through
 * PastFutureLearner (one pooled channel, h = 50, chunks of 1000): fixed m = 50 vs auto with P = 200
 * (moments at 200 lags + the autocovariance up to lag 249), the autocovariance alone, and one solve
 * each (auto = autocovariance read-out + Levinson–Durbin + I(m) + the CCA at the chosen m).
 * With forgetting (τ = 10⁴) the moments use the direct algorithm, O((P + h)²) per pair: timed on
 * fewer samples, for P = 200 and P = 60. Times are CPU seconds of this (single-threaded) process.
 */
function memoryBench({ samples = 1e6, forgettingSamples = 5e4, runs = 5, warmup = 1 } = {}) {
  const data = signal(samples, 6)[0];
  const rate = (make, n = samples) => {
    let learner;
    const t = cpuMedian(() => {
      learner = make();
      for (let start = 0; start < n; start += CHUNK) learner.update(data.subarray(start, start + CHUNK));
    }, { runs, warmup });
    return { samplesPerSecond: n / t.seconds, learner };
  };
  const fixed = rate(() => new core.PastFutureLearner({ pastLags: 50, futureLags: 50 }));
  const auto = rate(() => new core.PastFutureLearner({ pastLags: 'auto', futureLags: 50 }));
  const autocovariance = rate(() => new core.StreamingAutocovariance({ maxLag: core.memoryAutocovarianceLags(200, 50) }));
  const solveFixed = cpuMedian(() => fixed.learner.solve(), { runs: 7, warmup: 2 });
  let chosen = 0;
  const solveAuto = cpuMedian(() => { chosen = auto.learner.solve().pastLags; }, { runs: 7, warmup: 2 });
  const estimate = cpuMedian(() => auto.learner.estimateMemory(), { runs: 7, warmup: 2 });
  const forgetting = (pastLags, maxPastLags) => rate(() => new core.PastFutureLearner({ pastLags, futureLags: 50, timeConstantSamples: 1e4, memory: { maxPastLags } }), forgettingSamples).samplesPerSecond;
  const fixedForgetting = forgetting(50, 200);
  const ns = (perSecond) => 1e9 / perSecond;
  return {
    clock: 'cpu', futureLags: 50, fixedPastLags: 50, maxPastLags: 200, samples, chunk: CHUNK, chosenPastLags: chosen,
    fixed: { samplesPerSecond: fixed.samplesPerSecond, nsPerSample: ns(fixed.samplesPerSecond), solveMs: solveFixed.seconds * 1e3 },
    auto: { samplesPerSecond: auto.samplesPerSecond, nsPerSample: ns(auto.samplesPerSecond), solveMs: solveAuto.seconds * 1e3, estimateMemoryMs: estimate.seconds * 1e3 },
    autocovarianceOnly: { samplesPerSecond: autocovariance.samplesPerSecond, nsPerSample: ns(autocovariance.samplesPerSecond), lags: core.memoryAutocovarianceLags(200, 50) + 1 },
    overheadNsPerSample: ns(auto.samplesPerSecond) - ns(fixed.samplesPerSecond),
    autoVsFixed: fixed.samplesPerSecond / auto.samplesPerSecond,
    forgetting: {
      timeConstantSamples: 1e4, samples: forgettingSamples,
      fixedSamplesPerSecond: fixedForgetting,
      autoP200SamplesPerSecond: forgetting('auto', 200),
      autoP60SamplesPerSecond: forgetting('auto', 60),
    },
  };
}

/**
 * The message screen every ReSU node runs before queueing (issue 13: depth, array lengths, size,
 * getters) next to reading the same chunk: a 64 × 1000 message of plain numbers (as JSON from MQTT
 * or a function node) and of Float64Arrays (as ReSU nodes send each other). ms per message.
 */
function screenBench({ messages = 200, runs = 5, warmup = 1 } = {}) {
  const { screenMessage, readChunkMessage } = require(path.resolve(__dirname, '../dist/nodes/shared/messages'));
  const typed = signal(1000, 6, 64);
  const plain = { payload: typed.map((c) => Array.from(c)), topic: 'row-0' };
  const typedMsg = { payload: typed, topic: 'row-0' };
  const per = (fn) => (timeMedian(() => { for (let i = 0; i < messages; i++) fn(); }, { runs, warmup }).seconds / messages) * 1e3;
  return {
    channels: 64, samples: 1000,
    screenPlainMs: per(() => screenMessage(plain)), readPlainMs: per(() => readChunkMessage(plain)),
    screenTypedMs: per(() => screenMessage(typedMsg)), readTypedMs: per(() => readChunkMessage(typedMsg)),
  };
}

module.exports = { filterReferenceBench, onlineBench, momentsBench, moments6Bench, solveBench, filterBench, memoryBench, screenBench, signal, median, timeMedian };

if (require.main === module) {
  const name = process.argv[2] || 'all';
  const all = { moments: momentsBench, filterReference: filterReferenceBench, momentsDirect: () => momentsBench({ algorithm: 'direct', samples: 2e5, runs: 3 }), moments6: moments6Bench, solve: solveBench, filter: filterBench, memory: memoryBench, online: onlineBench };
  const out = {};
  for (const [key, fn] of Object.entries(all)) if (name === 'all' || name === key) out[key] = fn();
  console.log(JSON.stringify(out, null, 2));
}
