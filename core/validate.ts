/**
 * Declarative checks for options and inputs. Each throws a {@link ConfigError} naming the field.
 */
import { ConfigError } from './errors';

/** Bounds for {@link requireFinite} and {@link requireInt}; both ends inclusive unless excluded. */
export interface RangeOptions {
  readonly min?: number;
  readonly max?: number;
  /** Exclude `min` itself (for strictly positive quantities). */
  readonly exclusiveMin?: boolean;
}

function rangeText({ min, max, exclusiveMin }: RangeOptions): string {
  const low = min === undefined ? '' : exclusiveMin ? ` > ${min}` : ` ≥ ${min}`;
  const high = max === undefined ? '' : ` ≤ ${max}`;
  return low && high ? `${low.trim()} and${high}` : (low || high).trim();
}

function inRange(value: number, { min, max, exclusiveMin }: RangeOptions): boolean {
  if (min !== undefined && (exclusiveMin ? value <= min : value < min)) return false;
  if (max !== undefined && value > max) return false;
  return true;
}

/** A finite number within the range. */
export function requireFinite(field: string, value: unknown, range: RangeOptions = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !inRange(value, range)) {
    const limits = rangeText(range);
    throw new ConfigError(field, value, `a finite number${limits ? ` ${limits}` : ''}`);
  }
  return value;
}

/** An integer within the range. */
export function requireInt(field: string, value: unknown, range: RangeOptions = {}): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || !inRange(value, range)) {
    const limits = rangeText(range);
    throw new ConfigError(field, value, `an integer${limits ? ` ${limits}` : ''}`);
  }
  return value;
}

/** A boolean. */
export function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new ConfigError(field, value, 'true or false');
  return value;
}

/** One of a fixed set of strings. */
export function requireOneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(field, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
  }
  return value as T;
}

/**
 * An array-like of finite numbers (plain array or typed array), copied into a new Float64Array.
 * Reports the index of the first bad element.
 */
export function requireFiniteArray(
  field: string,
  value: unknown,
  { minLength = 0, maxLength = Number.MAX_SAFE_INTEGER }: { minLength?: number; maxLength?: number } = {},
): Float64Array {
  if (!isArrayLikeOfNumbers(value)) throw new ConfigError(field, value, 'an array of numbers');
  const length = value.length;
  if (length < minLength || length > maxLength) {
    const expected = maxLength === Number.MAX_SAFE_INTEGER
      ? `an array of at least ${minLength} numbers`
      : minLength === maxLength ? `an array of exactly ${minLength} numbers` : `an array of ${minLength} to ${maxLength} numbers`;
    throw new ConfigError(field, value, expected);
  }
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x = value[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ConfigError(`${field}[${i}]`, x, 'a finite number');
    out[i] = x;
  }
  return out;
}

/**
 * Plain arrays and numeric typed arrays (not DataView, not BigInt arrays), also typed arrays made in
 * another realm (a `vm` context, a worker's transfer): `instanceof DataView` is false for a DataView
 * of another realm, which then passed as an array without a length, so the kind is read from the
 * object's tag instead.
 */
export function isArrayLikeOfNumbers(value: unknown): value is ArrayLike<number> {
  if (Array.isArray(value) || value instanceof Float64Array) return true;
  if (!ArrayBuffer.isView(value)) return false;
  const tag = Object.prototype.toString.call(value);
  return tag !== '[object DataView]' && tag !== '[object BigInt64Array]' && tag !== '[object BigUint64Array]';
}

/**
 * Largest accepted |sample| (1e50) in chunks the library learns from. The moments add products of
 * two samples over pairs: x² ≤ 1e100, times at most 2⁵³ ≈ 9·10¹⁵ pairs, times the forgetting
 * accumulators' rescale factor (≤ 1e100) and 1024 pooled peers stays below 1e220, far from the
 * float64 limit 1.8·10³⁰⁸. Without a limit a chunk of finite 1e200 samples overflowed the sums to
 * ∞, and every later solve failed.
 */
export const MAX_SAMPLE_MAGNITUDE = 1e50;
