/**
 * Shared helpers for node specs (node-red-node-test-helper): load nodes, wait for the n-th
 * message or error, never for a duration.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-var-requires
export const helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

export const DIST_NODES = path.resolve(__dirname, '../../nodes');

/** Loads the compiled node modules by type name. */
export function nodeModules(...types: string[]): unknown[] {
  return types.map((type) => require(path.join(DIST_NODES, `${type}.js`)));
}

export function startServer(this: unknown, done: (err?: unknown) => void): void { helper.startServer(done); }
export function stopServer(this: unknown, done: (err?: unknown) => void): void {
  helper.unload().then(() => helper.stopServer(done));
}

export type AnyMsg = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Collects messages arriving at a helper node; resolves after `count` of them. */
export function collect(nodeId: string, count: number): Promise<AnyMsg[]> {
  const node = helper.getNode(nodeId);
  const received: AnyMsg[] = [];
  return new Promise((resolve) => {
    node.on('input', (msg: AnyMsg) => {
      received.push(msg);
      if (received.length === count) resolve(received);
    });
  });
}

/** Loads a flow and resolves once loaded. */
export function load(modules: unknown[], flow: unknown[], credentials: Record<string, unknown> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    try { helper.load(modules, flow, credentials, () => resolve()); } catch (err) { reject(err); }
  });
}

/** A catch node (all scopes) wired to a helper node with id `errors`. */
export function catchAll(): AnyMsg[] {
  return [
    { id: 'catch-all', type: 'catch', scope: null, uncaught: false, wires: [['errors']] },
    { id: 'errors', type: 'helper' },
  ];
}

/** A seeded AR(1) series y_t = a·y_{t−1} + e_t (test-local generator, independent of core code paths). */
export function ar1(length: number, a: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  const uniform = (): number => {
    state ^= state << 13; state >>>= 0; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
    return (state + 0.5) / 4294967296;
  };
  const out: number[] = [];
  let y = 0;
  for (let i = 0; i < length; i++) {
    const e = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    y = a * y + e;
    out.push(y);
  }
  return out;
}

/**
 * Resolves with the text of the first status of node `nodeId` (called after this) whose text
 * matches `pattern`. Status updates are events, so this waits for an event, not a duration.
 */
export function statusMatching(nodeId: string, pattern: RegExp): Promise<string> {
  const node = helper.getNode(nodeId);
  const original = node.status.bind(node);
  return new Promise((resolve) => {
    node.status = (value: { text?: string }) => {
      original(value);
      if (typeof value?.text === 'string' && pattern.test(value.text)) { node.status = original; resolve(value.text); }
    };
  });
}

/**
 * Resolves with the next status node `nodeId` shows (fill, shape and text). The status helper
 * throttles, so after the messages sent since the last shown status this is the latest of them.
 */
export function nextStatus(nodeId: string): Promise<{ fill?: string; shape?: string; text?: string }> {
  const node = helper.getNode(nodeId);
  const original = node.status.bind(node);
  return new Promise((resolve) => {
    node.status = (value: { fill?: string; shape?: string; text?: string }) => { original(value); node.status = original; resolve(value); };
  });
}

/** Concatenates channel-major chunks (payload[c][i]) into one array per channel. */
/** A chunk payload as a JSON consumer (MQTT, file, debug) sees it: plain number[][] (via ChunkSamples.toJSON). */
export function plain(payload: unknown): number[][] {
  return JSON.parse(JSON.stringify(payload));
}

export function concatChunks(payloads: number[][][]): number[][] {
  const out: number[][] = payloads[0].map(() => []);
  for (const payload of payloads) payload.forEach((channel, c) => { for (const x of channel) out[c].push(x); });
  return out;
}

/** Largest |a − b| over two equally shaped arrays of arrays (throws on a shape mismatch). */
export function maxAbsDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  if (a.length !== b.length) throw new Error(`channel counts differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  a.forEach((channel, c) => {
    if (channel.length !== b[c].length) throw new Error(`channel ${c} lengths differ: ${channel.length} vs ${b[c].length}`);
    for (let i = 0; i < channel.length; i++) worst = Math.max(worst, Math.abs(channel[i] - b[c][i]));
  });
  return worst;
}

/**
 * Records every node status (also the ones set while a node is constructed, which no status node
 * sees) by wrapping Node.prototype.status until `restore()`.
 */
export function recordStatuses(): { calls: { id: string; status: { fill?: string; shape?: string; text?: string } }[]; restore: () => void } {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const NodeClass = require(require.resolve('@node-red/runtime/lib/nodes/Node', { paths: [path.dirname(require.resolve('node-red'))] }));
  const original = NodeClass.prototype.status;
  const calls: { id: string; status: { fill?: string; shape?: string; text?: string } }[] = [];
  NodeClass.prototype.status = function (this: { id: string }, status: { fill?: string; shape?: string; text?: string }) {
    calls.push({ id: this.id, status });
    return original.call(this, status);
  };
  return { calls, restore: () => { NodeClass.prototype.status = original; } };
}

/**
 * Records every message reaching a helper node; `until(condition)` resolves as soon as the
 * recorded messages satisfy it (count-based waiting, never a duration).
 */
export function watchMessages(nodeId: string): { seen: AnyMsg[]; until: (condition: () => boolean) => Promise<void> } {
  const seen: AnyMsg[] = [];
  let notify: (() => void) | null = null;
  helper.getNode(nodeId).on('input', (msg: AnyMsg) => { seen.push(msg); notify?.(); });
  const until = (condition: () => boolean): Promise<void> => new Promise((resolve) => {
    if (condition()) { resolve(); return; }
    notify = () => { if (condition()) { notify = null; resolve(); } };
  });
  return { seen, until };
}

/**
 * Registers hooks that give each test of the calling suite a `localfilesystem` context store named
 * "disk" in a fresh temporary directory (flushed only on close), and close and remove it afterwards.
 * @returns the current test's directory.
 */
export function useDiskContextStore(prefix: string): () => string {
  let dir = '';
  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    helper.settings({ contextStorage: { default: { module: 'memory' }, disk: { module: 'localfilesystem', config: { dir, flushInterval: 3600 } } } });
  });
  afterEach(async function () {
    await helper.unload();
    await helper._redNodes.closeContextsPlugin();
    helper.settings({});
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return () => dir;
}
