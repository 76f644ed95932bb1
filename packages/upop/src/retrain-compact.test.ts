/** Retraining a compacted clip-tiny with @vlp/tasks' trainer and InfoNCE; FLOPs and the speed-up helper on the same models. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { type StructureMask, VlpError, readSafetensors } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, compactClip, loadModel } from '@vlp/models';
import { type TrainData, clipTask } from '@vlp/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageEncoderFlops, modelFlops } from './flops.js';
import { measureImageEncoderSpeedup } from './image-encoder-speedup.js';
import { prunableParams } from './prunable-params.js';
import { retrainCompact } from './retrain-compact.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/hf/clip-tiny');

/** Every other structure of each gate group removed, the group's first entry always kept. */
function halfMask(model: ClipModel): StructureMask {
  return { removed: clipView(model).structures.filter((s) => (s.kind === 'head-channel' || s.kind === 'neuron') && s.gate.index % 2 === 1).map((s) => s.id) };
}

const shapesOf = (model: ClipModel) => Object.fromEntries(model.params.names().map((n) => [n, [...model.params.get(n).shape]]));

describe('retrainCompact on a compacted clip-tiny', () => {
  let model: ClipModel;
  let batch: ClipBatch;
  let owned: tf.Tensor[];
  let data: TrainData<ClipBatch>;

  beforeAll(async () => {
    model = (await loadModel(dir)) as ClipModel;
    const st = await readSafetensors(path.join(dir, 'reference/inputs.safetensors'));
    try {
      const read = async (name: string) => ({ values: await st.readFloat32(name), shape: [...st.info(name).shape] });
      const pixels = await read('pixel_values');
      const ids = await read('input_ids');
      const mask = await read('attention_mask');
      const pixelValues = tf.tensor(pixels.values, pixels.shape).slice([0, 0, 0, 0], [2, -1, -1, -1]);
      const inputIds = tf.tensor(Int32Array.from(ids.values), ids.shape, 'int32').slice([0, 0], [2, -1]);
      const attentionMask = tf.tensor(Int32Array.from(mask.values), mask.shape, 'int32').slice([0, 0], [2, -1]);
      owned = [pixelValues, inputIds, attentionMask];
      batch = { pixelValues, inputIds, attentionMask };
    } finally {
      await st.close();
    }
    // two image–text pairs; a batch is the pairs in the trainer's seeded order
    data = {
      size: 2,
      collate: (indices) => {
        const at = tf.tensor1d([...indices], 'int32');
        try {
          return { pixelValues: tf.gather(batch.pixelValues, at), inputIds: tf.gather(batch.inputIds, at), attentionMask: tf.gather(batch.attentionMask as tf.Tensor, at) };
        } finally {
          at.dispose();
        }
      },
      release: (b) => tf.dispose([b.pixelValues, b.inputIds, b.attentionMask as tf.Tensor]),
    };
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose(owned);
  });

  const lossOf = async (m: ClipModel) => {
    const loss = m.contrastiveLoss(batch);
    try {
      return (await loss.data())[0] as number;
    } finally {
      loss.dispose();
    }
  };

  async function retrained(): Promise<{ compact: ClipModel; before: number; after: number; losses: readonly number[] }> {
    const compact = compactClip(model, halfMask(model));
    const before = await lossOf(compact);
    const { losses } = await retrainCompact({ params: compact.params, view: clipView(compact), task: clipTask(compact), data }, { steps: 12, batchSize: 2, learningRate: 3e-3, weightDecay: 0, seed: 1 });
    return { compact, before, after: await lossOf(compact), losses };
  }

  it('keeps the compact shapes, lowers the task loss and is deterministic', async () => {
    const dense = await lossOf(model);
    const tensorsBefore = tf.memory().numTensors;
    const a = await retrained();
    const b = await retrained();
    try {
      const fresh = compactClip(model, halfMask(model));
      expect(shapesOf(a.compact)).toEqual(shapesOf(fresh));
      await fresh.dispose();
      expect(a.losses).toHaveLength(12);
      expect(a.losses[0]).toBeCloseTo(a.before, 4);
      expect(a.after).toBeLessThan(0.5 * a.before);
      // same seed, same data, same start: bit-identical losses and weights
      expect(b.losses).toEqual(a.losses);
      for (const name of a.compact.params.names()) expect(b.compact.params.get(name).data).toEqual(a.compact.params.get(name).data);
      // the dense model is untouched
      expect(await lossOf(model)).toBe(dense);
    } finally {
      await a.compact.dispose();
      await b.compact.dispose();
    }
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('rejects bad options (VLP_INVALID_CONFIG) and a task without a loss (VLP_NOT_SUPPORTED)', async () => {
    const compact = compactClip(model, halfMask(model));
    try {
      const args = { params: compact.params, view: clipView(compact), task: clipTask(compact), data };
      const error = await retrainCompact(args, { steps: 0, batchSize: 2 }).catch((e: unknown) => e);
      expect(VlpError.isInstance(error, 'VLP_INVALID_CONFIG')).toBe(true);
      const noLoss = await retrainCompact({ ...args, task: { id: 'none' } }, { steps: 1, batchSize: 2 }).catch((e: unknown) => e);
      expect(VlpError.isInstance(noLoss, 'VLP_NOT_SUPPORTED')).toBe(true);
    } finally {
      await compact.dispose();
    }
  });

  it('counts FLOPs from the layer geometry: clip-tiny dense by hand, compacted ≈ half the prunable part', async () => {
    // vision: 16 patches + CLS = 17 tokens, hidden 64, 3 layers, inner 64, MLP 128; patch embed 16·3·8·8·64
    const vision = 2 * 16 * 3 * 64 * 64 + 3 * (2 * 17 * 64 * 64 * 3 + 2 * 17 * 64 * 64 + 4 * 17 * 17 * 64 + 4 * 17 * 64 * 128);
    expect(imageEncoderFlops(model)).toBe(vision);
    // text: 16 tokens, hidden 48, 2 layers, MLP 96; projections 32·(64 + 48)
    const text = 2 * (2 * 16 * 48 * 48 * 3 + 2 * 16 * 48 * 48 + 4 * 16 * 16 * 48 + 4 * 16 * 48 * 96);
    expect(modelFlops(model)).toBe(vision + text + 2 * 32 * (64 + 48));
    const compact = compactClip(model, halfMask(model));
    try {
      const ratio = prunableParams(clipView(compact)) / prunableParams(clipView(model));
      expect(ratio).toBeGreaterThan(0.45);
      expect(ratio).toBeLessThan(0.55);
      // half the channels and neurons of every layer: the linear parts halve, the patch embedding stays
      const patchEmbed = 2 * 16 * 3 * 64 * 64;
      expect(imageEncoderFlops(compact) - patchEmbed).toBe((vision - patchEmbed) / 2);
    } finally {
      await compact.dispose();
    }
  });

  it('times dense and compact image encoders on the same inputs (medians of the runs)', async () => {
    const compact = compactClip(model, halfMask(model));
    try {
      const s = await measureImageEncoderSpeedup(model, compact, batch.pixelValues, { engine: 'tfjs', runs: 3, warmup: 1 });
      expect(s.engine).toBe('tfjs');
      expect(s.denseRunsMs).toHaveLength(3);
      expect(s.compactRunsMs).toHaveLength(3);
      expect(s.denseMs).toBe([...s.denseRunsMs].sort((x, y) => x - y)[1]);
      expect(s.speedup).toBeCloseTo(s.denseMs / s.compactMs, 12);
      const bad = await measureImageEncoderSpeedup(model, compact, batch.pixelValues, { runs: 0 }).catch((e: unknown) => e);
      expect(VlpError.isInstance(bad, 'VLP_INVALID_ARGUMENT')).toBe(true);
    } finally {
      await compact.dispose();
    }
  });
});
