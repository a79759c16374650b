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

/** Something whose learned state can be saved and restored. */
export interface Persistable {
  toJSON(): unknown;
  load(saved: unknown): void;
  reset(): void;
}

/**
 * Persistence for one node: `restored` settles once the saved state (if any) is loaded; a corrupt,
 * truncated or mismatched state gives a warning and a fresh start, never a crash.
 */
export function createPersistence(node: Node, key: string, enabled: boolean, store: string, target: Persistable, checkpointMs = 0) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const restored = !enabled ? Promise.resolve() : loadState(node, key, store).then(
    (saved) => { if (saved !== undefined) target.load(saved); },
  ).catch((err) => {
    node.warn(`persisted state ignored, starting fresh: ${(err as Error).message}`);
    target.reset();
  });
  async function save(): Promise<void> {
    if (!enabled) return;
    if (timer) { clearTimeout(timer); timer = null; }
    try { await saveState(node, key, target.toJSON(), store); } catch (err) { node.warn(`could not persist state: ${(err as Error).message}`); }
  }
  return {
    restored,
    save,
    /**
     * Marks the state as changed: it is saved (a checkpoint) at most `checkpointMs` later, so a crash
     * loses at most that much learning plus what the context store had not flushed yet.
     */
    touch(): void {
      if (!enabled || checkpointMs <= 0 || timer) return;
      timer = setTimeout(() => { timer = null; void save(); }, checkpointMs);
    },
    /** Stops the checkpoint timer (close). */
    dispose(): void { if (timer) clearTimeout(timer); timer = null; },
  };
}
