/**
 * How entries with equal scores are ordered when ranking in descending order.
 *
 * - `'higher-index-first'`: what `np.argsort(scores, kind='stable')[::-1]` gives (an ascending
 *   stable sort keeps equal entries in index order; reversing puts the highest index first), i.e.
 *   BLIP / ALBEF `itm_eval` whenever numpy's default sort happens to be stable.
 * - `'lower-index-first'`: what a stable descending sort and `argmax` (first maximum) give.
 */
export type TieBreak = 'higher-index-first' | 'lower-index-first';

/**
 * The 0-based position of entry `target` when the `count` scores read by `score(k)` are sorted in
 * descending order, equal scores ordered by `ties`. O(count), no allocation.
 */
export function descendingRank(count: number, score: (k: number) => number, target: number, ties: TieBreak): number {
  const s = score(target);
  let rank = 0;
  for (let k = 0; k < count; k++) {
    const v = score(k);
    if (v > s) rank++;
    else if (v === s && k !== target && (ties === 'higher-index-first' ? k > target : k < target)) rank++;
  }
  return rank;
}

/**
 * Among `candidates` (entry indices), the one ranked best in descending order under `ties`:
 * the highest score, equal scores resolved by `ties`. `candidates` must not be empty.
 */
export function bestRanked(candidates: readonly number[], score: (k: number) => number, ties: TieBreak): number {
  let best = candidates[0];
  for (const k of candidates) {
    const v = score(k);
    const b = score(best);
    if (v > b || (v === b && (ties === 'higher-index-first' ? k > best : k < best))) best = k;
  }
  return best;
}
