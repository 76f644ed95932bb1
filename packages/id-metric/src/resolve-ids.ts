import type { CalibrationSource, PrunableUnit, PrunableView, PruneContext } from '@vlp/core';
import type { IdMetricConfig } from './id-metric-config.js';
import { measureUnitIds } from './unit-ids.js';

/**
 * The ID of every unit: the config's precomputed `ids` where given, measured with TwoNN on the
 * calibration data otherwise (Wang, Zhang & Ma, ICML 2024, §3).
 */
export async function resolveIds<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  config: IdMetricConfig,
  ctx: PruneContext<unknown, Batch>,
): Promise<Map<string, number>> {
  const given = config.ids ?? {};
  const missing = units.filter((u) => given[u.name] === undefined);
  const ids = new Map<string, number>();
  if (missing.length > 0) {
    const measured = await measureUnitIds(view, missing, ctx.calibration as CalibrationSource<Batch>, config, ctx);
    for (const m of measured) ids.set(m.unit, m.id);
  }
  for (const u of units) if (given[u.name] !== undefined) ids.set(u.name, given[u.name]!);
  return new Map(units.map((u) => [u.name, ids.get(u.name)!]));
}
