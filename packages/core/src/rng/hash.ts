/**
 * 64-bit hashing primitives used for seeding and splitting: the splitmix64 generator/finaliser
 * (Steele, Lea & Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014; the
 * constants of Vigna's reference `splitmix64.c`) and FNV-1a-64 (Fowler–Noll–Vo).
 * BigInt is used for clarity: these run once per stream, never per sample.
 */

const MASK64 = (1n << 64n) - 1n;

/** The splitmix64 increment, ⌊2⁶⁴/φ⌋ (odd). */
export const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

const FNV64_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;

/**
 * The splitmix64 output function ("variant 13" of Stafford's mix): a bijection on 64-bit
 * integers with strong avalanche. `mix64(0n) === 0n`.
 */
export function mix64(x: bigint): bigint {
  let z = x & MASK64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

/**
 * The splitmix64 generator: each call adds {@link GOLDEN_GAMMA} to the state and returns
 * `mix64(state)`. Seed 0 gives `0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, ...` (Vigna's reference).
 */
export class SplitMix64 {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = seed & MASK64;
  }

  /** The next 64-bit output as an unsigned bigint. */
  next(): bigint {
    this.state = (this.state + GOLDEN_GAMMA) & MASK64;
    return mix64(this.state);
  }
}

/** FNV-1a-64 of a byte string, as an unsigned 64-bit bigint (`fnv1a64(empty) = 0xcbf29ce484222325`). */
export function fnv1a64(bytes: Uint8Array): bigint {
  let h = FNV64_OFFSET_BASIS;
  for (let i = 0; i < bytes.length; i++) {
    h = ((h ^ BigInt(bytes[i])) * FNV64_PRIME) & MASK64;
  }
  return h;
}

const encoder = new TextEncoder();

/** FNV-1a-64 of the UTF-8 encoding of `text`. */
export function fnv1a64String(text: string): bigint {
  return fnv1a64(encoder.encode(text));
}
