import { InvalidArgumentError } from '../errors/index.js';

/** Scores a mask helper ranks: one value per weight, flat row-major. Higher = more important. */
export type ScoreArray = Float32Array | Float64Array;

/** How a fractional prune count is made an integer: `floor` (default) or `round` (half up). */
export type CountRounding = 'floor' | 'round';

/** Throws unless `k` is an integer in [0, max]. `what` names the argument in the message. */
export function assertCount(k: number, max: number, what: string): void {
  if (!Number.isSafeInteger(k) || k < 0 || k > max) {
    throw new InvalidArgumentError({
      message:
        `${what} must be an integer in [0, ${max}] (got ${String(k)}). ` +
        'Compute it from a sparsity with kForSparsity(numel, sparsity) to stay in range.',
      expected: `integer in [0, ${max}]`,
      actual: k,
    });
  }
}

/** Throws unless `sparsity` is a number in [0, 1). */
export function assertSparsity(sparsity: number, what = 'sparsity'): void {
  if (typeof sparsity !== 'number' || !(sparsity >= 0 && sparsity < 1)) {
    throw new InvalidArgumentError({
      message:
        `${what} must be a fraction in [0, 1) (got ${String(sparsity)}). ` +
        'Pass e.g. 0.5 for 50 % of the weights pruned (1 would prune everything and is not allowed).',
      expected: '0 <= sparsity < 1',
      actual: sparsity,
    });
  }
}

/** Throws unless `rounding` is `floor` or `round`. */
export function assertRounding(rounding: string): asserts rounding is CountRounding {
  if (rounding !== 'floor' && rounding !== 'round') {
    throw new InvalidArgumentError({
      message: `rounding must be 'floor' or 'round' (got ${JSON.stringify(rounding)}).`,
      expected: "'floor' | 'round'",
      actual: rounding,
    });
  }
}

/** Throws unless `shape` is `[rows, cols]` of non-negative integers with `rows·cols === length`. */
export function assertShape(shape: readonly [number, number], length: number, what: string): void {
  const ok =
    Array.isArray(shape) &&
    shape.length === 2 &&
    Number.isSafeInteger(shape[0]) &&
    Number.isSafeInteger(shape[1]) &&
    shape[0] >= 0 &&
    shape[1] >= 0;
  if (!ok || shape[0] * shape[1] !== length) {
    throw new InvalidArgumentError({
      message:
        `${what} has ${length} entries but shape ${JSON.stringify(shape)} ` +
        (ok ? `holds ${shape[0] * shape[1]}` : 'is not [rows, cols] of non-negative integers') +
        '. Pass the [out, in] shape of the weight the flat row-major array belongs to.',
      expected: `[rows, cols] with rows·cols = ${length}`,
      actual: shape,
    });
  }
}

/** Throws if any score is NaN (NaN cannot be ranked). */
export function assertNoNaN(scores: ScoreArray, what: string): void {
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] !== scores[i]) {
      throw new InvalidArgumentError({
        message:
          `${what} contains NaN at flat index ${i}; NaN scores cannot be ranked. ` +
          'Fix the score computation (often a 0/0), or replace NaN by -Infinity to prune those weights first.',
        tensor: what,
        actual: 'NaN',
      });
    }
  }
}
