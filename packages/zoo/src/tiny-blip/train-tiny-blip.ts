import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { atomicWriteFile, InvalidArgumentError } from '@vlp/core';
import {
  type BlipForConditionalGeneration,
  type BlipForImageTextRetrieval,
  type BlipForQuestionAnswering,
  type BlipModel,
  ClipModel,
  type ImageProcessor,
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
import { shapesVLSample } from '@vlp/data';
import { type TrainData, type TrainEvent, type TrainForward, type TrainResult, train } from '@vlp/tasks';
import { embeddedModelDir } from '../embedded-models.js';
import { recordRecipe } from '../training/record-recipe.js';
import { stageTrainerOptions } from '../training/stage-options.js';
import { withFastWasmMatMul } from '../training/wasm-matmul.js';
import { applyScaledBlipInit } from './blip-init.js';
import { blipVisionFromClip } from './blip-vision-from-clip.js';
import { distilBlipText } from './distil-blip-text.js';
import { distilBlipVision } from './distil-blip-vision.js';
import { cacheImageEmbeds, type ImageEmbedsCache } from './image-embeds-cache.js';
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
  /**
   * Retrieval only: steps of the vision stage that starts BLIP's vision tower from tiny-clip's
   * (`blipVisionFromClip` fitted on `visionFitImages` train images, then `distilBlipVision` at
   * `visionLearningRate`, batch `batchSize`·2, contrastive weight 1), as BLIP starts from a
   * pre-trained ViT. 0 = keep the random tower (caption and VQA take the tower of `initFrom`).
   */
  readonly visionSteps: number;
  readonly visionLearningRate: number;
  /**
   * Retrieval only: steps of the text stage after the first (whose model `pretrained/` keeps):
   * `distilBlipText` — ITC plus the distance to `visionFrom`'s CLIP text features, the text encoder
   * and `text_proj` trained at `textLearningRate`, batch `batchSize`·2 — before the second stage.
   */
  readonly textSteps: number;
  readonly textLearningRate: number;
  /** 1 = the text stage runs before the first stage instead of after it (ITM then trains on the distilled text encoder throughout). */
  readonly textFirst: number;
  readonly visionFitImages: number;
  /**
   * Retrieval with `visionSteps` > 0: weight of the vision stage's auxiliary object term
   * (`distilBlipVision`'s `objectWeight`: a linear head, dropped afterwards, classifies each
   * object's colour, shape, size and grid cell from the token under its centre). 0 = none.
   */
  readonly visionObjectWeight: number;
  /**
   * 1 = the vision tower stays frozen after it is made (or copied): its `image_embeds` of the
   * training images are computed once (`cacheImageEmbeds`, ONNX Runtime) and only the text side
   * and `vision_proj` train, on those. 0 = everything trains on pixels.
   */
  readonly freezeVision: number;
  /** Vision patch side (`vision_config.patch_size`) and 1 = `quick_gelu` in the vision tower (`tinyBlipConfig`). */
  readonly patchSize: number;
  readonly quickGelu: number;
  /**
   * VQA only: 1 = the checkpoint's tokenizer starts every text with `[ENC]` (its `cls_token`), so the
   * questions are encoded in training and evaluation as the official BLIP VQA encodes them
   * (`question.input_ids[:, 0] = enc_token_id`; the retrieval encoder it starts from was trained on
   * `[ENC]`-first texts); 0 = `[CLS]`, as transformers' processor gives them.
   */
  readonly encQuestions: number;
  /**
   * Caption and VQA: the retrieval model the run starts from — 0 = its first stage (the retrieval
   * run's `pretrained/`), as BLIP fine-tunes from pre-training; 1 = the finished retrieval
   * checkpoint (after the text stage and the caption-negative ITM stage, whose encoder has learned
   * to check attributes). `train:tiny-blip` passes the matching `initFrom`; 0 for `tiny-blip-itm`.
   */
  readonly initFromFinal: number;
  /**
   * VQA only: the first these many of `steps` train the answer decoder alone, the question encoder
   * (and the frozen vision tower) held fixed — linear probing before fine-tuning (LP-FT, Kumar et
   * al., ICLR 2022) — so the decoder learns to read what the retrieval encoder already computes
   * before the encoder moves (trainer checkpoints in `runDir/trainer-decoder`); the rest train as
   * before (`runDir/trainer`, data order seeded with seed + 1). 0 = one phase.
   */
  readonly decoderFirstSteps: number;
}

const NO_FINETUNE = { finetuneSteps: 0, finetuneLearningRate: 0, finetuneWarmupSteps: 0 } as const;
/** The `pixels` vision: 16-px patches, `gelu`, trained with the rest on pixels. */
const PIXELS = { patchSize: 16, quickGelu: 0, encQuestions: 0, initFromFinal: 0, decoderFirstSteps: 0, visionSteps: 0, visionLearningRate: 0, visionFitImages: 0, visionObjectWeight: 0, freezeVision: 0, textSteps: 0, textLearningRate: 0, textFirst: 0 } as const;
/** tiny-clip's vision geometry, the tower started from tiny-clip's and frozen. */
const CLIP_VISION = { patchSize: 8, quickGelu: 1, freezeVision: 1 } as const;

/**
 * The `pixels` recipes (the checkpoints shipped before the `clip-vision` ones; see the zoo README):
 * 16-px patches, every weight of a randomly initialised model trained on pixels.
 */
export const TINY_BLIP_PIXEL_RECIPES: Readonly<Record<TinyBlipName, TinyBlipRecipe>> = {
  'tiny-blip-itm': {
    seed: 0, steps: 700, batchSize: 32, learningRate: 1e-3, warmupSteps: 40, weightDecay: 0.05, trainImages: 20_000, checkpointEvery: 50,
    finetuneSteps: 200, finetuneLearningRate: 3e-4, finetuneWarmupSteps: 10, ...PIXELS,
  },
  'tiny-blip-caption': { seed: 0, steps: 800, batchSize: 32, learningRate: 1e-3, warmupSteps: 30, weightDecay: 0.05, trainImages: 20_000, checkpointEvery: 50, ...NO_FINETUNE, ...PIXELS },
  'tiny-blip-vqa': { seed: 0, steps: 800, batchSize: 48, learningRate: 1e-3, warmupSteps: 30, weightDecay: 0.05, trainImages: 20_000, checkpointEvery: 50, ...NO_FINETUNE, ...PIXELS },
};

/**
 * The recipes of the shipped tiny BLIP checkpoints (`clip-vision`; see the zoo README): 8-px
 * patches and `quick_gelu`, BLIP's vision tower started from tiny-clip's and frozen, the text side
 * trained on the cached image embeddings — several times the steps of
 * {@link TINY_BLIP_PIXEL_RECIPES} in the same time.
 */
export const TINY_BLIP_RECIPES: Readonly<Record<TinyBlipName, TinyBlipRecipe>> = {
  'tiny-blip-itm': {
    ...TINY_BLIP_PIXEL_RECIPES['tiny-blip-itm'], steps: 700, finetuneSteps: 500,
    ...CLIP_VISION, visionSteps: 250, visionLearningRate: 2e-3, visionFitImages: 1000, textSteps: 1000, textLearningRate: 5e-4, textFirst: 1,
  },
  'tiny-blip-caption': { ...TINY_BLIP_PIXEL_RECIPES['tiny-blip-caption'], steps: 1500, ...CLIP_VISION },
  'tiny-blip-vqa': { ...TINY_BLIP_PIXEL_RECIPES['tiny-blip-vqa'], steps: 3000, ...CLIP_VISION, encQuestions: 1, initFromFinal: 1, decoderFirstSteps: 500 },
};

/** The base recipes of {@link trainTinyBlip}: `clip-vision` (the shipped checkpoints') and `pixels`. */
export type TinyBlipRecipeName = 'clip-vision' | 'pixels';

/** The names of {@link TinyBlipRecipeName}. */
export const TINY_BLIP_RECIPE_NAMES: readonly TinyBlipRecipeName[] = ['clip-vision', 'pixels'];

/** The recipes `name` stands for (default `clip-vision`, the shipped checkpoints'). */
export function tinyBlipRecipes(name: TinyBlipRecipeName = 'clip-vision'): Readonly<Record<TinyBlipName, TinyBlipRecipe>> {
  return name === 'pixels' ? TINY_BLIP_PIXEL_RECIPES : TINY_BLIP_RECIPES;
}

/** Options of {@link trainTinyBlip}; every recipe field defaults to {@link TINY_BLIP_RECIPES}. */
export interface TrainTinyBlipOptions extends Partial<TinyBlipRecipe> {
  /** The base recipe the other fields override: `'clip-vision'` ({@link TINY_BLIP_RECIPES}, the shipped checkpoints', default) or `'pixels'` ({@link TINY_BLIP_PIXEL_RECIPES}). */
  readonly recipe?: TinyBlipRecipeName;
  /** Where the finished checkpoint is saved (Hugging Face layout; replaced when it exists). */
  readonly outDir: string;
  /** Working directory: trainer checkpoints (`trainer/`), the side files (`files/`), `recipe.json`. */
  readonly runDir: string;
  /**
   * Caption and VQA: the retrieval checkpoint whose vision tower and text encoder start the model
   * (required for those two): the retrieval run's `pretrained/` directory (its first stage; BLIP
   * fine-tunes from pre-training) or, when the recipe's `initFromFinal` is 1, the finished
   * retrieval checkpoint. Ignored for `tiny-blip-itm`.
   */
  readonly initFrom?: string;
  /**
   * VQA: a trained caption checkpoint whose text decoder (BERT and LM head) starts the answer decoder,
   * as BLIP initialises it from the pre-trained image-grounded decoder. Default: the text encoder of
   * `initFrom`, with a random LM head.
   */
  readonly decoderFrom?: string;
  /**
   * Retrieval with `visionSteps` > 0: the CLIP checkpoint whose vision tower BLIP's starts from
   * (same vision geometry and activation). Default: the embedded tiny-clip.
   */
  readonly visionFrom?: string;
  /** Continue from the latest trainer checkpoint in `runDir` (same settings required). Default true. */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}

/** Writes a tiny BLIP checkpoint's tokenizer, preprocessor (and generation) files into `dir` (see `tinyBlipSideFiles`). */
export async function writeTinyBlipSideFiles(name: TinyBlipName, dir: string, options: { readonly encQuestions?: boolean } = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [file, text] of Object.entries(tinyBlipSideFiles(name, options))) await atomicWriteFile(path.join(dir, file), text);
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
      const swapped = blipItmLoss(model, { ...images(batch), inputIds: texts, attentionMask: mask, labels, imageIndex: index }, { weights, encToken });
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

/** The image part of a batch: its pixels or its precomputed embeddings. */
function images(batch: BlipPairBatch): { pixelValues?: tf.Tensor; imageEmbeds?: tf.Tensor } {
  return batch.imageEmbeds ? { imageEmbeds: batch.imageEmbeds } : { pixelValues: batch.pixelValues };
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
      const pairs = { ...images(batch), inputIds: batch.inputIds, attentionMask: batch.attentionMask };
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
  if (name !== 'tiny-blip-itm' && options.initFrom === undefined) {
    throw new InvalidArgumentError({ message: `${name} starts from a trained tiny-blip-itm checkpoint: pass initFrom.`, expected: 'initFrom' });
  }
  const r = recipeOf(name, options);
  const resume = options.resume ?? true;
  const sources = {
    ...(name === 'tiny-blip-itm' ? {} : { initFrom: path.resolve(options.initFrom as string) }),
    ...(name === 'tiny-blip-vqa' && options.decoderFrom !== undefined ? { decoderFrom: path.resolve(options.decoderFrom) } : {}),
    ...(name === 'tiny-blip-itm' && r.visionSteps > 0 && options.visionFrom !== undefined ? { visionFrom: path.resolve(options.visionFrom) } : {}),
  };
  await recordRecipe(options.runDir, { name, ...r, ...sources }, resume);
  const filesDir = path.join(options.runDir, 'files');
  await writeTinyBlipSideFiles(name, filesDir, { encQuestions: r.encQuestions === 1 });
  const tokenizer = await loadTokenizer(filesDir);
  const imageProcessor = await loadImageProcessor(filesDir);
  const model = createRandomBlip(TINY_BLIP_ARCHITECTURES[name], tinyBlipConfig(name, { patchSize: r.patchSize, quickGelu: r.quickGelu === 1 }), r.seed);
  let cache: ImageEmbedsCache | undefined;
  try {
    applyScaledBlipInit(model);
    if (name !== 'tiny-blip-itm') await initFromRetrieval(model, options.initFrom as string);
    if (name === 'tiny-blip-vqa' && options.decoderFrom !== undefined) await initDecoderFromCaption(model, options.decoderFrom);
    if (name === 'tiny-blip-itm' && r.visionSteps > 0) await visionStage(model, r, options, imageProcessor);
    if (r.freezeVision) {
      cache = await cacheImageEmbeds(model, { imageProcessor, images: r.trainImages, size: TINY_BLIP_IMAGE_SIZE, signal: options.signal });
      await model.runner.dispose(); // the ONNX session of the tower is not needed again
    }
    const trainable = r.freezeVision ? model.params.names().filter((n) => !n.startsWith('vision_model.')) : undefined;
    const common = { tokenizer, imageProcessor, images: r.trainImages, size: TINY_BLIP_IMAGE_SIZE, imageEmbeds: cache };
    const run = <B>(stage: Stage<B>, phase: Phase = { steps: r.steps, learningRate: r.learningRate, warmupSteps: r.warmupSteps, seed: r.seed, dir: 'trainer' }) =>
      withFastWasmMatMul(() =>
        train({
          params: model.params,
          trainable: phase.trainable ?? trainable,
          forward: stage.forward,
          data: stage.data,
          ...stageTrainerOptions({
            ...phase,
            batchSize: r.batchSize,
            weightDecay: r.weightDecay,
            checkpoint: { dir: path.join(options.runDir, phase.dir), every: r.checkpointEvery, resume },
            signal: options.signal,
            onEvent: options.onEvent,
          }),
        }),
      );
    const enc = tokenizer.tokenToId('[ENC]') as number;
    const result =
      name === 'tiny-blip-itm'
        ? await runRetrieval(model as BlipForImageTextRetrieval, r, options.runDir, filesDir, run, {
            first: retrievalStage(model as BlipForImageTextRetrieval, shapesVLBlipPairData(common), r.seed, enc),
            second: retrievalFinetuneStage(model as BlipForImageTextRetrieval, shapesVLBlipPairData({ ...common, captionNegatives: true }), r.seed + 1, enc),
            text: () => (r.textSteps > 0 ? textStage(model as BlipForImageTextRetrieval, r, options, shapesVLBlipPairData(common)) : Promise.resolve(undefined)),
          })
        : name === 'tiny-blip-caption'
          ? await run<BlipPairBatch>({
              data: shapesVLBlipPairData({ ...common, decoder: true }),
              forward: (b, weights) => ({ loss: blipCaptionLmLoss(model as BlipForConditionalGeneration, b, { weights }) }),
            })
          : await runVqa(r, run, {
              data: shapesVLBlipVqaData(common),
              forward: (b, weights) => ({ loss: blipVqaLmLoss(model as BlipForQuestionAnswering, b, { weights }) }),
            }, model.params.names().filter((n) => n.startsWith('text_decoder.')));
    model.tokenizer = tokenizer;
    model.imageProcessor = imageProcessor;
    const saved = await saveModel(model, options.outDir, { overwrite: true, sourceDir: filesDir });
    return { result, saved, model };
  } catch (error) {
    await model.dispose();
    throw error;
  }
}

/** The CLIP checkpoint `visionFrom` (default the embedded tiny-clip); throws unless it is a `CLIPModel`. */
async function loadVisionFrom(options: TrainTinyBlipOptions): Promise<ClipModel> {
  const clip = await loadModel(path.resolve(options.visionFrom ?? embeddedModelDir('tiny-clip')));
  if (clip instanceof ClipModel) return clip;
  await clip.dispose();
  throw new InvalidArgumentError({ message: `visionFrom must be a CLIPModel checkpoint; ${options.visionFrom} is ${String(clip.config.architecture)}.`, path: options.visionFrom });
}

/** The retrieval recipe's text stage: `distilBlipText` toward `visionFrom`'s text tower (trainer checkpoints in `runDir/trainer-text`). */
async function textStage(model: BlipForImageTextRetrieval, r: TinyBlipRecipe, options: TrainTinyBlipOptions, data: TrainData<BlipPairBatch>): Promise<TrainResult> {
  const clip = await loadVisionFrom(options);
  try {
    return await withFastWasmMatMul(() =>
      distilBlipText(model, clip, data, {
        steps: r.textSteps,
        batchSize: 2 * r.batchSize,
        learningRate: r.textLearningRate,
        warmupSteps: 10,
        weightDecay: r.weightDecay,
        seed: r.seed + 2,
        checkpoint: { dir: path.join(options.runDir, 'trainer-text'), every: r.checkpointEvery, resume: options.resume ?? true },
        signal: options.signal,
        onEvent: options.onEvent,
      }),
    );
  } finally {
    await clip.dispose();
  }
}

/**
 * The retrieval recipe's vision stage: BLIP's vision tower from the CLIP checkpoint `visionFrom`
 * (default the embedded tiny-clip) — `blipVisionFromClip` fitted on the first `visionFitImages`
 * train images, then `distilBlipVision` for `visionSteps` (trainer checkpoints in
 * `runDir/trainer-vision`; resumable like the other stages).
 */
async function visionStage(model: BlipModel, r: TinyBlipRecipe, options: TrainTinyBlipOptions, imageProcessor: ImageProcessor): Promise<void> {
  const clip = await loadVisionFrom(options);
  try {
    const px = imageProcessor.preprocess(Array.from({ length: r.visionFitImages }, (_, i) => shapesVLSample(0, 'train', i, TINY_BLIP_IMAGE_SIZE).image));
    const fit = tf.tensor(px.pixelValues, [...px.shape]);
    try {
      blipVisionFromClip(model, clip, fit);
    } finally {
      fit.dispose();
    }
    await withFastWasmMatMul(() =>
      distilBlipVision(model, clip, {
        imageProcessor,
        images: r.trainImages,
        size: TINY_BLIP_IMAGE_SIZE,
        steps: r.visionSteps,
        batchSize: 2 * r.batchSize,
        learningRate: r.visionLearningRate,
        warmupSteps: 10,
        weightDecay: r.weightDecay,
        seed: r.seed,
        contrastiveWeight: 1,
        objectWeight: r.visionObjectWeight,
        checkpoint: { dir: path.join(options.runDir, 'trainer-vision'), every: r.checkpointEvery, resume: options.resume ?? true },
        signal: options.signal,
        onEvent: options.onEvent,
      }),
    );
  } finally {
    await clip.dispose();
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
  /** Parameters trained in this phase (default: the stage's, see `freezeVision`). */
  readonly trainable?: readonly string[];
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
  stages: { first: Stage<BlipPairBatch>; second: Stage<BlipPairBatch>; text: () => Promise<TrainResult | undefined> },
): Promise<TrainResult> {
  const before = r.textFirst ? await stages.text() : undefined;
  const a = await run(stages.first, { steps: r.steps, learningRate: r.learningRate, warmupSteps: r.warmupSteps, seed: r.seed, dir: 'trainer' });
  await saveModel(model, path.join(runDir, TINY_BLIP_PRETRAINED_DIR), { overwrite: true, sourceDir: filesDir });
  const after = r.textFirst ? undefined : await stages.text();
  const parts = [...(before ? [before] : []), a, ...(after ? [after] : [])];
  if (r.finetuneSteps > 0) {
    parts.push(await run(stages.second, { steps: r.finetuneSteps, learningRate: r.finetuneLearningRate, warmupSteps: r.finetuneWarmupSteps, seed: r.seed + 1, dir: 'trainer-finetune' }));
  }
  return { losses: parts.flatMap((x) => x.losses), steps: parts.reduce((n, x) => n + x.steps, 0), resumedFrom: (before ?? a).resumedFrom, durationMs: parts.reduce((n, x) => n + x.durationMs, 0) };
}

/** The VQA recipe: `decoderFirstSteps` with only `decoder` trained (`runDir/trainer-decoder`), then the rest of `steps` as the stage trains. */
async function runVqa(r: TinyBlipRecipe, run: (stage: Stage<BlipVqaBatch>, phase?: Phase) => Promise<TrainResult>, stage: Stage<BlipVqaBatch>, decoder: readonly string[]): Promise<TrainResult> {
  if (r.decoderFirstSteps === 0) return run(stage);
  const first = await run(stage, { steps: r.decoderFirstSteps, learningRate: r.learningRate, warmupSteps: r.warmupSteps, seed: r.seed, dir: 'trainer-decoder', trainable: decoder });
  const rest = await run(stage, { steps: r.steps - r.decoderFirstSteps, learningRate: r.learningRate, warmupSteps: r.warmupSteps, seed: r.seed + 1, dir: 'trainer' });
  return { losses: [...first.losses, ...rest.losses], steps: first.steps + rest.steps, resumedFrom: first.resumedFrom, durationMs: first.durationMs + rest.durationMs };
}

/** The recipe of `name` with the settings `options` gives. */
function recipeOf(name: TinyBlipName, options: TrainTinyBlipOptions): TinyBlipRecipe {
  if (options.recipe !== undefined && !TINY_BLIP_RECIPE_NAMES.includes(options.recipe)) {
    throw new InvalidArgumentError({ message: `recipe must be 'clip-vision' or 'pixels'; got ${JSON.stringify(options.recipe)}.`, actual: options.recipe, expected: [...TINY_BLIP_RECIPE_NAMES] });
  }
  const base = tinyBlipRecipes(options.recipe);
  const r: Record<string, number> = { ...base[name] };
  for (const key of Object.keys(r) as Array<keyof TinyBlipRecipe>) {
    const value = options[key];
    if (value !== undefined) r[key] = value;
  }
  if (r.encQuestions !== 0 && r.encQuestions !== 1) throw new InvalidArgumentError({ message: `encQuestions must be 0 or 1; got ${r.encQuestions}.`, actual: r.encQuestions, expected: [0, 1] });
  if (r.encQuestions === 1 && name !== 'tiny-blip-vqa') throw new InvalidArgumentError({ message: `encQuestions applies to tiny-blip-vqa only, not ${name}.`, actual: name, expected: 'tiny-blip-vqa' });
  if (!(r.visionObjectWeight >= 0)) throw new InvalidArgumentError({ message: `visionObjectWeight must be ≥ 0; got ${r.visionObjectWeight}.`, actual: r.visionObjectWeight });
  if (r.visionObjectWeight > 0 && (name !== 'tiny-blip-itm' || r.visionSteps === 0)) {
    throw new InvalidArgumentError({ message: `visionObjectWeight applies to the vision stage of tiny-blip-itm (visionSteps > 0), not ${name} with visionSteps ${r.visionSteps}.`, actual: name });
  }
  if (!Number.isInteger(r.decoderFirstSteps) || r.decoderFirstSteps < 0 || r.decoderFirstSteps >= r.steps) {
    throw new InvalidArgumentError({ message: `decoderFirstSteps must be an integer in [0, steps = ${r.steps}); got ${r.decoderFirstSteps}${r.decoderFirstSteps >= r.steps ? ' (with fewer steps, lower decoderFirstSteps too: --decoder-first-steps)' : ''}.`, actual: r.decoderFirstSteps });
  }
  if (r.decoderFirstSteps > 0 && name !== 'tiny-blip-vqa') throw new InvalidArgumentError({ message: `decoderFirstSteps applies to tiny-blip-vqa only, not ${name}.`, actual: name, expected: 'tiny-blip-vqa' });
  if (r.initFromFinal !== 0 && r.initFromFinal !== 1) throw new InvalidArgumentError({ message: `initFromFinal must be 0 or 1; got ${r.initFromFinal}.`, actual: r.initFromFinal, expected: [0, 1] });
  if (r.initFromFinal === 1 && name === 'tiny-blip-itm') throw new InvalidArgumentError({ message: 'initFromFinal applies to tiny-blip-caption and tiny-blip-vqa, not tiny-blip-itm.', actual: name });
  return r as unknown as TinyBlipRecipe;
}
