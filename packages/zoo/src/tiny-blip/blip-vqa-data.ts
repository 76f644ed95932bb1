import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { type RgbImage, shapesVLAnnotations, shapesVLSample, type ShapesVLSplit } from '@vlp/data';
import { imageInput } from './blip-caption-data.js';
import type { ImageEmbedsCache } from './image-embeds-cache.js';
import type { ImageProcessor, VlpTokenizer } from '@vlp/models';
import type { TrainData } from '@vlp/tasks';

/** Questions per Shapes-VL image. */
export const QUESTIONS_PER_IMAGE = 9;

/** One batch of VQA examples for `blipVqaLmLoss` (question i about image i, answer i). */
export interface BlipVqaBatch {
  /** The images (`[B, 3, S, S]`), or with an embeddings cache their `imageEmbeds` (`[B, tokens, D]`) instead. */
  readonly pixelValues?: tf.Tensor;
  readonly imageEmbeds?: tf.Tensor;
  /** `[B, Tq]` question ids as tokenized (`[CLS] … ? [SEP] [PAD]…`, as transformers' BLIP takes them). */
  readonly inputIds: tf.Tensor;
  readonly attentionMask: tf.Tensor;
  /** `[B, Ta]` answer ids `[DEC] … [SEP] [PAD]…`. */
  readonly decoderInputIds: tf.Tensor;
  readonly decoderAttentionMask: tf.Tensor;
  /** The answer ids with the padding set to −100. */
  readonly labels: tf.Tensor;
}

/** Options of {@link shapesVLBlipVqaData}. */
export interface ShapesVLBlipVqaDataOptions {
  readonly tokenizer: VlpTokenizer;
  readonly imageProcessor: ImageProcessor;
  /** Images of the split to draw from (indices 0 … images − 1), each with its 9 questions. */
  readonly images: number;
  readonly size: number;
  readonly datasetSeed?: number;
  readonly split?: ShapesVLSplit;
  /** The images' precomputed `image_embeds` (see `shapesVLBlipPairData`); default `pixelValues`. */
  readonly imageEmbeds?: ImageEmbedsCache;
}

/**
 * Shapes-VL questions as trainer data for BLIP VQA: example `e` is question `e mod 9` of image
 * `⌊e / 9⌋`. `collate` renders the images, tokenizes questions and answers (each padded to the
 * longest of the batch) and starts the answers with `[DEC]`; padded answer positions are ignored by
 * the loss (−100, as the official BLIP VQA masks them). `release` disposes the batch.
 */
export function shapesVLBlipVqaData(o: ShapesVLBlipVqaDataOptions): TrainData<BlipVqaBatch> {
  if (!Number.isInteger(o.images) || o.images < 1) throw new InvalidArgumentError({ message: `images must be a positive integer, got ${o.images}.`, actual: o.images });
  const split = o.split ?? 'train';
  const seed = o.datasetSeed ?? 0;
  const dec = o.tokenizer.specialTokenIds.bos;
  if (dec === undefined) throw new InvalidArgumentError({ message: 'The answer decoder needs a tokenizer with a bos token ([DEC]).' });
  return {
    size: o.images * QUESTIONS_PER_IMAGE,
    collate(indices) {
      const imageIndex = indices.map((e) => Math.floor(e / QUESTIONS_PER_IMAGE));
      const items = indices.map((e, b) => {
        const i = imageIndex[b] as number;
        const sample = o.imageEmbeds ? shapesVLAnnotations(seed, split, i) : shapesVLSample(seed, split, i, o.size);
        return { image: 'image' in sample ? (sample.image as RgbImage) : undefined, question: sample.questions[e % QUESTIONS_PER_IMAGE] as { question: string; answer: string } };
      });
      const q = o.tokenizer.encode(items.map((x) => x.question.question), { padding: 'longest', truncation: true });
      const a = o.tokenizer.encode(items.map((x) => x.question.answer), { padding: 'longest', truncation: true });
      const answerIds = a.inputIds.map((row) => [dec, ...row.slice(1)]);
      const labels = answerIds.map((row, i) => row.map((id, j) => ((a.attentionMask[i] as number[])[j] ? id : -100)));
      return {
        ...imageInput(o, () => items.map((x) => x.image as RgbImage), imageIndex),
        inputIds: tf.tensor2d(q.inputIds, undefined, 'int32'),
        attentionMask: tf.tensor2d(q.attentionMask, undefined, 'int32'),
        decoderInputIds: tf.tensor2d(answerIds, undefined, 'int32'),
        decoderAttentionMask: tf.tensor2d(a.attentionMask, undefined, 'int32'),
        labels: tf.tensor2d(labels, undefined, 'int32'),
      };
    },
    release: (b) => tf.dispose([...[b.pixelValues, b.imageEmbeds].filter((t): t is tf.Tensor => t !== undefined), b.inputIds, b.attentionMask, b.decoderInputIds, b.decoderAttentionMask, b.labels]),
  };
}
