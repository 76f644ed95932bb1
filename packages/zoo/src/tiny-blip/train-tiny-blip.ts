import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { atomicWriteFile, InvalidArgumentError } from '@vlp/core';
import {
  type BlipForConditionalGeneration,
  type BlipForImageTextRetrieval,
  type BlipForQuestionAnswering,
  type BlipModel,
  blipCaptionLmLoss,
  blipItcLoss,
  blipItmLoss,
  blipVqaLmLoss,
  createRandomBlip,
  loadImageProcessor,
  loadModel,
  loadTokenizer,
  type SavedModel,
  saveModel,
} from '@vlp/models';
import { type TrainData, type TrainEvent, type TrainForward, type TrainResult, train } from '@vlp/tasks';
import { recordRecipe } from '../training/record-recipe.js';
import { withFastWasmMatMul } from '../training/wasm-matmul.js';
import { applyScaledBlipInit } from './blip-init.js';
import { type BlipPairBatch, shapesVLBlipPairData } from './blip-caption-data.js';
import { type BlipVqaBatch, shapesVLBlipVqaData } from './blip-vqa-data.js';
import { TINY_BLIP_ARCHITECTURES, TINY_BLIP_IMAGE_SIZE, type TinyBlipName, tinyBlipConfig, tinyBlipSideFiles } from './tiny-blip-config.js';

/** One training recipe of a tiny BLIP checkpoint. */
export interface TinyBlipRecipe {
  readonly seed: number;
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly weightDecay: number;
  /** Shapes-VL train images to draw from (with their 5 captions, or 9 questions). */
  readonly trainImages: number;
  readonly checkpointEvery: number;
  /**
   * Retrieval only: a second stage after the first (ITC + ITM), as BLIP fine-tunes retrieval after
   * pre-training — these many steps of ITC + ITM with the mined negatives and, in addition, ITM on
   * one-word caption negatives (`negativeCaption`). 0 = none (caption, VQA).
   */
  readonly finetuneSteps: number;
  readonly finetuneLearningRate: number;
  readonly finetuneWarmupSteps: number;
}

/** The recipes of the shipped tiny BLIP checkpoints (see the zoo README). */
export const TINY_BLIP_RECIPES: Readonly<Record<TinyBlipName, TinyBlipRecipe>> = {
  'tiny-blip-itm': {
    seed: 0, steps: 700, batchSize: 32, learningRate: 1e-3, warmupSteps: 40, weightDecay: 0.05, trainImages: 20_000, checkpointEvery: 50,
    finetuneSteps: 200, finetuneLearningRate: 3e-4, finetuneWarmupSteps: 10,
  },
  'tiny-blip-caption': { seed: 0, steps: 800, batchSize: 32, learningRate: 1e-3, warmupSteps: 30, weightDecay: 0.05, trainImages: 20_000, checkpointEvery: 50, finetuneSteps: 0, finetuneLearningRate: 0, finetuneWarmupSteps: 0 },
  'tiny-blip-vqa': { seed: 0, steps: 800, batchSize: 48, learningRate: 1e-3, warmupSteps: 30, weightDecay: 0.05, trainImages: 20_000, checkpointEvery: 50, finetuneSteps: 0, finetuneLearningRate: 0, finetuneWarmupSteps: 0 },
};

/** Options of {@link trainTinyBlip}; every recipe field defaults to {@link TINY_BLIP_RECIPES}. */
export interface TrainTinyBlipOptions extends Partial<TinyBlipRecipe> {
  /** Where the finished checkpoint is saved (Hugging Face layout; replaced when it exists). */
  readonly outDir: string;
  /** Working directory: trainer checkpoints (`trainer/`), the side files (`files/`), `recipe.json`. */
  readonly runDir: string;
  /**
   * Caption and VQA: the retrieval checkpoint whose vision tower and text encoder start the model
   * (required for those two; BLIP fine-tunes from pre-training): the retrieval run's
   * `pretrained/` directory (its first stage). Ignored for `tiny-blip-itm`.
   */
  readonly initFrom?: string;
  /**
   * VQA: a trained caption checkpoint whose text decoder (BERT and LM head) starts the answer decoder,
   * as BLIP initialises it from the pre-trained image-grounded decoder. Default: the text encoder of
   * `initFrom`, with a random LM head.
   */
  readonly decoderFrom?: string;
  /** Continue from the latest trainer checkpoint in `runDir` (same settings required). Default true. */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}

/** Writes a tiny BLIP checkpoint's tokenizer, preprocessor (and generation) files into `dir`. */
export async function writeTinyBlipSideFiles(name: TinyBlipName, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(tinyBlipSideFiles(name))) await atomicWriteFile(path.join(dir, file), text);
}

/** A number seed from the sample indices of a batch (FNV-1a), so mining does not depend on how a run was resumed. */
function batchSeed(seed: number, indices: readonly number[]): number {
  let h = 0x811c9dc5 ^ seed;
  for (const i of indices) {
    h ^= i;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * Copies the retrieval checkpoint's vision tower and text encoder into `model`: `vision_model.*` by
 * name, `text_encoder.*` into the text encoder (VQA) and into the decoder's BERT
 * (`text_decoder.bert.*`, caption and VQA; its self-attention then learns to be causal).
 */
async function initFromRetrieval(model: BlipModel, dir: string): Promise<void> {
  const source = await loadModel(dir);
  try {
    if (source.config.architecture !== 'BlipForImageTextRetrieval') {
      throw new InvalidArgumentError({ message: `initFrom must be a BlipForImageTextRetrieval checkpoint; ${dir} is ${String(source.config.architecture)}.`, path: dir });
    }
    const from = source.params;
    for (const name of model.params.names()) {
      const origin = name.startsWith('text_decoder.bert.') ? `text_encoder.${name.slice('text_decoder.bert.'.length)}` : name;
      if ((origin.startsWith('vision_model.') || origin.startsWith('text_encoder.')) && from.has(origin)) model.params.set(name, from.get(origin).data);
    }
  } finally {
    await source.dispose();
  }
}

/** The retrieval stage plus ITM on one-word caption negatives: (caption i, image i) = 1, (negative i, image i) = 0. */
function retrievalFinetuneStage(model: BlipForImageTextRetrieval, data: TrainData<BlipPairBatch>, seed: number, encToken: number): Stage<BlipPairBatch> {
  const base = retrievalStage(model, data, seed, encToken);
  return {
    data,
    forward(batch, weights) {
      const n = batch.imageIndex.length;
      const mined = base.forward(batch, weights).loss as tf.Scalar;
      const texts = tf.concat([batch.inputIds, batch.negativeInputIds as tf.Tensor], 0);
      const mask = tf.concat([batch.attentionMask, batch.negativeAttentionMask as tf.Tensor], 0);
      const index = Array.from({ length: 2 * n }, (_, i) => i % n);
      const labels = index.map((_, i) => (i < n ? 1 : 0));
      const swapped = blipItmLoss(model, { pixelValues: batch.pixelValues, inputIds: texts, attentionMask: mask, labels, imageIndex: index }, { weights, encToken });
      const loss = tf.add(mined, swapped) as tf.Scalar;
      tf.dispose([mined, swapped, texts, mask]);
      return { loss };
    },
  };
}

/** Copies a caption checkpoint's `text_decoder.*` (BERT with cross-attention and LM head) into `model`. */
async function initDecoderFromCaption(model: BlipModel, dir: string): Promise<void> {
  const source = await loadModel(dir);
  try {
    if (source.config.architecture !== 'BlipForConditionalGeneration') {
      throw new InvalidArgumentError({ message: `decoderFrom must be a BlipForConditionalGeneration checkpoint; ${dir} is ${String(source.config.architecture)}.`, path: dir });
    }
    for (const name of model.params.names()) if (name.startsWith('text_decoder.') && source.params.has(name)) model.params.set(name, source.params.get(name).data);
  } finally {
    await source.dispose();
  }
}

interface Stage<B> {
  readonly data: TrainData<B>;
  forward(batch: B, weights: Readonly<Record<string, tf.Tensor>>): TrainForward;
}

/** ITC + ITM with hard negatives (BLIP's retrieval fine-tuning, without momentum encoders or queues). */
function retrievalStage(model: BlipForImageTextRetrieval, data: TrainData<BlipPairBatch>, seed: number, encToken: number): Stage<BlipPairBatch> {
  return {
    data,
    forward(batch, weights) {
      const groupIds = batch.imageIndex;
      const itc = blipItcLoss(model, { ...batch, groupIds }, { weights });
      const pairs = { pixelValues: batch.pixelValues, inputIds: batch.inputIds, attentionMask: batch.attentionMask };
      const itm = blipItmLoss(model, pairs, { weights, encToken, hardNegatives: { seed: batchSeed(seed, groupIds), groupIds } });
      const loss = tf.add(itc, itm) as tf.Scalar;
      tf.dispose([itc, itm]);
      return { loss };
    },
  };
}

/**
 * Trains one tiny BLIP checkpoint on Shapes-VL with the `@vlp/tasks` trainer (AdamW, warm-up then
 * cosine decay, seeded data order, resumable checkpoints in `runDir/trainer`) and saves it with its
 * tokenizer and preprocessor files to `outDir`:
 *
 * - `tiny-blip-itm` (`BlipForImageTextRetrieval`), from `createRandomBlip(config, seed)` rescaled
 *   by `applyScaledBlipInit`: ITC
 *   (`blipItcLoss`, temperature 0.07, captions of the same image are positives) + ITM
 *   (`blipItmLoss` with `[ENC]` as first token and one mined hard negative image per caption and
 *   caption per image, seeded by the batch) on image–caption pairs, then saved to `runDir/pretrained`; then `finetuneSteps` more steps that add ITM on one-word
 *   caption negatives (`negativeCaption`);
 * - `tiny-blip-caption` (`BlipForConditionalGeneration`): LM loss (`blipCaptionLmLoss`, label
 *   smoothing 0.1) on `[DEC]` captions; vision and decoder BERT start from `initFrom`;
 * - `tiny-blip-vqa` (`BlipForQuestionAnswering`): answer LM loss (`blipVqaLmLoss`) on the nine
 *   questions of every image; vision, text encoder and decoder BERT start from `initFrom`, the
 *   whole decoder (BERT and LM head) from `decoderFrom` when given (the shipped recipe does).
 *
 * Deterministic for a given seed and backend. Returns the trained model (the caller disposes it).
 */
export async function trainTinyBlip(name: TinyBlipName, options: TrainTinyBlipOptions): Promise<{ result: TrainResult; saved: SavedModel; model: BlipModel }> {
  if (!(name in TINY_BLIP_ARCHITECTURES)) {
    throw new InvalidArgumentError({ message: `Unknown tiny BLIP checkpoint ${JSON.stringify(name)}; expected one of ${Object.keys(TINY_BLIP_ARCHITECTURES).join(', ')}.`, actual: name, expected: Object.keys(TINY_BLIP_ARCHITECTURES) });
  }
  const r = recipeOf(name, options);
  if (name !== 'tiny-blip-itm' && options.initFrom === undefined) {
    throw new InvalidArgumentError({ message: `${name} starts from a trained tiny-blip-itm checkpoint: pass initFrom.`, expected: 'initFrom' });
  }
  const resume = options.resume ?? true;
  const sources = {
    ...(name === 'tiny-blip-itm' ? {} : { initFrom: path.resolve(options.initFrom as string) }),
    ...(name === 'tiny-blip-vqa' && options.decoderFrom !== undefined ? { decoderFrom: path.resolve(options.decoderFrom) } : {}),
  };
  await recordRecipe(options.runDir, { name, ...r, ...sources }, resume);
  const filesDir = path.join(options.runDir, 'files');
  await writeTinyBlipSideFiles(name, filesDir);
  const tokenizer = await loadTokenizer(filesDir);
  const imageProcessor = await loadImageProcessor(filesDir);
  const model = createRandomBlip(TINY_BLIP_ARCHITECTURES[name], tinyBlipConfig(name), r.seed);
  try {
    applyScaledBlipInit(model);
    if (name !== 'tiny-blip-itm') await initFromRetrieval(model, options.initFrom as string);
    if (name === 'tiny-blip-vqa' && options.decoderFrom !== undefined) await initDecoderFromCaption(model, options.decoderFrom);
    const common = { tokenizer, imageProcessor, images: r.trainImages, size: TINY_BLIP_IMAGE_SIZE };
    const run = <B>(stage: Stage<B>, phase: Phase = { steps: r.steps, learningRate: r.learningRate, warmupSteps: r.warmupSteps, seed: r.seed, dir: 'trainer' }) =>
      withFastWasmMatMul(() =>
        train({
          params: model.params,
          forward: stage.forward,
          data: stage.data,
          batchSize: r.batchSize,
          steps: phase.steps,
          learningRate: phase.learningRate,
          schedule: { warmupSteps: phase.warmupSteps },
          optimizer: { weightDecay: r.weightDecay },
          seed: phase.seed,
          checkpoint: { dir: path.join(options.runDir, phase.dir), every: r.checkpointEvery, resume },
          signal: options.signal,
          onEvent: options.onEvent,
        }),
      );
    const enc = tokenizer.tokenToId('[ENC]') as number;
    const result =
      name === 'tiny-blip-itm'
        ? await runRetrieval(model as BlipForImageTextRetrieval, r, options.runDir, filesDir, run, {
            first: retrievalStage(model as BlipForImageTextRetrieval, shapesVLBlipPairData(common), r.seed, enc),
            second: retrievalFinetuneStage(model as BlipForImageTextRetrieval, shapesVLBlipPairData({ ...common, captionNegatives: true }), r.seed + 1, enc),
          })
        : name === 'tiny-blip-caption'
          ? await run<BlipPairBatch>({
              data: shapesVLBlipPairData({ ...common, decoder: true }),
              forward: (b, weights) => ({ loss: blipCaptionLmLoss(model as BlipForConditionalGeneration, b, { weights }) }),
            })
          : await run<BlipVqaBatch>({
              data: shapesVLBlipVqaData(common),
              forward: (b, weights) => ({ loss: blipVqaLmLoss(model as BlipForQuestionAnswering, b, { weights }) }),
            });
    model.tokenizer = tokenizer;
    model.imageProcessor = imageProcessor;
    const saved = await saveModel(model, options.outDir, { overwrite: true, sourceDir: filesDir });
    return { result, saved, model };
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

/** Directory (in the run directory) of the retrieval model after its first stage, which caption and VQA start from. */
export const TINY_BLIP_PRETRAINED_DIR = 'pretrained';

interface Phase {
  readonly steps: number;
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly seed: number;
  /** Trainer checkpoint directory inside the run directory. */
  readonly dir: string;
}

/**
 * The retrieval recipe: the first stage (ITC + ITM), the model saved to `runDir/pretrained` (what
 * caption and VQA start from), then, when `finetuneSteps` > 0, the second stage with caption
 * negatives (trainer checkpoints in `runDir/trainer-finetune`, data order seeded with seed + 1).
 */
async function runRetrieval(
  model: BlipForImageTextRetrieval,
  r: TinyBlipRecipe,
  runDir: string,
  filesDir: string,
  run: (stage: Stage<BlipPairBatch>, phase: Phase) => Promise<TrainResult>,
  stages: { first: Stage<BlipPairBatch>; second: Stage<BlipPairBatch> },
): Promise<TrainResult> {
  const a = await run(stages.first, { steps: r.steps, learningRate: r.learningRate, warmupSteps: r.warmupSteps, seed: r.seed, dir: 'trainer' });
  await saveModel(model, path.join(runDir, TINY_BLIP_PRETRAINED_DIR), { overwrite: true, sourceDir: filesDir });
  if (r.finetuneSteps < 1) return a;
  const b = await run(stages.second, { steps: r.finetuneSteps, learningRate: r.finetuneLearningRate, warmupSteps: r.finetuneWarmupSteps, seed: r.seed + 1, dir: 'trainer-finetune' });
  return { losses: [...a.losses, ...b.losses], steps: a.steps + b.steps, resumedFrom: a.resumedFrom, durationMs: a.durationMs + b.durationMs };
}

/** The recipe of `name` with the settings `options` gives. */
function recipeOf(name: TinyBlipName, options: TrainTinyBlipOptions): TinyBlipRecipe {
  const r: Record<string, number> = { ...TINY_BLIP_RECIPES[name] };
  for (const key of Object.keys(r) as Array<keyof TinyBlipRecipe>) {
    const value = options[key];
    if (value !== undefined) r[key] = value;
  }
  return r as unknown as TinyBlipRecipe;
}
