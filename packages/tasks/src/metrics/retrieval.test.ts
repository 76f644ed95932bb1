import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { retrievalRecall } from './retrieval.js';

// 3 images, 5 texts; texts 0,1 describe image 0, text 2 image 1, texts 3,4 image 2.
const TEXT_TO_IMAGE = [0, 0, 1, 2, 2];
// prettier-ignore
const SCORES = [
  //  t0   t1   t2   t3   t4
  [0.9, 0.5, 0.9, 0.2, 0.3], // image 0
  [0.5, 0.5, 0.5, 0.5, 0.5], // image 1 (all tied)
  [0.0, 0.0, 0.1, 0.8, 0.5], // image 2
];

describe('tasks', () => {
  describe('retrievalRecall', () => {
    it('ranks by the best caption (i2t) and the own image (t2i), equal scores higher index first', () => {
      // Image → text (descending order, ties: higher index first = np.argsort(kind='stable')[::-1]):
      //   image 0: t2(.9) t0(.9) t1(.5) t4(.3) t3(.2); own captions t0 at 1, t1 at 2 → rank 1
      //   image 1: t4 t3 t2 t1 t0 (all .5);             own caption t2 at 2       → rank 2
      //   image 2: t3(.8) t4(.5) t2(.1) t1(0) t0(0);    own t3 at 0, t4 at 1      → rank 0
      //   ranks [1, 2, 0]: R@1 = 1/3, R@5 = R@10 = 3/3; median 1 → 2 (1-based); mean 1 → 2
      // Text → image (columns):
      //   t0 [.9 .5 0] → image 0 first                      → 0
      //   t1 [.5 .5 0] → image 1 ties image 0, ranks first → 1
      //   t2 [.9 .5 .1] → image 1 after image 0            → 1
      //   t3 [.2 .5 .8] → image 2 first                     → 0
      //   t4 [.3 .5 .5] → image 2 ties image 1, ranks first → 0
      //   ranks [0, 1, 1, 0, 0]: R@1 = 3/5, R@5 = R@10 = 5/5; median 0 → 1; mean 0.4 → 1.4
      const r = retrievalRecall(SCORES, TEXT_TO_IMAGE);
      expect(r.i2t.r1).toBeCloseTo(100 / 3, 12);
      expect(r.i2t.r5).toBe(100);
      expect(r.i2t.r10).toBe(100);
      expect(r.i2t.rMean).toBeCloseTo((100 / 3 + 200) / 3, 12);
      expect(r.i2t.medianRank).toBe(2);
      expect(r.i2t.meanRank).toBe(2);
      expect(r.t2i).toEqual({ r1: 60, r5: 100, r10: 100, rMean: 260 / 3, medianRank: 1, meanRank: 1.4 });
      expect(r.rMean).toBeCloseTo(((100 / 3 + 200) / 3 + 260 / 3) / 2, 12);
    });

    it('counts R@5 and R@10 strictly (rank < K) on 0-based ranks, median rank as floor(median) + 1', () => {
      // 2 images, 12 texts; text 5 is image 0's only caption, all other texts belong to image 1.
      // Image 0 scores text j with 11 - j: text 5 has 0-based rank 5 → not in the top 5, in the top 10.
      // Image 1 scores text j with j - 11: its caption text 11 comes first → rank 0.
      // ranks [5, 0]: R@1 = R@5 = 1/2, R@10 = 2/2; median 2.5 → floor 2 → 3; mean 2.5 → 3.5
      const row = Array.from({ length: 12 }, (_, j) => 11 - j);
      const r = retrievalRecall([row, row.map((v) => -v)], row.map((_, j) => (j === 5 ? 0 : 1)));
      expect(r.i2t).toEqual({ r1: 50, r5: 50, r10: 100, rMean: 200 / 3, medianRank: 3, meanRank: 3.5 });
    });

    it('reads flat Float32Array data with a shape, and Float32Array rows, exactly like nested arrays', () => {
      const flat = { data: Float32Array.from(SCORES.flat()), shape: [3, 5] as const };
      const rows = SCORES.map((row) => Float32Array.from(row));
      const nested = SCORES.map((row) => Array.from(Float32Array.from(row)));
      expect(retrievalRecall(flat, TEXT_TO_IMAGE)).toEqual(retrievalRecall(nested, TEXT_TO_IMAGE));
      expect(retrievalRecall(rows, TEXT_TO_IMAGE)).toEqual(retrievalRecall(nested, TEXT_TO_IMAGE));
    });

    it('uses separate text → image scores when given (BLIP ITM reranking)', () => {
      // Text → image scores [texts, images] that put every text's image last.
      const t2i = TEXT_TO_IMAGE.map((image) => [0, 1, 2].map((i) => (i === image ? -1 : 1)));
      const r = retrievalRecall(SCORES, TEXT_TO_IMAGE, { textToImageScores: t2i });
      expect(r.t2i).toMatchObject({ r1: 0, r5: 100, medianRank: 3, meanRank: 3 });
      expect(r.i2t.r1).toBeCloseTo(100 / 3, 12); // unchanged
    });

    it('rejects bad inputs with VLP_INVALID_ARGUMENT and a message naming the problem', () => {
      const cases: [() => unknown, RegExp][] = [
        [() => retrievalRecall(SCORES, [0, 0, 1, 2]), /textToImage has 4 entries but scores has 5 texts/],
        [() => retrievalRecall(SCORES, [0, 0, 1, 3, 2]), /textToImage\[3\] = 3 is not an image index in \[0, 3\)/],
        [() => retrievalRecall(SCORES, [0, 0, 0, 2, 2]), /image 1 has no caption/],
        [() => retrievalRecall([[1, 2], [3]], [0, 1]), /ragged: row 0 has 2 entries but row 1 has 1/],
        [() => retrievalRecall([[1, Number.NaN]], [0, 0]), /scores\[0\]\[1\] is NaN/],
        [() => retrievalRecall({ data: new Float32Array(5), shape: [2, 3] }, [0, 1, 1]), /has 5 entries but shape \[2, 3\] needs 6/],
        [() => retrievalRecall([], []), /scores is empty/],
        [() => retrievalRecall(SCORES, TEXT_TO_IMAGE, { textToImageScores: SCORES }), /must be \[texts, images\] = \[5, 3\]/],
      ];
      for (const [call, message] of cases) {
        let caught: unknown;
        try {
          call();
        } catch (error) {
          caught = error;
        }
        expect(VlpError.isInstance(caught, 'VLP_INVALID_ARGUMENT')).toBe(true);
        expect((caught as Error).message).toMatch(message);
      }
    });
  });
});
