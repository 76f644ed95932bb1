import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import type { ImageProcessor, RgbImage, VlpTokenizer } from '@vlp/models';

/** The model's processors, or a clear error naming what is missing. */
export function processorsOf(model: { tokenizer?: VlpTokenizer; imageProcessor?: ImageProcessor }): { tokenizer: VlpTokenizer; imageProcessor: ImageProcessor } {
  if (!model.tokenizer) throw new InvalidArgumentError({ message: 'The model has no tokenizer files (vocab.txt / tokenizer.json); evaluation needs one.' });
  if (!model.imageProcessor) throw new InvalidArgumentError({ message: 'The model has no preprocessor_config.json; evaluation needs an image processor.' });
  return { tokenizer: model.tokenizer, imageProcessor: model.imageProcessor };
}

/** Pixel values `[n, 3, S, S]` of a slice of images (caller disposes). */
export function pixelBatch(processor: ImageProcessor, images: readonly RgbImage[]): tf.Tensor {
  const px = processor.preprocess([...images]);
  return tf.tensor(px.pixelValues, [...px.shape]);
}

/** Token ids and mask `[n, T]`, padded to the longest text (caller disposes). */
export function textBatch(tokenizer: VlpTokenizer, texts: readonly string[]): { inputIds: tf.Tensor; attentionMask: tf.Tensor } {
  const enc = tokenizer.encode([...texts], { padding: 'longest', truncation: true });
  return { inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'), attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32') };
}
