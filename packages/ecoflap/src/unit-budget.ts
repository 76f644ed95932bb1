/**
 * Stage-2 budgets: how many weights each unit of a group prunes, and a per-row mask that prunes an
 * exact count. O(units) and O(out·in·log in) per unit.
 */
import { InvalidArgumentError, pruneLowest, type ScoreArray } from '@vlp/core';

/**
 * Splits a group's pruned count over its units in proportion to their sizes (largest remainder,
 * ties to the earlier unit), so every unit prunes ⌊numel·s_g⌋ or one more and the group prunes
 * exactly `pruned`.
 */
export function splitGroupBudget(pruned: number, numels: readonly number[]): number[] {
  const total = numels.reduce((a, b) => a + b, 0);
  if (!Number.isSafeInteger(pruned) || pruned < 0 || pruned > total) {
    throw new InvalidArgumentError({ message: `splitGroupBudget: pruned must be an integer in [0, ${total}] (got ${pruned}).`, actual: pruned });
  }
  const ideal = numels.map((n) => (pruned * n) / total);
  const out = ideal.map(Math.floor);
  let left = pruned - out.reduce((a, b) => a + b, 0);
  const order = ideal.map((_, i) => i).sort((a, b) => ideal[b] - out[b] - (ideal[a] - out[a]) || a - b);
  for (const i of order) if (left > 0 && out[i] < numels[i]) (out[i]++, left--);
  return out;
}

/**
 * Prunes exactly `k` scores of a `[rows, cols]` tensor compared per output row: every row prunes
 * ⌊k/rows⌋ of its lowest, and the `k mod rows` rows whose next-lowest score is smallest prune one
 * more (ties: lower row, and within a row the lower index first, as Wanda's stable sort).
 */
export function pruneExactPerRow(scores: ScoreArray, shape: readonly [number, number], k: number): Uint8Array {
  const [rows, cols] = shape;
  if (scores.length !== rows * cols || !Number.isSafeInteger(k) || k < 0 || k > rows * cols) {
    throw new InvalidArgumentError({ message: `pruneExactPerRow: need ${rows}×${cols} scores and 0 ≤ k ≤ ${rows * cols} (got ${scores.length}, k = ${k}).` });
  }
  const base = Math.floor(k / rows);
  const extra = k - base * rows;
  const orders: Uint32Array[] = [];
  const next = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = scores.subarray(r * cols, (r + 1) * cols);
    const order = Uint32Array.from({ length: cols }, (_, j) => j).sort((a, b) => row[a] - row[b] || a - b);
    orders.push(order);
    next[r] = base < cols ? row[order[base]] : Infinity;
  }
  const bonus = new Set(Array.from({ length: rows }, (_, r) => r).sort((a, b) => next[a] - next[b] || a - b).slice(0, extra));
  const mask = new Uint8Array(rows * cols).fill(1);
  for (let r = 0; r < rows; r++) {
    const n = base + (bonus.has(r) ? 1 : 0);
    for (let t = 0; t < n; t++) mask[r * cols + orders[r][t]] = 0;
  }
  return mask;
}

/** Prunes exactly `k` lowest scores of the whole tensor (ties: lower index first). */
export function pruneExactPerTensor(scores: ScoreArray, k: number): Uint8Array {
  return pruneLowest(scores, k);
}
