/**
 * The wiring every stateful ReSU node shares: a FIFO over the (msg, send, done) input form, a
 * throttled status, error reporting through done(err) (so Catch nodes see it), and a close handler
 * that drains the queue and stops timers.
 */
import type { Node, NodeAPI } from 'node-red';
import { asError } from './errors';
import { useMessageClone } from './messages';
import { createQueue, MessageQueue, Send } from './queue';
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
  const status = createStatus(node as unknown as Parameters<typeof createStatus>[0]);
  const queue = createQueue(RED.settings as { nodeMessageBufferMaxLength?: number }, handlers.onInput, (err) => status.failed(err));
  node.on('input', (msg: Msg, send: Send, done: (err?: Error) => void) => queue.push(msg, send, done));
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

/** Reports a configuration error once (red ring naming the field); the node then ignores input. */
export function reportConfigError(node: Node, err: unknown): void {
  const error = asError(err);
  node.error(`configuration: ${error.message}`);
  node.status({ fill: 'red', shape: 'ring', text: error.message.slice(0, 60) });
  node.on('input', (_msg: Msg, _send: Send, done: (err?: Error) => void) => done(new Error(`node not configured: ${error.message}`)));
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
