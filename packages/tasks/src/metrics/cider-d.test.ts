import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { ciderD } from './cider-d.js';

describe('tasks', () => {
  describe('ciderD', () => {
    it('scores two images from hand-computed tf-idf vectors', () => {
      // image 1: candidate "a black cat", references "a black cat", "a cat"
      // image 2: candidate "a red dog",   reference  "a dog"
      // Document frequencies (images whose references contain the n-gram): "a" 2; black, cat,
      // dog, "a black", "black cat", "a cat", "a dog", "a black cat" 1; red, "a red", … 0 (→ 1).
      // L = log(#images) = log 2; idf = L - log(max(1, df)): "a" → 0, every other n-gram → L.
      // Lengths are bigram counts: "a black cat" 2, "a cat" 1, "a red dog" 2, "a dog" 1.
      //
      // image 1, vs "a black cat" (identical, δ = 0):
      //   n=1: cand = ref = {a: 0, black: L, cat: L} → L²+L² / (√2L · √2L) = 1
      //   n=2: {a black: L, black cat: L} both → 1;  n=3: {a black cat: L} → 1;  n=4: no 4-grams → 0
      // image 1, vs "a cat" (δ = 2 - 1 = 1, penalty e^(-1/72)):
      //   n=1: ref {a: 0, cat: L}: Σ min(c, r)·r = L·L; norms √2·L and L → 1/√2
      //   n=2: ref {a cat: L} shares nothing with {a black, black cat} → 0;  n=3,4: ref norm 0 → 0
      // image 1 = 10 · mean_n(sum over refs) / 2 refs = 10 · (1 + 1 + 1 + e^(-1/72)/√2) / 4 / 2
      // image 2, vs "a dog" (δ = 1): n=1: cand {a: 0, red: L, dog: L}, ref {a: 0, dog: L} → 1/√2;
      //   n=2: {a red, red dog} vs {a dog} → 0;  n=3,4 → 0
      // image 2 = 10 · (e^(-1/72)/√2) / 4 / 1
      const penalty = Math.exp(-1 / 72);
      const image1 = (10 * (3 + penalty / Math.SQRT2)) / 4 / 2; // ≈ 4.62169
      const image2 = (10 * (penalty / Math.SQRT2)) / 4; // ≈ 1.74338
      const r = ciderD(
        [
          { candidate: 'a black cat', references: ['a black cat', 'a cat'] },
          { candidate: 'a red dog', references: ['a dog'] },
        ],
        { tokenize: 'none' },
      );
      expect(r.scores[0]).toBeCloseTo(image1, 12);
      expect(r.scores[1]).toBeCloseTo(image2, 12);
      expect(r.score).toBeCloseTo((image1 + image2) / 2, 12);
      expect(r.score).toBeCloseTo(3.18254, 5);
    });

    it("clips the candidate's tf-idf weights by the reference's", () => {
      // image 1: "cat cat cat" vs "cat"; image 2: "dog" vs "dog"; L = log 2, idf(cat) = idf(dog) = L.
      // n=1: cand {cat: 3L}, ref {cat: L}: min(3L, L)·L / (3L · L) = 1/3 (without clipping: 1);
      // n=2: ref has no bigram (norm 0) → 0; the candidate has 2 bigrams, the reference 0 → δ = 2,
      // penalty e^(-4/72). image 1 = 10 · (1/3) e^(-1/18) / 4 ≈ 0.78830; image 2 = 10 · 1/4 = 2.5.
      const r = ciderD(
        [
          { candidate: 'cat cat cat', references: ['cat'] },
          { candidate: 'dog', references: ['dog'] },
        ],
        { tokenize: 'none' },
      );
      expect(r.scores[0]).toBeCloseTo((10 * (Math.exp(-1 / 18) / 3)) / 4, 12);
      expect(r.scores[1]).toBeCloseTo(2.5, 12);
    });

    it('gives 0 to an empty candidate and to a candidate sharing no n-gram with its references', () => {
      const r = ciderD(
        [
          { candidate: '', references: ['a cat'] },
          { candidate: 'zebra', references: ['a dog'] },
        ],
        { tokenize: 'none' },
      );
      expect(r.scores).toEqual([0, 0]);
      expect(r.score).toBe(0);
    });

    it('scores an identical caption below 10 when it has no 3- and 4-grams, and 0 in a one-image corpus', () => {
      // "a cat" vs "a cat" next to "a dog" vs "a dog": n=1 and n=2 cosines are 1, n=3,4 are 0 → 10 · 2/4 = 5
      const two = ciderD(
        [
          { candidate: 'a cat', references: ['a cat'] },
          { candidate: 'a dog', references: ['a dog'] },
        ],
        { tokenize: 'none' },
      );
      expect(two.scores).toEqual([5, 5]);
      // one image: idf = log 1 - log 1 = 0 for every n-gram, all vectors are 0 → 0, as in the reference
      expect(ciderD([{ candidate: 'a big red cat', references: ['a big red cat'] }], { tokenize: 'none' }).score).toBe(0);
    });

    it('tokenizes like coco-caption by default', () => {
      const raw = [
        { candidate: 'A black cat.', references: ['A black cat!', 'a cat'] },
        { candidate: 'A red dog', references: ['A dog.'] },
      ];
      const clean = [
        { candidate: 'a black cat', references: ['a black cat', 'a cat'] },
        { candidate: 'a red dog', references: ['a dog'] },
      ];
      expect(ciderD(raw)).toEqual(ciderD(clean, { tokenize: 'none' }));
    });

    it('rejects an empty corpus and bad options', () => {
      const sample = { candidate: 'a', references: ['a'] };
      const cases: [() => unknown, RegExp][] = [
        [() => ciderD([]), /ciderD needs at least one caption sample/],
        [() => ciderD([{ candidate: 'a', references: [] }]), /references must be a non-empty array/],
        [() => ciderD([sample], { sigma: 0 }), /sigma must be a positive finite number/],
        [() => ciderD([sample], { n: 1.5 }), /n must be a positive integer/],
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
