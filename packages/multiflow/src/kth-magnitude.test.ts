import { createRng } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { countAgainst, kthSmallestMagnitude } from './kth-magnitude.js';

describe('kthSmallestMagnitude', () => {
  it('equals kthvalue of the concatenated magnitudes, on random tensors with repeats, zeros and -0', () => {
    const rng = createRng(7);
    const tensors = [0, 1, 2].map((t) => {
      const w = rng.split(t).fillNormal(new Float32Array(500 + 37 * t));
      for (let i = 0; i < w.length; i += 11) w[i] = i % 2 ? -0 : 0;
      for (let i = 5; i < w.length; i += 13) w[i] = -w[i - 1];
      return w;
    });
    const sorted = Float64Array.from(tensors.flatMap((w) => Array.from(w, Math.abs))).sort();
    for (const k of [1, 2, 100, 777, 1000, sorted.length]) {
      expect(kthSmallestMagnitude(tensors, k).value, `k = ${k}`).toBe(sorted[k - 1]);
    }
  });

  it('handles tiny (subnormal) and huge magnitudes', () => {
    const w = Float32Array.of(3e38, -1e-45, 2e-40, -5, 0);
    expect([1, 2, 3, 4, 5].map((k) => kthSmallestMagnitude([w], k).value)).toEqual([0, Math.fround(1e-45), Math.fround(2e-40), 5, Math.fround(3e38)]);
  });

  it('counts entries below and equal to a magnitude, sign ignored', () => {
    const w = Float32Array.of(-1, 1, 0.5, 2, -0.5);
    expect(countAgainst(w, kthSmallestMagnitude([w], 3))).toEqual({ less: 2, equal: 2 });
  });

  it('rejects k outside [1, N] and NaN weights', () => {
    const w = Float32Array.of(1, 2);
    expect(() => kthSmallestMagnitude([w], 0)).toThrow(/k must be an integer in \[1, 2\]/);
    expect(() => kthSmallestMagnitude([w], 3)).toThrow(/k must be/);
    expect(() => kthSmallestMagnitude([Float32Array.of(1, Number.NaN)], 1)).toThrow(/NaN/);
  });
});
