import type { ClipModel, RgbImage } from '@vlp/models';
import { retrievalRecall } from '../metrics/retrieval.js';
import { clipImageEmbeddings, clipTextEmbeddings, similarity } from './clip-features.js';
import type { EvalOptions } from './eval-events.js';

export interface RetrievalSet {
  readonly images: readonly RgbImage[];
  readonly texts: readonly string[];
  /** Image index of each text (several texts per image). */
  readonly textToImage: readonly number[];
}

/**
 * Image↔text retrieval with CLIP: cosine similarity of normalised embeddings; R@1/5/10 in both
 * directions with several captions per image (see `retrievalRecall`).
 */
export async function evaluateClipRetrieval(model: ClipModel, set: RetrievalSet, options: EvalOptions = {}): Promise<ReturnType<typeof retrievalRecall>> {
  const start = performance.now();
  const batch = options.batchSize ?? 64;
  const total = Math.ceil(set.texts.length / batch) + Math.ceil(set.images.length / batch);
  let index = 0;
  const onBatch = () => options.onEvent?.({ type: 'eval-batch-end', task: 'retrieval', index: index++, total });
  options.onEvent?.({ type: 'eval-start', task: 'retrieval', batches: total });
  const images = await clipImageEmbeddings(model, set.images, { ...options, task: 'retrieval', onBatch });
  const texts = await clipTextEmbeddings(model, set.texts, { ...options, task: 'retrieval', onBatch });
  const scores = similarity(images, set.images.length, texts, set.texts.length);
  const result = retrievalRecall({ data: scores, shape: [set.images.length, set.texts.length] }, set.textToImage);
  options.onEvent?.({ type: 'eval-end', task: 'retrieval', durationMs: performance.now() - start });
  return result;
}
