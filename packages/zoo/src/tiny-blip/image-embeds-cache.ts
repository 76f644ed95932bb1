import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { shapesVLSample, type ShapesVLSplit } from '@vlp/data';
import type { BlipModel, ImageProcessor } from '@vlp/models';

/**
 * The vision tower's `last_hidden_state` (`image_embeds`) of Shapes-VL images `0 … images − 1`,
 * computed once: training the text side of a BLIP model with its vision tower frozen then never
 * runs the tower again (the losses take `imageEmbeds` instead of `pixelValues`).
 */
export interface ImageEmbedsCache {
  readonly images: number;
  /** Tokens per image (patches + class token) and their width. */
  readonly tokens: number;
  readonly width: number;
  /** `[images, tokens, width]`, row-major. */
  readonly data: Float32Array;
  /** `[indices.length, tokens, width]` embeddings of the given images (the caller disposes it). */
  gather(indices: readonly number[]): tf.Tensor3D;
}

/** Options of {@link cacheImageEmbeds}. */
export interface CacheImageEmbedsOptions {
  readonly imageProcessor: ImageProcessor;
  /** Images of the split (indices 0 … images − 1). */
  readonly images: number;
  /** Image side in pixels. */
  readonly size: number;
  readonly datasetSeed?: number;
  /** Default `'train'`. */
  readonly split?: ShapesVLSplit;
  /** Images per forward pass (default 200). */
  readonly batchSize?: number;
  /** Forward engine (default ONNX Runtime: forward only). */
  readonly engine?: 'onnx' | 'tfjs';
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Runs `model`'s vision tower over the first `images` Shapes-VL images and keeps their `image_embeds`. */
export async function cacheImageEmbeds(model: BlipModel, o: CacheImageEmbedsOptions): Promise<ImageEmbedsCache> {
  if (!Number.isInteger(o.images) || o.images < 1) throw new InvalidArgumentError({ message: `images must be a positive integer, got ${o.images}.`, actual: o.images });
  const v = model.config.vision;
  const tokens = (v.imageSize / v.patchSize) ** 2 + 1;
  const width = v.hiddenSize;
  const data = new Float32Array(o.images * tokens * width);
  const step = o.batchSize ?? 200;
  for (let start = 0; start < o.images; start += step) {
    o.signal?.throwIfAborted();
    const end = Math.min(o.images, start + step);
    const px = o.imageProcessor.preprocess(Array.from({ length: end - start }, (_, i) => shapesVLSample(o.datasetSeed ?? 0, o.split ?? 'train', start + i, o.size).image));
    const pixels = tf.tensor(px.pixelValues, [...px.shape]);
    try {
      const out = await model.vision(pixels, { engine: o.engine ?? 'onnx' });
      data.set(await out.lastHiddenState.data(), start * tokens * width);
      tf.dispose([out.lastHiddenState, out.poolerOutput]);
    } finally {
      pixels.dispose();
    }
    o.onProgress?.(end, o.images);
  }
  return {
    images: o.images,
    tokens,
    width,
    data,
    gather(indices) {
      const row = tokens * width;
      const out = new Float32Array(indices.length * row);
      indices.forEach((image, i) => {
        if (!Number.isInteger(image) || image < 0 || image >= o.images) {
          throw new InvalidArgumentError({ message: `Image ${image} is not in the cache (images 0 … ${o.images - 1}).`, actual: image });
        }
        out.set(data.subarray(image * row, (image + 1) * row), i * row);
      });
      return tf.tensor3d(out, [indices.length, tokens, width]);
    },
  };
}
