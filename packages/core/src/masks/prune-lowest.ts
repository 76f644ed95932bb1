import { applyCut, lowestCut } from './lowest-cut.js';
import { type ScoreArray, assertCount, assertNoNaN } from './validate.js';

/**
 * Prunes exactly the `k` lowest scores of one tensor: returns a mask (1 keeps, 0 prunes) with
 * exactly `k` zeros.
 *
 * Ties: among equal scores the entry with the LOWER flat index is pruned first.
 * Throws `InvalidArgumentError` for NaN scores or `k` outside [0, scores.length].
 *
 * @example pruneLowest(new Float32Array([3, 1, 2, 1]), 1) → [1, 0, 1, 1]
 */
export function pruneLowest(scores: ScoreArray, k: number): Uint8Array {
  assertCount(k, scores.length, 'k');
  assertNoNaN(scores, 'scores');
  const cut = lowestCut(scores, k);
  const mask = new Uint8Array(scores.length);
  applyCut(scores, cut.value, cut.ties, mask);
  return mask;
}
