import { accumulateGradients } from '@vlp/baselines';
import { throwIfAborted, type CalibrationSource, type PrunableUnit, type PrunableView, type PruneContext, type TaskAdapter } from '@vlp/core';
import { batchSize } from './batch-size.js';
import type { ImportanceKind } from './score.js';

/** Per unit: Σ_b |∇W_b| (or Σ_b ∇W_b² for `grad-mag-square`) and the number of batches. */
export interface FirstOrderGradients {
  readonly sums: Map<string, Float64Array>;
  readonly batches: number;
}

/**
 * Stage 1, first-order (official `compute_importance_scores`): one backward per calibration batch
 * until `samples` samples, through `task.loss` on the tfjs engine (`accumulateGradients` of
 * `@vlp/baselines` with the view's own weights as overrides, so nothing is written), accumulating
 * |∇W| per batch (∇W² for `grad-mag-square`). Needs a synchronous tfjs task loss
 * (`VLP_NOT_SUPPORTED` otherwise). Memory: the activations of a full backward.
 */
export async function firstOrderGradients<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  calibration: CalibrationSource<Batch>,
  task: TaskAdapter<Batch>,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
  options: {
    readonly samples: number;
    readonly importance: ImportanceKind;
    /** Wraps each batch's backward pass (e.g. a peak-memory probe). */
    readonly measure?: <T>(pass: () => Promise<T>) => Promise<T>;
  },
): Promise<FirstOrderGradients> {
  const sums = new Map(units.map((u) => [u.name, new Float64Array(u.shape[0] * u.shape[1])]));
  const weights = units.map((u) => view.weight(u.name));
  let seen = 0;
  let batches = 0;
  for await (const batch of calibration.batches()) {
    if (seen >= options.samples) break;
    throwIfAborted(ctx.signal, `first-order batch ${batches}`);
    const one: CalibrationSource<Batch> = { size: 1, batches: async function* () { yield batch; } };
    const backward = () => accumulateGradients(view, units, weights, one, task, ctx);
    const grads = await (options.measure ? options.measure(backward) : backward());
    for (const [name, g] of grads) {
      const acc = sums.get(name)!;
      for (let i = 0; i < g.length; i++) acc[i] += options.importance === 'grad-mag-square' ? g[i] * g[i] : Math.abs(g[i]);
    }
    seen += batchSize(batch);
    batches++;
  }
  return { sums, batches };
}
