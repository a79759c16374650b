/**
 * Throttled node status (at most one update per interval, default 500 ms = 2 Hz): status updates
 * queue in the editor connection, so a node processing 1000 chunks/s must not send 1000 of them,
 * and neither may a node rejecting 1000 bad messages/s. An update on a quiet node is shown at once;
 * within an interval only the latest is kept, shown when the interval ends, except that a failure
 * is not replaced by a later ok/idle/warn: it is shown first, the latest of those an interval later.
 */
export interface StatusTarget {
  status(status: { fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey'; shape?: 'ring' | 'dot'; text?: string } | Record<string, never>): void;
}

type StatusValue = Parameters<StatusTarget['status']>[0];

export interface ThrottledStatus {
  /**
   * Green dot: normal operation. Texts longer than `maxLength` characters (default 60) are cut
   * with "…"; a summary that must show whole (a 2-D probe's four units) may allow more.
   */
  ok(text: string, maxLength?: number): void;
  /** Blue ring: idle, waiting, frozen. */
  idle(text: string): void;
  /** Yellow ring: working with a caveat (warning). */
  warn(text: string): void;
  /**
   * Red ring with the reason: at once on a quiet node, else when the interval ends; it stays at
   * least one interval and a later ok/idle/warn never replaces it unseen (errors are never throttled away).
   */
  failed(err: unknown): void;
  /** Clears the status (at once on a quiet node), superseding anything pending, failures included. */
  clear(): void;
  /** Stops the timer; later calls are ignored. */
  dispose(): void;
}

export function createStatus(node: StatusTarget, intervalMs = 500): ThrottledStatus {
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Shown when the interval ends: a pending failure first, then (an interval later) `pending`. */
  let pendingFailure: StatusValue | null = null;
  let pending: StatusValue | null = null;
  let disposed = false;
  const display = (value: StatusValue): void => {
    node.status(value);
    timer = setTimeout(intervalEnded, intervalMs);
  };
  function intervalEnded(): void {
    timer = null;
    const next = pendingFailure ?? pending;
    if (pendingFailure) pendingFailure = null; else pending = null;
    if (next) display(next);
  }
  const show = (value: StatusValue, kind: 'update' | 'failure' | 'clear'): void => {
    if (disposed) return;
    if (!timer) { display(value); return; }
    // a failure or a clear supersedes everything older; an update waits behind a pending failure
    if (kind === 'update') pending = value;
    else if (kind === 'failure') { pendingFailure = value; pending = null; } else { pendingFailure = null; pending = value; }
  };
  const shorten = (text: string, maxLength = 60): string => (text.length > maxLength ? `${text.slice(0, maxLength - 3)}…` : text);
  return {
    ok: (text, maxLength) => show({ fill: 'green', shape: 'dot', text: shorten(text, maxLength) }, 'update'),
    idle: (text) => show({ fill: 'blue', shape: 'ring', text: shorten(text) }, 'update'),
    warn: (text) => show({ fill: 'yellow', shape: 'ring', text: shorten(text) }, 'update'),
    failed: (err) => show({ fill: 'red', shape: 'ring', text: shorten(err instanceof Error ? err.message : String(err)) }, 'failure'),
    clear: () => show({}, 'clear'),
    dispose: () => {
      if (timer) clearTimeout(timer);
      timer = null;
      pending = null;
      pendingFailure = null;
      disposed = true;
    },
  };
}
