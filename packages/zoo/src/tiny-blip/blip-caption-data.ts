import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { type RgbImage, shapesVLAnnotations, shapesVLSample, type ShapesVLSample, type ShapesVLSplit } from '@vlp/data';
import { negativeCaption } from './caption-negatives.js';
import type { ImageEmbedsCache } from './image-embeds-cache.js';
import type { ImageProcessor, VlpTokenizer } from '@vlp/models';
import type { TrainData } from '@vlp/tasks';

/** Captions per Shapes-VL image. */
const CAPTIONS = 5;

/** One batch of image–caption pairs for BLIP (image i ↔ caption i). */
export interface BlipPairBatch {
  /** The images (`[B, 3, S, S]`), or with an embeddings cache their `imageEmbeds` (`[B, tokens, D]`) instead. */
  readonly pixelValues?: tf.Tensor;
  readonly imageEmbeds?: tf.Tensor;
  /** `[B, T]` caption ids, padded to the longest caption of the batch: `[CLS] … [SEP] [PAD]…`, or `[DEC] …` for the decoder. */
  readonly inputIds: tf.Tensor;
  readonly attentionMask: tf.Tensor;
  /** Decoder targets: `inputIds` with the padding set to −100 (decoder batches only). */
  readonly labels?: tf.Tensor;
  /** The Shapes-VL image index of each pair (pairs of the same image are positives of each other). */
  readonly imageIndex: readonly number[];
  /** With `captionNegatives`: per pair, its caption changed by one word so that it is false of the image (`[B, T]`, same padding). */
  readonly negativeInputIds?: tf.Tensor;
  readonly negativeAttentionMask?: tf.Tensor;
}

/** Options of {@link shapesVLBlipPairData}. */
export interface ShapesVLBlipPairDataOptions {
  readonly tokenizer: VlpTokenizer;
  readonly imageProcessor: ImageProcessor;
  /** Images of the split to draw from (indices 0 … images − 1), each with its 5 captions. */
  readonly images: number;
  /** Image side in pixels. */
  readonly size: number;
  /** For the caption decoder: first token `[DEC]` instead of `[CLS]`, and `labels`. Default false. */
  readonly decoder?: boolean;
  /** Add a one-word negative of every caption (`negativeCaption`, seeded by the pair index). Not with `decoder`. */
  readonly captionNegatives?: boolean;
  /** Shapes-VL dataset seed (default 0). */
  readonly datasetSeed?: number;
  /** Default `'train'`. */
  readonly split?: ShapesVLSplit;
  /**
   * The images' precomputed `image_embeds` (a frozen vision tower's, for images 0 … images − 1 of
   * the same split): batches carry `imageEmbeds` and no image is rendered. Default: `pixelValues`.
   */
  readonly imageEmbeds?: ImageEmbedsCache;
}

/**
 * Shapes-VL image–caption pairs as trainer data for BLIP: pair `p` is image `⌊p / 5⌋` with caption
 * `p mod 5`. `collate` renders and preprocesses the images and tokenizes the captions padded to the
 * longest one of the batch; with `decoder`, the first token becomes `[DEC]` (the tokenizer's
 * `bos_token`, as `BlipForConditionalGeneration` expects) and the padding is ignored by the loss
 * (label −100, as the official BLIP captioner masks it). `release` disposes the batch.
 */
export function shapesVLBlipPairData(o: ShapesVLBlipPairDataOptions): TrainData<BlipPairBatch> {
  if (!Number.isInteger(o.images) || o.images < 1) throw new InvalidArgumentError({ message: `images must be a positive integer, got ${o.images}.`, actual: o.images });
  const split = o.split ?? 'train';
  const seed = o.datasetSeed ?? 0;
  const dec = o.decoder ? o.tokenizer.specialTokenIds.bos : undefined;
  if (o.decoder && dec === undefined) throw new InvalidArgumentError({ message: 'The caption decoder needs a tokenizer with a bos token ([DEC]).' });
  if (o.decoder && o.captionNegatives) throw new InvalidArgumentError({ message: 'captionNegatives are for the retrieval model, not with decoder: true.' });
  return {
    size: o.images * CAPTIONS,
    collate(indices) {
      const image = (i: number) => (o.imageEmbeds ? shapesVLAnnotations(seed, split, i) : shapesVLSample(seed, split, i, o.size));
      const samples = indices.map((p) => ({ sample: image(Math.floor(p / CAPTIONS)), caption: p % CAPTIONS }));
      const imageIndex = indices.map((p) => Math.floor(p / CAPTIONS));
      const texts = samples.map((s) => s.sample.captions[s.caption] as string);
      const negatives = o.captionNegatives
        ? samples.map((s, b) => negativeCaption(texts[b] as string, s.sample.objects, `${seed}:${indices[b]}`) ?? (texts[(b + 1) % texts.length] as string))
        : [];
      const all = o.tokenizer.encode([...texts, ...negatives], { padding: 'longest', truncation: true });
      const enc = { inputIds: all.inputIds.slice(0, texts.length), attentionMask: all.attentionMask.slice(0, texts.length) };
      const ids = dec === undefined ? enc.inputIds : enc.inputIds.map((row) => [dec, ...row.slice(1)]);
      const batch: BlipPairBatch = {
        ...imageInput(o, () => samples.map((s) => (s.sample as ShapesVLSample).image), imageIndex),
        inputIds: tf.tensor2d(ids, undefined, 'int32'),
        attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32'),
        imageIndex,
        ...(o.captionNegatives
          ? {
              negativeInputIds: tf.tensor2d(all.inputIds.slice(texts.length), undefined, 'int32'),
              negativeAttentionMask: tf.tensor2d(all.attentionMask.slice(texts.length), undefined, 'int32'),
            }
          : {}),
      };
      if (dec === undefined) return batch;
      const labels = ids.map((row, i) => row.map((id, j) => ((enc.attentionMask[i] as number[])[j] ? id : -100)));
      return { ...batch, labels: tf.tensor2d(labels, undefined, 'int32') };
    },
    release: (batch) =>
      tf.dispose([batch.inputIds, batch.attentionMask, ...[batch.pixelValues, batch.imageEmbeds, batch.labels, batch.negativeInputIds, batch.negativeAttentionMask].filter((t): t is tf.Tensor => t !== undefined)]),
  };
}

/** The batch's images: `imageEmbeds` gathered from the cache, or `render()`'s images preprocessed as `pixelValues`. */
export function imageInput(
  o: { readonly imageProcessor: ImageProcessor; readonly imageEmbeds?: ImageEmbedsCache },
  render: () => RgbImage[],
  imageIndex: readonly number[],
): { pixelValues: tf.Tensor } | { imageEmbeds: tf.Tensor } {
  if (o.imageEmbeds) return { imageEmbeds: o.imageEmbeds.gather(imageIndex) };
  const px = o.imageProcessor.preprocess(render());
  return { pixelValues: tf.tensor(px.pixelValues, [...px.shape]) };
}
