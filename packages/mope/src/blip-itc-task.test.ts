import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { initBackend, prune, readSafetensors } from '@vlp/core';
import { type BlipForImageTextRetrieval, blipRetrievalScores, blipView, compactBlip, loadModel } from '@vlp/models';
import { retrievalRecall } from '@vlp/tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLIP_ITC_TOWERS, type BlipItcBatch, gatedBlipItcTask } from './blip-itc-task.js';
import { openGates, withClosed } from './gates.js';
import { gateGroupSizes, mopeModules } from './modules.js';
import { mope } from './mope-pruner.js';
import { countingMetric, moduleWisePruningErrors } from './score.js';
import { taskMetric } from './task-metric.js';
import { towerMetricValue, towerRetrievalMetric } from './tower-cache.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/hf/blip-itm-tiny');

const CAPTIONS = [
  'a photo of a cat',
  'two dogs playing in the grass next to a red car',
  'a man riding a horse',
  'a red square above a blue circle',
  'a small green triangle',
  'a woman holding an umbrella in the rain',
  'three birds on a wire',
  'a plate of food on a wooden table',
];

describe('MoPE on BLIP retrieval with the metric on ITC (blip-itm-tiny, ONNX Runtime)', () => {
  let model: BlipForImageTextRetrieval;
  let batch: BlipItcBatch;
  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(dir)) as BlipForImageTextRetrieval;
    const st = await readSafetensors(path.join(dir, 'reference/inputs.safetensors'));
    const info = st.info('pixel_values');
    const fixture = tf.tensor(await st.readFloat32('pixel_values'), [...info.shape]);
    // the fixture's 3 images and 5 seeded noise images, each with its own caption
    const noise = tf.randomNormal([5, 3, 32, 32], 0, 1, 'float32', 7);
    const enc = model.tokenizer!.encode(CAPTIONS, { padding: 'longest', truncation: true });
    batch = { pixelValues: tf.concat([fixture, noise], 0), inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'), attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32') };
    tf.dispose([fixture, noise]);
  });
  afterAll(async () => {
    tf.dispose([batch.pixelValues, batch.inputIds, batch.attentionMask!]);
    await model.dispose();
  });

  it("Z is the R@1 of evaluateBlipRetrieval's ITC similarities (rerank false)", async () => {
    const view = blipView(model);
    const task = gatedBlipItcTask({ batches: [batch] });
    expect(task.primaryMetric).toBe('r1Mean');
    const z = await task.evaluate!(view, { engine: 'onnx' });
    const scores = await blipRetrievalScores(model, batch, { rerank: false, engine: 'onnx' });
    const recall = retrievalRecall(scores.i2t, CAPTIONS.map((_, t) => t), { textToImageScores: scores.t2i });
    expect(z.i2tR1).toBeCloseTo(recall.i2t.r1, 10);
    expect(z.t2iR1).toBeCloseTo(recall.t2i.r1, 10);
    expect(z.r1Mean).toBeCloseTo((recall.i2t.r1 + recall.t2i.r1) / 2, 10);
  }, 120_000);

  it('gives identical MoPE values cached and uncached; fusion (cross-attention) modules are exactly 0 and cost no run', async () => {
    const view = blipView(model);
    const { width, layers } = mopeModules(view, ['vision', 'text', 'fusion'], { kind: 'count', count: 2 });
    const fusion = width.filter((m) => m.modality === 'fusion');
    expect(fusion).toHaveLength(8);
    const dense = openGates(gateGroupSizes(view));
    const cached = towerRetrievalMetric(view, [{ ...batch, forward: 'itc' } as BlipItcBatch], { layout: BLIP_ITC_TOWERS, engine: 'onnx', cache: true });
    const uncached = towerRetrievalMetric(view, [{ ...batch, forward: 'itc' } as BlipItcBatch], { layout: BLIP_ITC_TOWERS, engine: 'onnx', cache: false });
    const task = gatedBlipItcTask({ batches: [batch] });
    const a = await moduleWisePruningErrors(countingMetric(towerMetricValue(cached, 'r1Mean'), false), dense, width);
    const b = await moduleWisePruningErrors(countingMetric(towerMetricValue(uncached, 'r1Mean'), false), dense, width);
    const c = await moduleWisePruningErrors(countingMetric(taskMetric(view, task, { engine: 'onnx' }), false), dense, width);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).toEqual(Array.from(c));
    expect(width.filter((m, i) => m.modality !== 'fusion' && a[i] !== 0).length).toBeGreaterThan(0);
    expect(fusion.map((m) => a[width.indexOf(m)])).toEqual(fusion.map(() => 0));
    // one full run (dense), one single-tower run per vision/text module, none for fusion modules
    expect(cached.stats).toMatchObject({ fullRuns: 1, towerRuns: width.length - fusion.length });
    expect(uncached.stats).toMatchObject({ fullRuns: 2 * width.length, towerRuns: 0, towerHits: 0 });

    // layers on a base with gates closed in both towers and in cross-attention
    const base = withClosed(withClosed(withClosed(dense, 'vision.0.attn.heads', [1]), 'text.1.mlp', [0, 1, 2]), 'text.0.cross.heads', [0, 3]);
    const la = await moduleWisePruningErrors(countingMetric(towerMetricValue(cached, 'r1Mean'), false), base, layers);
    const lb = await moduleWisePruningErrors(countingMetric(towerMetricValue(uncached, 'r1Mean'), false), base, layers);
    expect(layers.map((m) => m.id)).toEqual(['vision.0.layer', 'vision.1.layer', 'text.0.layer', 'text.1.layer']);
    expect(Array.from(la)).toEqual(Array.from(lb));
  }, 300_000);

  it('prune() picks the same structures with and without caches, and the mask compacts', async () => {
    const task = gatedBlipItcTask({ batches: [batch] });
    const request = { sparsity: 0.5, seed: 0 };
    const config = { neuronGroups: { kind: 'count', count: 2 } } as const;
    const fast = await prune(mope(config), blipView(model), request, { task, apply: false });
    const slow = await prune(mope({ ...config, cache: false, towerCache: false }), blipView(model), request, { task, apply: false });
    const removed = fast.structureMask!.removed;
    expect(removed).toEqual(slow.structureMask!.removed);
    expect(fast.metrics.denseMetric).toBe(slow.metrics.denseMetric);
    expect(fast.metrics.widthPrunedMetric).toBe(slow.metrics.widthPrunedMetric);
    expect(fast.metrics.modules).toBe(32 + 4);
    expect(slow.metrics.evaluations).toBe(2 * fast.metrics.modules + 2);
    // as on CLIP (2 full runs, one tower run per module), minus the 8 fusion modules answered from the cache
    expect(fast.metrics.fullRuns).toBe(2);
    expect(fast.metrics.towerRuns).toBe(fast.metrics.modules - 8);
    expect(fast.sparsity.total.sparsity).toBeCloseTo(0.5, 2);
    // ITC cannot rank cross-attention heads (MoPE 0, ties → lower index): heads 0 and 1 of each go
    expect(removed.filter((id) => id.includes('.cross.'))).toEqual(['text.0.cross.head.0', 'text.0.cross.head.1', 'text.1.cross.head.0', 'text.1.cross.head.1']);
    if (process.env.MOPE_PRINT) process.stdout.write(`${JSON.stringify({ metrics: fast.metrics, notes: fast.notes, sparsity: fast.sparsity.total.sparsity, removed })}\n`);
    const small = compactBlip(model, fast.structureMask!);
    try {
      const run = await blipView(small).run({ ...batch, forward: 'itc' } as BlipItcBatch, { engine: 'onnx' });
      expect(run.outputs.image_feat?.shape).toEqual([8, 24]);
      expect(run.outputs.text_feat?.shape).toEqual([8, 24]);
      run.dispose();
    } finally {
      await small.dispose();
    }
  }, 300_000);
});
