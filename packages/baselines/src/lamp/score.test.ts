import { describe, expect, it } from 'vitest';
import { W3x4 } from '../__tests__/matrices.js';
import { lampScores } from './score.js';

describe('lampScores', () => {
  it('is w_u² / Σ_{v ≥ u} w_v² in ascending w² order (hand-computed 3×4, total 46.5)', () => {
    // ascending w²: 0 (#10), .25 (#4), .25 (#5), 1 (#0, #6, #9, #11), 4 (#1, #7), 9 (#2, #8), 16 (#3);
    // ties in index order, each denominator = what is left of the total.
    const expected = new Map<number, number>([
      [10, 0 / 46.5],
      [4, 0.25 / 46.5],
      [5, 0.25 / 46.25],
      [0, 1 / 46],
      [6, 1 / 45],
      [9, 1 / 44],
      [11, 1 / 43],
      [1, 4 / 42],
      [7, 4 / 38],
      [2, 9 / 34],
      [8, 9 / 25],
      [3, 16 / 16],
    ]);
    const scores = lampScores(W3x4);
    for (const [i, v] of expected) expect(scores[i], `#${i}`).toBeCloseTo(v, 12);
  });

  it('scores the largest weight 1, is scale-free and keeps the magnitude order', () => {
    const scores = lampScores(W3x4);
    expect(Math.max(...scores)).toBe(1);
    lampScores(W3x4.map((w) => -7 * w)).forEach((v, i) => expect(v).toBeCloseTo(scores[i], 12));
    const byMagnitude = [...W3x4.keys()].sort((a, b) => Math.abs(W3x4[a]) - Math.abs(W3x4[b]) || a - b);
    for (let r = 1; r < byMagnitude.length; r++) expect(scores[byMagnitude[r]]).toBeGreaterThanOrEqual(scores[byMagnitude[r - 1]]);
  });

  it('scores an all-zero unit 0 instead of NaN', () => {
    expect(Array.from(lampScores(new Float32Array(4)))).toEqual([0, 0, 0, 0]);
  });
});
