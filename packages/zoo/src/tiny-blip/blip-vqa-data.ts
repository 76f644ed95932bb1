import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { shapesVLSample, type ShapesVLSplit } from '@vlp/data';
import type { ImageProcessor, VlpTokenizer } from '@vlp/models';
import type { TrainData } from '@vlp/tasks';

/** Questions per Shapes-VL image. */
export const QUESTIONS_PER_IMAGE = 9;

/** One batch of VQA examples for `blipVqaLmLoss` (question i about image i, answer i). */
export interface BlipVqaBatch {
  readonly pixelValues: tf.Tensor;
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
      const items = indices.map((e) => {
        const sample = shapesVLSample(seed, split, Math.floor(e / QUESTIONS_PER_IMAGE), o.size);
        return { image: sample.image, question: sample.questions[e % QUESTIONS_PER_IMAGE] as { question: string; answer: string } };
      });
      const px = o.imageProcessor.preprocess(items.map((x) => x.image));
      const q = o.tokenizer.encode(items.map((x) => x.question.question), { padding: 'longest', truncation: true });
      const a = o.tokenizer.encode(items.map((x) => x.question.answer), { padding: 'longest', truncation: true });
      const answerIds = a.inputIds.map((row) => [dec, ...row.slice(1)]);
      const labels = answerIds.map((row, i) => row.map((id, j) => ((a.attentionMask[i] as number[])[j] ? id : -100)));
      return {
        pixelValues: tf.tensor(px.pixelValues, [...px.shape]),
        inputIds: tf.tensor2d(q.inputIds, undefined, 'int32'),
        attentionMask: tf.tensor2d(q.attentionMask, undefined, 'int32'),
        decoderInputIds: tf.tensor2d(answerIds, undefined, 'int32'),
        decoderAttentionMask: tf.tensor2d(a.attentionMask, undefined, 'int32'),
        labels: tf.tensor2d(labels, undefined, 'int32'),
      };
    },
    release: (b) => tf.dispose([b.pixelValues, b.inputIds, b.attentionMask, b.decoderInputIds, b.decoderAttentionMask, b.labels]),
  };
}
