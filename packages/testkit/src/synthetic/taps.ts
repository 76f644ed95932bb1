import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, type TapSpec } from '@vlp/core';

/** Which tokens of a tower count: `weights` is `[N, 1]` (1 valid, 0 padding) over N = B·T tokens. */
export interface TokenMask {
  readonly batch: number;
  readonly tokens: number;
  readonly weights: tf.Tensor2D;
  /** Valid tokens per sample. */
  readonly perSample: readonly number[];
  readonly valid: number;
}

/** A recorded tap before it becomes a `TapValue`. */
export interface RecordedTap {
  readonly value: tf.Tensor;
  readonly tokens: number;
  readonly sequences: number;
}

/**
 * Collects the statistics of the requested taps during one forward. Call sites hand over unit
 * inputs/outputs and block outputs; the recorder computes only what was asked for.
 */
export class TapRecorder {
  readonly values: (RecordedTap | undefined)[];

  constructor(
    readonly specs: readonly TapSpec[],
    units: ReadonlySet<string>,
    blocks: ReadonlySet<string>,
  ) {
    for (const spec of specs) {
      const ok = spec.kind === 'block-output-pooled' ? blocks.has(spec.blockId) : units.has(spec.unit);
      if (!ok) {
        const what = spec.kind === 'block-output-pooled' ? `block "${spec.blockId}"` : `unit "${spec.unit}"`;
        throw new InvalidArgumentError({ message: `Tap ${spec.kind} names unknown ${what} of the synthetic view.`, actual: spec });
      }
    }
    this.values = specs.map(() => undefined);
  }

  /** The input `x` `[N, in]` of `unit`. */
  input(unit: string, x: tf.Tensor2D, mask: TokenMask): void {
    this.specs.forEach((spec, i) => {
      if (spec.kind === 'block-output-pooled' || spec.kind === 'unit-output' || spec.unit !== unit) return;
      const w = spec.tokens === 'valid' ? mask.weights : tf.onesLike(mask.weights);
      const tokens = spec.tokens === 'valid' ? mask.valid : mask.batch * mask.tokens;
      const xw = tf.mul(x, w);
      let value: tf.Tensor;
      if (spec.kind === 'input-sum-squares') value = tf.sum(tf.mul(xw, x), 0);
      else if (spec.kind === 'input-mean-abs') value = tf.div(tf.sum(tf.abs(xw), 0), tokens);
      else value = tf.matMul(xw, x, true, false);
      this.values[i] = { value, tokens, sequences: mask.batch };
    });
  }

  /** The output `y` `[N, out]` of `unit`. */
  output(unit: string, y: tf.Tensor2D, mask: TokenMask): void {
    this.specs.forEach((spec, i) => {
      if (spec.kind !== 'unit-output' || spec.unit !== unit) return;
      const value = tf.reshape(y, [mask.batch, mask.tokens, y.shape[1]]);
      this.values[i] = { value, tokens: mask.batch * mask.tokens, sequences: mask.batch };
    });
  }

  /** The output `x` `[N, D]` of block `blockId`: pooled over valid tokens per sample → `[B, D]`. */
  block(blockId: string, x: tf.Tensor2D, mask: TokenMask): void {
    this.specs.forEach((spec, i) => {
      if (spec.kind !== 'block-output-pooled' || spec.blockId !== blockId) return;
      this.values[i] = { value: poolValid(x, mask), tokens: mask.valid, sequences: mask.batch };
    });
  }
}

/** Mean over each sample's valid tokens: `[N, D]` → `[B, D]`. */
export function poolValid(x: tf.Tensor2D, mask: TokenMask): tf.Tensor2D {
  const d = x.shape[1];
  const summed = tf.sum(tf.reshape(tf.mul(x, mask.weights), [mask.batch, mask.tokens, d]), 1);
  return tf.div(summed, tf.tensor2d([...mask.perSample], [mask.batch, 1])) as tf.Tensor2D;
}
