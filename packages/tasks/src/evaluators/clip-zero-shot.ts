import type { ClipModel, RgbImage } from '@vlp/models';
import { zeroShotAccuracy } from '../metrics/zero-shot-accuracy.js';
import { clipImageEmbeddings, clipTextEmbeddings, similarity } from './clip-features.js';
import type { EvalOptions } from './eval-events.js';

export interface ZeroShotSet {
  readonly images: readonly RgbImage[];
  /** Class index of each image. */
  readonly labels: readonly number[];
  readonly classNames: readonly string[];
}

/** OpenAI's single default prompt; pass an ensemble for the paper protocol. */
export const DEFAULT_TEMPLATES = ['a photo of a {}.'] as const;

/**
 * Zero-shot classification with CLIP: each class embedding is the normalised mean of its normalised
 * prompt-template embeddings (OpenAI's ensembling); an image is assigned the class of highest cosine
 * similarity. Returns top-1 / top-5 accuracy in percent.
 */
export async function evaluateClipZeroShot(
  model: ClipModel,
  set: ZeroShotSet,
  options: EvalOptions & { templates?: readonly string[] } = {},
): Promise<{ top1: number; top5: number; count: number }> {
  const start = performance.now();
  const templates = options.templates ?? DEFAULT_TEMPLATES;
  const batch = options.batchSize ?? 64;
  const prompts = set.classNames.flatMap((c) => templates.map((t) => t.replaceAll('{}', c)));
  const total = Math.ceil(prompts.length / batch) + Math.ceil(set.images.length / batch);
  let index = 0;
  const onBatch = () => options.onEvent?.({ type: 'eval-batch-end', task: 'zero-shot', index: index++, total });
  options.onEvent?.({ type: 'eval-start', task: 'zero-shot', batches: total });
  const text = await clipTextEmbeddings(model, prompts, { ...options, task: 'zero-shot', onBatch });
  const p = model.config.projectionDim;
  const classes = new Float32Array(set.classNames.length * p);
  for (let c = 0; c < set.classNames.length; c++) {
    let norm = 0;
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let t = 0; t < templates.length; t++) s += text[(c * templates.length + t) * p + j] as number;
      classes[c * p + j] = s;
      norm += s * s;
    }
    for (let j = 0; j < p; j++) classes[c * p + j] = (classes[c * p + j] as number) / Math.sqrt(norm);
  }
  const images = await clipImageEmbeddings(model, set.images, { ...options, task: 'zero-shot', onBatch });
  const logits = similarity(images, set.images.length, classes, set.classNames.length);
  const result = zeroShotAccuracy({ data: logits, shape: [set.images.length, set.classNames.length] }, set.labels);
  options.onEvent?.({ type: 'eval-end', task: 'zero-shot', durationMs: performance.now() - start });
  return result;
}
