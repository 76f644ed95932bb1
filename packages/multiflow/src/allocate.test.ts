import { describe, expect, it } from 'vitest';
import { W3x4 } from './__tests__/matrices.js';
import { multimodalPrior } from './allocate.js';

// Vision group: V1 = the 3×4 example, |W| = 1 2 3 4 | 0.5 0.5 1 2 | 1.5 0.5 2 0, and V2 (2×2) = 0.25 5 0.75 1.25.
// Sorted vision magnitudes: 0, 0.25, 0.5, 0.5, 0.5, 0.75, 1, 1, 1.25, 1.5, 2, 2, 2, 3, 4, 5 (N = 16).
// Text group: T1 (1×4) = 0.1 0.2 0.3 0.4 (N = 4).
const V1 = { name: 'v1', group: 'vision', weight: W3x4 };
const V2 = { name: 'v2', group: 'vision', weight: Float32Array.of(0.25, -5, 0.75, 1.25) };
const T1 = { name: 't1', group: 'text', weight: Float32Array.of(0.1, -0.2, 0.3, -0.4) };
const units = [V1, V2, T1];

const summary = (prior: ReturnType<typeof multimodalPrior>) =>
  Object.fromEntries([...prior.units].map(([name, u]) => [name, [u.magnitudePruned, u.sparsity, u.k]]));

describe('multimodalPrior (eq. 7)', () => {
  it('gives each unit the share of its group that one global magnitude threshold prunes (hand-computed, s = 0.5)', () => {
    const prior = multimodalPrior(units, 0.5);
    // vision: k = 8, τ = 1 (the 7th and 8th smallest are the two 1s of V1): V1 prunes 0 0.5 0.5 0.5 1 1, V2 prunes 0.25 0.75.
    // text: k = 2, τ = 0.2.
    expect(summary(prior)).toEqual({ v1: [6, 0.5, 6], v2: [2, 0.5, 2], t1: [2, 0.5, 2] });
    expect(prior.groups.get('vision')).toEqual({ numel: 16, k: 8, threshold: 1, magnitudePruned: 8 });
    expect(prior.groups.get('text')).toEqual({ numel: 4, k: 2, threshold: Math.fround(0.2), magnitudePruned: 2 });
  });

  it('spends ties at the threshold in unit order with the exact rule, and prunes all of them with the official rule', () => {
    // s = 0.45: vision k = ⌊7.2⌋ = 7, τ = 1 with 6 magnitudes below it and two equal to it (both in V1).
    expect(summary(multimodalPrior(units, 0.45, 'exact'))).toEqual({ v1: [5, 5 / 12, 5], v2: [2, 0.5, 2], t1: [1, 0.25, 1] });
    expect(summary(multimodalPrior(units, 0.45, 'official'))).toEqual({ v1: [6, 0.5, 6], v2: [2, 0.5, 2], t1: [1, 0.25, 1] });
    expect(multimodalPrior(units, 0.45, 'official').groups.get('vision')!.magnitudePruned).toBe(8);
  });

  it('reproduces the official k = int(distribution·numel), which loses one weight when the product lands below an integer', () => {
    // One 2304-weight unit with distinct magnitudes 1..2304 at s = 0.646: ⌊0.646·2304⌋ = 1488 are pruned by magnitude,
    // distribution = 1 − 816/2304 = 0.6458333333333333 and 0.6458333333333333·2304 = 1487.9999999999998.
    const unit = { name: 'u', group: 'text', weight: Float32Array.from({ length: 2304 }, (_, i) => (i % 2 ? -1 : 1) * (i + 1)) };
    expect(multimodalPrior([unit], 0.646, 'official').units.get('u')).toEqual({ group: 'text', numel: 2304, magnitudePruned: 1488, sparsity: 0.6458333333333333, k: 1487 });
    expect(multimodalPrior([unit], 0.646, 'exact').units.get('u')).toMatchObject({ magnitudePruned: 1488, sparsity: 1488 / 2304, k: 1488 });
  });

  it('prunes nothing at sparsity 0 or when ⌊s·N_m⌋ is 0', () => {
    expect(summary(multimodalPrior(units, 0))).toEqual({ v1: [0, 0, 0], v2: [0, 0, 0], t1: [0, 0, 0] });
    expect(summary(multimodalPrior(units, 0.2, 'official'))).toMatchObject({ t1: [0, 0, 0] });
  });

  it('thresholds one group when every unit shares it (global magnitude pruning)', () => {
    const one = multimodalPrior(units.map((u) => ({ ...u, group: 'all' })), 0.5);
    expect(one.groups.get('all')).toMatchObject({ numel: 20, k: 10, magnitudePruned: 10 });
    // 10 smallest of 20: the 4 text magnitudes (≤ 0.4) and 0, 0.25, 0.5, 0.5, 0.5, 0.75.
    expect(summary(one)).toEqual({ v1: [4, 4 / 12, 4], v2: [2, 0.5, 2], t1: [4, 1, 4] });
  });

  it('rejects duplicate names and NaN weights', () => {
    expect(() => multimodalPrior([V1, V1], 0.5)).toThrow(/listed twice/);
    expect(() => multimodalPrior([{ name: 'n', group: 'g', weight: Float32Array.of(1, Number.NaN) }], 0.5)).toThrow(/NaN/);
  });
});
