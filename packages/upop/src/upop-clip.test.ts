/** UPop end to end on the real clip-tiny checkpoint: search with gates through @vlp/tasks' CLIP loss, then compaction. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { type Structure, prune, readSafetensors } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, compactClip, loadModel } from '@vlp/models';
import { clipTask } from '@vlp/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upop } from './upop-pruner.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/hf/clip-tiny');
const prunableParams = (structures: readonly Structure[]) =>
  structures.filter((s) => s.kind === 'head-channel' || s.kind === 'neuron').reduce((n, s) => n + s.params, 0);

describe('upop on clip-tiny', () => {
  let model: ClipModel;
  let batch: ClipBatch;
  let owned: tf.Tensor[];

  beforeAll(async () => {
    model = (await loadModel(dir)) as ClipModel;
    const st = await readSafetensors(path.join(dir, 'reference/inputs.safetensors'));
    try {
      const read = async (name: string) => ({ values: await st.readFloat32(name), shape: [...st.info(name).shape] });
      const pixels = await read('pixel_values');
      const ids = await read('input_ids');
      const mask = await read('attention_mask');
      const pixelValues = tf.tensor(pixels.values, pixels.shape);
      // Two image–text pairs (the contrastive loss needs as many texts as images).
      const inputIds = tf.tensor(Int32Array.from(ids.values), ids.shape, 'int32').slice([0, 0], [2, -1]);
      const attentionMask = tf.tensor(Int32Array.from(mask.values), mask.shape, 'int32').slice([0, 0], [2, -1]);
      owned = [pixelValues, inputIds, attentionMask];
      batch = { pixelValues, inputIds, attentionMask };
    } finally {
      await st.close();
    }
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose(owned);
  });

  it('searches at p = 0.5 and the compacted model has ≈ 50 % fewer prunable parameters', async () => {
    const view = clipView(model);
    const before = prunableParams(view.structures);
    const train = { size: 1, batches: async function* () { yield batch; } };
    const report = await prune(upop({ searchSteps: 12, interval: 2, learningRate: 1e-4 }), view, { sparsity: 0.5, seed: 0 }, { task: clipTask(model, { train }) });
    expect(Math.abs(report.sparsity.total.sparsity - 0.5)).toBeLessThan(0.05);
    expect(report.metrics.attnChannelsRemoved).toBeGreaterThan(0);
    const compact = compactClip(model, report.structureMask!);
    try {
      const after = prunableParams(clipView(compact).structures);
      expect(Math.abs(1 - after / before - 0.5)).toBeLessThan(0.05);
    } finally {
      await compact.dispose();
    }
  });
});
