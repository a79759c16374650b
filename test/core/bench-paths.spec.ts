/**
 * The fast paths behind `npm run bench` (issue 7) give the results of the straightforward code.
 *
 * - FIR (core/units.ts `convolveNewestFirst`, FirFilter, PastProjection): four outputs per pass,
 *   each output's sum still over k in ascending order, so the result equals the one-output loop
 *   exactly (`===`; only the sign of a zero may differ, since missing history is now added as 0).
 * - Lagged moments (core/moments.ts `addLagProducts`): four lags per pass, each lag's sum over q in
 *   ascending order, so equal (`===`) to the one-lag loop; the lagged algorithm as a whole against
 *   the straightforward `direct` x xᵀ accumulation to round-off, 1e-12 relative (another order of
 *   the same additions).
 * - Direct moments without forgetting (the T4 layer's path, core/moments.ts `addSliceProducts`):
 *   each entry of Σ x xᵀ as a dot product of two contiguous slices per chunk, against the
 *   straightforward per-pair x xᵀ loop to 1e-12 relative (same products, another order).
 * - Reused work buffers (moments, FIR): any chunking, interleaved series and chunks longer than the
 *   reuse cap (2^16) give the one-chunk result.
 * - Message plumbing (nodes/shared/messages.ts): typed and plain payloads read to the same values
 *   (one block, one view per channel), bad values are reported at their index, plain output.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import { ConfigError } from '../../core/errors';
import { addLagProducts, LaggedMoments } from '../../core/moments';
import { Random } from '../../core/random';
import { convolve, convolveNewestFirst, FirFilter, PastProjection, ResuUnit } from '../../core/units';
import { convolveWasm, wasmFirAvailable } from '../../core/wasm/fir';
import * as path from 'path';
import { allocateChannels, CHANNELS_PER_SLAB, isCompactView } from '../../core/channels';
import { ChunkSamples, readChunkMessage, toPlain, writeChunkMessage } from '../../nodes/shared/messages';
import { chunkLengths, correlatedSeries, momentsError } from '../helpers/oracles';
import { spawnNodeSync } from '../helpers/node-command';

const ROUND_OFF = 1e-12;
/**
 * Whether this runtime should run the WebAssembly SIMD FIR kernel: yes on x64 and arm64 (Node ≥ 16),
 * unless switched off with RESU_WASM=0; CI sets RESU_EXPECT_WASM_SIMD=0 where it runs these specs on
 * 32-bit ARM without NEON (qemu-arm-static -cpu cortex-a15,neon=off), whose V8 has no Wasm SIMD.
 */
const EXPECT_WASM_SIMD = process.env.RESU_EXPECT_WASM_SIMD !== '0' && process.env.RESU_WASM !== '0';
const FC_SEED = 4207;

/** The straightforward FIR: out_t = Σ_{k ≤ t} taps[k]·y[t − k], k ascending. */
function referenceFir(y: ArrayLike<number>, taps: ArrayLike<number>, base = 0, m = taps.length): Float64Array {
  const out = new Float64Array(y.length);
  for (let t = 0; t < y.length; t++) {
    let acc = 0;
    for (let k = 0; k < m && k <= t; k++) acc += taps[base + k] * y[t - k];
    out[t] = acc;
  }
  return out;
}

/** Exact equality (`===`, so +0 and −0 count as equal), reporting the first difference. */
function assertSameValues(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    if (!(actual[i] === expected[i])) assert.fail(`${what}[${i}]: ${actual[i]} !== ${expected[i]}`);
  }
}

function gaussian(rng: Random, n: number, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, () => scale * rng.gaussian());
}

function slices(values: Float64Array, lengths: number[]): Float64Array[] {
  const out: Float64Array[] = [];
  let start = 0;
  for (const length of lengths) { out.push(values.slice(start, start + length)); start += length; }
  return out;
}

describe('bench fast paths (issue 7)', function () {
  describe('FIR kernel', function () {
    it('convolveNewestFirst equals the one-output loop exactly for every m and n (remainders of 4 included)', function () {
      const rng = new Random(11);
      for (const m of [1, 2, 3, 4, 5, 7, 50]) {
        for (let n = 0; n <= 13; n++) {
          const taps = gaussian(rng, m), y = gaussian(rng, n);
          const H = m - 1;
          const work = new Float64Array(H + n);
          work.set(y, H);
          const out = new Float64Array(n);
          convolveNewestFirst(taps, 0, m, work, H, n, out);
          assertSameValues(out, referenceFir(y, taps), `m ${m}, n ${n}`);
        }
      }
    });

    it(`selects the ${EXPECT_WASM_SIMD ? 'WebAssembly SIMD' : 'JavaScript'} kernel in this runtime (${process.arch})`, function () {
      assert.equal(wasmFirAvailable(), EXPECT_WASM_SIMD, EXPECT_WASM_SIMD
        ? 'WebAssembly SIMD available (x64 / arm64 Node ≥ 16; 32-bit ARM with NEON)'
        : 'no SIMD (RESU_EXPECT_WASM_SIMD=0) or switched off (RESU_WASM=0): the JavaScript fallback');
    });

    it('without the WebAssembly kernel, convolveWasm declines and leaves the output alone; convolve still filters', function () {
      if (EXPECT_WASM_SIMD) this.skip(); // runs where SIMD is missing or off: RESU_WASM=0, 32-bit ARM without NEON (CI)
      const rng = new Random(15);
      const taps = gaussian(rng, 50), work = gaussian(rng, 49 + 1000), before = gaussian(rng, 1000);
      const out = Float64Array.from(before);
      assert.equal(convolveWasm(taps, 0, 50, work, 49, 1000, out), false);
      assertSameValues(out, before, 'untouched');
      const js = new Float64Array(1000), dispatched = new Float64Array(1000);
      convolveNewestFirst(taps, 0, 50, work, 49, 1000, js);
      convolve(taps, 0, 50, work, 49, 1000, dispatched);
      assertSameValues(dispatched, js, 'dispatched');
    });

    it('RESU_WASM=0 and a runtime without WebAssembly (node --jitless) take the JavaScript path with the same output', function () {
      this.timeout(60_000);
      const script = `const fir = require(${JSON.stringify(path.resolve(__dirname, '../../core/wasm/fir.js'))});
        const { FirFilter } = require(${JSON.stringify(path.resolve(__dirname, '../../core/units.js'))});
        const taps = Float64Array.from({ length: 50 }, (_, k) => Math.sin(k + 1) / (k + 1));
        const x = Float64Array.from({ length: 3000 }, (_, t) => Math.cos(0.37 * t) + ((t * 7919) % 13) / 13);
        const f = new FirFilter(taps, 1), out = [];
        for (let s = 0; s < x.length; s += 1000) out.push(...f.process(x.subarray(s, s + 1000))[0]);
        console.log(JSON.stringify({ wasm: typeof WebAssembly === 'object', kernel: fir.wasmFirAvailable(), out }));`;
      const runs = [
        { what: 'default', args: ['-e', script], env: {} },
        { what: 'RESU_WASM=0', args: ['-e', script], env: { RESU_WASM: '0' } },
        { what: '--jitless', args: ['--jitless', '-e', script], env: {} },
      ].map(({ what, args, env }) => {
        const child = spawnNodeSync(args, { encoding: 'utf8', env: { ...process.env, RESU_WASM: '', ...env }, timeout: 60_000 });
        assert.equal(child.status, 0, `${what}: ${child.stderr}`);
        return { what, ...JSON.parse(child.stdout) as { wasm: boolean; kernel: boolean; out: number[] } };
      });
      assert.equal(runs[1].kernel, false, 'RESU_WASM=0 switches the kernel off');
      assert.deepEqual([runs[2].wasm, runs[2].kernel], [false, false], '--jitless has no WebAssembly');
      for (const run of runs.slice(1)) assert.deepEqual(run.out, runs[0].out, `${run.what} filters like the default (${runs[0].kernel ? 'WebAssembly' : 'JavaScript'}) kernel`);
    });

    it('the WebAssembly SIMD kernel equals the JavaScript kernel bit for bit', function () {
      if (!EXPECT_WASM_SIMD) this.skip();
      const rng = new Random(13);
      for (const m of [1, 2, 3, 7, 8, 9, 50, 51, 200]) {
        for (const n of [0, 1, 7, 8, 9, 15, 16, 17, 100, 1000]) {
          for (const scale of [1, 1e-310, 1e300]) {
            const base = rng.integer(3), extra = rng.integer(4); // taps at an offset, a longer history than m − 1
            const taps = gaussian(rng, base + m + 2), offset = m - 1 + extra;
            const work = gaussian(rng, offset + n + 5).map((x) => x * scale);
            const start = gaussian(rng, n); // accumulates into existing values (PastProjection sums channels)
            const js = Float64Array.from(start), wasm = Float64Array.from(start);
            convolveNewestFirst(taps, base, m, work, offset, n, js);
            assert.ok(convolveWasm(taps, base, m, work, offset, n, wasm));
            js.forEach((x, t) => assert.ok(Object.is(wasm[t], x), `m ${m}, n ${n}, scale ${scale}, t ${t}: ${wasm[t]} vs ${x}`));
          }
        }
      }
    });

    it('convolve (the dispatcher) gives the JavaScript kernel\'s values on both sides of its size threshold', function () {
      const rng = new Random(14);
      for (const [m, n] of [[3, 10], [50, 40], [50, 1000]]) {
        const taps = gaussian(rng, m), work = gaussian(rng, m - 1 + n);
        const js = new Float64Array(n), dispatched = new Float64Array(n);
        convolveNewestFirst(taps, 0, m, work, m - 1, n, js);
        convolve(taps, 0, m, work, m - 1, n, dispatched);
        assertSameValues(dispatched, js, `m ${m}, n ${n}`);
      }
    });

    it('the committed WebAssembly binary is the compiled core/wasm/fir.wat (npm run build:wasm)', function () {
      this.timeout(60_000);
      const root = path.resolve(__dirname, '../../..');
      const check = spawnNodeSync([path.join(root, 'scripts/build-wasm.js'), '--check'], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stderr);
    });

    it('FirFilter: any chunking of a multichannel stream gives the reference exactly (fast-check)', function () {
      fc.assert(fc.property(
        fc.record({
          m: fc.integer({ min: 1, max: 60 }),
          channels: fc.integer({ min: 1, max: 5 }),
          seed: fc.integer({ min: 0, max: 1e6 }),
          cuts: fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 20 }),
        }),
        ({ m, channels, seed, cuts }) => {
          const rng = new Random(seed);
          const taps = gaussian(rng, m);
          const streams = Array.from({ length: channels }, () => gaussian(rng, 400));
          const filter = new FirFilter(taps, channels);
          const outputs: Float64Array[][] = Array.from({ length: channels }, () => []);
          let start = 0;
          for (const length of chunkLengths(400, cuts)) {
            const chunk = streams.map((s) => s.subarray(start, start + length));
            filter.process(channels === 1 ? chunk[0] : chunk).forEach((o, c) => outputs[c].push(o));
            start += length;
          }
          streams.forEach((s, c) => assertSameValues(Float64Array.from(outputs[c].flatMap((o) => Array.from(o))), referenceFir(s, taps), `channel ${c}`));
        },
      ), { seed: FC_SEED, numRuns: 60 });
    });

    it('PastProjection (C·m taps): chunked output equals the per-channel reference sums exactly', function () {
      const rng = new Random(12);
      const C = 3, m = 17, n = 333;
      const taps = gaussian(rng, C * m);
      const streams = Array.from({ length: C }, () => gaussian(rng, n));
      const expected = new Float64Array(n);
      for (let c = 0; c < C; c++) {
        const partial = referenceFir(streams[c], taps, c * m, m);
        for (let t = 0; t < n; t++) expected[t] += partial[t];
      }
      const projection = new PastProjection(taps, C);
      const parts: number[] = [];
      let start = 0;
      for (const length of [1, 4, 0, 100, 3, 225]) {
        parts.push(...projection.process(streams.map((s) => s.subarray(start, start + length))));
        start += length;
      }
      assertSameValues(parts, expected, 'projection');
    });

    it('a chunk longer than the reused work buffer (2^16), and small chunks after it, continue the stream exactly', function () {
      const rng = new Random(13);
      const taps = gaussian(rng, 50), y = gaussian(rng, 70_000 + 900);
      const filter = new FirFilter(taps);
      const out = [...slices(y, [70_000, 500, 400]).flatMap((chunk) => Array.from(filter.process(chunk)[0]))];
      assertSameValues(out, referenceFir(y, taps), 'stream');
    });

    it('setTaps applies from the next chunk on, reset restarts from zeros', function () {
      const rng = new Random(14);
      const a = gaussian(rng, 8), b = gaussian(rng, 8), y = gaussian(rng, 100);
      const filter = new FirFilter(a);
      const first = filter.process(y.subarray(0, 37))[0];
      filter.setTaps(b);
      const second = filter.process(y.subarray(37))[0];
      assertSameValues(first, referenceFir(y, a).subarray(0, 37), 'before setTaps');
      assertSameValues(second, referenceFir(y, b).subarray(37), 'after setTaps');
      filter.reset();
      assertSameValues(filter.process(y)[0], referenceFir(y, b), 'after reset');
    });

    it('typed input is checked without a copy: a non-finite value is reported at its index, the history is untouched, the input is not mutated', function () {
      const rng = new Random(15);
      const taps = gaussian(rng, 5), y = gaussian(rng, 20);
      const filter = new FirFilter(taps);
      filter.process(y.subarray(0, 10));
      const bad = Float64Array.from(y.subarray(10));
      bad[3] = Number.NaN;
      assert.throws(() => filter.process(bad), (err: unknown) => err instanceof ConfigError && /chunk\[3\]/.test((err as Error).message));
      assert.ok(Number.isNaN(bad[3]) && bad[4] === y[14], 'input left as it was');
      const before = Float64Array.from(y);
      const rest = filter.process(y.subarray(10))[0];
      assertSameValues(rest, referenceFir(y, taps).subarray(10), 'continues after the rejected chunk');
      assertSameValues(y, before, 'input not mutated');
    });

    it('ResuUnit over a FirFilter: rectified chunked output equals max(reference, 0)', function () {
      const rng = new Random(16);
      const taps = gaussian(rng, 50), streams = [gaussian(rng, 2500), gaussian(rng, 2500)];
      const unit = new ResuUnit({ taps, channels: 2, polarity: 'on' });
      const out: number[][] = [[], []];
      for (let start = 0; start < 2500; start += 1000) unit.process(streams.map((s) => s.subarray(start, start + 1000))).forEach((o, c) => out[c].push(...o));
      streams.forEach((s, c) => assertSameValues(out[c], Array.from(referenceFir(s, taps), (x) => Math.max(x, 0)), `channel ${c}`));
    });
  });

  describe('lagged moments kernel', function () {
    it('addLagProducts equals the one-lag loop exactly for every L and K', function () {
      const rng = new Random(21);
      for (let L = 1; L <= 11; L++) {
        for (const K of [0, 1, 2, 3, 5, 17]) {
          const wa = gaussian(rng, K + L), wb = gaussian(rng, K + L);
          const sums = gaussian(rng, L + 3);
          const expected = Float64Array.from(sums);
          for (let d = 0; d < L; d++) {
            let acc = 0;
            for (let q = 0; q < K; q++) acc += wa[q] * wb[q + d];
            expected[2 + d] += acc;
          }
          addLagProducts(wa, wb, K, L, sums, 2);
          assertSameValues(sums, expected, `L ${L}, K ${K}`);
        }
      }
    });

    it('lagged equals the straightforward direct accumulation to 1e-12 at m = h = 50, chunks of 1000, several series', function () {
      const rng = new Random(22);
      const series = [correlatedSeries(rng, 1, 5000)[0], correlatedSeries(rng, 1, 3100)[0]].map((s) => Float64Array.from(s));
      const lagged = new LaggedMoments({ pastLags: 50, futureLags: 50, algorithm: 'lagged' });
      const direct = new LaggedMoments({ pastLags: 50, futureLags: 50, algorithm: 'direct' });
      // interleave the two series so the shared work buffers are reused across series
      for (let start = 0; start < 5000; start += 1000) {
        series.forEach((s, i) => { if (start < s.length) lagged.update(s.subarray(start, start + 1000), `s${i}`); });
      }
      series.forEach((s, i) => direct.update(s, `s${i}`));
      assert.equal(lagged.pairs, direct.pairs);
      const error = momentsError(lagged.moments(), direct.moments());
      assert.ok(error < ROUND_OFF, `relative error ${error}`);
    });

    it('the T4 configuration (6 channels, m = h = 1, delay 5), centered too: lagged vs direct to 1e-12, any chunking (fast-check)', function () {
      fc.assert(fc.property(
        fc.record({ seed: fc.integer({ min: 0, max: 1e6 }), center: fc.boolean(), cuts: fc.array(fc.integer({ min: 0, max: 600 }), { maxLength: 12 }) }),
        ({ seed, center, cuts }) => {
          const rng = new Random(seed);
          const data = correlatedSeries(rng, 6, 600).map((c) => Float64Array.from(c, (x) => x + 3));
          const options = { channels: 6, pastLags: 1, futureLags: 1, gap: 4, center };
          const lagged = new LaggedMoments({ ...options, algorithm: 'lagged' });
          const direct = new LaggedMoments({ ...options, algorithm: 'direct' });
          let start = 0;
          for (const length of chunkLengths(600, cuts)) {
            lagged.update(data.map((c) => c.subarray(start, start + length)));
            start += length;
          }
          direct.update(data);
          const error = momentsError(lagged.moments(), direct.moments());
          assert.ok(error < ROUND_OFF, `relative error ${error}`);
        },
      ), { seed: FC_SEED, numRuns: 40 });
    });

    it('direct without forgetting (per-chunk slice products) equals the straightforward per-pair x xᵀ accumulation to 1e-12, any chunking (fast-check)', function () {
      fc.assert(fc.property(
        fc.record({
          channels: fc.integer({ min: 1, max: 6 }), pastLags: fc.integer({ min: 1, max: 3 }), futureLags: fc.integer({ min: 1, max: 3 }),
          gap: fc.integer({ min: 0, max: 4 }), seed: fc.integer({ min: 0, max: 1e6 }), cuts: fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 10 }),
        }),
        ({ channels: C, pastLags: m, futureLags: h, gap: g, seed, cuts }) => {
          const rng = new Random(seed);
          const data = correlatedSeries(rng, C, 200).map((c) => Float64Array.from(c));
          const accumulator = new LaggedMoments({ channels: C, pastLags: m, futureLags: h, gap: g, algorithm: 'direct' });
          let start = 0;
          for (const length of chunkLengths(200, cuts)) {
            accumulator.update(data.map((c) => c.subarray(start, start + length)));
            start += length;
          }
          // straightforward: per pair, x = [p; f] and S += x xᵀ (upper triangle, row by row)
          const D = C * (m + h), L = m + g + h;
          const S = new Float64Array(D * D);
          let pairs = 0;
          for (let t = 0; t + L <= 200; t++) {
            const x: number[] = [];
            for (let c = 0; c < C; c++) for (let k = 0; k < m; k++) x.push(data[c][t + m - 1 - k]);
            for (let c = 0; c < C; c++) for (let j = 0; j < h; j++) x.push(data[c][t + m + g + j]);
            for (let r = 0; r < D; r++) for (let s2 = r; s2 < D; s2++) S[r * D + s2] += x[r] * x[s2];
            pairs++;
          }
          if (pairs === 0) return;
          const moments = accumulator.moments();
          const P = C * m;
          const entry = (r: number, s2: number): number => (r <= s2 ? S[r * D + s2] : S[s2 * D + r]) / pairs;
          const expectedPast = Float64Array.from({ length: P * P }, (_, i) => entry(Math.floor(i / P), i % P));
          const F = C * h;
          const expectedCross = Float64Array.from({ length: F * P }, (_, i) => entry(P + Math.floor(i / P), i % P));
          const expectedFuture = Float64Array.from({ length: F * F }, (_, i) => entry(P + Math.floor(i / F), P + (i % F)));
          const error = momentsError(moments, { pastMoment: expectedPast, futurePastMoment: expectedCross, futureMoment: expectedFuture });
          assert.ok(error < ROUND_OFF, `relative error ${error}`);
        },
      ), { seed: FC_SEED, numRuns: 60 });
    });

    it('typed chunks are checked without a copy: the input is never mutated (centering shifts the work copy), a bad chunk leaves the state untouched', function () {
      const rng = new Random(24);
      const y = Float64Array.from(correlatedSeries(rng, 1, 400)[0], (x) => x + 50);
      const before = Float64Array.from(y);
      const accumulator = new LaggedMoments({ pastLags: 4, futureLags: 3, center: true });
      accumulator.update(y.subarray(0, 200));
      assertSameValues(y, before, 'input after update');
      const bad = Float64Array.from(y.subarray(200));
      bad[7] = Number.NEGATIVE_INFINITY;
      assert.throws(() => accumulator.update(bad), (err: unknown) => err instanceof ConfigError && /chunk\[7\]/.test((err as Error).message));
      accumulator.update(y.subarray(200));
      const reference = new LaggedMoments({ pastLags: 4, futureLags: 3, center: true, algorithm: 'direct' });
      reference.update(Array.from(y));
      const error = momentsError(accumulator.moments(), reference.moments());
      assert.ok(error < ROUND_OFF, `relative error ${error}`);
      assertSameValues(y, before, 'input at the end');
    });

    it('a chunk longer than the reused work buffer (2^16) gives the same moments as chunks of 1000', function () {
      const rng = new Random(23);
      const y = Float64Array.from(correlatedSeries(rng, 1, 70_000)[0]);
      const one = new LaggedMoments({ pastLags: 5, futureLags: 5, gap: 1 });
      one.update(y);
      const chunked = new LaggedMoments({ pastLags: 5, futureLags: 5, gap: 1 });
      for (let start = 0; start < y.length; start += 1000) chunked.update(y.subarray(start, start + 1000));
      const error = momentsError(chunked.moments(), one.moments());
      assert.ok(error < ROUND_OFF, `relative error ${error}`);
      assert.equal(chunked.pairs, one.pairs);
    });
  });

  describe('message plumbing', function () {
    it('typed and plain payloads read to the same values: Float64Array used as is, others copied into slabs', function () {
      const rng = new Random(31);
      const typed = Array.from({ length: 12 }, () => gaussian(rng, 300));
      const plainChannels = typed.map((c) => Array.from(c));
      const fromTyped = readChunkMessage({ payload: typed });
      const fromPlain = readChunkMessage({ payload: plainChannels });
      const fromFloat32 = readChunkMessage({ payload: typed.map((c) => Float32Array.from(c)) });
      for (let c = 0; c < typed.length; c++) {
        assertSameValues(fromTyped.data[c], plainChannels[c], `typed channel ${c}`);
        assertSameValues(fromPlain.data[c], plainChannels[c], `plain channel ${c}`);
        assert.equal(fromTyped.data[c], typed[c], 'a Float64Array channel is read in place (nodes only read it)');
        assert.ok(fromPlain.data[c] instanceof Float64Array && isCompactView(fromPlain.data[c]), 'plain channels are copied into slabs');
        assert.equal(fromFloat32.data[c][7], Math.fround(typed[c][7]));
      }
      fromPlain.data[0][0] = 123; // views of one slab: writing one channel leaves the others alone
      assert.equal(fromPlain.data[1][0], plainChannels[1][0]);
      assert.equal(JSON.stringify(toPlain(fromTyped.data)), JSON.stringify(plainChannels));
      const single = readChunkMessage({ payload: plainChannels[2] });
      assertSameValues(single.data[0], plainChannels[2], 'single channel');
    });

    it('allocateChannels carves zeroed channels from slabs of at most CHANNELS_PER_SLAB channels', function () {
      for (const [count, length] of [[1, 5], [8, 3], [9, 1000], [64, 24], [3, 0]]) {
        const channels = allocateChannels(count, length);
        assert.equal(channels.length, count);
        const buffers = new Set(channels.map((c) => c.buffer));
        assert.equal(buffers.size, Math.ceil(count / CHANNELS_PER_SLAB), `${count} × ${length}: slabs`);
        channels.forEach((channel, c) => {
          assert.equal(channel.length, length);
          assert.ok(channel.every((x) => x === 0));
          assert.ok(isCompactView(channel));
          channel.fill(c + 1); // channels do not overlap
        });
        channels.forEach((channel, c) => assert.ok(channel.every((x) => x === c + 1)));
      }
      assert.ok(!isCompactView(new Float64Array(100).subarray(0, 10)), 'a view of a buffer ten times its size is not compact');
    });

    it('writeChunkMessage sends ChunkSamples whose JSON is plain number[][], and leaves the input message alone', function () {
      const data = [new Float64Array([1, 2.5, -3]), new Float64Array([0, 1e-300, 7])];
      const input = { _msgid: 'm1', payload: [[9]], topic: 'old', parts: { id: 'p', index: 0 }, extra: { deep: [1] }, chunk: { series: 'old' } };
      const snapshot = JSON.stringify(input);
      const meta = { series: 's', channels: ['a', 'b'], samplePeriodS: 0.01, startSample: 0, sequence: 0, endOfSeries: false, endOfRun: false, signal: 'L1', train: true };
      const out = writeChunkMessage(input, data, meta) as { payload: ChunkSamples[]; parts: unknown; extra: unknown; _msgid: string; topic: string };
      assert.equal(JSON.stringify(input), snapshot, 'the input message is not modified');
      assert.notEqual(out, input);
      assert.ok(out.payload.every((channel) => channel instanceof ChunkSamples));
      assert.equal(JSON.stringify(out.payload), '[[1,2.5,-3],[0,1e-300,7]]');
      assert.equal(out._msgid, 'm1');
      assert.equal(out.topic, 's');
      assert.deepEqual(out.parts, input.parts);
      assert.deepEqual(out.extra, input.extra);
      // a view into a big block is copied (so no generic deep clone copies the whole block per channel)
      const block = new Float64Array(20 * 100).map((_, i) => i);
      const views = Array.from({ length: 20 }, (_, c) => block.subarray(c * 100, (c + 1) * 100));
      const wide = writeChunkMessage({}, views, { ...meta, channels: views.map((_, c) => `c${c}`) }) as { payload: ChunkSamples[] };
      assert.ok(wide.payload.every((channel, c) => channel.buffer !== block.buffer && isCompactView(channel) && channel[5] === c * 100 + 5));
      // fresh core output (slabs of ≤ 8 channels) is wrapped as it is
      const fresh = allocateChannels(20, 100);
      const wrapped = writeChunkMessage({}, fresh, { ...meta, channels: fresh.map((_, c) => `c${c}`) }) as { payload: ChunkSamples[] };
      assert.ok(wrapped.payload.every((channel, c) => channel.buffer === fresh[c].buffer));
    });

    it('a non-finite value is reported at its channel and index, for typed and plain payloads', function () {
      const typed = [new Float64Array([1, 2, 3]), new Float64Array([4, Number.POSITIVE_INFINITY, 6])];
      assert.throws(() => readChunkMessage({ payload: typed }), /msg\.payload\[1\]\[1\]/);
      assert.throws(() => readChunkMessage({ payload: [[1, 2], [3, 'x']] }), /msg\.payload\[1\]\[1\]/);
      assert.throws(() => readChunkMessage({ payload: [1, Number.NaN] }), /msg\.payload\[1\]/);
    });

    it('toPlain keeps long channels (past the preallocation limit) exact', function () {
      const long = Float64Array.from({ length: 60_000 }, (_, i) => i * 0.25);
      const [out] = toPlain([long]);
      assert.ok(Array.isArray(out) && out.length === 60_000 && out[59_999] === 59_999 * 0.25);
    });
  });
});
