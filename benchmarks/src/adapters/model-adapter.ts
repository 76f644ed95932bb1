import type * as tf from '@tensorflow/tfjs';
import type { CalibrationSource, PrunableUnit, PrunableView, StructureMask, TaskAdapter } from '@vlp/core';
import type { ImageProcessor, ParamStore, VlpTokenizer } from '@vlp/models';
import type { EvalOptions } from '@vlp/tasks';
import type { TrainExample } from '../data/bench-data.js';
import type { TaskId } from '../suite/types.js';

/** What every loaded model offers the benchmark (CLIP and the BLIP head classes all do). */
export interface BenchModel {
  readonly params: ParamStore;
  readonly config: { readonly vision: { readonly imageSize: number } };
  tokenizer?: VlpTokenizer;
  imageProcessor?: ImageProcessor;
  dispose(): Promise<void>;
}

/** Data a pruner may use while pruning, handed to {@link ModelAdapter.pruneTask}. */
export interface PruneTaskData<B> {
  /** Training batches (`task.train`) for pruners that train while pruning (UPop's search). */
  readonly train?: CalibrationSource<B>;
  /**
   * Validation batches for pruners that evaluate while pruning (MoPE): the task's `evaluate` then
   * runs on them and honours the run's structure gates. Owned by the caller.
   */
  readonly validation?: readonly B[];
}

/**
 * What the benchmark needs to know about one architecture: its prunable view, a loss for gradient
 * pruners and recovery, batches from training examples, evaluators per task, compaction and FLOPs.
 * The runner itself never branches on CLIP vs BLIP.
 */
export interface ModelAdapter<M extends BenchModel = BenchModel, B = unknown> {
  /** The view's architecture id (`clip`, `blip-itm`, `blip-caption`, `blip-vqa`). */
  readonly architecture: string;
  /** Tasks this architecture is evaluated on. */
  readonly tasks: readonly TaskId[];
  view(model: M): PrunableView<B>;
  /**
   * The task adapter handed to `prune()`: a differentiable loss, `train` batches when given, and
   * with `validation` batches an `evaluate` that honours `run.gates` (CLIP: image↔text R@1 within
   * each batch, primary `r1Mean`; BLIP retrieval: ITC R@1 under the gates, primary `r1Mean`; BLIP captioning / VQA: the negative task loss, primary `negLoss`). The cells'
   * own evaluation on the test split happens in the runner.
   */
  pruneTask(model: M, data?: PruneTaskData<B>): TaskAdapter<B>;
  /** One batch from training examples (caller releases it). */
  batch(model: M, examples: readonly TrainExample[]): B;
  release(batch: B): void;
  /** The task loss with parameters overridden by name (tfjs engine, synchronous, differentiable). */
  loss(model: M, batch: B, weights: Readonly<Record<string, tf.Tensor>>): tf.Scalar;
  /** Metrics of one task on its held-out set (percentages or scores as the evaluator reports). */
  evaluate(model: M, task: TaskId, set: unknown, options: EvalOptions): Promise<Record<string, number>>;
  /** The metric tables and plots show for a task. */
  primaryMetric(task: TaskId): string;
  /** A physically smaller model without the removed structures (outputs equal the gated model's). */
  compact(model: M, mask: StructureMask): M;
  /** Forward FLOPs per example (see metrics/flops.ts). */
  flops(model: M): number;
  /** Rows (tokens) one example feeds through `unit`, for FLOPs that skip zeroed weights. */
  unitTokens(model: M, unit: PrunableUnit): number;
}

/** A model adapter of any model and batch type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyModelAdapter = ModelAdapter<any, any>;
