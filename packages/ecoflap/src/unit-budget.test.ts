import { describe, expect, it } from 'vitest';
import { pruneExactPerRow, splitGroupBudget } from './unit-budget.js';

const zeros = (m: Uint8Array) => m.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);

describe('ecoflap', () => {
  describe('splitGroupBudget', () => {
    it('splits a group budget in proportion to unit sizes, exactly', () => {
      expect(splitGroupBudget(10, [12, 12, 24])).toEqual([3, 2, 5]); // 2.5, 2.5, 5 → first tie gets the extra
      expect(splitGroupBudget(0, [4, 4])).toEqual([0, 0]);
      expect(splitGroupBudget(8, [4, 4])).toEqual([4, 4]);
    });
  });

  describe('pruneExactPerRow', () => {
    it('prunes ⌊k/rows⌋ per row and gives the extra to the rows with the smallest next score', () => {
      // 2×4, k = 3: one per row, plus one in the row whose 2nd-lowest is smaller (row 1: 0.2 < 0.5).
      const scores = Float64Array.from([0.1, 0.5, 0.9, 0.8, 0.3, 0.2, 0.7, 0.6]);
      const mask = pruneExactPerRow(scores, [2, 4], 3);
      expect(Array.from(mask)).toEqual([0, 1, 1, 1, 1, 0, 1, 1].map((v, i) => (i === 4 ? 0 : v)));
      expect(zeros(mask)).toBe(3);
    });

    it('prunes the lower index first on ties within a row', () => {
      expect(Array.from(pruneExactPerRow(Float64Array.from([1, 1, 1]), [1, 3], 2))).toEqual([0, 0, 1]);
    });
  });
});
