import { describe, expect, it } from 'vitest';
import { W3x4 } from '../__tests__/matrices.js';
import { magnitudeScores } from './score.js';

describe('magnitudeScores', () => {
  it('is |w| (hand-computed 3×4) and leaves the input alone', () => {
    const copy = Float32Array.from(W3x4);
    expect(Array.from(magnitudeScores(W3x4))).toEqual([1, 2, 3, 4, 0.5, 0.5, 1, 2, 3, 1, 0, 1]);
    expect(W3x4).toEqual(copy);
  });
});
