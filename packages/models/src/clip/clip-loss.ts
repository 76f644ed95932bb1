import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';

/** Row-wise cross-entropy with targets `0..n−1` (the diagonal), as `torch.nn.functional.cross_entropy`. */
function diagonalCrossEntropy(logits: tf.Tensor2D): tf.Scalar {
  const n = logits.shape[0];
  // logits − logsumexp, the stable log-softmax; every op on this path has wasm kernels and gradients.
  const logProbs = tf.sub(logits, tf.logSumExp(logits, 1, true));
  return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, tf.eye(n)), 1))) as tf.Scalar;
}

/**
 * CLIP's symmetric InfoNCE loss (transformers' `clip_loss`): the mean of the cross-entropies of
 * `logits_per_text` and its transpose against the matching pairs on the diagonal. Needs as many
 * texts as images (pair i ↔ i). Differentiable; the caller owns the result.
 */
export function clipContrastiveLoss(logitsPerText: tf.Tensor): tf.Scalar {
  if (logitsPerText.rank !== 2 || logitsPerText.shape[0] !== logitsPerText.shape[1]) {
    throw new InvalidArgumentError({
      message: `The CLIP contrastive loss needs matching image–text pairs (a square logits matrix); got [${logitsPerText.shape.join(', ')}].`,
    });
  }
  return tf.tidy(() => {
    const l = logitsPerText as tf.Tensor2D;
    return tf.div(tf.add(diagonalCrossEntropy(l), diagonalCrossEntropy(l.transpose())), tf.scalar(2)) as tf.Scalar;
  });
}
