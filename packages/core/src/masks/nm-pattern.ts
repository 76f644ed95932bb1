import { assertNM } from './prune-nm.js';
import { assertShape } from './validate.js';

/**
 * True iff `mask` (1 keeps, 0 prunes; any non-zero counts as kept) satisfies the N:M pattern of
 * {@link pruneNM}: at most `n` kept entries in every aligned run of `m` consecutive columns of
 * every row. Throws `InvalidArgumentError` for a shape/length mismatch, invalid n/m or
 * `cols % m !== 0`.
 */
export function isNMPattern(mask: Uint8Array, shape: readonly [number, number], n: number, m: number): boolean {
  assertShape(shape, mask.length, 'mask');
  assertNM(n, m, shape[1]);
  for (let start = 0; start < mask.length; start += m) {
    let kept = 0;
    for (let i = start; i < start + m; i++) if (mask[i] !== 0) kept++;
    if (kept > n) return false;
  }
  return true;
}
