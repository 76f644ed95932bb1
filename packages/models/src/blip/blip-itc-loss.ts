import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { type BlipImageInput, type DifferentiableOptions, gateOptions, imageFeed, keepOutputs, softCrossEntropy } from './blip-loss-common.js';
import { describeBlipItc } from './blip-retrieval-describe.js';
import type { BlipForImageTextRetrieval } from './blip-retrieval-model.js';

/**
 * The ITC temperature when none is given: the official BLIP initialisation `temp = 0.07`.
 * transformers' `BlipForImageTextRetrieval` holds no `temp` parameter (its ITC score is the plain
 * cosine), so HF checkpoints cannot supply the trained value.
 */
export const BLIP_ITC_TEMPERATURE = 0.07;

/**
 * Inputs of the ITC loss: B matching pairs, image i ↔ text i (tensors stay owned by the caller);
 * the images as `pixelValues` or precomputed `imageEmbeds` (see {@link BlipImageInput}).
 */
export interface BlipItcLossBatch extends BlipImageInput {
  readonly inputIds: tf.Tensor;
  readonly attentionMask?: tf.Tensor;
  /**
   * Optional group ids (e.g. the image id of each caption): every pair of the same group is a
   * positive, targets `pos / pos.sum(1)`. Default: the diagonal — what the official
   * `BLIP_Retrieval.forward` ends up using (it overwrites its id-based targets with the diagonal).
   */
  readonly groupIds?: readonly number[];
}

/** Options of the ITC loss. */
export interface BlipItcLossOptions extends DifferentiableOptions {
  /** Temperature (a number, or a scalar tensor to learn it); default {@link BLIP_ITC_TEMPERATURE}. */
  readonly temperature?: number | tf.Scalar;
}

function targets(n: number, groupIds: readonly number[] | undefined): tf.Tensor2D {
  if (!groupIds) return tf.eye(n) as tf.Tensor2D;
  if (groupIds.length !== n) throw new InvalidArgumentError({ message: `groupIds must have one id per pair (${n}); got ${groupIds.length}.` });
  const pos = groupIds.map((a) => groupIds.map((b): number => (a === b ? 1 : 0)));
  return tf.tensor2d(pos.map((row) => row.map((v) => v / row.reduce((s, x) => s + x, 0))));
}

/**
 * BLIP's image–text contrastive loss on the tfjs engine (synchronous, differentiable), in-batch:
 * `sim = normalize(vision_proj(img[:, 0])) · normalize(text_proj(txt[:, 0]))ᵀ / temperature`
 * (text encoded without cross-attention), `(CE(sim, targets) + CE(simᵀ, targetsᵀ)) / 2` with soft
 * targets. The momentum encoders, feature queues and momentum distillation of the official training
 * loop are not part of HF checkpoints and not reproduced (the official loss with `alpha = 0` and no
 * queue). The caller owns the result.
 */
export function blipItcLoss(model: BlipForImageTextRetrieval, batch: BlipItcLossBatch, options: BlipItcLossOptions = {}): tf.Scalar {
  const image = imageFeed(model.config, batch);
  const n = image.count;
  if ((batch.inputIds.shape[0] as number) !== n) {
    throw new InvalidArgumentError({ message: `The ITC loss needs matching pairs (image i ↔ text i); got ${n} images and ${batch.inputIds.shape[0]} texts.` });
  }
  const temperature = options.temperature ?? BLIP_ITC_TEMPERATURE;
  if (typeof temperature === 'number' && !(temperature > 0)) throw new InvalidArgumentError({ message: `temperature must be > 0, got ${temperature}.` });
  const tokens = batch.inputIds.shape[1] as number;
  const mask = batch.attentionMask ?? tf.onesLike(batch.inputIds);
  try {
    const outputs = model.runner.runTfjs({
      key: `blip:itc:${tokens}:${image.source}`,
      describe: (ctx) => describeBlipItc(ctx, model.config, model.arch, tokens, image.source),
      options: gateOptions(options),
      feeds: { ...image.feeds, input_ids: batch.inputIds, attention_mask: mask },
      weights: options.weights,
      gates: options.gates,
    });
    keepOutputs(outputs, 'itm_score');
    const cosine = outputs.itm_score as tf.Tensor2D;
    const loss = tf.tidy(() => {
      const sim = tf.div(cosine, temperature) as tf.Tensor2D;
      const t = targets(n, batch.groupIds);
      return tf.div(tf.add(softCrossEntropy(sim, t), softCrossEntropy(sim.transpose(), t.transpose())), 2) as tf.Scalar;
    });
    cosine.dispose();
    return loss;
  } finally {
    if (!batch.attentionMask) mask.dispose();
  }
}
