import type { ClipModel } from '@vlp/models';
import { type EvalEvent, evaluateClipRetrieval, evaluateClipZeroShot, type RetrievalResult, shapesVLRetrievalSet, shapesVLZeroShotSet } from '@vlp/tasks';

/**
 * The zero-shot prompt template of tiny-clip's reported numbers, CLIP's usual `a photo of a {}.`;
 * the class is the main object's colour and shape (the main object is the large one in scenes of
 * two or three objects). tiny-clip is trained with the same prompts as label texts (see
 * `tinyClipLoss`), on the train split only.
 */
export const TINY_CLIP_TEMPLATES = ['a photo of a {}.'] as const;

/** Options of {@link evaluateTinyClip}. */
export interface EvaluateTinyClipOptions {
  /** Shapes-VL split (default `'test'`). */
  readonly split?: 'train' | 'val' | 'test';
  /** Images, from index `start` (default 1000: the whole standard test split). */
  readonly count?: number;
  readonly start?: number;
  /** Zero-shot prompt templates (default {@link TINY_CLIP_TEMPLATES}). */
  readonly templates?: readonly string[];
  /** Forward engine (default: `VLP_EXECUTOR`, else ONNX Runtime). */
  readonly engine?: 'onnx' | 'tfjs';
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: EvalEvent) => void;
}

/** Zero-shot and retrieval metrics of a CLIP model on Shapes-VL (percentages). */
export interface ShapesVLClipMetrics {
  readonly split: 'train' | 'val' | 'test';
  readonly start: number;
  readonly count: number;
  readonly templates: readonly string[];
  readonly zeroShot: { readonly top1: number; readonly top5: number };
  readonly retrieval: {
    readonly i2t: { readonly r1: number; readonly r5: number; readonly r10: number };
    readonly t2i: { readonly r1: number; readonly r5: number; readonly r10: number };
  };
}

/**
 * Evaluates a CLIP model at tiny-clip's image size on Shapes-VL (dataset seed 0) with the
 * `@vlp/tasks` evaluators: zero-shot classification of the main object's colour + shape (64
 * classes, `shapesVLClasses()`) and image ↔ text retrieval with all five captions of every image.
 */
export async function evaluateTinyClip(model: ClipModel, options: EvaluateTinyClipOptions = {}): Promise<ShapesVLClipMetrics> {
  const split = options.split ?? 'test';
  const count = options.count ?? 1000;
  const start = options.start ?? 0;
  const templates = [...(options.templates ?? TINY_CLIP_TEMPLATES)];
  const size = model.config.vision.imageSize;
  const common = { engine: options.engine, batchSize: options.batchSize, signal: options.signal, onEvent: options.onEvent };
  const zs = await evaluateClipZeroShot(model, shapesVLZeroShotSet({ split, count, start, size }), { ...common, templates });
  const rt: RetrievalResult = await evaluateClipRetrieval(model, shapesVLRetrievalSet({ split, count, start, size }), common);
  const recall = (r: RetrievalResult['i2t']) => ({ r1: r.r1, r5: r.r5, r10: r.r10 });
  return { split, start, count, templates, zeroShot: { top1: zs.top1, top5: zs.top5 }, retrieval: { i2t: recall(rt.i2t), t2i: recall(rt.t2i) } };
}
