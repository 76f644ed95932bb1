import { InvalidArgumentError, type PrunableUnit, type PrunableView, type PruneRequest } from '@vlp/core';

/** Self-attention q/k/v roles left unpruned by `excludeQkv` (the official CLIP code prunes only out_proj, c_fc, c_proj). */
const QKV_ROLES: ReadonlySet<string> = new Set(['attn.q', 'attn.k', 'attn.v', 'attn.qkv']);

/** Units of a request: those in scope, and among them those that are pruned. */
export interface UnitSelection {
  readonly scoped: readonly PrunableUnit[];
  readonly pruned: readonly PrunableUnit[];
  /** Sparsity to apply to `pruned` so that `scoped` reaches the request (equal without exclusions). */
  readonly sparsity: number;
}

const numel = (units: readonly PrunableUnit[]) => units.reduce((n, u) => n + u.shape[0] * u.shape[1], 0);

/**
 * The units in the request's modality scope (view order) and the pruned subset (all of them, or
 * without self-attention q/k/v when `excludeQkv`). Throws `InvalidArgumentError` when the excluded
 * units make the request unreachable.
 */
export function selectUnits(view: PrunableView<unknown>, request: PruneRequest, excludeQkv: boolean): UnitSelection {
  const modalities = request.scope?.modalities;
  const scoped = view.units.filter((u) => !modalities || modalities.includes(u.modality));
  const pruned = excludeQkv ? scoped.filter((u) => !QKV_ROLES.has(u.role)) : scoped;
  const total = numel(scoped);
  const share = numel(pruned);
  const sparsity = share === total ? request.sparsity : (request.sparsity * total) / Math.max(1, share);
  if (pruned.length === 0 || sparsity >= 1) {
    throw new InvalidArgumentError({
      message: `excludeQkv leaves ${share} of ${total} weights prunable, too few for sparsity ${request.sparsity}; lower the sparsity or set excludeQkv: false.`,
      expected: `< ${share / Math.max(1, total)}`,
      actual: request.sparsity,
    });
  }
  return { scoped, pruned, sparsity };
}
