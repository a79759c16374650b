/**
 * Versioned plain-JSON form of a {@link CcaFit} (what a "filters" message and `resu learn` carry).
 */
import { CcaFit } from './cca';
import { ConfigError, ShapeError } from './errors';
import { mutualInformationBits, mutualInformationNats } from './metrics';
import { MAX_JOINT_DIMENSION, MAX_LAGS } from './moments';
import { requireFinite, requireFiniteArray, requireInt } from './validate';

/** `format` tag of a serialized fit ({@link CcaFitJSON}); a filters message is recognised by it. */
export const FIT_FORMAT = 'resu-cca-fit';
/** Version of {@link CcaFitJSON} this library writes and reads. */
export const FIT_VERSION = 1;

/** JSON-safe CcaFit: plain arrays, a format tag and a version. */
export interface CcaFitJSON {
  readonly format: typeof FIT_FORMAT;
  readonly version: typeof FIT_VERSION;
  readonly channels: number;
  readonly pastLags: number;
  readonly futureLags: number;
  readonly centered: boolean;
  /** Pairs behind the fit; −1 for a population fit from exact moments (its pair count is infinite). */
  readonly pairs: number;
  readonly weight: number;
  /** Descending. */
  readonly correlations: number[];
  /** Rows of C·m taps, newest first, channel-major. */
  readonly pastFilters: number[][];
  readonly futureDirections: number[][];
  readonly mutualInformationNats: number[];
  readonly mutualInformationBits: number[];
  readonly conditionNumber: { readonly past: number; readonly future: number };
  readonly warnings: string[];
}

/** CcaFit → plain JSON. */
export function fitToJSON(fit: CcaFit): CcaFitJSON {
  return {
    format: FIT_FORMAT,
    version: FIT_VERSION,
    channels: fit.channels,
    pastLags: fit.pastLags,
    futureLags: fit.futureLags,
    centered: fit.centered,
    pairs: Number.isFinite(fit.pairs) ? fit.pairs : -1,
    weight: fit.weight,
    correlations: Array.from(fit.correlations),
    pastFilters: fit.pastFilters.map((row) => Array.from(row)),
    futureDirections: fit.futureDirections.map((row) => Array.from(row)),
    mutualInformationNats: Array.from(fit.mutualInformationNats),
    mutualInformationBits: Array.from(fit.mutualInformationBits),
    conditionNumber: { ...fit.conditionNumber },
    warnings: [...fit.warnings],
  };
}

/**
 * Plain JSON → CcaFit, checking format, version and every shape.
 * @throws ShapeError / ConfigError naming the field.
 */
export function fitFromJSON(payload: unknown): CcaFit {
  const data = payload as Partial<CcaFitJSON> | null;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new ConfigError('filters', payload, 'a filters object');
  if (data.format !== FIT_FORMAT) throw new ShapeError(`filters have format ${JSON.stringify(data.format)}; expected "${FIT_FORMAT}"`);
  if (data.version !== FIT_VERSION) throw new ShapeError(`filters have version ${JSON.stringify(data.version)}; this library reads version ${FIT_VERSION}`);
  // the bounds a learner can produce, so a foreign payload cannot size a unit's history beyond them
  const channels = requireInt('filters.channels', data.channels, { min: 1, max: MAX_JOINT_DIMENSION });
  const pastLags = requireInt('filters.pastLags', data.pastLags, { min: 1, max: MAX_LAGS });
  const futureLags = requireInt('filters.futureLags', data.futureLags, { min: 1, max: MAX_LAGS });
  const rank = Array.isArray(data.correlations) ? data.correlations.length : -1;
  const correlations = requireFiniteArray('filters.correlations', data.correlations, { minLength: 1, maxLength: Math.min(channels * pastLags, channels * futureLags) });
  correlations.forEach((rho, i) => requireFinite(`filters.correlations[${i}]`, rho, { min: 0, max: 1 }));
  const rows = (field: 'pastFilters' | 'futureDirections', width: number): Float64Array[] => {
    const value = data[field];
    if (!Array.isArray(value) || value.length !== rank) throw new ShapeError(`filters.${field} must hold ${rank} rows (one per correlation)`);
    return value.map((row, i) => requireFiniteArray(`filters.${field}[${i}]`, row, { minLength: width, maxLength: width }));
  };
  // NaN (no such matrix, e.g. the online rule's fit) travels as null: read it back as NaN, not Number(null) = 0
  const conditionNumber = data.conditionNumber ?? { past: NaN, future: NaN };
  const condition = (value: unknown): number => (typeof value === 'number' ? value : NaN);
  return {
    correlations,
    pastFilters: rows('pastFilters', channels * pastLags),
    futureDirections: rows('futureDirections', channels * futureLags),
    mutualInformationNats: mutualInformationNats(correlations),
    mutualInformationBits: mutualInformationBits(correlations),
    conditionNumber: { past: condition(conditionNumber.past), future: condition(conditionNumber.future) },
    pairs: typeof data.pairs === 'number' ? (data.pairs === -1 ? Number.POSITIVE_INFINITY : data.pairs) : 0,
    weight: typeof data.weight === 'number' ? data.weight : 0,
    channels, pastLags, futureLags,
    centered: data.centered === true,
    warnings: Array.isArray(data.warnings) ? data.warnings.map(String) : [],
  };
}
