import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { corpusBleu } from './bleu.js';

// coco-caption's guards, written out where they matter.
const TINY = 1e-15;
const SMALL = 1e-9;

const CAT = { candidate: 'the cat sat on the mat today', references: ['the cat is on the mat', 'there is a cat on the mat today'] };

describe('tasks', () => {
  describe('corpusBleu', () => {
    it('computes BLEU-1..4 of one candidate against two references by hand', () => {
      // candidate (7 words): the cat sat on the mat today
      // R1 (6): the cat is on the mat            R2 (8): there is a cat on the mat today
      // 1-grams: the×2 (max ref count 2, R1) cat on mat today → 6 of 7 (sat unmatched)
      // 2-grams: the cat ✓ cat sat ✗ sat on ✗ on the ✓ the mat ✓ mat today ✓ (R2)     → 4 of 6
      // 3-grams: the cat sat ✗ cat sat on ✗ sat on the ✗ on the mat ✓ the mat today ✓ → 2 of 5
      // 4-grams: the cat sat on ✗ cat sat on the ✗ sat on the mat ✗ on the mat today ✓ → 1 of 4
      // effective reference length: 6 and 8 are both 1 away from 7; the shorter (6) wins the
      // tie → ratio 7/6 > 1 → no brevity penalty (with 8 it would be exp(1 - 8/7) ≈ 0.867).
      // BLEU-4 = (6/7 · 4/6 · 2/5 · 1/4)^(1/4) = (2/35)^(1/4) ≈ 0.48892
      const r = corpusBleu([CAT], { tokenize: 'none' });
      expect(r.candidateLength).toBe(7);
      expect(r.referenceLength).toBe(6);
      expect(r.scores[0]).toBeCloseTo(6 / 7, 9);
      expect(r.scores[1]).toBeCloseTo(Math.sqrt(4 / 7), 9);
      expect(r.scores[2]).toBeCloseTo((8 / 35) ** (1 / 3), 9);
      expect(r.score).toBeCloseTo((2 / 35) ** (1 / 4), 9);
      expect(r.score).toBeCloseTo(0.48892, 5);
      expect(r.score).toBe(r.scores[3]);
    });

    it('clips each n-gram by its maximum count in a single reference', () => {
      // "the the the" vs ["the cat", "the the dog"]: "the" ×3, max count in one reference 2 (R2)
      // → p1 = 2/3; "the the" ×2, max 1 → p2 = 1/2; closest reference length to 3 is 3 (R2).
      // BLEU-2 = (2/3 · 1/2)^(1/2)
      const r = corpusBleu([{ candidate: 'the the the', references: ['the cat', 'the the dog'] }], { n: 2, tokenize: 'none' });
      expect(r.referenceLength).toBe(3);
      expect(r.scores[0]).toBeCloseTo(2 / 3, 9);
      expect(r.score).toBeCloseTo(Math.sqrt((2 / 3) * (1 / 2)), 9);
    });

    it('applies the brevity penalty and the tiny/small guards of the reference', () => {
      // "the cat" vs "the cat is on the mat": p1 = 2/2, p2 = 1/1, no 3- or 4-grams to guess:
      // (0 + 1e-15) / (0 + 1e-9) = 1e-6 each; ratio 2/6 → BP = exp(1 - 3) = e^-2.
      // BLEU-2 = 1 · e^-2 ≈ 0.13534;  BLEU-4 = (1 · 1 · 1e-6 · 1e-6)^(1/4) · e^-2 = 1e-3 · e^-2 (not 0)
      const r = corpusBleu([{ candidate: 'the cat', references: ['the cat is on the mat'] }], { tokenize: 'none' });
      const ratio = (2 + TINY) / (6 + SMALL);
      expect(r.ratio).toBe(ratio);
      expect(r.scores[1]).toBeCloseTo(Math.exp(-2), 9);
      expect(r.score).toBeCloseTo(1e-3 * Math.exp(-2), 12);
      expect(r.score).toBeGreaterThan(0);
    });

    it('sums counts and lengths over the corpus (not a mean of sentence scores)', () => {
      // image 1 as above: correct [6,4,2,1], guess [7,6,5,4], lengths 7 / 6
      // image 2 "a dog" vs "a dog runs": correct [2,1,0,0], guess [2,1,0,0], lengths 2 / 3
      // corpus: correct [8,5,2,1], guess [9,7,5,4], lengths 9 / 9 → ratio (9 + 1e-15)/(9 + 1e-9),
      // a hair below 1, so BP = exp(1 - 1/ratio) ≈ 1 - 1.1e-10
      // BLEU-4 = (8/9 · 5/7 · 2/5 · 1/4)^(1/4) = (4/63)^(1/4) ≈ 0.50197
      const r = corpusBleu([CAT, { candidate: 'a dog', references: ['a dog runs'] }], { tokenize: 'none' });
      expect(r.candidateLength).toBe(9);
      expect(r.referenceLength).toBe(9);
      expect(r.ratio).toBeLessThan(1);
      expect(r.score).toBeCloseTo((4 / 63) ** (1 / 4), 9);
    });

    it('scores an identical candidate ≈ 1, no overlap ≈ 0 and an empty candidate exactly 0', () => {
      // identical (5 words): every factor is (c + 1e-15)/(c + 1e-9) with c = 5, 4, 3, 2 and the
      // ratio (5 + 1e-15)/(5 + 1e-9) is a hair below 1, so the reference gives 1 - 5e-10, not 1
      const same = corpusBleu([{ candidate: 'a cat on a mat', references: ['a cat on a mat'] }], { tokenize: 'none' });
      const factors = [5, 4, 3, 2].map((c) => (c + TINY) / (c + SMALL));
      const ratio = (5 + TINY) / (5 + SMALL);
      expect(same.score).toBeCloseTo((factors[0] * factors[1] * factors[2] * factors[3]) ** (1 / 4) * Math.exp(1 - 1 / ratio), 15);
      expect(same.score).toBeCloseTo(1, 8);
      // "dog" vs "a cat": p1 = (0 + 1e-15)/(1 + 1e-9), p2..p4 = 1e-15/1e-9 = 1e-6; ratio ≈ 1/2 →
      // BP ≈ e^-1 → (1e-15 · 1e-18)^(1/4) · e^-1 ≈ 2.07e-9
      const none = corpusBleu([{ candidate: 'dog', references: ['a cat'] }], { tokenize: 'none' });
      const expected = ((TINY / (1 + SMALL)) * (TINY / SMALL) ** 3) ** (1 / 4) * Math.exp(1 - (2 + SMALL) / (1 + TINY));
      expect(none.score / expected).toBeCloseTo(1, 12);
      expect(none.score).toBeCloseTo(0, 8);
      // empty: every factor is 1e-6 but the ratio is ~5e-16 → BP = exp(1 - 2e15) = 0
      const empty = corpusBleu([{ candidate: '', references: ['a cat'] }], { tokenize: 'none' });
      expect(empty.score).toBe(0);
      expect(empty.candidateLength).toBe(0);
    });

    it('tokenizes like coco-caption by default (PTB tokens, lower case, punctuation dropped)', () => {
      const raw = { candidate: 'The cat sat on the mat today.', references: ['The cat is on the mat!', 'There is a cat, on the mat today.'] };
      expect(corpusBleu([raw]).scores).toEqual(corpusBleu([CAT], { tokenize: 'none' }).scores);
      // "A dog." vs "a dog": one token sequence after tokenization, no common word without it
      const dog = [{ candidate: 'A dog.', references: ['a dog'] }];
      expect(corpusBleu(dog, { n: 2 }).score).toBeCloseTo(1, 8);
      expect(corpusBleu(dog, { n: 2, tokenize: 'none' }).score).toBeCloseTo(0, 8);
    });

    it('rejects an empty corpus, a sample without references and a bad n', () => {
      const cases: [() => unknown, RegExp][] = [
        [() => corpusBleu([]), /needs at least one caption sample/],
        [() => corpusBleu([{ candidate: 'a', references: [] }]), /samples\[0\]\.references must be a non-empty array/],
        [() => corpusBleu([{ candidate: 3 as unknown as string, references: ['a'] }]), /samples\[0\]\.candidate must be a string/],
        [() => corpusBleu([CAT], { n: 0 }), /n must be a positive integer/],
        [() => corpusBleu([CAT], { tokenize: 'nltk' as 'none' }), /tokenize must be 'ptb' or 'none'/],
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
