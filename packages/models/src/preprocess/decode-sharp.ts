import type { DecodedRgb } from './decode-js.js';

/** The part of sharp's API used here (typed locally: sharp is an optional peer dependency). */
interface SharpPipeline {
  toColourspace(space: string): SharpPipeline;
  removeAlpha(): SharpPipeline;
  raw(options?: { depth?: string }): SharpPipeline;
  toBuffer(options: { resolveWithObject: true }): Promise<{ data: Uint8Array; info: SharpInfo }>;
}
interface SharpInfo {
  width: number;
  height: number;
  channels: number;
}
type SharpFactory = (input: Uint8Array, options?: { failOn?: string }) => SharpPipeline;

let sharpPromise: Promise<SharpFactory | undefined> | undefined;

/** sharp when it is installed and loads on this machine, else `undefined` (looked up once). */
export function loadSharp(): Promise<SharpFactory | undefined> {
  sharpPromise ??= (async () => {
    try {
      const name = 'sharp';
      const mod = (await import(name)) as { default?: SharpFactory };
      return typeof mod.default === 'function' ? mod.default : (mod as unknown as SharpFactory);
    } catch {
      return undefined;
    }
  })();
  return sharpPromise;
}

/**
 * Decodes any format sharp (libvips) reads into packed 8-bit sRGB: alpha removed, greyscale expanded, no EXIF
 * rotation (PIL does not apply it either).
 */
export async function decodeWithSharp(sharp: SharpFactory, bytes: Uint8Array): Promise<DecodedRgb> {
  const { data, info } = await sharp(bytes, { failOn: 'error' })
    .toColourspace('srgb')
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`sharp returned ${info.channels} channels instead of 3`);
  const rgb = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { width: info.width, height: info.height, data: rgb };
}
