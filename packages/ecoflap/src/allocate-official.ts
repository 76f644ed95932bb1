/**
 * The official `LayerSparsity.compute_the_sparsity_per_group` (ECoFLaP, commit 59dac0a, CoOp and
 * LAVIS copies) re-stated with its float32 arithmetic, for users who need its exact ratios:
 * - scores are a float32 tensor; keep counts start as integers and become float32 after the first
 *   `+ ceil(score/Σscore · rest)`, so `ceil` rounds float32 noise up (0.3f·400 → 121) and sums above
 *   2²⁴ lose integer precision;
 * - the "sum above budget" fix-up ADDS the excess to the largest group (`+=`) instead of removing
 *   it, so the result keeps budget + 2·excess.
 * Returned sparsities are float32 values, like the official `.item()`. O(G·iterations).
 */
const f = Math.fround;

/** float32 sum in index order (the official tensors have ≤ a few dozen groups). */
function sum32(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s = f(s + v);
  return s;
}

/** What the official function computes: float32 sparsities and the keep counts behind them. */
export interface OfficialAllocation {
  readonly sparsity: number[];
  readonly keep: number[];
}

/** Fills a stuck allocation (no group could grow) up to the budget, as the official inner loop. */
function fillUp(keep: number[], scores: number[], sizes: number[], totalKeep: number): void {
  let need = f(f(totalKeep) - sum32(keep));
  while (need > 0) {
    let progressed = false;
    for (let i = 0; i < keep.length && need > 0; i++) {
      if (!(scores[i] > 0)) continue;
      const add = Math.min(need, f(sizes[i] - keep[i]));
      if (add > 0) progressed = true;
      keep[i] = f(keep[i] + add);
      need = f(need - add);
    }
    if (!progressed) break; // the official loop would spin forever here
  }
}

/** The over-budget fix-up as committed: the "removed" amount is added (`+=`). */
function overBudget(keep: number[], sizes: readonly number[], totalKeep: number, maxSparsity: number): void {
  let need = f(sum32(keep) - f(totalKeep));
  const floorKeep = sizes.map((n) => Math.trunc(f(f(n) * f(1 - maxSparsity))));
  while (need > 0) {
    const order = keep.map((_, i) => i).sort((a, b) => keep[b] - keep[a] || a - b);
    let progressed = false;
    for (const i of order) {
      const can = Math.min(need, f(keep[i] - floorKeep[i]));
      if (can > 0) progressed = true;
      keep[i] = f(keep[i] + can);
      need = f(need - can);
      if (need === 0) break;
    }
    if (!progressed) break;
  }
}

/**
 * `compute_the_sparsity_per_group(totalKeep, scores, sizes, maxSparsity)` as committed. `totalKeep`
 * is the official `int(N·(1 − s))` (see {@link officialKeepBudget}).
 */
export function allocateOfficial(scoresIn: readonly number[], sizes: readonly number[], totalKeep: number, maxSparsity: number): OfficialAllocation {
  const scores = scoresIn.map(f);
  const num = sizes.map(f);
  let keep = sizes.map((n) => Math.ceil(f(f(n) * f(1 - maxSparsity))));
  let isFloat = false;
  const total = () => (isFloat ? sum32(keep) : keep.reduce((a, b) => a + b, 0));
  for (let guard = 0; total() < totalKeep && guard < 10_000; guard++) {
    const ratio = sum32(scores);
    const rest = isFloat ? f(f(totalKeep) - sum32(keep)) : f(totalKeep - total());
    const add = ratio > 0 ? scores.map((s) => Math.ceil(f(f(s / ratio) * rest))) : scores.map(() => 0);
    keep = keep.map((k, i) => f(k + add[i]));
    isFloat = true;
    keep.forEach((k, i) => {
      if (k >= num[i]) scores[i] = 0;
    });
    keep = keep.map((k, i) => Math.min(k, num[i]));
    if (add.every((a) => a === 0)) fillUp(keep, scores, num, totalKeep);
    if (sum32(keep) > totalKeep) overBudget(keep, sizes, totalKeep, maxSparsity);
  }
  const sparsity = keep.map((k, i) => Math.min(1, Math.max(0, f(1 - f(k / num[i])))));
  return { sparsity, keep };
}

/** The official budget `int(N·(1 − s))` (float64, truncated). */
export function officialKeepBudget(total: number, sparsity: number): number {
  return Math.trunc(total * (1 - sparsity));
}
