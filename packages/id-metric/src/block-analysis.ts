import { InvalidArgumentError, type Rng, throwIfAborted } from '@vlp/core';
import { type DistanceMatrix, twoNNEstimate } from './twonn.js';

/**
 * Block analysis of the official ID code (`ComputeID.block_analysis` / `estimate_ID_2nn`, Wang, Zhang
 * & Ma, ICML 2024, §3.1): for b = 1…B, permute the n points, keep the first `b·⌊n/b⌋`, split them into b
 * consecutive blocks of `⌊n/b⌋` points, estimate TwoNN on each block and average. The layer's ID is
 * the mean of the B block means; the spread reported is the population std at b = B.
 * Deviation: a block left with fewer than 3 usable points (duplicates: text layers often see the
 * same caption twice) has no estimate and is skipped in the means instead of making the ID NaN.
 * O(B · n²) after the distances.
 */

/** One row of the analysis (one value of b). */
export interface BlockAnalysisRow {
  readonly blocks: number;
  readonly pointsPerBlock: number;
  /** Mean of the per-block slopes (over the defined ones; NaN when none is). */
  readonly mean: number;
  /** Population standard deviation of the per-block slopes (defined ones). */
  readonly std: number;
  /** Every block's slope; NaN where fewer than 3 points survive the r₁ = 0 / r₁ = r₂ filter. */
  readonly perBlock: readonly number[];
}

/** Result of {@link blockAnalysis}. */
export interface BlockAnalysis {
  /** Mean over b of the block means: the intrinsic dimension (NaN when no block is defined). */
  readonly id: number;
  /**
   * Blocks without an estimate (mostly duplicate points), left out of the means. The official code
   * returns NaN then; 0 whenever every block is defined, where the result is the official one.
   */
  readonly undefinedBlocks: number;
  /** `std` of the last row (the official `std[19]`). */
  readonly std: number;
  readonly rows: readonly BlockAnalysisRow[];
}

/** Options of {@link blockAnalysis}. */
export interface BlockAnalysisOptions {
  /** Largest number of blocks B (official: 20). */
  readonly maxBlocks: number;
  /**
   * The permutation used for each b (`permutations[b − 1]`, length n), e.g. the official ones saved
   * from `np.random.permutation`. When omitted, drawn from `rng`.
   */
  readonly permutations?: readonly ArrayLike<number>[];
  /** Source of the permutations when `permutations` is omitted. */
  readonly rng?: Rng;
  readonly signal?: AbortSignal;
}

function populationStd(values: readonly number[], mean: number): number {
  let s = 0;
  for (const v of values) s += (v - mean) ** 2;
  return Math.sqrt(s / values.length);
}

/**
 * Runs the block analysis on a distance matrix. Throws `InvalidArgumentError` when neither
 * permutations nor an rng is given, a permutation has the wrong length, or `n < 3·maxBlocks`
 * (blocks of fewer than 3 points have no TwoNN estimate).
 */
export function blockAnalysis(distances: DistanceMatrix, options: BlockAnalysisOptions): BlockAnalysis {
  const { n } = distances;
  const { maxBlocks, permutations, rng, signal } = options;
  if (!Number.isInteger(maxBlocks) || maxBlocks < 1) {
    throw new InvalidArgumentError({ message: `blockAnalysis: maxBlocks must be a positive integer (got ${maxBlocks}).`, actual: maxBlocks });
  }
  if (n < 3 * maxBlocks) {
    throw new InvalidArgumentError({
      message: `blockAnalysis: ${n} points cannot be split into ${maxBlocks} blocks of at least 3; use more samples (≥ ${3 * maxBlocks}) or fewer blocks.`,
      expected: 3 * maxBlocks,
      actual: n,
    });
  }
  if (!permutations && !rng) throw new InvalidArgumentError({ message: 'blockAnalysis needs `permutations` or an `rng`.' });
  const rows: BlockAnalysisRow[] = [];
  let undefinedBlocks = 0;
  for (let b = 1; b <= maxBlocks; b++) {
    throwIfAborted(signal, `block analysis (b = ${b})`);
    const perm = permutations ? permutations[b - 1] : rng!.permutation(n);
    if (!perm || perm.length !== n) {
      throw new InvalidArgumentError({ message: `blockAnalysis: permutation ${b - 1} must have ${n} entries (got ${perm?.length ?? 'none'}).`, expected: n, actual: perm?.length });
    }
    const m = Math.floor(n / b);
    const perBlock: number[] = [];
    for (let i = 0; i < b; i++) {
      const subset = Array.from({ length: m }, (_, j) => perm[i * m + j]);
      perBlock.push(twoNNEstimate(distances, subset).slope);
    }
    const defined = perBlock.filter((v) => Number.isFinite(v));
    undefinedBlocks += b - defined.length;
    const mean = defined.length > 0 ? defined.reduce((s, v) => s + v, 0) / defined.length : Number.NaN;
    rows.push({ blocks: b, pointsPerBlock: m, mean, std: defined.length > 0 ? populationStd(defined, mean) : Number.NaN, perBlock });
  }
  const means = rows.map((r) => r.mean).filter((v) => Number.isFinite(v));
  const id = means.length > 0 ? means.reduce((s, v) => s + v, 0) / means.length : Number.NaN;
  return { id, std: rows[rows.length - 1]!.std, undefinedBlocks, rows };
}
