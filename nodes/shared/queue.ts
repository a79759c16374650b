/**
 * Per-node FIFO: Node-RED does not serialize async input handlers, so every stateful node runs its
 * messages strictly in arrival order through one of these. Capped (RED.settings
 * `nodeMessageBufferMaxLength` if set, else {@link DEFAULT_QUEUE_CAP}); on overflow the newcomer is
 * rejected with done(err) and counted. Every message ends in exactly one done() / done(err).
 */
import { asError } from './errors';

export const DEFAULT_QUEUE_CAP = 1000;

export type Send = (msg: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Done = (err?: Error) => void;

export interface QueueHandlerContext {
  send: Send;
}

export interface MessageQueue {
  push(msg: Record<string, unknown>, send: Send, done: Done): void;
  /** Messages waiting (not counting the one running). */
  readonly length: number;
  /** Messages rejected because the queue was full. */
  readonly dropped: number;
  /** Completes every waiting message with done() and stops accepting new ones. */
  drain(): void;
}

export function createQueue(
  settings: { nodeMessageBufferMaxLength?: number } | undefined,
  handler: (msg: Record<string, unknown>, send: Send) => void | Promise<void>,
  onError: (err: Error, msg: Record<string, unknown>) => void = () => undefined,
): MessageQueue {
  const configured = settings?.nodeMessageBufferMaxLength;
  const cap = typeof configured === 'number' && configured > 0 ? configured : DEFAULT_QUEUE_CAP;
  const waiting: { msg: Record<string, unknown>; send: Send; done: Done }[] = [];
  let running = false;
  let closed = false;
  let dropped = 0;

  const runNext = async (): Promise<void> => {
    running = true;
    while (waiting.length > 0 && !closed) {
      const { msg, send, done } = waiting.shift()!;
      try {
        await handler(msg, send);
        done();
      } catch (err) {
        const error = asError(err);
        try { onError(error, msg); } catch { /* reporting must not break the queue */ }
        done(error);
      }
    }
    running = false;
  };

  return {
    push(msg, send, done) {
      if (closed) { done(); return; }
      if (waiting.length >= cap) {
        dropped++;
        done(new Error(`input queue full (${cap} messages waiting); message dropped`));
        return;
      }
      waiting.push({ msg, send, done });
      if (!running) void runNext();
    },
    get length() { return waiting.length; },
    get dropped() { return dropped; },
    drain() {
      closed = true;
      while (waiting.length > 0) waiting.shift()!.done();
    },
  };
}
