import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { withFastWasmMatMul } from './wasm-matmul.js';

describe('withFastWasmMatMul', () => {
  it('installs the fast kernel of @vlp/core on wasm (same products) and runs the work', async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    const a = tf.randomNormal([37, 19], 0, 1, 'float32', 1);
    const b = tf.randomNormal([37, 11], 0, 1, 'float32', 2);
    const plain = tf.tidy(() => tf.matMul(a, b, true, false).arraySync());
    const fast = await withFastWasmMatMul(async () => tf.tidy(() => tf.matMul(a, b, true, false).arraySync()));
    expect(fast).toEqual(plain);
    // the active kernel is the fast one (marked by @vlp/core)
    const installed = tf.getKernel('BatchMatMul', 'wasm');
    expect((installed?.kernelFunc as unknown as Record<symbol, boolean>)[Symbol.for('vlp.fastWasmMatMul')]).toBe(true);
    tf.dispose([a, b]);
  });
});
