/**
 * Shared helpers for node specs (node-red-node-test-helper): load nodes, wait for the n-th
 * message or error, never for a duration.
 */
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
