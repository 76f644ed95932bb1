import type { CalibrationSource, PrunableView, RunOptions, TaskAdapter } from '@vlp/core';
import type * as tf from '@tensorflow/tfjs';
import { type ClipBatch, type ClipModel, clipContrastiveLoss, clipView } from '@vlp/models';
import { type RetrievalSet, evaluateClipRetrieval } from '../evaluators/clip-retrieval.js';
import { type ZeroShotSet, evaluateClipZeroShot } from '../evaluators/clip-zero-shot.js';
import type { EvalOptions } from '../evaluators/eval-events.js';
import { flattenMetrics } from './flatten-metrics.js';

export interface ClipTaskOptions {
  /** Held-out data for `evaluate`: retrieval (primary metric `r1Mean`) or zero-shot (`top1`). */
  readonly evaluation?: { readonly kind: 'retrieval'; readonly set: RetrievalSet } | { readonly kind: 'zero-shot'; readonly set: ZeroShotSet; readonly templates?: readonly string[] };
  /** Batches of matching image–text pairs for gradient estimation or training. */
  readonly train?: CalibrationSource<ClipBatch>;
  readonly evalOptions?: EvalOptions;
}

/**
 * The CLIP task for pruners: the symmetric InfoNCE loss on matching pairs (differentiable on the tfjs
 * engine, with the run's weight overrides and gates) and an evaluator on held-out data.
 */
export function clipTask(model: ClipModel, options: ClipTaskOptions = {}): TaskAdapter<ClipBatch> {
  const evaluation = options.evaluation;
  return {
    id: evaluation?.kind === 'zero-shot' ? 'clip-zero-shot' : 'clip-retrieval',
    primaryMetric: evaluation?.kind === 'zero-shot' ? 'top1' : 'r1Mean',
    train: options.train,
    // tfjs (default): differentiable. `engine: 'onnx'`: a forward-only loss from ONNX Runtime's logits
    // (zeroth-order methods), with the run's weight overrides and gates fed as inputs.
    loss: (view, batch: ClipBatch, run?: RunOptions) =>
      run?.engine === 'onnx' ? onnxLoss(view ?? clipView(model), batch, run) : model.contrastiveLoss(batch, { weights: run?.weights, gates: run?.gates }),
    evaluate: evaluation
      ? async (_view, run?: RunOptions) => {
          const eo = { ...options.evalOptions, engine: run?.engine ?? options.evalOptions?.engine };
          if (evaluation.kind === 'zero-shot') return flattenMetrics(await evaluateClipZeroShot(model, evaluation.set, { ...eo, templates: evaluation.templates }));
          const r = await evaluateClipRetrieval(model, evaluation.set, eo);
          return { ...flattenMetrics(r), r1Mean: (r.i2t.r1 + r.t2i.r1) / 2 };
        }
      : undefined,
  };
}

async function onnxLoss(view: PrunableView<ClipBatch>, batch: ClipBatch, run: RunOptions): Promise<tf.Scalar> {
  const result = await view.run(batch, { weights: run.weights, gates: run.gates, engine: 'onnx', signal: run.signal });
  try {
    return clipContrastiveLoss(result.outputs.logits_per_text as tf.Tensor);
  } finally {
    result.dispose();
  }
}
