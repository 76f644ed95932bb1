import { describe, expect, it } from 'vitest';
import { VlpError } from '../errors/index.js';
import { pruneLowest } from './prune-lowest.js';

// A 3×4 example, flat row-major:
//   row 0: 0.5  0.1  0.1  0.9
//   row 1: 2    2    2    2
//   row 2: -1   5    -3   0
const S34 = new Float32Array([0.5, 0.1, 0.1, 0.9, 2, 2, 2, 2, -1, 5, -3, 0]);

describe('pruneLowest', () => {
  it('prunes the single lowest entry, lower index first on ties', () => {
    expect(Array.from(pruneLowest(new Float32Array([3, 1, 2, 1]), 1))).toEqual([1, 0, 1, 1]);
    expect(Array.from(pruneLowest(new Float32Array([3, 1, 2, 1]), 2))).toEqual([1, 0, 1, 0]);
    expect(Array.from(pruneLowest(new Float64Array([3, 1, 2, 1]), 3))).toEqual([1, 0, 0, 0]);
  });

  it('3×4: k = 5 prunes -3, -1, 0, 0.1, 0.1', () => {
    expect(Array.from(pruneLowest(S34, 5))).toEqual([1, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 0]);
  });

  it('3×4: k = 8 and 9 cut through the four tied 2s, lowest indices first', () => {
    expect(Array.from(pruneLowest(S34, 8))).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0]);
    expect(Array.from(pruneLowest(S34, 9))).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 0, 0]);
  });

  it('k = 0 keeps everything and k = n prunes everything', () => {
    expect(Array.from(pruneLowest(S34, 0))).toEqual(new Array(12).fill(1));
    expect(Array.from(pruneLowest(S34, 12))).toEqual(new Array(12).fill(0));
  });

  it('treats -0 and +0 as equal (index order decides) and handles infinities', () => {
    expect(Array.from(pruneLowest(new Float64Array([0, -0, 1]), 1))).toEqual([0, 1, 1]);
    expect(Array.from(pruneLowest(new Float64Array([Infinity, -Infinity, 1]), 2))).toEqual([1, 0, 0]);
  });

  it('prunes exactly k for all k on data with many ties', () => {
    const s = new Float32Array(50).map((_, i) => (i * 7) % 5);
    for (let k = 0; k <= 50; k++) {
      const mask = pruneLowest(s, k);
      expect(mask.reduce((a, v) => a + (v === 0 ? 1 : 0), 0)).toBe(k);
    }
  });

  it('matches a brute-force stable sort (score, then index) on tie-heavy data', () => {
    let x = 7;
    const s = new Float32Array(2000).map(() => {
      x = (x * 48271) % 2147483647;
      return (x % 40) / 8 - 2;
    });
    const order = Array.from(s.keys()).sort((a, b) => s[a] - s[b] || a - b);
    for (const k of [1, 37, 999, 1000, 1999]) {
      const expected = new Array<number>(s.length).fill(1);
      for (const i of order.slice(0, k)) expected[i] = 0;
      expect(Array.from(pruneLowest(s, k))).toEqual(expected);
    }
  });

  it('rejects k out of range and NaN scores with VLP_INVALID_ARGUMENT', () => {
    expect(() => pruneLowest(S34, 13)).toThrowError(/k must be an integer in \[0, 12\]/);
    expect(() => pruneLowest(S34, -1)).toThrowError(/k must be/);
    expect(() => pruneLowest(S34, 1.5)).toThrowError(/k must be/);
    let caught: unknown;
    try {
      pruneLowest(new Float32Array([1, Number.NaN]), 1);
    } catch (e) {
      caught = e;
    }
    expect(VlpError.isInstance(caught, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((caught as Error).message).toMatch(/NaN at flat index 1/);
  });

  it('prunes exactly half of a 768×3072 tensor with many ties (speed: pnpm --filter @vlp/core bench:kernels)', () => {
    const n = 768 * 3072;
    const s = new Float32Array(n);
    let x = 1;
    for (let i = 0; i < n; i++) {
      x = (x * 48271) % 2147483647;
      s[i] = (x % 100_000) / 1000; // many ties
    }
    const mask = pruneLowest(s, n / 2);
    expect(mask.reduce((a, v) => a + v, 0)).toBe(n / 2);
  });
});
