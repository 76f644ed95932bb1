import * as tf from '@tensorflow/tfjs';
import type { CalibrationSource, RunOptions, TaskAdapter } from '@vlp/core';
import type {
  BlipCaptionLmBatch,
  BlipForConditionalGeneration,
  BlipForImageTextRetrieval,
  BlipForQuestionAnswering,
  BlipItmLossBatch,
  BlipVqaLmBatch,
  EncTokenOption,
} from '@vlp/models';
import { type CaptioningSet, evaluateBlipCaptioning } from '../evaluators/blip-captioning.js';
import { evaluateBlipRetrieval } from '../evaluators/blip-retrieval.js';
import { type VqaSet, evaluateBlipVqa } from '../evaluators/blip-vqa.js';
import type { RetrievalSet } from '../evaluators/clip-retrieval.js';
import type { EvalOptions } from '../evaluators/eval-events.js';
import { flattenMetrics } from './flatten-metrics.js';

const differentiable = (run?: RunOptions) => ({ weights: run?.weights, gates: run?.gates });

export interface BlipRetrievalTaskOptions {
  /** Which loss: ITC, ITM (positives + ITC-mined hard negatives, as BLIP trains it), or their sum. Default `itm+itc`. */
  readonly loss?: 'itc' | 'itm' | 'itm+itc';
  /** Seed of the hard-negative sampling of the ITM loss (default 0). */
  readonly hardNegativeSeed?: number;
  readonly evaluation?: RetrievalSet;
  /** ITM re-ranking of the ITC top-k in `evaluate` (the original BLIP protocol); default ITC only. */
  readonly rerank?: false | { readonly k: number };
  readonly train?: CalibrationSource<BlipItmLossBatch>;
  readonly evalOptions?: EvalOptions;
  /**
   * First token of the ITM text ids (loss and re-ranking): `[ENC]` as the official BLIP code trains
   * and evaluates ITM (`true`, or an id), or the ids as given (`false`, as transformers' BLIP
   * classes). Default: `[ENC]` when the model's tokenizer has one, otherwise the ids as given.
   */
  readonly encToken?: EncTokenOption;
}

/** The ITM first token of {@link BlipRetrievalTaskOptions.encToken}'s default: `[ENC]` when the tokenizer defines it. */
function defaultEncToken(model: BlipForImageTextRetrieval): EncTokenOption {
  return model.tokenizer?.tokenToId('[ENC]') !== undefined;
}

/** BLIP retrieval: ITC / ITM losses (differentiable, tfjs; ITM with `[ENC]` first when the tokenizer has it) and retrieval R@K (primary `r1Mean`). */
export function blipRetrievalTask(model: BlipForImageTextRetrieval, options: BlipRetrievalTaskOptions = {}): TaskAdapter<BlipItmLossBatch> {
  const kind = options.loss ?? 'itm+itc';
  const encToken = options.encToken ?? defaultEncToken(model);
  return {
    id: 'blip-retrieval',
    primaryMetric: 'r1Mean',
    train: options.train,
    loss: (_view, batch, run) =>
      tf.tidy(() => {
        const d = differentiable(run);
        // the vision tower once, for the ITC loss, the ITM mining and the ITM loss (each would run it)
        const images = batch.pixelValues ? model.differentiableVision(batch.pixelValues, d).lastHiddenState : batch.imageEmbeds;
        const b = { ...batch, pixelValues: undefined, imageEmbeds: images };
        const itm = kind === 'itc' ? undefined : model.itmLoss(b, { ...d, encToken, hardNegatives: { seed: options.hardNegativeSeed ?? 0 } });
        const itc = kind === 'itm' ? undefined : model.itcLoss(b, d);
        return (itm && itc ? tf.add(itm, itc) : (itm ?? itc)) as tf.Scalar;
      }),
    evaluate: options.evaluation
      ? async (_view, run) => {
          const r = await evaluateBlipRetrieval(model, options.evaluation as RetrievalSet, { ...options.evalOptions, rerank: options.rerank ?? false, encToken, engine: run?.engine ?? options.evalOptions?.engine });
          return { ...flattenMetrics(r), r1Mean: (r.i2t.r1 + r.t2i.r1) / 2 };
        }
      : undefined,
  };
}

/** BLIP captioning: the LM loss and BLEU-4 / CIDEr-D (primary `ciderD`). */
export function blipCaptionTask(
  model: BlipForConditionalGeneration,
  options: { evaluation?: CaptioningSet; maxNewTokens?: number; train?: CalibrationSource<BlipCaptionLmBatch>; evalOptions?: EvalOptions } = {},
): TaskAdapter<BlipCaptionLmBatch> {
  return {
    id: 'blip-captioning',
    primaryMetric: 'ciderD',
    train: options.train,
    loss: (_view, batch, run) => model.lmLoss(batch, differentiable(run)),
    evaluate: options.evaluation
      ? async (_view, run) => {
          const r = await evaluateBlipCaptioning(model, options.evaluation as CaptioningSet, { ...options.evalOptions, maxNewTokens: options.maxNewTokens ?? 20, engine: run?.engine ?? options.evalOptions?.engine });
          return { bleu4: r.bleu4, ciderD: r.ciderD };
        }
      : undefined,
  };
}

/**
 * BLIP VQA: the answer LM loss and VQA accuracy (primary `accuracy`). `encToken` encodes the
 * questions with `[ENC]` first in both (official BLIP; default the ids as given, as transformers).
 */
export function blipVqaTask(
  model: BlipForQuestionAnswering,
  options: { evaluation?: VqaSet; mode?: 'generate' | 'rank'; candidates?: readonly string[]; encToken?: EncTokenOption; train?: CalibrationSource<BlipVqaLmBatch>; evalOptions?: EvalOptions } = {},
): TaskAdapter<BlipVqaLmBatch> {
  return {
    id: 'blip-vqa',
    primaryMetric: 'accuracy',
    train: options.train,
    loss: (_view, batch, run) => model.lmLoss(batch, { ...differentiable(run), encToken: options.encToken }),
    evaluate: options.evaluation
      ? async (_view, run) => {
          const r = await evaluateBlipVqa(model, options.evaluation as VqaSet, { ...options.evalOptions, mode: options.mode, candidates: options.candidates, encToken: options.encToken, engine: run?.engine ?? options.evalOptions?.engine });
          return { accuracy: r.accuracy };
        }
      : undefined,
  };
}
