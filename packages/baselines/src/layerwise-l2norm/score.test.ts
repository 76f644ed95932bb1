import { describe, expect, it } from 'vitest';
import { W3x4 } from '../__tests__/matrices.js';
import { l2NormalizedScores } from './score.js';

describe('l2NormalizedScores', () => {
  it('is |w| / ‖W‖_F (hand-computed 3×4: ‖W‖_F² = 46.5)', () => {
    const expected = [1, 2, 3, 4, 0.5, 0.5, 1, 2, 3, 1, 0, 1].map((v) => v / Math.sqrt(46.5));
    l2NormalizedScores(W3x4).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
  });

  it('does not depend on the unit scale, and scores an all-zero unit 0', () => {
    expect(l2NormalizedScores(W3x4.map((w) => w * 4))).toEqual(l2NormalizedScores(W3x4));
    expect(Array.from(l2NormalizedScores(new Float32Array(3)))).toEqual([0, 0, 0]);
  });
});
