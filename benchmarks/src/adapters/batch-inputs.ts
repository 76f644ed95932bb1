import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import type { ImageProcessor, RgbImage, VlpTokenizer } from '@vlp/models';
import type { BenchModel } from './model-adapter.js';

/** The model's tokenizer and image processor, or an error naming the missing files. */
export function processors(model: BenchModel): { tokenizer: VlpTokenizer; imageProcessor: ImageProcessor } {
  if (!model.tokenizer || !model.imageProcessor) {
    throw new InvalidArgumentError({
      message: `The model has no ${model.tokenizer ? 'preprocessor_config.json' : 'tokenizer files'}; the benchmark needs the checkpoint's tokenizer and image processor.`,
    });
  }
  return { tokenizer: model.tokenizer, imageProcessor: model.imageProcessor };
}

/** `[n, 3, S, S]` pixel values (caller disposes). */
export function pixels(processor: ImageProcessor, images: readonly RgbImage[]): tf.Tensor {
  const px = processor.preprocess([...images]);
  return tf.tensor(px.pixelValues, [...px.shape]);
}

/**
 * Token ids and mask `[n, T]` (caller disposes). `padding: 'max_length'` pads to the tokenizer's
 * length; `firstToken` replaces the first id of every row (BLIP's `[DEC]` for decoder inputs).
 */
export function tokens(
  tokenizer: VlpTokenizer,
  texts: readonly string[],
  options: { padding: 'max_length' | 'longest'; firstToken?: number },
): { inputIds: tf.Tensor; attentionMask: tf.Tensor } {
  const enc = tokenizer.encode([...texts], { padding: options.padding, truncation: true });
  if (options.firstToken !== undefined) for (const row of enc.inputIds) row[0] = options.firstToken;
  return { inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'), attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32') };
}
