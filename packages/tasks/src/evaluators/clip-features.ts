import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, throwIfAborted } from '@vlp/core';
import type { ClipModel, RgbImage } from '@vlp/models';
import type { EvalOptions } from './eval-events.js';

/** L2-normalised rows of a host matrix `[n, d]`. */
function normalizeRows(data: Float32Array, n: number): Float32Array {
  const d = data.length / n;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += (data[i * d + j] as number) ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < d; j++) data[i * d + j] = (data[i * d + j] as number) * inv;
  }
  return data;
}

/** Normalised image features `[n, p]` of `images`, in batches (host memory). */
export async function clipImageEmbeddings(model: ClipModel, images: readonly RgbImage[], options: EvalOptions & { task: string; onBatch?: () => void }): Promise<Float32Array> {
  const processor = model.imageProcessor;
  if (!processor) throw new InvalidArgumentError({ message: 'The model has no image processor (preprocessor_config.json); evaluation needs one.' });
  const batch = options.batchSize ?? 64;
  const p = model.config.projectionDim;
  const out = new Float32Array(images.length * p);
  for (let start = 0; start < images.length; start += batch) {
    throwIfAborted(options.signal, `${options.task} evaluation`);
    const chunk = images.slice(start, start + batch);
    const px = processor.preprocess([...chunk]);
    const pixels = tf.tensor(px.pixelValues, [...px.shape]);
    const features = await model.getImageFeatures(pixels, { engine: options.engine });
    out.set((await features.data()) as Float32Array, start * p);
    tf.dispose([pixels, features]);
    options.onBatch?.();
  }
  return normalizeRows(out, images.length);
}

/** Normalised text features `[n, p]` of `texts` (padded to max_position_embeddings), in batches. */
export async function clipTextEmbeddings(model: ClipModel, texts: readonly string[], options: EvalOptions & { task: string; onBatch?: () => void }): Promise<Float32Array> {
  const tokenizer = model.tokenizer;
  if (!tokenizer) throw new InvalidArgumentError({ message: 'The model has no tokenizer files; evaluation needs one.' });
  const batch = options.batchSize ?? 64;
  const p = model.config.projectionDim;
  const out = new Float32Array(texts.length * p);
  for (let start = 0; start < texts.length; start += batch) {
    throwIfAborted(options.signal, `${options.task} evaluation`);
    const enc = tokenizer.encode(texts.slice(start, start + batch), { padding: 'max_length', truncation: true });
    const ids = tf.tensor2d(enc.inputIds, undefined, 'int32');
    const mask = tf.tensor2d(enc.attentionMask, undefined, 'int32');
    const features = await model.getTextFeatures(ids, mask, { engine: options.engine });
    out.set((await features.data()) as Float32Array, start * p);
    tf.dispose([ids, mask, features]);
    options.onBatch?.();
  }
  return normalizeRows(out, texts.length);
}

/** `a [n, d] · bᵀ [d, m]` on the host → `[n, m]`. */
export function similarity(a: Float32Array, n: number, b: Float32Array, m: number): Float32Array {
  const d = a.length / n;
  const out = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += (a[i * d + k] as number) * (b[j * d + k] as number);
      out[i * m + j] = s;
    }
  }
  return out;
}
