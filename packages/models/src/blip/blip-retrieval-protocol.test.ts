import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import type { RunSpec } from '../engine/model-runner.js';
import { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { BLIP_RETRIEVAL_UNSCORED, blipRetrievalScores } from './blip-retrieval-protocol.js';

const ENC = 207;

describe('blipRetrievalScores (official BLIP evaluation protocol) on blip-itm-tiny', () => {
  let model: BlipForImageTextRetrieval;
  let inputs: Map<string, tf.Tensor>;
  /** ITM logit[1] of every (image i, text t) with [ENC] ids, and the ITC cosine, computed pair by pair with forward(). */
  let direct: { itm: number[][]; itc: number[][] };
  const input = (name: string) => inputs.get(name) as tf.Tensor;
  const set = () => ({ pixelValues: input('pixel_values'), inputIds: input('input_ids'), attentionMask: input('attention_mask') });

  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(path.join(HF_FIXTURES, 'blip-itm-tiny'))) as BlipForImageTextRetrieval;
    inputs = await readReference(path.join(HF_FIXTURES, 'blip-itm-tiny/reference/inputs.safetensors'));
    const image = [0, 0, 0, 1, 1, 1, 2, 2, 2];
    const text = [0, 1, 2, 0, 1, 2, 0, 1, 2];
    const feeds = tf.tidy(() => {
      const ti = tf.tensor1d(text, 'int32');
      const ids = tf.gather(input('input_ids'), ti);
      return {
        pixelValues: tf.gather(input('pixel_values'), tf.tensor1d(image, 'int32')),
        inputIds: tf.concat([tf.fill([9, 1], ENC, 'int32'), ids.slice([0, 1], [-1, -1])], 1),
        attentionMask: tf.gather(input('attention_mask'), ti),
      };
    });
    const itm = await model.forward({ ...feeds, engine: 'onnx' });
    const itc = await model.forward({ ...set(), useItmHead: false, engine: 'onnx' });
    const logits = itm.itmScore.arraySync() as number[][];
    direct = { itm: [0, 1, 2].map((i) => [0, 1, 2].map((t) => (logits[i * 3 + t] as number[])[1] as number)), itc: itc.itmScore.arraySync() as number[][] };
    tf.dispose([...Object.values(feeds), ...[itm, itc].flatMap((o) => [o.itmScore, o.imageEmbeds, o.questionEmbeds, o.imageFeat, o.textFeat, o.visionModelOutput.lastHiddenState, o.visionModelOutput.poolerOutput])].filter((t): t is tf.Tensor => t !== undefined));
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values()]);
  });

  const close = (got: number[][], want: number[][], tol = 1e-4) => got.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - ((want[i] as number[])[j] as number)), `[${i}][${j}]`).toBeLessThan(tol)));

  it('ITC only: both matrices are the cosine similarities', async () => {
    const scores = await blipRetrievalScores(model, set(), { rerank: false, engine: 'onnx' });
    close(scores.itc, direct.itc, 2e-5);
    close(scores.i2t, direct.itc, 2e-5);
    close(scores.t2i, [0, 1, 2].map((t) => direct.itc.map((r) => r[t] as number)), 2e-5);
  });

  it('k = all: every entry is ITM logit[1] on [ENC] ids + ITC, computed pairwise; the ids fed start with [ENC]', async () => {
    const fed: { key: string; ids?: number[][] }[] = [];
    const original = model.runner.run.bind(model.runner);
    const run = vi.spyOn(model.runner, 'run').mockImplementation(async (spec: RunSpec) => {
      fed.push({ key: spec.key, ids: spec.feeds.input_ids?.arraySync() as number[][] | undefined });
      return original(spec);
    });
    // images in two batches, 4 pairs per ITM run: the batching must not change anything
    const batches = [input('pixel_values').slice([0, 0, 0, 0], [2, -1, -1, -1]), input('pixel_values').slice([2, 0, 0, 0], [1, -1, -1, -1])];
    const scores = await blipRetrievalScores(model, { ...set(), pixelValues: batches }, { rerank: { k: 3 }, batchSize: 4, engine: 'onnx' });
    const want = direct.itm.map((row, i) => row.map((v, t) => v + ((direct.itc[i] as number[])[t] as number)));
    close(scores.i2t, want);
    close(scores.t2i, [0, 1, 2].map((t) => want.map((r) => r[t] as number)));
    const itmRuns = fed.filter((f) => f.key.startsWith('blip:itm-embeds'));
    expect(itmRuns.length).toBe(5); // 18 pairs, 4 per run
    const given = input('input_ids').arraySync() as number[][];
    for (const f of itmRuns) {
      for (const row of f.ids as number[][]) {
        expect(row[0]).toBe(ENC);
        expect(given.some((o) => o.slice(1).join() === row.slice(1).join())).toBe(true);
      }
    }
    const textRuns = fed.filter((f) => f.key.startsWith('blip:text-features'));
    expect(textRuns[0]?.ids?.map((row) => row[0])).toEqual([2, 2, 2]); // ITC keeps [CLS]
    run.mockRestore();
    tf.dispose(batches);
  });

  it('k = 1: only each row’s ITC-best entry is re-ranked, the rest is −100', async () => {
    const scores = await blipRetrievalScores(model, set(), { rerank: { k: 1 }, engine: 'onnx' });
    const argmax = (row: number[]) => row.indexOf(Math.max(...row));
    scores.i2t.forEach((row, i) => {
      const best = argmax(direct.itc[i] as number[]);
      row.forEach((v, t) => expect(v).toBeCloseTo(t === best ? ((direct.itm[i] as number[])[t] as number) + ((direct.itc[i] as number[])[t] as number) : BLIP_RETRIEVAL_UNSCORED, 4));
    });
    scores.t2i.forEach((row, t) => {
      const best = argmax(direct.itc.map((r) => r[t] as number));
      row.forEach((v, i) => expect(v).toBeCloseTo(i === best ? ((direct.itm[i] as number[])[t] as number) + ((direct.itc[i] as number[])[t] as number) : BLIP_RETRIEVAL_UNSCORED, 4));
    });
  });

  it('rejects a bad k and leaves no tensors behind on tfjs', async () => {
    await expect(blipRetrievalScores(model, set(), { rerank: { k: 0 } })).rejects.toThrow(/rerank.k must be a positive integer/);
    await blipRetrievalScores(model, set(), { rerank: { k: 2 }, engine: 'tfjs' }); // warms the tfjs parameter cache
    const before = tf.memory().numTensors;
    await blipRetrievalScores(model, set(), { rerank: { k: 2 }, engine: 'tfjs' });
    expect(tf.memory().numTensors).toBe(before);
  });
});
