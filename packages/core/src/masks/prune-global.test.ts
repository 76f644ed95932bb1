import { describe, expect, it } from 'vitest';
import { pruneLowestGlobal } from './prune-global.js';

describe('pruneLowestGlobal', () => {
  it('uses one threshold across tensors; ties go to the earlier tensor in map order', () => {
    const a = new Float32Array([1, 2, 2]);
    const b = new Float32Array([2, 0, 5]);
    const ab = pruneLowestGlobal(new Map([['a', a], ['b', b]]), 3);
    expect([...ab.keys()]).toEqual(['a', 'b']);
    expect(Array.from(ab.get('a')!)).toEqual([0, 0, 1]);
    expect(Array.from(ab.get('b')!)).toEqual([1, 0, 1]);

    const ba = pruneLowestGlobal(new Map([['b', b], ['a', a]]), 3);
    expect(Array.from(ba.get('b')!)).toEqual([0, 0, 1]);
    expect(Array.from(ba.get('a')!)).toEqual([0, 1, 1]);
  });

  it('can prune a whole tensor and leave another dense', () => {
    const m = pruneLowestGlobal(new Map([['x', new Float32Array([5, 6])], ['y', new Float32Array([1, 2, 3])]]), 3);
    expect(Array.from(m.get('x')!)).toEqual([1, 1]);
    expect(Array.from(m.get('y')!)).toEqual([0, 0, 0]);
  });

  it('accepts Float64 scores next to Float32 ones without losing precision', () => {
    // In float32, 1 + 1e-12 would tie with 1 and the earlier tensor (f64) would go first.
    const m = pruneLowestGlobal(
      new Map<string, Float32Array | Float64Array>([
        ['f64', new Float64Array([1 + 1e-12, 3])],
        ['f32', new Float32Array([1, 2])],
      ]),
      1,
    );
    expect(Array.from(m.get('f64')!)).toEqual([1, 1]);
    expect(Array.from(m.get('f32')!)).toEqual([0, 1]);
  });

  it('validates k against the total and rejects NaN naming the tensor', () => {
    const s = new Map([['a', new Float32Array(2)], ['b', new Float32Array(3)]]);
    expect(() => pruneLowestGlobal(s, 6)).toThrowError(/\[0, 5\]/);
    expect(() => pruneLowestGlobal(new Map([['w', new Float32Array([Number.NaN])]]), 0)).toThrowError(/"w"/);
    expect(pruneLowestGlobal(new Map(), 0).size).toBe(0);
  });
});
