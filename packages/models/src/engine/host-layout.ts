/** HF `[out, ...rest]` row-major → `[prod(rest), out]` row-major (host copy). */
export function transposeToLinear(data: Float32Array, shape: readonly number[]): Float32Array {
  const rows = shape[0] as number;
  const cols = data.length / rows;
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = data[base + c] as number;
  }
  return out;
}
