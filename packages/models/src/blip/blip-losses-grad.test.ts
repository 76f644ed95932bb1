import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import type { BlipModel } from './load-blip.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import type { BlipForConditionalGeneration } from './blip-caption-model.js';
import type { BlipForImageTextRetrieval } from './blip-retrieval-model.js';

type Loss = (weights: Record<string, tf.Tensor>) => tf.Scalar;

/**
 * Checks tf.grad of `loss` w.r.t. parameter `name` against central differences on the 2 entries with
 * the largest analytic gradient (relative error < 1e-2).
 */
function checkGradient(model: BlipModel, name: string, loss: Loss): void {
  const p = model.params.get(name);
  const w0 = tf.tensor(p.data, [...p.shape]);
  const grad = tf.grad((w: tf.Tensor) => loss({ [name]: w }))(w0);
  const g = grad.dataSync();
  const order = Array.from(g.keys()).sort((a, b) => Math.abs(g[b] as number) - Math.abs(g[a] as number));
  const eps = 1e-2;
  for (const i of order.slice(0, 2)) {
    const at = (delta: number) => {
      const data = p.data.slice();
      data[i] = (data[i] as number) + delta;
      return tf.tidy(() => loss({ [name]: tf.tensor(data, [...p.shape]) }).dataSync()[0] as number);
    };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    const analytic = g[i] as number;
    expect(Math.abs(analytic), `${name}[${i}] gradient is not trivially zero`).toBeGreaterThan(1e-4);
    expect(Math.abs(fd - analytic) / Math.max(Math.abs(fd), Math.abs(analytic)), `${name}[${i}]: fd ${fd} vs ${analytic}`).toBeLessThan(1e-2);
  }
  tf.dispose([w0, grad]);
}

describe('BLIP ITM / ITC / LM loss gradients on tfjs-wasm (central differences)', () => {
  let retrieval: BlipForImageTextRetrieval;
  let caption: BlipForConditionalGeneration;
  let itm: Map<string, tf.Tensor>;
  let cap: Map<string, tf.Tensor>;

  beforeAll(async () => {
    const backend = await initBackend({ backend: 'wasm' });
    expect(backend.name).toBe('wasm');
    retrieval = (await loadModel(path.join(HF_FIXTURES, 'blip-itm-tiny'))) as BlipForImageTextRetrieval;
    caption = (await loadModel(path.join(HF_FIXTURES, 'blip-caption-tiny'))) as BlipForConditionalGeneration;
    itm = await readReference(path.join(HF_FIXTURES, 'blip-itm-tiny/reference/inputs.safetensors'));
    cap = await readReference(path.join(HF_FIXTURES, 'blip-caption-tiny/reference/inputs.safetensors'));
  });
  afterAll(async () => {
    await Promise.all([retrieval.dispose(), caption.dispose()]);
    tf.dispose([...itm.values(), ...cap.values()]);
  });

  const pairs = () => ({ pixelValues: itm.get('pixel_values') as tf.Tensor, inputIds: itm.get('input_ids') as tf.Tensor, attentionMask: itm.get('attention_mask') as tf.Tensor });

  for (const name of [
    'vision_model.encoder.layers.0.mlp.fc1.weight',
    'text_encoder.encoder.layer.0.crossattention.self.value.weight',
    'text_encoder.embeddings.word_embeddings.weight',
  ]) {
    it(`ITM loss (labels 1/0/1, [ENC]): ${name}`, () => {
      checkGradient(retrieval, name, (weights) => retrieval.itmLoss({ ...pairs(), labels: [1, 0, 1] }, { weights, encToken: 207 }));
    });
  }

  // ITC encodes the text without cross-attention: the text projection stands in for it.
  for (const name of ['vision_model.encoder.layers.1.self_attn.qkv.weight', 'text_encoder.embeddings.word_embeddings.weight', 'text_proj.weight']) {
    it(`ITC loss (temperature 0.07): ${name}`, () => {
      checkGradient(retrieval, name, (weights) => retrieval.itcLoss(pairs(), { weights }));
    });
  }

  for (const name of [
    'vision_model.encoder.layers.0.self_attn.projection.weight',
    'text_decoder.bert.encoder.layer.1.crossattention.self.key.weight',
    'text_decoder.bert.embeddings.word_embeddings.weight',
  ]) {
    it(`captioning LM loss: ${name}`, () => {
      const batch = { pixelValues: cap.get('pixel_values') as tf.Tensor, inputIds: cap.get('input_ids') as tf.Tensor, attentionMask: cap.get('attention_mask') as tf.Tensor };
      checkGradient(caption, name, (weights) => caption.lmLoss(batch, { weights }));
    });
  }

  it('the ITC temperature is differentiable when given as a tensor', () => {
    const t0 = tf.scalar(0.07);
    const grad = tf.grad((t: tf.Tensor) => retrieval.itcLoss(pairs(), { temperature: t as tf.Scalar }))(t0);
    const at = (t: number) => tf.tidy(() => retrieval.itcLoss(pairs(), { temperature: t }).dataSync()[0] as number);
    const fd = (at(0.0701) - at(0.0699)) / 2e-4;
    expect(Math.abs((grad.dataSync()[0] as number) - fd) / Math.abs(fd)).toBeLessThan(1e-2);
    tf.dispose([t0, grad]);
  });
});
