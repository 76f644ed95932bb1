import { prune } from '@vlp/core';
import { createSyntheticView, syntheticCalibration, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { idMetric } from './id-metric-pruner.js';

/** 32 samples: enough for a 2-block analysis (≥ 3 points per block). */
const calibration = syntheticCalibration(4, 0, { batchSize: 8 });

describePrunerConformance(idMetric(), {
  validConfigs: [{ samples: 32, maxBlocks: 2 }, { samples: 16, maxBlocks: 1, thresholdRule: 'exact', unitsPerPass: 24 }],
  invalidConfigs: [
    { config: { samples: 2 }, path: ['samples'] },
    { config: { maxBlocks: 0 }, path: ['maxBlocks'] },
    { config: { thresholdRule: 'kth' }, path: ['thresholdRule'] },
    { config: { ids: { a: -1 } }, path: ['ids', 'a'] },
    { config: { beta1: 0.9 }, path: [] },
  ],
  calibration,
});

describe('idMetric', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('defaults to the official ComputeID settings', async () => {
    const result = await idMetric().configSchema['~standard'].validate({});
    expect(result).toEqual({ value: { samples: 600, maxBlocks: 20, unitsPerPass: 8, excludeQkv: false, thresholdRule: 'official' } });
  });

  it('scores |W| · ID_l: with equal given IDs it is global magnitude pruning', async () => {
    view = createSyntheticView();
    const ids = Object.fromEntries(view.units.map((u) => [u.name, 7]));
    const report = await prune(idMetric({ ids, thresholdRule: 'exact' }), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration });
    const all = view.units.flatMap((u) => Array.from(view!.weight(u.name).dataSync(), Math.abs)).sort((a, b) => a - b);
    const tau = all[all.length / 2 - 1]!;
    for (const u of view.units) {
      const w = view.weight(u.name).dataSync();
      const mask = report.masks.get(u.name)!;
      for (let i = 0; i < w.length; i++) expect(mask[i]).toBe(Math.abs(w[i]!) <= tau ? 0 : 1);
    }
  });

  it('prunes a unit with a larger ID less (the ID is a layer-importance factor)', async () => {
    view = createSyntheticView();
    const [first, ...rest] = view.units;
    const ids = Object.fromEntries([[first!.name, 100], ...rest.map((u) => [u.name, 1])]);
    const report = await prune(idMetric({ ids }), view, { sparsity: 0.5, seed: 0 }, { apply: false, calibration });
    const unit = report.sparsity.perUnit.find((u) => u.unit === first!.name)!;
    expect(unit.sparsity).toBeLessThan(0.05);
  });

  it('reports the measured IDs and leaves q/k/v dense with excludeQkv', async () => {
    view = createSyntheticView();
    const report = await prune(idMetric({ samples: 32, maxBlocks: 2, excludeQkv: true }), view, { sparsity: 0.4, seed: 0 }, { apply: false, calibration });
    for (const u of view.units) {
      expect(report.metrics[`id:${u.name}`]).toSatisfy((v: unknown) => typeof v !== 'number' || (v > 0 && Number.isFinite(v)));
      if (/q_proj|k_proj|v_proj/.test(u.name)) expect(report.masks.get(u.name)!.every((m) => m === 1)).toBe(true);
    }
    expect(Math.abs(report.sparsity.total.sparsity - 0.4)).toBeLessThan(0.01);
    expect(report.notes.join(' ')).toMatch(/excludeQkv/);
  });
});
