/**
 * MULTIFLOW's final mask (Farina et al., CVPR 2024, eq. 8; official `Pruner._local_mask` with the
 * prior's `distribution`): in every unit, the `k_l` lowest information-flow scores are pruned.
 * O(n) expected per unit (selection, no sort).
 */
import { type ScoreArray, pruneLowest } from '@vlp/core';
import type { CountRule } from './allocate.js';

/**
 * The mask of one unit (1 keeps, 0 prunes) from its scores (higher = more important) and the prune
 * count `k` the prior gave it (`UnitAllocation.k`).
 * - `exact` (default): exactly `k` entries pruned; among equal scores the lower flat index goes first.
 * - `official`: `thr = kthvalue(S, k)` and every `S ≤ thr` pruned (ties at the threshold all go, so a
 *   tie can prune more than `k`); `k < 1` prunes nothing — the official `_local_mask`.
 * Throws `VLP_INVALID_ARGUMENT` for NaN scores or `k` outside [0, scores.length].
 */
export function informationFlowMask(scores: ScoreArray, k: number, rule: CountRule = 'exact'): Uint8Array {
  const exact = pruneLowest(scores, k); // validates k and NaN
  if (rule === 'exact' || k < 1) return exact;
  let threshold = -Infinity;
  for (let i = 0; i < scores.length; i++) if (exact[i] === 0 && scores[i] > threshold) threshold = scores[i];
  const mask = new Uint8Array(scores.length);
  for (let i = 0; i < scores.length; i++) mask[i] = scores[i] > threshold ? 1 : 0;
  return mask;
}

