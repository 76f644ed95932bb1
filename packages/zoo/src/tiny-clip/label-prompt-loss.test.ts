import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { type ClipModel, createRandomClip } from '@vlp/models';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { loadImageProcessor, loadTokenizer } from '@vlp/models';
import { labelPrompts, tinyClipLoss } from './label-prompt-loss.js';
import { shapesVLPairData } from './shapes-vl-pairs.js';
import { tinyClipConfig } from './tiny-clip-config.js';
import { writeTinyClipSideFiles } from './train-tiny-clip.js';

describe('tinyClipLoss', () => {
  let dir: string;
  let model: ClipModel;
  beforeAll(async () => {
    await initBackend({ backend: 'wasm' });
    dir = mkdtempSync(path.join(os.tmpdir(), 'vlp-zoo-loss-'));
    await writeTinyClipSideFiles(dir);
    model = createRandomClip(tinyClipConfig({ hiddenSize: 32, patchSize: 16 }), 3);
    model.tokenizer = await loadTokenizer(dir);
    model.imageProcessor = await loadImageProcessor(dir);
  });
  afterAll(async () => {
    await model.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is InfoNCE plus the weighted cross-entropy of each image against the class prompts', async () => {
    const tokenizer = model.tokenizer!;
    const data = shapesVLPairData({ tokenizer, imageProcessor: model.imageProcessor!, images: 10, size: 64 });
    const batch = data.collate([0, 7, 21]);
    const classes = ['red circle', 'blue square', 'green star', 'pink heart'];
    const prompts = labelPrompts(tokenizer, classes, 'a photo of a {}.');
    // labels of the three images, replaced by indices into the four prompts above
    const labels = tf.tensor1d([2, 0, 3], 'int32');
    const b = { ...batch, labels };
    tf.dispose(model.contrastiveLoss(b)); // the first tfjs call caches the parameters
    const before = tf.memory().numTensors;
    const plain = tinyClipLoss(model, b, prompts, 0);
    const withLabels = tinyClipLoss(model, b, prompts, 0.5);
    expect(tf.memory().numTensors).toBe(before + 2);
    const reference = model.contrastiveLoss(b);
    expect(plain.dataSync()[0]).toBeCloseTo(reference.dataSync()[0] as number, 6);
    reference.dispose();
    // by hand: the logits of the prompts against the images, from the forward pass
    const out = await model.forward({ pixelValues: b.pixelValues, inputIds: prompts.inputIds, attentionMask: prompts.attentionMask, engine: 'tfjs' });
    const perText = out.logitsPerText.arraySync() as number[][]; // [4 prompts, 3 images]
    const lse = (v: number[]) => Math.log(v.reduce((a, x) => a + Math.exp(x), 0));
    const ce = [2, 0, 3].reduce((acc, label, i) => {
      const row = perText.map((r) => r[i]!);
      return acc + lse(row) - row[label]!;
    }, 0) / 3;
    expect(withLabels.dataSync()[0]).toBeCloseTo((plain.dataSync()[0] as number) + 0.5 * ce, 4);
    tf.dispose([plain, withLabels, labels, prompts.inputIds, prompts.attentionMask, ...Object.values(out).filter((t): t is tf.Tensor => t instanceof tf.Tensor)]);
    data.release?.(batch);
  });
});
