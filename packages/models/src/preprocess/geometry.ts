import type { ResizeTarget } from './types.js';

/**
 * transformers' `get_resize_output_image_size` (v4.36): for a shortest-edge target the short side becomes `size`
 * and the long side `int(size * long / short)` (truncated); an explicit height × width is used as is.
 * Returns `[height, width]`.
 */
export function resizeOutputSize(height: number, width: number, target: ResizeTarget): [number, number] {
  if ('height' in target) return [target.height, target.width];
  const size = target.shortestEdge;
  const [short, long] = width <= height ? [width, height] : [height, width];
  const newLong = Math.trunc((size * long) / short);
  return width <= height ? [newLong, size] : [size, newLong];
}

/** A cropped interleaved 8-bit image. */
export interface Cropped {
  data: Uint8Array;
  height: number;
  width: number;
}

/**
 * transformers' `center_crop` on an interleaved 8-bit image: offsets `(orig - crop) // 2` (floor division).
 * An image smaller than the crop is zero-padded, centred, then cropped from the padded canvas exactly as
 * transformers does — which, when `crop - orig` is odd, yields fewer rows/columns than the crop size (e.g. 2×2
 * cropped to 3×3 stays 2×2). Reproduced on purpose.
 */
export function centerCrop(
  data: Uint8Array,
  height: number,
  width: number,
  channels: number,
  cropHeight: number,
  cropWidth: number,
): Cropped {
  const top = Math.floor((height - cropHeight) / 2);
  const left = Math.floor((width - cropWidth) / 2);
  if (top >= 0 && left >= 0 && top + cropHeight <= height && left + cropWidth <= width) {
    const out = new Uint8Array(cropHeight * cropWidth * channels);
    for (let y = 0; y < cropHeight; y++) {
      const start = ((top + y) * width + left) * channels;
      out.set(data.subarray(start, start + cropWidth * channels), y * cropWidth * channels);
    }
    return { data: out, height: cropHeight, width: cropWidth };
  }
  // Pad to at least the crop size (image centred), then crop from the padded canvas.
  const padHeight = Math.max(cropHeight, height);
  const padWidth = Math.max(cropWidth, width);
  const topPad = Math.floor((padHeight - height) / 2);
  const leftPad = Math.floor((padWidth - width) / 2);
  const y0 = Math.max(0, top + topPad);
  const x0 = Math.max(0, left + leftPad);
  const y1 = Math.min(padHeight, top + topPad + cropHeight);
  const x1 = Math.min(padWidth, left + leftPad + cropWidth);
  const outHeight = y1 - y0;
  const outWidth = x1 - x0;
  const out = new Uint8Array(outHeight * outWidth * channels);
  for (let y = 0; y < outHeight; y++) {
    for (let x = 0; x < outWidth; x++) {
      const sy = y + y0 - topPad;
      const sx = x + x0 - leftPad;
      if (sy < 0 || sy >= height || sx < 0 || sx >= width) continue;
      const from = (sy * width + sx) * channels;
      out.set(data.subarray(from, from + channels), (y * outWidth + x) * channels);
    }
  }
  return { data: out, height: outHeight, width: outWidth };
}
