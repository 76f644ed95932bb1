import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, throwIfAborted } from '@vlp/core';
import type { DistanceMatrix } from './twonn.js';

/**
 * All pairwise Euclidean distances of n points (row-major `[n, dim]` float32), as `torch.pdist` +
 * `squareform` in the official ID code. Computed in tiles with tfjs so n = 2,000 samples of a
 * 50 × 768 representation fit: the points are centred (float64 column means), each tile pair gives
 * `‖a‖² + ‖b‖² − 2·a·bᵀ` by one float32 matmul, and pairs whose squared distance is below
 * `refine · (‖a‖² + ‖b‖²)` — near neighbours, where the Gram identity loses digits, and duplicates,
 * which must come out exactly 0 — are recomputed exactly on the host in float64 from the
 * differences. The diagonal is 0. Cost: n²·dim/2 multiply-adds on the backend, one host pass per
 * refined pair; memory n² floats for the result plus two tiles of `tileRows × dim`.
 */

/** Options of {@link pairwiseDistances}. */
export interface PairwiseDistanceOptions {
  /** Rows per tile (default 256). */
  readonly tileRows?: number;
  /** Relative squared-distance threshold below which a pair is recomputed exactly (default 0.05). */
  readonly refine?: number;
  readonly signal?: AbortSignal;
}

function centred(points: Float32Array, n: number, dim: number): { x: Float32Array; norms: Float64Array } {
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += points[i * dim + j];
  for (let j = 0; j < dim; j++) mean[j] /= n;
  const x = new Float32Array(n * dim);
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = points[i * dim + j] - mean[j];
      x[i * dim + j] = v;
      s += v * v;
    }
    norms[i] = s;
  }
  return { x, norms };
}

function exactDistance(points: Float32Array, dim: number, i: number, j: number): number {
  let s = 0;
  const a = i * dim;
  const b = j * dim;
  for (let k = 0; k < dim; k++) {
    const d = points[a + k] - points[b + k];
    s += d * d;
  }
  return Math.sqrt(s);
}

/** The Gram block `x[r0:r1] · x[c0:c1]ᵀ` as host values. */
async function gramTile(x: Float32Array, dim: number, r0: number, r1: number, c0: number, c1: number): Promise<Float32Array> {
  const product = tf.tidy(() => {
    const a = tf.tensor2d(x.subarray(r0 * dim, r1 * dim), [r1 - r0, dim]);
    const b = r0 === c0 ? a : tf.tensor2d(x.subarray(c0 * dim, c1 * dim), [c1 - c0, dim]);
    return tf.matMul(a, b, false, true);
  });
  try {
    return (await product.data()) as Float32Array;
  } finally {
    product.dispose();
  }
}

/**
 * The `[n, n]` float32 distance matrix of `points` (`[n, dim]`, row-major). Throws
 * `InvalidArgumentError` for a size mismatch or bad options; `VLP_ABORTED` between tiles.
 */
export async function pairwiseDistances(points: Float32Array, n: number, dim: number, options: PairwiseDistanceOptions = {}): Promise<DistanceMatrix & { values: Float32Array }> {
  const tileRows = options.tileRows ?? 256;
  const refine = options.refine ?? 0.05;
  if (!Number.isInteger(n) || !Number.isInteger(dim) || n < 1 || dim < 1 || points.length !== n * dim) {
    throw new InvalidArgumentError({ message: `pairwiseDistances: expected ${n}×${dim} = ${n * dim} values, got ${points.length}.`, expected: n * dim, actual: points.length });
  }
  if (!Number.isInteger(tileRows) || tileRows < 1 || !(refine >= 0)) {
    throw new InvalidArgumentError({ message: `pairwiseDistances: tileRows must be a positive integer and refine ≥ 0 (got ${tileRows}, ${refine}).` });
  }
  const { x, norms } = centred(points, n, dim);
  const out = new Float32Array(n * n);
  for (let r0 = 0; r0 < n; r0 += tileRows) {
    const r1 = Math.min(n, r0 + tileRows);
    for (let c0 = r0; c0 < n; c0 += tileRows) {
      throwIfAborted(options.signal, `pairwise distances (rows ${r0}–${r1 - 1})`);
      const c1 = Math.min(n, c0 + tileRows);
      const gram = await gramTile(x, dim, r0, r1, c0, c1);
      const w = c1 - c0;
      for (let i = r0; i < r1; i++) {
        for (let j = Math.max(c0, i + 1); j < c1; j++) {
          const scale = norms[i] + norms[j];
          const sq = scale - 2 * gram[(i - r0) * w + (j - c0)];
          const d = sq < refine * scale ? exactDistance(points, dim, i, j) : Math.sqrt(sq);
          out[i * n + j] = d;
          out[j * n + i] = d;
        }
      }
    }
  }
  return { n, values: out };
}
