import { type CalibrationSource, type PrunableUnit, type PrunableView, type PruneContext, type Rng, InvalidArgumentError, throwIfAborted } from '@vlp/core';
import { collectRepresentations } from './collect-representations.js';
import { estimateIntrinsicDimension } from './intrinsic-dimension.js';

/**
 * The intrinsic dimension of every unit's output representation (Wang, Zhang & Ma, ICML 2024,
 * §3.1–3.2; official `ComputeID.main`): `samples` calibration samples, each unit's output flattened
 * and zero-padded, TwoNN block analysis over b = 1…`maxBlocks`. Units are measured `unitsPerPass`
 * at a time (one calibration pass each) to bound memory.
 */

/** The ID of one unit. */
export interface UnitId {
  readonly unit: string;
  readonly modality: PrunableUnit['modality'];
  readonly blockId: string;
  readonly role: string;
  readonly id: number;
  /** Spread of the per-block estimates at b = maxBlocks (official `std[19]`). */
  readonly std: number;
  /** Blocks of the analysis without an estimate (duplicate samples), left out of the mean. */
  readonly undefinedBlocks: number;
  readonly samples: number;
  /** Length of one flattened representation (`tokens × out`). */
  readonly width: number;
}

/** Options of {@link measureUnitIds}. */
export interface MeasureUnitIdsOptions {
  /** Calibration samples (official default 600; the README uses 2000). */
  readonly samples: number;
  /** Blocks B of the block analysis (official 20). */
  readonly maxBlocks: number;
  /** Units measured per calibration pass. */
  readonly unitsPerPass: number;
  /** Forward engine of the calibration runs (default: the view's). */
  readonly engine?: 'onnx' | 'tfjs';
}

/**
 * Measures the ID of `units` (in order). Emits calibration events per pass and
 * `unit-score-start` / `unit-score-end` around each estimate; checks `ctx.signal`. Throws
 * `InvalidArgumentError` naming the unit when its representation has no TwoNN estimate (e.g. all
 * outputs identical).
 */
export async function measureUnitIds<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  calibration: CalibrationSource<Batch>,
  options: MeasureUnitIdsOptions,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'> & { readonly rng: Rng },
): Promise<UnitId[]> {
  const out: UnitId[] = [];
  for (let start = 0; start < units.length; start += options.unitsPerPass) {
    const group = units.slice(start, start + options.unitsPerPass);
    const reps = await collectRepresentations(view, group, calibration, options.samples, ctx, options.engine);
    for (const [j, rep] of reps.entries()) {
      const unit = group[j]!;
      const index = start + j;
      throwIfAborted(ctx.signal, `ID of ${unit.name}`);
      ctx.emit({ type: 'unit-score-start', unit: unit.name, index, total: units.length });
      const analysis = await estimateIntrinsicDimension(rep.values, rep.samples, rep.width, {
        maxBlocks: options.maxBlocks,
        rng: ctx.rng.split(`id:${unit.name}`),
        signal: ctx.signal,
      });
      if (!Number.isFinite(analysis.id)) {
        throw new InvalidArgumentError({
          message: `The output of ${unit.name} has no TwoNN estimate over ${rep.samples} samples (too many identical samples); use more or more varied calibration samples, or fewer blocks.`,
          tensor: unit.name,
        });
      }
      out.push({ unit: unit.name, modality: unit.modality, blockId: unit.blockId, role: unit.role, id: analysis.id, std: analysis.std, undefinedBlocks: analysis.undefinedBlocks, samples: rep.samples, width: rep.width });
      ctx.emit({ type: 'unit-score-end', unit: unit.name, index, total: units.length });
    }
  }
  return out;
}
