/**
 * ECoFLaP stage-1 kernels (Sung, Yoon, Bansal, ICLR 2024, §3.2, eq. 4–6; official
 * `compute_importance_scores_mezo`). Layout: weights flat row-major `[out, in]` (HF orientation).
 * Zeroth-order: two forwards per unit, batch and noise draw; these kernels are O(numel) host loops.
 */
import { InvalidArgumentError } from '@vlp/core';

/** The unit-importance rules of the official `score_method` (`MEZO-GradOnly` is the default). */
export type ImportanceKind = 'grad-only' | 'grad-mag-abs' | 'grad-mag-square';

/** `W + scale·z`, rounded to float32 as the official in-place float32 update (`param + z·ε`). A new array. */
export function perturbedWeight(weight: Float32Array, noise: Float32Array, scale: number): Float32Array {
  if (noise.length !== weight.length) {
    throw new InvalidArgumentError({ message: `perturbedWeight: noise has ${noise.length} entries, the weight ${weight.length}.`, expected: weight.length, actual: noise.length });
  }
  const out = new Float32Array(weight.length);
  for (let i = 0; i < weight.length; i++) out[i] = weight[i] + Math.fround(scale * noise[i]);
  return out;
}

/** The two-point estimate of the directional derivative ∇L·z (eq. 4): `(L₊ − L₋) / 2ε`. */
export function projectedGradient(lossPlus: number, lossMinus: number, epsilon: number): number {
  return (lossPlus - lossMinus) / (2 * epsilon);
}

/**
 * A unit's scalar importance from `G = Σ_b |ĝ_b|` (zeroth-order) or the mean gradient magnitude
 * (first-order, see {@link firstOrderImportance}): `grad-only` → G; `grad-mag-abs` → Σ_i |W_i|·G;
 * `grad-mag-square` → Σ_i W_i²·G². The official code forms the elementwise tensor and the group
 * score sums it; the sum is returned here (float64).
 */
export function zerothOrderImportance(kind: ImportanceKind, accumulated: number, weight: Float32Array): number {
  if (kind === 'grad-only') return Math.abs(accumulated);
  let s = 0;
  for (let i = 0; i < weight.length; i++) s += kind === 'grad-mag-abs' ? Math.abs(weight[i]) : weight[i] * weight[i];
  return kind === 'grad-mag-abs' ? s * Math.abs(accumulated) : s * accumulated * accumulated;
}

/**
 * First-order unit importance (official `compute_importance_scores`): from `gradSums` = Σ_b |∇W|
 * (`grad-only`, `grad-mag-abs`) or Σ_b ∇W² (`grad-mag-square`) over `batches` batches, the mean over
 * batches `ḡ`, then Σ_i ḡ_i (`grad-only`), Σ_i |W_i|·ḡ_i or Σ_i W_i²·ḡ_i (OBD-like).
 */
export function firstOrderImportance(kind: ImportanceKind, gradSums: Float64Array, weight: Float32Array, batches: number): number {
  let s = 0;
  for (let i = 0; i < weight.length; i++) {
    const g = gradSums[i] / batches;
    s += kind === 'grad-only' ? g : kind === 'grad-mag-abs' ? Math.abs(weight[i]) * g : weight[i] * weight[i] * g;
  }
  return s;
}

/**
 * CLIP's symmetric InfoNCE (CoOp `zsclip.forward_to_cache`: mean of the cross-entropies of the
 * logits and their transpose against the diagonal), on host values in float64. `logits` row-major
 * `[n, n]`. Symmetric in the transpose, so `logits_per_text` and `logits_per_image` give the same L.
 */
export function symmetricInfoNce(logits: ArrayLike<number>, n: number): number {
  if (logits.length !== n * n || n === 0) {
    throw new InvalidArgumentError({ message: `symmetricInfoNce: needs a square [n, n] logits matrix of matching pairs (got ${logits.length} values for n = ${n}).` });
  }
  const ce = (at: (i: number, j: number) => number): number => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      let max = -Infinity;
      for (let j = 0; j < n; j++) max = Math.max(max, at(i, j));
      let z = 0;
      for (let j = 0; j < n; j++) z += Math.exp(at(i, j) - max);
      total += max + Math.log(z) - at(i, i);
    }
    return total / n;
  };
  return (ce((i, j) => logits[i * n + j]) + ce((i, j) => logits[j * n + i])) / 2;
}
