import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type PrunableView, VlpError } from '@vlp/core';
import { BLIP_FIXTURE_DIRS, type FixtureBatch, fixtureBatch, loadBlipFixture } from '../testing/blip-fixtures.js';
import { readReference, relativeError } from '../testing/fixtures.js';
import type { BlipForImageTextRetrieval } from './blip-retrieval-model.js';
import { blipRetrievalScores } from './blip-retrieval-protocol.js';
import { blipView } from './blip-view.js';
import type { BlipRetrievalBatch } from './blip-view-batch.js';

/** The size of every gate group of the view. */
function gateSizes(view: PrunableView<BlipRetrievalBatch>): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const s of view.structures) sizes.set(s.gate.group, Math.max(sizes.get(s.gate.group) ?? 0, s.gate.index + 1));
  return sizes;
}

function gateTensors(sizes: Map<string, number>, closed: Record<string, number[]> = {}): Record<string, tf.Tensor1D> {
  const out: Record<string, tf.Tensor1D> = {};
  for (const [group, size] of sizes) {
    const values = new Float32Array(size).fill(1);
    for (const i of closed[group] ?? []) values[i] = 0;
    out[group] = tf.tensor1d(values);
  }
  return out;
}

describe('the BLIP retrieval view, ITC forward (batch.forward = "itc")', () => {
  let itm: BlipForImageTextRetrieval;
  let data: FixtureBatch;
  let refs: Map<string, tf.Tensor>;
  beforeAll(async () => {
    await initBackend();
    itm = await loadBlipFixture('retrieval');
    data = await fixtureBatch('retrieval');
    refs = await readReference(`${BLIP_FIXTURE_DIRS.retrieval}/reference/outputs.safetensors`);
  });
  afterAll(async () => {
    await itm.dispose();
    tf.dispose([...data.inputs.values(), ...refs.values()]);
  });

  for (const engine of ['onnx', 'tfjs'] as const) {
    it(`matches the model's ungated ITC features and blipRetrievalScores (rerank false) on ${engine}, with 2 images and 3 texts`, async () => {
      const pixelValues = data.batch.pixelValues.slice(0, 2);
      const { inputIds, attentionMask } = data.batch;
      const ref = await itm.forward({ pixelValues, inputIds, attentionMask, useItmHead: false, engine });
      const run = await blipView(itm).run({ pixelValues, inputIds, attentionMask, forward: 'itc' }, { engine });
      try {
        expect(run.outputs.image_feat?.shape).toEqual([2, 24]);
        expect(run.outputs.text_feat?.shape).toEqual([3, 24]);
        expect(run.outputs.itm_score?.shape).toEqual([2, 3]);
        expect(relativeError(run.outputs.image_feat as tf.Tensor, ref.imageFeat as tf.Tensor)).toBeLessThanOrEqual(1e-5);
        expect(relativeError(run.outputs.text_feat as tf.Tensor, ref.textFeat as tf.Tensor)).toBeLessThanOrEqual(1e-5);
        expect(relativeError(run.outputs.itm_score as tf.Tensor, ref.itmScore)).toBeLessThanOrEqual(1e-5);
        // the HF reference (transformers 4.36.2, forward(use_itm_head=False))
        expect(relativeError(run.outputs.image_feat as tf.Tensor, refs.get('itc_image_feat') as tf.Tensor)).toBeLessThanOrEqual(2e-5);
        expect(relativeError(run.outputs.text_feat as tf.Tensor, refs.get('itc_text_feat') as tf.Tensor)).toBeLessThanOrEqual(2e-5);
        // the retrieval evaluator's ITC similarities (`evaluateBlipRetrieval` with rerank false)
        const scores = await blipRetrievalScores(itm, { pixelValues, inputIds, attentionMask }, { rerank: false, engine });
        const viewScores = (await (run.outputs.itm_score as tf.Tensor).array()) as number[][];
        const worst = Math.max(...scores.itc.flatMap((row, i) => row.map((v, t) => Math.abs(v - (viewScores[i]?.[t] as number)))));
        expect(worst).toBeLessThanOrEqual(1e-5);
      } finally {
        run.dispose();
        tf.dispose([pixelValues, ref.itmScore, ref.imageEmbeds, ref.questionEmbeds, ref.imageFeat as tf.Tensor, ref.textFeat as tf.Tensor, ref.visionModelOutput.lastHiddenState, ref.visionModelOutput.poolerOutput]);
      }
    });
  }

  it('applies a closed gate to the gated tower only; cross-attention gates have no effect', async () => {
    const view = blipView(itm);
    const sizes = gateSizes(view);
    const batch = { ...data.batch, forward: 'itc' as const };
    const features = async (closed: Record<string, number[]>) => {
      const gates = gateTensors(sizes, closed);
      const run = await view.run(batch, { gates, engine: 'onnx' });
      try {
        return { image: Array.from(await (run.outputs.image_feat as tf.Tensor).data()), text: Array.from(await (run.outputs.text_feat as tf.Tensor).data()) };
      } finally {
        run.dispose();
        tf.dispose(Object.values(gates));
      }
    };
    const open = await features({});
    const vision = await features({ 'vision.1.attn.heads': [0, 2] });
    const text = await features({ 'text.0.mlp': [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] });
    const layer = await features({ 'text.1.layer': [0] });
    const cross = await features({ 'text.0.cross.heads': [0, 1, 2, 3], 'text.1.cross.heads': [0, 1, 2, 3] });
    const differs = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
    expect(differs(vision.image, open.image)).toBeGreaterThan(1e-3);
    expect(vision.text).toEqual(open.text);
    expect(differs(text.text, open.text)).toBeGreaterThan(1e-3);
    expect(text.image).toEqual(open.image);
    expect(differs(layer.text, open.text)).toBeGreaterThan(1e-3);
    expect(layer.image).toEqual(open.image);
    expect(cross).toEqual(open);
  });

  it('leaves the default ITM forward unchanged and rejects an unknown forward', async () => {
    const view = blipView(itm);
    const plain = await view.run(data.batch, { engine: 'onnx' });
    const explicit = await view.run({ ...data.batch, forward: 'itm' }, { engine: 'onnx' });
    try {
      expect(plain.outputs.itm_score?.shape).toEqual([3, 2]);
      expect(Array.from(await (explicit.outputs.itm_score as tf.Tensor).data())).toEqual(Array.from(await (plain.outputs.itm_score as tf.Tensor).data()));
      expect(plain.outputs.image_feat).toBeUndefined();
    } finally {
      plain.dispose();
      explicit.dispose();
    }
    await expect(view.run({ ...data.batch, forward: 'itx' as never })).rejects.toBeInstanceOf(VlpError);
  });
});

