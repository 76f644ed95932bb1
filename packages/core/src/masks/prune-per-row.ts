import { applyCut, lowestCut } from './lowest-cut.js';
import { type ScoreArray, assertCount, assertNoNaN, assertShape } from './validate.js';

/**
 * Prunes exactly `kPerRow` lowest scores in every output row of a row-major `[rows, cols]`
 * tensor (the Wanda comparison group). Returns the mask (1 keeps, 0 prunes).
 *
 * Ties: within a row, the entry with the LOWER column index is pruned first (the result of a
 * stable ascending sort, as in the official Wanda code). Throws `InvalidArgumentError` for NaN
 * scores, a shape that does not match `scores.length`, or `kPerRow` outside [0, cols].
 */
export function pruneLowestPerRow(scores: ScoreArray, shape: readonly [number, number], kPerRow: number): Uint8Array {
  assertShape(shape, scores.length, 'scores');
  const [rows, cols] = shape;
  assertCount(kPerRow, cols, 'kPerRow');
  assertNoNaN(scores, 'scores');
  const mask = new Uint8Array(scores.length);
  for (let r = 0; r < rows; r++) {
    const row = scores.subarray(r * cols, (r + 1) * cols);
    const cut = lowestCut(row, kPerRow);
    applyCut(row, cut.value, cut.ties, mask.subarray(r * cols, (r + 1) * cols));
  }
  return mask;
}
