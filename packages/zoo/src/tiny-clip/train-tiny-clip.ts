import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { atomicWriteFile, InvalidArgumentError } from '@vlp/core';
import { type ClipModel, createRandomClip, type ImageProcessor, loadImageProcessor, loadTokenizer, type SavedModel, saveModel, type VlpTokenizer } from '@vlp/models';
import { type TrainEvent, type TrainResult, train } from '@vlp/tasks';
import { applyHfClipInit } from '../training/hf-clip-init.js';
import { recordRecipe } from '../training/record-recipe.js';
import { withFastWasmMatMul } from '../training/wasm-matmul.js';
import { shapesVLClasses } from '@vlp/data';
import { TINY_CLIP_TEMPLATES } from './evaluate-tiny-clip.js';
import { labelPrompts, tinyClipLoss, tinyClipLossFromLogits } from './label-prompt-loss.js';
import { clipLogitsFromFeatures } from './clip-logits-from-features.js';
import { clipImageFeaturesWithObjectLoss } from './clip-object-loss.js';
import type { TinyClipRecipe } from './train-clip-tower.js';
import { withObjectHead } from '../training/object-head.js';
import { trainTinyClipTowerParallel } from './train-tiny-clip-parallel.js';
import { tinyClipConfig, tinyClipSideFiles } from './tiny-clip-config.js';
import { tinyClipTrainOptions } from './tiny-clip-train-options.js';

/** The recipe of the shipped tiny-clip checkpoint (see the zoo README). */
export const TINY_CLIP_RECIPE = {
  seed: 0,
  steps: 2400,
  batchSize: 64,
  learningRate: 1e-3,
  warmupSteps: 50,
  weightDecay: 0.1,
  trainImages: 20_000,
  checkpointEvery: 100,
  /** 1: every batch also carries one hard-negative caption per pair (NegCLIP); 0: plain InfoNCE. */
  hardNegatives: 0,
  /** With hard negatives: the fraction that change a position phrase or relation instead of a colour or shape (`spatialNegativeCaption`). */
  spatialNegatives: 0,
  /** Hidden size of both towers (MLP 4×, projection the same); see `tinyClipConfig`. */
  hiddenSize: 64,
  /** ViT patch side in pixels. */
  patchSize: 8,
  /** Weight of the image–label term (class prompts, see `tinyClipLoss`); 0: captions only. */
  labelWeight: 1,
  /**
   * Weight of the auxiliary object term (`clipImageFeaturesWithObjectLoss`): a linear head, trained
   * with the vision tower and dropped afterwards, classifies every object's colour, shape, size and
   * grid cell from the token under its centre. 0: none.
   */
  objectWeight: 1,
  /**
   * 1: train the two towers in two worker threads that exchange features every step
   * (`trainTinyClipTowerParallel`; the same loss and AdamW steps, two cores); 0: one thread.
   */
  towerParallel: 1,
} as const;

/** Options of {@link trainTinyClip}; every field but the directories defaults to {@link TINY_CLIP_RECIPE}. */
export interface TrainTinyClipOptions {
  /** Where the finished checkpoint is saved (Hugging Face layout; replaced when it exists). */
  readonly outDir: string;
  /** Working directory: trainer checkpoints (`trainer/`) and the tokenizer / preprocessor files (`files/`). */
  readonly runDir: string;
  /** Seeds the initial weights and the data order. */
  readonly seed?: number;
  readonly steps?: number;
  readonly batchSize?: number;
  /** Peak learning rate (AdamW). */
  readonly learningRate?: number;
  readonly warmupSteps?: number;
  readonly weightDecay?: number;
  /** Shapes-VL train images to draw pairs from (× 5 captions). */
  readonly trainImages?: number;
  readonly checkpointEvery?: number;
  /** 1: add one hard-negative caption per pair to every batch (`shapesVLPairData`'s `hardNegatives`); 0 (the recipe's): none. */
  readonly hardNegatives?: number;
  /** With `hardNegatives`: the fraction of them that are spatial (`spatialNegativeCaption`); default 0. */
  readonly spatialNegatives?: number;
  readonly hiddenSize?: number;
  readonly patchSize?: number;
  readonly labelWeight?: number;
  readonly objectWeight?: number;
  readonly towerParallel?: number;
  /** Continue from the latest trainer checkpoint in `runDir` (same settings required). Default true. */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}

/** Writes tiny-clip's tokenizer and preprocessor files into `dir` (atomically, file by file). */
export async function writeTinyClipSideFiles(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(tinyClipSideFiles())) await atomicWriteFile(path.join(dir, name), text);
}

/**
 * Trains tiny-clip from scratch: `createRandomClip(tinyClipConfig({ hiddenSize, patchSize }), seed)` rescaled to transformers'
 * CLIP initialisation (`applyHfClipInit`), then the symmetric
 * InfoNCE loss on Shapes-VL train image–caption pairs with the `@vlp/tasks` trainer (AdamW, linear
 * warm-up then cosine decay, seeded data order, checkpoints every `checkpointEvery` steps in
 * `runDir/trainer`, resumable), and saves the model with its tokenizer and preprocessor files to
 * `outDir`. Deterministic for a given seed and backend. Returns the trained model (the caller
 * disposes it), the trainer's result and what was saved.
 */
export async function trainTinyClip(options: TrainTinyClipOptions): Promise<{ result: TrainResult; saved: SavedModel; model: ClipModel }> {
  const r = recipeOf(options);
  await recordRecipe(options.runDir, r, options.resume ?? true);
  const filesDir = path.join(options.runDir, 'files');
  await writeTinyClipSideFiles(filesDir);
  const tokenizer = await loadTokenizer(filesDir);
  const imageProcessor = await loadImageProcessor(filesDir);
  const model = createRandomClip(tinyClipConfig({ hiddenSize: r.hiddenSize, patchSize: r.patchSize }), r.seed);
  applyHfClipInit(model);
  const resume = options.resume ?? true;
  try {
    let result: TrainResult;
    if (r.towerParallel === 1) {
      const trained = await trainTinyClipTowerParallel({ recipe: r, backend: tf.getBackend(), runDir: options.runDir, filesDir, resume, signal: options.signal, onEvent: options.onEvent });
      for (const [name, data] of trained.params) model.params.set(name, data);
      result = trained.result;
    } else {
      result = await trainOneThread(model, r, tokenizer, imageProcessor, options);
    }
    model.tokenizer = tokenizer;
    model.imageProcessor = imageProcessor;
    const saved = await saveModel(model, options.outDir, { overwrite: true, sourceDir: filesDir });
    return { result, saved, model };
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

/** The single-thread loop: `tinyClipLoss` with the `@vlp/tasks` trainer. */
async function trainOneThread(
  model: ClipModel,
  r: TinyClipRecipe,
  tokenizer: VlpTokenizer,
  imageProcessor: ImageProcessor,
  options: TrainTinyClipOptions,
): Promise<TrainResult> {
  const prompts = labelPrompts(tokenizer, shapesVLClasses(), TINY_CLIP_TEMPLATES[0]);
  const params = r.objectWeight > 0 ? withObjectHead(model.params, r.hiddenSize, r.seed) : model.params;
  try {
    const result = await withFastWasmMatMul(() =>
      train({
        params,
        forward: (batch, weights) => {
          if (r.objectWeight === 0 || !batch.objects) return { loss: tinyClipLoss(model, batch, prompts, r.labelWeight, weights) };
          const { imageFeatures, objectLoss } = clipImageFeaturesWithObjectLoss(model, batch.pixelValues, batch.objects, weights);
          const loss = tf.tidy(() => {
            const texts = batch.inputIds.shape[0] as number;
            const withPrompts = r.labelWeight !== 0;
            const ids = withPrompts ? tf.concat([batch.inputIds, prompts.inputIds]) : batch.inputIds;
            const mask = withPrompts ? tf.concat([batch.attentionMask, prompts.attentionMask]) : batch.attentionMask;
            const text = model.differentiableTextFeatures(ids, mask, { weights });
            const contrastive = tinyClipLossFromLogits(clipLogitsFromFeatures(text, imageFeatures, weights.logit_scale as tf.Tensor), texts, batch.labels, r.labelWeight);
            return tf.add(contrastive, tf.mul(objectLoss, r.objectWeight)) as tf.Scalar;
          });
          return { loss };
        },
        ...tinyClipTrainOptions(r, tokenizer, imageProcessor),
        checkpoint: { dir: path.join(options.runDir, 'trainer'), every: r.checkpointEvery, resume: options.resume ?? true },
        signal: options.signal,
        onEvent: options.onEvent,
      }),
    );
    if (params !== model.params) for (const n of model.params.names()) model.params.set(n, params.get(n).data);
    return result;
  } finally {
    tf.dispose([prompts.inputIds, prompts.attentionMask]);
  }
}

/** {@link TINY_CLIP_RECIPE} with the settings `options` gives. */
function recipeOf(options: TrainTinyClipOptions): TinyClipRecipe & { towerParallel: number } {
  const r: { -readonly [K in keyof typeof TINY_CLIP_RECIPE]: number } = { ...TINY_CLIP_RECIPE };
  for (const key of Object.keys(r) as Array<keyof typeof TINY_CLIP_RECIPE>) {
    const value = options[key];
    if (value !== undefined) r[key] = value;
  }
  if (!(r.objectWeight >= 0) || !Number.isFinite(r.objectWeight)) throw new InvalidArgumentError({ message: `objectWeight must be a finite number ≥ 0; got ${r.objectWeight}.`, actual: r.objectWeight });
  return r;
}
