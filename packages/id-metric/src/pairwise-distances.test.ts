import * as tf from '@tensorflow/tfjs';
import { createRng } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { pairwiseDistances } from './pairwise-distances.js';

function naive(points: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < dim; k++) s += (points[i * dim + k]! - points[j * dim + k]!) ** 2;
      out[i * n + j] = Math.sqrt(s);
    }
  }
  return out;
}

describe('pairwiseDistances', () => {
  it('matches the direct distances in every tile layout, without leaking tensors', async () => {
    const n = 23;
    const dim = 17;
    const points = createRng(1).fillNormal(new Float32Array(n * dim)).map((v) => v + 10);
    const want = naive(points, n, dim);
    const before = tf.memory().numTensors;
    for (const tileRows of [1, 5, 23, 64]) {
      const { values } = await pairwiseDistances(points, n, dim, { tileRows });
      for (let i = 0; i < n * n; i++) expect(Math.abs(values[i]! - want[i]!)).toBeLessThan(1e-5 * Math.max(1, want[i]!));
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives exactly 0 for duplicate points and on the diagonal', async () => {
    const points = Float32Array.from([1, 2, 3, 1e3, 1e3, 1e3, 1, 2, 3]);
    const { values } = await pairwiseDistances(points, 3, 3);
    expect(values[0 * 3 + 2]).toBe(0);
    expect(values[2 * 3 + 0]).toBe(0);
    expect([values[0], values[4], values[8]]).toEqual([0, 0, 0]);
  });

  it('rejects a size mismatch and honours an aborted signal', async () => {
    await expect(pairwiseDistances(new Float32Array(5), 2, 3)).rejects.toThrowError(/expected 2×3/);
    const ac = new AbortController();
    ac.abort();
    await expect(pairwiseDistances(new Float32Array(6), 2, 3, { signal: ac.signal })).rejects.toMatchObject({ code: 'VLP_ABORTED' });
  });
});
