import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installFastWasmMatMul } from './fast-wasm-matmul.js';
import { initBackend } from './init-backend.js';

describe('installFastWasmMatMul', () => {
  let original: tf.KernelConfig;
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    original = tf.getKernel('BatchMatMul', 'wasm') as tf.KernelConfig;
  });

  it('computes the same transposed products and gradients as the original kernel, without leaking', async () => {
    const a = tf.randomNormal([37, 19], 0, 1, 'float32', 1);
    const b = tf.randomNormal([37, 11], 0, 1, 'float32', 2);
    const w = tf.randomNormal([19, 11], 0, 1, 'float32', 3);
    const c = tf.randomNormal([11, 37], 0, 1, 'float32', 4);
    const batched = tf.randomNormal([2, 5, 7], 0, 1, 'float32', 5);
    const f = () =>
      tf.tidy(() =>
        [
          tf.matMul(a, b, true, false),
          tf.matMul(b, w, false, true),
          tf.matMul(a, c, true, true),
          tf.matMul(batched, batched, true, false),
          tf.matMul(a.reshape([1, 37, 19]), b.reshape([1, 37, 11]), true, false),
          ...tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.matMul(x, y)))([a, w]),
        ].map((t) => t.arraySync()),
      );
    const plain = f();
    const before = tf.memory().numTensors;
    expect(installFastWasmMatMul()).toBe(true);
    const patched = tf.getKernel('BatchMatMul', 'wasm');
    expect(patched).not.toBe(original);
    const fast = f();
    expect(tf.memory().numTensors).toBe(before);
    fast.forEach((x, i) => expect(x).toEqual(plain[i]));
    // idempotent: a second install keeps the same kernel
    expect(installFastWasmMatMul()).toBe(true);
    expect(tf.getKernel('BatchMatMul', 'wasm')).toBe(patched);
    tf.dispose([a, b, c, w, batched]);
  });

  it('is installed by initBackend on wasm, and does nothing on another backend', async () => {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(original);
    const info = await initBackend({ backend: 'wasm', env: {} });
    expect(info.name).toBe('wasm');
    expect(tf.getKernel('BatchMatMul', 'wasm')).not.toBe(original);
    await tf.setBackend('cpu');
    expect(installFastWasmMatMul()).toBe(false);
    await tf.setBackend('wasm');
  });
});
