/**
 * Restarts (issue 8), end to end: a real Node-RED process with a `localfilesystem` context store and
 * persisting resu-cca / resu-t4 nodes is fed chunks over HTTP and killed with SIGKILL in the middle
 * of learning. Started again on the same user directory, both resume from the last checkpoint the
 * store flushed: the restored statistics are, bit for bit, those of the first K chunks for some K,
 * at most (checkpoint + flush interval) of input older than the kill; learning then continues as if
 * never interrupted. Corrupt, truncated or mismatched persisted state gives a warning and a fresh
 * start, never a crash.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { PastFutureLearner, Random, T4Layer } from '../../core';
import { Managed, startNodeRed } from './processes';

const CHECKPOINT_S = 0.5;
const FLUSH_S = 1;
const CHUNK = 200;
const PAST = 3, FUTURE = 2, DELAY = 1, PIXELS = 3;
const SETTINGS = `contextStorage: { default: { module: 'localfilesystem', config: { flushInterval: ${FLUSH_S} } } }`;
const CCA_KEY = 'resu-cca-state', T4_KEY = 'resu-t4-state';

function flow(): unknown[] {
  return [
    { id: 'flow-1', type: 'tab', label: 'restart' },
    { id: 'feed-in', type: 'http in', z: 'flow-1', url: '/feed', method: 'post', upload: false, swaggerDoc: '', wires: [['feed-unwrap', 'feed-ok']] },
    { id: 'feed-ok', type: 'http response', z: 'flow-1', statusCode: '', headers: {}, wires: [] },
    {
      id: 'feed-unwrap', type: 'function', z: 'flow-1', outputs: 2, noerr: 0, initialize: '', finalize: '', libs: [],
      func: 'const body = msg.payload;\nconst out = { payload: body.payload, chunk: body.chunk, topic: body.chunk.series };\nreturn body.target === "t4" ? [null, out] : [out, null];',
      wires: [['rs-learner'], ['rs-t4']],
    },
    { id: 'rs-learner', type: 'resu-cca', z: 'flow-1', pastLags: PAST, futureLags: FUTURE, solveEveryPairs: 0, persist: true, store: '', checkpointS: CHECKPOINT_S, wires: [[], [], []] },
    { id: 'rs-t4', type: 'resu-t4', z: 'flow-1', delay: DELAY, solveEveryPairs: 0, persist: true, store: '', checkpointS: CHECKPOINT_S, wires: [[], []] },
  ];
}

/** The seeded streams: chunk i of the learner's series and of the T4 row (L1 and L3). */
function streams(count: number) {
  const rng = new Random(808);
  const cca: number[][] = [], l1: number[][][] = [], l3: number[][][] = [];
  let y = 0;
  for (let i = 0; i < count; i++) {
    cca.push(Array.from({ length: CHUNK }, () => (y = 0.8 * y + rng.gaussian())));
    l1.push(Array.from({ length: PIXELS }, () => Array.from({ length: CHUNK }, () => rng.gaussian())));
    l3.push(Array.from({ length: PIXELS }, () => Array.from({ length: CHUNK }, () => rng.gaussian())));
  }
  return { cca, l1, l3 };
}

async function post(port: number, pathName: string, body: unknown): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${pathName}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function sendChunk(port: number, data: ReturnType<typeof streams>, i: number): Promise<void> {
  const start = i * CHUNK;
  const responses = await Promise.all([
    post(port, '/feed', { target: 'cca', payload: data.cca[i], chunk: { series: 'r0', startSample: start } }),
    post(port, '/feed', { target: 't4', payload: data.l1[i], chunk: { series: 't0', startSample: start, signal: 'L1' } }),
    post(port, '/feed', { target: 't4', payload: data.l3[i], chunk: { series: 't0', startSample: start, signal: 'L3' } }),
  ]);
  for (const r of responses) { if (r.status !== 200) throw new Error(`feed: HTTP ${r.status}`); await r.text(); }
}

async function state(port: number, id: string): Promise<Record<string, any>> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`http://127.0.0.1:${port}/resu/nodes/${id}/state`);
  if (response.status !== 200) throw new Error(`state ${id}: HTTP ${response.status}`);
  return response.json() as Promise<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function contextFile(userDir: string, nodeId: string): string {
  return path.join(userDir, 'context', 'flow-1', `${nodeId}.json`);
}

function persisted(userDir: string, nodeId: string, key: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const file = contextFile(userDir, nodeId);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8'))[key] : undefined;
}

/** Core learner and T4 layer fed chunks [0, n) as the nodes feed them (T4 restarts its row at `restartsAt`). */
function reference(data: ReturnType<typeof streams>, n: number, restartsAt: number[] = []) {
  const learner = new PastFutureLearner({ pastLags: PAST, futureLags: FUTURE });
  const layer = new T4Layer({ delay: DELAY });
  for (let i = 0; i < n; i++) {
    learner.update([data.cca[i]], 'r0');
    layer.learn(data.l3[i].map((c) => Float64Array.from(c)), data.l1[i].map((c) => Float64Array.from(c)), 't0', { restart: i === 0 || restartsAt.includes(i) });
  }
  return { learner, layer };
}

/**
 * Same state: counts, options and open-series tails exactly, sums to 1e-12 relative. Not bit for
 * bit: the lagged accumulator keeps per-series partial sums and folds them in when the state is
 * read (toJSON), so a checkpoint taken mid-stream regroups the additions (round-off only).
 */
function sameState(actual: unknown, expected: unknown, where = 'state'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const scale = Math.max(1, Math.abs(expected));
    if (!(Math.abs(actual - expected) <= 1e-12 * scale)) throw new assert.AssertionError({ message: `${where}: ${actual} ≠ ${expected}`, actual, expected });
    return;
  }
  if (Array.isArray(expected) || (typeof expected === 'object' && expected !== null)) {
    assert.ok(typeof actual === 'object' && actual !== null, `${where}: ${JSON.stringify(actual)} is not an object`);
    const keys = Object.keys(expected as object);
    assert.deepStrictEqual(Object.keys(actual as object), keys, `${where}: keys`);
    for (const key of keys) sameState((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${where}.${key}`);
    return;
  }
  assert.strictEqual(actual, expected, where);
}

/** The K whose first K chunks give this persisted state (matched by counts, then compared), or −1. */
function matchingPrefix(data: ReturnType<typeof streams>, sent: number, saved: any, of: 'learner' | 'layer'): number { // eslint-disable-line @typescript-eslint/no-explicit-any
  const learner = new PastFutureLearner({ pastLags: PAST, futureLags: FUTURE });
  const layer = new T4Layer({ delay: DELAY });
  for (let k = 0; k <= sent; k++) {
    const current = of === 'learner' ? learner.toJSON() : layer.toJSON();
    if (current.moments.samplesSeen === saved.moments.samplesSeen && current.moments.pairs === saved.moments.pairs) {
      sameState(saved, JSON.parse(JSON.stringify(current)), of);
      return k;
    }
    if (k === sent) break;
    learner.update([data.cca[k]], 'r0');
    layer.learn(data.l3[k].map((c) => Float64Array.from(c)), data.l1[k].map((c) => Float64Array.from(c)), 't0', { restart: k === 0 });
  }
  return -1;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls (a real process: its queues drain on their own time) until `check` holds; 30 s at most. */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; !(await check()); tries++) {
    if (tries > 600) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('restarts: persisted statistics survive SIGKILL (real Node-RED, localfilesystem store)', function () {
  this.timeout(180000);
  let running: Managed | null = null;
  afterEach(async function () { await running?.stop(); running = null; });

  /** Starts Node-RED, learns from the first five chunks, stops it; returns its user directory. */
  async function learnAndStop(data: ReturnType<typeof streams>): Promise<string> {
    const first = await startNodeRed(flow(), SETTINGS);
    running = first;
    for (let i = 0; i < 5; i++) await sendChunk(first.port, data, i);
    // the HTTP replies come before the nodes have learned: stopping earlier would drop queued
    // chunks (close completes them unprocessed), and the "kept their state" checks would race
    await until(async () => (await state(first.port, 'rs-learner')).samplesSeen === 5 * CHUNK && (await state(first.port, 'rs-t4')).pairs === 5 * CHUNK - DELAY, 'the five chunks to be learned');
    await first.stop();
    running = null;
    return first.userDir;
  }

  it('resumes from the last checkpoint after SIGKILL mid-learning; at most checkpoint + flush interval of input is lost', async function () {
    const data = streams(3000);
    const first = await startNodeRed(flow(), SETTINGS);
    running = first;
    const { port, userDir } = first;
    // feed for a few seconds, polling the learned state; kill in the middle of the stream
    const polls: { t: number; samples: number; pairs: number }[] = [];
    const feedMs = 6000;
    const t0 = Date.now();
    let sent = 0;
    let inFlight: Promise<void> | null = null;
    while (Date.now() - t0 < feedMs && sent < data.cca.length - 1) {
      await sendChunk(port, data, sent++);
      if (sent % 5 === 0) {
        const [cca, t4] = await Promise.all([state(port, 'rs-learner'), state(port, 'rs-t4')]);
        polls.push({ t: Date.now(), samples: cca.samplesSeen, pairs: t4.pairs });
      }
      await sleep(5);
    }
    inFlight = sendChunk(port, data, sent++).catch(() => undefined); // a chunk in flight at the kill
    const killedAt = Date.now();
    first.process.kill('SIGKILL');
    await new Promise((resolve) => first.process.once('exit', resolve));
    await inFlight;
    running = null;

    // what the store had flushed: exactly the statistics of the first K chunks
    const savedCca = persisted(userDir, 'rs-learner', CCA_KEY), savedT4 = persisted(userDir, 'rs-t4', T4_KEY);
    assert.ok(savedCca && savedT4, 'a checkpoint reached the disk before the kill');
    const kCca = matchingPrefix(data, sent, savedCca, 'learner');
    const kT4 = matchingPrefix(data, sent, savedT4, 'layer');
    assert.ok(kCca > 0, 'learner checkpoint = the statistics of a prefix of the stream');
    assert.ok(kT4 > 0, 'T4 checkpoint = the statistics of a prefix of the stream');
    // documented bound: the checkpoint is no older than checkpoint + flush interval (+2 s scheduling slack on a busy CI machine)
    const boundMs = (CHECKPOINT_S + FLUSH_S + 2) * 1000;
    const before = polls.filter((p) => p.t <= killedAt - boundMs).pop();
    assert.ok(before, 'fed long enough to test the bound');
    assert.ok(kCca * CHUNK >= before!.samples, `learner lost more than ${boundMs} ms of input: checkpoint at ${kCca * CHUNK} samples, ${before!.samples} learned ${killedAt - before!.t} ms before the kill`);
    assert.ok(savedT4.moments.pairs >= before!.pairs, 'T4 lost more than the bound');
    const last = polls[polls.length - 1];
    const lostSamples = last.samples - kCca * CHUNK;
    console.log(`      SIGKILL after ${sent} chunks (${sent * CHUNK} samples sent, ${last.samples} learned at the last poll): ` // eslint-disable-line no-console
      + `restored ${kCca * CHUNK} samples (lost ${lostSamples}, ${(lostSamples / (last.samples / ((last.t - t0) / 1000))).toFixed(2)} s of input); T4 restored ${savedT4.moments.pairs} of ${last.pairs} pairs`);

    // restart on the same user directory: the nodes come back with the checkpoint and learning resumes from it
    const second = await startNodeRed(flow(), SETTINGS, { userDir });
    running = second;
    const restored = await state(second.port, 'rs-learner');
    assert.strictEqual(restored.samplesSeen, kCca * CHUNK);
    assert.strictEqual((await state(second.port, 'rs-t4')).pairs, savedT4.moments.pairs);
    // the producer resumes at the checkpoint (learner: K chunks; T4 row: its own K, a new series start)
    const end = Math.max(kCca, kT4) + 20;
    for (let i = Math.min(kCca, kT4); i < end; i++) {
      const start = i * CHUNK;
      const posts: Promise<Response>[] = [];
      if (i >= kCca) posts.push(post(second.port, '/feed', { target: 'cca', payload: data.cca[i], chunk: { series: 'r0', startSample: start } }));
      if (i >= kT4) {
        posts.push(post(second.port, '/feed', { target: 't4', payload: data.l1[i], chunk: { series: 't0', startSample: start, signal: 'L1' } }));
        posts.push(post(second.port, '/feed', { target: 't4', payload: data.l3[i], chunk: { series: 't0', startSample: start, signal: 'L3' } }));
      }
      for (const r of await Promise.all(posts)) await r.text();
    }
    const t4Target = reference(data, end, [kT4]).layer.pairs;
    await until(async () => (await state(second.port, 'rs-learner')).samplesSeen >= end * CHUNK && (await state(second.port, 'rs-t4')).pairs >= t4Target, 'learning to catch up');
    // a full redeploy (flows stopped and started again) keeps the statistics too
    const learned = await state(second.port, 'rs-learner'), learnedT4 = await state(second.port, 'rs-t4');
    const deploy = await fetch(`http://127.0.0.1:${second.port}/flows`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' }, body: JSON.stringify(flow()),
    });
    assert.ok(deploy.status === 200 || deploy.status === 204, `deploy: HTTP ${deploy.status} ${await deploy.text()}`);
    for (let tries = 0; !(await state(second.port, 'rs-learner').catch(() => null)); tries++) {
      if (tries > 600) throw new Error("no learner after the redeploy");
      await sleep(50);
    }
    assert.strictEqual((await state(second.port, 'rs-learner')).samplesSeen, learned.samplesSeen, 'learner statistics survive a redeploy');
    assert.strictEqual((await state(second.port, 'rs-t4')).pairs, learnedT4.pairs, 'T4 statistics survive a redeploy');
    await second.stop(); // SIGTERM: close saves, the store flushes
    running = null;
    const expected = reference(data, end, [kT4]);
    // the learner's open series continued from its restored tail: exactly one uninterrupted pass
    sameState(persisted(userDir, 'rs-learner', CCA_KEY), JSON.parse(JSON.stringify(expected.learner.toJSON())), 'learner');
    // T4 positions are not persisted: its row restarts at the checkpoint (no pair bridges the crash)
    sameState(persisted(userDir, 'rs-t4', T4_KEY), JSON.parse(JSON.stringify(expected.layer.toJSON())), 'T4');
    fs.rmSync(userDir, { recursive: true, force: true });
  });

  for (const [name, corrupt] of [
    ['garbage statistics', (file: string) => fs.writeFileSync(file, JSON.stringify({ [CCA_KEY]: { format: 'resu-learner', version: 1, pooling: 'channels', moments: 'garbage' }, [T4_KEY]: 42 }))],
    ['a truncated state', (file: string) => {
      const value = JSON.parse(fs.readFileSync(file, 'utf8'));
      value[CCA_KEY].moments.pastMoment = value[CCA_KEY].moments.pastMoment?.slice?.(0, 3) ?? [];
      for (const key of Object.keys(value[CCA_KEY].moments)) if (Array.isArray(value[CCA_KEY].moments[key])) value[CCA_KEY].moments[key] = value[CCA_KEY].moments[key].slice(0, 1);
      value[T4_KEY] = { ...value[T4_KEY], channelSums: [1, 2] };
      fs.writeFileSync(file, JSON.stringify(value));
    }],
    ['a state of another configuration', (file: string) => {
      const other = new PastFutureLearner({ pastLags: PAST + 1, futureLags: FUTURE });
      other.update([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      fs.writeFileSync(file, JSON.stringify({ [CCA_KEY]: other.toJSON(), [T4_KEY]: new T4Layer({ delay: DELAY + 2 }).toJSON() }));
    }],
  ] as const) {
    it(`${name} in the context store gives a warning and a fresh start, never a crash`, async function () {
      const data = streams(10);
      const userDir = await learnAndStop(data);
      // both nodes keep their state in one file per node
      for (const nodeId of ['rs-learner', 'rs-t4']) {
        const file = contextFile(userDir, nodeId);
        assert.ok(fs.existsSync(file), `${file} written`);
        if (nodeId === 'rs-learner') corrupt(file);
      }
      // the T4 file gets the T4 part of the corruption
      const learnerFile = JSON.parse(fs.readFileSync(contextFile(userDir, 'rs-learner'), 'utf8'));
      fs.writeFileSync(contextFile(userDir, 'rs-t4'), JSON.stringify({ [T4_KEY]: learnerFile[T4_KEY] }));
      const second = await startNodeRed(flow(), SETTINGS, { userDir });
      running = second;
      await sendChunk(second.port, data, 5);
      await until(async () => (await state(second.port, 'rs-learner')).samplesSeen >= CHUNK && (await state(second.port, 'rs-t4')).pairs > 0, 'learning after the restart');
      const cca = await state(second.port, 'rs-learner'), t4 = await state(second.port, 'rs-t4');
      assert.strictEqual(cca.samplesSeen, CHUNK, 'fresh start: only the new chunk');
      assert.strictEqual(t4.pairs, CHUNK - DELAY, 'fresh start: only the new pair of chunks');
      assert.strictEqual(second.process.exitCode, null, 'still running');
      const log = second.log();
      assert.match(log, /\[resu-cca:rs-learner\] persisted state ignored, starting fresh/);
      assert.match(log, /\[resu-t4:rs-t4\] persisted state ignored, starting fresh/);
      await second.stop();
      fs.rmSync(userDir, { recursive: true, force: true });
    });
  }

  it('a context file cut short (not JSON) is moved aside at start-up with a warning: that node starts fresh, the others keep their state', async function () {
    // localfilesystem rewrites a context file in place when it flushes; power lost during that write
    // can leave it cut short, and Node-RED would refuse to open the store (and start no flow at all)
    const data = streams(6);
    const userDir = await learnAndStop(data);
    const file = contextFile(userDir, 'rs-learner');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const second = await startNodeRed(flow(), SETTINGS, { userDir });
    running = second;
    assert.match(second.log(), /\[resu\] context file .*rs-learner\.json is not valid JSON \(a write cut short\?\); moved to .*rs-learner\.json\.corrupt-\d+/);
    assert.ok(fs.readdirSync(path.dirname(file)).some((name) => name.startsWith('rs-learner.json.corrupt-')), 'kept for inspection');
    await sendChunk(second.port, data, 5);
    await until(async () => (await state(second.port, 'rs-learner')).samplesSeen >= CHUNK && (await state(second.port, 'rs-t4')).pairs > 5 * CHUNK - DELAY, 'learning after the restart');
    assert.strictEqual((await state(second.port, 'rs-learner')).samplesSeen, CHUNK);
    assert.strictEqual((await state(second.port, 'rs-t4')).pairs, (5 * CHUNK - DELAY) + (CHUNK - DELAY), 'T4 kept its state (its file was intact; its row restarts)');
    await second.stop();
    fs.rmSync(userDir, { recursive: true, force: true });
  });
});
