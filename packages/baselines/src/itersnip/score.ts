import { InvalidArgumentError } from '@vlp/core';
import { snipScores } from '../snip/score.js';

/** Score given to already-pruned weights: below every saliency, so a pruned weight stays pruned. */
export const PRUNED_SCORE = -1;

/**
 * IterSNIP saliencies of one unit for one round (de Jorge et al., ICLR 2021): `|g ⊙ w|` of the
 * masked weights, with the weights pruned in earlier rounds (`mask[i] === 0`) scored
 * {@link PRUNED_SCORE} so they stay pruned while the sparsity grows. O(numel).
 */
export function iterSnipScores(maskedWeight: Float32Array, gradient: ArrayLike<number>, mask: Uint8Array): Float64Array {
  if (mask.length !== maskedWeight.length) {
    throw new InvalidArgumentError({
      message: `iterSnipScores needs one mask entry per weight (got ${mask.length} for ${maskedWeight.length} weights).`,
      expected: maskedWeight.length,
      actual: mask.length,
    });
  }
  const scores = snipScores(maskedWeight, gradient);
  for (let i = 0; i < scores.length; i++) if (mask[i] === 0) scores[i] = PRUNED_SCORE;
  return scores;
}
