import * as tf from '@tensorflow/tfjs';
import { throwIfAborted } from '@vlp/core';
import type { BlipForConditionalGeneration, GenerationOptions, RgbImage } from '@vlp/models';
import { corpusBleu } from '../metrics/bleu.js';
import { ciderD } from '../metrics/cider-d.js';
import { pixelBatch, processorsOf, textBatch } from './blip-inputs.js';
import type { EvalOptions } from './eval-events.js';

export interface CaptioningSet {
  readonly images: readonly RgbImage[];
  /** Reference captions of each image. */
  readonly references: readonly (readonly string[])[];
}

export interface CaptioningResult {
  /** BLEU-4 (coco-caption), in [0, 1]. */
  readonly bleu4: number;
  /** CIDEr-D (coco-caption, ×10 scale). */
  readonly ciderD: number;
  readonly captions: readonly string[];
}

/**
 * Captioning with BLIP: generate (greedy by default; beam search with `numBeams`), strip the prompt
 * as the original BLIP evaluation does, then BLEU-4 and CIDEr-D against the references (PTB-tokenised).
 */
export async function evaluateBlipCaptioning(
  model: BlipForConditionalGeneration,
  set: CaptioningSet,
  options: EvalOptions & GenerationOptions & { prompt?: string } = {},
): Promise<CaptioningResult> {
  const start = performance.now();
  const { tokenizer, imageProcessor } = processorsOf(model);
  const batch = options.batchSize ?? 32;
  const total = Math.ceil(set.images.length / batch);
  options.onEvent?.({ type: 'eval-start', task: 'captioning', batches: total });
  const captions: string[] = [];
  for (let i = 0; i < set.images.length; i += batch) {
    throwIfAborted(options.signal, 'captioning evaluation');
    const images = set.images.slice(i, i + batch);
    const pixels = pixelBatch(imageProcessor, images);
    const prompt = options.prompt ? textBatch(tokenizer, images.map(() => options.prompt as string)) : undefined;
    try {
      const out = await model.generate(pixels, { ...options, inputIds: prompt?.inputIds, attentionMask: prompt?.attentionMask, engine: options.engine });
      const rows = (out.sequences as tf.Tensor).arraySync() as number[][];
      tf.dispose(Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor));
      for (const row of rows) {
        const text = tokenizer.decode(row, { skipSpecialTokens: true }).trim();
        captions.push(options.prompt && text.startsWith(options.prompt.trim()) ? text.slice(options.prompt.trim().length).trim() : text);
      }
    } finally {
      tf.dispose([pixels, ...(prompt ? [prompt.inputIds, prompt.attentionMask] : [])]);
    }
    options.onEvent?.({ type: 'eval-batch-end', task: 'captioning', index: i / batch, total });
  }
  const samples = captions.map((candidate, i) => ({ candidate, references: [...(set.references[i] ?? [])] }));
  const result = { bleu4: corpusBleu(samples).score, ciderD: ciderD(samples).score, captions };
  options.onEvent?.({ type: 'eval-end', task: 'captioning', durationMs: performance.now() - start });
  return result;
}
