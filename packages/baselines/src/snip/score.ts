import { InvalidArgumentError } from '@vlp/core';

/**
 * SNIP connection sensitivity of one unit (Lee et al., ICLR 2019, eq. 6 before normalisation):
 * `|g_i · w_i|` where `g = ∂L/∂w` (summed over the calibration batches) — the derivative of the
 * loss with respect to a multiplicative mask at 1. Flat row-major over `[out, in]`; O(numel).
 * Throws `VLP_INVALID_ARGUMENT` when the lengths differ.
 */
export function snipScores(weight: Float32Array, gradient: ArrayLike<number>): Float64Array {
  if (gradient.length !== weight.length) {
    throw new InvalidArgumentError({
      message: `snipScores needs one gradient per weight (got ${gradient.length} gradients for ${weight.length} weights).`,
      expected: weight.length,
      actual: gradient.length,
    });
  }
  const scores = new Float64Array(weight.length);
  for (let i = 0; i < weight.length; i++) scores[i] = Math.abs(gradient[i] * weight[i]);
  return scores;
}

/**
 * SNIP's normalisation (eq. 6): every score divided by the sum of all scores in `scores`, so the
 * saliencies of all units sum to 1. Returns new arrays; an all-zero set is returned as zeros.
 * (A positive common factor: it never changes which weights a threshold keeps.)
 */
export function normalizeSaliencies(scores: ReadonlyMap<string, Float64Array>): Map<string, Float64Array> {
  let total = 0;
  for (const s of scores.values()) for (let i = 0; i < s.length; i++) total += s[i];
  const out = new Map<string, Float64Array>();
  for (const [name, s] of scores) out.set(name, total > 0 ? s.map((v) => v / total) : Float64Array.from(s));
  return out;
}
