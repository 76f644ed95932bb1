import { VlpError } from '@vlp/core';
import { describe, expect, it } from 'vitest';
import { vqaAccuracy, vqaScore } from './vqa-accuracy.js';
import { normalizeVqaAnswer, processVqaDigitArticle, processVqaPunctuation } from './vqa-normalize.js';

/** Ten human answers: `matching` times "red", the rest "blue" (so annotators disagree). */
const tenAnswers = (matching: number): string[] => Array.from({ length: 10 }, (_, i) => (i < matching ? 'red' : 'blue'));

describe('tasks', () => {
  describe('vqaScore', () => {
    it('averages min(1, matches among the other 9 / 3) over the 10 leave-one-out subsets', () => {
      // m humans said "red". Leaving out one of them leaves m - 1 matches, leaving out another m.
      // m = 1: (1·min(1, 0/3) + 9·min(1, 1/3)) / 10 = 3/10                = 0.3
      // m = 2: (2·(1/3) + 8·(2/3)) / 10 = (2/3 + 16/3) / 10 = 6/10       = 0.6
      // m = 3: (3·(2/3) + 7·1) / 10 = (2 + 7) / 10                         = 0.9
      // m = 4: (4·1 + 6·1) / 10                                            = 1
      expect(vqaScore('red', tenAnswers(0))).toBe(0);
      expect(vqaScore('red', tenAnswers(1))).toBeCloseTo(0.3, 15);
      expect(vqaScore('red', tenAnswers(2))).toBeCloseTo(0.6, 15);
      expect(vqaScore('red', tenAnswers(3))).toBeCloseTo(0.9, 15);
      expect(vqaScore('red', tenAnswers(4))).toBe(1);
      expect(vqaScore('red', tenAnswers(10))).toBe(1);
    });

    it('normalises prediction and answers only when the humans disagree, as the official code', () => {
      // disagreement (nine "2", one "3"): "Two." → "2" matches 9 → 1
      expect(vqaScore('Two.', [...Array(9).fill('2'), '3'])).toBe(1);
      // unanimous answers: the prediction is compared as given → "Two." ≠ "2" → 0
      expect(vqaScore('Two.', Array(10).fill('2'))).toBe(0);
      // … but it is always cleaned: newlines / tabs to spaces, surrounding whitespace stripped
      expect(vqaScore(' 2\n', Array(10).fill('2'))).toBe(1);
      // answers are normalised too: "The dog" / "dog." → "dog"
      expect(vqaScore('a dog', ['The dog', 'dog.', 'dog', 'cat', 'cat', 'cat', 'cat', 'cat', 'cat', 'cat'])).toBeCloseTo(0.9, 15);
    });

    it('needs at least two human answers', () => {
      expect(() => vqaScore('yes', ['yes'])).toThrow(/at least two human answers/);
      try {
        vqaScore('yes', []);
      } catch (error) {
        expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
      }
    });
  });

  describe('vqaAccuracy', () => {
    it('reports the mean per-question accuracy in percent', () => {
      // 0.6, 0.9 and 1 → mean 2.5 / 3 → 83.33 %
      const r = vqaAccuracy([
        { prediction: 'red', answers: tenAnswers(2) },
        { prediction: 'red', answers: tenAnswers(3) },
        { prediction: 'red', answers: tenAnswers(4) },
      ]);
      expect(r.scores[0]).toBeCloseTo(0.6, 15);
      expect(r.accuracy).toBeCloseTo(250 / 3, 12);
    });

    it('names the bad sample', () => {
      expect(() => vqaAccuracy([{ prediction: 'a', answers: tenAnswers(1) }, { prediction: 'b', answers: ['b'] }])).toThrow(/samples\[1\]: vqaScore needs/);
      expect(() => vqaAccuracy([])).toThrow(/at least one/);
    });
  });

  describe('normalizeVqaAnswer', () => {
    it('deletes punctuation next to a space and turns other punctuation into a space', () => {
      expect(processVqaPunctuation('yes, it is')).toBe('yes it is'); // ", " occurs → "," deleted
      expect(processVqaPunctuation('black/white')).toBe('black white'); // no space next to "/" → space
      expect(processVqaPunctuation('1,000')).toBe('1000'); // comma between digits → delete everywhere
      expect(processVqaPunctuation("don't")).toBe("don't"); // the apostrophe is not in the list
    });

    it('removes periods not followed by a digit, at most 32 of them (the reference passes re.UNICODE as count)', () => {
      expect(processVqaPunctuation('3.5')).toBe('3.5');
      expect(processVqaPunctuation('end.')).toBe('end');
      expect(processVqaPunctuation('.'.repeat(33))).toBe('.');
    });

    it('maps number words to digits, drops articles and expands contractions', () => {
      expect(processVqaDigitArticle('The Two dogs')).toBe('2 dogs');
      expect(processVqaDigitArticle('none')).toBe('0');
      expect(processVqaDigitArticle('an apple  a day')).toBe('apple day');
      expect(processVqaDigitArticle('dont know')).toBe("don't know");
      expect(processVqaDigitArticle('Im here')).toBe('im here'); // the "Im" key has a capital: never matches
      expect(normalizeVqaAnswer('Yes!')).toBe('yes');
      expect(normalizeVqaAnswer('The two dogs.')).toBe('2 dogs');
    });
  });
});
