import { type PruneEvent, prune } from '@vlp/core';
import { createSyntheticView, syntheticCalibration, syntheticTask, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { snip } from '../snip/snip-pruner.js';
import { iterSnip } from './itersnip-pruner.js';

describePrunerConformance(iterSnip(), {
  validConfigs: [{ rounds: 3 }, { rounds: 2, scope: 'layer' }],
  invalidConfigs: [
    { config: { rounds: 0 }, path: ['rounds'] },
    { config: { rounds: 2.5 }, path: ['rounds'] },
    { config: { scope: 'row' }, path: ['scope'] },
  ],
});

const calibration = syntheticCalibration(2, 0);
const task = syntheticTask();

describe('iterSnip', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('defaults to MULTIFLOW\'s 60 rounds', async () => {
    view = createSyntheticView();
    const pruner = iterSnip();
    const result = await pruner.configSchema['~standard'].validate({});
    expect(result).toEqual({ value: { rounds: 60, scope: 'global' } });
  });

  it('equals SNIP with one round', async () => {
    view = createSyntheticView();
    const request = { sparsity: 0.6, seed: 0 };
    const once = await prune(iterSnip({ rounds: 1 }), view, request, { apply: false, calibration, task });
    const oneShot = await prune(snip(), view, request, { apply: false, calibration, task });
    for (const u of view.units) expect(once.masks.get(u.name)).toEqual(oneShot.masks.get(u.name));
  });

  it('follows the exponential schedule, one step-end per round, ending exactly at s', async () => {
    view = createSyntheticView();
    const events: PruneEvent[] = [];
    const report = await prune(iterSnip({ rounds: 4 }), view, { sparsity: 0.75, seed: 0 }, { apply: false, calibration, task, onEvent: (e) => events.push(e) });
    expect(events.filter((e) => e.type === 'step-end').map((e) => (e as { step: number }).step)).toEqual([0, 1, 2, 3]);
    expect(events.filter((e) => e.type === 'calibration-end')).toHaveLength(4);
    expect(report.sparsity.total.pruned).toBe(Math.floor(0.75 * report.sparsity.total.numel));
  });

  it('differs from one-shot SNIP at high sparsity (re-scored on the pruned model)', async () => {
    view = createSyntheticView();
    const request = { sparsity: 0.9, seed: 0 };
    const iterative = await prune(iterSnip({ rounds: 5 }), view, request, { apply: false, calibration, task });
    const oneShot = await prune(snip(), view, request, { apply: false, calibration, task });
    const differ = view.units.some((u) => iterative.masks.get(u.name)!.some((v, i) => v !== oneShot.masks.get(u.name)![i]));
    expect(differ).toBe(true);
  });
});
