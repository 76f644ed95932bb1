/**
 * LayerWiseL2Norm scores of one unit (MULTIFLOW's ablation baseline; methods.md §6.1):
 * `|w_i| / ‖W‖_F`, the magnitude normalised by the unit's Frobenius norm, so that one global
 * threshold compares units of different scales. An all-zero unit scores 0 everywhere.
 * The norm is summed in float64. O(numel); the input is not modified.
 */
export function l2NormalizedScores(weight: Float32Array): Float64Array {
  let sumSquares = 0;
  for (let i = 0; i < weight.length; i++) sumSquares += weight[i] * weight[i];
  const norm = Math.sqrt(sumSquares);
  const scores = new Float64Array(weight.length);
  if (norm === 0) return scores;
  for (let i = 0; i < weight.length; i++) scores[i] = Math.abs(weight[i]) / norm;
  return scores;
}
