import { describe, expect, it } from 'vitest';
import { exponentialSchedule } from './exponential.js';

describe('exponentialSchedule (IterSNIP)', () => {
  it('s = 0.75, T = 2 → 0.5, 0.75', () => {
    expect(exponentialSchedule(0, { sparsity: 0.75, rounds: 2 })).toBe(0.5);
    expect(exponentialSchedule(1, { sparsity: 0.75, rounds: 2 })).toBe(0.75);
  });

  it('s = 0.875, T = 3 → 0.5, 0.75, 0.875 (each round keeps half of the survivors)', () => {
    const v = [0, 1, 2].map((t) => exponentialSchedule(t, { sparsity: 0.875, rounds: 3 }));
    expect(v[0]).toBeCloseTo(0.5, 15);
    expect(v[1]).toBeCloseTo(0.75, 15);
    expect(v[2]).toBe(0.875);
  });

  it('the last round returns s exactly even where 1 − (1 − s) does not', () => {
    expect(1 - (1 - 0.1)).not.toBe(0.1);
    expect(exponentialSchedule(0, { sparsity: 0.1, rounds: 1 })).toBe(0.1);
    expect(exponentialSchedule(59, { sparsity: 0.63, rounds: 60 })).toBe(0.63);
  });

  it('is increasing and s = 0 stays 0', () => {
    let prev = 0;
    for (let t = 0; t < 60; t++) {
      const v = exponentialSchedule(t, { sparsity: 0.9, rounds: 60 });
      expect(v).toBeGreaterThan(prev);
      prev = v;
    }
    expect(exponentialSchedule(3, { sparsity: 0, rounds: 5 })).toBe(0);
  });

  it('rejects invalid arguments', () => {
    expect(() => exponentialSchedule(0, { sparsity: 1, rounds: 2 })).toThrowError(/sparsity/);
    expect(() => exponentialSchedule(0, { sparsity: 0.5, rounds: 0 })).toThrowError(/rounds/);
    expect(() => exponentialSchedule(2, { sparsity: 0.5, rounds: 2 })).toThrowError(/round must be a number in \[0, 1\]/);
    expect(() => exponentialSchedule(0.5, { sparsity: 0.5, rounds: 2 })).toThrowError(/round must be an integer/);
  });
});
