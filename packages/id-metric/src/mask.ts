import { InvalidArgumentError } from '@vlp/core';

/**
 * The masking rule of the official ID code (`Pruner.mask_with_threshold`, Wang, Zhang & Ma, ICML
 * 2024): with all scores of the prunable tensors concatenated (N entries) and remaining ratio r,
 * `τ = kthvalue(all, ⌊N·(1 − r)⌋)` (1-based k-th smallest); each tensor uses
 * `max(τ, its 3rd-smallest score)` ("remain at least 3 weights" — which in fact always prunes the two
 * smallest scores of a tensor and does not keep a tensor from being pruned entirely) and prunes the
 * entries whose score is **strictly below** it. So about k − 1 entries are pruned globally.
 * `k < 1` prunes nothing (the official `kthvalue` would fail). O(N log N) for the sort.
 */

/** Result of {@link officialThresholdMasks}. */
export interface ThresholdMasks {
  /** 1 keeps, 0 prunes; same keys and order as the scores. */
  readonly masks: Map<string, Uint8Array>;
  /** The global τ (the official `mask_threshold`); `-Infinity` when nothing is pruned. */
  readonly threshold: number;
}

function thirdSmallest(s: ArrayLike<number>): number {
  let a = Infinity;
  let b = Infinity;
  let c = Infinity;
  for (let i = 0; i < s.length; i++) {
    const v = s[i]!;
    if (v < a) [a, b, c] = [v, a, b];
    else if (v < b) [b, c] = [v, b];
    else if (v < c) c = v;
  }
  // torch.topk(k = 3) on fewer than 3 entries would fail; the largest of what exists is the analogue
  return c !== Infinity ? c : b !== Infinity ? b : a;
}

/**
 * Official masks for `remainingRatio` r ∈ [0, 1]. Throws `InvalidArgumentError` for r outside
 * [0, 1], an empty tensor or a NaN score.
 */
export function officialThresholdMasks(scores: ReadonlyMap<string, ArrayLike<number>>, remainingRatio: number): ThresholdMasks {
  if (!(remainingRatio >= 0 && remainingRatio <= 1)) {
    throw new InvalidArgumentError({ message: `remainingRatio must be in [0, 1] (got ${remainingRatio}).`, actual: remainingRatio });
  }
  let total = 0;
  for (const [name, s] of scores) {
    if (s.length === 0) throw new InvalidArgumentError({ message: `Scores of "${name}" are empty.`, tensor: name });
    total += s.length;
  }
  const all = new Float64Array(total);
  let offset = 0;
  for (const [name, s] of scores) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i]!;
      if (Number.isNaN(v)) throw new InvalidArgumentError({ message: `Score ${i} of "${name}" is NaN.`, tensor: name });
      all[offset++] = v;
    }
  }
  const k = Math.floor(total * (1 - remainingRatio));
  const masks = new Map<string, Uint8Array>();
  if (k < 1) {
    for (const [name, s] of scores) masks.set(name, new Uint8Array(s.length).fill(1));
    return { masks, threshold: -Infinity };
  }
  all.sort();
  const threshold = all[k - 1]!;
  for (const [name, s] of scores) {
    const local = Math.max(threshold, thirdSmallest(s));
    const mask = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) mask[i] = s[i]! < local ? 0 : 1;
    masks.set(name, mask);
  }
  return { masks, threshold };
}
