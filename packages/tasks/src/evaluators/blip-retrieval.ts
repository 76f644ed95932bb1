import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '@vlp/core';
import { type BlipForImageTextRetrieval, type EncTokenOption, blipRetrievalScores } from '@vlp/models';
import { retrievalRecall } from '../metrics/retrieval.js';
import { pixelBatch, processorsOf, textBatch } from './blip-inputs.js';
import type { RetrievalSet } from './clip-retrieval.js';
import type { EvalOptions } from './eval-events.js';

/**
 * Image↔text retrieval with BLIP: ITC similarities, optionally re-ranked as the original BLIP
 * evaluation does (ITC top-k re-scored by ITM + ITC, first text token `[ENC]` unless `encToken`
 * says otherwise). R@1/5/10 both ways.
 */
export async function evaluateBlipRetrieval(
  model: BlipForImageTextRetrieval,
  set: RetrievalSet,
  options: EvalOptions & { rerank?: false | { k: number }; encToken?: EncTokenOption } = {},
): Promise<ReturnType<typeof retrievalRecall>> {
  const start = performance.now();
  const { tokenizer, imageProcessor } = processorsOf(model);
  const batch = options.batchSize ?? 64;
  const batches = Math.ceil(set.images.length / batch);
  options.onEvent?.({ type: 'eval-start', task: 'retrieval', batches: batches + 1 });
  const pixels: tf.Tensor[] = [];
  const text = textBatch(tokenizer, set.texts);
  try {
    for (let i = 0; i < set.images.length; i += batch) {
      throwIfAborted(options.signal, 'retrieval evaluation');
      pixels.push(pixelBatch(imageProcessor, set.images.slice(i, i + batch)));
      options.onEvent?.({ type: 'eval-batch-end', task: 'retrieval', index: pixels.length - 1, total: batches + 1 });
    }
    const scores = await blipRetrievalScores(model, { pixelValues: pixels, ...text }, { rerank: options.rerank ?? false, batchSize: batch, engine: options.engine, encToken: options.encToken });
    options.onEvent?.({ type: 'eval-batch-end', task: 'retrieval', index: batches, total: batches + 1 });
    const result = retrievalRecall(scores.i2t, set.textToImage, { textToImageScores: scores.t2i });
    options.onEvent?.({ type: 'eval-end', task: 'retrieval', durationMs: performance.now() - start });
    return result;
  } finally {
    tf.dispose([...pixels, text.inputIds, text.attentionMask]);
  }
}
