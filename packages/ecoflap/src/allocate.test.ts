import { describe, expect, it } from 'vitest';
import { readJson } from './__tests__/fixtures.js';
import { allocateKeep, groupSparsities, keepBudget, minimumKeep } from './allocate.js';
import { allocateOfficial, officialKeepBudget } from './allocate-official.js';

interface Case {
  name: string;
  inputs: { sparsity: number; max_sparsity_per_layer: number; group_scores: Record<string, number>; group_num_parameters: Record<string, number> };
  outputs: { total_parameters_to_keep: number; group_sparsity: Record<string, number>; kept_per_group_from_sparsity: Record<string, number>; kept_total_from_sparsity: number };
}

const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);

describe('ecoflap', () => {
  describe('allocateKeep', () => {
    it('gives every group its floor and shares the rest in proportion to the scores (hand-computed)', () => {
      // 4 × 1000, s = 0.5, s_max = 0.6: floors 400 each, rest 400 shared 1:2:3:4 → 40, 80, 120, 160.
      expect(allocateKeep([1, 2, 3, 4], [1000, 1000, 1000, 1000], 2000, 0.6)).toEqual([440, 480, 520, 560]);
    });

    it('saturates a group at its size and re-shares the remainder among the others', () => {
      // floors 50 each (s_max 0.5); rest 150: group 0's share 150·8/10 = 120 > its room 50 → keeps 100;
      // the remaining 100 go 1:1 to groups 1 and 2.
      const keep = allocateKeep([8, 1, 1], [100, 100, 100], 250, 0.5);
      expect(keep).toEqual([100, 75, 75]);
      expect(sum(keep)).toBe(250);
    });

    it('keeps exactly the budget with largest-remainder rounding', () => {
      // floors 0; rest 10 shared 1:1:1 → 3.33 each, one extra to the first of the tied remainders.
      const keep = allocateKeep([1, 1, 1], [10, 10, 10], 10, 0.99);
      expect(sum(keep)).toBe(10);
      expect(keep).toEqual([4, 3, 3]);
    });

    it('respects the cap and the budget on random instances', () => {
      let seed = 7;
      const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      for (let t = 0; t < 300; t++) {
        const g = 1 + Math.floor(rand() * 10);
        const sizes = Array.from({ length: g }, () => 1 + Math.floor(rand() * 5000));
        const scores = Array.from({ length: g }, () => (rand() < 0.1 ? 0 : rand() * 10));
        const s = Math.round(rand() * 90) / 100;
        const smax = Math.min(0.99, s + Math.round(rand() * 30) / 100 + 0.01);
        const budget = keepBudget(sum(sizes), s);
        const keep = allocateKeep(scores, sizes, budget, smax);
        expect(sum(keep)).toBe(budget);
        keep.forEach((k, i) => {
          expect(k).toBeLessThanOrEqual(sizes[i]);
          expect(k).toBeGreaterThanOrEqual(minimumKeep(sizes[i], smax));
        });
      }
    });

    it('gives more weights to higher-scored groups of equal size', () => {
      const s = groupSparsities(allocateKeep([3, 1, 2], [500, 500, 500], 750, 0.7), [500, 500, 500]);
      expect(s[0]).toBeLessThan(s[2]);
      expect(s[2]).toBeLessThan(s[1]);
    });

    it('rejects malformed inputs with VLP_INVALID_ARGUMENT', () => {
      expect(() => allocateKeep([1], [10, 10], 5, 0.5)).toThrow(expect.objectContaining({ code: 'VLP_INVALID_ARGUMENT' }));
      expect(() => allocateKeep([-1, 1], [10, 10], 5, 0.5)).toThrow(expect.objectContaining({ code: 'VLP_INVALID_ARGUMENT' }));
      expect(() => allocateKeep([1, 1], [10, 10], 21, 0.5)).toThrow(expect.objectContaining({ code: 'VLP_INVALID_ARGUMENT' }));
    });
  });

  describe('allocateOfficial', () => {
    const { cases } = readJson<{ cases: Case[] }>('sparsity_per_group_cases.json');
    for (const c of cases) {
      it(`reproduces the official float32 sparsities of ${c.name} exactly`, () => {
        const names = Object.keys(c.inputs.group_scores);
        const sizes = names.map((n) => c.inputs.group_num_parameters[n]);
        const budget = officialKeepBudget(sum(sizes), c.inputs.sparsity);
        expect(budget).toBe(c.outputs.total_parameters_to_keep);
        const got = allocateOfficial(names.map((n) => c.inputs.group_scores[n]), sizes, budget, c.inputs.max_sparsity_per_layer);
        expect(got.sparsity).toEqual(names.map((n) => c.outputs.group_sparsity[n]));
        const kept = got.sparsity.map((s, i) => Math.round((1 - s) * sizes[i]));
        expect(kept).toEqual(names.map((n) => c.outputs.kept_per_group_from_sparsity[n]));
        expect(sum(got.keep)).toBe(c.outputs.kept_total_from_sparsity); // above the budget: the `+=` fix-up
      });
    }

    it('rounds float32 noise up (0.3f·400 → 121) where the exact allocation gives 120', () => {
      expect(allocateOfficial([1, 2, 3, 4], [1000, 1000, 1000, 1000], 2000, 0.6).keep).toEqual([440, 480, 521, 561]);
    });
  });
});
