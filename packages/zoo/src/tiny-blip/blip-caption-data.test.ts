import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { captionMatchesScene, shapesVLSample } from '@vlp/data';
import { type ImageProcessor, loadImageProcessor, loadTokenizer, type VlpTokenizer } from '@vlp/models';
import { shapesVLBlipPairData } from './blip-caption-data.js';
import type { ImageEmbedsCache } from './image-embeds-cache.js';
import { writeTinyBlipSideFiles } from './train-tiny-blip.js';

describe('shapesVLBlipPairData', () => {
  let dir: string;
  let tokenizer: VlpTokenizer;
  let imageProcessor: ImageProcessor;
  beforeAll(async () => {
    await initBackend();
    dir = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-blip-pairs-'));
    await writeTinyBlipSideFiles('tiny-blip-caption', dir);
    tokenizer = await loadTokenizer(dir);
    imageProcessor = await loadImageProcessor(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const captions = [shapesVLSample(0, 'train', 2).captions[3] as string, shapesVLSample(0, 'train', 0).captions[0] as string];

  it('pairs image ⌊p/5⌋ with caption p mod 5, [CLS] … [SEP] padded to the longest caption', () => {
    const data = shapesVLBlipPairData({ tokenizer, imageProcessor, images: 10, size: 64 });
    expect(data.size).toBe(50);
    const before = tf.memory().numTensors;
    const batch = data.collate([13, 0]);
    const expected = tokenizer.encode(captions, { padding: 'longest' });
    expect(batch.pixelValues?.shape).toEqual([2, 3, 64, 64]);
    expect(batch.imageEmbeds).toBeUndefined();
    expect(batch.inputIds.arraySync()).toEqual(expected.inputIds);
    expect(batch.attentionMask.arraySync()).toEqual(expected.attentionMask);
    expect(batch.imageIndex).toEqual([2, 0]);
    expect(batch.labels).toBeUndefined();
    const px = imageProcessor.preprocess([shapesVLSample(0, 'train', 2).image]).pixelValues;
    expect(tf.tidy(() => (batch.pixelValues as tf.Tensor).slice([0], [1]).dataSync())).toEqual(px);
    data.release?.(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('for the decoder, starts with [DEC] and ignores the padding in the labels', () => {
    const data = shapesVLBlipPairData({ tokenizer, imageProcessor, images: 10, size: 64, decoder: true });
    const batch = data.collate([13, 0]);
    const expected = tokenizer.encode(captions, { padding: 'longest' });
    const dec = tokenizer.tokenToId('[DEC]');
    const ids = batch.inputIds.arraySync() as number[][];
    expect(ids).toEqual(expected.inputIds.map((row) => [dec, ...row.slice(1)]));
    expect(batch.labels?.arraySync()).toEqual(ids.map((row, i) => row.map((id, j) => (expected.attentionMask[i]?.[j] ? id : -100))));
    data.release?.(batch);
  });

  it('adds a one-word negative of every caption, false of its image, padded like the captions', () => {
    const data = shapesVLBlipPairData({ tokenizer, imageProcessor, images: 10, size: 64, captionNegatives: true });
    const batch = data.collate([13, 0]);
    const neg = batch.negativeInputIds?.arraySync() as number[][];
    const ids = batch.inputIds.arraySync() as number[][];
    expect(neg[0]).toHaveLength((ids[0] as number[]).length);
    for (const [b, p] of [13, 0].entries()) {
      const sample = shapesVLSample(0, 'train', Math.floor(p / 5));
      const text = tokenizer.decode(neg[b] as number[], { skipSpecialTokens: true }).replace(/ ([,:])/g, '$1');
      expect(captionMatchesScene(text, sample.objects), text).toBe(false);
      expect(text.split(' ').filter((w, j) => w !== (sample.captions[p % 5] as string).split(' ')[j])).toHaveLength(1);
    }
    data.release?.(batch);
  });

  it('with an embeddings cache, carries the images\' cached embeddings instead of pixels (same texts)', () => {
    const row = 3 * 2;
    const cache: ImageEmbedsCache = {
      images: 10,
      tokens: 3,
      width: 2,
      data: Float32Array.from({ length: 10 * row }, (_, i) => i),
      gather: (indices) => tf.tensor3d(indices.flatMap((i) => Array.from({ length: row }, (_, k) => i * row + k)), [indices.length, 3, 2]),
    };
    const plain = shapesVLBlipPairData({ tokenizer, imageProcessor, images: 10, size: 64 }).collate([13, 0]);
    const data = shapesVLBlipPairData({ tokenizer, imageProcessor, images: 10, size: 64, imageEmbeds: cache });
    const before = tf.memory().numTensors;
    const batch = data.collate([13, 0]);
    expect(batch.pixelValues).toBeUndefined();
    expect((batch.imageEmbeds as tf.Tensor).arraySync()).toEqual([[[12, 13], [14, 15], [16, 17]], [[0, 1], [2, 3], [4, 5]]]);
    expect(batch.inputIds.arraySync()).toEqual(plain.inputIds.arraySync());
    data.release?.(batch);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([plain.pixelValues as tf.Tensor, plain.inputIds, plain.attentionMask]);
  });

  it('rejects a bad image count, and caption negatives for the decoder', () => {
    expect(() => shapesVLBlipPairData({ tokenizer, imageProcessor, images: 10, size: 64, decoder: true, captionNegatives: true })).toThrow(VlpError);
    expect(() => shapesVLBlipPairData({ tokenizer, imageProcessor, images: 0, size: 64 })).toThrow(VlpError);
  });
});
