import { InvalidArgumentError } from '../errors/index.js';
import { GOLDEN_GAMMA, fnv1a64String, mix64 } from './hash.js';

const MASK64 = (1n << 64n) - 1n;

/** Anything {@link createRng} accepts as a seed. */
export type SeedLike = number | bigint | string;

/**
 * Normalises a seed to an unsigned 64-bit bigint:
 * - `bigint` → reduced modulo 2⁶⁴ (`-1n` → `2⁶⁴ − 1`);
 * - `number` → must be a safe integer, then as a bigint (negatives modulo 2⁶⁴);
 * - `string` → FNV-1a-64 of its UTF-8 bytes (so `'42'` and `42` are different seeds).
 */
export function normalizeSeed(seed: SeedLike): bigint {
  if (typeof seed === 'bigint') return seed & MASK64;
  if (typeof seed === 'string') return fnv1a64String(seed);
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) return BigInt(seed) & MASK64;
  throw new InvalidArgumentError({
    message:
      `Invalid RNG seed ${String(seed)}: a seed must be a safe integer (|n| ≤ 2^53 − 1), a bigint or a string. ` +
      'Pass e.g. 42, 42n or "run-42"; for a fractional or huge number, pass it as a string.',
    expected: 'safe integer | bigint | string',
    actual: seed,
  });
}

/** The canonical text of a split key: strings as is, integers in decimal (`3` ≡ `'3'`). */
export function normalizeSplitKey(key: string | number): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isSafeInteger(key)) return String(key);
  throw new InvalidArgumentError({
    message:
      `Invalid split key ${String(key)}: a key must be a string or a safe integer. ` +
      'Use a descriptive string such as "unit:<name>" or an integer index.',
    expected: 'string | safe integer',
    actual: key,
  });
}

/**
 * The seed of the child stream `key` of a stream seeded with `parent`:
 * `mix64((parent XOR mix64(fnv1a64(utf8(key)))) + γ) mod 2⁶⁴` with γ the splitmix64 increment.
 * A pure function of (parent, key), non-commutative along a path (`a/b` ≠ `b/a`).
 */
export function deriveSeed(parent: bigint, key: string): bigint {
  return mix64(((parent ^ mix64(fnv1a64String(key))) + GOLDEN_GAMMA) & MASK64);
}
