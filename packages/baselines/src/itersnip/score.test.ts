import { describe, expect, it } from 'vitest';
import { W3x4 } from '../__tests__/matrices.js';
import { iterSnipScores, PRUNED_SCORE } from './score.js';

const G3x4 = [0.5, 1, -1, 0.25, 2, -2, 0, 1, 1, 1, 5, -0.5];

describe('iterSnipScores', () => {
  it('scores weights pruned in earlier rounds below every saliency (hand-computed 3×4)', () => {
    const mask = Uint8Array.from([1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0]);
    const masked = W3x4.map((w, i) => (mask[i] ? w : 0));
    const p = PRUNED_SCORE;
    expect(Array.from(iterSnipScores(masked, G3x4, mask))).toEqual([0.5, 2, p, 1, p, 1, 0, 2, 3, 1, 0, p]);
  });
});
