import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { shapesVLSample } from '@vlp/data';
import { type ImageProcessor, loadImageProcessor, loadTokenizer, type VlpTokenizer } from '@vlp/models';
import { QUESTIONS_PER_IMAGE, shapesVLBlipVqaData } from './blip-vqa-data.js';
import type { ImageEmbedsCache } from './image-embeds-cache.js';
import { writeTinyBlipSideFiles } from './train-tiny-blip.js';

describe('shapesVLBlipVqaData', () => {
  let dir: string;
  let tokenizer: VlpTokenizer;
  let imageProcessor: ImageProcessor;
  beforeAll(async () => {
    await initBackend();
    dir = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-blip-vqa-'));
    await writeTinyBlipSideFiles('tiny-blip-vqa', dir);
    tokenizer = await loadTokenizer(dir);
    imageProcessor = await loadImageProcessor(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives question e mod 9 of image ⌊e/9⌋ with its answer as [DEC] … [SEP], padding ignored', () => {
    const data = shapesVLBlipVqaData({ tokenizer, imageProcessor, images: 4, size: 64 });
    expect(data.size).toBe(4 * QUESTIONS_PER_IMAGE);
    const before = tf.memory().numTensors;
    const batch = data.collate([22, 4]);
    const qs = [shapesVLSample(0, 'train', 2).questions[4], shapesVLSample(0, 'train', 0).questions[4]] as Array<{ question: string; answer: string }>;
    const q = tokenizer.encode(qs.map((x) => x.question), { padding: 'longest' });
    const a = tokenizer.encode(qs.map((x) => x.answer), { padding: 'longest' });
    const dec = tokenizer.tokenToId('[DEC]');
    const answerIds = a.inputIds.map((row) => [dec, ...row.slice(1)]);
    expect(batch.pixelValues?.shape).toEqual([2, 3, 64, 64]);
    expect(batch.inputIds.arraySync()).toEqual(q.inputIds);
    expect(batch.attentionMask.arraySync()).toEqual(q.attentionMask);
    expect(batch.decoderInputIds.arraySync()).toEqual(answerIds);
    expect(batch.decoderAttentionMask.arraySync()).toEqual(a.attentionMask);
    expect(batch.labels.arraySync()).toEqual(answerIds.map((row, i) => row.map((id, j) => (a.attentionMask[i]?.[j] ? id : -100))));
    data.release?.(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with an embeddings cache, carries the cached embeddings of each question\'s image instead of pixels', () => {
    const cache: ImageEmbedsCache = {
      images: 4,
      tokens: 1,
      width: 1,
      data: Float32Array.from([10, 11, 12, 13]),
      gather: (indices) => tf.tensor3d(indices.map((i) => 10 + i), [indices.length, 1, 1]),
    };
    const data = shapesVLBlipVqaData({ tokenizer, imageProcessor, images: 4, size: 64, imageEmbeds: cache });
    const before = tf.memory().numTensors;
    const batch = data.collate([22, 4, 35]);
    expect(batch.pixelValues).toBeUndefined();
    expect((batch.imageEmbeds as tf.Tensor).arraySync()).toEqual([[[12]], [[10]], [[13]]]);
    const q = tokenizer.encode([22, 4, 35].map((e) => (shapesVLSample(0, 'train', Math.floor(e / 9)).questions[e % 9] as { question: string }).question), { padding: 'longest' });
    expect(batch.inputIds.arraySync()).toEqual(q.inputIds);
    data.release?.(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('with the encQuestions side files, every question starts with [ENC] and every answer still with [DEC]', async () => {
    const encDir = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-blip-vqa-enc-'));
    try {
      await writeTinyBlipSideFiles('tiny-blip-vqa', encDir, { encQuestions: true });
      const encTokenizer = await loadTokenizer(encDir);
      const enc = encTokenizer.tokenToId('[ENC]');
      expect(enc).toBe(tokenizer.tokenToId('[ENC]'));
      const data = shapesVLBlipVqaData({ tokenizer: encTokenizer, imageProcessor, images: 4, size: 64 });
      const batch = data.collate([22, 4, 35]);
      const ids = batch.inputIds.arraySync() as number[][];
      expect(ids.map((row) => row[0])).toEqual([enc, enc, enc]);
      // the rest of each question is what the [CLS] tokenizer gives
      const q = tokenizer.encode([22, 4, 35].map((e) => (shapesVLSample(0, 'train', Math.floor(e / 9)).questions[e % 9] as { question: string }).question), { padding: 'longest' });
      expect(ids.map((row) => row.slice(1))).toEqual(q.inputIds.map((row) => row.slice(1)));
      expect((batch.decoderInputIds.arraySync() as number[][]).map((row) => row[0])).toEqual(new Array(3).fill(tokenizer.tokenToId('[DEC]')));
      data.release?.(batch);
    } finally {
      rmSync(encDir, { recursive: true, force: true });
    }
  });

  it('rejects a bad image count', () => {
    expect(() => shapesVLBlipVqaData({ tokenizer, imageProcessor, images: 1.5, size: 64 })).toThrow(VlpError);
  });
});
