import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import type { BlipConfig } from './blip-config.js';
import { type BlipImageSource, blipImageTokens } from './blip-vision-describe.js';

/** Per-call parameter overrides of a differentiable loss (the tfjs engine, synchronous). */
export interface DifferentiableOptions {
  /** Parameters overridden by HF name and layout (differentiate w.r.t. these). */
  readonly weights?: Readonly<Record<string, tf.Tensor>>;
  /** Gate values by gate group (see the prunable view). */
  readonly gates?: Readonly<Record<string, tf.Tensor>>;
}

/** The describe options of a loss run: the gate groups given. */
export function gateOptions(options: DifferentiableOptions): { gates: Set<string> } {
  return { gates: new Set(Object.keys(options.gates ?? {})) };
}

/** `−mean_n Σ_c target[n, c] · log_softmax(logits)[n, c]` (soft or one-hot targets). */
export function softCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.sub(logits, tf.logSumExp(logits, 1, true));
    return tf.neg(tf.mean(tf.sum(tf.mul(logProbs, targets), 1))) as tf.Scalar;
  });
}

/** `F.cross_entropy(logits [N, C], labels)` with mean reduction. */
export function crossEntropy(logits: tf.Tensor2D, labels: readonly number[]): tf.Scalar {
  const [n, c] = logits.shape;
  if (labels.length !== n || labels.some((l) => !Number.isInteger(l) || l < 0 || l >= c)) {
    throw new InvalidArgumentError({ message: `Expected ${n} class labels in 0..${c - 1}; got [${labels.join(', ')}].` });
  }
  return tf.tidy(() => softCrossEntropy(logits, tf.oneHot(tf.tensor1d(labels as number[], 'int32'), c).toFloat() as tf.Tensor2D));
}

/** Disposes every output of a run except the ones named. */
export function keepOutputs(outputs: Record<string, tf.Tensor>, ...names: string[]): void {
  for (const [name, t] of Object.entries(outputs)) if (!names.includes(name)) t.dispose();
}

/**
 * The images of a loss batch: `pixelValues [B, 3, S, S]` (the vision tower runs, and is
 * differentiated), or `imageEmbeds [B, tokens, D]` — the vision tower's `last_hidden_state`
 * computed beforehand, e.g. once for a whole training run with the tower frozen (the tower's
 * parameters then receive no gradient). Exactly one of the two.
 */
export interface BlipImageInput {
  readonly pixelValues?: tf.Tensor;
  readonly imageEmbeds?: tf.Tensor;
}

/** The feed, source and image count of a batch's images (see {@link BlipImageInput}). */
export function imageFeed(config: BlipConfig, batch: BlipImageInput): { source: BlipImageSource; feeds: Record<string, tf.Tensor>; count: number } {
  const { pixelValues, imageEmbeds } = batch;
  if ((pixelValues === undefined) === (imageEmbeds === undefined)) {
    throw new InvalidArgumentError({ message: 'A BLIP loss batch takes exactly one of pixelValues (the vision tower runs) and imageEmbeds (precomputed vision last_hidden_state).' });
  }
  if (pixelValues) return { source: 'pixels', feeds: { pixel_values: pixelValues }, count: pixelValues.shape[0] as number };
  const embeds = imageEmbeds as tf.Tensor;
  const want = [blipImageTokens(config.vision), config.vision.hiddenSize];
  if (embeds.rank !== 3 || embeds.shape[1] !== want[0] || embeds.shape[2] !== want[1]) {
    throw new InvalidArgumentError({
      message: `imageEmbeds must be the vision tower's last_hidden_state [batch, ${want.join(', ')}]; got [${embeds.shape.join(', ')}].`,
      expected: [null, ...want],
      actual: embeds.shape,
    });
  }
  return { source: 'embeds', feeds: { image_embeds: embeds }, count: embeds.shape[0] as number };
}
