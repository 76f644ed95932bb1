import { selectKth } from './select-kth.js';
import type { ScoreArray } from './validate.js';

/**
 * Where the `k` lowest scores end, in the order (score ascending, then flat index ascending):
 * every score `< value` is pruned, and so are the first `ties` entries (lowest flat index first)
 * whose score equals `value`. `-0` and `+0` count as equal. For `k = 0`, `value = -Infinity`
 * and `ties = 0`, which prunes nothing.
 */
export interface LowestCut {
  readonly value: number;
  readonly ties: number;
}

/**
 * Finds the {@link LowestCut} of the `k` lowest entries of `scores` (no NaN; 0 ≤ k ≤ length):
 * one selection ({@link selectKth}, O(n) expected) and one counting pass. `scores` is not
 * modified unless `inPlace` is true (then it is reordered; saves a copy of a scratch array).
 */
export function lowestCut(scores: ScoreArray, k: number, inPlace = false): LowestCut {
  if (k === 0) return { value: -Infinity, ties: 0 };
  const value = selectKth(inPlace ? scores : scores.slice(), k - 1);
  let less = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] < value) less++;
  return { value, ties: k - less };
}

/**
 * Writes the mask of a cut into `out` (1 keeps, 0 prunes; every entry is written), spending at
 * most `ties` of the equal-to-threshold entries in flat order. Returns the ties left over, so a
 * cut can be applied to several tensors in sequence (a global threshold).
 */
export function applyCut(scores: ScoreArray, value: number, ties: number, out: Uint8Array): number {
  let left = ties;
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (s < value) out[i] = 0;
    else if (s === value && left > 0) {
      out[i] = 0;
      left--;
    } else out[i] = 1;
  }
  return left;
}
