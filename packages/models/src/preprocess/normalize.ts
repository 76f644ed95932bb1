/** Options of {@link toChannelsFirst}. */
export interface NormalizeOptions {
  doRescale: boolean;
  rescaleFactor: number;
  doNormalize: boolean;
  mean: readonly number[];
  std: readonly number[];
}

/**
 * transformers' `rescale` then `normalize`, written channels-first into `out` at `offset`:
 * `float32(pixel · factor)` (float64 product, cast), then `(x − mean) / std` in float32 arithmetic with
 * float32 mean and std — the same roundings as numpy.
 */
export function toChannelsFirst(
  data: Uint8Array,
  height: number,
  width: number,
  options: NormalizeOptions,
  out: Float32Array,
  offset: number,
): void {
  const plane = height * width;
  for (let c = 0; c < 3; c++) {
    const mean = Math.fround(options.mean[c]);
    const std = Math.fround(options.std[c]);
    for (let p = 0; p < plane; p++) {
      let v = data[p * 3 + c];
      if (options.doRescale) v = Math.fround(v * options.rescaleFactor);
      if (options.doNormalize) v = Math.fround(Math.fround(v - mean) / std);
      out[offset + c * plane + p] = v;
    }
  }
}
