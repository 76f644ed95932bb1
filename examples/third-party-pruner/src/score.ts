/**
 * Row-normalised magnitude: `S_ij = |W_ij| / ‖W_i,:‖_p`, the weight's share of its output row
 * (layout `[out, in]`, HF orientation, row-major). A weight that is small in absolute terms but
 * large within a quiet row survives one global threshold. O(out · in). Pure: no I/O, no tensors.
 */
export function rowNormalizedScores(weights: Float32Array, shape: readonly [number, number], norm: 'l1' | 'l2'): Float32Array {
  const [rows, cols] = shape;
  if (weights.length !== rows * cols) throw new RangeError(`weights hold ${weights.length} values, shape [${rows}, ${cols}] needs ${rows * cols}`);
  const scores = new Float32Array(weights.length);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let c = 0; c < cols; c++) {
      const w = weights[r * cols + c] as number;
      total += norm === 'l1' ? Math.abs(w) : w * w;
    }
    const scale = norm === 'l1' ? total : Math.sqrt(total);
    for (let c = 0; c < cols; c++) scores[r * cols + c] = scale === 0 ? 0 : Math.abs(weights[r * cols + c] as number) / scale;
  }
  return scores;
}
