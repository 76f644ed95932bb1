import { InvalidArgumentError } from '@vlp/core';
import type { RgbImage } from './types.js';

/**
 * Validates an {@link RgbImage} and returns its pixels as packed RGB (PIL's `convert("RGB")` on RGBA drops the
 * alpha channel without compositing). RGB input is returned without copying.
 */
export function toRgb(image: RgbImage, index = 0): Uint8Array {
  const { width, height, data } = image;
  const where = `images[${index}]`;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InvalidArgumentError({
      message: `${where}: width and height must be positive integers, got ${width}×${height}.`,
      actual: [width, height],
    });
  }
  if (!(data instanceof Uint8Array)) {
    throw new InvalidArgumentError({ message: `${where}: data must be a Uint8Array of 8-bit RGB or RGBA pixels.` });
  }
  const pixels = width * height;
  const channels = image.channels ?? (data.length === pixels * 4 ? 4 : 3);
  if ((channels !== 3 && channels !== 4) || data.length !== pixels * channels) {
    throw new InvalidArgumentError({
      message:
        `${where}: data has ${data.length} bytes; a ${width}×${height} image needs ${pixels * 3} (RGB) ` +
        `or ${pixels * 4} (RGBA).`,
      expected: [pixels * 3, pixels * 4],
      actual: data.length,
    });
  }
  if (channels === 3) return data;
  const rgb = new Uint8Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    rgb[p * 3] = data[p * 4];
    rgb[p * 3 + 1] = data[p * 4 + 1];
    rgb[p * 3 + 2] = data[p * 4 + 2];
  }
  return rgb;
}
