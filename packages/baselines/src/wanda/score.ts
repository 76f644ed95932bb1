/**
 * Wanda kernels (Sun, Liu, Bair, Kolter, "A Simple and Effective Pruning Approach for Large
 * Language Models", ICLR 2024). Layout: weights flat row-major over `[out, in]` (HF orientation);
 * input statistics per input feature j. Scores O(out·in); masks O(out·in·log in).
 */
import {
  InvalidArgumentError,
  kForSparsity,
  pruneLowest,
  pruneLowestPerRow,
  pruneNM,
  type ScoreArray,
} from '@vlp/core';
import type { NMPattern } from '../common/granularity.js';

/**
 * Wanda scores (eq. 1): `S_ij = |W_ij| · ‖X_j‖₂` with `‖X_j‖₂ = sqrt(Σ_t x_tj² / count)`.
 * `inputSumSquares` is Σ over calibration tokens of x_j² (the `input-sum-squares` tap summed over
 * batches), its length the input width. `count` (default 1) divides the sums first: 1 gives the
 * paper's ‖X_j‖₂; the official code divides by the number of calibration sequences (`scaler_row`).
 * A per-unit constant: it never changes a per-row or per-tensor mask. Computed in float64.
 * Throws `VLP_INVALID_ARGUMENT` when `weight.length` is not a multiple of the input width.
 */
export function wandaScores(weight: Float32Array, inputSumSquares: ArrayLike<number>, count = 1): Float64Array {
  const cols = inputSumSquares.length;
  if (cols === 0 || weight.length % cols !== 0) {
    throw new InvalidArgumentError({
      message: `wandaScores: ${weight.length} weights do not form rows of ${cols} inputs (inputSumSquares must have one entry per input feature).`,
      expected: `a multiple of ${cols}`,
      actual: weight.length,
    });
  }
  if (!(count > 0)) {
    throw new InvalidArgumentError({ message: `wandaScores: count must be > 0 (got ${count}).`, expected: '> 0', actual: count });
  }
  const norms = new Float64Array(cols);
  for (let j = 0; j < cols; j++) norms[j] = Math.sqrt(Math.max(0, inputSumSquares[j]) / count);
  const scores = new Float64Array(weight.length);
  for (let i = 0; i < weight.length; i++) scores[i] = Math.abs(weight[i]) * norms[i % cols];
  return scores;
}

/** What {@link wandaMask} prunes: a sparsity within a comparison group, or an N:M pattern. */
export type WandaMaskOptions =
  | { readonly sparsity: number; readonly comparisonGroup?: 'row' | 'tensor' }
  | { readonly nm: NMPattern };

/**
 * Wanda's mask from its scores (1 keeps, 0 prunes). `{ sparsity }`: ⌊in·s⌋ lowest per output row
 * (default comparison group, as the official code) or ⌊out·in·s⌋ lowest per tensor
 * (`comparisonGroup: 'tensor'`). `{ nm: { n, m } }`: the n highest of every m consecutive inputs
 * of a row kept. Ties: the lower index is pruned first (the official stable sort).
 */
export function wandaMask(scores: ScoreArray, shape: readonly [number, number], options: WandaMaskOptions): Uint8Array {
  if ('nm' in options) return pruneNM(scores, shape, options.nm.n, options.nm.m);
  if ((options.comparisonGroup ?? 'row') === 'tensor') return pruneLowest(scores, kForSparsity(scores.length, options.sparsity));
  return pruneLowestPerRow(scores, shape, kForSparsity(shape[1], options.sparsity));
}
