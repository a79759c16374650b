/**
 * Errors raised by node adapters and the one place that reports input errors.
 */
import { describeValue } from '../../core/errors';

/** A message that cannot be processed; its text names the property at fault. */
export class InputError extends Error {
  /** The node already showed what happened in its status: do not replace it with the red error ring. */
  statusShown = false;

  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }

  static field(field: string, value: unknown, expected: string): InputError {
    return new InputError(`${field} must be ${expected} (got ${describeValue(value)})`);
  }
}

/**
 * Turns anything thrown into an Error with a useful message (never throws itself). An Error of
 * another realm (a function node's sandbox) is kept as it is.
 */
export function asError(err: unknown): Error {
  try {
    if (err instanceof Error || Object.prototype.toString.call(err) === '[object Error]') return err as Error;
    return new Error(String(err));
  } catch {
    return new Error('unknown error (the thrown value cannot be turned into text)');
  }
}
