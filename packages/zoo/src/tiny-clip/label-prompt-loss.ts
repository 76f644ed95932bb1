import * as tf from '@tensorflow/tfjs';
import type { ClipModel, VlpTokenizer } from '@vlp/models';
import { clipContrastiveLoss } from '@vlp/models';
import type { ClipPairBatch } from './shapes-vl-pairs.js';

/** Token ids and mask of the class prompts, `[classes, maxLength]` int32 (the caller owns them). */
export interface LabelPrompts {
  readonly inputIds: tf.Tensor2D;
  readonly attentionMask: tf.Tensor2D;
}

/** Tokenizes one prompt per class: `template` with `{}` replaced by the class name. */
export function labelPrompts(tokenizer: VlpTokenizer, classNames: readonly string[], template: string): LabelPrompts {
  const enc = tokenizer.encode(
    classNames.map((c) => template.replace('{}', c)),
    { padding: 'max_length', truncation: true },
  );
  return { inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'), attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32') };
}

/**
 * The training loss of tiny-clip: CLIP's InfoNCE over the batch's image–caption pairs (with any
 * hard-negative captions past the images) plus `labelWeight` × the cross-entropy of each image
 * against the class prompts, target its own class — image–label contrastive learning in the
 * manner of UniCL (Yang et al., "Unified Contrastive Learning in Image-Text-Label Space", CVPR
 * 2022), where class names in a prompt are texts like any other and the similarities use CLIP's
 * learned temperature. One forward pass scores the captions and the prompts together. With
 * `labelWeight` 0 the prompts are not run and this is `ClipModel.contrastiveLoss`.
 */
export function tinyClipLoss(
  model: ClipModel,
  batch: ClipPairBatch,
  prompts: LabelPrompts,
  labelWeight: number,
  weights?: Readonly<Record<string, tf.Tensor>>,
): tf.Scalar {
  if (labelWeight === 0) return model.contrastiveLoss(batch, { weights });
  return tf.tidy(() => {
    const texts = batch.inputIds.shape[0] as number;
    const logits = model.contrastiveLogits(
      {
        pixelValues: batch.pixelValues,
        inputIds: tf.concat([batch.inputIds, prompts.inputIds]),
        attentionMask: tf.concat([batch.attentionMask, prompts.attentionMask]),
      },
      { weights },
    );
    return tinyClipLossFromLogits(logits, texts, batch.labels, labelWeight);
  });
}

/**
 * {@link tinyClipLoss} from the similarity logits `[texts + classes, images]` (`logits_per_text` of
 * the batch's captions, then of the class prompts, against the batch's images): InfoNCE over the
 * first `texts` rows plus `labelWeight` × each image's cross-entropy over the prompt rows, target
 * `labels`. The tower-parallel trainer computes the same loss from features exchanged between
 * the towers' threads.
 */
export function tinyClipLossFromLogits(logits: tf.Tensor2D, texts: number, labels: tf.Tensor1D, labelWeight: number): tf.Scalar {
  return tf.tidy(() => {
    const [rows, images] = logits.shape;
    const classes = rows - texts;
    const captionTerm = clipContrastiveLoss(logits.slice([0, 0], [texts, images]));
    if (labelWeight === 0) return captionTerm;
    const perImage = logits.slice([texts, 0], [classes, images]).transpose() as tf.Tensor2D;
    const logProbs = tf.sub(perImage, tf.logSumExp(perImage, 1, true));
    const labelTerm = tf.neg(tf.mean(tf.sum(tf.mul(logProbs, tf.oneHot(labels, classes)), 1)));
    return tf.add(captionTerm, tf.mul(labelTerm, labelWeight)) as tf.Scalar;
  });
}
