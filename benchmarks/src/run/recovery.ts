import type { MaskSet } from '@vlp/core';
import { type TrainData, train } from '@vlp/tasks';
import type { AnyModelAdapter, BenchModel } from '../adapters/model-adapter.js';
import type { TrainExample } from '../data/bench-data.js';
import type { RecoverySpec } from '../suite/types.js';

/**
 * Recovery fine-tuning: the task loss on training examples with the `@vlp/tasks` trainer (AdamW,
 * warm-up + cosine), every parameter trainable, pruned weights held at exactly zero by `masks`,
 * data order seeded by the cell's seed. The same steps for every method; the model's parameters
 * are updated in place.
 */
export async function recover(args: {
  readonly adapter: AnyModelAdapter;
  readonly model: BenchModel;
  readonly examples: readonly TrainExample[];
  readonly spec: RecoverySpec;
  readonly masks: MaskSet;
  readonly seed: number;
  readonly signal?: AbortSignal;
  readonly onStep?: (step: number, total: number) => void;
}): Promise<{ steps: number; firstLoss: number; lastLoss: number }> {
  const { adapter, model, examples, spec } = args;
  const data: TrainData<unknown> = {
    size: examples.length,
    collate: (indices) => adapter.batch(model, indices.map((i) => examples[i] as TrainExample)),
    release: (batch) => adapter.release(batch),
  };
  const result = await train({
    params: model.params,
    forward: (batch, weights) => ({ loss: adapter.loss(model, batch, weights) }),
    data,
    batchSize: spec.batchSize,
    steps: spec.steps,
    learningRate: spec.learningRate,
    schedule: { warmupSteps: spec.warmupSteps },
    masks: args.masks,
    seed: args.seed,
    signal: args.signal,
    onEvent: (e) => {
      if (e.type === 'step-end') args.onStep?.(e.step, e.total);
    },
  });
  return { steps: result.steps, firstLoss: result.losses[0] ?? NaN, lastLoss: result.losses[result.losses.length - 1] ?? NaN };
}
