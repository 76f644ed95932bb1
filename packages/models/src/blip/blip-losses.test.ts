import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rng, createRng, initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import { BlipForConditionalGeneration } from './blip-caption-model.js';
import { mineHardNegatives, sampleIndex } from './blip-hard-negatives.js';
import { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

/** −log softmax(row)[label], on the host in float64. */
function nll(row: readonly number[], label: number): number {
  const max = Math.max(...row);
  return -((row[label] as number) - max - Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0)));
}

/** A stand-in Rng returning the given uniforms in order. */
function fixedRng(values: number[]): Rng {
  let i = 0;
  return { nextFloat: () => values[i++ % values.length] as number } as unknown as Rng;
}

describe('BLIP hard-negative mining', () => {
  it('draws an index with probability ∝ its weight (torch.multinomial, inverse CDF)', () => {
    // weights [0.2, 0, 0.6] (total 0.8): u·0.8 < 0.2 → 0, else → 2
    expect(sampleIndex([0.2, 0, 0.6], fixedRng([0.2]))).toBe(0); // 0.16 < 0.2
    expect(sampleIndex([0.2, 0, 0.6], fixedRng([0.3]))).toBe(2); // 0.24
    expect(sampleIndex([0.2, 0, 0.6], fixedRng([0.9999]))).toBe(2);
    expect(() => sampleIndex([0, 0], fixedRng([0.5]))).toThrow(/no candidate/);
  });

  it('never draws the pair itself or its group, follows softmax(sim / temp), and is seeded', () => {
    // unit features: sim(image0, text1) = 0.8, sim(image0, text2) = 0 → weights ∝ e^{0.8/0.5}, e^0
    const image = [[1, 0], [0.8, 0.6], [0, 1]];
    const text = [[1, 0], [0.8, 0.6], [0, 1]];
    const counts = [0, 0, 0];
    const rng = createRng(11);
    for (let k = 0; k < 4000; k++) counts[mineHardNegatives(image, text, { temperature: 0.5, rng }).textForImage[0] as number]++;
    expect(counts[0]).toBe(0);
    const w1 = Math.exp(0.8 / 0.5);
    expect((counts[1] as number) / 4000).toBeCloseTo(w1 / (w1 + 1), 1);
    const grouped = mineHardNegatives(image, text, { temperature: 0.07, rng: createRng(1), groupIds: [5, 5, 9] });
    expect(grouped.imageForText.slice(0, 2)).toEqual([2, 2]); // 0 and 1 share group 5: their only candidate is 2
    expect([0, 1]).toContain(grouped.imageForText[2]);
    expect([0, 1]).toContain(grouped.textForImage[2]);
    const again = (seed: number) => mineHardNegatives(image, text, { temperature: 0.07, rng: createRng(seed) });
    expect(again(3)).toEqual(again(3));
  });
});

describe('BLIP losses on the fixtures (values)', () => {
  let retrieval: BlipForImageTextRetrieval;
  let caption: BlipForConditionalGeneration;
  let vqa: BlipForQuestionAnswering;
  let itm: Map<string, tf.Tensor>;
  let itmRefs: Map<string, tf.Tensor>;
  let cap: Map<string, tf.Tensor>;
  let vq: Map<string, tf.Tensor>;

  beforeAll(async () => {
    await initBackend();
    retrieval = (await loadModel(path.join(HF_FIXTURES, 'blip-itm-tiny'))) as BlipForImageTextRetrieval;
    caption = (await loadModel(path.join(HF_FIXTURES, 'blip-caption-tiny'))) as BlipForConditionalGeneration;
    vqa = (await loadModel(path.join(HF_FIXTURES, 'blip-vqa-tiny'))) as BlipForQuestionAnswering;
    itm = await readReference(path.join(HF_FIXTURES, 'blip-itm-tiny/reference/inputs.safetensors'));
    itmRefs = await readReference(path.join(HF_FIXTURES, 'blip-itm-tiny/reference/outputs.safetensors'));
    cap = await readReference(path.join(HF_FIXTURES, 'blip-caption-tiny/reference/inputs.safetensors'));
    vq = await readReference(path.join(HF_FIXTURES, 'blip-vqa-tiny/reference/inputs.safetensors'));
  });
  afterAll(async () => {
    await Promise.all([retrieval.dispose(), caption.dispose(), vqa.dispose()]);
    tf.dispose([...itm.values(), ...itmRefs.values(), ...cap.values(), ...vq.values()]);
  });

  const batch = () => ({ pixelValues: itm.get('pixel_values') as tf.Tensor, inputIds: itm.get('input_ids') as tf.Tensor, attentionMask: itm.get('attention_mask') as tf.Tensor });

  /** ITM logits of arbitrary (text, image) pairs through `forward(useItmHead)`, ids replaced at column 0 when `first` is set. */
  async function pairLogits(textIndex: number[], imageIndex: number[], first?: number): Promise<number[][]> {
    const b = batch();
    const feeds = tf.tidy(() => {
      const [ti, ii] = [tf.tensor1d(textIndex, 'int32'), tf.tensor1d(imageIndex, 'int32')];
      const ids = tf.gather(b.inputIds, ti);
      return {
        pixelValues: tf.gather(b.pixelValues, ii),
        inputIds: first === undefined ? ids : tf.concat([tf.fill([textIndex.length, 1], first, 'int32'), ids.slice([0, 1], [-1, -1])], 1),
        attentionMask: tf.gather(b.attentionMask, ti),
      };
    });
    const out = await retrieval.forward({ ...feeds, engine: 'onnx' });
    const logits = out.itmScore.arraySync() as number[][];
    tf.dispose([...Object.values(feeds), out.itmScore, out.imageEmbeds, out.questionEmbeds, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput]);
    return logits;
  }

  it('ITM loss = cross-entropy of the reference ITM logits with the given labels (and pairs)', () => {
    const ref = itmRefs.get('itm_logits')?.arraySync() as number[][];
    const loss = retrieval.itmLoss({ ...batch(), labels: [1, 0, 1] });
    expect(loss.shape).toEqual([]);
    expect(loss.dataSync()[0]).toBeCloseTo((nll(ref[0] as number[], 1) + nll(ref[1] as number[], 0) + nll(ref[2] as number[], 1)) / 3, 5);
    loss.dispose();
    expect(() => retrieval.itmLoss(batch())).toThrow(/needs labels/);
    expect(() => retrieval.itmLoss({ ...batch(), labels: [1, 2, 0] })).toThrow(/one 0\/1 per text/);
  });

  it('ITM loss with [ENC] and explicit image pairs equals CE of forward() on the [ENC]-swapped ids', async () => {
    const logits = await pairLogits([0, 1, 2], [1, 1, 0], 207);
    const loss = retrieval.itmLoss({ ...batch(), labels: [0, 1, 0], imageIndex: [1, 1, 0] }, { encToken: true });
    expect(loss.dataSync()[0]).toBeCloseTo((nll(logits[0] as number[], 0) + nll(logits[1] as number[], 1) + nll(logits[2] as number[], 0)) / 3, 5);
    loss.dispose();
  });

  it('ITM loss with hard negatives = CE over the 3B pairs BLIP builds from the seeded ITC-weighted draws', async () => {
    const b = batch();
    const itc = await retrieval.forward({ ...b, useItmHead: false, engine: 'onnx' });
    const mined = mineHardNegatives(itc.imageFeat?.arraySync() as number[][], itc.textFeat?.arraySync() as number[][], { temperature: 0.07, rng: createRng(42) });
    tf.dispose([itc.itmScore, itc.imageEmbeds, itc.questionEmbeds, itc.imageFeat, itc.textFeat, itc.visionModelOutput.lastHiddenState, itc.visionModelOutput.poolerOutput].filter((t): t is tf.Tensor => t !== undefined));
    for (let i = 0; i < 3; i++) {
      expect(mined.imageForText[i]).not.toBe(i);
      expect(mined.textForImage[i]).not.toBe(i);
    }
    const texts = [0, 1, 2, 0, 1, 2, ...mined.textForImage];
    const images = [0, 1, 2, ...mined.imageForText, 0, 1, 2];
    const logits = await pairLogits(texts, images, 207);
    const expected = logits.reduce((s, row, n) => s + nll(row, n < 3 ? 1 : 0), 0) / 9;
    const loss = retrieval.itmLoss(b, { encToken: 207, hardNegatives: { seed: 42 } });
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    loss.dispose();
  });

  it('ITC loss = symmetric CE of cosine / 0.07 (diagonal targets) and with group targets', () => {
    const cos = itmRefs.get('itc_scores')?.arraySync() as number[][]; // 2 images × 3 texts
    const sim = [0, 1].map((i) => [0, 1].map((j) => ((cos[i] as number[])[j] as number) / 0.07));
    const col = (j: number) => sim.map((r) => r[j] as number);
    const diag = (nll(sim[0] as number[], 0) + nll(sim[1] as number[], 1) + nll(col(0), 0) + nll(col(1), 1)) / 4;
    const two = { pixelValues: itm.get('pixel_values')?.slice([0, 0, 0, 0], [2, -1, -1, -1]) as tf.Tensor, inputIds: itm.get('input_ids')?.slice([0, 0], [2, -1]) as tf.Tensor, attentionMask: itm.get('attention_mask')?.slice([0, 0], [2, -1]) as tf.Tensor };
    const loss = retrieval.itcLoss(two);
    expect(loss.dataSync()[0]).toBeCloseTo(diag, 4);
    // one group: targets 0.5 / 0.5 on every row and column
    const soft = (row: number[]) => (nll(row, 0) + nll(row, 1)) / 2;
    const grouped = retrieval.itcLoss({ ...two, groupIds: [7, 7] }, { temperature: tf.scalar(0.07) });
    expect(grouped.dataSync()[0]).toBeCloseTo((soft(sim[0] as number[]) + soft(sim[1] as number[]) + soft(col(0)) + soft(col(1))) / 4, 4);
    tf.dispose([loss, grouped, ...Object.values(two)]);
    expect(() => retrieval.itcLoss({ pixelValues: itm.get('pixel_values') as tf.Tensor, inputIds: itm.get('input_ids')?.slice([0, 0], [2, -1]) as tf.Tensor })).toThrow(/matching pairs/);
  });

  it('leaves no tensors behind (ITM with mining, ITC, LM)', () => {
    const c = { pixelValues: cap.get('pixel_values') as tf.Tensor, inputIds: cap.get('input_ids') as tf.Tensor };
    const run = () => tf.dispose([retrieval.itmLoss(batch(), { hardNegatives: { seed: 1 } }), retrieval.itmLoss({ ...batch(), labels: [1, 1, 0] }), retrieval.itcLoss(batch()), caption.lmLoss(c)]);
    run(); // warms the tfjs parameter caches
    const before = tf.memory().numTensors;
    run();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lmLoss equals forward(labels).loss for captioning and VQA', async () => {
    const c = { pixelValues: cap.get('pixel_values') as tf.Tensor, inputIds: cap.get('input_ids') as tf.Tensor, attentionMask: cap.get('attention_mask') as tf.Tensor };
    const fwd = await caption.forward({ ...c, labels: c.inputIds, engine: 'onnx' });
    const lm = caption.lmLoss(c);
    expect(lm.dataSync()[0]).toBeCloseTo(fwd.loss?.dataSync()[0] as number, 5);
    tf.dispose([lm, fwd.loss, fwd.logits, fwd.imageEmbeds, fwd.visionModelOutput.lastHiddenState, fwd.visionModelOutput.poolerOutput].filter((t): t is tf.Tensor => t !== undefined));
    const v = {
      pixelValues: vq.get('pixel_values') as tf.Tensor,
      inputIds: vq.get('input_ids') as tf.Tensor,
      attentionMask: vq.get('attention_mask') as tf.Tensor,
      decoderInputIds: vq.get('decoder_input_ids') as tf.Tensor,
      decoderAttentionMask: vq.get('decoder_attention_mask') as tf.Tensor,
    };
    const ref = await readReference(path.join(HF_FIXTURES, 'blip-vqa-tiny/reference/outputs.safetensors'));
    const vl = vqa.lmLoss(v);
    expect(vl.dataSync()[0]).toBeCloseTo(ref.get('loss')?.dataSync()[0] as number, 5);
    const unsmoothed = vqa.lmLoss(v, { labelSmoothing: 0 });
    expect(unsmoothed.dataSync()[0]).not.toBeCloseTo(vl.dataSync()[0] as number, 3);
    tf.dispose([vl, unsmoothed, ...ref.values()]);
  });
});
