import * as assert from 'assert';
import { ConfigError } from '../../../core/errors';
import { ContrastImage, toContrastImage } from '../../../core/stimuli/contrast';
import { createDeadLeavesImage } from '../../../core/stimuli/deadLeaves';
import { MAX_ROW_CACHE_VALUES, MotionDirection, ScanChunk, Scanner, ScannerOptions, scanImage } from '../../../core/stimuli/scanner';

/** A contrast "image" whose value is its column index: the scanner then reports positions. */
function ramp(width: number, height: number, degPerPixel: number, wraps: boolean): ContrastImage {
  const data = new Float64Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = x + 1000 * y;
  return { width, height, data, degPerPixel, wraps };
}

/** Every chunk of a scanner, with chunk lengths taken cyclically from `sizes`. */
function drain(scanner: Scanner, sizes: number[]): ScanChunk[] {
  const chunks: ScanChunk[] = [];
  for (let i = 0; ; i++) {
    const chunk = scanner.next(sizes[i % sizes.length]);
    if (!chunk) return chunks;
    chunks.push(chunk);
  }
}

/** Per-series concatenation of each channel. */
function bySeries(chunks: ScanChunk[]): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const c of chunks) {
    if (!out.has(c.series)) out.set(c.series, c.channels.map(() => []));
    const target = out.get(c.series)!;
    assert.strictEqual(c.startSample, target[0].length, 'startSample counts within the series');
    c.channels.forEach((ch, i) => target[i].push(...ch));
  }
  return out;
}

let scene: ContrastImage;

describe('core/stimuli/scanner', function () {
  before(function () {
    scene = toContrastImage(createDeadLeavesImage({ seed: 21 }));
  });

  it('places pixel i at φ0 + i·spacing ∓ speed·t (exact on a ramp, non-wrapping image)', function () {
    const image = ramp(200, 2, 0.5, false); // 99.5° wide
    for (const direction of ['left', 'right'] as MotionDirection[]) {
      const scanner = new Scanner(image, { pixels: 3, spacingDeg: 5, speedDegPerS: 30, dtS: 0.01, direction, rows: [1], zScoreRows: false });
      // Travel: 99.5° − 2·5° = 89.5° at 0.3°/sample → 298 steps → 299 samples.
      assert.strictEqual(scanner.samplesPerRow, 299);
      const startPx = direction === 'right' ? 179 : 0, stepPx = direction === 'right' ? -0.6 : 0.6;
      const chunk = scanner.next(1000)!;
      assert.strictEqual(chunk.series, 'row-1');
      assert.ok(chunk.endOfSeries);
      for (let i = 0; i < 3; i++) {
        for (let k = 0; k < 299; k++) {
          const expected = 1000 + startPx + 10 * i + stepPx * k; // row 1 adds 1000
          assert.ok(Math.abs(chunk.channels[i][k] - expected) < 1e-9, `${direction} pixel ${i} sample ${k}`);
        }
      }
      assert.strictEqual(scanner.next(10), null);
    }
  });

  it('wraps a 360° scene, interpolating across the seam', function () {
    const image = ramp(36, 1, 10, true);
    const scanner = new Scanner(image, { pixels: 2, spacingDeg: 15, speedDegPerS: 25, dtS: 0.1, direction: 'left', zScoreRows: false });
    assert.strictEqual(scanner.samplesPerRow, 144); // 360° at 2.5°/sample
    const chunk = scanner.next(144)!;
    for (let i = 0; i < 2; i++) {
      for (let k = 0; k < 144; k++) {
        const x = (1.5 * i + 0.25 * k) % 36, x0 = Math.floor(x), frac = x - x0;
        const expected = x0 + frac * (((x0 + 1) % 36) - x0);
        assert.ok(Math.abs(chunk.channels[i][k] - expected) < 1e-9, `pixel ${i} sample ${k}`);
      }
    }
  });

  it('gives identical chunks whatever the chunk sizes (1, 7, 1000 vs one batch), never straddling rows', function () {
    const options: ScannerOptions = { rows: [3, 40, 12], zScoreRows: true, speedDegPerS: 50 };
    const batch = bySeries(drain(new Scanner(scene, options), [10_000_000 / 3 | 0]));
    for (const sizes of [[1], [7], [1000], [1, 7, 1000, 3]]) {
      const chunks = drain(new Scanner(scene, options), sizes);
      for (const c of chunks) assert.ok(c.channels.every((ch) => ch.length === c.channels[0].length && ch.length >= 1));
      assert.deepStrictEqual(bySeries(chunks), batch, `sizes ${sizes}`);
      // endOfSeries exactly on each row's last chunk, in the requested row order.
      assert.deepStrictEqual(chunks.filter((c) => c.endOfSeries).map((c) => c.row), [3, 40, 12]);
    }
    assert.deepStrictEqual([...batch.keys()], ['row-3', 'row-40', 'row-12']);
    const scanner = new Scanner(scene, options);
    assert.strictEqual(scanner.totalSamples, 3 * scanner.samplesPerRow);
    const first = drain(scanner, [500]);
    scanner.reset();
    assert.deepStrictEqual(drain(scanner, [500]), first);
  });

  it('z-scores each pixel signal of each row to mean 0 and sd 1 exactly', function () {
    const scanner = new Scanner(scene, { rows: [0, 31, 63], zScoreRows: true, pixels: 4 });
    for (const channels of bySeries(drain(scanner, [333])).values()) {
      for (const ch of channels) {
        const n = ch.length, mean = ch.reduce((a, b) => a + b, 0) / n;
        const sd = Math.sqrt(ch.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
        assert.ok(Math.abs(mean) < 1e-12 && Math.abs(sd - 1) < 1e-12, `mean ${mean} sd ${sd}`);
      }
    }
  });

  describe('fast path (row signal computed once, kept within a cap) equals the per-sample formula', function () {
    /** Straightforward reference: sample() for every value, two-pass mean and sd, (x − mean)/sd. */
    function reference(scanner: Scanner, rowList: number[]): Map<string, number[][]> {
      const out = new Map<string, number[][]>();
      for (const row of rowList) {
        out.set(`row-${row}`, Array.from({ length: scanner.pixels }, (_, i) => {
          const raw = Array.from({ length: scanner.samplesPerRow }, (_, k) => scanner.sample(row, i, k));
          if (!scanner.zScoreRows) return raw;
          const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
          let squares = 0;
          for (const x of raw) squares += (x - mean) * (x - mean);
          const sd = Math.sqrt(squares / raw.length);
          return raw.map((x) => (x - mean) * (sd > 0 ? 1 / sd : 1));
        }));
      }
      return out;
    }
    const cases: [string, ScannerOptions, ContrastImage | null][] = [
      ['wrapping, z-scored, right (cached)', { rows: [2, 9], zScoreRows: true, pixels: 5, speedDegPerS: 37 }, null],
      ['wrapping, z-scored, left, negative start (cached)', { rows: [4], zScoreRows: true, pixels: 3, direction: 'left', startDeg: -50, speedDegPerS: 91 }, null],
      ['wrapping, raw', { rows: [1, 7], pixels: 4, speedDegPerS: 60 }, null],
      ['non-wrapping ramp, z-scored', { rows: [0, 2], zScoreRows: true, pixels: 3, spacingDeg: 2, speedDegPerS: 7, dtS: 0.01 }, ramp(200, 3, 0.5, false)],
    ];
    for (const [label, options, image] of cases) {
      it(label, function () {
        const make = (): Scanner => new Scanner(image ?? scene, options);
        const expected = reference(make(), options.rows as number[]);
        assert.deepStrictEqual(bySeries(drain(make(), [1, 7, 1000])), expected);
      });
    }
    it(`a row longer than the cache (${MAX_ROW_CACHE_VALUES} values) is recomputed, with the same result`, function () {
      this.timeout(60_000);
      const small = ramp(64, 1, 360 / 64, true);
      for (let i = 0; i < small.data.length; i++) small.data[i] = Math.sin(i * 0.7) + 0.1 * (i % 5);
      // 2 pixels × 600 000 samples > 2^20
      const options: ScannerOptions = { pixels: 2, zScoreRows: true, speedDegPerS: 10, dtS: 0.001, durationPerRowS: 600 };
      const scanner = new Scanner(small, options);
      assert.ok(scanner.samplesPerRow * scanner.pixels > MAX_ROW_CACHE_VALUES);
      assert.deepStrictEqual(bySeries(drain(scanner, [70_001])), reference(new Scanner(small, options), [0]));
    });
  });

  describe('cross-correlation of adjacent pixels', function () {
    /** Σ a[k]·b[k+L] / (n − |L|) for L = −maxLag … maxLag, pooled over rows (index L + maxLag). */
    function crossCorrelation(scanner: Scanner, maxLag: number): Float64Array {
      const xc = new Float64Array(2 * maxLag + 1);
      for (const [, [a, b]] of bySeries(drain(scanner, [4096]))) {
        const n = a.length;
        for (let L = -maxLag; L <= maxLag; L++) {
          let s = 0;
          for (let k = Math.max(0, -L); k < Math.min(n, n - L); k++) s += a[k] * b[k + L];
          xc[L + maxLag] += s / (n - Math.abs(L)); // unbiased: the pair count varies with L
        }
      }
      return xc;
    }
    const argmax = (xc: Float64Array): number => xc.indexOf(Math.max(...xc));
    /** Peak lag in samples, refined by a parabola through the largest value and its neighbours. */
    function peakLag(scanner: Scanner, maxLag: number): number {
      const xc = crossCorrelation(scanner, maxLag);
      const best = argmax(xc);
      const [y0, y1, y2] = [xc[best - 1], xc[best], xc[best + 1]];
      return best - maxLag + (0.5 * (y0 - y2)) / (y0 - 2 * y1 + y2);
    }

    it('peaks at +spacing/speed for "right" and −spacing/speed for "left" (integer delay: exact lag)', function () {
      // 5° at 360/1024 °/px: speed chosen so that 5° takes exactly 8 samples of 10 ms (0.08 s).
      const speedDegPerS = 5 / 8 / 0.01;
      for (const [direction, sign] of [['right', 1], ['left', -1]] as [MotionDirection, number][]) {
        const options: ScannerOptions = { direction, speedDegPerS, zScoreRows: true, rows: [0, 16, 32, 48] };
        assert.strictEqual(argmax(crossCorrelation(new Scanner(scene, options), 30)) - 30, sign * 8, direction);
        // Stronger: the later pixel repeats the earlier one exactly, 8 samples on.
        for (const [, [a, b]] of bySeries(drain(new Scanner(scene, options), [1000]))) {
          const [early, late] = direction === 'right' ? [a, b] : [b, a];
          for (let k = 0; k + 8 < early.length; k++) assert.ok(Math.abs(late[k + 8] - early[k]) < 1e-9);
        }
      }
    });

    it('peaks within 0.3 samples of spacing/(speed·dt) for the default one-pixel-per-step scan', function () {
      // Default speed: 360/1024 ° per 10 ms → 5° / 0.3515625° = 14.22 samples (0.142 s).
      for (const [direction, sign] of [['right', 1], ['left', -1]] as [MotionDirection, number][]) {
        const scanner = new Scanner(scene, { direction, zScoreRows: true });
        assert.ok(Math.abs(scanner.samplesPerSpacing - 14.2222) < 1e-3);
        const lag = peakLag(scanner, 40);
        // The peak sits between integer lags; the parabola estimate scatters with the scene: over 12
        // scene seeds it was 14.24 ± 0.08 (mean ± sd), so allow 0.3 samples (≈ 4 sd), i.e. 3 ms.
        assert.ok(Math.abs(lag - sign * scanner.samplesPerSpacing) < 0.3, `${direction}: ${lag}`);
        assert.ok(Math.abs(lag * scanner.dtS - sign * scanner.spacingDeg / scanner.speedDegPerS) < 0.003);
      }
    });
  });

  it('scanImage yields every chunk of every row', function () {
    const chunks = [...scanImage(scene, { rows: [5, 6] }, 300)];
    assert.strictEqual(chunks.reduce((s, c) => s + c.channels[0].length, 0), 2 * 1024);
    assert.deepStrictEqual(chunks.map((c) => c.channels[0].length), [300, 300, 300, 124, 300, 300, 300, 124]);
  });

  it('rejects impossible geometry and bad options with a ConfigError naming the field', function () {
    const narrow = ramp(20, 2, 1, false); // 19° wide
    assert.throws(() => new Scanner(narrow, { pixels: 5 }), /pixels × spacingDeg must be at most the image's extent 19\.000°/);
    assert.throws(() => new Scanner(narrow, { pixels: 2, durationPerRowS: 100, speedDegPerS: 1 }), /durationPerRowS must be at most 14\.01 s \(longer scans would move pixels off the image\)/);
    assert.throws(() => new Scanner(scene, { rows: [64] }), /rows\[0\] must be an integer ≥ 0 and ≤ 63/);
    assert.throws(() => new Scanner(scene, { rows: [1, 1] }), /rows\[1\] must be a row not listed before/);
    assert.throws(() => new Scanner(scene, { pixels: 5000 }), /pixels must be an integer ≥ 1 and ≤ 4096/);
    assert.throws(() => new Scanner(scene, { direction: 'up' as never }), /direction must be one of "left", "right"/);
    assert.throws(() => new Scanner(scene, { dtS: 0 }), ConfigError);
    assert.throws(() => new Scanner(scene, { durationPerRowS: 0.001 }), /durationPerRowS/);
    assert.throws(() => new Scanner(scene).next(0), /maxSamples/);
    assert.throws(() => new Scanner(scene, { pixels: 100 }).next(200_000), /maxSamples must be an integer ≥ 1 and ≤ 100000/);
    assert.throws(() => new Scanner({ ...scene, degPerPixel: 1 }), /scene\.degPerPixel must be 360 \/ width/);
  });
});
