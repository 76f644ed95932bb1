import { type CalibrationSource, InvalidArgumentError, createRng } from '@vlp/core';
import type { TrainData } from '@vlp/tasks';

/** Options of {@link trainDataSource}. */
export interface TrainDataSourceOptions {
  /** Examples per batch. */
  readonly batchSize: number;
  /** Batches per pass (e.g. the search steps). */
  readonly batches: number;
  /** Seeds the example order (a permutation of the data, restarted when exhausted). Default 0. */
  readonly seed?: number;
}

/**
 * Trainer data (`TrainData` of `@vlp/tasks`, what {@link retrainCompact} takes) as the `task.train`
 * batches UPop's search draws from: `batches` batches of `batchSize` examples in a seeded order;
 * each batch is released (`data.release`) when the next one is requested or the pass ends, so the
 * consumer must be done with a batch before asking for the next (as the search is).
 *
 * @throws InvalidArgumentError for a non-positive `batchSize` / `batches` or empty data.
 */
export function trainDataSource<Batch>(data: TrainData<Batch>, options: TrainDataSourceOptions): CalibrationSource<Batch> {
  const { batchSize, batches } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError({ message: `batchSize must be a positive integer, got ${batchSize}.`, actual: batchSize });
  if (!Number.isInteger(batches) || batches < 1) throw new InvalidArgumentError({ message: `batches must be a positive integer, got ${batches}.`, actual: batches });
  if (data.size < 1) throw new InvalidArgumentError({ message: 'The training data is empty.' });
  const rng = createRng(options.seed ?? 0).split('upop-train-source');
  return {
    size: batches,
    async *batches() {
      let order = rng.split(0).permutation(data.size);
      let cursor = 0;
      let pass = 0;
      for (let b = 0; b < batches; b++) {
        const indices: number[] = [];
        while (indices.length < batchSize) {
          if (cursor === order.length) {
            order = rng.split(++pass).permutation(data.size);
            cursor = 0;
          }
          indices.push(order[cursor++] as number);
        }
        const batch = data.collate(indices);
        try {
          yield batch;
        } finally {
          data.release?.(batch);
        }
      }
    },
  };
}
