import * as tf from '@tensorflow/tfjs';
import { createRng, type PrunableView, type RunOptions, type RunResult, type TaskAdapter } from '@vlp/core';
import { type SyntheticBatch, type SyntheticBatchOptions, syntheticBatch, syntheticCalibration } from './batch.js';

/** Options of {@link syntheticTask}. */
export interface SyntheticTaskOptions extends SyntheticBatchOptions {
  /** Seed of the training and held-out batches. Default 0. */
  readonly seed?: number;
  /** Training batches (`task.train`). Default 2. */
  readonly trainBatches?: number;
}

type SyncView = PrunableView<SyntheticBatch> & { runSync(batch: SyntheticBatch, options?: RunOptions): RunResult };
const hasRunSync = (view: PrunableView<SyntheticBatch>): view is SyncView => typeof (view as Partial<SyncView>).runSync === 'function';

/** Symmetric InfoNCE over `logitsPerImage` `[B, B]` (matching pairs on the diagonal). */
function infoNce(result: RunResult): tf.Scalar {
  return tf.tidy(() => {
    const logits = result.outputs.logitsPerImage as tf.Tensor2D;
    const labels = tf.oneHot(tf.range(0, logits.shape[0], 1, 'int32'), logits.shape[0]);
    const a = tf.losses.softmaxCrossEntropy(labels, logits);
    const b = tf.losses.softmaxCrossEntropy(labels, tf.transpose(logits));
    return tf.div(tf.add(a, b), 2) as tf.Scalar;
  });
}

/**
 * A contrastive task on synthetic batches: `loss` is the CLIP-style symmetric InfoNCE of the view's
 * `logitsPerImage` (differentiable; synchronous when the view has `runSync`, so it can run inside
 * `tf.grads`), `evaluate` reports image→text retrieval `accuracy` on a held-out batch, and `train`
 * yields training batches. Dims must match the view's (`{ dims: view.dims }`).
 */
export function syntheticTask(options: SyntheticTaskOptions = {}): TaskAdapter<SyntheticBatch> {
  const { seed = 0, trainBatches = 2, ...batchOptions } = options;
  const heldOut = syntheticBatch(createRng(seed).split('synthetic-task-eval'), { batchSize: 8, ...batchOptions });
  return Object.freeze({
    id: 'synthetic-contrastive',
    primaryMetric: 'accuracy',
    train: syntheticCalibration(trainBatches, seed + 1, batchOptions),
    loss(view: PrunableView<SyntheticBatch>, batch: SyntheticBatch, runOptions?: RunOptions): tf.Scalar | Promise<tf.Scalar> {
      if (hasRunSync(view)) {
        return tf.tidy(() => {
          const result = view.runSync(batch, { ...runOptions, taps: [] });
          return infoNce(result);
        });
      }
      return view.run(batch, { ...runOptions, taps: [] }).then((result) => {
        try {
          return infoNce(result);
        } finally {
          result.dispose();
        }
      });
    },
    async evaluate(view: PrunableView<SyntheticBatch>, runOptions?: RunOptions): Promise<Record<string, number>> {
      const result = await view.run(heldOut, { ...runOptions, taps: [] });
      try {
        const predicted = tf.tidy(() => tf.argMax(result.outputs.logitsPerImage, 1));
        const hits = Array.from(await predicted.data()).filter((p, i) => p === i).length;
        predicted.dispose();
        return { accuracy: hits / heldOut.size };
      } finally {
        result.dispose();
      }
    },
  });
}
