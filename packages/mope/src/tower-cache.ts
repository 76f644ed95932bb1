/**
 * Per-tower cache of MoPE's retrieval metric (issue #10, "cost control without changing results").
 *
 * A dual-encoder's retrieval metric depends on the two towers only through their embeddings, and a
 * gate closed in one tower leaves the other tower's embeddings unchanged. So the embeddings of each
 * tower are cached per (validation batch, gate configuration of that tower's groups): when a module
 * of the vision tower is ablated, the text embeddings come from the cache and only the images are
 * re-encoded, by running the view on the batch's images and its **first text only** (the view runs
 * the whole model in one ONNX session; one text row is the cheapest way to keep that session and
 * its gate inputs). Z is recomputed from the embeddings on the host: R@1 of the cosine similarities
 * `image_embeds · text_embedsᵀ` (the logit scale is positive and does not change rankings).
 *
 * With `cache: false` every evaluation is a full run of the batch, and the same host similarity is
 * computed from that run's two embeddings, so cached and uncached Z are identical (a tower's
 * embeddings do not depend on how many rows the other tower has).
 */
import type * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, type Engine, type PrunableView } from '@vlp/core';
import { retrievalRecall } from '@vlp/tasks';
import { type GateValues, gateKey } from './gates.js';
import type { GatedMetric } from './score.js';
import { gateTensors } from './task-metric.js';

/** A dual-encoder batch: images and texts (CLIP's `ClipBatch`); image i matches text i. */
export interface TwoTowerBatch {
  readonly pixelValues: tf.Tensor;
  readonly inputIds: tf.Tensor;
  readonly attentionMask?: tf.Tensor;
}

/** Which outputs hold the towers' embeddings and which gate groups belong to each tower. */
export interface TowerLayout {
  /** Output of `view.run` with the L2-normalised image embeddings `[images, D]`. Default `image_embeds`. */
  readonly imageOutput?: string;
  /** Output with the L2-normalised text embeddings `[texts, D]`. Default `text_embeds`. */
  readonly textOutput?: string;
  /** Modality of the image tower's structures (their gate groups). Default `vision`. */
  readonly imageModality?: string;
  /** Modality of the text tower's structures. Default `text`. */
  readonly textModality?: string;
}

/** Counters of a {@link towerRetrievalMetric}. */
export interface TowerStats {
  /** Runs of a whole batch (both towers). */
  fullRuns: number;
  /** Runs that re-encoded one tower (the other on a single row). */
  towerRuns: number;
  /** Tower embeddings answered from the cache. */
  towerHits: number;
  /** Wall time of the runs, milliseconds. */
  milliseconds: number;
}

/** A gated retrieval metric returning every key of the retrieval task, with its run counters. */
export type TowerMetric = ((gates: GateValues) => Promise<Record<string, number>>) & { readonly stats: TowerStats };

interface Embeddings {
  readonly data: Float32Array;
  readonly rows: number;
  readonly dim: number;
}

async function hostEmbeddings(t: tf.Tensor | undefined, name: string): Promise<Embeddings> {
  if (!t || t.rank !== 2) throw new InvalidArgumentError({ message: `The view's run has no 2-D output "${name}"; set the tower layout's output names.` });
  return { data: (await t.data()) as Float32Array, rows: t.shape[0] as number, dim: t.shape[1] as number };
}

/** `[images, texts]` cosine scores (float64 sums rounded to float32), the same for every caller. */
function scores(images: Embeddings, texts: Embeddings): Float32Array {
  const out = new Float32Array(images.rows * texts.rows);
  for (let i = 0; i < images.rows; i++) {
    for (let t = 0; t < texts.rows; t++) {
      let s = 0;
      for (let d = 0; d < images.dim; d++) s += (images.data[i * images.dim + d] as number) * (texts.data[t * texts.dim + d] as number);
      out[i * texts.rows + t] = s;
    }
  }
  return out;
}

/** The first `n` rows of every tensor of a batch (released by the caller). */
function firstRows(t: tf.Tensor, n: number): tf.Tensor {
  return t.slice(0, n);
}

/**
 * R@1 (`r1Mean`, `i2tR1`, `t2iR1`, percent; image i ↔ text `i mod images`, batches weighted by
 * their image count) as a function of the gates, from the towers' embeddings, with the per-tower
 * cache when `cache` is true (see the file comment). The cache lives as long as the returned
 * function: build one per pruning run (the weights must not change while it is used).
 */
export function towerRetrievalMetric(view: PrunableView<TwoTowerBatch>, batches: readonly TwoTowerBatch[], options: { readonly layout?: TowerLayout; readonly engine?: Engine; readonly signal?: AbortSignal; readonly cache: boolean }): TowerMetric {
  const layout = options.layout ?? {};
  const imageOutput = layout.imageOutput ?? 'image_embeds';
  const textOutput = layout.textOutput ?? 'text_embeds';
  const modalityOf = new Map(view.structures.map((s) => [s.gate.group, s.modality as string]));
  const towerGroups = (modality: string) => new Set([...modalityOf].filter(([, m]) => m === modality).map(([g]) => g));
  const imageGroups = towerGroups(layout.imageModality ?? 'vision');
  const textGroups = towerGroups(layout.textModality ?? 'text');
  const keyOf = (gates: GateValues, groups: ReadonlySet<string>) => gateKey(new Map([...gates].filter(([g]) => groups.has(g))));
  const memo = new Map<string, Embeddings>();
  const stats: TowerStats = { fullRuns: 0, towerRuns: 0, towerHits: 0, milliseconds: 0 };

  async function run(batch: TwoTowerBatch, gates: GateValues, want: 'both' | 'images' | 'texts'): Promise<{ images?: Embeddings; texts?: Embeddings }> {
    const started = performance.now();
    const owned: tf.Tensor[] = [];
    let input = batch;
    if (want === 'images') {
      // the batch's other fields (e.g. BLIP's `forward: 'itc'`) are kept
      input = { ...batch, inputIds: firstRows(batch.inputIds, 1), ...(batch.attentionMask ? { attentionMask: firstRows(batch.attentionMask, 1) } : {}) };
      owned.push(input.inputIds, ...(input.attentionMask ? [input.attentionMask] : []));
    } else if (want === 'texts') {
      input = { ...batch, pixelValues: firstRows(batch.pixelValues, 1) };
      owned.push(input.pixelValues);
    }
    const tensors = gateTensors(gates);
    try {
      const result = await view.run(input, { gates: tensors, engine: options.engine, signal: options.signal });
      try {
        return {
          images: want === 'texts' ? undefined : await hostEmbeddings(result.outputs[imageOutput], imageOutput),
          texts: want === 'images' ? undefined : await hostEmbeddings(result.outputs[textOutput], textOutput),
        };
      } finally {
        result.dispose();
      }
    } finally {
      for (const t of [...owned, ...Object.values(tensors)]) t.dispose();
      if (want === 'both') stats.fullRuns++;
      else stats.towerRuns++;
      stats.milliseconds += performance.now() - started;
    }
  }

  const metric = async (gates: GateValues): Promise<Record<string, number>> => {
    let i2t = 0;
    let t2i = 0;
    let total = 0;
    for (const [index, batch] of batches.entries()) {
      const imageKey = `${index}|${keyOf(gates, imageGroups)}`;
      const textKey = `${index}|${keyOf(gates, textGroups)}`;
      let images = options.cache ? memo.get(`i${imageKey}`) : undefined;
      let texts = options.cache ? memo.get(`t${textKey}`) : undefined;
      stats.towerHits += (images ? 1 : 0) + (texts ? 1 : 0);
      if (!images || !texts) {
        const fresh = await run(batch, gates, !images && !texts ? 'both' : images ? 'texts' : 'images');
        images ??= fresh.images as Embeddings;
        texts ??= fresh.texts as Embeddings;
        if (options.cache) {
          memo.set(`i${imageKey}`, images);
          memo.set(`t${textKey}`, texts);
        }
      }
      const recall = retrievalRecall({ data: scores(images, texts), shape: [images.rows, texts.rows] }, Array.from({ length: texts.rows }, (_, t) => t % images.rows));
      i2t += recall.i2t.r1 * images.rows;
      t2i += recall.t2i.r1 * images.rows;
      total += images.rows;
    }
    return { r1Mean: (i2t + t2i) / (2 * total), i2tR1: i2t / total, t2iR1: t2i / total };
  };
  return Object.assign(metric, { stats });
}

/** Z (one key of {@link towerRetrievalMetric}'s result) as a {@link GatedMetric}. */
export function towerMetricValue(metric: TowerMetric, key: string): GatedMetric {
  return async (gates) => {
    const value = (await metric(gates))[key];
    if (typeof value !== 'number') throw new InvalidArgumentError({ message: `The tower retrieval metric has no "${key}"; use r1Mean, i2tR1 or t2iR1.` });
    return value;
  };
}
