import { InvalidArgumentError } from '@vlp/core';

/**
 * Pillow's `Image.resize` for 8-bit images (`libImaging/Resample.c`), reproduced bit for bit: separable
 * convolution with the filter stretched by the scale factor when downsampling, coefficients normalized and
 * quantized to 22-bit fixed point, a horizontal pass then a vertical pass, each rounded and clamped to 0..255.
 */

type Filter = { support: number; weight: (x: number) => number };

function bicubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}
function sinc(x: number): number {
  if (x === 0) return 1;
  const px = x * Math.PI;
  return Math.sin(px) / px;
}

/** Pillow's filters by resample id (`Image.Resampling`): 1 LANCZOS, 2 BILINEAR, 3 BICUBIC, 4 BOX, 5 HAMMING. */
const FILTERS: Record<number, Filter> = {
  1: { support: 3, weight: (x) => (x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0) },
  2: { support: 1, weight: (x) => Math.max(0, 1 - Math.abs(x)) },
  3: { support: 2, weight: bicubic },
  4: { support: 0.5, weight: (x) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  5: {
    support: 1,
    weight: (x) => {
      const t = Math.abs(x);
      if (t === 0) return 1;
      if (t >= 1) return 0;
      const px = t * Math.PI;
      return (Math.sin(px) / px) * (Math.fround(0.54) + Math.fround(0.46) * Math.cos(px));
    },
  },
};

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** Per output pixel: first input index, number of taps, and fixed-point weights (`ksize` per pixel). */
interface Coefficients {
  ksize: number;
  bounds: Int32Array;
  weights: Int32Array;
}

/** `precompute_coeffs` + `normalize_coeffs_8bpc` for the box [0, inSize). */
function precomputeCoefficients(inSize: number, outSize: number, filter: Filter): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = filter.support * filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    const ss = 1 / filterScale;
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let total = 0;
    for (let x = 0; x < xmax; x++) {
      k[x] = filter.weight((x + xmin - center + 0.5) * ss);
      total += k[x];
    }
    for (let x = 0; x < xmax; x++) {
      const w = total !== 0 ? k[x] / total : k[x];
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * ONE) : Math.trunc(0.5 + w * ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

/** `clip8`: fixed-point sum → 0..255. */
function clip8(sum: number): number {
  const v = Math.floor(sum / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** One pass along rows (`horizontal`) or columns, over `channels` interleaved bands. */
function resamplePass(
  src: Uint8Array,
  srcWidth: number,
  dst: Uint8Array,
  dstWidth: number,
  dstHeight: number,
  channels: number,
  coeffs: Coefficients,
  horizontal: boolean,
  rowOffset: number,
): void {
  const { ksize, bounds, weights } = coeffs;
  for (let yy = 0; yy < dstHeight; yy++) {
    for (let xx = 0; xx < dstWidth; xx++) {
      const i = horizontal ? xx : yy;
      const first = bounds[i * 2];
      const taps = bounds[i * 2 + 1];
      const kOffset = i * ksize;
      for (let c = 0; c < channels; c++) {
        let sum = HALF;
        for (let t = 0; t < taps; t++) {
          const srcIndex = horizontal
            ? ((yy + rowOffset) * srcWidth + first + t) * channels + c
            : ((first + t) * srcWidth + xx) * channels + c;
          sum += src[srcIndex] * weights[kOffset + t];
        }
        dst[(yy * dstWidth + xx) * channels + c] = clip8(sum);
      }
    }
  }
}

/**
 * Resizes an interleaved 8-bit image exactly like Pillow `Image.resize((width, height), resample)` (no
 * `reducing_gap`, no box). `resample`: 0 nearest, 1 Lanczos, 2 bilinear, 3 bicubic, 4 box, 5 Hamming.
 */
export function pilResize(
  data: Uint8Array,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
  resample: number,
): Uint8Array {
  if (!Number.isInteger(outWidth) || !Number.isInteger(outHeight) || outWidth < 1 || outHeight < 1) {
    throw new InvalidArgumentError({
      message: `Resize target must be positive integers, got ${outWidth}×${outHeight}.`,
      actual: [outWidth, outHeight],
    });
  }
  if (resample === 0) return nearestResize(data, width, height, channels, outWidth, outHeight);
  const filter = FILTERS[resample];
  if (!filter) {
    throw new InvalidArgumentError({
      message: `Unsupported resample filter ${resample}; use a PIL filter id 0..5 (3 = bicubic).`,
      actual: resample,
    });
  }
  const vertical = precomputeCoefficients(height, outHeight, filter);
  let src = data;
  let srcWidth = width;
  if (outWidth !== width) {
    // Only the rows the vertical pass reads are resampled horizontally.
    const firstRow = vertical.bounds[0];
    const lastRow = vertical.bounds[outHeight * 2 - 2] + vertical.bounds[outHeight * 2 - 1];
    const tmp = new Uint8Array(outWidth * (lastRow - firstRow) * channels);
    const horizontal = precomputeCoefficients(width, outWidth, filter);
    resamplePass(src, width, tmp, outWidth, lastRow - firstRow, channels, horizontal, true, firstRow);
    for (let i = 0; i < outHeight; i++) vertical.bounds[i * 2] -= firstRow;
    src = tmp;
    srcWidth = outWidth;
  }
  if (outHeight === height) return src === data ? data.slice() : src;
  const out = new Uint8Array(srcWidth * outHeight * channels);
  resamplePass(src, srcWidth, out, srcWidth, outHeight, channels, vertical, false, 0);
  return out;
}

/** Pillow's NEAREST resize: the affine transform samples input pixel `floor((x + 0.5) · in / out)`. */
function nearestResize(
  data: Uint8Array,
  width: number,
  height: number,
  channels: number,
  outWidth: number,
  outHeight: number,
): Uint8Array {
  const out = new Uint8Array(outWidth * outHeight * channels);
  const sx = width / outWidth;
  const sy = height / outHeight;
  for (let y = 0; y < outHeight; y++) {
    const yi = Math.min(height - 1, Math.trunc((y + 0.5) * sy));
    for (let x = 0; x < outWidth; x++) {
      const xi = Math.min(width - 1, Math.trunc((x + 0.5) * sx));
      const from = (yi * width + xi) * channels;
      out.set(data.subarray(from, from + channels), (y * outWidth + x) * channels);
    }
  }
  return out;
}
