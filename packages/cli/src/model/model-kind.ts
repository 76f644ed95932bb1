import * as tf from '@tensorflow/tfjs';
import { type CalibrationSource, type PrunableView, type StructureMask, type TaskAdapter, UnsupportedArchitectureError } from '@vlp/core';
import type { BenchData, TrainExample } from '@vlp/bench';

type ZeroShotTaskSet = Awaited<ReturnType<BenchData['zeroShot']>>;
import {
  type BlipForConditionalGeneration,
  type BlipForImageTextRetrieval,
  type BlipForQuestionAnswering,
  type BlipModel,
  type ClipBatch,
  type ClipModel,
  type ImageProcessor,
  type VlpTokenizer,
  blipView,
  clipView,
  compactBlip,
  compactClip,
} from '@vlp/models';
import {
  type CaptioningSet,
  type EvalOptions,
  type RetrievalSet,
  type VqaSet,
  blipCaptionTask,
  blipRetrievalTask,
  blipVqaTask,
  clipTask,
  evaluateBlipCaptioning,
  evaluateBlipRetrieval,
  evaluateBlipVqa,
  evaluateClipRetrieval,
  evaluateClipZeroShot,
  flattenMetrics,
} from '@vlp/tasks';
import { usageError } from '../errors.js';

/** A loaded CLIP or BLIP model. */
export type AnyModel = ClipModel | BlipModel;

/** Task ids `vlp eval --task` accepts. */
export const TASKS = ['zero-shot', 'retrieval', 'captioning', 'vqa'] as const;
export type TaskId = (typeof TASKS)[number];

/**
 * What the commands need to know about one architecture: its view, the task loss handed to
 * `prune()`, batches from training examples, evaluation per task and compaction. The commands never
 * branch on CLIP vs BLIP.
 */
export interface ModelKind {
  /** The view's architecture id (`clip`, `blip-itm`, `blip-caption`, `blip-vqa`). */
  readonly architecture: string;
  readonly tasks: readonly TaskId[];
  view(model: AnyModel): PrunableView<unknown>;
  /**
   * The task handed to `prune()`: the differentiable loss, training batches `train` (UPop and the
   * iterative ID pruner train), and an evaluator on `evaluation` (a held-out set of the
   * architecture's first task, see {@link ModelKind.evaluationSet}) when given.
   */
  pruneTask(model: AnyModel, evaluation?: unknown, train?: CalibrationSource<unknown>): TaskAdapter<unknown>;
  /** `count` held-out examples of the architecture's first task, for pruners that need an evaluator. */
  evaluationSet(model: AnyModel, data: BenchData, count: number): Promise<unknown>;
  batch(model: AnyModel, examples: readonly TrainExample[]): Record<string, tf.Tensor>;
  evaluate(model: AnyModel, task: TaskId, data: BenchData, count: number, options: EvalOptions): Promise<Record<string, number>>;
  primaryMetric(task: TaskId): string;
  compact(model: AnyModel, mask: StructureMask): AnyModel;
}

function processors(model: AnyModel): { tokenizer: VlpTokenizer; imageProcessor: ImageProcessor } {
  if (!model.tokenizer || !model.imageProcessor) {
    throw usageError(`The checkpoint in ${model.sourceDir ?? '(memory)'} has no ${model.tokenizer ? 'preprocessor_config.json' : 'tokenizer files'}; calibration and evaluation need them. Copy them from the original checkpoint.`);
  }
  return { tokenizer: model.tokenizer, imageProcessor: model.imageProcessor };
}

function pixels(model: AnyModel, examples: readonly TrainExample[]): tf.Tensor {
  const px = processors(model).imageProcessor.preprocess(examples.map((e) => e.image));
  return tf.tensor(px.pixelValues, [...px.shape]);
}

function tokens(model: AnyModel, texts: readonly string[], padding: 'max_length' | 'longest', firstToken?: number): { inputIds: tf.Tensor; attentionMask: tf.Tensor } {
  const enc = processors(model).tokenizer.encode([...texts], { padding, truncation: true });
  if (firstToken !== undefined) for (const row of enc.inputIds) row[0] = firstToken;
  return { inputIds: tf.tensor2d(enc.inputIds, undefined, 'int32'), attentionMask: tf.tensor2d(enc.attentionMask, undefined, 'int32') };
}

function wrongTask(architecture: string, task: string, tasks: readonly TaskId[]): Error {
  return usageError(`--task ${task} does not apply to a ${architecture} model; its tasks: ${tasks.join(', ')}.`);
}

const clipKind: ModelKind = {
  architecture: 'clip',
  tasks: ['zero-shot', 'retrieval'],
  view: (model) => clipView(model as ClipModel) as PrunableView<unknown>,
  pruneTask: (model, evaluation, train) =>
    clipTask(model as ClipModel, {
      train: train as CalibrationSource<ClipBatch> | undefined,
      ...(evaluation ? { evaluation: { kind: 'zero-shot', set: evaluation as ZeroShotTaskSet, templates: (evaluation as ZeroShotTaskSet).templates } } : {}),
    }) as TaskAdapter<unknown>,
  evaluationSet: (model, data, count) => data.zeroShot(count, (model as ClipModel).config.vision.imageSize),
  batch: (model, examples) => ({ pixelValues: pixels(model, examples), ...tokens(model, examples.map((e) => e.caption), 'max_length') }),
  async evaluate(model, task, data, count, options) {
    const clip = model as ClipModel;
    const size = clip.config.vision.imageSize;
    if (task === 'zero-shot') {
      const set = await data.zeroShot(count, size);
      return flattenMetrics(await evaluateClipZeroShot(clip, set, { ...options, templates: set.templates }));
    }
    if (task === 'retrieval') {
      const r = await evaluateClipRetrieval(clip, await data.retrieval(count, size), options);
      return { ...flattenMetrics(r), r1Mean: (r.i2t.r1 + r.t2i.r1) / 2 };
    }
    throw wrongTask('CLIP', task, this.tasks);
  },
  primaryMetric: (task) => (task === 'zero-shot' ? 'top1' : 'r1Mean'),
  compact: (model, mask) => compactClip(model as ClipModel, mask),
};

type Head = 'blip-itm' | 'blip-caption' | 'blip-vqa';

function blipKind(head: Head): ModelKind {
  const own: TaskId = head === 'blip-itm' ? 'retrieval' : head === 'blip-caption' ? 'captioning' : 'vqa';
  return {
    architecture: head,
    tasks: [own],
    view: (model) => blipView(model as BlipModel) as PrunableView<unknown>,
    pruneTask(model, evaluation, train) {
      const t = train as CalibrationSource<never> | undefined;
      if (head === 'blip-itm') return blipRetrievalTask(model as BlipForImageTextRetrieval, { evaluation: evaluation as RetrievalSet | undefined, train: t }) as TaskAdapter<unknown>;
      if (head === 'blip-caption') return blipCaptionTask(model as BlipForConditionalGeneration, { evaluation: evaluation as CaptioningSet | undefined, train: t }) as TaskAdapter<unknown>;
      return blipVqaTask(model as BlipForQuestionAnswering, { evaluation: evaluation as VqaSet | undefined, train: t }) as TaskAdapter<unknown>;
    },
    evaluationSet(model, data, count) {
      const size = (model as BlipModel).config.vision.imageSize;
      return head === 'blip-itm' ? data.retrieval(count, size) : head === 'blip-caption' ? data.captioning(count, size) : data.vqa(count, size);
    },
    batch(model, examples) {
      const bos = (model as BlipModel).config.text.bosTokenId;
      const pixelValues = pixels(model, examples);
      if (head === 'blip-itm') return { pixelValues, ...tokens(model, examples.map((e) => e.caption), 'longest') };
      if (head === 'blip-caption') return { pixelValues, ...tokens(model, examples.map((e) => e.caption), 'longest', bos) };
      const question = tokens(model, examples.map((e) => e.question), 'longest');
      const answer = tokens(model, examples.map((e) => e.answer), 'longest', bos);
      return { pixelValues, ...question, decoderInputIds: answer.inputIds, decoderAttentionMask: answer.attentionMask };
    },
    async evaluate(model, task, data, count, options): Promise<Record<string, number>> {
      if (task !== own) throw wrongTask(head, task, [own]);
      const size = (model as BlipModel).config.vision.imageSize;
      if (head === 'blip-itm') {
        const r = await evaluateBlipRetrieval(model as BlipForImageTextRetrieval, await data.retrieval(count, size), { ...options, rerank: false });
        return { ...flattenMetrics(r), r1Mean: (r.i2t.r1 + r.t2i.r1) / 2 };
      }
      if (head === 'blip-caption') {
        const r = await evaluateBlipCaptioning(model as BlipForConditionalGeneration, await data.captioning(count, size), { ...options, maxNewTokens: 20 });
        return { bleu4: r.bleu4, ciderD: r.ciderD };
      }
      const r = await evaluateBlipVqa(model as BlipForQuestionAnswering, await data.vqa(count, size), { ...options, mode: 'generate' });
      return { accuracy: r.accuracy };
    },
    primaryMetric: () => (head === 'blip-itm' ? 'r1Mean' : head === 'blip-caption' ? 'ciderD' : 'accuracy'),
    compact: (model, mask) => compactBlip(model as BlipModel, mask) as AnyModel,
  };
}

const KINDS: Readonly<Record<string, ModelKind>> = {
  CLIPModel: clipKind,
  BlipForImageTextRetrieval: blipKind('blip-itm'),
  BlipForConditionalGeneration: blipKind('blip-caption'),
  BlipForQuestionAnswering: blipKind('blip-vqa'),
};

/** The kind of a config.json `architectures[0]`; `VLP_UNSUPPORTED_ARCHITECTURE` otherwise. */
export function modelKind(hfArchitecture: string, where: string): ModelKind {
  const kind = KINDS[hfArchitecture];
  if (!kind) {
    throw new UnsupportedArchitectureError({
      message: `${where}: architecture "${hfArchitecture}" is not supported; use a checkpoint of ${Object.keys(KINDS).join(', ')}.`,
      actual: hfArchitecture,
      expected: Object.keys(KINDS),
    });
  }
  return kind;
}

/** `architectures[0]` (or `model_type`) of a parsed config.json. */
export function hfArchitecture(config: Record<string, unknown>): string {
  return Array.isArray(config.architectures) ? String(config.architectures[0]) : String(config.model_type ?? 'unknown');
}
