import { describe, expect, it } from 'vitest';
import { selectKth } from './select-kth.js';

/** Deterministic pseudo-random data (Lehmer), with `levels` distinct values. */
function data(n: number, levels: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 48271) % 2147483647;
    out[i] = (x % levels) - levels / 2;
  }
  return out;
}

describe('selectKth', () => {
  it('returns the k-th smallest for every k of a small tie-heavy array', () => {
    const a = new Float64Array([3, 1, 2, 1, 3, 0, 2, 2]);
    const sorted = Array.from(a).sort((p, q) => p - q);
    for (let k = 0; k < a.length; k++) expect(selectKth(a.slice(), k)).toBe(sorted[k]);
  });

  it('agrees with a full sort on random, tie-heavy, sorted and constant inputs', () => {
    const inputs = [
      data(1001, 1_000_000, 1),
      data(1000, 3, 2),
      Float64Array.from({ length: 500 }, (_, i) => i),
      Float64Array.from({ length: 500 }, (_, i) => 500 - i),
      new Float64Array(300).fill(4),
      Float64Array.from({ length: 400 }, (_, i) => (i % 2 ? 1 : -1) * i), // organ-pipe-like
    ];
    for (const input of inputs) {
      const sorted = input.slice().sort();
      for (const k of [0, 1, input.length >> 1, input.length - 2, input.length - 1]) {
        expect(selectKth(input.slice(), k)).toBe(sorted[k]);
      }
    }
  });

  it('falls back to sorting when the work limit is hit, with the same answer', () => {
    const input = data(777, 50, 3);
    const sorted = input.slice().sort();
    for (const k of [0, 100, 400, 776]) {
      expect(selectKth(input.slice(), k, 0)).toBe(sorted[k]);
      expect(selectKth(input.slice(), k, 1000)).toBe(sorted[k]);
    }
  });

  it('works on Float32Array and a single element', () => {
    expect(selectKth(new Float32Array([0.5, -2, 7]), 1)).toBe(0.5);
    expect(selectKth(new Float32Array([9]), 0)).toBe(9);
  });
});
