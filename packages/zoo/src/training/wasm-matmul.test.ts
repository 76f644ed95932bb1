import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { withFastWasmMatMul } from './wasm-matmul.js';

describe('withFastWasmMatMul', () => {
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
  });

  it('computes the same transposed products and gradients as the original kernel, then restores it', async () => {
    const a = tf.randomNormal([37, 19], 0, 1, 'float32', 1);
    const b = tf.randomNormal([37, 11], 0, 1, 'float32', 2);
    const w = tf.randomNormal([19, 11], 0, 1, 'float32', 3);
    const c = tf.randomNormal([11, 37], 0, 1, 'float32', 4);
    const batched = tf.randomNormal([2, 5, 7], 0, 1, 'float32', 5);
    const f = () => [
      tf.matMul(a, b, true, false),
      tf.matMul(b, w, false, true),
      tf.matMul(a, c, true, true),
      tf.matMul(batched, batched, true, false),
      ...tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([a, w]),
    ];
    const plain = f().map((t) => t.arraySync());
    const original = tf.getKernel('BatchMatMul', 'wasm');
    const before = tf.memory().numTensors;
    const fast = await withFastWasmMatMul(async () => tf.tidy(() => f().map((t) => t.arraySync())));
    expect(tf.memory().numTensors).toBe(before);
    fast.forEach((x, i) => expect(x).toEqual(plain[i]));
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(original);
    tf.dispose([a, b, c, w, batched]);
  });

  it('restores the kernel when the work throws', async () => {
    const original = tf.getKernel('BatchMatMul', 'wasm');
    await expect(withFastWasmMatMul(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(original);
  });
});
