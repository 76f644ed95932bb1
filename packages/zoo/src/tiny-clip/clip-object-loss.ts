import * as tf from '@tensorflow/tfjs';
import { type ClipModel, describeClipVision } from '@vlp/models';
import { objectHeadLoss } from '../training/object-head.js';
import type { ObjectTargets } from './object-targets.js';

/**
 * CLIP's projected image features and the auxiliary object loss from one differentiable pass of the
 * vision tower: the object head (`objectHeadLoss`) reads the last hidden state through CLIP's
 * `post_layernorm` applied to every token (CLIP applies it to the class token only; this is what a
 * BLIP tower started from CLIP's reads). `weights` override parameters by name (the head's are
 * `object_head.*`). The caller owns both tensors.
 */
export function clipImageFeaturesWithObjectLoss(
  model: ClipModel,
  pixelValues: tf.Tensor,
  objects: ObjectTargets,
  weights: Readonly<Record<string, tf.Tensor>>,
): { imageFeatures: tf.Tensor2D; objectLoss: tf.Scalar } {
  const outputs = model.runner.runTfjs({
    key: 'clip:vision',
    describe: (ctx) => void describeClipVision(ctx, model.config, model.arch),
    options: { gates: new Set<string>() },
    feeds: { pixel_values: pixelValues },
    weights,
  });
  const imageFeatures = outputs.image_features as tf.Tensor2D;
  const hidden = outputs['vision_model.last_hidden_state'] as tf.Tensor;
  const param = (n: string) => weights[n] ?? tf.tensor(model.params.get(n).data);
  const objectLoss = tf.tidy(() => {
    const { mean, variance } = tf.moments(hidden, -1, true);
    const normed = tf.add(tf.mul(tf.div(tf.sub(hidden, mean), tf.sqrt(tf.add(variance, model.arch.vision.eps))), param('vision_model.post_layernorm.weight')), param('vision_model.post_layernorm.bias'));
    return objectHeadLoss(normed, objects, weights);
  });
  for (const [name, t] of Object.entries(outputs)) if (name !== 'image_features') t.dispose();
  return { imageFeatures, objectLoss };
}
