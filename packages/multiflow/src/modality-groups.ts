import type { Modality, PrunableUnit, PrunableView, PruneRequest } from '@vlp/core';

/** Every modality MULTIFLOW prunes. */
export const MULTIFLOW_MODALITIES: readonly Modality[] = Object.freeze(['vision', 'text', 'fusion']);

/**
 * The prior group of a unit (eq. 7 thresholds magnitudes per group): its modality, except that
 * `fusion` units (BLIP cross-attention) join `text` unless `fusionAs` is `fusion` — the official
 * BLIP split is vision vs everything textual.
 */
export function priorGroup(modality: Modality, fusionAs: 'text' | 'fusion'): string {
  return modality === 'fusion' ? fusionAs : modality;
}

/** The units a request covers, in the view's order (`request.scope.modalities`, default all). */
export function unitsInScope(view: PrunableView<unknown>, request: PruneRequest): PrunableUnit[] {
  const modalities = request.scope?.modalities ?? MULTIFLOW_MODALITIES;
  return view.units.filter((u) => modalities.includes(u.modality));
}
