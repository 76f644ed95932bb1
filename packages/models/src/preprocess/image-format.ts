/** Image container formats recognised from their leading bytes. */
export type ImageFormat = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp' | 'tiff' | 'unknown';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Identifies the format by its magic number (the file extension is not trusted). */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat {
  const starts = (sig: number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b);
  if (starts(PNG_SIGNATURE)) return 'png';
  if (starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38])) return 'gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  if (starts([0x42, 0x4d])) return 'bmp';
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  return 'unknown';
}

/** Bit depth from a PNG's IHDR chunk (byte 24), or 0 when the header is too short. */
export function pngBitDepth(bytes: Uint8Array): number {
  return bytes.length > 24 ? bytes[24] : 0;
}

/**
 * Returns the PNG without its `tRNS` chunks (chunk boundaries walked from the signature; other chunks and their
 * CRCs untouched). Used before decoding with pngjs, which blanks the RGB of pixels equal to the transparent
 * colour, whereas PIL's `convert("RGB")` keeps it.
 */
export function withoutTransparencyChunks(bytes: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [bytes.subarray(0, 8)];
  let pos = 8;
  let removed = false;
  while (pos + 12 <= bytes.length) {
    const length = ((bytes[pos] << 24) | (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3]) >>> 0;
    const end = pos + 12 + length;
    if (end > bytes.length) break;
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (type === 'tRNS') removed = true;
    else kept.push(bytes.subarray(pos, end));
    pos = end;
  }
  if (!removed) return bytes;
  if (pos < bytes.length) kept.push(bytes.subarray(pos));
  const out = new Uint8Array(kept.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of kept) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
