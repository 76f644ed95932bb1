/**
 * A keyed pseudorandom permutation of `[0, n)`, evaluated one index at a time in O(1) memory: a
 * balanced 4-round Feistel network on the smallest even-bit domain `2^(2h) ≥ n`, with cycle walking
 * (re-encrypt until the value falls below `n`; the domain is < 4n, so this takes < 4 rounds of the
 * network on average). Integer arithmetic only (`Math.imul`, shifts, xor), so it is the same on
 * every machine.
 */

/** The murmur3 32-bit finaliser. */
function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A bijection of `[0, n)` chosen by `keys` (four 32-bit round keys). */
export class KeyedPermutation {
  readonly n: number;
  private readonly halfBits: number;
  private readonly halfMask: number;
  private readonly keys: readonly number[];

  constructor(n: number, keys: readonly number[]) {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 30) throw new RangeError(`KeyedPermutation: n must be an integer in [1, 2^30] (got ${n})`);
    let bits = 2;
    while (2 ** bits < n) bits += 2;
    this.n = n;
    this.halfBits = bits / 2;
    this.halfMask = 2 ** this.halfBits - 1;
    this.keys = keys.map((k) => k >>> 0);
  }

  /** The image of `i` (an integer in `[0, n)`). */
  at(i: number): number {
    let x = i;
    do x = this.encrypt(x);
    while (x >= this.n);
    return x;
  }

  private encrypt(x: number): number {
    let left = Math.floor(x / 2 ** this.halfBits);
    let right = x & this.halfMask;
    for (const key of this.keys) {
      const next = (left ^ fmix32(right ^ key)) & this.halfMask;
      left = right;
      right = next;
    }
    return left * 2 ** this.halfBits + right;
  }
}
