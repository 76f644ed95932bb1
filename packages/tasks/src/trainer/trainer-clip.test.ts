import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, initBackend, readSafetensors } from '@vlp/core';
import { type ClipModel, loadModel } from '@vlp/models';
import { type TrainData, train } from './trainer.js';

const clipTiny = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/fixtures/hf/clip-tiny');

interface Pairs {
  pixelValues: tf.Tensor;
  inputIds: tf.Tensor;
  attentionMask: tf.Tensor;
}

describe('train on a real model', () => {
  let model: ClipModel;
  let pixels: tf.Tensor;
  let ids: tf.Tensor;
  let mask: tf.Tensor;
  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(clipTiny)) as ClipModel;
    const st = await readSafetensors(path.join(clipTiny, 'reference/inputs.safetensors'));
    pixels = tf.tensor(await st.readFloat32('pixel_values'), [...st.info('pixel_values').shape]);
    ids = tf.tensor(Int32Array.from(await st.readFloat32('input_ids')), [...st.info('input_ids').shape], 'int32');
    mask = tf.tensor(Int32Array.from(await st.readFloat32('attention_mask')), [...st.info('attention_mask').shape], 'int32');
    await st.close();
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([pixels, ids, mask]);
  });

  it('fine-tunes clip-tiny on matching pairs with InfoNCE, pruned weights staying exactly zero', async () => {
    // pairs: image i ↔ text i for i = 0, 1
    const data: TrainData<Pairs> = {
      size: 2,
      collate: (indices) =>
        tf.tidy(() => {
          const idx = tf.tensor1d(indices.slice().sort(), 'int32');
          return { pixelValues: tf.gather(pixels, idx), inputIds: tf.gather(ids, idx), attentionMask: tf.gather(mask, idx) };
        }),
      release: (b) => tf.dispose([b.pixelValues, b.inputIds, b.attentionMask]),
    };
    const unit = 'vision_model.encoder.layers.0.mlp.fc1.weight';
    const numel = model.params.get(unit).data.length;
    const rng = createRng(7);
    const unitMask = Uint8Array.from({ length: numel }, () => (rng.nextFloat() < 0.5 ? 0 : 1));
    const lossOf = () => tf.tidy(() => model.contrastiveLoss({ pixelValues: pixels.slice(0, 2), inputIds: ids.slice(0, 2), attentionMask: mask.slice(0, 2) }).dataSync()[0] as number);
    const before = lossOf();
    const tensors = tf.memory().numTensors;
    const result = await train({
      params: model.params,
      forward: (batch, weights) => ({ loss: model.contrastiveLoss(batch, { weights }) }),
      data,
      batchSize: 2,
      steps: 8,
      learningRate: 1e-3,
      schedule: { warmupSteps: 2 },
      masks: new Map([[unit, unitMask]]),
    });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(result.losses).toHaveLength(8);
    const after = lossOf();
    expect(after).toBeLessThan(before);
    const w = model.params.get(unit).data;
    let pruned = 0;
    for (let i = 0; i < numel; i++) {
      if (unitMask[i] === 0) {
        expect(w[i]).toBe(0);
        pruned += 1;
      }
    }
    expect(pruned).toBeGreaterThan(numel * 0.4);
  });
});
