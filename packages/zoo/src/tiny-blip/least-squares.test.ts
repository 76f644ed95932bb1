import { describe, expect, it } from 'vitest';
import { VlpError } from '@vlp/core';
import { solveSpd } from './least-squares.js';

describe('solveSpd', () => {
  it('solves A X = B for a symmetric positive definite A (hand-checked)', () => {
    // A = [[4, 2], [2, 3]], B = [[2, 8], [1, 7]] → X = A⁻¹B = [[0.5, 1.25], [0, 1.5]]
    const x = solveSpd([4, 2, 2, 3], [2, 8, 1, 7], 2, 2);
    [0.5, 1.25, 0, 1.5].forEach((v, i) => expect(x[i]).toBeCloseTo(v, 12));
  });

  it('rejects a matrix that is not positive definite, and mismatched sizes', () => {
    expect(() => solveSpd([1, 2, 2, 1], [1, 1], 2, 1)).toThrow(/not positive definite/);
    expect(() => solveSpd([1, 0, 0, 1], [1, 1, 1], 2, 1)).toThrow(VlpError);
  });
});
