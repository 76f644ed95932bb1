import * as tf from '@tensorflow/tfjs';
import { createRng, InvalidArgumentError } from '@vlp/core';
import { shapesVLSample, type ShapesVLSplit } from '@vlp/data';
import type { ImageProcessor, VlpTokenizer } from '@vlp/models';
import type { TrainData } from '@vlp/tasks';
import { hardNegativeCaption } from './hard-negative-caption.js';
import { disposeObjectTargets, type ObjectTargets, objectTargets } from './object-targets.js';

/** Captions per Shapes-VL image. */
export const CAPTIONS_PER_IMAGE = 5;

/**
 * One batch of matching image–caption pairs (image i ↔ caption i), what `ClipModel.contrastiveLoss`
 * takes; with hard negatives `inputIds` has twice as many rows as there are images.
 */
export interface ClipPairBatch {
  readonly pixelValues: tf.Tensor;
  readonly inputIds: tf.Tensor;
  readonly attentionMask: tf.Tensor;
  /** `[B]` int32: each image's class (main object's colour + shape, index into `shapesVLClasses()`). */
  readonly labels: tf.Tensor1D;
  /** With `objectGrid`: every object's centre token and attributes (see `objectTargets`). */
  readonly objects?: ObjectTargets;
}

/** Options of {@link shapesVLPairData}. */
export interface ShapesVLPairDataOptions {
  readonly tokenizer: VlpTokenizer;
  readonly imageProcessor: ImageProcessor;
  /** Images of the split to draw from (indices 0 … images − 1). */
  readonly images: number;
  /** Image side in pixels (the model's `image_size`). */
  readonly size: number;
  /** Shapes-VL dataset seed (default 0, the seed of the standard test split). */
  readonly datasetSeed?: number;
  /** Default `'train'`. */
  readonly split?: ShapesVLSplit;
  /**
   * Append one hard-negative caption per pair after the batch's captions (`inputIds` gets 2·B rows:
   * B true captions, then B captions with one attribute changed, see `hardNegativeCaption`), which
   * `ClipModel.contrastiveLoss` takes as extra negatives. The negative of pair `p` is drawn from
   * `createRng(negativeSeed).split(p)`, so it is the same whenever the pair is visited. Default false.
   */
  readonly hardNegatives?: boolean;
  /** Seeds the hard negatives (default 0). */
  readonly negativeSeed?: number;
  /**
   * Fraction of the hard negatives that change a position phrase or a relation instead of a colour
   * or shape (`hardNegativeCaption`'s `spatial`; default 0).
   */
  readonly spatialNegatives?: number;
  /**
   * Patches per side of the vision tower the batches are for: each batch then carries `objects`,
   * every object's centre token and its colour, shape, size and grid cell (`objectTargets`).
   * Default: no object targets.
   */
  readonly objectGrid?: number;
}

/**
 * Image–caption pairs of a Shapes-VL split as trainer data: pair `p` is image `⌊p / 5⌋` with its
 * caption `p mod 5`, so the trainer's seeded order over `images × 5` pairs decides which caption
 * each image comes with at each visit. `collate` renders the images and tokenizes the captions
 * (padded to the tokenizer's `maxLength`); `release` disposes the batch.
 */
export function shapesVLPairData(o: ShapesVLPairDataOptions): TrainData<ClipPairBatch> {
  if (!Number.isInteger(o.images) || o.images < 1) throw new InvalidArgumentError({ message: `images must be a positive integer, got ${o.images}.`, actual: o.images });
  if (o.objectGrid !== undefined && (!Number.isInteger(o.objectGrid) || o.objectGrid < 1)) {
    throw new InvalidArgumentError({ message: `objectGrid must be a positive integer (patches per side), got ${o.objectGrid}.`, actual: o.objectGrid });
  }
  const split = o.split ?? 'train';
  const seed = o.datasetSeed ?? 0;
  return {
    size: o.images * CAPTIONS_PER_IMAGE,
    collate(indices) {
      const samples = indices.map((p) => ({ sample: shapesVLSample(seed, split, Math.floor(p / CAPTIONS_PER_IMAGE), o.size), caption: p % CAPTIONS_PER_IMAGE }));
      const px = o.imageProcessor.preprocess(samples.map((s) => s.sample.image));
      const captions = samples.map((s) => s.sample.captions[s.caption] as string);
      if (o.hardNegatives) {
        const rng = createRng(o.negativeSeed ?? 0);
        indices.forEach((p, i) => captions.push(hardNegativeCaption(captions[i] as string, samples[i]!.sample.objects, rng.split(`pair-${p}`), o.spatialNegatives ?? 0)));
      }
      const enc = o.tokenizer.encode(captions, { padding: 'max_length', truncation: true });
      return {
        pixelValues: tf.tensor(px.pixelValues, [...px.shape]),
        inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'),
        attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32'),
        labels: tf.tensor1d(samples.map((s) => s.sample.label.classIndex), 'int32'),
        ...(o.objectGrid === undefined ? {} : { objects: objectTargets(samples.map((s) => s.sample.objects), o.objectGrid) }),
      };
    },
    release: (batch) => {
      tf.dispose([batch.pixelValues, batch.inputIds, batch.attentionMask, batch.labels]);
      if (batch.objects) disposeObjectTargets(batch.objects);
    },
  };
}
