/**
 * Pixel lattices of a 2-D eye (docs/motion-2d.md): square or hexagonal, `rows` × `columns` pixels
 * `spacingDeg` apart, centred on their centroid. Angles in degrees, x to the right (the
 * front-to-back direction of T4a, docs/method.md §4) and y upward; row 0 is the bottom row.
 *
 * Square: pixel (r, c) at (c·s, r·s). Hexagonal, with horizontal rows: (c·s + (r mod 2)·s/2,
 * r·s·√3/2), so horizontal neighbours are s apart and the nearest pixel straight above is two rows
 * up, √3·s ≈ 1.73·s away (the vertical T4 triplet of a hexagonal lattice pools (r − 2, r, r + 2)).
 */
import { ConfigError } from '../errors';
import { requireFinite, requireInt, requireOneOf } from '../validate';

/** Arrangement of the pixels of a {@link Lattice}. */
export type LatticeKind = 'square' | 'hexagonal';
/** The axis a T4 triplet pools along: horizontal (T4a/T4b) or vertical (T4c/T4d). */
export type LatticeAxis = 'horizontal' | 'vertical';

/** Largest rows × columns. */
export const MAX_LATTICE_PIXELS = 4096;

/** Options of {@link createLattice}. Defaults: {@link DEFAULT_LATTICE_OPTIONS}. */
export interface LatticeOptions {
  /** 'square' (default) or 'hexagonal'. */
  readonly kind?: LatticeKind;
  /** Pixel rows. Default 3. */
  readonly rows?: number;
  /** Pixels per row. Default 3. */
  readonly columns?: number;
  /** Distance between horizontal neighbours, degrees (the fly's inter-ommatidial angle). Default 5. */
  readonly spacingDeg?: number;
}

/** Defaults of {@link LatticeOptions}. */
export const DEFAULT_LATTICE_OPTIONS = { kind: 'square' as LatticeKind, rows: 3, columns: 3, spacingDeg: 5 } as const;

/** One pixel of a lattice: its index in chunks (row · columns + column) and its position. */
export interface LatticePoint {
  readonly index: number;
  readonly row: number;
  readonly column: number;
  /** Azimuth relative to the lattice centroid, degrees (positive: front-to-back, T4a's preferred direction). */
  readonly xDeg: number;
  /** Elevation relative to the lattice centroid, degrees (positive: up). */
  readonly yDeg: number;
}

/** A resolved lattice. */
export interface Lattice {
  readonly kind: LatticeKind;
  readonly rows: number;
  readonly columns: number;
  readonly spacingDeg: number;
  /** rows × columns pixels, row-major from the bottom row. */
  readonly points: readonly LatticePoint[];
}

const HEX_ROW_HEIGHT = Math.sqrt(3) / 2;

/**
 * Builds a lattice.
 * @throws ConfigError naming the field.
 */
export function createLattice(options: LatticeOptions = {}): Lattice {
  if (options === null || typeof options !== 'object') throw new ConfigError('lattice', options, 'an object');
  const d = DEFAULT_LATTICE_OPTIONS;
  const kind = requireOneOf('lattice.kind', options.kind ?? d.kind, ['square', 'hexagonal']);
  const rows = requireInt('lattice.rows', options.rows ?? d.rows, { min: 1, max: MAX_LATTICE_PIXELS });
  const columns = requireInt('lattice.columns', options.columns ?? d.columns, { min: 1, max: MAX_LATTICE_PIXELS });
  if (rows * columns > MAX_LATTICE_PIXELS) throw new ConfigError('lattice.rows × lattice.columns', rows * columns, `at most ${MAX_LATTICE_PIXELS} pixels`);
  const spacingDeg = requireFinite('lattice.spacingDeg', options.spacingDeg ?? d.spacingDeg, { min: 0, exclusiveMin: true, max: 90 });
  const raw: { row: number; column: number; x: number; y: number }[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const x = kind === 'square' ? column * spacingDeg : (column + (row % 2) / 2) * spacingDeg;
      const y = kind === 'square' ? row * spacingDeg : row * HEX_ROW_HEIGHT * spacingDeg;
      raw.push({ row, column, x, y });
    }
  }
  const meanX = raw.reduce((a, p) => a + p.x, 0) / raw.length, meanY = raw.reduce((a, p) => a + p.y, 0) / raw.length;
  const points = raw.map((p, index) => ({ index, row: p.row, column: p.column, xDeg: p.x - meanX, yDeg: p.y - meanY }));
  return { kind, rows, columns, spacingDeg, points };
}

/** Row step between the pixels of a vertical triplet: 1 (square) or 2 (hexagonal: same column two rows up). */
function verticalRowStep(lattice: Lattice): number {
  return lattice.kind === 'square' ? 1 : 2;
}

/** Distance between neighbours of a triplet along `axis`, degrees: s, or √3·s vertically on a hexagonal lattice. */
export function axisSpacingDeg(lattice: Lattice, axis: LatticeAxis): number {
  return axis === 'horizontal' || lattice.kind === 'square' ? lattice.spacingDeg : Math.sqrt(3) * lattice.spacingDeg;
}

/**
 * Every triplet of collinear neighbours along `axis`: pixel indices [negative end, centre, positive
 * end] (left, centre, right; or bottom, centre, top), the order of a T4's (left, centre, right)
 * inputs (docs/method.md §4.2), so a unit trained on motion toward the positive end is a T4a
 * (horizontal) or T4c (vertical, upward).
 */
export function axisTriplets(lattice: Lattice, axis: LatticeAxis): [number, number, number][] {
  const { rows, columns } = lattice;
  const at = (row: number, column: number): number => row * columns + column;
  const out: [number, number, number][] = [];
  if (axis === 'horizontal') {
    for (let row = 0; row < rows; row++) for (let column = 1; column + 1 < columns; column++) out.push([at(row, column - 1), at(row, column), at(row, column + 1)]);
  } else {
    const step = verticalRowStep(lattice);
    for (let row = step; row + step < rows; row++) for (let column = 0; column < columns; column++) out.push([at(row - step, column), at(row, column), at(row + step, column)]);
  }
  return out;
}

/** cos and sin of an angle in degrees, exact at multiples of 90° (so axis-aligned scans hit image pixels exactly). */
export function unitVectorDeg(angleDeg: number): [number, number] {
  const a = ((angleDeg % 360) + 360) % 360;
  if (a === 0) return [1, 0];
  if (a === 90) return [0, 1];
  if (a === 180) return [-1, 0];
  if (a === 270) return [0, -1];
  const r = (a * Math.PI) / 180;
  return [Math.cos(r), Math.sin(r)];
}

/** Distance between two directions on the circle, degrees in [0, 180]. */
export function angleBetweenDeg(a: number, b: number): number {
  const d = (((a - b) % 360) + 360) % 360;
  return Math.min(d, 360 - d);
}
