/** Rows `rows` of a row-major `[n, cols]` matrix (or vector when cols = 1). */
export function takeRows(data: Float32Array, cols: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => out.set(data.subarray(r * cols, (r + 1) * cols), i * cols));
  return out;
}

/** Columns `columns` of a row-major `[rows, cols]` matrix. */
export function takeColumns(data: Float32Array, cols: number, columns: readonly number[]): Float32Array {
  const rows = data.length / cols;
  const out = new Float32Array(rows * columns.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    columns.forEach((c, j) => (out[r * columns.length + j] = data[base + c] as number));
  }
  return out;
}
