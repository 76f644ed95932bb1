import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, type Modality, type TapSpec } from '@vlp/core';
import { type BatchForward, ModelView, type ViewAdapter } from '../view/model-view.js';
import type { BlipForConditionalGeneration } from './blip-caption-model.js';
import { describeBlipCaption } from './blip-caption-describe.js';
import type { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { describeBlipItc, describeBlipItm } from './blip-retrieval-describe.js';
import { blipImageTokens } from './blip-vision-describe.js';
import {
  type BlipCaptionBatch,
  type BlipRetrievalBatch,
  type BlipViewBatch,
  type BlipVqaBatch,
  checkBatchPixels,
  checkBatchTokens,
} from './blip-view-batch.js';
import { type BlipViewOptions, blipViewLayout } from './blip-view-layout.js';
import { describeBlipVqa } from './blip-vqa-describe.js';
import type { BlipForQuestionAnswering } from './blip-vqa-model.js';
import type { BlipModel } from './load-blip.js';

/**
 * Which rows feed a tap: image tokens (unweighted), the text encoder's tokens (`attentionMask`),
 * the decoder's tokens (`attentionMask` for captioning, `decoderAttentionMask` for VQA), or the
 * question tokens the VQA decoder's cross-attention keys/values read (`attentionMask`).
 */
type RowSource = 'image' | 'text' | 'decoder' | 'question';

/** The rows a unit of `tower` with `role` reads. */
function unitSource(tower: 'vision' | 'text' | 'decoder', role: string, vqa: boolean): RowSource {
  if (tower === 'vision') return 'image';
  if (role !== 'cross.k' && role !== 'cross.v') return tower;
  // Cross-attention keys/values read the image, except in the VQA decoder, which reads the question.
  return tower === 'decoder' && vqa ? 'question' : 'image';
}

/** Row source of every unit (by name) and block (by id) of `model`. */
function rowSources(model: BlipModel, units: readonly { name: string; blockId: string; role: string }[]): Map<string, RowSource> {
  const sources = new Map<string, RowSource>();
  for (const u of units) {
    const tower = u.blockId.split('.')[0] as 'vision' | 'text' | 'decoder';
    sources.set(u.name, unitSource(tower, u.role, model.task === 'vqa'));
    sources.set(u.blockId, tower === 'vision' ? 'image' : tower);
  }
  return sources;
}

/** The mask feed of one text input: `mask`, or an all-ones mask added to `owned` (released after the run). */
function maskFeed(ids: tf.Tensor, mask: tf.Tensor | undefined, owned: tf.Tensor[]): tf.Tensor {
  if (mask) return mask;
  const ones = tf.onesLike(ids);
  owned.push(ones);
  return ones;
}

/** A retrieval batch with an explicit `forward`: the ITM forward, or the ITC forward (independent rows). */
function retrievalForward(model: BlipModel, batch: BlipRetrievalBatch, images: number): BatchForward {
  const { config, arch } = model;
  const forward = batch.forward;
  if (forward !== 'itm' && forward !== 'itc') {
    throw new InvalidArgumentError({ message: `batch.forward must be 'itm' or 'itc'; got ${JSON.stringify(forward)}.` });
  }
  const texts = forward === 'itc' ? (batch.inputIds.shape[0] as number) : images;
  const tokens = checkBatchTokens(config, batch.inputIds, batch.attentionMask, texts, 'inputIds');
  const owned: tf.Tensor[] = [];
  const feeds = { pixel_values: batch.pixelValues, input_ids: batch.inputIds, attention_mask: maskFeed(batch.inputIds, batch.attentionMask, owned) };
  const describe = forward === 'itc' ? describeBlipItc : describeBlipItm;
  return { key: `blip-view:${forward}:${tokens}`, describe: (ctx) => describe(ctx, config, arch, tokens), feeds, release: () => tf.dispose(owned) };
}

function forwardFor(model: BlipModel, batch: BlipViewBatch): BatchForward {
  const { config, arch } = model;
  const images = checkBatchPixels(config, batch.pixelValues);
  if (model.task === 'retrieval' && (batch as BlipRetrievalBatch).forward !== undefined) return retrievalForward(model, batch as BlipRetrievalBatch, images);
  const tokens = checkBatchTokens(config, batch.inputIds, batch.attentionMask, images, 'inputIds');
  const vqa = model.task === 'vqa' ? (batch as BlipVqaBatch) : undefined;
  const answers = vqa ? checkBatchTokens(config, vqa.decoderInputIds, vqa.decoderAttentionMask, images, 'decoderInputIds') : 0;
  const owned: tf.Tensor[] = [];
  const release = () => tf.dispose(owned);
  const base = { pixel_values: batch.pixelValues, input_ids: batch.inputIds, attention_mask: maskFeed(batch.inputIds, batch.attentionMask, owned) };
  if (model.task === 'retrieval') {
    return { key: `blip-view:itm:${tokens}`, describe: (ctx) => describeBlipItm(ctx, config, arch, tokens), feeds: base, release };
  }
  if (!vqa) {
    return { key: `blip-view:caption:${tokens}`, describe: (ctx) => describeBlipCaption(ctx, config, arch, tokens, null), feeds: base, release };
  }
  return {
    key: `blip-view:vqa:${tokens}:${answers}`,
    describe: (ctx) => describeBlipVqa(ctx, config, arch, tokens, answers, null),
    feeds: { ...base, decoder_input_ids: vqa.decoderInputIds, decoder_attention_mask: maskFeed(vqa.decoderInputIds, vqa.decoderAttentionMask, owned) },
    release,
  };
}

/** Sum of a 0/1 mask (the valid tokens). */
function validTokens(mask: tf.Tensor): number {
  return Math.round(tf.tidy(() => mask.sum().arraySync() as number));
}

/**
 * The prunable view of a BLIP head class (see {@link blipViewLayout} for units, structures and
 * modalities). `run(batch, { taps, gates, weights, engine })` runs the forward MULTIFLOW's
 * calibration runs for BLIP — the vision tower, the text encoder with cross-attention to the image
 * and, for classes that have one, the teacher-forced decoder:
 *
 * - retrieval (`blip-itm`, {@link BlipRetrievalBatch}): the ITM forward (image i ↔ text i) →
 *   `itm_score [B, 2]`, `question_embeds`, `vision_model.last_hidden_state` / `pooler_output`;
 *   with `batch.forward: 'itc'` the ITC forward (images and texts independently) →
 *   `image_feat [Bi, H]`, `text_feat [Bt, H]` (normalised projections of the two CLS rows),
 *   `itm_score [Bi, Bt]` (their cosine), `question_embeds` (text only) and the vision outputs;
 * - captioning (`blip-caption`, {@link BlipCaptionBatch}): vision + decoder cross-attending every
 *   image token → `logits [B, T, vocab]` + the vision outputs;
 * - VQA (`blip-vqa`, {@link BlipVqaBatch}): vision + question encoder + answer decoder cross-attending
 *   the question (with its mask) → `answer_logits`, `question_embeds` + the vision outputs.
 *
 * Taps on text-token inputs are weighted by the valid-token mask of their text (when a tap asks for
 * `tokens: 'valid'`; pooled block outputs always average valid tokens); taps on image-token inputs
 * (vision units, the cross-attention keys/values reading the image) are unweighted. `tapCounts`
 * report the rows and sequences that fed each tap accordingly. The ids are used as given: put
 * `[ENC]` / `[DEC]` first where the checkpoint expects it.
 */
export function blipView(model: BlipForImageTextRetrieval, options?: BlipViewOptions): ModelView<BlipRetrievalBatch>;
export function blipView(model: BlipForConditionalGeneration, options?: BlipViewOptions): ModelView<BlipCaptionBatch>;
export function blipView(model: BlipForQuestionAnswering, options?: BlipViewOptions): ModelView<BlipVqaBatch>;
export function blipView(model: BlipModel, options?: BlipViewOptions): ModelView<BlipViewBatch>;
export function blipView(model: BlipModel, options: BlipViewOptions = {}): ModelView<BlipViewBatch> {
  const { units, structures } = blipViewLayout(model.arch, options);
  const sources = rowSources(model, units);
  const imageTokens = blipImageTokens(model.config.vision);
  const modalities: Modality[] = options.fusionAs === 'text' ? ['vision', 'text'] : ['vision', 'text', 'fusion'];
  const adapter: ViewAdapter<BlipViewBatch> = {
    architecture: model.task === 'retrieval' ? 'blip-itm' : model.task === 'captioning' ? 'blip-caption' : 'blip-vqa',
    modalities,
    units,
    structures,
    runner: model.runner,
    forward: (batch) => forwardFor(model, batch),
    tapCounts(batch: BlipViewBatch, tap: TapSpec) {
      const images = batch.pixelValues.shape[0] as number;
      const source = sources.get('unit' in tap ? tap.unit : tap.blockId) ?? 'image';
      if (source === 'image') return { tokens: images * imageTokens, sequences: images };
      const vqa = model.task === 'vqa' && source === 'decoder';
      const ids = vqa ? (batch as BlipVqaBatch).decoderInputIds : batch.inputIds;
      const mask = vqa ? (batch as BlipVqaBatch).decoderAttentionMask : batch.attentionMask;
      const weighted = tap.kind === 'block-output-pooled' || ('tokens' in tap && tap.tokens === 'valid');
      return { tokens: weighted && mask ? validTokens(mask) : ids.size, sequences: ids.shape[0] as number };
    },
  };
  return new ModelView(adapter);
}
