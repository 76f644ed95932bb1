import { SplitMix64 } from './hash.js';

/**
 * xoshiro256** 1.0 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 2021), implemented on 32-bit halves so that no BigInt is touched per sample.
 *
 * The 256-bit state is seeded, as the authors recommend, with four consecutive splitmix64
 * outputs of the 64-bit seed. Each {@link step} writes the 64-bit output to `out[0]` (high 32
 * bits) and `out[1]` (low 32 bits).
 */
export class Xoshiro256StarStar {
  /** State as `[hi0, lo0, hi1, lo1, hi2, lo2, hi3, lo3]` (words s[0]..s[3]). */
  private readonly s = new Uint32Array(8);
  /** The last output: `[high 32 bits, low 32 bits]`. */
  readonly out = new Uint32Array(2);

  private constructor() {}

  /** A generator whose state is four splitmix64 outputs of `seed`. */
  static fromSeed(seed: bigint): Xoshiro256StarStar {
    const sm = new SplitMix64(seed);
    return Xoshiro256StarStar.fromState([sm.next(), sm.next(), sm.next(), sm.next()]);
  }

  /** A generator with the raw state `s[0..3]` (for test vectors). Must not be all zero. */
  static fromState(words: readonly [bigint, bigint, bigint, bigint]): Xoshiro256StarStar {
    const g = new Xoshiro256StarStar();
    for (let i = 0; i < 4; i++) {
      g.s[2 * i] = Number((words[i] >> 32n) & 0xffffffffn);
      g.s[2 * i + 1] = Number(words[i] & 0xffffffffn);
    }
    return g;
  }

  /** Advances the state once; the 64-bit output is left in {@link out}. */
  step(): void {
    const s = this.s;
    const h0 = s[0], l0 = s[1], h1 = s[2], l1 = s[3];
    const h2 = s[4], l2 = s[5], h3 = s[6], l3 = s[7];

    // result = rotl(s1 * 5, 7) * 9
    const p5 = l1 * 5; // < 2^35, exact
    const m5l = p5 >>> 0;
    const m5h = (Math.imul(h1, 5) + Math.floor(p5 / 4294967296)) >>> 0;
    const rh = ((m5h << 7) | (m5l >>> 25)) >>> 0;
    const rl = ((m5l << 7) | (m5h >>> 25)) >>> 0;
    const p9 = rl * 9;
    this.out[1] = p9 >>> 0;
    this.out[0] = (Math.imul(rh, 9) + Math.floor(p9 / 4294967296)) >>> 0;

    // t = s1 << 17
    const th = (h1 << 17) | (l1 >>> 15);
    const tl = l1 << 17;
    // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
    const n2h = h2 ^ h0, n2l = l2 ^ l0;
    const n3h = h3 ^ h1, n3l = l3 ^ l1;
    s[2] = h1 ^ n2h;
    s[3] = l1 ^ n2l;
    s[0] = h0 ^ n3h;
    s[1] = l0 ^ n3l;
    s[4] = n2h ^ th;
    s[5] = n2l ^ tl;
    // rotl by 45 = swap halves (32) then rotl by 13
    s[6] = (n3l << 13) | (n3h >>> 19);
    s[7] = (n3h << 13) | (n3l >>> 19);
  }

  /** The next 64-bit output as a bigint (slow; for tests and seeding). */
  next64(): bigint {
    this.step();
    return (BigInt(this.out[0]) << 32n) | BigInt(this.out[1]);
  }
}
