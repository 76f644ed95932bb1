import { readFile } from 'node:fs/promises';
import { IoError, InvalidArgumentError } from '@vlp/core';
import pngjs from 'pngjs';
import type { RgbImage } from './rgb-image.js';

/**
 * Encodes an RGB image as an 8-bit RGB PNG (pngjs, adaptive row filters, zlib level 9). The pixels
 * are the exact bytes given; the compressed bytes come from Node's zlib and may differ between zlib
 * builds (decoding always gives the same pixels back), so hash pixels rather than PNG files.
 */
export function encodePng(image: RgbImage): Uint8Array {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height * 3) {
    throw new InvalidArgumentError({
      message: `encodePng() needs packed 8-bit RGB: data.length must be width · height · 3 = ${width} · ${height} · 3 (got ${data.length}).`,
      expected: width * height * 3,
      actual: data.length,
    });
  }
  const buffer = pngjs.PNG.sync.write(
    { width, height, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) } as unknown as pngjs.PNG,
    { colorType: 2, inputColorType: 2, inputHasAlpha: false, bitDepth: 8 },
  );
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/**
 * Decodes a PNG to packed 8-bit RGB (alpha dropped; grey and palette expanded; 16-bit reduced to
 * the high byte). Throws `InvalidArgumentError` naming `source` when the bytes are not a valid PNG.
 */
export function decodePng(bytes: Uint8Array, source = '<buffer>'): RgbImage {
  let png: pngjs.PNG;
  try {
    png = pngjs.PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (error) {
    throw new InvalidArgumentError({
      message: `"${source}" is not a valid PNG: ${error instanceof Error ? error.message : String(error)}.`,
      path: source === '<buffer>' ? undefined : source,
      cause: error,
    });
  }
  const { width, height } = png;
  const rgba = png.data;
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    rgb[p * 3] = rgba[p * 4];
    rgb[p * 3 + 1] = rgba[p * 4 + 1];
    rgb[p * 3 + 2] = rgba[p * 4 + 2];
  }
  return { width, height, data: rgb };
}

/** Reads and decodes a PNG file (see {@link decodePng}); `IoError` naming the file when it cannot be read. */
export async function readPng(path: string): Promise<RgbImage> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new IoError({
      message: `Cannot read the PNG "${path}": ${error instanceof Error ? error.message : String(error)}.`,
      path,
      cause: error,
    });
  }
  return decodePng(bytes, path);
}
