import { readFileSync } from 'node:fs';
import { upopSchedule } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { type RankingModule, cumulativeWeightThreshold, isUpdateStep, progressiveUpdate, zStandardize } from './ranking.js';

interface OfficialCase {
  label: string;
  total_steps: number;
  interval: number;
  p: number;
  modules_in_concat_order: { name: string; kind: 'attn' | 'mlp'; shape: number[] }[];
  updates: { step: number; pi: number; accumulated_grad: Record<string, number[]>; alpha_after: Record<string, number[]> }[];
}
const fixture = JSON.parse(
  readFileSync(new URL('../../../../shared/fixtures/official/upop/update_alpha_cases.json', import.meta.url), 'utf8'),
) as { cases: OfficialCase[]; 'pi_grid_p0.5': Record<string, { step: number; pi: number }[]> };

describe('upop', () => {
  describe('progressiveUpdate (official update_alpha_parameters)', () => {
    for (const c of fixture.cases) {
      it(`equals the official alpha_after of ${c.label} at every update step`, () => {
        const steps = Array.from({ length: c.total_steps }, (_, t) => t).filter((t) => isUpdateStep(t, c.interval, c.total_steps));
        expect(c.updates.map((u) => u.step)).toEqual(steps);
        for (const u of c.updates) {
          const pi = upopSchedule(u.step, { p: c.p, totalSteps: c.total_steps });
          expect(Math.abs(pi - u.pi)).toBeLessThanOrEqual(1e-15);
          const modules: RankingModule[] = c.modules_in_concat_order.map((m) => ({
            kind: m.kind,
            grad: u.accumulated_grad[m.name] as number[],
            weights: m.kind === 'attn' ? 36 : 1,
          }));
          const { alphas } = progressiveUpdate(modules, pi, c.p);
          c.modules_in_concat_order.forEach((m, i) => {
            expect(Array.from(alphas[i] as Float32Array)).toEqual(u.alpha_after[m.name]);
          });
        }
      });
    }
  });

  describe('zStandardize', () => {
    it('uses the unbiased std', () => {
      expect(Array.from(zStandardize([1, 2, 3]))).toEqual([-1, 0, 1]);
    });
    it('maps degenerate inputs to zeros', () => {
      expect(Array.from(zStandardize([5]))).toEqual([0]);
      expect(Array.from(zStandardize([2, 2, 2]))).toEqual([0, 0, 0]);
    });
  });

  describe('cumulativeWeightThreshold', () => {
    it('picks the sorted value whose cumulative weight is closest to fraction · Σw', () => {
      // sorted desc: 4 (w1) 3 (w1) 2 (w1) 1 (w1); target 0.5·4 = 2 → second → 3
      expect(cumulativeWeightThreshold(Float64Array.from([1, 3, 2, 4]), Float64Array.from([1, 1, 1, 1]), 0.5)).toBe(3);
      // weights: 4 carries 3 → cum 3, 4, 5, 6; target 3 → 4
      expect(cumulativeWeightThreshold(Float64Array.from([1, 3, 2, 4]), Float64Array.from([1, 1, 1, 3]), 0.5)).toBe(4);
    });
    it('takes the first index on equal distances', () => {
      // cum 1, 2; target 1.5 → both at 0.5 → first (value 2)
      expect(cumulativeWeightThreshold(Float64Array.from([1, 2]), Float64Array.from([1, 1]), 0.75)).toBe(2);
    });
  });

  describe('progressiveUpdate (hand-made)', () => {
    it('keeps tied entries together (z ≤ threshold keeps all ties)', () => {
      const modules: RankingModule[] = [{ kind: 'mlp', grad: [5, 5, 5, 1, 0, -1], weights: 1 }];
      // z of the three 5s tie; target 0.5·6 = 3 → threshold = 5 → every entry ≤ 5 is kept
      const r = progressiveUpdate(modules, 0.5, 0.5);
      expect(Array.from(r.pruned[0] as Uint8Array)).toEqual([0, 0, 0, 0, 0, 0]);
      const r2 = progressiveUpdate([{ kind: 'mlp', grad: [6, 5, 5, 1, 0, -1], weights: 1 }], 0.25, 0.5);
      // target 1.5: cum 1 (6), 2 (5), 3 (5) → index 0 (|1 − 1.5| = |2 − 1.5|, first) → threshold = z(6) → nothing above it
      expect(Array.from(r2.pruned[0] as Uint8Array)).toEqual([0, 0, 0, 0, 0, 0]);
      const r3 = progressiveUpdate([{ kind: 'mlp', grad: [6, 5, 5, 1, 0, -1], weights: 1 }], 0.4, 0.5);
      // target 2.4: cum 2 at index 1 (z of 5) → only 6 is above → pruned, alpha 1 − 0.4/0.5 = 0.2
      expect(Array.from(r3.pruned[0] as Uint8Array)).toEqual([1, 0, 0, 0, 0, 0]);
      expect(r3.alphas[0]?.[0]).toBe(Math.fround(0.2));
    });
    it('never prunes the only entry of a single-entry module, nor the minimum of any module', () => {
      const modules: RankingModule[] = [
        { kind: 'attn', grad: [10], weights: 36 },
        { kind: 'attn', grad: [-3, -2], weights: 36 },
        { kind: 'mlp', grad: [4, 3, 2, 1], weights: 1 },
      ];
      const r = progressiveUpdate(modules, 0.5, 0.5);
      expect(Array.from(r.pruned[0] as Uint8Array)).toEqual([0]);
      expect(Array.from(r.alphas[0] as Float32Array)).toEqual([1]);
      expect(r.pruned[1]?.[0]).toBe(0);
      expect(r.pruned[2]?.[3]).toBe(0);
      // the final step (π = p) drives the pruned set to exactly 0
      const last = progressiveUpdate([{ kind: 'mlp', grad: [4, 3, 2, 1], weights: 1 }], 0.5, 0.5);
      // target 0.5·4 = 2 → threshold z(3) → only z(4) is above
      expect(Array.from(last.alphas[0] as Float32Array)).toEqual([0, 1, 1, 1]);
    });
    it('weights entries by their parameters when given per-entry weights', () => {
      // z: attn [1, 0, −1], mlp [0.707, −0.707]; descending: attn0, mlp0, attn1, mlp1, attn2
      const attn: RankingModule = { kind: 'attn', grad: [2, 0, -2], weights: 1 };
      const equal = progressiveUpdate([attn, { kind: 'mlp', grad: [1, 0], weights: 1 }], 0.5, 0.5);
      // Σw 5, target 2.5: cum 1, 2, 3 → first closest is index 1 → threshold z(mlp0)
      expect(equal.pruned.map((m) => Array.from(m))).toEqual([[1, 0, 0], [0, 0]]);
      const light = progressiveUpdate([attn, { kind: 'mlp', grad: [1, 0], weights: [0.1, 1] }], 0.5, 0.5);
      // Σw 4.1, target 2.05: cum 1, 1.1, 2.1 → index 2 → threshold z(attn1) = 0 → mlp0 joins the pruned set
      expect(light.pruned.map((m) => Array.from(m))).toEqual([[1, 0, 0], [1, 0]]);
      expect(light.threshold).toBe(0);
      expect(light.prunedWeightFraction).toBeCloseTo(1.1 / 4.1, 12);
    });
    it('keeps everything at p = 0', () => {
      const r = progressiveUpdate([{ kind: 'mlp', grad: [3, 2, 1], weights: 1 }], 0, 0);
      expect(Array.from(r.alphas[0] as Float32Array)).toEqual([1, 1, 1]);
    });
  });

  describe('upopSchedule (via @vlp/core)', () => {
    it('matches the official pi grid', () => {
      for (const [total, rows] of Object.entries(fixture['pi_grid_p0.5'])) {
        for (const row of rows) expect(Math.abs(upopSchedule(row.step, { p: 0.5, totalSteps: Number(total) }) - row.pi)).toBeLessThanOrEqual(1e-15);
      }
    });
  });
});
