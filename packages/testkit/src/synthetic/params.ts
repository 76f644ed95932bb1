import * as tf from '@tensorflow/tfjs';
import { createRng } from '@vlp/core';
import type { PrunableUnit } from '@vlp/core';
import { biasName } from './layout.js';

/** Relative size of the text tower's own deviation from the shared weights. */
const TEXT_DEVIATION = 0.2;

/**
 * Seeded initial parameters. Weights `[out, in]` ~ N(0, 1/in); the text tower starts from the
 * vision tower's weights (same block and role) plus {@link TEXT_DEVIATION} of its own noise, so
 * paired images and texts embed close together and retrieval works before any training. Biases
 * ~ N(0, 0.02²). Tensors are kept (survive an enclosing `tf.tidy`); the caller disposes them.
 */
export function initParams(units: readonly PrunableUnit[], seed: number): { weights: Map<string, tf.Tensor2D>; biases: Map<string, tf.Tensor1D> } {
  const rng = createRng(seed).split('synthetic-view');
  const weights = new Map<string, tf.Tensor2D>();
  const biases = new Map<string, tf.Tensor1D>();
  for (const unit of units) {
    const [out, inp] = unit.shape;
    const shared = rng.split(`${unit.block}.${unit.role}`).fillNormal(new Float32Array(out * inp));
    if (unit.modality !== 'vision') {
      const own = rng.split(unit.name).fillNormal(new Float32Array(out * inp));
      shared.forEach((v, i) => (shared[i] = v + TEXT_DEVIATION * own[i]));
    }
    weights.set(unit.name, tf.keep(tf.tensor2d(shared.map((v) => v / Math.sqrt(inp)), [out, inp])));
    const b = rng.split(biasName(unit.name)).fillNormal(new Float32Array(out)).map((v) => v * 0.02);
    biases.set(unit.name, tf.keep(tf.tensor1d(b)));
  }
  return { weights, biases };
}
