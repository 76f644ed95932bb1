import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { runTfjs } from '../engine/tfjs-engine.js';
import { TfjsParamCache } from '../engine/tfjs-param-cache.js';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import { BLIP_LM_LABEL_SMOOTHING } from './blip-lm-head.js';
import { labelFeeds } from './blip-model-base.js';
import { describeBlipVqa } from './blip-vqa-describe.js';
import { BlipForQuestionAnswering } from './blip-vqa-model.js';

const dir = path.join(HF_FIXTURES, 'blip-vqa-tiny');
const UNIT = 'text_decoder.bert.encoder.layer.0.crossattention.self.value.weight';

describe('BLIP LM loss gradients on tfjs', () => {
  let model: BlipForQuestionAnswering;
  let inputs: Map<string, tf.Tensor>;
  let cache: TfjsParamCache;

  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(dir)) as BlipForQuestionAnswering;
    inputs = await readReference(path.join(dir, 'reference/inputs.safetensors'));
    cache = new TfjsParamCache(model.params);
  });
  afterAll(async () => {
    cache.dispose();
    await model.dispose();
    tf.dispose([...inputs.values()]);
  });

  it('matches central differences w.r.t. a decoder cross-attention weight (log-softmax, pickRows, gather)', () => {
    const input = (name: string) => inputs.get(name) as tf.Tensor;
    const labels = labelFeeds(input('decoder_input_ids'));
    const feeds = {
      pixel_values: input('pixel_values'),
      input_ids: input('input_ids'),
      attention_mask: input('attention_mask'),
      decoder_input_ids: input('decoder_input_ids'),
      decoder_attention_mask: input('decoder_attention_mask'),
      ...labels,
    };
    const stored = model.params.get(UNIT);
    const w0 = tf.tensor(stored.data, [...stored.shape]);
    const loss = (w: tf.Tensor) =>
      runTfjs((ctx) => describeBlipVqa(ctx, model.config, model.arch, 12, 5, BLIP_LM_LABEL_SMOOTHING), {}, cache, { feeds, weights: { [UNIT]: w } }).loss as tf.Scalar;
    const grad = tf.grad(loss)(w0);
    const g = grad.dataSync();
    const eps = 1e-2;
    for (const index of [0, 5]) {
      const step = tf.tidy(() => tf.oneHot([index], w0.size).reshape(w0.shape).mul(eps));
      const numeric = tf.tidy(() => (loss(w0.add(step)).dataSync()[0]! - loss(w0.sub(step)).dataSync()[0]!) / (2 * eps));
      expect(Math.abs((g[index] as number) - numeric), `entry ${index}`).toBeLessThan(0.02 * Math.abs(numeric) + 1e-4);
      step.dispose();
    }
    tf.dispose([w0, grad, ...Object.values(labels)]);
  });
});
