import { createRng } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { randomScores } from './score.js';

describe('randomScores', () => {
  it('draws numel uniform [0, 1) scores, reproducibly per stream', () => {
    const a = randomScores(createRng(0).split('unit'), 12);
    expect(a).toHaveLength(12);
    expect(a.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(randomScores(createRng(0).split('unit'), 12)).toEqual(a);
    expect(randomScores(createRng(0).split('other'), 12)).not.toEqual(a);
  });
});
