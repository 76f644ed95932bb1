import { kForSparsity, pruneLowest, pruneLowestGlobal, type PrunableUnit, type PruneResult } from '@vlp/core';
import type { Allocation } from './allocation-schema.js';

/**
 * Turns per-unit scores into masks: `per-unit` prunes ⌊s·n⌋ lowest scores of every unit (and
 * reports the per-unit targets); `global` prunes ⌊s·N⌋ lowest scores across all units.
 */
export function allocate(
  units: readonly PrunableUnit[],
  scores: ReadonlyMap<string, Float32Array>,
  sparsity: number,
  allocation: Allocation,
): Pick<PruneResult, 'masks' | 'targets'> {
  if (allocation === 'global') {
    const numel = units.reduce((n, u) => n + u.shape[0] * u.shape[1], 0);
    return { masks: pruneLowestGlobal(scores, kForSparsity(numel, sparsity)) };
  }
  const masks = new Map<string, Uint8Array>();
  for (const unit of units) {
    const s = scores.get(unit.name)!;
    masks.set(unit.name, pruneLowest(s, kForSparsity(s.length, sparsity)));
  }
  return { masks, targets: new Map(units.map((u) => [u.name, sparsity])) };
}

/** The units a request covers (its scope, else every unit of the given modalities). */
export function unitsInScope(units: readonly PrunableUnit[], modalities: readonly string[]): PrunableUnit[] {
  return units.filter((u) => modalities.includes(u.modality));
}
