import {
  CalibrationRequiredError,
  type CalibrationSource,
  type Engine,
  NotSupportedError,
  type PrunableUnit,
  type PrunableView,
  type PruneContext,
  type TapSpec,
  throwIfAborted,
} from '@vlp/core';
import { type ActivationAccumulator, type ActivationStatistic, accumulate, createAccumulator, finishStatistic } from './statistic.js';

/** Options of {@link collectActivationStatistics}. */
export interface CollectActivationStatisticsOptions {
  /** Stop after this many batches (or when the source ends first). */
  readonly numBatches: number;
  /** Engine of the forwards; omitted → the view's default (ONNX Runtime for `@vlp/models` views). */
  readonly engine?: Engine;
}

/** The statistics of one calibration pass. */
export interface CollectedStatistics {
  /** One statistic per unit, by unit name. */
  readonly statistics: Map<string, ActivationStatistic>;
  /** Batches that were run. */
  readonly batches: number;
  /** The engine the view reported for the forwards. */
  readonly engine: Engine;
}

function unitOf(tap: TapSpec): string | undefined {
  return tap.kind === 'input-sum-squares' ? tap.unit : undefined;
}

/**
 * MULTIFLOW's calibration pass (official `MultiFlow.prune` loop + `_offload_actns`): runs up to
 * `numBatches` batches through the whole model with one `input-sum-squares` tap per unit on the
 * VALID tokens (padding rows dropped; inputs read from image tokens — vision units, cross-attention
 * keys/values — are unweighted by the view) and returns `a_j = Σ x_j² / N_seq` per unit, with
 * N_seq the sequences that fed the unit (`TapValue.sequences`).
 *
 * Emits `calibration-start`, one `calibration-batch-end` per batch and `calibration-end`; checks
 * `ctx.signal` before every batch (`VLP_ABORTED`); disposes every run's tensors. Throws
 * `VLP_CALIBRATION_REQUIRED` when the source yields no batch or a unit receives no sequence, and
 * `VLP_NOT_SUPPORTED` when the view returns a tap of the wrong width.
 */
export async function collectActivationStatistics<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  calibration: CalibrationSource<Batch>,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  options: CollectActivationStatisticsOptions,
): Promise<CollectedStatistics> {
  const acc = new Map<string, ActivationAccumulator>(units.map((u) => [u.name, createAccumulator(u.shape[1])]));
  const taps: TapSpec[] = units.map((u) => ({ kind: 'input-sum-squares', unit: u.name, tokens: 'valid' }));
  const planned = calibration.size === undefined ? undefined : Math.min(calibration.size, options.numBatches);
  ctx.emit({ type: 'calibration-start', ...(planned === undefined ? {} : { batches: planned }) });
  let index = 0;
  let engine: Engine | undefined;
  for await (const batch of calibration.batches()) {
    throwIfAborted(ctx.signal, `calibration batch ${index}`);
    const result = await view.run(batch, { taps, signal: ctx.signal, ...(options.engine ? { engine: options.engine } : {}) });
    try {
      engine ??= result.engine;
      for (const tap of result.taps) {
        const name = unitOf(tap.spec);
        const target = name === undefined ? undefined : acc.get(name);
        if (!target) continue;
        const values = await tap.value.data();
        if (values.length !== target.sumSquares.length) {
          throw new NotSupportedError({
            message: `The ${view.architecture} view returned ${values.length} values for the input-sum-squares tap of "${name}", whose weight has ${target.sumSquares.length} inputs; the view's taps must follow the PrunableView contract.`,
            tensor: name,
            expected: target.sumSquares.length,
            actual: values.length,
          });
        }
        accumulate(target, values, tap.tokens, tap.sequences);
      }
    } finally {
      result.dispose();
    }
    ctx.emit({ type: 'calibration-batch-end', index, ...(planned === undefined ? {} : { total: planned }) });
    index++;
    if (index >= options.numBatches) break; // without pulling another batch from the source
  }
  ctx.emit({ type: 'calibration-end', batches: index });
  if (index === 0 || engine === undefined) {
    throw new CalibrationRequiredError({
      message: 'MULTIFLOW needs at least one calibration batch of image–text pairs, but the calibration source yielded none. Pass `calibration` with at least one batch.',
    });
  }
  const statistics = new Map<string, ActivationStatistic>();
  for (const unit of units) {
    const a = acc.get(unit.name)!;
    if (a.sequences === 0) {
      throw new CalibrationRequiredError({
        message: `No calibration sequence reached unit "${unit.name}" in ${index} batch(es): the view ran no input through it. Calibrate with batches that exercise every tower (images and texts).`,
        tensor: unit.name,
      });
    }
    statistics.set(unit.name, finishStatistic(a));
  }
  return { statistics, batches: index, engine };
}
