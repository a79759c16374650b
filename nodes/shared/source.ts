/**
 * Paced emission for source nodes (scanner, noise source, probe): one chunk per tick while running,
 * `intervalMs` apart (0: as fast as the event loop allows, yielding between chunks so the runtime
 * stays responsive). Stopped by stop(), by the producer finishing, and on close.
 */
import { InputError } from './errors';
export interface SourceRunner {
  start(): void;
  stop(): void;
  readonly running: boolean;
}

export function createSourceRunner(options: {
  intervalMs: number;
  /** Emits one chunk; returns false when there is nothing more to emit. */
  produce: () => boolean;
  onStop: (finished: boolean) => void;
  onError: (err: Error) => void;
}): SourceRunner {
  let timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
  let running = false;
  const schedule = (): void => {
    timer = options.intervalMs > 0 ? setTimeout(tick, options.intervalMs) : setImmediate(tick);
  };
  const clear = (): void => {
    if (timer === null) return;
    if (options.intervalMs > 0) clearTimeout(timer as ReturnType<typeof setTimeout>); else clearImmediate(timer as ReturnType<typeof setImmediate>);
    timer = null;
  };
  function tick(): void {
    timer = null;
    if (!running) return;
    let more: boolean;
    try {
      more = options.produce();
    } catch (err) {
      running = false;
      options.onError(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (more && running) schedule();
    else if (running) { running = false; options.onStop(true); }
  }
  return {
    start() { if (!running) { running = true; schedule(); } },
    stop() { if (running) { running = false; clear(); options.onStop(false); } },
    get running() { return running; },
  };
}

/** Reads a start/stop/reset command from msg.command or a string msg.payload; null if none. */
export function readCommand(msg: Record<string, unknown>): 'start' | 'stop' | 'reset' | null {
  const raw = msg.command ?? (typeof msg.payload === 'string' ? msg.payload : undefined);
  if (raw === undefined) return msg.reset !== undefined && msg.reset !== false && msg.reset !== null ? 'reset' : null;
  if (raw === 'start' || raw === 'stop' || raw === 'reset') return raw;
  throw new InputError(`msg.command must be "start", "stop" or "reset" (got ${JSON.stringify(raw)})`);
}
