import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';

/**
 * Row-wise cross-entropy with targets `0..n−1` (row i's target is column i), as
 * `torch.nn.functional.cross_entropy`; the matrix may have more columns than rows.
 */
function diagonalCrossEntropy(logits: tf.Tensor2D): tf.Scalar {
  const [n, m] = logits.shape;
  // logits − logsumexp, the stable log-softmax; every op on this path has wasm kernels and gradients.
  const logProbs = tf.sub(logits, tf.logSumExp(logits, 1, true));
  return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, tf.eye(n, m)), 1))) as tf.Scalar;
}

/**
 * CLIP's symmetric InfoNCE loss (transformers' `clip_loss`): the mean of the cross-entropies of
 * `logits_per_text` and its transpose against the matching pairs on the diagonal (text i ↔ image i).
 *
 * With more texts than images (`logits_per_text` of shape [T, B], T > B), texts B … T−1 are extra
 * negatives with no image of their own (NegCLIP's hard negatives, Yuksekgonul et al. 2023): each
 * image's cross-entropy runs over all T texts, and the text-to-image term over the B paired texts
 * only. With T = B this is exactly `clip_loss`. Differentiable; the caller owns the result.
 */
export function clipContrastiveLoss(logitsPerText: tf.Tensor): tf.Scalar {
  if (logitsPerText.rank !== 2 || (logitsPerText.shape[0] as number) < (logitsPerText.shape[1] as number)) {
    throw new InvalidArgumentError({
      message: `The CLIP contrastive loss needs a [texts, images] logits matrix with a text for every image (texts ≥ images; texts past the images are extra negatives); got [${logitsPerText.shape.join(', ')}].`,
    });
  }
  return tf.tidy(() => {
    const l = logitsPerText as tf.Tensor2D;
    const [texts, images] = l.shape;
    const paired = texts === images ? l : l.slice([0, 0], [images, images]);
    return tf.div(tf.add(diagonalCrossEntropy(paired), diagonalCrossEntropy(l.transpose())), tf.scalar(2)) as tf.Scalar;
  });
}
