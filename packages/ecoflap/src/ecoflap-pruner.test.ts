import { createSyntheticView, syntheticCalibration, syntheticTask } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { prune } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { ecoflap } from './ecoflap-pruner.js';

// Zeroth-order on the synthetic view: 2 forwards × units × batches, so keep the samples to one batch.
const fast = { scores: { kind: 'zeroth-order', samples: 4, engine: 'tfjs' } } as const;

describe('ecoflap', () => {
  describePrunerConformance(ecoflap(fast), {
    validConfigs: [
      {},
      { granularity: 'layer', groupScore: 'avg', allocation: 'official' },
      { fine: { kind: 'sparsegpt', blockSize: 16 }, sequential: false },
      { scores: { kind: 'zeroth-order', importance: 'grad-mag-abs', samples: 4, loss: 'contrastive-logits', engine: 'tfjs' } },
    ],
    invalidConfigs: [
      { config: { maxSparsity: 1.2 }, path: ['maxSparsity'] },
      { config: { granularity: 'head' }, path: ['granularity'] },
      { config: { scores: { kind: 'zeroth-order', epsilon: 0 } }, path: ['scores', 'epsilon'] },
      { config: { fine: { kind: 'wanda', comparisonGroup: 'column' } }, path: ['fine', 'comparisonGroup'] },
      { config: { unknown: 1 } },
    ],
    sparsities: [0.5, 0.75],
  });

  describe('ecoflap (synthetic view)', () => {
    it('rejects maxSparsity below the target with a message naming both fields', async () => {
      const view = createSyntheticView();
      const run = prune(ecoflap({ ...fast, maxSparsity: 0.3 }), view, { sparsity: 0.5, seed: 0 }, { calibration: syntheticCalibration(1, 0), task: syntheticTask() });
      await expect(run).rejects.toMatchObject({ code: 'VLP_INVALID_CONFIG', message: expect.stringMatching(/maxSparsity \(0\.3\) must be ≥ sparsity \(0\.5\)/) });
      view.dispose?.();
    });

    it('prunes exactly the target, non-uniformly under the cap, with per-stage timings and memory', async () => {
      const view = createSyntheticView();
      const report = await prune(ecoflap(fast), view, { sparsity: 0.5, seed: 0 }, { calibration: syntheticCalibration(1, 0), task: syntheticTask(), apply: false });
      const total = report.sparsity.total;
      expect(total.pruned).toBe(Math.floor(total.numel * 0.5));
      const targets = report.sparsity.perUnit.map((u) => u.target ?? Number.NaN);
      expect(new Set(targets.map((t) => t.toFixed(6))).size).toBeGreaterThan(1);
      for (const t of targets) expect(t).toBeLessThanOrEqual(0.6 + 1e-12);
      expect(report.timings).toMatchObject({ stage1: expect.any(Number), stage2: expect.any(Number) });
      expect(report.metrics).toMatchObject({ stage1PeakRssBytes: expect.any(Number), stage2PeakTensorBytes: expect.any(Number), maxSparsity: 0.6 });
      view.dispose?.();
    });
  });
});
