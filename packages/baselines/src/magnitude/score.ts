/**
 * Magnitude scores |w| of one unit (Han et al., NeurIPS 2015), flat row-major over `[out, in]`.
 * O(numel); the input is not modified.
 */
export function magnitudeScores(weight: Float32Array): Float32Array {
  return weight.map(Math.abs);
}
