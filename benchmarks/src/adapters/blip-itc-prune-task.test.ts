import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { type BlipForImageTextRetrieval, blipRetrievalScores, blipView, loadModel } from '@vlp/models';
import { retrievalRecall } from '@vlp/tasks';
import { fixture } from '../__tests__/helpers.js';
import { blipAdapter } from './blip-adapter.js';

/** Seeded images and captions: 4 pairs, image i ↔ caption i. */
function pairs(model: BlipForImageTextRetrieval) {
  const size = model.config.vision.imageSize;
  const pixelValues = tf.randomNormal([4, 3, size, size], 0, 1, 'float32', 7);
  const ids = [
    [101, 7, 8, 9, 102, 0],
    [101, 10, 11, 102, 0, 0],
    [101, 12, 13, 14, 15, 102],
    [101, 16, 17, 102, 0, 0],
  ];
  const inputIds = tf.tensor2d(ids, undefined, 'int32');
  const attentionMask = tf.tensor2d(ids.map((r) => r.map((v, j) => (j === 0 || v !== 0 ? 1 : 0))), undefined, 'int32');
  return { pixelValues, inputIds, attentionMask };
}

describe('BLIP retrieval prune task: ITC R@1 under the gates (MoPE metric on BLIP retrieval)', () => {
  let model: BlipForImageTextRetrieval;
  let batch: ReturnType<typeof pairs>;
  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(fixture('blip-itm-tiny'))) as BlipForImageTextRetrieval;
    batch = pairs(model);
  });
  afterAll(async () => {
    tf.dispose(Object.values(batch));
    await model.dispose();
  });

  it('ungated, equals R@1 of the ITC similarities of the official evaluation (rerank off); vision gates reach the image features only', async () => {
    const task = blipAdapter('blip-itm').pruneTask(model, { validation: [batch] as never });
    expect(task.primaryMetric).toBe('r1Mean');
    const view = blipView(model);
    const got = await task.evaluate!(view as never, {});
    const scores = await blipRetrievalScores(model, { pixelValues: batch.pixelValues, inputIds: batch.inputIds, attentionMask: batch.attentionMask }, { rerank: false });
    const recall = retrievalRecall({ data: Float32Array.from(scores.itc.flat()), shape: [4, 4] }, [0, 1, 2, 3]);
    expect(got.i2tR1).toBeCloseTo(recall.i2t.r1, 6);
    expect(got.t2iR1).toBeCloseTo(recall.t2i.r1, 6);
    expect(got.r1Mean).toBeCloseTo((recall.i2t.r1 + recall.t2i.r1) / 2, 6);
    // the gates reach the ITC forward: closing every vision head and MLP neuron changes the image features
    const sizes = new Map<string, number>();
    for (const s of view.structures) if (s.modality === 'vision' && s.kind !== 'layer') sizes.set(s.gate.group, Math.max(sizes.get(s.gate.group) ?? 0, s.gate.index + 1));
    expect(sizes.size).toBeGreaterThan(0);
    const gates = Object.fromEntries([...sizes].map(([group, n]) => [group, tf.zeros([n]) as tf.Tensor1D]));
    const run = await view.run({ ...batch, forward: 'itc' } as never, { gates });
    const plain = await view.run({ ...batch, forward: 'itc' } as never, {});
    const imageDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(run.outputs.image_feat as tf.Tensor, plain.outputs.image_feat as tf.Tensor))).dataSync()[0] as number);
    const textDiff = tf.tidy(() => tf.max(tf.abs(tf.sub(run.outputs.text_feat as tf.Tensor, plain.outputs.text_feat as tf.Tensor))).dataSync()[0] as number);
    run.dispose();
    plain.dispose();
    const closed = await task.evaluate!(view as never, { gates });
    tf.dispose(Object.values(gates));
    expect(imageDiff).toBeGreaterThan(1e-3);
    expect(textDiff).toBe(0);
    expect(Number.isFinite(closed.r1Mean)).toBe(true);
  });
});
