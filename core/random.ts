/**
 * Seeded random numbers: the only source of randomness in the library.
 *
 * Generator: xoshiro128** 1.1 (Blackman & Vigna, 2018; public domain), a 32-bit generator with a
 * 2^128 − 1 period that passes BigCrush, seeded through SplitMix32 so any integer seed (including 0)
 * gives a well-mixed state. Doubles use 53 random bits from two outputs. Gaussians use the
 * 256-layer ziggurat of Marsaglia & Tsang (2000, J. Stat. Softw. 5(8)) with the layer, the sign
 * and a 53-bit uniform taken from disjoint bits of two outputs (so the layer index and the value
 * are not correlated, the flaw of the original 32-bit version); about 99 % of draws cost two
 * outputs, a multiply and a comparison, against a log, a square root and two trig calls per pair
 * for Box–Muller. Every draw consumes whole outputs and keeps no spare, so a given seed always
 * yields the same sequence whatever the chunking of the draws.
 */
import { requireFinite, requireInt } from './validate';

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
/** 2^−53: multiplying by it is exact, and faster than dividing by 2^53. */
const TWO_POW_MINUS_53 = 1 / TWO_POW_53;

/**
 * Ziggurat tables (256 layers of equal area v under f(x) = exp(−x²/2), x ≥ 0; Marsaglia & Tsang's
 * r and v for 256 layers). Layer i ≥ 1 is the rectangle [0, X[i]] × [f(X[i]), f(X[i+1])]; layer 0
 * is [0, r] × [0, f(r)] plus the tail beyond r, drawn as a rectangle of width X[0] = v / f(r).
 * X[i+1] follows from X[i] · (f(X[i+1]) − f(X[i])) = v; X[256] = 0.
 */
const ZIGGURAT_R = 3.6541528853610088;
const ZIGGURAT_V = 0.00492867323399;
const ZIGGURAT_X = new Float64Array(257);
const ZIGGURAT_F = new Float64Array(257);
{
  const f = (x: number): number => Math.exp(-0.5 * x * x);
  ZIGGURAT_X[0] = ZIGGURAT_V / f(ZIGGURAT_R);
  ZIGGURAT_X[1] = ZIGGURAT_R;
  for (let i = 1; i < 255; i++) ZIGGURAT_X[i + 1] = Math.sqrt(-2 * Math.log(ZIGGURAT_V / ZIGGURAT_X[i] + f(ZIGGURAT_X[i])));
  ZIGGURAT_X[256] = 0;
  for (let i = 0; i <= 256; i++) ZIGGURAT_F[i] = f(ZIGGURAT_X[i]);
}

/** Seeded pseudo-random generator with uniform and Gaussian draws. */
export class Random {
  /** xoshiro128** state s0…s3 (int32 bit patterns). */
  private readonly state = new Int32Array(4);
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
    let mixer = low | 0;
    const next = (): number => {
      mixer = (mixer + 0x9e3779b9) | 0;
      return fmix32(mixer);
    };
    const state = this.state;
    state[0] = next(); state[1] = next(); state[2] = next(); state[3] = next();
    if (high !== 0) {
      state[2] ^= fmix32(high);
      state[3] ^= fmix32((high + 0x9e3779b9) | 0);
      // the generator's step is a bijection of the state: running it a few times keeps distinct states
      // distinct and spreads the high half into s1, which alone sets the first outputs
      for (let i = 0; i < 8; i++) this.nextUint32();
    }
    if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1; // the all-zero state is a fixed point
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const state = this.state;
    const s0 = state[0], s1 = state[1], s2 = state[2] ^ s0, s3 = state[3] ^ s1;
    state[0] = s0 ^ s3; state[1] = s1 ^ s2; state[2] = s2 ^ (s1 << 9); state[3] = rotl(s3, 11);
    return Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
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

  /** Standard normal draw (ziggurat, see the module comment). */
  gaussian(): number {
    for (;;) {
      const bits = this.nextUint32();
      const layer = bits & 255;
      // 21 high bits of the first output and all 32 of the second: a uniform in [0, 1) with 53 bits
      const x = ((bits >>> 11) * TWO_POW_32 + this.nextUint32()) * TWO_POW_MINUS_53 * ZIGGURAT_X[layer];
      if (x < ZIGGURAT_X[layer + 1]) return bits & 256 ? -x : x; // inside the layer's core
      const value = this.outsideCore(bits, x);
      if (value === value) return value; // NaN: rejected, draw again
    }
  }

  /** Fills `target` with independent N(mean, sd²) draws and returns it (the values `gaussian()` would give). */
  fillGaussian<T extends Float64Array | number[]>(target: T, sd = 1, mean = 0): T {
    if (target instanceof Float64Array) {
      this.fillStandardNormal(target);
      for (let i = 0; i < target.length; i++) target[i] = mean + sd * target[i];
      return target;
    }
    for (let i = 0; i < target.length; i++) target[i] = mean + sd * this.gaussian();
    return target;
  }

  /**
   * Sets every element to the next `gaussian()` draw and returns `target`. The generator state
   * stays in locals: the hot path of white noise (64 channels × 1000 samples per chunk in the motion
   * circuit), several times faster than a call per draw. Draws outside a layer's core (about 1 %)
   * hand the state back and take the general path, so the values are exactly those of `gaussian()`.
   */
  fillStandardNormal(target: Float64Array): Float64Array {
    const state = this.state;
    let s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
    for (let i = 0; i < target.length; i++) {
      // two xoshiro128** steps, as in nextUint32
      const bits = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      let shifted = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= shifted; s3 = rotl(s3, 11);
      const low = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
      shifted = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= shifted; s3 = rotl(s3, 11);
      const layer = bits & 255;
      const x = ((bits >>> 11) * TWO_POW_32 + low) * TWO_POW_MINUS_53 * ZIGGURAT_X[layer];
      if (x < ZIGGURAT_X[layer + 1]) { target[i] = bits & 256 ? -x : x; continue; }
      state[0] = s0; state[1] = s1; state[2] = s2; state[3] = s3;
      let value = this.outsideCore(bits, x);
      if (value !== value) value = this.gaussian();
      target[i] = value;
      s0 = state[0]; s1 = state[1]; s2 = state[2]; s3 = state[3];
    }
    state[0] = s0; state[1] = s1; state[2] = s2; state[3] = s3;
    return target;
  }

  /**
   * A draw whose x fell outside its layer's core: the tail beyond r for layer 0 (Marsaglia 1964:
   * x = r + e1 / r, accepted when 2·e2 > (e1 / r)²), else the wedge under f. NaN when rejected.
   */
  private outsideCore(bits: number, x: number): number {
    const layer = bits & 255;
    if (layer === 0) {
      for (;;) {
        const excess = -Math.log(1 - this.uniform()) / ZIGGURAT_R;
        if (-2 * Math.log(1 - this.uniform()) > excess * excess) return bits & 256 ? -(ZIGGURAT_R + excess) : ZIGGURAT_R + excess;
      }
    }
    const y = ZIGGURAT_F[layer] + this.uniform() * (ZIGGURAT_F[layer + 1] - ZIGGURAT_F[layer]);
    return y < Math.exp(-0.5 * x * x) ? (bits & 256 ? -x : x) : NaN;
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
