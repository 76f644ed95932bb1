/**
 * LAMP scores of one unit (Lee et al., "Layer-adaptive Sparsity for the Magnitude-based Pruning",
 * ICLR 2021, eq. 2): with the weights sorted by w² ascending (u < v ⇒ w_u² ≤ w_v²),
 *
 *   score(u) = w_u² / Σ_{v ≥ u} w_v²
 *
 * so the largest weight of every unit scores 1 and one global threshold never empties a unit.
 * Ties in w² are ordered by flat index (lower first; the official code's `torch.sort` leaves
 * their order unspecified). Suffix sums are taken in float64 directly (the official code forms
 * `total − prefix`, which loses precision for the last entries). A zero suffix scores 0.
 * O(numel · log numel); the input is not modified.
 */
export function lampScores(weight: Float32Array): Float64Array {
  const n = weight.length;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) squares[i] = weight[i] * weight[i];
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => squares[a] - squares[b] || a - b);
  const scores = new Float64Array(n);
  let suffix = 0;
  for (let r = n - 1; r >= 0; r--) {
    const i = order[r];
    suffix += squares[i];
    scores[i] = suffix > 0 ? squares[i] / suffix : 0;
  }
  return scores;
}
