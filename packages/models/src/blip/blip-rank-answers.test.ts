import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

const CANDIDATES = ['two', 'red and white', 'red', 'white', 'cats', 'the car', 'big tree', 'two cats'];
const DEC = 206;

describe('blipRankAnswers (BLIP rank_answer) on blip-vqa-tiny', () => {
  let model: BlipForQuestionAnswering;
  let inputs: Map<string, tf.Tensor>;
  let answers: { ids: number[][]; mask: number[][] };
  let answerIds: tf.Tensor;
  let answerMask: tf.Tensor;
  const input = (name: string) => inputs.get(name) as tf.Tensor;

  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(path.join(HF_FIXTURES, 'blip-vqa-tiny'))) as BlipForQuestionAnswering;
    inputs = await readReference(path.join(HF_FIXTURES, 'blip-vqa-tiny/reference/inputs.safetensors'));
    const enc = model.tokenizer?.encode(CANDIDATES, { padding: 'longest' });
    if (!enc) throw new Error('the fixture has a tokenizer');
    answers = { ids: enc.inputIds.map((row) => [DEC, ...row.slice(1)]), mask: enc.attentionMask };
    answerIds = tf.tensor2d(enc.inputIds, undefined, 'int32'); // [CLS] first: rankAnswers swaps in [DEC]
    answerMask = tf.tensor2d(enc.attentionMask, undefined, 'int32');
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values(), answerIds, answerMask]);
  });

  /** Score of every candidate for every question from forward()'s answer logits (question mask), with smoothing ε. */
  async function directScores(eps: number): Promise<number[][]> {
    const c = CANDIDATES.length;
    const q = Array.from({ length: 2 * c }, (_, r) => Math.floor(r / c));
    const a = Array.from({ length: 2 * c }, (_, r) => r % c);
    const feeds = tf.tidy(() => {
      const qi = tf.tensor1d(q, 'int32');
      return {
        pixelValues: tf.gather(input('pixel_values'), qi),
        inputIds: tf.gather(input('input_ids'), qi),
        attentionMask: tf.gather(input('attention_mask'), qi),
        decoderInputIds: tf.tensor2d(a.map((i) => answers.ids[i] as number[]), undefined, 'int32'),
        decoderAttentionMask: tf.tensor2d(a.map((i) => answers.mask[i] as number[]), undefined, 'int32'),
      };
    });
    const out = await model.forward({ ...feeds, engine: 'onnx' });
    const logits = out.answerLogits.arraySync() as number[][][];
    tf.dispose([...Object.values(feeds), out.answerLogits, out.imageEmbeds, out.questionEmbeds, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput]);
    const scores = [0, 1].map(() => new Array<number>(c).fill(0));
    logits.forEach((rows, r) => {
      const target = answers.ids[a[r] as number] as number[];
      for (let t = 0; t + 1 < target.length; t++) {
        if (target[t + 1] === 0) continue;
        const row = rows[t] as number[];
        const max = Math.max(...row);
        const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        const mean = row.reduce((s, v) => s + v - lse, 0) / row.length;
        (scores[q[r] as number] as number[])[a[r] as number] += (1 - eps) * ((row[target[t + 1] as number] as number) - lse) + eps * mean;
      }
    });
    return scores;
  }

  const byScore = (scores: number[], among: number[]) => [...among].sort((x, y) => (scores[y] as number) - (scores[x] as number) || x - y);
  const batch = () => ({ pixelValues: input('pixel_values'), inputIds: input('input_ids'), attentionMask: input('attention_mask'), answerIds, answerAttentionMask: answerMask });

  it('k = all: the ranking is the order of the directly computed (label-smoothed) candidate log-likelihoods', async () => {
    for (const eps of [0.1, 0]) {
      const direct = await directScores(eps);
      const ranked = await model.rankAnswers(batch(), { k: 100, labelSmoothing: eps, engine: 'onnx' });
      ranked.forEach((r, q) => {
        const all = CANDIDATES.map((_, i) => i);
        expect(r.ranking, `question ${q}, ε ${eps}`).toEqual(byScore(direct[q] as number[], all));
        expect(r.best).toBe(r.ranking[0]);
        r.topK.forEach((c, i) => expect(r.scores[i]).toBeCloseTo((direct[q] as number[])[c] as number, 4));
      });
    }
  });

  it('k < C keeps the candidates with the most probable first token, then ranks them by score', async () => {
    const start = tf.fill([2, 1], DEC, 'int32');
    const first = await model.forward({ pixelValues: input('pixel_values'), inputIds: input('input_ids'), attentionMask: input('attention_mask'), decoderInputIds: start, engine: 'onnx' });
    const logits = (first.answerLogits.arraySync() as number[][][]).map((rows) => rows[0] as number[]);
    tf.dispose([start, first.answerLogits, first.imageEmbeds, first.questionEmbeds, first.visionModelOutput.lastHiddenState, first.visionModelOutput.poolerOutput]);
    const direct = await directScores(0.1);
    const ranked = await model.rankAnswers(batch(), { k: 3, batchSize: 4, engine: 'tfjs' });
    ranked.forEach((r, q) => {
      const row = logits[q] as number[];
      const max = Math.max(...row);
      const z = row.reduce((s, v) => s + Math.exp(v - max), 0);
      const probs = answers.ids.map((ids) => Math.exp((row[ids[1] as number] as number) - max) / z);
      expect(r.topK).toEqual(byScore(probs, CANDIDATES.map((_, i) => i)).slice(0, 3));
      r.firstTokenProbs.forEach((p, i) => expect(p).toBeCloseTo(probs[r.topK[i] as number] as number, 5));
      expect(r.ranking).toEqual(byScore(direct[q] as number[], r.topK));
      expect(r.best).toBe(r.ranking[0]);
    });
  });

  it('rejects answers without an answer token and a bad k', async () => {
    const short = tf.fill([2, 1], DEC, 'int32');
    await expect(model.rankAnswers({ ...batch(), answerIds: short, answerAttentionMask: undefined })).rejects.toThrow(/tokens ≥ 2/);
    await expect(model.rankAnswers(batch(), { k: 0 })).rejects.toThrow(/k must be a positive integer/);
    short.dispose();
  });
});
