/**
 * Error classes of the core library. Every message names the field or object at fault, what was
 * expected and what came, so a node can forward it verbatim through `done(err)`.
 */

/** Base class of every error the core throws on purpose. */
export class ResuError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResuError';
  }
}

/** A parameter or input value is of the wrong type or out of range. */
export class ConfigError extends ResuError {
  constructor(readonly field: string, readonly value: unknown, readonly expected: string) {
    super(`${field} must be ${expected} (got ${describeValue(value)})`);
    this.name = 'ConfigError';
  }
}

/** Sizes do not match (channels, lengths, matrix shapes, serialized payloads). */
export class ShapeError extends ResuError {
  constructor(message: string) {
    super(message);
    this.name = 'ShapeError';
  }
}

/** There is not enough data for the requested computation. */
export class NotEnoughDataError extends ResuError {
  constructor(message: string) {
    super(message);
    this.name = 'NotEnoughDataError';
  }
}

/** The statistics are degenerate (for example an all-zero or constant signal). */
export class DegenerateDataError extends ResuError {
  constructor(message: string) {
    super(message);
    this.name = 'DegenerateDataError';
  }
}

/** A short, single-line rendering of a value for error messages (never the whole of a big array). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}
