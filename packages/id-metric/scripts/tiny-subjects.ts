/**
 * The two embedded models of `report:tiny` (see `id-platon-report.ts`): how to load each, its
 * prunable view, its differentiable task loss with Shapes-VL training pairs, the calibration
 * batches of the ID measurement, and its retrieval evaluation on the Shapes-VL test split with the
 * evaluators of the zoo README (`evaluateClipRetrieval` as `evaluateTinyClip`; `evaluateTinyBlipRetrieval`:
 * ITM-re-ranked and ITC-only, the latter being what `pnpm bench` reports for tiny-blip-itm).
 */
import * as tf from '@tensorflow/tfjs';
import { type CalibrationSource, createRng, type PrunableView, type TaskAdapter } from '@vlp/core';
import { type BlipForImageTextRetrieval, type ClipModel, blipView, clipView } from '@vlp/models';
import { blipRetrievalTask, clipTask, evaluateClipRetrieval, shapesVLRetrievalSet, type TrainData } from '@vlp/tasks';
import { CAPTIONS_PER_IMAGE, evaluateTinyBlipRetrieval, loadEmbeddedModel, shapesVLBlipPairData, shapesVLPairData } from '@vlp/zoo';

/** Retrieval R@1 (percent) of one evaluation: image→text, text→image and their mean; BLIP adds the ITC-only numbers. */
export interface RetrievalR1 {
  readonly i2t: number;
  readonly t2i: number;
  readonly mean: number;
  readonly itcOnly?: { readonly i2t: number; readonly t2i: number; readonly mean: number };
}

/** Sizes of the fine-tuning data of one run. */
export interface TrainSizes {
  /** Shapes-VL train images per epoch (each epoch visits all of them once, in a seeded order). */
  readonly images: number;
  readonly batchSize: number;
  /** Seeds the order of every epoch and the caption chosen for each image. */
  readonly seed: number;
}

/** One model of the report. */
export interface Subject {
  readonly name: 'tiny-clip' | 'tiny-blip-itm';
  /** Test images evaluated by default: `pnpm bench`'s (500 for tiny-clip, 250 for the BLIP heads). */
  readonly evalCount: number;
  load(): Promise<{ dispose(): Promise<void> }>;
  view(model: unknown): PrunableView<unknown>;
  task(model: unknown, train: CalibrationSource<unknown>): TaskAdapter<unknown>;
  /** `samples` train images (first caption each) in batches of 32: what the ID measurement reads. */
  calibration(model: unknown, samples: number): CalibrationSource<unknown>;
  /** The training pairs of {@link TrainSizes} as batches. */
  train(model: unknown, sizes: TrainSizes): CalibrationSource<unknown>;
  evaluate(model: unknown, count: number): Promise<RetrievalR1>;
}

/** Batches of `pairs` (indices into `data`, 5 per image), `batchSize` each, rendered lazily. */
function pairSource<B>(data: TrainData<B>, pairsOfEpoch: (epoch: number) => number[], batches: number, batchSize: number): CalibrationSource<B> {
  let epoch = 0;
  return {
    size: batches,
    async *batches() {
      const pairs = pairsOfEpoch(epoch++);
      for (let b = 0; b < batches; b++) {
        const batch = data.collate(pairs.slice(b * batchSize, (b + 1) * batchSize));
        try {
          yield batch;
        } finally {
          data.release?.(batch);
        }
      }
    },
  };
}

/** Epoch e: the images in the order `permutation` of `rng.split(e)`, each with caption `(image + e) mod 5`. */
function trainPairs(sizes: TrainSizes): (epoch: number) => number[] {
  const rng = createRng(sizes.seed).split('id-platon-report/train');
  return (epoch) => Array.from(rng.split(epoch).permutation(sizes.images), (image) => image * CAPTIONS_PER_IMAGE + ((image + epoch) % CAPTIONS_PER_IMAGE));
}

function checkSizes(sizes: TrainSizes): number {
  if (sizes.images % sizes.batchSize !== 0) throw new Error(`train images (${sizes.images}) must be a multiple of the batch size (${sizes.batchSize}).`);
  return sizes.images / sizes.batchSize;
}

const CALIBRATION_BATCH = 32;
const firstCaptions = (samples: number) => () => Array.from({ length: samples }, (_, i) => i * CAPTIONS_PER_IMAGE);

const r1 = (i2t: number, t2i: number) => ({ i2t, t2i, mean: (i2t + t2i) / 2 });

const clipSubject: Subject = {
  name: 'tiny-clip',
  evalCount: 500,
  load: () => loadEmbeddedModel('tiny-clip'),
  view: (model) => clipView(model as ClipModel) as PrunableView<unknown>,
  task: (model, train) => clipTask(model as ClipModel, { train: train as never }) as TaskAdapter<unknown>,
  calibration(model, samples) {
    const m = model as ClipModel;
    const data = shapesVLPairData({ tokenizer: m.tokenizer!, imageProcessor: m.imageProcessor!, images: samples, size: m.config.vision.imageSize });
    return pairSource(data, firstCaptions(samples), Math.ceil(samples / CALIBRATION_BATCH), CALIBRATION_BATCH) as CalibrationSource<unknown>;
  },
  train(model, sizes) {
    const m = model as ClipModel;
    const data = shapesVLPairData({ tokenizer: m.tokenizer!, imageProcessor: m.imageProcessor!, images: sizes.images, size: m.config.vision.imageSize });
    return pairSource(data, trainPairs(sizes), checkSizes(sizes), sizes.batchSize) as CalibrationSource<unknown>;
  },
  async evaluate(model, count) {
    const m = model as ClipModel;
    const r = await evaluateClipRetrieval(m, shapesVLRetrievalSet({ split: 'test', count, size: m.config.vision.imageSize }));
    return r1(r.i2t.r1, r.t2i.r1);
  },
};

const blipSubject: Subject = {
  name: 'tiny-blip-itm',
  evalCount: 250,
  load: () => loadEmbeddedModel('tiny-blip-itm'),
  view: (model) => blipView(model as BlipForImageTextRetrieval) as PrunableView<unknown>,
  task: (model, train) => blipRetrievalTask(model as BlipForImageTextRetrieval, { train: train as never }) as TaskAdapter<unknown>,
  calibration(model, samples) {
    const m = model as BlipForImageTextRetrieval;
    const data = shapesVLBlipPairData({ tokenizer: m.tokenizer!, imageProcessor: m.imageProcessor!, images: samples, size: m.config.vision.imageSize });
    return pairSource(data, firstCaptions(samples), Math.ceil(samples / CALIBRATION_BATCH), CALIBRATION_BATCH) as CalibrationSource<unknown>;
  },
  train(model, sizes) {
    const m = model as BlipForImageTextRetrieval;
    const data = shapesVLBlipPairData({ tokenizer: m.tokenizer!, imageProcessor: m.imageProcessor!, images: sizes.images, size: m.config.vision.imageSize });
    // The ITM loss mines its own hard negatives from B matching pairs: only pixels, ids and mask (as `pnpm bench`'s batches).
    const plain: TrainData<unknown> = {
      size: data.size,
      collate: (indices) => {
        const { pixelValues, inputIds, attentionMask } = data.collate(indices);
        return { pixelValues, inputIds, attentionMask };
      },
      release: (batch) => tf.dispose(Object.values(batch as Record<string, tf.Tensor>)),
    };
    return pairSource(plain, trainPairs(sizes), checkSizes(sizes), sizes.batchSize) as CalibrationSource<unknown>;
  },
  async evaluate(model, count) {
    const r = await evaluateTinyBlipRetrieval(model as BlipForImageTextRetrieval, { split: 'test', count });
    return { ...r1(r.i2t.r1, r.t2i.r1), itcOnly: r1(r.itcOnly.i2t.r1, r.itcOnly.t2i.r1) };
  },
};

/** The subjects by name. */
export const SUBJECTS: Readonly<Record<Subject['name'], Subject>> = { 'tiny-clip': clipSubject, 'tiny-blip-itm': blipSubject };

