/**
 * Fan-out of chunk messages without deep copies (a Node-RED `onSend` hook, installed once per
 * runtime by the first ReSU node that starts).
 *
 * Node-RED deep-copies a message for every extra wire it is sent on (lodash cloneDeep, element by
 * element: 5 ms for 64 channels × 1000 samples). ReSU nodes never modify a message they receive or
 * its payload (they build a new message for their output), so a chunk message can be handed to
 * several ReSU nodes as one object. For a chunk message (payload channels are all
 * {@link ChunkSamples}) sent on several wires:
 *   - every ReSU destination gets the original message;
 *   - every other destination (debug, function, …) gets its own deep copy, made with typed-array
 *     copies (memcpy) instead of cloneDeep: same result, ~50× faster;
 *   - with no ReSU destination, the first one keeps the original as Node-RED does.
 * Other messages are left to Node-RED. Set `resuShareChunks: false` in settings.js to turn this off.
 */
import type { NodeAPI } from 'node-red';
import { ChunkSamples, toChunkSamples } from './messages';

export const ROUTING_HOOK = 'onSend.resu-chunks';

/** The parts of Node-RED's SendEvent this hook reads and writes. */
export interface SendEventLike {
  msg: Record<string, unknown>;
  destination: { id: string };
  cloneMessage: boolean;
}

type Clone = (msg: Record<string, unknown>) => Record<string, unknown>;

/** True when every channel of msg.payload is a ChunkSamples (a chunk message built by a ReSU node). */
export function isChunkMessage(msg: unknown): msg is Record<string, unknown> & { payload: ChunkSamples[] } {
  if (msg === null || typeof msg !== 'object') return false;
  const payload = (msg as { payload?: unknown }).payload;
  if (!Array.isArray(payload) || payload.length === 0) return false;
  for (let c = 0; c < payload.length; c++) if (!(payload[c] instanceof ChunkSamples)) return false;
  return true;
}

/** A deep copy of a chunk message: the channels by typed-array copy, the rest by `clone`. */
export function copyChunkMessage(msg: Record<string, unknown> & { payload: ChunkSamples[] }, clone: Clone): Record<string, unknown> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(msg)) if (key !== 'payload' && key !== '__proto__') rest[key] = msg[key]; // see writeChunkMessage
  const copy = clone(rest);
  copy.payload = toChunkSamples(msg.payload, true);
  return copy;
}

/**
 * Rewrites the send events of one node.send() call as described in the module comment.
 * @param isResuNode whether a destination node id belongs to a ReSU node.
 * @param clone Node-RED's cloneMessage (for the non-payload properties).
 */
export function routeChunkMessages(events: SendEventLike[], isResuNode: (id: string) => boolean, clone: Clone): void {
  if (events.length < 2) return; // one destination: never copied anyway
  const seen = new Set<Record<string, unknown>>();
  for (let i = 0; i < events.length; i++) {
    const msg = events[i].msg;
    if (seen.has(msg)) continue;
    seen.add(msg);
    if (!isChunkMessage(msg)) continue;
    const sharing = events.filter((event) => event.msg === msg);
    if (sharing.length < 2) continue;
    const resu = sharing.map((event) => isResuNode(event.destination.id));
    const anyResu = resu.includes(true);
    // copies first (the only step that could throw), then the events change all together
    const messages = sharing.map((_, k) => ((anyResu ? resu[k] : k === 0) ? msg : copyChunkMessage(msg, clone)));
    sharing.forEach((event, k) => { event.msg = messages[k]; event.cloneMessage = false; });
  }
}

interface Hooks { add(id: string, fn: (events: SendEventLike[]) => void): void; remove(id: string): void }
let installed: Hooks | null = null;

/** Installs the hook once per process (no-op where RED.hooks is missing, e.g. in the test helper). */
export function installChunkRouting(RED: NodeAPI): void {
  if (installed) return;
  const hooks = (RED as unknown as { hooks?: Hooks }).hooks;
  if (!hooks || typeof hooks.add !== 'function') return;
  if ((RED.settings as unknown as { resuShareChunks?: boolean }).resuShareChunks === false) return;
  const clone = (msg: Record<string, unknown>): Record<string, unknown> => RED.util.cloneMessage(msg) as Record<string, unknown>;
  const isResuNode = (id: string): boolean => {
    const node = RED.nodes.getNode(id) as { type?: string } | null;
    return typeof node?.type === 'string' && node.type.startsWith('resu-');
  };
  hooks.remove(ROUTING_HOOK); // a re-loaded module replaces its hook
  hooks.add(ROUTING_HOOK, (events) => {
    // must never break message delivery: on any surprise, leave the events as they are
    try { routeChunkMessages(events, isResuNode, clone); } catch { /* Node-RED copies as usual */ }
  });
  installed = hooks;
}

/** Removes the hook (tests; a runtime keeps it for its lifetime). */
export function uninstallChunkRouting(): void {
  installed?.remove(ROUTING_HOOK);
  installed = null;
}
