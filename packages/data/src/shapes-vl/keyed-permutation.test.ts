import { describe, expect, it } from 'vitest';
import { KeyedPermutation } from './keyed-permutation.js';

describe('KeyedPermutation', () => {
  it('is a bijection of [0, n) for sizes that are and are not powers of four', () => {
    for (const n of [1, 2, 5, 16, 17, 1152, 4097]) {
      const p = new KeyedPermutation(n, [1, 2, 3, 4]);
      const seen = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const v = p.at(i);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(n);
        seen[v]++;
      }
      expect(seen.every((c) => c === 1)).toBe(true);
    }
  });

  it('depends on the keys and is reproducible', () => {
    const a = new KeyedPermutation(1000, [1, 2, 3, 4]);
    const b = new KeyedPermutation(1000, [1, 2, 3, 5]);
    const first = Array.from({ length: 20 }, (_, i) => a.at(i));
    expect(Array.from({ length: 20 }, (_, i) => new KeyedPermutation(1000, [1, 2, 3, 4]).at(i))).toEqual(first);
    expect(Array.from({ length: 20 }, (_, i) => b.at(i))).not.toEqual(first);
    // pinned values: integer-only arithmetic, the same everywhere
    expect(first.slice(0, 5)).toEqual([744, 176, 659, 355, 356]);
  });
});
