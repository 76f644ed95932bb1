import * as tf from '@tensorflow/tfjs';
import { type ClipModel, describeClipText, describeClipVision } from '@vlp/models';

type Weights = Readonly<Record<string, tf.Tensor>> | undefined;

/** Keeps `name` of a graph's outputs and disposes the rest. */
function only(outputs: Record<string, tf.Tensor>, name: string): tf.Tensor2D {
  for (const [k, t] of Object.entries(outputs)) if (k !== name) t.dispose();
  return outputs[name] as tf.Tensor2D;
}

/**
 * `get_image_features` of the vision tower alone (projected, unnormalised, `[B, projection_dim]`),
 * synchronously on the tfjs engine so it can be differentiated; `weights` overrides parameters by HF
 * name. The text tower's parameters are not touched.
 */
export function clipImageFeatures(model: ClipModel, pixelValues: tf.Tensor, weights?: Weights): tf.Tensor2D {
  const outputs = model.runner.runTfjs({
    key: 'clip:vision',
    describe: (ctx) => {
      describeClipVision(ctx, model.config, model.arch);
    },
    feeds: { pixel_values: pixelValues },
    weights,
  });
  return only(outputs, 'image_features');
}

/** `get_text_features` of the text tower alone, as {@link clipImageFeatures}. */
export function clipTextFeatures(model: ClipModel, inputIds: tf.Tensor, attentionMask: tf.Tensor, weights?: Weights): tf.Tensor2D {
  const tokens = inputIds.shape[1] as number;
  const outputs = model.runner.runTfjs({
    key: `clip:text:${tokens}`,
    describe: (ctx) => {
      describeClipText(ctx, model.config, model.arch, tokens);
    },
    feeds: { input_ids: inputIds, attention_mask: attentionMask },
    weights,
  });
  return only(outputs, 'text_features');
}

/**
 * CLIP's `logits_per_text` from the two towers' features, as the full graph computes them:
 * `exp(logit_scale) · l2norm(text) · l2norm(image)ᵀ`, `[texts, images]`.
 */
export function clipLogitsFromFeatures(textFeatures: tf.Tensor2D, imageFeatures: tf.Tensor2D, logitScale: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    const t = tf.div(textFeatures, tf.norm(textFeatures, 'euclidean', -1, true));
    const i = tf.div(imageFeatures, tf.norm(imageFeatures, 'euclidean', -1, true));
    return tf.mul(tf.matMul(t, i, false, true), tf.exp(tf.reshape(logitScale, []))) as tf.Tensor2D;
  });
}
