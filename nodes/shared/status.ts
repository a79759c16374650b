/**
 * Throttled node status (at most one update per interval, default 500 ms = 2 Hz): status updates
 * queue in the editor connection, so a node processing 1000 chunks/s must not send 1000 of them.
 */
export interface StatusTarget {
  status(status: { fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey'; shape?: 'ring' | 'dot'; text?: string } | Record<string, never>): void;
}

type StatusValue = Parameters<StatusTarget['status']>[0];

export interface ThrottledStatus {
  /** Green dot: normal operation. */
  ok(text: string): void;
  /** Blue ring: idle, waiting, frozen. */
  idle(text: string): void;
  /** Yellow ring: working with a caveat (warning). */
  warn(text: string): void;
  /** Red ring with the reason: shown at once (errors are never throttled away). */
  failed(err: unknown): void;
  /** Clears the status at once. */
  clear(): void;
  /** Stops the timer; later calls are ignored. */
  dispose(): void;
}

export function createStatus(node: StatusTarget, intervalMs = 500): ThrottledStatus {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending: StatusValue | null = null;
  let disposed = false;
  const show = (value: StatusValue): void => {
    if (disposed) return;
    if (timer) { pending = value; return; }
    node.status(value);
    timer = setTimeout(() => {
      timer = null;
      if (pending) { const next = pending; pending = null; show(next); }
    }, intervalMs);
  };
  const immediate = (value: StatusValue): void => {
    if (disposed) return;
    pending = null;
    node.status(value);
  };
  const shorten = (text: string): string => (text.length > 60 ? `${text.slice(0, 57)}…` : text);
  return {
    ok: (text) => show({ fill: 'green', shape: 'dot', text: shorten(text) }),
    idle: (text) => show({ fill: 'blue', shape: 'ring', text: shorten(text) }),
    warn: (text) => show({ fill: 'yellow', shape: 'ring', text: shorten(text) }),
    failed: (err) => immediate({ fill: 'red', shape: 'ring', text: shorten(err instanceof Error ? err.message : String(err)) }),
    clear: () => immediate({}),
    dispose: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
      disposed = true;
    },
  };
}
