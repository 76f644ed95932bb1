import { kForSparsity, pruneLowest, pruneLowestGlobal, type PrunableUnit, type PruneResult, type ScoreArray } from '@vlp/core';
import { numelOf } from './scope.js';

/** How a sparsity budget is spread over units: the same fraction in each (`layer`) or one threshold (`global`). */
export type Allocation = 'layer' | 'global';

/**
 * Turns per-unit scores (higher = more important) into masks. `layer`: the ⌊s·n⌋ lowest scores of
 * every unit (per-unit targets reported). `global`: the ⌊s·N⌋ lowest scores over all units under
 * one threshold (ties: earlier unit, then lower index, pruned first).
 */
export function allocateMasks(
  units: readonly PrunableUnit[],
  scores: ReadonlyMap<string, ScoreArray>,
  sparsity: number,
  allocation: Allocation,
): Pick<PruneResult, 'masks' | 'targets'> {
  if (allocation === 'global') {
    const ordered = new Map(units.map((u) => [u.name, scores.get(u.name)!]));
    return { masks: pruneLowestGlobal(ordered, kForSparsity(numelOf(units), sparsity)) };
  }
  const masks = new Map<string, Uint8Array>();
  for (const unit of units) {
    const s = scores.get(unit.name)!;
    masks.set(unit.name, pruneLowest(s, kForSparsity(s.length, sparsity)));
  }
  return { masks, targets: new Map(units.map((u) => [u.name, sparsity])) };
}
