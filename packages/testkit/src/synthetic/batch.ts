import { type CalibrationSource, type Rng, ShapeMismatchError, createRng } from '@vlp/core';
import { type SyntheticDims, resolveDims } from './dims.js';

/**
 * One batch of the synthetic model: plain typed arrays (no tensors to dispose), row-major.
 * Image `i` and text `i` are noisy views of the same latent vector, so retrieval is learnable.
 */
export interface SyntheticBatch {
  /** Samples in the batch (B). */
  readonly size: number;
  /** `[B, visionTokens, hidden]` token features. */
  readonly vision: Float32Array;
  /** `[B, textTokens, hidden]` token features (padding positions hold noise too). */
  readonly text: Float32Array;
  /** `[B, textTokens]`: 1 for a real token, 0 for padding (right-padded, ≥ 2 real tokens). */
  readonly attentionMask: Int32Array;
}

/** Batch size and model sizes of synthetic batches. */
export interface SyntheticBatchOptions {
  /** Samples per batch. Default 4. */
  readonly batchSize?: number;
  /** Must match the view's dims (`view.dims`). Default: the default dims. */
  readonly dims?: Partial<SyntheticDims>;
}

function fillTokens(out: Float32Array, latent: Float32Array, offset: number, tokens: number, noise: Rng): void {
  const d = latent.length;
  for (let t = 0; t < tokens; t++) {
    for (let j = 0; j < d; j++) out[offset + t * d + j] = latent[j] + 0.5 * noise.nextNormal();
  }
}

/** A deterministic synthetic batch drawn from `rng`. */
export function syntheticBatch(rng: Rng, options: SyntheticBatchOptions = {}): SyntheticBatch {
  const dims = resolveDims(options.dims);
  const size = options.batchSize ?? 4;
  const { hidden: d, visionTokens: tv, textTokens: tt } = dims;
  const vision = new Float32Array(size * tv * d);
  const text = new Float32Array(size * tt * d);
  const attentionMask = new Int32Array(size * tt);
  for (let i = 0; i < size; i++) {
    const sample = rng.split(i);
    const latent = sample.split('latent').fillNormal(new Float32Array(d));
    fillTokens(vision, latent, i * tv * d, tv, sample.split('vision'));
    fillTokens(text, latent, i * tt * d, tt, sample.split('text'));
    const length = 2 + sample.split('length').nextInt(tt - 1);
    attentionMask.fill(1, i * tt, i * tt + length);
  }
  return Object.freeze({ size, vision, text, attentionMask });
}

/** Throws `VLP_SHAPE_MISMATCH` unless `batch` fits `dims`. */
export function checkBatch(batch: SyntheticBatch, dims: SyntheticDims): void {
  const { size } = batch;
  const expected = [
    ['vision', batch.vision?.length, size * dims.visionTokens * dims.hidden],
    ['text', batch.text?.length, size * dims.textTokens * dims.hidden],
    ['attentionMask', batch.attentionMask?.length, size * dims.textTokens],
  ] as const;
  for (const [field, actual, want] of expected) {
    if (!Number.isInteger(size) || size < 1 || actual !== want) {
      throw new ShapeMismatchError({
        message: `Synthetic batch field "${field}" has ${String(actual)} values; a batch of ${String(size)} for these dims needs ${want}. Make batches with the view's dims (syntheticCalibration(n, seed, { dims: view.dims })).`,
        tensor: field,
        expected: want,
        actual,
      });
    }
  }
}

/**
 * A deterministic {@link CalibrationSource} of `n` synthetic batches (the same batches on every
 * `batches()` call).
 */
export function syntheticCalibration(n = 2, seed = 0, options: SyntheticBatchOptions = {}): CalibrationSource<SyntheticBatch> {
  const root = createRng(seed).split('synthetic-calibration');
  const batches = Array.from({ length: n }, (_, i) => syntheticBatch(root.split(i), options));
  return Object.freeze({
    size: n,
    async *batches(): AsyncGenerator<SyntheticBatch> {
      yield* batches;
    },
  });
}
