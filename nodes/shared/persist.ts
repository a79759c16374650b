/**
 * Learned-state persistence through Node-RED context stores (e.g. `localfilesystem`), so learning
 * survives redeploys and restarts when the user enables it. Values are plain JSON.
 */
import type { Node } from 'node-red';

type ContextStore = {
  get(key: string, store: string | undefined, callback: (err: Error | null, value: unknown) => void): void;
  set(key: string, value: unknown, store: string | undefined, callback: (err?: Error | null) => void): void;
};

function context(node: Node): ContextStore {
  return node.context() as unknown as ContextStore;
}

export function loadState(node: Node, key: string, store?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    context(node).get(key, store || undefined, (err, value) => (err ? reject(err) : resolve(value)));
  });
}

export function saveState(node: Node, key: string, value: unknown, store?: string): Promise<void> {
  return new Promise((resolve, reject) => {
    context(node).set(key, value, store || undefined, (err) => (err ? reject(err) : resolve()));
  });
}
