import type { Modality, PrunableUnit, PrunableView, PruneRequest } from '@vlp/core';

/** Every modality a baseline prunes (all of them: the baselines are architecture-agnostic). */
export const ALL_MODALITIES: readonly Modality[] = Object.freeze(['vision', 'text', 'fusion']);

/**
 * The units a request covers, in the view's order: those whose modality is in
 * `request.scope.modalities` (default: every modality).
 */
export function unitsInScope(view: PrunableView<unknown>, request: PruneRequest): PrunableUnit[] {
  const modalities = request.scope?.modalities ?? ALL_MODALITIES;
  return view.units.filter((u) => modalities.includes(u.modality));
}

/** Number of weights of `units`. */
export function numelOf(units: readonly PrunableUnit[]): number {
  return units.reduce((n, u) => n + u.shape[0] * u.shape[1], 0);
}
