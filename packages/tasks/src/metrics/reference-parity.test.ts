import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusBleu } from './bleu.js';
import type { CaptionSample } from './caption-samples.js';
import { ciderD } from './cider-d.js';
import { retrievalRecall } from './retrieval.js';
import { vqaScore } from './vqa-accuracy.js';

/** Outputs of the reference implementations on random inputs; `source` says how each was produced. */
interface ReferenceCases {
  readonly source: Record<string, string>;
  readonly captions: readonly { samples: CaptionSample[]; bleu: number[]; cider: number; ciderPer: number[] }[];
  readonly vqa: readonly { prediction: string; answers: string[]; score: number }[];
  readonly retrieval: readonly { scores: number[][]; textToImage: number[]; expected: { i2t: number[]; t2i: number[]; rMean: number } }[];
}

const cases = JSON.parse(readFileSync(new URL('./__fixtures__/reference-cases.json', import.meta.url), 'utf8')) as ReferenceCases;

describe('tasks', () => {
  describe('parity with the reference implementations', () => {
    it('corpusBleu equals coco-caption Bleu(4) on random corpora', () => {
      for (const c of cases.captions) {
        const scores = corpusBleu(c.samples, { tokenize: 'none' }).scores;
        scores.forEach((s, k) => expect(s).toBeCloseTo(c.bleu[k], 14));
      }
    });

    it('ciderD equals coco-caption CIDEr-D on random corpora (empty candidates included)', () => {
      for (const c of cases.captions) {
        const r = ciderD(c.samples, { tokenize: 'none' });
        expect(r.score).toBeCloseTo(c.cider, 13);
        r.scores.forEach((s, i) => expect(s).toBeCloseTo(c.ciderPer[i], 13));
      }
    });

    it('vqaScore equals the official VQAEval on random answer sets', () => {
      for (const c of cases.vqa) expect(vqaScore(c.prediction, c.answers)).toBeCloseTo(c.score, 14);
    });

    it('retrievalRecall equals BLIP itm_eval with a stable argsort on random tied matrices', () => {
      for (const c of cases.retrieval) {
        const r = retrievalRecall(c.scores, c.textToImage);
        const { i2t, t2i } = r;
        expect([i2t.r1, i2t.r5, i2t.r10, i2t.rMean, i2t.medianRank, i2t.meanRank]).toEqual(c.expected.i2t.map((v) => expect.closeTo(v, 12)));
        expect([t2i.r1, t2i.r5, t2i.r10, t2i.rMean, t2i.medianRank, t2i.meanRank]).toEqual(c.expected.t2i.map((v) => expect.closeTo(v, 12)));
        expect(r.rMean).toBeCloseTo(c.expected.rMean, 12);
      }
    });
  });
});
