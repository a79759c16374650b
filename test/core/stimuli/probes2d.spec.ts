import * as assert from 'assert';
import { ConfigError } from '../../../core/errors';
import { summarizeDirectionTuning } from '../../../core/metrics';
import { angleBetweenDeg, axisTriplets, createLattice } from '../../../core/stimuli/lattice';
import { edgePolarity, edgeProbe, edgeProfile, gratingProbe } from '../../../core/stimuli/probes';
import { alongMotionDeg, directionRun2d, edgePolarity2d, edgeProbe2d, gratingPolarity2d, gratingProbe2d } from '../../../core/stimuli/probes2d';
import { T4Layer } from '../../../core/t4';
import { FirFilter, ResuUnit } from '../../../core/units';

const row = [0, 1, 2].map((i) => ({ xDeg: 5 * i, yDeg: 0 }));
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i])));

describe('core/stimuli/probes2d', function () {
  it('edges at 0° and 180° over a row of pixels are the 1-D edge probe moving right and left, noise included', function () {
    assert.deepStrictEqual(edgeProbe2d({ positions: row, directionDeg: 0, seed: 4 }), edgeProbe({ pixels: 3, direction: 'right', seed: 4 }));
    assert.deepStrictEqual(edgeProbe2d({ positions: row, directionDeg: 180, seed: 4 }), edgeProbe({ pixels: 3, direction: 'left', seed: 4 }));
  });

  it('edges reach pixel i after (a_i − min a)·samplesPerSpacing/spacing samples, a_i along the motion; at once across it', function () {
    const [p0, p1, p2] = edgeProbe2d({ positions: row, directionDeg: 60, noiseSd: 0 });
    for (let k = 0; k < p0.length; k += 7) {
      assert.strictEqual(p1[k], edgeProfile(k - 2.5, 400, 20, 1)); // 5° · cos 60° = 2.5° further: 2.5 samples at 1°/sample
      assert.strictEqual(p2[k], edgeProfile(k - 5, 400, 20, 1));
    }
    const across = edgeProbe2d({ positions: row, directionDeg: 90, noiseSd: 0 });
    assert.deepStrictEqual(across[1], across[0]);
    assert.deepStrictEqual(across[2], across[0]);
    assert.deepStrictEqual(alongMotionDeg([{ xDeg: 1, yDeg: 2 }], 90), [2]);
  });

  it('gratings at 0° and 180° over a row are the 1-D grating moving right and left (mirrored pattern: phase + 180°)', function () {
    const common = { periodDeg: 30, speedDegPerS: 40, dtS: 0.01, durationS: 2, contrast: 0.7, mean: 0.2 };
    assert.ok(maxDiff(gratingProbe2d({ positions: row, directionDeg: 0, ...common })[2], gratingProbe({ pixels: 3, direction: 'right', ...common })[2]) < 1e-9);
    // at 180° the pattern is a function of −x − v·t: sin(−φ + 180°) = sin(φ)
    assert.ok(maxDiff(gratingProbe2d({ positions: row, directionDeg: 180, phaseDeg: 180, ...common })[1], gratingProbe({ pixels: 3, direction: 'left', ...common })[1]) < 1e-9);
    const noisy = gratingProbe2d({ positions: row, directionDeg: 90, ...common, noiseSd: 0.1, seed: 2 });
    assert.ok(maxDiff(noisy[0], noisy[1]) > 0.05, 'independent noise per pixel');
  });

  it('a linear unit with hand-set weights follows its closed-form grating tuning curve; rectified, its peaks and vector DSI follow too', function () {
    // Layer 1: L3 = h3 * x (a 10-sample delay), "L1" = h1 * x (a short low-pass, linear here);
    // layer 2: six hand-set weights on the centre row triplet, a Reichardt-like half (delayed centre + right).
    const h3 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], h1 = [1, 0.3], w = [0.2, -0.1, 1, 0, -0.2, 1];
    const lattice = createLattice({ spacingDeg: 5 });
    const triplet = axisTriplets(lattice, 'horizontal').find((t) => t[1] === 4)!;
    const periodDeg = 30, speedDegPerSample = 1, omega = (2 * Math.PI * speedDegPerSample) / periodDeg; // 30 samples per period
    const response = (h: number[]): [number, number] => h.reduce(([re, im], tap, j) => [re + tap * Math.cos(omega * j), im + tap * Math.sin(omega * j)], [0, 0]);
    const H = [response(h3), response(h1)];
    const directionsDeg = Array.from({ length: 12 }, (_, i) => 30 * i);
    const analytic: number[] = [], measured: number[] = [], peaks: number[] = [];
    for (const directionDeg of directionsDeg) {
      // y_k = Im(e^{−iΩk} Z), Z = Σ_c H_c Σ_p w_cp e^{i 2π a_p / λ}: amplitude |Z|
      const along = alongMotionDeg(triplet.map((i) => lattice.points[i]), directionDeg);
      let re = 0, im = 0;
      along.forEach((a, p) => [0, 1].forEach((c) => {
        const phase = (2 * Math.PI * a) / periodDeg, weight = w[2 * p + c];
        re += weight * (H[c][0] * Math.cos(phase) - H[c][1] * Math.sin(phase));
        im += weight * (H[c][0] * Math.sin(phase) + H[c][1] * Math.cos(phase));
      }));
      analytic.push(Math.hypot(re, im));
      const x = gratingProbe2d({ positions: lattice.points, directionDeg, periodDeg, speedDegPerS: speedDegPerSample / 0.01, dtS: 0.01, durationS: 3 });
      const l3 = new FirFilter(h3, 9).process(x), l1 = new FirFilter(h1, 9).process(x);
      const six = triplet.flatMap((i) => [l3[i], l1[i]]);
      const y = new ResuUnit({ taps: w, polarity: 'linear', channels: 6, mode: 'combined' }).process(six)[0];
      // first harmonic over the last 8 whole periods (exact for a sinusoid)
      const tail = y.subarray(y.length - 240);
      let fr = 0, fi = 0;
      tail.forEach((v, k) => { fr += v * Math.cos(omega * k); fi += v * Math.sin(omega * k); });
      measured.push((2 / tail.length) * Math.hypot(fr, fi));
      const t4 = new T4Layer();
      t4.setWeights(w);
      const rectified = t4.apply(triplet.map((i) => l3[i]), triplet.map((i) => l1[i]))[0].subarray(y.length - 240);
      peaks.push(Math.max(...rectified));
    }
    assert.ok(maxDiff(measured, analytic) < 1e-9, `F1 ${measured} vs ${analytic}`);
    assert.ok(summarizeDirectionTuning(directionsDeg, analytic).vectorDsi > 0.2, 'the test unit is direction tuned');
    // a sampled sinusoid peaks between A·cos(Ω/2) and A
    peaks.forEach((peak, i) => assert.ok(peak <= analytic[i] + 1e-12 && peak >= analytic[i] * Math.cos(omega / 2) - 1e-12, `θ ${directionsDeg[i]}`));
    const expected = summarizeDirectionTuning(directionsDeg, analytic), got = summarizeDirectionTuning(directionsDeg, peaks);
    assert.ok(Math.abs(got.vectorDsi - expected.vectorDsi) < 0.01 && angleBetweenDeg(got.preferredDirectionDeg!, expected.preferredDirectionDeg!) < 1, `${JSON.stringify(got)} vs ${JSON.stringify(expected)}`);
  });

  it('ON/OFF windows: on a row at 0° and 180° the 1-D edge windows; in any direction centred on each pixel\'s own (fractional) edge times', function () {
    const options = { positions: row, segmentLength: 40, riseSamples: 4, samplesPerSpacing: 7, segments: 6, noiseSd: 0 };
    for (const [deg, direction] of [[0, 'right'], [180, 'left']] as const) {
      const flat = edgePolarity({ pixels: 3, direction, segmentLength: 40, riseSamples: 4, samplesPerSpacing: 7, segments: 6 }), polar = edgePolarity2d({ ...options, directionDeg: deg });
      for (let pixel = 0; pixel < 3; pixel++) for (let k = 0; k < 240; k++) assert.strictEqual(polar(pixel, k), flat(pixel, k), `${deg}° pixel ${pixel} k ${k}`);
    }
    const at60 = edgePolarity2d({ ...options, directionDeg: 60 }), signal = edgeProbe2d({ ...options, directionDeg: 60 });
    for (let pixel = 0; pixel < 3; pixel++) {
      const delay = 2.5 * pixel * 7 / 5; // 5° · cos 60° = 2.5° per pixel, 7 samples per 5°
      for (let k = 0; k < 240; k++) {
        const fromOn = (((k - delay - 20) % 80) + 80) % 80; // ON edge at delay + 20 + 80n: the window is within 20 samples of it
        assert.strictEqual(at60(pixel, k), fromOn < 20 || fromOn >= 60 ? 'on' : 'off', `pixel ${pixel} k ${k}`);
      }
      const edge = Math.ceil(delay + 20); // the signal crosses its offset upward inside the ON window
      assert.ok(signal[pixel][edge - 1] < 1 && signal[pixel][edge + 1] > 1 && at60(pixel, edge) === 'on');
    }
  });

  it('grating windows are ON exactly while the grating rises at that pixel, in any direction; directionRun2d pairs stimulus and windows', function () {
    const lattice = createLattice({ kind: 'hexagonal', rows: 3, columns: 3, spacingDeg: 5 });
    for (const directionDeg of [0, 45, 130, 270]) {
      const options = { positions: lattice.points, directionDeg, periodDeg: 30, speedDegPerS: 40, dtS: 0.01, durationS: 1, contrast: 1 };
      const polarity = gratingPolarity2d(options), signal = gratingProbe2d(options);
      lattice.points.forEach((_, pixel) => {
        for (let k = 1; k + 1 < signal[pixel].length; k++) {
          const slope = signal[pixel][k + 1] - signal[pixel][k - 1];
          if (Math.abs(slope) < 1e-3) continue; // at a crest or trough the half periods meet
          assert.strictEqual(polarity(pixel, k), slope > 0 ? 'on' : 'off', `${directionDeg}° pixel ${pixel} k ${k}`);
        }
      });
      const run = directionRun2d({ probe: 'grating', ...options }, directionDeg);
      assert.deepStrictEqual(run.channels, signal);
      assert.strictEqual(run.directionDeg, directionDeg);
    }
    assert.throws(() => directionRun2d({ probe: 'dots' } as never, 0), /probe must be one of/);
  });

  it('rejects bad positions and options with a ConfigError naming the field', function () {
    assert.throws(() => edgeProbe2d({ positions: [], directionDeg: 0 }), /positions must be an array of 1 … 4096/);
    assert.throws(() => edgeProbe2d({ positions: [{ xDeg: Number.NaN, yDeg: 0 }], directionDeg: 0 }), /positions\[0\].xDeg must be a finite number/);
    assert.throws(() => edgeProbe2d({ positions: row, directionDeg: 0, samplesPerSpacing: 0 }), /samplesPerSpacing must be a finite number > 0/);
    assert.throws(() => gratingProbe2d({ positions: row, directionDeg: 0, periodDeg: 30, dtS: 0.01, durationS: 1 }), /exactly one of speedDegPerS, temporalFrequencyHz/);
    assert.throws(() => gratingProbe2d({ positions: row, directionDeg: 0, periodDeg: 30, speedDegPerS: 1, dtS: 1e-6, durationS: 100 }), /durationS \/ dtS × pixels must be at most 10000000/);
    assert.throws(() => edgeProbe2d(null as never), ConfigError);
  });
});
