import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { S3x4 } from './__tests__/matrices.js';
import { informationFlowMask } from './mask.js';

// S (3×4, flat): 8.75 8.75 13.125 105 | 2 1 2 24 | 3.375 0.5625 2.25 0
// ascending: 0 (11), 0.5625 (9), 1 (5), 2 (4), 2 (6), 2.25 (10), 3.375 (8), 8.75 (0), 8.75 (1), 13.125, 24, 105
const scores = Float64Array.from(S3x4);
const pruned = (mask: Uint8Array) => Array.from(mask.keys()).filter((i) => mask[i] === 0);

describe('informationFlowMask (eq. 8)', () => {
  it('prunes exactly the k lowest scores (hand-computed)', () => {
    expect(pruned(informationFlowMask(scores, 6))).toEqual([4, 5, 6, 9, 10, 11]);
    expect(pruned(informationFlowMask(scores, 0))).toEqual([]);
  });

  it('breaks ties by the lower flat index with the exact rule', () => {
    expect(pruned(informationFlowMask(scores, 4, 'exact'))).toEqual([4, 5, 9, 11]);
    expect(pruned(informationFlowMask(scores, 8, 'exact'))).toEqual([0, 4, 5, 6, 8, 9, 10, 11]);
  });

  it('prunes every score ≤ kthvalue with the official rule (ties included), nothing for k < 1', () => {
    expect(pruned(informationFlowMask(scores, 4, 'official'))).toEqual([4, 5, 6, 9, 11]);
    expect(pruned(informationFlowMask(scores, 8, 'official'))).toEqual([0, 1, 4, 5, 6, 8, 9, 10, 11]);
    expect(pruned(informationFlowMask(scores, 6, 'official'))).toEqual([4, 5, 6, 9, 10, 11]);
    expect(pruned(informationFlowMask(scores, 0, 'official'))).toEqual([]);
  });

  it('rejects k out of range and NaN scores', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return VlpError.isInstance(e) ? e.code : String(e);
      }
    };
    expect(code(() => informationFlowMask(scores, 13))).toBe('VLP_INVALID_ARGUMENT');
    expect(code(() => informationFlowMask(Float64Array.of(1, Number.NaN), 1, 'official'))).toBe('VLP_INVALID_ARGUMENT');
  });
});
