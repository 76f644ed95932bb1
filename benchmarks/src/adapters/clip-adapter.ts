import * as tf from '@tensorflow/tfjs';
import type { StructureMask } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, compactClip } from '@vlp/models';
import type { PrunableView, RunOptions } from '@vlp/core';
import { type RetrievalSet, clipTask, evaluateClipRetrieval, evaluateClipZeroShot, flattenMetrics, retrievalRecall } from '@vlp/tasks';
import type { ZeroShotTaskSet } from '../data/bench-data.js';
import { usageError } from '../errors/bench-errors.js';
import { clipFlops } from '../metrics/flops.js';
import { pixels, processors, tokens } from './batch-inputs.js';
import type { ModelAdapter } from './model-adapter.js';

/**
 * CLIP (`CLIPModel`): zero-shot classification (primary metric top-1 %) and image ↔ text retrieval
 * (primary `r1Mean`, the mean of image→text and text→image R@1 %); the InfoNCE loss on matching
 * image–caption pairs for gradient pruners and recovery.
 */
export const clipAdapter: ModelAdapter<ClipModel, ClipBatch> = {
  architecture: 'clip',
  tasks: ['zero-shot', 'retrieval'],
  view: (model) => clipView(model),
  pruneTask(model, data = {}) {
    const task = clipTask(model, { train: data.train });
    const batches = data.validation;
    if (!batches) return task;
    return { ...task, primaryMetric: 'r1Mean', evaluate: (view, run) => gatedRetrieval(view, batches, run) };
  },
  batch(model, examples) {
    const { tokenizer, imageProcessor } = processors(model);
    return { pixelValues: pixels(imageProcessor, examples.map((e) => e.image)), ...tokens(tokenizer, examples.map((e) => e.caption), { padding: 'max_length' }) };
  },
  release: (batch) => tf.dispose([batch.pixelValues, batch.inputIds, ...(batch.attentionMask ? [batch.attentionMask] : [])]),
  loss: (model, batch, weights) => model.contrastiveLoss(batch, { weights }),
  async evaluate(model, task, set, options) {
    if (task === 'zero-shot') {
      const zs = set as ZeroShotTaskSet;
      return flattenMetrics(await evaluateClipZeroShot(model, zs, { ...options, templates: zs.templates }));
    }
    if (task === 'retrieval') {
      const r = await evaluateClipRetrieval(model, set as RetrievalSet, options);
      return { ...flattenMetrics(r), r1Mean: (r.i2t.r1 + r.t2i.r1) / 2 };
    }
    throw usageError(`CLIP has no "${task}" task; CLIP tasks: zero-shot, retrieval.`);
  },
  primaryMetric: (task) => (task === 'zero-shot' ? 'top1' : 'r1Mean'),
  compact: (model, mask: StructureMask) => compactClip(model, mask),
  flops: (model) => clipFlops(model),
  unitTokens(model, unit) {
    const v = model.config.vision;
    return unit.modality === 'vision' ? (v.imageSize / v.patchSize) ** 2 + 1 : model.config.text.maxPositionEmbeddings;
  },
};

/**
 * Image↔text R@1 (percent) of validation batches through `view.run` with the run's gates, engine
 * and weights: within each batch image i matches text i; `r1Mean` is the mean of both directions,
 * batches weighted by size. What structured pruners that evaluate while pruning (MoPE) maximise.
 * `output` names the view's `[images, texts]` similarity output (CLIP: `logits_per_image`; the BLIP
 * retrieval view's ITC forward: `itm_score`, the ITC cosines).
 */
export async function gatedRetrieval<B>(view: PrunableView<B>, batches: readonly B[], run?: RunOptions, output = 'logits_per_image'): Promise<Record<string, number>> {
  let i2t = 0;
  let t2i = 0;
  let total = 0;
  for (const batch of batches) {
    const result = await view.run(batch, { gates: run?.gates, weights: run?.weights, engine: run?.engine, signal: run?.signal });
    try {
      const logits = result.outputs[output] as tf.Tensor;
      const [images, texts] = logits.shape as [number, number];
      const recall = retrievalRecall({ data: (await logits.data()) as Float32Array, shape: [images, texts] }, Array.from({ length: texts }, (_, t) => t));
      i2t += recall.i2t.r1 * images;
      t2i += recall.t2i.r1 * images;
      total += images;
    } finally {
      result.dispose();
    }
  }
  return { r1Mean: (i2t + t2i) / (2 * total), i2tR1: i2t / total, t2iR1: t2i / total };
}
