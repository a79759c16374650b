import * as assert from 'assert';
import { edgeProbe, gratingProbe, probePair } from '../../../core/stimuli/probes';

describe('core/stimuli/probes', function () {
  describe('gratingProbe', function () {
    const base = { periodDeg: 40, speedDegPerS: 50, dtS: 0.01, durationS: 2 };

    it('is mean + contrast·sin(2π(φ_i ∓ v t)/λ) with φ_i = i·spacing', function () {
      const [p0, p1, p2] = gratingProbe({ ...base, direction: 'right', contrast: 0.3, mean: 1 });
      assert.strictEqual(p0.length, 200);
      for (const k of [0, 13, 199]) {
        const t = k * 0.01;
        [p0, p1, p2].forEach((ch, i) => {
          assert.ok(Math.abs(ch[k] - (1 + 0.3 * Math.sin((2 * Math.PI * (5 * i - 50 * t)) / 40))) < 1e-12);
        });
      }
    });

    it('reaches pixel i+1 spacing/speed later for "right" and earlier for "left"', function () {
      // 5° at 50°/s = 0.1 s = 10 samples.
      const right = gratingProbe({ ...base, direction: 'right' });
      const left = gratingProbe({ ...base, direction: 'left' });
      for (let k = 0; k + 10 < 200; k++) {
        assert.ok(Math.abs(right[1][k + 10] - right[0][k]) < 1e-12);
        assert.ok(Math.abs(left[0][k + 10] - left[1][k]) < 1e-12);
      }
    });

    it('accepts a temporal frequency instead of a speed, and makes square waves of ±contrast', function () {
      const bySpeed = gratingProbe({ ...base, direction: 'left' });
      const byFrequency = gratingProbe({ periodDeg: 40, temporalFrequencyHz: 1.25, dtS: 0.01, durationS: 2, direction: 'left' });
      for (let i = 0; i < 3; i++) for (let k = 0; k < 200; k++) assert.ok(Math.abs(bySpeed[i][k] - byFrequency[i][k]) < 1e-9);
      const square = gratingProbe({ ...base, direction: 'right', waveform: 'square', contrast: 0.5 });
      for (const ch of square) for (const v of ch) assert.ok(v === 0.5 || v === -0.5);
      assert.throws(() => gratingProbe({ periodDeg: 40, dtS: 0.01, durationS: 1, direction: 'left' }), /exactly one of speedDegPerS, temporalFrequencyHz/);
      assert.throws(() => gratingProbe({ ...base, periodDeg: 0, direction: 'left' }), /periodDeg must be a finite number > 0/);
    });
  });

  describe('edgeProbe', function () {
    it('follows the authors\' smoothed square wave: ±tanh((k − 200)/20) + 1 in 400-sample ON/OFF segments', function () {
      const [p0] = edgeProbe({ direction: 'right', noiseSd: 0, segments: 4 });
      assert.strictEqual(p0.length, 1600);
      for (const k of [0, 150, 200, 230, 399, 400, 600, 777, 1000, 1599]) {
        const within = k % 400, on = Math.floor(k / 400) % 2 === 0;
        const expected = (on ? 1 : -1) * Math.tanh((within - 200) / 20) + 1;
        assert.ok(Math.abs(p0[k] - expected) < 1e-12, `k = ${k}`);
      }
      // ON edge centred at 200 (value = offset), OFF edge at 600; plateaus near 0 and 2.
      assert.strictEqual(p0[200], 1);
      assert.ok(p0[399] > 1.9999 && p0[799] < 1e-4);
    });

    it('reaches the next pixel samplesPerSpacing samples later in the direction of motion', function () {
      const right = edgeProbe({ direction: 'right', noiseSd: 0, samplesPerSpacing: 13 });
      const left = edgeProbe({ direction: 'left', noiseSd: 0, samplesPerSpacing: 13 });
      for (let k = 0; k + 26 < right[0].length; k++) {
        assert.strictEqual(right[1][k + 13], right[0][k]);
        assert.strictEqual(right[2][k + 26], right[0][k]);
        assert.strictEqual(left[1][k + 13], left[2][k]);
      }
    });

    it('adds seeded white noise of sd 0.005 by default', function () {
      const clean = edgeProbe({ direction: 'right', noiseSd: 0, segments: 50 });
      const noisy = edgeProbe({ direction: 'right', segments: 50, seed: 3 });
      const diff = noisy[0].map((v, k) => v - clean[0][k]);
      const n = diff.length, sd = Math.sqrt(diff.reduce((s, v) => s + v * v, 0) / n);
      assert.ok(Math.abs(sd - 0.005) < 4 * 0.005 / Math.sqrt(2 * n)); // sampling error of an sd
      assert.deepStrictEqual(edgeProbe({ direction: 'right', segments: 50, seed: 3 }), noisy);
    });
  });

  describe('probePair', function () {
    it('labels preferred and null runs; the null edge run is the preferred one with mirrored pixels', function () {
      const pair = probePair({ probe: 'edge', preferredDirection: 'right', noiseSd: 0 });
      assert.strictEqual(pair.preferred.label, 'preferred');
      assert.strictEqual(pair.preferred.direction, 'right');
      assert.strictEqual(pair.null.label, 'null');
      assert.strictEqual(pair.null.direction, 'left');
      assert.deepStrictEqual(pair.null.channels, [...pair.preferred.channels].reverse());
      const gratings = probePair({ probe: 'grating', preferredDirection: 'left', periodDeg: 30, speedDegPerS: 20, dtS: 0.01, durationS: 1 });
      assert.deepStrictEqual(gratings.preferred.channels, gratingProbe({ periodDeg: 30, speedDegPerS: 20, dtS: 0.01, durationS: 1, direction: 'left' }));
      assert.deepStrictEqual(gratings.null.channels, gratingProbe({ periodDeg: 30, speedDegPerS: 20, dtS: 0.01, durationS: 1, direction: 'right' }));
      assert.throws(() => probePair({ probe: 'edge', preferredDirection: 'up' as never }), /preferredDirection must be one of/);
    });
  });
});
