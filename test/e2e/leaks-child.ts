/**
 * Child process of leaks.spec (run with --expose-gc): deploys a flow with every ReSU node type,
 * runs data through it, and redeploys it (full deploy, fresh node ids each time) many times.
 * Prints one JSON line: heapUsed after GC at each checkpoint, and the timers and listeners left.
 */
import * as assert from 'assert';
import { helper, nodeModules } from '../nodes/harness';

const REDEPLOYS = Number(process.argv[2] ?? 100);
const gc = (global as unknown as { gc?: () => void }).gc;

type AnyMsg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function flow(round: number): AnyMsg[] {
  const id = (name: string): string => `lk-${name}-r${round}`; // fresh ids: every node is removed, none reused
  return [
    { id: id('scanner'), type: 'resu-scanner', source: 'deadLeaves', pixels: 4, chunkLength: 100, maxDurationS: 3, dtS: 0.01, sceneWidth: 256, sceneHeight: 2, intervalMs: 0, wires: [[id('noise'), id('unit'), id('l3')]] },
    { id: id('noise'), type: 'resu-noise', mode: 'add', sd: 0.05, seed: 1, wires: [[id('cca'), id('sink')]] },
    { id: id('cca'), type: 'resu-cca', pastLags: 5, futureLags: 5, solveEveryPairs: 500, wires: [[], [], []] },
    { id: id('unit'), type: 'resu-unit', taps: '[0.6, 0.3, 0.1]', wires: [[id('t4')]] },
    { id: id('l3'), type: 'resu-l3', taps: '[0.5, -0.2]', wires: [[id('t4')]] },
    { id: id('t4'), type: 'resu-t4', delay: 2, solveEveryPairs: 300, wires: [[], []] },
    { id: id('grating'), type: 'resu-grating', probe: 'edge', pixels: 3, samplesPerSpacing: 2, segmentLength: 20, riseSamples: 2, segments: 2, chunkLength: 20, wires: [[], []] },
    { id: id('sink'), type: 'helper' },
  ];
}

function heapMb(): number {
  gc?.(); gc?.();
  return process.memoryUsage().heapUsed / 1048576;
}

function timers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'Timeout' || name === 'Immediate').length;
}

async function runRound(round: number): Promise<void> {
  const sink = helper.getNode(`lk-sink-r${round}`);
  const seen = new Promise<void>((resolve) => {
    let count = 0;
    sink.on('input', () => { if (++count === 3) resolve(); });
  });
  helper.getNode(`lk-scanner-r${round}`).receive({ command: 'start' });
  helper.getNode(`lk-grating-r${round}`).receive({ command: 'start' });
  await seen; // the scanner keeps streaming into the next redeploy: close must stop it
}

async function main(): Promise<void> {
  assert.ok(gc, 'run with --expose-gc');
  await new Promise<void>((resolve) => helper.startServer(resolve));
  const baseTimers = timers();
  const modules = nodeModules('resu-scanner', 'resu-noise', 'resu-cca', 'resu-unit', 'resu-l3', 'resu-t4', 'resu-grating');
  await new Promise<void>((resolve) => helper.load(modules, flow(0), () => resolve()));
  const events = helper._events as { listenerCount(name: string): number; eventNames(): (string | symbol)[] };
  const listeners = (): number => events.eventNames().reduce((n, name) => n + events.listenerCount(name as string), 0);
  await runRound(0);
  const samples: { round: number; heapMb: number }[] = [];
  let baseListeners = 0;
  for (let round = 1; round <= REDEPLOYS; round++) {
    await helper.setFlows(flow(round), 'full');
    await runRound(round);
    helper._sandbox.resetHistory(); // the helper's spies record every send/status/log call: not ours to keep
    if (round === 1) baseListeners = listeners();
    if (round === 10 || round % 25 === 0) samples.push({ round, heapMb: heapMb() });
  }
  await helper._redNodes.stopFlows();
  // our timers: status throttle (500 ms), checkpoints, source pacing; 100 ms lets in-flight deliveries settle
  await new Promise((r) => setTimeout(r, 100));
  const timersAfterStop = timers();
  const result = {
    redeploys: REDEPLOYS, samples,
    growthMb: samples[samples.length - 1].heapMb - samples[0].heapMb,
    timersAfterStop, baseTimers,
    listenersGrowth: listeners() - baseListeners,
    processListeners: process.listenerCount('uncaughtException') + process.listenerCount('unhandledRejection'),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await helper.unload();
  await new Promise<void>((resolve) => helper.stopServer(resolve));
}

main().then(() => process.exit(0), (err) => { process.stderr.write(`${err?.stack ?? err}\n`); process.exit(1); });
