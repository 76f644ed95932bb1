import type { PrunableUnit } from '@vlp/core';

/** How units are grouped for one shared sparsity (official `sparsity_ratio_granularity`). */
export type GroupGranularity = 'block' | 'layer' | 'tower';

/** The group of a unit: its `blockId` (block), its own name (layer), or its modality (tower). */
export function groupOf(unit: PrunableUnit, granularity: GroupGranularity): string {
  return granularity === 'block' ? unit.blockId : granularity === 'layer' ? unit.name : unit.modality;
}

/** One group: its units (view order) and its weight count. */
export interface UnitGroup {
  readonly name: string;
  readonly units: readonly PrunableUnit[];
  readonly size: number;
}

/** Units grouped by {@link groupOf}, groups in order of first appearance. */
export function groupUnits(units: readonly PrunableUnit[], granularity: GroupGranularity): UnitGroup[] {
  const groups = new Map<string, PrunableUnit[]>();
  for (const unit of units) {
    const key = groupOf(unit, granularity);
    groups.set(key, [...(groups.get(key) ?? []), unit]);
  }
  return [...groups].map(([name, members]) => ({ name, units: members, size: members.reduce((n, u) => n + u.shape[0] * u.shape[1], 0) }));
}

/**
 * Group scores (official `return_sparsity`): the sum of the units' importances (`sum`), or that sum
 * divided by the group's weight count (`avg`).
 */
export function groupScores(groups: readonly UnitGroup[], importance: ReadonlyMap<string, number>, aggregate: 'sum' | 'avg'): number[] {
  return groups.map((g) => {
    const s = g.units.reduce((a, u) => a + (importance.get(u.name) ?? 0), 0);
    return aggregate === 'avg' ? s / g.size : s;
  });
}
