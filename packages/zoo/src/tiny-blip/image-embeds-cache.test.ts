import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { shapesVLSample } from '@vlp/data';
import { type BlipModel, createRandomBlip, type ImageProcessor, loadImageProcessor } from '@vlp/models';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheImageEmbeds } from './image-embeds-cache.js';
import { tinyBlipConfig } from './tiny-blip-config.js';

/** tiny-clip's vision geometry (the `clip-vision` recipe's BLIP config). */
const CLIP_VISION = { patchSize: 8, quickGelu: true };
import { writeTinyBlipSideFiles } from './train-tiny-blip.js';

describe('cacheImageEmbeds', () => {
  let model: BlipModel;
  let imageProcessor: ImageProcessor;
  let dir: string;
  beforeAll(async () => {
    await initBackend();
    dir = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-embeds-'));
    await writeTinyBlipSideFiles('tiny-blip-itm', dir);
    imageProcessor = await loadImageProcessor(dir);
    model = createRandomBlip('BlipForImageTextRetrieval', tinyBlipConfig('tiny-blip-itm', CLIP_VISION), 3);
  });
  afterAll(async () => {
    await model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the vision tower\'s last_hidden_state of each image, in batches, and gathers rows by image', async () => {
    const progress: number[] = [];
    const cache = await cacheImageEmbeds(model, { imageProcessor, images: 5, size: 64, batchSize: 2, onProgress: (done) => progress.push(done) });
    expect(progress).toEqual([2, 4, 5]);
    expect([cache.images, cache.tokens, cache.width, cache.data.length]).toEqual([5, 65, 64, 5 * 65 * 64]);
    const px = imageProcessor.preprocess([shapesVLSample(0, 'train', 4).image, shapesVLSample(0, 'train', 1).image]);
    const pixels = tf.tensor(px.pixelValues, [...px.shape]);
    const ref = await model.vision(pixels, { engine: 'tfjs' });
    const got = cache.gather([4, 1]);
    expect(got.shape).toEqual([2, 65, 64]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(got, ref.lastHiddenState))).dataSync()[0] as number)).toBeLessThan(1e-4);
    expect(() => cache.gather([5])).toThrow(VlpError);
    tf.dispose([pixels, ref.lastHiddenState, ref.poolerOutput, got]);
  });

  it('rejects a bad image count', async () => {
    await expect(cacheImageEmbeds(model, { imageProcessor, images: 0, size: 64 })).rejects.toThrow(VlpError);
  });
});
