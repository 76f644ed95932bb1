import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { type BlipForImageTextRetrieval, type ClipModel, createRandomBlip, loadImageProcessor, loadTokenizer } from '@vlp/models';
import { loadEmbeddedModel } from '../embedded-models.js';
import { shapesVLBlipPairData } from './blip-caption-data.js';
import { distilBlipText } from './distil-blip-text.js';
import { tinyBlipConfig } from './tiny-blip-config.js';
import { writeTinyBlipSideFiles } from './train-tiny-blip.js';

describe('distilBlipText', () => {
  let clip: ClipModel;
  let blip: BlipForImageTextRetrieval;
  let tmp: string;
  beforeAll(async () => {
    await initBackend();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-text-'));
    clip = (await loadEmbeddedModel('tiny-clip')) as ClipModel;
    blip = createRandomBlip('BlipForImageTextRetrieval', tinyBlipConfig('tiny-blip-itm', { patchSize: 8, quickGelu: true }), 0) as BlipForImageTextRetrieval;
  });
  afterAll(async () => {
    await Promise.all([clip.dispose(), blip.dispose()]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it('trains only the text encoder and text_proj, and moves the text features toward CLIP\'s', async () => {
    await writeTinyBlipSideFiles('tiny-blip-itm', path.join(tmp, 'files'));
    const tokenizer = await loadTokenizer(path.join(tmp, 'files'));
    const imageProcessor = await loadImageProcessor(path.join(tmp, 'files'));
    const data = shapesVLBlipPairData({ tokenizer, imageProcessor, images: 4, size: 64 });
    const before = new Map(blip.params.names().map((n) => [n, blip.params.get(n).data.slice()]));
    const losses: number[] = [];
    const result = await distilBlipText(blip, clip, data, {
      steps: 6,
      batchSize: 4,
      learningRate: 3e-3,
      warmupSteps: 1,
      weightDecay: 0,
      seed: 0,
      checkpoint: { dir: path.join(tmp, 'trainer'), every: 100, resume: false },
      onEvent: (e) => void (e.type === 'step-end' && losses.push(e.loss)),
    });
    expect(result.steps).toBe(6);
    expect(losses.every(Number.isFinite)).toBe(true);
    const changed = blip.params.names().filter((n) => blip.params.get(n).data.some((v, i) => v !== (before.get(n) as Float32Array)[i]));
    expect(changed.length).toBeGreaterThan(10);
    expect(changed.every((n) => n.startsWith('text_encoder.') || n.startsWith('text_proj.'))).toBe(true);
    // the same 4 images' 20 pairs, 6 steps: the loss (ITC + distance to CLIP's features) falls
    expect(losses[5] as number).toBeLessThan(losses[0] as number);
  });
});
