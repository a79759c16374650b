/**
 * The wiring every stateful ReSU node shares: a FIFO over the (msg, send, done) input form, a
 * throttled status, error reporting through done(err) (so Catch nodes see it), and a close handler
 * that drains the queue and stops timers.
 *
 * Every message is screened first ({@link screenMessage}): one nested too deep, holding an array too
 * long or a property that cannot be read is rejected at once, with that property replaced by a
 * short note, because Node-RED copies the message inside done(err) for Catch nodes and the copy
 * itself would overflow the stack or hang.
 */
import type { Node, NodeAPI } from 'node-red';
import { registerQueue } from './admin';
import { asError } from './errors';
import { defuseMessage, screenMessage, useMessageClone } from './messages';
import { completeSafely, createQueue, Done, MessageQueue, Send } from './queue';
import { installChunkRouting } from './routing';
import { createStatus, ThrottledStatus } from './status';

export type Msg = Record<string, unknown>;

export interface StatefulNode {
  status: ThrottledStatus;
  queue: MessageQueue;
}

export interface StatefulHandlers {
  /** Runs for each message, in order. Throw to reject the message (done(err), red status). */
  onInput(msg: Msg, send: Send): void | Promise<void>;
  /** Runs on redeploy/shutdown after the queue is drained. */
  onClose?(removed: boolean): void | Promise<void>;
}

export function setupStatefulNode(RED: NodeAPI, node: Node, handlers: StatefulHandlers): StatefulNode {
  useMessageClone((value) => RED.util.cloneMessage(value) as Record<string, unknown>);
  installChunkRouting(RED);
  let dropped = 0;
  const status = withDroppedNote(createStatus(node as unknown as Parameters<typeof createStatus>[0]), () => dropped);
  const queue = createQueue(RED.settings as { nodeMessageBufferMaxLength?: number }, handlers.onInput, {
    onError: (err) => { if (!(err as { statusShown?: boolean }).statusShown) status.failed(err); },
    onDrop: (count) => { dropped = count; status.refresh(); },
    onDoneFailed: (err, reported) => reportUncompleted(node, err, reported),
  });
  guardInput(node, (msg, send, done) => queue.push(msg, send, done), (err) => status.failed(err));
  registerQueue(RED, node, queue);
  node.on('close', (removed: boolean, done: () => void) => {
    queue.drain();
    status.dispose();
    Promise.resolve()
      .then(() => handlers.onClose?.(removed))
      .catch((err) => node.warn(`close: ${asError(err).message}`))
      .then(() => done());
  });
  return { status, queue };
}

/**
 * Registers the input handler behind the message screen: a message that fails it is completed at
 * once with done(err) (after the offending property was replaced), never queued.
 */
function guardInput(node: Node, accept: (msg: Msg, send: Send, done: Done) => void, onRejected: (err: Error) => void): void {
  node.on('input', (msg: Msg, send: Send, done: Done) => {
    const problem = screenMessage(msg);
    if (problem) {
      defuseMessage(msg, problem.key, problem.note);
      try { onRejected(problem.error); } catch { /* status must not break input */ }
      completeSafely(done, problem.error, (err, reported) => reportUncompleted(node, err, reported));
      return;
    }
    accept(msg, send, done);
  });
}

/** done() threw (a Catch or Complete node could not copy the message): log without the message. */
function reportUncompleted(node: Node, err: Error, reported: Error | undefined): void {
  const what = reported ? `message rejected (${reported.message})` : 'message processed';
  node.error(`${what}, but completing it failed: ${err.message}`);
}

/** A status whose texts start with the count of messages dropped because the queue was full. */
function withDroppedNote(base: ThrottledStatus, dropped: () => number): ThrottledStatus & { refresh(): void } {
  let last: { kind: 'ok' | 'idle' | 'warn'; text: string } | null = null;
  const note = (text: string): string => (dropped() > 0 ? `queue full ×${compact(dropped())}${text ? ` · ${text}` : ''}` : text);
  const show = (kind: 'ok' | 'idle' | 'warn', text: string, maxLength?: number): void => {
    last = { kind, text };
    if (kind === 'ok') base.ok(note(text), maxLength); else base[kind](note(text));
  };
  return {
    ok: (text, maxLength) => show('ok', text, maxLength),
    idle: (text) => show('idle', text),
    warn: (text) => show('warn', text),
    failed: (err) => base.failed(err),
    clear: () => { last = null; if (dropped() > 0) base.warn(note('')); else base.clear(); },
    dispose: () => base.dispose(),
    refresh: () => base.warn(note(last?.text ?? '')),
  };
}

/** Reports a configuration error once (red ring naming the field); the node then ignores input. */
export function reportConfigError(node: Node, err: unknown): void {
  const error = asError(err);
  node.error(`configuration: ${error.message}`);
  node.status({ fill: 'red', shape: 'ring', text: error.message.slice(0, 60) });
  guardInput(node, (_msg, _send, done) => completeSafely(done, new Error(`node not configured: ${error.message}`), (failure, reported) => reportUncompleted(node, failure, reported)), () => undefined);
}

/** A count and its noun for status text, plural unless the count is 1: "1 chunk", "12.3k chunks". */
export function countOf(count: number, noun: string): string {
  return `${compact(count)} ${noun}${count === 1 ? '' : 's'}`;
}

/** Formats a count compactly for status text (12.3k, 4.5M). */
export function compact(count: number): string {
  if (count >= 1e6) return `${(count / 1e6).toFixed(count >= 1e7 ? 0 : 1)}M`;
  if (count >= 1e3) return `${(count / 1e3).toFixed(count >= 1e4 ? 0 : 1)}k`;
  return String(count);
}
