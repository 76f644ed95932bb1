import type { ScoreArray } from './validate.js';

/**
 * Rearranges `a` in place so that `a[k]` is its (k+1)-th smallest value (0-based rank `k`) and
 * returns that value. Hoare/Wirth selection with a median-of-three pivot: O(n) expected, and
 * robust to many equal values (equal keys are split evenly). If the partitions stop shrinking
 * (more than `workLimit` element visits, default 12n), the remaining range is sorted instead, so
 * the worst case is O(n log n). `a` must not contain NaN; `-0` and `+0` compare equal.
 */
export function selectKth(a: ScoreArray, k: number, workLimit = 12 * a.length): number {
  let lo = 0;
  let hi = a.length - 1;
  let work = 0;
  while (lo < hi) {
    work += hi - lo + 1;
    if (work > workLimit) {
      a.subarray(lo, hi + 1).sort();
      return a[k];
    }
    const mid = (lo + hi) >>> 1;
    const x = median3(a[lo], a[mid], a[hi]);
    let i = lo;
    let j = hi;
    do {
      while (a[i] < x) i++;
      while (x < a[j]) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) lo = i;
    if (k < i) hi = j;
  }
  return a[k];
}

function median3(p: number, q: number, r: number): number {
  if (p < q) return q < r ? q : p < r ? r : p;
  return p < r ? p : q < r ? r : q;
}
