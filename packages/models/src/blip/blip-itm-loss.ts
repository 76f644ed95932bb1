import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, type SeedLike, createRng } from '@vlp/core';
import { type EncTokenOption, resolveEncToken, withFirstToken } from './blip-enc-token.js';
import { mineHardNegatives } from './blip-hard-negatives.js';
import { BLIP_ITC_TEMPERATURE } from './blip-itc-loss.js';
import { describeBlipItmPairs } from './blip-itm-describe.js';
import { type BlipImageInput, type DifferentiableOptions, crossEntropy, gateOptions, imageFeed, keepOutputs } from './blip-loss-common.js';
import { describeBlipItc } from './blip-retrieval-describe.js';
import type { BlipForImageTextRetrieval } from './blip-retrieval-model.js';

/**
 * Inputs of the ITM loss (tensors stay owned by the caller): `[Bi, 3, S, S]` images as
 * `pixelValues`, or their precomputed `imageEmbeds [Bi, tokens, D]` (see {@link BlipImageInput}).
 */
export interface BlipItmLossBatch extends BlipImageInput {
  /** `[Bt, T]` text ids (`[CLS] … [SEP] [PAD]…`; see `encToken`). */
  readonly inputIds: tf.Tensor;
  /** `[Bt, T]` 0/1 (default all ones). */
  readonly attentionMask?: tf.Tensor;
  /** Given pairs: per text, 1 when it matches its image, 0 when not. Not with `hardNegatives`. */
  readonly labels?: readonly number[];
  /** Given pairs: the image each text is paired with (default text i ↔ image i). */
  readonly imageIndex?: readonly number[];
}

/** BLIP's hard-negative mining for the ITM loss. */
export interface HardNegativeOptions {
  /** Seed of the negative draws. */
  readonly seed: SeedLike;
  /** ITC temperature of the sampling weights (official default 0.07; HF checkpoints hold no `temp`). */
  readonly temperature?: number;
  /** Pairs with equal ids (e.g. one image id per COCO image) are never drawn as each other's negative. */
  readonly groupIds?: readonly number[];
}

/** Options of the ITM loss. */
export interface BlipItmLossOptions extends DifferentiableOptions {
  /** Replace the first text token by `[ENC]` as the official BLIP code does (default false: ids as given, as HF). */
  readonly encToken?: EncTokenOption;
  /** Mine one hard negative image per text and one hard negative text per image (batch = B matching pairs). */
  readonly hardNegatives?: HardNegativeOptions;
}

interface Pairs {
  readonly textIndex: number[];
  readonly imageIndex: number[];
  readonly labels: number[];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The B positive pairs, then (text b, negative image), then (negative text, image b), as BLIP orders them. */
function minedPairs(model: BlipForImageTextRetrieval, batch: BlipItmLossBatch, mask: tf.Tensor, options: BlipItmLossOptions, hard: HardNegativeOptions): Pairs {
  const image = imageFeed(model.config, batch);
  const n = image.count;
  if ((batch.inputIds.shape[0] as number) !== n || batch.labels || batch.imageIndex) {
    throw new InvalidArgumentError({ message: 'ITM hard-negative mining takes B matching pairs (image i ↔ text i) and no labels / imageIndex.' });
  }
  const tokens = batch.inputIds.shape[1] as number;
  const feats = tf.tidy(() => {
    const out = model.runner.runTfjs({
      key: `blip:itc:${tokens}:${image.source}`,
      describe: (ctx) => describeBlipItc(ctx, model.config, model.arch, tokens, image.source),
      options: gateOptions(options),
      feeds: { ...image.feeds, input_ids: batch.inputIds, attention_mask: mask },
      weights: options.weights,
      gates: options.gates,
    });
    return { image: (out.image_feat as tf.Tensor).arraySync() as number[][], text: (out.text_feat as tf.Tensor).arraySync() as number[][] };
  });
  const negatives = mineHardNegatives(feats.image, feats.text, {
    temperature: hard.temperature ?? BLIP_ITC_TEMPERATURE,
    rng: createRng(hard.seed),
    groupIds: hard.groupIds,
  });
  return {
    textIndex: [...range(n), ...range(n), ...negatives.textForImage],
    imageIndex: [...range(n), ...negatives.imageForText, ...range(n)],
    labels: [...new Array<number>(n).fill(1), ...new Array<number>(2 * n).fill(0)],
  };
}

function givenPairs(batch: BlipItmLossBatch, images: number): Pairs {
  const texts = batch.inputIds.shape[0] as number;
  if (!batch.labels) throw new InvalidArgumentError({ message: 'The ITM loss needs labels (1 = match, 0 = no match per text) or hardNegatives.' });
  const imageIndex = batch.imageIndex ? [...batch.imageIndex] : range(texts);
  if (!batch.imageIndex && images !== texts) {
    throw new InvalidArgumentError({ message: `Without imageIndex the ITM loss pairs text i with image i; got ${images} images and ${texts} texts.` });
  }
  if (imageIndex.length !== texts || imageIndex.some((i) => !Number.isInteger(i) || i < 0 || i >= images)) {
    throw new InvalidArgumentError({ message: `imageIndex must give one image in 0..${images - 1} per text (${texts}); got [${imageIndex.join(', ')}].` });
  }
  if (batch.labels.length !== texts || batch.labels.some((l) => l !== 0 && l !== 1)) {
    throw new InvalidArgumentError({ message: `labels must hold one 0/1 per text (${texts}); got [${batch.labels.join(', ')}].` });
  }
  return { textIndex: range(texts), imageIndex, labels: [...batch.labels] };
}

/**
 * The ITM loss on the tfjs engine (synchronous, differentiable): cross-entropy of `itm_head`'s
 * 2-way logits — text encoder cross-attending the paired image's tokens — against match labels
 * (mean over pairs). Pairs are given (`labels`, `imageIndex`) or mined as `BLIP_Retrieval` does
 * (`hardNegatives`: B positives + B negative images + B negative texts, labels 1/0/0). The caller
 * owns the result: `tf.grad((w) => blipItmLoss(model, batch, { weights: { [name]: w } }))`.
 */
export function blipItmLoss(model: BlipForImageTextRetrieval, batch: BlipItmLossBatch, options: BlipItmLossOptions = {}): tf.Scalar {
  if (model.arch.textEncoder?.layers.some((l) => !l.cross)) {
    throw new InvalidArgumentError({ message: 'The ITM loss needs cross-attention in the text encoder, but text_config.is_decoder is false.' });
  }
  const tokens = batch.inputIds.shape[1] as number;
  const mask = batch.attentionMask ?? tf.onesLike(batch.inputIds);
  const enc = resolveEncToken(model, options.encToken);
  const image = imageFeed(model.config, batch);
  const ids = withFirstToken(batch.inputIds, enc);
  try {
    const pairs = options.hardNegatives ? minedPairs(model, batch, mask, options, options.hardNegatives) : givenPairs(batch, image.count);
    const feeds = tf.tidy(() => {
      const index = tf.tensor1d(pairs.textIndex, 'int32');
      return { input_ids: tf.gather(ids, index), attention_mask: tf.gather(mask, index), image_index: tf.tensor1d(pairs.imageIndex, 'int32') };
    });
    try {
      const outputs = model.runner.runTfjs({
        key: `blip:itm-pairs:${tokens}:${image.source}`,
        describe: (ctx) => describeBlipItmPairs(ctx, model.config, model.arch, tokens, image.source),
        options: gateOptions(options),
        feeds: { ...image.feeds, ...feeds },
        weights: options.weights,
        gates: options.gates,
      });
      keepOutputs(outputs, 'itm_logits');
      const logits = outputs.itm_logits as tf.Tensor2D;
      const loss = crossEntropy(logits, pairs.labels);
      logits.dispose();
      return loss;
    } finally {
      tf.dispose(Object.values(feeds));
    }
  } finally {
    if (ids !== batch.inputIds) ids.dispose();
    if (!batch.attentionMask) mask.dispose();
  }
}
