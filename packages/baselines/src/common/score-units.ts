import { throwIfAborted, type PrunableUnit, type PruneContext } from '@vlp/core';

/**
 * Runs `score` on every unit in order: checks `ctx.signal` before each unit and emits
 * `unit-score-start` / `unit-score-end` around it. Returns the scores by unit name.
 */
export async function scoreUnits<T>(
  units: readonly PrunableUnit[],
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  score: (unit: PrunableUnit, index: number) => T | Promise<T>,
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  const total = units.length;
  for (const [index, unit] of units.entries()) {
    throwIfAborted(ctx.signal, `scoring ${unit.name}`);
    ctx.emit({ type: 'unit-score-start', unit: unit.name, index, total });
    out.set(unit.name, await score(unit, index));
    ctx.emit({ type: 'unit-score-end', unit: unit.name, index, total });
  }
  return out;
}
