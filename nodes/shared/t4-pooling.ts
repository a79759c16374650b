/**
 * Which pixels a T4 node pools (docs/motion-2d.md): a row of adjacent channels (1-D, the paper's
 * eye), or the collinear triplets along the horizontal or the vertical axis of the lattice its
 * chunks come from (msg.chunk.lattice; core's axisTriplets), and the names of its response channels.
 */
import { axisTriplets, createLattice, LatticeAxis, PixelTriplet, rowTriplets } from '../../core';
import { InputError } from './errors';
import { LatticeMeta } from './lattice-meta';

export type T4Pooling = 'row' | LatticeAxis;

/** Triplets of the lattices seen (a handful per flow; bounded). */
const cache = new Map<string, PixelTriplet[]>();
const CACHE_SIZE = 32;

/**
 * The triplets a chunk's pixels form for this pooling: undefined for a row (core's default,
 * adjacent channels), else the lattice's triplets along the axis.
 * @throws InputError when the chunk has no lattice, or the lattice has no triplet along the axis.
 */
export function poolingTriplets(pooling: T4Pooling, lattice: LatticeMeta | null | undefined, pixels: number): PixelTriplet[] | undefined {
  if (pooling === 'row') return undefined;
  if (!lattice) throw new InputError(`msg.chunk.lattice is missing: pooling along the ${pooling} axis needs chunks from a lattice (a scanner or probe with a lattice)`);
  const key = `${lattice.kind} ${lattice.rows} ${lattice.columns} ${pooling}`;
  let triplets = cache.get(key);
  if (!triplets) {
    triplets = axisTriplets(createLattice(lattice), pooling);
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, triplets);
  }
  if (triplets.length === 0) {
    throw new InputError(`msg.chunk.lattice (${lattice.rows} × ${lattice.columns}, ${lattice.kind}) has no ${pooling} triplet of ${pixels} pixels; pooling ${pooling} needs three pixels in a line along that axis`);
  }
  return triplets;
}

/**
 * Response channel names, unit-major as core's T4Layer.apply returns them: "<label>/px<centre>"
 * for one unit, "<label>:<u>/px<centre>" for unit u of several; the probe tells units apart by them.
 */
export function responseNames(label: string, triplets: readonly PixelTriplet[] | undefined, pixels: number, units: number): string[] {
  const centres = (triplets ?? rowTriplets(pixels)).map((t) => t[1]);
  return Array.from({ length: units }, (_, u) => centres.map((centre) => `${units > 1 ? `${label}:${u + 1}` : label}/px${centre}`)).flat();
}
