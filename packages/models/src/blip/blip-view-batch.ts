import type * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import type { BlipConfig } from './blip-config.js';

/**
 * A retrieval batch: image i is paired with text i (ITM). Ids as the model expects them (BLIP's
 * own ITM code and MULTIFLOW's calibration put `[ENC]` in place of `[CLS]`).
 *
 * With `forward: 'itc'` the view runs the ITC forward instead: images and texts are encoded
 * independently (any numbers of rows, texts as tokenized with `[CLS]`), see {@link BlipRetrievalForward}.
 */
export interface BlipRetrievalBatch {
  /** `[B, 3, S, S]` float32 (the image processor's output); ITC: `[Bi, 3, S, S]`. */
  readonly pixelValues: tf.Tensor;
  /** `[B, T]` int ids; ITC: `[Bt, T]`. */
  readonly inputIds: tf.Tensor;
  /** `[B, T]` 0/1 (default all ones). */
  readonly attentionMask?: tf.Tensor;
  /** Which retrieval forward the view runs on this batch. Default `'itm'`. */
  readonly forward?: BlipRetrievalForward;
}

/**
 * The forwards of the retrieval view:
 * - `'itm'` (default): `forward(use_itm_head=True)`, image i ↔ text i cross-attending → `itm_score [B, 2]`;
 * - `'itc'`: `forward(use_itm_head=False)` — `image_feat = normalize(vision_proj(vision CLS))`
 *   `[Bi, H]`, `text_feat = normalize(text_proj(text-mode encoder CLS))` `[Bt, H]`,
 *   `itm_score = image_feat · text_featᵀ` `[Bi, Bt]` (cosine), `question_embeds` (text only) and
 *   the vision outputs. The text encoder runs without cross-attention, so the cross-attention units
 *   take no part (their gates have no effect, taps on them record nothing); vision gates act on
 *   `image_feat` only, text self-attention / MLP / layer gates on `text_feat` only.
 */
export type BlipRetrievalForward = 'itm' | 'itc';

/** A captioning batch: images and their captions, teacher forced (first token `[DEC]`). */
export interface BlipCaptionBatch {
  readonly pixelValues: tf.Tensor;
  /** `[B, T]` caption ids starting with `[DEC]` (bos_token_id). */
  readonly inputIds: tf.Tensor;
  readonly attentionMask?: tf.Tensor;
}

/** A VQA batch: images, questions (text encoder) and answers (decoder, first token `[DEC]`). */
export interface BlipVqaBatch {
  readonly pixelValues: tf.Tensor;
  /** Question ids `[B, Tq]`. */
  readonly inputIds: tf.Tensor;
  readonly attentionMask?: tf.Tensor;
  /** Answer ids `[B, Ta]` starting with `[DEC]`. */
  readonly decoderInputIds: tf.Tensor;
  readonly decoderAttentionMask?: tf.Tensor;
}

/** Any BLIP view batch. */
export type BlipViewBatch = BlipRetrievalBatch | BlipCaptionBatch | BlipVqaBatch;

function fail(message: string): never {
  throw new InvalidArgumentError({ message });
}

/** Checks `pixelValues [B, 3, S, S]`; returns B. */
export function checkBatchPixels(config: BlipConfig, pixelValues: tf.Tensor): number {
  const v = config.vision;
  const want = [v.numChannels, v.imageSize, v.imageSize];
  if (pixelValues.rank !== 4 || pixelValues.shape.slice(1).some((d, i) => d !== want[i])) {
    fail(`batch.pixelValues must be [batch, ${want.join(', ')}]; got [${pixelValues.shape.join(', ')}]. Use the model's image processor.`);
  }
  return pixelValues.shape[0] as number;
}

/** Checks ids `[batch, T]` (1 ≤ T ≤ max_position_embeddings) and their optional mask; returns T. */
export function checkBatchTokens(config: BlipConfig, ids: tf.Tensor, mask: tf.Tensor | undefined, batch: number, what: string): number {
  const max = config.text.maxPositionEmbeddings;
  const t = ids.shape[1] as number;
  if (ids.rank !== 2 || ids.shape[0] !== batch || t < 1 || t > max) {
    fail(`batch.${what} must be [${batch}, tokens] (one row per image) with 1 ≤ tokens ≤ ${max}; got [${ids.shape.join(', ')}].`);
  }
  if (mask && mask.shape.join() !== ids.shape.join()) {
    fail(`The mask of batch.${what} must be [${ids.shape.join(', ')}]; got [${mask.shape.join(', ')}].`);
  }
  return t;
}
