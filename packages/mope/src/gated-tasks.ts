import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, type PrunableView, type RunOptions, type TaskAdapter } from '@vlp/core';
import { retrievalRecall } from '@vlp/tasks';
import { type TowerLayout, type TwoTowerBatch, towerRetrievalMetric } from './tower-cache.js';

/** Marks a retrieval task whose Z MoPE may compute with the per-tower cache (`towers` option). */
export interface MopeTowerSource {
  readonly batches: readonly TwoTowerBatch[];
  readonly layout: TowerLayout;
}

/** The per-tower source of `task`, when it is a {@link gatedRetrievalTask} made with `towers`. */
export function towerSource(task: unknown): MopeTowerSource | undefined {
  return (task as { mopeTowers?: MopeTowerSource } | undefined)?.mopeTowers;
}

/** Options of {@link gatedRetrievalTask}. */
export interface GatedRetrievalTaskOptions<Batch> {
  /** The held-out validation batches; in each, image i matches text i (one gallery per batch). */
  readonly batches: readonly Batch[];
  /** Output holding the `[images, texts]` logits. Default `logits_per_image` (CLIP); synthetic views: `logitsPerImage`. */
  readonly logits?: string;
  /** Task id. Default `gated-retrieval`. */
  readonly id?: string;
  /**
   * Two-tower models (CLIP): compute R@1 from the towers' embeddings (`image_embeds`, `text_embeds`
   * by default) instead of `logits`, which lets `mope()` cache the tower that is not ablated
   * (config `towerCache`). The batches must then be `{ pixelValues, inputIds, attentionMask? }`.
   */
  readonly towers?: TowerLayout;
}

/**
 * A retrieval task whose `evaluate` honours the run's gates: every batch goes through
 * `view.run(batch, { gates, engine })` and its logits give image→text and text→image R@1
 * (`retrievalRecall`, ties as in BLIP's `itm_eval` with a stable sort). Returns `r1Mean` (primary,
 * percent), `i2tR1` and `t2iR1`, averaged over batches weighted by their size.
 */
export function gatedRetrievalTask<Batch>(options: GatedRetrievalTaskOptions<Batch>): TaskAdapter<Batch> {
  const key = options.logits ?? 'logits_per_image';
  if (options.batches.length === 0) throw new InvalidArgumentError({ message: 'gatedRetrievalTask needs at least one validation batch.' });
  if (options.towers) {
    const source: MopeTowerSource = { batches: options.batches as unknown as TwoTowerBatch[], layout: options.towers };
    return Object.freeze({
      id: options.id ?? 'gated-retrieval',
      primaryMetric: 'r1Mean',
      mopeTowers: source,
      evaluate: (view: PrunableView<Batch>, run?: RunOptions) => evaluateTowers(view, source, run),
    });
  }
  return Object.freeze({
    id: options.id ?? 'gated-retrieval',
    primaryMetric: 'r1Mean',
    async evaluate(view: PrunableView<Batch>, run?: RunOptions): Promise<Record<string, number>> {
      let i2t = 0;
      let t2i = 0;
      let total = 0;
      for (const batch of options.batches) {
        const result = await view.run(batch, { gates: run?.gates, engine: run?.engine, signal: run?.signal });
        try {
          const logits = result.outputs[key];
          if (!logits || logits.rank !== 2) {
            throw new InvalidArgumentError({ message: `The view's run has no 2-D output "${key}" (outputs: ${Object.keys(result.outputs).join(', ')}); set \`logits\`.` });
          }
          const [images, texts] = logits.shape as [number, number];
          const data = (await logits.data()) as Float32Array;
          const recall = retrievalRecall({ data, shape: [images, texts] }, Array.from({ length: texts }, (_, t) => t % images));
          i2t += recall.i2t.r1 * images;
          t2i += recall.t2i.r1 * images;
          total += images;
        } finally {
          result.dispose();
        }
      }
      return { r1Mean: (i2t + t2i) / (2 * total), i2tR1: i2t / total, t2iR1: t2i / total };
    },
  });
}

/** Uncached tower evaluation with the run's gates (as tensors) turned into host gate values. */
async function evaluateTowers<Batch>(view: PrunableView<Batch>, source: MopeTowerSource, run?: RunOptions): Promise<Record<string, number>> {
  const gates = new Map<string, Float32Array>();
  for (const [group, t] of Object.entries(run?.gates ?? {})) gates.set(group, (await t.data()) as Float32Array);
  const metric = towerRetrievalMetric(view as unknown as PrunableView<TwoTowerBatch>, source.batches, { layout: source.layout, engine: run?.engine, signal: run?.signal, cache: false });
  return metric(gates);
}

/** One zero-shot batch: images with the class prompts as its texts, and each image's class. */
export interface ZeroShotBatch<Batch> {
  readonly batch: Batch;
  readonly labels: readonly number[];
}

/**
 * A zero-shot classification task whose `evaluate` honours the run's gates: each batch holds images
 * and one prompt per class; the argmax of `logits_per_image` row i is image i's prediction.
 * Returns `top1` (primary, percent).
 */
export function gatedZeroShotTask<Batch>(options: { readonly batches: readonly ZeroShotBatch<Batch>[]; readonly logits?: string; readonly id?: string }): TaskAdapter<Batch> {
  const key = options.logits ?? 'logits_per_image';
  return Object.freeze({
    id: options.id ?? 'gated-zero-shot',
    primaryMetric: 'top1',
    async evaluate(view: PrunableView<Batch>, run?: RunOptions): Promise<Record<string, number>> {
      let hits = 0;
      let total = 0;
      for (const { batch, labels } of options.batches) {
        const result = await view.run(batch, { gates: run?.gates, engine: run?.engine, signal: run?.signal });
        try {
          const predicted = tf.tidy(() => tf.argMax(result.outputs[key] as tf.Tensor, 1));
          const classes = await predicted.data();
          predicted.dispose();
          labels.forEach((label, i) => (hits += classes[i] === label ? 1 : 0));
          total += labels.length;
        } finally {
          result.dispose();
        }
      }
      return { top1: total === 0 ? 0 : (100 * hits) / total };
    },
  });
}
