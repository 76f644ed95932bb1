import { describe, expect, it } from 'vitest';
import { kForSparsity } from './k-for-sparsity.js';

describe('kForSparsity', () => {
  it('floors by default, like the official int(s · n)', () => {
    expect(kForSparsity(10, 0.25)).toBe(2);
    expect(kForSparsity(2304, 0.5)).toBe(1152);
    expect(kForSparsity(100, 0.29)).toBe(28); // 0.29 · 100 = 28.999999999999996 in float64
    expect(kForSparsity(0, 0.5)).toBe(0);
    expect(kForSparsity(7, 0)).toBe(0);
  });

  it('rounds half up with rounding = round', () => {
    expect(kForSparsity(10, 0.25, 'round')).toBe(3);
    expect(kForSparsity(10, 0.24, 'round')).toBe(2);
    expect(kForSparsity(100, 0.29, 'round')).toBe(29);
  });

  it.each([
    [10, 1],
    [10, -0.1],
    [10, Number.NaN],
    [-1, 0.5],
    [2.5, 0.5],
  ])('rejects numel %s with sparsity %s', (numel, s) => {
    expect(() => kForSparsity(numel, s)).toThrowError(/numel|sparsity/);
  });

  it('rejects an unknown rounding', () => {
    expect(() => kForSparsity(10, 0.5, 'ceil' as 'floor')).toThrowError(/rounding/);
  });
});
