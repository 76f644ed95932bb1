/**
 * SparseGPT's layer Hessian from the summed Gram matrix of the layer inputs
 * (Frantar & Alistarh, ICML 2023, §3: H = 2·XXᵀ for the layer-wise squared error; official
 * `add_batch` keeps the running mean `H = 2/n · Σ x xᵀ` over n calibration SEQUENCES).
 * `gram` is Σ_t x_t x_tᵀ (`[in, in]` row-major, the `input-gram` tap summed over batches).
 * No sequences → the zero matrix. O(in²); the input is not modified.
 */
export function hessianFromGram(gram: ArrayLike<number>, sequences: number): Float64Array {
  const h = new Float64Array(gram.length);
  if (!(sequences > 0)) return h;
  const scale = 2 / sequences;
  for (let i = 0; i < gram.length; i++) h[i] = gram[i] * scale;
  return h;
}
