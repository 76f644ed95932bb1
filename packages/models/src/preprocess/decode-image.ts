import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, IoError, NotSupportedError } from '@vlp/core';
import { type DecodedRgb, decodeJpegJs, decodePngJs } from './decode-js.js';
import { decodeWithSharp, loadSharp } from './decode-sharp.js';
import { sniffImageFormat } from './image-format.js';
import type { RgbImage } from './types.js';

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /**
   * `'auto'` (default): sharp when it is installed, else the pure-JS decoders. `'sharp'`: require sharp.
   * `'js'`: pngjs / jpeg-js only (PNG and JPEG). PNG pixels are identical either way; JPEG pixels may differ by a
   * few levels between decoders (sharp's libjpeg-turbo is the one PIL also uses).
   */
  decoder?: 'auto' | 'sharp' | 'js';
}

async function readInput(input: string | Uint8Array): Promise<{ bytes: Uint8Array; label: string; path?: string }> {
  if (typeof input !== 'string') {
    if (!(input instanceof Uint8Array)) {
      throw new InvalidArgumentError({ message: 'decodeImage() takes a file path or the file bytes (Uint8Array).' });
    }
    return { bytes: input, label: 'the image bytes' };
  }
  try {
    return { bytes: await readFile(input), label: input, path: input };
  } catch (error) {
    throw new IoError({
      message: `Cannot read image ${input}: ${(error as Error).message}`,
      path: input,
      cause: error,
    });
  }
}

/**
 * Decodes a PNG or JPEG file (any format sharp reads when sharp is installed) into packed 8-bit RGB, as PIL's
 * `Image.open(...).convert("RGB")` does: alpha dropped, palette and greyscale expanded, no EXIF rotation.
 *
 * @param input A file path or the file's bytes.
 * @throws InvalidArgumentError (`VLP_INVALID_ARGUMENT`, naming the file) for a corrupt or unsupported image.
 * @throws IoError (`VLP_IO`) when the file cannot be read.
 * @throws NotSupportedError (`VLP_NOT_SUPPORTED`) for `decoder: 'sharp'` when sharp is not installed.
 */
export async function decodeImage(input: string | Uint8Array, options: DecodeImageOptions = {}): Promise<RgbImage> {
  const { bytes, label, path } = await readInput(input);
  const mode = options.decoder ?? 'auto';
  const sharp = mode === 'js' ? undefined : await loadSharp();
  if (mode === 'sharp' && !sharp) {
    throw new NotSupportedError({
      message: "decodeImage({ decoder: 'sharp' }) needs the optional dependency sharp: npm install sharp.",
      path,
    });
  }
  const format = sniffImageFormat(bytes);
  if (!sharp && format !== 'png' && format !== 'jpeg') {
    const what = format === 'unknown' ? 'not a recognised image file' : `${format.toUpperCase()} is not supported`;
    throw new InvalidArgumentError({
      message:
        `Cannot decode ${label}: ${what}. ` +
        'Without sharp only PNG and JPEG are read; install sharp for WebP, GIF, TIFF, AVIF and more.',
      path,
      actual: format,
    });
  }
  let decoded: DecodedRgb;
  try {
    if (sharp) decoded = await decodeWithSharp(sharp, bytes);
    else decoded = format === 'png' ? decodePngJs(bytes) : decodeJpegJs(bytes);
  } catch (error) {
    throw new InvalidArgumentError({
      message: `Cannot decode ${label} (${format}): the file is corrupt or truncated (${(error as Error).message}).`,
      path,
      cause: error,
    });
  }
  return { width: decoded.width, height: decoded.height, data: decoded.data, channels: 3 };
}
