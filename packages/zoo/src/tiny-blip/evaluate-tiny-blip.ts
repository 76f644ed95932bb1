import { InvalidArgumentError } from '@vlp/core';
import { shapesVLSample } from '@vlp/data';
import type { BlipForConditionalGeneration, BlipForImageTextRetrieval, BlipForQuestionAnswering } from '@vlp/models';
import { type EvalEvent, evaluateBlipCaptioning, evaluateBlipRetrieval, evaluateBlipVqa, shapesVLRetrievalSet } from '@vlp/tasks';
import { TINY_BLIP_MAX_TOKENS } from './tiny-blip-config.js';

/** ITM re-ranking depth of the reported retrieval numbers: each query's ITC top-16 is re-scored by ITM + ITC. */
export const TINY_BLIP_RERANK_K = 16;

/**
 * Each Shapes-VL question has one unambiguous answer; VQA v2 accuracy needs ten human answers, so
 * the answer is given ten times (the accuracy is then exact match, 0 or 100% per question).
 */
const VQA_ANSWER_COPIES = 10;

/** Options of the tiny BLIP evaluations. */
export interface EvaluateTinyBlipOptions {
  /** Shapes-VL split (default `'test'`; dataset seed 0). */
  readonly split?: 'train' | 'val' | 'test';
  /** Images, from index `start` (default 1000: the whole standard test split). */
  readonly count?: number;
  readonly start?: number;
  /** Forward engine (default: `VLP_EXECUTOR`, else ONNX Runtime). */
  readonly engine?: 'onnx' | 'tfjs';
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: EvalEvent) => void;
}

/** Recall at 1, 5, 10 (percent). */
export interface Recalls {
  readonly r1: number;
  readonly r5: number;
  readonly r10: number;
}

/** The three tiny BLIP checkpoints' metrics on Shapes-VL. */
export interface ShapesVLBlipMetrics {
  readonly split: 'train' | 'val' | 'test';
  readonly start: number;
  readonly count: number;
  /** tiny-blip-itm, ITC top-k re-ranked by ITM + ITC (k = `rerankK`), all five captions of every image (percent). */
  readonly retrieval: { readonly rerankK: number; readonly i2t: Recalls; readonly t2i: Recalls; readonly itcOnly: { readonly i2t: Recalls; readonly t2i: Recalls } };
  /** tiny-blip-caption, greedy, no prompt: BLEU-4 in [0, 1] and CIDEr-D (coco-caption scale) against the five captions. */
  readonly captioning: { readonly bleu4: number; readonly ciderD: number };
  /** tiny-blip-vqa, generated answers, all nine questions of every image: exact-match VQA accuracy (percent). */
  readonly vqa: { readonly accuracy: number; readonly questions: number };
}

interface Range {
  readonly split: 'train' | 'val' | 'test';
  readonly start: number;
  readonly count: number;
}

function rangeOf(options: EvaluateTinyBlipOptions): Range {
  const r = { split: options.split ?? 'test', start: options.start ?? 0, count: options.count ?? 1000 };
  if (!Number.isInteger(r.count) || r.count < 1) throw new InvalidArgumentError({ message: `count must be a positive integer, got ${r.count}.`, actual: r.count });
  if (!Number.isInteger(r.start) || r.start < 0) throw new InvalidArgumentError({ message: `start must be a non-negative integer, got ${r.start}.`, actual: r.start });
  return r;
}

function samples(range: Range, size: number) {
  return Array.from({ length: range.count }, (_, i) => shapesVLSample(0, range.split, range.start + i, size));
}

const common = (o: EvaluateTinyBlipOptions) => ({ engine: o.engine, batchSize: o.batchSize, signal: o.signal, onEvent: o.onEvent });

/**
 * Image ↔ text retrieval of tiny-blip-itm over every caption of every image: ITC top-{@link TINY_BLIP_RERANK_K}
 * re-ranked by ITM + ITC (the reported numbers), and ITC similarities alone (`itcOnly`) for comparison.
 */
export async function evaluateTinyBlipRetrieval(model: BlipForImageTextRetrieval, options: EvaluateTinyBlipOptions = {}): Promise<ShapesVLBlipMetrics['retrieval']> {
  const range = rangeOf(options);
  const set = shapesVLRetrievalSet({ ...range, size: model.config.vision.imageSize });
  const r = await evaluateBlipRetrieval(model, set, { ...common(options), rerank: { k: TINY_BLIP_RERANK_K } });
  const itc = await evaluateBlipRetrieval(model, set, { ...common(options), rerank: false });
  const recall = (x: Recalls): Recalls => ({ r1: x.r1, r5: x.r5, r10: x.r10 });
  return { rerankK: TINY_BLIP_RERANK_K, i2t: recall(r.i2t), t2i: recall(r.t2i), itcOnly: { i2t: recall(itc.i2t), t2i: recall(itc.t2i) } };
}

/** Captioning of tiny-blip-caption: greedy, unprompted, up to the text length; BLEU-4 and CIDEr-D against the five captions. */
export async function evaluateTinyBlipCaptioning(model: BlipForConditionalGeneration, options: EvaluateTinyBlipOptions = {}): Promise<ShapesVLBlipMetrics['captioning'] & { captions: readonly string[] }> {
  const s = samples(rangeOf(options), model.config.vision.imageSize);
  const r = await evaluateBlipCaptioning(model, { images: s.map((x) => x.image), references: s.map((x) => x.captions) }, { ...common(options), maxNewTokens: TINY_BLIP_MAX_TOKENS - 1 });
  return { bleu4: r.bleu4, ciderD: r.ciderD, captions: r.captions };
}

/** VQA of tiny-blip-vqa: generated answers to the nine questions of every image, exact match. */
export async function evaluateTinyBlipVqa(model: BlipForQuestionAnswering, options: EvaluateTinyBlipOptions = {}): Promise<ShapesVLBlipMetrics['vqa'] & { predictions: readonly string[] }> {
  const s = samples(rangeOf(options), model.config.vision.imageSize);
  const questions = s.flatMap((x, imageIndex) => x.questions.map((q) => ({ imageIndex, question: q.question, answers: new Array<string>(VQA_ANSWER_COPIES).fill(q.answer) })));
  const r = await evaluateBlipVqa(model, { images: s.map((x) => x.image), questions }, { ...common(options), maxNewTokens: 4 });
  return { accuracy: r.accuracy, questions: questions.length, predictions: r.predictions };
}

/** The three evaluations on the same images (see {@link ShapesVLBlipMetrics}). */
export async function evaluateTinyBlip(
  models: { readonly itm: BlipForImageTextRetrieval; readonly caption: BlipForConditionalGeneration; readonly vqa: BlipForQuestionAnswering },
  options: EvaluateTinyBlipOptions = {},
): Promise<ShapesVLBlipMetrics> {
  const range = rangeOf(options);
  const retrieval = await evaluateTinyBlipRetrieval(models.itm, options);
  const { bleu4, ciderD } = await evaluateTinyBlipCaptioning(models.caption, options);
  const { accuracy, questions } = await evaluateTinyBlipVqa(models.vqa, options);
  return { ...range, retrieval, captioning: { bleu4, ciderD }, vqa: { accuracy, questions } };
}
