/**
 * MoPE's metric on BLIP retrieval models, on ITC (issue #10: "Works on CLIP and on BLIP retrieval
 * (metric on ITC)").
 *
 * BLIP's ITC score of (image, text) is the cosine of `normalize(vision_proj(vision CLS))` and
 * `normalize(text_proj(text-mode encoder CLS))`: two independent towers, like CLIP. The BLIP view
 * (`@vlp/models` `blipView` of a `BlipForImageTextRetrieval`) runs that forward when the batch says
 * `forward: 'itc'` and outputs the two normalised feature matrices as `image_feat` / `text_feat`.
 * Which gates matter to ITC:
 * - `vision.*` (heads, MLP neuron groups, layers) → `image_feat` only;
 * - `text.*.attn.*`, `text.*.mlp`, `text.*.layer` (the text encoder's self-attention, feed-forward
 *   and whole layers) → `text_feat` only;
 * - `text.*.cross.*` (cross-attention, modality `fusion`) → nothing: the text-mode encoder does not
 *   run cross-attention, so every fusion module has MoPE exactly 0 under this metric.
 * So the per-tower cache applies unchanged (vision = image tower, text = text tower; fusion gates are
 * in neither tower's cache key, so their ablations are answered without any run).
 */
import type { TaskAdapter } from '@vlp/core';
import { gatedRetrievalTask } from './gated-tasks.js';
import type { TowerLayout, TwoTowerBatch } from './tower-cache.js';

/** The tower layout of BLIP's ITC forward in the BLIP retrieval view. */
export const BLIP_ITC_TOWERS: TowerLayout = Object.freeze({ imageOutput: 'image_feat', textOutput: 'text_feat', imageModality: 'vision', textModality: 'text' });

/** A BLIP retrieval validation batch (`BlipRetrievalBatch` of `@vlp/models`): image i matches text i. */
export type BlipItcBatch = TwoTowerBatch;

/** Options of {@link gatedBlipItcTask}. */
export interface GatedBlipItcTaskOptions {
  /**
   * Held-out validation batches: images `[B, 3, S, S]`, texts `[B, T]` as tokenized (`[CLS]` first,
   * as ITC evaluation feeds them), image i ↔ text i; one gallery per batch.
   */
  readonly batches: readonly BlipItcBatch[];
  /** Task id. Default `gated-blip-itc`. */
  readonly id?: string;
}

/**
 * A gate-honouring retrieval task for BLIP retrieval models with the metric on ITC: `r1Mean` (mean of
 * image→text and text→image R@1, percent; primary), `i2tR1`, `t2iR1` of the ITC cosine similarities
 * (ranking as `evaluateBlipRetrieval` with `rerank: false`), from the view's `image_feat` /
 * `text_feat` of the ITC forward. It is a {@link gatedRetrievalTask} with `towers`, so `mope()` uses
 * the per-tower cache (config `towerCache`); its `evaluate` gives the same values with full runs.
 *
 * @example
 * const task = gatedBlipItcTask({ batches: [{ pixelValues, inputIds, attentionMask }] });
 * const report = await prune(mope(), blipView(model), { sparsity: 0.5, seed: 0 }, { task });
 */
export function gatedBlipItcTask<Batch = BlipItcBatch>(options: GatedBlipItcTaskOptions): TaskAdapter<Batch> {
  const batches = options.batches.map((b) => ({ ...b, forward: 'itc' as const }));
  return gatedRetrievalTask<Batch>({ batches: batches as unknown as Batch[], towers: BLIP_ITC_TOWERS, id: options.id ?? 'gated-blip-itc' });
}
