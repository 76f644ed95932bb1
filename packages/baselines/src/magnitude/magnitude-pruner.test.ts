import { prune } from '@vlp/core';
import { createSyntheticView, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { magnitude } from './magnitude-pruner.js';

describePrunerConformance(magnitude(), {
  validConfigs: [{}, { scope: 'layer' }, { scope: 'global' }],
  invalidConfigs: [
    { config: { scope: 'everywhere' }, path: ['scope'] },
    { config: { scope: 'layer', typo: 1 }, path: [] },
    { config: 'layer', path: [] },
  ],
});
describePrunerConformance(magnitude({ scope: 'global' }), { invalidConfigs: [{ config: { scope: 'everywhere' }, path: ['scope'] }] });

describe('magnitude', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('prunes the lowest |w| of every unit with scope: layer', async () => {
    view = createSyntheticView();
    const report = await prune(magnitude(), view, { sparsity: 0.25, seed: 0 }, { apply: false });
    for (const unit of view.units) {
      const w = Array.from(view.weight(unit.name).dataSync(), Math.abs);
      const mask = report.masks.get(unit.name)!;
      const pruned = w.filter((_, i) => mask[i] === 0);
      const kept = w.filter((_, i) => mask[i] === 1);
      expect(pruned).toHaveLength(Math.floor(0.25 * w.length));
      expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept));
    }
  });

  it('uses one threshold over all units with scope: global (OMP)', async () => {
    view = createSyntheticView();
    const report = await prune(magnitude(), view, { sparsity: 0.5, seed: 0 }, { apply: false, config: { scope: 'global' } });
    const all = view.units.flatMap((u) => Array.from(view!.weight(u.name).dataSync(), Math.abs));
    const masks = view.units.flatMap((u) => Array.from(report.masks.get(u.name)!));
    const pruned = all.filter((_, i) => masks[i] === 0);
    const kept = all.filter((_, i) => masks[i] === 1);
    expect(pruned).toHaveLength(all.length / 2);
    expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept));
    const perUnit = report.sparsity.perUnit.map((u) => u.sparsity);
    expect(Math.max(...perUnit) - Math.min(...perUnit)).toBeGreaterThan(0.05);
  });

  it('takes config defaults from the factory, under the run config', async () => {
    view = createSyntheticView();
    const global = await prune(magnitude({ scope: 'global' }), view, { sparsity: 0.5, seed: 0 }, { apply: false });
    expect(global.config).toEqual({ scope: 'global' });
    const layer = await prune(magnitude({ scope: 'global' }), view, { sparsity: 0.5, seed: 0 }, { apply: false, config: { scope: 'layer' } });
    expect(layer.config).toEqual({ scope: 'layer' });
    expect(() => magnitude({ scope: 'bogus' as never })).toThrow(/Invalid defaults passed to magnitude\(\): scope/);
  });
});
