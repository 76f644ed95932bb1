/**
 * MULTIFLOW's multimodal prior (Farina et al., CVPR 2024, eq. 7; official
 * `MultiFlow.multimodal_distribution`): the layer sparsities that one-shot global magnitude pruning
 * at the target sparsity `s` would produce WITHIN each modality. Per modality group m (N_m weights),
 * the ⌊s·N_m⌋ smallest |w| are pruned under one threshold τ_m; unit l's prior sparsity is the
 * fraction of its own weights that falls below τ_m. Every group therefore ends at the target, while
 * the distribution over its layers follows the magnitudes. O(N) time (radix selection, no concatenated
 * copy of the weights), inputs never modified.
 *
 * Two counting rules (eq. 8 then prunes `k_l` scores per unit):
 * - `exact` (vlp's default): exactly ⌊s·N_m⌋ magnitudes per group (ties at τ_m go to earlier units,
 *   then lower flat indices), `s_l = pruned_l / numel_l` and `k_l = pruned_l`, an integer — so the
 *   final masks prune exactly ⌊s·N_m⌋ weights per group.
 * - `official`: the official arithmetic — `τ_m = kthvalue(|W_m|, int(N_m·s))`, every `|w| ≤ τ_m`
 *   pruned (ties included), `s_l = 1 − kept_l/numel_l` as a float64, and
 *   `k_l = Math.trunc(s_l · numel_l)` (Python's `int(distribution·numel)`, which loses one entry when
 *   the product lands just below an integer). A group with ⌊s·N_m⌋ = 0 prunes nothing (the official
 *   `kthvalue(k=0)` raises).
 */
import { InvalidArgumentError, kForSparsity } from '@vlp/core';
import { countAgainst, kthSmallestMagnitude } from './kth-magnitude.js';

/** How prune counts are rounded and how ties are treated (see the module comment). */
export type CountRule = 'exact' | 'official';

/** One unit as the prior sees it. */
export interface PriorUnit {
  readonly name: string;
  /** The modality group whose global magnitude threshold applies (e.g. `vision`, `text`). */
  readonly group: string;
  /** The weight, flat (any layout; only magnitudes matter). */
  readonly weight: Float32Array;
}

/** What the prior gives one unit. */
export interface UnitAllocation {
  readonly group: string;
  readonly numel: number;
  /** Weights the group's magnitude threshold prunes in this unit (the official `magnitude_stage_pruned`). */
  readonly magnitudePruned: number;
  /** `s_l` of eq. 7: the unit's prior sparsity (the official `distribution` float with `official`). */
  readonly sparsity: number;
  /** Scores the eq. 8 mask prunes in this unit. */
  readonly k: number;
}

/** The magnitude stage of one modality group. */
export interface GroupPrior {
  readonly numel: number;
  /** ⌊s·N_m⌋, the official `int(N_m·s)`. */
  readonly k: number;
  /** τ_m, the k-th smallest |w| of the group (`-Infinity` when k = 0). */
  readonly threshold: number;
  /** Σ magnitude-pruned weights of the group's units. */
  readonly magnitudePruned: number;
}

/** The prior of all units (by name, in input order) and of every group (in order of first appearance). */
export interface MultimodalPrior {
  readonly units: Map<string, UnitAllocation>;
  readonly groups: Map<string, GroupPrior>;
}

function groupsOf(units: readonly PriorUnit[]): Map<string, PriorUnit[]> {
  const groups = new Map<string, PriorUnit[]>();
  const names = new Set<string>();
  for (const unit of units) {
    if (names.has(unit.name)) throw new InvalidArgumentError({ message: `Unit "${unit.name}" is listed twice; unit names must be unique.`, tensor: unit.name });
    names.add(unit.name);
    const list = groups.get(unit.group) ?? [];
    if (list.length === 0) groups.set(unit.group, list);
    list.push(unit);
  }
  return groups;
}

/**
 * The multimodal prior (eq. 7) of `units` at target sparsity `sparsity` ∈ [0, 1), per group.
 * Throws `VLP_INVALID_ARGUMENT` for a sparsity outside [0, 1), duplicate unit names or NaN weights.
 */
export function multimodalPrior(units: readonly PriorUnit[], sparsity: number, rule: CountRule = 'exact'): MultimodalPrior {
  const allocations = new Map<string, UnitAllocation>();
  const groups = new Map<string, GroupPrior>();
  for (const [group, members] of groupsOf(units)) {
    const numel = members.reduce((n, u) => n + u.weight.length, 0);
    const k = kForSparsity(numel, sparsity);
    const cut = k === 0 ? undefined : kthSmallestMagnitude(members.map((u) => u.weight), k);
    const counts = members.map((u) => (cut ? countAgainst(u.weight, cut) : { less: 0, equal: 0 }));
    let ties = k - counts.reduce((n, c) => n + c.less, 0);
    let magnitudePruned = 0;
    members.forEach((unit, i) => {
      const { less, equal } = counts[i];
      const n = unit.weight.length;
      let pruned: number;
      if (rule === 'official') pruned = less + equal;
      else {
        const spent = Math.min(equal, ties);
        ties -= spent;
        pruned = less + spent;
      }
      magnitudePruned += pruned;
      const s = rule === 'official' ? 1 - (n - pruned) / n : pruned / n;
      allocations.set(unit.name, { group, numel: n, magnitudePruned: pruned, sparsity: s, k: rule === 'official' ? Math.trunc(s * n) : pruned });
    });
    groups.set(group, { numel, k, threshold: cut ? cut.value : -Infinity, magnitudePruned });
  }
  return { units: new Map(units.map((u) => [u.name, allocations.get(u.name)!])), groups };
}
