import * as tf from '@tensorflow/tfjs';
import { createRng } from '@vlp/core';
import { ParamStore, type StoredParam } from '@vlp/models';
import { OBJECT_TARGET_GROUPS, OBJECT_TARGET_LOGITS, type ObjectTargets } from '../tiny-clip/object-targets.js';

/** Parameter names of the auxiliary object head (used in training only; never saved with a checkpoint). */
export const OBJECT_HEAD_WEIGHT = 'object_head.weight';
export const OBJECT_HEAD_BIAS = 'object_head.bias';

/** A fresh object head for tokens of `width` features: weight `[27, width]` ~ N(0, 0.02²) from `seed`, bias 0. */
export function objectHeadParams(width: number, seed: number): Map<string, StoredParam> {
  const weight = new Float32Array(OBJECT_TARGET_LOGITS * width);
  createRng(seed).split('object-head').fillNormal(weight);
  for (let i = 0; i < weight.length; i++) weight[i] = (weight[i] as number) * 0.02;
  return new Map([
    [OBJECT_HEAD_WEIGHT, { shape: [OBJECT_TARGET_LOGITS, width], data: weight }],
    [OBJECT_HEAD_BIAS, { shape: [OBJECT_TARGET_LOGITS], data: new Float32Array(OBJECT_TARGET_LOGITS) }],
  ]);
}

/** A store holding `params`' parameters (shared, not copied) and a fresh object head (`objectHeadParams`) — what a stage with the object term trains. */
export function withObjectHead(params: ParamStore, width: number, seed: number): ParamStore {
  return new ParamStore(new Map([...params.names().map((n) => [n, params.get(n)] as const), ...objectHeadParams(width, seed)]));
}

/**
 * The auxiliary object loss of the vision stage: a linear head reads the token under each object's
 * centre from `hidden` (`[images, tokens, width]`) and classifies the object's colour, shape, size
 * and grid cell; the loss is the sum of the four cross-entropies, each averaged over the batch's
 * objects. It asks every object's own token to say what and where the object is — what BLIP's
 * text side reads through cross-attention — where the contrastive terms only ask the class token.
 */
export function objectHeadLoss(hidden: tf.Tensor, targets: ObjectTargets, weights: Readonly<Record<string, tf.Tensor>>): tf.Scalar {
  return tf.tidy(() => {
    const width = hidden.shape[2] as number;
    const flat = tf.reshape(hidden, [-1, width]);
    // A one-hot selection matmul rather than gather: gather's gradient needs UnsortedSegmentSum, which tfjs-wasm lacks.
    const tokens = tf.matMul(tf.oneHot(targets.token, flat.shape[0] as number).toFloat(), flat);
    const logits = tf.add(tf.matMul(tokens, weights[OBJECT_HEAD_WEIGHT] as tf.Tensor, false, true), weights[OBJECT_HEAD_BIAS] as tf.Tensor);
    let start = 0;
    const losses = OBJECT_TARGET_GROUPS.map((g) => {
      const part = tf.slice(logits, [0, start], [-1, g.classes]);
      start += g.classes;
      const labels = tf.oneHot(targets[g.name], g.classes);
      return tf.losses.softmaxCrossEntropy(labels, part);
    });
    return tf.addN(losses) as tf.Scalar;
  });
}
