import * as tf from '@tensorflow/tfjs';
import { initBackend, prune } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView } from '@vlp/models';
import { loadEmbeddedModel, shapesVLPairData } from '@vlp/zoo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatedRetrievalTask } from './gated-tasks.js';
import { openGates, withClosed } from './gates.js';
import { gateGroupSizes, mopeModules } from './modules.js';
import { mope } from './mope-pruner.js';
import { countingMetric, moduleWisePruningErrors } from './score.js';
import { taskMetric } from './task-metric.js';
import { towerMetricValue, towerRetrievalMetric } from './tower-cache.js';

describe('per-tower cache on tiny-clip (ONNX Runtime)', () => {
  let model: ClipModel;
  let batch: ClipBatch & { labels: tf.Tensor };
  beforeAll(async () => {
    await initBackend();
    model = await loadEmbeddedModel('tiny-clip');
    // 16 Shapes-VL validation images, each with its first caption
    const data = shapesVLPairData({ tokenizer: model.tokenizer!, imageProcessor: model.imageProcessor!, images: 16, size: model.config.vision.imageSize, split: 'val' });
    batch = data.collate(Array.from({ length: 16 }, (_, i) => 5 * i));
  });
  afterAll(async () => {
    tf.dispose([batch.pixelValues, batch.inputIds, batch.attentionMask!, batch.labels]);
    await model.dispose();
  });

  it('gives identical MoPE values cached and uncached, with one tower re-encoded per module', async () => {
    const view = clipView(model);
    const all = mopeModules(view, ['vision', 'text'], { kind: 'count', count: 2 });
    // the modules of the first and last layer of each tower, and every layer
    const width = all.width.filter((m) => /^(vision|text)\.(0|3)\./.test(m.id));
    const layers = all.layers;
    const dense = openGates(gateGroupSizes(view));
    const cached = towerRetrievalMetric(view, [batch], { engine: 'onnx', cache: true });
    const uncached = towerRetrievalMetric(view, [batch], { engine: 'onnx', cache: false });
    const task = gatedRetrievalTask({ batches: [batch], towers: {} });
    // no memo per gate configuration: every request reaches the tower metric
    const a = await moduleWisePruningErrors(countingMetric(towerMetricValue(cached, 'r1Mean'), false), dense, width);
    const b = await moduleWisePruningErrors(countingMetric(towerMetricValue(uncached, 'r1Mean'), false), dense, width);
    const c = await moduleWisePruningErrors(countingMetric(taskMetric(view, task, { engine: 'onnx' }), false), dense, width);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).toEqual(Array.from(c));
    expect(a.some((v) => v !== 0)).toBe(true);
    expect(cached.stats).toMatchObject({ fullRuns: 1, towerRuns: width.length });
    expect(uncached.stats).toMatchObject({ fullRuns: 2 * width.length, towerRuns: 0, towerHits: 0 });

    // layers on a base with gates closed in both towers: the other tower's key is not the dense one
    const base = withClosed(withClosed(dense, 'vision.0.attn.heads', [1]), 'text.2.mlp', [0, 1, 2, 3, 4, 5]);
    const la = await moduleWisePruningErrors(countingMetric(towerMetricValue(cached, 'r1Mean'), false), base, layers);
    const lb = await moduleWisePruningErrors(countingMetric(towerMetricValue(uncached, 'r1Mean'), false), base, layers);
    expect(Array.from(la)).toEqual(Array.from(lb));
    // the base's image embeddings were cached by the width pass (head 1 of vision.0 was a module):
    // only its texts are re-encoded, then one tower per layer
    expect(cached.stats.fullRuns).toBe(1);
    expect(cached.stats.towerRuns).toBe(width.length + 1 + layers.length);
  }, 300_000);

  it('prune() picks the same structures with and without caches and reports the runs', async () => {
    const task = gatedRetrievalTask({ batches: [batch], towers: {} });
    const request = { sparsity: 0.5, seed: 0 };
    const fast = await prune(mope({ neuronGroups: { kind: 'count', count: 2 } }), clipView(model), request, { task, apply: false });
    const slow = await prune(mope({ neuronGroups: { kind: 'count', count: 2 }, cache: false, towerCache: false }), clipView(model), request, { task, apply: false });
    expect(fast.structureMask!.removed).toEqual(slow.structureMask!.removed);
    expect(fast.metrics.denseMetric).toBe(slow.metrics.denseMetric);
    expect(fast.metrics.widthPrunedMetric).toBe(slow.metrics.widthPrunedMetric);
    expect(fast.metrics.fullRuns).toBe(2);
    expect(fast.metrics.towerRuns).toBe(fast.metrics.modules);
    expect(slow.metrics.fullRuns).toBeUndefined();
    expect(slow.metrics.evaluations).toBe(2 * fast.metrics.modules + 2);
  }, 300_000);
});
