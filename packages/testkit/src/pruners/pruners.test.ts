import * as tf from '@tensorflow/tfjs';
import { InvalidConfigError, issuePath, prune } from '@vlp/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type SyntheticView, createSyntheticView } from '../synthetic/view.js';
import { allocationConfigSchema } from './allocation-schema.js';
import { magnitudePruner } from './magnitude-pruner.js';
import { randomPruner } from './random-pruner.js';

let view: SyntheticView | undefined;
afterEach(() => view?.dispose());

describe('allocationConfigSchema', () => {
  const validate = (v: unknown) => allocationConfigSchema()['~standard'].validate(v) as { value?: unknown; issues?: { path?: PropertyKey[] }[] };
  it('fills the default and keeps valid values', () => {
    expect(validate({}).value).toEqual({ allocation: 'per-unit' });
    expect(validate({ allocation: 'global' }).value).toEqual({ allocation: 'global' });
  });
  it('rejects other values, unknown keys and non-objects with paths', () => {
    expect(validate({ allocation: 'x', extra: 1 }).issues!.map((i) => i.path)).toEqual([['allocation'], ['extra']]);
    expect(validate(null).issues![0].path).toBeUndefined();
    expect(validate([]).issues).toHaveLength(1);
  });
});

describe('magnitudePruner', () => {
  it('prunes the lowest |w| of every unit', async () => {
    view = createSyntheticView();
    const report = await prune(magnitudePruner(), view, { sparsity: 0.25, seed: 0 }, { apply: false });
    for (const unit of view.units) {
      const w = Array.from(view.weight(unit.name).dataSync()).map(Math.abs);
      const mask = report.masks.get(unit.name)!;
      const pruned = w.filter((_, i) => mask[i] === 0);
      const kept = w.filter((_, i) => mask[i] === 1);
      expect(pruned).toHaveLength(Math.floor(0.25 * w.length));
      expect(Math.max(...pruned)).toBeLessThanOrEqual(Math.min(...kept));
    }
    expect(report.sparsity.perUnit.every((u) => u.target === 0.25)).toBe(true);
  });

  it('uses one threshold across units with allocation: global', async () => {
    view = createSyntheticView();
    const report = await prune(magnitudePruner(), view, { sparsity: 0.5, seed: 0 }, { apply: false, config: { allocation: 'global' } });
    expect(report.sparsity.total.sparsity).toBe(0.5);
    const perUnit = report.sparsity.perUnit.map((u) => u.sparsity);
    expect(Math.max(...perUnit) - Math.min(...perUnit)).toBeGreaterThan(0.05);
    expect(report.sparsity.perUnit.some((u) => u.target !== undefined)).toBe(false);
  });

  it('zeroes the pruned weights when applied, leaving no extra tensors', async () => {
    view = createSyntheticView();
    const start = tf.memory().numTensors;
    const report = await prune(magnitudePruner(), view, { sparsity: 0.5, seed: 0, scope: { modalities: ['text'] } });
    const unit = view.units.find((u) => u.modality === 'text')!;
    const zeros = Array.from(view.weight(unit.name).dataSync()).filter((v) => v === 0).length;
    expect(zeros).toBe(32);
    expect(report.sparsity.perModality).toEqual({ text: { numel: 1024, pruned: 512, sparsity: 0.5 } });
    expect(Array.from(view.weight(view.units[0].name).dataSync()).includes(0)).toBe(false);
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe('randomPruner', () => {
  it('depends on the seed only', async () => {
    view = createSyntheticView();
    const masks = async (seed: number) => (await prune(randomPruner(), view!, { sparsity: 0.5, seed }, { apply: false })).masks;
    const [a, b, c] = [await masks(1), await masks(1), await masks(2)];
    const name = view.units[3].name;
    expect(a.get(name)).toEqual(b.get(name));
    expect(a.get(name)).not.toEqual(c.get(name));
  });

  it('rejects an invalid config through prune()', async () => {
    view = createSyntheticView();
    const error = await prune(randomPruner(), view, { sparsity: 0.5, seed: 0 }, { config: { allocation: 'rows' } as never }).catch((e: unknown) => e);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect((error as InvalidConfigError).issues.map(issuePath)).toEqual([['allocation']]);
  });
});
