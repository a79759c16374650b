/**
 * Per-node FIFO: Node-RED does not serialize async input handlers, so every stateful node runs its
 * messages strictly in arrival order through one of these. Capped (RED.settings
 * `nodeMessageBufferMaxLength` if set, else {@link DEFAULT_QUEUE_CAP}); on overflow the newcomer is
 * rejected with done(err) and counted. Every message ends in exactly one done() / done(err).
 *
 * Nothing a message does can stop the queue: the handler, `send`, `done` and the reporting callbacks
 * may all throw (Node-RED's Catch and Complete nodes copy the message inside `done`, and a copy can
 * overflow the stack or run a throwing getter). Each call is guarded, the queue always moves on to
 * the next message, and the loop never leaves a rejected promise behind.
 */
import { asError } from './errors';

export const DEFAULT_QUEUE_CAP = 1000;

export type Send = (msg: any) => void; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Done = (err?: Error) => void;

export interface MessageQueue {
  push(msg: Record<string, unknown>, send: Send, done: Done): void;
  /** Messages waiting (not counting the one running). */
  readonly length: number;
  /** Messages rejected because the queue was full. */
  readonly dropped: number;
  /** Completes every waiting message with done() and stops accepting new ones. */
  drain(): void;
}

export interface QueueCallbacks {
  /** A message was rejected (its handler threw); runs before its done(err). */
  onError?(err: Error, msg: Record<string, unknown>): void;
  /** A message was dropped because the queue was full (`dropped` counts them all). */
  onDrop?(dropped: number): void;
  /** done() itself threw: the message could not be completed normally (`reported` is what it was completed with). */
  onDoneFailed?(err: Error, reported: Error | undefined): void;
}

/** Calls `fn`, swallowing what it throws: reporting must never break the queue. */
function quietly(fn: () => void): void {
  try { fn(); } catch { /* nothing left to report to */ }
}

/** Completes a message, whatever done() does. */
export function completeSafely(done: Done, error: Error | undefined, onDoneFailed?: QueueCallbacks['onDoneFailed']): void {
  try {
    done(error);
  } catch (err) {
    quietly(() => onDoneFailed?.(asError(err), error));
  }
}

export function createQueue(
  settings: { nodeMessageBufferMaxLength?: number } | undefined,
  handler: (msg: Record<string, unknown>, send: Send) => void | Promise<void>,
  callbacks: QueueCallbacks = {},
): MessageQueue {
  const configured = settings?.nodeMessageBufferMaxLength;
  const cap = typeof configured === 'number' && configured > 0 ? configured : DEFAULT_QUEUE_CAP;
  const waiting: { msg: Record<string, unknown>; send: Send; done: Done }[] = [];
  let running = false;
  let closed = false;
  let dropped = 0;

  const runNext = async (): Promise<void> => {
    running = true;
    try {
      while (waiting.length > 0 && !closed) {
        const { msg, send, done } = waiting.shift()!;
        let error: Error | undefined;
        try {
          await handler(msg, send);
        } catch (err) {
          error = asError(err);
          const reported = error;
          quietly(() => callbacks.onError?.(reported, msg));
        }
        completeSafely(done, error, callbacks.onDoneFailed);
      }
    } finally {
      running = false;
    }
  };

  return {
    push(msg, send, done) {
      if (closed) { completeSafely(done, undefined, callbacks.onDoneFailed); return; }
      if (waiting.length >= cap) {
        dropped++;
        quietly(() => callbacks.onDrop?.(dropped));
        completeSafely(done, new Error(`input queue full (${cap} messages waiting); message dropped`), callbacks.onDoneFailed);
        return;
      }
      waiting.push({ msg, send, done });
      if (!running) runNext().catch(() => undefined);
    },
    get length() { return waiting.length; },
    get dropped() { return dropped; },
    drain() {
      closed = true;
      while (waiting.length > 0) completeSafely(waiting.shift()!.done, undefined, callbacks.onDoneFailed);
    },
  };
}
