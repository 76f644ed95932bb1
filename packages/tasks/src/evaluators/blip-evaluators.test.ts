import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { shapesVLSample } from '@vlp/data';
import { type BlipForConditionalGeneration, type BlipForImageTextRetrieval, type BlipForQuestionAnswering, loadModel } from '@vlp/models';
import { corpusBleu } from '../metrics/bleu.js';
import { retrievalRecall } from '../metrics/retrieval.js';
import { pixelBatch, textBatch } from './blip-inputs.js';
import { evaluateBlipCaptioning } from './blip-captioning.js';
import { evaluateBlipRetrieval } from './blip-retrieval.js';
import { evaluateBlipVqa } from './blip-vqa.js';
import { shapesVLRetrievalSet } from './shapes-vl-sets.js';

const hf = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/fixtures/hf');
const samples = Array.from({ length: 3 }, (_, i) => shapesVLSample(0, 'val', i, 32));
const images = samples.map((s) => s.image);

describe('BLIP evaluators (tiny fixtures, Shapes-VL inputs)', () => {
  let itm: BlipForImageTextRetrieval;
  let caption: BlipForConditionalGeneration;
  let vqa: BlipForQuestionAnswering;
  beforeAll(async () => {
    await initBackend();
    itm = (await loadModel(path.join(hf, 'blip-itm-tiny'))) as BlipForImageTextRetrieval;
    caption = (await loadModel(path.join(hf, 'blip-caption-tiny'))) as BlipForConditionalGeneration;
    vqa = (await loadModel(path.join(hf, 'blip-vqa-tiny'))) as BlipForQuestionAnswering;
  });
  afterAll(async () => {
    await Promise.all([itm.dispose(), caption.dispose(), vqa.dispose()]);
  });

  it('ITC retrieval equals retrievalRecall of forward({ useItmHead: false }) scores', async () => {
    const set = shapesVLRetrievalSet({ count: 3, size: 32, split: 'val' });
    const result = await evaluateBlipRetrieval(itm, set, { batchSize: 2 });
    const pixels = pixelBatch(itm.imageProcessor as never, set.images);
    const text = textBatch(itm.tokenizer as never, set.texts);
    const out = await itm.forward({ pixelValues: pixels, ...text, useItmHead: false });
    const expected = retrievalRecall(out.itmScore.arraySync() as number[][], set.textToImage);
    expect(result).toEqual(expected);
    tf.dispose([pixels, text.inputIds, text.attentionMask, ...Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor)]);
    const reranked = await evaluateBlipRetrieval(itm, set, { rerank: { k: 2 } });
    expect(reranked.t2i.r10).toBe(100); // 3 images: every text finds its image within 10
  });

  it('captioning scores the decoded greedy captions with BLEU-4 and CIDEr-D', async () => {
    const references = samples.map((s) => s.captions);
    const result = await evaluateBlipCaptioning(caption, { images, references }, { maxNewTokens: 6, batchSize: 2 });
    const pixels = pixelBatch(caption.imageProcessor as never, images);
    const out = await caption.generate(pixels, { maxNewTokens: 6 });
    const decoded = (out.sequences.arraySync() as number[][]).map((r) => caption.tokenizer?.decode(r, { skipSpecialTokens: true }).trim());
    expect(result.captions).toEqual(decoded);
    expect(result.bleu4).toBeCloseTo(corpusBleu(decoded.map((c, i) => ({ candidate: c as string, references: references[i] as string[] }))).score, 12);
    expect(Number.isFinite(result.ciderD)).toBe(true);
    tf.dispose([pixels, ...Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor)]);
  });

  it('VQA by generation and by ranking a candidate list', async () => {
    const questions = samples.flatMap((s, imageIndex) => s.questions.slice(0, 2).map((q) => ({ imageIndex, question: q.question, answers: Array(10).fill(q.answer) as string[] })));
    const generated = await evaluateBlipVqa(vqa, { images, questions }, { maxNewTokens: 4 });
    expect(generated.predictions).toHaveLength(6);
    const expectedAcc = (100 * generated.predictions.filter((p, i) => p === questions[i]?.answers[0]).length) / 6;
    expect(generated.accuracy).toBeCloseTo(expectedAcc, 9);
    const candidates = ['red', 'blue', 'circle', 'yes', 'no', '2'];
    const ranked = await evaluateBlipVqa(vqa, { images, questions }, { mode: 'rank', candidates, k: 3 });
    expect(ranked.predictions.every((p) => candidates.includes(p))).toBe(true);
    const pixels = pixelBatch(vqa.imageProcessor as never, [images[0] as never]);
    const q = textBatch(vqa.tokenizer as never, [questions[0]?.question as string]);
    const a = textBatch(vqa.tokenizer as never, candidates);
    const direct = await vqa.rankAnswers({ pixelValues: pixels, inputIds: q.inputIds, attentionMask: q.attentionMask, answerIds: a.inputIds, answerAttentionMask: a.attentionMask }, { k: 3 });
    expect(ranked.predictions[0]).toBe(candidates[direct[0]?.best as number]);
    tf.dispose([pixels, q.inputIds, q.attentionMask, a.inputIds, a.attentionMask]);
  });

  it('VQA with encToken generates from [ENC]-first questions (official BLIP), in both modes', async () => {
    const questions = samples.flatMap((s, imageIndex) => s.questions.slice(0, 2).map((q) => ({ imageIndex, question: q.question, answers: Array(10).fill(q.answer) as string[] })));
    const enc = vqa.tokenizer?.tokenToId('[ENC]') as number;
    const result = await evaluateBlipVqa(vqa, { images, questions }, { maxNewTokens: 4, encToken: true });
    const plain = await evaluateBlipVqa(vqa, { images, questions }, { maxNewTokens: 4 });
    expect(plain.predictions).not.toEqual(result.predictions); // the option changes what this fixture answers
    const pixels = pixelBatch(vqa.imageProcessor as never, questions.map((q) => images[q.imageIndex] as never));
    const q = textBatch(vqa.tokenizer as never, questions.map((x) => x.question));
    const swapped = tf.tensor2d((q.inputIds.arraySync() as number[][]).map((row) => [enc, ...row.slice(1)]), undefined, 'int32');
    const out = await vqa.generate(swapped, pixels, { attentionMask: q.attentionMask, maxNewTokens: 4 });
    const decoded = (out.sequences.arraySync() as number[][]).map((r) => (vqa.tokenizer?.decode(r, { skipSpecialTokens: true }) as string).trim());
    expect(result.predictions).toEqual(decoded);
    const candidates = ['red', 'blue', 'circle', 'yes', 'no', '2'];
    const ranked = await evaluateBlipVqa(vqa, { images, questions: questions.slice(0, 1) }, { mode: 'rank', candidates, k: 3, encToken: true });
    const a = textBatch(vqa.tokenizer as never, candidates);
    const one = pixelBatch(vqa.imageProcessor as never, [images[0] as never]);
    const direct = await vqa.rankAnswers({ pixelValues: one, inputIds: swapped.slice([0, 0], [1, -1]), attentionMask: q.attentionMask.slice([0, 0], [1, -1]), answerIds: a.inputIds, answerAttentionMask: a.attentionMask }, { k: 3 });
    expect(ranked.predictions[0]).toBe(candidates[direct[0]?.best as number]);
    tf.dispose([pixels, one, swapped, q.inputIds, q.attentionMask, a.inputIds, a.attentionMask, ...Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor)]);
  });
});
