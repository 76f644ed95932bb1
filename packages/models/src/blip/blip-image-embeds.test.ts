import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError, createRng, initBackend } from '@vlp/core';
import type { BlipForConditionalGeneration } from './blip-caption-model.js';
import { blipItcLoss } from './blip-itc-loss.js';
import { blipItmLoss } from './blip-itm-loss.js';
import { blipCaptionLmLoss, blipVqaLmLoss } from './blip-lm-loss.js';
import { createRandomBlip } from './blip-random.js';
import type { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import type { BlipForQuestionAnswering } from './blip-vqa-model.js';

const TINY = {
  vision_config: { hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, image_size: 32, patch_size: 8 },
  text_config: { hidden_size: 32, intermediate_size: 64, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 40, max_position_embeddings: 12, encoder_hidden_size: 32 },
  image_text_hidden_size: 16,
};

/** Batch of 3 random images and texts (ids in 5..39, last two positions of text 2 padded). */
function batch(seed: number) {
  const rng = createRng(seed);
  const pixelValues = tf.tensor4d(Array.from({ length: 3 * 3 * 32 * 32 }, () => rng.nextFloat() * 2 - 1), [3, 3, 32, 32]);
  const ids = Array.from({ length: 3 * 8 }, (_, i) => (i % 8 === 0 ? 2 : 5 + Math.floor(rng.nextFloat() * 35)));
  const inputIds = tf.tensor2d(ids, [3, 8], 'int32');
  const attentionMask = tf.tensor2d(Array.from({ length: 24 }, (_, i) => (i >= 22 ? 0 : 1)), [3, 8], 'int32');
  return { pixelValues, inputIds, attentionMask };
}

describe('BLIP losses on precomputed image embeddings (frozen vision tower)', () => {
  let itm: BlipForImageTextRetrieval;
  let cap: BlipForConditionalGeneration;
  let vqa: BlipForQuestionAnswering;
  let b: ReturnType<typeof batch>;
  let embeds: tf.Tensor3D;

  beforeAll(async () => {
    await initBackend();
    itm = createRandomBlip('BlipForImageTextRetrieval', TINY, 1) as BlipForImageTextRetrieval;
    cap = createRandomBlip('BlipForConditionalGeneration', TINY, 2) as BlipForConditionalGeneration;
    vqa = createRandomBlip('BlipForQuestionAnswering', TINY, 3) as BlipForQuestionAnswering;
    b = batch(5);
    embeds = itm.differentiableVision(b.pixelValues).lastHiddenState;
  });
  afterAll(async () => {
    tf.dispose([b.pixelValues, b.inputIds, b.attentionMask, embeds]);
    await Promise.all([itm.dispose(), cap.dispose(), vqa.dispose()]);
  });

  it('differentiableVision gives vision().lastHiddenState and the hidden states, without leaks', async () => {
    const ref = await itm.vision(b.pixelValues, { engine: 'tfjs', outputHiddenStates: true });
    expect(embeds.shape).toEqual([3, 17, 32]);
    expect(Math.max(...tf.tidy(() => tf.abs(tf.sub(embeds, ref.lastHiddenState)).dataSync()))).toBeLessThan(1e-6);
    const before = tf.memory().numTensors;
    const out = itm.differentiableVision(b.pixelValues, { hiddenStates: true });
    expect(out.hiddenStates).toHaveLength(3);
    expect(tf.memory().numTensors - before).toBe(4);
    expect(Math.max(...tf.tidy(() => tf.abs(tf.sub(out.hiddenStates[2] as tf.Tensor, (ref.hiddenStates as tf.Tensor[])[2] as tf.Tensor)).dataSync()))).toBeLessThan(1e-6);
    tf.dispose([out.lastHiddenState, ...out.hiddenStates, ref.lastHiddenState, ref.poolerOutput, ...(ref.hiddenStates ?? [])]);
  });

  it('ITC, ITM (given and mined pairs), caption and VQA losses equal the pixel-path losses', () => {
    const text = { inputIds: b.inputIds, attentionMask: b.attentionMask };
    const answers = b.inputIds.slice([0, 0], [3, 4]);
    const pairs = (images: object) => ({ ...images, ...text, labels: [1, 0, 1], imageIndex: [0, 2, 2] });
    const cases: Array<[string, (images: { pixelValues: tf.Tensor } | { imageEmbeds: tf.Tensor }) => tf.Scalar]> = [
      ['itc', (im) => blipItcLoss(itm, { ...im, ...text, groupIds: [0, 1, 0] })],
      ['itm given', (im) => blipItmLoss(itm, pairs(im))],
      ['itm mined', (im) => blipItmLoss(itm, { ...im, ...text }, { hardNegatives: { seed: 4 }, encToken: 3 })],
      ['caption', (im) => blipCaptionLmLoss(cap, { ...im, ...text })],
      ['vqa', (im) => blipVqaLmLoss(vqa, { ...im, ...text, decoderInputIds: answers })],
    ];
    for (const [name, loss] of cases) {
      const model = name === 'caption' ? cap : name === 'vqa' ? vqa : itm;
      const e = name === 'caption' || name === 'vqa' ? model.differentiableVision(b.pixelValues).lastHiddenState : embeds;
      const fromPixels = loss({ pixelValues: b.pixelValues });
      const before = tf.memory().numTensors;
      const fromEmbeds = loss({ imageEmbeds: e });
      expect(tf.memory().numTensors - before, `${name}: only the loss is left`).toBe(1);
      const [p, q] = [fromPixels.dataSync()[0] as number, fromEmbeds.dataSync()[0] as number];
      expect(p, name).toBeGreaterThan(0.1);
      expect(Math.abs(p - q), `${name}: ${p} vs ${q}`).toBeLessThan(1e-5);
      tf.dispose([fromPixels, fromEmbeds, ...(e === embeds ? [] : [e])]);
    }
    answers.dispose();
  });

  it('gradients reach the text side from embeddings and equal the pixel path; the vision tower gets none', () => {
    const name = 'text_encoder.encoder.layer.0.crossattention.self.value.weight';
    const p = itm.params.get(name);
    const w = tf.tensor(p.data, [...p.shape]);
    const grad = (im: object) => tf.grad((x: tf.Tensor) => blipItmLoss(itm, { ...im, inputIds: b.inputIds, attentionMask: b.attentionMask, labels: [1, 0, 0] }, { weights: { [name]: x } }))(w);
    const [gp, ge] = [grad({ pixelValues: b.pixelValues }), grad({ imageEmbeds: embeds })];
    const scale = tf.tidy(() => tf.max(tf.abs(gp)).dataSync()[0] as number);
    expect(scale).toBeGreaterThan(1e-5);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(gp, ge))).dataSync()[0] as number) / scale).toBeLessThan(1e-4);
    const vname = 'vision_model.encoder.layers.0.mlp.fc1.weight';
    const v = itm.params.get(vname);
    const vw = tf.tensor(v.data, [...v.shape]);
    const visionGrad = tf.grad((x: tf.Tensor) => blipItcLoss(itm, { imageEmbeds: embeds, inputIds: b.inputIds, attentionMask: b.attentionMask }, { weights: { [vname]: x } }));
    // the loss on embeddings does not depend on the tower at all: tfjs finds no path from the weight
    expect(() => visionGrad(vw)).toThrow(/Cannot compute gradient of y=f\(x\) with respect to x/);
    const pixelGrad = tf.grad((x: tf.Tensor) => blipItcLoss(itm, { pixelValues: b.pixelValues, inputIds: b.inputIds, attentionMask: b.attentionMask }, { weights: { [vname]: x } }))(vw);
    expect(tf.tidy(() => tf.max(tf.abs(pixelGrad)).dataSync()[0] as number)).toBeGreaterThan(0);
    tf.dispose([w, gp, ge, vw, pixelGrad]);
  });

  it('differentiableTextFeatures are the ITC text features of forward(useItmHead: false), with gradients', async () => {
    const ref = await itm.forward({ pixelValues: b.pixelValues, inputIds: b.inputIds, attentionMask: b.attentionMask, useItmHead: false, engine: 'tfjs' });
    const feat = itm.differentiableTextFeatures(b.inputIds, b.attentionMask);
    expect(feat.shape).toEqual([3, 16]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(feat, ref.textFeat as tf.Tensor))).dataSync()[0] as number)).toBeLessThan(1e-6);
    const name = 'text_proj.weight';
    const p = itm.params.get(name);
    const w = tf.tensor(p.data, [...p.shape]);
    const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(itm.differentiableTextFeatures(b.inputIds, b.attentionMask, { weights: { [name]: x } }), tf.range(0, 16))))(w);
    expect(tf.tidy(() => tf.max(tf.abs(g)).dataSync()[0] as number)).toBeGreaterThan(1e-4);
    tf.dispose([feat, w, g, ...Object.values(ref).filter((t): t is tf.Tensor => t instanceof tf.Tensor), ref.visionModelOutput.lastHiddenState, ref.visionModelOutput.poolerOutput]);
  });

  it('takes exactly one of pixelValues and imageEmbeds, and checks the embeddings shape', () => {
    const text = { inputIds: b.inputIds, attentionMask: b.attentionMask };
    expect(() => blipItcLoss(itm, { ...text, pixelValues: b.pixelValues, imageEmbeds: embeds })).toThrow(/exactly one of pixelValues/);
    expect(() => blipItcLoss(itm, text)).toThrow(InvalidArgumentError);
    const wrong = tf.zeros([3, 16, 32]);
    expect(() => blipItmLoss(itm, { ...text, imageEmbeds: wrong, labels: [1, 1, 1] })).toThrow(/last_hidden_state \[batch, 17, 32\]; got \[3, 16, 32\]/);
    expect(() => blipCaptionLmLoss(cap, { ...text, imageEmbeds: wrong })).toThrow(InvalidArgumentError);
    wrong.dispose();
  });
});
