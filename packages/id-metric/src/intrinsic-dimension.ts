import { createRng, type Rng } from '@vlp/core';
import { type BlockAnalysis, blockAnalysis } from './block-analysis.js';
import { type PairwiseDistanceOptions, pairwiseDistances } from './pairwise-distances.js';

/** Options of {@link estimateIntrinsicDimension}. */
export interface IntrinsicDimensionOptions extends PairwiseDistanceOptions {
  /** Largest number of blocks B of the block analysis (official: 20). Default 20. */
  readonly maxBlocks?: number;
  /** Fixed permutations, one per b (e.g. the official ones); otherwise drawn from `rng` / `seed`. */
  readonly permutations?: readonly ArrayLike<number>[];
  readonly rng?: Rng;
  /** Seed of the permutations when neither `permutations` nor `rng` is given. Default 0. */
  readonly seed?: number;
}

/**
 * Intrinsic dimension of n points (`[n, dim]` row-major float32) as the official
 * `ComputeID.estimate_ID_2nn`: tiled pairwise distances, then the TwoNN block analysis over
 * b = 1…B random splits (Wang, Zhang & Ma, ICML 2024, §3.1). Deterministic for a given seed / rng /
 * permutation list. Returns the block analysis (`id`, `std`, every row).
 */
export async function estimateIntrinsicDimension(points: Float32Array, n: number, dim: number, options: IntrinsicDimensionOptions = {}): Promise<BlockAnalysis> {
  const distances = await pairwiseDistances(points, n, dim, options);
  return blockAnalysis(distances, {
    maxBlocks: options.maxBlocks ?? 20,
    permutations: options.permutations,
    rng: options.rng ?? createRng(options.seed ?? 0),
    signal: options.signal,
  });
}
