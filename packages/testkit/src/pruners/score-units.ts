import { throwIfAborted, type PrunableUnit, type PruneContext } from '@vlp/core';

/**
 * Scores units one by one: checks `ctx.signal` before each unit and emits `unit-score-start` /
 * `unit-score-end` around it. Returns the scores by unit name.
 */
export async function scoreUnits(
  units: readonly PrunableUnit[],
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  score: (unit: PrunableUnit) => Float32Array | Promise<Float32Array>,
): Promise<Map<string, Float32Array>> {
  const scores = new Map<string, Float32Array>();
  const total = units.length;
  for (const [index, unit] of units.entries()) {
    throwIfAborted(ctx.signal, `scoring ${unit.name}`);
    ctx.emit({ type: 'unit-score-start', unit: unit.name, index, total });
    scores.set(unit.name, await score(unit));
    ctx.emit({ type: 'unit-score-end', unit: unit.name, index, total });
  }
  return scores;
}
