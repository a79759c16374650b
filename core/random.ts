/**
 * Seeded random numbers: the only source of randomness in the library.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, 2018; public domain), a 32-bit generator with a
 * 2^128 − 1 period that passes BigCrush, seeded through SplitMix32 so any integer seed (including 0)
 * gives a well-mixed state. Doubles use 53 random bits from two outputs. Gaussians use the
 * Box–Muller transform, keeping the second value of each pair, so a given seed always yields the
 * same sequence whatever the chunking of the draws.
 */
import { requireFinite, requireInt } from './validate';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** Seeded pseudo-random generator with uniform and Gaussian draws. */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareGaussian: number | null = null;
  /** The seed this generator was created with (echoed in outputs). */
  readonly seed: number;

  /** @param seed any integer in [0, 2^53); the same seed always gives the same sequence, different seeds different ones. */
  constructor(seed: number) {
    this.seed = requireInt('seed', seed, { min: 0, max: Number.MAX_SAFE_INTEGER });
    // SplitMix32 on the low 32-bit half of the seed fills the state; a non-zero high half (seeds ≥ 2^32)
    // is then folded into s2 and s3 through fmix32, a bijection with fmix32(0) = 0. s0 alone fixes the
    // low half and s2 then the high half, so seeds sharing a high half never share a state (before this,
    // seed 0 and seed 2^32 + 0x9e3779b9 gave the same sequence); seeds < 2^32 keep plain SplitMix32.
    const low = seed % TWO_POW_32;
    const high = Math.floor(seed / TWO_POW_32);
    let state = low | 0;
    const next = (): number => {
      state = (state + 0x9e3779b9) | 0;
      return fmix32(state);
    };
    this.s0 = next(); this.s1 = next(); this.s2 = next(); this.s3 = next();
    if (high !== 0) {
      this.s2 = (this.s2 ^ fmix32(high)) >>> 0;
      this.s3 = (this.s3 ^ fmix32((high + 0x9e3779b9) | 0)) >>> 0;
      // the generator's step is a bijection of the state: running it a few times keeps distinct states
      // distinct and spreads the high half into s1, which alone sets the first outputs
      for (let i = 0; i < 8; i++) this.nextUint32();
    }
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the all-zero state is a fixed point
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** Uniform double in [low, high). */
  uniformIn(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Uniform integer in [0, n), without modulo bias. @param n an integer ≥ 1 (at most 2^53). */
  integer(n: number): number {
    if (!Number.isInteger(n) || n < 1) requireInt('n', n, { min: 1 });
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal draw (Box–Muller). */
  gaussian(): number {
    if (this.spareGaussian !== null) {
      const spare = this.spareGaussian;
      this.spareGaussian = null;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.uniform(); // log(0) guard
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareGaussian = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Fills `target` with independent N(mean, sd²) draws and returns it. */
  fillGaussian<T extends Float64Array | number[]>(target: T, sd = 1, mean = 0): T {
    for (let i = 0; i < target.length; i++) target[i] = mean + sd * this.gaussian();
    return target;
  }

  /** Pareto (power-law) draw with density ∝ x^(−exponent) on [min, max], exponent ≠ 1. */
  powerLaw(exponent: number, min: number, max: number): number {
    requireFinite('exponent', exponent);
    requireFinite('min', min, { min: 0, exclusiveMin: true });
    requireFinite('max', max, { min });
    const a = 1 - exponent;
    const u = this.uniform();
    if (Math.abs(a) < 1e-12) return min * Math.pow(max / min, u);
    return Math.pow(Math.pow(min, a) + u * (Math.pow(max, a) - Math.pow(min, a)), 1 / a);
  }

  /** An independent generator derived from this one (for sub-streams that must not interleave). */
  fork(): Random {
    return new Random(this.nextUint32() * 2097152 + (this.nextUint32() >>> 11));
  }
}

/** MurmurHash3's 32-bit finalizer (the SplitMix32 output function): a bijection on 32-bit integers. */
function fmix32(value: number): number {
  let z = value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Creates a seeded generator. */
export function createRandom(seed: number): Random {
  return new Random(seed);
}
