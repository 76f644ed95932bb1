import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import type { ClipModel } from './clip-model.js';
import { zeroShotClassify } from './zero-shot.js';

describe('zeroShotClassify', () => {
  let model: ClipModel;
  let inputs: Map<string, tf.Tensor>;
  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(path.join(HF_FIXTURES, 'clip-tiny'))) as ClipModel;
    inputs = await readReference(path.join(HF_FIXTURES, 'clip-tiny/reference/inputs.safetensors'));
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values()]);
  });

  it('loads the tokenizer and image processor with the model', () => {
    expect(model.tokenizer?.padTokenId).toBe(299);
    expect(model.imageProcessor?.config).toBeDefined();
  });

  it('with one template equals softmax(logits_per_image) of a forward on the prompts', async () => {
    const classes = ['cat', 'dog', 'car'];
    const pixelValues = inputs.get('pixel_values') as tf.Tensor;
    const probs = await zeroShotClassify(model, pixelValues, classes, { templates: ['a photo of a {}'] });
    const enc = model.tokenizer?.encode(classes.map((c) => `a photo of a ${c}`), { padding: 'max_length', truncation: true });
    const ids = tf.tensor2d(enc?.inputIds as number[][], undefined, 'int32');
    const mask = tf.tensor2d(enc?.attentionMask as number[][], undefined, 'int32');
    const out = await model.forward({ pixelValues, inputIds: ids, attentionMask: mask });
    const expected = tf.softmax(out.logitsPerImage).arraySync() as number[][];
    expect(probs).toHaveLength(2);
    probs.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      row.forEach((p, j) => expect(p).toBeCloseTo(expected[i]?.[j] as number, 5));
    });
    tf.dispose([ids, mask, ...Object.values(out).filter((v): v is tf.Tensor => v instanceof tf.Tensor), out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput, out.textModelOutput.lastHiddenState, out.textModelOutput.poolerOutput]);
  });

  it('takes decoded images through the image processor', async () => {
    const image = { width: 40, height: 30, data: new Uint8Array(40 * 30 * 3).map((_, i) => (i * 37) % 256) };
    const probs = await zeroShotClassify(model, [image], ['cat', 'dog'], { templates: ['a photo of a {}.', 'a {}'] });
    expect(probs[0]).toHaveLength(2);
    expect((probs[0] as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});
