import { createPrunerRegistry, prune } from '@vlp/core';
import { createSyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { describe, expect, it } from 'vitest';
import { rowNorm } from './row-norm-pruner.js';
import { rowNormalizedScores } from './score.js';

// 1. The shared conformance suite of @vlp/testkit: config validation, realised sparsity, determinism,
//    inputs untouched, abort, event order, capability consistency, no tensor leak.
describePrunerConformance(rowNorm(), {
  validConfigs: [{}, { norm: 'l1' }],
  invalidConfigs: [
    { config: { norm: 'l3' }, path: ['norm'] },
    { config: { threshold: 0.1 }, path: [] },
  ],
});

describe('row-norm', () => {
  // 2. The kernel on hand-sized matrices.
  describe('rowNormalizedScores', () => {
    it('divides each |w| by its row norm', () => {
      const w = new Float32Array([3, -4, 0, 0, 1, 0]);
      expect([...rowNormalizedScores(w, [2, 3], 'l2')]).toEqual([0.6000000238418579, 0.800000011920929, 0, 0, 1, 0]);
      expect([...rowNormalizedScores(w, [2, 3], 'l1')].map((x) => Number(x.toFixed(4)))).toEqual([0.4286, 0.5714, 0, 0, 1, 0]);
    });

    it('keeps the ranking when a row is scaled by c > 0', () => {
      const w = new Float32Array([1, 2, 3, 4]);
      const scaled = new Float32Array([1, 2, 30, 40]);
      expect([...rowNormalizedScores(scaled, [2, 2], 'l2')].map((x) => x.toFixed(5))).toEqual([...rowNormalizedScores(w, [2, 2], 'l2')].map((x) => x.toFixed(5)));
    });
  });

  // 3. Through prune(): one global threshold over every unit.
  describe('prune', () => {
    it('reaches the requested sparsity over all units and registers next to other pruners', async () => {
      const view = createSyntheticView();
      const report = await prune(rowNorm(), view, { sparsity: 0.5, seed: 0 });
      expect(Math.abs(report.sparsity.total.sparsity - 0.5)).toBeLessThan(0.01);
      expect(createPrunerRegistry([rowNorm()]).ids()).toEqual(['row-norm']);
      view.dispose();
    });
  });
});
