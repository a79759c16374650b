import * as assert from 'assert';
import { ConfigError } from '../../../core/errors';
import { Random } from '../../../core/random';
import { ContrastImage } from '../../../core/stimuli/contrast';
import { Scan2dChunk, Scanner2d, Scanner2dOptions } from '../../../core/stimuli/scanner2d';

/** A row-major image from f(u, v), u the column and v the row (row 0 on top). */
function image(width: number, height: number, degPerPixel: number, f: (u: number, v: number) => number, torus: boolean): ContrastImage {
  const data = new Float64Array(width * height);
  for (let v = 0; v < height; v++) for (let u = 0; u < width; u++) data[v * width + u] = f(u, v);
  return torus ? { width, height, data, degPerPixel, wraps: true, wrapsVertically: true } : { width, height, data, degPerPixel, wraps: false };
}

/** A seeded random torus, 64 × 64 pixels over 360° (5.625° per pixel). */
function randomTorus(seed = 3): ContrastImage {
  const random = new Random(seed);
  return image(64, 64, 360 / 64, () => random.gaussian(), true);
}

/** Every path's signal per pixel, chunks of cyclic sizes concatenated. */
function paths(scanner: Scanner2d, sizes: number[] = [4096]): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (let i = 0; ; i++) {
    const chunk: Scan2dChunk | null = scanner.next(sizes[i % sizes.length]);
    if (!chunk) return out;
    if (!out.has(chunk.series)) out.set(chunk.series, chunk.channels.map(() => []));
    const target = out.get(chunk.series)!;
    assert.strictEqual(chunk.startSample, target[0].length);
    assert.strictEqual(chunk.positions, scanner.lattice.points);
    chunk.channels.forEach((c, p) => target[p].push(...c));
    assert.strictEqual(chunk.endOfSeries, target[0].length === scanner.samplesPerPath);
  }
}

/** max |a[k + lag] − b[k]| over the overlap. */
function lagged(a: number[], b: number[], lag: number): number {
  let m = 0;
  for (let k = 0; k + lag < a.length && k < b.length; k++) m = Math.max(m, Math.abs(a[k + lag] - b[k]));
  return m;
}

describe('core/stimuli/scanner2d', function () {
  // On the torus, 2 image pixels per lattice spacing and 1 image pixel per sample: a feature needs
  // exactly 2 samples from one pixel to the next along the motion.
  const torusOptions = (directionDeg: number, extra: Scanner2dOptions = {}): Scanner2dOptions => ({ lattice: { spacingDeg: 2 * (360 / 64) }, directionDeg, ...extra });
  const at = (row: number, column: number) => row * 3 + column;

  it('motion along +x: the next pixel along x sees a feature spacing/speed later; pixels across the motion see it at once', function () {
    const signals = paths(new Scanner2d(randomTorus(), torusOptions(0))).get('path-0')!;
    assert.ok(lagged(signals[at(1, 2)], signals[at(1, 1)], 2) < 1e-12, 'right neighbour: 2 samples later');
    assert.ok(lagged(signals[at(1, 1)], signals[at(1, 0)], 2) < 1e-12);
    assert.ok(lagged(signals[at(1, 2)], signals[at(1, 1)], 0) > 0.1, 'not at once');
    // across the motion: on an image that only varies along x every row of pixels reads the same
    const stripes = image(64, 64, 360 / 64, (u) => Math.sin((2 * Math.PI * u) / 64) + 0.3 * Math.cos((6 * Math.PI * u) / 64), true);
    const across = paths(new Scanner2d(stripes, torusOptions(0))).get('path-0')!;
    assert.ok(lagged(across[at(2, 1)], across[at(0, 1)], 0) < 1e-12 && lagged(across[at(1, 0)], across[at(2, 0)], 0) < 1e-12);
  });

  it('motion upward (90°) and downward (270°): the pixel above sees a feature 2 samples after / before the one below', function () {
    const up = paths(new Scanner2d(randomTorus(), torusOptions(90))).get('path-0')!;
    assert.ok(lagged(up[at(2, 1)], up[at(1, 1)], 2) < 1e-12);
    assert.ok(lagged(up[at(1, 1)], up[at(2, 1)], 2) > 0.1);
    const down = paths(new Scanner2d(randomTorus(), torusOptions(270))).get('path-0')!;
    assert.ok(lagged(down[at(0, 1)], down[at(1, 1)], 2) < 1e-12);
  });

  it('diagonal motion (45°): lag along the diagonal is √2·s / step, zero across it on an image constant across the motion', function () {
    const speed = Math.SQRT2 * (360 / 64) / 0.01; // one image pixel right and one up per sample
    const diagonal = paths(new Scanner2d(randomTorus(), torusOptions(45, { speedDegPerS: speed }))).get('path-0')!;
    assert.ok(lagged(diagonal[at(2, 2)], diagonal[at(1, 1)], 2) < 1e-9, '(r+1, c+1) lies √2·s further along the motion');
    // constant along (−1, 1) in the scene = along (1, 1) in image (u, v): h(u − v)
    const across = image(64, 64, 360 / 64, (u, v) => Math.sin((2 * Math.PI * (u - v)) / 64), true);
    const seen = paths(new Scanner2d(across, torusOptions(45, { speedDegPerS: speed }))).get('path-0')!;
    assert.ok(lagged(seen[at(2, 0)], seen[at(1, 1)], 0) < 1e-9 && lagged(seen[at(0, 2)], seen[at(1, 1)], 0) < 1e-9);
  });

  it('on a linear image every pixel signal is exactly linear: slope (−a cos θ + b sin θ)·step/dpp, offsets from the lattice positions, centred sweep', function () {
    const a = 0.3, b = -0.7, c = 5, dpp = 0.5;
    const plane = image(400, 300, dpp, (u, v) => a * u + b * v + c, false);
    for (const directionDeg of [0, 30, 111, 200, 300]) {
      const scanner = new Scanner2d(plane, { directionDeg, speedDegPerS: 37, dtS: 0.01 });
      const step = 37 * 0.01, theta = (directionDeg * Math.PI) / 180;
      const slope = ((-a * Math.cos(theta) + b * Math.sin(theta)) * step) / dpp;
      const signals = paths(scanner, [17, 100]).get('path-0')!;
      const centre = scanner.lattice.points.findIndex((p) => p.xDeg === 0 && p.yDeg === 0);
      scanner.lattice.points.forEach((p, i) => {
        const offset = (a * p.xDeg - b * p.yDeg) / dpp;
        for (let k = 0; k < signals[i].length; k++) {
          assert.ok(Math.abs(signals[i][k] - signals[centre][k] - offset) < 1e-9, `θ ${directionDeg}, pixel ${i}, k ${k}`);
          if (k > 0) assert.ok(Math.abs(signals[i][k] - signals[i][k - 1] - slope) < 1e-9, `θ ${directionDeg}: slope`);
        }
      });
      const mean = signals[centre].reduce((x, y) => x + y, 0) / signals[centre].length;
      assert.ok(Math.abs(mean - (a * 199.5 + b * 149.5 + c)) < 1e-8, 'the sweep is centred on the image centre');
    }
  });

  it('fits the longest sweep into a non-periodic image and rejects lattices, paths and durations that leave it', function () {
    const small = image(100, 20, 1, (u, v) => u + v, false);
    // vertical motion: the 3 × 3 lattice (10 px tall) has (19 − 10)/2 = 4.5 px of room each way: 10 samples at 1 px/sample
    const scanner = new Scanner2d(small, { directionDeg: 90 });
    assert.strictEqual(scanner.samplesPerPath, 10);
    assert.throws(() => new Scanner2d(small, { directionDeg: 90, durationPerPathS: 0.11 }), /durationPerPathS must be at most 0\.1 s/);
    assert.throws(() => new Scanner2d(small, { lattice: { rows: 5, columns: 5 } }), /lattice must be small enough to fit inside the image vertically/);
    assert.throws(() => new Scanner2d(small, { paths: 3 }), /paths × pathSpacingDeg must be small enough to fit inside the image vertically/);
    // on the torus the default is one period along the motion: 64 samples at one pixel per sample
    assert.strictEqual(new Scanner2d(randomTorus(), { directionDeg: 180 }).samplesPerPath, 64);
  });

  it('z-scores every pixel over its path exactly, whatever the chunking; paths are separate series', function () {
    const scanner = new Scanner2d(randomTorus(), torusOptions(30, { paths: 3, pathSpacingDeg: 40, zScorePaths: true }));
    const whole = paths(scanner);
    assert.deepStrictEqual([...whole.keys()], ['path-0', 'path-1', 'path-2']);
    for (const signals of whole.values()) {
      for (const s of signals) {
        const mean = s.reduce((x, y) => x + y, 0) / s.length;
        const sd = Math.sqrt(s.reduce((x, y) => x + (y - mean) ** 2, 0) / s.length);
        assert.ok(Math.abs(mean) < 1e-12 && Math.abs(sd - 1) < 1e-12);
      }
    }
    scanner.reset();
    assert.deepStrictEqual(paths(scanner, [7, 1, 30]), whole);
    assert.strictEqual(scanner.remainingSamples, 0);
  });

  it('rejects bad scenes and options with a ConfigError naming the field', function () {
    const torus = randomTorus();
    assert.throws(() => new Scanner2d({ ...torus, wrapsVertically: 'yes' as never }), /scene.wrapsVertically must be true or false/);
    assert.throws(() => new Scanner2d({ ...torus, data: torus.data.map((x, i) => (i === 5 ? Number.NaN : x)) }), /scene.data\[5\] must be a finite number/);
    assert.throws(() => new Scanner2d(torus, { directionDeg: Number.POSITIVE_INFINITY }), /directionDeg must be a finite number/);
    assert.throws(() => new Scanner2d(torus, { speedDegPerS: 0 }), /speedDegPerS must be a finite number > 0/);
    assert.throws(() => new Scanner2d(torus, { paths: 0 }), /paths must be an integer ≥ 1/);
    assert.throws(() => new Scanner2d(torus, { lattice: { kind: 'round' as never } }), ConfigError);
    assert.throws(() => new Scanner2d(torus).next(0), /maxSamples must be an integer ≥ 1/);
    assert.throws(() => new Scanner2d(torus).next(2_000_000), /maxSamples must be an integer ≥ 1 and ≤ 1111111/);
  });
});
