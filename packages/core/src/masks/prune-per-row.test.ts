import { describe, expect, it } from 'vitest';
import { pruneLowestPerRow } from './prune-per-row.js';

const S34 = new Float32Array([0.5, 0.1, 0.1, 0.9, 2, 2, 2, 2, -1, 5, -3, 0]);

describe('pruneLowestPerRow', () => {
  it('3×4, 2 per row: ties pruned lowest column first', () => {
    expect(Array.from(pruneLowestPerRow(S34, [3, 4], 2))).toEqual([1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1]);
  });

  it('3×4, 1 per row: of the tied 0.1s only column 1 goes', () => {
    expect(Array.from(pruneLowestPerRow(S34, [3, 4], 1))).toEqual([1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1]);
  });

  it('0 and cols per row', () => {
    expect(Array.from(pruneLowestPerRow(S34, [3, 4], 0))).toEqual(new Array(12).fill(1));
    expect(Array.from(pruneLowestPerRow(S34, [3, 4], 4))).toEqual(new Array(12).fill(0));
  });

  it('2×8 with Float64 scores, 3 per row', () => {
    const s = new Float64Array([8, 7, 6, 5, 4, 3, 2, 1, 1, 1, 0, 0, 9, 9, 1, 1]);
    // row 0: lowest 1, 2, 3 at columns 7, 6, 5; row 1: 0, 0 at 2, 3, then the 1 at column 0.
    expect(Array.from(pruneLowestPerRow(s, [2, 8], 3))).toEqual([1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1]);
  });

  it('rejects shape mismatch, kPerRow > cols and NaN', () => {
    expect(() => pruneLowestPerRow(S34, [4, 4], 1)).toThrowError(/12 entries but shape \[4,4\] holds 16/);
    expect(() => pruneLowestPerRow(S34, [3, 4], 5)).toThrowError(/kPerRow must be an integer in \[0, 4\]/);
    expect(() => pruneLowestPerRow(S34, [-3, -4], 1)).toThrowError(/shape/);
    expect(() => pruneLowestPerRow(new Float32Array([Number.NaN, 1]), [1, 2], 1)).toThrowError(/NaN/);
  });

  it('prunes exactly half of every row of a 768×3072 tensor', () => {
    const s = new Float32Array(768 * 3072).map((_, i) => ((i * 2654435761) % 4096) / 7);
    const mask = pruneLowestPerRow(s, [768, 3072], 1536);
    for (const r of [0, 383, 767]) {
      expect(mask.subarray(r * 3072, (r + 1) * 3072).reduce((a, v) => a + v, 0)).toBe(1536);
    }
  });
});
