import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import type { BlipForConditionalGeneration } from './blip-caption-model.js';
import { describeBlipCaption } from './blip-caption-describe.js';
import { type EncTokenOption, resolveEncToken, withFirstToken } from './blip-enc-token.js';
import { BLIP_LM_LABEL_SMOOTHING } from './blip-lm-head.js';
import { type BlipImageInput, type DifferentiableOptions, gateOptions, imageFeed, keepOutputs } from './blip-loss-common.js';
import { labelFeeds } from './blip-model-base.js';
import { describeBlipVqa } from './blip-vqa-describe.js';
import type { BlipForQuestionAnswering } from './blip-vqa-model.js';

/** Options of the LM losses. */
export interface BlipLmLossOptions extends DifferentiableOptions {
  /** Label smoothing (default 0.1, hard-coded by transformers' `BlipTextLMHeadModel`). */
  readonly labelSmoothing?: number;
}

/** Options of {@link blipVqaLmLoss}. */
export interface BlipVqaLmLossOptions extends BlipLmLossOptions {
  /**
   * Replace the question's first token by `[ENC]` before encoding it, as the official BLIP VQA does
   * (`question.input_ids[:, 0] = enc_token_id`); default false: ids as given, as transformers.
   */
  readonly encToken?: EncTokenOption;
}

/** Inputs of the captioning LM loss (tensors stay owned by the caller); images as in {@link BlipImageInput}. */
export interface BlipCaptionLmBatch extends BlipImageInput {
  /** `[B, T]` ids starting with `[DEC]`. */
  readonly inputIds: tf.Tensor;
  readonly attentionMask?: tf.Tensor;
  /** `[B, T]` targets, −100 = ignored (default: `inputIds`, as `forward(labels=input_ids)`). */
  readonly labels?: tf.Tensor;
}

/** Inputs of the VQA LM loss (tensors stay owned by the caller); images as in {@link BlipImageInput}. */
export interface BlipVqaLmBatch extends BlipImageInput {
  /** Question ids `[B, Tq]`. */
  readonly inputIds: tf.Tensor;
  readonly attentionMask?: tf.Tensor;
  /** Answer ids `[B, Ta]` starting with `[DEC]`. */
  readonly decoderInputIds: tf.Tensor;
  readonly decoderAttentionMask?: tf.Tensor;
  /** `[B, Ta]` targets, −100 = ignored (default: `decoderInputIds`). */
  readonly labels?: tf.Tensor;
}

function smoothing(options: BlipLmLossOptions): number {
  const s = options.labelSmoothing ?? BLIP_LM_LABEL_SMOOTHING;
  if (!(s >= 0 && s < 1)) throw new InvalidArgumentError({ message: `labelSmoothing must be in [0, 1), got ${s}.` });
  return s;
}

function sameShape(a: tf.Tensor, b: tf.Tensor | undefined, what: string): void {
  if (b && a.shape.join() !== b.shape.join()) throw new InvalidArgumentError({ message: `${what} must be [${a.shape.join(', ')}]; got [${b.shape.join(', ')}].` });
}

/** Runs `fn` with the given tensors and disposes the ones created here (`created`) afterwards. */
function withCreated<T>(created: tf.Tensor[], fn: () => T): T {
  try {
    return fn();
  } finally {
    tf.dispose(created);
  }
}

/**
 * The captioning LM loss of `BlipForConditionalGeneration.forward(labels=…)` on the tfjs engine
 * (synchronous, differentiable): shifted cross-entropy with label smoothing, mean over every
 * non-ignored position (pads included unless labelled −100). The caller owns the result.
 */
export function blipCaptionLmLoss(model: BlipForConditionalGeneration, batch: BlipCaptionLmBatch, options: BlipLmLossOptions = {}): tf.Scalar {
  const tokens = batch.inputIds.shape[1] as number;
  sameShape(batch.inputIds, batch.attentionMask, 'attentionMask');
  sameShape(batch.inputIds, batch.labels, 'labels');
  const eps = smoothing(options);
  const image = imageFeed(model.config, batch);
  const mask = batch.attentionMask ?? tf.onesLike(batch.inputIds);
  const labels = labelFeeds(batch.labels ?? batch.inputIds);
  return withCreated([...Object.values(labels), ...(batch.attentionMask ? [] : [mask])], () => {
    const outputs = model.runner.runTfjs({
      key: `blip:caption:${tokens}:loss:${image.source}`,
      describe: (ctx) => describeBlipCaption(ctx, model.config, model.arch, tokens, eps, image.source),
      options: gateOptions(options),
      feeds: { ...image.feeds, input_ids: batch.inputIds, attention_mask: mask, ...labels },
      weights: options.weights,
      gates: options.gates,
    });
    keepOutputs(outputs, 'loss');
    return outputs.loss as tf.Scalar;
  });
}

/**
 * The VQA answer LM loss of `BlipForQuestionAnswering.forward(labels=…)` on the tfjs engine
 * (synchronous, differentiable): the answer decoder cross-attends the question embeddings with the
 * question mask; shifted cross-entropy with label smoothing, mean over non-ignored positions.
 * With `encToken` the question is encoded with `[ENC]` first (official BLIP; see {@link BlipVqaLmLossOptions}).
 */
export function blipVqaLmLoss(model: BlipForQuestionAnswering, batch: BlipVqaLmBatch, options: BlipVqaLmLossOptions = {}): tf.Scalar {
  const questionTokens = batch.inputIds.shape[1] as number;
  const answerTokens = batch.decoderInputIds.shape[1] as number;
  sameShape(batch.inputIds, batch.attentionMask, 'attentionMask');
  sameShape(batch.decoderInputIds, batch.decoderAttentionMask, 'decoderAttentionMask');
  sameShape(batch.decoderInputIds, batch.labels, 'labels');
  const eps = smoothing(options);
  const image = imageFeed(model.config, batch);
  const questionMask = batch.attentionMask ?? tf.onesLike(batch.inputIds);
  const answerMask = batch.decoderAttentionMask ?? tf.onesLike(batch.decoderInputIds);
  const labels = labelFeeds(batch.labels ?? batch.decoderInputIds);
  const questionIds = withFirstToken(batch.inputIds, resolveEncToken(model, options.encToken));
  const created = [...Object.values(labels), ...(batch.attentionMask ? [] : [questionMask]), ...(batch.decoderAttentionMask ? [] : [answerMask]), ...(questionIds === batch.inputIds ? [] : [questionIds])];
  return withCreated(created, () => {
    const outputs = model.runner.runTfjs({
      key: `blip:vqa:${questionTokens}:${answerTokens}:loss:${image.source}`,
      describe: (ctx) => describeBlipVqa(ctx, model.config, model.arch, questionTokens, answerTokens, eps, image.source),
      options: gateOptions(options),
      feeds: {
        ...image.feeds,
        input_ids: questionIds,
        attention_mask: questionMask,
        decoder_input_ids: batch.decoderInputIds,
        decoder_attention_mask: answerMask,
        ...labels,
      },
      weights: options.weights,
      gates: options.gates,
    });
    keepOutputs(outputs, 'loss');
    return outputs.loss as tf.Scalar;
  });
}
