import type { TrainEvent, TrainerOptions } from '@vlp/tasks';

/** The schedule, checkpointing and control of one training stage (the trainer options every stage takes alike). */
export interface StageTrainOptions {
  readonly steps: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly warmupSteps: number;
  readonly weightDecay: number;
  readonly seed: number;
  readonly checkpoint: { readonly dir: string; readonly every: number; readonly resume: boolean };
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: TrainEvent) => void;
}

/** {@link StageTrainOptions} as `@vlp/tasks` trainer options (AdamW weight decay, warm-up then cosine). */
export function stageTrainerOptions(o: StageTrainOptions): Pick<TrainerOptions<unknown>, 'batchSize' | 'steps' | 'learningRate' | 'schedule' | 'optimizer' | 'seed' | 'checkpoint' | 'signal' | 'onEvent'> {
  return {
    batchSize: o.batchSize,
    steps: o.steps,
    learningRate: o.learningRate,
    schedule: { warmupSteps: o.warmupSteps },
    optimizer: { weightDecay: o.weightDecay },
    seed: o.seed,
    checkpoint: o.checkpoint,
    signal: o.signal,
    onEvent: o.onEvent,
  };
}
