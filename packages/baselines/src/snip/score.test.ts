import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { W3x4 } from '../__tests__/matrices.js';
import { normalizeSaliencies, snipScores } from './score.js';

const G3x4 = [0.5, 1, -1, 0.25, 2, -2, 0, 1, 1, 1, 5, -0.5];

describe('snipScores', () => {
  it('is |g ⊙ w| (hand-computed 3×4)', () => {
    expect(Array.from(snipScores(W3x4, G3x4))).toEqual([0.5, 2, 3, 1, 1, 1, 0, 2, 3, 1, 0, 0.5]);
  });

  it('rejects a gradient of another size', () => {
    let error: unknown;
    try {
      snipScores(W3x4, [1, 2]);
    } catch (e) {
      error = e;
    }
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
  });
});

describe('normalizeSaliencies', () => {
  it('divides by the sum over all units (15 + 5 here)', () => {
    const out = normalizeSaliencies(new Map([['a', snipScores(W3x4, G3x4)], ['b', Float64Array.from([5])]]));
    expect(Array.from(out.get('a')!)).toEqual([0.5, 2, 3, 1, 1, 1, 0, 2, 3, 1, 0, 0.5].map((v) => v / 20));
    expect(Array.from(out.get('b')!)).toEqual([0.25]);
    expect(Array.from(normalizeSaliencies(new Map([['z', new Float64Array(2)]])).get('z')!)).toEqual([0, 0]);
  });
});
