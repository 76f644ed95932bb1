import { existsSync } from 'node:fs';
import path from 'node:path';
import type { BenchData } from '@vlp/bench';
import type { CalibrationSource } from '@vlp/core';
import * as tf from '@tensorflow/tfjs';
import { usageError } from '../errors.js';
import type { AnyModel, ModelKind } from '../model/model-kind.js';

/**
 * `shapes-vl` (the embedded procedural dataset, generated on demand) or a data directory in the
 * layout of docs/benchmarking.md (`--data-dir`): the same data sources as the benchmark.
 */
export async function dataSource(spec: string | undefined, cwd: string, seed = 0): Promise<BenchData> {
  const dir = spec === undefined || spec === 'shapes-vl' ? undefined : path.resolve(cwd, spec);
  if (dir !== undefined && !existsSync(dir)) throw usageError(`Data directory ${dir} does not exist; pass shapes-vl or a directory laid out as docs/benchmarking.md ("--data-dir layout") describes.`, { path: dir });
  // @vlp/bench (with its plotting libraries) is loaded only when data is needed.
  const bench = await import('@vlp/bench');
  return dir === undefined ? bench.shapesVLData(seed) : bench.dataDirData(dir);
}

/**
 * Calibration batches for `prune()`: `samples` training examples (chosen by the seed only, so every
 * method sees the same data) in batches of `batchSize`, each released after use.
 */
export function calibrationSource(kind: ModelKind, model: AnyModel, data: BenchData, options: { samples: number; batchSize: number; seed: number }): CalibrationSource<unknown> {
  const batches = Math.ceil(options.samples / options.batchSize);
  const size = model.config.vision.imageSize;
  return {
    size: batches,
    async *batches() {
      const total = await data.trainSize();
      for (let b = 0; b < batches; b++) {
        // A macrotask turn between batches lets a Ctrl-C (SIGINT handler) abort the run promptly.
        await new Promise((resolve) => setImmediate(resolve));
        const n = Math.min(options.batchSize, options.samples - b * options.batchSize);
        const first = (options.seed * options.samples + b * options.batchSize) % total;
        const examples = await Promise.all(Array.from({ length: n }, (_, i) => data.trainExample((first + i) % total, size)));
        const batch = kind.batch(model, examples);
        try {
          yield batch;
        } finally {
          tf.dispose(Object.values(batch));
        }
      }
    },
  };
}
