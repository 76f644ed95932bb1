import * as tf from '@tensorflow/tfjs';
import { type CalibrationSource, InvalidConfigError, createRng } from '@vlp/core';
import * as z from 'zod';

/** Options of {@link multiflowCalibration}. */
export const multiflowCalibrationOptionsSchema = z.strictObject({
  /**
   * Image–text pairs per batch. Default 32 (official `configs/prune/general_loader_*.yaml`:
   * `batch_size: 32` for each of the CC3M and Visual-Genome loaders; one official step forwards one
   * batch of each, i.e. 64 pairs). The statistic counts sequences, so the batch size changes which
   * pairs `numBatches` covers, not the scale of the statistic.
   */
  batchSize: z.int().min(1).default(32),
  /**
   * Seed of the shuffle. Default 42 (official `prune.py --seed 42`; the released masks use 0, 1 and
   * 6996). vlp's generator is not PyTorch's, so the order differs from the official one.
   */
  seed: z.int().min(0).default(42),
  /** Shuffle the pairs before batching. Default `true` (official samplers: `shuffles=[True, True]`). */
  shuffle: z.boolean().default(true),
});

export type MultiflowCalibrationOptionsInput = z.input<typeof multiflowCalibrationOptionsSchema>;
export type MultiflowCalibrationOptions = z.output<typeof multiflowCalibrationOptionsSchema>;

/**
 * A calibration source over `samples` as the official pruning loaders draw them: shuffled with
 * `seed`, cut into batches of `batchSize` (the last one may be smaller: evaluation loaders keep it),
 * each built by `collate` only when the pruner asks for it and released (`release`, default
 * `tf.dispose` of every tensor in the batch) as soon as the pruner moves on or stops. The pruner's
 * `numBatches` decides how many batches are drawn. Each call of `batches()` replays the same order.
 * Throws `VLP_INVALID_CONFIG` for invalid options.
 *
 * @example
 * const calibration = multiflowCalibration(pairs, (chunk) => toClipBatch(chunk), { batchSize: 32, seed: 0 });
 */
export function multiflowCalibration<Sample, Batch>(
  samples: readonly Sample[],
  collate: (samples: readonly Sample[]) => Batch | Promise<Batch>,
  options: MultiflowCalibrationOptionsInput = {},
  release: (batch: Batch) => void = (batch) => tf.dispose(batch as tf.TensorContainer),
): CalibrationSource<Batch> {
  const parsed = multiflowCalibrationOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new InvalidConfigError({
      message: `Invalid options of multiflowCalibration(): ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}.`,
      issues: parsed.error.issues.map((i) => ({ message: i.message, path: i.path })),
    });
  }
  const { batchSize, seed, shuffle } = parsed.data;
  const order = shuffle ? Array.from(createRng(seed).split('multiflow-calibration').permutation(samples.length)) : samples.map((_, i) => i);
  const size = Math.ceil(samples.length / batchSize);
  return {
    size,
    async *batches() {
      for (let b = 0; b < size; b++) {
        const batch = await collate(order.slice(b * batchSize, (b + 1) * batchSize).map((i) => samples[i]));
        try {
          yield batch;
        } finally {
          release(batch);
        }
      }
    },
  };
}
