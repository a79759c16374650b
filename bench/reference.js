'use strict';
/**
 * The straightforward FIR, as core/units.ts had it before the fast path (kept here as the
 * benchmark's reference figure): per chunk a fresh [history | chunk] array, per output sample a
 * bounds test and one multiply-add per tap.
 */
class ReferenceFir {
  constructor(taps) { this.taps = Float64Array.from(taps); this.history = new Float64Array(taps.length - 1); this.historyLength = 0; }
  process(chunk) {
    const m = this.taps.length, H = this.historyLength, n = chunk.length;
    const data = Float64Array.from(chunk);
    const out = new Float64Array(n);
    const work = new Float64Array(H + n);
    work.set(this.history.subarray(0, H));
    work.set(data, H);
    for (let t = 0; t < n; t++) {
      const newest = H + t;
      const available = Math.min(m, newest + 1);
      let acc = 0;
      for (let k = 0; k < available; k++) acc += this.taps[k] * work[newest - k];
      out[t] += acc;
    }
    const keep = Math.min(m - 1, H + n);
    this.history.set(work.subarray(H + n - keep));
    this.historyLength = keep;
    return out;
  }
}

module.exports = { ReferenceFir };
