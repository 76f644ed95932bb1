import { describe, expect, it } from 'vitest';
import { pruneLowestPerGroup } from './prune-per-group.js';

const scores = new Map([
  ['a', new Float32Array([1, 2, 2])],
  ['b', new Float32Array([2, 0, 5])],
  ['c', new Float32Array([4, 3, 2, 1, 0, -1, 7])],
  ['unused', new Float32Array([0])],
]);

describe('pruneLowestPerGroup', () => {
  it('prunes floor(s · numel) per group under a group-wide threshold', () => {
    const m = pruneLowestPerGroup(
      [
        { tensors: ['a', 'b'], sparsity: 0.5 }, // 3 of 6
        { tensors: ['c'], sparsity: 0.25 }, // floor(1.75) = 1 of 7
      ],
      scores,
    );
    expect([...m.keys()]).toEqual(['a', 'b', 'c']);
    expect(Array.from(m.get('a')!)).toEqual([0, 0, 1]);
    expect(Array.from(m.get('b')!)).toEqual([1, 0, 1]);
    expect(Array.from(m.get('c')!)).toEqual([1, 1, 1, 1, 1, 0, 1]);
  });

  it('rounding = round prunes round(s · numel)', () => {
    const m = pruneLowestPerGroup([{ tensors: ['c'], sparsity: 0.25 }], scores, 'round'); // round(1.75) = 2
    expect(Array.from(m.get('c')!)).toEqual([1, 1, 1, 1, 0, 0, 1]);
  });

  it('ties follow the order of the group tensor list', () => {
    const m = pruneLowestPerGroup([{ tensors: ['b', 'a'], sparsity: 0.5 }], scores);
    expect(Array.from(m.get('b')!)).toEqual([0, 0, 1]);
    expect(Array.from(m.get('a')!)).toEqual([0, 1, 1]);
  });

  it('rejects unknown and repeated tensors and bad sparsities', () => {
    expect(() => pruneLowestPerGroup([{ tensors: ['zzz'], sparsity: 0.5 }], scores)).toThrowError(/No scores for tensor "zzz"/);
    expect(() =>
      pruneLowestPerGroup(
        [
          { tensors: ['a'], sparsity: 0.5 },
          { tensors: ['a'], sparsity: 0.5 },
        ],
        scores,
      ),
    ).toThrowError(/"a" appears more than once/);
    expect(() => pruneLowestPerGroup([{ tensors: ['a'], sparsity: 1 }], scores)).toThrowError(/groups\[0\]\.sparsity/);
  });
});
