import { prune } from '@vlp/core';
import { createSyntheticView, type SyntheticView } from '@vlp/testkit';
import { describePrunerConformance } from '@vlp/testkit/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { random } from './random-pruner.js';

describePrunerConformance(random(), {
  validConfigs: [{}, { scope: 'layer' }],
  invalidConfigs: [
    { config: { scope: 'row' }, path: ['scope'] },
    { config: { seed: 3 }, path: [] },
  ],
});

describe('random', () => {
  let view: SyntheticView | undefined;
  afterEach(() => view?.dispose());

  it('depends on the seed only, and reads no weight', async () => {
    view = createSyntheticView();
    const reads: string[] = [];
    const watched = new Proxy(view, {
      get: (target, key, receiver) => (key === 'weight' ? (name: string) => (reads.push(name), target.weight(name)) : Reflect.get(target, key, receiver)),
    });
    const masks = async (seed: number) => (await prune(random(), watched, { sparsity: 0.5, seed }, { apply: false })).masks;
    const [a, b, c] = [await masks(1), await masks(1), await masks(2)];
    const name = view.units[3].name;
    expect(a.get(name)).toEqual(b.get(name));
    expect(a.get(name)).not.toEqual(c.get(name));
    expect(reads).toEqual([]);
  });

  it('prunes exactly ⌊s·N⌋ weights globally by default and ⌊s·n⌋ per unit with scope: layer', async () => {
    view = createSyntheticView();
    const global = await prune(random(), view, { sparsity: 0.3, seed: 0 }, { apply: false });
    expect(global.sparsity.total.pruned).toBe(Math.floor(0.3 * global.sparsity.total.numel));
    const layer = await prune(random(), view, { sparsity: 0.3, seed: 0 }, { apply: false, config: { scope: 'layer' } });
    for (const u of layer.sparsity.perUnit) expect(u.pruned).toBe(Math.floor(0.3 * u.numel));
  });
});
