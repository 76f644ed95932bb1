import { InvalidArgumentError } from '../errors/index.js';
import { type CountRounding, assertRounding, assertSparsity } from './validate.js';

/**
 * The number of entries to prune for `sparsity` of `numel` entries:
 * `floor(sparsity · numel)` (default; the official codes' `int(s · n)`) or
 * `round(sparsity · numel)` (`Math.round`, halves up).
 *
 * The product is the plain float64 one, so e.g. `kForSparsity(100, 0.29)` is 28
 * (0.29 · 100 = 28.999999999999996), exactly as Python's `int(0.29 * 100)`.
 * Throws `InvalidArgumentError` unless `numel` is a non-negative integer and 0 ≤ sparsity < 1.
 */
export function kForSparsity(numel: number, sparsity: number, rounding: CountRounding = 'floor'): number {
  if (!Number.isSafeInteger(numel) || numel < 0) {
    throw new InvalidArgumentError({
      message: `numel must be a non-negative integer (got ${String(numel)}); pass the element count of the tensor(s).`,
      expected: 'non-negative integer',
      actual: numel,
    });
  }
  assertSparsity(sparsity);
  assertRounding(rounding);
  const x = sparsity * numel;
  return rounding === 'floor' ? Math.floor(x) : Math.round(x);
}
