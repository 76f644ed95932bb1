import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, VlpError } from '@vlp/core';
import { type ClipModel, loadModel, zeroShotClassify } from '@vlp/models';
import { retrievalRecall } from '../metrics/retrieval.js';
import { evaluateClipRetrieval } from './clip-retrieval.js';
import { evaluateClipZeroShot } from './clip-zero-shot.js';
import type { EvalEvent } from './eval-events.js';
import { shapesVLRetrievalSet, shapesVLZeroShotSet } from './shapes-vl-sets.js';

const clipTiny = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/fixtures/hf/clip-tiny');

describe('CLIP evaluators on Shapes-VL', () => {
  let model: ClipModel;
  beforeAll(async () => {
    await initBackend();
    model = (await loadModel(clipTiny)) as ClipModel;
  });
  afterAll(async () => {
    await model.dispose();
  });

  it('zero-shot accuracy equals the argmax of zeroShotClassify, image by image', async () => {
    const set = shapesVLZeroShotSet({ count: 12, size: 32, split: 'val' });
    const classNames = set.classNames.slice(0, 10);
    const labels = set.labels.map((l) => l % 10);
    const templates = ['a photo of a {}.', 'a {} shape'];
    const events: EvalEvent[] = [];
    const result = await evaluateClipZeroShot(model, { ...set, classNames, labels }, { templates, batchSize: 5, onEvent: (e) => events.push(e) });
    const probs = await zeroShotClassify(model, set.images, classNames, { templates });
    const argmax = probs.map((row) => row.indexOf(Math.max(...row)));
    const expectedTop1 = (100 * argmax.filter((p, i) => p === labels[i]).length) / labels.length;
    expect(result.top1).toBeCloseTo(expectedTop1, 6);
    expect(result.count).toBe(12);
    expect(events[0]?.type).toBe('eval-start');
    expect(events.at(-1)?.type).toBe('eval-end');
    expect(events.filter((e) => e.type === 'eval-batch-end')).toHaveLength(Math.ceil(20 / 5) + Math.ceil(12 / 5));
  });

  it('retrieval recall equals retrievalRecall on forward() logits', async () => {
    const set = shapesVLRetrievalSet({ count: 6, size: 32 });
    expect(set.texts).toHaveLength(30);
    const before = tf.memory().numTensors;
    const result = await evaluateClipRetrieval(model, set, { batchSize: 4 });
    expect(tf.memory().numTensors).toBe(before);
    const processor = model.imageProcessor;
    const px = processor?.preprocess([...set.images]);
    const enc = model.tokenizer?.encode([...set.texts], { padding: 'max_length', truncation: true });
    const pixels = tf.tensor(px?.pixelValues as Float32Array, [...(px?.shape as number[])]);
    const ids = tf.tensor2d(enc?.inputIds as number[][], undefined, 'int32');
    const mask = tf.tensor2d(enc?.attentionMask as number[][], undefined, 'int32');
    const out = await model.forward({ pixelValues: pixels, inputIds: ids, attentionMask: mask });
    const expected = retrievalRecall(out.logitsPerImage.arraySync() as number[][], set.textToImage);
    expect(result).toEqual(expected);
    tf.dispose([pixels, ids, mask, out.imageEmbeds, out.textEmbeds, out.logitsPerImage, out.logitsPerText, out.visionModelOutput.lastHiddenState, out.visionModelOutput.poolerOutput, out.textModelOutput.lastHiddenState, out.textModelOutput.poolerOutput]);
  });

  it('stops with VLP_ABORTED when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await evaluateClipRetrieval(model, shapesVLRetrievalSet({ count: 2, size: 32 }), { signal: controller.signal }).catch((e: unknown) => e);
    expect(VlpError.isInstance(error, 'VLP_ABORTED')).toBe(true);
  });
});
