import { describe, expect, it } from 'vitest';
import { officialThresholdMasks } from './mask.js';
import { masksForRemaining } from './apply-rule.js';

describe('officialThresholdMasks', () => {
  const scores = new Map<string, number[]>([
    ['a', [0.1, 0.9, 0.5, 0.7, 0.3, 0.2]],
    ['b', [5, 6, 7, 8]],
  ]);

  it('prunes below kthvalue(⌊N(1 − r)⌋) and always the two smallest of each tensor (hand-computed)', () => {
    // N = 10, r = 0.5 → k = 5; sorted: 0.1 0.2 0.3 0.5 0.7 … → τ = 0.7
    // a: max(τ, 3rd smallest 0.3) = 0.7 → prunes 0.1 0.5 0.3 0.2; b: max(0.7, 7) = 7 → prunes 5, 6
    const { masks, threshold } = officialThresholdMasks(scores, 0.5);
    expect(threshold).toBe(0.7);
    expect(Array.from(masks.get('a')!)).toEqual([0, 1, 0, 1, 0, 0]);
    expect(Array.from(masks.get('b')!)).toEqual([0, 0, 1, 1]);
  });

  it('prunes nothing when ⌊N(1 − r)⌋ < 1', () => {
    const { masks, threshold } = officialThresholdMasks(scores, 0.95);
    expect(threshold).toBe(-Infinity);
    expect([...masks.values()].every((m) => m.every((v) => v === 1))).toBe(true);
  });

  it('keeps ties at the threshold (strict <)', () => {
    const { masks } = officialThresholdMasks(new Map([['t', [1, 1, 1, 1, 2, 2]]]), 0.5);
    expect(Array.from(masks.get('t')!)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('rejects a ratio outside [0, 1] and NaN scores', () => {
    expect(() => officialThresholdMasks(scores, 1.5)).toThrowError(/remainingRatio/);
    expect(() => officialThresholdMasks(new Map([['x', [Number.NaN, 1, 2]]]), 0.5)).toThrowError(/NaN/);
  });
});

describe('masksForRemaining', () => {
  it('prunes exactly ⌊N(1 − r)⌋ lowest scores with the exact rule', () => {
    const s = new Map([
      ['a', Float32Array.from([0.1, 0.9, 0.5, 0.7, 0.3, 0.2])],
      ['b', Float32Array.from([5, 6, 7, 8])],
    ]);
    const masks = masksForRemaining(s, 0.5, 'exact');
    expect(Array.from(masks.get('a')!)).toEqual([0, 1, 0, 0, 0, 0]);
    expect(Array.from(masks.get('b')!)).toEqual([1, 1, 1, 1]);
  });
});
