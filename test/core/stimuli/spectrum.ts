/**
 * Test helper: power-spectrum slopes by FFT. The image (or each row) is mean-removed and Hann
 * windowed so the edges of a non-periodic image do not leak a spurious 1/f² ramp into the estimate;
 * power is averaged in logarithmic bins of spatial frequency (cycles/pixel) and the log-log slope
 * fitted over [fMin, fMax] by least squares weighted by the number of frequencies per bin (the log
 * of a mean of n periodogram values has variance ≈ 1/n, so sparse low-frequency bins count less).
 */
import { fftInPlace } from '../../../core/stimuli/fft';

export interface SpectrumFit {
  slope: number;
  /** Bin centres (cycles/pixel) and mean power. */
  bins: { frequency: number; power: number; count: number }[];
}

function hann(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / n));
}

function fitBins(sums: Float64Array, counts: Float64Array, fMin: number, fMax: number): SpectrumFit {
  const bins: { frequency: number; power: number; count: number }[] = [];
  const nb = sums.length;
  for (let b = 0; b < nb; b++) {
    if (counts[b] === 0) continue;
    bins.push({ frequency: fMin * Math.pow(fMax / fMin, (b + 0.5) / nb), power: sums[b] / counts[b], count: counts[b] });
  }
  const xs = bins.map((b) => Math.log(b.frequency)), ys = bins.map((b) => Math.log(b.power)), ws = bins.map((b) => b.count);
  const total = ws.reduce((a, b) => a + b, 0);
  const mx = xs.reduce((a, x, i) => a + ws[i] * x, 0) / total, my = ys.reduce((a, y, i) => a + ws[i] * y, 0) / total;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < xs.length; i++) { sxy += ws[i] * (xs[i] - mx) * (ys[i] - my); sxx += ws[i] * (xs[i] - mx) ** 2; }
  return { slope: sxy / sxx, bins };
}

/** Radially averaged 2-D power spectrum of one or more equally sized images, and its slope. */
export function radialSpectrumSlope(images: { width: number; height: number; data: Float64Array }[], fMin: number, fMax: number, nBins = 16): SpectrumFit {
  const sums = new Float64Array(nBins), counts = new Float64Array(nBins);
  for (const { width: W, height: H, data } of images) {
    const wx = hann(W), wy = hann(H);
    let mean = 0;
    for (const v of data) mean += v;
    mean /= data.length;
    const re = new Float64Array(W * H), im = new Float64Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) re[y * W + x] = (data[y * W + x] - mean) * wx[x] * wy[y];
    for (let y = 0; y < H; y++) fftInPlace(re.subarray(y * W, (y + 1) * W), im.subarray(y * W, (y + 1) * W));
    const cr = new Float64Array(H), ci = new Float64Array(H);
    for (let x = 0; x < W; x++) {
      for (let y = 0; y < H; y++) { cr[y] = re[y * W + x]; ci[y] = im[y * W + x]; }
      fftInPlace(cr, ci);
      for (let y = 0; y < H; y++) { re[y * W + x] = cr[y]; im[y * W + x] = ci[y]; }
    }
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const f = Math.hypot((x <= W / 2 ? x : x - W) / W, (y <= H / 2 ? y : y - H) / H);
        if (f < fMin || f >= fMax) continue;
        const b = Math.floor((Math.log(f / fMin) / Math.log(fMax / fMin)) * nBins);
        sums[b] += re[y * W + x] ** 2 + im[y * W + x] ** 2;
        counts[b]++;
      }
    }
  }
  return fitBins(sums, counts, fMin, fMax);
}

/** Mean 1-D power spectrum of the rows of an image, and its slope. */
export function rowSpectrumSlope(image: { width: number; height: number; data: Float64Array }, fMin: number, fMax: number, nBins = 16): SpectrumFit {
  const { width: W, height: H, data } = image;
  const sums = new Float64Array(nBins), counts = new Float64Array(nBins);
  const w = hann(W);
  for (let y = 0; y < H; y++) {
    const row = data.subarray(y * W, (y + 1) * W);
    const mean = row.reduce((a, b) => a + b, 0) / W;
    const re = Float64Array.from(row, (v, x) => (v - mean) * w[x]), im = new Float64Array(W);
    fftInPlace(re, im);
    for (let x = 1; x <= W / 2; x++) {
      const f = x / W;
      if (f < fMin || f >= fMax) continue;
      const b = Math.floor((Math.log(f / fMin) / Math.log(fMax / fMin)) * nBins);
      sums[b] += re[x] ** 2 + im[x] ** 2;
      counts[b]++;
    }
  }
  return fitBins(sums, counts, fMin, fMax);
}
