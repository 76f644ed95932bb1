/**
 * ECoFLaP's coarse allocation (§3.2, official `compute_the_sparsity_per_group`): from one score and
 * one size per group, the number of weights each group keeps under a total keep budget `K` and a
 * cap `s_max` on every group's sparsity. Float64, exact integers, O(G²) for G groups.
 *
 * 1. every group keeps `ceil(n_g·(1 − s_max))` (so `s_g ≤ s_max`);
 * 2. the rest `R` is shared in proportion to the scores; a group whose share would exceed its size
 *    saturates (keeps all `n_g`) and leaves the pool, and the rest is re-shared among the others;
 * 3. the final shares are apportioned by largest remainder, so `Σ keep_g = K` exactly.
 */
import { InvalidArgumentError, kForSparsity } from '@vlp/core';

/** Keep budget of `total` weights at `sparsity`: `total − ⌊total·s⌋` (the pruned count is core's `kForSparsity`). */
export function keepBudget(total: number, sparsity: number): number {
  return total - kForSparsity(total, sparsity);
}

/** `ceil(n·(1 − s_max))`, robust to float noise in the product (`n − ⌊n·s_max⌋`). */
export function minimumKeep(size: number, maxSparsity: number): number {
  return size - Math.floor(size * maxSparsity + 1e-9);
}

function fail(message: string, actual?: unknown): never {
  throw new InvalidArgumentError({ message: `allocateKeep: ${message}`, actual });
}

function validate(scores: readonly number[], sizes: readonly number[], totalKeep: number, maxSparsity: number): void {
  if (scores.length !== sizes.length || sizes.length === 0) fail(`needs one score per group and at least one group (got ${scores.length} scores, ${sizes.length} sizes).`);
  if (scores.some((s) => !(s >= 0 && Number.isFinite(s)))) fail('scores must be finite and ≥ 0.', scores);
  if (sizes.some((n) => !Number.isSafeInteger(n) || n <= 0)) fail('sizes must be positive integers.', sizes);
  if (!(maxSparsity >= 0 && maxSparsity < 1)) fail(`maxSparsity must be in [0, 1) (got ${maxSparsity}).`, maxSparsity);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(totalKeep) || totalKeep < 0 || totalKeep > total) fail(`totalKeep must be an integer in [0, ${total}] (got ${totalKeep}).`, totalKeep);
}

/** Shares `rest` among `active` groups in proportion to `weights`, by largest remainder (ties: larger weight, then lower index). */
function apportion(keep: number[], active: number[], weights: number[], rest: number): void {
  const sum = active.reduce((a, i) => a + weights[i], 0);
  const ideal = active.map((i) => (weights[i] / sum) * rest);
  const floors = ideal.map(Math.floor);
  let left = rest - floors.reduce((a, b) => a + b, 0);
  const order = active.map((_, j) => j).sort((a, b) => ideal[b] - floors[b] - (ideal[a] - floors[a]) || weights[active[b]] - weights[active[a]] || a - b);
  active.forEach((i, j) => (keep[i] += floors[j]));
  for (const j of order) {
    if (left === 0) break;
    keep[active[j]]++;
    left--;
  }
}

/**
 * Weights kept per group (see the file header). `scores` ≥ 0 (all zero: shared by remaining
 * capacity), `sizes` the groups' weight counts, `totalKeep` the budget (use {@link keepBudget}).
 * When the minimum keeps alone exceed the budget (only possible when `s_max` ≈ the target), the
 * excess is taken one weight at a time from the lowest-scored groups, so their sparsity may pass
 * `s_max` by less than one weight. Throws `VLP_INVALID_ARGUMENT` on malformed inputs.
 */
export function allocateKeep(scores: readonly number[], sizes: readonly number[], totalKeep: number, maxSparsity: number): number[] {
  validate(scores, sizes, totalKeep, maxSparsity);
  const keep = sizes.map((n) => minimumKeep(n, maxSparsity));
  let rest = totalKeep - keep.reduce((a, b) => a + b, 0);
  const byScore = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b] || a - b);
  while (rest < 0) {
    for (const i of byScore) if (rest < 0 && keep[i] > 0) (keep[i]--, rest++);
  }
  let active = sizes.map((_, i) => i).filter((i) => keep[i] < sizes[i]);
  while (rest > 0 && active.length > 0) {
    const positive = active.some((i) => scores[i] > 0);
    const weights = sizes.map((n, i) => (positive ? scores[i] : n - keep[i]));
    const sum = active.reduce((a, i) => a + weights[i], 0);
    const saturated = active.filter((i) => (weights[i] / sum) * rest >= sizes[i] - keep[i]);
    if (saturated.length === 0) {
      apportion(keep, active.filter((i) => weights[i] > 0), weights, rest);
      rest = 0;
      break;
    }
    for (const i of saturated) (rest -= sizes[i] - keep[i], (keep[i] = sizes[i]));
    active = active.filter((i) => keep[i] < sizes[i]);
  }
  return keep;
}

/** `1 − keep_g / n_g` per group. */
export function groupSparsities(keep: readonly number[], sizes: readonly number[]): number[] {
  return keep.map((k, i) => 1 - k / sizes[i]);
}
