/**
 * White Gaussian noise (method.md §3): seeded, set by its sd or by a signal-to-noise ratio, used as
 * a source or added to a multi-channel stream.
 *
 * SNR convention: `snr` is an AMPLITUDE ratio, signal sd / noise sd (the power ratio is snr², and
 * 20·log10(snr) dB). A streaming source cannot know the sd of a signal it has not yet seen, so
 * {@link WhiteNoise} takes the signal sd as an option (`signalSd`, default 1: z-scored input, as
 * the scanner produces with `zScoreRows`); {@link addWhiteNoise} works on a whole recording and
 * measures each channel's sd exactly (population sd about the channel mean, ÷N).
 *
 * Chunking: channel c draws from its own generator (the c-th fork of `new Random(seed)`), so a
 * stream gets the same noise however it is cut into chunks.
 */
import { ConfigError, ShapeError } from '../errors';
import { Random } from '../random';
import { isArrayLikeOfNumbers, requireFinite, requireInt } from '../validate';

/** Largest sample count of one call. */
export const MAX_NOISE_SAMPLES = 100_000_000;
/** Largest channel count. */
export const MAX_NOISE_CHANNELS = 4096;

/** Options of {@link WhiteNoise}: give `sd` or `snr`, not both. */
export interface WhiteNoiseOptions {
  /** Noise standard deviation (same units as the signal). Default 1 when `snr` is not given. */
  readonly sd?: number;
  /** Amplitude SNR = signalSd / noise sd (> 0); noise sd = signalSd / snr. */
  readonly snr?: number;
  /** Signal sd that `snr` refers to. Default 1. */
  readonly signalSd?: number;
  /** Seed. Default 0. */
  readonly seed?: number;
}

function resolveNoiseSd(options: WhiteNoiseOptions): number {
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  if (options.sd !== undefined && options.snr !== undefined) throw new ConfigError('snr', options.snr, 'left out when sd is given (set one of sd, snr)');
  if (options.snr !== undefined) {
    const snr = requireFinite('snr', options.snr, { min: 0, exclusiveMin: true });
    const signalSd = requireFinite('signalSd', options.signalSd ?? 1, { min: 0 });
    return signalSd / snr;
  }
  return requireFinite('sd', options.sd ?? 1, { min: 0 });
}

/** Seeded white Gaussian noise, N(0, sd²) independently per sample and channel. */
export class WhiteNoise {
  /** Noise standard deviation actually used. */
  readonly sd: number;
  readonly seed: number;
  private root: Random;
  private channels: Random[] = [];

  /** @throws ConfigError for a bad sd, snr, signalSd or seed, or both sd and snr. */
  constructor(options: WhiteNoiseOptions = {}) {
    this.sd = resolveNoiseSd(options);
    this.seed = requireInt('seed', options.seed ?? 0, { min: 0, max: Number.MAX_SAFE_INTEGER });
    this.root = new Random(this.seed);
  }

  private generator(channel: number): Random {
    while (this.channels.length <= channel) this.channels.push(this.root.fork());
    return this.channels[channel];
  }

  /** The next n noise samples of channel 0 (a single-channel source). */
  next(n: number): Float64Array {
    return this.nextChannels(n, 1)[0];
  }

  /** The next n noise samples of each of `channels` channels. */
  nextChannels(n: number, channels: number): Float64Array[] {
    requireInt('n', n, { min: 0, max: MAX_NOISE_SAMPLES });
    requireInt('channels', channels, { min: 1, max: MAX_NOISE_CHANNELS });
    const out: Float64Array[] = [];
    for (let c = 0; c < channels; c++) out.push(this.generator(c).fillGaussian(new Float64Array(n), this.sd));
    return out;
  }

  /**
   * Adds noise to a chunk (one array per channel, equal lengths); channel c continues channel c's
   * noise stream. Returns new Float64Arrays; the input is not modified.
   * @throws ConfigError for non-finite values (with their index); ShapeError for unequal lengths.
   */
  add(chunk: readonly ArrayLike<number>[]): Float64Array[] {
    const data = readChannels('chunk', chunk);
    return data.map((channel, c) => {
      const random = this.generator(c);
      for (let k = 0; k < channel.length; k++) channel[k] += this.sd * random.gaussian();
      return channel;
    });
  }

  /** Back to the just-constructed state (the same noise again). */
  reset(): void {
    this.root = new Random(this.seed);
    this.channels = [];
  }
}

/** Options of {@link addWhiteNoise}. */
export interface AddWhiteNoiseOptions {
  /** Noise sd. Give this or `snr`. */
  readonly sd?: number;
  /** Amplitude SNR per channel: noise sd = (that channel's measured sd) / snr. */
  readonly snr?: number;
  /** Seed. Default 0. */
  readonly seed?: number;
}

/**
 * Adds white noise to a whole recording. With `snr`, each channel's signal sd is measured exactly
 * over the given samples (population sd about its mean) and the noise sd set to sd / snr, so each
 * channel gets the requested amplitude SNR. Same noise as {@link WhiteNoise} with the resulting sd.
 * @returns new arrays and the noise sd used per channel.
 */
export function addWhiteNoise(channels: readonly ArrayLike<number>[], options: AddWhiteNoiseOptions): { channels: Float64Array[]; noiseSds: number[] } {
  const data = readChannels('channels', channels);
  if (options === null || typeof options !== 'object') throw new ConfigError('options', options, 'an object');
  if ((options.sd === undefined) === (options.snr === undefined)) throw new ConfigError('sd/snr', options.sd ?? options.snr, 'exactly one of sd, snr');
  const seed = requireInt('seed', options.seed ?? 0, { min: 0, max: Number.MAX_SAFE_INTEGER });
  const noiseSds = data.map((channel) => (options.snr !== undefined
    ? resolveNoiseSd({ snr: options.snr, signalSd: populationSd(channel) })
    : resolveNoiseSd({ sd: options.sd })));
  const root = new Random(seed);
  return {
    channels: data.map((channel, c) => {
      const random = root.fork();
      for (let k = 0; k < channel.length; k++) channel[k] += noiseSds[c] * random.gaussian();
      return channel;
    }),
    noiseSds,
  };
}

/** Population sd (÷N) about the mean, two-pass. 0 for fewer than one sample. */
export function populationSd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return 0;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[k];
  const mean = sum / n;
  let squares = 0;
  for (let k = 0; k < n; k++) squares += (values[k] - mean) ** 2;
  return Math.sqrt(squares / n);
}

/** Copies channels into Float64Arrays, checking count, equal lengths and finiteness. */
function readChannels(field: string, chunk: unknown): Float64Array[] {
  if (!Array.isArray(chunk) || chunk.length === 0) throw new ConfigError(field, chunk, 'a non-empty array of channels (one array of numbers per channel)');
  if (chunk.length > MAX_NOISE_CHANNELS) throw new ConfigError(field, chunk, `at most ${MAX_NOISE_CHANNELS} channels`);
  const length = isArrayLikeOfNumbers(chunk[0]) ? chunk[0].length : -1;
  return chunk.map((channel, c) => {
    if (!isArrayLikeOfNumbers(channel)) throw new ConfigError(`${field}[${c}]`, channel, 'an array of numbers');
    if (channel.length !== length) throw new ShapeError(`${field}[${c}] has ${channel.length} samples; channel 0 has ${length}`);
    if (channel.length > MAX_NOISE_SAMPLES) throw new ConfigError(`${field}[${c}]`, channel, `at most ${MAX_NOISE_SAMPLES} samples`);
    const out = new Float64Array(channel.length);
    for (let k = 0; k < channel.length; k++) {
      const x = channel[k];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw new ConfigError(`${field}[${c}][${k}]`, x, 'a finite number');
      out[k] = x;
    }
    return out;
  });
}
