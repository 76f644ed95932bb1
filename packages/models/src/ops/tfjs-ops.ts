import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@vlp/core';
import { gatherRows } from './gather-rows.js';
import type { Dim, InputDtype, Ops } from './ops.js';

/** Where `TfjsOps` gets inputs and parameters from. Tensors stay owned by the provider. */
export interface TfjsBindings {
  input(name: string, dtype: InputDtype, shape: readonly Dim[]): tf.Tensor;
  param(name: string, layout: 'as-is' | 'linear'): tf.Tensor;
}

/**
 * Executes a description eagerly on the active tfjs backend (differentiable). Call it inside
 * `tf.tidy` (or `tf.grad`/`variableGrads`); outputs are collected in {@link TfjsOps.outputs}.
 */
export class TfjsOps implements Ops<tf.Tensor> {
  readonly outputs = new Map<string, tf.Tensor>();

  constructor(private readonly bindings: TfjsBindings) {}

  input(name: string, dtype: InputDtype, shape: readonly Dim[]): tf.Tensor {
    return this.bindings.input(name, dtype, shape);
  }
  param(name: string, layout: 'as-is' | 'linear' = 'as-is'): tf.Tensor {
    return this.bindings.param(name, layout);
  }
  output(name: string, v: tf.Tensor): void {
    if (this.outputs.has(name)) throw new InvalidArgumentError({ message: `Output "${name}" is defined twice.` });
    this.outputs.set(name, v);
  }
  constant(data: Float32Array | readonly number[], shape: readonly number[]): tf.Tensor {
    return tf.tensor(data as Float32Array, shape as number[], 'float32');
  }
  linear(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor | null): tf.Tensor {
    return tf.fused.matMul({ a: x as tf.Tensor2D, b: w as tf.Tensor2D, bias: b ?? undefined });
  }
  matmul(a: tf.Tensor, b: tf.Tensor, transposeB = false): tf.Tensor {
    return tf.matMul(a, b, false, transposeB);
  }
  add(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.add(a, b);
  }
  sub(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.sub(a, b);
  }
  mul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.mul(a, b);
  }
  div(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
    return tf.div(a, b);
  }
  scale(x: tf.Tensor, factor: number): tf.Tensor {
    return tf.mul(x, tf.scalar(factor));
  }
  rsubScalar(x: tf.Tensor, factor: number): tf.Tensor {
    return tf.sub(tf.scalar(factor), x);
  }
  sigmoid(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
  exp(x: tf.Tensor): tf.Tensor {
    return tf.exp(x);
  }
  tanh(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }
  relu(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
  gelu(x: tf.Tensor): tf.Tensor {
    return tf.mul(tf.mul(x, tf.scalar(0.5)), tf.add(tf.scalar(1), tf.erf(tf.mul(x, tf.scalar(Math.SQRT1_2)))));
  }
  quickGelu(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, tf.sigmoid(tf.mul(x, tf.scalar(1.702))));
  }
  softmax(x: tf.Tensor): tf.Tensor {
    return tf.softmax(x);
  }
  logSoftmax(x: tf.Tensor): tf.Tensor {
    return tf.logSoftmax(x);
  }
  layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, eps: number): tf.Tensor {
    const axis = x.rank - 1;
    const { mean, variance } = tf.moments(x, axis, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, tf.scalar(eps))));
    return tf.add(tf.mul(normed, gamma), beta);
  }
  l2Normalize(x: tf.Tensor): tf.Tensor {
    return tf.div(x, tf.norm(x, 'euclidean', -1, true));
  }
  reshape(x: tf.Tensor, shape: readonly number[]): tf.Tensor {
    return tf.reshape(x, shape as number[]);
  }
  transpose(x: tf.Tensor, perm: readonly number[]): tf.Tensor {
    return tf.transpose(x, perm as number[]);
  }
  pad(x: tf.Tensor, pads: readonly number[]): tf.Tensor {
    const n = x.rank;
    const pairs = Array.from({ length: n }, (_, i) => [pads[i] as number, pads[i + n] as number] as [number, number]);
    return tf.pad(x, pairs);
  }
  concat(xs: readonly tf.Tensor[], axis: number): tf.Tensor {
    return tf.concat(xs as tf.Tensor[], axis);
  }
  slice(x: tf.Tensor, axis: number, start: number, end: number): tf.Tensor {
    const ax = axis < 0 ? x.rank + axis : axis;
    const begin = x.shape.map((_, i) => (i === ax ? start : 0));
    const size = x.shape.map((d, i) => (i === ax ? end - start : d));
    return tf.slice(x, begin, size);
  }
  gather(table: tf.Tensor, ids: tf.Tensor): tf.Tensor {
    return gatherRows(table as tf.Tensor2D, ids);
  }
  toFloat(x: tf.Tensor): tf.Tensor {
    return x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  }
  equalScalar(x: tf.Tensor, value: number): tf.Tensor {
    return tf.cast(tf.equal(x, tf.scalar(value, x.dtype)), 'float32');
  }
  argmax(x: tf.Tensor, axis: number): tf.Tensor {
    return tf.argMax(x, axis);
  }
  pickRows(x: tf.Tensor, index: tf.Tensor, rowsPerItem: number): tf.Tensor {
    const batch = index.shape[0] as number;
    const offsets = tf.range(0, batch * rowsPerItem, rowsPerItem, 'int32');
    return gatherRows(x as tf.Tensor2D, tf.add(offsets, tf.cast(index, 'int32')));
  }
  sumSquaresRows(x: tf.Tensor, rowWeights: tf.Tensor | null): tf.Tensor {
    const sq = tf.square(x);
    return rowWeights ? tf.matMul(rowWeights.reshape([1, -1]), sq).reshape([-1]) : tf.sum(sq, 0);
  }
  sumAbsRows(x: tf.Tensor, rowWeights: tf.Tensor | null): tf.Tensor {
    const abs = tf.abs(x);
    return rowWeights ? tf.matMul(rowWeights.reshape([1, -1]), abs).reshape([-1]) : tf.sum(abs, 0);
  }
  gramRows(x: tf.Tensor, rowWeights: tf.Tensor | null): tf.Tensor {
    const weighted = rowWeights ? tf.mul(x, rowWeights.reshape([-1, 1])) : x;
    return tf.matMul(weighted, x, true, false);
  }
  sumAll(x: tf.Tensor): tf.Tensor {
    return tf.sum(x);
  }
}
