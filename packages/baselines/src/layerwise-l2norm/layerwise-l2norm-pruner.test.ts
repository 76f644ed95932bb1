import { prune } from '@vlp/core';
import { createSyntheticView, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { layerwiseL2Norm } from './layerwise-l2norm-pruner.js';
import { l2NormalizedScores } from './score.js';

describePrunerConformance(layerwiseL2Norm(), { invalidConfigs: [{ config: { scope: 'layer' }, path: [] }] });

describe('layerwiseL2Norm', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('prunes under one threshold of |w| / ‖W‖_F', async () => {
    view = createSyntheticView();
    const report = await prune(layerwiseL2Norm(), view, { sparsity: 0.6, seed: 0 }, { apply: false });
    const scores = view.units.flatMap((u) => Array.from(l2NormalizedScores(view!.weight(u.name).dataSync() as Float32Array)));
    const masks = view.units.flatMap((u) => Array.from(report.masks.get(u.name)!));
    const pruned = scores.filter((_, i) => masks[i] === 0);
    const kept = scores.filter((_, i) => masks[i] === 1);
    expect(pruned).toHaveLength(Math.floor(0.6 * scores.length));
    expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept));
  });

  it('is invariant to scaling one unit (unlike global magnitude)', async () => {
    view = createSyntheticView();
    const before = await prune(layerwiseL2Norm(), view, { sparsity: 0.5, seed: 0 }, { apply: false });
    const unit = view.units[0];
    view.setWeights(new Map([[unit.name, (view.weight(unit.name).dataSync() as Float32Array).map((w) => w * 8)]]));
    const after = await prune(layerwiseL2Norm(), view, { sparsity: 0.5, seed: 0 }, { apply: false });
    for (const u of view.units) expect(after.masks.get(u.name)).toEqual(before.masks.get(u.name));
  });
});
