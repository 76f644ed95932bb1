import type * as tf from '@tensorflow/tfjs';
import { NotSupportedError, type Engine, type PrunableView, type TaskAdapter } from '@vlp/core';
import { symmetricInfoNce } from './score.js';

/** A scalar loss of one batch under per-run weight overrides (owned by the caller). */
export type LossAt<Batch> = (batch: Batch, weights: Readonly<Record<string, tf.Tensor2D>>, signal: AbortSignal) => Promise<number>;

/** Output names holding square image–text logits, in the order they are looked up. */
export const CONTRASTIVE_OUTPUTS = ['logits_per_text', 'logitsPerText', 'logits_per_image', 'logitsPerImage'] as const;

/**
 * `L` from the task adapter: `task.loss(view, batch, { weights, engine })`, read to a number and
 * disposed. Adapters that only run on tfjs ignore `engine` (e.g. `clipTask` today).
 * Throws `VLP_NOT_SUPPORTED` when the task has no loss.
 */
export function taskLoss<Batch>(view: PrunableView<Batch>, task: TaskAdapter<Batch> | undefined, engine: Engine): LossAt<Batch> {
  const loss = task?.loss;
  if (!loss) {
    throw new NotSupportedError({
      message: `ECoFLaP's coarse scores need a task loss (ctx.task.loss)${task ? `; task "${task.id}" has none` : ''}. Pass options.task to prune(), or use scores.loss: 'contrastive-logits' on a CLIP-like view.`,
    });
  }
  return async (batch, weights, signal) => {
    const value = await loss(view, batch, { weights, engine, signal });
    try {
      return (await value.data())[0];
    } finally {
      value.dispose();
    }
  };
}

/**
 * `L` computed here from the view's own forward on `engine`: the symmetric InfoNCE of its square
 * `logits_per_text` (or `logitsPerImage`) output, in float64 — the CoOp zero-shot CLIP loss, on
 * ONNX Runtime when `engine` is `onnx`. Throws `VLP_NOT_SUPPORTED` when no such output exists.
 */
export function contrastiveLogitsLoss<Batch>(view: PrunableView<Batch>, engine: Engine): LossAt<Batch> {
  return async (batch, weights, signal) => {
    const result = await view.run(batch, { weights, engine, signal, taps: [] });
    try {
      const name = CONTRASTIVE_OUTPUTS.find((n) => result.outputs[n] !== undefined);
      const logits = name ? result.outputs[name] : undefined;
      if (!logits || logits.rank !== 2 || logits.shape[0] !== logits.shape[1]) {
        throw new NotSupportedError({
          message: `scores.loss 'contrastive-logits' needs a square ${CONTRASTIVE_OUTPUTS.join(' / ')} output (matching image–text pairs); the ${view.architecture} view returned ${Object.keys(result.outputs).join(', ')}.`,
        });
      }
      return symmetricInfoNce(await logits.data(), logits.shape[0]);
    } finally {
      result.dispose();
    }
  };
}
