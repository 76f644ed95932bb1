import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { VlpError } from '@vlp/core';
import jpeg from 'jpeg-js';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image.js';
import { loadSharp } from './decode-sharp.js';

const { PNG } = pngjs;
let tmp: string;
let hasSharp = false;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'vlp-decode-'));
  hasSharp = (await loadSharp()) !== undefined;
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A w×h RGBA test pattern with distinct values per pixel and channel. */
function pattern(width: number, height: number, alpha = (p: number) => 255 - p): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([(p * 37) % 256, (p * 11 + 5) % 256, (p * 3 + 200) % 256, alpha(p)], p * 4);
  return data;
}
function rgbOf(rgba: Uint8Array): number[] {
  return Array.from(rgba).filter((_, i) => i % 4 !== 3);
}
function writePng(width: number, height: number, data: Uint8Array, options: Record<string, unknown> = {}): Buffer {
  return PNG.sync.write(Object.assign(new PNG({ width, height }), { data: Buffer.from(data) }), options);
}
/** Inserts a chunk right after IHDR (signature 8 bytes + IHDR 25 bytes). */
function insertChunk(png: Buffer, type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([png.subarray(0, 33), head, body, crc, png.subarray(33)]);
}
const decoders = ['js', 'sharp'] as const;

describe('decodeImage', () => {
  for (const decoder of decoders) {
    describe(`decoder ${decoder}`, () => {
      it('reads an RGBA PNG from a path as RGB, dropping alpha', async (ctx) => {
        if (decoder === 'sharp' && !hasSharp) ctx.skip();
        const rgba = pattern(5, 3);
        const file = path.join(tmp, `rgba-${decoder}.png`);
        await writeFile(file, writePng(5, 3, rgba));
        const image = await decodeImage(file, { decoder });
        expect([image.width, image.height, image.channels]).toEqual([5, 3, 3]);
        expect(Array.from(image.data)).toEqual(rgbOf(rgba));
      });

      it('expands a greyscale PNG to RGB', async (ctx) => {
        if (decoder === 'sharp' && !hasSharp) ctx.skip();
        const rgba = pattern(4, 2, () => 255);
        for (let p = 0; p < 8; p++) rgba.fill(p * 30, p * 4, p * 4 + 3);
        const bytes = writePng(4, 2, rgba, { colorType: 0, inputColorType: 6 });
        expect(bytes[25]).toBe(0); // IHDR colour type: greyscale
        const image = await decodeImage(bytes, { decoder });
        expect(Array.from(image.data)).toEqual(Array.from({ length: 24 }, (_, i) => Math.floor(i / 3) * 30));
      });

      it('keeps the RGB of pixels matching a tRNS transparent colour (as PIL convert("RGB"))', async (ctx) => {
        if (decoder === 'sharp' && !hasSharp) ctx.skip();
        const rgba = pattern(3, 1, () => 255);
        const png = writePng(3, 1, rgba, { colorType: 2 });
        // tRNS for colour type 2: the 16-bit R, G, B of the transparent colour = pixel 1.
        const body = new Uint8Array([0, rgba[4], 0, rgba[5], 0, rgba[6]]);
        const image = await decodeImage(insertChunk(png, 'tRNS', body), { decoder });
        expect(Array.from(image.data)).toEqual(rgbOf(rgba));
      });

      it('decodes a JPEG close to its source pixels', async (ctx) => {
        if (decoder === 'sharp' && !hasSharp) ctx.skip();
        const width = 16;
        const height = 8;
        const rgba = new Uint8Array(width * height * 4);
        for (let y = 0; y < height; y++) {
          for (let x = 0; x < width; x++) rgba.set([x * 12, y * 25, 128, 255], (y * width + x) * 4);
        }
        const file = path.join(tmp, `smooth-${decoder}.jpg`);
        await writeFile(file, jpeg.encode({ width, height, data: rgba }, 100).data);
        const image = await decodeImage(file, { decoder });
        expect([image.width, image.height]).toEqual([width, height]);
        const source = rgbOf(rgba);
        const maxDiff = Math.max(...Array.from(image.data, (v, i) => Math.abs(v - source[i])));
        expect(maxDiff).toBeLessThanOrEqual(6);
      });

      it('rejects a corrupt PNG with VLP_INVALID_ARGUMENT naming the file', async (ctx) => {
        if (decoder === 'sharp' && !hasSharp) ctx.skip();
        const good = writePng(8, 8, pattern(8, 8));
        const corrupt = Buffer.concat([good.subarray(0, 40), Buffer.alloc(30, 0xab)]);
        const file = path.join(tmp, `corrupt-${decoder}.png`);
        await writeFile(file, corrupt);
        const error = await decodeImage(file, { decoder }).catch((e: unknown) => e);
        expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
        expect((error as Error).message).toContain(file);
        expect((error as VlpError).path).toBe(file);
      });
    });
  }

  it('reduces 16-bit PNG samples to their high byte (js decoder)', async () => {
    const png = new PNG({ width: 2, height: 1, bitDepth: 16, colorType: 6, inputColorType: 6, inputHasAlpha: true });
    const samples = new Uint16Array([0x1234, 0xabcd, 0xff00, 0xffff, 0x00ff, 0x8000, 0x7fff, 0xffff]);
    png.data = Buffer.from(samples.buffer);
    const bytes = PNG.sync.write(png, { bitDepth: 16, colorType: 6, inputColorType: 6, inputHasAlpha: true });
    expect(bytes[24]).toBe(16);
    const image = await decodeImage(bytes, { decoder: 'js' });
    expect(Array.from(image.data)).toEqual([0x12, 0xab, 0xff, 0x00, 0x80, 0x7f]);
  });

  it('rejects formats the JS decoders do not read, and unrecognised bytes', async () => {
    const gif = new TextEncoder().encode('GIF89a\u0001\u0000\u0001\u0000');
    await expect(decodeImage(gif, { decoder: 'js' })).rejects.toThrow(/GIF is not supported/);
    const error = await decodeImage(new Uint8Array([1, 2, 3, 4]), { decoder: 'js' }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
    expect((error as Error).message).toMatch(/not a recognised image file/);
  });

  for (const decoder of decoders) {
    it(`rejects a truncated JPEG with VLP_INVALID_ARGUMENT (${decoder} decoder)`, async (ctx) => {
      if (decoder === 'sharp' && !hasSharp) ctx.skip();
      const bytes = jpeg.encode({ width: 16, height: 16, data: pattern(16, 16) }, 90).data;
      const error = await decodeImage(bytes.subarray(0, 200), { decoder }).catch((e: unknown) => e);
      expect(VlpError.isInstance(error, 'VLP_INVALID_ARGUMENT')).toBe(true);
      expect((error as Error).message).toMatch(/the image bytes \(jpeg\)/);
    });
  }

  it('reports a missing file as VLP_IO with its path', async () => {
    const file = path.join(tmp, 'missing.png');
    const error = await decodeImage(file).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_IO')).toBe(true);
    expect((error as VlpError).path).toBe(file);
  });
});
