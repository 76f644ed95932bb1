import { InvalidArgumentError } from '@vlp/core';
import * as z from 'zod';

/**
 * Mask pattern of a layer-wise pruner (style.md §5: a discriminated union, never a `"2:4"` string).
 * `n:m` follows NVIDIA's convention: at most `n` weights KEPT in every `m` consecutive inputs of a
 * row (2:4 keeps 2 of 4, i.e. prunes 50 %). The official Wanda / SparseGPT scripts call the same
 * pattern `prune_n:prune_m` with `prune_n` the number PRUNED; for 2:4 both read the same.
 */
export const granularitySchema = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('unstructured') }),
    z.strictObject({
      kind: z.literal('n:m'),
      /** Weights kept per group, 1 ≤ n ≤ m. */
      n: z.int().min(1),
      /** Group size along the input dimension; every unit's input width must be a multiple of m. */
      m: z.int().min(1),
    }),
  ])
  .superRefine((g, ctx) => {
    if (g.kind === 'n:m' && g.n > g.m) {
      ctx.addIssue({ code: 'custom', path: ['n'], message: `granularity.n (${g.n}) must be ≤ granularity.m (${g.m}): n weights are kept in every m` });
    }
  });

export type GranularityConfig = z.output<typeof granularitySchema>;

/** An `n:m` pattern. */
export interface NMPattern {
  readonly n: number;
  readonly m: number;
}

/** Sparsity an `n:m` pattern realises: `1 − n/m`. */
export function nmSparsity(nm: NMPattern): number {
  return 1 - nm.n / nm.m;
}

/** Largest accepted |request.sparsity − (1 − n/m)| for an `n:m` run (the default sparsity tolerance). */
export const NM_SPARSITY_TOLERANCE = 0.01;

/**
 * Throws `VLP_INVALID_ARGUMENT` unless the requested sparsity is the one `n:m` realises, so a
 * mismatch is reported before any calibration work instead of by `prune()`'s final check.
 */
export function assertNMSparsity(nm: NMPattern, sparsity: number, prunerId: string): void {
  const realised = nmSparsity(nm);
  if (Math.abs(realised - sparsity) > NM_SPARSITY_TOLERANCE + 1e-12) {
    throw new InvalidArgumentError({
      message:
        `Pruner "${prunerId}" with granularity ${nm.n}:${nm.m} prunes exactly ${realised} of every unit, but request.sparsity is ${sparsity}. ` +
        `Request sparsity ${realised}, or use granularity { kind: 'unstructured' }.`,
      expected: realised,
      actual: sparsity,
    });
  }
}
