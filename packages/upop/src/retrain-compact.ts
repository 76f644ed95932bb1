import type * as tf from '@tensorflow/tfjs';
import { NotSupportedError, type PrunableView, type TaskAdapter, validateStandard } from '@vlp/core';
import { type TrainData, type TrainerOptions, type TrainEvent, train } from '@vlp/tasks';
import * as z from 'zod';

/**
 * Settings of {@link retrainCompact}: UPop's second phase, the compacted model trained with the task
 * loss only (official: AdamW, cosine learning rate, as many epochs as the search).
 */
export const retrainOptionsSchema = z.strictObject({
  /** Optimizer steps. */
  steps: z.int().min(1),
  /** Examples per step. */
  batchSize: z.int().min(1),
  /** Peak AdamW learning rate. Default 1e-4. */
  learningRate: z.number().positive().default(1e-4),
  /** Linear warm-up steps before the cosine decay. Default 0 (the official retraining has none). */
  warmupSteps: z.int().min(0).default(0),
  /** AdamW decoupled weight decay (not on biases, LayerNorms, logit scale). Default 0.2 (CLIP retrieval configs). */
  weightDecay: z.number().min(0).default(0.2),
  /** Clip the global gradient norm (off by default). */
  maxGradNorm: z.number().positive().optional(),
  /** Seeds the data order. Default 0. */
  seed: z.int().default(0),
});

export type RetrainOptionsInput = z.input<typeof retrainOptionsSchema>;
export type RetrainOptions = z.output<typeof retrainOptionsSchema>;

/** What {@link retrainCompact} needs besides the options. */
export interface RetrainCompactArgs<Batch> {
  /** The compacted model's parameters (e.g. `compactClip(model, mask).params`); trained in place. */
  readonly params: TrainerOptions<Batch>['params'];
  /** The compacted model's view (what the task's loss receives). */
  readonly view: PrunableView<Batch>;
  /**
   * The task of the COMPACTED model with a synchronous tfjs `loss`: `clipTask(compact)` (InfoNCE),
   * `blipRetrievalTask(compact)` (ITM + ITC), … from `@vlp/tasks`.
   */
  readonly task: TaskAdapter<Batch>;
  /** Training examples (`collate` builds a batch, `release` frees it). */
  readonly data: TrainData<Batch>;
  /** Parameter names to train (default: all, as the official retraining). */
  readonly trainable?: readonly string[];
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}

/** The outcome of {@link retrainCompact}. */
export interface RetrainResult {
  readonly steps: number;
  /** Task loss of every step. */
  readonly losses: readonly number[];
  readonly durationMs: number;
}

const isPromise = (v: unknown): v is Promise<unknown> => typeof (v as { then?: unknown } | null)?.then === 'function';

/**
 * Retrains a compacted model with its task loss (UPop's phase after `compact`): `@vlp/tasks`'
 * `train()` (AdamW with decoupled weight decay, warm-up + cosine learning rate, seeded data order)
 * over every parameter of the compact model, no masks (the removed structures are gone). The
 * parameters' shapes do not change; the trained values are written back into `params`.
 *
 * @example
 * const compact = compactClip(model, report.structureMask!);
 * await retrainCompact({ params: compact.params, view: clipView(compact), task: clipTask(compact), data }, { steps: 300, batchSize: 64, learningRate: 3e-4 });
 * @throws InvalidConfigError (`VLP_INVALID_CONFIG`) for bad options; NotSupportedError when the task has no synchronous loss.
 */
export async function retrainCompact<Batch>(args: RetrainCompactArgs<Batch>, options: RetrainOptionsInput): Promise<RetrainResult> {
  const o = await validateStandard(retrainOptionsSchema, options, 'UPop retraining options');
  const loss = args.task.loss?.bind(args.task);
  if (!loss) throw new NotSupportedError({ message: `Task "${args.task.id}" has no loss; retraining needs a differentiable task loss.` });
  const result = await train<Batch>({
    params: args.params,
    trainable: args.trainable,
    forward(batch, weights) {
      // train() hands every trainable parameter by HF name; the CLIP/BLIP task losses take them as
      // weight overrides (biases and LayerNorms included), as the benchmark's recovery does.
      const value = loss(args.view, batch, { weights: weights as Readonly<Record<string, tf.Tensor2D>>, engine: 'tfjs', signal: args.signal });
      if (isPromise(value)) {
        void value.then((t) => t.dispose(), () => undefined);
        throw new NotSupportedError({ message: `Task "${args.task.id}" computes its loss asynchronously; retraining needs a synchronous differentiable loss on the tfjs engine.` });
      }
      return { loss: value };
    },
    data: args.data,
    batchSize: o.batchSize,
    steps: o.steps,
    learningRate: o.learningRate,
    schedule: { warmupSteps: o.warmupSteps, decay: 'cosine' },
    optimizer: { weightDecay: o.weightDecay },
    ...(o.maxGradNorm === undefined ? {} : { maxGradNorm: o.maxGradNorm }),
    seed: o.seed,
    signal: args.signal,
    onEvent: args.onEvent,
  });
  return { steps: result.steps, losses: result.losses, durationMs: result.durationMs };
}
