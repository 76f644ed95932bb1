import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { shapesVLSample } from '@vlp/data';
import { type ImageProcessor, loadImageProcessor, loadTokenizer, type VlpTokenizer } from '@vlp/models';
import { disposeObjectTargets, objectTargets } from './object-targets.js';
import { CAPTIONS_PER_IMAGE, shapesVLPairData } from './shapes-vl-pairs.js';
import { writeTinyClipSideFiles } from './train-tiny-clip.js';

describe('shapesVLPairData', () => {
  let dir: string;
  let tokenizer: VlpTokenizer;
  let imageProcessor: ImageProcessor;
  beforeAll(async () => {
    await initBackend();
    dir = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-pairs-'));
    await writeTinyClipSideFiles(dir);
    tokenizer = await loadTokenizer(dir);
    imageProcessor = await loadImageProcessor(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('pairs image ⌊p/5⌋ with its caption p mod 5, rendered and tokenized for the model', () => {
    const data = shapesVLPairData({ tokenizer, imageProcessor, images: 10, size: 64 });
    expect(data.size).toBe(10 * CAPTIONS_PER_IMAGE);
    const before = tf.memory().numTensors;
    const batch = data.collate([13, 0]);
    expect(batch.pixelValues.shape).toEqual([2, 3, 64, 64]);
    expect(batch.inputIds.shape).toEqual([2, 32]);
    const ids = batch.inputIds.arraySync() as number[][];
    const expected = tokenizer.encode([shapesVLSample(0, 'train', 2).captions[3] as string, shapesVLSample(0, 'train', 0).captions[0] as string], { padding: 'max_length' });
    expect(ids).toEqual(expected.inputIds);
    expect(batch.attentionMask.arraySync()).toEqual(expected.attentionMask);
    expect(batch.labels.arraySync()).toEqual([shapesVLSample(0, 'train', 2).label.classIndex, shapesVLSample(0, 'train', 0).label.classIndex]);
    const px = imageProcessor.preprocess([shapesVLSample(0, 'train', 2).image]).pixelValues;
    expect(tf.tidy(() => batch.pixelValues.slice([0], [1]).dataSync())).toEqual(px);
    data.release?.(batch);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('appends one hard negative per pair after the true captions, the same on every visit', () => {
    const data = shapesVLPairData({ tokenizer, imageProcessor, images: 10, size: 64, hardNegatives: true, negativeSeed: 5 });
    const batch = data.collate([13, 0]);
    expect(batch.pixelValues.shape).toEqual([2, 3, 64, 64]);
    expect(batch.inputIds.shape).toEqual([4, 32]);
    const ids = batch.inputIds.arraySync() as number[][];
    const truth = tokenizer.encode([shapesVLSample(0, 'train', 2).captions[3] as string, shapesVLSample(0, 'train', 0).captions[0] as string], { padding: 'max_length' });
    expect(ids.slice(0, 2)).toEqual(truth.inputIds);
    expect(ids[2]).not.toEqual(ids[0]);
    expect(ids[3]).not.toEqual(ids[1]);
    const again = data.collate([0]);
    expect((again.inputIds.arraySync() as number[][])[1]).toEqual(ids[3]);
    data.release?.(batch);
    data.release?.(again);
  });

  it('spatialNegatives: the negatives move a position or relation and keep the objects', () => {
    const data = shapesVLPairData({ tokenizer, imageProcessor, images: 10, size: 64, hardNegatives: true, negativeSeed: 5, spatialNegatives: 1 });
    const indices = [0, 7, 13, 21, 34, 48];
    const batch = data.collate(indices);
    const texts = (batch.inputIds.arraySync() as number[][]).map((row) => tokenizer.decode(row, { skipSpecialTokens: true }));
    const named = (t: string) => t.match(/(small|large) \w+ \w+/g)?.join();
    const spatial = indices.filter((p, i) => named(texts[indices.length + i] as string) === named(texts[i] as string) && texts[indices.length + i] !== texts[i]);
    expect(spatial.length).toBeGreaterThanOrEqual(indices.length - 1);
    data.release?.(batch);
  });

  it('objectGrid: each batch carries its objects\' centre tokens and classes, released with it', () => {
    const data = shapesVLPairData({ tokenizer, imageProcessor, images: 10, size: 64, objectGrid: 8 });
    const before = tf.memory().numTensors;
    const batch = data.collate([13, 0, 47]);
    const scenes = [2, 0, 9].map((i) => shapesVLSample(0, 'train', i).objects);
    const expected = objectTargets(scenes, 8);
    const objects = batch.objects as NonNullable<typeof batch.objects>;
    expect(objects.token.shape).toEqual([scenes.flat().length]);
    for (const key of ['token', 'colour', 'shape', 'size', 'cell'] as const) expect(objects[key].arraySync()).toEqual(expected[key].arraySync());
    disposeObjectTargets(expected);
    data.release?.(batch);
    expect(tf.memory().numTensors).toBe(before);
    const plain = shapesVLPairData({ tokenizer, imageProcessor, images: 10, size: 64 });
    const without = plain.collate([0]);
    expect(without.objects).toBeUndefined();
    plain.release?.(without);
  });

  it('rejects a bad image count or object grid', () => {
    expect(() => shapesVLPairData({ tokenizer, imageProcessor, images: 0, size: 64 })).toThrow(VlpError);
    expect(() => shapesVLPairData({ tokenizer, imageProcessor, images: 4, size: 64, objectGrid: 0 })).toThrow(/objectGrid/);
  });
});
