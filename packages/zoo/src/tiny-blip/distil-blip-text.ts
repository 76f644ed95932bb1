import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { shapesVLAnnotations } from '@vlp/data';
import { BLIP_ITC_TEMPERATURE, type BlipForImageTextRetrieval, type ClipModel } from '@vlp/models';
import { type TrainData, type TrainResult, train } from '@vlp/tasks';
import { type StageTrainOptions, stageTrainerOptions } from '../training/stage-options.js';
import type { BlipPairBatch } from './blip-caption-data.js';

/** Captions per Shapes-VL image. */
const CAPTIONS = 5;

/** Options of {@link distilBlipText}: the stage's schedule and checkpoints. */
export type DistilBlipTextOptions = StageTrainOptions;

type TextBatch = BlipPairBatch & { readonly clipIds: tf.Tensor2D; readonly clipMask: tf.Tensor2D };

/**
 * Trains the ITC text side of a BLIP retrieval model (`text_encoder.*` and `text_proj.*`; the vision
 * tower and `vision_proj` stay fixed) toward a CLIP model's text features, with the `@vlp/tasks`
 * trainer: BLIP's ITC loss (temperature 0.07, captions of the same image are positives) on the
 * batch's image–caption pairs (`data`, image embeddings or pixels; one text pass gives both terms) plus the squared distance between the BLIP and CLIP
 * normalised text features of each caption (CLIP's text tower on ONNX Runtime, the caption
 * tokenized for it). With a vision tower started from the same CLIP's (`blipVisionFromClip`,
 * `vision_proj` = `visual_projection`), the two models' image features already agree, so the
 * target puts BLIP's captions where CLIP's are.
 */
export async function distilBlipText(model: BlipForImageTextRetrieval, clip: ClipModel, data: TrainData<BlipPairBatch>, o: DistilBlipTextOptions): Promise<TrainResult> {
  const tokenizer = clip.tokenizer;
  if (!tokenizer) throw new InvalidArgumentError({ message: 'The CLIP model has no tokenizer: load it with its tokenizer files.' });
  const withClip: TrainData<TextBatch> = {
    size: data.size,
    collate(indices) {
      const batch = data.collate(indices);
      const captions = indices.map((p) => shapesVLAnnotations(0, 'train', Math.floor(p / CAPTIONS)).captions[p % CAPTIONS] as string);
      const enc = tokenizer.encode(captions, { padding: 'max_length', truncation: true });
      return { ...batch, clipIds: tf.tensor2d(enc.inputIds, undefined, 'int32'), clipMask: tf.tensor2d(enc.attentionMask, undefined, 'int32') };
    },
    release(batch) {
      data.release?.(batch);
      tf.dispose([batch.clipIds, batch.clipMask]);
    },
  };
  const width = model.config.imageTextHiddenSize;
  // the image side is fixed in this stage: normalize(vision_proj(image_embeds[:, 0])) from the batch's images
  const projection = tf.tensor2d(model.params.get('vision_proj.weight').data, [width, model.config.vision.hiddenSize]);
  const bias = tf.tensor1d(model.params.get('vision_proj.bias').data);
  const imageFeatures = (batch: BlipPairBatch): tf.Tensor2D =>
    tf.tidy(() => {
      const embeds = batch.imageEmbeds ?? model.differentiableVision(batch.pixelValues as tf.Tensor).lastHiddenState;
      const n = embeds.shape[0] as number;
      const f = tf.add(tf.matMul(tf.reshape(tf.slice(embeds, [0, 0, 0], [n, 1, -1]), [n, -1]), projection, false, true), bias);
      return tf.div(f, tf.norm(f, 'euclidean', -1, true)) as tf.Tensor2D;
    });
  try {
    return await train({
      params: model.params,
      trainable: model.params.names().filter((n) => n.startsWith('text_encoder.') || n.startsWith('text_proj.')),
      forward(batch, weights) {
        const text = model.differentiableTextFeatures(batch.inputIds, batch.attentionMask, { weights });
        const loss = tf.tidy(() => {
          const sim = tf.div(tf.matMul(imageFeatures(batch), text, false, true), BLIP_ITC_TEMPERATURE) as tf.Tensor2D;
          const same = batch.imageIndex.map((a) => batch.imageIndex.map((b): number => (a === b ? 1 : 0)));
          const targets = tf.div(tf.tensor2d(same), tf.sum(tf.tensor2d(same), 1, true)) as tf.Tensor2D;
          const ce = (logits: tf.Tensor2D, t: tf.Tensor2D) => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), t), 1)));
          return tf.div(tf.add(ce(sim, targets), ce(sim.transpose(), targets.transpose())), 2) as tf.Scalar;
        });
        return { loss, outputs: { text_feat: text } };
      },
      distill: {
        async teacher(batch) {
          const f = await clip.getTextFeatures(batch.clipIds, batch.clipMask, { engine: 'onnx' });
          const normed = tf.tidy(() => tf.div(f, tf.norm(f, 'euclidean', -1, true)));
          f.dispose();
          return { text_feat: normed };
        },
        // mean over the H dimensions × H: the squared distance of the two unit vectors, 2 − 2·cos
        terms: [{ output: 'text_feat', kind: 'mse', weight: width }],
      },
      data: withClip,
      ...stageTrainerOptions(o),
    });
  } finally {
    tf.dispose([projection, bias]);
  }
}
