import { describe, expect, it } from 'vitest';
import { isNMPattern } from './nm-pattern.js';
import { pruneNM } from './prune-nm.js';

// 2×8:
//   row 0: 0.9 0.1 0.5 0.3 | 1 1 1 1
//   row 1: -1  2   -3  4   | 0 0 7 0
const S28 = new Float32Array([0.9, 0.1, 0.5, 0.3, 1, 1, 1, 1, -1, 2, -3, 4, 0, 0, 7, 0]);

/** Brute force: stable sort of each run by score, prune the first m − n. */
function referenceNM(scores: Float32Array, cols: number, n: number, m: number): number[] {
  const mask = new Array<number>(scores.length).fill(1);
  for (let start = 0; start < scores.length; start += m) {
    const idx = Array.from({ length: m }, (_, i) => start + i).sort((a, b) => scores[a] - scores[b] || a - b);
    for (const i of idx.slice(0, m - n)) mask[i] = 0;
  }
  void cols;
  return mask;
}

describe('pruneNM', () => {
  it('2:4 on 2×8 keeps the two highest of every 4 consecutive columns (ties: lower column pruned)', () => {
    expect(Array.from(pruneNM(S28, [2, 8], 2, 4))).toEqual([1, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1]);
  });

  it('1:4 on 2×8', () => {
    expect(Array.from(pruneNM(S28, [2, 8], 1, 4))).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0]);
  });

  it('4:8 on 2×8 ranks whole rows', () => {
    // row 0: prune 0.1, 0.3, 0.5, 0.9; row 1: prune -3, -1, then the 0s at columns 4 and 5 (not 7).
    expect(Array.from(pruneNM(S28, [2, 8], 4, 8))).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1]);
  });

  it('n = m keeps all, n = 0 prunes all', () => {
    expect(Array.from(pruneNM(S28, [2, 8], 4, 4))).toEqual(new Array(16).fill(1));
    expect(Array.from(pruneNM(S28, [2, 8], 0, 4))).toEqual(new Array(16).fill(0));
  });

  it('matches a brute-force stable sort on tie-heavy data for small and large m', () => {
    const rows = 6;
    const cols = 48;
    const s = new Float32Array(rows * cols).map((_, i) => ((i * 37) % 11) % 4);
    for (const [n, m] of [
      [2, 4],
      [1, 2],
      [3, 8],
      [4, 16],
      [2, 24],
      [8, 48],
    ] as const) {
      expect(Array.from(pruneNM(s, [rows, cols], n, m)), `${n}:${m}`).toEqual(referenceNM(s, cols, n, m));
    }
  });

  it('prunes +Infinity entries when it must', () => {
    expect(Array.from(pruneNM(new Float64Array([Infinity, Infinity, Infinity, 1]), [1, 4], 1, 4))).toEqual([0, 0, 1, 0]);
  });

  it('rejects cols not divisible by m, bad n/m and NaN', () => {
    expect(() => pruneNM(S28, [2, 8], 2, 3)).toThrowError(/multiple of 3, but it is 8/);
    expect(() => pruneNM(S28, [2, 8], 5, 4)).toThrowError(/0 ≤ n ≤ m/);
    expect(() => pruneNM(S28, [2, 8], 1, 0)).toThrowError(/m ≥ 1/);
    expect(() => pruneNM(S28, [4, 8], 2, 4)).toThrowError(/shape/);
    expect(() => pruneNM(new Float32Array([1, Number.NaN]), [1, 2], 1, 2)).toThrowError(/NaN/);
  });

  it('2:4 on 768×3072 gives a 2:4 pattern keeping half the weights', () => {
    const s = new Float32Array(768 * 3072).map((_, i) => ((i * 2654435761) % 1000) / 3);
    const mask = pruneNM(s, [768, 3072], 2, 4);
    expect(isNMPattern(mask, [768, 3072], 2, 4)).toBe(true);
    expect(mask.reduce((a, v) => a + v, 0)).toBe((768 * 3072) / 2);
  });
});

describe('isNMPattern', () => {
  it('accepts at most n kept per run and rejects more', () => {
    const ok = new Uint8Array([1, 0, 1, 0, 0, 0, 0, 0]);
    expect(isNMPattern(ok, [2, 4], 2, 4)).toBe(true);
    expect(isNMPattern(ok, [1, 8], 2, 4)).toBe(true);
    expect(isNMPattern(new Uint8Array([1, 0, 1, 0, 1, 1, 1, 0]), [2, 4], 2, 4)).toBe(false);
    // Runs are aligned: 3 kept across a run boundary is fine.
    expect(isNMPattern(new Uint8Array([0, 0, 1, 1, 1, 0, 0, 0]), [1, 8], 2, 4)).toBe(true);
  });

  it('validates shape and m', () => {
    expect(() => isNMPattern(new Uint8Array(8), [2, 4], 2, 3)).toThrowError(/multiple of 3/);
    expect(() => isNMPattern(new Uint8Array(8), [3, 4], 2, 4)).toThrowError(/shape/);
  });
});
