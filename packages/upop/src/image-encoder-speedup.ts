import type * as tf from '@tensorflow/tfjs';
import { type Engine, InvalidArgumentError, VlpError } from '@vlp/core';

/**
 * A model with an image encoder, structurally: `ClipModel` (`getImageFeatures`: vision tower +
 * projection) or a BLIP model (`vision`: the ViT) of `@vlp/models`, dense or compacted.
 */
export type ImageEncoderModel =
  | { readonly architecture: 'clip'; getImageFeatures(pixelValues: tf.Tensor, options?: { engine?: Engine }): Promise<tf.Tensor> }
  | {
      readonly architecture: 'blip';
      vision(pixelValues: tf.Tensor, options?: { engine?: Engine }): Promise<{ readonly lastHiddenState: tf.Tensor; readonly poolerOutput: tf.Tensor; readonly hiddenStates?: readonly tf.Tensor[] }>;
    };

/** Options of {@link measureImageEncoderSpeedup}. */
export interface SpeedupOptions {
  /** Engine of the timed forwards. Default: ONNX Runtime, falling back to tfjs when the ONNX forward fails. */
  readonly engine?: Engine;
  /** Timed forwards per model (the median is reported). Default 7. */
  readonly runs?: number;
  /** Untimed forwards per model first (session creation, caches). Default 2. */
  readonly warmup?: number;
}

/** Dense vs compacted image-encoder forward time. */
export interface Speedup {
  readonly engine: Engine;
  /** Why the default ONNX Runtime was not used (when it fell back to tfjs). */
  readonly fallback?: string;
  /** Median milliseconds of one forward of the batch. */
  readonly denseMs: number;
  readonly compactMs: number;
  /** `denseMs / compactMs`. */
  readonly speedup: number;
  /** Every timed forward (milliseconds), in order. */
  readonly denseRunsMs: readonly number[];
  readonly compactRunsMs: readonly number[];
}

/** One image-encoder forward, its outputs read back to the host and disposed; returns milliseconds. */
async function timeForward(model: ImageEncoderModel, pixelValues: tf.Tensor, engine: Engine): Promise<number> {
  const t0 = performance.now();
  const outputs: tf.Tensor[] = [];
  try {
    if (model.architecture === 'clip') outputs.push(await model.getImageFeatures(pixelValues, { engine }));
    else {
      const out = await model.vision(pixelValues, { engine });
      outputs.push(out.lastHiddenState, out.poolerOutput, ...(out.hiddenStates ?? []));
    }
    await outputs[0]!.data();
    return performance.now() - t0;
  } finally {
    for (const t of outputs) t.dispose();
  }
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/**
 * Measures the image-encoder speed-up of a compacted model over its dense original: the same
 * `pixelValues` through both vision towers, `warmup` untimed forwards each, then `runs` timed
 * forwards alternating dense and compact (so load changes on a shared machine hit both alike);
 * reports the medians. A wall-clock measurement: use it in scripts that print figures, not in
 * assertions.
 *
 * @throws InvalidArgumentError for `runs < 1` or `warmup < 0` (non-integers included).
 */
export async function measureImageEncoderSpeedup(dense: ImageEncoderModel, compact: ImageEncoderModel, pixelValues: tf.Tensor, options: SpeedupOptions = {}): Promise<Speedup> {
  const runs = options.runs ?? 7;
  const warmup = options.warmup ?? 2;
  if (!Number.isInteger(runs) || runs < 1) throw new InvalidArgumentError({ message: `runs must be a positive integer, got ${runs}.`, actual: runs });
  if (!Number.isInteger(warmup) || warmup < 0) throw new InvalidArgumentError({ message: `warmup must be a non-negative integer, got ${warmup}.`, actual: warmup });
  let engine: Engine = options.engine ?? 'onnx';
  let fallback: string | undefined;
  const warm = async () => {
    for (let i = 0; i < Math.max(1, warmup); i++) {
      await timeForward(dense, pixelValues, engine);
      await timeForward(compact, pixelValues, engine);
    }
  };
  try {
    await warm();
  } catch (error) {
    // Only the default engine falls back; an explicitly requested engine reports its failure.
    if (options.engine !== undefined) throw error;
    const reason = VlpError.isInstance(error) ? `${error.code}: ${error.message}` : error instanceof Error ? error.message : String(error);
    fallback = `the ONNX Runtime forward failed (${reason.split('\n')[0]}); timed on tfjs`;
    engine = 'tfjs';
    await warm();
  }
  const denseRunsMs: number[] = [];
  const compactRunsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    denseRunsMs.push(await timeForward(dense, pixelValues, engine));
    compactRunsMs.push(await timeForward(compact, pixelValues, engine));
  }
  const denseMs = median(denseRunsMs);
  const compactMs = median(compactRunsMs);
  return { engine, ...(fallback ? { fallback } : {}), denseMs, compactMs, speedup: denseMs / compactMs, denseRunsMs, compactRunsMs };
}
