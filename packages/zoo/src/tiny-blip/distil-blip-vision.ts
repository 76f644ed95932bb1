import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { shapesVLClasses } from '@vlp/data';
import { type BlipModel, type ClipModel, describeClipVision, type ImageProcessor } from '@vlp/models';
import { type DistillTerm, type TrainResult, train } from '@vlp/tasks';
import { type StageTrainOptions, stageTrainerOptions } from '../training/stage-options.js';
import { clipLogitsFromFeatures } from '../tiny-clip/clip-logits-from-features.js';
import { labelPrompts, tinyClipLossFromLogits } from '../tiny-clip/label-prompt-loss.js';
import { shapesVLPairData } from '../tiny-clip/shapes-vl-pairs.js';
import { objectHeadLoss, withObjectHead } from '../training/object-head.js';

/** Options of {@link distilBlipVision}. */
export interface DistilBlipVisionOptions extends StageTrainOptions {
  readonly imageProcessor: ImageProcessor;
  /** Shapes-VL train images to draw from (indices 0 … images − 1). */
  readonly images: number;
  readonly size: number;
  /**
   * Weight of the contrastive term next to the hidden-state terms (0 = distillation alone): the
   * tiny-clip loss (InfoNCE over the batch's captions + the image–label term over the class prompts)
   * of the BLIP tower's image features against the frozen CLIP text tower, at CLIP's temperature.
   */
  readonly contrastiveWeight: number;
  /**
   * Weight of the auxiliary object term (0 = none, the default): a linear head, trained with the
   * tower and then dropped, classifies every object's colour, shape, size and grid cell from the
   * `last_hidden_state` token under its centre (`objectHeadLoss`).
   */
  readonly objectWeight?: number;
}

/** The output names compared: the embeddings, every layer's output, and the post-LayerNorm last hidden state. */
function outputNames(layers: number): string[] {
  return [...Array.from({ length: layers + 1 }, (_, i) => `hidden_states.${i}`), 'last_hidden_state'];
}

/**
 * Distils a CLIP vision tower into a BLIP vision tower of the same geometry (started by
 * `blipVisionFromClip`) with the `@vlp/tasks` trainer, `vision_model.*` and `vision_proj.*`
 * trainable: mean squared error between the two towers' hidden states — the (CLIP:
 * pre-LayerNormed) embeddings, every layer's output, and `post_layernorm` of the last one over every
 * token (CLIP applies it to the class token only; BLIP's heads read every token), equal weights —
 * plus `contrastiveWeight` × the contrastive term (see the option) on Shapes-VL image–caption pairs
 * (pair `p`: image `⌊p/5⌋`, caption `p mod 5`, tokenized for CLIP). The teacher tower runs on ONNX
 * Runtime; the frozen CLIP text tower on tfjs. The towers differ only in CLIP's `pre_layrnorm`,
 * which BLIP lacks.
 */
export async function distilBlipVision(blip: BlipModel, clip: ClipModel, o: DistilBlipVisionOptions): Promise<TrainResult> {
  const layers = blip.config.vision.numHiddenLayers;
  if (clip.config.vision.numHiddenLayers !== layers) throw new InvalidArgumentError({ message: `The towers differ in depth: BLIP ${layers}, CLIP ${clip.config.vision.numHiddenLayers} layers.` });
  const names = outputNames(layers);
  const terms: DistillTerm[] = names.map((output) => ({ output, kind: 'mse', weight: 1 }));
  const gamma = tf.tensor1d(clip.params.get('vision_model.post_layernorm.weight').data);
  const beta = tf.tensor1d(clip.params.get('vision_model.post_layernorm.bias').data);
  const eps = clip.arch.vision.eps;
  const tokenizer = clip.tokenizer;
  if (!tokenizer) throw new InvalidArgumentError({ message: 'The CLIP model has no tokenizer: load it with its tokenizer files.' });
  const prompts = labelPrompts(tokenizer, shapesVLClasses(), 'a photo of a {}.');
  const promptFeatures = clip.differentiableTextFeatures(prompts.inputIds, prompts.attentionMask);
  const logitScale = tf.scalar(clip.params.get('logit_scale').data[0] as number);
  const objectWeight = o.objectWeight ?? 0;
  if (!(objectWeight >= 0)) throw new InvalidArgumentError({ message: `objectWeight must be ≥ 0, got ${objectWeight}.`, actual: objectWeight });
  const tower = (n: string) => n.startsWith('vision_model.') || n.startsWith('vision_proj.');
  // With the object term the head trains beside the tower in a store of its own; the tower's values go back to `blip` after.
  const params = objectWeight > 0 ? withObjectHead(blip.params, blip.config.vision.hiddenSize, o.seed) : blip.params;
  const grid = blip.config.vision.imageSize / blip.config.vision.patchSize;
  try {
    const result = await train({
      params,
      trainable: params.names().filter((n) => tower(n) || (objectWeight > 0 && n.startsWith('object_head.'))),
      forward(batch, weights) {
        const out = blip.differentiableVision(batch.pixelValues, { weights, hiddenStates: true });
        const outputs: Record<string, tf.Tensor> = { last_hidden_state: out.lastHiddenState };
        out.hiddenStates.forEach((h, i) => (outputs[`hidden_states.${i}`] = h));
        if (o.contrastiveWeight === 0 && objectWeight === 0) return { outputs };
        const loss = tf.tidy(() => {
          const object = objectWeight > 0 && batch.objects ? tf.mul(objectHeadLoss(out.lastHiddenState, batch.objects, weights), objectWeight) : tf.scalar(0);
          if (o.contrastiveWeight === 0) return object as tf.Scalar;
          const n = batch.pixelValues.shape[0] as number;
          const cls = tf.reshape(tf.slice(out.lastHiddenState, [0, 0, 0], [n, 1, -1]), [n, -1]);
          const w = weights['vision_proj.weight'] as tf.Tensor;
          const imageFeatures = tf.add(tf.matMul(cls, w, false, true), weights['vision_proj.bias'] as tf.Tensor) as tf.Tensor2D;
          const captions = clip.differentiableTextFeatures(batch.inputIds, batch.attentionMask);
          const logits = clipLogitsFromFeatures(tf.concat([captions, promptFeatures]) as tf.Tensor2D, imageFeatures, logitScale);
          return tf.add(tf.mul(tinyClipLossFromLogits(logits, n, batch.labels, 1), o.contrastiveWeight), object) as tf.Scalar;
        });
        return { loss, outputs };
      },
      distill: {
        async teacher(batch) {
          const { outputs } = await clip.runner.run({
            key: 'clip:vision:hidden-states',
            describe: (ctx) => void describeClipVision(ctx, clip.config, clip.arch),
            options: { hiddenStates: true },
            feeds: { pixel_values: batch.pixelValues },
            engine: 'onnx',
          });
          const teacher: Record<string, tf.Tensor> = {};
          for (let i = 0; i <= layers; i++) teacher[`hidden_states.${i}`] = outputs[`vision_model.hidden_states.${i}`] as tf.Tensor;
          teacher.last_hidden_state = tf.tidy(() => {
            const x = outputs[`vision_model.hidden_states.${layers}`] as tf.Tensor;
            const { mean, variance } = tf.moments(x, -1, true);
            return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
          });
          const kept = new Set(Object.values(teacher));
          for (const t of Object.values(outputs)) if (!kept.has(t)) t.dispose();
          return teacher;
        },
        terms,
      },
      data: shapesVLPairData({ tokenizer, imageProcessor: o.imageProcessor, images: o.images, size: o.size, ...(objectWeight > 0 ? { objectGrid: grid } : {}) }),
      ...stageTrainerOptions(o),
    });
    if (params !== blip.params) for (const n of blip.params.names()) if (tower(n)) blip.params.set(n, params.get(n).data);
    return result;
  } finally {
    tf.dispose([gamma, beta, prompts.inputIds, prompts.attentionMask, promptFeatures, logitScale]);
  }
}
