import type { UnitId } from './unit-ids.js';
import { VERSION } from './version.js';

/**
 * The per-layer intrinsic-dimension report: the data of the paper's main figure (ID of every
 * prunable layer's output, by modality; Wang, Zhang & Ma, ICML 2024, Fig. 1–2), as JSON.
 */

/** JSON report of {@link measureUnitIds}. */
export interface IdReport {
  readonly format: 'vlp-id-report';
  readonly version: 1;
  readonly generator: string;
  /** Model label (architecture or checkpoint name). */
  readonly model: string;
  readonly samples: number;
  readonly maxBlocks: number;
  readonly units: readonly UnitId[];
  /** Mean ID per modality. */
  readonly meanByModality: Readonly<Record<string, number>>;
}

/** Builds the JSON report from measured unit IDs. */
export function idReport(units: readonly UnitId[], meta: { model: string; maxBlocks: number }): IdReport {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const u of units) {
    const s = sums.get(u.modality) ?? { sum: 0, count: 0 };
    s.sum += u.id;
    s.count++;
    sums.set(u.modality, s);
  }
  return {
    format: 'vlp-id-report',
    version: 1,
    generator: `@vlp/id-metric ${VERSION}`,
    model: meta.model,
    samples: units.reduce((m, u) => Math.max(m, u.samples), 0),
    maxBlocks: meta.maxBlocks,
    units: [...units],
    meanByModality: Object.fromEntries([...sums].map(([k, v]) => [k, v.sum / v.count])),
  };
}

/** Units' IDs by name, e.g. to pass as a pruner's `ids`. */
export function idsByUnit(report: Pick<IdReport, 'units'>): Record<string, number> {
  return Object.fromEntries(report.units.map((u) => [u.unit, u.id]));
}
