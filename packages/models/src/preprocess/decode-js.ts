import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { pngBitDepth, withoutTransparencyChunks } from './image-format.js';

/** Decoded pixels, always packed RGB. */
export interface DecodedRgb {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Decodes a PNG with pngjs into packed RGB as PIL's `convert("RGB")` sees it: alpha dropped, palette and
 * grey expanded, 1/2/4-bit grey scaled to 0..255, 16-bit samples reduced to their high byte.
 */
export function decodePngJs(bytes: Uint8Array): DecodedRgb {
  const sixteen = pngBitDepth(bytes) === 16;
  const png = pngjs.PNG.sync.read(Buffer.from(withoutTransparencyChunks(bytes)), { skipRescale: sixteen });
  const { width, height } = png;
  const src = png.data as unknown as ArrayLike<number>;
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) {
      const v = src[p * 4 + c];
      rgb[p * 3 + c] = sixteen ? v >> 8 : v;
    }
  }
  return { width, height, data: rgb };
}

/** Decodes a baseline or progressive JPEG with jpeg-js into packed RGB (greyscale expanded, CMYK converted). */
export function decodeJpegJs(bytes: Uint8Array): DecodedRgb {
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false });
  return { width: image.width, height: image.height, data: image.data };
}
