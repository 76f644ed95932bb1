import { InvalidArgumentError } from '../errors/index.js';
import { applyCut, lowestCut } from './lowest-cut.js';
import { type ScoreArray, assertNoNaN, assertShape } from './validate.js';

/** Throws unless 0 ≤ n ≤ m are integers, m ≥ 1 and `cols` is a multiple of m. */
export function assertNM(n: number, m: number, cols: number): void {
  if (!Number.isSafeInteger(m) || m < 1 || !Number.isSafeInteger(n) || n < 0 || n > m) {
    throw new InvalidArgumentError({
      message:
        `N:M needs integers 0 ≤ n ≤ m and m ≥ 1 (got n = ${String(n)}, m = ${String(m)}); ` +
        'e.g. n = 2, m = 4 for 2:4.',
      expected: 'integers 0 <= n <= m, m >= 1',
      actual: { n, m },
    });
  }
  if (cols % m !== 0) {
    throw new InvalidArgumentError({
      message:
        `N:M with m = ${m} needs the input (column) dimension to be a multiple of ${m}, but it is ${cols}. ` +
        'Choose an m that divides the number of columns or prune this tensor unstructured.',
      expected: `cols % ${m} === 0`,
      actual: cols,
    });
  }
}

/**
 * N:M semi-structured pruning along the input (column) dimension, NVIDIA's convention:
 * "2:4" = at most 2 non-zeros in every 4 consecutive weights of a row. In every aligned run of
 * `m` consecutive columns (`[j·m, (j+1)·m)`) of each row of a row-major `[rows, cols]` tensor,
 * the `n` highest scores are kept and the `m − n` lowest pruned. Returns the mask (1 keeps, 0 prunes).
 *
 * Ties: within a run, the entry with the LOWER column index is pruned first.
 * Throws `InvalidArgumentError` for NaN scores, a shape/length mismatch, invalid n/m or
 * `cols % m !== 0`.
 */
export function pruneNM(scores: ScoreArray, shape: readonly [number, number], n: number, m: number): Uint8Array {
  assertShape(shape, scores.length, 'scores');
  const cols = shape[1];
  assertNM(n, m, cols);
  assertNoNaN(scores, 'scores');
  const prune = m - n;
  const mask = new Uint8Array(scores.length).fill(1);
  if (prune === 0) return mask;

  if (prune <= 8) {
    // Repeated minimum search: O(m · (m − n)) per run, no allocation.
    for (let start = 0; start < scores.length; start += m) {
      const end = start + m;
      for (let p = 0; p < prune; p++) {
        let best = -1;
        let bestScore = Infinity;
        for (let i = start; i < end; i++) {
          // Strict `<` keeps the lowest index among equal minima; `best < 0` admits +Infinity.
          if (mask[i] === 1 && (best < 0 || scores[i] < bestScore)) {
            best = i;
            bestScore = scores[i];
          }
        }
        mask[best] = 0;
      }
    }
    return mask;
  }
  for (let start = 0; start < scores.length; start += m) {
    const run = scores.subarray(start, start + m);
    const cut = lowestCut(run, prune);
    applyCut(run, cut.value, cut.ties, mask.subarray(start, start + m));
  }
  return mask;
}
