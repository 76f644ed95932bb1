import * as tf from '@tensorflow/tfjs';

/**
 * CLIP's `logits_per_text` from the two towers' projected features (`ClipModel`'s
 * `differentiableTextFeatures` / `differentiableImageFeatures`), as the full graph computes them:
 * `exp(logit_scale) · l2norm(text) · l2norm(image)ᵀ`, `[texts, images]`.
 */
export function clipLogitsFromFeatures(textFeatures: tf.Tensor2D, imageFeatures: tf.Tensor2D, logitScale: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const t = tf.div(textFeatures, tf.norm(textFeatures, 'euclidean', -1, true));
    const i = tf.div(imageFeatures, tf.norm(imageFeatures, 'euclidean', -1, true));
    return tf.mul(tf.matMul(t, i, false, true), tf.exp(tf.reshape(logitScale, []))) as tf.Tensor2D;
  });
}
