import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@vlp/core';
import { createRandomClip, loadImageProcessor, loadTokenizer } from '@vlp/models';
import { type TrainEvent, type TrainResult, train } from '@vlp/tasks';
import { shapesVLClasses } from '@vlp/data';
import { applyHfClipInit } from '../training/hf-clip-init.js';
import { FeatureExchange } from '../training/feature-exchange.js';
import { type ClipTower, clipTowerOf } from './clip-towers.js';
import { TINY_CLIP_TEMPLATES } from './evaluate-tiny-clip.js';
import { labelPrompts, tinyClipLossFromLogits } from './label-prompt-loss.js';
import { clipLogitsFromFeatures } from './clip-logits-from-features.js';
import { clipImageFeaturesWithObjectLoss } from './clip-object-loss.js';
import { withObjectHead } from '../training/object-head.js';
import { tinyClipConfig } from './tiny-clip-config.js';
import { tinyClipTrainOptions } from './tiny-clip-train-options.js';

/** The numeric recipe (see `TINY_CLIP_RECIPE`). */
export type TinyClipRecipe = {
  seed: number; steps: number; batchSize: number; learningRate: number; warmupSteps: number; weightDecay: number;
  trainImages: number; checkpointEvery: number; hardNegatives: number; spatialNegatives: number; hiddenSize: number; patchSize: number; labelWeight: number; objectWeight: number;
};

/** What a tower thread is started with (`workerData`). */
export interface ClipTowerJob {
  readonly tower: ClipTower;
  readonly recipe: TinyClipRecipe;
  /** tfjs backend to initialise (the coordinator's). */
  readonly backend: string;
  /** Tokenizer and preprocessor files (written by the coordinator). */
  readonly filesDir: string;
  /** This tower's trainer checkpoints. */
  readonly checkpointDir: string;
  readonly resume: boolean;
  /** The step both towers resume from (their newest common checkpoint). */
  readonly resumeStep?: number;
  readonly buffer: SharedArrayBuffer;
}

/**
 * Floats each side posts per step: vision `[B·D image features, logit_scale]` (with the object term
 * also its weighted value, which the text side adds as a constant so both report the same loss),
 * text `[(texts + classes)·D]`.
 */
export function exchangeLengths(r: TinyClipRecipe, classes: number): [number, number] {
  const d = projectionDim(r);
  const texts = r.batchSize * (r.hardNegatives === 1 ? 2 : 1) + (r.labelWeight === 0 ? 0 : classes);
  return [r.batchSize * d + (r.objectWeight > 0 ? 2 : 1), texts * d];
}

/**
 * Trains one tower of tiny-clip (inside a worker thread): the same initial model, data order and
 * AdamW as `trainTinyClip`, but only this tower's parameters, with the loss computed from this
 * tower's features and the other tower's, exchanged every step through `job.buffer`. The gradient
 * of the loss with respect to this tower's parameters does not depend on the other tower's
 * parameters except through its features, which enter as constants — so each side gets exactly
 * its part of the joint gradient, and the two threads together take the joint AdamW step.
 * Returns the trained parameters of this tower.
 */
export async function trainClipTower(job: ClipTowerJob, onEvent: (e: TrainEvent) => void): Promise<{ result: TrainResult; params: Map<string, Float32Array> }> {
  await initBackend({ backend: job.backend as 'wasm' });
  const r = job.recipe;
  const tokenizer = await loadTokenizer(job.filesDir);
  const imageProcessor = await loadImageProcessor(job.filesDir);
  const model = createRandomClip(tinyClipConfig({ hiddenSize: r.hiddenSize, patchSize: r.patchSize }), r.seed);
  applyHfClipInit(model);
  const classNames = shapesVLClasses();
  const prompts = labelPrompts(tokenizer, classNames, TINY_CLIP_TEMPLATES[0]);
  const lengths = exchangeLengths(r, classNames.length);
  const side = job.tower === 'vision' ? 0 : 1;
  const exchange = new FeatureExchange(job.buffer, side, lengths);
  const names = model.params.names().filter((n) => clipTowerOf(n) === job.tower);
  const d = projectionDim(r);
  // The object term belongs to the vision side: its head trains in the vision thread's store only.
  const object = job.tower === 'vision' && r.objectWeight > 0;
  const params = object ? withObjectHead(model.params, r.hiddenSize, r.seed) : model.params;
  try {
    const result = await train({
      params,
      trainable: object ? [...names, ...params.names().filter((n) => n.startsWith('object_head.'))] : names,
      forward: (batch, weights) => {
        const texts = batch.inputIds.shape[0] as number;
        const images = batch.pixelValues.shape[0] as number;
        if (job.tower === 'vision') {
          const withObjects = object && batch.objects ? clipImageFeaturesWithObjectLoss(model, batch.pixelValues, batch.objects, weights) : undefined;
          const image = withObjects ? withObjects.imageFeatures : model.differentiableImageFeatures(batch.pixelValues, { weights });
          const logitScale = weights.logit_scale as tf.Tensor;
          const weighted = withObjects ? tf.mul(withObjects.objectLoss, r.objectWeight) : undefined;
          const post = new Float32Array(lengths[0]);
          post.set(image.dataSync());
          post[images * d] = logitScale.dataSync()[0] as number;
          if (weighted) post[images * d + 1] = weighted.dataSync()[0] as number;
          const text = tf.tensor2d(exchange.exchange(post), [lengths[1] / d, d]);
          const loss = tinyClipLossFromLogits(clipLogitsFromFeatures(text, image, logitScale), texts, batch.labels, r.labelWeight);
          return { loss: weighted ? (tf.add(loss, weighted) as tf.Scalar) : loss };
        }
        const withPrompts = r.labelWeight !== 0;
        const ids = withPrompts ? tf.concat([batch.inputIds, prompts.inputIds]) : batch.inputIds;
        const mask = withPrompts ? tf.concat([batch.attentionMask, prompts.attentionMask]) : batch.attentionMask;
        const text = model.differentiableTextFeatures(ids, mask, { weights });
        const other = exchange.exchange(text.dataSync());
        const image = tf.tensor2d(other.subarray(0, images * d), [images, d]);
        const logitScale = tf.scalar(other[images * d] as number);
        const loss = tinyClipLossFromLogits(clipLogitsFromFeatures(text, image, logitScale), texts, batch.labels, r.labelWeight);
        // the vision side's object term: a constant here (it does not depend on the text tower)
        return { loss: r.objectWeight > 0 ? (tf.add(loss, other[images * d + 1] as number) as tf.Scalar) : loss };
      },
      ...tinyClipTrainOptions(r, tokenizer, imageProcessor),
      // two kept: a kill between the two towers' checkpoint writes leaves them one checkpoint apart
      checkpoint: { dir: job.checkpointDir, every: r.checkpointEvery, resume: job.resume, resumeStep: job.resumeStep, keep: 2 },
      onEvent,
    });
    return { result, params: new Map(names.map((n) => [n, params.get(n).data])) };
  } catch (error) {
    exchange.abort();
    throw error;
  } finally {
    tf.dispose([prompts.inputIds, prompts.attentionMask]);
    await model.dispose();
  }
}

function projectionDim(r: TinyClipRecipe): number {
  return tinyClipConfig({ hiddenSize: r.hiddenSize, patchSize: r.patchSize }).projection_dim as number;
}

/** The checkpoint directory of `tower` in a run directory. */
export function towerCheckpointDir(runDir: string, tower: ClipTower): string {
  return path.join(runDir, `trainer-${tower}`);
}
