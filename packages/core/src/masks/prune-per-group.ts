import { InvalidArgumentError } from '../errors/index.js';
import { kForSparsity } from './k-for-sparsity.js';
import { pruneLowestAcross } from './prune-global.js';
import { type CountRounding, type ScoreArray, assertRounding, assertSparsity } from './validate.js';

/** A set of tensors that share one threshold and one sparsity (a block, a modality, ...). */
export interface PruneGroup {
  /** Tensor names (keys of the scores map). Each tensor may belong to one group only. */
  readonly tensors: readonly string[];
  /** Fraction of the group's entries to prune, in [0, 1). */
  readonly sparsity: number;
}

/**
 * Per-group global pruning: in each group, prunes exactly
 * `kForSparsity(groupNumel, sparsity, rounding)` (default `floor(sparsity · groupNumel)`) lowest
 * scores across the group's tensors under one threshold (e.g. ECoFLaP / OWL per-block ratios,
 * MULTIFLOW-style per-modality ratios). Returns masks (1 keeps, 0 prunes) for the tensors of
 * the groups only; tensors of `scores` in no group are not returned.
 *
 * Ties: within a group, tensors listed earlier in `tensors` are pruned first, then lower flat index.
 * Throws `InvalidArgumentError` for unknown or repeated tensors, a sparsity outside [0, 1),
 * NaN scores or a bad rounding.
 */
export function pruneLowestPerGroup(
  groups: readonly PruneGroup[],
  scores: ReadonlyMap<string, ScoreArray>,
  rounding: CountRounding = 'floor',
): Map<string, Uint8Array> {
  assertRounding(rounding);
  const seen = new Set<string>();
  groups.forEach((group, g) => {
    assertSparsity(group.sparsity, `groups[${g}].sparsity`);
    for (const name of group.tensors) {
      if (seen.has(name)) {
        throw new InvalidArgumentError({
          message:
            `Tensor "${name}" appears more than once in the groups (again in groups[${g}]); ` +
            'list each tensor in one group only.',
          tensor: name,
        });
      }
      seen.add(name);
    }
  });

  const masks = new Map<string, Uint8Array>();
  for (const group of groups) {
    let numel = 0;
    for (const name of group.tensors) numel += scores.get(name)?.length ?? 0;
    const k = kForSparsity(numel, group.sparsity, rounding);
    for (const [name, mask] of pruneLowestAcross(group.tensors, scores, k)) masks.set(name, mask);
  }
  return masks;
}
