'use strict';
/**
 * One run of the two-layer circuit in the real Node-RED runtime, in a fresh process (so maxRSS is
 * this run's peak). Started by bench/flow.js with fork(); the job file names the temp userDir
 * (flows.json + node_modules/<this package> symlink), the node ids and the filters message.
 * Reports one result object over IPC; Node-RED's own log lines go to stdout, which the parent
 * routes to stderr.
 */
const http = require('http');
const fs = require('fs');
const path = require('path');
const v8 = require('v8');

const round1 = (x) => Math.round(x * 10) / 10;

const MB = 1048576;
/** Current RSS in MB; null where the runtime cannot tell (qemu-user emulation reports 0). */
const rssMB = () => process.memoryUsage().rss / MB || null;
/** CPU time (user + system) in ms since `from` (a process.cpuUsage() reading). */
const cpuMs = (from) => { const d = process.cpuUsage(from); return (d.user + d.system) / 1000; };

/** CPU used over `ms` of wall time in which nothing is asked of the runtime (a timer wakes us at the end). */
async function idleCpu(ms) {
  const start = process.cpuUsage(), t0 = process.hrtime.bigint();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const used = cpuMs(start);
  return { wallS: wallMs / 1000, cpuMs: used, cpuPercent: (100 * used) / wallMs };
}

async function main() {
  const job = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  // where the resident memory goes, stage by stage (RSS in MB)
  const memory = { nodeBaselineMB: rssMB() };
  const RED = require('node-red');
  memory.nodeRedModulesMB = rssMB();
  const server = http.createServer();
  RED.init(server, {
    userDir: job.userDir,
    flowFile: 'flows.json',
    credentialSecret: false,
    httpAdminRoot: false,
    httpNodeRoot: false,
    disableEditor: true,
    nodesDir: [path.join(__dirname, 'nodes')],
    logging: { console: { level: process.env.BENCH_LOG || 'warn', metrics: false, audit: false } },
    editorTheme: { tours: false },
  });
  const started = new Promise((resolve) => RED.events.once('flows:started', resolve));
  await RED.start();
  await started;
  memory.flowDeployedMB = rssMB();
  const scanner = RED.nodes.getNode(job.scannerId);
  const t4 = RED.nodes.getNode(job.t4Id);
  if (!scanner || !t4) throw new Error('flow did not start: scanner or T4 missing');
  t4.receive(job.filtersMessage);
  const afterLoad = process.memoryUsage().rss;
  // idle: the two-layer flow deployed, no source running
  const idle = await idleCpu(job.idleMs ?? 0);
  let peakHeap = 0;
  const sampler = setInterval(() => { peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed); }, 50);
  const timeline = [];
  // the clock starts once the warm-up samples have reached the sink (JIT-compiled by then)
  const result = await new Promise((resolve) => {
    let start = job.warmupSamples > 0 ? null : process.hrtime.bigint(), cpuStart = start === null ? null : process.cpuUsage();
    let last = null, startSamples = 0;
    let nextMark = 0.1;
    process.resuBenchSink = (info) => {
      if (info.samples >= nextMark * job.expectedSamples) {
        timeline.push(Math.round(process.memoryUsage().rss / 1048576));
        while (nextMark * job.expectedSamples <= info.samples) nextMark += 0.1;
      }
      if (process.env.BENCH_LOG) process.stderr.write(`sink ${JSON.stringify(info)}\n`);
      last = info;
      if (start === null && info.samples >= job.warmupSamples) { start = process.hrtime.bigint(); cpuStart = process.cpuUsage(); startSamples = info.samples; }
      if (info.samples >= job.expectedSamples) {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        resolve({ seconds, cpuMs: cpuMs(cpuStart), ...last, timedSamples: info.samples - startSamples });
      }
    };
    scanner.receive({ command: 'start' });
  });
  clearInterval(sampler);
  const usage = process.resourceUsage();
  memory.runningPeakMB = usage.maxRSS / 1024;
  // idle again once the source has stopped (any timer left running by a node shows here)
  const idleAfterRun = await idleCpu(job.idleMs ?? 0);
  // V8's committed spaces at the end: new_space is the young generation (--max-semi-space-size)
  memory.heapSpacesMB = Object.fromEntries(v8.getHeapSpaceStatistics().filter((s) => s.space_size > 0).map((s) => [s.space_name, round1(s.space_size / MB)]));
  const timedSimulatedS = result.timedSamples * job.dtS;
  const report = {
    simulatedS: job.durationS,
    warmupS: job.warmupS,
    timedSimulatedS,
    wallS: result.seconds,
    realTimeFactor: timedSimulatedS / result.seconds,
    cpuMsPerSimulatedS: result.cpuMs / timedSimulatedS,
    idle,
    idleAfterRun,
    memory,
    rssMB: usage.maxRSS / 1024,
    rssAfterLoadMB: afterLoad / (1024 * 1024),
    peakHeapMB: peakHeap / (1024 * 1024),
    t4Samples: result.samples,
    t4Messages: result.messages,
    t4Channels: result.channels,
  };
  // live heap after a full collection: equal for short and long runs when nothing accumulates
  if (typeof global.gc === 'function') { global.gc(); report.heapAfterGcMB = process.memoryUsage().heapUsed / 1048576; }
  report.rssTimelineMB = timeline;
  await RED.stop();
  process.send(report, () => process.exit(0));
}

main().catch((err) => {
  process.stderr.write(`flow-child: ${err && err.stack || err}\n`);
  process.exit(1);
});
