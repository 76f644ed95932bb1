import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '@vlp/core';
import { loadModel } from '../load-model.js';
import { HF_FIXTURES, readReference } from '../testing/fixtures.js';
import { clipContrastiveLoss } from './clip-loss.js';
import type { ClipModel } from './clip-model.js';

describe('clipContrastiveLoss', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('equals the hand-computed symmetric cross-entropy', () => {
    const logits = tf.tensor2d([
      [2, 0],
      [1, 3],
    ]);
    // rows: CE = −log softmax; row0: log(1+e^-2), row1: log(1+e^-2); cols: col0 [2,1]: log(1+e^-1), col1 [0,3]: log(1+e^-3)
    const rows = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-2))) / 2;
    const cols = (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(-3))) / 2;
    const loss = clipContrastiveLoss(logits);
    expect(loss.dataSync()[0]).toBeCloseTo((rows + cols) / 2, 6);
    tf.dispose([logits, loss]);
  });

  it('takes texts past the images as extra negatives of the image-to-text term only (NegCLIP)', () => {
    // texts 0, 1 pair with images 0, 1; text 2 is a negative of both images
    const logits = tf.tensor2d([
      [2, 0],
      [1, 3],
      [1.5, -1],
    ]);
    // text→image over the paired rows only: log(1+e^-2) twice
    const rows = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-2))) / 2;
    // image→text over all three texts: image 0 column [2, 1, 1.5] target 0, image 1 column [0, 3, -1] target 1
    const lse = (v: number[]) => Math.log(v.reduce((a, x) => a + Math.exp(x), 0));
    const cols = (lse([2, 1, 1.5]) - 2 + (lse([0, 3, -1]) - 3)) / 2;
    const loss = clipContrastiveLoss(logits);
    expect(loss.dataSync()[0]).toBeCloseTo((rows + cols) / 2, 6);
    // a negative that scores higher for its image raises the loss
    const harder = tf.tensor2d([
      [2, 0],
      [1, 3],
      [2.5, -1],
    ]);
    const harderLoss = clipContrastiveLoss(harder);
    expect(harderLoss.dataSync()[0]).toBeGreaterThan(loss.dataSync()[0] as number);
    tf.dispose([logits, loss, harder, harderLoss]);
  });

  it('rejects fewer texts than images', () => {
    const logits = tf.zeros([2, 3]);
    expect(() => clipContrastiveLoss(logits)).toThrowError(/texts ≥ images/);
    logits.dispose();
  });
});

describe('CLIP InfoNCE gradients on tfjs-wasm', () => {
  let model: ClipModel;
  let inputs: Map<string, tf.Tensor>;
  let batch: { pixelValues: tf.Tensor; inputIds: tf.Tensor; attentionMask: tf.Tensor };

  beforeAll(async () => {
    const backend = await initBackend({ backend: 'wasm' });
    expect(backend.name).toBe('wasm');
    model = (await loadModel(path.join(HF_FIXTURES, 'clip-tiny'))) as ClipModel;
    inputs = await readReference(path.join(HF_FIXTURES, 'clip-tiny/reference/inputs.safetensors'));
    // two matching pairs: both images with the first two texts
    batch = {
      pixelValues: inputs.get('pixel_values') as tf.Tensor,
      inputIds: (inputs.get('input_ids') as tf.Tensor).slice([0, 0], [2, -1]),
      attentionMask: (inputs.get('attention_mask') as tf.Tensor).slice([0, 0], [2, -1]),
    };
  });
  afterAll(async () => {
    await model.dispose();
    tf.dispose([...inputs.values(), batch.inputIds, batch.attentionMask]);
  });

  // weights spanning every kind of op on the path: linears of both towers, the projection, the
  // token-embedding gather (wasm lacks its default gradient) and the patch embedding.
  const cases: [string, number[]][] = [
    ['vision_model.encoder.layers.1.self_attn.q_proj.weight', [3, 700, 2050]],
    ['text_model.encoder.layers.0.mlp.fc2.weight', [5, 1000, 4000]],
    ['text_projection.weight', [7, 300]],
    ['text_model.embeddings.token_embedding.weight', [58 * 48 + 5, 123 * 48 + 17, 298 * 48]],
    ['vision_model.embeddings.patch_embedding.weight', [11, 5000, 12000]],
    ['vision_model.encoder.layers.0.layer_norm1.weight', [4, 40]],
  ];

  it('takes texts past the images as hard negatives: the loss of the full logits matrix of the forward pass', async () => {
    // two images, three texts: the third is a negative of both
    const ids = inputs.get('input_ids') as tf.Tensor;
    expect(ids.shape[0]).toBeGreaterThanOrEqual(3);
    const three = { pixelValues: batch.pixelValues, inputIds: ids.slice([0, 0], [3, -1]), attentionMask: (inputs.get('attention_mask') as tf.Tensor).slice([0, 0], [3, -1]) };
    const out = await model.forward({ ...three, engine: 'tfjs' });
    const logits = out.logitsPerText.arraySync() as number[][];
    expect(logits).toHaveLength(3);
    const lse = (v: number[]) => Math.log(v.reduce((a, x) => a + Math.exp(x), 0));
    const t2i = (lse(logits[0]!) - logits[0]![0]! + lse(logits[1]!) - logits[1]![1]!) / 2;
    const column = (j: number) => logits.map((row) => row[j]!);
    const i2t = (lse(column(0)) - logits[0]![0]! + lse(column(1)) - logits[1]![1]!) / 2;
    const loss = model.contrastiveLoss(three);
    expect(loss.dataSync()[0]).toBeCloseTo((t2i + i2t) / 2, 5);
    // the differentiable logits are the forward pass's
    const sync = model.contrastiveLogits(three);
    expect(sync.shape).toEqual([3, 2]);
    (sync.arraySync() as number[][]).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(logits[i]![j]!, 4)));
    sync.dispose();
    tf.dispose([loss, three.inputIds, three.attentionMask, ...Object.values(out).filter((t): t is tf.Tensor => t instanceof tf.Tensor)]);
  });

  for (const [name, indices] of cases) {
    it(`matches finite differences for ${name}`, () => {
      const p = model.params.get(name);
      const w0 = tf.tensor(p.data, p.shape as number[]);
      const grad = tf.grad((w: tf.Tensor) => model.contrastiveLoss(batch, { weights: { [name]: w } }))(w0);
      const g = grad.dataSync();
      const eps = 1e-2;
      for (const i of indices) {
        const plus = p.data.slice();
        const minus = p.data.slice();
        plus[i] = (plus[i] as number) + eps;
        minus[i] = (minus[i] as number) - eps;
        const lp = tf.tidy(() => model.contrastiveLoss(batch, { weights: { [name]: tf.tensor(plus, p.shape as number[]) } }).dataSync()[0] as number);
        const lm = tf.tidy(() => model.contrastiveLoss(batch, { weights: { [name]: tf.tensor(minus, p.shape as number[]) } }).dataSync()[0] as number);
        const fd = (lp - lm) / (2 * eps);
        const analytic = g[i] as number;
        expect(Math.abs(analytic), `${name}[${i}] gradient is not trivially zero`).toBeGreaterThan(1e-5);
        expect(Math.abs(fd - analytic) / Math.max(Math.abs(fd), Math.abs(analytic)), `${name}[${i}]: fd ${fd} vs ${analytic}`).toBeLessThan(1e-2);
      }
      tf.dispose([w0, grad]);
    });
  }
});
