/**
 * Output buffers for multi-channel chunks.
 *
 * Allocating a typed array costs a few microseconds whatever its length (3.9 µs for 1000 values
 * on the 2-core benchmark machine, against 0.5 µs for a view), so a chunk of 64 channels that
 * allocated each channel on its own spent more time allocating than computing. Channels are
 * therefore carved as views out of shared buffers ("slabs"). A slab holds at most
 * {@link CHANNELS_PER_SLAB} channels, which bounds what code that copies a view's whole underlying
 * buffer (a generic deep clone such as lodash's cloneDeep, Node-RED's message clone) copies: at
 * most that many times the channel itself.
 */

/** Most channels sharing one buffer. */
export const CHANNELS_PER_SLAB = 8;

/**
 * `count` zero-filled Float64Arrays of `length` values, in slabs of at most
 * {@link CHANNELS_PER_SLAB} channels.
 */
export function allocateChannels(count: number, length: number): Float64Array[] {
  const out: Float64Array[] = new Array<Float64Array>(count);
  for (let first = 0; first < count; first += CHANNELS_PER_SLAB) {
    const inSlab = Math.min(CHANNELS_PER_SLAB, count - first);
    const slab = new ArrayBuffer(inSlab * length * Float64Array.BYTES_PER_ELEMENT);
    for (let k = 0; k < inSlab; k++) out[first + k] = new Float64Array(slab, k * length * Float64Array.BYTES_PER_ELEMENT, length);
  }
  return out;
}

/** True when `channel`'s buffer holds at most {@link CHANNELS_PER_SLAB} channels of its size. */
export function isCompactView(channel: Float64Array): boolean {
  return channel.buffer instanceof ArrayBuffer && channel.buffer.byteLength <= CHANNELS_PER_SLAB * Math.max(channel.byteLength, 1);
}
