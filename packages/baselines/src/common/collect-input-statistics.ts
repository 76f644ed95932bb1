import type * as tf from '@tensorflow/tfjs';
import {
  NotSupportedError,
  throwIfAborted,
  type CalibrationSource,
  type PrunableUnit,
  type PrunableView,
  type PruneContext,
  type TapSpec,
} from '@vlp/core';

/** The unit-input statistics the layer-wise pruners calibrate: Σx² per input feature, or the Gram matrix XᵀX. */
export type InputStatisticKind = 'input-sum-squares' | 'input-gram';

/** Which token rows count: every position (`all`) or only non-padding ones (`valid`). */
export type TokenSelection = 'all' | 'valid';

/** One unit's statistic summed over every calibration batch, in float64. */
export interface InputStatistic {
  /** `[in]` (Σ_t x_tj²) or `[in, in]` row-major (Σ_t x_t x_tᵀ). */
  readonly values: Float64Array;
  /** Token rows that contributed. */
  readonly tokens: number;
  /** Sequences (samples) that contributed. */
  readonly sequences: number;
}

/** Options of {@link collectInputStatistics}. */
export interface CollectInputStatisticsOptions {
  readonly kind: InputStatisticKind;
  readonly tokens: TokenSelection;
  /** Weight overrides for these runs (e.g. the already-pruned units of a sequential pass). Owned by the caller. */
  readonly weights?: Readonly<Record<string, tf.Tensor2D>>;
}

/**
 * Runs every calibration batch through the view once with one tap per unit and sums the taps in
 * float64 (Wanda's `scaler_row` / SparseGPT's `H` before their normalisation). Emits
 * `calibration-start`, one `calibration-batch-end` per batch and `calibration-end`; checks
 * `ctx.signal` before every batch; disposes every run's tensors.
 */
export async function collectInputStatistics<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  calibration: CalibrationSource<Batch>,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  options: CollectInputStatisticsOptions,
): Promise<Map<string, InputStatistic>> {
  const acc = new Map(
    units.map((u) => [u.name, { values: new Float64Array(options.kind === 'input-gram' ? u.shape[1] * u.shape[1] : u.shape[1]), tokens: 0, sequences: 0 }]),
  );
  const taps: TapSpec[] = units.map((u) => ({ kind: options.kind, unit: u.name, tokens: options.tokens }));
  ctx.emit({ type: 'calibration-start', batches: calibration.size });
  let index = 0;
  for await (const batch of calibration.batches()) {
    throwIfAborted(ctx.signal, `calibration batch ${index}`);
    const result = await view.run(batch, { taps, weights: options.weights, signal: ctx.signal });
    try {
      for (const tap of result.taps) {
        const target = 'unit' in tap.spec ? acc.get(tap.spec.unit) : undefined;
        if (!target || tap.spec.kind !== options.kind) continue;
        const values = await tap.value.data();
        if (values.length !== target.values.length) {
          throw new NotSupportedError({
            message: `The ${view.architecture} view returned ${values.length} values for the ${options.kind} tap of "${(tap.spec as { unit: string }).unit}"; expected ${target.values.length}.`,
            tensor: (tap.spec as { unit: string }).unit,
          });
        }
        for (let j = 0; j < values.length; j++) target.values[j] += values[j];
        target.tokens += tap.tokens;
        target.sequences += tap.sequences;
      }
    } finally {
      result.dispose();
    }
    ctx.emit({ type: 'calibration-batch-end', index, total: calibration.size });
    index++;
  }
  ctx.emit({ type: 'calibration-end', batches: index });
  return acc;
}
