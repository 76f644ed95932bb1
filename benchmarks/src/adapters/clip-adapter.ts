import * as tf from '@tensorflow/tfjs';
import type { StructureMask } from '@vlp/core';
import { type ClipBatch, type ClipModel, clipView, compactClip } from '@vlp/models';
import { type RetrievalSet, clipTask, evaluateClipRetrieval, evaluateClipZeroShot, flattenMetrics } from '@vlp/tasks';
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
  pruneTask: (model) => clipTask(model),
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
