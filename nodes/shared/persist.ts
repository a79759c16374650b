/**
 * Learned-state persistence through Node-RED context stores (e.g. `localfilesystem`), so learning
 * survives redeploys and restarts when the user enables it. Values are plain JSON.
 */
import * as fs from 'fs';
import type { Node } from 'node-red';
import * as path from 'path';

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
 * Where the first number that is not finite sits in a JSON-like value ("moments.sum[3]"), or null.
 * Iterative. JSON writes NaN and ±∞ as null, so such a state would be saved as nulls and then
 * refused on load: every pair learned would be lost at the next restart.
 */
export function findNonFinite(value: unknown): string | null {
  const stack: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (stack.length > 0) {
    const { value: item, path: at } = stack.pop()!;
    if (typeof item === 'number') { if (!Number.isFinite(item)) return at || '(value)'; continue; }
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item) || ArrayBuffer.isView(item)) {
      const list = item as ArrayLike<unknown>;
      for (let i = 0; i < list.length; i++) {
        const x = list[i];
        if (typeof x === 'number') { if (!Number.isFinite(x)) return `${at}[${i}]`; } else if (x !== null && typeof x === 'object') stack.push({ value: x, path: `${at}[${i}]` });
      }
      continue;
    }
    for (const [name, x] of Object.entries(item as Record<string, unknown>)) stack.push({ value: x, path: at ? `${at}.${name}` : name });
  }
  return null;
}

/**
 * Persistence for one node: `restored` settles once the saved state (if any) is loaded; a corrupt,
 * truncated or mismatched state gives a warning and a fresh start, never a crash. A state that is
 * not finite is never saved: the last good checkpoint stays in the store (one warning per bad spell).
 */
export function createPersistence(node: Node, key: string, enabled: boolean, store: string, target: Persistable, checkpointMs = 0) {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let refused = false;
  let disposed = false;
  const restored = !enabled ? Promise.resolve() : loadState(node, key, store).then(
    (saved) => { if (saved !== undefined) target.load(saved); },
  ).catch((err) => {
    node.warn(`persisted state ignored, starting fresh: ${(err as Error).message}`);
    target.reset();
  });
  async function save(): Promise<void> {
    if (!enabled) return;
    if (timer) { clearTimeout(timer); timer = null; }
    // a save before the stored state is back (e.g. a close during the restore) would overwrite that
    // state with a fresh one: every pair learned before the restart would be lost
    await restored;
    try {
      const state = target.toJSON();
      const bad = findNonFinite(state);
      if (bad !== null) {
        if (!refused) node.warn(`state not saved: ${bad} is not finite; the last good checkpoint is kept`);
        refused = true;
        return;
      }
      refused = false;
      await saveState(node, key, state, store);
    } catch (err) { node.warn(`could not persist state: ${(err as Error).message}`); }
  }
  return {
    restored,
    save,
    /**
     * Marks the state as changed: it is saved (a checkpoint) at most `checkpointMs` later, so a crash
     * loses at most that much learning plus what the context store had not flushed yet.
     */
    touch(): void {
      if (!enabled || checkpointMs <= 0 || timer || disposed) return;
      timer = setTimeout(() => { timer = null; void save(); }, checkpointMs);
    },
    /** Stops the checkpoint timer for good (close): a later touch starts none. Explicit saves still run. */
    dispose(): void { disposed = true; if (timer) clearTimeout(timer); timer = null; },
  };
}

/** Context keys under which ReSU nodes persist their state. */
export const STATE_KEYS = ['resu-cca-state', 'resu-t4-state'] as const;

type StoreSettings = { contextStorage?: Record<string, unknown>; userDir?: string };
type Logger = { warn(message: string): void };
const repaired = new WeakSet<object>();

/**
 * Runs when the node types register, before Node-RED opens its context stores: a `localfilesystem`
 * file that is not valid JSON, or whose JSON is `null`, makes Node-RED refuse to start at all, and a
 * power cut while the store rewrites a file (it writes in place) can leave one cut short. A file of
 * a ReSU node (it holds one of {@link STATE_KEYS}) that does not parse is renamed to
 * `<file>.corrupt-<time>` with a warning, so Node-RED starts and that node starts fresh. A file
 * holding just `null` holds no node's data, so it is moved aside whichever node it belongs to. Other
 * nodes' files with data are never touched.
 * @returns the files moved aside.
 */
export function quarantineCorruptState(settings: StoreSettings | undefined, log: Logger): string[] {
  if (!settings || repaired.has(settings)) return [];
  repaired.add(settings);
  const moved: string[] = [];
  const stores = settings.contextStorage && typeof settings.contextStorage === 'object' ? Object.values(settings.contextStorage) : [];
  for (const store of stores) {
    const { module, config = {} } = (store ?? {}) as { module?: unknown; config?: { dir?: string; base?: string } };
    if (module !== 'localfilesystem') continue;
    const root = config.dir ?? settings.userDir;
    if (typeof root !== 'string') continue;
    const base = path.join(root, config.base || 'context');
    for (const file of contextFiles(base)) {
      let text: string;
      try { text = fs.readFileSync(file, 'utf8'); } catch { continue; }
      const holdsNull = text.trim() === 'null';
      if (!holdsNull && (text.trim() === '' || !STATE_KEYS.some((key) => text.includes(`"${key}"`)))) continue;
      if (!holdsNull) try { JSON.parse(text); continue; } catch { /* corrupt: move it aside */ }
      const target = `${file}.corrupt-${Date.now()}`;
      try {
        fs.renameSync(file, target);
        moved.push(file);
        log.warn(`[resu] context file ${file} ${holdsNull ? 'holds only null' : 'is not valid JSON (a write cut short?)'}; moved to ${target}: that node's persisted state starts fresh`);
      } catch (err) {
        log.warn(`[resu] context file ${file} is not valid JSON and could not be moved aside: ${(err as Error).message}`);
      }
    }
  }
  return moved;
}

/** `<base>/<scope>/<name>.json` files of a localfilesystem store (two levels, as it lays them out). */
function contextFiles(base: string): string[] {
  const out: string[] = [];
  let scopes: fs.Dirent[];
  try { scopes = fs.readdirSync(base, { withFileTypes: true }); } catch { return out; }
  for (const scope of scopes) {
    if (!scope.isDirectory()) continue;
    let files: fs.Dirent[];
    try { files = fs.readdirSync(path.join(base, scope.name), { withFileTypes: true }); } catch { continue; }
    for (const file of files) if (file.isFile() && file.name.endsWith('.json')) out.push(path.join(base, scope.name, file.name));
  }
  return out;
}
