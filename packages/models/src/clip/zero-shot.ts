import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, type Engine } from '@vlp/core';
import type { RgbImage } from '../preprocess/types.js';
import type { ClipModel } from './clip-model.js';

export interface ZeroShotOptions {
  /** Prompt templates with `{}` for the class name (averaged per class, as OpenAI's CLIP). */
  readonly templates?: readonly string[];
  readonly engine?: Engine;
}

/**
 * Zero-shot classification: images + class names + prompt templates → probabilities
 * `[images, classes]`. Each class embedding is the mean of its L2-normalised template embeddings,
 * normalised again; logits are `exp(logit_scale) · image · class`, softmax over classes. Needs the
 * model's tokenizer and image processor (loaded by `loadModel` from the checkpoint directory).
 */
export async function zeroShotClassify(model: ClipModel, images: readonly RgbImage[] | tf.Tensor, classNames: readonly string[], options: ZeroShotOptions = {}): Promise<number[][]> {
  const templates = options.templates ?? ['a photo of a {}.'];
  if (classNames.length === 0 || templates.length === 0) throw new InvalidArgumentError({ message: 'zeroShotClassify needs at least one class name and one template.' });
  if (!model.tokenizer) throw new InvalidArgumentError({ message: 'This model has no tokenizer (no tokenizer.json / vocab.json in its directory).' });
  let pixelValues: tf.Tensor;
  if (images instanceof tf.Tensor) pixelValues = images;
  else {
    if (!model.imageProcessor) throw new InvalidArgumentError({ message: 'This model has no image processor (no preprocessor_config.json); pass pixel values instead.' });
    const px = model.imageProcessor.preprocess([...images]);
    pixelValues = tf.tensor(px.pixelValues, [...px.shape]);
  }
  const prompts = classNames.flatMap((c) => templates.map((t) => t.replaceAll('{}', c)));
  const enc = model.tokenizer.encode(prompts, { padding: 'max_length', truncation: true });
  const ids = tf.tensor2d(enc.inputIds, undefined, 'int32');
  const mask = tf.tensor2d(enc.attentionMask, undefined, 'int32');
  const [imageFeatures, textFeatures] = await Promise.all([
    model.getImageFeatures(pixelValues, { engine: options.engine }),
    model.getTextFeatures(ids, mask, { engine: options.engine }),
  ]);
  const probs = tf.tidy(() => {
    const unit = (x: tf.Tensor) => tf.div(x, tf.norm(x, 'euclidean', -1, true));
    const perTemplate = unit(textFeatures).reshape([classNames.length, templates.length, -1]);
    const classEmb = unit(tf.mean(perTemplate, 1));
    const scale = tf.exp(tf.tensor(model.params.get('logit_scale').data[0] as number));
    return tf.softmax(tf.mul(tf.matMul(unit(imageFeatures), classEmb, false, true), scale));
  });
  const out = probs.arraySync() as number[][];
  tf.dispose([probs, imageFeatures, textFeatures, ids, mask]);
  if (!(images instanceof tf.Tensor)) pixelValues.dispose();
  return out;
}
