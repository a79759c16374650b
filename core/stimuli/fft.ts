/**
 * Internal numeric helpers of the stimulus kit (not part of the public surface): an in-place
 * radix-2 FFT and separable Gaussian filtering of image lines with wrap-around or mirrored edges.
 *
 * Why an FFT here: the local-mean Gaussian (sd 20°) spans hundreds of image pixels, so direct
 * convolution of a large panorama costs O(pixels × taps); filtering each line through an FFT costs
 * O(pixels × log line length) and gives the same truncated-kernel result to round-off.
 */

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * In-place complex FFT (radix-2, decimation in time) of `re` + i·`im`, length a power of two.
 * `inverse` computes the unnormalised inverse (divide by the length yourself).
 */
export function fftInPlace(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (n <= 1) return;
  if ((n & (n - 1)) !== 0) throw new RangeError(`FFT length ${n} is not a power of two`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const angle = (sign * 2 * Math.PI) / size;
    const wRe = Math.cos(angle), wIm = Math.sin(angle);
    for (let start = 0; start < n; start += size) {
      let cRe = 1, cIm = 0;
      for (let k = 0; k < half; k++) {
        const a = start + k, b = a + half;
        const tRe = re[b] * cRe - im[b] * cIm;
        const tIm = re[b] * cIm + im[b] * cRe;
        re[b] = re[a] - tRe; im[b] = im[a] - tIm;
        re[a] += tRe; im[a] += tIm;
        const nRe = cRe * wRe - cIm * wIm;
        cIm = cRe * wIm + cIm * wRe;
        cRe = nRe;
      }
    }
  }
}

/** How a line continues past its ends: periodically (a 360° panorama) or mirrored (edge pixel repeated). */
export type EdgeMode = 'wrap' | 'reflect';

/** Index into a line of length n for any integer i, continuing by `mode`. */
export function edgeIndex(i: number, n: number, mode: EdgeMode): number {
  if (i >= 0 && i < n) return i;
  if (mode === 'wrap') return ((i % n) + n) % n;
  const period = 2 * n; // symmetric reflection: … 1 0 | 0 1 … n−1 | n−1 n−2 …
  const r = ((i % period) + period) % period;
  return r < n ? r : period - 1 - r;
}

/**
 * Normalised Gaussian taps g[−R..R] (sum 1), truncated at R = ceil(4·sd) samples. A zero sd gives
 * the identity filter [1].
 */
export function gaussianTaps(sdSamples: number): Float64Array {
  if (!(sdSamples > 0)) return Float64Array.of(1);
  const radius = Math.max(1, Math.ceil(4 * sdSamples));
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    const value = Math.exp(-(k * k) / (2 * sdSamples * sdSamples));
    taps[k + radius] = value;
    sum += value;
  }
  for (let k = 0; k < taps.length; k++) taps[k] /= sum;
  return taps;
}

/** Kernels longer than this many taps are applied through the FFT. */
const DIRECT_MAX_TAPS = 65;

/**
 * Filters many lines of equal length with a symmetric kernel (taps g[−R..R]), reading line j's
 * sample k from `read(j, k)` and writing through `write(j, k, value)`. Edges continue by `mode`.
 * Direct and FFT paths compute the same sum Σ_d g[d]·x[edgeIndex(k − d)]. Each line is read in full
 * before any of it is written, so `write` may overwrite the samples `read` returns (in-place filtering).
 */
export function filterLines(
  lines: number,
  length: number,
  taps: Float64Array,
  mode: EdgeMode,
  read: (line: number, k: number) => number,
  write: (line: number, k: number, value: number) => void,
): void {
  const radius = (taps.length - 1) / 2;
  if (radius === 0) {
    for (let j = 0; j < lines; j++) for (let k = 0; k < length; k++) write(j, k, taps[0] * read(j, k));
    return;
  }
  const extended = new Float64Array(length + 2 * radius);
  if (taps.length <= DIRECT_MAX_TAPS) {
    for (let j = 0; j < lines; j++) {
      for (let k = -radius; k < length + radius; k++) extended[k + radius] = read(j, edgeIndex(k, length, mode));
      for (let k = 0; k < length; k++) {
        let sum = 0;
        for (let d = 0; d < taps.length; d++) sum += taps[d] * extended[k + 2 * radius - d];
        write(j, k, sum);
      }
    }
    return;
  }
  // Linear convolution of the extended line with the kernel, by FFT of size ≥ line + 2R + kernel.
  const size = nextPowerOfTwo(extended.length + taps.length - 1);
  const kernelRe = new Float64Array(size), kernelIm = new Float64Array(size);
  kernelRe.set(taps);
  fftInPlace(kernelRe, kernelIm);
  const re = new Float64Array(size), im = new Float64Array(size);
  // Two real lines per complex FFT (line a in the real part, line b in the imaginary part): the
  // kernel is real, so the two convolutions stay separated in the real and imaginary outputs.
  for (let j = 0; j < lines; j += 2) {
    re.fill(0); im.fill(0);
    for (let k = -radius; k < length + radius; k++) re[k + radius] = read(j, edgeIndex(k, length, mode));
    const pair = j + 1 < lines;
    if (pair) for (let k = -radius; k < length + radius; k++) im[k + radius] = read(j + 1, edgeIndex(k, length, mode));
    fftInPlace(re, im);
    for (let f = 0; f < size; f++) {
      const a = re[f], b = im[f], c = kernelRe[f], d = kernelIm[f];
      re[f] = a * c - b * d;
      im[f] = a * d + b * c;
    }
    fftInPlace(re, im, true);
    // Output k sits at index k + 2R of the full linear convolution.
    for (let k = 0; k < length; k++) {
      write(j, k, re[k + 2 * radius] / size);
      if (pair) write(j + 1, k, im[k + 2 * radius] / size);
    }
  }
}
