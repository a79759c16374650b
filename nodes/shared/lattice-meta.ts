/**
 * msg.chunk.lattice and msg.chunk.positions (docs/chunk-message.md): the pixel lattice a 2-D
 * source's channels come from. `lattice` is read (untrusted: validated by core's createLattice and
 * against the channel count); `positions` are always recomputed from it when a node sends a chunk,
 * so they cannot disagree with it.
 */
import { ConfigError, createLattice, Lattice } from '../../core';
import { InputError } from './errors';

/** The lattice of a chunk's channels: channel i is pixel i = row · columns + column. */
export interface LatticeMeta {
  kind: 'square' | 'hexagonal';
  rows: number;
  columns: number;
  spacingDeg: number;
}

/** One pixel's place, as msg.chunk.positions lists them. */
export interface PixelPosition { row: number; column: number; xDeg: number; yDeg: number }

/**
 * Reads msg.chunk.lattice: null when absent, else a lattice of exactly `channels` pixels.
 * @throws InputError naming the field.
 */
export function readLatticeMeta(raw: unknown, channels: number): LatticeMeta | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw InputError.field('msg.chunk.lattice', raw, 'an object {kind, rows, columns, spacingDeg}');
  const { kind, rows, columns, spacingDeg } = raw as Record<string, unknown>;
  let lattice: Lattice;
  try {
    lattice = createLattice({ kind: kind as LatticeMeta['kind'], rows: rows as number, columns: columns as number, spacingDeg: spacingDeg as number });
  } catch (err) {
    // core names the option ("lattice.rows must be …"); on a message it is msg.chunk.lattice.rows
    if (err instanceof ConfigError) throw new InputError(`msg.chunk.${err.message}`);
    throw err;
  }
  if (kind === undefined || rows === undefined || columns === undefined || spacingDeg === undefined) {
    throw InputError.field('msg.chunk.lattice', raw, 'an object with all of kind, rows, columns and spacingDeg');
  }
  if (lattice.rows * lattice.columns !== channels) {
    throw new InputError(`msg.chunk.lattice has ${lattice.rows} × ${lattice.columns} = ${lattice.rows * lattice.columns} pixels; msg.payload has ${channels} channels`);
  }
  return { kind: lattice.kind, rows: lattice.rows, columns: lattice.columns, spacingDeg: lattice.spacingDeg };
}

/** Each pixel's row, column and position in degrees (core's lattice points), as plain objects. */
export function latticePositions(meta: LatticeMeta): PixelPosition[] {
  return createLattice(meta).points.map(({ row, column, xDeg, yDeg }) => ({ row, column, xDeg, yDeg }));
}
