import * as tf from '@tensorflow/tfjs';
import type { TapSpec } from '@vlp/core';
import { type BatchForward, ModelView, type ViewAdapter } from '../view/model-view.js';
import { describeClip } from './clip-describe.js';
import type { ClipModel } from './clip-model.js';
import { clipViewLayout } from './clip-view-layout.js';

/** A CLIP batch: images and texts (any counts), as the model's processors produce them. */
export interface ClipBatch {
  readonly pixelValues: tf.Tensor;
  readonly inputIds: tf.Tensor;
  readonly attentionMask?: tf.Tensor;
}

/** The prunable view of a CLIP model: units q, k, v, out, fc1, fc2 of both towers. */
export function clipView(model: ClipModel): ModelView<ClipBatch> {
  const { units, structures } = clipViewLayout(model.arch);
  const vision = model.config.vision;
  const imageTokens = (vision.imageSize / vision.patchSize) ** 2 + 1;
  const adapter: ViewAdapter<ClipBatch> = {
    architecture: 'clip',
    modalities: ['vision', 'text'],
    units,
    structures,
    runner: model.runner,
    forward(batch: ClipBatch): BatchForward {
      const tokens = batch.inputIds.shape[1] as number;
      const mask = batch.attentionMask ?? batch.inputIds.onesLike();
      return {
        key: `clip:full:${tokens}`,
        describe: (ctx) => describeClip(ctx, model.config, model.arch, tokens),
        feeds: { pixel_values: batch.pixelValues, input_ids: batch.inputIds, attention_mask: mask },
        release: () => {
          if (!batch.attentionMask) mask.dispose();
        },
      };
    },
    tapCounts(batch: ClipBatch, tap: TapSpec) {
      const images = batch.pixelValues.shape[0] as number;
      const texts = batch.inputIds.shape[0] as number;
      const tokens = batch.inputIds.shape[1] as number;
      const name = 'unit' in tap ? tap.unit : tap.blockId;
      if (name.startsWith('vision')) return { tokens: images * imageTokens, sequences: images };
      if (name === 'visual_projection.weight') return { tokens: images, sequences: images };
      if (name === 'text_projection.weight') return { tokens: texts, sequences: texts };
      const valid = 'tokens' in tap && tap.tokens === 'valid' && batch.attentionMask;
      return { tokens: valid ? Math.round(tf.tidy(() => (batch.attentionMask as tf.Tensor).sum().arraySync() as number)) : texts * tokens, sequences: texts };
    },
  };
  return new ModelView(adapter);
}
