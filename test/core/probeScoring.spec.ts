/**
 * Probe scoring (core/probeScoring.ts) against closed forms.
 *
 * The analytic oracle: a drifting sine grating s_i(k) = sin(φ_i ∓ ωk) (φ_i = 2π·i·spacing/period,
 * ω = 2π·speed·dt/period, − for 'right') through a linear FIR a (taps a_n, newest first) is, in
 * steady state, Im(A·e^{j(φ_i − ωk)}) with A = Σ a_n e^{+jωn} ('right'), or Im(Ā·e^{j(φ_i + ωk)})
 * ('left'). A T4 unit with weights w on linear layer-1 outputs L3 = a * s, L1 = b * s therefore
 * drives d(k) = Im(Z·e^{∓jωk}) with Z = Σ_i e^{jφ_i}(w_L3,i·A + w_L1,i·B) (conjugates for 'left'):
 * a sinusoid of amplitude |Z|. Its rectified peak over the samples after the FIR has filled is |Z|
 * up to the sampling of the crest, |Z|(1 − cos(ω/2)) at most. DSI = (|Z_pref| − |Z_null|)/(sum).
 */
import * as assert from 'assert';
import {
  axisTriplets, createLattice, directionRun2d, DirectionTuningScorer, directionSelectivityIndex, FirFilter, gratingProbe, gratingPolarity, edgePolarity,
  edgeProbe, probePair, ProbeScorer, scoreDirections, summarizeDirectionTuning, T4Layer, thresholdSweep, thresholdedScore,
} from '../../core';

type Complex = [number, number];
const mul = (a: Complex, b: Complex): Complex => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const add = (a: Complex, b: Complex): Complex => [a[0] + b[0], a[1] + b[1]];
const scale = (a: Complex, s: number): Complex => [a[0] * s, a[1] * s];
const conj = (a: Complex): Complex => [a[0], -a[1]];
const expj = (x: number): Complex => [Math.cos(x), Math.sin(x)];
const abs = (a: Complex): number => Math.hypot(a[0], a[1]);
const arg = (a: Complex): number => Math.atan2(a[1], a[0]);

/** Frequency response Σ a_n e^{+jωn} of newest-first taps. */
function response(taps: readonly number[], omega: number): Complex {
  return taps.reduce<Complex>((acc, a, n) => add(acc, scale(expj(omega * n), a)), [0, 0]);
}

const GRATING = { pixels: 3, spacingDeg: 5, periodDeg: 40, speedDegPerS: 25, dtS: 0.01, durationS: 6 };
const OMEGA = (2 * Math.PI * GRATING.speedDegPerS * GRATING.dtS) / GRATING.periodDeg; // 64 samples per cycle
const PHI = [0, 1, 2].map((i) => (2 * Math.PI * i * GRATING.spacingDeg) / GRATING.periodDeg);
const L3_TAPS = [0.4, 0.3, 0.2, 0.1];
const L1_TAPS = [1, 0.5, -0.7, -0.5, -0.3];
const WEIGHTS = [0.8, 0.1, -0.3, 0.6, -0.5, 0.2]; // [L3, L1] × (left, centre, right)
const SETTLE = L1_TAPS.length - 1;

/** Z of the T4 drive for a direction (closed form). */
function driveAmplitude(direction: 'right' | 'left'): Complex {
  const A = response(L3_TAPS, OMEGA), B = response(L1_TAPS, OMEGA);
  const [a, b] = direction === 'right' ? [A, B] : [conj(A), conj(B)];
  return PHI.reduce<Complex>((acc, phi, i) => add(acc, mul(expj(phi), add(scale(a, WEIGHTS[2 * i]), scale(b, WEIGHTS[2 * i + 1])))), [0, 0]);
}

/** T4 responses of the linear two-layer circuit to one grating run (the code path under test). */
function t4Responses(channels: Float64Array[]): Float64Array {
  const l3 = new FirFilter(L3_TAPS, 3).process(channels), l1 = new FirFilter(L1_TAPS, 3).process(channels);
  const t4 = new T4Layer();
  t4.setWeights(WEIGHTS);
  return t4.apply(l3, l1)[0];
}

describe('core/probeScoring', function () {
  describe('grating windows', function () {
    it('a sample is ON at a pixel exactly while the grating there rises (sine and square, both directions, either contrast sign)', function () {
      for (const direction of ['right', 'left'] as const) {
        for (const contrast of [1, -0.5]) {
          const options = { ...GRATING, durationS: 1, direction, contrast };
          const polarity = gratingPolarity(options), signal = gratingProbe(options);
          for (let pixel = 0; pixel < 3; pixel++) {
            for (let k = 1; k < signal[pixel].length - 1; k++) {
              const slope = signal[pixel][k + 1] - signal[pixel][k - 1];
              if (Math.abs(slope) < 1e-3) continue; // at a crest or trough the half periods meet
              assert.strictEqual(polarity(pixel, k), slope > 0 ? 'on' : 'off', `${direction} contrast ${contrast} pixel ${pixel} k ${k}`);
            }
          }
          // the square grating steps up inside ON windows (centred on the step) and down inside OFF ones
          const square = gratingProbe({ ...options, waveform: 'square' });
          for (let k = 1; k < square[1].length; k++) {
            const step = square[1][k] - square[1][k - 1];
            if (step !== 0) assert.strictEqual(polarity(1, k), step > 0 ? 'on' : 'off', `square step at ${k}`);
          }
        }
      }
    });

    it('edge windows are the half periods centred on each pixel\'s ON and OFF edges', function () {
      const options = { direction: 'right' as const, segmentLength: 40, riseSamples: 4, samplesPerSpacing: 7, segments: 6, noiseSd: 0 };
      const polarity = edgePolarity(options), signal = edgeProbe(options);
      for (let pixel = 0; pixel < 3; pixel++) {
        const delay = 7 * pixel;
        for (let k = 0; k < 240; k++) {
          // ON edges of this pixel at delay + 20 + 80n; the window is within 20 samples of one
          const fromOn = (((k - delay - 20) % 80) + 80) % 80;
          const expected = fromOn < 20 || fromOn >= 60 ? 'on' : 'off';
          assert.strictEqual(polarity(pixel, k), expected, `pixel ${pixel} k ${k}`);
        }
        // and the signal crosses its offset upward at an ON edge
        assert.ok(signal[pixel][delay + 19] < 1 && signal[pixel][delay + 21] > 1);
      }
      assert.strictEqual(edgePolarity({ ...options, direction: 'left' })(2, 5), 'on', 'for "left" pixel 2 leads');
    });
  });

  describe('ProbeScorer on a linear circuit (closed-form oracle)', function () {
    it('a hand-set T4 on linear FIR layer-1 outputs of a sine grating answers with max(Im(Z·e^{∓jωk}), 0), exactly', function () {
      for (const direction of ['right', 'left'] as const) {
        const trace = t4Responses(gratingProbe({ ...GRATING, direction }));
        const z = driveAmplitude(direction), sign = direction === 'right' ? -1 : 1;
        for (let k = SETTLE; k < trace.length; k++) {
          const expected = Math.max(0, abs(z) * Math.sin(arg(z) + sign * OMEGA * k));
          assert.ok(Math.abs(trace[k] - expected) < 1e-12, `${direction} k ${k}: ${trace[k]} vs ${expected}`);
        }
      }
    });

    it('its peaks are |Z_pref| and |Z_null| (up to the sampling of the crest) and the DSI follows', function () {
      const pair = probePair({ probe: 'grating', preferredDirection: 'right', ...GRATING });
      const scorer = new ProbeScorer({ preferred: pair.preferred.polarityAt, null: pair.null.polarityAt }, { settleSamples: SETTLE });
      scorer.add('preferred', 0, [t4Responses(pair.preferred.channels)]);
      scorer.add('null', 0, [t4Responses(pair.null.channels)]);
      const score = scorer.score();
      const zPref = abs(driveAmplitude('right')), zNull = abs(driveAmplitude('left'));
      const crest = 1 - Math.cos(OMEGA / 2); // the sampled maximum of a sinusoid lies within this fraction of its amplitude
      assert.ok(zPref > 1.2 * zNull, 'the hand-set weights are direction selective for this grating (the test needs it)');
      assert.ok(score.all.preferredPeak <= zPref + 1e-12 && score.all.preferredPeak >= zPref * (1 - crest), `preferred ${score.all.preferredPeak} vs |Z| ${zPref}`);
      assert.ok(score.all.nullPeak <= zNull + 1e-12 && score.all.nullPeak >= zNull * (1 - crest), `null ${score.all.nullPeak} vs |Z| ${zNull}`);
      const dsi = (zPref - zNull) / (zPref + zNull);
      assert.ok(Math.abs(score.all.dsi - dsi) <= 2 * crest, `DSI ${score.all.dsi} vs ${dsi}`);
    });

    it('ON and OFF peaks are the maxima of the closed-form drive over the centre pixel\'s rising and falling half cycles', function () {
      // in the centre pixel's stimulus phase θ_k = φ_1 ∓ ωk the drive is |Z| sin(θ_k + arg Z − φ_1);
      // the stimulus sin θ_k rises while cos θ_k < 0 ('right', θ falls with k) or > 0 ('left')
      const pair = probePair({ probe: 'grating', preferredDirection: 'right', ...GRATING });
      const scorer = new ProbeScorer({ preferred: pair.preferred.polarityAt, null: pair.null.polarityAt }, { settleSamples: SETTLE });
      scorer.add('preferred', 0, [t4Responses(pair.preferred.channels)]);
      scorer.add('null', 0, [t4Responses(pair.null.channels)]);
      const samples = pair.preferred.channels[0].length;
      for (const [label, direction] of [['preferred', 'right'], ['null', 'left']] as const) {
        const z = driveAmplitude(direction), sign = direction === 'right' ? -1 : 1;
        let on = 0, off = 0;
        for (let k = SETTLE; k < samples; k++) {
          const theta = PHI[1] + sign * OMEGA * k;
          const drive = abs(z) * Math.sin(theta + arg(z) - PHI[1]);
          if (sign * Math.cos(theta) > 0) on = Math.max(on, drive); else off = Math.max(off, drive);
        }
        const peaks = scorer.runPeaks(label);
        assert.ok(Math.abs(peaks.on - on) < 1e-12, `${label} ON ${peaks.on} vs ${on}`);
        assert.ok(Math.abs(peaks.off - off) < 1e-12, `${label} OFF ${peaks.off} vs ${off}`);
        assert.strictEqual(peaks.all, Math.max(peaks.on, peaks.off));
        assert.ok(Math.abs(on - off) > 0.05 * abs(z), 'the ON and OFF windows see different parts of the sinusoid (a test that can fail)');
      }
    });

    it('any chunking of the responses and the order of the runs give the same score; settle skips the start', function () {
      const pair = probePair({ probe: 'grating', preferredDirection: 'left', ...GRATING, durationS: 2 });
      const polarities = { preferred: pair.preferred.polarityAt, null: pair.null.polarityAt };
      const pref = t4Responses(pair.preferred.channels), nul = t4Responses(pair.null.channels);
      const whole = new ProbeScorer(polarities, { settleSamples: 30 });
      whole.add('preferred', 0, [pref]); whole.add('null', 0, [nul]);
      const chunked = new ProbeScorer(polarities, { settleSamples: 30 });
      for (let start = 0; start < nul.length; start += 17) chunked.add('null', start, [nul.subarray(start, start + 17)]);
      for (let start = 0; start < pref.length; start += 23) chunked.add('preferred', start, [pref.subarray(start, start + 23)]);
      assert.deepStrictEqual(chunked.score(), whole.score());
      const spike = new ProbeScorer(polarities, { settleSamples: 30 });
      spike.add('preferred', 0, [Float64Array.from({ length: 40 }, (_, k) => (k === 29 ? 100 : k === 30 ? 1 : 0))]);
      assert.strictEqual(spike.runPeaks('preferred').all, 1, 'sample 29 is inside the settle interval');
    });
  });

  describe('edge scoring', function () {
    it('attributes spikes to the ON and OFF windows of each triplet\'s centre pixel', function () {
      const pair = probePair({ probe: 'edge', preferredDirection: 'right', pixels: 4, segmentLength: 40, samplesPerSpacing: 5, segments: 4, noiseSd: 0 });
      const scorer = new ProbeScorer({ preferred: pair.preferred.polarityAt, null: pair.null.polarityAt });
      // channel 0 (centre pixel 1, delay 5): ON windows [5, 45) ∪ [85, 125); channel 1 (pixel 2, delay 10): [10, 50) ∪ …
      const zeros = () => new Float64Array(160);
      const c0 = zeros(), c1 = zeros();
      c0[44] = 3; // ON for pixel 1
      c1[48] = 2; // ON for pixel 2
      c0[46] = 5; // OFF for pixel 1
      c1[4] = -9; // negative: rectified away
      scorer.add('preferred', 0, [c0, c1]);
      assert.deepStrictEqual(scorer.runPeaks('preferred'), { on: 3, off: 5, all: 5 });
      // null run: pixel order mirrored, so pixel 1 lags by (4 − 1 − 1)·5 = 10 samples
      const n0 = zeros();
      n0[9] = 7; // before pixel 1's first ON window in the null run ([10, 50)): OFF
      n0[10] = 1;
      scorer.add('null', 0, [n0, zeros()]);
      assert.deepStrictEqual(scorer.runPeaks('null'), { on: 1, off: 7, all: 7 });
      const score = scorer.score();
      assert.deepStrictEqual(score.on, { preferredPeak: 3, nullPeak: 1, dsi: 0.5 });
      assert.deepStrictEqual(score.off, { preferredPeak: 5, nullPeak: 7, dsi: -2 / 12 });
      assert.strictEqual(score.all.dsi, (5 - 7) / 12);
      scorer.reset();
      assert.ok(Number.isNaN(scorer.score().all.dsi), 'no response: DSI undefined, not 0');
      assert.throws(() => scorer.add('preferred', 0, [zeros(), new Float64Array(3)]), /same length/);
      assert.throws(() => scorer.add('sideways' as never, 0, [zeros()]), /label/);
    });
  });

  describe('thresholds', function () {
    it('the DSI and the fraction kept at θ follow from the peaks: max(P − θ, 0) vs max(N − θ, 0)', function () {
      assert.ok(Number.isNaN(directionSelectivityIndex(0, 0)));
      assert.strictEqual(directionSelectivityIndex(3, -1), 1, 'negative peaks count as 0');
      const sweep = thresholdSweep(2, 1);
      assert.strictEqual(sweep.length, 20);
      assert.deepStrictEqual(sweep[0], { threshold: 0, fractionKept: 1, dsi: 1 / 3 });
      const half = sweep.find((p) => p.fractionKept === 0.5)!;
      assert.deepStrictEqual(half, { threshold: 1, fractionKept: 0.5, dsi: 1 }, 'θ = N removes the null response');
      const at = sweep.find((p) => p.fractionKept === 0.75)!;
      assert.ok(Math.abs(at.dsi - (1.5 - 0.5) / (1.5 + 0.5)) < 1e-12);
      assert.deepStrictEqual(thresholdedScore(2, 1, 0.5), { threshold: 0.5, fractionKept: 0.75, dsi: 0.5 });
      assert.ok(Number.isNaN(thresholdedScore(0, 0, 0).fractionKept));
      assert.deepStrictEqual(scoreDirections({ on: 2, off: 0, all: 2 }, { on: 1, off: 3, all: 3 }).all, { preferredPeak: 2, nullPeak: 3, dsi: -0.2 });
    });
  });

  describe('DirectionTuningScorer (2-D tuning curves, the same ON/OFF rule, channels pooled per unit)', function () {
    /*
     * Known answer. A 3 × 3 square lattice (5°), edges at 1°/sample (samplesPerSpacing 5), rise
     * ρ = 20 samples, no noise; layer 1 the identity (L3 = L1 = the stimulus). Unit "H" has weights
     * L1_right − L1_left on the horizontal triplet through the centre, unit "V" L1_top − L1_bottom on
     * the vertical one. The triplet's outer pixels lie ±5° from the centre, so in direction θ they see
     * the edge Δ = d_neg − d_pos = −10·cos θ (H) or −10·sin θ (V) samples apart, symmetrically about the
     * centre pixel's edge; the drive tanh(v + Δ/2ρ) − tanh(v − Δ/2ρ) peaks at 2·tanh(Δ/2ρ), at the centre's
     * edge. ON edges: r_on(θ) = 2 tanh(max(Δ, 0)/2ρ); OFF edges are the negated profile, so
     * r_off(θ) = 2 tanh(max(−Δ, 0)/2ρ) = r_on(θ + 180°). Sampling: the edge time d_c + L/2 is a whole
     * sample or within ½ sample of one, so the measured peak lies in [f(½/ρ), f(0)], f(v) the drive.
     */
    const lattice = createLattice({ kind: 'square', rows: 3, columns: 3, spacingDeg: 5 });
    const horizontal = axisTriplets(lattice, 'horizontal').find((t) => t[1] === 4)!;
    const vertical = axisTriplets(lattice, 'vertical').find((t) => t[1] === 4)!;
    const RISE = 20, PROBE = { probe: 'edge' as const, positions: lattice.points, spacingDeg: 5, samplesPerSpacing: 5, segmentLength: 400, riseSamples: RISE, segments: 4, noiseSd: 0 };
    const directionsDeg = Array.from({ length: 12 }, (_, i) => 30 * i);
    const drive = (v: number, halfDelta: number): number => Math.tanh(v + halfDelta) - Math.tanh(v - halfDelta);
    const analytic = (delta: number): { on: [number, number]; off: [number, number] } => {
      const span = (d: number): [number, number] => (d > 0 ? [drive(0.5 / RISE, d / (2 * RISE)), drive(0, d / (2 * RISE))] : [0, 0]);
      return { on: span(delta), off: span(-delta) };
    };
    const deltas = (unit: 'H' | 'V', deg: number): number => -10 * (unit === 'H' ? Math.cos((deg * Math.PI) / 180) : Math.sin((deg * Math.PI) / 180));
    /** The two units' responses to one run, through T4Layer with hand-set weights. */
    const respond = (channels: Float64Array[]): Float64Array[] => [horizontal, vertical].map((triplet) => {
      const t4 = new T4Layer();
      t4.setWeights([0, -1, 0, 0, 0, 1]); // [L3, L1] × (negative end, centre, positive end)
      return t4.apply(triplet.map((i) => channels[i]), triplet.map((i) => channels[i]))[0];
    });

    it('a unit with hand-set weights gives its analytic tuning curve, for ON and OFF edges, and the summary follows', function () {
      const runs = directionsDeg.map((deg) => directionRun2d(PROBE, deg));
      const scorer = new DirectionTuningScorer(runs, { centrePixel: () => 4, settleSamples: 10 });
      runs.forEach((run, r) => scorer.add(r, 0, respond(run.channels)));
      assert.strictEqual(scorer.units, 2);
      (['H', 'V'] as const).forEach((unit, u) => {
        const curve = scorer.curve(u);
        assert.deepStrictEqual(curve.directionsDeg, directionsDeg);
        directionsDeg.forEach((deg, r) => {
          const expected = analytic(deltas(unit, deg));
          for (const key of ['on', 'off'] as const) {
            const [low, high] = expected[key];
            assert.ok(curve[key][r] >= low - 1e-12 && curve[key][r] <= high + 1e-12, `${unit} ${key} at ${deg}°: ${curve[key][r]} not in [${low}, ${high}]`);
          }
          assert.strictEqual(curve.all[r], Math.max(curve.on[r], curve.off[r]));
        });
        // closed form of the summary: r_on(θ) = 2 tanh(max(Δ(θ), 0)/2ρ)
        const exact = directionsDeg.map((deg) => analytic(deltas(unit, deg)).on[1]);
        const expected = summarizeDirectionTuning(directionsDeg, exact), got = scorer.tuning(u);
        assert.strictEqual(expected.preferredDirectionDeg, unit === 'H' ? 180 : 270, 'the closed form prefers motion toward the negative end');
        assert.ok(Math.abs(got.preferredDirectionDeg! - expected.preferredDirectionDeg!) < 0.01, `${unit} preferred ${got.preferredDirectionDeg}`);
        assert.ok(Math.abs(got.vectorDsi - expected.vectorDsi) < 1e-3, `${unit} vector DSI ${got.vectorDsi} vs ${expected.vectorDsi}`);
        assert.strictEqual(got.dsi, 1, 'nothing at all in the null direction');
        assert.ok(expected.vectorDsi > 0.6 && expected.vectorDsi < 0.9, 'a tuned but not degenerate curve (the test can fail)');
      });
    });

    it('any chunking, run order and unit numbering give the same curves; a bad chunk changes nothing', function () {
      const runs = [0, 90, 180, 270].map((deg) => directionRun2d(PROBE, deg));
      const whole = new DirectionTuningScorer(runs, { centrePixel: () => 4 });
      runs.forEach((run, r) => whole.add(r, 0, respond(run.channels)));
      const chunked = new DirectionTuningScorer(runs, { centrePixel: () => 4 });
      [3, 1, 0, 2].forEach((r) => {
        const [h, v] = respond(runs[r].channels);
        for (let start = 0; start < h.length; start += 37) chunked.add(r, start, [v.subarray(start, start + 37), h.subarray(start, start + 37)], { units: [1, 0], centres: [4, 4] });
      });
      assert.deepStrictEqual([chunked.curve(0), chunked.curve(1)], [whole.curve(0), whole.curve(1)]);
      const before = JSON.stringify([whole.curve(0), whole.curve(1)]);
      assert.throws(() => whole.add(0, 0, [new Float64Array([9, 9]), new Float64Array([9])]), /same length/);
      assert.throws(() => whole.add(4, 0, [new Float64Array(1)]), /run must be an integer/);
      assert.throws(() => whole.add(0, 0, [new Float64Array(1)], { units: [4096] }), /units\[0\] must be an integer/);
      assert.throws(() => whole.add(0, 0, [new Float64Array(1)], { units: [0, 1] }), /units must be one number per response channel/);
      assert.throws(() => whole.add(0, 0, [new Float64Array(1)], { centres: [-1] }), /centres\[0\] must be an integer/);
      assert.strictEqual(JSON.stringify([whole.curve(0), whole.curve(1)]), before);
      assert.throws(() => new DirectionTuningScorer([]), /runs must be 1/);
      assert.throws(() => new DirectionTuningScorer([{ directionDeg: Number.NaN, polarityAt: () => 'on' }]), /runs\[0\].directionDeg/);
      whole.reset();
      assert.strictEqual(whole.units, 0);
      assert.deepStrictEqual(whole.runPeaks(0, 0), { on: 0, off: 0, all: 0 });
    });

    it('on a row of pixels at 0° and 180° it scores exactly as ProbeScorer does for the preferred and null runs', function () {
      const pair = probePair({ probe: 'edge', preferredDirection: 'right', pixels: 4, segmentLength: 40, samplesPerSpacing: 5, segments: 4, noiseSd: 0 });
      const row = Array.from({ length: 4 }, (_, i) => ({ xDeg: 5 * i, yDeg: 0 }));
      const runs = [0, 180].map((deg) => directionRun2d({ probe: 'edge', positions: row, segmentLength: 40, segments: 4, noiseSd: 0 }, deg));
      assert.deepStrictEqual(runs[0].channels, pair.preferred.channels);
      assert.deepStrictEqual(runs[1].channels, pair.null.channels);
      const responses = (channels: Float64Array[]): Float64Array[] => [1, 2].map((centre) => Float64Array.from(channels[centre], (x, k) => (x - 1) * Math.sin(k / 7)));
      const pooled = new ProbeScorer({ preferred: pair.preferred.polarityAt, null: pair.null.polarityAt }, { settleSamples: 3 });
      pooled.add('preferred', 0, responses(pair.preferred.channels));
      pooled.add('null', 0, responses(pair.null.channels));
      const tuning = new DirectionTuningScorer(runs, { settleSamples: 3 });
      runs.forEach((run, r) => tuning.add(r, 0, responses(run.channels)));
      const pooledUnit = new DirectionTuningScorer(runs, { settleSamples: 3 }); // both triplets as one unit, as a T4 node's channels
      runs.forEach((run, r) => pooledUnit.add(r, 0, responses(run.channels), { units: [0, 0], centres: [1, 2] }));
      for (const [r, label] of [[0, 'preferred'], [1, 'null']] as const) {
        const max = (key: 'on' | 'off'): number => Math.max(tuning.runPeaks(r, 0)[key], tuning.runPeaks(r, 1)[key]);
        assert.deepStrictEqual({ on: max('on'), off: max('off') }, { on: pooled.runPeaks(label).on, off: pooled.runPeaks(label).off });
        assert.deepStrictEqual(pooledUnit.runPeaks(r, 0), pooled.runPeaks(label));
      }
      assert.strictEqual(pooledUnit.units, 1);
    });
  });
});
