import { describe, expect, it } from 'vitest';
import { applyCut, lowestCut } from './lowest-cut.js';

describe('lowestCut / applyCut', () => {
  it('finds the k-th value and how many of its ties to take', () => {
    const s = new Float32Array([2, 1, 2, 0, 2]);
    expect(lowestCut(s, 0)).toEqual({ value: -Infinity, ties: 0 });
    expect(lowestCut(s, 1)).toEqual({ value: 0, ties: 1 });
    expect(lowestCut(s, 3)).toEqual({ value: 2, ties: 1 });
    expect(lowestCut(s, 5)).toEqual({ value: 2, ties: 3 });
  });

  it('does not reorder its input', () => {
    const s = new Float64Array([3, 1, 2]);
    lowestCut(s, 2);
    expect(Array.from(s)).toEqual([3, 1, 2]);
  });

  it('applyCut writes every entry and hands leftover ties to the next tensor', () => {
    const a = new Float32Array([2, 5]);
    const b = new Float32Array([2, 2, 1]);
    const ma = new Uint8Array([7, 7]);
    const mb = new Uint8Array(3);
    const left = applyCut(a, 2, 2, ma);
    expect(left).toBe(1);
    expect(applyCut(b, 2, left, mb)).toBe(0);
    expect(Array.from(ma)).toEqual([0, 1]);
    expect(Array.from(mb)).toEqual([0, 1, 0]);
  });
});

describe('lowestCut in place', () => {
  it('gives the same cut and may reorder its (scratch) input', () => {
    const s = new Float32Array([5, 4, 3, 2, 1, 3]);
    expect(lowestCut(s.slice(), 3, true)).toEqual(lowestCut(s, 3));
    expect(lowestCut(s, 3)).toEqual({ value: 3, ties: 1 });
  });
});
