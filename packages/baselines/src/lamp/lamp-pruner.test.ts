import { prune } from '@vlp/core';
import { createSyntheticView, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { lamp } from './lamp-pruner.js';
import { lampScores } from './score.js';

describePrunerConformance(lamp(), { invalidConfigs: [{ config: { rounds: 2 }, path: [] }] });

describe('lamp', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('prunes under one threshold of the LAMP scores and never empties a unit', async () => {
    view = createSyntheticView();
    const report = await prune(lamp(), view, { sparsity: 0.9, seed: 0 }, { apply: false });
    const scores = view.units.flatMap((u) => Array.from(lampScores(view!.weight(u.name).dataSync() as Float32Array)));
    const masks = view.units.flatMap((u) => Array.from(report.masks.get(u.name)!));
    const pruned = scores.filter((_, i) => masks[i] === 0);
    const kept = scores.filter((_, i) => masks[i] === 1);
    expect(pruned).toHaveLength(Math.floor(0.9 * scores.length));
    expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept));
    for (const u of report.sparsity.perUnit) expect(u.pruned).toBeLessThan(u.numel);
  });

  it('keeps the same per-unit magnitude order as magnitude pruning', async () => {
    view = createSyntheticView();
    const report = await prune(lamp(), view, { sparsity: 0.5, seed: 0 }, { apply: false });
    for (const unit of view.units) {
      const w = Array.from(view.weight(unit.name).dataSync(), Math.abs);
      const mask = report.masks.get(unit.name)!;
      const pruned = w.filter((_, i) => mask[i] === 0);
      const kept = w.filter((_, i) => mask[i] === 1);
      if (pruned.length && kept.length) expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept));
    }
  });
});
