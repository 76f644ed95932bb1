import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelFileNotFoundError, VlpError, readSafetensors } from '@vlp/core';
import pngjs from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from './decode-image.js';
import { createImageProcessor } from './image-processor.js';
import { loadImageProcessor } from './load-image-processor.js';
import { parseImageProcessorConfig } from './processor-config.js';
import type { RgbImage } from './types.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const fixturesDir = path.resolve(repoRoot, '../shared/fixtures/hf');
const FIXTURES = ['clip-tiny', 'blip-itm-tiny', 'blip-caption-tiny', 'blip-vqa-tiny'] as const;

/** The input image (uint8 HWC RGB) and transformers' output stored in a fixture's preprocess.safetensors. */
async function readReference(fixture: string): Promise<{ image: RgbImage; pixelValues: Float32Array; shape: number[] }> {
  const file = await readSafetensors(path.join(fixturesDir, fixture, 'reference/preprocess.safetensors'));
  try {
    const image = await file.read('image');
    expect(image.dtype).toBe('U8');
    const [height, width] = image.shape;
    return {
      image: { width, height, data: image.data as Uint8Array },
      pixelValues: await file.readFloat32('pixel_values'),
      shape: [...file.info('pixel_values').shape],
    };
  } finally {
    await file.close();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

let tmpRoot: string;
beforeAll(async () => {
  tmpRoot = await mkdtemp(path.join(os.tmpdir(), 'vlp-preprocess-'));
});
afterAll(async () => {
  await rm(tmpRoot, { recursive: true, force: true });
});

describe('loadImageProcessor', () => {
  for (const fixture of FIXTURES) {
    it(`${fixture}: reproduces transformers' pixel_values exactly (PIL bicubic, crop, rescale, normalize)`, async () => {
      const ref = await readReference(fixture);
      expect([ref.image.height, ref.image.width]).toEqual([45, 60]);
      const processor = await loadImageProcessor(path.join(fixturesDir, fixture));
      const out = processor.preprocess([ref.image]);
      expect(out.shape).toEqual(ref.shape);
      // Bit-exact in practice (0 measured); the contract is 2e-2, a different resize kernel errs by ~1e-2..1e-1.
      expect(maxAbsDiff(out.pixelValues, ref.pixelValues)).toBeLessThanOrEqual(1e-6);
    });
  }

  it('gives the same pixel_values from the image saved as a PNG file and decoded (pure-JS decoder)', async () => {
    const ref = await readReference('blip-itm-tiny');
    const { width, height, data } = ref.image;
    const png = new pngjs.PNG({ width, height });
    for (let p = 0; p < width * height; p++) png.data.set([data[p * 3], data[p * 3 + 1], data[p * 3 + 2], 255], p * 4);
    const file = path.join(tmpRoot, 'fixture-image.png');
    await writeFile(file, pngjs.PNG.sync.write(png));
    const image = await decodeImage(file, { decoder: 'js' });
    const processor = await loadImageProcessor(path.join(fixturesDir, 'blip-itm-tiny'));
    expect(maxAbsDiff(processor.preprocess([image]).pixelValues, ref.pixelValues)).toBeLessThanOrEqual(1e-6);
  });

  it('parses the fixture configs with their class defaults', async () => {
    const clip = await loadImageProcessor(path.join(fixturesDir, 'clip-tiny'));
    expect(clip.config).toMatchObject({
      processorType: 'CLIPImageProcessor',
      size: { shortestEdge: 32 },
      cropSize: { height: 32, width: 32 },
      doCenterCrop: true,
      resample: 3,
    });
    const blip = await loadImageProcessor(path.join(fixturesDir, 'blip-itm-tiny'));
    expect(blip.config).toMatchObject({ processorType: 'BlipImageProcessor', size: { height: 32, width: 32 }, doCenterCrop: false });
    expect(blip.config.imageStd).toEqual([0.26862954, 0.26130258, 0.27577711]);
  });

  it('throws ModelFileNotFoundError naming the directory when preprocessor_config.json is missing', async () => {
    const error = await loadImageProcessor(tmpRoot).catch((e: unknown) => e);
    expect(ModelFileNotFoundError.isInstance(error)).toBe(true);
    expect((error as VlpError).code).toBe('VLP_MODEL_FILE_NOT_FOUND');
    expect((error as Error).message).toContain(tmpRoot);
    expect((error as Error).message).toContain('preprocessor_config.json');
  });

  it('falls back to config.json model_type when the file names no processor class', async () => {
    const dir = await mkdtemp(path.join(tmpRoot, 'legacy-'));
    await writeFile(path.join(dir, 'preprocessor_config.json'), JSON.stringify({ size: 20, crop_size: 16 }));
    await writeFile(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'clip' }));
    const processor = await loadImageProcessor(dir);
    expect(processor.config.size).toEqual({ shortestEdge: 20 });
    expect(processor.config.cropSize).toEqual({ height: 16, width: 16 });
    expect(processor.preprocess([{ width: 30, height: 20, data: new Uint8Array(30 * 20 * 3) }]).shape).toEqual([1, 3, 16, 16]);
  });
});

describe('ImageProcessor.preprocess', () => {
  it('drops alpha (RGBA gives the RGB result) and batches images channels-first', async () => {
    const ref = await readReference('clip-tiny');
    const { width, height, data } = ref.image;
    const rgba = new Uint8Array(width * height * 4);
    for (let p = 0; p < width * height; p++) {
      rgba.set(data.subarray(p * 3, p * 3 + 3), p * 4);
      rgba[p * 4 + 3] = p % 256;
    }
    const processor = await loadImageProcessor(path.join(fixturesDir, 'clip-tiny'));
    const out = processor.preprocess([ref.image, { width, height, data: rgba }]);
    expect(out.shape).toEqual([2, 3, 32, 32]);
    expect(out.pixelValues.subarray(3072)).toEqual(ref.pixelValues);
    expect(out.pixelValues.subarray(0, 3072)).toEqual(ref.pixelValues);
  });

  it('rescales and normalizes with float32 arithmetic', () => {
    const processor = createImageProcessor(
      parseImageProcessorConfig({ image_processor_type: 'BlipImageProcessor', size: { height: 1, width: 1 } }),
    );
    const out = processor.preprocess([{ width: 1, height: 1, data: new Uint8Array([255, 0, 128]) }]);
    const f = Math.fround;
    expect(Array.from(out.pixelValues)).toEqual([
      f(f(1 - f(0.48145466)) / f(0.26862954)),
      f(f(0 - f(0.4578275)) / f(0.26130258)),
      f(f(f(128 / 255) - f(0.40821073)) / f(0.27577711)),
    ]);
  });

  it('rejects malformed images and batches of different shapes with VLP_INVALID_ARGUMENT', () => {
    const processor = createImageProcessor(parseImageProcessorConfig({ image_processor_type: 'BlipImageProcessor' }));
    expect(() => processor.preprocess([{ width: 2, height: 2, data: new Uint8Array(5) }])).toThrow(/needs 12 \(RGB\) or 16/);
    expect(() => processor.preprocess([])).toThrow(VlpError);
    const clipNoCrop = createImageProcessor(
      parseImageProcessorConfig({ image_processor_type: 'CLIPImageProcessor', size: { shortest_edge: 4 }, do_center_crop: false }),
    );
    const a = { width: 4, height: 4, data: new Uint8Array(48) };
    const b = { width: 8, height: 4, data: new Uint8Array(96) };
    expect(() => clipNoCrop.preprocess([a, b])).toThrow(/images\[1\] preprocesses to 4×8/);
  });
});

describe('parseImageProcessorConfig', () => {
  it('fills CLIP and BLIP class defaults', () => {
    expect(parseImageProcessorConfig({ image_processor_type: 'CLIPImageProcessor' })).toMatchObject({
      size: { shortestEdge: 224 },
      cropSize: { height: 224, width: 224 },
      doCenterCrop: true,
      resample: 3,
      rescaleFactor: 1 / 255,
    });
    expect(parseImageProcessorConfig({ feature_extractor_type: 'BlipImageProcessor' })).toMatchObject({
      size: { height: 384, width: 384 },
      doCenterCrop: false,
    });
  });

  it('rejects unknown processor classes and invalid sizes with typed errors', () => {
    expect(() => parseImageProcessorConfig({ image_processor_type: 'ViTImageProcessor' })).toThrow(
      expect.objectContaining({ code: 'VLP_NOT_SUPPORTED' }),
    );
    expect(() => parseImageProcessorConfig({ image_processor_type: 'BlipImageProcessor', size: { shortest_edge: 3 } })).toThrow(
      expect.objectContaining({ code: 'VLP_INVALID_CONFIG' }),
    );
    expect(() => parseImageProcessorConfig({ image_processor_type: 'CLIPImageProcessor', size: { shortest_edge: 0 } })).toThrow(
      expect.objectContaining({ code: 'VLP_INVALID_CONFIG' }),
    );
  });
});
