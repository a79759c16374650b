import * as assert from 'assert';
import { ConfigError, ShapeError } from '../../../core/errors';
import { addWhiteNoise, populationSd, WhiteNoise } from '../../../core/stimuli/noise';

const mean = (x: ArrayLike<number>): number => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]; return s / x.length; };
const dot = (a: ArrayLike<number>, b: ArrayLike<number>, lag = 0): number => {
  let s = 0;
  for (let i = 0; i + lag < a.length; i++) s += a[i] * b[i + lag];
  return s / (a.length - lag);
};

describe('core/stimuli/noise', function () {
  const N = 200_000;

  it('has mean 0, the requested sd, no autocorrelation and independent channels', function () {
    const noise = new WhiteNoise({ sd: 0.05, seed: 3 });
    const [a, b] = noise.nextChannels(N, 2);
    // Sampling errors for N i.i.d. N(0, σ²): mean σ/√N; sd σ/√(2N); correlations 1/√N. Allow 4 of them.
    assert.ok(Math.abs(mean(a)) < 4 * 0.05 / Math.sqrt(N));
    assert.ok(Math.abs(populationSd(a) - 0.05) < 4 * 0.05 / Math.sqrt(2 * N));
    assert.ok(Math.abs(dot(a, a, 1) / 0.0025) < 4 / Math.sqrt(N));
    assert.ok(Math.abs(dot(a, b) / 0.0025) < 4 / Math.sqrt(N));
  });

  it('sets the sd from an amplitude SNR: sd = signalSd / snr', function () {
    assert.strictEqual(new WhiteNoise({ snr: 4 }).sd, 0.25);
    assert.strictEqual(new WhiteNoise({ snr: 4, signalSd: 2 }).sd, 0.5);
    const x = new WhiteNoise({ snr: 10, seed: 1 }).next(N);
    assert.ok(Math.abs(populationSd(x) - 0.1) < 4 * 0.1 / Math.sqrt(2 * N));
  });

  it('streams identically whatever the chunk sizes (1, 7, 1000 vs one batch), for next and add', function () {
    const total = 3000;
    const batch = new WhiteNoise({ seed: 9 }).next(total);
    const signal = [Float64Array.from({ length: total }, (_, k) => Math.sin(k)), Float64Array.from({ length: total }, (_, k) => k)];
    const batchAdded = new WhiteNoise({ seed: 9, sd: 0.1 }).add(signal);
    for (const size of [1, 7, 1000]) {
      const noise = new WhiteNoise({ seed: 9 }), adder = new WhiteNoise({ seed: 9, sd: 0.1 });
      const parts: number[] = [], added: number[][] = [[], []];
      for (let k = 0; k < total; k += size) {
        const n = Math.min(size, total - k);
        parts.push(...noise.next(n));
        adder.add(signal.map((ch) => ch.subarray(k, k + n))).forEach((ch, c) => added[c].push(...ch));
      }
      assert.deepStrictEqual(Float64Array.from(parts), batch, `next, chunks of ${size}`);
      assert.deepStrictEqual(added.map((ch) => Float64Array.from(ch)), batchAdded, `add, chunks of ${size}`);
    }
    // next() is channel 0's stream; reset() starts it again.
    const noise = new WhiteNoise({ seed: 9 });
    noise.next(5);
    noise.reset();
    assert.deepStrictEqual(noise.next(total), batch);
  });

  it('returns new arrays and leaves the input untouched', function () {
    const input = [[1, 2, 3], Float64Array.of(4, 5, 6)];
    const out = new WhiteNoise({ sd: 1, seed: 2 }).add(input);
    assert.deepStrictEqual(input, [[1, 2, 3], Float64Array.of(4, 5, 6)]);
    assert.ok(out[0] instanceof Float64Array && out[0] !== input[1]);
  });

  it('addWhiteNoise measures each channel sd exactly for an SNR', function () {
    const signal = [Float64Array.from({ length: N }, (_, k) => 3 * Math.sin(k / 7) + 10), Float64Array.from({ length: N }, (_, k) => (k % 2 ? 1 : -1))];
    const { channels, noiseSds } = addWhiteNoise(signal, { snr: 5, seed: 4 });
    assert.ok(Math.abs(noiseSds[0] - populationSd(signal[0]) / 5) < 1e-15);
    assert.strictEqual(noiseSds[1], 1 / 5);
    // The added noise has that sd (sampling error σ/√(2N), 4 of them).
    const added = channels[1].map((v, k) => v - signal[1][k]);
    assert.ok(Math.abs(populationSd(added) - 0.2) < 4 * 0.2 / Math.sqrt(2 * N));
  });

  it('rejects bad options and chunks', function () {
    assert.throws(() => new WhiteNoise({ sd: 1, snr: 2 }), /snr must be left out when sd is given/);
    assert.throws(() => new WhiteNoise({ sd: -1 }), /sd must be a finite number ≥ 0/);
    assert.throws(() => new WhiteNoise({ snr: 0 }), /snr must be a finite number > 0/);
    assert.throws(() => new WhiteNoise().add([[1, 2], [3]]), ShapeError);
    assert.throws(() => new WhiteNoise().add([[1, NaN]]), /chunk\[0\]\[1\] must be a finite number/);
    assert.throws(() => new WhiteNoise().add([] as number[][]), ConfigError);
    assert.throws(() => addWhiteNoise([[1]], {}), /exactly one of sd, snr/);
  });
});
