import type { Rng } from '../contract/rng.js';
import { InvalidArgumentError } from '../errors/index.js';
import { type SeedLike, deriveSeed, normalizeSeed, normalizeSplitKey } from './seed.js';
import { Xoshiro256StarStar } from './xoshiro256.js';

const TWO_POW_32 = 4294967296;
const TWO_POW_21 = 2097152;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_MINUS_53 = 1 / TWO_POW_53;
const TWO_POW_MINUS_24 = 1 / 16777216;
const TWO_PI = 2 * Math.PI;

/**
 * A seeded, splittable {@link Rng}: xoshiro256** seeded through splitmix64 (see
 * {@link Xoshiro256StarStar}); child streams by hashing (seed, key) (see {@link deriveSeed}).
 *
 * Conventions (all deterministic):
 * - `nextUint32` = the high 32 bits of one 64-bit output;
 * - `nextFloat` = the high 53 bits of one output × 2⁻⁵³;
 * - `nextInt(n)` = rejection sampling (exactly uniform) on 32 bits for n ≤ 2³², on 53 bits above;
 * - normals by the Box–Muller transform: one pair (z₀, z₁) from two `nextFloat`s u₁, u₂:
 *   `r = √(−2 ln(1 − u₁))`, `z₀ = r cos 2πu₂`, `z₁ = r sin 2πu₂`; z₀ is returned and z₁ kept for
 *   the next normal, so `fillNormal(out)` yields exactly what `out.length` calls of `nextNormal()`
 *   would (rounded to float32);
 * - `fillUniform` draws 24 bits per value (`(nextUint32 >>> 8) · 2⁻²⁴`), exact in float32 and < 1.
 */
class SplittableRng implements Rng {
  readonly seed: bigint;
  private readonly gen: Xoshiro256StarStar;
  private readonly out: Uint32Array;
  private hasSpare = false;
  private spare = 0;

  constructor(seed: bigint) {
    this.seed = seed;
    this.gen = Xoshiro256StarStar.fromSeed(seed);
    this.out = this.gen.out;
  }

  split(key: string | number): Rng {
    return new SplittableRng(deriveSeed(this.seed, normalizeSplitKey(key)));
  }

  nextUint32(): number {
    this.gen.step();
    return this.out[0];
  }

  nextFloat(): number {
    this.gen.step();
    return (this.out[0] * TWO_POW_21 + (this.out[1] >>> 11)) * TWO_POW_MINUS_53;
  }

  nextInt(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1) {
      throw new InvalidArgumentError({
        message: `rng.nextInt(n) needs a positive safe integer n (got ${String(n)}); it returns an integer in [0, n).`,
        expected: 'integer 1 ≤ n ≤ 2^53 − 1',
        actual: n,
      });
    }
    if (n <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      for (;;) {
        const x = this.nextUint32();
        if (x < limit) return x % n;
      }
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    for (;;) {
      this.gen.step();
      const x = this.out[0] * TWO_POW_21 + (this.out[1] >>> 11);
      if (x < limit) return x % n;
    }
  }

  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const u1 = this.nextFloat();
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(1 - u1));
    const theta = TWO_PI * u2;
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }

  fillNormal(out: Float32Array): Float32Array {
    const n = out.length;
    let i = 0;
    if (n > 0 && this.hasSpare) {
      out[i++] = this.spare;
      this.hasSpare = false;
    }
    for (; i + 1 < n; i += 2) {
      const u1 = this.nextFloat();
      const u2 = this.nextFloat();
      const r = Math.sqrt(-2 * Math.log(1 - u1));
      const theta = TWO_PI * u2;
      out[i] = r * Math.cos(theta);
      out[i + 1] = r * Math.sin(theta);
    }
    if (i < n) out[i] = this.nextNormal();
    return out;
  }

  fillUniform(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) {
      this.gen.step();
      out[i] = (this.out[0] >>> 8) * TWO_POW_MINUS_24;
    }
    return out;
  }

  permutation(n: number): Uint32Array {
    if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff) {
      throw new InvalidArgumentError({
        message: `rng.permutation(n) needs an integer 0 ≤ n ≤ 2^32 − 1 (got ${String(n)}).`,
        expected: 'integer 0 ≤ n ≤ 4294967295',
        actual: n,
      });
    }
    const p = new Uint32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/**
 * Creates a seeded, splittable random number generator (xoshiro256** seeded through splitmix64).
 *
 * `seed`: a safe integer, a bigint (taken modulo 2⁶⁴) or a string (hashed with FNV-1a-64); see
 * {@link normalizeSeed}. The same seed always gives the same stream, and
 * `createRng(s).split('a').split('b')` is the same stream every time; `split` never advances
 * its parent. Throws `InvalidArgumentError` for a non-integer or unsafe number.
 *
 * @example
 * const rng = createRng(42);
 * const noise = rng.split('unit:vision_model.encoder.layers.0.mlp.fc1.weight').fillNormal(new Float32Array(1024));
 */
export function createRng(seed: SeedLike): Rng {
  return new SplittableRng(normalizeSeed(seed));
}
