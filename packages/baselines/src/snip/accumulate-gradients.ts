import * as tf from '@tensorflow/tfjs';
import {
  NotSupportedError,
  throwIfAborted,
  type CalibrationSource,
  type PrunableUnit,
  type PrunableView,
  type PruneContext,
  type TaskAdapter,
} from '@vlp/core';

const isPromise = (v: unknown): v is Promise<tf.Scalar> => typeof (v as Promise<unknown> | undefined)?.then === 'function';

/**
 * `Σ_b ∂L_b/∂W` for every unit over the calibration batches, with the units' weights given by
 * `weights` (same order as `units`; passed to the task loss as per-run overrides, so the view's
 * stored weights are untouched). Uses `tf.grads`, so `task.loss` must be synchronous on the tfjs
 * engine (`VLP_NOT_SUPPORTED` otherwise). Emits `calibration-start`, one `calibration-batch-end`
 * per batch and `calibration-end`; checks `ctx.signal` before every batch; disposes every
 * gradient. Gradients are summed in float64.
 */
export async function accumulateGradients<Batch>(
  view: PrunableView<Batch>,
  units: readonly PrunableUnit[],
  weights: readonly tf.Tensor2D[],
  calibration: CalibrationSource<Batch>,
  task: TaskAdapter<Batch>,
  ctx: Pick<PruneContext<unknown>, 'signal' | 'emit'>,
): Promise<Map<string, Float64Array>> {
  const loss = task.loss;
  if (!loss) throw new NotSupportedError({ message: `Task "${task.id}" has no loss; SNIP needs a differentiable task loss.` });
  const sums = units.map((u) => new Float64Array(u.shape[0] * u.shape[1]));
  ctx.emit({ type: 'calibration-start', batches: calibration.size });
  let index = 0;
  for await (const batch of calibration.batches()) {
    throwIfAborted(ctx.signal, `gradient batch ${index}`);
    const f = (...ws: tf.Tensor[]): tf.Scalar => {
      const overrides = Object.fromEntries(units.map((u, i) => [u.name, ws[i] as tf.Tensor2D]));
      const value = loss(view, batch, { weights: overrides, engine: 'tfjs' });
      if (isPromise(value)) {
        void value.then((t) => t.dispose(), () => undefined);
        throw new NotSupportedError({
          message: `Task "${task.id}" computes its loss asynchronously; gradient pruners need a synchronous loss on the tfjs engine (tf.grads cannot follow a Promise).`,
        });
      }
      return value;
    };
    const grads = tf.grads(f)([...weights]);
    try {
      for (const [i, g] of grads.entries()) {
        const values = await g.data();
        const sum = sums[i];
        for (let j = 0; j < sum.length; j++) sum[j] += values[j];
      }
    } finally {
      tf.dispose(grads);
    }
    ctx.emit({ type: 'calibration-batch-end', index, total: calibration.size });
    index++;
  }
  ctx.emit({ type: 'calibration-end', batches: index });
  return new Map(units.map((u, i) => [u.name, sums[i]]));
}
