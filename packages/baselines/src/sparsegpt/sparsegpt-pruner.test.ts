import { prune } from '@vlp/core';
import { createSyntheticView, syntheticCalibration, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { quadraticError } from '../__tests__/linear-algebra.js';
import { collectInputStatistics } from '../common/collect-input-statistics.js';
import { wanda } from '../wanda/wanda-pruner.js';
import { sparseGpt } from './sparsegpt-pruner.js';

describePrunerConformance(sparseGpt(), {
  validConfigs: [{}, { blockSize: 4, dampening: 0.1 }, { sequential: false, tokens: 'valid' }],
  invalidConfigs: [
    { config: { blockSize: 0 }, path: ['blockSize'] },
    { config: { dampening: -0.01 }, path: ['dampening'] },
    { config: { granularity: { kind: 'n:m', n: 2, m: 4 }, blockSize: 6 }, path: ['blockSize'] },
    { config: { percdamp: 0.01 }, path: [] },
  ],
});
describePrunerConformance(sparseGpt({ granularity: { kind: 'n:m', n: 2, m: 4 } }), {
  sparsities: [0.5],
  nm: { n: 2, m: 4 },
  invalidConfigs: [{ config: { granularity: { kind: 'unstructured' } }, path: ['granularity'] }],
});

const calibration = syntheticCalibration(2, 0);
const silent = { signal: new AbortController().signal, emit: () => undefined };

describe('sparseGpt', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  // On layers narrower than a block, the block-start mask selection is one-shot over the whole layer and
  // loses to Wanda on these 8/16-wide units; small blocks restore the adaptive selection (see README).
  it('updates the surviving weights and, with small blocks, reconstructs the calibration outputs better than Wanda', async () => {
    view = createSyntheticView();
    const dense = createSyntheticView();
    try {
      const request = { sparsity: 0.5, seed: 0 };
      const report = await prune(sparseGpt(), view, request, { calibration, config: { sequential: false, blockSize: 2 } });
      const baseline = await prune(wanda(), dense, request, { apply: false, calibration, config: { sequential: false, comparisonGroup: 'tensor' } });
      const grams = await collectInputStatistics(dense, dense.units, calibration, silent, { kind: 'input-gram', tokens: 'all' });
      expect(report.metrics.reconstructionError).toBeGreaterThan(0);
      let [sparseTotal, wandaTotal] = [0, 0];
      for (const unit of dense.units) {
        const [rows, cols] = unit.shape;
        const w = dense.weight(unit.name).dataSync() as Float32Array;
        const pruned = view.weight(unit.name).dataSync() as Float32Array;
        const mask = report.masks.get(unit.name)!;
        const wandaMask = baseline.masks.get(unit.name)!;
        const g = grams.get(unit.name)!.values;
        expect(mask.filter((m) => m === 0)).toHaveLength(Math.floor(0.5 * rows * cols));
        expect(pruned.every((v, i) => mask[i] === 1 || v === 0)).toBe(true);
        expect(pruned.some((v, i) => mask[i] === 1 && v !== w[i])).toBe(true);
        sparseTotal += quadraticError(w, pruned, g, rows, cols);
        wandaTotal += quadraticError(w, w.map((v, i) => (wandaMask[i] ? v : 0)), g, rows, cols);
      }
      expect(sparseTotal).toBeLessThan(wandaTotal);
    } finally {
      dense.dispose();
    }
  });
});
