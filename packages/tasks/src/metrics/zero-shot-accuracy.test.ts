import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { topKAccuracy, zeroShotAccuracy } from './zero-shot-accuracy.js';

// prettier-ignore
const LOGITS = [
  [0.1, 0.9, 0.3, 0.2, 0.0, 0.05], // label 1: highest → rank 0
  [0.5, 0.5, 0.1, 0.1, 0.1, 0.1],  // label 1: ties class 0, which ranks first → rank 1
  [0.5, 0.5, 0.1, 0.1, 0.1, 0.1],  // label 0: wins the tie → rank 0
  [0.6, 0.5, 0.4, 0.3, 0.2, 0.1],  // label 5: lowest of 6 → rank 5
];
const LABELS = [1, 1, 0, 5];

describe('tasks', () => {
  describe('zeroShotAccuracy', () => {
    it('gives top-1 and top-5 in percent, equal logits ranking the lower class first', () => {
      // ranks [0, 1, 0, 5]: top-1 hits 2/4 = 50 %, top-5 hits (rank < 5) 3/4 = 75 %
      expect(zeroShotAccuracy(LOGITS, LABELS)).toEqual({ top1: 50, top5: 75, count: 4 });
    });

    it('counts every sample as a top-k hit when there are k classes or fewer', () => {
      expect(topKAccuracy([[0.3, 0.2, 0.1]], [2], 5)).toBe(100);
      expect(topKAccuracy([[0.3, 0.2, 0.1]], [2], 3)).toBe(100);
      expect(topKAccuracy([[0.3, 0.2, 0.1]], [2], 2)).toBe(0);
    });

    it('accepts flat logits with a shape', () => {
      const flat = { data: Float64Array.from(LOGITS.flat()), shape: [4, 6] as const };
      expect(zeroShotAccuracy(flat, LABELS)).toEqual(zeroShotAccuracy(LOGITS, LABELS));
    });

    it('rejects labels of the wrong length or out of range and a bad k', () => {
      const cases: [() => unknown, RegExp][] = [
        [() => zeroShotAccuracy(LOGITS, [1, 1, 0]), /labels has 3 entries but logits has 4 samples/],
        [() => zeroShotAccuracy(LOGITS, [1, 1, 0, 6]), /labels\[3\] = 6 is not a class index in \[0, 6\)/],
        [() => zeroShotAccuracy(LOGITS, [1, 1, 0.5, 2]), /labels\[2\] = 0.5/],
        [() => topKAccuracy(LOGITS, LABELS, 0), /k must be a positive integer, got 0/],
      ];
      for (const [call, message] of cases) {
        expect(call).toThrow(message);
        try {
          call();
        } catch (error) {
          expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
        }
      }
    });
  });
});
