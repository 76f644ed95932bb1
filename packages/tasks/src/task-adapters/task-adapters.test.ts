import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, readSafetensors } from '@vlp/core';
import { type BlipForImageTextRetrieval, type BlipForQuestionAnswering, type ClipModel, clipView, loadModel } from '@vlp/models';
import { evaluateClipRetrieval } from '../evaluators/clip-retrieval.js';
import { shapesVLRetrievalSet } from '../evaluators/shapes-vl-sets.js';
import { blipRetrievalTask, blipVqaTask } from './blip-tasks.js';
import { clipTask } from './clip-task.js';
import { flattenMetrics } from './flatten-metrics.js';

const hf = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/fixtures/hf');

async function inputs(dir: string) {
  const st = await readSafetensors(path.join(hf, dir, 'reference/inputs.safetensors'));
  const t = async (n: string, int: boolean) => {
    const v = await st.readFloat32(n);
    return int ? tf.tensor(Int32Array.from(v), [...st.info(n).shape], 'int32') : tf.tensor(v, [...st.info(n).shape]);
  };
  const out = { pixelValues: await t('pixel_values', false), inputIds: await t('input_ids', true), attentionMask: await t('attention_mask', true) };
  await st.close();
  return out;
}

describe('task adapters', () => {
  let clip: ClipModel;
  let blip: BlipForImageTextRetrieval;
  beforeAll(async () => {
    await initBackend();
    clip = (await loadModel(path.join(hf, 'clip-tiny'))) as ClipModel;
    blip = (await loadModel(path.join(hf, 'blip-itm-tiny'))) as BlipForImageTextRetrieval;
  });
  afterAll(async () => {
    await Promise.all([clip.dispose(), blip.dispose()]);
  });

  it('flattenMetrics flattens nested numbers', () => {
    expect(flattenMetrics({ i2t: { r1: 1, r5: 2 }, rMean: 3, note: 'x' })).toEqual({ 'i2t.r1': 1, 'i2t.r5': 2, rMean: 3 });
  });

  it('clipTask: the loss is the InfoNCE loss, differentiable w.r.t. the run gates; evaluate flattens retrieval', async () => {
    const all = await inputs('clip-tiny');
    const batch = { pixelValues: all.pixelValues, inputIds: all.inputIds.slice(0, 2), attentionMask: all.attentionMask.slice(0, 2) };
    const set = shapesVLRetrievalSet({ count: 4, size: 32 });
    const task = clipTask(clip, { evaluation: { kind: 'retrieval', set } });
    const view = clipView(clip);
    const direct = clip.contrastiveLoss(batch);
    const viaTask = (await task.loss?.(view, batch)) as tf.Scalar;
    expect(viaTask.dataSync()[0]).toBeCloseTo(direct.dataSync()[0] as number, 6);
    const onnx = (await task.loss?.(view, batch, { engine: 'onnx' })) as tf.Scalar;
    expect(onnx.dataSync()[0]).toBeCloseTo(direct.dataSync()[0] as number, 5);
    onnx.dispose();
    const gate = tf.ones([4]) as tf.Tensor1D;
    const g = tf.grad((x: tf.Tensor) => task.loss?.(view, batch, { gates: { 'vision.0.attn.heads': x as tf.Tensor1D } }) as tf.Scalar)(gate);
    expect(g.shape).toEqual([4]);
    expect(Array.from(g.dataSync()).some((v) => Math.abs(v) > 1e-6)).toBe(true);
    const metrics = await task.evaluate?.(view);
    const r = await evaluateClipRetrieval(clip, set);
    expect(metrics).toMatchObject({ 't2i.r1': r.t2i.r1, 'i2t.r5': r.i2t.r5, r1Mean: (r.i2t.r1 + r.t2i.r1) / 2 });
    expect(task.primaryMetric).toBe('r1Mean');
    tf.dispose([direct, viaTask, gate, g, batch.inputIds, batch.attentionMask, ...Object.values(all)]);
  });

  it('blipRetrievalTask: itm+itc is the sum of the two losses, ITM with [ENC] first (the tokenizer has it) unless encToken: false', async () => {
    const batch = await inputs('blip-itm-tiny');
    const both = blipRetrievalTask(blip).loss?.(undefined as never, batch) as tf.Scalar;
    const asGiven = blipRetrievalTask(blip, { encToken: false }).loss?.(undefined as never, batch) as tf.Scalar;
    const itm = blip.itmLoss(batch, { encToken: true, hardNegatives: { seed: 0 } });
    const itmAsGiven = blip.itmLoss(batch, { hardNegatives: { seed: 0 } });
    const itc = blip.itcLoss(batch);
    expect(both.dataSync()[0]).toBeCloseTo((itm.dataSync()[0] as number) + (itc.dataSync()[0] as number), 5);
    expect(asGiven.dataSync()[0]).toBeCloseTo((itmAsGiven.dataSync()[0] as number) + (itc.dataSync()[0] as number), 5);
    expect(Math.abs((itm.dataSync()[0] as number) - (itmAsGiven.dataSync()[0] as number))).toBeGreaterThan(1e-4);
    tf.dispose([asGiven, itmAsGiven]);
    // the task runs the vision tower once for all three uses: the gradient of a vision weight is the
    // gradient of the two pixel-path losses
    const name = 'vision_model.encoder.layers.0.mlp.fc1.weight';
    const p = blip.params.get(name);
    const w = tf.tensor(p.data, [...p.shape]);
    const viaTask = tf.grad((x: tf.Tensor) => blipRetrievalTask(blip).loss?.(undefined as never, batch, { weights: { [name]: x as tf.Tensor2D } }) as tf.Scalar)(w);
    const direct = tf.grad((x: tf.Tensor) => tf.add(blip.itmLoss(batch, { weights: { [name]: x }, encToken: true, hardNegatives: { seed: 0 } }), blip.itcLoss(batch, { weights: { [name]: x } })) as tf.Scalar)(w);
    const scale = tf.tidy(() => tf.max(tf.abs(direct)).dataSync()[0] as number);
    expect(scale).toBeGreaterThan(0);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(viaTask, direct))).dataSync()[0] as number) / scale).toBeLessThan(1e-4);
    tf.dispose([both, itm, itc, w, viaTask, direct, ...Object.values(batch)]);
  });

  it('blipVqaTask({ encToken }): the answer loss encodes the question with [ENC] first', async () => {
    const vqa = (await loadModel(path.join(hf, 'blip-vqa-tiny'))) as BlipForQuestionAnswering;
    try {
      const all = await inputs('blip-vqa-tiny');
      const batch = { ...all, decoderInputIds: all.inputIds };
      const values = [
        blipVqaTask(vqa, { encToken: true }).loss?.(undefined as never, batch),
        vqa.lmLoss(batch, { encToken: true }),
        blipVqaTask(vqa).loss?.(undefined as never, batch),
      ].map((t) => {
        const v = (t as tf.Scalar).dataSync()[0] as number;
        (t as tf.Scalar).dispose();
        return v;
      });
      expect(values[0]).toBeCloseTo(values[1] as number, 6);
      expect(Math.abs((values[0] as number) - (values[2] as number))).toBeGreaterThan(1e-4);
      tf.dispose(Object.values(all));
    } finally {
      await vqa.dispose();
    }
  });
});
